//! `iamlint simulate`: placeholder until the evaluation engine lands.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("iamlint simulate: not implemented yet");
    ExitCode::from(2)
}
