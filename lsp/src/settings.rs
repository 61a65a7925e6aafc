//! Settings from the client (`iamlint.*` in workspace/configuration and
//! didChangeConfiguration) and from `iamlint.toml`, merged into the core's `AnalyzeOptions` for
//! one document. The model is the CLI's: the client's settings act like command-line flags and
//! win over the file.

use std::path::{Path, PathBuf};

use iamlint_core::activity::unused::UNUSED_GRANT;
use iamlint_core::analysis::{CategoryOverrides, RuleCodes};
use iamlint_core::config::{ActivitySource, Config, Glob};
use iamlint_core::{AnalyzeOptions, Category, PolicyType};
use serde_json::Value;

/// The settings a client can send, under the section `iamlint`:
/// `policyType` ("auto", "identity", "resource", "trust", "scp", "rcp", "boundary", "session",
/// "vpc-endpoint", "resource:AWS::S3::Bucket"), `disabledRules` (codes), `categoryOverrides`
/// ({code: category}), `policyGlobs` ({glob: policy type}, or [{glob, type}] to keep an order).
#[derive(Clone, Debug, Default)]
pub struct ClientSettings {
    pub policy_type: Option<PolicyType>,
    pub disabled_rules: Vec<String>,
    pub category_overrides: Vec<(String, Category)>,
    pub policy_globs: Vec<(Glob, PolicyType)>,
}

impl ClientSettings {
    /// Read the settings object; invalid entries are skipped and described in the returned
    /// messages (the server logs them) so one typo does not discard the rest.
    pub fn from_json(value: &Value) -> (ClientSettings, Vec<String>) {
        let mut settings = ClientSettings::default();
        let mut problems = Vec::new();
        let Some(obj) = value.as_object() else {
            return (settings, problems);
        };
        if let Some(v) = obj.get("policyType").and_then(Value::as_str) {
            match PolicyType::parse(v) {
                Some(PolicyType::Auto) => {}
                Some(t) => settings.policy_type = Some(t),
                None => problems.push(format!(
                    "iamlint.policyType: unknown policy type \"{v}\" (expected one of {})",
                    PolicyType::NAMES.join(", ")
                )),
            }
        }
        if let Some(list) = obj.get("disabledRules").and_then(Value::as_array) {
            settings.disabled_rules = list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
        }
        if let Some(map) = obj.get("categoryOverrides").and_then(Value::as_object) {
            for (code, category) in map {
                match category.as_str().and_then(Category::parse) {
                    Some(c) => settings.category_overrides.push((code.clone(), c)),
                    None => problems.push(format!(
                        "iamlint.categoryOverrides.{code}: expected error, security, warning or suggestion"
                    )),
                }
            }
        }
        let mut add_glob = |glob: &str, ty: &str| match (Glob::new(glob), PolicyType::parse(ty)) {
            (Ok(g), Some(t)) => settings.policy_globs.push((g, t)),
            (Err(e), _) => problems.push(format!("iamlint.policyGlobs: \"{glob}\": {e}")),
            (_, None) => problems.push(format!(
                "iamlint.policyGlobs: \"{glob}\": unknown policy type \"{ty}\""
            )),
        };
        match obj.get("policyGlobs") {
            Some(Value::Object(map)) => {
                for (glob, ty) in map {
                    add_glob(glob, ty.as_str().unwrap_or(""));
                }
            }
            Some(Value::Array(list)) => {
                for entry in list {
                    let glob = entry.get("glob").and_then(Value::as_str).unwrap_or("");
                    let ty = entry.get("type").and_then(Value::as_str).unwrap_or("");
                    add_glob(glob, ty);
                }
            }
            _ => {}
        }
        (settings, problems)
    }
}

/// An `iamlint.toml` found on disk, with the folder its globs are relative to.
#[derive(Clone, Debug)]
pub struct ProjectConfig {
    pub file: PathBuf,
    pub dir: PathBuf,
    pub config: Config,
}

/// The `[[activity]]` entry of an iamlint.toml that names a document: where its logs are and
/// where problems reading them are shown.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityTarget {
    /// The iamlint.toml, and the entry's place in it (the key of the logs read).
    pub config_file: PathBuf,
    pub index: usize,
    /// The folder the entry's paths are relative to.
    pub dir: PathBuf,
    pub source: ActivitySource,
}

/// `path` relative to `dir`, `/`-separated, or None when it is not inside `dir`.
pub fn relative(path: &Path, dir: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// What the server decides for one document.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentOptions {
    pub options: AnalyzeOptions,
    /// A glob (client or iamlint.toml) names this file: it is a policy whatever its content.
    pub matched_glob: bool,
    /// The activity iamlint.toml names for it, whose unused grants are shown as hints.
    pub activity: Option<ActivityTarget>,
}

/// Merge the project file and the client settings for the document at `path` (None for
/// unsaved buffers). `workspace` is the workspace folder holding the document, for the client's
/// globs.
pub fn document_options(
    client: &ClientSettings,
    project: Option<&ProjectConfig>,
    path: Option<&Path>,
    workspace: Option<&Path>,
) -> DocumentOptions {
    let mut options = AnalyzeOptions::default();
    let mut matched_glob = false;
    let mut activity = None;
    if let Some(project) = project {
        let rel = path.and_then(|p| relative(p, &project.dir));
        options = match &rel {
            Some(rel) => {
                matched_glob = project.config.policy_type_for(rel).is_some();
                activity = project
                    .config
                    .activity
                    .iter()
                    .position(|a| a.glob.matches(rel))
                    .map(|index| ActivityTarget {
                        config_file: project.file.clone(),
                        index,
                        dir: project.dir.clone(),
                        source: project.config.activity[index].clone(),
                    });
                project.config.analyze_options(rel)
            }
            None => project.config.analyze_options(""),
        };
    }
    // Client globs are relative to the workspace folder (else matched against the file name).
    if let Some(path) = path {
        let rel = workspace
            .and_then(|w| relative(path, w))
            .or_else(|| path.file_name().map(|n| n.to_string_lossy().into_owned()));
        if let Some(rel) = rel {
            if let Some((_, ty)) = client.policy_globs.iter().find(|(g, _)| g.matches(&rel)) {
                options.policy_type = ty.clone();
                matched_glob = true;
            }
        }
    }
    // The client's policy type is the default for files no glob names (as the setting's
    // description says): a glob is the more specific word, from the client or iamlint.toml.
    if let (Some(ty), false) = (&client.policy_type, matched_glob) {
        options.policy_type = ty.clone();
    }
    // The file's codes are shared with its other documents: a merged list is made only when
    // the client adds codes.
    if !client.disabled_rules.is_empty() {
        let mut disabled: Vec<String> = options.disabled_rules.codes().map(String::from).collect();
        for code in &client.disabled_rules {
            if !disabled.iter().any(|c| c.eq_ignore_ascii_case(code)) {
                disabled.push(code.clone());
            }
        }
        options.disabled_rules = RuleCodes::new(disabled);
    }
    if !client.category_overrides.is_empty() {
        let mut overrides: Vec<(String, Category)> = options
            .category_overrides
            .iter()
            .map(|(code, category)| (code.to_string(), category))
            .collect();
        for (code, category) in &client.category_overrides {
            overrides.retain(|(c, _)| !c.eq_ignore_ascii_case(code));
            overrides.push((code.clone(), *category));
        }
        options.category_overrides = CategoryOverrides::new(overrides);
    }
    // Unused grants switched off: their logs are not even read.
    if options.is_disabled(UNUSED_GRANT) {
        activity = None;
    }
    DocumentOptions {
        options,
        matched_glob,
        activity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_client_settings_and_reports_bad_entries() {
        let (s, problems) = ClientSettings::from_json(&json!({
            "policyType": "trust",
            "disabledRules": ["MISSING_VERSION"],
            "categoryOverrides": {"MISSING_VERSION": "warning", "X": "loud"},
            "policyGlobs": {"trust/*.json": "trust", "bad/*.json": "nonsense"}
        }));
        assert_eq!(s.policy_type, Some(PolicyType::Trust));
        assert_eq!(s.disabled_rules, ["MISSING_VERSION"]);
        assert_eq!(
            s.category_overrides,
            [("MISSING_VERSION".to_string(), Category::Warning)]
        );
        assert_eq!(s.policy_globs.len(), 1);
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn client_settings_win_over_the_project_file() {
        let config = Config::parse(
            "[rules]\ndisable = [\"MISSING_VERSION\"]\n[[policy-types]]\nglob = \"trust/*.json\"\ntype = \"trust\"\n",
        )
        .unwrap();
        let project = ProjectConfig {
            file: PathBuf::from("/w/iamlint.toml"),
            dir: PathBuf::from("/w"),
            config,
        };
        let client = ClientSettings::default();
        let doc = document_options(
            &client,
            Some(&project),
            Some(Path::new("/w/trust/a.json")),
            Some(Path::new("/w")),
        );
        assert_eq!(doc.options.policy_type, PolicyType::Trust);
        assert!(doc.matched_glob);
        assert_eq!(
            doc.options.disabled_rules.codes().collect::<Vec<_>>(),
            ["MISSING_VERSION"]
        );
        let other = document_options(
            &client,
            Some(&project),
            Some(Path::new("/w/other.json")),
            Some(Path::new("/w")),
        );
        assert_eq!(other.options.policy_type, PolicyType::Auto);
        assert!(!other.matched_glob);

        let (client, _) = ClientSettings::from_json(&json!({
            "policyGlobs": [{"glob": "trust/*.json", "type": "scp"}],
            "disabledRules": ["missing_version", "MISSING_EFFECT"]
        }));
        let doc = document_options(
            &client,
            Some(&project),
            Some(Path::new("/w/trust/a.json")),
            Some(Path::new("/w")),
        );
        assert_eq!(doc.options.policy_type, PolicyType::Scp);
        assert_eq!(
            doc.options.disabled_rules.codes().collect::<Vec<_>>(),
            ["MISSING_VERSION", "MISSING_EFFECT"]
        );
    }

    #[test]
    fn the_client_policy_type_applies_only_where_no_glob_names_the_file() {
        let config =
            Config::parse("[[policy-types]]\nglob = \"trust/*.json\"\ntype = \"trust\"\n").unwrap();
        let project = ProjectConfig {
            file: PathBuf::from("/w/iamlint.toml"),
            dir: PathBuf::from("/w"),
            config,
        };
        let (client, _) = ClientSettings::from_json(&json!({
            "policyType": "scp",
            "policyGlobs": {"buckets/*.json": "resource"}
        }));
        let type_of = |file: &str| {
            document_options(
                &client,
                Some(&project),
                Some(Path::new(file)),
                Some(Path::new("/w")),
            )
            .options
            .policy_type
        };
        assert_eq!(type_of("/w/trust/a.json"), PolicyType::Trust);
        assert_eq!(
            type_of("/w/buckets/b.json"),
            PolicyType::Resource {
                resource_type: None
            }
        );
        assert_eq!(type_of("/w/other.json"), PolicyType::Scp);
    }

    #[test]
    fn unused_grants_switched_off_read_no_activity() {
        let entry = "[[activity]]\nglob = \"*.json\"\nprincipal = \"arn:aws:iam::111122223333:role/app\"\ncloudtrail = [\"logs/\"]\n";
        let options = |toml: &str, client: &ClientSettings| {
            let project = ProjectConfig {
                file: PathBuf::from("/w/iamlint.toml"),
                dir: PathBuf::from("/w"),
                config: Config::parse(toml).unwrap(),
            };
            document_options(
                client,
                Some(&project),
                Some(Path::new("/w/a.json")),
                Some(Path::new("/w")),
            )
        };
        let client = ClientSettings::default();
        assert!(options(entry, &client).activity.is_some());
        let off = format!("[rules]\ndisable = [\"UNUSED_GRANT\"]\n{entry}");
        assert!(options(&off, &client).activity.is_none());
        let (client, _) = ClientSettings::from_json(&json!({"disabledRules": ["unused_grant"]}));
        assert!(options(entry, &client).activity.is_none());
    }
}
