//! `iamlint generate` and `iamlint unused`: a principal's activity from CloudTrail logs (or usage
//! rows), read here in parallel across files and in chunks within each file, and handed to the
//! core (`iamlint_core::activity`), which does everything else. Exit code 0, or 2 for bad input
//! (what could be read is still used and printed).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use iamlint_core::activity::folder::log_files;
use iamlint_core::activity::generate::{generate, Generated, ResourceMode};
use iamlint_core::activity::record::{read_log_from, ReadError};
use iamlint_core::activity::unused::{unused, UnusedReport};
use iamlint_core::activity::usage::{
    parse_usage, Counter, Filter, FilterOption, FilterOptions, Usage,
};
use iamlint_lsp::list_folder;

/// The activity to read: the options `generate` and `unused` share.
#[derive(clap::Args)]
pub struct ActivityArgs {
    /// CloudTrail logs: files as delivered to S3 ({"Records": [...]}, .json or .json.gz),
    /// directories of them (searched recursively), or `aws cloudtrail lookup-events` output.
    #[arg(long = "cloudtrail", value_name = "PATH", num_args = 1..)]
    cloudtrail: Vec<PathBuf>,
    /// Usage rows instead of (or besides) logs: CSV or JSON lines with principal, eventSource,
    /// eventName, count, lastSeen (the query in docs/activity.md makes them).
    #[arg(long = "usage", value_name = "FILE")]
    usage: Vec<PathBuf>,
    /// The principal: a role ARN (which matches its sessions), a user ARN or an assumed-role ARN.
    #[arg(long, value_name = "ARN")]
    principal: String,
    /// Only events at or after this time (RFC 3339, or a date).
    #[arg(long, value_name = "T")]
    since: Option<String>,
    /// Only events at or before this time (RFC 3339, or a date: up to the end of that day).
    #[arg(long, value_name = "T")]
    until: Option<String>,
    /// Count calls that failed (an errorCode) too.
    #[arg(long)]
    include_denied: bool,
}

#[derive(clap::Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    activity: ActivityArgs,
    /// Resource of the statements: observed (the resources the events named, else the resource
    /// type's ARN pattern), placeholder (ARN patterns to fill in) or star ("*").
    #[arg(long, value_name = "MODE", default_value = "observed")]
    resources: String,
    /// Output: policy (the policy documents), json or human.
    #[arg(long, default_value = "policy")]
    format: String,
}

#[derive(clap::Args)]
pub struct UnusedArgs {
    /// The identity-based policy whose grants are checked against the activity.
    #[arg(long, value_name = "FILE")]
    policy: PathBuf,
    #[command(flatten)]
    activity: ActivityArgs,
    /// Output: human or json.
    #[arg(long, default_value = "human")]
    format: String,
}

/// Bytes read from a file at a time: large enough that reading costs little, small enough that
/// a file of any size stays within a bounded memory.
const CHUNK: usize = 256 << 10;

/// The usage of the principal, read from every input; input errors are printed as they are
/// found. Err for arguments that make reading pointless.
struct Activity {
    pub usage: Usage,
    pub filter: Filter,
    /// Some input could not be read (whole or in part).
    pub had_errors: bool,
}

/// [`try_read_activity`], with an error in the arguments printed.
fn read_activity(cmd: &str, args: &ActivityArgs) -> Option<Activity> {
    try_read_activity(cmd, args)
        .map_err(|e| eprintln!("iamlint {cmd}: {e}"))
        .ok()
}

fn try_read_activity(cmd: &str, args: &ActivityArgs) -> Result<Activity, String> {
    if args.cloudtrail.is_empty() && args.usage.is_empty() {
        return Err(
            "give CloudTrail logs (--cloudtrail PATH...) or usage rows (--usage FILE)".into(),
        );
    }
    let filter = Filter::from_options(&FilterOptions {
        principal: &args.principal,
        since: args.since.as_deref(),
        until: args.until.as_deref(),
        include_denied: args.include_denied,
    })
    .map_err(|e| match e.option {
        FilterOption::Principal => e.message,
        FilterOption::Since => format!("--since: {}", e.message),
        FilterOption::Until => format!("--until: {}", e.message),
    })?;
    let mut had_errors = false;
    let mut files = Vec::new();
    for path in &args.cloudtrail {
        had_errors |= !collect_logs(cmd, path, &mut files);
    }
    let (mut usage, log_errors) = read_logs(cmd, &files, &filter);
    had_errors |= log_errors;
    for path in &args.usage {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("iamlint {cmd}: {}: {e}", path.display());
                had_errors = true;
                continue;
            }
        };
        let (rows, errors) = parse_usage(&text);
        for e in &errors {
            print_error(cmd, path, e);
        }
        had_errors |= !errors.is_empty();
        for row in &rows {
            usage.add_row(&filter, row);
        }
    }
    Ok(Activity {
        usage,
        filter,
        had_errors,
    })
}

/// Log files under `path`: the file itself, or the log files of a folder (the core's rule,
/// `activity::folder`). False if something could not be read (said on standard error).
fn collect_logs(cmd: &str, path: &Path, out: &mut Vec<PathBuf>) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            out.push(path.to_path_buf());
            return true;
        }
        Err(e) => {
            eprintln!("iamlint {cmd}: {}: {e}", path.display());
            return false;
        }
    }
    let found = log_files(path, &mut list_folder);
    out.extend(found.files);
    for link in &found.links_not_followed {
        eprintln!(
            "iamlint {cmd}: note: {}: a link to a folder is not followed (name it to read it)",
            link.display()
        );
    }
    for (folder, e) in &found.problems {
        eprintln!("iamlint {cmd}: {}: {e}", folder.display());
    }
    found.problems.is_empty()
}

/// Read the log files on one thread per core, each thread taking the next file and counting
/// into its own usage; the usages are merged at the end. True if any file had an error.
fn read_logs(cmd: &str, files: &[PathBuf], filter: &Filter) -> (Usage, bool) {
    let next = AtomicUsize::new(0);
    let total = Mutex::new(Usage::new());
    let errors = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut usage = Usage::new();
                let mut chunk = vec![0u8; CHUNK];
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    if !read_log(cmd, path, filter, &mut usage, &mut chunk) {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                if let Ok(mut total) = total.lock() {
                    total.merge(usage);
                }
            });
        }
    });
    let usage = total.into_inner().unwrap_or_default();
    (usage, errors.load(Ordering::Relaxed) > 0)
}

/// Read one log file into `usage`; false if it had errors (printed).
fn read_log(cmd: &str, path: &Path, filter: &Filter, usage: &mut Usage, chunk: &mut [u8]) -> bool {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("iamlint {cmd}: {}: {e}", path.display());
            return false;
        }
    };
    let mut ok = true;
    // Records of other principals and other times are decided from a glance at their bytes.
    let mut sink = Counter {
        usage,
        filter,
        on_error: |e: ReadError| {
            ok = false;
            print_error(cmd, path, &e);
        },
    };
    if let Err(e) = read_log_from(&mut file, chunk, &mut sink) {
        eprintln!("iamlint {cmd}: {}: {e}", path.display());
        return false;
    }
    ok
}

fn print_error(cmd: &str, path: &Path, e: &ReadError) {
    eprintln!(
        "iamlint {cmd}: {}:{}:{}: {}",
        path.display(),
        e.line,
        e.column,
        e.message
    );
}

pub fn run_generate(args: GenerateArgs) -> ExitCode {
    let cmd = "generate";
    let mode = match ResourceMode::from_option(Some(&args.resources)) {
        Ok(mode) => mode,
        Err(e) => {
            eprintln!("iamlint generate: --resources {e}");
            return ExitCode::from(2);
        }
    };
    if !matches!(args.format.as_str(), "policy" | "json" | "human") {
        eprintln!(
            "iamlint generate: --format must be policy, json or human, not '{}'",
            args.format
        );
        return ExitCode::from(2);
    }
    let Some(read) = read_activity(cmd, &args.activity) else {
        return ExitCode::from(2);
    };
    let filter = &read.filter;
    let generated = generate(
        &read.usage,
        &filter.principal,
        mode,
        filter.since,
        filter.until,
    );
    match args.format.as_str() {
        "json" => print!("{}", generated.to_json(filter.principal.arn())),
        "human" => print!("{}", human(&generated, filter.principal.arn())),
        _ => {
            for (i, policy) in generated.policies.iter().enumerate() {
                if i > 0 {
                    println!();
                }
                print!("{policy}");
            }
            for note in &generated.notes {
                eprintln!("note: {note}");
            }
            for u in &generated.unmapped {
                eprintln!(
                    "unmapped: {} {} ({} event{})",
                    u.event_source,
                    u.event_name,
                    u.events,
                    if u.events == 1 { "" } else { "s" }
                );
            }
        }
    }
    if read.had_errors {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn human(g: &Generated, principal: &str) -> String {
    let mut out = format!("Activity of {principal}");
    match (&g.period.from, &g.period.to) {
        (Some(from), Some(to)) => out.push_str(&format!(" from {from} to {to}\n")),
        _ => out.push('\n'),
    }
    out.push_str(&format!(
        "\n{} action{} used:\n",
        g.actions.len(),
        s(g.actions.len())
    ));
    let width = g.actions.iter().map(|a| a.action.len()).max().unwrap_or(0);
    for a in &g.actions {
        out.push_str(&format!(
            "  {:width$}  {:>7} event{}  last {}\n",
            a.action,
            a.events,
            if a.events == 1 { " " } else { "s" },
            a.last_seen
        ));
    }
    if !g.unmapped.is_empty() {
        out.push_str(&format!(
            "\n{} kind{} of event with no known IAM action (not in the policy):\n",
            g.unmapped.len(),
            s(g.unmapped.len())
        ));
        for u in &g.unmapped {
            out.push_str(&format!(
                "  {} {} ({} event{})\n",
                u.event_source,
                u.event_name,
                u.events,
                s(u.events as usize)
            ));
        }
    }
    if !g.notes.is_empty() {
        out.push_str("\nNotes:\n");
        for n in &g.notes {
            out.push_str(&format!("  - {n}\n"));
        }
    }
    for (i, p) in g.policies.iter().enumerate() {
        out.push_str(&format!("\nPolicy {} of {}:\n{p}", i + 1, g.policies.len()));
    }
    out
}

fn s(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

pub fn run_unused(args: UnusedArgs) -> ExitCode {
    let cmd = "unused";
    if !matches!(args.format.as_str(), "json" | "human") {
        eprintln!(
            "iamlint unused: --format must be human or json, not '{}'",
            args.format
        );
        return ExitCode::from(2);
    }
    let text = match std::fs::read_to_string(&args.policy) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("iamlint unused: {}: {e}", args.policy.display());
            return ExitCode::from(2);
        }
    };
    let Some(read) = read_activity(cmd, &args.activity) else {
        return ExitCode::from(2);
    };
    let report = match unused(&text, &read.usage) {
        Ok(r) => r,
        Err(errors) => {
            for e in errors {
                eprintln!(
                    "iamlint unused: {}:{}:{}: {}",
                    args.policy.display(),
                    e.line,
                    e.column,
                    e.message
                );
            }
            return ExitCode::from(2);
        }
    };
    if args.format == "json" {
        print!("{}", report.to_json());
    } else {
        print!("{}", human_unused(&report, &args.policy));
    }
    if read.had_errors {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// At most this many actions are spelled out per line of the human output.
const SHOWN: usize = 8;

fn some(actions: &[String]) -> String {
    let mut text = actions
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if actions.len() > SHOWN {
        text.push_str(&format!(" and {} more", actions.len() - SHOWN));
    }
    text
}

fn human_unused(r: &UnusedReport, path: &Path) -> String {
    let mut out = String::new();
    if r.unused.is_empty() {
        out.push_str("Every granted action that CloudTrail can show was used.\n");
    }
    for item in &r.unused {
        out.push_str(&format!(
            "{}:{}:{}: {} \"{}\": {} never used{}: {}\n",
            path.display(),
            item.line,
            item.column,
            item.statement,
            item.item,
            item.actions.len(),
            if item.removed { " (the item goes)" } else { "" },
            some(&item.actions)
        ));
    }
    out.push_str(&format!("\nUsed ({}): {}\n", r.used.len(), some(&r.used)));
    if !r.unused_services.is_empty() {
        out.push_str(&format!(
            "Services never used: {}\n",
            r.unused_services.join(", ")
        ));
    }
    out.push_str(&format!(
        "Untracked, CloudTrail cannot show them ({}): {}\n",
        r.untracked.len(),
        some(&r.untracked)
    ));
    for n in &r.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    if !r.unused.is_empty() {
        out.push_str("\nThe policy without the unused actions:\n");
        out.push_str(&r.policy);
        if !r.policy.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
