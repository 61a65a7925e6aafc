use super::*;
use std::io::Write;

const EVENT: &str = r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:ci","arn":"arn:aws:sts::111122223333:assumed-role/deploy/ci","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/deploy","accountId":"111122223333","userName":"deploy"},"attributes":{"creationDate":"2026-01-31T11:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"2026-01-31T12:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1","sourceIPAddress":"192.0.2.1","requestParameters":{"bucketName":"reports","key":"2026/01.csv","Host":"reports.s3.amazonaws.com"},"responseElements":null,"readOnly":true,"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::reports/2026/01.csv"},{"accountId":"111122223333","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::reports"}],"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333","eventCategory":"Data"}"#;

fn read_all(bytes: &[u8], chunk: usize) -> (Vec<String>, Vec<ReadError>) {
    let mut names = Vec::new();
    let mut errors = Vec::new();
    let mut reader = LogReader::new();
    let mut sink = |r: Result<Event<'_>, ReadError>| match r {
        Ok(e) => names.push(format!("{}:{}", e.source, e.name)),
        Err(e) => errors.push(e),
    };
    for piece in bytes.chunks(chunk.max(1)) {
        reader.feed(piece, &mut sink);
    }
    reader.finish(&mut sink);
    (names, errors)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn reads_the_fields_iamlint_uses() {
    let e = parse_event(EVENT.as_bytes()).unwrap();
    assert_eq!(e.time, "2026-01-31T12:00:00Z");
    assert_eq!(e.time_ms, 1_769_860_800_000);
    assert_eq!(
        (e.source.as_ref(), e.name.as_ref()),
        ("s3.amazonaws.com", "GetObject")
    );
    assert_eq!(e.identity.kind.as_deref(), Some("AssumedRole"));
    assert_eq!(
        e.identity.issuer_arn.as_deref(),
        Some("arn:aws:iam::111122223333:role/deploy")
    );
    assert_eq!(e.region.as_deref(), Some("eu-west-1"));
    assert_eq!(e.read_only, Some(true));
    assert!(e.is_data_event());
    assert_eq!(
        e.resources,
        ["arn:aws:s3:::reports/2026/01.csv", "arn:aws:s3:::reports"]
    );
    assert_eq!(e.request.bucket_name.as_deref(), Some("reports"));
    assert_eq!(e.request.key.as_deref(), Some("2026/01.csv"));
    assert_eq!(e.error_code, None);
    // No escapes: nothing was copied.
    assert!(matches!(e.source, Cow::Borrowed(_)));
}

#[test]
fn missing_fields_and_bad_times_are_errors() {
    let no_source = EVENT.replace("\"eventSource\"", "\"x\"");
    let e = parse_event(no_source.as_bytes()).unwrap_err();
    assert_eq!(e.message, "the event has no eventSource");
    let bad_time = EVENT.replace("2026-01-31T12:00:00Z", "yesterday");
    let e = parse_event(bad_time.as_bytes()).unwrap_err();
    assert!(
        e.message.contains("\"yesterday\" is not an ISO 8601 time"),
        "{}",
        e.message
    );
    // Fields of another type than CloudTrail's are read as absent, not as an error.
    let odd = EVENT.replace("\"readOnly\":true", "\"readOnly\":{\"x\":1}");
    assert_eq!(parse_event(odd.as_bytes()).unwrap().read_only, None);
}

#[test]
fn splits_records_whatever_the_chunk_size() {
    let log = format!(
        "{{\"Records\": [\n{EVENT},\n{}, {}\n]}}\n",
        EVENT.replace("GetObject", "PutObject"),
        EVENT.replace("GetObject", "Quote\\\"d")
    );
    for chunk in [1, 2, 3, 7, 64, 1000, 1 << 20] {
        let (names, errors) = read_all(log.as_bytes(), chunk);
        assert!(errors.is_empty(), "chunk {chunk}: {errors:?}");
        assert_eq!(
            names,
            [
                "s3.amazonaws.com:GetObject",
                "s3.amazonaws.com:PutObject",
                "s3.amazonaws.com:Quote\"d"
            ],
            "chunk {chunk}"
        );
        let (gz_names, gz_errors) = read_all(&gzip(log.as_bytes()), chunk);
        assert!(gz_errors.is_empty(), "chunk {chunk}: {gz_errors:?}");
        assert_eq!(gz_names, names);
    }
}

#[test]
fn other_members_before_and_after_the_records_are_skipped() {
    let log = format!(
        "{{\"Other\": {{\"Records\": [1]}}, \"Note\": \"]}}\", \"Records\": [{EVENT}], \"Tail\": [[]]}}"
    );
    let (names, errors) = read_all(log.as_bytes(), 5);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(names, ["s3.amazonaws.com:GetObject"]);
}

#[test]
fn reads_lookup_events_output() {
    let inner = serde_json::to_string(EVENT).unwrap();
    let log = format!(
        "{{\n    \"Events\": [\n        {{\"EventId\": \"1\", \"EventName\": \"GetObject\", \"CloudTrailEvent\": {inner}}},\n        {{\"EventId\": \"2\"}}\n    ],\n    \"NextToken\": \"x\"\n}}\n"
    );
    let (names, errors) = read_all(log.as_bytes(), 9);
    assert_eq!(names, ["s3.amazonaws.com:GetObject"]);
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].line, errors[0].column), (4, 9));
    assert_eq!(
        errors[0].message,
        "a lookup-events item without CloudTrailEvent"
    );
}

#[test]
fn a_bad_record_is_reported_at_its_position_and_the_rest_is_read() {
    let bad = EVENT.replace("\"readOnly\":true", "\"readOnly\":tru");
    let log = format!("{{\"Records\": [\n  {EVENT},\n  {bad},\n  {EVENT}\n]}}");
    let (names, errors) = read_all(log.as_bytes(), 100);
    assert_eq!(names.len(), 2);
    assert_eq!(errors.len(), 1, "{errors:?}");
    // The record starts at column 3; serde_json points at the ',' after the bad literal.
    let column = 3 + bad.find("tru,").unwrap() as u64 + 3;
    assert_eq!((errors[0].line, errors[0].column), (3, column));
    assert!(
        errors[0].message.contains("expected ident"),
        "{}",
        errors[0].message
    );
}

#[test]
fn cut_short_and_foreign_files_are_errors() {
    let log = format!("{{\"Records\": [{EVENT}, {EVENT}");
    let (names, errors) = read_all(&log.as_bytes()[..log.len() - 10], 64);
    assert_eq!(names.len(), 1);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("cut short"), "{:?}", errors);

    let gz = gzip(format!("{{\"Records\": [{EVENT}]}}").as_bytes());
    let (_, errors) = read_all(&gz[..gz.len() / 2], 64);
    assert_eq!(errors.len(), 1, "{errors:?}");

    let (names, errors) = read_all(b"{\"Version\": \"2012-10-17\", \"Statement\": []}", 8);
    assert!(names.is_empty());
    assert!(
        errors[0].message.starts_with("not a CloudTrail log"),
        "{errors:?}"
    );
    assert_eq!((errors[0].line, errors[0].column), (1, 1));

    let (_, errors) = read_all(b"", 8);
    assert_eq!(errors[0].message, "the file is empty");
    let (_, errors) = read_all(b"not json", 8);
    assert!(errors[0].message.starts_with("not a CloudTrail log"));
    let (names, errors) = read_all(format!("[{EVENT}, 5, {EVENT}]").as_bytes(), 8);
    assert_eq!(names.len(), 2);
    assert_eq!(errors[0].message, "expected an event (a JSON object) here");
}

#[test]
fn columns_count_characters() {
    let log = format!("{{\"Note\": \"é\", \"Records\": [{EVENT}, 7]}}");
    let (_, errors) = read_all(log.as_bytes(), 3);
    let at = log.find(", 7").unwrap();
    assert_eq!(errors[0].column, log[..at].chars().count() as u64 + 3);
}

/// Counts the briefs offered and the records read in full.
struct Tally {
    briefs: usize,
    full: Vec<String>,
    keep: fn(&Brief<'_>) -> bool,
}

impl Records for Tally {
    fn reads_briefs(&self) -> bool {
        true
    }
    fn brief(&mut self, brief: &Brief<'_>) -> bool {
        self.briefs += 1;
        (self.keep)(brief)
    }
    fn record(&mut self, record: Result<Event<'_>, ReadError>) {
        self.full.push(match record {
            Ok(e) => e.name.to_string(),
            Err(e) => e.to_string(),
        });
    }
}

#[test]
fn records_are_decided_from_their_brief_when_the_reader_asks() {
    let escaped = EVENT
        .replace("GetObject", "Escaped")
        .replace("role/deploy\"", "r\\u006fle/deploy\"");
    let log = format!(
        "{{\"Records\": [{EVENT}, {}, {escaped}, {}]}}",
        EVENT.replace("GetObject", "PutObject"),
        EVENT.replace("\"readOnly\":true", "\"readOnly\":tru")
    );
    for chunk in [1, 7, 100, 1 << 20] {
        let mut tally = Tally {
            briefs: 0,
            full: Vec::new(),
            keep: |b| {
                assert_eq!(b.region, Some("eu-west-1"));
                assert_eq!(b.time_ms, 1_769_860_800_000);
                assert_eq!(b.issuer_arn, Some("arn:aws:iam::111122223333:role/deploy"));
                false
            },
        };
        let mut reader = LogReader::new();
        for piece in log.as_bytes().chunks(chunk) {
            reader.feed_to(piece, &mut tally);
        }
        reader.finish_to(&mut tally);
        // The two plain records are decided from their briefs; the escaped one and the broken
        // one are read in full (the broken one giving its error).
        assert_eq!(tally.briefs, 2, "chunk {chunk}");
        assert_eq!(tally.full.len(), 2, "chunk {chunk}: {:?}", tally.full);
        assert_eq!(tally.full[0], "Escaped");
        assert!(tally.full[1].contains("expected ident"), "{:?}", tally.full);
    }
}

mod prefilter {
    use proptest::prelude::*;

    use super::*;
    use crate::activity::usage::{Counter, Filter, Principal, Usage};

    /// One of `options`, chosen by `c`.
    fn pick<'a>(c: u8, options: &[&'a str]) -> &'a str {
        options[usize::from(c) % options.len()]
    }

    /// A record in many shapes: principals that match or nearly do, escapes where they matter
    /// and where they do not, members missing, given twice or of other types, members of the
    /// same names nested elsewhere, any order, any whitespace, and some that are not JSON.
    fn record(c: &[u8; 12]) -> String {
        let identity = pick(
            c[0],
            &[
                r#"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/deploy/ci","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/deploy"}}}"#,
                r#"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/other/ci","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::111122223333:role/other"}}}"#,
                r#"{"arn":"arn:aws:sts::111122223333:assumed-role/deploy/s"}"#,
                r#"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/deploy"}"#,
                r#"{"sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::111122223333:r\u006fle/deploy"}},"arn":"arn:aws:sts::111122223333:assumed-role/x/y"}"#,
                r#"{"arn":"arn:aws:sts::111122223333:assumed-r\u006fle/deploy/s"}"#,
                r#"{"arn":"arn:aws:sts::111122223333:assumed-role/other/s","arn":"arn:aws:sts::111122223333:assumed-role/deploy/s"}"#,
                "null",
                r#""arn:aws:iam::111122223333:role/deploy""#,
                r#"{"sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::111122223333:role/path/deploy"}}}"#,
                r#"{"sessionContext":{"attributes":{"arn":"arn:aws:iam::111122223333:role/deploy"}},"arn":"arn:aws:iam::111122223333:user/u"}"#,
                r#"{"arn":"arn:aws:iam::111122223333:role/deploy","sessionContext":null}"#,
                r#"{"arn":1e999}"#,
                r#"{"arn":"arn:aws:sts::111122223333:assumed-role/DEPLOY/s","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::111122223333:role/DEPLOY"}}}"#,
                r#"{"a\u0072n":"arn:aws:sts::111122223333:assumed-role/deploy/s"}"#,
                r#"{"arn":"arn:aws:sts::111122223333:assumed-role/other/s","sessionContext":{"sessionIssuer":[]}}"#,
            ],
        );
        let mut members = vec![format!("\"userIdentity\":{identity}")];
        let mut add = |key: &str, value: &str| {
            if !value.is_empty() {
                members.push(format!("\"{key}\":{value}"));
            }
        };
        add(
            "eventTime",
            pick(
                c[1],
                &[
                    "\"2026-01-31T12:00:00Z\"",
                    "\"2026-01-15T08:30:00Z\"",
                    "\"2025-06-01T00:00:00Z\"",
                    "\"2026-01-31T12:00:00.123+01:00\"",
                    "\"yesterday\"",
                    "\"2026-01-31T12:00:00\\u005a\"",
                    "null",
                    "1769860800",
                    "",
                ],
            ),
        );
        add(
            "awsRegion",
            pick(
                c[2],
                &[
                    "\"eu-west-1\"",
                    "\"us-east-1\"",
                    "\"eu-\\u0077est-2\"",
                    "null",
                    "3",
                    "",
                ],
            ),
        );
        add(
            "errorCode",
            pick(c[3], &["", "", "\"AccessDenied\"", "\"\"", "null"]),
        );
        add(
            "eventSource",
            pick(
                c[4],
                &[
                    "\"s3.amazonaws.com\"",
                    "\"iam.amazonaws.com\"",
                    "\"s3.amazon\\u0061ws.com\"",
                    "",
                    "7",
                ],
            ),
        );
        add(
            "eventName",
            pick(
                c[5],
                &["\"GetObject\"", "\"ListRoles\"", "\"Get\\\"Quoted\"", ""],
            ),
        );
        for (k, &choice) in c[6..8].iter().enumerate() {
            let decoy = pick(
                choice.wrapping_add(k as u8 * 3),
                &[
                    "",
                    r#""requestParameters":{"userIdentity":{"arn":"arn:aws:iam::111122223333:role/deploy"},"eventTime":"2026-01-31T12:00:00Z","bucketName":"b","roleArn":"arn:aws:iam::111122223333:role/x"}"#,
                    r#""additionalEventData":{"awsRegion":"x","arn":"arn:aws:iam::111122223333:role/deploy","n":[1,2.5,-0.1e3,true,false,null,{}]}"#,
                    r#""resources":[{"ARN":"arn:aws:s3:::b"},null,{"type":"x"}]"#,
                    r#""resources":[{"ARN":"a","ARN":"b"}]"#,
                    r#""requestParameters":5"#,
                    r#""userAgent":"caf\u00e9 \"q\" é 日本 \ud83d\ude00""#,
                    r#""responseElements":{"x":"\ud800"}"#,
                    r#""readOnly":"true","managementEvent":false,"eventCategory":"Data""#,
                    r#""recipientAccountId":{"eventTime":"2026-01-31T12:00:00Z"}"#,
                    r#""requestParameters":{"n":1e999}"#,
                    r#""resources":"arn:aws:s3:::b""#,
                ],
            );
            if !decoy.is_empty() {
                members.push(decoy.to_string());
            }
        }
        // Not JSON, once in a while.
        let broken = pick(
            c[8],
            &[
                "",
                "",
                "",
                "",
                "",
                "",
                "\"bad\":tru",
                "\"bad\":\"\u{1}\"",
                "\"bad\":01",
                "\"bad\":[1,]",
                "\"bad\":\"\\q\"",
            ],
        );
        if !broken.is_empty() {
            members.push(broken.to_string());
        }
        // Any order.
        let n = members.len();
        members.rotate_left(usize::from(c[9]) % n);
        members.swap(usize::from(c[10]) % n, n - 1);
        let ws = pick(c[11], &["", " ", "\n  ", "\t", "\r\n"]);
        let body = members
            .iter()
            .map(|m| m.replacen("\":", &format!("\"{ws}:{ws}"), 1))
            .collect::<Vec<_>>()
            .join(&format!("{ws},{ws}"));
        format!("{{{ws}{body}{ws}}}")
    }

    fn read(log: &[u8], chunk: usize, filter: &Filter, briefs: bool) -> (Usage, Vec<ReadError>) {
        let mut usage = Usage::new();
        let mut errors = Vec::new();
        let mut reader = LogReader::new();
        if briefs {
            let mut counter = Counter {
                usage: &mut usage,
                filter,
                on_error: |e| errors.push(e),
            };
            for piece in log.chunks(chunk) {
                reader.feed_to(piece, &mut counter);
            }
            reader.finish_to(&mut counter);
        } else {
            let mut sink = |r: Result<Event<'_>, ReadError>| match r {
                Ok(event) => usage.add_event(filter, &event),
                Err(e) => errors.push(e),
            };
            for piece in log.chunks(chunk) {
                reader.feed(piece, &mut sink);
            }
            reader.finish(&mut sink);
        }
        (usage, errors)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Deciding from briefs never changes what is counted, nor the errors reported.
        #[test]
        fn the_prefilter_drops_nothing_the_full_reading_keeps(
            records in proptest::collection::vec(any::<[u8; 12]>(), 1..12),
            chunk in 1usize..400,
            period in any::<bool>(),
            include_denied in any::<bool>(),
            gz in any::<bool>(),
        ) {
            let texts: Vec<String> = records.iter().map(record).collect();
            let log = format!("{{\"Records\":[\n{}\n]}}", texts.join(",\n"));
            let log = if gz { gzip(log.as_bytes()) } else { log.into_bytes() };
            let principal = Principal::parse("arn:aws:iam::111122223333:role/deploy").unwrap();
            let mut filter = Filter::new(principal);
            filter.include_denied = include_denied;
            if period {
                filter.since = Some(1_769_000_000_000);
                filter.until = Some(1_770_000_000_000);
            }
            let fast = read(&log, chunk, &filter, true);
            let full = read(&log, chunk, &filter, false);
            prop_assert_eq!(&fast.1, &full.1);
            prop_assert_eq!(&fast.0, &full.0);
        }
    }
}

#[test]
fn log_files_in_a_folder_are_json_or_gzipped_json() {
    // The same names as the extension's test of isLogFile (vscode-extension/test/logic.test.mjs).
    for name in [
        "a.json",
        "111122223333_CloudTrail_us-east-1_20260112T0900Z_x.json.gz",
        "events.JSON",
        "B.Json.GZ",
    ] {
        assert!(is_log_file_name(name), "{name}");
    }
    for name in [
        "a.json.bz2",
        "digest.txt",
        "a.jsonl",
        "a.gz",
        "json",
        "notes.txt",
        "archive.json.gz.bak",
        "é.jso",
    ] {
        assert!(!is_log_file_name(name), "{name}");
    }
}
