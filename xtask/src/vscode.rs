//! `cargo xtask vscode`: build the VS Code extension for this machine's platform.
//!
//! 1. `cargo build --release -p iamlint` and copy the binary into `vscode-extension/server/`;
//! 2. `npm ci` (when node_modules is missing), type-check, unit tests, esbuild bundle;
//! 3. `vsce package --target <platform>` into `artifacts/iamlint-<platform>.vsix` (no publishing).

use std::fs;
use std::process::Command;

use crate::util::{cargo, repo_root, run_cmd, target_dir};

/// The project's repository, as the workspace manifest gives it.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!(
            "unknown argument '{other}'; usage: cargo xtask vscode"
        ));
    }
    let root = repo_root();
    let ext = root.join("vscode-extension");
    run_cmd(
        Command::new(cargo())
            .args(["build", "--release", "--quiet", "-p", "iamlint"])
            .current_dir(&root),
        "cargo build --release -p iamlint",
    )?;
    let exe = if cfg!(windows) {
        "iamlint.exe"
    } else {
        "iamlint"
    };
    let built = target_dir(&root).join("release").join(exe);
    let server_dir = ext.join("server");
    fs::create_dir_all(&server_dir).map_err(|e| format!("{}: {e}", server_dir.display()))?;
    fs::copy(&built, server_dir.join(exe)).map_err(|e| format!("copy {}: {e}", built.display()))?;

    if !ext.join("node_modules").exists() {
        run_cmd(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&ext),
            "npm ci",
        )?;
    }
    let npm = |script: &str| {
        run_cmd(
            Command::new("npm")
                .args(["run", "--silent", script])
                .current_dir(&ext),
            script,
        )
    };
    npm("typecheck")?;
    npm("test")?;
    npm("bundle")?;

    let platform = vsce_target();
    let artifacts = root.join("artifacts");
    fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
    let vsix = artifacts.join(format!("iamlint-{platform}.vsix"));
    run_cmd(
        Command::new(ext.join("node_modules/.bin/vsce"))
            .args([
                "package",
                "--no-dependencies",
                "--allow-missing-repository",
                "--target",
                platform,
            ])
            // README images resolve against the repository (vsce cannot guess a non-GitHub host).
            .arg("--baseContentUrl")
            .arg(format!("{REPOSITORY}/blob/main/vscode-extension/"))
            .arg("--baseImagesUrl")
            .arg(format!("{REPOSITORY}/raw/main/vscode-extension/"))
            .arg("-o")
            .arg(&vsix)
            .current_dir(&ext),
        "vsce package",
    )?;
    println!("{}", vsix.display());
    Ok(())
}

/// The VS Code platform name of the machine that builds (the bundled server is native code).
fn vsce_target() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "linux-x64",
        ("linux", "aarch64") => "linux-arm64",
        ("macos", "x86_64") => "darwin-x64",
        ("macos", "aarch64") => "darwin-arm64",
        ("windows", "x86_64") => "win32-x64",
        ("windows", "aarch64") => "win32-arm64",
        _ => "linux-x64",
    }
}
