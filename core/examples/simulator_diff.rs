//! Differential test and throughput benchmark of the evaluation engine against an independent
//! implementation, `@cloud-copilot/iam-simulate` (AGPL), which runs as an outside program through
//! tests/simulator-diff/driver.mjs and is never linked or copied.
//!
//! Usage (scripts/simulator-diff.sh wraps it):
//!   simulator_diff diff  --cases N --seed S --corpus DIR --out DIR   agreement report
//!   simulator_diff bench --requests N --corpus DIR --out DIR         requests per second, both
//!
//! Requests are generated deterministically from the seed: identity policies from the AWS managed
//! policy corpus plus hand-written edge cases (every operator family, set qualifiers, variables,
//! NotAction/NotResource, resource policies, boundaries, SCPs), actions drawn from what each policy
//! grants and from the whole catalog, resources filled in from the catalog's ARN templates, and
//! context keys the action really supports.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use iamlint_core::catalog::{catalog, Action, ConditionValueType};
use iamlint_core::eval::{
    evaluate, CompiledPolicy, ContextValue, PolicySet, Request, RequestContext, RequestPrincipal,
    ResourcePolicyKind,
};
use serde_json::{json, Value};

const HOME: &str = "111122223333";
const OTHER: &str = "444455556666";

/// Identity policies that exercise the corners of the language.
const EDGE_IDENTITY: &[&str] = &[
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::home/${aws:username}/*"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::home","Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}},{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"ops"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/25"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:PutItem"],"Resource":"arn:aws:dynamodb:*:111122223333:table/orders*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateTags","ec2:RunInstances"],"Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}},{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["t*"]}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotResource":["arn:aws:s3:::secret","arn:aws:s3:::secret/*"]},{"Effect":"Allow","Action":"sqs:*","Resource":"*","Condition":{"Null":{"aws:PrincipalTag/team":"false"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/a*"}}},{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"RED"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}},{"Effect":"Allow","Action":"s3:List*","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":"100"}}}]}"#,
];

/// Resource policies (for s3 buckets and others) naming principals in several ways.
const EDGE_RESOURCE: &[&str] = &[
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"*"}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"*","Resource":"*"}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}]}"#,
];

const EDGE_SCP: &[&str] = &[
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":["iam:*","sts:*","cloudfront:*","route53:*","support:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1"]}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:*","dynamodb:*","lambda:*"],"Resource":"*"}]}"#,
];

const EDGE_BOUNDARY: &[&str] = &[
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","dynamodb:*","sqs:*"],"Resource":"*"}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#,
];

/// A small deterministic generator (xorshift64*), so runs are repeatable from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

struct Corpus {
    /// (name, text) of identity policies.
    identity: Vec<(String, String)>,
}

fn load_corpus(dir: &Path, limit: usize) -> Corpus {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e} (run scripts/fetch-corpus.sh)", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let step = (files.len() / limit.max(1)).max(1);
    let mut identity: Vec<(String, String)> = files
        .iter()
        .step_by(step)
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some((p.file_stem()?.to_string_lossy().into_owned(), text))
        })
        .collect();
    for (i, p) in EDGE_IDENTITY.iter().enumerate() {
        identity.push((format!("edge-identity-{i}"), p.to_string()));
    }
    Corpus { identity }
}

/// A resource ARN for an action, from one of its resource types' ARN templates.
fn resource_for(rng: &mut Rng, action: &Action<'_>, account: &str) -> String {
    let types: Vec<_> = action.resource_types().collect();
    if types.is_empty() {
        return "*".to_string();
    }
    let rt = rng.pick(&types).resource_type;
    let templates: Vec<&str> = rt.arn_templates().collect();
    if templates.is_empty() {
        return "*".to_string();
    }
    let template = *rng.pick(&templates);
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 2..start + len];
        out.push_str(&match name {
            "Partition" => "aws".to_string(),
            "Region" => (*rng.pick(&["us-east-1", "eu-west-1"])).to_string(),
            "Account" | "AccountId" => account.to_string(),
            _ => format!("{}{}", name.to_ascii_lowercase(), rng.below(3)),
        });
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// A plausible value for a condition key of a given type.
fn value_for(rng: &mut Rng, ty: ConditionValueType) -> Value {
    match ty {
        ConditionValueType::Bool | ConditionValueType::ArrayOfBool => {
            json!(*rng.pick(&["true", "false"]))
        }
        ConditionValueType::Numeric | ConditionValueType::ArrayOfNumeric => {
            json!(rng.below(200).to_string())
        }
        ConditionValueType::Date | ConditionValueType::ArrayOfDate => {
            json!(*rng.pick(&["2019-06-01T00:00:00Z", "2025-06-01T00:00:00Z"]))
        }
        ConditionValueType::IpAddress => json!(*rng.pick(&[
            "203.0.113.5",
            "203.0.113.200",
            "198.51.100.7",
            "2001:db8::1"
        ])),
        ConditionValueType::Arn | ConditionValueType::ArrayOfArn => {
            json!(*rng.pick(&["arn:aws:iam::111122223333:user/alice", "arn:aws:s3:::home"]))
        }
        ConditionValueType::ArrayOfString => json!([
            *rng.pick(&["env", "team", "cost"]),
            *rng.pick(&["team", "owner"])
        ]),
        _ => json!(*rng.pick(&["red", "ops", "alice/docs", "o-abc123", "eu-west-1"])),
    }
}

fn context_for(rng: &mut Rng, action: Option<&Action<'_>>) -> serde_json::Map<String, Value> {
    let mut cx = serde_json::Map::new();
    let global: &[(&str, &[&str])] = &[
        ("aws:SecureTransport", &["true", "false"]),
        (
            "aws:SourceIp",
            &["203.0.113.5", "203.0.113.200", "10.1.2.3", "2001:db8::9"],
        ),
        ("aws:RequestedRegion", &["us-east-1", "eu-west-1"]),
        ("aws:MultiFactorAuthPresent", &["true", "false"]),
        ("aws:PrincipalTag/team", &["red", "ops", "blue"]),
        (
            "aws:CurrentTime",
            &["2024-05-01T12:00:00Z", "2031-01-01T00:00:00Z"],
        ),
        ("aws:PrincipalOrgID", &["o-abc123", "o-other"]),
    ];
    for (key, values) in global {
        if rng.chance(45) {
            cx.insert((*key).to_string(), json!(*rng.pick(values)));
        }
    }
    if let Some(action) = action {
        let keys: Vec<_> = action
            .condition_keys()
            .filter(|k| !k.name().contains(['$', '<']))
            .collect();
        if !keys.is_empty() && rng.chance(60) {
            let k = rng.pick(&keys);
            cx.insert(k.name().to_string(), value_for(rng, k.value_type()));
        }
    }
    cx
}

struct Case {
    id: usize,
    identity: Vec<(String, String)>,
    resource: Option<String>,
    boundary: Option<String>,
    scps: Vec<Vec<String>>,
    principal: String,
    action: String,
    resource_arn: String,
    resource_account: String,
    context: serde_json::Map<String, Value>,
}

fn generate(
    rng: &mut Rng,
    corpus: &Corpus,
    n: usize,
    fixed_identity: Option<&(String, String)>,
) -> Vec<Case> {
    let all_actions: Vec<Action<'_>> = catalog()
        .services()
        .flat_map(|s| s.actions().collect::<Vec<_>>())
        .collect();
    let mut cases = Vec::with_capacity(n);
    for id in 0..n {
        let identity = match fixed_identity {
            Some(p) => vec![p.clone()],
            None => {
                let mut v = vec![rng.pick(&corpus.identity).clone()];
                if rng.chance(20) {
                    v.push(rng.pick(&corpus.identity).clone());
                }
                v
            }
        };
        // Draw the action from what the first policy grants most of the time.
        let granted: Vec<Action<'_>> = serde_json::from_str::<Value>(&identity[0].1)
            .ok()
            .and_then(|v| v.get("Statement").cloned())
            .map(|s| match s {
                Value::Array(a) => a,
                other => vec![other],
            })
            .unwrap_or_default()
            .iter()
            .flat_map(|st| match st.get("Action") {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            })
            .take(20)
            .flat_map(|pattern| {
                catalog()
                    .expand_action_pattern(&pattern)
                    .into_iter()
                    .take(200)
            })
            .collect();
        let action = if !granted.is_empty() && rng.chance(70) {
            *rng.pick(&granted)
        } else {
            *rng.pick(&all_actions)
        };
        let (principal, principal_account) = match rng.below(10) {
            0..=6 => ("arn:aws:iam::111122223333:user/alice".to_string(), HOME),
            7 | 8 => (
                "arn:aws:sts::111122223333:assumed-role/Dev/session1".to_string(),
                HOME,
            ),
            _ => ("arn:aws:iam::444455556666:user/bob".to_string(), OTHER),
        };
        let resource_arn = resource_for(rng, &action, HOME);
        let resource_account = resource_arn
            .split(':')
            .nth(4)
            .filter(|a| a.len() == 12)
            .unwrap_or(HOME)
            .to_string();
        let cross = principal_account != resource_account;
        let resource = if cross || rng.chance(25) {
            Some(rng.pick(EDGE_RESOURCE).to_string())
        } else {
            None
        };
        let boundary = rng.chance(20).then(|| rng.pick(EDGE_BOUNDARY).to_string());
        let scps = if rng.chance(30) {
            vec![
                vec![EDGE_SCP[0].to_string()],
                vec![rng.pick(EDGE_SCP).to_string()],
            ]
        } else {
            Vec::new()
        };
        let context = context_for(rng, Some(&action));
        let _ = principal_account;
        cases.push(Case {
            id,
            identity,
            resource,
            boundary,
            scps,
            principal,
            action: action.full_name(),
            resource_arn,
            resource_account,
            context,
        });
    }
    cases
}

/// Our request for a case, with the principal keys added; the same context goes to both engines.
fn request_of(case: &Case) -> Request {
    let mut context = RequestContext::new();
    for (k, v) in &case.context {
        let value = match v {
            Value::Array(a) => ContextValue::multi(
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
            ),
            Value::String(s) => ContextValue::single(s.clone()),
            other => ContextValue::single(other.to_string()),
        };
        context.set(k, value);
    }
    let mut request = Request {
        principal: RequestPrincipal::parse(&case.principal).expect("generated principal"),
        action: case.action.clone(),
        resource: case.resource_arn.clone(),
        resource_account: Some(case.resource_account.clone()),
        context,
    };
    request.add_principal_keys();
    request
}

fn policy_set(case: &Case) -> Option<PolicySet> {
    let compile = |name: &str, text: &str| CompiledPolicy::compile(name, text).ok();
    Some(PolicySet {
        resource_kind: ResourcePolicyKind::for_request(&case.action, &case.resource_arn),
        identity: case
            .identity
            .iter()
            .map(|(n, t)| compile(n, t))
            .collect::<Option<Vec<_>>>()?,
        resource: match &case.resource {
            Some(t) => Some(compile("resource", t)?),
            None => None,
        },
        boundary: match &case.boundary {
            Some(t) => Some(compile("boundary", t)?),
            None => None,
        },
        scps: case
            .scps
            .iter()
            .map(|l| {
                l.iter()
                    .map(|t| compile("scp", t))
                    .collect::<Option<Vec<_>>>()
            })
            .collect::<Option<Vec<_>>>()?,
        ..PolicySet::default()
    })
}

fn case_json(case: &Case, request: &Request) -> Value {
    let parse = |t: &str| serde_json::from_str::<Value>(t).unwrap_or(Value::Null);
    let context: serde_json::Map<String, Value> = request
        .context
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                if v.multi {
                    json!(v.values)
                } else {
                    json!(v.values[0])
                },
            )
        })
        .collect();
    json!({
        "id": case.id,
        "identity": case.identity.iter().map(|(_, t)| parse(t)).collect::<Vec<_>>(),
        "resource": case.resource.as_deref().map(parse),
        "boundary": case.boundary.as_deref().map(parse),
        "scps": case.scps.iter().map(|l| l.iter().map(|t| parse(t)).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "request": {
            "principal": case.principal,
            "action": case.action,
            "resource": case.resource_arn,
            "resourceAccount": case.resource_account,
            "context": context,
        }
    })
}

fn run_driver(cases_path: &Path, repeat: usize) -> Value {
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/simulator-diff/driver.mjs");
    let output = Command::new("node")
        .arg(&driver)
        .arg(cases_path)
        .arg(repeat.to_string())
        .output()
        .expect("run node (tests/simulator-diff: npm ci first)");
    assert!(
        output.status.success(),
        "driver failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("driver output is JSON")
}

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().cloned().unwrap_or_default();
    let corpus_dir = PathBuf::from(arg(&args, "--corpus", ".cache/managed-policies/latest"));
    let out = PathBuf::from(arg(&args, "--out", "target/simulator-diff"));
    std::fs::create_dir_all(&out).expect("create output dir");
    match mode.as_str() {
        "diff" => diff(&args, &corpus_dir, &out),
        "bench" => bench(&args, &corpus_dir, &out),
        _ => {
            eprintln!("usage: simulator_diff diff|bench [--cases N] [--seed S] [--corpus DIR] [--out DIR]");
            std::process::exit(2);
        }
    }
}

fn diff(args: &[String], corpus_dir: &Path, out: &Path) {
    let n: usize = arg(args, "--cases", "3000").parse().expect("--cases N");
    let seed: u64 = arg(args, "--seed", "20261127").parse().expect("--seed S");
    let min_agreement: f64 = arg(args, "--min-agreement", "0.99")
        .parse()
        .expect("--min-agreement F");
    let corpus = load_corpus(corpus_dir, 400);
    let mut rng = Rng(seed | 1);
    let cases = generate(&mut rng, &corpus, n, None);
    let mut ours = Vec::new();
    let mut json_cases = Vec::new();
    for case in &cases {
        let request = request_of(case);
        let decision = policy_set(case).map(|set| evaluate(&set, &request).decision.as_str());
        ours.push(decision);
        json_cases.push(case_json(case, &request));
    }
    let cases_path = out.join("cases.json");
    std::fs::write(
        &cases_path,
        serde_json::to_vec(&json_cases).expect("serialise"),
    )
    .expect("write cases");
    let theirs = run_driver(&cases_path, 0);
    let results = theirs["results"].as_array().expect("results");

    let mut agree = 0usize;
    let mut compared = 0usize;
    let mut their_errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_decision: BTreeMap<String, usize> = BTreeMap::new();
    let mut disagreements = Vec::new();
    for (case, (mine, theirs)) in cases.iter().zip(ours.iter().zip(results)) {
        let their = theirs["decision"].as_str().unwrap_or("error");
        if their == "error" {
            let msg = theirs["error"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(90)
                .collect::<String>();
            *their_errors.entry(msg).or_default() += 1;
            continue;
        }
        let Some(mine) = mine else {
            *their_errors
                .entry("iamlint could not compile a policy".into())
                .or_default() += 1;
            continue;
        };
        compared += 1;
        *by_decision.entry((*mine).to_string()).or_default() += 1;
        if *mine == their {
            agree += 1;
        } else {
            disagreements.push(format!(
                "| {} | {} | {} | `{}` | `{}` | {} | {} |",
                case.id,
                case.identity
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                case.principal,
                case.action,
                case.resource_arn,
                mine,
                their
            ));
        }
    }
    let rate = if compared == 0 {
        0.0
    } else {
        agree as f64 / compared as f64
    };
    let mut report = format!(
        "# Simulator differential run\n\nseed {seed}, {n} generated requests, {compared} compared, {agree} agree: **{:.2}%**\n\nour decisions among compared: {by_decision:?}\n\n",
        rate * 100.0
    );
    report.push_str(
        "## Requests iam-simulate refused (not compared)\n\n| count | its message |\n|---|---|\n",
    );
    for (msg, count) in &their_errors {
        report.push_str(&format!("| {count} | {} |\n", msg.replace('|', "/")));
    }
    report.push_str("\n## Disagreements\n\n| case | identity policies | principal | action | resource | iamlint | iam-simulate |\n|---|---|---|---|---|---|---|\n");
    for d in &disagreements {
        report.push_str(d);
        report.push('\n');
    }
    std::fs::write(out.join("report.md"), &report).expect("write report");
    println!("{compared} compared, {agree} agree ({:.2}%), {} disagree, {} refused by iam-simulate; report: {}", rate * 100.0, disagreements.len(), their_errors.values().sum::<usize>(), out.join("report.md").display());
    if rate < min_agreement || compared < n / 2 {
        eprintln!(
            "agreement {:.2}% is below {:.2}% (or too few cases compared)",
            rate * 100.0,
            min_agreement * 100.0
        );
        std::process::exit(1);
    }
}

fn bench(args: &[String], corpus_dir: &Path, out: &Path) {
    let n: usize = arg(args, "--requests", "2000")
        .parse()
        .expect("--requests N");
    let repeat: usize = arg(args, "--repeat", "3").parse().expect("--repeat N");
    let corpus = load_corpus(corpus_dir, 2000);
    let typical = corpus
        .identity
        .iter()
        .find(|(n, _)| n == "AmazonS3ReadOnlyAccess")
        .cloned()
        .unwrap_or_else(|| corpus.identity[0].clone());
    let largest = corpus
        .identity
        .iter()
        .max_by_key(|(_, t)| t.len())
        .cloned()
        .expect("corpus is not empty");
    for (label, policy) in [("typical", &typical), ("largest", &largest)] {
        let mut rng = Rng(7);
        let cases = generate(&mut rng, &corpus, n, Some(policy));
        // Identity policy only, so both engines do the same work.
        let cases: Vec<Case> = cases
            .into_iter()
            .map(|c| Case {
                resource: None,
                boundary: None,
                scps: Vec::new(),
                ..c
            })
            .collect();
        let requests: Vec<Request> = cases.iter().map(request_of).collect();
        let set = policy_set(&cases[0]).expect("policy compiles");
        let json_cases: Vec<Value> = cases
            .iter()
            .zip(&requests)
            .map(|(c, r)| case_json(c, r))
            .collect();
        let path = out.join(format!("bench-{label}.json"));
        std::fs::write(&path, serde_json::to_vec(&json_cases).expect("serialise")).expect("write");
        // Ours: one warm-up pass, then `repeat * 20` passes (it is fast; more passes steady the figure).
        let mut allowed = 0usize;
        for r in &requests {
            allowed += usize::from(evaluate(&set, r).decision.as_str() == "Allowed");
        }
        let passes = repeat * 20;
        let start = Instant::now();
        for _ in 0..passes {
            for r in &requests {
                std::hint::black_box(evaluate(&set, r));
            }
        }
        let ours = (passes * requests.len()) as f64 / start.elapsed().as_secs_f64();
        let theirs = run_driver(&path, repeat);
        let their_rate = theirs["timing"]["perSecond"].as_f64().unwrap_or(0.0);
        println!(
            "{label} policy {} ({} bytes): iamlint {:.0} requests/s, iam-simulate {:.0} requests/s, ratio {:.0}x ({allowed}/{} allowed)",
            policy.0,
            policy.1.len(),
            ours,
            their_rate,
            ours / their_rate.max(1e-9),
            requests.len()
        );
    }
}
