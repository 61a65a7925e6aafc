//! `cargo xtask docs [--check]`: writes docs/rules.md from the rule registry's metadata
//! (`iamlint_core::rules::reference`). With `--check`, only reports whether it is up to date.

use std::path::PathBuf;

use iamlint_core::rules::reference;

pub fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask docs [--check]".into()),
    };
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(reference::PATH);
    let fresh = reference::reference_markdown();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if check {
        return if current == fresh {
            println!("{} is up to date", reference::PATH);
            Ok(())
        } else {
            Err(format!(
                "{} is stale: run `cargo xtask docs`",
                reference::PATH
            ))
        };
    }
    if current == fresh {
        println!("{} is already up to date", reference::PATH);
        return Ok(());
    }
    std::fs::write(&path, &fresh).map_err(|e| format!("{}: {e}", path.display()))?;
    let rules = iamlint_core::rules::all().count();
    println!("wrote {} ({rules} rules)", reference::PATH);
    Ok(())
}
