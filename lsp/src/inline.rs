//! The single-threaded driver (the WebAssembly build behind a worker's message port): jobs run
//! in place. Requests are answered at once; analyses wait for `idle`, which the host calls when
//! no message is pending, so a burst of edits costs one analysis, of the last text.

use std::collections::VecDeque;

use serde_json::Value;

use crate::jobs::Job;
use crate::server::{Output, Server};

/// A small policy with a few findings (wildcards, an ARN, a condition) for [`Inline::warm`].
const WARM_UP: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:Get*", "s3:PutObject"], "Resource": "arn:aws:s3:::reports/*"},
  {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*",
   "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}
]}"#;

#[derive(Default)]
pub struct Inline {
    server: Server,
    analyses: VecDeque<Job>,
}

impl Inline {
    pub fn new() -> Inline {
        Inline::default()
    }

    /// Handle one message from the client; returns the messages for the client.
    pub fn handle(&mut self, message: Value) -> Vec<Value> {
        // A code action needs the analysis of the current text. When that analysis is still
        // waiting for `idle` (the request came right after an edit), run it first: the request
        // then reads its result instead of analysing the same text a second time, and the
        // diagnostics go out before the answer rather than after a double analysis.
        let mut sent =
            if message.get("method").and_then(Value::as_str) == Some("textDocument/codeAction") {
                self.run_pending(true)
            } else {
                Vec::new()
            };
        self.server.handle(message);
        sent.extend(self.drain());
        sent
    }

    /// Run the pending analyses; returns the messages for the client (diagnostics).
    ///
    /// Analyses that read no activity logs go first, in the order they came. Then at most one
    /// that reads its entry's logs (which may take seconds) runs, and `idle` returns: the host
    /// hands over the messages that came meanwhile before calling it again for the rest, so one
    /// document's first reading of large logs never holds back the diagnostics of the others.
    pub fn idle(&mut self) -> Vec<Value> {
        self.run_pending(false)
    }

    /// [`Inline::idle`]; with `all`, every analysis that reads logs runs too.
    fn run_pending(&mut self, all: bool) -> Vec<Value> {
        let mut sent = Vec::new();
        loop {
            let next = match self.analyses.iter().position(|job| !job.reads_activity()) {
                Some(at) => self.analyses.remove(at),
                None => self.analyses.pop_front(),
            };
            let Some(job) = next else { break };
            let reads = job.reads_activity();
            self.server.finish(job.run());
            sent.extend(self.drain());
            if reads && !all {
                break;
            }
        }
        sent
    }

    /// Do once, ahead of the first document, the work every first analysis pays: decoding the
    /// catalog and running the rules' code once (in WebAssembly the engine compiles each function
    /// on its first call). A host with a thread of its own for the server calls this while the
    /// client is still starting, so the first diagnostics come sooner.
    pub fn warm(&mut self) {
        let _ = iamlint_core::analyze(WARM_UP, &iamlint_core::AnalyzeOptions::default());
    }

    /// The host's clock (milliseconds, monotonic or wall): when to ask the client again for the
    /// activity files it read (WebAssembly has no clock of its own).
    pub fn set_clock(&mut self, clock: fn() -> u64) {
        self.server.clock = clock;
    }

    /// Analyses wait for `idle`.
    pub fn has_pending(&self) -> bool {
        !self.analyses.is_empty()
    }

    /// The client sent `exit`.
    pub fn exited(&self) -> bool {
        self.server.exited()
    }

    fn drain(&mut self) -> Vec<Value> {
        let mut sent = Vec::new();
        let mut queue: VecDeque<Output> = self.server.take_output().into();
        while let Some(output) = queue.pop_front() {
            match output {
                Output::Send(m) => sent.push(m),
                Output::Run(job) if job.is_analysis() => self.analyses.push_back(job),
                Output::Run(job) => {
                    self.server.finish(job.run());
                    queue.extend(self.server.take_output());
                }
            }
        }
        sent
    }
}
