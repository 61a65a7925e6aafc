use super::*;
use crate::wildcard::action_matches;
use proptest::prelude::*;

#[test]
fn parses_fields_with_spans() {
    let text = "arn:aws:s3:::bucket/key:with:colons";
    let arn = Arn::parse(text).unwrap();
    assert_eq!(arn.partition.value, "aws");
    assert_eq!(arn.service.value, "s3");
    assert_eq!(arn.region.value, "");
    assert_eq!(arn.account.value, "");
    assert_eq!(arn.resource.value, "bucket/key:with:colons");
    assert_eq!(arn.partition.span, Span::new(4, 7));
    assert_eq!(arn.service.span, Span::new(8, 10));
    assert_eq!(arn.region.span, Span::new(11, 11));
    assert_eq!(arn.account.span, Span::new(12, 12));
    assert_eq!(arn.resource.span.slice(text), "bucket/key:with:colons");
}

#[test]
fn parses_regional_arn() {
    let arn = Arn::parse("arn:aws-cn:sqs:cn-north-1:123456789012:queue1").unwrap();
    assert_eq!(arn.partition.value, "aws-cn");
    assert_eq!(arn.region.value, "cn-north-1");
    assert_eq!(arn.account.value, "123456789012");
    assert_eq!(arn.resource.value, "queue1");
}

#[test]
fn colons_inside_variables_do_not_split_fields() {
    let arn = Arn::parse("arn:aws:iam::${aws:PrincipalAccount}:role/x").unwrap();
    assert_eq!(arn.account.value, "${aws:PrincipalAccount}");
    assert_eq!(arn.resource.value, "role/x");
    let arn = Arn::parse("arn:${AWS::Partition}:s3:::${AWS::StackName}-logs/*").unwrap();
    assert_eq!(arn.partition.value, "${AWS::Partition}");
    assert_eq!(arn.service.value, "s3");
    assert_eq!(arn.resource.value, "${AWS::StackName}-logs/*");
    assert!(arn_pattern_matches(
        "arn:aws:iam::${aws:PrincipalAccount}:role/x",
        "arn:aws:iam::111122223333:role/x"
    ));
}

#[test]
fn rejects_non_arns() {
    assert_eq!(Arn::parse("*"), Err(ArnError::InvalidPrefix));
    assert_eq!(Arn::parse("ARN:aws:s3:::b"), Err(ArnError::InvalidPrefix));
    assert_eq!(Arn::parse("s3:::bucket"), Err(ArnError::InvalidPrefix));
    assert_eq!(
        Arn::parse("arn:aws:s3:bucket"),
        Err(ArnError::MissingFields { fields: 4 })
    );
    assert_eq!(
        Arn::parse("arn:aws:s3::"),
        Err(ArnError::MissingFields { fields: 5 })
    );
    // Six fields with an empty resource still parse; rules decide what that means.
    assert_eq!(Arn::parse("arn:aws:s3:::").unwrap().resource.value, "");
}

#[test]
fn truncated_wildcard_arns() {
    assert!(truncated_arn_is_wildcard("arn:aws:ec2:*"));
    assert!(!truncated_arn_is_wildcard("arn:aws:s3:bucket"));
}

#[test]
fn region_partitions() {
    assert_eq!(partition_of_region("us-east-1"), Some("aws"));
    assert_eq!(partition_of_region("ap-southeast-5"), Some("aws"));
    assert_eq!(partition_of_region("il-central-1"), Some("aws"));
    assert_eq!(partition_of_region("cn-northwest-1"), Some("aws-cn"));
    assert_eq!(partition_of_region("us-gov-west-1"), Some("aws-us-gov"));
    assert_eq!(partition_of_region("us-iso-east-1"), Some("aws-iso"));
    assert_eq!(partition_of_region("us-isob-east-1"), Some("aws-iso-b"));
    assert_eq!(partition_of_region("eu-isoe-west-1"), Some("aws-iso-e"));
    assert_eq!(partition_of_region("us-isof-south-1"), Some("aws-iso-f"));
    assert_eq!(partition_of_region("eusc-de-east-1"), Some("aws-eusc"));
    assert_eq!(partition_of_region("us-east"), None);
    assert_eq!(partition_of_region("US-EAST-1"), None);
    assert_eq!(partition_of_region("useast1"), None);
    assert_eq!(partition_of_region("xx-east-1"), None);
    assert_eq!(partition_of_region("us-east-1a"), None);
    assert_eq!(partition_of_region(""), None);
}

#[test]
fn glob_basics() {}

#[test]
fn arn_matching_follows_iam_fields() {
    assert!(arn_pattern_matches("*", "arn:aws:s3:::b"));
    assert!(arn_pattern_matches(
        "arn:aws:s3:::bucket/*",
        "arn:aws:s3:::bucket/a/b:c"
    ));
    assert!(!arn_pattern_matches(
        "arn:aws:s3:::bucket/*",
        "arn:aws:s3:::bucket"
    ));
    // A star at the end of a field may run past colons.
    assert!(arn_pattern_matches(
        "arn:aws:ec2:*",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-1"
    ));
    // A star inside a field stays in it.
    assert!(!arn_pattern_matches(
        "arn:aws:ec2:us-*1:123456789012:instance/i-1",
        "arn:aws:ec2:us-east-1:9:1:123456789012:instance/i-1"
    ));
    assert!(arn_pattern_matches(
        "arn:aws:ec2:us-*-1:*:instance/*",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-1"
    ));
    // Case matters in ARNs.
    assert!(!arn_pattern_matches(
        "arn:aws:iam::*:user/Bob",
        "arn:aws:iam::123456789012:user/bob"
    ));
    // An unresolved variable matches any text.
    assert!(arn_pattern_matches(
        "arn:aws:s3:::home/${aws:username}/*",
        "arn:aws:s3:::home/alice/notes.txt"
    ));
    // Escapes stand for literal characters.
    assert!(arn_pattern_matches(
        "arn:aws:s3:::b/${*}",
        "arn:aws:s3:::b/*"
    ));
    assert!(!arn_pattern_matches(
        "arn:aws:s3:::b/${*}",
        "arn:aws:s3:::b/x"
    ));
}

#[test]
fn covering() {
    assert!(arn_pattern_covers("*", "arn:aws:s3:::b"));
    assert!(!arn_pattern_covers("arn:aws:s3:::b", "*"));
    assert!(arn_pattern_covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*"));
    assert!(arn_pattern_covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/x"));
    assert!(!arn_pattern_covers("arn:aws:s3:::b/*", "arn:aws:s3:::b"));
    assert!(arn_pattern_covers("arn:aws:s3:::*", "arn:aws:s3:::b/*"));
    assert!(arn_pattern_covers(
        "arn:aws:s3:::b/${aws:username}/*",
        "arn:aws:s3:::b/${aws:username}/docs/*"
    ));
    assert!(!arn_pattern_covers(
        "arn:aws:s3:::b/${aws:username}/*",
        "arn:aws:s3:::b/alice/*"
    ));
    assert!(arn_pattern_covers(
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b/${aws:username}"
    ));
    // A region star inside the field cannot absorb the colon an end-of-field star may match.
    assert!(!arn_pattern_covers("arn:aws:ec2:u*s:*", "arn:aws:ec2:u*:*"));
    assert!(action_pattern_covers("s3:*", "s3:Get*"));
    assert!(action_pattern_covers("S3:GET*", "s3:GetObject"));
    assert!(action_pattern_covers("*", "s3:GetObject"));
    assert!(!action_pattern_covers("s3:Get*", "s3:*"));
    assert!(!action_pattern_covers("s3:Get*", "s3:PutObject"));
}

#[test]
fn overlapping() {
    let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    let bucket = "arn:${Partition}:s3:::${BucketName}";
    assert!(arn_patterns_may_overlap("arn:aws:s3:::b/*", object));
    assert!(arn_patterns_may_overlap("arn:aws:s3:::b", bucket));
    assert!(!arn_patterns_may_overlap("arn:aws:s3:::b", object));
    assert!(arn_patterns_may_overlap("arn:aws:s3:::b*", object));
    assert!(!arn_patterns_may_overlap("arn:aws:sqs:*", object));
    assert!(arn_patterns_may_overlap("*", object));
    assert!(arn_patterns_may_overlap("arn:aws:s3:*", object));
    assert!(!arn_patterns_may_overlap("arn:aws:s3:us-*:*", object));
    assert!(arn_patterns_may_overlap(
        "arn:aws:iam::*:role/${aws:username}",
        "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
    ));
    // An end-of-field star may run past colons, so only a concrete account rules this out.
    assert!(arn_patterns_may_overlap(
        "arn:aws:iam::*:user/x",
        "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
    ));
    assert!(!arn_patterns_may_overlap(
        "arn:aws:iam::123456789012:user/x",
        "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
    ));
}

#[test]
fn node_spans_account_for_escapes() {
    let text = r#"["arn:aws:s3:::a\/b"]"#;
    let doc = crate::syntax::parse(text);
    let array = doc.root.unwrap();
    let node = &array.as_array().unwrap()[0];
    let value = node.as_str().unwrap();
    let arn = Arn::parse(value).unwrap();
    let span = span_in_string_node(text, node, arn.resource.span);
    assert_eq!(span.slice(text), r"a\/b");
}

fn pattern_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![Just('a'), Just('b'), Just(':'), Just('*'), Just('?')],
        0..8,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// Patterns with variables, escapes and slashes as well.
fn rich_pattern_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a"),
            Just("b"),
            Just(":"),
            Just("/"),
            Just("*"),
            Just("?"),
            Just("${v}"),
            Just("${w}"),
            Just("${*}"),
            Just("$"),
        ],
        0..10,
    )
    .prop_map(|v| v.concat())
}

fn text_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(prop_oneof![Just('a'), Just('b'), Just(':')], 0..10)
        .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn parse_never_panics_and_spans_slice(s in ".{0,40}") {
        if let Ok(arn) = Arn::parse(&s) {
            for (_, part) in arn.parts() {
                prop_assert_eq!(part.span.slice(&s), part.value);
            }
            let rebuilt = format!(
                "arn:{}:{}:{}:{}:{}",
                arn.partition.value, arn.service.value, arn.region.value,
                arn.account.value, arn.resource.value
            );
            prop_assert_eq!(rebuilt, s);
        }
    }

    #[test]
    fn star_replacement_still_matches(s in "[a-z:/]{0,12}", a in 0usize..12, b in 0usize..12) {
        let (a, b) = (a.min(s.len()), b.min(s.len()));
        let (lo, hi) = (a.min(b), a.max(b));
        let pattern = format!("{}*{}", &s[..lo], &s[hi..]);
        prop_assert!(action_matches(&pattern, &s));
        prop_assert!(action_matches(&pattern.to_uppercase(), &s));
        prop_assert!(action_matches(&s, &s));
    }

    #[test]
    fn arn_cover_is_sound(a in pattern_strategy(), b in pattern_strategy(), t in text_strategy()) {
        let a = format!("arn:{a}");
        let b = format!("arn:{b}");
        let t = format!("arn:{t}");
        if arn_pattern_covers(&a, &b) && arn_pattern_matches(&b, &t) {
            prop_assert!(arn_pattern_matches(&a, &t), "{a} covers {b} but misses {t}");
        }
    }

    #[test]
    fn action_cover_is_sound(a in pattern_strategy(), b in pattern_strategy(), t in text_strategy()) {
        if action_pattern_covers(&a, &b) && action_matches(&b, &t) {
            prop_assert!(action_matches(&a, &t));
        }
    }

    #[test]
    fn cover_is_reflexive(a in pattern_strategy()) {
        prop_assert!(action_pattern_covers(&a, &a));
        let arn = format!("arn:{a}");
        prop_assert!(arn_pattern_covers(&arn, &arn));
    }

    #[test]
    fn overlap_is_complete(a in pattern_strategy(), b in pattern_strategy(), t in text_strategy()) {
        let (a, b, t) = (format!("arn:{a}"), format!("arn:{b}"), format!("arn:{t}"));
        if arn_pattern_matches(&a, &t) && arn_pattern_matches(&b, &t) {
            prop_assert!(arn_patterns_may_overlap(&a, &b), "{a} and {b} both match {t}");
        }
    }

    #[test]
    fn quick_cover_filter_never_changes_the_answer(a in rich_pattern_strategy(), b in rich_pattern_strategy()) {
        // The literal-run filter is only a shortcut: with or without it, the same answers.
        for mode in [Mode::Plain, Mode::Arn] {
            let (ta, tb) = (compile(&a, mode, false), compile(&b, mode, false));
            prop_assert_eq!(covers_tokens(&ta, &tb), covers_tokens_table(&ta, &tb), "{} / {}", a, b);
        }
    }

    #[test]
    fn resource_patterns_overlap_as_whole_arns_do(a in rich_pattern_strategy(), b in rich_pattern_strategy()) {
        let whole = arn_patterns_may_overlap(&format!("arn:p:s:r:a:{a}"), &format!("arn:p:s:r:a:{b}"));
        prop_assert_eq!(ResourcePattern::new(&a).may_overlap(&ResourcePattern::new(&b)), whole);
    }

    #[test]
    fn matching_agrees_with_naive_glob_in_resource_part(p in pattern_strategy(), t in text_strategy()) {
        // In the resource part (after five colons) ARN matching is plain glob matching.
        let prefix = "arn:aws:s3:::";
        prop_assert_eq!(
            arn_pattern_matches(&format!("{prefix}{p}"), &format!("{prefix}{t}")),
            naive_glob(&p.chars().collect::<Vec<_>>(), &t.chars().collect::<Vec<_>>())
        );
    }
}

/// A tiny recursive reference matcher for the property test.
fn naive_glob(p: &[char], t: &[char]) -> bool {
    match p.split_first() {
        None => t.is_empty(),
        Some(('*', rest)) => (0..=t.len()).any(|k| naive_glob(rest, &t[k..])),
        Some(('?', rest)) => !t.is_empty() && naive_glob(rest, &t[1..]),
        Some((c, rest)) => t.first() == Some(c) && naive_glob(rest, &t[1..]),
    }
}

proptest! {
    /// The one-scan answer agrees with the definitions: the text before the first `*`, `?` or
    /// `$`, and "has `*`, `?` or `${`", on strings full of those characters (including long
    /// ones, which the vector search reads in blocks).
    #[test]
    fn literal_prefix_and_pattern_agree_with_their_definitions(
        chars in proptest::collection::vec(
            prop_oneof![
                Just('a'), Just('$'), Just('{'), Just('*'), Just('?'), Just(':'), Just('\u{e9}')
            ],
            0..80,
        ),
        plain in 0usize..40,
    ) {
        // Often a long plain run first, so the first special character is far in.
        let text: String = "x".repeat(plain) + &chars.into_iter().collect::<String>();
        let bytes = text.as_bytes();
        let end = bytes.iter().position(|b| matches!(b, b'*' | b'?' | b'$')).unwrap_or(bytes.len());
        let pattern = bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'*' || b == b'?' || (b == b'$' && bytes.get(i + 1) == Some(&b'{')));
        prop_assert_eq!(literal_prefix_and_pattern(&text), (end, pattern));
        prop_assert_eq!(literal_prefix(&text), &text[..end]);
        prop_assert_eq!(is_pattern(&text), pattern);
    }
}

/// Patterns for the overlap comparison: long enough to cross the 63 tokens of one machine word
/// now and then, with runs of stars, colons, characters beyond ASCII and variables.
fn overlap_pattern_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => Just("a"),
            2 => Just("b"),
            3 => Just(":"),
            3 => Just("*"),
            2 => Just("?"),
            1 => Just("**"),
            1 => Just("\u{e9}"),
            1 => Just("${v}"),
            1 => Just("${Region}"),
            1 => Just("/"),
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The word-at-a-time automaton answers as the state-by-state search, in every mode and with
    /// either pattern as the rows.
    #[test]
    fn overlap_by_masks_agrees_with_the_state_search(
        a in overlap_pattern_strategy(),
        b in overlap_pattern_strategy(),
    ) {
        for mode in [Mode::Plain, Mode::Arn, Mode::Resource] {
            let ta = loosen(compile(&a, mode, false));
            let tb = loosen(compile(&b, mode, false));
            let expected = product_search(&ta, &tb);
            if let Some(columns) = Columns::new(&tb) {
                prop_assert_eq!(columns.overlap(&ta), expected, "{} / {}", a, b);
            }
            if let Some(columns) = Columns::new(&ta) {
                prop_assert_eq!(columns.overlap(&tb), expected, "{} / {}", b, a);
            }
            prop_assert_eq!(tokens_may_overlap(&ta, &tb), expected);
        }
    }
}

/// [`Arn::parse`]'s colon search as it was, a byte at a time: the reference for
/// [`field_colons`].
fn field_colons_byte_by_byte(text: &str) -> ([usize; 5], usize) {
    let mut colons = [0usize; 5];
    let mut found = 0;
    let mut in_variable = false;
    let mut previous = b'\0';
    for (i, &c) in text.as_bytes().iter().enumerate() {
        match c {
            b'{' if previous == b'$' => in_variable = true,
            b'}' => in_variable = false,
            b':' if !in_variable => {
                colons[found] = i;
                found += 1;
                if found == 5 {
                    break;
                }
            }
            _ => {}
        }
        previous = c;
    }
    (colons, found)
}

/// ARN-like patterns: `arn:` and fields of services, placeholders, wildcards that end a field
/// or not, variables holding colons, unclosed `${`.
fn arn_field_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            3 => Just(":"),
            2 => Just("s3"),
            1 => Just("ec2"),
            1 => Just("s"),
            1 => Just("aws"),
            2 => Just("*"),
            1 => Just("?"),
            1 => Just("${Partition}"),
            1 => Just("${aws:x}"),
            1 => Just("${"),
            1 => Just("$"),
            1 => Just("}"),
            1 => Just("{"),
            1 => Just("/"),
            1 => Just("\u{e9}"),
        ],
        0..14,
    )
    .prop_map(|v| format!("arn:{}", v.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// The colon search that jumps over variables finds the colons the byte loop found.
    #[test]
    fn field_colons_agree_with_the_byte_loop(text in arn_field_strategy()) {
        prop_assert_eq!(field_colons(text.as_bytes()), field_colons_byte_by_byte(&text), "{}", text);
    }
}

/// [`variable_start`] (a `$` search, then the byte after it) finds what a search for `${` finds,
/// from every offset of generated texts of `$`, `{`, `}` and letters.
#[test]
fn variable_start_agrees_with_a_substring_search() {
    const BYTES: &[u8] = b"$${}a:";
    let mut next = crate::test_random::below(0x7a11_ab1e_5ea7_c0de);
    for _ in 0..20_000 {
        let text = crate::test_random::text(&mut next, 10, BYTES);
        for from in 0..=text.len() {
            let want = text[from..].find("${").map(|at| from + at);
            assert_eq!(variable_start(&text, from), want, "{text:?} {from}");
        }
        assert_eq!(has_variable(&text), text.contains("${"), "{text:?}");
    }
}
