//! `cargo xtask docs [--check]`: writes docs/rules.md from the rule registry's metadata
//! (`iamlint_core::rules::reference`) and docs/audit-rules.md from the audit rules'
//! (`iamlint_core::audit::reference`). With `--check`, only reports whether they are up to date.

use std::path::PathBuf;

use iamlint_core::audit;
use iamlint_core::rules::reference;

pub fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask docs [--check]".into()),
    };
    let rules = iamlint_core::rules::all().count();
    let audit_rules = audit::rules::all().count();
    let documents = [
        (reference::PATH, reference::reference_markdown(), rules),
        (
            audit::reference::PATH,
            audit::reference::reference_markdown(),
            audit_rules,
        ),
    ];
    let mut stale = Vec::new();
    for (relative, fresh, count) in documents {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(relative);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == fresh {
            println!("{relative} is already up to date");
            continue;
        }
        if check {
            stale.push(relative);
            continue;
        }
        std::fs::write(&path, &fresh).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {relative} ({count} rules)");
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} stale: run `cargo xtask docs`",
            stale.join(" and ")
        ))
    }
}
