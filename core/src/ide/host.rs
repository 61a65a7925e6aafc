//! Hover and completion inside the policies of a host file (Terraform, CloudFormation): the host
//! offset under the cursor is mapped into the policy's JSON text ([`EmbeddedPolicy::to_json`]),
//! the usual answer is computed there, and its spans are mapped back to the host. The language
//! server and the playground both call these, so neither maps positions itself.

use crate::analysis::{Analysis, AnalyzeOptions};
use crate::host::{self, EmbeddedPolicy, HostDocument};
use crate::policy::PolicyType;
use crate::span::Span;

use super::{completion_list, hover_in, CompletionList, Hover};

/// The findings of a Terraform or CloudFormation document (read from `text`) as one analysis with
/// host spans, host syntax errors included: what an editor shows as one list, and what
/// [`super::code_actions`] and [`super::fix_all`] read. Each policy is checked as its own type;
/// the analysis carries the first policy's (`options.policy_type` when there is none).
pub fn host_analysis(text: &str, document: &HostDocument, options: &AnalyzeOptions) -> Analysis {
    let analysis = host::analyze_document(text, document, options);
    Analysis {
        policy_type: analysis
            .policies
            .first()
            .map_or_else(|| options.policy_type.clone(), |p| p.policy_type.clone()),
        diagnostics: analysis.diagnostics(),
    }
}

/// The policy of `document` that holds host offset `offset`, and that offset in its JSON text.
fn policy_at(document: &HostDocument, offset: usize) -> Option<(&EmbeddedPolicy, usize)> {
    document
        .policies
        .iter()
        .find_map(|p| Some((p, p.to_json(offset)?)))
}

/// The hover at host offset `offset`, or None outside a policy, on nothing known, or on a value
/// the host computes (a reference, an intrinsic function: there is nothing to say about it).
pub fn hover_in_host(document: &HostDocument, offset: usize) -> Option<Hover> {
    let (policy, at) = policy_at(document, offset)?;
    let hover = hover_in(&policy.json, &policy.document, at)?;
    if policy.is_on_unknown(hover.span) {
        return None;
    }
    Some(Hover {
        markdown: hover.markdown,
        span: policy.to_host(hover.span),
    })
}

/// Completion at host offset `offset`. The proposals are those of the policy's JSON text; until
/// each host language writes its own insertions, only proposals typed inside an existing string
/// whose text means the same in JSON, HCL and YAML are kept (action names, condition keys,
/// element names: no quotes, escapes or `${`/`%{`), with their spans mapped to the host.
/// `options.policy_type` is replaced by the policy's type from where it sits, when it has one.
pub fn completion_list_in_host(
    document: &HostDocument,
    offset: usize,
    options: &AnalyzeOptions,
    limit: usize,
) -> CompletionList {
    let Some((policy, at)) = policy_at(document, offset) else {
        return CompletionList {
            items: Vec::new(),
            is_incomplete: false,
        };
    };
    let mut options = options.clone();
    if policy.policy_type != PolicyType::Auto {
        options.policy_type = policy.policy_type.clone();
    }
    let mut list = completion_list(&policy.json, &policy.document, at, &options, limit);
    list.items.retain_mut(|item| {
        let plain = |t: &str| {
            t.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b':' | b'*' | b'/' | b'_' | b'-' | b'.')
            })
        };
        if !plain(&item.insert_text) || policy.is_on_unknown(item.replace_span) {
            return false;
        }
        // Inside a string: the span is its contents, which map to the host character by
        // character; an insertion point outside any string would need the host's quoting.
        let span = policy.to_host(item.replace_span);
        let inside = policy
            .json
            .as_bytes()
            .get(item.replace_span.start.wrapping_sub(1))
            == Some(&b'"');
        if !inside || span.end < span.start {
            return false;
        }
        item.snippet = None;
        item.replace_span = Span::new(span.start, span.end);
        true
    });
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::{read, Format};

    /// The textbook EC2 role with a misspelt action and a computed ARN; one action is being typed.
    fn tf() -> String {
        include_str!("../../../tests/iac/ec2-s3-typo.tf").replace("\"s3:ListBucket\"", "\"s3:Li\"")
    }

    #[test]
    fn hover_on_an_action_in_terraform_has_a_host_span() {
        let tf = tf();
        let doc = read(Format::Terraform, &tf);
        let at = tf.find("AssumeRole").unwrap();
        let hover = hover_in_host(&doc, at).expect("hover on sts:AssumeRole");
        assert!(
            hover.markdown.contains("sts:AssumeRole"),
            "{}",
            hover.markdown
        );
        let shown = &tf[hover.span.start..hover.span.end];
        assert!(shown.contains("AssumeRole"), "{shown:?}");
    }

    #[test]
    fn no_hover_outside_policies_or_on_computed_values() {
        let tf = tf();
        let doc = read(Format::Terraform, &tf);
        assert_eq!(hover_in_host(&doc, tf.find("role =").unwrap()), None);
        assert_eq!(hover_in_host(&doc, tf.find("aws_s3_bucket").unwrap()), None);
    }

    #[test]
    fn completion_inside_a_terraform_string_replaces_host_text() {
        let tf = tf();
        let doc = read(Format::Terraform, &tf);
        let at = tf.find("s3:Li").unwrap() + "s3:Li".len();
        let list = completion_list_in_host(&doc, at, &AnalyzeOptions::default(), 50);
        let item = list
            .items
            .iter()
            .find(|i| i.insert_text == "s3:ListBucket")
            .expect("s3:ListBucket proposed");
        assert_eq!(&tf[item.replace_span.start..item.replace_span.end], "s3:Li");
        // Outside every policy: nothing.
        let outside = completion_list_in_host(&doc, 3, &AnalyzeOptions::default(), 50);
        assert!(outside.items.is_empty());
    }
}
