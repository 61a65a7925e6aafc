//! Turning a policy document into the compiled form the engine evaluates: patterns compiled once,
//! condition values pre-parsed when they hold no variables, spans kept for the explanation.

use serde::Serialize;

use super::prepared::{ArnGlob, CompiledCondition, ConditionValue, Prepared};
use super::request::RequestContext;
use super::variables::{has_variables, parse_template, resolve_pieces, Part};
use crate::policy::{Effect, Policy, Principal, StringList, VERSION_2012};
use crate::span::Span;
use crate::syntax::{self, NodeKind};

/// Why a policy cannot be evaluated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyError {
    pub span: Span,
    pub message: String,
}

/// A pattern in Resource/NotResource, or an ARN condition value.
#[derive(Clone, Debug)]
pub enum ArnPattern {
    /// No variables: compiled once.
    Static(ArnGlob),
    /// Has policy variables: resolved against each request's context.
    Template(Vec<Part>),
}

impl ArnPattern {
    fn new(text: &str, variables: bool) -> ArnPattern {
        if variables {
            let parts = parse_template(text);
            if has_variables(&parts) {
                return ArnPattern::Template(parts);
            }
        }
        ArnPattern::Static(ArnGlob::new(text))
    }

    pub fn matches(&self, arn: &str, context: &RequestContext) -> bool {
        match self {
            ArnPattern::Static(g) => g.matches(arn),
            ArnPattern::Template(parts) => match resolve_pieces(parts, context) {
                Some(pieces) => ArnGlob::from_pieces(pieces).matches(arn),
                None => false,
            },
        }
    }
}

/// One entry of a Principal element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalPattern {
    /// `"*"` or `{"AWS": "*"}`.
    Anyone,
    /// `{"AWS": ...}`: an account id, account root, user, role, session or federated-user ARN.
    Aws(String),
    Service(String),
    Federated(String),
    CanonicalUser(String),
}

#[derive(Clone, Debug)]
pub struct CompiledStatement {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub span: Span,
    pub principal: Option<Vec<PrincipalPattern>>,
    pub not_principal: Option<Vec<PrincipalPattern>>,
    pub action: Option<ActionMatcher>,
    pub not_action: Option<ActionMatcher>,
    pub resource: Option<Vec<ArnPattern>>,
    pub not_resource: Option<Vec<ArnPattern>>,
    pub conditions: Vec<CompiledCondition>,
}

/// A policy ready to evaluate.
#[derive(Clone, Debug)]
pub struct CompiledPolicy {
    /// A name for the explanation (usually the file name).
    pub name: String,
    pub statements: Vec<CompiledStatement>,
}

impl CompiledPolicy {
    /// Compile a policy document. Syntax errors and statements that cannot be evaluated (no
    /// valid Effect, no Action or NotAction, values of the wrong type) are errors.
    pub fn compile(name: &str, text: &str) -> Result<CompiledPolicy, Vec<PolicyError>> {
        let document = syntax::parse(text);
        let mut errors: Vec<PolicyError> = document
            .errors
            .iter()
            .map(|e| PolicyError {
                span: e.span,
                message: e.message.clone(),
            })
            .collect();
        let policy = Policy::from_root(document.root.as_ref());
        if errors.is_empty() && policy.statement_member.is_none() {
            errors.push(PolicyError {
                span: Span::empty(0),
                message: "the policy has no Statement".into(),
            });
        }
        let variables = policy.version_value() == Some(VERSION_2012);
        let mut statements = Vec::new();
        for st in &policy.statements {
            let effect = match st.effect() {
                Some(e) => e,
                None => {
                    let span = st.effect.map(|m| m.span()).unwrap_or(st.head_span());
                    errors.push(PolicyError {
                        span,
                        message: format!("{}: Effect must be \"Allow\" or \"Deny\"", st.label()),
                    });
                    continue;
                }
            };
            if st.action.is_none() && st.not_action.is_none() {
                errors.push(PolicyError {
                    span: st.head_span(),
                    message: format!("{} has no Action or NotAction", st.label()),
                });
                continue;
            }
            let mut compiled = CompiledStatement {
                index: st.index,
                sid: st.sid_value().map(str::to_string),
                effect,
                span: st.span(),
                principal: st
                    .principal
                    .as_ref()
                    .map(|p| principal_patterns(p, &mut errors)),
                not_principal: st
                    .not_principal
                    .as_ref()
                    .map(|p| principal_patterns(p, &mut errors)),
                action: st.action.as_ref().map(|l| action_globs(l, &mut errors)),
                not_action: st.not_action.as_ref().map(|l| action_globs(l, &mut errors)),
                resource: st
                    .resource
                    .as_ref()
                    .map(|l| resource_patterns(l, variables, &mut errors)),
                not_resource: st
                    .not_resource
                    .as_ref()
                    .map(|l| resource_patterns(l, variables, &mut errors)),
                conditions: Vec::new(),
            };
            if let Some(cond) = st.condition {
                if cond.value.as_ref().and_then(|v| v.as_object()).is_none() {
                    errors.push(PolicyError {
                        span: cond.span(),
                        message: "Condition must be an object".into(),
                    });
                }
            }
            for block in &st.conditions {
                let Some(operator) = block.operator else {
                    errors.push(PolicyError {
                        span: block.operator_span(),
                        message: format!(
                            "'{}' is not a condition operator",
                            block.operator_key.value
                        ),
                    });
                    continue;
                };
                if block
                    .member
                    .value
                    .as_ref()
                    .and_then(|v| v.as_object())
                    .is_none()
                {
                    errors.push(PolicyError {
                        span: block.member.span(),
                        message: "a condition operator takes an object of keys".into(),
                    });
                }
                for entry in &block.entries {
                    let mut values = Vec::new();
                    for node in entry.all_value_nodes() {
                        let text = match &node.kind {
                            NodeKind::String(s) => s.as_str().to_owned(),
                            NodeKind::Number(n) => n.clone(),
                            NodeKind::Bool(b) => b.to_string(),
                            _ => {
                                errors.push(PolicyError {
                                    span: node.span,
                                    message: format!("a condition value must be a string, number or boolean, not {}", node.type_name()),
                                });
                                continue;
                            }
                        };
                        let parts = if variables {
                            parse_template(&text)
                        } else {
                            Vec::new()
                        };
                        values.push(if has_variables(&parts) {
                            ConditionValue::Template(parts)
                        } else {
                            ConditionValue::Static(Prepared::new(operator.base, &text))
                        });
                    }
                    compiled.conditions.push(CompiledCondition {
                        operator,
                        operator_name: block.operator_key.value.as_str().to_owned(),
                        key: entry.key.value.as_str().to_owned(),
                        key_lower: entry.key.value.to_ascii_lowercase(),
                        values,
                        span: entry.member.span(),
                    });
                }
            }
            statements.push(compiled);
        }
        if errors.is_empty() {
            Ok(CompiledPolicy {
                name: name.to_string(),
                statements,
            })
        } else {
            Err(errors)
        }
    }
}

fn action_globs(list: &StringList<'_>, errors: &mut Vec<PolicyError>) -> ActionMatcher {
    report_invalid(list, errors);
    ActionMatcher::new(list.items.iter().map(|i| i.value))
}

/// The Action or NotAction list: names without wildcards go into a hash set (large AWS-managed
/// policies list thousands of actions), patterns with wildcards are matched one by one.
#[derive(Clone, Debug, Default)]
pub struct ActionMatcher {
    exact: std::collections::HashSet<String>,
    patterns: Vec<String>,
}

impl ActionMatcher {
    pub fn new<'s>(items: impl IntoIterator<Item = &'s str>) -> ActionMatcher {
        let mut m = ActionMatcher::default();
        for item in items {
            if crate::wildcard::has_wildcard(item) {
                m.patterns.push(item.to_string());
            } else {
                m.exact.insert(item.to_ascii_lowercase());
            }
        }
        m
    }

    /// `action_lower` must be in lower case.
    pub fn matches(&self, action_lower: &str) -> bool {
        self.exact.contains(action_lower)
            || self
                .patterns
                .iter()
                .any(|p| crate::wildcard::action_matches(p, action_lower))
    }
}

fn resource_patterns(
    list: &StringList<'_>,
    variables: bool,
    errors: &mut Vec<PolicyError>,
) -> Vec<ArnPattern> {
    report_invalid(list, errors);
    list.items
        .iter()
        .map(|i| ArnPattern::new(i.value, variables))
        .collect()
}

fn report_invalid(list: &StringList<'_>, errors: &mut Vec<PolicyError>) {
    for node in &list.invalid {
        errors.push(PolicyError {
            span: node.span,
            message: format!(
                "{} takes strings, not {}",
                list.key().value,
                node.type_name()
            ),
        });
    }
}

fn principal_patterns(p: &Principal<'_>, errors: &mut Vec<PolicyError>) -> Vec<PrincipalPattern> {
    if p.is_star {
        return vec![PrincipalPattern::Anyone];
    }
    if p.member
        .value
        .as_ref()
        .and_then(|v| v.as_object())
        .is_none()
    {
        errors.push(PolicyError {
            span: p.member.span(),
            message: "Principal must be \"*\" or an object such as {\"AWS\": ...}".into(),
        });
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in &p.entries {
        report_invalid(&entry.values, errors);
        for item in &entry.values.items {
            let v = item.value.to_string();
            out.push(match entry.kind.value.as_str() {
                "AWS" if v == "*" => PrincipalPattern::Anyone,
                "AWS" => PrincipalPattern::Aws(v),
                "Service" => PrincipalPattern::Service(v),
                "Federated" => PrincipalPattern::Federated(v),
                "CanonicalUser" => PrincipalPattern::CanonicalUser(v),
                other => {
                    errors.push(PolicyError {
                        span: entry.kind.span,
                        message: format!("'{other}' is not a principal type (AWS, Service, Federated, CanonicalUser)"),
                    });
                    continue;
                }
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_fields_do_not_bleed() {
        let g = ArnGlob::new("arn:aws:s3:::bucket/*");
        assert!(g.matches("arn:aws:s3:::bucket/a/b:c"));
        assert!(!g.matches("arn:aws:s3:::bucket"));
        // '*' in the region field does not swallow the account field.
        let g = ArnGlob::new("arn:aws:ec2:*:111122223333:instance/*");
        assert!(g.matches("arn:aws:ec2:us-east-1:111122223333:instance/i-1"));
        assert!(!g.matches("arn:aws:ec2:us-east-1:444455556666:instance/i-1"));
        assert!(ArnGlob::new("*").matches("anything"));
        // Case-sensitive.
        assert!(!ArnGlob::new("arn:aws:s3:::Bucket").matches("arn:aws:s3:::bucket"));
    }

    #[test]
    fn compile_errors_have_positions() {
        let text = r#"{"Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}"#;
        let errors = CompiledPolicy::compile("p", text).unwrap_err();
        assert_eq!(errors[0].span.slice(text), r#""Effect":"allow""#);
        let errors = CompiledPolicy::compile("p", "{\"Statement\": [").unwrap_err();
        assert!(!errors.is_empty());
    }

    fn arn_pattern() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("B"),
                Just(":"),
                Just("*"),
                Just("?"),
                Just("/")
            ],
            0..12,
        )
        .prop_map(|v| format!("arn:{}", v.concat()))
    }

    fn arn_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(
            prop_oneof![Just("a"), Just("b"), Just("B"), Just(":"), Just("/")],
            0..14,
        )
        .prop_map(|v| format!("arn:{}", v.concat()))
    }

    proptest::proptest! {
        /// The simulator and the rules answer the same for the same Resource pattern and ARN.
        #[test]
        fn simulator_and_rules_match_arns_alike(pattern in arn_pattern(), arn in arn_text()) {
            proptest::prop_assert_eq!(
                ArnGlob::new(&pattern).matches(&arn),
                crate::arn::arn_pattern_matches(&pattern, &arn),
                "{} against {}", pattern, arn
            );
        }
    }
}
