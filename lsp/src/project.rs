//! `iamlint.toml` for open documents: core's discovery ([`config::discover`]) from the
//! document's folder up to its workspace folder, the nearest file applies. Files are read from the disk (the native server on its own
//! machine) or asked of the client (`iamlint/readFile`, answered through the editor's file
//! system API: how the server finds them in a browser, where it has no disk).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use iamlint_core::config::{self, BrokenConfig, Discovery, FileRead};

use crate::settings::ProjectConfig;

/// Where `iamlint.toml` files come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FileSource {
    #[default]
    Disk,
    /// The client reads them (it announced `experimental.iamlintReadFile` at initialize).
    Client,
}

/// The answer of a lookup.
pub enum Lookup {
    Found(Option<Arc<ProjectConfig>>),
    /// The client must first tell the contents of this file (None was asked before and is
    /// still on its way).
    Waiting(Option<PathBuf>),
}

#[derive(Default)]
pub struct Projects {
    pub source: FileSource,
    /// Folder -> the iamlint.toml that applies to files in it (None: no file up to the
    /// workspace folder).
    configs: HashMap<PathBuf, Option<Arc<ProjectConfig>>>,
    /// Client mode: the texts the client sent (None: no such file), and the files asked for.
    files: HashMap<PathBuf, Option<String>>,
    asked: Vec<PathBuf>,
    /// Broken files whose problems are shown as diagnostics (cleared when files change).
    pub shown_broken: Vec<ls_types::Uri>,
}

impl Projects {
    /// Forget everything read (an iamlint.toml changed).
    pub fn clear(&mut self) {
        self.configs.clear();
        self.files.clear();
        self.asked.clear();
    }

    /// The text the client sent for a file.
    pub fn text(&self, file: &Path) -> Option<String> {
        self.files.get(file).cloned().flatten()
    }

    /// The client's answer for a file asked for.
    pub fn received(&mut self, file: PathBuf, text: Option<String>) {
        self.asked.retain(|f| *f != file);
        self.files.insert(file, text);
    }

    /// The config for a document at `path` inside the workspace folder `folder`, found by
    /// core's [`config::discover`] from the document's folder up to the workspace folder. A
    /// broken file goes to `problems` and the defaults apply until it is fixed.
    pub fn lookup(
        &mut self,
        path: &Path,
        folder: &Path,
        problems: &mut Vec<BrokenConfig>,
    ) -> Lookup {
        let Some(start) = path.parent() else {
            return Lookup::Found(None);
        };
        if let Some(cached) = self.configs.get(start) {
            return Lookup::Found(cached.clone());
        }
        let (source, files) = (self.source, &self.files);
        let found = config::discover(start, folder, |file| match source {
            FileSource::Disk => match std::fs::read_to_string(file) {
                Ok(text) => FileRead::Text(text),
                Err(_) => FileRead::Missing,
            },
            FileSource::Client => match files.get(file) {
                Some(Some(text)) => FileRead::Text(text.clone()),
                Some(None) => FileRead::Missing,
                None => FileRead::Pending,
            },
        });
        let found = match found {
            Discovery::Pending(file) => {
                if self.asked.contains(&file) {
                    return Lookup::Waiting(None);
                }
                self.asked.push(file.clone());
                return Lookup::Waiting(Some(file));
            }
            Discovery::None => None,
            Discovery::Found(f) => Some(Arc::new(ProjectConfig {
                file: f.file,
                dir: f.dir,
                config: f.config,
            })),
            Discovery::Broken(broken) => {
                problems.push(broken);
                None
            }
        };
        self.configs.insert(start.to_path_buf(), found.clone());
        Lookup::Found(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_files_are_asked_for_once_then_found_up_to_the_folder() {
        let mut p = Projects {
            source: FileSource::Client,
            ..Projects::default()
        };
        let doc = Path::new("/w/a/b/policy.json");
        let mut problems = Vec::new();
        let first = p.lookup(doc, Path::new("/w"), &mut problems);
        assert!(
            matches!(first, Lookup::Waiting(Some(ref f)) if f == Path::new("/w/a/b/iamlint.toml"))
        );
        assert!(matches!(
            p.lookup(doc, Path::new("/w"), &mut problems),
            Lookup::Waiting(None)
        ));
        p.received("/w/a/b/iamlint.toml".into(), None);
        assert!(matches!(
            p.lookup(doc, Path::new("/w"), &mut problems),
            Lookup::Waiting(Some(ref f)) if f == Path::new("/w/a/iamlint.toml")
        ));
        p.received(
            "/w/a/iamlint.toml".into(),
            Some("[rules]\ndisable = [\"MISSING_VERSION\"]\n".into()),
        );
        let Lookup::Found(Some(found)) = p.lookup(doc, Path::new("/w"), &mut problems) else {
            panic!("found");
        };
        assert_eq!(found.dir, Path::new("/w/a"));
        // A broken file is reported and ignored; nothing above the workspace folder is read.
        p.clear();
        p.received("/w/iamlint.toml".into(), Some("[rules\n".into()));
        let Lookup::Found(None) = p.lookup(Path::new("/w/x.json"), Path::new("/w"), &mut problems)
        else {
            panic!("none");
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].lines()[0]
                .starts_with("/w/iamlint.toml:1:7: invalid configuration: TOML syntax"),
            "{problems:?}"
        );
    }
}
