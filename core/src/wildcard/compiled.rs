//! Wildcard matching as IAM does it: `*` matches any run of characters (also none), `?` exactly
//! one. Patterns are compiled once so that evaluating many requests allocates nothing.

/// One piece of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Literal(String),
    Star,
    Question,
}

/// A compiled wildcard pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    pieces: Vec<Piece>,
    ignore_case: bool,
}

impl Glob {
    /// Compile `pattern`, where `*` and `?` are wildcards.
    pub fn new(pattern: &str, ignore_case: bool) -> Glob {
        Glob::from_pieces(pieces_of(pattern), ignore_case)
    }

    /// Compile a pattern with no wildcards at all (an exact comparison).
    pub fn literal(text: &str, ignore_case: bool) -> Glob {
        Glob::from_pieces(vec![Piece::Literal(text.to_string())], ignore_case)
    }

    /// Build from pieces (policy-variable substitution produces literal pieces that must not act
    /// as wildcards). Adjacent literals are joined and runs of stars collapsed.
    pub fn from_pieces(pieces: Vec<Piece>, ignore_case: bool) -> Glob {
        let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
        for piece in pieces {
            match (out.last_mut(), piece) {
                (_, Piece::Literal(s)) if s.is_empty() => {}
                (Some(Piece::Literal(prev)), Piece::Literal(s)) => prev.push_str(&s),
                (Some(Piece::Star), Piece::Star) => {}
                (_, p) => out.push(p),
            }
        }
        if ignore_case {
            for p in &mut out {
                if let Piece::Literal(s) = p {
                    *s = s.to_lowercase();
                }
            }
        }
        Glob {
            pieces: out,
            ignore_case,
        }
    }

    /// True if the pattern is exactly `*`.
    pub fn is_star(&self) -> bool {
        self.pieces == [Piece::Star]
    }

    pub fn has_wildcards(&self) -> bool {
        self.pieces.iter().any(|p| !matches!(p, Piece::Literal(_)))
    }

    /// Match the whole of `text`. For case-insensitive patterns, `text` may be in any case.
    pub fn matches(&self, text: &str) -> bool {
        if self.ignore_case && !text.is_ascii() {
            return self.match_from(0, &text.to_lowercase());
        }
        self.match_from(0, text)
    }

    fn match_from(&self, first: usize, text: &str) -> bool {
        // Iterative matcher with one backtrack point per star (linear for typical patterns,
        // never exponential).
        let pieces = &self.pieces[first..];
        let mut pi = 0usize;
        let mut ti = 0usize;
        let mut star: Option<(usize, usize)> = None;
        let bytes = text.as_bytes();
        loop {
            if pi < pieces.len() {
                match &pieces[pi] {
                    Piece::Star => {
                        star = Some((pi, ti));
                        pi += 1;
                        continue;
                    }
                    Piece::Question => {
                        if let Some(c) = text.get(ti..).and_then(|s| s.chars().next()) {
                            ti += c.len_utf8();
                            pi += 1;
                            continue;
                        }
                    }
                    Piece::Literal(lit) => {
                        let end = ti + lit.len();
                        if end <= bytes.len() && self.eq_bytes(&bytes[ti..end], lit.as_bytes()) {
                            ti = end;
                            pi += 1;
                            continue;
                        }
                    }
                }
            } else if ti == bytes.len() {
                return true;
            }
            // Mismatch: let the last star swallow one more character and retry.
            match star {
                Some((spi, sti)) if sti < bytes.len() => {
                    let step = text
                        .get(sti..)
                        .and_then(|s| s.chars().next())
                        .map_or(1, char::len_utf8);
                    star = Some((spi, sti + step));
                    pi = spi + 1;
                    ti = sti + step;
                }
                _ => return false,
            }
        }
    }

    fn eq_bytes(&self, a: &[u8], b: &[u8]) -> bool {
        if self.ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }
}

/// Split a pattern into literal runs and wildcards.
pub fn pieces_of(pattern: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut lit = String::new();
    for c in pattern.chars() {
        match c {
            '*' | '?' => {
                if !lit.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut lit)));
                }
                pieces.push(if c == '*' {
                    Piece::Star
                } else {
                    Piece::Question
                });
            }
            _ => lit.push(c),
        }
    }
    if !lit.is_empty() {
        pieces.push(Piece::Literal(lit));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wildcards() {
        assert!(Glob::new("s3:Get*", true).matches("s3:getobject"));
        assert!(Glob::new("s3:*Object*", true).matches("S3:PutObjectAcl"));
        assert!(!Glob::new("s3:Get*", false).matches("s3:getobject"));
        assert!(Glob::new("a?c", false).matches("abc"));
        assert!(Glob::new("a?c", false).matches("aéc"));
        assert!(!Glob::new("a?c", false).matches("ac"));
        assert!(Glob::new("*", false).matches(""));
        assert!(Glob::new("a*b*c", false).matches("axxbyyc"));
        assert!(!Glob::new("a*b*c", false).matches("axxbyy"));
        let lit = Glob::from_pieces(vec![Piece::Literal("a*".into())], false);
        assert!(lit.matches("a*") && !lit.matches("ab"));
    }

    /// Reference: a plain recursive matcher.
    fn reference(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
            Some('?') => !t.is_empty() && reference(&p[1..], &t[1..]),
            Some(c) => t.first() == Some(c) && reference(&p[1..], &t[1..]),
        }
    }

    proptest! {
        #[test]
        fn agrees_with_reference(p in "[ab*?é]{0,8}", t in "[abé]{0,10}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            prop_assert_eq!(Glob::new(&p, false).matches(&t), reference(&pc, &tc));
        }
    }
}
