//! Unused grants as you edit: when an `[[activity]]` entry of iamlint.toml names a policy file,
//! its analysis adds the core's unused-grant findings (`UNUSED_GRANT`, shown as hints with a
//! review quick-fix), computed from the entry's CloudTrail logs or usage file.
//!
//! The files are read by the analysis job (off the message loop, so other documents go on being
//! checked), once per entry: the usage is kept with the size and modification time of every file
//! read, and read again only when the entry changed (a new iamlint.toml) or those stamps did.
//! The stamps are looked at most once per [`RECHECK`], so keystrokes cost a map lookup.
//!
//! Where the bytes come from is a [`Reader`]: the disk (the native server on its own machine), or
//! the files the client last sent (`iamlint/readActivityFiles`, see `crate::activity_files`: the
//! WebAssembly build has no disk). Everything after that (the change detection, the core's
//! readers, the problems) is this one code.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use iamlint_core::activity::folder::log_files;
use iamlint_core::activity::record::{read_log_from, ReadError};
use iamlint_core::activity::usage::{parse_usage, Counter, Filter, Usage};
use iamlint_core::{Diagnostic, LineIndex, PositionEncoding};
use ls_types::Range;

use crate::settings::ActivityTarget;

/// How long the stamps of an entry's files are trusted before they are looked at again.
pub const RECHECK: std::time::Duration = std::time::Duration::from_millis(500);

/// What reading an entry's files found: the usage, and the problems met (`path: message` or
/// `path:line:column: message`, the path as the entry names it).
pub(crate) struct Read {
    pub usage: Usage,
    pub problems: Vec<String>,
}

/// The usage of each `[[activity]]` entry, shared by the analysis jobs. Each entry has its own
/// lock: documents of one entry wait for one reading, those of others do not wait at all.
#[derive(Clone, Default)]
pub(crate) struct ActivityCache(Arc<Mutex<HashMap<(PathBuf, usize), Slot>>>);

type Slot = Arc<Mutex<Option<Cached>>>;

struct Cached {
    target: ActivityTarget,
    stamps: Vec<Stamp>,
    /// When the disk's stamps were last looked at (None for client files, whose stamps are in
    /// memory: the server asks the client again on its own clock).
    checked: Option<std::time::Instant>,
    read: Arc<Read>,
}

/// A file read, with what says whether it changed since.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub path: PathBuf,
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
}

/// Where an entry's files are read from.
#[derive(Clone)]
pub(crate) enum Reader {
    Disk,
    /// What the client sent last for the entry.
    Client(Arc<ClientFiles>),
}

/// An entry's files as the client read them (its folders expanded the way [`list`] does).
#[derive(Debug, Default)]
pub(crate) struct ClientFiles {
    /// In the order the client listed them, with their bytes.
    pub files: Vec<(Stamp, Arc<[u8]>)>,
    /// Named paths the client could not read (`name: message`).
    pub problems: Vec<String>,
    /// The iamlint.toml's text, for the place of the problems.
    pub config_text: Option<String>,
}

impl ClientFiles {
    pub fn stamps(&self) -> Vec<Stamp> {
        self.files.iter().map(|(s, _)| s.clone()).collect()
    }
}

/// The unused-grant findings of a document and the problems of its entry's files.
pub(crate) struct Hints {
    pub diagnostics: Vec<Diagnostic>,
    pub problems: EntryProblems,
}

/// Problems reading an entry's files, placed in its iamlint.toml.
#[derive(Clone, Debug)]
pub(crate) struct EntryProblems {
    pub config_file: PathBuf,
    pub index: usize,
    /// Where the entry names its files, in the client's position encoding.
    pub range: Range,
    pub messages: Vec<String>,
}

impl ActivityCache {
    /// The findings `find` gives for a document against `target`'s activity (its usage and
    /// filter), and the problems of the entry's files.
    pub fn hints(
        &self,
        target: &ActivityTarget,
        reader: &Reader,
        encoding: PositionEncoding,
        find: impl FnOnce(&Usage, &Filter) -> Vec<Diagnostic>,
    ) -> Hints {
        let read = self.read(target, reader);
        let diagnostics = find(&read.usage, &target.source.filter());
        let config_text = match reader {
            Reader::Disk => std::fs::read_to_string(&target.config_file).ok(),
            Reader::Client(files) => files.config_text.clone(),
        };
        let range = config_text
            .map(|toml| {
                let index = LineIndex::new(&toml);
                let at = |offset: usize| {
                    let lc = index.line_col(&toml, offset, encoding);
                    ls_types::Position::new(lc.line, lc.col)
                };
                let span = target.source.logs_span;
                Range::new(at(span.start), at(span.end))
            })
            .unwrap_or_default();
        Hints {
            diagnostics,
            problems: EntryProblems {
                config_file: target.config_file.clone(),
                index: target.index,
                range,
                messages: read.problems.clone(),
            },
        }
    }

    /// True when the usage of `target` is kept and, as far as can be told without reading (the
    /// disk's stamps are not looked at), still current: an analysis against it reads no file.
    /// False while another job is reading it.
    pub fn is_kept(&self, target: &ActivityTarget, reader: &Reader) -> bool {
        let slot = {
            let slots = self.0.lock().unwrap_or_else(|e| e.into_inner());
            match slots.get(&(target.config_file.clone(), target.index)) {
                Some(slot) => slot.clone(),
                None => return false,
            }
        };
        let Ok(cached) = slot.try_lock() else {
            return false;
        };
        cached.as_ref().is_some_and(|c| {
            c.target == *target
                && match reader {
                    Reader::Disk => true,
                    Reader::Client(files) => files.stamps() == c.stamps,
                }
        })
    }

    /// The entry's usage: kept, or read again when the entry or its files changed.
    fn read(&self, target: &ActivityTarget, reader: &Reader) -> Arc<Read> {
        let slot = {
            let mut slots = self.0.lock().unwrap_or_else(|e| e.into_inner());
            slots
                .entry((target.config_file.clone(), target.index))
                .or_default()
                .clone()
        };
        let mut cached = slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cached.as_mut().filter(|c| c.target == *target) {
            let unchanged = match reader {
                Reader::Disk => {
                    if c.checked.is_some_and(|t| t.elapsed() < RECHECK) {
                        return c.read.clone();
                    }
                    c.checked = Some(std::time::Instant::now());
                    stamps(target, reader).0 == c.stamps
                }
                Reader::Client(files) => files.stamps() == c.stamps,
            };
            if unchanged {
                return c.read.clone();
            }
        }
        let (stamps, read) = read_entry(target, reader);
        let read = Arc::new(read);
        *cached = Some(Cached {
            target: target.clone(),
            stamps,
            // The WebAssembly build has no clock in std: its reader never looks at the disk.
            checked: matches!(reader, Reader::Disk).then(std::time::Instant::now),
            read: read.clone(),
        });
        read
    }
}

/// The files an entry names (log folders searched for `.json` and `.json.gz` files, in name
/// order) with their stamps, and the paths that could not be listed.
fn stamps(target: &ActivityTarget, reader: &Reader) -> (Vec<Stamp>, Vec<String>) {
    if let Reader::Client(files) = reader {
        return (files.stamps(), files.problems.clone());
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for name in target.source.named_files() {
        list(&target.dir.join(name), name, &mut out, &mut problems);
    }
    (out, problems)
}

/// The files `path` names: the file itself, or the log files of a folder (the core's rule,
/// `activity::folder`), each with its stamp; what could not be listed goes to `problems`.
fn list(path: &Path, name: &str, out: &mut Vec<Stamp>, problems: &mut Vec<String>) {
    let files = match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            let found = log_files(path, &mut crate::disk::list_folder);
            for link in &found.links_not_followed {
                let shown = link.strip_prefix(path).unwrap_or(link).display();
                problems.push(format!(
                    "{name}: {shown}: a link to a folder is not followed (name it to read it)"
                ));
            }
            for (folder, e) in &found.problems {
                let shown = folder.strip_prefix(path).unwrap_or(folder).display();
                problems.push(format!("{name}: {shown}: {e}"));
            }
            found.files
        }
        Ok(_) => vec![path.to_path_buf()],
        Err(e) => {
            problems.push(format!("{name}: {e}"));
            return;
        }
    };
    for path in files {
        // A file gone since the listing is read (and reported) like any file that cannot be.
        let meta = std::fs::metadata(&path).ok();
        out.push(Stamp {
            len: meta.as_ref().map_or(0, |m| m.len()),
            modified: meta.and_then(|m| m.modified().ok()),
            path,
        });
    }
}

/// Read every file of the entry with the core's readers.
fn read_entry(target: &ActivityTarget, reader: &Reader) -> (Vec<Stamp>, Read) {
    let (stamps, mut problems) = stamps(target, reader);
    let filter = target.source.filter();
    let mut usage = Usage::new();
    let mut chunk = vec![0u8; 256 << 10];
    let shown = |path: &Path| {
        path.strip_prefix(&target.dir)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    for (i, stamp) in stamps.iter().enumerate() {
        let name = shown(&stamp.path);
        // The file's bytes: from the disk, or the client's in memory.
        let open = || -> std::io::Result<Box<dyn std::io::Read + '_>> {
            match reader {
                Reader::Disk => Ok(Box::new(std::fs::File::open(&stamp.path)?)),
                Reader::Client(files) => Ok(Box::new(&files.files[i].1[..])),
            }
        };
        if target.source.usage.is_some() {
            let mut text = String::new();
            match open().and_then(|mut f| f.read_to_string(&mut text)) {
                Ok(_) => {
                    let (rows, errors) = parse_usage(&text);
                    problems.extend(errors.iter().map(|e| format!("{name}:{e}")));
                    for row in &rows {
                        usage.add_row(&filter, row);
                    }
                }
                Err(e) => problems.push(format!("{name}: {e}")),
            }
            continue;
        }
        // In chunks, as the command line reads them: a log file of any size is read in bounded
        // memory, and other principals' records are decided from a glance at their bytes.
        let mut sink = Counter {
            usage: &mut usage,
            filter: &filter,
            on_error: |e: ReadError| problems.push(format!("{name}:{e}")),
        };
        let read = open().and_then(|mut file| read_log_from(&mut file, &mut chunk, &mut sink));
        if let Err(e) = read {
            problems.push(format!("{name}: {e}"));
        }
    }
    (stamps, Read { usage, problems })
}
