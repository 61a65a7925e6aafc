//! The handlers of LSP messages: the session (initialize), the document lifecycle, and the
//! requests, which ask the core (`iamlint_core::ide`) and convert its answers.

use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use iamlint_core::{analyze_parsed, config, ide, syntax, PositionEncoding, Span};
use ls_types::*;
use serde_json::{json, Value};

use crate::convert;
use crate::fixes::Analysed;
use crate::jobs::{Job, Work, MAX_ANALYSED_BYTES};
use crate::project::FileSource;
use crate::schedule::{is_config_file, settings_from};
use crate::server::{DocEntry, Encoding, Sent, Server};
use crate::settings::{ClientSettings, DocumentOptions};
use crate::store::{self, Document, Text};

/// The code action kind of "fix all safe findings".
const FIX_ALL_KIND: &str = "source.fixAll.iamlint";

/// The longest completion list sent. Longer lists (the 870 EC2 actions) keep the proposals that
/// match what is typed, up to this many, and are marked incomplete so the editor asks again as
/// the user types on; building, serialising and filtering hundreds of items on every keystroke
/// is what made completion slow.
pub const COMPLETION_LIMIT: usize = 100;

/// How many completion requests completionItem/resolve can refer to (an editor resolves items
/// of the list it shows, the last one or, while a new list is on its way, the one before).
const COMPLETIONS_REMEMBERED: usize = 4;

/// The client capability (under `experimental`) of reading files for the server:
/// `iamlint/readFile` requests with `{base: <document URI>, path}` answered with the text or
/// null. The VS Code extension has it, so iamlint.toml is found in a browser too.
pub const READ_FILE_CAPABILITY: &str = "iamlintReadFile";

/// What a hover, completion or code action request works on: one version of the document with
/// its syntax tree, options and (when already computed) analysis.
pub(crate) struct Prepared<'a> {
    pub text: &'a Text,
    /// For a Terraform or CloudFormation document, its policies (`syntax` is then empty).
    pub host: Option<&'a iamlint_core::host::HostDocument>,
    pub syntax: &'a syntax::Document,
    pub options: &'a DocumentOptions,
    pub analysis: Option<&'a Analysed>,
}

impl Server {
    pub(crate) fn initialize(&mut self, params: InitializeParams) -> Value {
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
        let item = caps
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref());
        let snippets = item.and_then(|i| i.snippet_support).unwrap_or(false);
        let lazy_documentation = item
            .and_then(|i| i.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "documentation"));
        // The client fetches a code action's edit when it is chosen (codeAction/resolve): the
        // list then goes out without the edits, which for a narrowing fix spell out hundreds of
        // actions. Neovim 0.7 and VS Code do; a client that does not gets the edits at once.
        let resolve_code_actions = caps
            .text_document
            .as_ref()
            .and_then(|t| t.code_action.as_ref())
            .and_then(|c| c.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit"));
        let workspace = caps.workspace.as_ref();
        let reads_files = caps
            .experimental
            .as_ref()
            .and_then(|e| e.get(READ_FILE_CAPABILITY))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        self.projects.source = if reads_files {
            FileSource::Client
        } else {
            FileSource::Disk
        };
        self.session.encoding = Encoding(encoding);
        self.session.snippets = snippets;
        self.session.lazy_documentation = lazy_documentation;
        self.session.resolve_code_actions = resolve_code_actions;
        self.session.pull_configuration = workspace.and_then(|w| w.configuration).unwrap_or(false);
        self.session.watch_files_dynamically = workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let mut folders: Vec<(String, PathBuf)> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| self.folder_of(&f.uri))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty() {
            if let Some(root) = params.root_uri.as_ref().and_then(|u| self.folder_of(u)) {
                folders.push(root);
            }
        }
        self.session.folders = folders;
        if let Some(value) = params
            .initialization_options
            .as_ref()
            .and_then(settings_from)
        {
            let (settings, problems) = ClientSettings::from_json(value);
            self.session.settings = settings;
            for p in problems {
                self.log_warning(p);
            }
        }
        self.settings_changed();
        let result = InitializeResult {
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
                        resolve_provider: resolve_code_actions.then_some(true),
                        ..CodeActionOptions::default()
                    },
                )),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "iamlint".to_string(),
                // The catalog's origin too: the editors' "show the catalog version" reads it.
                version: Some(format!(
                    "{} ({})",
                    env!("CARGO_PKG_VERSION"),
                    iamlint_core::catalog::catalog().summary()
                )),
            }),
            offset_encoding: None,
        };
        serde_json::to_value(result).unwrap_or(Value::Null)
    }

    pub(crate) fn initialized(&mut self) {
        if self.session.watch_files_dynamically {
            let registration = Registration {
                id: "iamlint-config-watcher".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: Some(json!({
                    "watchers": [{ "globPattern": format!("**/{}", config::FILE_NAME) }]
                })),
            };
            self.ask(
                "client/registerCapability",
                json!({ "registrations": [registration] }),
                Sent::Registration,
            );
        }
        // With settings to pull, everything is analysed again when they arrive.
        if !self.pull_settings() {
            self.schedule_all();
        }
    }

    pub(crate) fn did_open(&mut self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let (path, folder) = self.locate(&doc.uri);
        let revision = self.next_revision();
        // Re-opening keeps a running analysis job (it will see the new revision).
        let running = self.docs.get(&doc.uri).is_some_and(|e| e.running);
        self.docs.insert(
            doc.uri.clone(),
            DocEntry {
                doc: Document {
                    version: doc.version,
                    text: Text::new(doc.text),
                    revision,
                    analysis: None,
                },
                path,
                folder,
                running,
                waiting: false,
                latest: Arc::new(AtomicU64::new(revision)),
                options: None,
            },
        );
        self.schedule(&doc.uri);
    }

    pub(crate) fn did_change(&mut self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let encoding = self.encoding();
        let revision = self.next_revision();
        let Some(entry) = self.docs.get_mut(&uri) else {
            return;
        };
        // An edit older than what we hold arrived late: it is already included.
        if version <= entry.doc.version {
            return;
        }
        let text = store::apply_changes(&entry.doc.text, params.content_changes, encoding);
        entry.doc.version = version;
        entry.doc.revision = revision;
        entry
            .latest
            .store(revision, std::sync::atomic::Ordering::Release);
        let replaced = (
            std::mem::replace(&mut entry.doc.text, text),
            entry.doc.analysis.take(),
        );
        self.schedule(&uri);
        // The previous version (its syntax tree, its findings and their fixes) is freed once
        // the analysis of this one is on its way, not before.
        drop(replaced);
    }

    pub(crate) fn did_save(&mut self, params: DidSaveTextDocumentParams) {
        if is_config_file(&params.text_document.uri) {
            self.config_changed();
        }
    }

    pub(crate) fn did_close(&mut self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        // Closing iamlint.toml keeps the configuration's problems shown on it.
        if self.docs.remove(&uri).is_some() && !is_config_file(&uri) {
            self.notify(
                "textDocument/publishDiagnostics",
                json!({"uri": uri, "diagnostics": []}),
            );
        }
    }

    pub(crate) fn did_change_configuration(&mut self, params: Value) {
        let settings = params.get("settings").and_then(settings_from).cloned();
        match settings {
            Some(value) => {
                self.apply_settings(&value);
                self.schedule_all();
            }
            None => {
                if !self.pull_settings() {
                    self.schedule_all();
                }
            }
        }
    }

    pub(crate) fn did_change_watched_files(&mut self, params: DidChangeWatchedFilesParams) {
        if params.changes.iter().any(|c| is_config_file(&c.uri)) {
            self.config_changed();
        }
    }

    /// Answer request `id` with `f` on the current version of a document (null when it is not
    /// open). When its syntax tree is at hand (the usual case: the analysis of each version
    /// parses it) `f` runs right here; otherwise a job parses first, and the request stays
    /// cancellable meanwhile.
    fn answer<F>(&mut self, id: Value, uri: &Uri, f: F)
    where
        F: FnOnce(&Prepared<'_>) -> Option<Value> + Send + 'static,
    {
        let Some(options) = self.options_now(uri) else {
            return self.send(crate::protocol::response(id, Value::Null));
        };
        let Some(entry) = self.docs.get(uri) else {
            return self.send(crate::protocol::response(id, Value::Null));
        };
        let text = entry.doc.text.clone();
        let analysis = entry
            .doc
            .analysis
            .as_ref()
            .filter(|(rev, _)| *rev == entry.doc.revision)
            .map(|(_, a)| a.clone());
        let target = uri.clone();
        let compute = move || {
            // Trees of documents too large to analyse are not kept (a 10 MB document's tree is
            // many times its size); requests on them parse it each time.
            let transient;
            let host = text.host(&target);
            let syntax = if host.is_some() {
                transient = syntax::parse("");
                &transient
            } else if text.text.len() > MAX_ANALYSED_BYTES {
                transient = syntax::parse(&text.text);
                &transient
            } else {
                text.syntax()
            };
            f(&Prepared {
                text: &text,
                host,
                syntax,
                options: &options,
                analysis: analysis.as_deref(),
            })
            .unwrap_or(Value::Null)
        };
        // Right here only when what `compute` needs is at hand: a policy's kept tree or a host's
        // policies; a policy too large to keep its tree is parsed again, in a cancellable job.
        let doc_text = &entry.doc.text;
        let reparsed =
            doc_text.text.len() > MAX_ANALYSED_BYTES && !doc_text.is_host_with_policies();
        if !reparsed && (doc_text.is_parsed() || doc_text.is_host_read()) {
            let result = compute();
            return self.send(crate::protocol::response(id, result));
        }
        self.in_flight.push(id.clone());
        self.run(Job(Work::Answer {
            id,
            compute: Box::new(compute),
        }));
    }

    pub(crate) fn hover(&mut self, id: Value, params: HoverParams) {
        let pos = params.text_document_position_params;
        let encoding = self.encoding();
        let uri = pos.text_document.uri.clone();
        self.answer(id, &uri, move |doc| {
            let offset = doc.text.offset(pos.position, encoding);
            if let Some(host) = doc.host {
                let hover = ide::hover_in_host(host, offset)?;
                return serde_json::to_value(convert::hover(hover, doc.text, encoding)).ok();
            }
            if !doc.options.matched_glob && !doc.text.is_policy() {
                return None;
            }
            let hover = ide::hover_in(&doc.text.text, doc.syntax, offset)?;
            serde_json::to_value(convert::hover(hover, doc.text, encoding)).ok()
        });
    }

    pub(crate) fn completion(&mut self, id: Value, params: CompletionParams) {
        let pos = params.text_document_position;
        let encoding = self.encoding();
        let snippets = self.session.snippets;
        // completionItem/resolve finds the item again from the request's document and position.
        let data = self.session.lazy_documentation.then(|| {
            let s = &mut self.session;
            s.completion_count += 1;
            let n = s.completion_count;
            if s.completions.len() == COMPLETIONS_REMEMBERED {
                s.completions.pop_front();
            }
            s.completions
                .push_back((n, pos.text_document.uri.clone(), pos.position));
            Value::from(n)
        });
        let uri = pos.text_document.uri.clone();
        self.answer(id, &uri, move |doc| {
            let t = &doc.text.text;
            // A document with no keys yet may become a policy: offer the top-level elements.
            let started =
                t.trim().is_empty() || t.trim_start().starts_with('{') && !t.contains(':');
            if doc.host.is_none() && !doc.options.matched_glob && !started && !doc.text.is_policy()
            {
                return None;
            }
            let offset = doc.text.offset(pos.position, encoding);
            let list = match doc.host {
                Some(host) => ide::completion_list_in_host(
                    host,
                    offset,
                    &doc.options.options,
                    COMPLETION_LIMIT,
                ),
                None => {
                    let options = completion_options(doc);
                    ide::completion_list(t, doc.syntax, offset, &options, COMPLETION_LIMIT)
                }
            };
            // Every item of a list replaces the same span: convert it once.
            let mut ranges = convert::RangeCache::default();
            let items: Vec<CompletionItem> = list
                .items
                .into_iter()
                .map(|i| {
                    let range = ranges.range(doc.text, i.replace_span, encoding);
                    let mut item = convert::completion(i, range, snippets);
                    // Resolving finds items again in a policy's text; a host's keep theirs.
                    if let Some(data) = data.as_ref().filter(|_| doc.host.is_none()) {
                        item.documentation = None;
                        item.data = Some(data.clone());
                    }
                    item
                })
                .collect();
            let response = if list.is_incomplete {
                CompletionResponse::List(CompletionList {
                    is_incomplete: true,
                    items,
                })
            } else {
                CompletionResponse::Array(items)
            };
            serde_json::to_value(response).ok()
        });
    }

    pub(crate) fn completion_resolve(&mut self, id: Value, item: CompletionItem) {
        let request = item.data.as_ref().and_then(Value::as_u64).and_then(|n| {
            self.session
                .completions
                .iter()
                .find(|(m, _, _)| *m == n)
                .map(|(_, uri, position)| (uri.clone(), *position))
        });
        let Some((uri, position)) = request else {
            let value = serde_json::to_value(item).unwrap_or(Value::Null);
            return self.send(crate::protocol::response(id, value));
        };
        let encoding = self.encoding();
        self.answer(id, &uri, move |doc| {
            let mut item = item;
            let offset = doc.text.offset(position, encoding);
            let options = completion_options(doc);
            if let Some(value) = ide::completion_documentation(
                &doc.text.text,
                doc.syntax,
                offset,
                &options,
                &item.label,
            ) {
                item.documentation = Some(Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                }));
            }
            serde_json::to_value(item).ok()
        });
    }

    pub(crate) fn code_action(&mut self, id: Value, params: CodeActionParams) {
        let uri = params.text_document.uri;
        let encoding = self.encoding();
        let only = params.context.only;
        let range = params.range;
        // With resolve, each action carries what finds it again: this version (its revision),
        // the range asked and its place in the list; the edit is added when it is chosen.
        let resolve = self.session.resolve_code_actions;
        let revision = self.docs.get(&uri).map_or(0, |e| e.doc.revision);
        let target = uri.clone();
        self.answer(id, &target, move |doc| {
            let span = doc.text.span(range, encoding);
            let actions: Vec<CodeActionOrCommand> =
                with_actions(doc, span, |actions, analysis| {
                    actions
                        .into_iter()
                        .enumerate()
                        .filter(|(_, a)| kind_requested(only.as_ref(), a.kind.as_str()))
                        .map(|(n, a)| {
                            let diagnostic = a
                                .diagnostic_index
                                .and_then(|i| analysis.diagnostics.get(i))
                                .map(|d| convert::diagnostic(d, doc.text, &uri, encoding));
                            let mut action =
                                convert::code_action(a, diagnostic, doc.text, &uri, encoding);
                            if resolve {
                                action.edit = None;
                                action.data = Some(json!({
                                    "uri": uri,
                                    "revision": revision,
                                    "span": [span.start, span.end],
                                    "n": n,
                                }));
                            }
                            CodeActionOrCommand::CodeAction(action)
                        })
                        .collect()
                })?;
            serde_json::to_value(actions).ok()
        });
    }

    /// codeAction/resolve: the edit of an action a code action request listed, computed again
    /// (from the fixes that request built) for the version it was listed for. Once the document
    /// has changed the action comes back as it was, without an edit: it would not fit the text.
    pub(crate) fn code_action_resolve(&mut self, id: Value, action: CodeAction) {
        let data = action.data.clone().unwrap_or(Value::Null);
        let found = (|| {
            let uri: Uri = serde_json::from_value(data.get("uri")?.clone()).ok()?;
            let revision = data.get("revision")?.as_u64()?;
            let span = data.get("span")?.as_array()?;
            let span = Span::new(
                usize::try_from(span.first()?.as_u64()?).ok()?,
                usize::try_from(span.get(1)?.as_u64()?).ok()?,
            );
            let n = usize::try_from(data.get("n")?.as_u64()?).ok()?;
            let current = self.docs.get(&uri)?.doc.revision == revision;
            current.then_some((uri, span, n))
        })();
        let Some((uri, span, n)) = found else {
            let value = serde_json::to_value(action).unwrap_or(Value::Null);
            return self.send(crate::protocol::response(id, value));
        };
        let encoding = self.encoding();
        let target = uri.clone();
        self.answer(id, &target, move |doc| {
            let mut action = action;
            let chosen = with_actions(doc, span, |mut actions, _| {
                (n < actions.len()).then(|| actions.swap_remove(n))
            })
            .flatten()
            // The same action (the list of a version is the same each time it is computed).
            .filter(|a| a.title == action.title);
            if let Some(a) = chosen {
                action.edit = convert::code_action(a, None, doc.text, &uri, encoding).edit;
            }
            serde_json::to_value(action).ok()
        });
    }
}

/// `f` on the code actions at `span` of this version and the analysis they come from: the
/// analysis of the version when at hand, else one made now with every fix. None for a
/// document that is not analysed.
fn with_actions<T>(
    doc: &Prepared<'_>,
    span: Span,
    f: impl FnOnce(Vec<ide::CodeAction>, &iamlint_core::Analysis) -> T,
) -> Option<T> {
    let computed;
    let analysed = match doc.analysis {
        Some(a) => a,
        None => {
            if doc.text.text.len() > MAX_ANALYSED_BYTES
                || (doc.host.is_none() && !doc.options.matched_glob && !doc.text.is_policy())
            {
                return None;
            }
            computed = Analysed::eager(match doc.host {
                Some(host) => ide::host_analysis(&doc.text.text, host, &doc.options.options),
                None => analyze_parsed(&doc.text.text, doc.syntax, &doc.options.options),
            });
            &computed
        }
    };
    let actions = analysed.code_actions(&doc.text.text, doc.syntax, &doc.options.options, span);
    Some(f(actions, &analysed.analysis))
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

/// The options completion needs. With the analysis of this version at hand its resolved policy
/// type is used, so offering statement elements does not rebuild the policy to infer it.
fn completion_options(doc: &Prepared<'_>) -> iamlint_core::AnalyzeOptions {
    let mut options = doc.options.options.clone();
    if let Some(analysis) = doc.analysis {
        options.policy_type = analysis.analysis.policy_type.clone();
    }
    options
}
