use super::*;
use crate::catalog::catalog;

fn actions(source: &str, event: &str) -> Vec<(&'static str, ResourceRole)> {
    actions_for_event(source, event)
        .unwrap_or_else(|| panic!("{source} {event} unknown"))
        .actions
        .iter()
        .map(|a| (a.action, a.resource))
        .collect()
}

fn names(source: &str, event: &str) -> Vec<&'static str> {
    actions(source, event).into_iter().map(|(a, _)| a).collect()
}

#[test]
fn embedded_data_decodes_against_the_embedded_catalog() {
    let m = mapping();
    assert_eq!(m.error(), None);
    assert_eq!(m.catalog_version(), catalog().source_version());
    assert!(!m.botocore_version().is_empty());
}

/// The figures in `core/data/events-source.txt` come from the generator; this checks the decoded
/// table against them and prints the coverage.
#[test]
fn coverage_figures() {
    let m = mapping();
    let (covered, total) = m.coverage();
    let sources = m.sources().count();
    let data = m.events().filter(|(_, _, a)| a.data_event).count();
    println!(
        "event mapping: {} events from {sources} sources ({data} data events); \
         {covered} of {total} catalog actions ({:.1}%) have an event",
        m.event_count(),
        100.0 * covered as f64 / total as f64
    );
    let txt = include_str!("../../../data/events-source.txt");
    let line = |field: &str| {
        txt.lines()
            .find_map(|l| l.strip_prefix(field))
            .unwrap_or_else(|| panic!("no '{field}' in events-source.txt"))
            .to_string()
    };
    assert!(line("events: ").starts_with(&format!("{} ({data} data events", m.event_count())));
    assert_eq!(line("event sources: "), sources.to_string());
    assert_eq!(
        line("catalog actions with an event: "),
        format!("{covered} of {total}")
    );
    // Most of the catalog is reachable from some event; a join that broke would drop far below.
    assert!(covered * 10 >= total * 7, "{covered} of {total}");
}

/// Spot checks from the AWS documentation's CloudTrail examples.
#[test]
fn documented_events() {
    use ResourceRole::{Source, Target};
    assert_eq!(names("iam.amazonaws.com", "CreateRole"), ["iam:CreateRole"]);
    assert_eq!(
        names("monitoring.amazonaws.com", "PutMetricData"),
        ["cloudwatch:PutMetricData"]
    );
    assert_eq!(
        names("lambda.amazonaws.com", "ListFunctions20150331"),
        ["lambda:ListFunctions"]
    );
    assert_eq!(names("s3.amazonaws.com", "HeadObject"), ["s3:GetObject"]);
    assert_eq!(names("sts.amazonaws.com", "AssumeRole"), ["sts:AssumeRole"]);
    assert_eq!(
        names("ec2.amazonaws.com", "RunInstances"),
        ["ec2:RunInstances"]
    );
    // A console sign-in needs no IAM action: the caller reports it as unmapped.
    assert_eq!(
        actions_for_event("signin.amazonaws.com", "ConsoleLogin"),
        None
    );
    assert_eq!(
        actions("s3.amazonaws.com", "CopyObject"),
        [("s3:PutObject", Target), ("s3:GetObject", Source)]
    );
    assert_eq!(
        names("dynamodb.amazonaws.com", "GetItem"),
        ["dynamodb:GetItem"]
    );
    assert_eq!(
        names("streams.dynamodb.amazonaws.com", "GetRecords"),
        ["dynamodb:GetRecords"]
    );
    assert_eq!(
        names("tagging.amazonaws.com", "GetResources"),
        ["tag:GetResources"]
    );
    assert_eq!(
        names("ecr.amazonaws.com", "GetAuthorizationToken"),
        ["ecr:GetAuthorizationToken"]
    );
    assert_eq!(names("ses.amazonaws.com", "SendEmail"), ["ses:SendEmail"]);
    assert_eq!(
        names("apigateway.amazonaws.com", "CreateRestApi"),
        ["apigateway:POST"]
    );
    assert_eq!(
        names("apigateway.amazonaws.com", "GetRestApis"),
        ["apigateway:GET"]
    );
}

#[test]
fn lookup_ignores_case_spacing_and_the_domain() {
    let a = names("s3.amazonaws.com", "GetObject");
    assert_eq!(a, ["s3:GetObject"]);
    assert_eq!(names("S3.AmazonAWS.com", "getobject"), a);
    assert_eq!(names("s3", "GetObject"), a);
    assert_eq!(names(" s3.amazonaws.com ", " GetObject "), a);
    // The catalog's spelling, not the event's.
    assert_eq!(
        names("s3.amazonaws.com", "PutBucketCors"),
        ["s3:PutBucketCORS"]
    );
}

#[test]
fn unknown_events_are_none() {
    assert_eq!(
        actions_for_event("s3.amazonaws.com", "NoSuchOperation"),
        None
    );
    assert_eq!(actions_for_event("nosuch.amazonaws.com", "GetObject"), None);
    assert_eq!(actions_for_event("", ""), None);
    assert!(!is_data_event("nosuch.amazonaws.com", "GetObject"));
}

#[test]
fn data_events() {
    assert!(is_data_event("s3.amazonaws.com", "GetObject"));
    assert!(is_data_event("s3.amazonaws.com", "PutObject"));
    assert!(is_data_event("lambda.amazonaws.com", "Invoke"));
    assert!(is_data_event("dynamodb.amazonaws.com", "PutItem"));
    assert!(is_data_event("sns.amazonaws.com", "Publish"));
    assert!(!is_data_event("s3.amazonaws.com", "CreateBucket"));
    assert!(!is_data_event(
        "lambda.amazonaws.com",
        "ListFunctions20150331"
    ));
    assert!(!is_data_event("iam.amazonaws.com", "CreateRole"));
    let a = actions_for_event("lambda.amazonaws.com", "Invoke").unwrap();
    assert!(a.data_event);
    assert_eq!(a.actions[0].action, "lambda:InvokeFunction");
}

#[test]
fn tracking_of_actions() {
    assert_eq!(tracking("iam:CreateRole"), Tracking::Management);
    assert_eq!(tracking("IAM:createrole"), Tracking::Management);
    assert_eq!(tracking("s3:GetObject"), Tracking::Data);
    // HeadBucket (management) and ListObjects (data) both need it: it may be used unseen.
    assert_eq!(tracking("s3:ListBucket"), Tracking::Data);
    assert_eq!(tracking("lambda:InvokeFunction"), Tracking::Data);
    assert_eq!(
        tracking("iam:PassRole"),
        Tracking::NeverLogged(NeverLogged::PermissionOnly)
    );
    // A real action that no event needs: GetObject with a versionId logs as GetObject.
    assert_eq!(
        tracking("s3:GetObjectVersion"),
        Tracking::NeverLogged(NeverLogged::NoEvent)
    );
    assert_eq!(
        tracking("nosuch:Action"),
        Tracking::NeverLogged(NeverLogged::NoEvent)
    );
    assert_eq!(tracking(""), Tracking::NeverLogged(NeverLogged::NoEvent));
}

#[test]
fn every_event_needs_catalog_actions() {
    let c = catalog();
    let mut n = 0;
    for (source, event, a) in mapping().events() {
        n += 1;
        assert!(source.ends_with(".amazonaws.com"), "{source}");
        assert!(!event.is_empty(), "{source}");
        assert!(!a.actions.is_empty(), "{source} {event}");
        for x in &a.actions {
            let found = c.action(x.action).map(|f| f.full_name());
            assert_eq!(found.as_deref(), Some(x.action), "{source} {event}");
        }
        // Every listed event is found again by its own name.
        assert_eq!(
            actions_for_event(&source, &event).as_ref(),
            Some(&a),
            "{source} {event}"
        );
    }
    assert_eq!(n, mapping().event_count());
}

#[test]
fn api_versions_are_stripped() {
    assert_eq!(
        strip_api_version("ListFunctions20150331"),
        Some("ListFunctions")
    );
    assert_eq!(
        strip_api_version("GetFunction20150331v2"),
        Some("GetFunction")
    );
    assert_eq!(
        strip_api_version("CreateDistribution2020_05_31"),
        Some("CreateDistribution")
    );
    assert_eq!(strip_api_version("ListObjectsV2"), None);
    assert_eq!(strip_api_version("GetObject"), None);
    assert_eq!(strip_api_version("20150331"), None);
    assert_eq!(strip_api_version("v2"), None);
    assert_eq!(strip_api_version("x2015033v1"), None);
    assert_eq!(strip_api_version(""), None);
    assert_eq!(strip_api_version("é20150331"), Some("é"));
}

#[test]
fn bad_data_gives_an_error_not_a_panic() {
    let good = EVENTS_BYTES;
    for cut in [0, 10, good.len() / 3, good.len() / 2, good.len() - 1] {
        let m = EventMapping::from_bytes(&good[..cut]);
        assert!(m.error().is_some(), "cut at {cut}");
        assert_eq!(m.event_count(), 0);
        assert_eq!(m.actions_for_event("s3", "GetObject"), None);
    }
    let mut flipped = good.to_vec();
    for i in (200..flipped.len()).step_by(997) {
        flipped[i] ^= 0x5a;
        let _ = EventMapping::from_bytes(&flipped);
    }
    let mut extra = good.to_vec();
    extra.push(0);
    assert!(EventMapping::from_bytes(&extra)
        .error()
        .is_some_and(|e| e.contains("trailing")));
}

#[test]
fn committed_data_is_current() {
    let root = xtask::catalog::workspace_root();
    if !xtask::events::models_present(&root) {
        eprintln!(
            "SKIP committed_data_is_current: botocore {} not unpacked under .cache/botocore; \
             run `cargo xtask events`",
            xtask::events::VERSION
        );
        return;
    }
    let generated = xtask::events::generate(&xtask::events::models_dir(&root)).expect("generate");
    assert!(
        generated.bin == EVENTS_BYTES,
        "core/data/events.bin is stale: run `cargo xtask events`"
    );
    let txt = std::fs::read_to_string(root.join("core/data/events-source.txt"))
        .expect("events-source.txt");
    assert_eq!(txt, generated.source_txt);
}
