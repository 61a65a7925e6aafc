use super::*;
use crate::activity::record::parse_event;

fn event(arn: &str, issuer: Option<&str>, name: &str, time: &str, error: Option<&str>) -> String {
    let issuer = issuer
        .map(|i| format!(r#","sessionContext":{{"sessionIssuer":{{"type":"Role","arn":"{i}"}}}}"#))
        .unwrap_or_default();
    let error = error
        .map(|e| format!(r#","errorCode":"{e}""#))
        .unwrap_or_default();
    format!(
        r#"{{"eventTime":"{time}","eventSource":"dynamodb.amazonaws.com","eventName":"{name}","awsRegion":"eu-west-1","recipientAccountId":"111122223333","userIdentity":{{"type":"AssumedRole","arn":"{arn}","accountId":"111122223333"{issuer}}},"requestParameters":{{"tableName":"orders"}}{error}}}"#
    )
}

const ROLE: &str = "arn:aws:iam::111122223333:role/app/deploy";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/deploy/ci";

#[test]
fn a_role_matches_its_sessions() {
    let role = Principal::parse(ROLE).unwrap();
    assert!(role.matches(Some(SESSION), Some(ROLE)));
    // Without the issuer, the session ARN names the role.
    assert!(role.matches(Some(SESSION), None));
    // The issuer without its path names the same role.
    assert!(role.matches(None, Some("arn:aws:iam::111122223333:role/deploy")));
    assert!(!role.matches(
        Some("arn:aws:sts::444455556666:assumed-role/deploy/ci"),
        None
    ));
    assert!(!role.matches(
        Some("arn:aws:sts::111122223333:assumed-role/deployer/ci"),
        None
    ));
    let session = Principal::parse(SESSION).unwrap();
    assert!(session.matches(Some(SESSION), Some(ROLE)));
    assert!(!session.matches(
        Some("arn:aws:sts::111122223333:assumed-role/deploy/other"),
        Some(ROLE)
    ));
    let user = Principal::parse("arn:aws:iam::111122223333:user/alice").unwrap();
    assert!(user.matches(Some("arn:aws:iam::111122223333:user/alice"), None));
    assert!(user.matches(
        Some("arn:aws:sts::111122223333:federated-user/alice"),
        Some("arn:aws:iam::111122223333:user/alice")
    ));
    assert!(!user.matches(Some("arn:aws:iam::111122223333:user/alicia"), None));
    assert!(Principal::parse("deploy").is_err());
}

#[test]
fn time_bounds() {
    assert_eq!(parse_time_bound("2026-01-31", false), Ok(1_769_817_600_000));
    assert_eq!(
        parse_time_bound("2026-01-31", true),
        Ok(1_769_817_600_000 + 86_400_000 - 1)
    );
    assert_eq!(
        parse_time_bound("2026-01-31T12:00:00+01:00", true),
        Ok(1_769_857_200_000)
    );
    assert!(parse_time_bound("2026", false).is_err());
    assert!(parse_time_bound("last week", false).is_err());
}

#[test]
fn counts_the_principals_successful_events_in_the_period() {
    let filter = Filter {
        principal: Principal::parse(ROLE).unwrap(),
        since: Some(parse_time_bound("2026-01-02", false).unwrap()),
        until: Some(parse_time_bound("2026-01-03", true).unwrap()),
        include_denied: false,
    };
    let texts = [
        event(SESSION, Some(ROLE), "GetItem", "2026-01-02T10:00:00Z", None),
        event(SESSION, Some(ROLE), "GetItem", "2026-01-03T23:59:59Z", None),
        event(
            SESSION,
            Some(ROLE),
            "PutItem",
            "2026-01-02T10:00:00Z",
            Some("AccessDenied"),
        ),
        event(SESSION, Some(ROLE), "Query", "2026-01-04T00:00:00Z", None),
        event(
            "arn:aws:iam::111122223333:user/bob",
            None,
            "Scan",
            "2026-01-02T10:00:00Z",
            None,
        ),
    ];
    let mut usage = Usage::new();
    for t in &texts {
        usage.add_event(&filter, &parse_event(t.as_bytes()).unwrap());
    }
    let rows = usage.rows(ROLE);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].event_name.as_str(), rows[0].count), ("GetItem", 2));
    assert_eq!(
        rows[0].last_seen,
        parse_date("2026-01-03T23:59:59Z").unwrap()
    );
    assert_eq!(usage.stats.failed, 1);
    assert_eq!(usage.stats.events, 5);
    let entry = &usage.entries["dynamodb.amazonaws.com"]["GetItem"];
    assert_eq!(
        entry.resources.iter().collect::<Vec<_>>(),
        ["arn:aws:dynamodb:eu-west-1:111122223333:table/orders"]
    );

    let denied = Filter {
        include_denied: true,
        ..filter
    };
    let mut with_denied = Usage::new();
    for t in &texts {
        with_denied.add_event(&denied, &parse_event(t.as_bytes()).unwrap());
    }
    assert_eq!(with_denied.rows(ROLE).len(), 2);

    // Merging two halves gives the whole.
    let (mut a, mut b) = (Usage::new(), Usage::new());
    for (i, t) in texts.iter().enumerate() {
        let u = if i % 2 == 0 { &mut a } else { &mut b };
        u.add_event(&denied, &parse_event(t.as_bytes()).unwrap());
    }
    a.merge(b);
    assert_eq!(a, with_denied);
}

#[test]
fn reads_usage_rows_as_csv_and_json_lines() {
    let csv = "principal,event_source,EventName,count,last_seen\n\
        arn:aws:sts::111122223333:assumed-role/deploy/ci,s3.amazonaws.com,GetObject,3,2026-01-02 10:00:00.000 UTC\n\
        \"arn:aws:iam::111122223333:user/bob\",s3.amazonaws.com,\"Put,Object\",1,2026-01-02T10:00:00Z\n\
        x,s3.amazonaws.com,GetObject,many,2026-01-02T10:00:00Z\n";
    let (rows, errors) = parse_usage(csv);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].count, 3);
    assert_eq!(
        rows[0].last_seen,
        parse_date("2026-01-02T10:00:00Z").unwrap()
    );
    assert_eq!(rows[1].event_name, "Put,Object");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 4);
    assert_eq!(errors[0].message, "count 'many' is not a whole number");

    let jsonl = "{\"principal\":\"arn:aws:sts::111122223333:assumed-role/deploy/ci\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"count\":3,\"lastSeen\":\"2026-01-02T10:00:00Z\"}\n\n{\"principal\": 1}\n";
    let (rows2, errors) = parse_usage(jsonl);
    assert_eq!(rows2, rows[..1]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);

    let (_, errors) = parse_usage("a,b\n1,2\n");
    assert!(errors[0]
        .message
        .starts_with("the header has no column principal"));

    let filter = Filter::new(Principal::parse(ROLE).unwrap());
    let mut usage = Usage::new();
    for row in &rows {
        usage.add_row(&filter, row);
    }
    assert_eq!(usage.entries["s3.amazonaws.com"]["GetObject"].count, 3);
    assert_eq!(usage.entries.len(), 1);
}

#[test]
fn filter_options_are_read_in_one_place_and_refused_with_the_option_named() {
    let filter = Filter::from_options(&FilterOptions {
        principal: ROLE,
        since: Some("2026-01-02"),
        until: Some("2026-01-03"),
        include_denied: true,
    })
    .unwrap();
    assert_eq!(filter.principal, Principal::parse(ROLE).unwrap());
    assert_eq!(
        filter.since,
        Some(parse_time_bound("2026-01-02", false).unwrap())
    );
    // A date as the end of the period means the end of that day.
    assert_eq!(
        filter.until,
        Some(parse_time_bound("2026-01-03", true).unwrap())
    );
    assert!(filter.include_denied);
    let refused = |options: FilterOptions<'_>| Filter::from_options(&options).unwrap_err();
    let base = FilterOptions {
        principal: ROLE,
        ..FilterOptions::default()
    };
    assert_eq!(
        refused(FilterOptions {
            principal: "deploy",
            ..base
        })
        .option,
        FilterOption::Principal
    );
    let e = refused(FilterOptions {
        since: Some("last week"),
        ..base
    });
    assert_eq!(e.option, FilterOption::Since);
    assert!(e.message.contains("'last week' is not a time"), "{e:?}");
    assert_eq!(
        refused(FilterOptions {
            until: Some("2026"),
            ..base
        })
        .option,
        FilterOption::Until
    );
    let e = refused(FilterOptions {
        since: Some("2026-02-01"),
        until: Some("2026-01-01"),
        ..base
    });
    assert!(e.message.contains("since is after until"), "{e:?}");
    // The same day as both bounds is a one-day period, not an error.
    assert!(Filter::from_options(&FilterOptions {
        since: Some("2026-01-01"),
        until: Some("2026-01-01"),
        ..base
    })
    .is_ok());
}
