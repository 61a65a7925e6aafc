//! `cargo xtask wasm [--record] [--no-opt]`: build the playground's WebAssembly.
//!
//! 1. `cargo build -p iamlint-wasm --target wasm32-unknown-unknown --profile wasm-release`;
//! 2. `wasm-bindgen --target web` into `web-demo/src/wasm/` (the CLI is installed with
//!    `cargo install wasm-bindgen-cli --version <the crate's pinned version>` when missing or
//!    different: the CLI refuses a module built by another version);
//! 3. `wasm-opt -Oz` from the npm package `binaryen` (a devDependency of web-demo; Debian's
//!    binaryen 108 miscompiles wasm-bindgen 0.2.130 output, so it is never used);
//! 4. prints raw, gzip and brotli sizes, fails above the budget, and with `--record` writes them
//!    into docs/benchmarks.md between the playground-size markers.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{cargo, repo_root, run_cmd, target_dir};

/// At most 1.2 MB of brotli-compressed wasm, with the full catalog.
const BROTLI_BUDGET: u64 = 1_200_000;
const SIZE_START: &str = "<!-- playground-size:start -->";
const SIZE_END: &str = "<!-- playground-size:end -->";

pub fn run(args: &[String]) -> Result<(), String> {
    let mut record = false;
    let mut optimise = true;
    for arg in args {
        match arg.as_str() {
            "--record" => record = true,
            "--no-opt" => optimise = false,
            other => {
                return Err(format!(
                    "unknown argument '{other}'; usage: cargo xtask wasm [--record] [--no-opt]"
                ))
            }
        }
    }
    let root = repo_root();
    let web = root.join("web-demo");
    let out_dir = web.join("src/wasm");

    let (module, bindgen_size) = build_module(&root, "iamlint-wasm", &out_dir, optimise)?;

    let sizes = Sizes::measure(&module)?;
    println!(
        "wasm: {} (wasm-bindgen output {} bytes)\n  raw {} bytes, gzip -9 {} bytes, brotli -q 11 {} bytes (budget {})",
        module.display(),
        bindgen_size,
        sizes.raw,
        sizes.gzip,
        sizes.brotli,
        BROTLI_BUDGET
    );
    if record {
        record_sizes(&root.join("docs/benchmarks.md"), &sizes, optimise)?;
        println!("recorded in docs/benchmarks.md");
    }
    if sizes.brotli > BROTLI_BUDGET {
        return Err(format!(
            "brotli size {} bytes is over the playground budget of {BROTLI_BUDGET} bytes",
            sizes.brotli
        ));
    }
    Ok(())
}

/// Build the wasm crate `package` (profile `wasm-release`), run `wasm-bindgen --target web` into
/// `out_dir` and, with `optimise`, `wasm-opt -Oz` from web-demo's npm binaryen (installed with
/// `npm ci` there when missing). Returns the module's path and its size before wasm-opt.
pub(crate) fn build_module(
    root: &Path,
    package: &str,
    out_dir: &Path,
    optimise: bool,
) -> Result<(PathBuf, u64), String> {
    let web = root.join("web-demo");
    ensure_wasm_target()?;
    let wasm_bindgen = ensure_wasm_bindgen(root)?;
    if optimise && !web.join("node_modules/.bin/wasm-opt").exists() {
        run_cmd(
            Command::new("npm").arg("ci").current_dir(&web),
            "npm ci in web-demo",
        )?;
    }
    run_cmd(
        Command::new(cargo())
            .args(["build", "-p", package, "--target", "wasm32-unknown-unknown"])
            .args(["--profile", "wasm-release"])
            .current_dir(root),
        &format!("cargo build of {package}"),
    )?;
    let name = package.replace('-', "_");
    let raw = target_dir(root).join(format!("wasm32-unknown-unknown/wasm-release/{name}.wasm"));
    fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    run_cmd(
        Command::new(&wasm_bindgen)
            .arg(&raw)
            .args(["--target", "web", "--out-dir"])
            .arg(out_dir),
        "wasm-bindgen",
    )?;
    let module = out_dir.join(format!("{name}_bg.wasm"));
    let bindgen_size = file_size(&module)?;
    if optimise {
        run_cmd(
            Command::new(web.join("node_modules/.bin/wasm-opt"))
                .arg("-Oz")
                .arg(&module)
                .arg("-o")
                .arg(&module),
            "wasm-opt (npm binaryen)",
        )?;
    }
    Ok((module, bindgen_size))
}

fn ensure_wasm_target() -> Result<(), String> {
    // Cheap when installed ("is up to date"); skipped where rustup is absent (a distro toolchain).
    match Command::new("rustup")
        .args(["target", "add", "wasm32-unknown-unknown"])
        .status()
    {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!(
            "rustup target add wasm32-unknown-unknown failed ({s})"
        )),
        Err(_) => Ok(()),
    }
}

/// The exact version the crate pins (`wasm-bindgen = "=0.2.130"` in wasm/Cargo.toml).
fn pinned_wasm_bindgen(root: &Path) -> Result<String, String> {
    let manifest = root.join("wasm/Cargo.toml");
    let text = fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("wasm-bindgen"))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .find_map(|rest| {
            let v = rest.trim().trim_matches('"').trim_start_matches('=');
            (!v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
                .then(|| v.to_string())
        })
        .ok_or_else(|| {
            format!(
                "no exact `wasm-bindgen = \"=X.Y.Z\"` pin in {}",
                manifest.display()
            )
        })
}

/// A `wasm-bindgen` CLI of exactly the pinned version: the one on PATH or in ~/.cargo/bin, or
/// one installed now with `cargo install` (no `--locked`: the registry here lacks some of the
/// newest crates its lockfile names).
fn ensure_wasm_bindgen(root: &Path) -> Result<PathBuf, String> {
    let want = pinned_wasm_bindgen(root)?;
    let mut candidates = vec![PathBuf::from("wasm-bindgen")];
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    {
        candidates.push(home.join("bin/wasm-bindgen"));
    }
    for candidate in &candidates {
        if wasm_bindgen_version(candidate).as_deref() == Some(want.as_str()) {
            return Ok(candidate.clone());
        }
    }
    println!("installing wasm-bindgen-cli {want} (a few minutes, once)");
    run_cmd(
        Command::new(cargo()).args(["install", "wasm-bindgen-cli", "--version", &want]),
        "cargo install wasm-bindgen-cli",
    )?;
    candidates
        .into_iter()
        .find(|c| wasm_bindgen_version(c).as_deref() == Some(want.as_str()))
        .ok_or_else(|| format!("wasm-bindgen {want} still not found after cargo install"))
}

fn wasm_bindgen_version(program: &Path) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // "wasm-bindgen 0.2.130"
    text.split_whitespace().nth(1).map(str::to_string)
}

fn file_size(path: &Path) -> Result<u64, String> {
    fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", path.display()))
}

struct Sizes {
    raw: u64,
    gzip: u64,
    brotli: u64,
}

impl Sizes {
    /// gzip -9 and brotli -q 11 through node's zlib (node is needed for the page anyway; no
    /// compression crates or extra system packages).
    fn measure(path: &Path) -> Result<Sizes, String> {
        let script = "const z=require('zlib'),f=require('fs').readFileSync(process.argv[1]);\
            console.log(f.length,z.gzipSync(f,{level:9}).length,\
            z.brotliCompressSync(f,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11,\
            [z.constants.BROTLI_PARAM_SIZE_HINT]:f.length}}).length)";
        let out = Command::new("node")
            .args(["-e", script])
            .arg(path)
            .output()
            .map_err(|e| format!("node (for compressed sizes): {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let nums: Vec<u64> = text
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        match nums.as_slice() {
            [raw, gzip, brotli] => Ok(Sizes {
                raw: *raw,
                gzip: *gzip,
                brotli: *brotli,
            }),
            _ => Err(format!(
                "could not measure sizes: {}{}",
                text,
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    }
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// Replace the text between the size markers in docs/benchmarks.md (adding the `## Playground`
/// section with the markers when missing), leaving the rest of the file alone.
fn record_sizes(doc: &Path, sizes: &Sizes, optimised: bool) -> Result<(), String> {
    let body = format!(
        "{SIZE_START}\n\
         Measured by `cargo xtask wasm --record` ({}; brotli budget {}).\n\n\
         | file | raw | gzip -9 | brotli -q 11 |\n\
         | --- | --- | --- | --- |\n\
         | `iamlint_wasm_bg.wasm` | {} ({} B) | {} ({} B) | {} ({} B) |\n\
         {SIZE_END}",
        if optimised {
            "release profile `wasm-release`, wasm-bindgen, `wasm-opt -Oz` from npm binaryen"
        } else {
            "release profile `wasm-release`, wasm-bindgen, not optimised"
        },
        kb(BROTLI_BUDGET),
        kb(sizes.raw),
        sizes.raw,
        kb(sizes.gzip),
        sizes.gzip,
        kb(sizes.brotli),
        sizes.brotli
    );
    let text = fs::read_to_string(doc).unwrap_or_else(|_| "# Benchmarks\n".to_string());
    let new_text = match (text.find(SIZE_START), text.find(SIZE_END)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{}{}", &text[..a], body, &text[b + SIZE_END.len()..])
        }
        _ => {
            let section = "## Playground";
            if let Some(at) = text.find(section) {
                let insert = at + section.len();
                format!("{}\n\n{}{}", &text[..insert], body, &text[insert..])
            } else {
                format!("{}\n\n{section}\n\n{body}\n", text.trim_end())
            }
        }
    };
    fs::write(doc, new_text).map_err(|e| format!("{}: {e}", doc.display()))
}
