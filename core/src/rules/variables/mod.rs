//! Policy variables (`${aws:username}` ...): syntax, where they may appear, which Version expands
//! them, which operators accept them. Finding them is in [`crate::rules::support::variables`].

use super::Rule;

mod empty_variable;
mod invalid_variable_for_operator;
mod missing_brace_in_variable;
mod missing_quote_in_variable;
mod unsupported_space_in_variable;
mod variable_unsupported_in_element;
mod variable_unsupported_in_version;

pub static RULES: &[&Rule] = &[
    &missing_brace_in_variable::RULE,
    &empty_variable::RULE,
    &unsupported_space_in_variable::RULE,
    &missing_quote_in_variable::RULE,
    &variable_unsupported_in_element::RULE,
    &variable_unsupported_in_version::RULE,
    &invalid_variable_for_operator::RULE,
];

#[cfg(test)]
pub(crate) mod tests {
    /// An identity policy (Version 2012-10-17) with one Allow statement on `resource` and the
    /// given Condition element (`{}` for none).
    pub fn policy(resource: &str, condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "{resource}", "Condition": {condition}}}]}}"#
        )
    }
}
