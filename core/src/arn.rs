//! Amazon Resource Names: parsing with the span of every field, and the wildcard matching IAM
//! uses for resources and actions.
//!
//! An ARN is `arn:partition:service:region:account-id:resource`; the resource part may itself
//! contain colons. In a policy, `*` and `?` may appear in any field; per the IAM documentation a
//! `*` that is the last character of one of the first five fields may also match past the colon
//! (so `arn:aws:ec2:*` names every EC2 resource), while elsewhere in those fields wildcards stay
//! inside their field. In the resource part a `*` matches anything, `/` and `:` included.
//!
//! Policy variables (`${aws:username}`) are unknown until request time: matching treats one as
//! "any text", inclusion ([`arn_pattern_covers`]) treats one as an opaque token that only an
//! identical variable or a wildcard can cover. The escapes `${*}`, `${?}` and `${$}` stand for the
//! literal characters.
//!
//! Spans here are byte ranges into the ARN string itself (the decoded JSON string); use
//! [`span_in_string_node`] to turn one into a span of the policy text.

use std::fmt;

use crate::span::Span;
use crate::syntax::{string_offset, Node};

/// The partitions AWS has, as listed by the SDKs' partition metadata.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// One field of an ARN and where it is in the ARN string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArnPart<'a> {
    pub value: &'a str,
    /// Byte range within the ARN string.
    pub span: Span,
}

impl ArnPart<'_> {
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
    /// True when the field contains `*`, `?` or a policy variable.
    pub fn is_pattern(&self) -> bool {
        is_pattern(self.value)
    }
}

/// A parsed ARN (which may contain wildcards and policy variables).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub text: &'a str,
    pub partition: ArnPart<'a>,
    pub service: ArnPart<'a>,
    pub region: ArnPart<'a>,
    pub account: ArnPart<'a>,
    /// Everything after the fifth colon, colons included.
    pub resource: ArnPart<'a>,
}

/// Why a string is not an ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArnError {
    /// The string does not start with `arn:`.
    InvalidPrefix,
    /// Fewer than six colon-separated fields. `fields` is how many there are (`arn` counts).
    MissingFields { fields: usize },
}

impl fmt::Display for ArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArnError::InvalidPrefix => write!(f, "an ARN starts with \"arn:\""),
            ArnError::MissingFields { fields } => write!(
                f,
                "an ARN has six colon-separated fields \
                 (arn:partition:service:region:account:resource); this one has {fields}"
            ),
        }
    }
}

impl std::error::Error for ArnError {}

impl<'a> Arn<'a> {
    /// Parse `text` as an ARN. The prefix `arn` is case-sensitive, as in IAM. Colons inside
    /// `${...}` do not separate fields.
    pub fn parse(text: &'a str) -> Result<Arn<'a>, ArnError> {
        if !text.starts_with("arn:") {
            return Err(ArnError::InvalidPrefix);
        }
        // Byte offsets of the first five colons, skipping colons inside `${...}` (policy
        // variables such as `${aws:PrincipalAccount}`, template placeholders such as
        // `${AWS::Region}`).
        // (A fixed array: every Resource string of a policy is parsed by several rules.)
        let (colons, found) = field_colons(text.as_bytes());
        if found < 5 {
            return Err(ArnError::MissingFields { fields: found + 1 });
        }
        let part = |start: usize, end: usize| ArnPart {
            value: text.get(start..end).unwrap_or(""),
            span: Span::new(start, end),
        };
        Ok(Arn {
            text,
            partition: part(colons[0] + 1, colons[1]),
            service: part(colons[1] + 1, colons[2]),
            region: part(colons[2] + 1, colons[3]),
            account: part(colons[3] + 1, colons[4]),
            resource: part(colons[4] + 1, text.len()),
        })
    }

    /// The fields in order, with their names (for messages).
    pub fn parts(&self) -> [(&'static str, ArnPart<'a>); 5] {
        [
            ("partition", self.partition),
            ("service", self.service),
            ("region", self.region),
            ("account", self.account),
            ("resource", self.resource),
        ]
    }

    /// True when any field contains a wildcard or a policy variable.
    pub fn is_pattern(&self) -> bool {
        is_pattern(self.text)
    }
}

/// The byte offsets of the first five colons of `bytes` that are not inside `${...}`, and how
/// many there are; an unclosed `${` hides every colon after it. One test of `:` and `$` a byte,
/// a jump over a variable to its `}`: every Resource string of a policy is parsed by several
/// rules. (A memchr jump from one `:` or `$` to the next cost more on strings this short.)
fn field_colons(bytes: &[u8]) -> ([usize; 5], usize) {
    let mut colons = [0usize; 5];
    let mut found = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b':' => {
                colons[found] = i;
                found += 1;
                if found == 5 {
                    break;
                }
            }
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                match bytes
                    .get(i + 2..)
                    .and_then(|rest| memchr::memchr(b'}', rest))
                {
                    Some(close) => {
                        i += 2 + close + 1;
                        continue;
                    }
                    None => break,
                }
            }
            _ => {}
        }
        i += 1;
    }
    (colons, found)
}

/// True when the string has a policy variable `${...}`.
pub fn has_variable(s: &str) -> bool {
    variable_start(s, 0).is_some()
}

/// The byte offset of the next `${` in `s` at or after `from`. A `$` is searched for (memchr)
/// and the byte after it tested: most strings have no `$`, and a two-byte substring search
/// costs its setup on every string (these run over every string of a policy and every
/// template of the catalog).
pub fn variable_start(s: &str, mut from: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    loop {
        let at = from + memchr::memchr(b'$', bytes.get(from..)?)?;
        if bytes.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
}

/// True when the string can stand for more than one value: wildcards or policy variables.
pub fn is_pattern(s: &str) -> bool {
    literal_prefix_and_pattern(s).1
}

/// The length of [`literal_prefix`] and [`is_pattern`] together, from one scan: lists of
/// thousands of entries ask both of every entry. The scan jumps from one `*`, `?` or `$` to the
/// next (memchr), so a plain name costs about one vector compare rather than a loop per byte.
pub(crate) fn literal_prefix_and_pattern(s: &str) -> (usize, bool) {
    let bytes = s.as_bytes();
    let Some(first) = memchr::memchr3(b'*', b'?', b'$', bytes) else {
        return (bytes.len(), false);
    };
    let mut at = first;
    loop {
        if bytes[at] != b'$' || bytes.get(at + 1) == Some(&b'{') {
            return (first, true);
        }
        // A `$` that starts no variable: look further.
        match bytes
            .get(at + 1..)
            .and_then(|rest| memchr::memchr3(b'*', b'?', b'$', rest))
        {
            Some(k) => at += 1 + k,
            None => return (first, false),
        }
    }
}

/// True when a truncated ARN is still meaningful because its last field ends with `*`, which
/// IAM lets match past the colons (`arn:aws:ec2:*`).
pub fn truncated_arn_is_wildcard(text: &str) -> bool {
    text.starts_with("arn:") && text.ends_with('*')
}

/// Map a byte range of a JSON string's decoded value to the policy text, accounting for escapes.
pub fn span_in_string_node(text: &str, node: &Node, decoded: Span) -> Span {
    let start = string_offset(text, node, decoded.start);
    let end = string_offset(text, node, decoded.end).max(start);
    Span::new(start, end)
}

/// The partition whose Region names look like `region` (e.g. "cn-north-1" -> "aws-cn"), from
/// the SDKs' region patterns; None if the name has no known shape.
pub fn partition_of_region(region: &str) -> Option<&'static str> {
    let parts: Vec<&str> = region.split('-').collect();
    // Every Region name ends in a number and has at least three dash-separated pieces.
    let (last, rest) = parts.split_last()?;
    if rest.len() < 2
        || last.is_empty()
        || !last.bytes().all(|b| b.is_ascii_digit())
        || rest
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_lowercase()))
    {
        return None;
    }
    let (head, middle) = (rest[0], &rest[1..]);
    let second = middle.first().copied().unwrap_or("");
    Some(match (head, second) {
        ("us", "gov") if middle.len() >= 2 => "aws-us-gov",
        ("us", "iso") if middle.len() >= 2 => "aws-iso",
        ("us", "isob") if middle.len() >= 2 => "aws-iso-b",
        ("us", "isof") if middle.len() >= 2 => "aws-iso-f",
        ("eu", "isoe") if middle.len() >= 2 => "aws-iso-e",
        ("eusc", _) if middle.len() >= 2 => "aws-eusc",
        ("cn", _) if middle.len() == 1 => "aws-cn",
        ("us" | "eu" | "ap" | "sa" | "ca" | "me" | "af" | "il" | "mx", _) if middle.len() == 1 => {
            "aws"
        }
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Wildcard matching.

/// One element of a compiled pattern. Variable names borrow from the pattern, so compiling
/// allocates nothing but the token vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'p> {
    Lit(char),
    /// `?`; `colon` says whether it may match `:`.
    One {
        colon: bool,
    },
    /// `*`; `colon` says whether it may match `:`.
    Star {
        colon: bool,
    },
    /// An unknown policy variable such as `${aws:username}` or a catalog placeholder such as
    /// `${Region}` (name kept for identity); `colon` says whether its value may hold `:`.
    Var {
        name: &'p str,
        colon: bool,
    },
}

/// How to compile a pattern.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Plain glob: wildcards match any character (actions, simple strings).
    Plain,
    /// ARN rules: wildcards stay inside the first five fields unless a `*` ends its field.
    Arn,
    /// The resource part of an ARN alone: as [`Mode::Arn`] after the fifth colon.
    Resource,
}

fn compile(pattern: &str, mode: Mode, ignore_case: bool) -> Vec<Token<'_>> {
    let bytes = pattern.as_bytes();
    let mut tokens = Vec::with_capacity(pattern.len());
    let mut colons_seen = 0usize;
    let mut i = 0;
    // The structural characters are ASCII, so the scan works on bytes and decodes a character
    // only for a literal.
    while i < bytes.len() {
        // Wildcards may cross colons in the resource part, and in plain mode always.
        let in_resource = mode != Mode::Arn || colons_seen >= 5;
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                let rest = pattern.get(i + 2..).unwrap_or("");
                match rest.find('}') {
                    Some(len) => {
                        let name = &rest[..len];
                        match name {
                            "*" => tokens.push(Token::Lit('*')),
                            "?" => tokens.push(Token::Lit('?')),
                            "$" => tokens.push(Token::Lit('$')),
                            _ => tokens.push(Token::Var {
                                name,
                                colon: in_resource,
                            }),
                        }
                        i += len + 3;
                        continue;
                    }
                    // An unclosed `${` is just text.
                    None => tokens.push(Token::Lit('$')),
                }
            }
            b'*' => {
                let ends_field = matches!(bytes.get(i + 1), None | Some(b':'));
                tokens.push(Token::Star {
                    colon: in_resource || ends_field,
                });
            }
            b'?' => tokens.push(Token::One { colon: in_resource }),
            b':' => {
                colons_seen += 1;
                tokens.push(Token::Lit(':'));
            }
            b if b.is_ascii() => tokens.push(Token::Lit(if ignore_case {
                b.to_ascii_lowercase() as char
            } else {
                b as char
            })),
            _ => {
                let c = pattern
                    .get(i..)
                    .and_then(|rest| rest.chars().next())
                    .unwrap_or('\u{FFFD}');
                tokens.push(Token::Lit(if ignore_case { fold(c) } else { c }));
                i += c.len_utf8();
                continue;
            }
        }
        i += 1;
    }
    tokens
}

fn fold(c: char) -> char {
    // Simple one-to-one case folding; IAM action names are ASCII.
    c.to_lowercase().next().unwrap_or(c)
}

/// Does `tokens` match the literal `text`? Variables match any text. Linear-space, O(n*m) time
/// (the classic two-pointer algorithm would be wrong with colon-restricted stars).
fn matches_tokens(tokens: &[Token], text: &[char]) -> bool {
    // reach[j]: tokens[..i] can match text[..j].
    let mut reach = vec![false; text.len() + 1];
    reach[0] = true;
    for token in tokens {
        let mut next = vec![false; text.len() + 1];
        match token {
            Token::Star { colon } => {
                let mut carry = false;
                for j in 0..=text.len() {
                    // A star continues over a character it may match.
                    carry = reach[j] || (carry && j > 0 && (*colon || text[j - 1] != ':'));
                    next[j] = carry;
                }
            }
            Token::Var { .. } => {
                let mut carry = false;
                for j in 0..=text.len() {
                    carry = carry || reach[j];
                    next[j] = carry;
                }
            }
            Token::One { colon } => {
                for j in 1..=text.len() {
                    next[j] = reach[j - 1] && (*colon || text[j - 1] != ':');
                }
            }
            Token::Lit(c) => {
                for j in 1..=text.len() {
                    next[j] = reach[j - 1] && text[j - 1] == *c;
                }
            }
        }
        reach = next;
        if !reach.iter().any(|&r| r) {
            return false;
        }
    }
    reach[text.len()]
}

/// Does the Resource pattern `pattern` (from a policy) match the concrete ARN `arn`?
/// `"*"` matches everything. Case-sensitive, as IAM compares ARNs.
pub fn arn_pattern_matches(pattern: &str, arn: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let text: Vec<char> = arn.chars().collect();
    matches_tokens(&compile(pattern, Mode::Arn, false), &text)
}

/// Can `a` match one character that `b` matches (both non-star tokens)?
fn one_covers(a: &Token, b: &Token) -> bool {
    match (a, b) {
        (Token::Lit(x), Token::Lit(y)) => x == y,
        (Token::One { colon: true }, Token::Lit(_) | Token::One { .. }) => true,
        (Token::One { colon: false }, Token::Lit(y)) => *y != ':',
        (Token::One { colon: false }, Token::One { colon }) => !colon,
        _ => false,
    }
}

/// Can the star `a` absorb everything the token `b` stands for?
fn star_absorbs(a_colon: bool, b: &Token) -> bool {
    match b {
        Token::Lit(c) => a_colon || *c != ':',
        Token::One { colon } | Token::Star { colon } => a_colon || !colon,
        // A variable's value is unknown and might hold a colon.
        Token::Var { .. } => a_colon,
    }
}

/// Sound inclusion test: true only if every string `b` can match is also matched by `a`.
/// (It may answer false for a few exotic equal pairs such as `?*` and `*?`.)
fn covers_tokens(a: &[Token], b: &[Token]) -> bool {
    literal_runs_allow_cover(a, b) && covers_tokens_table(a, b)
}

/// A quick necessary condition for [`covers_tokens_table`]: a literal token of `a` only ever
/// covers the same literal token of `b`, one step on each side, so every run of literals in `a`
/// must appear, in order and without overlapping, among `b`'s tokens; the leading run at `b`'s
/// start and the trailing run at its end. Most pairs of a long list fail here after a few
/// comparisons instead of filling a table of `a.len() * b.len()` cells.
fn literal_runs_allow_cover(a: &[Token], b: &[Token]) -> bool {
    let is_lit = |t: &Token| matches!(t, Token::Lit(_));
    let lead = a.iter().take_while(|t| is_lit(t)).count();
    if lead == a.len() {
        // No wildcard in `a`: only the identical token sequence is covered.
        return a == b;
    }
    if b.get(..lead) != Some(&a[..lead]) {
        return false;
    }
    let trail = a.iter().rev().take_while(|t| is_lit(t)).count();
    if b.len() < lead + trail || b[b.len() - trail..] != a[a.len() - trail..] {
        return false;
    }
    // Middle runs, placed greedily (leftmost) between the leading and the trailing run: if any
    // placement exists, the leftmost one does.
    let (mut from, limit) = (lead, b.len() - trail);
    let middle = &a[lead..a.len() - trail];
    for run in middle.split(|t| !is_lit(t)).filter(|run| !run.is_empty()) {
        let window = &b[from..limit];
        match window.windows(run.len()).position(|w| w == run) {
            Some(at) => from += at + run.len(),
            None => return false,
        }
    }
    true
}

/// The exact inclusion table behind [`covers_tokens`].
fn covers_tokens_table(a: &[Token], b: &[Token]) -> bool {
    // reach[i * w + j]: a[..i] covers b[..j]. One flat table; a row with nothing reachable
    // means no later row can be reached either, so the answer is already known to be false.
    // Only the columns from the row's first reachable one are visited: nothing before it can
    // become reachable in this row or later ones.
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    let mut reach = vec![false; w * (n + 1)];
    reach[0] = true;
    let mut first = 0;
    for i in 0..=n {
        let mut row_first = None;
        for j in first..=m {
            if !reach[i * w + j] {
                continue;
            }
            row_first.get_or_insert(j);
            if i < n {
                match &a[i] {
                    Token::Star { colon } => {
                        reach[(i + 1) * w + j] = true;
                        if j < m && star_absorbs(*colon, &b[j]) {
                            reach[i * w + j + 1] = true;
                        }
                    }
                    Token::Var { name, .. } => {
                        if j < m && matches!(&b[j], Token::Var { name: other, .. } if other == name)
                        {
                            reach[(i + 1) * w + j + 1] = true;
                        }
                    }
                    single => {
                        if j < m && one_covers(single, &b[j]) {
                            reach[(i + 1) * w + j + 1] = true;
                        }
                    }
                }
            }
        }
        match row_first {
            Some(j) => first = j,
            None => return false,
        }
    }
    reach[n * w + m]
}

/// The text before the first wildcard or `$` (which may start a variable or escape).
pub(crate) fn literal_prefix(pattern: &str) -> &str {
    // A byte search: the three characters are ASCII, so the end is a character boundary.
    let end = memchr::memchr3(b'*', b'?', b'$', pattern.as_bytes()).unwrap_or(pattern.len());
    pattern.get(..end).unwrap_or(pattern)
}

/// Quick necessary condition for `a` covering `b`: every string `b` matches starts with its own
/// literal prefix, so that prefix must begin with `a`'s.
fn prefixes_allow_cover(a: &str, b: &str, ignore_case: bool) -> bool {
    let (pa, pb) = (literal_prefix(a), literal_prefix(b));
    match pb.get(..pa.len()) {
        Some(head) if ignore_case => head.eq_ignore_ascii_case(pa),
        Some(head) => head == pa,
        None => false,
    }
}

/// True if every ARN the Resource pattern `b` can match is also matched by `a` (both may hold
/// wildcards and policy variables). `"*"` covers everything. Sound: a true answer is certain.
pub fn arn_pattern_covers(a: &str, b: &str) -> bool {
    if a == "*" {
        return true;
    }
    if b == "*" || !prefixes_allow_cover(a, b, false) {
        return false;
    }
    covers_tokens(&compile(a, Mode::Arn, false), &compile(b, Mode::Arn, false))
}

/// True if every action the action pattern `b` can match is also matched by `a`,
/// case-insensitively (`s3:Get*` covers `s3:GetObject` and `S3:getobject*`).
pub fn action_pattern_covers(a: &str, b: &str) -> bool {
    if !prefixes_allow_cover(a, b, true) {
        return false;
    }
    covers_tokens(
        &compile(a, Mode::Plain, true),
        &compile(b, Mode::Plain, true),
    )
}

/// True if every string the plain pattern `b` can match is also matched by `a`, case-sensitively
/// (`*` and `?` cross any character, as in condition values under StringLike). Sound.
pub fn plain_pattern_covers(a: &str, b: &str) -> bool {
    prefixes_allow_cover(a, b, false)
        && covers_tokens(
            &compile(a, Mode::Plain, false),
            &compile(b, Mode::Plain, false),
        )
}

/// True if some action name matches both action patterns, case-insensitively (`s3:Get*` and
/// `s3:*Object` do; `s3:Get*` and `iam:*` do not). A false answer is certain.
pub fn action_patterns_may_overlap(a: &str, b: &str) -> bool {
    tokens_may_overlap(
        &loosen(compile(a, Mode::Plain, true)),
        &loosen(compile(b, Mode::Plain, true)),
    )
}

/// The entries of one list compiled once, to answer many "does entry `a` cover entry `b`"
/// questions with the same answers as [`arn_pattern_covers`] or [`action_pattern_covers`]
/// without compiling both patterns for every pair. Each entry is compiled on first use only:
/// most entries of a long list are never compared with anything.
pub struct CompiledList<'v> {
    values: &'v [&'v str],
    /// Allocated on the first comparison: in most lists nothing is ever compared.
    tokens: std::cell::OnceCell<Vec<std::cell::OnceCell<Vec<Token<'v>>>>>,
    actions: bool,
}

impl<'v> CompiledList<'v> {
    /// Resource ARNs, compared as [`arn_pattern_covers`] does.
    pub fn arns(values: &'v [&'v str]) -> CompiledList<'v> {
        CompiledList {
            values,
            tokens: std::cell::OnceCell::new(),
            actions: false,
        }
    }

    /// Action names, compared as [`action_pattern_covers`] does.
    pub fn actions(values: &'v [&'v str]) -> CompiledList<'v> {
        CompiledList {
            values,
            tokens: std::cell::OnceCell::new(),
            actions: true,
        }
    }

    /// True if entry `a` covers entry `b` (indexes into the list).
    pub fn covers(&self, a: usize, b: usize) -> bool {
        let (Some(va), Some(vb)) = (self.values.get(a), self.values.get(b)) else {
            return false;
        };
        if self.actions {
            return prefixes_allow_cover(va, vb, true)
                && covers_tokens(self.tokens_of(a), self.tokens_of(b));
        }
        if *va == "*" {
            return true;
        }
        if *vb == "*" || !prefixes_allow_cover(va, vb, false) {
            return false;
        }
        covers_tokens(self.tokens_of(a), self.tokens_of(b))
    }

    fn tokens_of(&self, i: usize) -> &[Token<'v>] {
        let cells = self.tokens.get_or_init(|| {
            (0..self.values.len())
                .map(|_| std::cell::OnceCell::new())
                .collect()
        });
        cells[i].get_or_init(|| {
            if self.actions {
                compile(self.values[i], Mode::Plain, true)
            } else {
                compile(self.values[i], Mode::Arn, false)
            }
        })
    }
}

/// True if some ARN matches both patterns, where a pattern may be a policy's Resource value or
/// a catalog ARN template (whose `${Placeholder}` parts, like policy variables, are read as "any
/// text within the field", or any text at all in the resource part). A false answer is certain:
/// no ARN can match both. Used to ask whether an action's resource type can apply to a listed ARN.
pub fn arn_patterns_may_overlap(a: &str, b: &str) -> bool {
    if a == "*" || b == "*" {
        return true;
    }
    // Quick test: strings matching both start with both literal prefixes.
    let (pa, pb) = (literal_prefix(a), literal_prefix(b));
    if !(pa.starts_with(pb) || pb.starts_with(pa)) {
        return false;
    }
    tokens_may_overlap(
        &loosen(compile(a, Mode::Arn, false)),
        &loosen(compile(b, Mode::Arn, false)),
    )
}

/// The resource part of an ARN (everything after the fifth colon) compiled once, to ask many
/// times whether two resource parts can name a common resource: the same answer as
/// [`arn_patterns_may_overlap`] gives for two ARNs with identical literal first fields, such as
/// `arn:p:s:r:a:` followed by each resource part.
///
/// It borrows nothing from the text (after [`loosen`] no variable names are left), so the
/// catalog keeps its templates' patterns beside its own strings.
#[derive(Debug)]
pub struct ResourcePattern {
    tokens: Vec<Token<'static>>,
}

impl ResourcePattern {
    pub fn new(resource: &str) -> ResourcePattern {
        ResourcePattern {
            tokens: loosen(compile(resource, Mode::Resource, false)),
        }
    }

    /// True if some resource part matches both (a false answer is certain).
    pub fn may_overlap(&self, other: &ResourcePattern) -> bool {
        tokens_may_overlap(&self.tokens, &other.tokens)
    }
}

/// The overlap test on compiled, loosened patterns (no variables left).
fn tokens_may_overlap(a: &[Token], b: &[Token]) -> bool {
    // Quick tests: a common string starts with both leading literal runs and ends with both
    // trailing ones, so each of those pairs must agree as far as the shorter run goes.
    let lit = |t: &Token| match t {
        Token::Lit(c) => Some(*c),
        _ => None,
    };
    let heads = a.iter().map_while(lit).zip(b.iter().map_while(lit));
    if heads.into_iter().any(|(x, y)| x != y) {
        return false;
    }
    let tails = a
        .iter()
        .rev()
        .map_while(lit)
        .zip(b.iter().rev().map_while(lit));
    if tails.into_iter().any(|(x, y)| x != y) {
        return false;
    }
    // The shorter pattern as bit masks, the other read token by token; the search below only
    // for patterns too long for one machine word.
    let (rows, columns) = if b.len() <= a.len() { (a, b) } else { (b, a) };
    match Columns::new(columns) {
        Some(columns) => columns.overlap(rows),
        None => product_search(a, b),
    }
}

/// [`tokens_may_overlap`] by exploring the product automaton state by state: (i, j) =
/// positions in a and b. The reference for [`Columns::overlap`], and the way for long patterns.
fn product_search(a: &[Token], b: &[Token]) -> bool {
    let (n, m) = (a.len(), b.len());
    let mut seen = vec![false; (n + 1) * (m + 1)];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let idx = i * (m + 1) + j;
        if seen[idx] {
            continue;
        }
        seen[idx] = true;
        if i == n && j == m {
            return true;
        }
        let a_star = matches!(a.get(i), Some(Token::Star { .. }));
        let b_star = matches!(b.get(j), Some(Token::Star { .. }));
        // A star may match nothing.
        if a_star {
            stack.push((i + 1, j));
        }
        if b_star {
            stack.push((i, j + 1));
        }
        // Both sides read one common character.
        if let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
            if can_share_a_character(x, y) {
                let ni = if a_star { i } else { i + 1 };
                let nj = if b_star { j } else { j + 1 };
                stack.push((ni, nj));
            }
        }
    }
    false
}

/// One pattern of at most 63 tokens (after [`loosen`]) as bit masks over its positions, to run
/// the product automaton of [`product_search`] a whole row at a time: for each token of the
/// other pattern, the set of positions `j` of this one that can be reached is one machine word.
/// The transitions are those of [`product_search`], with [`can_share_a_character`]'s answers
/// read from the masks.
struct Columns {
    /// The number of tokens; bit `len` is the end of the pattern.
    len: usize,
    /// `*` (and a variable, read as one).
    star: u64,
    /// `*`, `?` and variables.
    wild: u64,
    /// Those of them that may stand for `:`.
    wild_colon: u64,
    /// Literal `:`.
    lit_colon: u64,
    /// Literals other than `:`.
    lit_other: u64,
    /// Literal ASCII characters, by character.
    ascii: [u64; 128],
    /// Positions of literal characters beyond ASCII.
    other: Vec<(char, u64)>,
}

impl Columns {
    fn new(tokens: &[Token]) -> Option<Columns> {
        if tokens.len() > 63 {
            return None;
        }
        let mut c = Columns {
            len: tokens.len(),
            star: 0,
            wild: 0,
            wild_colon: 0,
            lit_colon: 0,
            lit_other: 0,
            ascii: [0; 128],
            other: Vec::new(),
        };
        for (j, t) in tokens.iter().enumerate() {
            let bit = 1u64 << j;
            match *t {
                Token::Lit(ch) => {
                    if ch == ':' {
                        c.lit_colon |= bit;
                    } else {
                        c.lit_other |= bit;
                    }
                    match c.ascii.get_mut(ch as usize) {
                        Some(mask) => *mask |= bit,
                        None => match c.other.iter_mut().find(|(o, _)| *o == ch) {
                            Some((_, mask)) => *mask |= bit,
                            None => c.other.push((ch, bit)),
                        },
                    }
                }
                Token::Star { colon } | Token::Var { colon, .. } => {
                    c.star |= bit;
                    c.wild |= bit;
                    if colon {
                        c.wild_colon |= bit;
                    }
                }
                Token::One { colon } => {
                    c.wild |= bit;
                    if colon {
                        c.wild_colon |= bit;
                    }
                }
            }
        }
        Some(c)
    }

    /// The positions whose token can share a character with `t` (a token of the other side).
    fn sharing(&self, t: &Token) -> u64 {
        match *t {
            Token::Lit(':') => self.lit_colon | self.wild_colon,
            Token::Lit(ch) => {
                let lit = match self.ascii.get(ch as usize) {
                    Some(mask) => *mask,
                    None => self
                        .other
                        .iter()
                        .find(|(o, _)| *o == ch)
                        .map_or(0, |(_, mask)| *mask),
                };
                lit | self.wild
            }
            Token::Star { colon } | Token::One { colon } | Token::Var { colon, .. } => {
                self.wild | self.lit_other | if colon { self.lit_colon } else { 0 }
            }
        }
    }

    /// `reach` with every step from `j` to `j + 1` for `j` in `steps`, repeated: a carry runs
    /// through each block of consecutive steps from the lowest reached position in it.
    fn close(reach: u64, steps: u64) -> u64 {
        let from = reach & steps;
        reach | from | (from.wrapping_add(steps) ^ steps)
    }

    /// True if some string matches both `rows` and this pattern.
    fn overlap(&self, rows: &[Token]) -> bool {
        let mut reach = 1u64;
        for t in rows {
            let is_star = matches!(t, Token::Star { .. } | Token::Var { .. });
            let sharing = self.sharing(t);
            // Within the row: this side's stars match nothing; a star of the other side takes
            // a token's character.
            let steps = if is_star {
                self.star | sharing
            } else {
                self.star
            };
            reach = Self::close(reach, steps);
            if reach == 0 {
                return false;
            }
            // To the next row: the other side's star matches nothing more, or one character is
            // read on both sides (this side's star stays where it is).
            reach = if is_star {
                reach
            } else {
                let read = reach & sharing;
                ((read & !self.star) << 1) | (read & self.star)
            };
        }
        Self::close(reach, self.star) >> self.len & 1 == 1
    }
}

fn can_share_a_character(x: &Token, y: &Token) -> bool {
    let colon_ok = |t: &Token| match t {
        Token::Star { colon } | Token::One { colon } | Token::Var { colon, .. } => *colon,
        Token::Lit(_) => true,
    };
    match (x, y) {
        (Token::Lit(p), Token::Lit(q)) => p == q,
        (Token::Lit(c), w) | (w, Token::Lit(c)) => *c != ':' || colon_ok(w),
        // Two wildcards agree on some ordinary character.
        _ => true,
    }
}

/// Turn variables and placeholders into stars over the same characters. No name is left, so
/// the tokens borrow nothing.
fn loosen(tokens: Vec<Token<'_>>) -> Vec<Token<'static>> {
    tokens
        .into_iter()
        .map(|t| match t {
            Token::Var { colon, .. } | Token::Star { colon } => Token::Star { colon },
            Token::Lit(c) => Token::Lit(c),
            Token::One { colon } => Token::One { colon },
        })
        .collect()
}

#[cfg(test)]
mod tests;
