//! Which files of a folder tree a face reads, and in what order: one walk for the command
//! line's `check DIR` and for CloudTrail log folders (`generate`, `unused`, the language
//! server's `[[activity]]` entries). The walk is pure; the face lists each folder for it (from
//! its disk), and the caller says which folders to enter and which files to take by name.
//!
//! The rule: entries in name order, depth first (a file and a folder side by side are taken in
//! the order of their names). A link to a file is taken like the file; a link to a folder is not
//! followed, so a link that points back up the tree cannot make the walk read the same files
//! again and again; it is returned for the face to mention. A folder that cannot be listed is a
//! problem of its own, and the walk goes on with the rest.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

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

/// What [`walk`] found below a folder.
#[derive(Debug, PartialEq, Eq)]
pub struct Walked<E> {
    /// The files taken, in the order they are to be read.
    pub files: Vec<PathBuf>,
    /// Links to folders met and not followed.
    pub links_not_followed: Vec<PathBuf>,
    /// The folders that could not be listed, with the listing's error.
    pub problems: Vec<(PathBuf, E)>,
}

/// The files below `folder` (see the module documentation). `list` gives the entries of a
/// folder (names, in any order) or the error that kept it from listing them; `enter` says
/// whether to walk into a folder, `take` whether to take a file, both by the entry's name.
pub fn walk<E>(
    folder: &Path,
    list: &mut dyn FnMut(&Path) -> Result<Listing, E>,
    enter: &dyn Fn(&OsStr) -> bool,
    take: &dyn Fn(&OsStr) -> bool,
) -> Walked<E> {
    let mut found = Walked {
        files: Vec::new(),
        links_not_followed: Vec::new(),
        problems: Vec::new(),
    };
    // Depth first without recursion (a folder tree may be deep): one sorted list of entries per
    // folder being walked, with that folder's path.
    let mut open: Vec<(PathBuf, <Listing as IntoIterator>::IntoIter)> = Vec::new();
    let mut open_folder =
        |path: PathBuf, found: &mut Walked<E>, open: &mut Vec<_>| match list(&path) {
            Ok(mut entries) => {
                entries.sort_unstable_by(|a: &(OsString, Entry), b| a.0.cmp(&b.0));
                open.push((path, entries.into_iter()));
            }
            Err(e) => found.problems.push((path, e)),
        };
    open_folder(folder.to_path_buf(), &mut found, &mut open);
    while let Some((dir, entries)) = open.last_mut() {
        let Some((name, entry)) = entries.next() else {
            open.pop();
            continue;
        };
        match entry {
            Entry::Folder if enter(&name) => open_folder(dir.join(&name), &mut found, &mut open),
            Entry::File if take(&name) => found.files.push(dir.join(&name)),
            Entry::LinkToFolder => found.links_not_followed.push(dir.join(&name)),
            Entry::Folder | Entry::File | Entry::Other => {}
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

    /// The walk taking `.json` files and entering every folder but `skip`.
    fn walk_json(tree: &BTreeMap<PathBuf, Vec<(OsString, Entry)>>, root: &str) -> Walked<String> {
        let mut list = |dir: &Path| {
            tree.get(dir)
                .cloned()
                .ok_or_else(|| format!("cannot list {}", dir.display()))
        };
        let enter = |name: &OsStr| name != "skip";
        let take = |name: &OsStr| name.to_string_lossy().ends_with(".json");
        walk(Path::new(root), &mut list, &enter, &take)
    }

    fn paths(list: &[PathBuf]) -> Vec<&str> {
        list.iter().map(|p| p.to_str().unwrap()).collect()
    }

    #[test]
    fn files_in_name_order_with_folders_in_place() {
        use Entry::*;
        let t = tree(&[
            (
                "top",
                &[
                    ("b.json", File),
                    ("a", Folder),
                    ("skip", Folder),
                    ("notes.txt", File),
                    ("0.json", File),
                ],
            ),
            ("top/a", &[("x.json", File), ("readme.md", File)]),
            ("top/skip", &[("y.json", File)]),
        ]);
        let found = walk_json(&t, "top");
        assert_eq!(
            paths(&found.files),
            ["top/0.json", "top/a/x.json", "top/b.json"]
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
        let found = walk_json(&t, "logs");
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
        let found = walk_json(&t, "logs");
        assert_eq!(paths(&found.files), ["logs/b/y.json", "logs/c.json"]);
        assert_eq!(
            found.problems,
            [(PathBuf::from("logs/a"), "cannot list logs/a".to_string())]
        );
        let missing = walk_json(&t, "nowhere");
        assert!(missing.files.is_empty());
        assert_eq!(missing.problems.len(), 1);
    }

    #[test]
    fn other_entries_and_names_not_taken_are_left() {
        use Entry::*;
        let t = tree(&[("logs", &[("socket.json", Other), ("x.json.bak", File)])]);
        assert!(walk_json(&t, "logs").files.is_empty());
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
        let found = walk(Path::new("d"), &mut list, &|_| true, &|_| true);
        assert_eq!(found.files.len(), depth - 1);
    }
}
