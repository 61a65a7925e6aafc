//! When documents are analysed and what is published: every change bumps the document's
//! revision; one analysis job per document runs at a time and, when it finishes, the next one
//! starts on the latest text if it moved meanwhile. An analysis publishes only if its revision
//! is still current, so the last diagnostics describe the last text and carry its version.
//! Also the options each document is checked with (settings merged over iamlint.toml).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use iamlint_core::config::BrokenConfig;
use iamlint_core::LineIndex;
use ls_types::Uri;
use serde_json::{json, Value};

use crate::jobs::{Analyse, Job, Outcome, Work};
use crate::project::{FileSource, Lookup};
use crate::server::{Sent, Server};
use crate::settings::{self, ClientSettings, DocumentOptions};
use crate::unused::{EntryProblems, Reader};
use crate::SETTINGS_SECTION;

impl Server {
    /// Start the analysis of a document unless one is running (it will pick up this revision)
    /// or its iamlint.toml is still being read.
    pub(crate) fn schedule(&mut self, uri: &Uri) {
        match self.docs.get(uri) {
            Some(entry) if !entry.running => {}
            _ => return,
        }
        let Some(options) = self.options_of(uri) else {
            if let Some(entry) = self.docs.get_mut(uri) {
                entry.waiting = true;
            }
            return;
        };
        let encoding = self.encoding();
        // Activity files are read from the disk by a server that has one, else asked of the
        // client (the analysis goes on without them until they come).
        let reader = match &options.activity {
            None => None,
            Some(_) if self.projects.source == FileSource::Disk => {
                cfg!(not(target_arch = "wasm32")).then_some(Reader::Disk)
            }
            Some(target) => self.client_activity(uri, target).map(Reader::Client),
        };
        let activity = reader.map(|r| (self.activity.clone(), r));
        let Some(entry) = self.docs.get_mut(uri) else {
            return;
        };
        entry.running = true;
        entry.waiting = false;
        let job = Analyse {
            uri: uri.clone(),
            revision: entry.doc.revision,
            latest: entry.latest.clone(),
            text: entry.doc.text.clone(),
            options,
            encoding,
            activity,
        };
        self.run(Job(Work::Analyse(job)));
    }

    /// Analyse every open document again (settings or an iamlint.toml changed).
    pub(crate) fn schedule_all(&mut self) {
        let uris: Vec<Uri> = self.docs.keys().cloned().collect();
        self.reschedule(&uris);
    }

    /// Analyse these documents again (their inputs changed): a running analysis of an older
    /// revision is then followed by one of the new.
    pub(crate) fn reschedule(&mut self, uris: &[Uri]) {
        for uri in uris {
            let revision = self.next_revision();
            if let Some(entry) = self.docs.get_mut(uri) {
                entry.doc.revision = revision;
                entry.latest.store(revision, Ordering::Release);
            }
        }
        for uri in uris {
            self.schedule(uri);
        }
    }

    /// An analysis job finished: publish if it is current, and go on with the latest text.
    pub(crate) fn analysed(&mut self, uri: Uri, revision: u64, outcome: Option<Outcome>) {
        let Some(entry) = self.docs.get_mut(&uri) else {
            return;
        };
        let current = entry.doc.revision == revision;
        if current {
            entry.running = false;
        }
        let version = entry.doc.version;
        // An open iamlint.toml is never a policy: its diagnostics are the configuration's
        // problems (a broken file, unreadable activity logs), which an empty analysis must not
        // clear.
        let config = is_config_file(&uri);
        if let (true, Some(outcome)) = (current, outcome) {
            entry.doc.analysis = outcome.analysis.map(|a| (revision, a));
            if !config {
                self.notify(
                    "textDocument/publishDiagnostics",
                    json!({"uri": uri, "diagnostics": outcome.diagnostics, "version": version}),
                );
            }
            if let Some(problems) = outcome.activity {
                self.activity_read(&uri, problems);
            }
        }
        if !current {
            if let Some(entry) = self.docs.get_mut(&uri) {
                entry.running = false;
            }
            self.schedule(&uri);
        }
    }

    /// The document's options, cached until settings or an iamlint.toml change. None while an
    /// iamlint.toml it needs is being read by the client.
    pub(crate) fn options_of(&mut self, uri: &Uri) -> Option<Arc<DocumentOptions>> {
        let entry = self.docs.get(uri)?;
        if let Some((g, o)) = &entry.options {
            if *g == self.generation {
                return Some(o.clone());
            }
        }
        let path = entry.path.clone();
        let folder = entry.folder.clone();
        let mut problems = Vec::new();
        let project = match (&path, &folder) {
            (Some(p), Some(folder)) => match self.projects.lookup(p, folder, &mut problems) {
                Lookup::Found(found) => found,
                Lookup::Waiting(file) => {
                    if let Some(file) = file {
                        self.ask_for_file(uri, file);
                    }
                    return None;
                }
            },
            _ => None,
        };
        for broken in problems {
            self.config_broken(uri, &broken);
        }
        let options = Arc::new(settings::document_options(
            &self.session.settings,
            project.as_deref(),
            path.as_deref(),
            folder.as_deref(),
        ));
        let generation = self.generation;
        if let Some(entry) = self.docs.get_mut(uri) {
            entry.options = Some((generation, options.clone()));
        }
        Some(options)
    }

    /// Options for a request while the iamlint.toml is still being read: the client's settings
    /// alone (not cached).
    pub(crate) fn options_now(&mut self, uri: &Uri) -> Option<Arc<DocumentOptions>> {
        if let Some(options) = self.options_of(uri) {
            return Some(options);
        }
        let entry = self.docs.get(uri)?;
        Some(Arc::new(settings::document_options(
            &self.session.settings,
            None,
            entry.path.as_deref(),
            entry.folder.as_deref(),
        )))
    }

    /// A broken iamlint.toml: its problems as diagnostics on the file (at their line and
    /// column, the same words `iamlint check` prints) and in the log; the documents under it
    /// are checked with the defaults until it is fixed.
    fn config_broken(&mut self, document: &Uri, broken: &BrokenConfig) {
        for line in broken.lines() {
            self.log_warning(format!("{line} (the defaults apply until it is fixed)"));
        }
        let Some(uri) = config_uri(document, &broken.file) else {
            return;
        };
        let encoding = self.encoding();
        let index = LineIndex::new(&broken.text);
        let position = |offset: usize| {
            let at = index.line_col(&broken.text, offset, encoding);
            json!({"line": at.line, "character": at.col})
        };
        let diagnostics: Vec<Value> = broken
            .errors
            .iter()
            .map(|e| {
                json!({
                    "range": {"start": position(e.span.start), "end": position(e.span.end)},
                    "severity": 1,
                    "source": "iamlint",
                    "message": format!("invalid configuration: {} (the defaults apply until it is fixed)", e.message),
                })
            })
            .collect();
        self.notify(
            "textDocument/publishDiagnostics",
            json!({"uri": uri, "diagnostics": diagnostics}),
        );
        if !self.projects.shown_broken.contains(&uri) {
            self.projects.shown_broken.push(uri);
        }
    }

    fn ask_for_file(&mut self, uri: &Uri, file: PathBuf) {
        let params = json!({"base": uri, "path": file.to_string_lossy()});
        self.ask("iamlint/readFile", params, Sent::ReadFile(file));
    }

    pub(crate) fn file_received(&mut self, file: PathBuf, text: Option<String>) {
        self.projects.received(file, text);
        let waiting: Vec<Uri> = self
            .docs
            .iter()
            .filter(|(_, e)| e.waiting)
            .map(|(u, _)| u.clone())
            .collect();
        for uri in &waiting {
            self.schedule(uri);
        }
    }

    /// The document's path and workspace folder. In client mode paths are URI paths (read back
    /// through the client), else file paths.
    pub(crate) fn locate(&self, uri: &Uri) -> (Option<PathBuf>, Option<PathBuf>) {
        let path = match self.projects.source {
            FileSource::Disk => uri.to_file_path().map(|p| p.into_owned()),
            FileSource::Client => Some(PathBuf::from(
                uri.path().decode().to_string_lossy().as_ref(),
            )),
        };
        let origin = origin(uri);
        let folder = path.as_ref().and_then(|p| {
            self.session
                .folders
                .iter()
                .filter(|(o, f)| *o == origin && p.starts_with(f))
                .max_by_key(|(_, f)| f.as_os_str().len())
                .map(|(_, f)| f.clone())
        });
        (path, folder)
    }

    pub(crate) fn folder_of(&self, uri: &Uri) -> Option<(String, PathBuf)> {
        let path = match self.projects.source {
            FileSource::Disk => uri.to_file_path().map(|p| p.into_owned())?,
            FileSource::Client => PathBuf::from(uri.path().decode().to_string_lossy().as_ref()),
        };
        Some((origin(uri), path))
    }

    pub(crate) fn pull_settings(&mut self) -> bool {
        if !self.session.pull_configuration {
            return false;
        }
        let params = json!({"items": [{"section": SETTINGS_SECTION}]});
        self.ask("workspace/configuration", params, Sent::Configuration);
        true
    }

    pub(crate) fn configuration_received(&mut self, result: Option<Value>) {
        // A client with nothing configured answers null: keep what initializationOptions gave.
        let value = result
            .and_then(|r| r.as_array().and_then(|a| a.first().cloned()))
            .filter(|v| !v.is_null());
        if let Some(value) = value {
            self.apply_settings(&value);
        }
        self.schedule_all();
    }

    pub(crate) fn apply_settings(&mut self, value: &Value) {
        let (settings, problems) = ClientSettings::from_json(value);
        self.session.settings = settings;
        self.settings_changed();
        for p in problems {
            self.log_warning(p);
        }
    }

    /// The problems of an `[[activity]]` entry's files as last read: shown on its iamlint.toml
    /// at the value naming the files, with those of the file's other entries (an entry read
    /// without problems clears its own).
    fn activity_read(&mut self, document: &Uri, problems: EntryProblems) {
        let file = problems.config_file.clone();
        let entries = self.activity_problems.entry(file.clone()).or_default();
        let unchanged = entries
            .get(&problems.index)
            .is_some_and(|p| p.messages == problems.messages && p.range == problems.range);
        if unchanged || (problems.messages.is_empty() && !entries.contains_key(&problems.index)) {
            return;
        }
        if problems.messages.is_empty() {
            entries.remove(&problems.index);
        } else {
            entries.insert(problems.index, problems);
        }
        let diagnostics: Vec<Value> = entries
            .values()
            .flat_map(|p| {
                p.messages.iter().map(|m| {
                    json!({
                        "range": p.range,
                        "severity": 2,
                        "source": "iamlint",
                        "code": "ACTIVITY_UNREADABLE",
                        "message": format!("activity: {m} (unused grants are computed from what could be read)"),
                    })
                })
            })
            .collect();
        if let Some(uri) = config_uri(document, &file) {
            self.notify(
                "textDocument/publishDiagnostics",
                json!({"uri": uri, "diagnostics": diagnostics}),
            );
            if !self.projects.shown_broken.contains(&uri) {
                self.projects.shown_broken.push(uri);
            }
        }
    }

    /// An iamlint.toml changed: read them again and re-check everything.
    pub(crate) fn config_changed(&mut self) {
        self.activity_problems.clear();
        // Problems of the files as they were; those still broken are shown again when read.
        for uri in std::mem::take(&mut self.projects.shown_broken) {
            self.notify(
                "textDocument/publishDiagnostics",
                json!({"uri": uri, "diagnostics": []}),
            );
        }
        self.projects.clear();
        self.settings_changed();
        self.schedule_all();
    }
}

/// The settings object inside a didChangeConfiguration or initializationOptions value: under
/// `iamlint`, or the value itself when it holds our keys.
pub(crate) fn settings_from(value: &Value) -> Option<&Value> {
    match value.get(SETTINGS_SECTION) {
        Some(v) if v.is_object() => Some(v),
        _ if value.get("policyType").is_some()
            || value.get("disabledRules").is_some()
            || value.get("categoryOverrides").is_some()
            || value.get("policyGlobs").is_some() =>
        {
            Some(value)
        }
        _ => None,
    }
}

/// The URI of `file` on the same origin as `document` (a file path, or in client mode a path
/// of the client's file system).
fn config_uri(document: &Uri, file: &Path) -> Option<Uri> {
    let mut text = origin(document);
    for b in file.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            text.push(b as char);
        } else {
            text.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&text).ok()
}

fn origin(uri: &Uri) -> String {
    let scheme = uri.scheme().as_str();
    match uri.authority() {
        Some(a) => format!("{scheme}://{}", a.as_str()),
        None => format!("{scheme}:"),
    }
}

pub(crate) fn is_config_file(uri: &Uri) -> bool {
    uri.as_str()
        .rsplit('/')
        .next()
        .is_some_and(|name| name == iamlint_core::config::FILE_NAME)
}
