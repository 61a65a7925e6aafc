//! `iamlint check`: reads policy files (or stdin), finds each file's `iamlint.toml`, checks the
//! files in parallel with the core, prints the findings as text, JSON or SARIF and turns them into
//! an exit code: 0 when nothing reaches `--fail-on`, 1 when something does, 2 for usage or I/O
//! problems (a file that cannot be read is reported and the others are still checked).

use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use iamlint_core::host::{self, Format as HostFormat};
use iamlint_core::{analyze, Analysis, Category, PolicyType, Span};

pub(crate) mod config;
mod human;
pub(crate) mod inputs;
mod json;
mod positions;
mod sarif;

use inputs::{Input, Source};

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (searched recursively for *.json, *.tf, *.yaml, *.yml, *.template) or
    /// '-' for stdin. Terraform and CloudFormation files are checked policy by policy.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Check every file as this policy type instead of the type iamlint.toml gives or inference:
    /// auto, identity, resource, resource:<ResourceType>, trust, scp, rcp, boundary, session,
    /// vpc-endpoint. A JSON file named on the command line is then checked as a policy even if
    /// it looks like none (in a directory, such files are passed over).
    #[arg(long, value_name = "TYPE", value_parser = parse_policy_type)]
    pub policy_type: Option<PolicyType>,

    /// Use this iamlint.toml instead of looking for one from each file's folder upwards.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit with 1 when a finding of this category or a more severe one is found
    /// (error > security > warning > suggestion).
    #[arg(long, value_name = "CATEGORY", value_parser = parse_category, default_value = "error")]
    pub fail_on: Category,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code frames with the finding underlined, and a summary line.
    Human,
    /// The stable JSON contract described in docs/cli-json.md.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

fn parse_policy_type(s: &str) -> Result<PolicyType, String> {
    PolicyType::parse(s).ok_or_else(|| {
        format!(
            "unknown policy type '{s}'; expected one of: {} (or resource:<ResourceType>)",
            PolicyType::NAMES.join(", ")
        )
    })
}

pub(crate) fn parse_category(s: &str) -> Result<Category, String> {
    Category::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        format!(
            "unknown category '{s}'; expected one of: {}",
            names.join(", ")
        )
    })
}

/// One checked document: where it came from, its text and what the core found.
pub struct Checked {
    pub path: String,
    pub text: String,
    /// Every finding of the file, sorted by position then code. For a host file, `policy_type`
    /// is that of its first policy (the outputs use [`Host`] instead).
    pub analysis: Analysis,
    /// Set for a Terraform or CloudFormation file, and for a file that holds no policy
    /// (format `other`).
    pub host: Option<Host>,
    /// Named on the command line (or stdin), not found in a directory.
    pub named: bool,
}

/// The policies found in a host file, and which of them each finding is about.
pub struct Host {
    pub format: HostFormat,
    pub policies: Vec<HostPolicy>,
    /// For each of `analysis.diagnostics`, the index of its policy in `policies`; None for a
    /// syntax error of the host language.
    pub owners: Vec<Option<usize>>,
}

pub struct HostPolicy {
    /// `aws_iam_policy.admin`, `Resources/OpenRole/AssumeRolePolicyDocument`.
    pub name: String,
    pub policy_type: PolicyType,
    /// The policy's value in the host file.
    pub span: Span,
}

impl Checked {
    /// The policy a finding (by index in `analysis.diagnostics`) belongs to, for a host file.
    pub fn policy_of(&self, diagnostic: usize) -> Option<&HostPolicy> {
        let host = self.host.as_ref()?;
        host.policies.get((*host.owners.get(diagnostic)?)?)
    }

    /// The policy type to report for the whole file: the one used for a plain policy; for a host
    /// file the type its policies share, `mixed` when they differ, `none` when it has none.
    pub fn file_policy_type(&self) -> String {
        let Some(host) = &self.host else {
            return self.analysis.policy_type.name();
        };
        let mut types = host.policies.iter().map(|p| p.policy_type.name());
        match types.next() {
            None => "none".into(),
            Some(first) if types.all(|t| t == first) => first,
            Some(_) => "mixed".into(),
        }
    }
}

/// A file that could not be checked, and why.
pub struct Failure {
    pub path: String,
    pub error: String,
}

pub fn run(args: Args) -> ExitCode {
    // The tables every check of many files builds (the catalog's indexes, the ARN templates)
    // are built meanwhile on another thread: the walk and the configuration below leave a core
    // idle, and a worker building one on its first file kept the others waiting for it.
    if args.paths.len() > 1 || args.paths.iter().any(|p| p.is_dir()) {
        std::thread::spawn(iamlint_core::analysis::prepare);
    }
    let mut failures = Vec::new();
    let inputs = inputs::collect(&args.paths, &mut failures);

    let explicit_config = match &args.config {
        Some(path) => match config::load_explicit(path) {
            Ok(c) => Some(c),
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let mut discovery = config::ConfigFinder::default();
    let mut jobs = Vec::with_capacity(inputs.len());
    for input in inputs {
        let found = match &explicit_config {
            Some(c) => Ok(Some(c.clone())),
            None => discovery.for_input(&input),
        };
        match found {
            Ok(cfg) => {
                let (mut options, glob) = match &cfg {
                    Some(c) => c.options_for(&input),
                    None => Default::default(),
                };
                if let Some(t) = &args.policy_type {
                    options.policy_type = t.clone();
                }
                // The user's word that this file is a policy: an iamlint.toml glob naming it,
                // or a policy type given for files named on the command line.
                let said_policy = glob || (args.policy_type.is_some() && input.named);
                jobs.push(Job {
                    input,
                    options,
                    said_policy,
                });
            }
            // A broken iamlint.toml is a usage problem: say where, check nothing.
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
        }
    }

    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Not the locked handle: the workers write (one at a time, in order).
    let mut out = std::io::BufWriter::with_capacity(OUTPUT_BUFFER, std::io::stdout());
    let render = match args.format {
        Format::Json => Render::Json,
        Format::Human => Render::Human { color },
        Format::Sarif => Render::Keep,
    };
    // Files are written as soon as they and every file before them are done, so a large corpus
    // never sits in memory whole; SARIF needs all files first (one run, one rule table).
    let mut stream = Stream {
        out: &mut out,
        format: args.format,
        failures,
        summary: json::Summary::default(),
        kept: Vec::new(),
        written: 0,
        error: None,
    };
    stream.begin();
    check_in_parallel(jobs, render, |outcome| stream.take(outcome));
    let Stream {
        failures,
        summary,
        kept,
        error,
        ..
    } = stream;
    let written = match error {
        Some(e) => Err(e),
        None => match args.format {
            Format::Human => human::write_summary(&mut out, &summary, failures.len()),
            Format::Json => json::write_tail(&mut out, &summary, &failures),
            Format::Sarif => sarif::write(&mut out, &kept, &failures),
        }
        .and_then(|()| out.flush()),
    };
    if let Err(e) = written {
        // A closed pipe (`iamlint check . | head`) is not worth a message.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("iamlint: cannot write output: {e}");
        }
        return ExitCode::from(2);
    }

    if !failures.is_empty() {
        return ExitCode::from(2);
    }
    let threshold = args.fail_on.rank();
    let reached = Category::ALL
        .iter()
        .any(|c| c.rank() <= threshold && summary.count(*c) > 0);
    if reached {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The output's buffer: a pipe's capacity, so a corpus's 19 MB of JSON take about 300 writes
/// rather than one or two per file.
const OUTPUT_BUFFER: usize = 64 << 10;

/// Output buffers larger than this are not kept for reuse.
const MAX_SPARE_BUFFER: usize = 4 << 20;

/// How a worker hands a checked file back.
#[derive(Clone, Copy)]
enum Render {
    /// Rendered to this format's bytes on the worker; the text and findings are dropped there.
    Json,
    Human {
        color: bool,
    },
    /// Kept whole for the end (SARIF).
    Keep,
}

/// What a worker hands back for one input.
enum Outcome {
    Rendered {
        summary: json::Summary,
        bytes: Vec<u8>,
    },
    Kept(Checked),
    Failed(Failure),
}

/// Writes outcomes in input order as they arrive, and keeps the totals.
struct Stream<'o, W: Write> {
    out: &'o mut W,
    format: Format,
    failures: Vec<Failure>,
    summary: json::Summary,
    kept: Vec<Checked>,
    /// Files written so far (for the JSON separators).
    written: usize,
    /// The first write error; nothing more is written after it.
    error: Option<std::io::Error>,
}

impl<W: Write> Stream<'_, W> {
    fn begin(&mut self) {
        for f in &self.failures {
            eprintln!("iamlint: {}: {}", f.path, f.error);
        }
        if self.format == Format::Json {
            let r = json::write_head(self.out);
            self.note(r);
        }
    }

    /// Take the next outcome in input order; gives back a written buffer for reuse, or says to
    /// stop once the output cannot be written (`iamlint check . | head`): nothing more would
    /// reach the reader, and the exit code is already decided.
    fn take(&mut self, outcome: Outcome) -> ControlFlow<(), Option<Vec<u8>>> {
        let buffer = self.take_one(outcome);
        if self.error.is_some() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(buffer)
        }
    }

    fn take_one(&mut self, outcome: Outcome) -> Option<Vec<u8>> {
        match outcome {
            Outcome::Rendered { summary, bytes } => {
                self.summary.add(&summary);
                if self.error.is_none() {
                    let r = match self.format {
                        Format::Json => json::write_file(self.out, self.written, &bytes),
                        _ => self.out.write_all(&bytes),
                    };
                    self.note(r);
                }
                self.written += 1;
                return Some(bytes);
            }
            Outcome::Kept(checked) => {
                self.summary.add(&json::Summary::of_file(&checked.analysis));
                self.kept.push(checked);
            }
            Outcome::Failed(f) => {
                eprintln!("iamlint: {}: {}", f.path, f.error);
                self.failures.push(f);
            }
        }
        None
    }

    fn note(&mut self, r: std::io::Result<()>) {
        if let Err(e) = r {
            self.error.get_or_insert(e);
        }
    }
}

/// One input to check, with its options.
struct Job {
    input: Input,
    options: iamlint_core::AnalyzeOptions,
    /// The user said it is a policy ([`HostFormat::or_policy`]).
    said_policy: bool,
}

/// Read and check every input on all available cores; `deliver` gets the outcomes in input order,
/// each as soon as it and all before it are done. It runs on the worker that completed the run of
/// finished files, under the lock that keeps the order (one call at a time).
///
/// The workers hand on their outcomes themselves rather than send them to a waiting thread: a
/// channel woke the main thread for every file (about 3,700 context switches and a sixth of the
/// CPU samples in the scheduler on the 1,594 files of the managed corpus).
///
/// When `deliver` breaks, the workers take no new input; the outcomes not handed on by then are
/// dropped.
fn check_in_parallel<D>(jobs: Vec<Job>, render: Render, deliver: D)
where
    D: FnMut(Outcome) -> ControlFlow<(), Option<Vec<u8>>> + Send,
{
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let order = std::sync::Mutex::new(InOrder {
        deliver,
        due: 0,
        waiting: std::collections::BTreeMap::new(),
        spare: Vec::new(),
        max_spare: 2 * workers,
        stopped: false,
    });
    let work = || {
        // Written output buffers come back for reuse: allocating a fresh one per file (and
        // freeing it on another thread) made the allocator return and re-fault memory all along.
        let mut buffer = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(job) = jobs.get(i) else {
                break;
            };
            let outcome = match check_one(job) {
                Err(f) => Outcome::Failed(f),
                Ok(checked) => match render {
                    Render::Keep => Outcome::Kept(checked),
                    Render::Json => Outcome::Rendered {
                        summary: json::Summary::of_file(&checked.analysis),
                        bytes: json::render_file(&checked, std::mem::take(&mut buffer)),
                    },
                    Render::Human { color } => Outcome::Rendered {
                        summary: json::Summary::of_file(&checked.analysis),
                        bytes: human::render_file(&checked, color, std::mem::take(&mut buffer)),
                    },
                },
            };
            let mut order = lock(&order);
            order.finished(i, outcome);
            if order.stopped {
                break;
            }
            if buffer.capacity() == 0 {
                buffer = order.spare.pop().unwrap_or_default();
            }
        }
    };
    std::thread::scope(|scope| {
        // This thread is one of the workers.
        let others: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        work();
        for worker in others {
            // A panic is lost here on purpose: the files it left undone are reported below.
            let _ = worker.join();
        }
    });
    // A worker that died (it cannot: the core's panics are caught per file) would leave a gap;
    // say so for every file it took rather than lose them silently.
    let mut order = lock(&order);
    for (i, job) in jobs.iter().enumerate().skip(order.due) {
        if order.stopped {
            break;
        }
        let outcome = order.waiting.remove(&i).unwrap_or_else(|| {
            Outcome::Failed(Failure {
                path: job.input.display.clone(),
                error: "internal error: the check did not finish".into(),
            })
        });
        order.hand_on(outcome);
    }
}

/// The lock around the outcomes' order; a worker that panicked while holding it left nothing
/// half-done that matters here (the gaps are reported).
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Outcomes on their way out in input order.
struct InOrder<D> {
    deliver: D,
    /// The index of the next outcome to hand on.
    due: usize,
    /// Finished early: waiting for the ones before them.
    waiting: std::collections::BTreeMap<usize, Outcome>,
    /// Written output buffers, for the workers to render into again.
    spare: Vec<Vec<u8>>,
    max_spare: usize,
    /// `deliver` said to stop: hand nothing more on.
    stopped: bool,
}

impl<D: FnMut(Outcome) -> ControlFlow<(), Option<Vec<u8>>>> InOrder<D> {
    /// Input `i` is done: hand it on if it is due, with every waiting one it lets through.
    fn finished(&mut self, i: usize, outcome: Outcome) {
        if self.stopped {
            return;
        }
        if i != self.due {
            self.waiting.insert(i, outcome);
            return;
        }
        self.hand_on(outcome);
        while !self.stopped {
            let Some(outcome) = self.waiting.remove(&self.due) else {
                break;
            };
            self.hand_on(outcome);
        }
    }

    fn hand_on(&mut self, outcome: Outcome) {
        let written = match (self.deliver)(outcome) {
            ControlFlow::Continue(written) => written,
            ControlFlow::Break(()) => {
                self.stopped = true;
                self.waiting.clear();
                None
            }
        };
        self.due += 1;
        if let Some(mut b) = written.filter(|b| b.capacity() <= MAX_SPARE_BUFFER) {
            if self.spare.len() < self.max_spare {
                b.clear();
                self.spare.push(b);
            }
        }
    }
}

fn check_one(job: &Job) -> Result<Checked, Failure> {
    let (input, options) = (&job.input, &job.options);
    let text = match &input.source {
        Source::Stdin(text) => text.clone(),
        Source::File(path) => {
            inputs::read_input(path, input.below.as_ref()).map_err(|error| Failure {
                path: input.display.clone(),
                error,
            })?
        }
    };
    // The file name's extension and the text decide the language (and whether the file can
    // hold a policy at all: package.json cannot); stdin has only the text.
    let hint = match &input.source {
        Source::Stdin(_) => None,
        Source::File(_) => Some(input.display.as_str()),
    };
    // Detected with the parse it may take (a JSON template), so the file is parsed once.
    let detected = host::detect_parsed(hint, &text).or_policy(job.said_policy);
    // The core never panics by design (and is fuzzed for it); if it ever does, lose one file,
    // not the run, and say so.
    let checked =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match detected.format {
            // A plain policy is checked exactly as it always was.
            HostFormat::Json => (analyze(&text, options), None),
            _ => from_host(
                host::analyze_document(&text, &detected.read(&text), options),
                options,
            ),
        }))
        .map_err(|_| Failure {
            path: input.display.clone(),
            error: "internal error: iamlint crashed on this file; please report it".into(),
        })?;
    let (analysis, host) = checked;
    Ok(Checked {
        path: input.display.clone(),
        text,
        analysis,
        host,
        named: input.named,
    })
}

/// One list of the host file's findings (its syntax errors and each policy's), in the order a
/// plain file's are (position, then code), each remembering its policy.
fn from_host(
    mut analysis: host::HostAnalysis,
    options: &iamlint_core::AnalyzeOptions,
) -> (Analysis, Option<Host>) {
    let owned = analysis.take_owned_diagnostics();
    let policies: Vec<HostPolicy> = analysis
        .policies
        .into_iter()
        .map(|p| HostPolicy {
            name: p.name,
            policy_type: p.policy_type,
            span: p.span,
        })
        .collect();
    let (owners, diagnostics) = owned.into_iter().unzip();
    let policy_type = policies
        .first()
        .map_or_else(|| options.policy_type.clone(), |p| p.policy_type.clone());
    (
        Analysis {
            policy_type,
            diagnostics,
        },
        Some(Host {
            format: analysis.format,
            policies,
            owners,
        }),
    )
}
