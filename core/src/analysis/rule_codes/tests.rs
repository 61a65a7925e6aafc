//! The resolved codes against the plain lists they replace: a case-insensitive search of the
//! codes as written, the first match counting.

use super::{CategoryOverrides, RuleCodes};
use crate::analysis::{analyze, AnalyzeOptions};
use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules;
use crate::test_random::below;

/// The plain answers: what `AnalyzeOptions` asked of its lists before.
fn plain_disabled(codes: &[String], code: &str) -> bool {
    codes.iter().any(|c| c.eq_ignore_ascii_case(code))
}

fn plain_category(overrides: &[(String, Category)], code: &str) -> Option<Category> {
    overrides
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, category)| *category)
}

/// A code from the registry, outside it, or near one, in a random mix of cases.
fn random_code(next: &mut impl FnMut(usize) -> usize) -> String {
    let registry: Vec<&str> = rules::all().map(|r| r.meta.code).collect();
    let base = match next(6) {
        0 => crate::activity::unused::UNUSED_GRANT.to_string(),
        1 => [
            "",
            "X",
            "A_",
            "é",
            "MISSING_VERSIO",
            "MISSING_VERSIONS",
            "ZZZ",
        ][next(7)]
        .to_string(),
        2 => format!("{}_", registry[next(registry.len())]),
        _ => registry[next(registry.len())].to_string(),
    };
    base.chars()
        .map(|c| match next(3) {
            0 => c.to_ascii_lowercase(),
            _ => c,
        })
        .collect()
}

#[test]
fn empty_codes_answer_no_and_hold_no_table() {
    let none = RuleCodes::default();
    assert!(none.is_empty() && !none.contains("MISSING_VERSION") && !none.contains(""));
    assert!(RuleCodes::new(Vec::<String>::new()).is_empty());
    assert_eq!(RuleCodes::new(Vec::<String>::new()), none);
    assert!(CategoryOverrides::default()
        .get("MISSING_VERSION")
        .is_none());
    assert!((0..rules::all().count()).all(|i| !none.contains_rule(i)));
}

#[test]
fn codes_match_in_any_case_inside_and_outside_the_registry() {
    let codes = RuleCodes::new(["missing_Version", "UNUSED_GRANT", "Not_A_Rule"]);
    assert!(codes.contains("MISSING_VERSION") && codes.contains("missing_version"));
    assert!(codes.contains("unused_grant") && codes.contains("NOT_A_RULE"));
    assert!(!codes.contains("MISSING_VERSIONS") && !codes.contains("MISSING_VERSIO"));
    assert!(!codes.contains("MISSING_EFFECT"));
    // Iteration and equality see the codes as given.
    assert_eq!(
        codes.codes().collect::<Vec<_>>(),
        ["missing_Version", "UNUSED_GRANT", "Not_A_Rule"]
    );
    assert_ne!(
        codes,
        RuleCodes::new(["MISSING_VERSION", "UNUSED_GRANT", "Not_A_Rule"])
    );
    assert_eq!(codes, codes.clone());
    let index = rules::all()
        .position(|r| r.meta.code == "MISSING_VERSION")
        .unwrap();
    assert!(codes.contains_rule(index));
}

#[test]
fn the_first_category_of_a_code_counts() {
    let overrides = CategoryOverrides::new(vec![
        ("star_in_action".to_string(), Category::Error),
        ("STAR_IN_ACTION".to_string(), Category::Suggestion),
    ]);
    assert_eq!(overrides.get("Star_In_Action"), Some(Category::Error));
    let index = rules::all()
        .position(|r| r.meta.code == "STAR_IN_ACTION")
        .unwrap();
    assert_eq!(overrides.for_rule(index), Some(Category::Error));
    assert_eq!(overrides.iter().count(), 2);
}

/// A configuration's two lists drawn at random: fewer than `disabled` codes switched off, then
/// fewer than `overrides` codes with a category each.
fn random_lists(
    next: &mut impl FnMut(usize) -> usize,
    disabled: usize,
    overrides: usize,
) -> (Vec<String>, Vec<(String, Category)>) {
    let codes = (0..next(disabled)).map(|_| random_code(next)).collect();
    let categories = (0..next(overrides))
        .map(|_| (random_code(next), Category::ALL[next(Category::ALL.len())]))
        .collect();
    (codes, categories)
}

#[test]
fn resolved_codes_answer_as_the_plain_lists() {
    let mut next = below(0x5eed_c0de);
    for _ in 0..2_000 {
        let (disabled, overrides) = random_lists(&mut next, 12, 6);
        let codes = RuleCodes::new(disabled.clone());
        let categories = CategoryOverrides::new(overrides.clone());
        for (index, rule) in rules::all().enumerate() {
            let code = rule.meta.code;
            assert_eq!(codes.contains_rule(index), plain_disabled(&disabled, code));
            assert_eq!(categories.for_rule(index), plain_category(&overrides, code));
        }
        for _ in 0..20 {
            let code = random_code(&mut next);
            assert_eq!(
                codes.contains(&code),
                plain_disabled(&disabled, &code),
                "{code} in {disabled:?}"
            );
            assert_eq!(
                categories.get(&code),
                plain_category(&overrides, &code),
                "{code} in {overrides:?}"
            );
        }
        assert_eq!(codes.codes().collect::<Vec<_>>(), disabled);
    }
}

/// The whole check with codes switched off and categories changed gives the findings of the
/// check with none, less those of the plain list's disabled codes, with the plain list's
/// categories: on a sample of the latest managed policies and random configurations.
#[test]
fn corpus_findings_are_those_of_the_plain_lists() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies/latest");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipped: {} not fetched (scripts/fetch-corpus.sh)",
            dir.display()
        );
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    let mut next = below(0x0c0f_f1e5);
    for path in paths.iter().step_by(16) {
        let text = std::fs::read_to_string(path).unwrap();
        let text = &text;
        let path = path.display();
        let all = analyze(text, &AnalyzeOptions::default()).diagnostics;
        for _ in 0..3 {
            let (disabled, overrides) = random_lists(&mut next, 40, 8);
            let options = AnalyzeOptions {
                policy_type: PolicyType::Auto,
                disabled_rules: RuleCodes::new(disabled.clone()),
                category_overrides: CategoryOverrides::new(overrides.clone()),
            };
            let expected: Vec<_> = all
                .iter()
                .filter(|d| !plain_disabled(&disabled, d.code))
                .cloned()
                .map(|mut d| {
                    if let Some(category) = plain_category(&overrides, d.code) {
                        d.category = category;
                    }
                    d
                })
                .collect();
            assert!(
                analyze(text, &options).diagnostics == expected,
                "{path} with {disabled:?} and {overrides:?}"
            );
        }
    }
}
