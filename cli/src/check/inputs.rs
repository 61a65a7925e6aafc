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
    /// For a file found in a directory: that directory, open.
    pub below: Option<std::sync::Arc<Folder>>,
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
                    below: None,
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
    // A path in UTF-8 shows as itself: copied, rather than written through the formatter (a
    // fifth of the serial start of a run over the 1,594 files of the managed corpus).
    let display = match path.to_str() {
        Some(text) => text.to_owned(),
        None => path.display().to_string(),
    };
    Input {
        display,
        source: Source::File(path),
        named,
        below: None,
    }
}

/// The file names a directory search picks up: plain policies and CloudFormation templates in
/// JSON, Terraform, CloudFormation templates in YAML. What is in each is decided when it is read.
const EXTENSIONS: &[&str] = &["json", "tf", "yaml", "yml", "template"];

fn wanted(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        EXTENSIONS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(ext))
    })
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
    let folder = (!found.files.is_empty())
        .then(|| Folder::open(dir).map(std::sync::Arc::new))
        .flatten();
    inputs.extend(found.files.into_iter().map(|path| Input {
        below: folder.clone(),
        ..file_input(path, false)
    }));
}

/// A searched directory, kept open while its files are read: each file is opened by its path
/// below it (`openat`), so the kernel resolves only the names below it rather than the whole
/// path again (with any link on the way, such as a linked `.cache`): a fifth of the kernel's
/// time in `openat` for the 1,594 files of the managed corpus.
pub struct Folder {
    #[cfg(unix)]
    fd: rustix::fd::OwnedFd,
    /// The directory's path as the walk joined the files' paths to it, with the separator it
    /// added: a file's path below it is what follows (cut by bytes: `Path::strip_prefix`, which
    /// compares component by component, was 3.3M instructions for the corpus's 1,594 paths, on
    /// the serial start of the run).
    #[cfg(unix)]
    head: Vec<u8>,
}

impl Folder {
    /// None when the directory cannot be opened: its files are then read by their paths.
    #[cfg(unix)]
    fn open(dir: &Path) -> Option<Folder> {
        use rustix::fs::{Mode, OFlags};
        use std::os::unix::ffi::OsStrExt;
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(dir, flags, Mode::empty()).ok()?;
        // `PathBuf::join` adds a separator unless the path ends with one.
        let mut head = dir.as_os_str().as_bytes().to_vec();
        if !head.ends_with(b"/") {
            head.push(b'/');
        }
        Some(Folder { fd, head })
    }

    #[cfg(not(unix))]
    fn open(_dir: &Path) -> Option<Folder> {
        None
    }

    /// `path` below this folder, when it is one of the walk's paths.
    #[cfg(unix)]
    fn below<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        use std::os::unix::ffi::OsStrExt;
        let rest = path
            .as_os_str()
            .as_bytes()
            .strip_prefix(self.head.as_slice())?;
        (!rest.is_empty()).then(|| Path::new(std::ffi::OsStr::from_bytes(rest)))
    }
}

/// Read an input's file as UTF-8 text, with a message a person can act on when that fails.
pub fn read_input(path: &Path, below: Option<&std::sync::Arc<Folder>>) -> Result<String, String> {
    let bytes = match below {
        Some(folder) => read_below(folder, path),
        None => std::fs::read(path),
    };
    decode(bytes.map_err(|e| io_message(&e))?)
}

/// How much of a file the first read takes: nine files in ten of the managed corpus fit.
const FIRST_READ: usize = 8 << 10;

/// `std::fs::read(path)` for a path below `folder`, opened from the folder and read without
/// `std::fs::read`'s `statx` for the size: most files fit in the first read, and the size is
/// asked only of those that fill it. Like `std::fs::read`, it reads until the end (a read that
/// returns nothing).
#[cfg(unix)]
fn read_below(folder: &Folder, path: &Path) -> std::io::Result<Vec<u8>> {
    use rustix::fs::{Mode, OFlags};
    let Some(relative) = folder.below(path) else {
        return std::fs::read(path);
    };
    let file = rustix::fs::openat(
        &folder.fd,
        relative,
        OFlags::RDONLY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let mut bytes: Vec<u8> = Vec::with_capacity(FIRST_READ);
    let mut sized = false;
    loop {
        if bytes.len() == bytes.capacity() {
            let more = if sized {
                bytes.capacity()
            } else {
                sized = true;
                // One more byte than the rest, so the read that finds the end has room.
                let size = rustix::fs::fstat(&file)?.st_size;
                usize::try_from(size)
                    .unwrap_or(0)
                    .saturating_sub(bytes.len())
                    + 1
            };
            bytes.reserve(more);
        }
        match rustix::io::read(&file, rustix::buffer::spare_capacity(&mut bytes)) {
            Ok(0) => return Ok(bytes),
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(not(unix))]
fn read_below(_folder: &Folder, path: &Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(path)
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// The extension test without an allocation agrees with lower-casing the extension.
    #[test]
    fn wanted_names_agree_with_lower_casing() {
        let plain = |name: &str| {
            name.rsplit_once('.')
                .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
        };
        for name in [
            "a.json",
            "a.JSON",
            "a.Json",
            "a.tf",
            "b.TF",
            "c.yaml",
            "c.YML",
            "t.template",
            "t.TEMPLATE",
            "json",
            ".json",
            "a.json.bak",
            "a.jsoñ",
            "a.",
            "",
            "a.jsonx",
            "a.yam",
            "package.json",
            "x.İSON",
        ] {
            assert_eq!(wanted(name), plain(name), "{name}");
        }
    }

    /// Reading below an open folder gives what `std::fs::read` gives: the same bytes for sizes
    /// around the first read's, and the same message for a folder or a missing file.
    #[test]
    fn reading_below_a_folder_agrees_with_std_read() {
        let dir = std::env::temp_dir().join(format!("iamlint-read-below-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub/inner")).unwrap();
        let folder = Folder::open(&dir).expect("the folder opens");
        let sizes = [
            0,
            1,
            FIRST_READ - 1,
            FIRST_READ,
            FIRST_READ + 1,
            3 * FIRST_READ + 7,
            1 << 20,
        ];
        for (i, &size) in sizes.iter().enumerate() {
            let bytes: Vec<u8> = (0..size).map(|n| (n * 31 + i) as u8).collect();
            let path = dir.join(format!("sub/f{i}.json"));
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(
                folder.below(&path),
                Some(Path::new(&format!("sub/f{i}.json")))
            );
            assert_eq!(read_below(&folder, &path).unwrap(), bytes, "{size}");
            assert_eq!(std::fs::read(&path).unwrap(), bytes, "{size}");
        }
        for relative in ["sub/inner", "sub/missing.json", "missing/x.json"] {
            let path = dir.join(relative);
            let ours = read_below(&folder, &path).unwrap_err();
            let std = std::fs::read(&path).unwrap_err();
            assert_eq!(io_message(&ours), io_message(&std), "{relative}");
        }
        // A path that is not below the folder is read by its path.
        assert_eq!(folder.below(Path::new("elsewhere/a.json")), None);
        assert_eq!(folder.below(&dir), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
