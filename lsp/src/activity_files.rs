//! The files of `[[activity]]` entries for a server without a disk of its own (the WebAssembly
//! build, or any server whose client reads files for it): asked of the client with
//! `iamlint/readActivityFiles`, kept per entry, and handed to the analysis jobs, which read
//! them with the same code as the disk's (`crate::unused`).
//!
//! Params: `{base, paths, known}`: `base` a document's URI (the file system to read), `paths`
//! the entry's files and folders (URI paths; folders are searched recursively for `.json` and
//! `.json.gz` files, in name order), `known` the files the server holds (`{path, size, mtime}`).
//! Answer: `{files: [{path, size, mtime, base64?}], errors: [{path, message}]}`, where `base64`
//! may be left out for a file listed in `known` with the same size and mtime (milliseconds).
//!
//! The first analysis of a document does not wait for the answer: it is published without
//! hints, and the documents of the entry are analysed again when the files come. After that
//! the client is asked again at most once per [`RECHECK`] (on the server's clock, which the
//! WebAssembly host gives), when a document of the entry is analysed, and the documents are
//! analysed again only if a file changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use iamlint_core::encoding::base64;
use ls_types::Uri;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::server::{Sent, Server};
use crate::settings::ActivityTarget;
use crate::unused::{ClientFiles, Stamp, RECHECK};

pub(crate) type EntryKey = (PathBuf, usize);

/// What the server holds of an entry's files.
pub(crate) struct Held {
    target: ActivityTarget,
    files: Option<Arc<ClientFiles>>,
    /// A request is out (only one at a time per entry).
    asking: bool,
    /// When it was last asked, on the server's clock (milliseconds).
    asked_at: u64,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    files: Vec<AnsweredFile>,
    #[serde(default)]
    errors: Vec<AnsweredError>,
}

#[derive(Deserialize)]
struct AnsweredFile {
    path: String,
    size: u64,
    #[serde(default)]
    mtime: Option<f64>,
    #[serde(default)]
    base64: Option<String>,
}

#[derive(Deserialize)]
struct AnsweredError {
    path: String,
    message: String,
}

/// The paths an entry names, as the client reads them.
fn named_paths(target: &ActivityTarget) -> Vec<(String, String)> {
    target
        .source
        .named_files()
        .into_iter()
        .map(|name| {
            (
                name.clone(),
                target.dir.join(name).to_string_lossy().into_owned(),
            )
        })
        .collect()
}

fn stamp(path: &str, size: u64, mtime: Option<f64>) -> Stamp {
    Stamp {
        path: PathBuf::from(path),
        len: size,
        modified: mtime
            .filter(|m| m.is_finite() && *m >= 0.0)
            .map(|m| SystemTime::UNIX_EPOCH + Duration::from_millis(m as u64)),
    }
}

fn millis(time: Option<SystemTime>) -> Option<u64> {
    time.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as u64)
}

impl Server {
    /// The client's files for `target` (None until they first come), asking the client for
    /// them (again) when it is time.
    pub(crate) fn client_activity(
        &mut self,
        document: &Uri,
        target: &ActivityTarget,
    ) -> Option<Arc<ClientFiles>> {
        let key: EntryKey = (target.config_file.clone(), target.index);
        let now = (self.clock)();
        let held = self.activity_files.entry(key.clone()).or_insert(Held {
            target: target.clone(),
            files: None,
            asking: false,
            asked_at: 0,
        });
        if held.target != *target {
            // A changed entry: what was read for the old one does not count.
            *held = Held {
                target: target.clone(),
                files: None,
                asking: false,
                asked_at: 0,
            };
        }
        let due =
            held.files.is_none() || now.saturating_sub(held.asked_at) >= RECHECK.as_millis() as u64;
        let files = held.files.clone();
        if !held.asking && due {
            held.asking = true;
            held.asked_at = now;
            let known: Vec<Value> = files
                .iter()
                .flat_map(|f| f.files.iter())
                .map(|(s, _)| {
                    json!({"path": s.path.to_string_lossy(), "size": s.len, "mtime": millis(s.modified)})
                })
                .collect();
            let paths: Vec<String> = named_paths(target).into_iter().map(|(_, p)| p).collect();
            let params = json!({"base": document, "paths": paths, "known": known});
            self.ask(
                "iamlint/readActivityFiles",
                params,
                Sent::ReadActivityFiles(key, Box::new(target.clone())),
            );
        }
        files
    }

    /// The client's answer for an entry's files: kept, and the entry's documents analysed
    /// again when something changed.
    pub(crate) fn activity_files_received(
        &mut self,
        key: EntryKey,
        target: ActivityTarget,
        result: Option<Value>,
    ) {
        let config_text = self.projects.text(&target.config_file);
        let Some(held) = self
            .activity_files
            .get_mut(&key)
            .filter(|h| h.target == target)
        else {
            return;
        };
        held.asking = false;
        let named = named_paths(&target);
        let shown = |path: &str| {
            named
                .iter()
                .find(|(_, p)| p == path)
                .map(|(n, _)| n.clone())
                .unwrap_or_else(|| {
                    Path::new(path)
                        .strip_prefix(&target.dir)
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|_| path.to_string())
                })
        };
        let mut next = ClientFiles {
            config_text,
            ..ClientFiles::default()
        };
        match result.map(serde_json::from_value::<Answer>) {
            Some(Ok(answer)) => {
                for e in answer.errors {
                    next.problems
                        .push(format!("{}: {}", shown(&e.path), e.message));
                }
                for f in answer.files {
                    let stamp = stamp(&f.path, f.size, f.mtime);
                    let bytes = match &f.base64 {
                        Some(text) => base64(text).map(Arc::from),
                        // Unchanged since the last answer: the bytes held.
                        None => held.files.as_ref().and_then(|old| {
                            old.files
                                .iter()
                                .find(|(s, _)| *s == stamp)
                                .map(|(_, b)| b.clone())
                        }),
                    };
                    match bytes {
                        Some(bytes) => next.files.push((stamp, bytes)),
                        None => next.problems.push(format!(
                            "{}: the editor sent no readable contents",
                            shown(&f.path)
                        )),
                    }
                }
            }
            Some(Err(e)) => next
                .problems
                .push(format!("the editor's answer is not understood: {e}")),
            None => next
                .problems
                .push("the editor did not read the files (its answer was an error)".to_string()),
        }
        let changed = held
            .files
            .as_ref()
            .is_none_or(|old| old.stamps() != next.stamps() || old.problems != next.problems);
        if !changed {
            return;
        }
        held.files = Some(Arc::new(next));
        let uris: Vec<Uri> = self
            .docs
            .iter()
            .filter(|(_, e)| {
                e.options.as_ref().is_some_and(|(_, o)| {
                    o.activity
                        .as_ref()
                        .is_some_and(|a| a.config_file == key.0 && a.index == key.1)
                })
            })
            .map(|(u, _)| u.clone())
            .collect();
        self.reschedule(&uris);
    }
}
