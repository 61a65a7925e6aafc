//! The policy gates for reviews and CI: `check-no-new-access`, `check-access-not-granted` and
//! `check-no-public-access`. The reasoning is the core's (`iamlint_core::gates`); this module
//! reads the files, prints the answer (human, json or sarif) and sets the exit code: 0 PASS,
//! 1 FAIL, 2 bad input.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use iamlint_core::gates::{
    check_access_not_granted, check_no_new_access, check_no_public_access, AccessQuery, GatePolicy,
    GateResult, PublicResourceType, Verdict, PUBLIC_RESOURCE_TYPES,
};
use iamlint_core::host::{self, EmbeddedPolicy, Format as FileFormat};
use iamlint_core::{LineIndex, PolicyType, PositionEncoding, Span};
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(clap::Args)]
pub struct NoNewAccessArgs {
    /// The reference policy (for example the version on the base branch): a policy file, or
    /// FILE#NAME for a policy inside a Terraform or CloudFormation file.
    #[arg(long = "reference-policy", value_name = "OLD")]
    reference: PathBuf,
    /// The new policy (FILE or FILE#NAME).
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// identity, resource, trust, scp, rcp, boundary or session.
    #[arg(long, default_value = "identity")]
    policy_type: String,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(clap::Args)]
pub struct AccessNotGrantedArgs {
    /// Actions that must not be granted (comma-separated; wildcards allowed).
    #[arg(long, value_delimiter = ',', value_name = "A[,B...]")]
    actions: Vec<String>,
    /// Resources they must not be granted on (comma-separated ARNs; wildcards allowed).
    #[arg(long, value_delimiter = ',', value_name = "R[,S...]")]
    resources: Vec<String>,
    /// The policy to check (FILE or FILE#NAME).
    #[arg(value_name = "POLICY")]
    policy: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(clap::Args)]
pub struct NoPublicAccessArgs {
    /// The resource type as CloudFormation names it, e.g. AWS::S3::Bucket.
    #[arg(long, value_name = "TYPE")]
    resource_type: String,
    /// The resource policy to check (FILE or FILE#NAME).
    #[arg(value_name = "POLICY")]
    policy: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// A policy read from the command line: a policy file, or one policy inside a Terraform or
/// CloudFormation file (`FILE#NAME`, or just FILE when it holds one policy).
struct Input {
    /// How messages name it: the file, and `#NAME` for a policy inside a template.
    name: String,
    /// The file's path as given, for positions.
    file: String,
    /// The file's text: positions in reasons and errors are in it.
    text: String,
    /// The policy picked from a template, with its JSON text and the map back to `text`.
    embedded: Option<EmbeddedPolicy>,
}

impl Input {
    /// A span of the checked policy's text as a span of the file.
    fn file_span(&self, span: Span) -> Span {
        self.embedded.as_ref().map_or(span, |p| p.to_host(span))
    }
}

/// Read one POLICY argument: `FILE`, or `FILE#NAME` to pick the policy named NAME (as `iamlint
/// check --format json` names it, e.g. `aws_iam_policy.admin`) inside a Terraform or
/// CloudFormation file. A template that holds exactly one policy needs no NAME. A path that
/// exists is always read whole, so a `#` in a file name still works.
fn read_input(path: &std::path::Path) -> Result<Input, Vec<String>> {
    let given = path.to_string_lossy().into_owned();
    let (file, wanted) = match given.rsplit_once('#') {
        Some((file, name)) if !path.exists() && !file.is_empty() => (file.to_string(), Some(name)),
        _ => (given.clone(), None),
    };
    let text = crate::policy_file::read(std::path::Path::new(&file)).map_err(|e| vec![e])?;
    let format = host::detect(Some(&file), &text);
    if format == FileFormat::Json || (format == FileFormat::Other && wanted.is_none()) {
        if let Some(name) = wanted {
            return Err(vec![format!(
                "{file}: a policy file, not a Terraform or CloudFormation file: #{name} picks \
                 a policy inside one"
            )]);
        }
        return Ok(Input {
            name: file.clone(),
            file,
            text,
            embedded: None,
        });
    }
    if format == FileFormat::Other {
        return Err(vec![format!(
            "{file}: neither a policy nor a Terraform or CloudFormation file"
        )]);
    }
    let mut document = host::read(format, &text);
    let names = || {
        document
            .policies
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let picked = match wanted {
        Some(name) => document.policies.iter().position(|p| p.name == name),
        None if document.policies.len() == 1 => Some(0),
        None => None,
    };
    let Some(index) = picked else {
        let mut errors = crate::policy_file::located_lines(
            &file,
            &text,
            document.errors.iter().map(|e| (e.span, e.message.as_str())),
        );
        errors.push(match (wanted, document.policies.len()) {
            (_, 0) => format!("{file}: no policy found in this {} file", format.as_str()),
            (Some(name), _) => format!("{file}: no policy named '{name}'; it holds {}", names()),
            (None, n) => format!(
                "{file}: holds {n} policies; pick one with {file}#NAME, NAME one of {}",
                names()
            ),
        });
        return Err(errors);
    };
    let policy = document.policies.swap_remove(index);
    Ok(Input {
        name: format!("{file}#{}", policy.name),
        file,
        text,
        embedded: Some(policy),
    })
}

fn parse<'t>(input: &'t Input) -> Result<GatePolicy<'t>, Vec<String>> {
    let parsed = match &input.embedded {
        Some(policy) => GatePolicy::from_embedded(policy),
        None => GatePolicy::parse(&input.name, &input.text),
    };
    parsed.map_err(|mut errors| {
        for e in &mut errors {
            e.span = input.file_span(e.span);
        }
        crate::policy_file::error_lines(&input.file, &input.text, &errors)
    })
}

/// Read and parse the one POLICY of a command, then answer with `answer`; bad input exits 2.
fn with_policy(
    command: &str,
    path: &std::path::Path,
    answer: impl FnOnce(&Input, &GatePolicy<'_>) -> ExitCode,
) -> ExitCode {
    let input = match read_input(path) {
        Ok(i) => i,
        Err(e) => return bad_input(command, e),
    };
    match parse(&input) {
        Ok(policy) => answer(&input, &policy),
        Err(e) => bad_input(command, e),
    }
}

fn bad_input(command: &str, errors: Vec<String>) -> ExitCode {
    for e in errors {
        eprintln!("iamlint {command}: {e}");
    }
    ExitCode::from(2)
}

pub fn run_no_new_access(args: NoNewAccessArgs) -> ExitCode {
    const COMMAND: &str = "check-no-new-access";
    let Some(policy_type) = PolicyType::parse(&args.policy_type) else {
        return bad_input(
            COMMAND,
            vec![format!(
                "unknown --policy-type '{}': use one of {}",
                args.policy_type,
                PolicyType::NAMES.join(", ")
            )],
        );
    };
    let (old, new) = match (read_input(&args.reference), read_input(&args.new)) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            let errors = [o.err(), n.err()].into_iter().flatten().flatten().collect();
            return bad_input(COMMAND, errors);
        }
    };
    let (old_policy, new_policy) = match (parse(&old), parse(&new)) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            let errors = [o.err(), n.err()].into_iter().flatten().flatten().collect();
            return bad_input(COMMAND, errors);
        }
    };
    let result = check_no_new_access(&old_policy, &new_policy, &policy_type);
    let pass = format!("{} grants nothing that {} does not", new.name, old.name);
    let fail = format!("{} may grant access that {} does not", new.name, old.name);
    report(
        COMMAND,
        "NO_NEW_ACCESS",
        &new,
        &result,
        args.format,
        &pass,
        &fail,
    )
}

pub fn run_access_not_granted(args: AccessNotGrantedArgs) -> ExitCode {
    const COMMAND: &str = "check-access-not-granted";
    let clean = |list: &[String]| -> Vec<String> {
        list.iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let query = AccessQuery {
        actions: clean(&args.actions),
        resources: clean(&args.resources),
    };
    if query.actions.is_empty() && query.resources.is_empty() {
        return bad_input(
            COMMAND,
            vec!["give --actions, --resources or both".to_string()],
        );
    }
    with_policy(COMMAND, &args.policy, |input, policy| {
        let result = check_access_not_granted(policy, &query);
        let mut asked = query.actions.join(", ");
        if !query.resources.is_empty() {
            if asked.is_empty() {
                asked = "any action".into();
            }
            asked = format!("{asked} on {}", query.resources.join(", "));
        }
        let pass = format!("{} does not grant {asked}", input.name);
        let fail = format!("{} may grant {asked}", input.name);
        report(
            COMMAND,
            "ACCESS_GRANTED",
            input,
            &result,
            args.format,
            &pass,
            &fail,
        )
    })
}

pub fn run_no_public_access(args: NoPublicAccessArgs) -> ExitCode {
    const COMMAND: &str = "check-no-public-access";
    let Some(resource_type) = PublicResourceType::find(&args.resource_type) else {
        let known: Vec<&str> = PUBLIC_RESOURCE_TYPES.iter().map(|t| t.name).collect();
        return bad_input(
            COMMAND,
            vec![format!(
                "unknown --resource-type '{}': use one of {}",
                args.resource_type,
                known.join(", ")
            )],
        );
    };
    with_policy(COMMAND, &args.policy, |input, policy| {
        let result = check_no_public_access(policy, resource_type);
        let pass = format!(
            "{} grants no public access to a resource of type {}",
            input.name, resource_type.name
        );
        let fail = format!(
            "{} may grant public access to a resource of type {}",
            input.name, resource_type.name
        );
        report(
            COMMAND,
            "PUBLIC_ACCESS_GRANTED",
            input,
            &result,
            args.format,
            &pass,
            &fail,
        )
    })
}

/// Print the answer and give the exit code.
fn report(
    command: &str,
    rule: &str,
    input: &Input,
    result: &GateResult,
    format: Format,
    pass: &str,
    fail: &str,
) -> ExitCode {
    let message = match result.result {
        Verdict::Pass => pass,
        Verdict::Fail => fail,
    };
    let text = match format {
        Format::Human => human(input, result, message),
        Format::Json => {
            let output = JsonOutput {
                version: 1,
                result: result.result,
                message,
                reasons: &result.reasons,
            };
            format!(
                "{}\n",
                serde_json::to_string_pretty(&output).unwrap_or_default()
            )
        }
        Format::Sarif => format!("{}\n", pretty(&sarif(command, rule, input, result, fail))),
    };
    print!("{text}");
    match result.result {
        Verdict::Pass => ExitCode::SUCCESS,
        Verdict::Fail => ExitCode::from(1),
    }
}

/// The `--format json` contract (docs/gates.md).
#[derive(serde::Serialize)]
struct JsonOutput<'a> {
    version: u32,
    result: Verdict,
    message: &'a str,
    reasons: &'a [iamlint_core::gates::Reason],
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// 1-based (line, column) in characters.
fn position(input: &Input, index: &LineIndex, offset: usize) -> (u32, u32) {
    let lc = index.line_col(&input.text, offset, PositionEncoding::Chars);
    (lc.line + 1, lc.col + 1)
}

fn human(input: &Input, result: &GateResult, message: &str) -> String {
    let index = LineIndex::new(&input.text);
    let mut out = format!("{}: {message}\n", result.result.as_str());
    for r in &result.reasons {
        match r.span.map(|span| input.file_span(span)) {
            Some(span) => {
                let (line, col) = position(input, &index, span.start);
                out.push_str(&format!(
                    "  {}:{line}:{col}: {}\n",
                    input.file, r.description
                ));
            }
            None => out.push_str(&format!("  {}\n", r.description)),
        }
    }
    out
}

/// SARIF 2.1.0: one rule for the gate, one result per reason, located at the statement.
fn sarif(command: &str, rule: &str, input: &Input, result: &GateResult, fail: &str) -> Value {
    let index = LineIndex::new(&input.text);
    let uri: String = input.file.replace('\\', "/");
    let results: Vec<Value> = result
        .reasons
        .iter()
        .map(|r| {
            let mut location =
                json!({ "physicalLocation": { "artifactLocation": { "uri": uri } } });
            if let Some(span) = r.span.map(|span| input.file_span(span)) {
                let (sl, sc) = position(input, &index, span.start);
                let (el, ec) = position(input, &index, span.end);
                location["physicalLocation"]["region"] = json!({
                    "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec,
                });
            }
            json!({
                "ruleId": rule,
                "level": "error",
                "message": { "text": r.description },
                "locations": [location],
                "properties": {
                    "statementIndex": r.statement_index,
                    "statementId": r.statement_id,
                },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "iamlint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": [{
                    "id": rule,
                    "name": rule,
                    "shortDescription": { "text": format!("iamlint {command}: {fail}") },
                    "defaultConfiguration": { "level": "error" },
                }],
            }},
            "properties": { "result": result.result.as_str() },
            "results": results,
        }],
    })
}
