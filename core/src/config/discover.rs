//! Which `iamlint.toml` applies to a file: one behaviour for every face. The walk is pure; the
//! face passes a reader (the CLI reads its disk, the language server its disk or, in a browser,
//! asks the editor with `iamlint/readFile`) and the folder where the walk stops.
//!
//! The rule (docs/architecture.md, "Configuration"): start in the file's folder and go up one
//! folder at a time, up to and including `stop`; the first `iamlint.toml` met applies, and the
//! ones above it do not. A file that does not parse is not skipped: it is the project's
//! configuration, so it is an error with its file, line and column (the CLI stops with exit 2;
//! the language server shows it on the file and checks with the defaults until it is fixed).
//! The faces choose `stop`: the language server its workspace folder; the CLI the repository
//! root (the nearest folder above the file holding `.git`), or the filesystem root outside a
//! repository, so that a checkout is checked the same wherever it is cloned.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{Config, ConfigError, FILE_NAME};

/// What a face's reader knows about one path.
pub enum FileRead {
    Text(String),
    /// No such file (or not readable as text): the walk goes on upwards.
    Missing,
    /// Not known yet (an editor asked asynchronously): the walk stops here, see
    /// [`Discovery::Pending`].
    Pending,
}

/// An `iamlint.toml` that applies, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub file: PathBuf,
    /// The folder holding it: globs are relative to it.
    pub dir: PathBuf,
    pub config: Config,
}

/// An `iamlint.toml` that applies but does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenConfig {
    pub file: PathBuf,
    pub text: String,
    /// Every problem, in the order of the text.
    pub errors: Vec<ConfigError>,
}

impl BrokenConfig {
    /// One line per problem: `FILE:LINE:COLUMN: invalid configuration: MESSAGE` (line and
    /// column 1-based, the column in characters), the same words in every face.
    pub fn lines(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|e| {
                let (line, column) = e.line_column(&self.text);
                format!(
                    "{}:{line}:{column}: invalid configuration: {}",
                    self.file.display(),
                    e.message
                )
            })
            .collect()
    }
}

impl fmt::Display for BrokenConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

/// The answer of [`discover`].
#[derive(Clone, Debug, PartialEq)]
pub enum Discovery {
    /// No `iamlint.toml` from the start folder up to the stop folder: the defaults apply.
    None,
    Found(Found),
    Broken(BrokenConfig),
    /// The reader does not know this file yet; ask again once it does.
    Pending(PathBuf),
}

/// Walk up from `start` (the checked file's folder) to `stop` (included; the filesystem root
/// when `stop` is not above `start`) and read the first `iamlint.toml` met through `read`.
pub fn discover(start: &Path, stop: &Path, mut read: impl FnMut(&Path) -> FileRead) -> Discovery {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let file = d.join(FILE_NAME);
        match read(&file) {
            FileRead::Text(text) => return parsed(file, d, text),
            FileRead::Pending => return Discovery::Pending(file),
            FileRead::Missing => {}
        }
        if d == stop {
            break;
        }
        dir = d.parent();
    }
    Discovery::None
}

/// The file at `file` (given explicitly, e.g. `--config`), parsed as [`discover`] would.
pub fn parsed(file: PathBuf, dir: &Path, text: String) -> Discovery {
    match Config::parse(&text) {
        Ok(config) => Discovery::Found(Found {
            file,
            dir: dir.to_path_buf(),
            config,
        }),
        Err(errors) => Discovery::Broken(BrokenConfig { file, text, errors }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn reader<'a>(files: &'a HashMap<&str, &str>) -> impl FnMut(&Path) -> FileRead + 'a {
        move |p| match files.get(p.to_str().unwrap_or("")) {
            Some(t) => FileRead::Text(t.to_string()),
            None => FileRead::Missing,
        }
    }

    #[test]
    fn the_nearest_file_wins_and_the_walk_stops_at_the_stop_folder() {
        let files = HashMap::from([
            (
                "/w/a/iamlint.toml",
                "[rules]\ndisable = [\"MISSING_VERSION\"]\n",
            ),
            ("/w/iamlint.toml", "[rules]\n"),
            ("/iamlint.toml", "[rules]\n"),
        ]);
        let Discovery::Found(found) =
            discover(Path::new("/w/a/b"), Path::new("/w"), reader(&files))
        else {
            panic!("found");
        };
        assert_eq!(found.dir, Path::new("/w/a"));
        assert_eq!(
            found.config.disabled_rules.codes().collect::<Vec<_>>(),
            ["MISSING_VERSION"]
        );
        // Nothing above the stop folder is read.
        let mut asked = Vec::new();
        let only = HashMap::from([("/iamlint.toml", "[rules]\n")]);
        let mut read = reader(&only);
        let none = discover(Path::new("/w/a"), Path::new("/w"), |p| {
            asked.push(p.to_path_buf());
            read(p)
        });
        assert_eq!(none, Discovery::None);
        assert_eq!(
            asked,
            [Path::new("/w/a/iamlint.toml"), Path::new("/w/iamlint.toml")]
        );
        // A stop folder that is not above the start: up to the root.
        let Discovery::Found(found) = discover(Path::new("/x/y"), Path::new("/w"), reader(&only))
        else {
            panic!("found at the root");
        };
        assert_eq!(found.dir, Path::new("/"));
    }

    #[test]
    fn a_broken_file_is_an_error_with_its_position_not_skipped() {
        let files = HashMap::from([
            (
                "/w/a/iamlint.toml",
                "[rules]\ndisable = [\"NO_SUCH_RULE\"]\n",
            ),
            ("/w/iamlint.toml", "[rules]\n"),
        ]);
        let Discovery::Broken(broken) =
            discover(Path::new("/w/a"), Path::new("/w"), reader(&files))
        else {
            panic!("broken");
        };
        let lines = broken.lines();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("/w/a/iamlint.toml:2:12: invalid configuration: "),
            "{lines:?}"
        );
        assert!(lines[0].contains("NO_SUCH_RULE"), "{lines:?}");
    }

    #[test]
    fn an_unknown_file_stops_the_walk_until_it_is_known() {
        let pending = discover(Path::new("/w/a"), Path::new("/w"), |p| {
            if p == Path::new("/w/a/iamlint.toml") {
                FileRead::Missing
            } else {
                FileRead::Pending
            }
        });
        assert_eq!(pending, Discovery::Pending("/w/iamlint.toml".into()));
    }
}
