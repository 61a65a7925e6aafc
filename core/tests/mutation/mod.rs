//! Single-character mutations of a text, shared by the resilience tests (`syntax_resilience`,
//! `host_resilience`): where they apply, what they touch, and where an offset lands after them.

/// A small fixed-seed generator (xorshift), so every run tries the same mutations.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Mutation {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
}

impl Mutation {
    pub fn at(self) -> usize {
        match self {
            Mutation::Insert(a, _) | Mutation::Delete(a) | Mutation::Replace(a, _) => a,
        }
    }

    pub fn apply(self, text: &str) -> String {
        let mut out = text.to_string();
        match self {
            Mutation::Insert(at, c) => out.insert(at, c),
            Mutation::Delete(at) => {
                out.remove(at);
            }
            Mutation::Replace(at, c) => {
                out.remove(at);
                out.insert(at, c);
            }
        }
        out
    }

    /// The byte range of the original text the mutation touches (an insertion touches the
    /// characters on both sides of it).
    pub fn touched(self, text: &str) -> (usize, usize) {
        let char_end = |at: usize| at + text[at..].chars().next().map_or(0, char::len_utf8);
        match self {
            Mutation::Insert(at, _) => (at.saturating_sub(1), at + 1),
            Mutation::Delete(at) | Mutation::Replace(at, _) => (at, char_end(at)),
        }
    }

    /// Where an original offset at or after the mutation lands in the mutated text.
    pub fn shift(self, text: &str, offset: usize) -> usize {
        let len_at = |at: usize| text[at..].chars().next().map_or(0, char::len_utf8);
        match self {
            Mutation::Insert(at, c) if offset >= at => offset + c.len_utf8(),
            Mutation::Delete(at) if offset > at => offset - len_at(at),
            Mutation::Replace(at, c) if offset > at => offset + c.len_utf8() - len_at(at),
            _ => offset,
        }
    }

    /// "Delete '}'", "Replace ':' by '\n'": to group failures.
    pub fn kind(self, text: &str) -> String {
        let at = |i: usize| text[i..].chars().next().unwrap_or(' ');
        match self {
            Mutation::Insert(i, c) => format!("Insert {c:?} before {:?}", at(i)),
            Mutation::Delete(i) => format!("Delete {:?}", at(i)),
            Mutation::Replace(i, c) => format!("Replace {:?} by {c:?}", at(i)),
        }
    }
}

/// Print the failures by kind (and the first `RESILIENCE_SHOW=n` of them, for debugging), and
/// fail when more than `max_rate` of the `tried` mutations broke the rule.
pub fn judge(
    tried: usize,
    failures: &[String],
    kinds: &std::collections::BTreeMap<String, usize>,
    max_rate: f64,
) {
    let mut by_count: Vec<(&String, &usize)> = kinds.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1));
    eprintln!("failures by kind: {by_count:?}");
    if let Some(n) = std::env::var("RESILIENCE_SHOW")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        for f in &failures[..failures.len().min(n)] {
            eprintln!("{f}\n");
        }
    }
    assert!(tried > 0);
    assert!(
        failures.len() as f64 <= tried as f64 * max_rate,
        "{} of {tried} mutations break the rule; first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(15)].join("\n\n")
    );
}
