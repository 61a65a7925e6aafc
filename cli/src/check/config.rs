//! Reading `iamlint.toml` for core's discovery (the I/O half; which file applies, the model
//! and the parser are core's: [`config::discover`]). Without `--config`, each file uses the
//! nearest `iamlint.toml` from its folder up to its repository's root; stdin uses the one for
//! the current folder. Globs match the file's path relative to the folder holding the
//! configuration.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use iamlint_core::config::{self, Config, Discovery, FileRead};
use iamlint_core::AnalyzeOptions;

use super::inputs::{read_text, Input, Source, STDIN_NAME};

#[derive(Default)]
pub struct LoadedConfig {
    pub config: Config,
    /// The folder holding the configuration file (absolute).
    pub dir: PathBuf,
}

impl LoadedConfig {
    /// The options for checking `input`, and whether a `[[policy-types]]` glob names it.
    /// Only those globs look at the file's path: without them no relative path is made (it
    /// cost a path made absolute and taken apart for every file of a check).
    pub fn options_for(&self, input: &Input) -> (AnalyzeOptions, bool) {
        if self.config.policy_types.is_empty() {
            return (self.config.analyze_options(""), false);
        }
        let rel = self.relative_path(input);
        let glob = self.config.policy_type_for(&rel).is_some();
        (self.config.analyze_options(&rel), glob)
    }

    /// The input's path relative to the configuration's folder, `/`-separated; for stdin and
    /// files outside that folder, the name as shown.
    fn relative_path(&self, input: &Input) -> String {
        let Source::File(path) = &input.source else {
            return STDIN_NAME.to_string();
        };
        let absolute = absolute(path);
        match absolute.strip_prefix(&self.dir) {
            Ok(rel) => rel
                .components()
                .filter_map(|c| match c {
                    Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => input.display.clone(),
        }
    }
}

/// `--config FILE`: it must exist and be valid.
pub fn load_explicit(path: &Path) -> Result<Rc<LoadedConfig>, String> {
    let text = read_text(path).map_err(|e| format!("iamlint: {}: {e}", path.display()))?;
    let absolute = absolute(path);
    let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
    loaded(config::parsed(path.to_path_buf(), &dir, text)).map(|c| c.unwrap_or_default())
}

/// Core's answer as the CLI uses it: a broken file is an error message (one line per problem).
fn loaded(found: Discovery) -> Result<Option<Rc<LoadedConfig>>, String> {
    match found {
        Discovery::None | Discovery::Pending(_) => Ok(None),
        Discovery::Found(f) => Ok(Some(Rc::new(LoadedConfig {
            config: f.config,
            dir: f.dir,
        }))),
        Discovery::Broken(broken) => Err(broken
            .lines()
            .iter()
            .map(|line| format!("iamlint: {line}"))
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

/// Finds each input's `iamlint.toml` with core's [`config::discover`], from the input's folder up
/// to its repository's root (the nearest folder holding `.git`), or to `/` outside a
/// repository. What the disk said about every folder is remembered.
#[derive(Default)]
pub struct ConfigFinder {
    by_dir: HashMap<PathBuf, Option<Rc<LoadedConfig>>>,
    /// Folder -> its repository root (None: not in a repository).
    roots: HashMap<PathBuf, Option<PathBuf>>,
    /// Folder -> the text of its iamlint.toml (None: it has none).
    files: HashMap<PathBuf, Option<String>>,
    /// The last file's folder as given and its answer: a folder's files come one after another,
    /// and making each path absolute asked the system for the current folder every time.
    last: Option<(PathBuf, Option<Rc<LoadedConfig>>)>,
}

impl ConfigFinder {
    pub fn for_input(&mut self, input: &Input) -> Result<Option<Rc<LoadedConfig>>, String> {
        let path = match &input.source {
            Source::Stdin(_) => {
                return self.for_dir(&absolute(&std::env::current_dir().unwrap_or_default()))
            }
            Source::File(path) => path,
        };
        let folder = path.parent().unwrap_or(Path::new(""));
        if let Some((last, found)) = &self.last {
            if last == folder {
                return Ok(found.clone());
            }
        }
        let start = absolute(path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let found = self.for_dir(&start)?;
        self.last = Some((folder.to_path_buf(), found.clone()));
        Ok(found)
    }

    /// The configuration for files in `dir` (an absolute folder).
    pub fn for_dir(&mut self, dir: &Path) -> Result<Option<Rc<LoadedConfig>>, String> {
        if let Some(found) = self.by_dir.get(dir) {
            return Ok(found.clone());
        }
        let stop = self
            .repository_root(dir)
            .unwrap_or_else(|| PathBuf::from("/"));
        let mut unreadable = None;
        let files = &mut self.files;
        let found = config::discover(dir, &stop, |file| {
            let text = files.entry(file.to_path_buf()).or_insert_with(|| {
                if !file.is_file() {
                    return None;
                }
                match read_text(file) {
                    Ok(text) => Some(text),
                    Err(e) => {
                        unreadable = Some(format!("iamlint: {}: {e}", file.display()));
                        None
                    }
                }
            });
            match (text, &unreadable) {
                (Some(text), _) => FileRead::Text(text.clone()),
                // An iamlint.toml that cannot be read is an error, not a file to skip.
                (None, Some(_)) => FileRead::Pending,
                (None, None) => FileRead::Missing,
            }
        });
        if let Some(message) = unreadable {
            return Err(message);
        }
        let found = loaded(found)?;
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        Ok(found)
    }

    /// The nearest folder at or above `dir` that holds `.git` (a folder, or a file in a
    /// worktree).
    fn repository_root(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(root) = self.roots.get(dir) {
            return root.clone();
        }
        let root = if dir.join(".git").exists() {
            Some(dir.to_path_buf())
        } else {
            dir.parent().and_then(|parent| self.repository_root(parent))
        };
        self.roots.insert(dir.to_path_buf(), root.clone());
        root
    }
}

/// An absolute, lexically normalised path (no `.` or `..`), without touching symlinks, so the
/// relative paths globs see are the ones the user typed.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
