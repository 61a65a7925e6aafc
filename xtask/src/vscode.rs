//! `cargo xtask vscode [--no-opt]`: build the universal VS Code extension (every platform, the
//! desktop's Node extension host and the browser's web worker host; no native binary inside).
//!
//! 1. `cargo build -p iamlint-lsp-wasm --target wasm32-unknown-unknown --profile wasm-release`
//!    (the language server compiled to WebAssembly; the playground's profile: an opt-level 3
//!    build was measured no faster, and larger), `wasm-bindgen --target web` into
//!    `vscode-extension/wasm/`, `wasm-opt -Oz` from web-demo's npm binaryen (Debian's
//!    miscompiles wasm-bindgen output, see `xtask wasm`), and a gzipped copy of the module,
//!    which is what the .vsix carries (see [`gzip_module`]);
//! 2. `npm ci` (when node_modules is missing), type-check, unit tests, the two esbuild bundles
//!    (`dist/node.js` for `main`, `dist/browser.js` for `browser`);
//! 3. `vsce package` into `artifacts/iamlint.vsix` (offline; no publishing), and its size.

use std::fs;
use std::process::Command;

use crate::util::{repo_root, run_cmd};
use crate::wasm::build_module;

/// The project's repository, as the workspace manifest gives it.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The server module wasm-bindgen writes into `vscode-extension/wasm/`.
const MODULE: &str = "iamlint_lsp_wasm_bg.wasm";

/// Write `<module>.gz` beside the module: the extension reads that file and inflates it
/// (`DecompressionStream`, in both hosts). Why: a web host such as code-server serves an
/// extension's files as `text/plain` and gzips each response as it goes, which took most of the
/// browser's start-up for the 3.4 MB module (about 0.5 s of 0.6 s on a quiet machine); already
/// compressed bytes are quick to pass through that, and the module is a quarter of the size on
/// the wire. `-n`-like: no name or time in the header, so builds are reproducible.
fn gzip_module(module: &std::path::Path) -> Result<(), String> {
    use std::io::Write;
    let bytes = fs::read(module).map_err(|e| format!("{}: {e}", module.display()))?;
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(&bytes)
        .map_err(|e| format!("gzip {}: {e}", module.display()))?;
    let gz = encoder
        .finish()
        .map_err(|e| format!("gzip {}: {e}", module.display()))?;
    let out = module.with_extension("wasm.gz");
    fs::write(&out, gz).map_err(|e| format!("{}: {e}", out.display()))
}

/// The .vsix must stay at most this large (it holds the whole AWS catalog).
const VSIX_BUDGET: u64 = 2_000_000;

pub fn run(args: &[String]) -> Result<(), String> {
    let mut optimise = true;
    for arg in args {
        match arg.as_str() {
            "--no-opt" => optimise = false,
            other => {
                return Err(format!(
                    "unknown argument '{other}'; usage: cargo xtask vscode [--no-opt]"
                ))
            }
        }
    }
    let root = repo_root();
    let ext = root.join("vscode-extension");

    build_module(&root, "iamlint-lsp-wasm", &ext.join("wasm"), optimise)?;
    gzip_module(&ext.join("wasm").join(MODULE))?;

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

    let artifacts = root.join("artifacts");
    fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
    let vsix = artifacts.join("iamlint.vsix");
    run_cmd(
        Command::new(ext.join("node_modules/.bin/vsce"))
            .args(["package", "--no-dependencies", "--allow-missing-repository"])
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
    let size = fs::metadata(&vsix)
        .map_err(|e| format!("{}: {e}", vsix.display()))?
        .len();
    println!("{} ({size} bytes, budget {VSIX_BUDGET})", vsix.display());
    if size > VSIX_BUDGET {
        return Err(format!(
            "the .vsix is {size} bytes, over the budget of {VSIX_BUDGET}"
        ));
    }
    Ok(())
}
