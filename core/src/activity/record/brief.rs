//! Reading a record's bytes just far enough to decide whether it counts.
//!
//! Most records of a log belong to other principals or fall outside the period, and
//! deserializing each of them costs more than everything else together. [`scan`] walks a record
//! once, checking that it is well-formed JSON (at least as strictly as serde_json: a record it
//! passes, serde_json reads), finds where it ends, and picks out the few members that decide:
//! `eventTime`, `awsRegion`, `userIdentity.arn` and `userIdentity.sessionContext.sessionIssuer.arn`.
//! It vouches for a record (returns a [`Glance`]) only when the full reading is sure to give an
//! event with exactly those values; anything unusual (escaped names or values where they matter,
//! a member given twice, a type the full reading rejects, a number it might not read) leaves the
//! record to the full reading, which then gives its event or its error as before.

use std::ops::Range;

use crate::policy::values::parse_date;

/// What [`scan`] read of a record it vouches for; the ranges are byte ranges of the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Glance {
    pub time_ms: i64,
    pub region: Option<Range<usize>>,
    pub arn: Option<Range<usize>>,
    pub issuer_arn: Option<Range<usize>>,
}

/// The result of scanning the bytes that start with a record's `{`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Scan {
    /// The record is the first `end` bytes; `glance` is None when only the full reading can say
    /// what it holds.
    Done { end: usize, glance: Option<Glance> },
    /// The bytes end inside the record.
    More,
    /// Not JSON the scanner accepts (or nested too deep): the bracket-following splitter and the
    /// full reading take over, and report the error if there is one.
    Invalid,
}

/// The last `eventTime` read and its milliseconds: records come in time order and many share
/// their second, so most times need no parsing.
#[derive(Clone, Debug, Default)]
pub(super) struct LastTime {
    text: Vec<u8>,
    ms: i64,
}

impl LastTime {
    /// The milliseconds of `time` (an `eventTime`), as [`parse_date`] reads it.
    fn millis(&mut self, time: &[u8]) -> Option<i64> {
        if time == self.text.as_slice() {
            return Some(self.ms);
        }
        // CloudTrail writes `YYYY-MM-DDThh:mm:ssZ`: within the same minute as the last time,
        // which parse_date read, the seconds alone differ, and count linearly (0 to 60).
        let seconds = |t: &[u8]| match t {
            [.., s1 @ b'0'..=b'9', s2 @ b'0'..=b'9', b'Z'] if t.len() == 20 => {
                let s = i64::from(s1 - b'0') * 10 + i64::from(s2 - b'0');
                (s <= 60).then_some(s)
            }
            _ => None,
        };
        let ms = match (seconds(&self.text), seconds(time)) {
            (Some(old), Some(new)) if time[..17] == self.text[..17] => self.ms + (new - old) * 1000,
            _ => parse_date(std::str::from_utf8(time).ok()?)?,
        };
        self.text.clear();
        self.text.extend_from_slice(time);
        self.ms = ms;
        Some(ms)
    }
}

/// Deeper nesting is left to serde_json (whose own limit is 128).
const MAX_DEPTH: u32 = 100;

/// Longest number the full reading is sure to read as a lenient member (serde_json reads every
/// number it is given as any value into an f64, which overflows past about 309 digits).
const MAX_PLAIN_NUMBER: usize = 100;

/// Scan the record that starts at `bytes[0]` (a `{`).
pub(super) fn scan(bytes: &[u8], last_time: &mut LastTime) -> Scan {
    let mut s = Scanner {
        b: bytes,
        i: 0,
        vouch: true,
        time: None,
        region: None,
        arn: None,
        issuer_arn: None,
        named: 0,
    };
    match s.object(Ctx::Top, 1) {
        Ok(()) => {
            let glance = s.glance(last_time);
            Scan::Done { end: s.i, glance }
        }
        Err(Stop::More) => Scan::More,
        Err(Stop::Invalid) => Scan::Invalid,
    }
}

/// What a container is to the event (which of its members are read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    Top,
    Identity,
    Session,
    Issuer,
    /// The `resources` array.
    Resources,
    /// An item of `resources`.
    Resource,
    /// `requestParameters`: its member values are read as strings.
    Params,
    /// Anything else: only checked.
    Other,
}

/// The members the full reading deserializes, and how it reads their values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Time,
    /// `eventSource`, `eventName`: must be strings.
    Required,
    Region,
    Arn,
    IssuerArn,
    /// Read as any value (a string, a boolean, or something skipped).
    Lenient,
    Identity,
    Session,
    Issuer,
    Resources,
    Params,
}

/// The member `key` of a container, with its bit in the container's set of members seen (the
/// full reading rejects a member given twice).
fn field(ctx: Ctx, key: &[u8]) -> Option<(u16, Field)> {
    Some(match (ctx, key) {
        (Ctx::Top, b"eventTime") => (1, Field::Time),
        (Ctx::Top, b"eventSource") => (1 << 1, Field::Required),
        (Ctx::Top, b"eventName") => (1 << 2, Field::Required),
        (Ctx::Top, b"errorCode") => (1 << 3, Field::Lenient),
        (Ctx::Top, b"userIdentity") => (1 << 4, Field::Identity),
        (Ctx::Top, b"awsRegion") => (1 << 5, Field::Region),
        (Ctx::Top, b"recipientAccountId") => (1 << 6, Field::Lenient),
        (Ctx::Top, b"readOnly") => (1 << 7, Field::Lenient),
        (Ctx::Top, b"managementEvent") => (1 << 8, Field::Lenient),
        (Ctx::Top, b"eventCategory") => (1 << 9, Field::Lenient),
        (Ctx::Top, b"resources") => (1 << 10, Field::Resources),
        (Ctx::Top, b"requestParameters") => (1 << 11, Field::Params),
        (Ctx::Identity, b"type") => (1, Field::Lenient),
        (Ctx::Identity, b"arn") => (1 << 1, Field::Arn),
        (Ctx::Identity, b"accountId") => (1 << 2, Field::Lenient),
        (Ctx::Identity, b"sessionContext") => (1 << 3, Field::Session),
        (Ctx::Session, b"sessionIssuer") => (1, Field::Issuer),
        (Ctx::Issuer, b"arn") => (1, Field::IssuerArn),
        (Ctx::Resource, b"ARN") => (1, Field::Lenient),
        _ => return None,
    })
}

/// How a value turned out.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Str {
        body: Range<usize>,
        escaped: bool,
    },
    /// A number; `plain` when the full reading is sure to read it.
    Number {
        plain: bool,
    },
    Bool,
    Null,
    Object,
    Array,
}

enum Stop {
    More,
    Invalid,
}

type Step<T> = Result<T, Stop>;

struct Scanner<'a> {
    b: &'a [u8],
    /// The next byte to read.
    i: usize,
    /// False once the record holds something that only the full reading can judge.
    vouch: bool,
    time: Option<Range<usize>>,
    region: Option<Range<usize>>,
    arn: Option<Range<usize>>,
    issuer_arn: Option<Range<usize>>,
    /// `eventSource` and `eventName` seen as strings (bits 1 and 2).
    named: u8,
}

/// Bytes of 8 with the high bit set in each byte that is `"`, `\`, a control character or not
/// ASCII (the lowest flagged byte is exact; flags above it may be spurious).
fn special(w: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let quote = w ^ (LO * u64::from(b'"'));
    let backslash = w ^ (LO * u64::from(b'\\'));
    let zero = |x: u64| x.wrapping_sub(LO) & !x;
    (zero(quote) | zero(backslash) | (w.wrapping_sub(LO * 0x20) & !w) | w) & HI
}

impl Scanner<'_> {
    fn at(&self, j: usize) -> Step<u8> {
        self.b.get(j).copied().ok_or(Stop::More)
    }

    /// Skip whitespace; the next byte, not consumed.
    fn peek(&mut self) -> Step<u8> {
        loop {
            let c = self.at(self.i)?;
            if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                return Ok(c);
            }
            self.i += 1;
        }
    }

    fn value(&mut self, ctx: Ctx, depth: u32) -> Step<Kind> {
        match self.peek()? {
            b'{' => self.object(ctx, depth + 1).map(|()| Kind::Object),
            b'[' => self.array(ctx, depth + 1).map(|()| Kind::Array),
            b'"' => self
                .string()
                .map(|(body, escaped)| Kind::Str { body, escaped }),
            b't' => self.literal(b"true").map(|()| Kind::Bool),
            b'f' => self.literal(b"false").map(|()| Kind::Bool),
            b'n' => self.literal(b"null").map(|()| Kind::Null),
            b'-' | b'0'..=b'9' => self.number().map(|plain| Kind::Number { plain }),
            _ => Err(Stop::Invalid),
        }
    }

    /// At the `{` or `[` of a container that ends with `close`: true if an item follows, false
    /// if the container is empty (and then read).
    fn open(&mut self, close: u8, depth: u32) -> Step<bool> {
        if depth > MAX_DEPTH {
            return Err(Stop::Invalid);
        }
        self.i += 1;
        if self.peek()? == close {
            self.i += 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// After an item of a container that ends with `close`: true if another item follows (its
    /// `,` read), false at the end (`close` read).
    fn another(&mut self, close: u8) -> Step<bool> {
        match self.peek()? {
            b',' => {
                self.i += 1;
                Ok(true)
            }
            c if c == close => {
                self.i += 1;
                Ok(false)
            }
            _ => Err(Stop::Invalid),
        }
    }

    /// At a `{`.
    fn object(&mut self, ctx: Ctx, depth: u32) -> Step<()> {
        if !self.open(b'}', depth)? {
            return Ok(());
        }
        let mut seen = 0u16;
        loop {
            if self.peek()? != b'"' {
                return Err(Stop::Invalid);
            }
            let (key, escaped) = self.string()?;
            if self.peek()? != b':' {
                return Err(Stop::Invalid);
            }
            self.i += 1;
            let known = match ctx {
                Ctx::Other | Ctx::Params | Ctx::Resources => None,
                // serde matches member names after unescaping: an escaped name may be one read.
                _ if escaped => {
                    self.vouch = false;
                    None
                }
                _ => self.b.get(key).and_then(|k| field(ctx, k)),
            };
            match known {
                Some((bit, f)) => {
                    if seen & bit != 0 {
                        self.vouch = false;
                    }
                    seen |= bit;
                    self.member(f, depth)?;
                }
                None if ctx == Ctx::Params => {
                    let kind = self.value(Ctx::Other, depth)?;
                    self.lenient(&kind);
                }
                None => {
                    self.value(Ctx::Other, depth)?;
                }
            }
            if !self.another(b'}')? {
                return Ok(());
            }
        }
    }

    /// At a `[`.
    fn array(&mut self, ctx: Ctx, depth: u32) -> Step<()> {
        if !self.open(b']', depth)? {
            return Ok(());
        }
        loop {
            if ctx == Ctx::Resources {
                // Each item is read as an optional struct: an object or null.
                let kind = self.value(Ctx::Resource, depth)?;
                if !matches!(kind, Kind::Object | Kind::Null) {
                    self.vouch = false;
                }
            } else {
                self.value(Ctx::Other, depth)?;
            }
            if !self.another(b']')? {
                return Ok(());
            }
        }
    }

    /// The value of a member the full reading deserializes.
    fn member(&mut self, f: Field, depth: u32) -> Step<()> {
        let ctx = match f {
            Field::Identity => Ctx::Identity,
            Field::Session => Ctx::Session,
            Field::Issuer => Ctx::Issuer,
            Field::Resources => Ctx::Resources,
            Field::Params => Ctx::Params,
            _ => Ctx::Other,
        };
        let kind = self.value(ctx, depth)?;
        let accepted = match f {
            Field::Time => match kind {
                Kind::Str {
                    body,
                    escaped: false,
                } => {
                    self.time = Some(body);
                    true
                }
                _ => false,
            },
            Field::Required => {
                let is_str = matches!(kind, Kind::Str { .. });
                if is_str {
                    // Which of the two: the bits are kept by the caller's `seen`; counting is enough.
                    self.named = self.named.saturating_add(1);
                }
                is_str
            }
            Field::Region | Field::Arn | Field::IssuerArn => {
                let slot = match f {
                    Field::Region => &mut self.region,
                    Field::Arn => &mut self.arn,
                    _ => &mut self.issuer_arn,
                };
                match kind {
                    Kind::Str {
                        body,
                        escaped: false,
                    } => {
                        *slot = Some(body);
                        true
                    }
                    // Escaped: the full reading unescapes it.
                    Kind::Str { escaped: true, .. } => false,
                    Kind::Number { plain } => plain,
                    // Any other type reads as absent.
                    _ => true,
                }
            }
            Field::Lenient => match kind {
                Kind::Number { plain } => plain,
                _ => true,
            },
            Field::Identity | Field::Session | Field::Issuer => {
                matches!(kind, Kind::Object | Kind::Null)
            }
            Field::Resources => matches!(kind, Kind::Array | Kind::Null),
            Field::Params => !matches!(kind, Kind::Bool | Kind::Number { .. }),
        };
        if !accepted {
            self.vouch = false;
        }
        Ok(())
    }

    /// A value read as any JSON value: only a number it might not read matters.
    fn lenient(&mut self, kind: &Kind) {
        if let Kind::Number { plain: false } = kind {
            self.vouch = false;
        }
    }

    /// At a `"`: the body's range and whether it has escapes.
    fn string(&mut self) -> Step<(Range<usize>, bool)> {
        let start = self.i + 1;
        let mut j = start;
        let mut escaped = false;
        let mut ascii = true;
        loop {
            // Eight bytes at a time while none is special.
            while let Some(word) = self.b.get(j..j + 8) {
                let mut w = [0u8; 8];
                w.copy_from_slice(word);
                let flags = special(u64::from_le_bytes(w));
                if flags != 0 {
                    j += (flags.trailing_zeros() / 8) as usize;
                    break;
                }
                j += 8;
            }
            match self.at(j)? {
                b'"' => {
                    self.i = j + 1;
                    if !ascii && std::str::from_utf8(&self.b[start..j]).is_err() {
                        return Err(Stop::Invalid);
                    }
                    return Ok((start..j, escaped));
                }
                b'\\' => {
                    escaped = true;
                    j = self.escape(j)?;
                }
                0..=0x1f => return Err(Stop::Invalid),
                0x80..=0xff => {
                    ascii = false;
                    j += 1;
                }
                _ => j += 1,
            }
        }
    }

    /// At a `\` in a string: the index after the escape.
    fn escape(&self, j: usize) -> Step<usize> {
        match self.at(j + 1)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Ok(j + 2),
            b'u' => {
                let unit = self.hex4(j + 2)?;
                if (0xDC00..0xE000).contains(&unit) {
                    return Err(Stop::Invalid);
                }
                if !(0xD800..0xDC00).contains(&unit) {
                    return Ok(j + 6);
                }
                // A leading surrogate must be followed by an escaped trailing one.
                if self.at(j + 6)? != b'\\' || self.at(j + 7)? != b'u' {
                    return Err(Stop::Invalid);
                }
                if !(0xDC00..0xE000).contains(&self.hex4(j + 8)?) {
                    return Err(Stop::Invalid);
                }
                Ok(j + 12)
            }
            _ => Err(Stop::Invalid),
        }
    }

    fn hex4(&self, j: usize) -> Step<u32> {
        let mut unit = 0;
        for k in j..j + 4 {
            let digit = char::from(self.at(k)?).to_digit(16).ok_or(Stop::Invalid)?;
            unit = unit * 16 + digit;
        }
        Ok(unit)
    }

    fn literal(&mut self, word: &[u8]) -> Step<()> {
        for (k, &expected) in word.iter().enumerate() {
            if self.at(self.i + k)? != expected {
                return Err(Stop::Invalid);
            }
        }
        self.i += word.len();
        Ok(())
    }

    /// A number by JSON's grammar; true when it is plain (no exponent, not long).
    fn number(&mut self) -> Step<bool> {
        let start = self.i;
        let mut j = start;
        if self.at(j)? == b'-' {
            j += 1;
        }
        match self.at(j)? {
            b'0' => j += 1,
            b'1'..=b'9' => j = self.digits(j)?,
            _ => return Err(Stop::Invalid),
        }
        if self.at(j)? == b'.' {
            j = self.some_digits(j + 1)?;
        }
        let mut plain = true;
        if matches!(self.at(j)?, b'e' | b'E') {
            plain = false;
            j += 1;
            if matches!(self.at(j)?, b'+' | b'-') {
                j += 1;
            }
            j = self.some_digits(j)?;
        }
        self.i = j;
        Ok(plain && j - start <= MAX_PLAIN_NUMBER)
    }

    /// Digits from `j` on: the index after them.
    fn digits(&self, mut j: usize) -> Step<usize> {
        while self.at(j)?.is_ascii_digit() {
            j += 1;
        }
        Ok(j)
    }

    /// At least one digit from `j` on.
    fn some_digits(&self, j: usize) -> Step<usize> {
        if !self.at(j)?.is_ascii_digit() {
            return Err(Stop::Invalid);
        }
        self.digits(j)
    }

    /// The glance at a record scanned to its end, if the scanner vouches for it.
    fn glance(&self, last_time: &mut LastTime) -> Option<Glance> {
        if !self.vouch || self.named != 2 {
            return None;
        }
        let time = self.b.get(self.time.clone()?)?;
        let time_ms = last_time.millis(time)?;
        Some(Glance {
            time_ms,
            region: self.region.clone(),
            arn: self.arn.clone(),
            issuer_arn: self.issuer_arn.clone(),
        })
    }
}

#[cfg(test)]
mod tests;
