//! The LanguageServer implementation: document store, settings, and the handlers that call the
//! core and convert its answers.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use iamlint_core::config::{self, Config};
use iamlint_core::{analyze_parsed, ide, syntax, Analysis, PositionEncoding};
use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::convert;
use crate::settings::{self, ClientSettings, DocumentOptions, ProjectConfig};
use crate::store::{self, Document, Text};
use crate::SETTINGS_SECTION;

/// The code action kind of "fix all safe findings".
const FIX_ALL_KIND: &str = "source.fixAll.iamlint";

/// Documents larger than this are not analysed as the user types (IAM policies are at most a few
/// tens of KB; the largest AWS managed policy is about 230 KB pretty-printed). Hover and
/// completion still work on them.
pub const MAX_ANALYSED_BYTES: usize = 1 << 20;

/// The longest completion list sent. Longer lists (the 870 EC2 actions) keep the proposals that
/// match what is typed, up to this many, and are marked incomplete so the editor asks again as
/// the user types on; building, serialising and filtering hundreds of items on every keystroke
/// is what made completion slow.
pub const COMPLETION_LIMIT: usize = 100;

pub struct Backend {
    client: Client,
    shared: Arc<Shared>,
}

/// State shared with the analysis tasks.
struct Shared {
    docs: Mutex<HashMap<Uri, DocEntry>>,
    session: Mutex<Session>,
    /// Serialises "is this still current? then publish" so publications never reorder.
    publish: tokio::sync::Mutex<()>,
    revisions: AtomicU64,
    /// Bumped after every change of settings or iamlint.toml files: document options cached
    /// under an older generation are recomputed.
    generation: AtomicU64,
}

struct DocEntry {
    doc: Document,
    path: Option<PathBuf>,
    /// An analysis task is running for this document; it picks up newer revisions itself when
    /// it finishes, so a burst of edits costs one analysis at a time, the last one on the last
    /// text.
    running: bool,
    /// The document's options and the settings generation they were computed under.
    options: Option<(u64, Arc<DocumentOptions>)>,
}

#[derive(Default)]
struct Session {
    encoding: Encoding,
    snippets: bool,
    /// The client resolves completion documentation lazily (completionItem/resolve), so long
    /// lists (870 EC2 actions) go out without it.
    lazy_documentation: bool,
    pull_configuration: bool,
    watch_files_dynamically: bool,
    settings: ClientSettings,
    folders: Vec<PathBuf>,
    /// Folder -> the iamlint.toml that applies to files in it (None: no file up to the
    /// workspace folder). Cleared when an iamlint.toml changes.
    configs: HashMap<PathBuf, Option<Arc<ProjectConfig>>>,
    /// The last completion requests, for completionItem/resolve: each item of a list carries
    /// the request's number as its `data` (a number serialises in no time, where a copy of the
    /// URI and position in each of a hundred items did not).
    completions: VecDeque<(u64, Uri, Position)>,
    completion_count: u64,
}

/// How many completion requests completionItem/resolve can refer to (an editor resolves items
/// of the list it shows, the last one or, while a new list is on its way, the one before).
const COMPLETIONS_REMEMBERED: usize = 4;

#[derive(Clone, Copy)]
struct Encoding(PositionEncoding);

impl Default for Encoding {
    fn default() -> Self {
        Encoding(PositionEncoding::Utf16)
    }
}

/// What an analysis task needs, taken from the store without holding its lock.
struct Snapshot {
    uri: Uri,
    revision: u64,
    text: Arc<Text>,
    path: Option<PathBuf>,
}

/// What a hover, completion or code action request works on: one version of the document with
/// its syntax tree, options and (when already computed) analysis.
struct Prepared<'a> {
    text: &'a Text,
    syntax: &'a syntax::Document,
    options: &'a DocumentOptions,
    analysis: Option<&'a Analysis>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic in another handler must not take the whole server down with a poisoned lock.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            shared: Arc::new(Shared {
                docs: Mutex::new(HashMap::new()),
                session: Mutex::new(Session::default()),
                publish: tokio::sync::Mutex::new(()),
                revisions: AtomicU64::new(1),
                generation: AtomicU64::new(1),
            }),
        }
    }

    fn encoding(&self) -> PositionEncoding {
        lock(&self.shared.session).encoding.0
    }

    /// Analyse a document in the background and publish if nothing newer arrived meanwhile.
    /// Never awaits: callers invoke it right after updating the store.
    fn schedule(&self, uri: &Uri) {
        let snapshot = {
            let mut docs = lock(&self.shared.docs);
            let Some(entry) = docs.get_mut(uri) else {
                return;
            };
            if entry.running {
                return;
            }
            entry.running = true;
            self.shared.snapshot_of(uri, entry)
        };
        let shared = self.shared.clone();
        let client = self.client.clone();
        tokio::spawn(async move { shared.run_analyses(client, snapshot).await });
    }

    fn schedule_all(&self) {
        let uris: Vec<Uri> = {
            let mut docs = lock(&self.shared.docs);
            for entry in docs.values_mut() {
                entry.doc.revision = self.shared.revisions.fetch_add(1, Ordering::Relaxed);
            }
            docs.keys().cloned().collect()
        };
        for uri in &uris {
            self.schedule(uri);
        }
    }

    async fn pull_settings(&self) {
        if !lock(&self.shared.session).pull_configuration {
            return;
        }
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some(SETTINGS_SECTION.to_string()),
        }];
        if let Ok(values) = self.client.configuration(items).await {
            // A client with nothing configured answers null: keep what initializationOptions gave.
            if let Some(value) = values.into_iter().next().filter(|v| !v.is_null()) {
                self.apply_settings(&value).await;
            }
        }
    }

    async fn apply_settings(&self, value: &Value) {
        let (settings, problems) = ClientSettings::from_json(value);
        lock(&self.shared.session).settings = settings;
        self.shared.settings_changed();
        for p in problems {
            self.client.log_message(MessageType::WARNING, p).await;
        }
    }

    async fn config_changed(&self) {
        lock(&self.shared.session).configs.clear();
        self.shared.settings_changed();
        self.schedule_all();
    }

    /// The current text and its analysis: the cached one, else computed now (and cached, if no
    /// edit arrived meanwhile). None for documents that are not analysed.
    async fn analysed(&self, uri: &Uri) -> Option<(Arc<Text>, Arc<Analysis>)> {
        let (snapshot, cached) = {
            let docs = lock(&self.shared.docs);
            let entry = docs.get(uri)?;
            let cached = entry
                .doc
                .analysis
                .as_ref()
                .filter(|(rev, _)| *rev == entry.doc.revision)
                .map(|(_, a)| a.clone());
            (self.shared.snapshot_of(uri, entry), cached)
        };
        if let Some(analysis) = cached {
            return Some((snapshot.text, analysis));
        }
        let shared = self.shared.clone();
        let text = snapshot.text.clone();
        let result = tokio::task::spawn_blocking(move || {
            let (options, _) = shared.options_of(&snapshot.uri, snapshot.path.as_deref());
            if text.text.len() > MAX_ANALYSED_BYTES || (!options.matched_glob && !text.is_policy())
            {
                return None;
            }
            let analysis = Arc::new(analyze_parsed(&text.text, text.syntax(), &options.options));
            if let Some(entry) = lock(&shared.docs).get_mut(&snapshot.uri) {
                if entry.doc.revision == snapshot.revision {
                    entry.doc.analysis = Some((snapshot.revision, analysis.clone()));
                }
            }
            Some(analysis)
        })
        .await
        .ok()??;
        Some((snapshot.text, result))
    }

    /// Run `f` on the current version of a document. When its syntax tree and options are at
    /// hand (the usual case: the analysis of each version parses it and caches the options)
    /// `f` runs right here; otherwise a blocking task prepares them first. Either way the
    /// request stays cancellable: `$/cancelRequest` drops this future.
    async fn with_document<R, F>(&self, uri: &Uri, f: F) -> Option<R>
    where
        R: Send + 'static,
        F: FnOnce(&Prepared<'_>) -> Option<R> + Send + 'static,
    {
        let (snapshot, options, analysis) = {
            let docs = lock(&self.shared.docs);
            let entry = docs.get(uri)?;
            let generation = self.shared.generation.load(Ordering::Acquire);
            let options = entry
                .options
                .as_ref()
                .filter(|(g, _)| *g == generation)
                .map(|(_, o)| o.clone());
            let analysis = entry
                .doc
                .analysis
                .as_ref()
                .filter(|(rev, _)| *rev == entry.doc.revision)
                .map(|(_, a)| a.clone());
            (self.shared.snapshot_of(uri, entry), options, analysis)
        };
        let text = snapshot.text;
        if let Some(options) = options.as_ref().filter(|_| text.is_parsed()) {
            return f(&Prepared {
                text: &text,
                syntax: text.syntax(),
                options,
                analysis: analysis.as_deref(),
            });
        }
        let shared = self.shared.clone();
        tokio::task::spawn_blocking(move || {
            let options = match options {
                Some(o) => o,
                None => shared.options_of(&snapshot.uri, snapshot.path.as_deref()).0,
            };
            // Trees of documents too large to analyse are not kept (a 10 MB document's tree is
            // many times its size); requests on them parse it each time.
            let transient;
            let syntax = if text.text.len() > MAX_ANALYSED_BYTES {
                transient = syntax::parse(&text.text);
                &transient
            } else {
                text.syntax()
            };
            f(&Prepared {
                text: &text,
                syntax,
                options: &options,
                analysis: analysis.as_deref(),
            })
        })
        .await
        .ok()
        .flatten()
    }
}

impl Shared {
    fn settings_changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The document's options, cached until settings or an iamlint.toml change. May read
    /// iamlint.toml from disk: call from a blocking task. Also returns the problems of a broken
    /// iamlint.toml, for logging.
    fn options_of(&self, uri: &Uri, path: Option<&Path>) -> (Arc<DocumentOptions>, Vec<String>) {
        // Read before computing: a change meanwhile bumps it, so a stale result is not reused.
        let generation = self.generation.load(Ordering::Acquire);
        let cached = lock(&self.docs).get(uri).and_then(|e| {
            e.options
                .as_ref()
                .filter(|(g, _)| *g == generation)
                .map(|(_, o)| o.clone())
        });
        if let Some(options) = cached {
            return (options, Vec::new());
        }
        let (options, problems) = self.document_options(path);
        let options = Arc::new(options);
        if let Some(entry) = lock(&self.docs).get_mut(uri) {
            entry.options = Some((generation, options.clone()));
        }
        (options, problems)
    }

    fn snapshot_of(&self, uri: &Uri, entry: &DocEntry) -> Snapshot {
        Snapshot {
            uri: uri.clone(),
            revision: entry.doc.revision,
            text: entry.doc.text.clone(),
            path: entry.path.clone(),
        }
    }

    fn is_current(&self, uri: &Uri, revision: u64) -> bool {
        lock(&self.docs)
            .get(uri)
            .is_some_and(|e| e.doc.revision == revision)
    }

    /// Options for a document: client settings merged over the nearest iamlint.toml. Reads
    /// iamlint.toml from disk (the server's only disk read), for files inside a workspace
    /// folder, looking from the file's folder up to the workspace folder. Blocking: call from
    /// a blocking task. Returns the problems of a broken iamlint.toml for logging.
    fn document_options(&self, path: Option<&Path>) -> (DocumentOptions, Vec<String>) {
        let (client, folder) = {
            let session = lock(&self.session);
            let folder = path.and_then(|p| {
                session
                    .folders
                    .iter()
                    .filter(|f| p.starts_with(f))
                    .max_by_key(|f| f.as_os_str().len())
                    .cloned()
            });
            (session.settings.clone(), folder)
        };
        let mut problems = Vec::new();
        let project = match (path, &folder) {
            (Some(p), Some(folder)) => self.project_config(p, folder, &mut problems),
            _ => None,
        };
        (
            settings::document_options(&client, project.as_deref(), path, folder.as_deref()),
            problems,
        )
    }

    fn project_config(
        &self,
        path: &Path,
        folder: &Path,
        problems: &mut Vec<String>,
    ) -> Option<Arc<ProjectConfig>> {
        let mut visited = Vec::new();
        let mut found = None;
        let mut dir = path.parent();
        while let Some(d) = dir {
            if let Some(cached) = lock(&self.session).configs.get(d) {
                found = cached.clone();
                break;
            }
            visited.push(d.to_path_buf());
            let file = d.join(config::FILE_NAME);
            if let Ok(text) = std::fs::read_to_string(&file) {
                match Config::parse(&text) {
                    Ok(config) => {
                        found = Some(Arc::new(ProjectConfig {
                            dir: d.to_path_buf(),
                            config,
                        }))
                    }
                    Err(errors) => {
                        for e in errors {
                            let (line, col) = e.line_column(&text);
                            problems.push(format!(
                                "{}:{line}:{col}: {} (the file is ignored until fixed)",
                                file.display(),
                                e.message
                            ));
                        }
                    }
                }
                break;
            }
            if d == folder {
                break;
            }
            dir = d.parent();
        }
        let mut session = lock(&self.session);
        for d in visited {
            session.configs.insert(d, found.clone());
        }
        found
    }

    /// Analyse until the analysed revision is the current one (or the document is closed).
    async fn run_analyses(self: Arc<Self>, client: Client, mut snapshot: Snapshot) {
        loop {
            let revision = snapshot.revision;
            let uri = snapshot.uri.clone();
            self.clone().analyse_and_publish(&client, snapshot).await;
            let mut docs = lock(&self.docs);
            let Some(entry) = docs.get_mut(&uri) else {
                return;
            };
            if entry.doc.revision == revision {
                entry.running = false;
                return;
            }
            snapshot = self.snapshot_of(&uri, entry);
        }
    }

    async fn analyse_and_publish(self: Arc<Self>, client: &Client, snapshot: Snapshot) {
        let shared = self.clone();
        let encoding = lock(&self.session).encoding.0;
        let uri = snapshot.uri.clone();
        let revision = snapshot.revision;
        let job = tokio::task::spawn_blocking(move || {
            // A newer change already has its own task: skip the work.
            if !shared.is_current(&snapshot.uri, snapshot.revision) {
                return None;
            }
            let (options, problems) = shared.options_of(&snapshot.uri, snapshot.path.as_deref());
            let text = &snapshot.text;
            if !options.matched_glob && !text.is_policy() {
                return Some((None, Vec::new(), problems));
            }
            if text.text.len() > MAX_ANALYSED_BYTES {
                let too_large = convert::too_large(text.text.len(), MAX_ANALYSED_BYTES);
                return Some((None, vec![too_large], problems));
            }
            // The tree stays with this version of the text for hovers and completions.
            let analysis = Arc::new(analyze_parsed(&text.text, text.syntax(), &options.options));
            if !shared.is_current(&snapshot.uri, snapshot.revision) {
                return None;
            }
            let diagnostics =
                convert::diagnostics(&analysis.diagnostics, text, &snapshot.uri, encoding);
            Some((Some(analysis), diagnostics, problems))
        });
        let Ok(Some((analysis, diagnostics, problems))) = job.await else {
            return;
        };
        for p in problems {
            client.log_message(MessageType::WARNING, p).await;
        }
        let _order = self.publish.lock().await;
        let version = {
            let mut docs = lock(&self.docs);
            let Some(entry) = docs.get_mut(&uri) else {
                return;
            };
            if entry.doc.revision != revision {
                return;
            }
            entry.doc.analysis = analysis.map(|a| (revision, a));
            entry.doc.version
        };
        client
            .publish_diagnostics(uri, diagnostics, Some(version))
            .await;
    }
}

fn settings_from(value: &Value) -> Option<&Value> {
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

fn is_config_file(uri: &Uri) -> bool {
    uri.as_str()
        .rsplit('/')
        .next()
        .is_some_and(|name| name == config::FILE_NAME)
}

/// Keep an action when the client asked for no kinds, or for a kind it falls under
/// (`source` covers `source.fixAll.iamlint`).
fn kind_requested(only: Option<&Vec<CodeActionKind>>, kind: &str) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds.iter().any(|k| {
            let k = k.as_str();
            kind == k
                || kind
                    .strip_prefix(k)
                    .is_some_and(|rest| rest.starts_with('.'))
        }),
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encs| encs.contains(&PositionEncodingKind::UTF8));
        let (encoding, encoding_kind) = if utf8 {
            (PositionEncoding::Utf8, PositionEncodingKind::UTF8)
        } else {
            (PositionEncoding::Utf16, PositionEncodingKind::UTF16)
        };
        let snippets = caps
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        let lazy_documentation = caps
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "documentation"));
        let workspace = caps.workspace.as_ref();
        let pull_configuration = workspace.and_then(|w| w.configuration).unwrap_or(false);
        let watch_files_dynamically = workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty() {
            if let Some(root) = params.root_uri.as_ref().and_then(|u| u.to_file_path()) {
                folders.push(root.into_owned());
            }
        }
        let init_settings = params
            .initialization_options
            .as_ref()
            .and_then(settings_from)
            .map(ClientSettings::from_json);
        {
            let mut session = lock(&self.shared.session);
            session.encoding = Encoding(encoding);
            session.snippets = snippets;
            session.lazy_documentation = lazy_documentation;
            session.pull_configuration = pull_configuration;
            session.watch_files_dynamically = watch_files_dynamically;
            session.folders = folders;
            if let Some((s, _)) = &init_settings {
                session.settings = s.clone();
            }
        }
        self.shared.settings_changed();
        if let Some((_, problems)) = init_settings {
            for p in problems {
                self.client.log_message(MessageType::WARNING, p).await;
            }
        }
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding_kind),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["\"".into(), ":".into()]),
                    resolve_provider: Some(lazy_documentation),
                    ..CompletionOptions::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::from(FIX_ALL_KIND.to_string()),
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "iamlint".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let watch = lock(&self.shared.session).watch_files_dynamically;
        if watch {
            let registration = Registration {
                id: "iamlint-config-watcher".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: Some(serde_json::json!({
                    "watchers": [{ "globPattern": format!("**/{}", config::FILE_NAME) }]
                })),
            };
            let _ = self.client.register_capability(vec![registration]).await;
        }
        self.pull_settings().await;
        self.schedule_all();
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let path = doc.uri.to_file_path().map(|p| p.into_owned());
        let revision = self.shared.revisions.fetch_add(1, Ordering::Relaxed);
        let mut docs = lock(&self.shared.docs);
        // Re-opening keeps a running analysis task (it will see the new revision).
        let running = docs.get(&doc.uri).is_some_and(|e| e.running);
        docs.insert(
            doc.uri.clone(),
            DocEntry {
                doc: Document {
                    version: doc.version,
                    text: Text::new(doc.text),
                    revision,
                    analysis: None,
                },
                path,
                running,
                options: None,
            },
        );
        drop(docs);
        self.schedule(&doc.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let encoding = self.encoding();
        let replaced = {
            let mut docs = lock(&self.shared.docs);
            let Some(entry) = docs.get_mut(&uri) else {
                return;
            };
            // An edit older than what we hold arrived late: it is already included.
            if version <= entry.doc.version {
                return;
            }
            let text = store::apply_changes(&entry.doc.text, params.content_changes, encoding);
            entry.doc.version = version;
            entry.doc.revision = self.shared.revisions.fetch_add(1, Ordering::Relaxed);
            (
                std::mem::replace(&mut entry.doc.text, text),
                entry.doc.analysis.take(),
            )
        };
        self.schedule(&uri);
        // The previous version (its syntax tree, its findings and their fixes) is freed once
        // the analysis of this one is on its way, not before.
        drop(replaced);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if is_config_file(&params.text_document.uri) {
            self.config_changed().await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let removed = lock(&self.shared.docs).remove(&uri).is_some();
        if removed {
            let _order = self.shared.publish.lock().await;
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        match settings_from(&params.settings) {
            Some(value) => self.apply_settings(value).await,
            None => self.pull_settings().await,
        }
        self.schedule_all();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        if params.changes.iter().any(|c| is_config_file(&c.uri)) {
            self.config_changed().await;
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let encoding = self.encoding();
        let answer = self
            .with_document(&pos.text_document.uri, move |doc| {
                if !doc.options.matched_glob && !doc.text.is_policy() {
                    return None;
                }
                let offset = doc.text.offset(pos.position, encoding);
                ide::hover_in(&doc.text.text, doc.syntax, offset)
                    .map(|h| convert::hover(h, doc.text, encoding))
            })
            .await;
        Ok(answer)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        let (encoding, snippets, lazy) = {
            let s = lock(&self.shared.session);
            (s.encoding.0, s.snippets, s.lazy_documentation)
        };
        // completionItem/resolve finds the item again from the request's document and position.
        let data = lazy.then(|| {
            let mut s = lock(&self.shared.session);
            s.completion_count += 1;
            let id = s.completion_count;
            if s.completions.len() == COMPLETIONS_REMEMBERED {
                s.completions.pop_front();
            }
            s.completions
                .push_back((id, pos.text_document.uri.clone(), pos.position));
            Value::from(id)
        });
        let answer = self
            .with_document(&pos.text_document.uri, move |doc| {
                let t = &doc.text.text;
                // A document with no keys yet may become a policy: offer the top-level elements.
                let started =
                    t.trim().is_empty() || t.trim_start().starts_with('{') && !t.contains(':');
                if !doc.options.matched_glob && !started && !doc.text.is_policy() {
                    return None;
                }
                let offset = doc.text.offset(pos.position, encoding);
                let options = completion_options(doc);
                let list = ide::completion_list(t, doc.syntax, offset, &options, COMPLETION_LIMIT);
                // Every item of a list replaces the same span: convert it once.
                let mut ranges = convert::RangeCache::default();
                let items: Vec<CompletionItem> = list
                    .items
                    .into_iter()
                    .map(|i| {
                        let range = ranges.range(doc.text, i.replace_span, encoding);
                        let mut item = convert::completion(i, range, snippets);
                        if let Some(data) = &data {
                            item.documentation = None;
                            item.data = Some(data.clone());
                        }
                        item
                    })
                    .collect();
                Some(if list.is_incomplete {
                    CompletionResponse::List(CompletionList {
                        is_incomplete: true,
                        items,
                    })
                } else {
                    CompletionResponse::Array(items)
                })
            })
            .await;
        Ok(answer)
    }

    async fn completion_resolve(&self, mut item: CompletionItem) -> Result<CompletionItem> {
        let Some(id) = item.data.as_ref().and_then(Value::as_u64) else {
            return Ok(item);
        };
        let request = lock(&self.shared.session)
            .completions
            .iter()
            .find(|(n, _, _)| *n == id)
            .map(|(_, uri, position)| (uri.clone(), *position));
        let Some((uri, position)) = request else {
            return Ok(item);
        };
        let encoding = self.encoding();
        let label = item.label.clone();
        let documentation = self
            .with_document(&uri, move |doc| {
                let offset = doc.text.offset(position, encoding);
                let options = completion_options(doc);
                ide::completion_documentation(&doc.text.text, doc.syntax, offset, &options, &label)
            })
            .await;
        if let Some(value) = documentation {
            item.documentation = Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }));
        }
        Ok(item)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((text, analysis)) = self.analysed(&uri).await else {
            return Ok(None);
        };
        let encoding = self.encoding();
        let span = text.span(params.range, encoding);
        let only = params.context.only.as_ref();
        let actions: Vec<CodeActionOrCommand> = ide::code_actions(&text.text, &analysis, span)
            .into_iter()
            .filter(|a| kind_requested(only, a.kind.as_str()))
            .map(|a| {
                let diagnostic = a
                    .diagnostic_index
                    .and_then(|i| analysis.diagnostics.get(i))
                    .map(|d| convert::diagnostic(d, &text, &uri, encoding));
                CodeActionOrCommand::CodeAction(convert::code_action(
                    a, diagnostic, &text, &uri, encoding,
                ))
            })
            .collect();
        Ok(Some(actions))
    }
}

/// The options completion needs. With the analysis of this version at hand its resolved policy
/// type is used, so offering statement elements does not rebuild the policy to infer it.
fn completion_options(doc: &Prepared<'_>) -> iamlint_core::AnalyzeOptions {
    let mut options = doc.options.options.clone();
    if let Some(analysis) = doc.analysis {
        options.policy_type = analysis.policy_type.clone();
    }
    options
}
