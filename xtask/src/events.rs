//! `cargo xtask events [--check | --dump]`: builds `core/data/events.bin` and
//! `core/data/events-source.txt`, the CloudTrail event to IAM action mapping, from the pinned
//! botocore wheel (PyPI, Apache-2.0) joined with the embedded catalog, plus the reviewed
//! [`exceptions`].
//!
//! The wheel is fetched with `pip download` into the git-ignored `.cache/botocore/` and its
//! service models unpacked there (skipped when present); nothing is fetched at run time.
//! `--check` regenerates in memory and fails if the committed files differ; `--dump` prints the
//! committed mapping as tab-separated lines (source, event, actions, data), `--actions` every
//! catalog action with what CloudTrail shows of it, and `--lookup` the answer of the core's
//! lookup for each `source \t event` line of its input, for comparisons
//! (scripts/compare-trailscraper.sh). `iamlint-core`'s test
//! `activity::mapping::tests::committed_data_is_current` calls [`generate`] directly.
//!
//! # How the table is made
//! For every botocore service model (all API versions of it, newest first): the event source is
//! `<endpointPrefix>.amazonaws.com`, and also `<signingName>.amazonaws.com` when the signing name
//! differs (the ECR, SageMaker and SES APIs log under their signing name); an alias never
//! replaces an event that a model whose endpoint prefix is that source gives. Each operation is
//! joined with the catalog: the action of the same name (without case) in the first IAM prefix
//! of: the source's [`exceptions::Exception::SourcePrefix`], the signing name, the endpoint
//! prefix, the model's directory name. Operations with no such action are left out (and counted
//! in the source file). Then the exceptions' events replace or add entries, and their data
//! events and never-logged actions are marked.
//!
//! # Format (read by `core/src/activity/mapping.rs`)
//! All integers are LEB128 varints; strings are (length, UTF-8 bytes).
//! ```text
//! header line (ASCII, ends with '\n', says the file is generated)
//! magic "IAMEVT" + format byte 1
//! botocore version, catalog version       (strings)
//! services: n, then n × (IAM prefix, the catalog's action count for it)
//! never logged: n, then n × action
//! sources: n, then per source, sorted:
//!   name without ".amazonaws.com", n events, then per event, sorted by lower-case name:
//!     flags (1 = data event, 2 = explicit)
//!     explicit: name, n, n × (action, resource role code)
//!     otherwise: action (the event is named like it and needs it on its target)
//! action = service index, index of the action in that catalog service's action list
//! ```

pub mod exceptions;

use crate::catalog::{raw_str, varint, workspace_root, Generated};
use exceptions::{Exception, EXCEPTIONS};
use iamlint_core::activity::mapping::{flags, EventActions, ResourceRole, MAGIC};
use iamlint_core::catalog::catalog;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const PACKAGE: &str = "botocore";
pub const VERSION: &str = "1.44.18";
const USAGE: &str = "cargo xtask events [--check | --dump | --actions | --lookup]";

/// Where the unpacked service models live: `<root>/.cache/botocore/<version>/botocore/data`.
pub fn models_dir(root: &Path) -> PathBuf {
    root.join(".cache")
        .join("botocore")
        .join(VERSION)
        .join("botocore")
        .join("data")
}

/// True if the pinned models are unpacked (the fetch writes `complete` last).
pub fn models_present(root: &Path) -> bool {
    root.join(".cache")
        .join("botocore")
        .join(VERSION)
        .join("complete")
        .is_file()
}

pub fn run(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    match args.first().map(String::as_str) {
        Some("--dump") if args.len() == 1 => return dump(),
        Some("--actions") if args.len() == 1 => return dump_actions(),
        Some("--lookup") if args.len() == 1 => return lookup(),
        Some("--check") | None if args.len() <= 1 => {}
        _ => return Err(format!("unknown arguments {args:?} (usage: {USAGE})")),
    }
    let check = args.first().is_some_and(|a| a == "--check");
    if !models_present(&root) {
        fetch(&root)?;
    }
    let generated = generate(&models_dir(&root))?;
    generated.write_or_check(&root, "events", check)
}

/// One line of `--dump` and `--lookup`: `source \t event \t action[@source],... \t kind`, kind
/// `data`, `management`, or `unknown` (with no actions).
fn line(source: &str, event: &str, a: Option<&EventActions<'_>>) -> String {
    let Some(a) = a else {
        return format!("{source}\t{event}\t\tunknown");
    };
    let actions: Vec<String> = a
        .actions
        .iter()
        .map(|x| match x.resource {
            ResourceRole::Target => x.action.to_string(),
            ResourceRole::Source => format!("{}@source", x.action),
        })
        .collect();
    let kind = if a.data_event { "data" } else { "management" };
    format!("{source}\t{event}\t{}\t{kind}", actions.join(","))
}

/// Prints the committed mapping, one [`line`] per event, sorted.
fn dump() -> Result<(), String> {
    let m = iamlint_core::activity::mapping::mapping();
    if let Some(e) = m.error() {
        return Err(e.to_string());
    }
    let mut lines: Vec<String> = m
        .events()
        .map(|(source, event, a)| line(&source, &event, Some(&a)))
        .collect();
    lines.sort();
    let mut out = lines.join("\n");
    out.push('\n');
    use std::io::Write;
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| e.to_string())
}

/// Reads `source \t event` lines from standard input and prints the core's answer for each as a
/// [`line`] (the lookup strips API versions, as it does for real events).
fn lookup() -> Result<(), String> {
    use std::io::{BufRead, Write};
    let mut out = String::new();
    for l in std::io::stdin().lock().lines() {
        let l = l.map_err(|e| e.to_string())?;
        let (source, event) = l.split_once('\t').unwrap_or((&l, ""));
        let a = iamlint_core::activity::mapping::actions_for_event(source, event);
        out.push_str(&line(source, event, a.as_ref()));
        out.push('\n');
    }
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| e.to_string())
}

/// Prints every catalog action with its tracking: `action \t management|data|never:<reason>`.
fn dump_actions() -> Result<(), String> {
    use iamlint_core::activity::mapping::{tracking, NeverLogged, Tracking};
    let mut out = String::new();
    for service in catalog().services() {
        for a in service.actions() {
            let name = a.full_name();
            let kind = match tracking(&name) {
                Tracking::Management => "management",
                Tracking::Data => "data",
                Tracking::NeverLogged(NeverLogged::PermissionOnly) => "never:permission-only",
                Tracking::NeverLogged(NeverLogged::NoEvent) => "never:no-event",
            };
            out.push_str(&format!("{name}\t{kind}\n"));
        }
    }
    use std::io::Write;
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| e.to_string())
}

/// `pip download` the pinned wheel into `.cache/botocore/` and unpack its service models.
fn fetch(root: &Path) -> Result<(), String> {
    let cache = root.join(".cache").join("botocore");
    std::fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    let spec = format!("{PACKAGE}=={VERSION}");
    eprintln!("fetching {spec} with pip download");
    let status = Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
        ])
        .arg(&cache)
        .arg(&spec)
        .status()
        .map_err(|e| format!("cannot run python3 -m pip: {e}"))?;
    if !status.success() {
        return Err(format!("pip download {spec} failed"));
    }
    let wheel = cache.join(format!("{PACKAGE}-{VERSION}-py3-none-any.whl"));
    let dest = cache.join(VERSION);
    if dest.exists() {
        std::fs::remove_dir_all(&dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    }
    let run = |cmd: &mut Command| -> Result<(), String> {
        let s = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
        s.success()
            .then_some(())
            .ok_or_else(|| format!("{cmd:?} failed"))
    };
    run(Command::new("unzip")
        .args(["-q", "-o"])
        .arg(&wheel)
        .arg("botocore/data/*/service-2.json.gz")
        .arg("-d")
        .arg(&dest))?;
    run(Command::new("gzip").args(["-d", "-r", "-f"]).arg(&dest))?;
    std::fs::write(dest.join("complete"), VERSION).map_err(|e| e.to_string())?;
    Ok(())
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// One botocore service (all its API versions).
struct Model {
    dir: String,
    endpoint_prefix: String,
    signing_name: Option<String>,
    /// Operation name -> HTTP method, over all versions (newest first wins).
    operations: BTreeMap<String, String>,
}

fn read_models(dir: &Path) -> Result<Vec<Model>, String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let mut versions: Vec<PathBuf> = std::fs::read_dir(dir.join(&name))
            .map_err(|e| format!("{name}: {e}"))?
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("service-2.json"))
            .filter(|p| p.is_file())
            .collect();
        versions.sort();
        versions.reverse();
        let mut model: Option<Model> = None;
        for path in versions {
            let v = read_json(&path)?;
            let meta = v.get("metadata").ok_or(format!("{name}: no metadata"))?;
            let m = model.get_or_insert_with(|| Model {
                dir: name.clone(),
                endpoint_prefix: meta
                    .get("endpointPrefix")
                    .and_then(Value::as_str)
                    .unwrap_or(&name)
                    .to_ascii_lowercase(),
                signing_name: meta
                    .get("signingName")
                    .and_then(Value::as_str)
                    .map(str::to_ascii_lowercase),
                operations: BTreeMap::new(),
            });
            for (op, def) in v
                .get("operations")
                .and_then(Value::as_object)
                .ok_or(format!("{name}: no operations"))?
            {
                let method = def
                    .pointer("/http/method")
                    .and_then(Value::as_str)
                    .unwrap_or("POST")
                    .to_string();
                m.operations.entry(op.clone()).or_insert(method);
            }
        }
        out.extend(model);
    }
    Ok(out)
}

/// An action: (IAM prefix as the catalog spells it, index in that service's action list).
type ActionRef = (String, usize);

/// Catalog lookups by prefix and action name, without case.
struct Actions {
    by_service: HashMap<String, (String, HashMap<String, usize>)>,
}

impl Actions {
    fn new() -> Actions {
        let by_service = catalog()
            .services()
            .map(|s| {
                let names = s
                    .actions()
                    .enumerate()
                    .map(|(i, a)| (a.name().to_ascii_lowercase(), i))
                    .collect();
                (
                    s.prefix().to_ascii_lowercase(),
                    (s.prefix().to_string(), names),
                )
            })
            .collect();
        Actions { by_service }
    }

    fn find(&self, prefix: &str, name: &str) -> Option<ActionRef> {
        let (p, names) = self.by_service.get(&prefix.to_ascii_lowercase())?;
        names
            .get(&name.to_ascii_lowercase())
            .map(|&i| (p.clone(), i))
    }

    fn parse(&self, full: &str) -> Result<ActionRef, String> {
        let (prefix, name) = full
            .split_once(':')
            .ok_or(format!("'{full}' is not prefix:Name"))?;
        self.find(prefix, name).ok_or(format!(
            "exception names {full}, which is not in the catalog"
        ))
    }
}

struct Event {
    name: String,
    actions: Vec<(ActionRef, ResourceRole)>,
    data: bool,
    explicit: bool,
}

/// Reads the models at `dir` and encodes the mapping. Pure apart from reading `dir`.
pub fn generate(dir: &Path) -> Result<Generated, String> {
    let models = read_models(dir)?;
    let actions = Actions::new();
    let source_prefix: HashMap<&str, &str> = EXCEPTIONS
        .iter()
        .filter_map(|e| match e.exception {
            Exception::SourcePrefix { source, prefix } => Some((source, prefix)),
            _ => None,
        })
        .collect();
    let http_method: HashMap<&str, &str> = EXCEPTIONS
        .iter()
        .filter_map(|e| match e.exception {
            Exception::HttpMethod { source, prefix } => Some((source, prefix)),
            _ => None,
        })
        .collect();

    // source -> lower-case event name -> event
    let mut sources: BTreeMap<String, BTreeMap<String, Event>> = BTreeMap::new();
    let mut unmapped = 0usize;
    let mut operations = 0usize;
    // Primary sources first, so an alias never replaces what a model's own endpoint gives.
    for alias_pass in [false, true] {
        for m in &models {
            let source = if alias_pass {
                match &m.signing_name {
                    Some(s) if *s != m.endpoint_prefix => s.clone(),
                    _ => continue,
                }
            } else {
                m.endpoint_prefix.clone()
            };
            let mut candidates: Vec<&str> = Vec::new();
            candidates.extend(source_prefix.get(source.as_str()).copied());
            candidates.extend(m.signing_name.as_deref());
            candidates.push(&m.endpoint_prefix);
            candidates.push(&m.dir);
            let events = sources.entry(source.clone()).or_default();
            for (op, method) in &m.operations {
                if !alias_pass {
                    operations += 1;
                }
                let key = op.to_ascii_lowercase();
                if events.contains_key(&key) {
                    continue;
                }
                let found = match http_method.get(source.as_str()) {
                    Some(prefix) => actions.find(prefix, method),
                    None => candidates.iter().find_map(|p| actions.find(p, op)),
                };
                match found {
                    Some(a) => {
                        let explicit = catalog_name(&a)?.to_ascii_lowercase() != key;
                        events.insert(
                            key,
                            Event {
                                name: op.clone(),
                                actions: vec![(a, ResourceRole::Target)],
                                data: false,
                                explicit,
                            },
                        );
                    }
                    None if !alias_pass => unmapped += 1,
                    None => {}
                }
            }
        }
    }
    sources.retain(|_, events| !events.is_empty());

    // Reviewed exceptions.
    let mut never_logged = Vec::new();
    let mut applied = 0usize;
    for entry in EXCEPTIONS {
        match &entry.exception {
            Exception::Event {
                source,
                event,
                actions: list,
            } => {
                let resolved = list
                    .iter()
                    .map(|(a, role)| Ok((actions.parse(a)?, *role)))
                    .collect::<Result<Vec<_>, String>>()?;
                sources.entry(source.to_string()).or_default().insert(
                    event.to_ascii_lowercase(),
                    Event {
                        name: event.to_string(),
                        actions: resolved,
                        data: false,
                        explicit: true,
                    },
                );
                applied += 1;
            }
            Exception::NeverLogged { action } => never_logged.push(actions.parse(action)?),
            _ => {}
        }
    }
    for entry in EXCEPTIONS {
        if let Exception::DataEvents { source, events } = &entry.exception {
            for ev in events.iter() {
                let e = sources
                    .get_mut(*source)
                    .and_then(|s| s.get_mut(&ev.to_ascii_lowercase()))
                    .ok_or(format!(
                        "data event {source} {ev} is not a known event ({})",
                        entry.why
                    ))?;
                e.data = true;
            }
        }
    }
    Ok(encode(
        &sources,
        &never_logged,
        Stats {
            models: models.len(),
            operations,
            unmapped,
            applied,
        },
    ))
}

fn catalog_name(a: &ActionRef) -> Result<&'static str, String> {
    catalog()
        .service(&a.0)
        .and_then(|s| s.actions().nth(a.1))
        .map(|x| x.name())
        .ok_or_else(|| format!("{}:#{} is not in the catalog", a.0, a.1))
}

struct Stats {
    models: usize,
    operations: usize,
    unmapped: usize,
    applied: usize,
}

fn encode(
    sources: &BTreeMap<String, BTreeMap<String, Event>>,
    never_logged: &[ActionRef],
    stats: Stats,
) -> Generated {
    // Services in order of first use.
    let mut services: Vec<String> = Vec::new();
    let mut service_ids: HashMap<String, usize> = HashMap::new();
    let mut note = |prefix: &str| {
        if !service_ids.contains_key(prefix) {
            service_ids.insert(prefix.to_string(), services.len());
            services.push(prefix.to_string());
        }
    };
    for a in never_logged {
        note(&a.0);
    }
    for events in sources.values() {
        for e in events.values() {
            for (a, _) in &e.actions {
                note(&a.0);
            }
        }
    }
    let action = |out: &mut Vec<u8>, a: &ActionRef| {
        varint(out, service_ids[&a.0] as u64);
        varint(out, a.1 as u64);
    };

    let mut out = Vec::new();
    out.extend_from_slice(
        b"# GENERATED by `cargo xtask events`; do not edit. CloudTrail event to IAM action mapping.\n",
    );
    out.extend_from_slice(MAGIC);
    let cat = catalog();
    raw_str(&mut out, VERSION);
    raw_str(&mut out, cat.source_version());
    varint(&mut out, services.len() as u64);
    for s in &services {
        raw_str(&mut out, s);
        let count = cat.service(s).map_or(0, |x| x.actions().count());
        varint(&mut out, count as u64);
    }
    varint(&mut out, never_logged.len() as u64);
    for a in never_logged {
        action(&mut out, a);
    }
    varint(&mut out, sources.len() as u64);
    let (mut events_total, mut data_total, mut explicit_total) = (0, 0, 0);
    let mut covered: BTreeSet<&ActionRef> = BTreeSet::new();
    for (source, events) in sources {
        raw_str(&mut out, source);
        varint(&mut out, events.len() as u64);
        for e in events.values() {
            events_total += 1;
            let mut f = 0;
            if e.data {
                f |= flags::DATA;
                data_total += 1;
            }
            let explicit = e.explicit || e.actions.len() != 1;
            if explicit {
                f |= flags::EXPLICIT;
                explicit_total += 1;
            }
            varint(&mut out, f);
            if explicit {
                raw_str(&mut out, &e.name);
                varint(&mut out, e.actions.len() as u64);
                for (a, role) in &e.actions {
                    action(&mut out, a);
                    varint(&mut out, u64::from(role.code()));
                }
            } else {
                action(&mut out, &e.actions[0].0);
            }
            covered.extend(e.actions.iter().map(|(a, _)| a));
        }
    }

    let source_txt = format!(
        "# GENERATED by `cargo xtask events`; do not edit. Describes core/data/events.bin.\n\
         package: {PACKAGE} (PyPI, Apache-2.0)\n\
         version: {VERSION}\n\
         catalog: {}@{}\n\
         service models: {}\n\
         operations: {} (over all API versions), {} with no catalog action of the same name\n\
         event sources: {}\n\
         events: {} ({} data events, {} written out by the reviewed exceptions or named unlike their action)\n\
         exceptions: {} reviewed entries ({} events)\n\
         catalog actions with an event: {} of {}\n\
         never logged: {}\n\
         bytes: {}\n",
        cat.source_package(),
        cat.source_version(),
        stats.models,
        stats.operations,
        stats.unmapped,
        sources.len(),
        events_total,
        data_total,
        explicit_total,
        EXCEPTIONS.len(),
        stats.applied,
        covered.len(),
        cat.action_count(),
        never_logged
            .iter()
            .map(|a| format!("{}:{}", a.0, catalog_name(a).unwrap_or("?")))
            .collect::<Vec<_>>()
            .join(", "),
        out.len(),
    );
    Generated {
        bin: out,
        source_txt,
    }
}
