use super::*;

fn glance_of(text: &str) -> Option<Glance> {
    match scan(text.as_bytes(), &mut LastTime::default()) {
        Scan::Done { end, glance } => {
            assert_eq!(end, text.len(), "{text}");
            glance
        }
        other => panic!("{other:?} for {text}"),
    }
}

const BASE: &str = r#"{"eventTime":"2026-01-31T12:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1","userIdentity":{"arn":"arn:aws:sts::111122223333:assumed-role/r/s","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::111122223333:role/r"}}}}"#;

#[test]
fn picks_out_the_deciding_members() {
    let g = glance_of(BASE).unwrap();
    assert_eq!(g.time_ms, 1_769_860_800_000);
    let text = |r: Option<Range<usize>>| &BASE[r.unwrap()];
    assert_eq!(text(g.region.clone()), "eu-west-1");
    assert_eq!(
        text(g.arn.clone()),
        "arn:aws:sts::111122223333:assumed-role/r/s"
    );
    assert_eq!(text(g.issuer_arn), "arn:aws:iam::111122223333:role/r");
}

#[test]
fn members_of_the_same_name_elsewhere_are_not_taken() {
    let nested = BASE.replacen(
        "{\"eventTime\"",
        "{\"requestParameters\":{\"userIdentity\":{\"arn\":\"x\"},\"awsRegion\":\"y\"},\"additionalEventData\":{\"eventTime\":\"z\",\"arn\":\"w\"},\"eventTime\"",
        1,
    );
    let g = glance_of(&nested).unwrap();
    assert_eq!(
        &nested[g.arn.unwrap()],
        "arn:aws:sts::111122223333:assumed-role/r/s"
    );
    assert_eq!(&nested[g.region.unwrap()], "eu-west-1");
}

#[test]
fn leaves_to_the_full_reading_what_it_cannot_vouch_for() {
    for (from, to) in [
        // An escaped value or member name that matters.
        ("role/r\"", "r\\u006fle/r\""),
        ("\"awsRegion\"", "\"aws\\u0052egion\""),
        // A member given twice.
        ("\"eventName\"", "\"eventName\":\"X\",\"eventName\""),
        // Types the full reading rejects or reads as absent.
        ("\"2026-01-31T12:00:00Z\"", "20260131"),
        (
            "\"eventSource\":\"s3.amazonaws.com\"",
            "\"eventSource\":null",
        ),
        ("\"sessionContext\":{", "\"sessionContext\":[],\"x\":{"),
        // A number it might not read as any value.
        ("\"awsRegion\":\"eu-west-1\"", "\"awsRegion\":1e999"),
        // No eventName at all, a time that is no time.
        ("\"eventName\":\"GetObject\",", ""),
        ("2026-01-31T12:00:00Z", "yesterday"),
    ] {
        let text = BASE.replacen(from, to, 1);
        assert_ne!(text, BASE, "{from}");
        assert_eq!(glance_of(&text), None, "{text}");
    }
    // Escapes elsewhere are fine.
    let other = BASE.replacen(
        "{\"eventTime\"",
        "{\"userAgent\":\"a\\\"b\\u00e9\",\"eventTime\"",
        1,
    );
    assert!(glance_of(&other).is_some());
}

#[test]
fn bad_json_and_cut_records_are_told_apart() {
    for bad in [
        "{\"a\":tru}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\" 1}",
        "{\"a\":\"\u{1}\"}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\udc00\"}",
        "{\"a\":[1,]}",
        "{\"a\":1,}",
    ] {
        assert_eq!(
            scan(bad.as_bytes(), &mut LastTime::default()),
            Scan::Invalid,
            "{bad}"
        );
    }
    assert_eq!(
        scan(
            &[b'{', b'"', b'a', 0xff, b'"', b':', b'1', b'}'],
            &mut LastTime::default()
        ),
        Scan::Invalid
    );
    for cut in 1..BASE.len() {
        assert_eq!(
            scan(&BASE.as_bytes()[..cut], &mut LastTime::default()),
            Scan::More,
            "{}",
            &BASE[..cut]
        );
    }
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(200), "]".repeat(200));
    assert_eq!(
        scan(deep.as_bytes(), &mut LastTime::default()),
        Scan::Invalid
    );
}

#[test]
fn the_word_scan_finds_the_first_special_byte() {
    for k in 0..8 {
        for b in [b'"', b'\\', 0x1f, 0x00, 0x80, 0xff] {
            let mut w = *b"abcdefgh";
            w[k] = b;
            let flags = special(u64::from_le_bytes(w));
            assert_eq!(flags.trailing_zeros() / 8, k as u32, "{b:#x} at {k}");
        }
    }
    assert_eq!(special(u64::from_le_bytes(*b" ~!#[]{}")), 0);
}

#[test]
fn times_within_a_minute_of_the_last_are_read_as_parse_date_reads_them() {
    // In order, as logs come: same second, same minute, the leap second, a new minute, hour,
    // day and year, and forms the shortcut must leave to parse_date.
    let times = [
        "2026-12-31T23:58:59Z",
        "2026-12-31T23:58:59Z",
        "2026-12-31T23:58:00Z",
        "2026-12-31T23:58:60Z",
        "2026-12-31T23:58:07Z",
        "2026-12-31T23:59:59Z",
        "2027-01-01T00:00:01Z",
        "2027-01-01T00:00:61Z",
        "2027-01-01T00:00:09Z",
        "2027-01-01T00:00:10.5Z",
        "2027-01-01T00:00:11+01:00",
        "2027-01-01T00:00:12Z",
        "2027-01-01t00:00:13Z",
        "2027-01-01T00:00:1xZ",
        "2027-01-01T00:00:14Z",
    ];
    let mut last = LastTime::default();
    for t in times {
        assert_eq!(last.millis(t.as_bytes()), parse_date(t), "{t}");
    }
}
