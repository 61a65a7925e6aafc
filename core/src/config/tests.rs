use super::*;

/// The text an error points at.
fn pointed<'t>(text: &'t str, e: &ConfigError) -> &'t str {
    e.span.slice(text)
}

fn errors(text: &str) -> Vec<ConfigError> {
    Config::parse(text).expect_err("expected errors")
}

#[test]
fn parses_every_section() {
    let text = r#"
[rules]
disable = ["json_syntax_error"]

[rules.categories]
JSON_SYNTAX_ERROR = "warning"

[[policy-types]]
glob = "trust/*.json"
type = "trust"

[[policy-types]]
glob = "**/*.json"
type = "resource:AWS::S3::Bucket"
"#;
    let config = Config::parse(text).unwrap();
    assert_eq!(
        config.disabled_rules.codes().collect::<Vec<_>>(),
        ["JSON_SYNTAX_ERROR"]
    );
    assert_eq!(
        config.category_overrides.iter().collect::<Vec<_>>(),
        [("JSON_SYNTAX_ERROR", Category::Warning)]
    );
    assert_eq!(config.policy_types.len(), 2);
    assert_eq!(
        config.policy_type_for("trust/a.json"),
        Some(&PolicyType::Trust)
    );
    assert_eq!(
        config.policy_type_for("buckets/b.json"),
        Some(&PolicyType::Resource {
            resource_type: Some("AWS::S3::Bucket".into())
        })
    );
}

#[test]
fn first_matching_glob_wins_and_options_follow() {
    let text = "[[policy-types]]\nglob = \"scp/*.json\"\ntype = \"scp\"\n\n[[policy-types]]\nglob = \"**\"\ntype = \"identity\"\n";
    let config = Config::parse(text).unwrap();
    let options = config.analyze_options("scp/deny.json");
    assert_eq!(options.policy_type, PolicyType::Scp);
    assert_eq!(
        config.analyze_options("scp/sub/deny.json").policy_type,
        PolicyType::Identity
    );
    let empty = Config::parse("").unwrap();
    assert_eq!(empty.analyze_options("x.json"), AnalyzeOptions::default());
}

#[test]
fn options_switch_rules_off_and_recategorise() {
    let policy = r#"{"Version": "2012-10-17" "Statement": []}"#;
    let off = Config::parse("[rules]\ndisable = [\"JSON_SYNTAX_ERROR\"]\n").unwrap();
    let found = crate::analyze(policy, &off.analyze_options("p.json")).diagnostics;
    assert!(found.iter().all(|d| d.code != "JSON_SYNTAX_ERROR"));
    let warn = Config::parse("[rules.categories]\nJSON_SYNTAX_ERROR = \"suggestion\"\n").unwrap();
    let found = crate::analyze(policy, &warn.analyze_options("p.json")).diagnostics;
    let syntax: Vec<_> = found
        .iter()
        .filter(|d| d.code == "JSON_SYNTAX_ERROR")
        .collect();
    assert!(!syntax.is_empty());
    assert!(syntax.iter().all(|d| d.category == Category::Suggestion));
}

#[test]
fn unknown_keys_are_errors_at_the_key() {
    let text = "[rulez]\n\n[rules]\ndisabel = []\n\n[[policy-types]]\nglob = \"a\"\ntype = \"trust\"\nglobs = 1\n";
    let errs = errors(text);
    let pointed: Vec<&str> = errs.iter().map(|e| pointed(text, e)).collect();
    assert_eq!(pointed, vec!["rulez", "disabel", "globs"]);
    assert!(errs[0].message.contains("did you mean 'rules'"));
    assert!(errs[1].message.contains("did you mean 'disable'"));
    assert_eq!(errs[1].line_column(text), (4, 1));
}

#[test]
fn unknown_rule_codes_point_at_the_code() {
    let text = "[rules]\ndisable = [\"JSON_SYNTAX_EROR\", \"NO_SUCH_RULE_AT_ALL\"]\n";
    let errs = errors(text);
    assert_eq!(errs.len(), 2);
    assert_eq!(pointed(text, &errs[0]), "\"JSON_SYNTAX_EROR\"");
    assert!(errs[0].message.contains("did you mean 'JSON_SYNTAX_ERROR'"));
    assert_eq!(pointed(text, &errs[1]), "\"NO_SUCH_RULE_AT_ALL\"");
    assert_eq!(errs[0].line_column(text), (2, 12));
}

#[test]
fn bad_categories_and_types_point_at_the_value() {
    let text = "[rules.categories]\nJSON_SYNTAX_ERROR = \"fatal\"\n\n[[policy-types]]\nglob = \"x/*.json\"\ntype = \"trusted\"\n";
    let errs = errors(text);
    let pointed: Vec<&str> = errs.iter().map(|e| pointed(text, e)).collect();
    assert_eq!(pointed, vec!["\"fatal\"", "\"trusted\""]);
    assert!(errs[0]
        .message
        .contains("error, security, warning, suggestion"));
    assert!(errs[1].message.contains("identity"));
}

#[test]
fn wrong_shapes_are_errors() {
    let text = "rules = 3\npolicy-types = \"x\"\n";
    let errs = errors(text);
    let pointed: Vec<&str> = errs.iter().map(|e| pointed(text, e)).collect();
    assert_eq!(pointed, vec!["3", "\"x\""]);
    let text = "[rules]\ndisable = \"JSON_SYNTAX_ERROR\"\n";
    assert_eq!(pointed_all(text), vec!["\"JSON_SYNTAX_ERROR\""]);
    let text = "[rules]\ndisable = [1]\n";
    assert_eq!(pointed_all(text), vec!["1"]);
    let text = "[[policy-types]]\nglob = \"/abs/*.json\"\ntype = \"scp\"\n";
    assert_eq!(pointed_all(text), vec!["\"/abs/*.json\""]);
}

fn pointed_all(text: &str) -> Vec<&str> {
    errors(text).iter().map(|e| e.span.slice(text)).collect()
}

#[test]
fn missing_glob_or_type_is_an_error() {
    let text = "[[policy-types]]\ntype = \"scp\"\n";
    let errs = errors(text);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].message.contains("no glob"));
}

#[test]
fn toml_syntax_errors_carry_a_position() {
    let text = "[rules]\ndisable = [\"A\"\n";
    let errs = errors(text);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].message.starts_with("TOML syntax"));
    assert!(errs[0].span.end <= text.len());
    assert_eq!(errs[0].line_column(text).0, 2);
}

#[test]
fn never_panics_on_odd_text() {
    for text in [
        "é = \"",
        "[",
        "[[policy-types]]\n[[policy-types]]\n",
        "[rules]\ncategories = []\n",
        "\u{feff}[rules]",
        "a.b.c = 1",
    ] {
        match Config::parse(text) {
            Ok(_) => {}
            Err(errs) => {
                for e in errs {
                    assert!(e.span.end <= text.len());
                    assert!(text.is_char_boundary(e.span.start));
                    let _ = e.line_column(text);
                }
            }
        }
    }
}

#[test]
fn audit_thresholds_and_disabled_codes() {
    let text = "[audit]\naccess-key-max-age-days = 60\npassword-max-age-days = 90\ndisable = [\"role_unused\", \"MISSING_VERSION\"]\n";
    let config = Config::parse(text).unwrap();
    assert_eq!(config.audit.access_key_max_age_days, 60);
    assert_eq!(config.audit.password_max_age_days, 90);
    assert_eq!(config.audit.credential_unused_days, 45);
    assert_eq!(
        config.audit.disabled,
        vec!["ROLE_UNUSED", "MISSING_VERSION"]
    );
}

#[test]
fn audit_errors_point_at_the_value() {
    let text =
        "[audit]\nrole-unused-days = -1\ncredential-unused-day = 3\ndisable = [\"ROLE_UNUSD\"]\n";
    let found = errors(text);
    let pointed: Vec<&str> = found.iter().map(|e| pointed(text, e)).collect();
    assert_eq!(
        pointed,
        vec!["-1", "credential-unused-day", "\"ROLE_UNUSD\""]
    );
    assert!(
        found[1]
            .message
            .contains("did you mean 'credential-unused-days'"),
        "{}",
        found[1].message
    );
    assert!(
        found[2].message.contains("did you mean 'ROLE_UNUSED'"),
        "{}",
        found[2].message
    );
}

#[test]
fn activity_entries_parse_and_match_by_glob() {
    let text = r#"
[[activity]]
glob = "roles/app/*.json"
principal = "arn:aws:iam::111122223333:role/app"
cloudtrail = ["logs/a/", "logs/b.json.gz"]
since = 2026-09-01
until = "2026-09-30"

[[activity]]
glob = "roles/**"
principal = "arn:aws:iam::111122223333:user/ci"
usage = "usage.csv"
"#;
    let c = Config::parse(text).unwrap();
    assert_eq!(c.activity.len(), 2);
    let a = c.activity_for("roles/app/policy.json").unwrap();
    assert_eq!(a.principal.arn(), "arn:aws:iam::111122223333:role/app");
    assert_eq!(a.cloudtrail, ["logs/a/", "logs/b.json.gz"]);
    assert_eq!(a.usage, None);
    assert_eq!(a.named_files(), ["logs/a/", "logs/b.json.gz"]);
    assert_eq!(a.since, Some(1_788_220_800_000));
    // A date as `until` means the end of that day.
    assert_eq!(a.until, Some(1_788_220_800_000 + 30 * 86_400_000 - 1));
    let b = c.activity_for("roles/other/p.json").unwrap();
    assert_eq!(b.usage.as_deref(), Some("usage.csv"));
    // Problems reading the files are shown on the value that names them.
    let at = |span: Span| &text[span.start..span.end];
    assert_eq!(at(a.logs_span), r#"["logs/a/", "logs/b.json.gz"]"#);
    assert_eq!(at(b.logs_span), r#""usage.csv""#);
    assert!(b.cloudtrail.is_empty());
    assert_eq!(b.named_files(), ["usage.csv"]);
    assert_eq!(c.activity_for("elsewhere/p.json"), None);
}

#[test]
fn activity_errors_point_at_the_value_or_the_entry() {
    let text = r#"
[[activity]]
glob = "a/*.json"
principal = "role/app"
cloudtrail = []
since = "yesterday"
colour = 1
"#;
    let e = errors(text);
    let pointed = pointed_all(text);
    assert_eq!(e.len(), 4, "{e:?}");
    assert_eq!(pointed, ["\"role/app\"", "[]", "\"yesterday\"", "colour"]);
    assert!(e[0].message.contains("not an ARN"), "{}", e[0].message);
    assert!(e[3].message.contains("unknown key 'colour'"));

    let text = "[[activity]]\nglob = \"a\"\nprincipal = \"arn:aws:iam::1:role/r\"\n";
    let e = errors(text);
    assert_eq!(e.len(), 1);
    assert!(
        e[0].message.contains("names no activity"),
        "{}",
        e[0].message
    );

    let text = "[[activity]]\nprincipal = \"arn:aws:iam::1:role/r\"\nusage = \"u.csv\"\ncloudtrail = \"logs\"\n";
    let messages: Vec<String> = errors(text).into_iter().map(|e| e.message).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("no glob")));
    assert!(messages.iter().any(|m| m.contains("not both")));

    let text = "[[activity]]\nglob = \"a\"\nprincipal = \"arn:aws:iam::1:role/r\"\nusage = \"u\"\nsince = 2026-02-01\nuntil = 2026-01-01\n";
    assert!(errors(text)[0].message.contains("since is after until"));

    let e = errors("activity = 3\n");
    assert!(e[0].message.contains("array of tables"));
}

#[test]
fn unused_grants_can_be_switched_off_but_have_no_category() {
    let config = Config::parse("[rules]\ndisable = [\"unused_grant\"]\n").unwrap();
    assert_eq!(
        config.disabled_rules.codes().collect::<Vec<_>>(),
        ["UNUSED_GRANT"]
    );
    assert!(config.analyze_options("a.json").is_disabled("UNUSED_GRANT"));
    // The editor always shows them as hints: a category for them would change nothing.
    let text = "[rules.categories]\nUNUSED_GRANT = \"warning\"\n";
    let e = errors(text);
    assert_eq!(pointed(text, &e[0]), "UNUSED_GRANT");
    assert!(e[0].message.contains("unknown rule code"), "{e:?}");
    // A misspelling is still refused, and the suggestion knows the code.
    let text = "[rules]\ndisable = [\"UNUSED_GRANTS\"]\n";
    let e = errors(text);
    assert!(
        e[0].message.contains("did you mean 'UNUSED_GRANT'"),
        "{e:?}"
    );
}
