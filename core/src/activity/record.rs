//! Reading CloudTrail logs: the bytes of a log file in, one [`Event`] per record out.
//!
//! Two shapes are read: log files as CloudTrail delivers them to S3 (`{"Records": [event, ...]}`,
//! plain or gzipped) and the output of `aws cloudtrail lookup-events` (`{"Events": [{...,
//! "CloudTrailEvent": "<the event as a JSON string>"}]}`); a bare array of events is read too.
//!
//! Logs are large (a busy account writes gigabytes a day), so nothing here holds a whole file:
//! [`LogReader`] takes the file in chunks of any size, a [`Splitter`] finds where each record
//! starts and ends by following only strings and brackets, and each record alone is deserialized
//! into a borrowed [`Event`] that skips every field iamlint does not read. Memory stays at one
//! chunk plus the largest record. A record that cannot be read gives an error at its line and
//! column in the (decompressed) file, and the records after it are still read.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::policy::values::parse_date;

mod brief;
mod gunzip;

use brief::{Glance, Scan};
use gunzip::Gunzip;

/// One CloudTrail event, with the fields iamlint reads, borrowed from the record's bytes where
/// the JSON has no escapes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Event<'a> {
    /// `eventTime` as written (`2026-01-31T12:00:00Z`).
    pub time: Cow<'a, str>,
    /// `eventTime` in milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// `eventSource`, the service's endpoint name (`s3.amazonaws.com`).
    pub source: Cow<'a, str>,
    /// `eventName`, the API operation (`GetObject`).
    pub name: Cow<'a, str>,
    /// `errorCode` of a call that failed (`AccessDenied`).
    pub error_code: Option<Cow<'a, str>>,
    pub identity: Identity<'a>,
    pub region: Option<Cow<'a, str>>,
    pub recipient_account: Option<Cow<'a, str>>,
    pub read_only: Option<bool>,
    pub management_event: Option<bool>,
    /// `eventCategory`: `Management`, `Data`, `Insight`, `NetworkActivity`.
    pub category: Option<Cow<'a, str>>,
    /// The ARNs of `resources[]`.
    pub resources: Vec<Cow<'a, str>>,
    pub request: RequestParameters<'a>,
}

impl Event<'_> {
    /// True for a data event (an object-level operation that trails record only when asked).
    pub fn is_data_event(&self) -> bool {
        self.management_event == Some(false)
            || self
                .category
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case("data"))
    }
}

/// The members of a record that decide whether it counts, read from its bytes without
/// deserializing it (see [`Records::brief`]). Given only for records whose full reading is sure
/// to give an event with these same values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Brief<'a> {
    /// `eventTime` in milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// `awsRegion`.
    pub region: Option<&'a str>,
    /// `userIdentity.arn`.
    pub arn: Option<&'a str>,
    /// `userIdentity.sessionContext.sessionIssuer.arn`.
    pub issuer_arn: Option<&'a str>,
}

impl<'a> Brief<'a> {
    fn of(bytes: &'a [u8], glance: &Glance) -> Option<Brief<'a>> {
        let text = |range: &Option<std::ops::Range<usize>>| -> Option<Option<&'a str>> {
            match range {
                None => Some(None),
                Some(r) => std::str::from_utf8(bytes.get(r.clone())?).ok().map(Some),
            }
        };
        Some(Brief {
            time_ms: glance.time_ms,
            region: text(&glance.region)?,
            arn: text(&glance.arn)?,
            issuer_arn: text(&glance.issuer_arn)?,
        })
    }
}

/// Where a [`LogReader`] delivers what it reads.
pub trait Records {
    /// True to be offered a [`Brief`] of each record before it is deserialized.
    fn reads_briefs(&self) -> bool {
        false
    }
    /// A record seen through its brief: true to have it read in full and given to
    /// [`Records::record`], false when the brief was enough.
    fn brief(&mut self, _brief: &Brief<'_>) -> bool {
        true
    }
    /// A record read in full, or the error that stopped it (and errors of the file itself).
    fn record(&mut self, record: Result<Event<'_>, ReadError>);
}

/// Every record to a [`Sink`], all read in full.
struct EveryRecord<'a, 's>(&'a mut Sink<'s>);

impl Records for EveryRecord<'_, '_> {
    fn record(&mut self, record: Result<Event<'_>, ReadError>) {
        (self.0)(record)
    }
}

/// Who made the call (`userIdentity`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity<'a> {
    /// `type`: `IAMUser`, `AssumedRole`, `Root`, `FederatedUser`, `AWSService`, ...
    pub kind: Option<Cow<'a, str>>,
    /// `arn`: the user, root or session ARN (`arn:aws:sts::111122223333:assumed-role/R/s`).
    pub arn: Option<Cow<'a, str>>,
    /// `sessionContext.sessionIssuer.arn`: the role (or user) whose session made the call.
    pub issuer_arn: Option<Cow<'a, str>>,
    pub account_id: Option<Cow<'a, str>>,
}

/// The members of `requestParameters` that name resources: the top-level string members listed
/// here, and every top-level string member whose value is an ARN.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestParameters<'a> {
    pub bucket_name: Option<Cow<'a, str>>,
    pub key: Option<Cow<'a, str>>,
    pub table_name: Option<Cow<'a, str>>,
    pub function_name: Option<Cow<'a, str>>,
    pub queue_url: Option<Cow<'a, str>>,
    pub role_name: Option<Cow<'a, str>>,
    pub user_name: Option<Cow<'a, str>>,
    pub group_name: Option<Cow<'a, str>>,
    pub log_group_name: Option<Cow<'a, str>>,
    /// `x-amz-copy-source` of S3 copies: `bucket/key`, URL-encoded, maybe with `?versionId=`.
    pub copy_source: Option<Cow<'a, str>>,
    /// `sourceKeyId` of `kms:ReEncrypt`.
    pub source_key_id: Option<Cow<'a, str>>,
    /// Values of other members that are ARNs (`roleArn`, `topicArn`, `secretId`, ...).
    pub arns: Vec<Cow<'a, str>>,
}

/// A record or file that could not be read, at a 1-based line and column (in characters) of the
/// decompressed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Read one CloudTrail event from the bytes of its JSON object.
///
/// Errors carry a 1-based line and byte column within `bytes` when the JSON itself is at fault.
pub fn parse_event(bytes: &[u8]) -> Result<Event<'_>, EventError> {
    let raw: RawEvent<'_> = serde_json::from_slice(bytes).map_err(EventError::from_json)?;
    raw.into_event()
}

/// Why a record is not an event: the JSON's own error (with its line and column within the
/// record), or a missing or unreadable field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventError {
    /// 1-based line and byte column within the record; (0, 0) when the record as a whole is meant.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl EventError {
    fn from_json(e: serde_json::Error) -> EventError {
        let mut message = e.to_string();
        // serde_json appends " at line L column C"; the position is given separately.
        if let Some(at) = message.rfind(" at line ") {
            message.truncate(at);
        }
        EventError {
            line: e.line(),
            column: e.column(),
            message,
        }
    }
    fn whole(message: impl Into<String>) -> EventError {
        EventError {
            line: 0,
            column: 0,
            message: message.into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEvent<'a> {
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    event_time: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    event_source: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    event_name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    error_code: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    user_identity: Option<RawIdentity<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    aws_region: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    recipient_account_id: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "lenient_bool")]
    read_only: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    management_event: Option<bool>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    event_category: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "resource_arns")]
    resources: Vec<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "request_parameters")]
    request_parameters: RequestParameters<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawIdentity<'a> {
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient_str")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    arn: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    account_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    session_context: Option<RawSessionContext<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSessionContext<'a> {
    #[serde(borrow, default)]
    session_issuer: Option<RawIssuer<'a>>,
}

#[derive(Deserialize)]
struct RawIssuer<'a> {
    #[serde(borrow, default, deserialize_with = "lenient_str")]
    arn: Option<Cow<'a, str>>,
}

impl<'a> RawEvent<'a> {
    fn into_event(self) -> Result<Event<'a>, EventError> {
        let missing = |field: &str| EventError::whole(format!("the event has no {field}"));
        let time = self.event_time.ok_or_else(|| missing("eventTime"))?;
        let time_ms = parse_date(&time).ok_or_else(|| {
            EventError::whole(format!(
                "eventTime \"{time}\" is not an ISO 8601 time such as 2026-01-31T12:00:00Z"
            ))
        })?;
        let source = self.event_source.ok_or_else(|| missing("eventSource"))?;
        let name = self.event_name.ok_or_else(|| missing("eventName"))?;
        let (kind, arn, account_id, issuer_arn) = match self.user_identity {
            Some(id) => (
                id.kind,
                id.arn,
                id.account_id,
                id.session_context
                    .and_then(|c| c.session_issuer)
                    .and_then(|i| i.arn),
            ),
            None => (None, None, None, None),
        };
        Ok(Event {
            time,
            time_ms,
            source,
            name,
            // An empty errorCode is how some tools write "no error".
            error_code: self.error_code.filter(|c| !c.is_empty()),
            identity: Identity {
                kind,
                arn,
                issuer_arn,
                account_id,
            },
            region: self.aws_region,
            recipient_account: self.recipient_account_id,
            read_only: self.read_only,
            management_event: self.management_event,
            category: self.event_category,
            resources: self.resources,
            request: self.request_parameters,
        })
    }
}

/// A member's value as far as iamlint reads it: a string, a boolean, or anything else (null,
/// numbers, arrays, objects), which is skipped.
enum Lenient<'a> {
    Str(Cow<'a, str>),
    Bool(bool),
    Other,
}

/// A string member, or None for null and for any other JSON type (CloudTrail's own fields are
/// strings; a record written by another tool may have something else, which is not an error
/// worth losing the event for).
fn lenient_str<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    Ok(match d.deserialize_any(LenientVisitor)? {
        Lenient::Str(s) => Some(s),
        _ => None,
    })
}

/// A boolean member, also written as the string "true"/"false"; None otherwise.
fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match d.deserialize_any(LenientVisitor)? {
        Lenient::Bool(b) => Some(b),
        Lenient::Str(s) => crate::policy::values::parse_bool(&s),
        Lenient::Other => None,
    })
}

struct LenientVisitor;

impl<'de> Visitor<'de> for LenientVisitor {
    type Value = Lenient<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Lenient::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Lenient::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Lenient::Str(Cow::Owned(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Lenient::Bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Lenient::Other)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Lenient::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Lenient::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Lenient::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Lenient::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Lenient::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Lenient::Other)
    }
}

/// The `ARN` of each item of `resources` (items without one are skipped).
fn resource_arns<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Cow<'de, str>>, D::Error> {
    #[derive(Deserialize)]
    struct RawResource<'a> {
        #[serde(borrow, default, rename = "ARN", deserialize_with = "lenient_str")]
        arn: Option<Cow<'a, str>>,
    }
    struct ResourcesVisitor;
    impl<'de> Visitor<'de> for ResourcesVisitor {
        type Value = Vec<Cow<'de, str>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of resources")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<Option<RawResource<'de>>>()? {
                out.extend(item.and_then(|r| r.arn));
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(ResourcesVisitor)
}

/// The resource-naming members of `requestParameters` (any other shape reads as none).
fn request_parameters<'de, D: Deserializer<'de>>(d: D) -> Result<RequestParameters<'de>, D::Error> {
    struct ParamsVisitor;
    impl<'de> Visitor<'de> for ParamsVisitor {
        type Value = RequestParameters<'de>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = RequestParameters::default();
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                let slot = match key.as_ref() {
                    "bucketName" => &mut out.bucket_name,
                    "key" => &mut out.key,
                    "tableName" => &mut out.table_name,
                    "functionName" => &mut out.function_name,
                    "queueUrl" => &mut out.queue_url,
                    "roleName" => &mut out.role_name,
                    "userName" => &mut out.user_name,
                    "groupName" => &mut out.group_name,
                    "logGroupName" => &mut out.log_group_name,
                    "x-amz-copy-source" => &mut out.copy_source,
                    "sourceKeyId" => &mut out.source_key_id,
                    _ => {
                        let value = map.next_value_seed(LenientStrSeed)?;
                        out.arns.extend(value.filter(|v| v.starts_with("arn:")));
                        continue;
                    }
                };
                *slot = map.next_value_seed(LenientStrSeed)?;
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(RequestParameters::default())
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(RequestParameters::default())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(RequestParameters::default())
        }
    }
    d.deserialize_any(ParamsVisitor)
}

struct LenientStrSeed;

impl<'de> de::DeserializeSeed<'de> for LenientStrSeed {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        lenient_str(d)
    }
}

/// What the items of the file's array are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ItemKind {
    /// CloudTrail events (`Records`, or a bare array).
    Event,
    /// `lookup-events` items, each holding its event as a JSON string in `CloudTrailEvent`.
    Lookup,
}

/// Where the splitter is in the file's outer structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outer {
    /// Before the top-level value.
    Start,
    /// In the top-level object, before a member's key.
    Key,
    /// In the top-level object, after a key, before its ':'.
    Colon,
    /// In the top-level object, before a member's value.
    Value,
    /// In the top-level object, inside or after a member's value that is skipped.
    Skip,
    /// Inside the array of records, between items.
    Items,
    /// Inside an item of the array of records (or a skipped scalar item).
    Item,
    /// After the top-level value.
    End,
}

/// A piece of the file the splitter found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// The bytes `start..end` of the buffer are one item of the array of records.
    Item { start: usize, end: usize },
    /// Something wrong at byte `at` of the buffer.
    Error { at: usize, message: String },
}

/// A record larger than this is reported and skipped instead of held in memory; CloudTrail's own
/// events are at most a few hundred kilobytes.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// A record still incomplete at the end of the buffer is scanned again from its start when more
/// bytes come, up to this size; a larger one is followed bracket by bracket instead.
const MAX_RESCAN: usize = 1 << 20;

/// Finds the records of a CloudTrail log in a buffer that grows at the end and is consumed at the
/// front, following only strings and brackets (the records themselves are read by
/// [`parse_event`]). It also keeps the line and column of the buffer's first byte, so that a
/// position in the buffer can be given as a position in the file.
#[derive(Clone, Debug)]
pub struct Splitter {
    outer: Outer,
    kind: Option<ItemKind>,
    /// Brackets open, counting the top-level one.
    depth: u32,
    /// Depth of the array of records (items are at this depth + 1 once opened).
    items_depth: u32,
    in_string: bool,
    escape: bool,
    /// The top-level member's key being read (only short keys are kept).
    key: Vec<u8>,
    key_overflow: bool,
    /// Start of the current item in the buffer (None when skipping an oversized or scalar item).
    item_start: Option<usize>,
    /// Next byte of the buffer to scan.
    pos: usize,
    /// Line (0-based) and column (0-based, in characters) of the buffer's first byte.
    base_line: u64,
    base_col: u64,
    found_items: bool,
    /// Scan each event with [`brief::scan`] to find its end and glance at it.
    fast: bool,
    /// The glance at the item just returned, when it was scanned.
    glance: Option<Glance>,
    /// The buffer ends inside an item being scanned: wait for more bytes.
    waiting: bool,
    last_time: brief::LastTime,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::new()
    }
}

impl Splitter {
    pub fn new() -> Splitter {
        Splitter {
            outer: Outer::Start,
            kind: None,
            depth: 0,
            items_depth: 0,
            in_string: false,
            escape: false,
            key: Vec::new(),
            key_overflow: false,
            item_start: None,
            pos: 0,
            base_line: 0,
            base_col: 0,
            found_items: false,
            fast: false,
            glance: None,
            waiting: false,
            last_time: brief::LastTime::default(),
        }
    }

    /// True when the items are `lookup-events` items rather than events.
    fn lookup(&self) -> bool {
        self.kind == Some(ItemKind::Lookup)
    }

    /// Scan `buf` from where the last call stopped; the next item or error, or None once the
    /// whole buffer is scanned (then [`Splitter::consume`] and add more bytes).
    pub fn next(&mut self, buf: &[u8]) -> Option<Piece> {
        while self.pos < buf.len() {
            if self.in_string {
                self.scan_string(buf);
                continue;
            }
            let i = self.pos;
            let b = buf[i];
            self.pos += 1;
            if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                continue;
            }
            if let Some(piece) = self.structural(buf, i, b) {
                return Some(piece);
            }
            if self.waiting {
                self.waiting = false;
                return None;
            }
        }
        if let Some(start) = self.item_start {
            if buf.len() - start > MAX_RECORD_BYTES {
                self.item_start = None;
                return Some(Piece::Error {
                    at: start,
                    message: format!(
                        "a record longer than {} MB; skipped",
                        MAX_RECORD_BYTES >> 20
                    ),
                });
            }
        }
        None
    }

    /// Inside a string: jump to its closing quote, or to the end of the buffer.
    fn scan_string(&mut self, buf: &[u8]) {
        if self.escape {
            self.escape = false;
            self.pos += 1;
            return;
        }
        let rest = &buf[self.pos..];
        match memchr::memchr2(b'"', b'\\', rest) {
            Some(k) => {
                let at = self.pos + k;
                if self.collecting_key() {
                    self.push_key(&rest[..k]);
                }
                self.pos = at + 1;
                if buf[at] == b'\\' {
                    if self.collecting_key() {
                        // Escaped keys are never the ones looked for.
                        self.key_overflow = true;
                    }
                    self.escape = true;
                } else {
                    self.in_string = false;
                    if self.outer == Outer::Key {
                        self.outer = Outer::Colon;
                    }
                }
            }
            None => {
                if self.collecting_key() {
                    self.push_key(rest);
                }
                self.pos = buf.len();
            }
        }
    }

    fn collecting_key(&self) -> bool {
        self.outer == Outer::Key && self.depth == 1
    }

    fn push_key(&mut self, bytes: &[u8]) {
        if self.key.len() + bytes.len() <= 16 {
            self.key.extend_from_slice(bytes);
        } else {
            self.key_overflow = true;
        }
    }

    /// A byte outside strings that is not whitespace.
    fn structural(&mut self, buf: &[u8], i: usize, b: u8) -> Option<Piece> {
        let opens = matches!(b, b'{' | b'[');
        let closes = matches!(b, b'}' | b']');
        match self.outer {
            Outer::Start => match b {
                b'{' => {
                    self.depth = 1;
                    self.outer = Outer::Key;
                }
                b'[' => {
                    self.depth = 1;
                    self.items_depth = 1;
                    self.kind = Some(ItemKind::Event);
                    self.found_items = true;
                    self.outer = Outer::Items;
                }
                _ => {
                    self.outer = Outer::End;
                    return Some(self.not_a_log(i));
                }
            },
            Outer::Key => match b {
                b'"' => {
                    self.in_string = true;
                    self.key.clear();
                    self.key_overflow = false;
                }
                b',' => {}
                b'}' => {
                    self.depth = 0;
                    self.outer = Outer::End;
                }
                _ => return Some(self.unexpected(i, b, "a member name")),
            },
            Outer::Colon => match b {
                b':' => self.outer = Outer::Value,
                _ => return Some(self.unexpected(i, b, "':'")),
            },
            Outer::Value => {
                let kind = match (self.key_overflow, self.key.as_slice()) {
                    (false, b"Records") => Some(ItemKind::Event),
                    (false, b"Events") => Some(ItemKind::Lookup),
                    _ => None,
                };
                match (b, kind) {
                    (b'[', Some(kind)) => {
                        self.depth = 2;
                        self.items_depth = 2;
                        self.kind = Some(kind);
                        self.found_items = true;
                        self.outer = Outer::Items;
                    }
                    _ => {
                        self.outer = Outer::Skip;
                        if opens {
                            self.depth += 1;
                        } else if b == b'"' {
                            self.in_string = true;
                        } else if closes {
                            return Some(self.unexpected(i, b, "a value"));
                        }
                    }
                }
            }
            Outer::Skip => {
                if opens {
                    self.depth += 1;
                } else if b == b'"' {
                    self.in_string = true;
                } else if closes {
                    self.depth -= 1;
                    if self.depth == 0 {
                        self.outer = Outer::End;
                    }
                } else if b == b',' && self.depth == 1 {
                    self.outer = Outer::Key;
                }
            }
            Outer::Items => match b {
                b',' => {}
                b'{' => {
                    if self.fast && !self.lookup() {
                        match brief::scan(&buf[i..], &mut self.last_time) {
                            Scan::Done { end, glance } => {
                                self.pos = i + end;
                                self.glance = glance;
                                return Some(Piece::Item {
                                    start: i,
                                    end: i + end,
                                });
                            }
                            Scan::More if buf.len() - i <= MAX_RESCAN => {
                                self.pos = i;
                                self.waiting = true;
                                return None;
                            }
                            // Not JSON the scanner accepts, or a very large record: follow its
                            // brackets; the full reading reports what is wrong.
                            Scan::More | Scan::Invalid => {}
                        }
                    }
                    self.glance = None;
                    self.depth += 1;
                    self.item_start = Some(i);
                    self.outer = Outer::Item;
                }
                b']' | b'}' => {
                    self.depth -= 1;
                    self.outer = if self.depth == 0 {
                        Outer::End
                    } else {
                        Outer::Skip
                    };
                }
                _ => {
                    // A scalar or array where an event belongs: skip it up to the next item.
                    self.outer = Outer::Item;
                    self.item_start = None;
                    if b == b'[' {
                        self.depth += 1;
                    } else if b == b'"' {
                        self.in_string = true;
                    }
                    let what = if self.lookup() {
                        "a lookup-events item"
                    } else {
                        "an event"
                    };
                    return Some(Piece::Error {
                        at: i,
                        message: format!("expected {what} (a JSON object) here"),
                    });
                }
            },
            Outer::Item => {
                if opens {
                    self.depth += 1;
                } else if b == b'"' {
                    self.in_string = true;
                } else if closes {
                    self.depth -= 1;
                    if self.depth == self.items_depth {
                        self.outer = Outer::Items;
                        if let Some(start) = self.item_start.take() {
                            return Some(Piece::Item { start, end: i + 1 });
                        }
                    } else if self.depth < self.items_depth {
                        // The array closed right after a scalar item.
                        self.outer = if self.depth == 0 {
                            Outer::End
                        } else {
                            Outer::Skip
                        };
                    }
                } else if b == b',' && self.depth == self.items_depth {
                    // The end of a skipped scalar item.
                    self.outer = Outer::Items;
                }
            }
            Outer::End => {
                self.pos = buf.len();
                return Some(Piece::Error {
                    at: i,
                    message: "unexpected text after the end of the log".into(),
                });
            }
        }
        None
    }

    fn not_a_log(&self, at: usize) -> Piece {
        Piece::Error {
            at,
            message: "not a CloudTrail log: expected {\"Records\": [...]} (a log file as \
                delivered to S3) or {\"Events\": [...]} (aws cloudtrail lookup-events output)"
                .into(),
        }
    }

    fn unexpected(&mut self, at: usize, b: u8, expected: &str) -> Piece {
        self.outer = Outer::End;
        Piece::Error {
            at,
            message: format!(
                "JSON syntax: expected {expected}, found '{}'",
                char::from(b).escape_default()
            ),
        }
    }

    /// The error for the end of the file, if the log was cut short or had no records array.
    pub fn finish(&self, buf: &[u8]) -> Option<Piece> {
        let at = buf.len();
        if self.outer == Outer::Start {
            return Some(Piece::Error {
                at,
                message: "the file is empty".into(),
            });
        }
        if self.outer != Outer::End || self.in_string {
            return Some(Piece::Error {
                at,
                message: "unexpected end of the file: the log is cut short".into(),
            });
        }
        if !self.found_items {
            return Some(self.not_a_log(0));
        }
        None
    }

    /// Drop the bytes at the front of `buf` that no item needs any more.
    pub fn consume(&mut self, buf: &mut Vec<u8>) {
        let keep = self.item_start.unwrap_or(self.pos).min(buf.len());
        if keep == 0 {
            return;
        }
        let (line, col) = self.advance(&buf[..keep]);
        self.base_line = line;
        self.base_col = col;
        buf.drain(..keep);
        self.pos -= keep;
        if let Some(start) = self.item_start.as_mut() {
            *start -= keep;
        }
    }

    /// Line and column (0-based, column in characters) just after `bytes`, which start at the
    /// buffer's first byte.
    fn advance(&self, bytes: &[u8]) -> (u64, u64) {
        // The usual case, checked in one pass the compiler vectorizes (a plain reduction, no
        // early exit): no newline and ASCII only, so the column moves by the number of bytes.
        let flags = bytes
            .iter()
            .fold(0u8, |flags, &b| flags | (b & 0x80) | u8::from(b == b'\n'));
        if flags == 0 {
            return (self.base_line, self.base_col + bytes.len() as u64);
        }
        let newlines = memchr::memchr_iter(b'\n', bytes).count() as u64;
        let after_last = memchr::memrchr(b'\n', bytes).map_or(bytes, |k| &bytes[k + 1..]);
        // A CloudTrail log is one long line, nearly always ASCII: checking that is much faster
        // than counting characters.
        let chars = if after_last.is_ascii() {
            after_last.len()
        } else {
            after_last.iter().filter(|&&b| b & 0xC0 != 0x80).count()
        } as u64;
        if newlines == 0 {
            (self.base_line, self.base_col + chars)
        } else {
            (self.base_line + newlines, chars)
        }
    }

    /// The 1-based line and column in the file of byte `at` of the buffer.
    pub fn position(&self, buf: &[u8], at: usize) -> (u64, u64) {
        let (line, col) = self.advance(&buf[..at.min(buf.len())]);
        (line + 1, col + 1)
    }
}

/// Reads one log file given in chunks: gzip is recognised by its first bytes and decompressed on
/// the way; every event, and every error with its position, goes to the caller's sink as soon as
/// it is read.
pub struct LogReader {
    splitter: Splitter,
    /// Plain JSON waiting to be split (decompressed output when gzipped).
    buf: Vec<u8>,
    gz: Option<Gunzip>,
    /// Bytes seen before the first two, to recognise gzip.
    started: bool,
    /// Set after an error that makes the rest of the file unreadable.
    broken: bool,
}

/// What a [`LogReader`] gives for each record.
pub type Sink<'s> = dyn for<'e> FnMut(Result<Event<'e>, ReadError>) + 's;

impl Default for LogReader {
    fn default() -> Self {
        LogReader::new()
    }
}

impl LogReader {
    pub fn new() -> LogReader {
        LogReader {
            splitter: Splitter::new(),
            buf: Vec::new(),
            gz: None,
            started: false,
            broken: false,
        }
    }

    /// Read the next bytes of the file; every record is read in full.
    pub fn feed(&mut self, chunk: &[u8], sink: &mut Sink<'_>) {
        self.feed_to(chunk, &mut EveryRecord(sink));
    }

    /// Read the next bytes of the file, offering each record's [`Brief`] first when `sink`
    /// reads them.
    pub fn feed_to(&mut self, chunk: &[u8], sink: &mut dyn Records) {
        self.splitter.fast = sink.reads_briefs();
        if self.broken || chunk.is_empty() {
            return;
        }
        if !self.started {
            // Gzip starts with 1f 8b; a first chunk of one byte waits for the second.
            self.buf.extend_from_slice(chunk);
            if self.buf.len() < 2 {
                return;
            }
            self.started = true;
            if self.buf.starts_with(&[0x1f, 0x8b]) {
                self.gz = Some(Gunzip::new());
                let first = std::mem::take(&mut self.buf);
                self.feed_gz(&first, sink);
            } else {
                self.split(sink);
            }
            return;
        }
        if self.gz.is_some() {
            self.feed_gz(chunk, sink);
        } else {
            self.buf.extend_from_slice(chunk);
            self.split(sink);
        }
    }

    fn feed_gz(&mut self, mut compressed: &[u8], sink: &mut dyn Records) {
        while !compressed.is_empty() && !self.broken {
            let Some(gz) = self.gz.as_mut() else { return };
            // Inflated straight after the bytes not yet split, a bounded piece at a time.
            let result = gz.inflate(compressed, &mut self.buf);
            self.split(sink);
            match result {
                Ok(used) => compressed = compressed.get(used..).unwrap_or_default(),
                Err(e) => return self.gz_error(e, sink),
            }
        }
    }

    fn gz_error(&mut self, e: String, sink: &mut dyn Records) {
        self.broken = true;
        let (line, column) = self.splitter.position(&self.buf, self.buf.len());
        sink.record(Err(ReadError {
            line,
            column,
            message: format!("gzip: {e}; the rest of the file is not read"),
        }));
    }

    /// Split what the buffer holds and read its records.
    fn split(&mut self, sink: &mut dyn Records) {
        while let Some(piece) = self.splitter.next(&self.buf) {
            match piece {
                Piece::Item { start, end } => {
                    let glance = self.splitter.glance.take();
                    self.item(start, end, glance, sink)
                }
                Piece::Error { at, message } => {
                    let (line, column) = self.splitter.position(&self.buf, at);
                    sink.record(Err(ReadError {
                        line,
                        column,
                        message,
                    }));
                }
            }
        }
        self.splitter.consume(&mut self.buf);
    }

    fn item(&self, start: usize, end: usize, glance: Option<Glance>, sink: &mut dyn Records) {
        let bytes = &self.buf[start..end];
        if let Some(brief) = glance.and_then(|g| Brief::of(bytes, &g)) {
            if !sink.brief(&brief) {
                return;
            }
        }
        let error_at = |e: EventError, prefix: &str| {
            let at = if e.line == 0 {
                start
            } else {
                start + offset_of(bytes, e.line, e.column)
            };
            let (line, column) = self.splitter.position(&self.buf, at);
            ReadError {
                line,
                column,
                message: format!("{prefix}{}", e.message),
            }
        };
        if !self.splitter.lookup() {
            sink.record(parse_event(bytes).map_err(|e| error_at(e, "")));
            return;
        }
        #[derive(Deserialize)]
        struct LookupItem<'a> {
            #[serde(borrow, default, rename = "CloudTrailEvent")]
            event: Option<Cow<'a, str>>,
        }
        let item: LookupItem<'_> = match serde_json::from_slice(bytes) {
            Ok(item) => item,
            Err(e) => return sink.record(Err(error_at(EventError::from_json(e), ""))),
        };
        let Some(text) = item.event else {
            return sink.record(Err(error_at(
                EventError::whole("a lookup-events item without CloudTrailEvent"),
                "",
            )));
        };
        // The inner event's own positions are within the string: given in the message.
        sink.record(parse_event(text.as_bytes()).map_err(|e| {
            let inner = if e.line == 0 {
                e.message
            } else {
                format!(
                    "{} (line {}, column {} of the CloudTrailEvent text)",
                    e.message, e.line, e.column
                )
            };
            error_at(EventError::whole(inner), "CloudTrailEvent: ")
        }));
    }

    /// The end of the file: errors for a log cut short.
    pub fn finish(self, sink: &mut Sink<'_>) {
        self.finish_to(&mut EveryRecord(sink));
    }

    /// [`LogReader::finish`] for a reader fed with [`LogReader::feed_to`].
    pub fn finish_to(mut self, sink: &mut dyn Records) {
        self.splitter.fast = sink.reads_briefs();
        if self.broken {
            return;
        }
        if !self.started {
            // Fewer than two bytes in all.
            self.started = true;
            self.split(sink);
        }
        if let Some(gz) = self.gz.take() {
            if let Err(e) = gz.finish() {
                return self.gz_error(e, sink);
            }
        }
        if let Some(Piece::Error { at, message }) = self.splitter.finish(&self.buf) {
            // A file with no records array is wrong from its start.
            let (line, column) = if self.splitter.found_items {
                self.splitter.position(&self.buf, at)
            } else {
                (1, 1)
            };
            sink.record(Err(ReadError {
                line,
                column,
                message,
            }));
        }
    }
}

/// The byte offset in `bytes` of a 1-based line and byte column (as serde_json counts them).
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match memchr::memchr(b'\n', &bytes[offset..]) {
            Some(k) => offset += k + 1,
            None => return bytes.len(),
        }
    }
    (offset + column.saturating_sub(1)).min(bytes.len())
}

/// A log file found in a folder of logs: CloudTrail's S3 delivery (`.json.gz`), its plain form
/// and `lookup-events` output (`.json`), the extension in any case (`EVENTS.JSON` from a
/// case-insensitive file system). A file named directly is read whatever its name. The VS Code
/// extension lists the folders it sends the server by the same rule (`isLogFile` in
/// vscode-extension/src/logic.ts, tested with the same names).
pub fn is_log_file_name(name: &str) -> bool {
    let ends_with = |suffix: &str| {
        name.len() >= suffix.len()
            && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    ends_with(".json") || ends_with(".json.gz")
}

/// Read a whole log held in memory (tests, the language server's small files).
pub fn read_log(bytes: &[u8], sink: &mut Sink<'_>) {
    read_log_to(bytes, &mut EveryRecord(sink));
}

/// [`read_log`] to [`Records`].
pub fn read_log_to(bytes: &[u8], sink: &mut dyn Records) {
    let mut reader = LogReader::new();
    reader.feed_to(bytes, sink);
    reader.finish_to(sink);
}

/// Read a whole log from `source` (a file of the command line's or the language server's, or
/// bytes the editor sent) `chunk.len()` bytes at a time, so memory stays bounded whatever the
/// log's size. An error of `source` ends the reading there: it is returned, and the records
/// read before it have been given to `sink`. The core opens nothing itself; the face passes
/// what it opened.
pub fn read_log_from(
    source: &mut dyn std::io::Read,
    chunk: &mut [u8],
    sink: &mut dyn Records,
) -> std::io::Result<()> {
    let mut reader = LogReader::new();
    loop {
        match source.read(chunk) {
            Ok(0) => break,
            Ok(n) => reader.feed_to(&chunk[..n], sink),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    reader.finish_to(sink);
    Ok(())
}

#[cfg(test)]
mod tests;
