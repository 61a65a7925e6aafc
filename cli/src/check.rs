//! `iamlint check`: placeholder until the check command lands.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories or '-' for stdin.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("iamlint check: not implemented yet");
    ExitCode::from(2)
}
