//! The server's state and its message loop body, independent of any transport: a JSON-RPC message
//! goes in (`handle`), messages to send and jobs to run come out (`take_output`), and a finished
//! job's result goes back in (`finish`). The native server (`crate::native`) feeds it from
//! stdio with a thread per job; the WebAssembly build (`crate::inline`) feeds it from a worker's
//! message port and runs jobs in place. Everything the server decides is decided here, once.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use iamlint_core::PositionEncoding;
use ls_types::{MessageType, Position, Uri};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::activity_files::{EntryKey, Held};
use crate::jobs::{Done, Finished, Job};
use crate::project::Projects;
use crate::protocol::{self, Incoming};
use crate::settings::{ActivityTarget, ClientSettings, DocumentOptions};
use crate::store::Document;
use crate::unused::{ActivityCache, EntryProblems};

/// What the server wants done after a message.
pub enum Output {
    /// A message for the client.
    Send(Value),
    /// Work to run, on any thread, and hand back to [`Server::finish`].
    Run(Job),
}

pub struct Server {
    pub(crate) docs: HashMap<Uri, DocEntry>,
    pub(crate) session: Session,
    pub(crate) projects: Projects,
    /// The usage of iamlint.toml `[[activity]]` entries, shared with the analysis jobs.
    pub(crate) activity: ActivityCache,
    /// Problems reading the files of `[[activity]]` entries: iamlint.toml -> entry -> problems.
    pub(crate) activity_problems: HashMap<PathBuf, BTreeMap<usize, EntryProblems>>,
    /// The files of `[[activity]]` entries the client read for the server.
    pub(crate) activity_files: HashMap<EntryKey, Held>,
    /// Milliseconds on a monotonic clock, for asking the client again (see
    /// `crate::activity_files`); the WebAssembly host gives its own.
    pub(crate) clock: fn() -> u64,
    revisions: u64,
    /// Bumped after every change of settings or iamlint.toml files: document options cached
    /// under an older generation are recomputed.
    pub(crate) generation: u64,
    outbox: Vec<Output>,
    /// Requests being answered by a job, which `$/cancelRequest` can still cancel.
    pub(crate) in_flight: Vec<Value>,
    /// Requests the server sent to the client, by id.
    sent: HashMap<u64, Sent>,
    next_request: u64,
    state: State,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Uninitialized,
    Running,
    ShutDown,
    Exited,
}

/// Why the server sent a request (what to do with the answer).
pub(crate) enum Sent {
    Configuration,
    Registration,
    /// `iamlint/readFile`: the contents of an iamlint.toml the client reads for the server.
    ReadFile(PathBuf),
    /// `iamlint/readActivityFiles`: the files of an `[[activity]]` entry.
    ReadActivityFiles(EntryKey, Box<ActivityTarget>),
}

pub(crate) struct DocEntry {
    pub doc: Document,
    /// The document's path (a file path, or in client mode the URI's path), for iamlint.toml
    /// lookup and globs.
    pub path: Option<PathBuf>,
    /// The workspace folder holding it.
    pub folder: Option<PathBuf>,
    /// An analysis job is running for this document; it picks up newer revisions itself when it
    /// finishes, so a burst of edits costs one analysis at a time, the last one on the last text.
    pub running: bool,
    /// Its analysis waits for iamlint.toml files the client is reading.
    pub waiting: bool,
    pub latest: Arc<AtomicU64>,
    /// The document's options and the settings generation they were computed under.
    pub options: Option<(u64, Arc<DocumentOptions>)>,
}

#[derive(Default)]
pub(crate) struct Session {
    pub encoding: Encoding,
    pub snippets: bool,
    /// The client resolves completion documentation lazily (completionItem/resolve), so long
    /// lists (870 EC2 actions) go out without it.
    pub lazy_documentation: bool,
    /// The client resolves code actions' edits lazily (codeAction/resolve).
    pub resolve_code_actions: bool,
    pub pull_configuration: bool,
    pub watch_files_dynamically: bool,
    pub settings: ClientSettings,
    /// Workspace folders: the URI's scheme and authority, and its path.
    pub folders: Vec<(String, PathBuf)>,
    /// The last completion requests, for completionItem/resolve: each item of a list carries
    /// the request's number as its `data` (a number serialises in no time, where a copy of the
    /// URI and position in each of a hundred items did not).
    pub completions: VecDeque<(u64, Uri, Position)>,
    pub completion_count: u64,
}

#[derive(Clone, Copy)]
pub(crate) struct Encoding(pub PositionEncoding);

impl Default for Encoding {
    fn default() -> Self {
        Encoding(PositionEncoding::Utf16)
    }
}

impl Default for Server {
    fn default() -> Self {
        Server::new()
    }
}

impl Server {
    pub fn new() -> Server {
        Server {
            docs: HashMap::new(),
            session: Session::default(),
            projects: Projects::default(),
            activity: ActivityCache::default(),
            activity_problems: HashMap::new(),
            activity_files: HashMap::new(),
            clock: default_clock,
            revisions: 1,
            generation: 1,
            outbox: Vec::new(),
            in_flight: Vec::new(),
            sent: HashMap::new(),
            next_request: 1,
            state: State::Uninitialized,
        }
    }

    /// The client sent `exit`: the driver stops.
    pub fn exited(&self) -> bool {
        self.state == State::Exited
    }

    /// Messages to send and jobs to run, in the order they were produced.
    pub fn take_output(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.outbox)
    }

    /// Handle one message from the client.
    pub fn handle(&mut self, message: Value) {
        match Incoming::parse(message) {
            Some(Incoming::Request { id, method, params }) => self.request(id, &method, params),
            Some(Incoming::Notification { method, params }) => self.notification(&method, params),
            Some(Incoming::Response { id, result }) => self.response(&id, result),
            None => {}
        }
    }

    /// Take back the result of a job.
    pub fn finish(&mut self, done: Done) {
        match done.0 {
            Finished::Answered { id, result } => {
                // A cancelled request was answered already.
                if let Some(i) = self.in_flight.iter().position(|x| *x == id) {
                    self.in_flight.remove(i);
                    self.send(protocol::response(id, result));
                }
            }
            Finished::Analysed {
                uri,
                revision,
                outcome,
            } => self.analysed(uri, revision, outcome),
        }
    }

    pub(crate) fn send(&mut self, message: Value) {
        self.outbox.push(Output::Send(message));
    }

    pub(crate) fn run(&mut self, job: Job) {
        self.outbox.push(Output::Run(job));
    }

    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        self.send(protocol::notification(method, params));
    }

    pub(crate) fn ask(&mut self, method: &str, params: Value, why: Sent) {
        let id = self.next_request;
        self.next_request += 1;
        self.sent.insert(id, why);
        self.send(protocol::request(id, method, params));
    }

    pub(crate) fn log_warning(&mut self, message: String) {
        self.notify(
            "window/logMessage",
            json!({"type": MessageType::WARNING, "message": message}),
        );
    }

    pub(crate) fn encoding(&self) -> PositionEncoding {
        self.session.encoding.0
    }

    pub(crate) fn next_revision(&mut self) -> u64 {
        let r = self.revisions;
        self.revisions += 1;
        r
    }

    pub(crate) fn settings_changed(&mut self) {
        self.generation += 1;
    }

    fn request(&mut self, id: Value, method: &str, params: Value) {
        match self.state {
            State::Uninitialized if method != "initialize" => {
                return self.send(protocol::error(
                    id,
                    protocol::SERVER_NOT_INITIALIZED,
                    "the server is not initialized",
                ))
            }
            State::Running if method == "initialize" => {
                return self.send(protocol::error(
                    id,
                    protocol::INVALID_REQUEST,
                    "the server is already initialized",
                ))
            }
            State::ShutDown | State::Exited => {
                return self.send(protocol::error(
                    id,
                    protocol::INVALID_REQUEST,
                    "the server is shutting down",
                ))
            }
            _ => {}
        }
        let outcome = match method {
            "initialize" => parse(params).map(|p| {
                self.state = State::Running;
                let result = self.initialize(p);
                self.send(protocol::response(id.clone(), result));
            }),
            "shutdown" => {
                self.state = State::ShutDown;
                self.send(protocol::response(id.clone(), Value::Null));
                Ok(())
            }
            "textDocument/hover" => parse(params).map(|p| self.hover(id.clone(), p)),
            "textDocument/completion" => parse(params).map(|p| self.completion(id.clone(), p)),
            "completionItem/resolve" => {
                parse(params).map(|p| self.completion_resolve(id.clone(), p))
            }
            "textDocument/codeAction" => parse(params).map(|p| self.code_action(id.clone(), p)),
            "codeAction/resolve" => parse(params).map(|p| self.code_action_resolve(id.clone(), p)),
            "iamlint/generatePolicy" => parse(params).map(|p| self.generate_policy(id.clone(), p)),
            _ => {
                return self.send(protocol::error(
                    id,
                    protocol::METHOD_NOT_FOUND,
                    &format!("method not found: {method}"),
                ))
            }
        };
        if let Err(e) = outcome {
            self.send(protocol::error(id, protocol::INVALID_PARAMS, &e));
        }
    }

    fn notification(&mut self, method: &str, params: Value) {
        if method == "exit" {
            self.state = State::Exited;
            return;
        }
        if method == "$/cancelRequest" {
            if let Some(i) = self.in_flight.iter().position(|x| *x == params["id"]) {
                let id = self.in_flight.remove(i);
                self.send(protocol::error(
                    id,
                    protocol::REQUEST_CANCELLED,
                    "request cancelled",
                ));
            }
            return;
        }
        if self.state != State::Running {
            return;
        }
        // Notifications with params of the wrong shape are dropped: there is no one to tell.
        let _ = match method {
            "initialized" => {
                self.initialized();
                Ok(())
            }
            "textDocument/didOpen" => parse(params).map(|p| self.did_open(p)),
            "textDocument/didChange" => parse(params).map(|p| self.did_change(p)),
            "textDocument/didSave" => parse(params).map(|p| self.did_save(p)),
            "textDocument/didClose" => parse(params).map(|p| self.did_close(p)),
            "workspace/didChangeConfiguration" => {
                self.did_change_configuration(params);
                Ok(())
            }
            "workspace/didChangeWatchedFiles" => {
                parse(params).map(|p| self.did_change_watched_files(p))
            }
            _ => Ok(()),
        };
    }

    fn response(&mut self, id: &Value, result: Option<Value>) {
        let Some(why) = id.as_u64().and_then(|id| self.sent.remove(&id)) else {
            return;
        };
        match why {
            Sent::Registration => {}
            Sent::Configuration => self.configuration_received(result),
            Sent::ReadFile(file) => {
                let text = result.and_then(|r| match r {
                    Value::String(s) => Some(s),
                    other => other
                        .get("text")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                });
                self.file_received(file, text);
            }
            Sent::ReadActivityFiles(key, target) => {
                self.activity_files_received(key, *target, result)
            }
        }
    }
}

/// Milliseconds since the first call: std's clock where the target has one; the WebAssembly
/// build has none (its host sets the server's clock; without one the client is asked once).
fn default_clock() -> u64 {
    #[cfg(not(target_arch = "wasm32"))]
    {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_millis() as u64
    }
    #[cfg(target_arch = "wasm32")]
    {
        0
    }
}

fn parse<T: DeserializeOwned>(params: Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| format!("invalid params: {e}"))
}
