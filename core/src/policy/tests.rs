use super::*;
use crate::syntax::parse;

#[test]
fn typed_view_of_a_statement() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#;
    let doc = parse(text);
    let policy = Policy::from_root(doc.root.as_ref());
    assert_eq!(policy.version_value(), Some("2012-10-17"));
    let st = &policy.statements[0];
    assert!(st.is_allow());
    assert_eq!(st.sid_value(), Some("A"));
    let actions = st.action.as_ref().unwrap();
    assert!(actions.is_array);
    assert_eq!(
        actions.items.iter().map(|i| i.value).collect::<Vec<_>>(),
        ["s3:GetObject", "s3:PutObject"]
    );
    assert_eq!(actions.items[1].inner_span().slice(text), "s3:PutObject");
    let res = st.resource.as_ref().unwrap();
    assert!(!res.is_array);
    assert_eq!(st.conditions.len(), 1);
    assert_eq!(st.conditions[0].entries[0].key.value, "aws:PrincipalOrgID");
    assert_eq!(st.conditions[0].entries[0].values[0].value, "o-1");
}

#[test]
fn single_statement_object_and_principals() {
    let text = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"sts:AssumeRole"}}"#;
    let doc = parse(text);
    let policy = Policy::from_root(doc.root.as_ref());
    assert_eq!(policy.statements.len(), 1);
    let p = policy.statements[0].principal.as_ref().unwrap();
    assert!(p.is_anyone());
    assert_eq!(p.values_of("AWS").count(), 2);
    assert_eq!(PolicyType::Auto.resolve(&policy), PolicyType::Trust);
}

#[test]
fn policy_type_inference() {
    let infer = |text: &str| {
        let doc = parse(text);
        PolicyType::Auto.resolve(&Policy::from_root(doc.root.as_ref()))
    };
    assert_eq!(
        infer(r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#),
        PolicyType::Identity
    );
    assert_eq!(
        infer(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#
        ),
        PolicyType::Resource {
            resource_type: None
        }
    );
    assert_eq!(
        PolicyType::parse("resource:AWS::S3::Bucket")
            .unwrap()
            .name(),
        "resource:AWS::S3::Bucket"
    );
}

#[test]
fn duplicate_elements_last_one_wins() {
    let text = r#"{"Version":"2008-10-17","Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let doc = parse(text);
    let policy = Policy::from_root(doc.root.as_ref());
    assert_eq!(policy.version_value(), Some("2012-10-17"));
    assert!(policy.statements[0].is_allow());
}
