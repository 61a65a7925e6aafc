use super::*;
use proptest::prelude::*;

/// The policy of the issue's experiment (a condition with a CIDR, an S3 action).
const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-reports/*",
      "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
    }
  ]
}
"#;

fn shared(text: &str, policy_type: &str, format: &str, checked: bool) -> SharedPolicy {
    SharedPolicy {
        text: text.to_string(),
        policy_type: policy_type.to_string(),
        format: format.to_string(),
        checked,
        notices: vec![],
    }
}

#[test]
fn round_trips_text_type_and_format() {
    let text = POLICY.replace("ReadReports", "Ünïcode 😀 sid");
    let link = encode(&text, "resource:AWS::S3::Bucket", "json");
    assert!(
        link.starts_with("v=2&type=resource%3AAWS%3A%3AS3%3A%3ABucket&z="),
        "{link}"
    );
    assert!(
        !link.contains("format="),
        "policy JSON is the default: {link}"
    );
    assert_eq!(
        decode(&format!("#{link}")),
        Ok(Some(shared(
            &text,
            "resource:AWS::S3::Bucket",
            "json",
            true
        )))
    );
    let tf = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({})\n}\n";
    let link = encode(tf, "", "terraform");
    assert!(link.contains("&type=auto&format=terraform&z="), "{link}");
    assert_eq!(
        decode(&link),
        Ok(Some(shared(tf, "auto", "terraform", true)))
    );
    assert_eq!(
        decode(&encode("", "identity", "")),
        Ok(Some(shared("", "identity", "json", true)))
    );
}

#[test]
fn links_written_before_the_check_still_open() {
    // Made by the playground's former TypeScript encoder (CompressionStream deflate-raw and
    // URLSearchParams); they have no check.
    let old = "type=resource%3AAWS%3A%3AS3%3A%3ABucket&z=q1YKLkksSc1NzStRslKIrlZyTUtLTQaxlRxzcvLLlXQUlByTSzLz80BCxcZW7qkl_klZICU6CkpBqcX5pUXJqSA5LaXa2FouAA";
    let text = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n";
    assert_eq!(
        decode(old),
        Ok(Some(shared(
            text,
            "resource:AWS::S3::Bucket",
            "json",
            false
        )))
    );
    let old = "type=auto&z=K0otzi8tSk5VUEosL47PTMyNL8jPyUyuVFJQKlBSqOZSUIDwFWwVsorz81LzkvNTUjWqFYJLEktSc1PzShRsFaJjFWo1uWq5AA&format=terraform";
    let tf = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Statement = [] })\n}\n";
    assert_eq!(
        decode(old),
        Ok(Some(shared(tf, "auto", "terraform", false)))
    );
}

#[test]
fn no_fragment_is_no_link() {
    assert_eq!(decode(""), Ok(None));
    assert_eq!(decode("#"), Ok(None));
}

#[test]
fn damaged_links_are_refused() {
    let link = encode(POLICY, "identity", "json");
    let damaged =
        |r: Result<Option<SharedPolicy>, LinkError>| matches!(r, Err(LinkError::Damaged { .. }));
    // Cut short, as chat tools and length limits do.
    for cut in [link.len() - 1, link.len() - 9, link.len() / 2, 5] {
        assert!(damaged(decode(&link[..cut])), "cut at {cut}");
    }
    assert!(damaged(decode("#top")));
    assert!(damaged(decode(&format!("{link}&z=AAAA"))), "a part twice");
    assert!(
        damaged(decode(&format!("{link}&utm_source=chat"))),
        "an unknown part"
    );
    assert!(damaged(decode(&link.replace("v=2", "v=1"))));
    assert!(damaged(decode(
        &link.replace("&type=identity", "&type=identitY")
    )));
    assert!(
        damaged(decode(&link.replace("v=2&", ""))),
        "a check without a version"
    );
    // The message says what happened and that nothing was loaded.
    let message = decode(&link[..link.len() - 1]).unwrap_err().to_string();
    assert!(
        message.contains("damaged") && message.contains("Nothing was loaded"),
        "{message}"
    );
}

#[test]
fn a_newer_link_says_so() {
    let link = encode(POLICY, "identity", "json").replace("v=2", "v=3");
    let error = decode(&link).unwrap_err();
    assert_eq!(error, LinkError::NewerVersion { version: 3 });
    assert_eq!(error.kind(), "newerVersion");
    assert!(
        error.to_string().contains("newer version of iamlint"),
        "{error}"
    );
}

#[test]
fn an_unknown_type_or_format_falls_back_with_a_notice() {
    let link = encode(POLICY, "bucket-policy", "json");
    let got = decode(&link).unwrap().unwrap();
    assert_eq!(got.text, POLICY);
    assert_eq!(got.policy_type, "auto");
    assert_eq!(got.notices.len(), 1);
    assert!(
        got.notices[0].contains("'bucket-policy'"),
        "{:?}",
        got.notices
    );
    // Aliases are spelled the canonical way (what the faces' selectors offer).
    assert_eq!(
        decode(&encode(POLICY, "vpce", "json"))
            .unwrap()
            .unwrap()
            .policy_type,
        "vpc-endpoint"
    );
    let tf = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({})\n}\n";
    let got = decode(&encode(tf, "auto", "hcl2")).unwrap().unwrap();
    assert_eq!(got.format, "terraform", "detected from the text");
    assert!(got.notices[0].contains("'hcl2'"), "{:?}", got.notices);
}

#[test]
fn a_deflate_bomb_is_refused() {
    let bomb = deflate(&vec![b' '; MAX_TEXT_BYTES + 1]);
    let link = format!("type=auto&z={}", encoding::base64url_encode(&bomb));
    assert_eq!(decode(&link), Err(LinkError::TooLarge));
}

/// Every change of one character of `link` (each position replaced by each character a URL
/// fragment may hold, and each position deleted): how many decode to the original content, to
/// altered content, or are refused.
#[derive(Debug, Default)]
struct Experiment {
    changes: usize,
    same: usize,
    altered: usize,
    refused: usize,
}

fn experiment(link: &str, original: &SharedPolicy) -> Experiment {
    const CHARS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=&%.~+:";
    let mut e = Experiment::default();
    let mut outcome = |changed: &str| {
        e.changes += 1;
        match decode(changed) {
            Ok(Some(got))
                if got.text == original.text
                    && got.policy_type == original.policy_type
                    && got.format == original.format =>
            {
                e.same += 1
            }
            Ok(Some(_)) => e.altered += 1,
            Ok(None) | Err(_) => e.refused += 1,
        }
    };
    for (i, old) in link.char_indices() {
        for c in CHARS.chars().filter(|&c| c != old) {
            outcome(&format!("{}{c}{}", &link[..i], &link[i + 1..]));
        }
        outcome(&format!("{}{}", &link[..i], &link[i + 1..]));
    }
    e
}

/// The issue's experiment: with the check, no single-character change opens altered content.
/// Run with `--nocapture` for the figures.
#[test]
fn no_single_character_change_opens_altered_content() {
    let link = encode(POLICY, "identity", "json");
    let original = decode(&link).unwrap().unwrap();
    let e = experiment(&link, &original);
    println!("version 2 link of {} chars: {e:?}", link.len());
    assert_eq!(e.altered, 0, "{e:?}");
    assert!(e.refused > e.changes * 9 / 10, "{e:?}");

    // Without the check (a version 1 link of the same policy) the same experiment does open
    // altered policies: the check is what prevents it.
    let z = encoding::base64url_encode(&deflate(POLICY.as_bytes()));
    let old = format!("type=identity&z={z}");
    let e = experiment(&old, &decode(&old).unwrap().unwrap());
    println!("version 1 link of {} chars: {e:?}", old.len());
    assert!(e.altered > 0, "{e:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// For any text and any one changed character of its link: the original or nothing.
    #[test]
    fn any_changed_character_gives_the_original_or_nothing(
        text in "[ -~\n\u{e9}\u{1F600}]{0,200}",
        at in any::<prop::sample::Index>(),
        c in prop::sample::select("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=&%".chars().collect::<Vec<_>>()),
    ) {
        let link = encode(&text, "trust", "json");
        prop_assert_eq!(decode(&link), Ok(Some(shared(&text, "trust", "json", true))));
        let i = at.index(link.len());
        let changed = format!("{}{c}{}", &link[..i], &link[i + 1..]);
        if let Ok(Some(got)) = decode(&changed) {
            prop_assert_eq!(got.text, text);
            prop_assert_eq!(got.policy_type, "trust");
            prop_assert_eq!(got.format, "json");
        }
    }
}
