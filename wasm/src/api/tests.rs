use super::*;

fn utf16_index(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).expect("needle in text");
    text[..byte].encode_utf16().count()
}

#[test]
fn findings_are_placed_in_utf16_units() {
    // The emoji is 4 bytes but 2 UTF-16 units: a byte offset would land 2 units too far right.
    let text = "{\"Sid\": \"😀 é\" \"Statement\": []}";
    let result = check(text, &Options::default()).expect("valid options");
    let syntax: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| f.code == "JSON_SYNTAX_ERROR")
        .collect();
    assert_eq!(syntax.len(), 1, "{:?}", result.findings);
    assert_eq!(syntax[0].start, utf16_index(text, "\"Statement\""));
    assert_eq!(syntax[0].category, Category::Error);
}

#[test]
fn well_formed_json_has_no_syntax_finding() {
    let text = "{\"Sid\": \"😀 é\", \"Statement\": []}";
    let result = check(text, &Options::default()).expect("valid options");
    assert!(result
        .findings
        .iter()
        .all(|f| f.code != "JSON_SYNTAX_ERROR"));
}

#[test]
fn unknown_policy_type_is_an_error_value() {
    let options = Options {
        policy_type: Some("bucket".into()),
        ..Options::default()
    };
    let err = check("{}", &options).unwrap_err();
    assert!(err.contains("unknown policy type 'bucket'"), "{err}");
    assert!(err.contains("identity"), "{err}");
}

#[test]
fn asked_policy_type_is_reported_back() {
    let options = Options {
        policy_type: Some("scp".into()),
        ..Options::default()
    };
    assert_eq!(check("{}", &options).unwrap().policy_type, "scp");
    let options = Options {
        policy_type: Some("resource:AWS::S3::Bucket".into()),
        ..Options::default()
    };
    assert_eq!(
        check("{}", &options).unwrap().policy_type,
        "resource:AWS::S3::Bucket"
    );
}

#[test]
fn disabled_rules_are_not_reported() {
    let text = "{\"Statement\": [ }";
    let options = Options {
        disabled_rules: vec!["json_syntax_error".into()],
        ..Options::default()
    };
    let result = check(text, &options).unwrap();
    assert!(result
        .findings
        .iter()
        .all(|f| f.code != "JSON_SYNTAX_ERROR"));
    let result = check(text, &Options::default()).unwrap();
    assert!(result
        .findings
        .iter()
        .any(|f| f.code == "JSON_SYNTAX_ERROR"));
}

#[test]
fn fix_edits_are_converted_like_findings() {
    let text = "{\"Sid\": \"😀\"}";
    let positions = Positions::new(text);
    let edit = iamlint_core::TextEdit {
        span: Span::new(text.len() - 1, text.len() - 1),
        text: ", \"Version\": \"2012-10-17\"".into(),
    };
    let out = positions.edit(&edit);
    let js_end = text.encode_utf16().count() - 1;
    assert_eq!((out.start, out.end), (js_end, js_end));
    assert_eq!(positions.to_byte(js_end), text.len() - 1);
}

#[test]
fn share_links_round_trip_and_damage_is_an_error_value() {
    let link = encode_share_link("{\"Sid\": \"😀\"}", "scp", "json");
    assert_eq!(link.long_link_chars, 8_000);
    match decode_share_link(&format!("#{}", link.fragment)) {
        LinkOutcome::Ok { value } => {
            assert_eq!(value.text, "{\"Sid\": \"😀\"}");
            assert_eq!(
                (value.policy_type.as_str(), value.format.as_str()),
                ("scp", "json")
            );
            assert!(value.checked && value.notices.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(decode_share_link(""), LinkOutcome::None));
    let cut = &link.fragment[..link.fragment.len() - 3];
    assert!(matches!(
        decode_share_link(cut),
        LinkOutcome::Error { ref kind, ref message } if kind == "damaged" && message.contains("Nothing was loaded")
    ));
}

#[test]
fn outcome_is_tagged_with_type() {
    let ok: Outcome<u8> = Ok(1).into();
    let err: Outcome<u8> = Err("no".to_string()).into();
    assert!(matches!(ok, Outcome::Ok { value: 1 }));
    assert!(matches!(err, Outcome::Error { ref message } if message == "no"));
}

#[test]
fn rule_docs_cover_the_registry() {
    let docs = rule_docs();
    assert_eq!(docs.len(), rules::all().count());
    let syntax = docs.iter().find(|d| d.code == "JSON_SYNTAX_ERROR").unwrap();
    assert!(!syntax.summary.is_empty());
}

// ---- editor features: positions in and out are UTF-16 ----

#[test]
fn hover_takes_and_returns_utf16_offsets() {
    // The Sid before Effect holds an astral character: 4 bytes, 2 UTF-16 units.
    let text =
        r#"{"Statement":[{"Sid":"😀","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let at = utf16_index(text, "\"Effect\"");
    let h = hover(text, at + 3, &Options::default()).expect("hover on Effect");
    assert_eq!((h.start, h.end), (at, at + "\"Effect\"".len()));
    assert!(h.markdown.contains("Effect"), "{}", h.markdown);
    // Between two statements' members there is nothing to explain.
    assert_eq!(
        hover(text, utf16_index(text, ",\"Effect\""), &Options::default()),
        None
    );
}

#[test]
fn completions_replace_a_utf16_range() {
    let text = r#"{"Statement":[{"Sid":"é😀","Eff"}]}"#;
    let at = utf16_index(text, "Eff\"") + "Eff".len();
    let items = completions(text, at, &Options::default()).unwrap();
    let effect = items
        .iter()
        .find(|c| c.label == "Effect")
        .expect("Effect is offered");
    // Applying it the JavaScript way gives a well-formed key.
    let units: Vec<u16> = text.encode_utf16().collect();
    let applied = format!(
        "{}{}{}",
        String::from_utf16(&units[..effect.start]).unwrap(),
        effect.insert_text,
        String::from_utf16(&units[effect.end..]).unwrap()
    );
    assert!(applied.contains(r#""Sid":"é😀","Effect""#), "{applied}");
}

#[test]
fn code_actions_at_a_finding_fix_it() {
    let text =
        r#"{"Sid":"😀","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let at = utf16_index(text, "\"allow\"") + 2;
    let actions = code_actions(text, at, at, &Options::default()).unwrap();
    let quick = actions
        .iter()
        .find(|a| a.kind == CodeActionKind::QuickFix)
        .expect("a quick-fix for the lower-case Effect");
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut fixed = units.clone();
    for e in quick.edits.iter().rev() {
        fixed.splice(e.start..e.end, e.text.encode_utf16());
    }
    let fixed = String::from_utf16(&fixed).unwrap();
    assert!(fixed.contains(r#""Effect":"Allow""#), "{fixed}");
    assert!(quick.diagnostic_index.is_some());
    // Far from any finding (inside the Sid value) there is no quick-fix.
    let sid = utf16_index(text, "😀");
    assert!(code_actions(text, sid, sid, &Options::default())
        .unwrap()
        .iter()
        .all(|a| a.kind != CodeActionKind::QuickFix));
}

#[test]
fn editor_features_report_bad_options_as_errors() {
    let bad = Options {
        policy_type: Some("nonsense".into()),
        ..Options::default()
    };
    assert!(completions("{}", 1, &bad).is_err());
    assert!(code_actions("{}", 0, 1, &bad).is_err());
    assert!(fix_all("{}", &bad).is_err());
}

mod simulator {
    use super::super::simulate::*;
    use super::utf16_index;
    use iamlint_core::eval::Decision;

    const ALLOW_READ: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "😀Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
]}"#;

    fn input(policy: &str) -> SimulateInput {
        SimulateInput {
            policy: policy.into(),
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::reports/q1.csv".into(),
            ..SimulateInput::default()
        }
    }

    fn ok(outcome: SimulateOutcome) -> SimulationOut {
        match outcome {
            SimulateOutcome::Ok { value } => value,
            SimulateOutcome::Error { message, .. } => panic!("error: {message}"),
        }
    }

    #[test]
    fn allowed_with_the_granting_statement_in_utf16() {
        let out = ok(simulate(&input(ALLOW_READ)));
        assert_eq!(out.decision, Decision::Allowed);
        assert_eq!(out.decisive_statements.len(), 1);
        let d = &out.decisive_statements[0];
        assert_eq!(d.source, "editor");
        assert_eq!(d.sid.as_deref(), Some("😀Read"));
        // The statement object starts at its `{`; the emoji after it must not shift the end.
        assert_eq!(d.start, utf16_index(ALLOW_READ, "{\"Sid\""));
        assert_eq!(d.end, utf16_index(ALLOW_READ, "\n]}"));
        assert!(out.policies[0].statements[0].applies);
    }

    #[test]
    fn a_deny_statement_wins_and_is_named() {
        let policy = ALLOW_READ.replace(
            "\n]}",
            ",\n  {\"Sid\": \"NoQ1\", \"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::reports/q1.csv\"}\n]}",
        );
        let out = ok(simulate(&input(&policy)));
        assert_eq!(out.decision, Decision::ExplicitDeny);
        assert_eq!(out.decisive_statements.len(), 1);
        assert_eq!(out.decisive_statements[0].sid.as_deref(), Some("NoQ1"));
        assert!(out.reason.contains("NoQ1"), "{}", out.reason);
    }

    #[test]
    fn another_resource_is_an_implicit_deny() {
        let mut i = input(ALLOW_READ);
        i.resource = "arn:aws:s3:::payroll/q1.csv".into();
        let out = ok(simulate(&i));
        assert_eq!(out.decision, Decision::ImplicitDeny);
        assert!(out.decisive_statements.is_empty());
        assert_eq!(
            out.policies[0].statements[0].resource,
            iamlint_core::eval::ElementMatch::NotMatched
        );
    }

    #[test]
    fn a_context_condition_decides() {
        let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
  "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}"#;
        let mut i = input(policy);
        i.context = vec!["aws:SourceIp = 203.0.113.7".into(), "".into()];
        assert_eq!(ok(simulate(&i)).decision, Decision::Allowed);
        i.context = vec!["aws:SourceIp=198.51.100.1".into()];
        let out = ok(simulate(&i));
        assert_eq!(out.decision, Decision::ImplicitDeny);
        let c = &out.policies[0].statements[0].conditions[0];
        assert!(!c.matched && !c.key_missing);
        assert_eq!(c.key, "aws:SourceIp");
    }

    #[test]
    fn the_editor_policy_as_a_resource_policy_with_a_boundary() {
        let bucket = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}"#;
        let mut i = input(bucket);
        i.policy_role = Some("resource".into());
        let out = ok(simulate(&i));
        assert_eq!(out.decision, Decision::Allowed);
        assert_eq!(
            out.policies[0].kind,
            iamlint_core::eval::PolicyKind::Resource
        );
        // A boundary that denies the action wins over the bucket policy.
        i.boundary = Some(ALLOW_READ.replace("\"Allow\"", "\"Deny\""));
        let out = ok(simulate(&i));
        assert_eq!(out.decision, Decision::ExplicitDeny);
        assert_eq!(out.decisive_statements[0].source, "boundary");
    }

    #[test]
    fn bad_input_is_a_list_of_problems_with_positions() {
        let mut i = input("{\"Statement\": [{\"Effect\": \"Maybe\"}]}");
        i.principal = "alice".into();
        i.action = "s3:*".into();
        // A blank line between: problems name the line they are on, not the entry's position.
        i.context = vec![
            "aws:SourceIp".into(),
            "".into(),
            "aws:SecureTransport=perhaps".into(),
        ];
        i.resource_account = Some("12".into());
        let SimulateOutcome::Error { problems, message } = simulate(&i) else {
            panic!("expected an error");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        for f in [
            "policy",
            "principal",
            "action",
            "resourceAccount",
            "context",
        ] {
            assert!(fields.contains(&f), "{f} missing from {problems:?}");
        }
        let policy = problems.iter().find(|p| p.field == "policy").unwrap();
        assert!(policy.start.is_some() && policy.end <= Some(i.policy.len()));
        let lines: Vec<Option<usize>> = problems
            .iter()
            .filter(|p| p.field == "context")
            .map(|p| p.index)
            .collect();
        assert_eq!(lines, [Some(0), Some(2)]);
        let typed = problems
            .iter()
            .find(|p| p.index == Some(2))
            .map(|p| p.message.as_str());
        assert_eq!(
            typed,
            Some("context line 3: aws:SecureTransport: 'perhaps' is not a valid Bool value for this key")
        );
        assert!(message.contains("s3:*"), "{message}");
    }

    #[test]
    fn odd_input_never_panics() {
        for policy in [
            "",
            "{",
            "[]",
            "😀",
            "{\"Statement\": {}}",
            "{\"Statement\": [null]}",
        ] {
            for action in ["", ":", "s3:GetObject", "😀:x"] {
                let mut i = input(policy);
                i.action = action.into();
                i.resource = "".into();
                i.policy_role = Some("resource".into());
                i.scps = vec!["".into(), "{".into()];
                let _ = simulate(&i);
            }
        }
    }
}

/// The playground's Terraform example: the textbook EC2 role, one action misspelt.
const TERRAFORM: &str = include_str!("../../../tests/iac/ec2-s3-typo.tf");

#[test]
fn terraform_is_checked_policy_by_policy_with_utf16_positions() {
    let options = Options {
        format: Some("terraform".into()),
        ..Options::default()
    };
    let result = check(TERRAFORM, &options).unwrap();
    assert_eq!(result.format, "terraform");
    let names: Vec<(&str, &str)> = result
        .policies
        .iter()
        .map(|p| (p.name.as_str(), p.policy_type.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (
                "aws_iam_role.ec2_s3_access_role.assume_role_policy",
                "trust"
            ),
            ("aws_iam_role_policy.s3_read", "identity")
        ]
    );
    let action = result
        .findings
        .iter()
        .find(|f| f.code == "INVALID_ACTION")
        .expect("INVALID_ACTION");
    assert_eq!(action.start, utf16_index(TERRAFORM, "GetObjekt"));
    // Each finding names the policy it is in: the misspelt action is in the role's S3 policy.
    let policy = &result.policies[action.policy.expect("a policy")];
    assert_eq!(policy.name, "aws_iam_role_policy.s3_read");
    assert!(policy.start <= action.start && action.end <= policy.end);
    // Recognised without being told, too.
    let auto = check(TERRAFORM, &Options::default()).unwrap();
    assert_eq!(auto.format, "terraform");
    assert_eq!(auto.findings.len(), result.findings.len());
    // Hover inside the policy, none outside.
    let at = utf16_index(TERRAFORM, "ListBucket");
    let h = hover(TERRAFORM, at, &options).expect("hover on s3:ListBucket");
    assert!(h.markdown.contains("s3:ListBucket"), "{}", h.markdown);
    assert_eq!(hover(TERRAFORM, 2, &options), None);
    // An unknown format is an error, not a guess.
    let bad = Options {
        format: Some("toml".into()),
        ..Options::default()
    };
    assert!(check(TERRAFORM, &bad).is_err());
}

/// "auto" passes over JSON that is neither a policy nor a template (as the CLI and the language
/// server do); choosing "json" checks it as a policy.
#[test]
fn auto_format_leaves_other_json_alone_and_json_forces_a_policy() {
    let package = r#"{"name": "web", "version": "1.0.0", "private": true}"#;
    let auto = check(package, &Options::default()).unwrap();
    assert_eq!(auto.format, "other");
    assert!(auto.findings.is_empty() && auto.policies.is_empty());
    let forced = Options {
        format: Some("json".into()),
        ..Options::default()
    };
    let checked = check(package, &forced).unwrap();
    assert!(checked
        .findings
        .iter()
        .any(|f| f.code == "MISSING_STATEMENT"));
    // A policy is one with or without being told.
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    let a = check(policy, &Options::default()).unwrap();
    let b = check(policy, &forced).unwrap();
    assert_eq!(a.findings.len(), b.findings.len());
    assert!(a.findings.iter().any(|f| f.code == "INVALID_EFFECT"));
}

const WILDCARD: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*"}
]}"#;

#[test]
fn without_fix_edits_check_keeps_titles_and_fix_gives_the_edits() {
    let full = check(WILDCARD, &Options::default()).unwrap();
    let light = check(
        WILDCARD,
        &Options {
            fix_edits: Some(false),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(full.findings.len(), light.findings.len());
    let mut compared = 0;
    for (i, (f, l)) in full.findings.iter().zip(&light.findings).enumerate() {
        assert_eq!((&f.code, f.start, f.end), (&l.code, l.start, l.end));
        assert_eq!(f.fixes.len(), l.fixes.len());
        assert_eq!(f.policy, None, "a policy file has no host policies");
        for (j, (ff, lf)) in f.fixes.iter().zip(&l.fixes).enumerate() {
            assert_eq!((&ff.title, ff.safety), (&lf.title, lf.safety));
            assert!(lf.edits.is_empty(), "{lf:?}");
            assert!(!ff.edits.is_empty(), "{ff:?}");
            // The lazy fix is exactly the one check would have carried.
            let fetched = fix(WILDCARD, &Options::default(), &named(l), j).unwrap();
            assert_eq!(fetched.as_ref(), Some(ff));
            compared += 1;
        }
        assert_eq!(l.nth, 0, "finding {i}");
    }
    assert!(compared >= 2, "s3:* has narrowing fixes: {full:?}");
    // A finding that is not there, or past the last fix: nothing, not a panic.
    let first = named(&full.findings[0]);
    let moved = FindingRef {
        start: first.start + 1,
        ..first.clone()
    };
    assert_eq!(fix(WILDCARD, &Options::default(), &moved, 0), Ok(None));
    assert_eq!(fix(WILDCARD, &Options::default(), &first, 99), Ok(None));
    assert!(fix(
        WILDCARD,
        &Options {
            policy_type: Some("bucket".into()),
            ..Options::default()
        },
        &first,
        0
    )
    .is_err());
}

fn named(f: &Finding) -> FindingRef {
    FindingRef {
        code: f.code.clone(),
        start: f.start,
        end: f.end,
        nth: f.nth,
    }
}

#[test]
fn past_the_fix_limit_findings_come_without_fixes_and_fixes_gives_them() {
    let full = check(WILDCARD, &Options::default()).unwrap();
    let limited = |limit| {
        check(
            WILDCARD,
            &Options {
                fix_limit: Some(limit),
                ..Options::default()
            },
        )
        .unwrap()
    };
    // Within the limit: exactly the full answer.
    assert_eq!(limited(full.findings.len()).findings, full.findings);
    let bare = limited(full.findings.len() - 1);
    assert_eq!(bare.findings.len(), full.findings.len());
    assert!(bare.findings.iter().all(|f| f.fixes.is_empty()));
    let names: Vec<FindingRef> = bare.findings.iter().map(named).collect();
    let fetched = fixes(WILDCARD, &Options::default(), &names).unwrap();
    let want: Vec<Option<Vec<FixOut>>> = full
        .findings
        .iter()
        .map(|f| Some(f.fixes.clone()))
        .collect();
    assert_eq!(fetched, want);
    assert!(want.iter().flatten().any(|f| !f.is_empty()));
    // One name, without edits, in a changed text: titles only, and None for what moved.
    let light = Options {
        fix_edits: Some(false),
        ..Options::default()
    };
    let edited = format!(" {WILDCARD}");
    let moved = fixes(&edited, &light, &names[..1]).unwrap();
    assert_eq!(moved, vec![None]);
}

/// Versions of one document as an editor might send them, each with its options: a few
/// findings (fixes built), many (none), typing (with a character outside the BMP), a Deny, the
/// type changed, a host file, no limit.
fn versions() -> Vec<(String, Options)> {
    let statement = |i: usize| {
        format!(
            r#"{{"Sid": "Read{i}", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports-{i}/*"}}"#
        )
    };
    let many: Vec<String> = (0..120).map(statement).collect();
    let big = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [\n{}\n]}}",
        many.join(",\n")
    );
    let typed = big.replace("Read60\"", "Read60x\"");
    let emoji = typed.replace("Read6\"", "Read6\u{1F600}\"");
    let deny = big.replace(
        "\"Sid\": \"Read7\", \"Effect\": \"Allow\"",
        "\"Sid\": \"Read7\", \"Effect\": \"Deny\"",
    );
    let terraform = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"s3:*\", Resource = \"*\" }]\n  })\n}\n";
    let limited = |limit: usize| Options {
        fix_limit: Some(limit),
        fix_edits: Some(false),
        ..Options::default()
    };
    let resource = Options {
        policy_type: Some("resource".into()),
        ..limited(100)
    };
    vec![
        (WILDCARD.to_string(), limited(100)),
        (big.clone(), limited(100)),
        (typed.clone(), limited(100)),
        (emoji.clone(), limited(100)),
        (typed.clone(), limited(100)),
        (deny, limited(100)),
        (big.clone(), resource.clone()),
        (typed.clone(), resource),
        (WILDCARD.to_string(), limited(1)),
        (terraform.to_string(), limited(100)),
        (typed, Options::default()),
        (big.clone(), limited(100)),
        (emoji, limited(100)),
        (big, limited(100)),
    ]
}

#[test]
fn a_checker_answers_each_version_as_check_does() {
    let mut checker = Checker::default();
    for (text, options) in versions() {
        let want = format!("{:?}", check(&text, &options).unwrap());
        let got = format!("{:?}", checker.check(&text, &options).unwrap());
        assert_eq!(got, want, "{options:?}");
    }
}

/// What the page does with a delta (`web-demo/src/delta.ts`), to test the answers here.
fn apply_answer(held: Option<&CheckResult>, answer: CheckAnswer) -> CheckResult {
    let CheckAnswer::Delta {
        policy_type,
        format,
        change,
        removed,
        added,
        count,
        ..
    } = answer
    else {
        let CheckAnswer::Full { result, .. } = answer else {
            unreachable!()
        };
        return result;
    };
    let held = held.expect("a delta against an answer held");
    let map = |at: usize| {
        if at <= change.start {
            at
        } else {
            assert!(at >= change.old_end, "a kept position inside the change");
            at - change.old_end + change.new_end
        }
    };
    let mut kept = held
        .findings
        .iter()
        .enumerate()
        .filter(|(i, _)| !removed.contains(i))
        .map(|(_, f)| {
            let mut f = f.clone();
            (f.start, f.end) = (map(f.start), map(f.end));
            for r in &mut f.related {
                (r.start, r.end) = (map(r.start), map(r.end));
            }
            for fix in &mut f.fixes {
                for e in &mut fix.edits {
                    (e.start, e.end) = (map(e.start), map(e.end));
                }
            }
            f
        });
    let mut added = added.into_iter().peekable();
    let findings = (0..count)
        .map(|k| match added.next_if(|a| a.index == k) {
            Some(a) => a.finding,
            None => kept.next().expect("enough kept findings"),
        })
        .collect();
    assert!(kept.next().is_none(), "every kept finding placed");
    CheckResult {
        policy_type,
        format,
        policies: Vec::new(),
        findings,
    }
}

#[test]
fn a_checkers_deltas_applied_give_what_check_gives() {
    let mut checker = Checker::default();
    let mut held: Option<(u32, CheckResult)> = None;
    let mut deltas = 0;
    for (step, (text, options)) in versions().into_iter().enumerate() {
        // Once in a while the page has lost its findings (a failed call) and asks afresh.
        let base = held.as_ref().map(|(id, _)| *id).filter(|_| step != 4);
        let answer = checker.check_since(&text, &options, base).unwrap();
        let id = match &answer {
            CheckAnswer::Full { id, .. } => *id,
            CheckAnswer::Delta { id, base: b, .. } => {
                assert_eq!(Some(*b), base);
                deltas += 1;
                *id
            }
        };
        let result = apply_answer(held.as_ref().map(|(_, r)| r), answer);
        let want = format!("{:?}", check(&text, &options).unwrap());
        assert_eq!(format!("{result:?}"), want, "step {step}, {options:?}");
        held = Some((id, result));
    }
    // Typing, the emoji, the Deny, the return to the big policy.
    assert!(deltas >= 5, "{deltas} deltas");
}

/// The changes an editor sends from `old` to `new`: the one replaced range between them in
/// UTF-16 offsets of `old`, in two changes when `split` and the range allows it (CodeMirror
/// lists several when edits are composed).
fn utf16_changes(old: &str, new: &str, split: bool) -> Vec<TextEdit> {
    let (a, b): (Vec<u16>, Vec<u16>) = (old.encode_utf16().collect(), new.encode_utf16().collect());
    let low = |u: u16| (0xDC00..0xE000).contains(&u);
    let mut p = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    while p > 0 && (a.get(p).is_some_and(|&u| low(u)) || b.get(p).is_some_and(|&u| low(u))) {
        p -= 1;
    }
    let room = a.len().min(b.len()) - p;
    let mut s = (1..=room)
        .take_while(|&k| a[a.len() - k] == b[b.len() - k])
        .count();
    while s > 0 && low(a[a.len() - s]) {
        s -= 1;
    }
    let (end, inserted) = (a.len() - s, String::from_utf16(&b[p..b.len() - s]).unwrap());
    let mid = (p + end) / 2;
    if split && mid > p && !low(a[mid]) {
        vec![(p, mid, String::new()), (mid, end, inserted)]
    } else {
        vec![(p, end, inserted)]
    }
}

#[test]
fn a_checker_holding_the_text_answers_as_when_given_it() {
    let mut checker = Checker::default();
    let mut held: Option<(u32, CheckResult)> = None;
    let mut last_text: Option<String> = None;
    let mut sent_as_changes = 0;
    let mut completed_on_the_parse = 0;
    for (step, (text, options)) in versions().into_iter().enumerate() {
        let version = step as u32 + 1;
        let length = text.encode_utf16().count();
        // Now and then the page sends the whole text (at first, after a resync).
        let edited = match &last_text {
            // Two edits before the check (a completion request between keys): the checker
            // joins their changes.
            Some(old) if step % 5 == 1 => {
                let mut at = old.len() / 2;
                while !old.is_char_boundary(at) {
                    at -= 1;
                }
                let middle = format!("{}Z{}", &old[..at], &old[at..]);
                let middle_length = middle.encode_utf16().count();
                checker.edit(
                    version - 1,
                    version + 1000,
                    &utf16_changes(old, &middle, false),
                    middle_length,
                ) && checker.edit(
                    version + 1000,
                    version,
                    &utf16_changes(&middle, &text, step % 2 == 0),
                    length,
                )
            }
            Some(old) if step % 5 != 3 => checker.edit(
                version - 1,
                version,
                &utf16_changes(old, &text, step % 2 == 0),
                length,
            ),
            _ => false,
        };
        if edited {
            sent_as_changes += 1;
        } else {
            checker.set_text(version, text.clone());
        }
        assert_eq!(
            checker.held.as_ref().map(|h| h.text.as_str()),
            Some(text.as_str())
        );
        assert_eq!(
            checker.held.as_ref().map(|h| h.ascii),
            Some(text.is_ascii())
        );
        let base = held.as_ref().map(|(id, _)| *id);
        let answer = checker.check_held(&options, base).unwrap();
        let id = match &answer {
            CheckAnswer::Full { id, .. } | CheckAnswer::Delta { id, .. } => *id,
        };
        let result = apply_answer(held.as_ref().map(|(_, r)| r), answer);
        let want = format!("{:?}", check(&text, &options).unwrap());
        assert_eq!(format!("{result:?}"), want, "step {step}, {options:?}");
        held = Some((id, result));
        // Completion at a few places of the held text (sent as no changes, as the page does
        // right after a check), on the check's parse when it kept one: as on the text given.
        if checker
            .session
            .as_ref()
            .and_then(|s| s.document_of(&text))
            .is_some()
        {
            completed_on_the_parse += 1;
        }
        for at in [0, length / 3, length / 2, length.saturating_sub(3)] {
            assert!(checker.edit(version, version, &[], length));
            assert_eq!(
                format!("{:?}", checker.complete_held(at, &options)),
                format!("{:?}", completions(&text, at, &options)),
                "step {step}, offset {at}, {options:?}"
            );
        }
        last_text = Some(text);
    }
    assert!(
        sent_as_changes >= 8,
        "{sent_as_changes} versions sent as changes"
    );
    assert!(
        completed_on_the_parse >= 8,
        "{completed_on_the_parse} completions on the check's parse"
    );
}

#[test]
fn edits_that_do_not_fit_the_held_text_are_refused() {
    let mut checker = Checker::default();
    let edit = |c: &mut Checker, from, changes: &[(usize, usize, &str)], length| {
        let changes: Vec<TextEdit> = changes
            .iter()
            .map(|(a, b, t)| (*a, *b, t.to_string()))
            .collect();
        c.edit(from, from + 1, &changes, length)
    };
    // Nothing held, another version, past the end, out of order, the wrong length: refused,
    // and nothing is held afterwards (the page sends the whole text).
    assert!(!edit(&mut checker, 0, &[], 0));
    for (from, changes, length) in [
        (2, vec![(0, 0, "x")], 4),
        (1, vec![(2, 9, "x")], 3),
        (1, vec![(2, 3, "x"), (0, 1, "y")], 3),
        (1, vec![(1, 2, "x")], 4),
    ] {
        checker.set_text(1, "abc".to_string());
        assert!(!edit(&mut checker, from, &changes, length));
        assert!(checker.held.is_none());
        assert!(checker.check_held(&Options::default(), None).is_err());
    }
    // No changes: the text held stays (no copy), as the next version, if the length fits.
    checker.set_text(1, "abc".to_string());
    assert!(edit(&mut checker, 1, &[], 3));
    assert_eq!(
        checker.held.as_ref().map(|h| (h.version, h.text.as_str())),
        Some((2, "abc"))
    );
    assert!(!edit(&mut checker, 2, &[], 4));
    assert!(checker.held.is_none());
    // UTF-16 offsets: the emoji is two units; taking it out makes the text ASCII again.
    checker.set_text(1, "a\u{1F600}b".to_string());
    assert!(edit(&mut checker, 1, &[(1, 3, "é"), (4, 4, "!")], 4));
    assert_eq!(
        checker.held.as_ref().map(|h| (h.text.as_str(), h.ascii)),
        Some(("aéb!", false))
    );
    assert!(edit(&mut checker, 2, &[(1, 2, "e")], 4));
    assert_eq!(
        checker.held.as_ref().map(|h| (h.text.as_str(), h.ascii)),
        Some(("aeb!", true))
    );
}
