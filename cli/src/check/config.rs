//! Finding and reading `iamlint.toml` (the I/O half; the model and parser are core's).
//! Without `--config`, each file uses the nearest `iamlint.toml` in its folder or above; stdin
//! uses the one for the current folder. Globs match the file's path relative to the folder
//! holding the configuration.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use iamlint_core::config::{Config, FILE_NAME};

use super::inputs::{read_text, Input, Source, STDIN_NAME};

pub struct LoadedConfig {
    pub config: Config,
    /// The folder holding the configuration file (absolute).
    pub dir: PathBuf,
}

impl LoadedConfig {
    /// The input's path relative to the configuration's folder, `/`-separated; for stdin and
    /// files outside that folder, the name as shown.
    pub fn relative_path(&self, input: &Input) -> String {
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
    load(path).map(Rc::new)
}

fn load(path: &Path) -> Result<LoadedConfig, String> {
    let text = read_text(path).map_err(|e| format!("iamlint: {}: {e}", path.display()))?;
    let config = Config::parse(&text).map_err(|errors| {
        let mut message = String::new();
        for e in errors {
            let (line, column) = e.line_column(&text);
            message.push_str(&format!(
                "iamlint: {}:{line}:{column}: invalid configuration: {}\n",
                path.display(),
                e.message
            ));
        }
        message.trim_end().to_string()
    })?;
    let absolute = absolute(path);
    let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(LoadedConfig { config, dir })
}

/// Walks up from each input's folder, remembering what every folder resolved to.
#[derive(Default)]
pub struct Discovery {
    by_dir: HashMap<PathBuf, Option<Rc<LoadedConfig>>>,
}

impl Discovery {
    pub fn for_input(&mut self, input: &Input) -> Result<Option<Rc<LoadedConfig>>, String> {
        let start = match &input.source {
            Source::Stdin(_) => std::env::current_dir().unwrap_or_default(),
            Source::File(path) => absolute(path)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        };
        self.for_dir(&start)
    }

    fn for_dir(&mut self, dir: &Path) -> Result<Option<Rc<LoadedConfig>>, String> {
        if let Some(found) = self.by_dir.get(dir) {
            return Ok(found.clone());
        }
        let candidate = dir.join(FILE_NAME);
        let found = if candidate.is_file() {
            Some(Rc::new(load(&candidate)?))
        } else {
            match dir.parent() {
                Some(parent) => self.for_dir(parent)?,
                None => None,
            }
        };
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        Ok(found)
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
