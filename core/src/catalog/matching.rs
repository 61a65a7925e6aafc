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
/// placeholders) matches.
pub fn matches(template: &str, subject: &str, mode: Mode) -> bool {
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

/// Does the IAM action pattern `pattern` (`*`, `?`, case-insensitive) match `name`?
pub fn glob(pattern: &str, name: &str) -> bool {
    let mode = Mode {
        holes: false,
        angle_holes: false,
        wildcards: true,
        ignore_case: true,
    };
    matches(name, pattern, mode)
}

/// Does the concrete condition key `key` fit the (possibly templated) catalog key `template`?
pub fn key_matches(template: &str, key: &str) -> bool {
    let mode = Mode {
        holes: true,
        angle_holes: true,
        wildcards: false,
        ignore_case: true,
    };
    matches(template, key, mode)
}

/// True if the catalog key has a variable part.
pub fn is_templated_key(name: &str) -> bool {
    name.contains("${") || (name.contains('<') && name.contains('>'))
}

/// Does `arn` (possibly with `*`/`?`) fit the ARN template? The first five colon-separated
/// segments are matched one by one; the resource part may itself contain `:` and `/`, and
/// placeholders match any text there. One exception keeps nested resource types apart: when
/// `final_no_slash` (another template extends this one with `/...`, as S3's object template
/// extends the bucket one), the final placeholder may not take a `/`, so `arn:aws:s3:::b/k` is an
/// object and not a bucket.
pub fn arn_matches(template: &str, arn: &str, final_no_slash: bool) -> bool {
    let excl = if final_no_slash { Some('/') } else { None };
    let mode = Mode {
        holes: true,
        angle_holes: false,
        wildcards: true,
        ignore_case: false,
    };
    let t: Vec<&str> = template.splitn(6, ':').collect();
    let a: Vec<&str> = arn.splitn(6, ':').collect();
    if t.len() != 6 {
        return false;
    }
    if a.len() != 6 {
        // A wildcard may stand for several segments ("arn:aws:s3:*"): compare whole strings.
        return arn.contains('*') && matches_excluding(template, arn, mode, excl);
    }
    t[..5].iter().zip(&a).all(|(t, a)| matches(t, a, mode))
        && matches_excluding(t[5], a[5], mode, excl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("s3:Get*", "s3:GetObject"));
        assert!(glob("S3:get*", "s3:GetObject"));
        assert!(glob("s3:Get?bject", "s3:GetObject"));
        assert!(glob("*", "s3:GetObject"));
        assert!(glob("*:*Object*", "s3:PutObject"));
        assert!(!glob("s3:Get?", "s3:GetObject"));
        assert!(!glob("s3:Put*", "s3:GetObject"));
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
