//! Building a [`Request`] from the text a person types (a command line, a form in the
//! playground): principal, action, resource, and `key=value` context entries checked against the
//! catalog's key types. The CLI and the WebAssembly face both use this, so they accept and reject
//! the same things with the same words.

use super::request::{ContextValue, Request, RequestContext, RequestPrincipal};
use super::values;
use crate::catalog::{catalog, ConditionValueType};

/// A request as text.
#[derive(Clone, Debug, Default)]
pub struct RequestInput<'a> {
    pub principal: &'a str,
    pub action: &'a str,
    pub resource: &'a str,
    pub resource_account: Option<&'a str>,
    /// `(key, value)` pairs in order; a key given several times becomes a multi-valued key, as
    /// does any key the catalog types as a list.
    pub context: Vec<(&'a str, &'a str)>,
}

/// Which part of a [`RequestInput`] a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputField {
    Principal,
    Action,
    Resource,
    ResourceAccount,
    Context,
}

impl InputField {
    /// The field's name as the playground's input object spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            InputField::Principal => "principal",
            InputField::Action => "action",
            InputField::Resource => "resource",
            InputField::ResourceAccount => "resourceAccount",
            InputField::Context => "context",
        }
    }
}

/// One thing wrong with a request's input: the field, for context entries the entry's position
/// in [`RequestInput::context`], and what is wrong, in words that do not repeat the field's name
/// (each face says where: "principal: ...", "context line 3: ...").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputProblem {
    pub field: InputField,
    pub index: Option<usize>,
    pub message: String,
}

impl InputProblem {
    fn new(field: InputField, message: impl Into<String>) -> InputProblem {
        InputProblem {
            field,
            index: None,
            message: message.into(),
        }
    }
}

/// "principal: ...", "resource account: ...", "context: ...", as the command line says it.
impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let field = match self.field {
            InputField::ResourceAccount => "resource account",
            other => other.as_str(),
        };
        write!(f, "{field}: {}", self.message)
    }
}

impl Request {
    /// Validate and build the request, with the keys AWS derives from the caller added
    /// ([`Request::add_principal_keys`]). Every problem is reported, not only the first.
    pub fn from_input(input: &RequestInput<'_>) -> Result<Request, Vec<InputProblem>> {
        let mut problems = Vec::new();
        let principal = RequestPrincipal::parse(input.principal)
            .map_err(|e| problems.push(InputProblem::new(InputField::Principal, e)))
            .ok();
        let action = input.action.trim();
        if !action.contains(':') || action.contains(['*', '?']) {
            problems.push(InputProblem::new(
                InputField::Action,
                format!("'{action}' must be one action such as s3:GetObject (no wildcards)"),
            ));
        }
        let resource = input.resource.trim();
        if resource.is_empty() {
            problems.push(InputProblem::new(
                InputField::Resource,
                "give a resource ARN, or * for actions without a resource",
            ));
        }
        let resource_account = input.resource_account.map(str::trim);
        if let Some(a) = resource_account {
            if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
                problems.push(InputProblem::new(
                    InputField::ResourceAccount,
                    format!("'{a}' must be 12 digits"),
                ));
            }
        }
        let mut grouped: Vec<(&str, Vec<String>)> = Vec::new();
        for (index, (key, value)) in input.context.iter().enumerate() {
            let (key, value) = (key.trim(), value.trim());
            let mut problem = |message: String| {
                problems.push(InputProblem {
                    index: Some(index),
                    ..InputProblem::new(InputField::Context, message)
                })
            };
            if key.is_empty() {
                problem(format!("'={value}' has an empty key"));
                continue;
            }
            if let Err(e) = check_context_value(key, value) {
                problem(format!("{key}: {e}"));
            }
            match grouped
                .iter_mut()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
            {
                Some((_, values)) => values.push(value.to_string()),
                None => grouped.push((key, vec![value.to_string()])),
            }
        }
        let mut context = RequestContext::new();
        for (key, mut values) in grouped {
            let multi = values.len() > 1
                || catalog()
                    .condition_key(key)
                    .is_some_and(|k| k.is_multivalued());
            let value = if multi {
                ContextValue::multi(values)
            } else {
                ContextValue::single(values.pop().unwrap_or_default())
            };
            context.set(key, value);
        }
        match principal {
            Some(principal) if problems.is_empty() => {
                let mut request = Request {
                    principal,
                    action: action.to_string(),
                    resource: resource.to_string(),
                    resource_account: resource_account.map(str::to_string),
                    context,
                };
                request.add_principal_keys();
                Ok(request)
            }
            _ => Err(problems),
        }
    }
}

/// A value given for a key the catalog knows must fit the key's type (a date for
/// aws:CurrentTime, an IP address for aws:SourceIp, ...). Unknown keys are accepted.
pub fn check_context_value(key: &str, value: &str) -> Result<(), String> {
    let Some(k) = catalog().condition_key(key) else {
        return Ok(());
    };
    let ok = match k.value_type() {
        ConditionValueType::Numeric | ConditionValueType::ArrayOfNumeric => {
            values::parse_number(value).is_some()
        }
        ConditionValueType::Date | ConditionValueType::ArrayOfDate => {
            values::parse_date(value).is_some()
        }
        ConditionValueType::Bool | ConditionValueType::ArrayOfBool => {
            values::parse_bool(value).is_some()
        }
        ConditionValueType::IpAddress => values::Cidr::parse(value).is_some(),
        ConditionValueType::Arn | ConditionValueType::ArrayOfArn => value.starts_with("arn:"),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{value}' is not a valid {:?} value for this key",
            k.value_type()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_validates() {
        let input = RequestInput {
            principal: "arn:aws:iam::111122223333:user/alice",
            action: "s3:GetObject",
            resource: "arn:aws:s3:::b/k",
            resource_account: None,
            context: vec![
                ("aws:TagKeys", "a"),
                ("aws:TagKeys", "b"),
                ("aws:SecureTransport", "true"),
            ],
        };
        let r = Request::from_input(&input).unwrap();
        assert_eq!(
            r.context.get("aws:tagkeys").unwrap(),
            &ContextValue::multi(vec!["a".into(), "b".into()])
        );
        assert_eq!(r.context.get("aws:username").unwrap().values, ["alice"]);
        let bad = RequestInput {
            principal: "bob",
            action: "s3:*",
            resource: "",
            resource_account: Some("12"),
            context: vec![("aws:CurrentTime", "yesterday"), ("", "x")],
        };
        let errors = Request::from_input(&bad).unwrap_err();
        assert_eq!(errors.len(), 6, "{errors:?}");
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.index)).collect();
        assert_eq!(
            fields,
            [
                (InputField::Principal, None),
                (InputField::Action, None),
                (InputField::Resource, None),
                (InputField::ResourceAccount, None),
                (InputField::Context, Some(0)),
                (InputField::Context, Some(1)),
            ]
        );
        assert!(
            errors[4].message.contains("aws:CurrentTime") && errors[4].message.contains("Date"),
            "{errors:?}"
        );
        assert_eq!(
            errors[3].to_string(),
            "resource account: '12' must be 12 digits"
        );
    }
}
