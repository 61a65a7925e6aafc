//! IAM's wildcards, in one place: what counts as a wildcard, what an account id is, and how a
//! pattern with `*` and `?` matches a name. The linter, the simulator, the catalog's expansion
//! and the fixes all call these, so they cannot disagree about the same pattern.
//!
//! AWS's rules, as the IAM documentation states them:
//! - `*` matches any run of characters (also none), `?` exactly one character.
//! - **Action names** (`Action`, `NotAction`, and the action names rules look for) compare without
//!   regard to case: `S3:get*` matches `s3:GetObject`. Only ASCII letters fold; action names are
//!   ASCII, so a non-ASCII character matches only itself. A wildcard may cross the `:` between
//!   service and action (`*:PassRole`, `*`). See [`action_matches`].
//! - **Condition strings** (`StringLike`, `StringNotLike`) compare with case, and a wildcard
//!   crosses any character. The simulator compiles them once per policy: [`Glob`].
//! - **ARNs** compare with case, field by field: see [`crate::arn::arn_pattern_matches`] (the
//!   rules) and the simulator's compiled form, which a property test keeps in agreement.
//!
//! `${*}`, `${?}` and `${$}` are the policy-variable escapes for a literal `*`, `?` and `$`
//! (Version 2012-10-17, where variables are expanded). [`has_wildcard`] reads them as literals
//! everywhere: where variables are not expanded (Action, Principal, Version 2008-10-17) the
//! variable rules already report the `${`, and counting it as a wildcard as well would report
//! the same text twice.

mod compiled;

use crate::bytes::words;

pub use compiled::{pieces_of, Glob, Piece};

/// True when `s` holds a wildcard, `*` or `?`, outside the `${*}` / `${?}` escapes.
pub fn has_wildcard(s: &str) -> bool {
    // This runs on every item of every list, and most are short names without a wildcard: for
    // those, a look at eight bytes at a time answers without the setup `memchr` costs on each
    // call. An escape is only looked at when a wildcard byte is found.
    let b = s.as_bytes();
    if b.len() <= SHORT && !any_wildcard_byte(b) {
        return false;
    }
    memchr::memchr2_iter(b'*', b'?', b)
        .any(|i| !(i >= 2 && b[i - 2] == b'$' && b[i - 1] == b'{' && b.get(i + 1) == Some(&b'}')))
}

/// Up to this length [`has_wildcard`] reads the bytes in words rather than search with `memchr`.
const SHORT: usize = 64;

/// True when a byte of `b` is `*` or `?`, read eight bytes at a time.
fn any_wildcard_byte(b: &[u8]) -> bool {
    words::find(b, 0, |w| words::first_below_or_equal(w, 0, [b'*', b'?'])) < b.len()
}

/// True when `s` is an AWS account id: exactly twelve ASCII digits. (`aws`, the account field of
/// AWS managed resources such as `arn:aws:iam::aws:policy/...`, is not an account id: callers
/// that accept it in an ARN say so themselves.)
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Does the action pattern `pattern` match the action name `name`? `*` any run, `?` one
/// character, ASCII case ignored, wildcards cross the `:`. Linear for the usual patterns,
/// O(pattern * name) at worst, never panics.
pub fn action_matches(pattern: &str, name: &str) -> bool {
    glob_match_with(pattern, name, true)
}

fn glob_match_with(pattern: &str, text: &str, ignore_case: bool) -> bool {
    // The usual patterns first, without the general loop: a plain name (`iam:PassRole`) and a
    // name ending in its only wildcard (`iam:*`, `s3:Get*`, `*`). Byte-wise comparison is exact
    // here even for non-ASCII text, since ASCII case folding never touches UTF-8 multi-byte
    // sequences and a matching byte prefix of a whole pattern ends on a character boundary.
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let same = |a: &[u8], b: &[u8]| {
        if ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    // A pattern that starts with neither wildcard must start with the text's first character:
    // most items fail here, at their first byte.
    if let (Some(&a), Some(&b)) = (p.first(), t.first()) {
        if a != b'*' && a != b'?' && !same(&[a], &[b]) {
            return false;
        }
    }
    match p.iter().position(|&c| c == b'*' || c == b'?') {
        None => return same(p, t),
        Some(i) if i + 1 == p.len() && p[i] == b'*' => {
            return t.get(..i).is_some_and(|head| same(&p[..i], head));
        }
        Some(_) => {}
    }
    glob_general(pattern, text, ignore_case)
}

/// The general wildcard match behind [`glob_match_with`], for any pattern.
fn glob_general(pattern: &str, text: &str, ignore_case: bool) -> bool {
    // Byte-wise when both are ASCII (the usual case: action names, ARNs), so that the hot loops
    // of the risk rules do not allocate; char-wise otherwise so `?` matches one character.
    if pattern.is_ascii() && text.is_ascii() {
        return glob_segments(pattern.as_bytes(), text.as_bytes(), ignore_case);
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    glob_slices(&p, &t, |a, b| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    })
}

/// [`glob_slices`] for ASCII text, a piece at a time: the pattern is the pieces between its
/// `*`s, each of fixed length (a `?` takes one byte). The first piece must match at the start of
/// the text and the last at its end; each piece between them is matched where it first fits
/// after the previous one, which finds a match whenever there is one (taking the earliest
/// place leaves the most room for the pieces after it). Linear in the text for the usual
/// pieces, with no backtracking over the whole pattern (`sagemaker:*Model*` against every
/// sagemaker action was about 750 instructions a name).
fn glob_segments(p: &[u8], t: &[u8], ignore_case: bool) -> bool {
    Segments::new(p).matches(t, ignore_case)
}

/// An ASCII pattern split at its first and last `*`, once, for [`glob_segments`] and for
/// [`ActionPattern`], which matches one pattern against a service's names one after another.
#[derive(Clone, Copy)]
struct Segments<'p> {
    p: &'p [u8],
    /// The first and last `*`, when there is one.
    stars: Option<(usize, usize)>,
}

impl<'p> Segments<'p> {
    fn new(p: &'p [u8]) -> Segments<'p> {
        let stars = p.iter().position(|&c| c == b'*').map(|first| {
            let last = p.iter().rposition(|&c| c == b'*').unwrap_or(first);
            (first, last)
        });
        Segments { p, stars }
    }

    fn matches(&self, t: &[u8], ignore_case: bool) -> bool {
        let p = self.p;
        let fits = |piece: &[u8], at: &[u8]| {
            piece.len() == at.len()
                && piece.iter().zip(at).all(|(&a, &b)| {
                    a == b'?' || a == b || (ignore_case && a.eq_ignore_ascii_case(&b))
                })
        };
        let Some((first_star, last_star)) = self.stars else {
            return fits(p, t);
        };
        let (head, tail) = (&p[..first_star], &p[last_star + 1..]);
        if t.len() < head.len() + tail.len()
            || !fits(head, &t[..head.len()])
            || !fits(tail, &t[t.len() - tail.len()..])
        {
            return false;
        }
        let mut rest = &t[head.len()..t.len() - tail.len()];
        if first_star < last_star {
            for piece in p[first_star + 1..last_star].split(|&c| c == b'*') {
                if piece.is_empty() {
                    continue;
                }
                match find_piece(piece, rest, fits) {
                    Some(i) => rest = &rest[i + piece.len()..],
                    None => return false,
                }
            }
        }
        true
    }
}

/// An action pattern read once and matched against many names, as [`action_matches`] matches
/// them: the catalog's expansion of `glue:*DataQuality*` or `*:*Tag*` tries every name of a
/// service (33,664 names for 145 items of the latest corpus), and [`action_matches`] looked
/// for the pattern's first wildcard, checked that it is ASCII and split it at its stars again
/// for each name (the expansion's matching 9.9M -> 8.9M instructions on that corpus; the rest
/// is the pieces' byte comparisons).
pub struct ActionPattern<'p> {
    pattern: &'p str,
    /// The pattern split at its stars, when it is ASCII (as every catalog name is).
    ascii: Option<Segments<'p>>,
}

impl<'p> ActionPattern<'p> {
    pub fn new(pattern: &'p str) -> ActionPattern<'p> {
        let ascii = pattern
            .is_ascii()
            .then(|| Segments::new(pattern.as_bytes()));
        ActionPattern { pattern, ascii }
    }

    /// [`action_matches`]`(pattern, name)`: for an ASCII pattern and name what
    /// [`glob_general`] does for them (the shortcuts of [`glob_match_with`] give the same
    /// answers, as a test checks), otherwise [`action_matches`] itself.
    pub fn matches(&self, name: &str) -> bool {
        match &self.ascii {
            Some(segments) if name.is_ascii() => segments.matches(name.as_bytes(), true),
            _ => action_matches(self.pattern, name),
        }
    }
}

/// The first place in `text` where `piece` (not empty) `fits`. When the piece starts with a
/// byte rather than `?`, only places whose byte equals it with the 0x20 bit set (which folds
/// ASCII case and merges a few other pairs) are tried: a short loop over bytes, where trying
/// every place cost a call of `fits` each.
fn find_piece(piece: &[u8], text: &[u8], fits: impl Fn(&[u8], &[u8]) -> bool) -> Option<usize> {
    let last = text.len().checked_sub(piece.len())?;
    let first = piece.first().copied().filter(|&c| c != b'?');
    let Some(first) = first else {
        return text.windows(piece.len()).position(|at| fits(piece, at));
    };
    let key = first | 0x20;
    let mut from = 0;
    while from <= last {
        let at = from + text[from..=last].iter().position(|&b| b | 0x20 == key)?;
        if fits(piece, &text[at..at + piece.len()]) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

trait GlobChar: Copy + PartialEq {
    const STAR: Self;
    const ANY: Self;
}

impl GlobChar for u8 {
    const STAR: u8 = b'*';
    const ANY: u8 = b'?';
}

impl GlobChar for char {
    const STAR: char = '*';
    const ANY: char = '?';
}

/// Greedy matching with backtracking to the last `*`: linear for one star, O(n*m) worst case.
fn glob_slices<C: GlobChar>(p: &[C], t: &[C], eq: impl Fn(C, C) -> bool) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    // Position of the last `*` in the pattern and the text position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == C::ANY || (p[pi] != C::STAR && eq(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == C::STAR {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi.min(p.len())..].iter().all(|&c| c == C::STAR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_like_iam() {
        assert!(action_matches("iam:*", "iam:PassRole"));
        assert!(action_matches("IAM:pass*", "iam:PassRole"));
        assert!(action_matches("*", "iam:PassRole"));
        assert!(action_matches("iam:Pa?sRole", "iam:PassRole"));
        assert!(action_matches("*:PassRole", "iam:PassRole"));
        assert!(!action_matches("iam:Get*", "iam:PassRole"));
        assert!(!action_matches("iam:PassRole?", "iam:PassRole"));
        assert!(action_matches("a*b*c", "aXbYbZc"));
        assert!(!glob_match_with(
            "arn:aws:s3:::B*",
            "arn:aws:s3:::bucket",
            false
        ));
        assert!(action_matches("", ""));
        assert!(!action_matches("", "x"));
    }

    #[test]
    fn fast_paths_agree_with_the_general_match() {
        let patterns = [
            "",
            "*",
            "**",
            "?",
            "iam:*",
            "IAM:Pass*",
            "iam:PassRole",
            "iam:passrole",
            "iam:Pass",
            "iam:PassRole*",
            "iam:Pass?ole",
            "*:PassRole",
            "i*m:*",
            "iam",
            "ïam:*",
            "iam:Pässrole",
            "IAM:PÄSS*",
            "a*",
            "A",
            "é*",
        ];
        let texts = [
            "",
            "iam:PassRole",
            "IAM:PASSROLE",
            "iam:Pass",
            "iam:PassRoles",
            "iam",
            "ïam:PassRole",
            "iam:PässRole",
            "iam:PÄssRole",
            "a",
            "A",
            "é",
            "éa",
            "É",
        ];
        for p in patterns {
            for t in texts {
                for ignore_case in [true, false] {
                    assert_eq!(
                        glob_match_with(p, t, ignore_case),
                        glob_general(p, t, ignore_case),
                        "{p:?} {t:?} {ignore_case}"
                    );
                }
            }
        }
    }

    /// The piecewise ASCII match against the backtracking one ([`glob_slices`], also the
    /// non-ASCII path's): generated patterns and names (a fixed pseudo-random sequence) over
    /// letters of both cases, `:`, `@` and `` ` `` (alike with the 0x20 bit set, which the
    /// search for a piece's first byte uses), `*` and `?`, with and without case.
    #[test]
    fn piecewise_match_agrees_with_backtracking() {
        const PATTERN: &[u8] = b"aAbB:@**??";
        const TEXT: &[u8] = b"aAbBc:@`";
        let mut next = crate::test_random::below(0x2545_f491_4f6c_dd1d);
        let (mut matched, mut missed) = (0, 0);
        for _ in 0..40_000 {
            let p: Vec<u8> = (0..next(9)).map(|_| PATTERN[next(PATTERN.len())]).collect();
            let t: Vec<u8> = (0..next(12)).map(|_| TEXT[next(TEXT.len())]).collect();
            for ignore_case in [true, false] {
                let want = glob_slices(&p, &t, |a, b| {
                    if ignore_case {
                        a.eq_ignore_ascii_case(&b)
                    } else {
                        a == b
                    }
                });
                let (ps, ts) = (String::from_utf8_lossy(&p), String::from_utf8_lossy(&t));
                assert_eq!(glob_segments(&p, &t, ignore_case), want, "{ps:?} {ts:?}");
                assert_eq!(
                    glob_match_with(&ps, &ts, ignore_case),
                    want,
                    "{ps:?} {ts:?}"
                );
                if want {
                    matched += 1;
                } else {
                    missed += 1;
                }
            }
        }
        assert!(matched > 5_000 && missed > 5_000, "{matched} {missed}");
    }

    /// The prepared pattern against [`action_matches`]: generated patterns and names as in
    /// the piecewise test, plus non-ASCII ones, each pattern prepared once and tried on many
    /// names.
    #[test]
    fn prepared_patterns_match_as_action_matches() {
        const PATTERN: &[&str] = &["a", "A", "b", "B", ":", "@", "*", "*", "?", "é", "É"];
        const TEXT: &[&str] = &["a", "A", "b", "B", "c", ":", "@", "`", "é"];
        let mut next = crate::test_random::below(0x7e57_ab1e_5eed_0001);
        let (mut matched, mut missed) = (0, 0);
        for _ in 0..4_000 {
            let p: String = (0..next(9)).map(|_| PATTERN[next(PATTERN.len())]).collect();
            let prepared = ActionPattern::new(&p);
            for _ in 0..10 {
                let t: String = (0..next(12)).map(|_| TEXT[next(TEXT.len())]).collect();
                let want = action_matches(&p, &t);
                assert_eq!(prepared.matches(&t), want, "{p:?} {t:?}");
                if want {
                    matched += 1;
                } else {
                    missed += 1;
                }
            }
        }
        assert!(matched > 2_000 && missed > 2_000, "{matched} {missed}");
    }

    #[test]
    fn wildcards_and_their_escapes() {
        assert!(has_wildcard("s3:Get*") && has_wildcard("a?") && has_wildcard("*"));
        assert!(!has_wildcard("arn:aws:s3:::b/${*}") && !has_wildcard("${?}x"));
        assert!(has_wildcard("${*}*") && has_wildcard("{*}") && has_wildcard("${*"));
        assert!(!has_wildcard("plain") && !has_wildcard(""));
    }

    /// Every string of up to [`SHORT`] + 2 bytes over the characters that matter (the byte
    /// pass for short strings, `memchr` for long ones, escapes at both ends), generated by a
    /// fixed pseudo-random sequence: [`has_wildcard`] must answer as a plain reading of its
    /// definition, and a pattern as a whole has a wildcard exactly when one of its two parts
    /// around the first `:` has one (the action expansion asks the whole).
    #[test]
    fn has_wildcard_agrees_with_its_definition() {
        fn reference(s: &str) -> bool {
            let b = s.as_bytes();
            (0..b.len()).any(|i| {
                (b[i] == b'*' || b[i] == b'?')
                    && !(i >= 2 && &b[i - 2..i] == b"${" && b.get(i + 1) == Some(&b'}'))
            })
        }
        const PARTS: &[&str] = &["a", "*", "?", "$", "{", "}", ":", "${*}", "${?}", "é", "S3"];
        let mut next = crate::test_random::below(0x9e37_79b9_7f4a_7c15u64);
        let (mut wild, mut tame) = (0, 0);
        for round in 0..20_000 {
            let mut s = String::new();
            let len = next(if round % 4 == 0 { SHORT + 3 } else { 12 });
            while s.len() < len {
                s.push_str(PARTS[next(PARTS.len())]);
            }
            // Mostly plain bytes, as real items are.
            if round % 3 == 0 {
                s = s.replace(['*', '?'], "x");
            }
            let ours = has_wildcard(&s);
            assert_eq!(ours, reference(&s), "{s:?}");
            if let Some((service, action)) = s.split_once(':') {
                assert_eq!(ours, has_wildcard(service) || has_wildcard(action), "{s:?}");
            }
            if ours {
                wild += 1;
            } else {
                tame += 1;
            }
        }
        assert!(wild > 5000 && tame > 5000, "{wild} {tame}");
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(is_account_id("111122223333"));
        assert!(
            !is_account_id("aws")
                && !is_account_id("11112222333")
                && !is_account_id("1111222233334")
        );
        assert!(!is_account_id("11112222333x") && !is_account_id("*"));
    }
}
