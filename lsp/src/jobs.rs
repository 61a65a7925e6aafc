//! Work the server hands to its driver: analysing a document and answering a request that needs a
//! parse first. A job is a pure computation over immutable snapshots (a version of the text, the
//! options it is checked with), so the driver decides where it runs: on a thread of the native
//! server, so the server keeps reading messages (and cancellations) meanwhile, or in place in the
//! single-threaded WebAssembly host. Its result goes back through `Server::finish`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use iamlint_core::activity::unused::{unused, unused_diagnostics, unused_in_host};
use iamlint_core::{analyze_parsed_with, FixScope, PositionEncoding};
use ls_types::{Diagnostic, Uri};
use serde_json::Value;

use crate::convert;
use crate::fixes::Analysed;
use crate::settings::DocumentOptions;
use crate::store::Text;
use crate::unused::{ActivityCache, EntryProblems, Reader};

/// Documents larger than this are not analysed as the user types (IAM policies are at most a few
/// tens of KB; the largest AWS managed policy is about 230 KB pretty-printed). Hover and
/// completion still work on them.
pub const MAX_ANALYSED_BYTES: usize = 1 << 20;

pub struct Job(pub(crate) Work);

pub(crate) enum Work {
    Analyse(Analyse),
    Answer {
        id: Value,
        compute: Box<dyn FnOnce() -> Value + Send>,
    },
}

pub(crate) struct Analyse {
    pub uri: Uri,
    pub revision: u64,
    /// The document's current revision, bumped by every change: a job whose revision is no
    /// longer current skips its work.
    pub latest: Arc<AtomicU64>,
    pub text: Arc<Text>,
    pub options: Arc<DocumentOptions>,
    pub encoding: PositionEncoding,
    /// The usage of `[[activity]]` entries and where the document's entry is read from (None
    /// when it has none, or while the client reads its files for the first time).
    pub activity: Option<(ActivityCache, Reader)>,
}

/// A job's result.
pub struct Done(pub(crate) Finished);

pub(crate) enum Finished {
    Analysed {
        uri: Uri,
        revision: u64,
        /// None when a newer revision made the work pointless.
        outcome: Option<Outcome>,
    },
    Answered {
        id: Value,
        result: Value,
    },
}

pub(crate) struct Outcome {
    pub analysis: Option<Arc<Analysed>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Problems reading the files of the document's `[[activity]]` entry (none is a result
    /// too: it clears those shown before).
    pub activity: Option<EntryProblems>,
}

impl Job {
    pub fn run(self) -> Done {
        Done(match self.0 {
            Work::Answer { id, compute } => Finished::Answered {
                id,
                result: compute(),
            },
            Work::Analyse(job) => Finished::Analysed {
                uri: job.uri.clone(),
                revision: job.revision,
                outcome: analyse(&job),
            },
        })
    }

    /// True for the analysis of a document (the drivers run requests first).
    pub fn is_analysis(&self) -> bool {
        matches!(self.0, Work::Analyse(_))
    }

    /// True for an analysis that first reads the files of its `[[activity]]` entry (none read
    /// yet, or they changed): logs of any size, so it may take seconds where other analyses
    /// take milliseconds.
    pub fn reads_activity(&self) -> bool {
        let Work::Analyse(job) = &self.0 else {
            return false;
        };
        match (&job.activity, &job.options.activity) {
            (Some((cache, reader)), Some(target)) => !cache.is_kept(target, reader),
            _ => false,
        }
    }
}

fn analyse(job: &Analyse) -> Option<Outcome> {
    let current = || job.latest.load(Ordering::Acquire) == job.revision;
    // A newer change already has its own job: skip the work.
    if !current() {
        return None;
    }
    let text = &job.text;
    let host = text.host(&job.uri);
    if host.is_none() && !job.options.matched_glob && !text.is_policy() {
        return Some(Outcome {
            analysis: None,
            diagnostics: Vec::new(),
            activity: None,
        });
    }
    if text.text.len() > MAX_ANALYSED_BYTES {
        return Some(Outcome {
            analysis: None,
            diagnostics: vec![convert::too_large(text.text.len(), MAX_ANALYSED_BYTES)],
            activity: None,
        });
    }
    // The tree stays with this version of the text for hovers and completions. A policy's
    // findings come with their safe fixes (fix-all needs no more); the others are built when
    // a code action asks (`crate::fixes`).
    let (mut analysis, lazy) = match host {
        Some(document) => (
            iamlint_core::ide::host_analysis(&text.text, document, &job.options.options),
            false,
        ),
        None => (
            analyze_parsed_with(
                &text.text,
                text.syntax(),
                &job.options.options,
                FixScope::Safe,
            ),
            true,
        ),
    };
    // The grants the activity iamlint.toml names for this file never used.
    let mut activity = None;
    if let (Some((cache, reader)), Some(target)) = (&job.activity, &job.options.activity) {
        let hints = cache.hints(target, reader, job.encoding, |usage, filter| match host {
            Some(document) => unused_in_host(&text.text, document, usage, filter),
            // A policy `unused` cannot read has syntax errors, which the rules report.
            None => unused(&text.text, usage)
                .map(|report| unused_diagnostics(&report, filter, usage))
                .unwrap_or_default(),
        });
        analysis.diagnostics.extend(hints.diagnostics);
        analysis
            .diagnostics
            .sort_by_key(|d| (d.span.start, d.span.end, d.code));
        activity = Some(hints.problems);
    }
    if !current() {
        return None;
    }
    let diagnostics = convert::diagnostics(&analysis.diagnostics, text, &job.uri, job.encoding);
    let analysed = if lazy {
        Analysed::safe_only(analysis)
    } else {
        Analysed::eager(analysis)
    };
    Some(Outcome {
        analysis: Some(Arc::new(analysed)),
        diagnostics,
        activity,
    })
}
