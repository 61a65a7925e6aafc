//! Which files of a folder of CloudTrail logs are read, and in what order: one behaviour for the
//! command line (`generate`, `unused`) and the language server (`[[activity]]` entries). The walk
//! is pure; the face lists each folder for it (from its disk).
//!
//! The rule: every file whose name ends in `.json` or `.json.gz` ([`is_log_file_name`]), in
//! folders searched recursively, entries in name order (a file and a folder side by side are
//! taken in the order of their names). A link to a file is read like the file; a link to a
//! folder is not followed, so a link that points back up the tree cannot make the walk read the
//! same logs again and again (every event would be counted once per lap); the face tells the
//! user so. A folder that cannot be listed is a problem of its own, and the walk goes on with the
//! rest.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::record::is_log_file_name;

/// What a face's listing says of one entry of a folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A file, or a link to a file.
    File,
    Folder,
    /// A link to a folder: not followed.
    LinkToFolder,
    /// Anything else (a socket, a broken link, ...): not read.
    Other,
}

/// A folder's entries as a face lists them: names (in any order) and kinds.
pub type Listing = Vec<(OsString, Entry)>;

/// What [`log_files`] found below a folder.
#[derive(Debug, PartialEq, Eq)]
pub struct LogFolder<E> {
    /// The log files, in the order they are to be read.
    pub files: Vec<PathBuf>,
    /// Links to folders met and not followed.
    pub links_not_followed: Vec<PathBuf>,
    /// The folders that could not be listed, with the listing's error.
    pub problems: Vec<(PathBuf, E)>,
}

/// The log files below `folder` (see the module documentation). `list` gives the entries of a
/// folder (names, in any order) or the error that kept it from listing them.
pub fn log_files<E>(
    folder: &Path,
    list: &mut dyn FnMut(&Path) -> Result<Listing, E>,
) -> LogFolder<E> {
    let mut found = LogFolder {
        files: Vec::new(),
        links_not_followed: Vec::new(),
        problems: Vec::new(),
    };
    // Depth first without recursion (a folder tree may be deep): one sorted list of entries per
    // folder being walked, with that folder's path.
    let mut open: Vec<(PathBuf, <Listing as IntoIterator>::IntoIter)> = Vec::new();
    let mut enter = |path: PathBuf, found: &mut LogFolder<E>, open: &mut Vec<_>| match list(&path) {
        Ok(mut entries) => {
            entries.sort_unstable_by(|a: &(OsString, Entry), b| a.0.cmp(&b.0));
            open.push((path, entries.into_iter()));
        }
        Err(e) => found.problems.push((path, e)),
    };
    enter(folder.to_path_buf(), &mut found, &mut open);
    while let Some((dir, entries)) = open.last_mut() {
        let Some((name, entry)) = entries.next() else {
            open.pop();
            continue;
        };
        let path = dir.join(&name);
        match entry {
            Entry::Folder => enter(path, &mut found, &mut open),
            Entry::File if is_log_file_name(&name.to_string_lossy()) => found.files.push(path),
            Entry::LinkToFolder => found.links_not_followed.push(path),
            Entry::File | Entry::Other => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A folder tree in memory: each folder's entries as the face would list them.
    fn tree(folders: &[(&str, &[(&str, Entry)])]) -> BTreeMap<PathBuf, Vec<(OsString, Entry)>> {
        folders
            .iter()
            .map(|(dir, entries)| {
                let entries = entries.iter().map(|(n, e)| (OsString::from(n), *e));
                (PathBuf::from(dir), entries.collect())
            })
            .collect()
    }

    fn walk(tree: &BTreeMap<PathBuf, Vec<(OsString, Entry)>>, root: &str) -> LogFolder<String> {
        log_files(Path::new(root), &mut |dir: &Path| {
            tree.get(dir)
                .cloned()
                .ok_or_else(|| format!("cannot list {}", dir.display()))
        })
    }

    fn paths(list: &[PathBuf]) -> Vec<&str> {
        list.iter().map(|p| p.to_str().unwrap()).collect()
    }

    #[test]
    fn log_files_in_name_order_with_folders_in_place() {
        use Entry::*;
        let t = tree(&[
            (
                "logs",
                &[
                    ("b.json.gz", File),
                    ("a", Folder),
                    ("c.JSON", File),
                    ("notes.txt", File),
                    ("0.json", File),
                ],
            ),
            ("logs/a", &[("x.json", File), ("readme.md", File)]),
        ]);
        let found = walk(&t, "logs");
        assert_eq!(
            paths(&found.files),
            [
                "logs/0.json",
                "logs/a/x.json",
                "logs/b.json.gz",
                "logs/c.JSON"
            ]
        );
        assert!(found.problems.is_empty() && found.links_not_followed.is_empty());
    }

    #[test]
    fn a_link_back_up_the_tree_is_not_followed() {
        use Entry::*;
        // logs/a/up points at logs: following it would read logs/a/x.json once per lap.
        let t = tree(&[
            ("logs", &[("a", Folder)]),
            ("logs/a", &[("up", LinkToFolder), ("x.json", File)]),
        ]);
        let found = walk(&t, "logs");
        assert_eq!(paths(&found.files), ["logs/a/x.json"]);
        assert_eq!(paths(&found.links_not_followed), ["logs/a/up"]);
    }

    #[test]
    fn a_folder_that_cannot_be_listed_does_not_stop_the_walk() {
        use Entry::*;
        let t = tree(&[
            ("logs", &[("a", Folder), ("b", Folder), ("c.json", File)]),
            ("logs/b", &[("y.json", File)]),
        ]);
        let found = walk(&t, "logs");
        assert_eq!(paths(&found.files), ["logs/b/y.json", "logs/c.json"]);
        assert_eq!(
            found.problems,
            [(PathBuf::from("logs/a"), "cannot list logs/a".to_string())]
        );
        let missing = walk(&t, "nowhere");
        assert!(missing.files.is_empty());
        assert_eq!(missing.problems.len(), 1);
    }

    #[test]
    fn other_entries_and_names_that_are_not_logs_are_left() {
        use Entry::*;
        let t = tree(&[("logs", &[("socket.json", Other), ("x.json.bak", File)])]);
        assert!(walk(&t, "logs").files.is_empty());
    }

    #[test]
    fn a_deep_tree_is_walked_without_recursion() {
        let depth = 20_000;
        let mut list = |dir: &Path| -> Result<Vec<(OsString, Entry)>, ()> {
            // "d/d/.../d": its length tells its depth without walking it.
            let level = dir.as_os_str().len().div_ceil(2);
            Ok(if level < depth {
                vec![("d".into(), Entry::Folder), ("e.json".into(), Entry::File)]
            } else {
                Vec::new()
            })
        };
        let found = log_files(Path::new("d"), &mut list);
        assert_eq!(found.files.len(), depth - 1);
    }
}
