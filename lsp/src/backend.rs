//! The LanguageServer implementation: document store, settings, and the handlers that call the
//! core and convert its answers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use iamlint_core::config::{self, Config};
use iamlint_core::{analyze, ide, Analysis, PositionEncoding};
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
}

struct DocEntry {
    doc: Document,
    path: Option<PathBuf>,
    /// An analysis task is running for this document; it picks up newer revisions itself when
    /// it finishes, so a burst of edits costs one analysis at a time, the last one on the last
    /// text.
    running: bool,
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
}

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
        for p in problems {
            self.client.log_message(MessageType::WARNING, p).await;
        }
    }

    async fn config_changed(&self) {
        lock(&self.shared.session).configs.clear();
        self.schedule_all();
    }

    /// The current text, the analysis of it (cached or computed now) and the document's options.
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
            let (options, _) = shared.document_options(snapshot.path.as_deref());
            if text.text.len() > MAX_ANALYSED_BYTES
                || (!options.matched_glob && !ide::is_policy_document(&text.text))
            {
                return None;
            }
            Some(Arc::new(analyze(&text.text, &options.options)))
        })
        .await
        .ok()??;
        Some((snapshot.text, result))
    }

    /// The current text of a policy document, for hover and completion. Non-policy documents
    /// give None (an empty document counts as a policy being started).
    fn policy_text(&self, uri: &Uri) -> Option<(Arc<Text>, Option<PathBuf>)> {
        let docs = lock(&self.shared.docs);
        let entry = docs.get(uri)?;
        Some((entry.doc.text.clone(), entry.path.clone()))
    }
}

impl Shared {
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
            let (options, problems) = shared.document_options(snapshot.path.as_deref());
            let text = &snapshot.text;
            if !options.matched_glob && !ide::is_policy_document(&text.text) {
                return Some((None, Vec::new(), problems));
            }
            if text.text.len() > MAX_ANALYSED_BYTES {
                let too_large = convert::too_large(text.text.len(), MAX_ANALYSED_BYTES);
                return Some((None, vec![too_large], problems));
            }
            let analysis = Arc::new(analyze(&text.text, &options.options));
            if !shared.is_current(&snapshot.uri, snapshot.revision) {
                return None;
            }
            let diagnostics = analysis
                .diagnostics
                .iter()
                .map(|d| convert::diagnostic(d, text, &snapshot.uri, encoding))
                .collect();
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
            },
        );
        drop(docs);
        self.schedule(&doc.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let encoding = self.encoding();
        {
            let mut docs = lock(&self.shared.docs);
            let Some(entry) = docs.get_mut(&uri) else {
                return;
            };
            // An edit older than what we hold arrived late: it is already included.
            if version <= entry.doc.version {
                return;
            }
            entry.doc.text =
                store::apply_changes(&entry.doc.text, params.content_changes, encoding);
            entry.doc.version = version;
            entry.doc.revision = self.shared.revisions.fetch_add(1, Ordering::Relaxed);
            entry.doc.analysis = None;
        }
        self.schedule(&uri);
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
        let Some((text, path)) = self.policy_text(&pos.text_document.uri) else {
            return Ok(None);
        };
        let encoding = self.encoding();
        let shared = self.shared.clone();
        let answer = tokio::task::spawn_blocking(move || {
            let (options, _) = shared.document_options(path.as_deref());
            if !options.matched_glob && !ide::is_policy_document(&text.text) {
                return None;
            }
            let offset = text.offset(pos.position, encoding);
            ide::hover(&text.text, offset).map(|h| convert::hover(h, &text, encoding))
        })
        .await
        .ok()
        .flatten();
        Ok(answer)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        let Some((text, path)) = self.policy_text(&pos.text_document.uri) else {
            return Ok(None);
        };
        let (encoding, snippets, lazy) = {
            let s = lock(&self.shared.session);
            (s.encoding.0, s.snippets, s.lazy_documentation)
        };
        let uri = pos.text_document.uri.clone();
        let shared = self.shared.clone();
        let answer = tokio::task::spawn_blocking(move || {
            let (options, _) = shared.document_options(path.as_deref());
            let t = &text.text;
            // A document with no keys yet may become a policy: offer the top-level elements.
            let started =
                t.trim().is_empty() || t.trim_start().starts_with('{') && !t.contains(':');
            if !options.matched_glob && !started && !ide::is_policy_document(t) {
                return None;
            }
            let offset = text.offset(pos.position, encoding);
            let items: Vec<CompletionItem> = ide::completions(t, offset, &options.options)
                .into_iter()
                .map(|i| {
                    let mut item = convert::completion(i, &text, encoding, snippets);
                    if lazy {
                        // completionItem/resolve recomputes the list here and picks this label.
                        item.documentation = None;
                        item.data = Some(serde_json::json!({
                            "uri": uri.as_str(),
                            "position": pos.position,
                        }));
                    }
                    item
                })
                .collect();
            Some(CompletionResponse::Array(items))
        })
        .await
        .ok()
        .flatten();
        Ok(answer)
    }

    async fn completion_resolve(&self, mut item: CompletionItem) -> Result<CompletionItem> {
        let Some(data) = item.data.as_ref() else {
            return Ok(item);
        };
        let uri = data["uri"].as_str().and_then(|u| u.parse::<Uri>().ok());
        let position = serde_json::from_value::<Position>(data["position"].clone()).ok();
        let (Some(uri), Some(position)) = (uri, position) else {
            return Ok(item);
        };
        let Some((text, path)) = self.policy_text(&uri) else {
            return Ok(item);
        };
        let encoding = self.encoding();
        let shared = self.shared.clone();
        let label = item.label.clone();
        let documentation = tokio::task::spawn_blocking(move || {
            let (options, _) = shared.document_options(path.as_deref());
            let offset = text.offset(position, encoding);
            ide::completions(&text.text, offset, &options.options)
                .into_iter()
                .find(|i| i.label == label)
                .and_then(|i| i.documentation_markdown)
        })
        .await
        .ok()
        .flatten();
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
