//! `iamlint simulate`: evaluate one request against a set of policies with the core's evaluation
//! engine and explain the decision. Exit code 0 whatever the decision, 2 for bad input.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use iamlint_core::catalog::catalog;
use iamlint_core::eval::{
    evaluate, CompiledPolicy, ContextValue, ElementMatch, Evaluation, PolicySet, Request,
    RequestInput, RequestPrincipal, ResourcePolicyKind,
};
use iamlint_core::{LineIndex, PositionEncoding};
use serde::Serialize;

#[derive(clap::Args)]
pub struct Args {
    /// Identity-based policy files (repeat for several).
    #[arg(long = "policy", value_name = "FILE")]
    policies: Vec<PathBuf>,
    /// The resource-based policy of the resource (bucket policy, key policy, trust policy, ...).
    #[arg(long, value_name = "FILE")]
    resource_policy: Option<PathBuf>,
    /// How the resource policy behaves: generic, trust (role trust policy) or kms (key policy).
    /// Default: trust for sts:AssumeRole* actions, kms for kms:* actions, else generic.
    #[arg(long, value_name = "KIND")]
    resource_policy_kind: Option<String>,
    /// The permissions boundary of the principal.
    #[arg(long, value_name = "FILE")]
    boundary: Option<PathBuf>,
    /// Service control policies: each --scp is one level of the organization path (root first);
    /// several files of one level are separated by commas.
    #[arg(long = "scp", value_name = "FILE[,FILE...]")]
    scps: Vec<String>,
    /// Resource control policies, one level per --rcp, like --scp.
    #[arg(long = "rcp", value_name = "FILE[,FILE...]")]
    rcps: Vec<String>,
    /// The session policy passed when the role session was created.
    #[arg(long, value_name = "FILE")]
    session_policy: Option<PathBuf>,
    /// The action, e.g. s3:GetObject.
    #[arg(long)]
    action: String,
    /// The resource ARN (or * for actions without a resource).
    #[arg(long)]
    resource: String,
    /// The account that owns the resource, when its ARN has none (S3 bucket ARNs).
    #[arg(long, value_name = "ACCOUNT")]
    resource_account: Option<String>,
    /// The caller: an IAM user, role or assumed-role session ARN, the account root, a service
    /// principal such as lambda.amazonaws.com, or 'anonymous'.
    #[arg(long, default_value = "arn:aws:iam::111122223333:user/simulated")]
    principal: String,
    /// A request context key: key=value. Repeat a key for a multi-valued key.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// Output format: human or json.
    #[arg(long, default_value = "human")]
    format: String,
}

/// A loaded policy file: its name, text and line index (for positions in the explanation).
struct Source {
    name: String,
    text: String,
}

pub fn run(args: Args) -> ExitCode {
    match simulate(&args) {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for e in errors {
                eprintln!("iamlint simulate: {e}");
            }
            ExitCode::from(2)
        }
    }
}

fn simulate(args: &Args) -> Result<String, Vec<String>> {
    let json = match args.format.as_str() {
        "json" => true,
        "human" => false,
        other => {
            return Err(vec![format!(
                "unknown --format '{other}': use human or json"
            )])
        }
    };
    let mut errors = Vec::new();
    let mut sources = Vec::new();
    let mut load = |path: &Path, errors: &mut Vec<String>| -> Option<CompiledPolicy> {
        let name = path.display().to_string();
        let text = match crate::policy_file::read(path) {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                return None;
            }
        };
        let compiled = match CompiledPolicy::compile(&name, &text) {
            Ok(p) => Some(p),
            Err(policy_errors) => {
                errors.extend(crate::policy_file::error_lines(
                    &name,
                    &text,
                    &policy_errors,
                ));
                None
            }
        };
        sources.push(Source { name, text });
        compiled
    };

    let mut set = PolicySet::default();
    for p in &args.policies {
        if let Some(c) = load(p, &mut errors) {
            set.identity.push(c);
        }
    }
    set.resource = args
        .resource_policy
        .as_deref()
        .and_then(|p| load(p, &mut errors));
    set.boundary = args.boundary.as_deref().and_then(|p| load(p, &mut errors));
    set.session = args
        .session_policy
        .as_deref()
        .and_then(|p| load(p, &mut errors));
    for level in &args.scps {
        set.scps.push(
            level
                .split(',')
                .filter_map(|p| load(Path::new(p), &mut errors))
                .collect(),
        );
    }
    for level in &args.rcps {
        set.rcps.push(
            level
                .split(',')
                .filter_map(|p| load(Path::new(p), &mut errors))
                .collect(),
        );
    }
    set.resource_kind = match args.resource_policy_kind.as_deref() {
        Some("generic") => ResourcePolicyKind::Generic,
        Some("trust") => ResourcePolicyKind::RoleTrust,
        Some("kms") => ResourcePolicyKind::KmsKey,
        Some(other) => {
            errors.push(format!(
                "unknown --resource-policy-kind '{other}': use generic, trust or kms"
            ));
            ResourcePolicyKind::Generic
        }
        None => ResourcePolicyKind::for_request(&args.action, &args.resource),
    };

    let request = build_request(args, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(request) = request else {
        return Err(vec!["invalid request".into()]);
    };
    let evaluation = evaluate(&set, &request);
    Ok(if json {
        render_json(&request, &evaluation, &sources)
    } else {
        render_human(&request, &evaluation, &sources)
    })
}

fn build_request(args: &Args, errors: &mut Vec<String>) -> Option<Request> {
    let mut context = Vec::new();
    for item in &args.context {
        match item.split_once('=') {
            Some(pair) => context.push(pair),
            None => errors.push(format!("--context '{item}' must be KEY=VALUE")),
        }
    }
    if catalog().action_count() > 0
        && !args.action.contains(['*', '?'])
        && catalog().action(&args.action).is_none()
    {
        // Not fatal: the catalog may be older than a new action. Say so on stderr.
        eprintln!(
            "iamlint simulate: note: {} is not in the catalog (data of {}); evaluating it anyway",
            args.action,
            catalog().data_date()
        );
    }
    let input = RequestInput {
        principal: &args.principal,
        action: &args.action,
        resource: &args.resource,
        resource_account: args.resource_account.as_deref(),
        context,
    };
    Request::from_input(&input)
        .map_err(|problems| errors.extend(problems.iter().map(|p| p.to_string())))
        .ok()
}

/// The `--format json` contract (docs/simulator.md).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonOutput<'a> {
    version: u32,
    decision: &'static str,
    reason: &'a str,
    request: JsonRequest<'a>,
    same_account: bool,
    decisive_statements: Vec<JsonStatementRef<'a>>,
    policies: &'a [iamlint_core::eval::PolicyTrace],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonRequest<'a> {
    principal: &'a RequestPrincipal,
    action: &'a str,
    resource: &'a str,
    resource_account: Option<&'a str>,
    /// Key as given -> its values.
    context: std::collections::BTreeMap<&'a str, &'a ContextValue>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonStatementRef<'a> {
    policy_kind: &'static str,
    policy: &'a str,
    index: usize,
    sid: Option<&'a str>,
    effect: &'static str,
    line: usize,
}

fn render_json(request: &Request, e: &Evaluation, sources: &[Source]) -> String {
    let out = JsonOutput {
        version: 1,
        decision: e.decision.as_str(),
        reason: &e.reason,
        request: JsonRequest {
            principal: &request.principal,
            action: &request.action,
            resource: &request.resource,
            resource_account: request.effective_resource_account(),
            context: request.context.iter().collect(),
        },
        same_account: e.same_account,
        decisive_statements: e
            .decisive_statements
            .iter()
            .map(|s| JsonStatementRef {
                policy_kind: s.kind.as_str(),
                policy: &s.policy,
                index: s.index,
                sid: s.sid.as_deref(),
                effect: s.effect,
                line: line_of(sources, &s.policy, s.span.start),
            })
            .collect(),
        policies: &e.policies,
    };
    let mut text =
        serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}

fn line_of(sources: &[Source], name: &str, offset: usize) -> usize {
    sources
        .iter()
        .find(|s| s.name == name)
        .map(|s| {
            LineIndex::new(&s.text)
                .line_col(&s.text, offset, PositionEncoding::Chars)
                .line as usize
                + 1
        })
        .unwrap_or(0)
}

fn mark(m: ElementMatch) -> &'static str {
    match m {
        ElementMatch::Matched => "matched",
        ElementMatch::NotMatched => "NOT matched",
        ElementMatch::Absent => "-",
    }
}

fn render_human(request: &Request, e: &Evaluation, sources: &[Source]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "Decision: {}", e.decision.as_str());
    let _ = writeln!(out, "  {}", e.reason);
    let _ = writeln!(out);
    let who = request
        .principal
        .arn
        .clone()
        .unwrap_or_else(|| request.principal.principal_type().to_string());
    let _ = writeln!(
        out,
        "Request: {who} -> {} on {}",
        request.action, request.resource
    );
    let _ = writeln!(
        out,
        "  {} account{}",
        if e.same_account { "same" } else { "cross" },
        request
            .effective_resource_account()
            .map(|a| format!(" (resource account {a})"))
            .unwrap_or_default()
    );
    if !e.decisive_statements.is_empty() {
        let _ = writeln!(out, "\nDecided by:");
        for s in &e.decisive_statements {
            let sid = s
                .sid
                .as_deref()
                .map(|x| format!(" \"{x}\""))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {}:{} statement {}{sid} ({})",
                s.kind.as_str(),
                s.policy,
                line_of(sources, &s.policy, s.span.start),
                s.index + 1,
                s.effect
            );
        }
    }
    let _ = writeln!(out, "\nStatements:");
    for p in &e.policies {
        let level = p.level.map(|l| format!(" level {l}")).unwrap_or_default();
        let _ = writeln!(out, "  {}{level} {}", p.kind.as_str(), p.name);
        for st in &p.statements {
            let sid = st
                .sid
                .as_deref()
                .map(|x| format!(" \"{x}\""))
                .unwrap_or_default();
            let _ = write!(
                out,
                "    {} statement {}{sid} ({}, line {}): action {}, resource {}, principal {}",
                if st.applies { "applies" } else { "skipped" },
                st.index + 1,
                st.effect,
                line_of(sources, &p.name, st.span.start),
                mark(st.action),
                mark(st.resource),
                mark(st.principal)
            );
            for c in &st.conditions {
                let missing = if c.key_missing {
                    ", key not in request"
                } else {
                    ""
                };
                let _ = write!(
                    out,
                    "; {} {} {}{missing}",
                    c.operator,
                    c.key,
                    if c.matched { "matched" } else { "NOT matched" }
                );
            }
            let _ = writeln!(out);
        }
    }
    out
}
