//! Build and maintenance tasks: `cargo xtask <task>`. Each task lives in its own module.

use std::process::ExitCode;

mod docs;
mod util;
mod vscode;
mod wasm;

const TASKS: &str = "catalog | events | docs | wasm | vscode";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        eprintln!("usage: cargo xtask <{TASKS}>");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let result = match task.as_str() {
        "wasm" => wasm::run(rest),
        "catalog" => xtask::catalog::run(rest),
        "events" => xtask::events::run(rest),
        "docs" => docs::run(rest),
        "vscode" => vscode::run(rest),
        _ => Err(format!("unknown task '{task}'; tasks: {TASKS}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}
