//! Turning command-line paths into documents to check: files as given, directories searched
//! recursively for the files that hold policies (`*.json`, Terraform `*.tf`, CloudFormation
//! `*.yaml`, `*.yml`, `*.template`; sorted, hidden folders and `node_modules` skipped), `-` for
//! stdin.

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};

use iamlint_core::folder;
use iamlint_lsp::list_folder;

use super::Failure;

pub struct Input {
    /// The path as shown in output: as given, or joined below a given directory; `-` is `<stdin>`.
    pub display: String,
    pub source: Source,
    /// Named on the command line (or stdin), not found by searching a directory: `--policy-type`
    /// then makes it a policy even when its content says it is not one.
    pub named: bool,
}

pub enum Source {
    Stdin(String),
    File(PathBuf),
}

pub const STDIN_NAME: &str = "<stdin>";

/// Expand `paths`; problems (a missing path, unreadable stdin or folder) go to `failures`.
pub fn collect(paths: &[PathBuf], failures: &mut Vec<Failure>) -> Vec<Input> {
    let mut inputs = Vec::new();
    let mut stdin_used = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if stdin_used {
                continue;
            }
            stdin_used = true;
            let mut bytes = Vec::new();
            let read = std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| e.to_string())
                .and_then(|_| decode(bytes));
            match read {
                Ok(text) => inputs.push(Input {
                    display: STDIN_NAME.to_string(),
                    source: Source::Stdin(text),
                    named: true,
                }),
                Err(error) => failures.push(Failure {
                    path: STDIN_NAME.to_string(),
                    error,
                }),
            }
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut inputs, failures),
            Ok(_) => inputs.push(file_input(path.clone(), true)),
            Err(e) => failures.push(Failure {
                path: path.display().to_string(),
                error: io_message(&e),
            }),
        }
    }
    inputs
}

fn file_input(path: PathBuf, named: bool) -> Input {
    Input {
        display: path.display().to_string(),
        source: Source::File(path),
        named,
    }
}

/// The file names a directory search picks up: plain policies and CloudFormation templates in
/// JSON, Terraform, CloudFormation templates in YAML. What is in each is decided when it is read.
const EXTENSIONS: &[&str] = &["json", "tf", "yaml", "yml", "template"];

fn wanted(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Every file below `dir` with one of [`EXTENSIONS`], in sorted order so output is stable
/// (the core's walk: a link to a file is checked like the file, a linked folder is not
/// followed, so a link cycle cannot loop forever). Hidden folders and `node_modules` are
/// skipped.
fn walk(dir: &Path, inputs: &mut Vec<Input>, failures: &mut Vec<Failure>) {
    let enter = |name: &OsStr| {
        let name = name.to_str().unwrap_or("");
        !name.starts_with('.') && name != "node_modules"
    };
    let take = |name: &OsStr| wanted(name.to_str().unwrap_or(""));
    let found = folder::walk(dir, &mut list_folder, &enter, &take);
    for (path, e) in found.problems {
        failures.push(Failure {
            path: path.display().to_string(),
            error: io_message(&e),
        });
    }
    inputs.extend(found.files.into_iter().map(|path| file_input(path, false)));
}

/// Read a file as UTF-8 text, with a message a person can act on when that fails.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| io_message(&e))?;
    decode(bytes)
}

fn decode(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {}); IAM policies must be UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
