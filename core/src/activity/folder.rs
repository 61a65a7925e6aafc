//! Which files of a folder of CloudTrail logs are read, and in what order: one behaviour for the
//! command line (`generate`, `unused`) and the language server (`[[activity]]` entries). The
//! walk is the core's [`crate::folder::walk`] (name order, links to folders not followed: a link
//! back up the tree would count every event once per lap); a log is a file whose name ends in
//! `.json` or `.json.gz` ([`is_log_file_name`]), in any folder below.

use std::path::Path;

use super::record::is_log_file_name;
use crate::folder::{walk, Listing, Walked};

/// The log files below `folder`; `list` gives the entries of a folder (see
/// [`crate::folder::walk`]).
pub fn log_files<E>(folder: &Path, list: &mut dyn FnMut(&Path) -> Result<Listing, E>) -> Walked<E> {
    walk(folder, list, &|_| true, &|name| {
        is_log_file_name(&name.to_string_lossy())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::folder::Entry;
    use std::ffi::OsString;

    #[test]
    fn log_files_in_name_order_with_folders_in_place() {
        use Entry::*;
        let listing = |entries: &[(&str, Entry)]| -> Listing {
            entries
                .iter()
                .map(|(n, e)| (OsString::from(n), *e))
                .collect()
        };
        let mut list = |dir: &Path| match dir.to_str() {
            Some("logs") => Ok(listing(&[
                ("b.json.gz", File),
                (".hidden", Folder),
                ("c.JSON", File),
                ("notes.txt", File),
                ("0.json", File),
            ])),
            Some("logs/.hidden") => Ok(listing(&[("x.json", File), ("readme.md", File)])),
            _ => Err(()),
        };
        let found = log_files(Path::new("logs"), &mut list);
        let paths: Vec<&str> = found.files.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(
            paths,
            [
                "logs/.hidden/x.json",
                "logs/0.json",
                "logs/b.json.gz",
                "logs/c.JSON"
            ]
        );
        assert!(found.problems.is_empty());
    }
}
