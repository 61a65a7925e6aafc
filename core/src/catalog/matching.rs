//! Matching of templates (`${Placeholder}`, `<key>`) against text that may itself contain IAM
//! wildcards (`*`, `?`). One small dynamic program serves ARN templates, templated condition
//! keys and action patterns.

#[derive(Clone, Copy, PartialEq, Eq)]
enum T {
    Char(char),
    /// A placeholder: matches one or more characters of the other side, except the given
    /// character (see [`arn_matches`]).
    Hole(Option<char>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum S {
    Char(char),
    /// `*`: matches any run (possibly empty) of template tokens, placeholders included.
    Star,
    /// `?`: matches exactly one template token.
    One,
}

/// How to read the two sides.
#[derive(Clone, Copy)]
pub struct Mode {
    /// `${...}` (and `<...>` when `angle_holes`) in the template are placeholders.
    pub holes: bool,
    pub angle_holes: bool,
    /// `*` and `?` in the subject are wildcards.
    pub wildcards: bool,
    pub ignore_case: bool,
}

fn template_tokens(t: &str, mode: Mode, final_hole_excludes: Option<char>) -> Vec<T> {
    let mut out = Vec::with_capacity(t.len());
    let mut rest = t;
    while let Some(c) = rest.chars().next() {
        let close = match c {
            '$' if mode.holes && rest.starts_with("${") => Some('}'),
            '<' if mode.holes && mode.angle_holes => Some('>'),
            _ => None,
        };
        if let Some(end) = close.and_then(|cl| rest.find(cl)) {
            rest = &rest[end + 1..];
            out.push(T::Hole(if rest.is_empty() {
                final_hole_excludes
            } else {
                None
            }));
            continue;
        }
        out.push(T::Char(c));
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn subject_tokens(s: &str, mode: Mode) -> Vec<S> {
    s.chars()
        .map(|c| match c {
            '*' if mode.wildcards => S::Star,
            '?' if mode.wildcards => S::One,
            c => S::Char(c),
        })
        .collect()
}

fn same(a: char, b: char, ignore_case: bool) -> bool {
    a == b || (ignore_case && a.to_lowercase().eq(b.to_lowercase()))
}

/// True if `subject` (with wildcards, per `mode`) can denote text that `template` (with
/// placeholders) matches. (Tests compare the fast matcher against it.)
#[cfg(test)]
fn matches(template: &str, subject: &str, mode: Mode) -> bool {
    matches_excluding(template, subject, mode, None)
}

/// [`matches`], where the template's final placeholder (if it ends with one) may not take the
/// character `final_hole_excludes`.
fn matches_excluding(
    template: &str,
    subject: &str,
    mode: Mode,
    final_hole_excludes: Option<char>,
) -> bool {
    let t = template_tokens(template, mode, final_hole_excludes);
    let s = subject_tokens(subject, mode);
    // Fast path: nothing special on either side.
    if t.iter().all(|x| matches!(x, T::Char(_))) && s.iter().all(|x| matches!(x, S::Char(_))) {
        return t.len() == s.len()
            && t.iter().zip(&s).all(|(a, b)| match (a, b) {
                (T::Char(a), S::Char(b)) => same(*a, *b, mode.ignore_case),
                _ => false,
            });
    }
    let (nt, ns) = (t.len(), s.len());
    let w = ns + 1;
    // dp[i*w+j]: t[i..] matches s[j..]. cont[i*w+j]: the hole t[i] has already taken at least
    // one character and, continuing, t[i..] matches s[j..].
    let mut dp = vec![false; (nt + 1) * w];
    let mut cont = vec![false; (nt + 1) * w];
    for i in (0..=nt).rev() {
        for j in (0..=ns).rev() {
            if let Some(T::Hole(excl)) = t.get(i) {
                let can_take = j < ns && (excl.is_none() || s[j] != S::Char(excl.unwrap_or(' ')));
                cont[i * w + j] = dp[(i + 1) * w + j] || (can_take && cont[i * w + j + 1]);
            }
            let mut ok = i == nt && j == ns;
            if j < ns && s[j] == S::Star {
                ok = ok || dp[i * w + j + 1] || (i < nt && dp[(i + 1) * w + j]);
            }
            if !ok && i < nt && j < ns {
                ok = match (t[i], s[j]) {
                    (T::Hole(excl), s) => {
                        (excl.is_none() || s != S::Char(excl.unwrap_or(' '))) && cont[i * w + j + 1]
                    }
                    (T::Char(a), S::Char(b)) => {
                        same(a, b, mode.ignore_case) && dp[(i + 1) * w + j + 1]
                    }
                    (T::Char(_), S::One) => dp[(i + 1) * w + j + 1],
                    (T::Char(_), S::Star) => false,
                };
            }
            dp[i * w + j] = ok;
        }
    }
    dp[0]
}

#[derive(Clone, Copy)]
enum Tok {
    Lit(u8),
    /// One or more characters.
    Hole,
}

/// The token of a catalog template at `i`: `${...}` and `<...>` are placeholders. (Action
/// patterns are matched by [`crate::wildcard::action_matches`], not here.)
fn tok_at(p: &[u8], i: usize) -> (Tok, usize) {
    let b = p[i];
    let close = match b {
        b'$' if p.get(i + 1) == Some(&b'{') => b'}',
        b'<' => b'>',
        _ => return (Tok::Lit(b), i + 1),
    };
    match p[i..].iter().position(|&c| c == close) {
        Some(end) => (Tok::Hole, i + end + 1),
        None => (Tok::Lit(b), i + 1),
    }
}

/// Index just past the character starting at `i` (UTF-8 aware, so `?` takes one character).
fn next_char(t: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < t.len() && (t[j] & 0xC0) == 0x80 {
        j += 1;
    }
    j
}

/// Linear-time matching of a pattern against literal text (the classic greedy algorithm that
/// backtracks only to the last star; a placeholder is "one character, then a star"). No
/// allocation: this runs over every action for `*:Get*`.
fn fast_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            let (tok, next) = tok_at(p, pi);
            match tok {
                Tok::Hole if ti < t.len() => {
                    ti = next_char(t, ti);
                    star = Some((next, ti));
                    pi = next;
                    continue;
                }
                Tok::Lit(b)
                    if ti < t.len()
                        && (b == t[ti] || (ignore_case && b.eq_ignore_ascii_case(&t[ti]))) =>
                {
                    pi = next;
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        } else if ti == t.len() {
            return true;
        }
        match star {
            Some((sp, st)) if st < t.len() => {
                let st = next_char(t, st);
                star = Some((sp, st));
                pi = sp;
                ti = st;
            }
            _ => return false,
        }
    }
}

/// Does the concrete condition key `key` fit the (possibly templated) catalog key `template`?
pub fn key_matches(template: &str, key: &str) -> bool {
    fast_match(template, key, true)
}

/// True if the catalog key has a variable part.
pub fn is_templated_key(name: &str) -> bool {
    crate::arn::has_variable(name) || (name.contains('<') && name.contains('>'))
}

/// Splits an ARN into its six parts (the last keeps any further colons), without allocating.
/// A byte loop to the fifth `:` (`str::splitn` searched for each colon anew, and this runs
/// twice for every template an ARN is matched against).
fn arn_parts(arn: &str) -> Option<[&str; 6]> {
    let mut cuts = [0usize; 5];
    let mut found = 0;
    for (i, &b) in arn.as_bytes().iter().enumerate() {
        if b == b':' {
            cuts[found] = i;
            found += 1;
            if found == cuts.len() {
                break;
            }
        }
    }
    if found < cuts.len() {
        return None;
    }
    // Each cut is at an ASCII `:`, so every range starts and ends on a character boundary.
    let part = |from: usize, to: usize| arn.get(from..to);
    Some([
        part(0, cuts[0])?,
        part(cuts[0] + 1, cuts[1])?,
        part(cuts[1] + 1, cuts[2])?,
        part(cuts[2] + 1, cuts[3])?,
        part(cuts[3] + 1, cuts[4])?,
        part(cuts[4] + 1, arn.len())?,
    ])
}

/// One ARN part: template part `t` (placeholders) against input part `a` (maybe wildcards).
/// `excl`: the template's final placeholder may not take this character.
fn part_matches(t: &str, a: &str, excl: Option<char>) -> bool {
    if !a.contains(['*', '?']) {
        let Some(excl) = excl.filter(|_| t.ends_with('}')) else {
            return fast_match(t, a, false);
        };
        // The final placeholder takes a non-empty suffix free of `excl`: try each such suffix.
        let start = a.rfind(excl).map_or(0, |i| i + excl.len_utf8());
        return a.char_indices().filter(|(i, _)| *i >= start).any(|(i, _)| {
            // Match the template minus its final placeholder against the text before `i`.
            let head_end = t.rfind("${").unwrap_or(0);
            fast_match(&t[..head_end], &a[..i], false)
        });
    }
    if a == "*" {
        return true;
    }
    if !literal_ends_agree(t, a) {
        return false;
    }
    let mode = Mode {
        holes: true,
        angle_holes: false,
        wildcards: true,
        ignore_case: false,
    };
    matches_excluding(t, a, mode, excl)
}

/// A quick necessary condition for [`part_matches`] with wildcards in `a`: the literal text
/// before the template's first placeholder and before `a`'s first wildcard must agree as far as
/// both go (characters there can only pair with each other), and likewise the literal text after
/// the last placeholder and after the last wildcard. Most templates of a service differ from
/// a pattern right there (`instance/${InstanceId}` and `volume/*`), and the full match is the
/// costly part of looking up an ARN's resource types.
fn literal_ends_agree(t: &str, a: &str) -> bool {
    let (t, a) = (t.as_bytes(), a.as_bytes());
    let first_hole = find_hole(t).map_or(t.len(), |(start, _)| start);
    let first_wildcard = a.iter().position(|&b| b == b'*' || b == b'?');
    let head = first_hole.min(first_wildcard.unwrap_or(a.len()));
    if t[..head] != a[..head] {
        return false;
    }
    // The last placeholder: the last `${` whose `}` follows (the tokens read a template from
    // the left, so a `}` after it always closes a placeholder that ends there or later).
    let after_last_hole = match t.windows(2).rposition(|w| w == b"${") {
        Some(start) => match t[start..].iter().position(|&b| b == b'}') {
            Some(close) => start + close + 1,
            None => return true,
        },
        None => 0,
    };
    let after_last_wildcard = a
        .iter()
        .rposition(|&b| b == b'*' || b == b'?')
        .map_or(0, |i| i + 1);
    let tail = (t.len() - after_last_hole).min(a.len() - after_last_wildcard);
    t[t.len() - tail..] == a[a.len() - tail..]
}

/// The first placeholder `${...}` of a template (start, index past its `}`).
fn find_hole(t: &[u8]) -> Option<(usize, usize)> {
    let start = t.windows(2).position(|w| w == b"${")?;
    let close = t[start..].iter().position(|&b| b == b'}')?;
    Some((start, start + close + 1))
}

/// Does `arn` (possibly with `*`/`?`) fit the ARN template? The first five colon-separated
/// segments are matched one by one; the resource part may itself contain `:` and `/`, and
/// placeholders match any text there. One exception keeps nested resource types apart: when
/// `final_no_slash` (another template extends this one with `/...`, as S3's object template
/// extends the bucket one), the final placeholder may not take a `/`, so `arn:aws:s3:::b/k` is an
/// object and not a bucket.
pub fn arn_matches(template: &str, arn: &str, final_no_slash: bool) -> bool {
    let excl = if final_no_slash { Some('/') } else { None };
    let Some(t) = arn_parts(template) else {
        return false;
    };
    let Some(a) = arn_parts(arn) else {
        // A wildcard may stand for several segments ("arn:aws:s3:*"): compare whole strings.
        let mode = Mode {
            holes: true,
            angle_holes: false,
            wildcards: true,
            ignore_case: false,
        };
        return arn.contains('*') && matches_excluding(template, arn, mode, excl);
    };
    (0..5).all(|i| part_matches(t[i], a[i], None)) && part_matches(t[5], a[5], excl)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte loop against `splitn`, on generated strings of colons, letters and a
    /// non-ASCII letter.
    #[test]
    fn arn_parts_splits_as_splitn_does() {
        const PIECES: &[&str] = &[":", "a", "::", "\u{e9}", "*", "/"];
        let mut next = crate::test_random::below(0xbb67_ae85_84ca_a73bu64);
        let mut split = 0;
        for _ in 0..20_000 {
            let text = crate::test_random::text(&mut next, 14, PIECES);
            let mut it = text.splitn(6, ':');
            let want: Option<Vec<&str>> = (0..6).map(|_| it.next()).collect();
            let ours = arn_parts(&text).map(|p| p.to_vec());
            assert_eq!(ours, want, "{text:?}");
            split += usize::from(ours.is_some());
        }
        assert!(split > 2_000, "{split}");
    }

    #[test]
    fn keys() {
        assert!(key_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:resourcetag/team"
        ));
        assert!(key_matches(
            "s3:ExistingObjectTag/<key>",
            "s3:ExistingObjectTag/x"
        ));
        assert!(!key_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:ResourceTag/"
        ));
        assert!(key_matches(
            "codebuild:environment.environmentVariables/${name}.value",
            "codebuild:environment.environmentVariables/FOO.value"
        ));
        assert!(!key_matches("s3:prefix", "s3:prefixx"));
        // `*` is not a wildcard in condition keys.
        assert!(!key_matches("s3:prefix", "s3:*"));
    }

    #[test]
    fn fast_and_slow_matchers_agree() {
        let slow = Mode {
            holes: true,
            angle_holes: true,
            wildcards: false,
            ignore_case: true,
        };
        let cases = [
            ("a${X}b${Y}", "aXXbY"),
            ("a${X}b${Y}", "abY"),
            ("a${X}b", "aXbXb"),
            ("${X}/${Y}", "b/k/x"),
            ("${X}", ""),
            ("x<key>", "xk"),
            ("ab", "AB"),
            ("a${X}", "a"),
        ];
        for (t, s) in cases {
            assert_eq!(key_matches(t, s), matches(t, s, slow), "{t} vs {s}");
        }
        let wild = Mode {
            holes: false,
            angle_holes: false,
            wildcards: true,
            ignore_case: true,
        };
        for (p, n) in [
            ("a*b?c", "aXXbYc"),
            ("*", ""),
            ("?", ""),
            ("a*", "A"),
            ("*a*a", "aXa"),
            ("é?", "éé"),
        ] {
            // The one action matcher agrees with this module's general matcher.
            assert_eq!(
                crate::wildcard::action_matches(p, n),
                matches(n, p, wild),
                "{p} vs {n}"
            );
        }
    }

    #[test]
    fn the_literal_ends_filter_never_rejects_a_match() {
        // Every resource part of the catalog's templates against patterns of every shape: the
        // quick filter may only say no where the full matcher says no.
        let catalog = crate::catalog::catalog();
        let mut templates: Vec<String> = catalog
            .services()
            .flat_map(|s| s.resource_types().collect::<Vec<_>>())
            .flat_map(|r| r.arn_templates().map(str::to_string).collect::<Vec<_>>())
            .filter_map(|t| arn_parts(&t).map(|p| p[5].to_string()))
            .collect();
        templates.extend(["${A}x${B", "a${B}c", "x", ""].map(String::from));
        let patterns = [
            "*",
            "?",
            "instance/*",
            "*/*",
            "bucket/*",
            "b?cket/x*",
            "function:*",
            "*:*",
            "table/t/index/*",
            "x*",
            "*x",
            "a*c",
            "é*é",
            "${A}*",
            "role/*/admin",
            "?a*b?",
        ];
        let mode = Mode {
            holes: true,
            angle_holes: false,
            wildcards: true,
            ignore_case: false,
        };
        let mut checked = 0;
        for t in &templates {
            for a in patterns {
                for excl in [None, Some('/')] {
                    let full = matches_excluding(t, a, mode, excl);
                    assert!(!full || literal_ends_agree(t, a), "{t} vs {a}");
                    assert_eq!(part_matches(t, a, excl), full, "{t} vs {a}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn arns() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(arn_matches(object, "arn:aws:s3:::b/k/x:y", false));
        assert!(!arn_matches(bucket, "arn:aws:s3:::b/k", true));
        assert!(
            arn_matches(bucket, "arn:aws:s3:::b/k", false),
            "without the sibling rule"
        );
        assert!(arn_matches(bucket, "arn:aws:s3:::b", true));
        assert!(arn_matches(object, "arn:aws:s3:::b/*", false));
        assert!(!arn_matches(bucket, "arn:aws:s3:::b/*", true));
        assert!(arn_matches(object, "arn:aws:s3:::*", false));
        assert!(arn_matches(bucket, "arn:aws:s3:::*", true));
        assert!(arn_matches(bucket, "arn:aws:s3:::b*", true));
        assert!(!arn_matches(object, "arn:aws:s3:us-east-1::b/k", false));
        assert!(arn_matches(object, "arn:aws:s3:*", false));
        assert!(arn_matches(bucket, "arn:aws:s3:*", true));
        assert!(!arn_matches(object, "arn:aws:s3:::b/", false));
        assert!(
            !arn_matches(bucket, "arn:aws:s3:x::b", true),
            "S3 bucket ARNs have no Region"
        );
    }
}
