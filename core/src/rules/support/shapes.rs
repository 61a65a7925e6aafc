//! The six statement shapes that let one sensitive IAM action reach every resource, shared by
//! the `PASS_ROLE_*` and `CREATE_SLR_*` families (Access Analyzer names one check per shape).
//!
//! A shape combines how the action is granted (named or matched by a pattern in Action, by
//! `"*"` in Action, or by a NotAction that does not exclude it) with how the resource is left
//! open (`"*"` in Resource, or NotResource).

use crate::rules::{Context, Sink};
use crate::span::Span;

use super::security::{
    grants_access, restricting_entry, star_action, star_resource, statement_covers_action,
};
use crate::arn::{arn_pattern_covers, literal_prefix, Arn};
use crate::catalog::fill_arn_template;
use crate::policy::{Policy, Statement};
use crate::wildcard::has_wildcard;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    StarInResource,
    StarInActionAndResource,
    StarInResourceAndNotAction,
    NotResource,
    StarInActionAndNotResource,
    NotActionAndNotResource,
}

/// One sensitive action and what limits it.
pub struct Family {
    /// "iam:PassRole".
    pub action: &'static str,
    /// What the action lets the caller do, for messages ("pass any role to a service").
    pub consequence: &'static str,
    /// A condition key that, when it restricts the request, makes the grant acceptable
    /// (`iam:AWSServiceName` for CreateServiceLinkedRole).
    pub limiting_key: Option<&'static str>,
    /// What to do instead.
    pub advice: &'static str,
    /// A condition key that limits something other than the resource (the services a role
    /// can be passed to), and the advice to give instead of [`Family::advice`] when a
    /// statement already restricts it: advising a condition that is there reads as noise.
    pub companion_key: Option<(&'static str, &'static str)>,
    /// Whether a Resource pattern that reaches every role of an account (`role/*`) counts as
    /// open: for iam:PassRole the resource is the role passed, so `arn:aws:iam::*:role/*`
    /// passes any role as `"*"` does.
    pub role_patterns: bool,
    /// Where the per-analysis facts keep what [`detect_all`] found for this family.
    pub slot: usize,
}

/// How many families there are (the slots of the per-analysis facts).
pub const FAMILIES: usize = 2;

pub const PASS_ROLE: Family = Family {
    action: "iam:PassRole",
    consequence: "pass any role in the account, including administrator roles, to a service the caller controls",
    limiting_key: None,
    advice: "name the roles in Resource (for example arn:aws:iam::111122223333:role/app-*) and limit the services with iam:PassedToService",
    companion_key: Some((
        "iam:PassedToService",
        "iam:PassedToService limits the services, not the roles: name the roles in Resource (for example arn:aws:iam::111122223333:role/app-*)",
    )),
    role_patterns: true,
    slot: 0,
};

pub const CREATE_SLR: Family = Family {
    action: "iam:CreateServiceLinkedRole",
    consequence: "create the service-linked role of any AWS service",
    limiting_key: Some("iam:AWSServiceName"),
    advice: "name the service-linked role ARNs in Resource, or add a StringEquals condition on iam:AWSServiceName",
    companion_key: None,
    role_patterns: false,
    slot: 1,
};

/// Where the shape was found: the element to point at, and the other element that makes it.
pub struct Found {
    pub shape: Shape,
    pub span: Span,
    pub related: (Span, String),
    /// When the open resource is a role pattern rather than `"*"`: the pattern and what it
    /// reaches ("any role in account 111122223333").
    pub pattern: Option<(String, String)>,
}

enum ActionSide {
    Named(Span, String),
    Star(Span),
    NotAction(Span),
}

enum ResourceSide {
    Star(Span),
    NotResource(Span),
    /// A Resource item that reaches every role of one or more accounts: (span, value, reach).
    RolePattern(Span, String, String),
}

/// What a Resource pattern reaches when it covers every role of an account: "any role in any
/// account", "any role in account 111122223333", "any role in the accounts matching
/// \"1111*\"". None for `"*"` (its own shapes) and for patterns that name roles.
pub fn role_pattern_reach(value: &str) -> Option<String> {
    if value == "*" || !has_wildcard(value) {
        return None;
    }
    let arn = Arn::parse(value).ok()?;
    // A service field of plain text covers only itself (ARNs compare with case): most
    // patterns are of another service's resources, and need no comparison built.
    let service = arn.service.value;
    if service != "iam" && !service.bytes().any(|b| matches!(b, b'*' | b'?' | b'$')) {
        return None;
    }
    // Every ARN `arn:P:iam::A:role/*` matches includes `arn:P:iam::A:role/` (the star taking
    // nothing), which has five colons: a pattern covering them matches it with its own five
    // field colons, so its resource part matches `role/` exactly, and the plain text that part
    // starts with is a beginning of `role/`. Most patterns here name users, policies or one
    // role's path (`user/*`, `role/aws-service-role/*`) and fail this without compiling both
    // patterns twice.
    if !"role/".starts_with(literal_prefix(arn.resource.value)) {
        return None;
    }
    reach_by_covering(value, &arn)
}

/// [`role_pattern_reach`] past its quick tests: compare the pattern with `role/*` of every
/// account, then of its own accounts.
fn reach_by_covering(value: &str, arn: &Arn<'_>) -> Option<String> {
    let partition = arn.partition.value;
    // A pattern covers "every role of the account" when it covers role/* there: the name and
    // path of a role are what the wildcard has to reach.
    let covers = |account: &str| {
        arn_pattern_covers(value, &format!("arn:{partition}:iam::{account}:role/*"))
    };
    if covers("*") {
        return Some("any role in any account".to_string());
    }
    let account = arn.account.value;
    if !covers(account) {
        return None;
    }
    if has_wildcard(account) {
        Some(format!("any role in the accounts matching \"{account}\""))
    } else {
        Some(format!("any role in account {account}"))
    }
}

/// True for a Resource pattern other than `"*"` (`function:*`): the only values
/// [`pattern_reaches_every`] can find reaching every resource of a type.
pub fn is_narrower_pattern(value: &str) -> bool {
    value != "*" && has_wildcard(value)
}

/// True when the Resource pattern `value` reaches every resource the catalog ARN `template`
/// describes in the pattern's own partition, Region and account (`arn:aws:lambda:*:*:function:*`
/// for `arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}`): the template's
/// other placeholders are what the wildcard has to reach. False for `"*"` (its own shapes) and
/// for patterns without a wildcard.
pub fn pattern_reaches_every(value: &str, template: &str) -> bool {
    if !is_narrower_pattern(value) {
        return false;
    }
    let Ok(arn) = Arn::parse(value) else {
        return false;
    };
    // The field the placeholder sits in: partition, Region and account come from the pattern
    // (a pattern for one account reaches every resource of that account).
    let every = fill_arn_template(template, |field, _| {
        match field {
            1 => arn.partition.value,
            3 => arn.region.value,
            4 => arn.account.value,
            _ => "*",
        }
        .to_string()
    });
    arn_pattern_covers(value, &every)
}

/// The shape through which `st` grants `family.action` on every resource, if any.
pub fn detect(st: &Statement<'_>, family: &Family) -> Option<Found> {
    // The cheap questions first: most statements name their resources.
    if !st.is_allow() {
        return None;
    }
    let resource = if let Some(star) = star_resource(st) {
        ResourceSide::Star(star.span())
    } else if let Some(list) = &st.not_resource {
        // NotResource "*" excludes everything: the statement grants nothing.
        if list.items.is_empty() || list.contains("*") {
            return None;
        }
        ResourceSide::NotResource(list.key().span)
    } else if let Some((item, reach)) = st
        .resource
        .as_ref()
        .filter(|_| family.role_patterns)
        .and_then(|list| {
            list.items
                .iter()
                .find_map(|i| role_pattern_reach(i.value).map(|r| (i, r)))
        })
    {
        ResourceSide::RolePattern(item.span(), item.value.to_string(), reach)
    } else {
        return None;
    };
    if !statement_covers_action(st, family.action) {
        return None;
    }
    if let Some(key) = family.limiting_key {
        if restricting_entry(st, &[key]).is_some() {
            return None;
        }
    }
    let action = if let Some(list) = &st.action {
        let named = list.items.iter().find(|i| {
            i.value != "*"
                && i.value != "*:*"
                && crate::wildcard::action_matches(i.value, family.action)
        });
        match (named, star_action(st)) {
            (Some(item), _) => ActionSide::Named(item.span(), item.value.to_string()),
            (None, Some(star)) => ActionSide::Star(star.span()),
            (None, None) => return None,
        }
    } else {
        ActionSide::NotAction(st.not_action.as_ref()?.key().span)
    };
    let mut pattern = None;
    let resource = match resource {
        ResourceSide::RolePattern(span, value, reach) => {
            pattern = Some((value, reach));
            ResourceSide::Star(span)
        }
        other => other,
    };
    let (shape, span, related) = match (action, resource) {
        (ActionSide::Named(a, name), ResourceSide::Star(r)) => (
            Shape::StarInResource,
            r,
            (a, format!("\"{name}\" grants {}", family.action)),
        ),
        (ActionSide::Star(a), ResourceSide::Star(r)) => (
            Shape::StarInActionAndResource,
            r,
            (a, format!("\"*\" includes {}", family.action)),
        ),
        (ActionSide::NotAction(a), ResourceSide::Star(r)) => (
            Shape::StarInResourceAndNotAction,
            r,
            (a, format!("NotAction does not exclude {}", family.action)),
        ),
        (ActionSide::Named(a, name), ResourceSide::NotResource(r)) => (
            Shape::NotResource,
            r,
            (a, format!("\"{name}\" grants {}", family.action)),
        ),
        (ActionSide::Star(a), ResourceSide::NotResource(r)) => (
            Shape::StarInActionAndNotResource,
            r,
            (a, format!("\"*\" includes {}", family.action)),
        ),
        (ActionSide::NotAction(a), ResourceSide::NotResource(r)) => (
            Shape::NotActionAndNotResource,
            r,
            (a, format!("NotAction does not exclude {}", family.action)),
        ),
        (_, ResourceSide::RolePattern(..)) => return None,
    };
    Some(Found {
        shape,
        span,
        related,
        pattern,
    })
}

fn describe(shape: Shape, action: &str) -> String {
    match shape {
        Shape::StarInResource => format!("{action} is allowed on Resource \"*\""),
        Shape::StarInActionAndResource => {
            format!("Action \"*\" with Resource \"*\" allows {action} on every resource")
        }
        Shape::StarInResourceAndNotAction => format!(
            "NotAction with Resource \"*\" allows every action it does not list, {action} included, on every resource"
        ),
        Shape::NotResource => format!(
            "{action} is allowed with NotResource, that is on every resource except the ones listed"
        ),
        Shape::StarInActionAndNotResource => format!(
            "Action \"*\" with NotResource allows {action} on every resource except the ones listed"
        ),
        Shape::NotActionAndNotResource => format!(
            "NotAction with NotResource allows {action} (not excluded) on every resource except the ones listed"
        ),
    }
}

/// [`detect`] for every statement of the policy, in order. The six rules of a family share it
/// through the per-analysis facts ([`Context::shapes_of`]).
pub fn detect_all(policy: &Policy<'_>, family: &Family) -> Vec<Option<Found>> {
    policy
        .statements
        .iter()
        .map(|st| detect(st, family))
        .collect()
}

/// Report every statement of the policy that has `shape` for `family`.
pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>, family: &Family, shape: Shape) {
    if !grants_access(cx.policy_type) {
        return;
    }
    for (st, found) in cx.policy.statements.iter().zip(cx.shapes_of(family)) {
        let Some(found) = found else {
            continue;
        };
        if found.shape != shape {
            continue;
        }
        let advice = match family.companion_key {
            Some((key, instead)) if restricting_entry(st, &[key]).is_some() => instead,
            _ => family.advice,
        };
        let message = match &found.pattern {
            Some((value, reach)) => format!(
                "{} is allowed on \"{value}\", which reaches {reach}: the caller can pass {reach}, \
                 administrator roles included, to a service they control. {}.",
                family.action,
                capitalise(advice)
            ),
            None => format!(
                "{}: the caller can {}. {}.",
                describe(shape, family.action),
                family.consequence,
                capitalise(advice)
            ),
        };
        let d = sink.report(found.span, message);
        d.related.push(crate::diagnostic::Related {
            span: found.related.0,
            message: found.related.1.clone(),
        });
        if found.pattern.is_none()
            && matches!(
                shape,
                Shape::StarInResource
                    | Shape::StarInActionAndResource
                    | Shape::StarInResourceAndNotAction
            )
        {
            d.review_fixes_with(|| {
                crate::fix::narrow::resource_star_fix(cx.layout(), st, cx.known_actions(st))
            });
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The tests every PASS_ROLE_* and CREATE_SLR_* rule runs on its own examples.
#[cfg(test)]
pub mod testing {
    use crate::rules::testing::findings_of;
    use crate::rules::Rule;
    use crate::span::Span;

    /// The element that leaves the resource open in a rule's bad example.
    pub enum OpenResource {
        /// The last `"*"` of the text (the Resource value).
        Star,
        /// The `"NotResource"` key.
        NotResource,
    }

    /// The bad example gives exactly one finding, at `open`, naming `action`, with the element
    /// that grants the action as its related span.
    pub fn assert_points_at_open_resource(rule: &Rule, open: OpenResource, action: &str) {
        let text = rule.meta.bad_example;
        let found = findings_of(text, "identity", rule.meta.code);
        assert_eq!(found.len(), 1, "{found:?}");
        let expected = match open {
            OpenResource::Star => {
                let start = text.rfind(r#""*""#).unwrap();
                Span::new(start, start + 3)
            }
            OpenResource::NotResource => {
                let start = text.find(r#""NotResource""#).unwrap();
                Span::new(start, start + "\"NotResource\"".len())
            }
        };
        assert_eq!(found[0].span, expected);
        assert!(found[0].message.contains(action));
        assert_eq!(found[0].related.len(), 1);
    }

    /// The good example, a close neighbour of the bad one, gives no finding.
    pub fn assert_good_example_is_silent(rule: &Rule) {
        let text = rule.meta.good_example;
        assert!(findings_of(text, "identity", rule.meta.code).is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use crate::syntax;

    fn shape_of(text: &str, family: &Family) -> Option<Shape> {
        let doc = syntax::parse(text);
        let policy = Policy::from_root(doc.root.as_ref());
        let st = policy.statements.first()?;
        detect(st, family).map(|f| f.shape)
    }

    #[test]
    fn role_patterns_reach_by_their_service_field() {
        let any = Some("any role in any account".to_string());
        assert_eq!(role_pattern_reach("arn:aws:iam::*:role/*"), any);
        // A wildcard or a variable in the service field may still reach iam.
        assert_eq!(role_pattern_reach("arn:aws:*:*:*:*"), any);
        assert_eq!(role_pattern_reach("arn:aws:i?m::*:role/*"), any);
        assert_eq!(
            role_pattern_reach("arn:aws:iam::111122223333:role/*"),
            Some("any role in account 111122223333".to_string())
        );
        // Plain text other than iam (ARNs compare with case) reaches no role.
        assert_eq!(role_pattern_reach("arn:aws:s3:::*"), None);
        assert_eq!(role_pattern_reach("arn:aws:IAM::*:role/*"), None);
        assert_eq!(role_pattern_reach("arn:aws:iam::*:user/*"), None);
    }

    /// The quick test on the resource part never changes the answer: for each pattern it turns
    /// away, comparing with `role/*` finds no reach either. Patterns of every shape around
    /// `role/` (wildcards, variables, colons in each field), and every Resource value of every
    /// 2nd latest managed policy when the corpus is fetched.
    #[test]
    fn resource_part_test_agrees_with_covering() {
        const PIECES: &[&str] = &[
            "role",
            "role/",
            "/",
            "r",
            "ro*",
            "*",
            "?",
            ":",
            "${aws:username}",
            "${*}",
            "user/",
            "a",
        ];
        let mut values: Vec<String> = Vec::new();
        let mut next = crate::test_random::below(0x3c6e_f372_fe94_f82bu64);
        for _ in 0..20_000 {
            let field =
                |next: &mut dyn FnMut(usize) -> usize| crate::test_random::text(next, 3, PIECES);
            let partition = ["aws", "*", "aw*", "${aws:p}"][next(4)];
            let service = ["iam", "i?m", "*", "ia*"][next(4)];
            let account = ["", "*", "1111", "1*", "${aws:PrincipalAccount}"][next(5)];
            let resource = field(&mut next);
            values.push(format!("arn:{partition}:{service}::{account}:{resource}"));
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../.cache/managed-policies/latest");
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let mut paths: Vec<std::path::PathBuf> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for text in paths
                .iter()
                .step_by(2)
                .filter_map(|p| std::fs::read_to_string(p).ok())
            {
                let doc = syntax::parse(&text);
                let policy = Policy::from_root(doc.root.as_ref());
                for st in &policy.statements {
                    for list in [&st.resource, &st.not_resource].into_iter().flatten() {
                        values.extend(list.items.iter().map(|i| i.value.to_string()));
                    }
                }
            }
        } else {
            eprintln!(
                "corpus not fetched ({}): random patterns only",
                dir.display()
            );
        }
        let (mut turned_away, mut compared) = (0, 0);
        for value in &values {
            let Ok(arn) = Arn::parse(value) else { continue };
            if value == "*" || !has_wildcard(value) {
                continue;
            }
            compared += 1;
            let by_covering = reach_by_covering(value, &arn);
            if !"role/".starts_with(literal_prefix(arn.resource.value)) {
                turned_away += 1;
                assert_eq!(by_covering, None, "{value}");
            }
        }
        assert!(
            turned_away > 5_000 && compared > 10_000,
            "{turned_away} {compared}"
        );
    }

    #[test]
    fn detects_every_shape() {
        let cases = [
            (
                r#"{"Statement":{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}}"#,
                Some(Shape::StarInResource),
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"iam:Pass*","Resource":["*"]}}"#,
                Some(Shape::StarInResource),
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
                Some(Shape::StarInActionAndResource),
            ),
            (
                r#"{"Statement":{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}}"#,
                Some(Shape::StarInResourceAndNotAction),
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"iam:PassRole","NotResource":"arn:aws:iam::1:role/a"}}"#,
                Some(Shape::NotResource),
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::b"}}"#,
                Some(Shape::StarInActionAndNotResource),
            ),
            (
                r#"{"Statement":{"Effect":"Allow","NotAction":"s3:*","NotResource":"arn:aws:s3:::b"}}"#,
                Some(Shape::NotActionAndNotResource),
            ),
            // Close neighbours.
            (
                r#"{"Statement":{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}}"#,
                None,
            ),
            (
                r#"{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#,
                None,
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app"}}"#,
                None,
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}}"#,
                None,
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"*","NotResource":"*"}}"#,
                None,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(shape_of(text, &PASS_ROLE), want, "{text}");
        }
    }

    #[test]
    fn service_name_condition_limits_create_slr() {
        let limited = r#"{"Statement":{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*",
            "Condition":{"StringEquals":{"iam:AWSServiceName":"elasticbeanstalk.amazonaws.com"}}}}"#;
        assert_eq!(shape_of(limited, &CREATE_SLR), None);
        let open = r#"{"Statement":{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*",
            "Condition":{"StringLike":{"iam:AWSServiceName":"*"}}}}"#;
        assert_eq!(shape_of(open, &CREATE_SLR), Some(Shape::StarInResource));
    }
}
