//! The playground's "Compare with a reference policy" pane: does the editor's policy grant
//! anything the reference does not? The core's `check_no_new_access` answers (as
//! `iamlint check-no-new-access` does); positions come back in UTF-16.

use iamlint_core::gates::{check_no_new_access, GatePolicy, Verdict};
use iamlint_core::PolicyType;
use serde::Serialize;

use super::Positions;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompareReason {
    pub description: String,
    pub statement_index: Option<usize>,
    pub statement_id: Option<String>,
    /// The statement of the editor's policy to blame, when there is one (UTF-16).
    pub start: Option<usize>,
    pub end: Option<usize>,
}

/// A reason a policy cannot be compared: which one ("policy" or "reference") and where.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompareProblem {
    pub which: &'static str,
    pub message: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CompareOutcome {
    /// PASS: the policy grants nothing the reference does not (a proof over every request);
    /// FAIL: the reasons name the statements that may.
    Ok {
        result: Verdict,
        reasons: Vec<CompareReason>,
    },
    Error {
        problems: Vec<CompareProblem>,
    },
}

pub fn compare(policy: &str, reference: &str) -> CompareOutcome {
    let parsed = (
        GatePolicy::parse("policy", policy),
        GatePolicy::parse("reference", reference),
    );
    let (new, old) = match parsed {
        (Ok(n), Ok(o)) => (n, o),
        (n, o) => {
            let mut problems = Vec::new();
            for (which, text, errors) in [
                ("policy", policy, n.err()),
                ("reference", reference, o.err()),
            ] {
                let positions = Positions::new(text);
                for e in errors.into_iter().flatten() {
                    let r = positions.range(e.span);
                    problems.push(CompareProblem {
                        which,
                        message: e.message,
                        start: r.start,
                        end: r.end,
                    });
                }
            }
            return CompareOutcome::Error { problems };
        }
    };
    let result = check_no_new_access(&old, &new, &PolicyType::Identity);
    let positions = Positions::new(policy);
    CompareOutcome::Ok {
        result: result.result,
        reasons: result
            .reasons
            .into_iter()
            .map(|r| {
                let range = r.span.map(|s| positions.range(s));
                CompareReason {
                    description: r.description,
                    statement_index: r.statement_index,
                    statement_id: r.statement_id,
                    start: range.map(|x| x.start),
                    end: range.map(|x| x.end),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const READ: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}"#;

    #[test]
    fn less_passes_more_fails_with_the_statement_in_utf16() {
        let less = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}"#;
        match compare(less, READ) {
            CompareOutcome::Ok { result, reasons } => {
                assert_eq!(result, Verdict::Pass);
                assert!(reasons.is_empty());
            }
            other => panic!("{other:?}"),
        }
        // "é" is two bytes but one UTF-16 unit: the statement's start must count units.
        let more = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "é", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}"#;
        match compare(more, READ) {
            CompareOutcome::Ok { result, reasons } => {
                assert_eq!(result, Verdict::Fail);
                let reason = &reasons[0];
                assert!(reason.description.contains("s3:PutObject"), "{reason:?}");
                assert_eq!(reason.statement_index, Some(0));
                assert_eq!(reason.statement_id.as_deref(), Some("é"));
                let start = more[..more.find("{\"Sid\"").unwrap()]
                    .encode_utf16()
                    .count();
                assert_eq!(reason.start, Some(start));
                assert_eq!(reason.end, Some(more.encode_utf16().count() - 2));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_policies_are_problems_naming_which_and_where() {
        match compare("{\"Statement\": [", READ) {
            CompareOutcome::Error { problems } => {
                assert!(!problems.is_empty());
                assert!(problems.iter().all(|p| p.which == "policy"));
            }
            other => panic!("{other:?}"),
        }
        match compare(
            READ,
            r#"{"Statement": [{"Effect": "Maybe", "Action": "s3:*"}]}"#,
        ) {
            CompareOutcome::Error { problems } => {
                assert!(problems.iter().any(|p| p.which == "reference"));
            }
            other => panic!("{other:?}"),
        }
    }
}
