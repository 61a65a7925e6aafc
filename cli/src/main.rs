//! The `iamlint` binary: `check`, `lsp`, `simulate`, `audit`, the policy gates
//! (`check-no-new-access`, `check-access-not-granted`, `check-no-public-access`) and least
//! privilege from activity (`generate`, `unused`). Each subcommand
//! lives in its own module and only translates between the command line and the core.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod activity;
mod audit;
mod check;
mod gates;
mod policy_file;
mod simulate;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "iamlint", version = version_text(), about = "Checks AWS IAM policies: validation, least privilege and security findings, offline")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check policy files, directories (recursively, *.json) or '-' for stdin.
    Check(Box<check::Args>),
    /// Run the language server on stdin/stdout.
    Lsp,
    /// Evaluate a request against policies, as AWS would, and explain the decision.
    Simulate(Box<simulate::Args>),
    /// Audit an account from the files AWS gives: credential report, account summary, password
    /// policy, authorization details (offline).
    Audit(Box<audit::Args>),
    /// Does the new policy grant anything the reference policy does not? Exit 0 PASS, 1 FAIL,
    /// 2 bad input.
    CheckNoNewAccess(Box<gates::NoNewAccessArgs>),
    /// Does the policy grant any of these actions (on these resources)? Exit 0 PASS, 1 FAIL,
    /// 2 bad input.
    CheckAccessNotGranted(Box<gates::AccessNotGrantedArgs>),
    /// Can this resource policy make the resource public? Exit 0 PASS, 1 FAIL, 2 bad input.
    CheckNoPublicAccess(Box<gates::NoPublicAccessArgs>),
    /// Generate a least-privilege policy from a principal's CloudTrail activity (or usage rows).
    /// Exit 0, or 2 for bad input.
    Generate(Box<activity::GenerateArgs>),
    /// Which granted actions of a policy a principal's CloudTrail activity never used, and the
    /// policy without them. Exit 0, or 2 for bad input.
    Unused(Box<activity::UnusedArgs>),
}

/// `iamlint --version` shows the catalog's source package, version and data date. Decoding the
/// catalog for it took a millisecond before any command could start (`check` decodes it on
/// another thread meanwhile, the language server when it needs it), and the version is shown
/// nowhere else: the full text is made only when the arguments may ask for it (`--version`, or
/// `-V` alone or among other short flags).
fn version_text() -> &'static str {
    let asked = std::env::args_os().skip(1).any(|arg| {
        let arg = arg.as_encoded_bytes();
        arg == b"--version"
            || (arg.starts_with(b"-") && !arg.starts_with(b"--") && arg.contains(&b'V'))
    });
    if !asked {
        return env!("CARGO_PKG_VERSION");
    }
    let text = format!(
        "{} ({})",
        env!("CARGO_PKG_VERSION"),
        iamlint_core::catalog::catalog().summary()
    );
    Box::leak(text.into_boxed_str())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(*args),
        Command::Lsp => match iamlint_lsp::run_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("iamlint lsp: {e}");
                ExitCode::from(2)
            }
        },
        Command::Simulate(args) => simulate::run(*args),
        Command::Audit(args) => audit::run(*args),
        Command::CheckNoNewAccess(args) => gates::run_no_new_access(*args),
        Command::CheckAccessNotGranted(args) => gates::run_access_not_granted(*args),
        Command::CheckNoPublicAccess(args) => gates::run_no_public_access(*args),
        Command::Generate(args) => activity::run_generate(*args),
        Command::Unused(args) => activity::run_unused(*args),
    }
}
