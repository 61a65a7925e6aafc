//! The prose of hovers and completion documentation for the fixed parts of the policy grammar:
//! policy elements, principal kinds, Effect values, Version values and condition operators.

use crate::policy::{BaseOperator, ConditionOperator, OperatorFamily, SetQualifier};

/// A policy or statement element: its name, a one-line summary and a longer explanation.
pub(crate) struct ElementDoc {
    pub name: &'static str,
    pub summary: &'static str,
    pub body: &'static str,
}

pub(crate) const POLICY_ELEMENT_DOCS: &[ElementDoc] = &[
    ElementDoc {
        name: "Version",
        summary: "The policy language version.",
        body: "Use `\"2012-10-17\"`. Only that version expands policy variables such as \
               `${aws:username}`; with `2008-10-17` (or no Version at all) they are read as \
               literal text.",
    },
    ElementDoc {
        name: "Id",
        summary: "An optional identifier for the policy.",
        body: "Free text that names the policy. Some services (SNS, SQS) ask for a unique value; \
               IAM itself ignores it.",
    },
    ElementDoc {
        name: "Statement",
        summary: "The rules of the policy: one statement object or an array of them.",
        body: "Each statement says whether it allows or denies (`Effect`) which actions \
               (`Action`/`NotAction`) on which resources (`Resource`/`NotResource`), for whom \
               (`Principal`, in resource and trust policies) and under which conditions \
               (`Condition`). An explicit Deny in any statement overrides every Allow.",
    },
];

pub(crate) const STATEMENT_ELEMENT_DOCS: &[ElementDoc] = &[
    ElementDoc {
        name: "Sid",
        summary: "An optional statement identifier.",
        body: "A label for the statement, unique within the policy. Letters and digits only in \
               identity policies; some resource policies allow more.",
    },
    ElementDoc {
        name: "Effect",
        summary: "Whether the statement allows or denies: `\"Allow\"` or `\"Deny\"`.",
        body: "Required, and case-sensitive. Requests are denied unless a statement allows them; \
               an explicit Deny wins over any Allow, in this policy or any other that applies.",
    },
    ElementDoc {
        name: "Principal",
        summary: "Who the statement applies to (resource and trust policies only).",
        body: "`\"*\"` (anyone) or an object whose keys are principal kinds: `AWS` (accounts, \
               users, roles), `Service` (AWS services such as `lambda.amazonaws.com`), \
               `Federated` (identity providers) and `CanonicalUser`. Identity policies must not \
               have it: the principal is whoever the policy is attached to.",
    },
    ElementDoc {
        name: "NotPrincipal",
        summary: "Everyone except the listed principals.",
        body: "Almost always a mistake with `Allow` (it grants access to every other principal, \
               anonymous users included). With `Deny`, prefer a condition on \
               `aws:PrincipalArn`, which also covers the sessions of a role.",
    },
    ElementDoc {
        name: "Action",
        summary: "The actions the statement allows or denies.",
        body: "A string or an array of `service:Action` names. `*` and `?` are wildcards: \
               `s3:Get*` matches every S3 action that starts with `Get`, now and in the future. \
               Action names are case-insensitive.",
    },
    ElementDoc {
        name: "NotAction",
        summary: "Every action except the listed ones.",
        body: "With `Allow`, it grants every other action of every service, including ones AWS \
               adds later; pair it with a narrow `Resource` or use `Action` instead. With `Deny` \
               it is a common way to say \"deny everything but these\".",
    },
    ElementDoc {
        name: "Resource",
        summary: "The resources the statement applies to, as ARNs.",
        body: "A string or an array of ARNs. `*` and `?` are wildcards within ARN segments. \
               Each action can only be scoped to its own resource types; an action that supports \
               no resource type needs `\"Resource\": \"*\"`.",
    },
    ElementDoc {
        name: "NotResource",
        summary: "Every resource except the listed ones.",
        body: "With `Allow`, it grants access to every other resource, including those created \
               later. Usually clearer with `Deny`.",
    },
    ElementDoc {
        name: "Condition",
        summary: "When the statement applies.",
        body: "An object of condition operators (`StringEquals`, `ArnLike`, `Bool`, ...), each \
               mapping condition keys to the values they are compared with. All operators must \
               match, all keys within an operator must match, and any one of a key's values may \
               match.",
    },
];

pub(crate) const PRINCIPAL_KIND_DOCS: &[ElementDoc] = &[
    ElementDoc {
        name: "AWS",
        summary: "AWS accounts, IAM users, IAM roles, role sessions, or `*`.",
        body: "Account IDs (`111122223333`), account root ARNs, or user and role ARNs. A role ARN \
               names the role; if the role is deleted and recreated, the policy must be saved \
               again.",
    },
    ElementDoc {
        name: "Service",
        summary: "An AWS service principal, such as `lambda.amazonaws.com`.",
        body: "Lets the service act on the resource or assume the role. Pair it with \
               `aws:SourceAccount` or `aws:SourceArn` conditions to avoid the confused-deputy \
               problem.",
    },
    ElementDoc {
        name: "Federated",
        summary: "A web identity or SAML provider.",
        body: "An OIDC provider (`cognito-identity.amazonaws.com`, an `oidc-provider` ARN) or a \
               SAML provider ARN; used with `sts:AssumeRoleWithWebIdentity` or \
               `sts:AssumeRoleWithSAML`. Restrict the audience and subject with conditions.",
    },
    ElementDoc {
        name: "CanonicalUser",
        summary: "An S3 canonical user ID.",
        body: "A long hexadecimal ID that S3 uses for accounts and CloudFront origin access \
               identities.",
    },
];

pub(crate) fn find<'d>(docs: &'d [ElementDoc], name: &str) -> Option<&'d ElementDoc> {
    docs.iter().find(|d| d.name == name)
}

/// `**Name** — summary` plus the body.
pub(crate) fn element_markdown(doc: &ElementDoc, heading: &str) -> String {
    format!(
        "**{}** ({heading})\n\n{}\n\n{}",
        doc.name, doc.summary, doc.body
    )
}

pub(crate) const EFFECT_VALUES: &[(&str, &str)] = &[
    (
        "Allow",
        "The statement grants the matching requests (unless a Deny applies).",
    ),
    (
        "Deny",
        "The statement refuses the matching requests, overriding any Allow.",
    ),
];

pub(crate) const VERSION_VALUES: &[(&str, &str)] = &[
    (
        "2012-10-17",
        "The current policy language. Policy variables such as `${aws:username}` are expanded.",
    ),
    (
        "2008-10-17",
        "The original policy language. Policy variables are not expanded; use 2012-10-17.",
    ),
];

/// What an operator family compares, in one sentence.
pub(crate) fn family_text(family: OperatorFamily) -> &'static str {
    match family {
        OperatorFamily::String => "Compares the key's value with strings.",
        OperatorFamily::Numeric => "Compares the key's value with numbers (integers or decimals).",
        OperatorFamily::Date => {
            "Compares the key's value with dates and times (ISO 8601, such as \
             `2026-01-31T12:00:00Z`, or epoch seconds)."
        }
        OperatorFamily::Bool => "Compares the key's value with `true` or `false`.",
        OperatorFamily::Binary => "Compares the key's value, byte for byte, with base-64 values.",
        OperatorFamily::IpAddress => {
            "Compares the key's value with IPv4 or IPv6 addresses or CIDR ranges."
        }
        OperatorFamily::Arn => {
            "Compares the key's value with ARNs, segment by segment; `*` and `?` are wildcards."
        }
        OperatorFamily::Null => {
            "Checks whether the key is absent from the request (`true`) or present (`false`)."
        }
    }
}

/// What the base operator itself does, in one sentence.
pub(crate) fn base_text(op: BaseOperator) -> &'static str {
    use BaseOperator::*;
    match op {
        StringEquals => {
            "Matches when the value equals one of the strings exactly (case-sensitive)."
        }
        StringNotEquals => "Matches when the value equals none of the strings (case-sensitive).",
        StringEqualsIgnoreCase => {
            "Matches when the value equals one of the strings, ignoring case."
        }
        StringNotEqualsIgnoreCase => {
            "Matches when the value equals none of the strings, ignoring case."
        }
        StringLike => {
            "Matches when the value matches one of the patterns; `*` and `?` are wildcards."
        }
        StringNotLike => {
            "Matches when the value matches none of the patterns; `*` and `?` are wildcards."
        }
        NumericEquals => "Matches when the number equals one of the values.",
        NumericNotEquals => "Matches when the number equals none of the values.",
        NumericLessThan => "Matches when the number is less than the value.",
        NumericLessThanEquals => "Matches when the number is less than or equal to the value.",
        NumericGreaterThan => "Matches when the number is greater than the value.",
        NumericGreaterThanEquals => {
            "Matches when the number is greater than or equal to the value."
        }
        DateEquals => "Matches when the date equals one of the values.",
        DateNotEquals => "Matches when the date equals none of the values.",
        DateLessThan => "Matches when the date is before the value.",
        DateLessThanEquals => "Matches when the date is at or before the value.",
        DateGreaterThan => "Matches when the date is after the value.",
        DateGreaterThanEquals => "Matches when the date is at or after the value.",
        Bool => "Matches when the boolean equals the value (`\"true\"` or `\"false\"`).",
        BinaryEquals => "Matches when the binary value equals one of the base-64 values.",
        IpAddress => "Matches when the address is in one of the ranges.",
        NotIpAddress => "Matches when the address is in none of the ranges.",
        ArnEquals => "Matches when the ARN matches one of the values.",
        ArnLike => "Matches when the ARN matches one of the patterns.",
        ArnNotEquals => "Matches when the ARN matches none of the values.",
        ArnNotLike => "Matches when the ARN matches none of the patterns.",
        Null => "Matches on whether the key is present in the request at all.",
    }
}

pub(crate) fn qualifier_text(q: SetQualifier) -> &'static str {
    match q {
        SetQualifier::ForAllValues => {
            "`ForAllValues:` — for multi-valued keys: matches when **every** value in the request \
             matches one of the policy's values. It also matches when the key is missing or \
             empty, so with Allow pair it with a `Null` check."
        }
        SetQualifier::ForAnyValue => {
            "`ForAnyValue:` — for multi-valued keys: matches when **at least one** value in the \
             request matches one of the policy's values."
        }
    }
}

pub(crate) const IF_EXISTS_TEXT: &str = "`IfExists` — if the key is missing from the request, \
    the condition matches (counts as true); if present, it is compared as usual.";

/// The full hover text of a parsed operator.
pub(crate) fn operator_markdown(op: &ConditionOperator) -> String {
    let mut md = format!(
        "**{}** (condition operator)\n\n{} {}",
        op.name(),
        base_text(op.base),
        family_text(op.family())
    );
    if op.base.is_negated() {
        md.push_str(
            "\n\nA negated operator also matches when the key is missing from the request.",
        );
    }
    if let Some(q) = op.qualifier {
        md.push_str("\n\n");
        md.push_str(qualifier_text(q));
    }
    if op.if_exists {
        md.push_str("\n\n");
        md.push_str(IF_EXISTS_TEXT);
    }
    md
}
