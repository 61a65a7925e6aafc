//! Listing a folder of the disk for the core's pure folder walk (`iamlint_core::folder`): the
//! server's `[[activity]]` log folders, and the command line's `check DIR`, `generate` and
//! `unused`.

use std::path::Path;

use iamlint_core::folder::{Entry, Listing};

/// The entries of `dir` with their kinds. A link is looked through once to tell a link to a
/// file (read like the file) from a link to a folder (which the walks do not follow); an entry
/// that vanished or cannot be looked at is left out.
pub fn list_folder(dir: &Path) -> std::io::Result<Listing> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let Ok(entry) = entry else { continue };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let kind = if kind.is_dir() {
            Entry::Folder
        } else if kind.is_file() {
            Entry::File
        } else if kind.is_symlink() {
            match std::fs::metadata(entry.path()) {
                Ok(m) if m.is_dir() => Entry::LinkToFolder,
                Ok(m) if m.is_file() => Entry::File,
                _ => Entry::Other,
            }
        } else {
            Entry::Other
        };
        entries.push((entry.file_name(), kind));
    }
    Ok(entries)
}
