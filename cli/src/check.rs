//! `iamlint check`: reads policy files (or stdin), finds each file's `iamlint.toml`, checks the
//! files in parallel with the core, prints the findings as text, JSON or SARIF and turns them into
//! an exit code: 0 when nothing reaches `--fail-on`, 1 when something does, 2 for usage or I/O
//! problems (a file that cannot be read is reported and the others are still checked).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use iamlint_core::{analyze, Analysis, Category, PolicyType};

mod config;
mod human;
mod inputs;
mod json;
mod positions;
mod sarif;

use inputs::{Input, Source};

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (searched recursively for *.json) or '-' for stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Check every file as this policy type instead of the type iamlint.toml gives or inference:
    /// auto, identity, resource, resource:<ResourceType>, trust, scp, rcp, boundary, session.
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

fn parse_category(s: &str) -> Result<Category, String> {
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
    pub analysis: Analysis,
    /// The file's part of the JSON output, rendered on the worker thread that checked it (the
    /// output of a large corpus is hundreds of megabytes: one thread writing it all was a large
    /// share of the run).
    pub json: Option<Vec<u8>>,
}

/// A file that could not be checked, and why.
pub struct Failure {
    pub path: String,
    pub error: String,
}

pub fn run(args: Args) -> ExitCode {
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
    let mut discovery = config::Discovery::default();
    let mut jobs = Vec::with_capacity(inputs.len());
    for input in inputs {
        let found = match &explicit_config {
            Some(c) => Ok(Some(c.clone())),
            None => discovery.for_input(&input),
        };
        match found {
            Ok(cfg) => {
                let mut options = match &cfg {
                    Some(c) => c.config.analyze_options(&c.relative_path(&input)),
                    None => Default::default(),
                };
                if let Some(t) = &args.policy_type {
                    options.policy_type = t.clone();
                }
                jobs.push((input, options));
            }
            // A broken iamlint.toml is a usage problem: say where, check nothing.
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
        }
    }

    let results = check_in_parallel(jobs, args.format == Format::Json);
    let mut checked = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(c) => checked.push(c),
            Err(f) => failures.push(f),
        }
    }
    for f in &failures {
        eprintln!("iamlint: {}: {}", f.path, f.error);
    }

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.format {
        Format::Human => human::write(&mut out, &checked, failures.len()),
        Format::Json => json::write(&mut out, &checked, &failures),
        Format::Sarif => sarif::write(&mut out, &checked, &failures),
    }
    .and_then(|()| out.flush());
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
    let reached = checked
        .iter()
        .flat_map(|c| &c.analysis.diagnostics)
        .any(|d| d.category.rank() <= threshold);
    if reached {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Read and check every input on all available cores; results come back in input order.
fn check_in_parallel(
    jobs: Vec<(Input, iamlint_core::AnalyzeOptions)>,
    render_json: bool,
) -> Vec<Result<Checked, Failure>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Result<Checked, Failure>>> = Vec::new();
    results.resize_with(jobs.len(), || None);
    let done: Vec<Vec<(usize, Result<Checked, Failure>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((input, options)) = jobs.get(i) else {
                            break;
                        };
                        let mut result = check_one(input, options);
                        if let (true, Ok(checked)) = (render_json, &mut result) {
                            checked.json = Some(json::render_file(checked));
                        }
                        mine.push((i, result));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, r) in done.into_iter().flatten() {
        results[i] = Some(r);
    }
    results
        .into_iter()
        .zip(jobs.iter())
        .map(|(r, (input, _))| {
            r.unwrap_or_else(|| {
                Err(Failure {
                    path: input.display.clone(),
                    error: "internal error: the check did not finish".into(),
                })
            })
        })
        .collect()
}

fn check_one(input: &Input, options: &iamlint_core::AnalyzeOptions) -> Result<Checked, Failure> {
    let text = match &input.source {
        Source::Stdin(text) => text.clone(),
        Source::File(path) => inputs::read_text(path).map_err(|error| Failure {
            path: input.display.clone(),
            error,
        })?,
    };
    // The core never panics by design (and is fuzzed for it); if it ever does, lose one file,
    // not the run, and say so.
    let analysis =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyze(&text, options)))
            .map_err(|_| Failure {
                path: input.display.clone(),
                error: "internal error: iamlint crashed on this file; please report it".into(),
            })?;
    Ok(Checked {
        path: input.display.clone(),
        text,
        analysis,
        json: None,
    })
}
