//! Path globs for `[[policy-types]]`: `*` (any characters within one path segment), `?` (one
//! character, not `/`), `**` (any characters across segments; `**/` also matches no directory at
//! all). A glob matches the whole `/`-separated path relative to the configuration file's folder.
//! Pure string matching: no I/O, linear memory, time proportional to pattern × path.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    source: String,
    tokens: Vec<Token>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Literal(char),
    /// `?`
    One,
    /// `*`
    Star,
    /// `**` not followed by `/`
    Globstar,
    /// `**/`: nothing, or anything that ends with `/`
    AnyDirs,
}

impl Glob {
    /// Compile a glob. Fails on an empty pattern or one that starts with `/` (globs are relative
    /// to the folder of `iamlint.toml`).
    pub fn new(pattern: &str) -> Result<Glob, String> {
        if pattern.is_empty() {
            return Err("the glob is empty".into());
        }
        if pattern.starts_with('/') {
            return Err(
                "the glob starts with '/'; globs are relative to the folder of iamlint.toml".into(),
            );
        }
        let chars: Vec<char> = normalize(pattern).chars().collect();
        let mut tokens = Vec::with_capacity(chars.len());
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '*' if chars.get(i + 1) == Some(&'*') => {
                    let mut j = i + 2;
                    while chars.get(j) == Some(&'*') {
                        j += 1;
                    }
                    if chars.get(j) == Some(&'/') {
                        tokens.push(Token::AnyDirs);
                        j += 1;
                    } else {
                        tokens.push(Token::Globstar);
                    }
                    i = j;
                    continue;
                }
                '*' => tokens.push(Token::Star),
                '?' => tokens.push(Token::One),
                c => tokens.push(Token::Literal(c)),
            }
            i += 1;
        }
        Ok(Glob {
            source: pattern.to_string(),
            tokens,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the glob matches `path` (separators `/`; a leading `./` is ignored).
    pub fn matches(&self, path: &str) -> bool {
        let text: Vec<char> = normalize(path).chars().collect();
        let n = text.len();
        // `next[j]`: tokens i+1.. match text[j..]; `cur[j]`: tokens i.. match text[j..].
        let mut next = vec![false; n + 1];
        next[n] = true;
        let mut cur = vec![false; n + 1];
        for token in self.tokens.iter().rev() {
            match *token {
                Token::Literal(c) => {
                    cur[n] = false;
                    for j in (0..n).rev() {
                        cur[j] = text[j] == c && next[j + 1];
                    }
                }
                Token::One => {
                    cur[n] = false;
                    for j in (0..n).rev() {
                        cur[j] = text[j] != '/' && next[j + 1];
                    }
                }
                Token::Star => {
                    cur[n] = next[n];
                    for j in (0..n).rev() {
                        cur[j] = next[j] || (text[j] != '/' && cur[j + 1]);
                    }
                }
                Token::Globstar => {
                    cur[n] = next[n];
                    for j in (0..n).rev() {
                        cur[j] = next[j] || cur[j + 1];
                    }
                }
                Token::AnyDirs => {
                    // ends_with_slash[j]: some k >= j has text[k] == '/' and the rest matches
                    // text[k+1..].
                    let mut later = false;
                    cur[n] = next[n];
                    for j in (0..n).rev() {
                        later = later || (text[j] == '/' && next[j + 1]);
                        cur[j] = next[j] || later;
                    }
                }
            }
            std::mem::swap(&mut cur, &mut next);
        }
        next[0]
    }
}

/// Backslashes become `/` and a leading `./` goes, so Windows-style and dotted paths match too.
fn normalize(path: &str) -> String {
    let mut p = path.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    p
}

#[cfg(test)]
mod tests {
    use super::Glob;

    fn m(glob: &str, path: &str) -> bool {
        Glob::new(glob).unwrap().matches(path)
    }

    #[test]
    fn star_stays_in_one_segment() {
        assert!(m("trust/*.json", "trust/role.json"));
        assert!(!m("trust/*.json", "trust/sub/role.json"));
        assert!(!m("trust/*.json", "other/role.json"));
        assert!(m("*.json", "a.json"));
        assert!(!m("*.json", "dir/a.json"));
        assert!(m("trust/*", "trust/"));
    }

    #[test]
    fn question_mark_is_one_non_separator_char() {
        assert!(m("v?.json", "v1.json"));
        assert!(m("v?.json", "vé.json"));
        assert!(!m("v?.json", "v12.json"));
        assert!(!m("a?b", "a/b"));
    }

    #[test]
    fn globstar_crosses_segments() {
        assert!(m("**/*.json", "a.json"));
        assert!(m("**/*.json", "x/y/a.json"));
        assert!(m("policies/**/trust-*.json", "policies/trust-a.json"));
        assert!(m("policies/**/trust-*.json", "policies/a/b/trust-a.json"));
        assert!(!m("policies/**/trust-*.json", "other/a/trust-a.json"));
        assert!(m("scp/**", "scp/a/b.json"));
        assert!(m("a**b", "a/x/b"));
        assert!(!m("**/x.json", "ax.json"));
    }

    #[test]
    fn normalises_separators_and_dot_prefix() {
        assert!(m("trust/*.json", "./trust/a.json"));
        assert!(m("./trust/*.json", "trust\\a.json"));
    }

    #[test]
    fn literal_and_empty_path() {
        assert!(m("exact.json", "exact.json"));
        assert!(!m("exact.json", "exact.json5"));
        assert!(!m("a", ""));
        assert!(m("**", ""));
    }

    #[test]
    fn rejects_empty_and_absolute() {
        assert!(Glob::new("").is_err());
        assert!(Glob::new("/etc/*.json").is_err());
    }

    #[test]
    fn long_inputs_stay_fast() {
        let glob = Glob::new(&"*a".repeat(200)).unwrap();
        assert!(!glob.matches(&"a".repeat(199)));
        assert!(glob.matches(&"a".repeat(400)));
    }
}
