//! Unused grants as you edit: when an `[[activity]]` entry of iamlint.toml names a policy file,
//! its analysis adds the core's unused-grant findings (`UNUSED_GRANT`, shown as hints with a
//! review quick-fix), computed from the entry's CloudTrail logs or usage file.
//!
//! The files are read by the analysis job (off the message loop, so other documents go on being
//! checked), once per entry: the usage is kept with the size and modification time of every file
//! read, and read again only when the entry changed (a new iamlint.toml) or those stamps did.
//! The stamps are looked at most once per [`RECHECK`], so keystrokes cost a map lookup. Only the
//! native server reads them: the WebAssembly build has no disk, and files the client reads for
//! it come as text, where logs are often gzipped.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use iamlint_core::activity::record::{Event, LogReader, ReadError};
use iamlint_core::activity::usage::{parse_usage, Filter, Usage};
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
    checked: std::time::Instant,
    read: Arc<Read>,
}

/// A file read, with what says whether it changed since.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stamp {
    path: PathBuf,
    len: u64,
    modified: Option<std::time::SystemTime>,
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
        encoding: PositionEncoding,
        find: impl FnOnce(&Usage, &Filter) -> Vec<Diagnostic>,
    ) -> Hints {
        let read = self.read(target);
        let diagnostics = find(&read.usage, &target.source.filter());
        let range = std::fs::read_to_string(&target.config_file)
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

    /// The entry's usage: kept, or read again when the entry or its files changed.
    fn read(&self, target: &ActivityTarget) -> Arc<Read> {
        let slot = {
            let mut slots = self.0.lock().unwrap_or_else(|e| e.into_inner());
            slots
                .entry((target.config_file.clone(), target.index))
                .or_default()
                .clone()
        };
        let mut cached = slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cached.as_mut().filter(|c| c.target == *target) {
            if c.checked.elapsed() < RECHECK {
                return c.read.clone();
            }
            c.checked = std::time::Instant::now();
            if stamps(target).0 == c.stamps {
                return c.read.clone();
            }
        }
        let (stamps, read) = read_entry(target);
        let read = Arc::new(read);
        *cached = Some(Cached {
            target: target.clone(),
            stamps,
            checked: std::time::Instant::now(),
            read: read.clone(),
        });
        read
    }
}

/// The files an entry names (log folders searched for `.json` and `.json.gz` files, in name
/// order) with their stamps, and the paths that could not be listed.
fn stamps(target: &ActivityTarget) -> (Vec<Stamp>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let named: Vec<&String> = match &target.source.usage {
        Some(usage) => vec![usage],
        None => target.source.cloudtrail.iter().collect(),
    };
    for name in named {
        if let Err(e) = list(&target.dir.join(name), &mut out) {
            problems.push(format!("{name}: {e}"));
        }
    }
    (out, problems)
}

fn list(path: &Path, out: &mut Vec<Stamp>) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for entry in entries {
            let name = entry.to_string_lossy();
            if entry.is_dir() || name.ends_with(".json") || name.ends_with(".json.gz") {
                list(&entry, out)?;
            }
        }
    } else {
        out.push(Stamp {
            path: path.to_path_buf(),
            len: meta.len(),
            modified: meta.modified().ok(),
        });
    }
    Ok(())
}

/// Read every file of the entry with the core's readers.
fn read_entry(target: &ActivityTarget) -> (Vec<Stamp>, Read) {
    let (stamps, mut problems) = stamps(target);
    let filter = target.source.filter();
    let mut usage = Usage::new();
    let mut chunk = vec![0u8; 256 << 10];
    let shown = |path: &Path| {
        path.strip_prefix(&target.dir)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    for stamp in &stamps {
        let name = shown(&stamp.path);
        if target.source.usage.is_some() {
            match std::fs::read_to_string(&stamp.path) {
                Ok(text) => {
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
        // In chunks: a log file of any size is read in bounded memory.
        let mut sink = |event: Result<Event<'_>, ReadError>| match event {
            Ok(event) => usage.add_event(&filter, &event),
            Err(e) => problems.push(format!("{name}:{e}")),
        };
        let mut reader = LogReader::new();
        let read = std::fs::File::open(&stamp.path).and_then(|mut file| loop {
            match file.read(&mut chunk) {
                Ok(0) => return Ok(()),
                Ok(n) => reader.feed(&chunk[..n], &mut sink),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        });
        match read {
            Ok(()) => reader.finish(&mut sink),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    (stamps, Read { usage, problems })
}
