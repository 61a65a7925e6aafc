use super::*;

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
