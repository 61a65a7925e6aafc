//! Which CloudTrail events count, and their aggregation into usage rows.
//!
//! An event counts when it was made by the principal asked about (a role matches the sessions
//! of the role, through `sessionContext.sessionIssuer` or the assumed-role ARN), falls in the
//! period, and succeeded (events with an `errorCode` only count when asked). Counted events are
//! aggregated per event source and event name into a [`Usage`]: the number of events, the last
//! time, and the resources they named. The same aggregation is read from usage rows made by a
//! query over the CloudTrail table (Athena, Trino, DuckDB: CSV or JSON lines), so that
//! everything after it (generation, unused grants) is the same for both.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::record::{Brief, Event, ReadError, Records};
use crate::policy::values::parse_date;

/// The principal whose activity is read, from its ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// `arn:aws:iam::<account>:role/<path/><name>`: the role and every session of it.
    Role {
        arn: String,
        account: String,
        name: String,
    },
    /// Any other ARN (a user, an assumed-role session, the root user, a federated user): the
    /// identity whose `userIdentity.arn` it is; a user also matches its federation sessions
    /// (their `sessionIssuer`).
    Exact { arn: String },
}

impl Principal {
    /// Read `--principal`: a role, user or assumed-role ARN.
    pub fn parse(arn: &str) -> Result<Principal, String> {
        let arn = arn.trim();
        let fields: Vec<&str> = arn.splitn(6, ':').collect();
        if fields.len() != 6 || fields[0] != "arn" || fields[5].is_empty() {
            return Err(format!(
                "'{arn}' is not an ARN; give a role (arn:aws:iam::111122223333:role/name), user \
                 (arn:aws:iam::111122223333:user/name) or assumed-role \
                 (arn:aws:sts::111122223333:assumed-role/role/session) ARN"
            ));
        }
        let (service, account, resource) = (fields[2], fields[4], fields[5]);
        if service == "iam" {
            if let Some(path_name) = resource.strip_prefix("role/") {
                let name = path_name.rsplit('/').next().unwrap_or(path_name);
                if name.is_empty() {
                    return Err(format!("'{arn}' names no role"));
                }
                return Ok(Principal::Role {
                    arn: arn.to_string(),
                    account: account.to_string(),
                    name: name.to_string(),
                });
            }
        }
        Ok(Principal::Exact {
            arn: arn.to_string(),
        })
    }

    /// The principal's ARN as given.
    pub fn arn(&self) -> &str {
        match self {
            Principal::Role { arn, .. } | Principal::Exact { arn } => arn,
        }
    }

    /// The account ID in the principal's ARN, if it has one.
    pub fn account(&self) -> Option<&str> {
        self.arn().split(':').nth(4).filter(|a| !a.is_empty())
    }

    /// Does a call made by the identity with ARN `arn` (and session issuer `issuer`) count?
    pub fn matches(&self, arn: Option<&str>, issuer: Option<&str>) -> bool {
        match self {
            Principal::Role {
                arn: role,
                account,
                name,
            } => {
                if let Some(issuer) = issuer {
                    if issuer.eq_ignore_ascii_case(role) || same_role(issuer, account, name) {
                        return true;
                    }
                }
                // Without the issuer (a usage row, a record written by another tool), the
                // session ARN names the role: assumed-role/<name>/<session>.
                arn.is_some_and(|a| a.eq_ignore_ascii_case(role) || is_session_of(a, account, name))
            }
            Principal::Exact { arn: wanted } => {
                arn.is_some_and(|a| a.eq_ignore_ascii_case(wanted))
                    || issuer.is_some_and(|i| {
                        i.eq_ignore_ascii_case(wanted) && wanted.contains(":user/")
                    })
            }
        }
    }
}

/// `arn:aws:iam::<account>:role/<path/>name`, the same account and name (role names are unique
/// in an account whatever the path, and compared without case).
fn same_role(arn: &str, account: &str, name: &str) -> bool {
    names(
        arn,
        "iam",
        account,
        "role/",
        |path| path.rsplit('/').next(),
        name,
    )
}

/// `arn:aws:sts::<account>:assumed-role/<name>/<session>`.
fn is_session_of(arn: &str, account: &str, name: &str) -> bool {
    names(
        arn,
        "sts",
        account,
        "assumed-role/",
        |rest| rest.split('/').next(),
        name,
    )
}

/// True when `arn` is of `service` in `account`, and its resource starts with `prefix` and
/// names `name` (without case) where `pick` finds a name in the rest.
fn names(
    arn: &str,
    service: &str,
    account: &str,
    prefix: &str,
    pick: fn(&str) -> Option<&str>,
    name: &str,
) -> bool {
    arn_fields(arn).is_some_and(|[_, _, s, _, acc, resource]| {
        s == service
            && acc == account
            && resource
                .strip_prefix(prefix)
                .and_then(pick)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

/// The six `:`-separated fields of an ARN (the last one keeps its own colons). This runs for
/// every record of every principal: no allocation, and a plain byte search (the fields are
/// short, where `str::splitn` pays for a general searcher).
fn arn_fields(arn: &str) -> Option<[&str; 6]> {
    let mut fields = [""; 6];
    let mut rest = arn;
    for field in fields.iter_mut().take(5) {
        let at = rest.bytes().position(|b| b == b':')?;
        *field = rest.get(..at)?;
        rest = rest.get(at + 1..)?;
    }
    fields[5] = rest;
    Some(fields)
}

/// Read `--since`/`--until`: an RFC 3339 time, or a date (`2026-01-31`), which for `--until`
/// means the end of that day. Milliseconds since the Unix epoch.
pub fn parse_time_bound(text: &str, end_of_day: bool) -> Result<i64, String> {
    let t = text.trim();
    let ms = parse_date(t)
        .filter(|_| t.len() >= 10)
        .ok_or_else(|| {
            format!("'{text}' is not a time: give an RFC 3339 time (2026-01-31T12:00:00Z) or a date (2026-01-31)")
        })?;
    Ok(if end_of_day && t.len() == 10 {
        ms + 86_400_000 - 1
    } else {
        ms
    })
}

/// Which events count.
#[derive(Clone, Debug)]
pub struct Filter {
    pub principal: Principal,
    /// Inclusive bounds, in milliseconds since the Unix epoch.
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// Count failed calls (those with an `errorCode`) too.
    pub include_denied: bool,
}

impl Filter {
    /// Every successful call of `principal`, at any time.
    pub fn new(principal: Principal) -> Filter {
        Filter {
            principal,
            since: None,
            until: None,
            include_denied: false,
        }
    }

    /// The filter the faces' options describe (`iamlint generate`/`unused` flags, the editor's
    /// request, an `[[activity]]` entry): the principal's ARN, and the period's bounds as an
    /// RFC 3339 time or a date (`until` a date means the end of that day). One home for reading
    /// them, so every face accepts and refuses the same text with the same words.
    pub fn from_options(options: &FilterOptions<'_>) -> Result<Filter, FilterError> {
        let principal = Principal::parse(options.principal).map_err(|message| FilterError {
            option: FilterOption::Principal,
            message,
        })?;
        let bound = |text: Option<&str>, option: FilterOption| {
            text.map(|t| parse_time_bound(t, option == FilterOption::Until))
                .transpose()
                .map_err(|message| FilterError { option, message })
        };
        let since = bound(options.since, FilterOption::Since)?;
        let until = bound(options.until, FilterOption::Until)?;
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                return Err(FilterError {
                    option: FilterOption::Since,
                    message: "the period starts after it ends (since is after until)".into(),
                });
            }
        }
        Ok(Filter {
            principal,
            since,
            until,
            include_denied: options.include_denied,
        })
    }

    pub fn in_period(&self, ms: i64) -> bool {
        self.since.is_none_or(|s| ms >= s) && self.until.is_none_or(|u| ms <= u)
    }
}

/// The options that make a [`Filter`], as text.
#[derive(Clone, Copy, Debug, Default)]
pub struct FilterOptions<'a> {
    pub principal: &'a str,
    pub since: Option<&'a str>,
    pub until: Option<&'a str>,
    pub include_denied: bool,
}

/// Which option of a [`FilterOptions`] was refused; each face names it its own way
/// (`--since`, `since`, a span in iamlint.toml).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterOption {
    Principal,
    Since,
    Until,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    pub option: FilterOption,
    pub message: String,
}

/// Counts what a [`LogReader`](super::record::LogReader) reads into a [`Usage`], deciding from
/// each record's [`Brief`] where it can, so that the records of other principals and other
/// times are never deserialized; errors go to `on_error`.
pub struct Counter<'u, E: FnMut(ReadError)> {
    pub usage: &'u mut Usage,
    pub filter: &'u Filter,
    pub on_error: E,
}

impl<E: FnMut(ReadError)> Records for Counter<'_, E> {
    fn reads_briefs(&self) -> bool {
        true
    }
    fn brief(&mut self, brief: &Brief<'_>) -> bool {
        self.usage.add_brief(self.filter, brief)
    }
    fn record(&mut self, record: Result<Event<'_>, ReadError>) {
        match record {
            Ok(event) => self.usage.add_event(self.filter, &event),
            Err(e) => (self.on_error)(e),
        }
    }
}

/// The events of one (event source, event name) that counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub count: u64,
    /// Milliseconds since the Unix epoch.
    pub last_seen: i64,
    /// Resource ARNs the events named (at most [`MAX_RESOURCES`]).
    pub resources: BTreeSet<String>,
    /// More resources were named than are kept.
    pub resources_overflow: bool,
    /// Some events named no resource at all.
    pub without_resource: bool,
    /// Resources the events read from (the source of a copy), at most [`MAX_RESOURCES`].
    pub sources: BTreeSet<String>,
    /// More sources were named than are kept, or some event's source could not be read.
    pub sources_incomplete: bool,
}

/// Add `arn` to a capped set; false when it did not fit.
fn insert_capped(set: &mut BTreeSet<String>, arn: &str) -> bool {
    if set.contains(arn) {
        return true;
    }
    if set.len() >= MAX_RESOURCES {
        return false;
    }
    set.insert(arn.to_string());
    true
}

/// Resources kept per (event source, event name): past this, the generated policy uses the
/// resource type's ARN pattern instead of a list nobody would read.
pub const MAX_RESOURCES: usize = 32;

/// What was read besides the counted events, for the notes of a generated policy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Events read (any principal, any time).
    pub events: u64,
    /// Events of the principal in the period that counted.
    pub counted: u64,
    /// Events of the principal in the period left out because they failed.
    pub failed: u64,
    /// Counted events that are data events.
    pub data_events: u64,
    /// Regions of the events read in the period (any principal).
    pub regions: BTreeSet<String>,
    /// First and last event time read in the period (any principal).
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// Usage rows were read (no per-event detail: regions, data events, failures unknown).
    pub from_rows: bool,
}

/// The aggregated activity of one principal: (event source, event name) -> [`Entry`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub entries: BTreeMap<String, BTreeMap<String, Entry>>,
    pub stats: Stats,
}

impl Usage {
    pub fn new() -> Usage {
        Usage::default()
    }

    /// Count an event read (of any principal) in the stats; true if it is in the period.
    fn note_read(&mut self, filter: &Filter, time_ms: i64, region: Option<&str>) -> bool {
        let stats = &mut self.stats;
        stats.events += 1;
        if !filter.in_period(time_ms) {
            return false;
        }
        stats.first = Some(stats.first.map_or(time_ms, |f| f.min(time_ms)));
        stats.last = Some(stats.last.map_or(time_ms, |l| l.max(time_ms)));
        if let Some(region) = region {
            if !stats.regions.contains(region) {
                stats.regions.insert(region.to_string());
            }
        }
        true
    }

    /// Count a record from its brief when that is enough (another principal's, or outside the
    /// period); true when the record may count and must be read in full ([`Usage::add_event`]).
    pub fn add_brief(&mut self, filter: &Filter, brief: &Brief<'_>) -> bool {
        if filter.in_period(brief.time_ms) && filter.principal.matches(brief.arn, brief.issuer_arn)
        {
            return true;
        }
        self.note_read(filter, brief.time_ms, brief.region);
        false
    }

    /// Count `event` if the filter lets it through.
    pub fn add_event(&mut self, filter: &Filter, event: &Event<'_>) {
        if !self.note_read(filter, event.time_ms, event.region.as_deref()) {
            return;
        }
        let stats = &mut self.stats;
        let id = &event.identity;
        if !filter
            .principal
            .matches(id.arn.as_deref(), id.issuer_arn.as_deref())
        {
            return;
        }
        if event.error_code.is_some() && !filter.include_denied {
            stats.failed += 1;
            return;
        }
        stats.counted += 1;
        if event.is_data_event() {
            stats.data_events += 1;
        }
        let entry = self.entry(&event.source, &event.name);
        entry.count += 1;
        entry.last_seen = entry.last_seen.max(event.time_ms);
        let mut named = false;
        for_each_resource(event, |arn| {
            named = true;
            if !insert_capped(&mut entry.resources, arn) {
                entry.resources_overflow = true;
            }
        });
        if !named {
            entry.without_resource = true;
        }
        if event.request.copy_source.is_some() || event.request.source_key_id.is_some() {
            match source_resource(event) {
                Some(arn) if insert_capped(&mut entry.sources, &arn) => {}
                _ => entry.sources_incomplete = true,
            }
        }
    }

    fn entry(&mut self, source: &str, name: &str) -> &mut Entry {
        if !self.entries.contains_key(source) {
            self.entries.insert(source.to_string(), BTreeMap::new());
        }
        let names = self.entries.get_mut(source).expect("inserted above");
        if !names.contains_key(name) {
            names.insert(name.to_string(), Entry::default());
        }
        names.get_mut(name).expect("inserted above")
    }

    /// Count a usage row if its principal is the one asked about (and its last use is in the
    /// period: a row carries no other time).
    pub fn add_row(&mut self, filter: &Filter, row: &UsageRow) {
        self.stats.from_rows = true;
        self.stats.events += row.count;
        if !filter.in_period(row.last_seen) {
            return;
        }
        if !filter.principal.matches(Some(&row.principal), None) {
            return;
        }
        self.stats.counted += row.count;
        self.stats.last = Some(
            self.stats
                .last
                .map_or(row.last_seen, |l| l.max(row.last_seen)),
        );
        let entry = self.entry(&row.event_source, &row.event_name);
        entry.count += row.count;
        entry.last_seen = entry.last_seen.max(row.last_seen);
        entry.without_resource = true;
    }

    /// Add what another reader counted (each thread reads its own files).
    pub fn merge(&mut self, other: Usage) {
        for (source, names) in other.entries {
            for (name, e) in names {
                let entry = self.entry(&source, &name);
                entry.count += e.count;
                entry.last_seen = entry.last_seen.max(e.last_seen);
                entry.without_resource |= e.without_resource;
                entry.resources_overflow |= e.resources_overflow;
                entry.sources_incomplete |= e.sources_incomplete;
                for arn in &e.resources {
                    if !insert_capped(&mut entry.resources, arn) {
                        entry.resources_overflow = true;
                    }
                }
                for arn in &e.sources {
                    if !insert_capped(&mut entry.sources, arn) {
                        entry.sources_incomplete = true;
                    }
                }
            }
        }
        let (s, o) = (&mut self.stats, other.stats);
        s.events += o.events;
        s.counted += o.counted;
        s.failed += o.failed;
        s.data_events += o.data_events;
        s.regions.extend(o.regions);
        s.first = min_opt(s.first, o.first);
        s.last = s.last.max(o.last);
        s.from_rows |= o.from_rows;
    }

    /// The rows of this usage, in the order of event source then event name.
    pub fn rows(&self, principal: &str) -> Vec<UsageRow> {
        let mut out = Vec::new();
        for (source, names) in &self.entries {
            for (name, e) in names {
                out.push(UsageRow {
                    principal: principal.to_string(),
                    event_source: source.clone(),
                    event_name: name.clone(),
                    count: e.count,
                    last_seen: e.last_seen,
                });
            }
        }
        out
    }
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The resource a copy reads from: the S3 object of `x-amz-copy-source` (`bucket/key`,
/// URL-encoded, maybe with `?versionId=`), or the KMS key of `sourceKeyId`.
fn source_resource(event: &Event<'_>) -> Option<String> {
    let (partition, account, region) = event_arn_parts(event);
    if let Some(copy) = event.request.copy_source.as_deref() {
        let copy = copy.split('?').next().unwrap_or(copy);
        let decoded = crate::encoding::percent(copy)?;
        let path = decoded.trim_start_matches('/');
        let (bucket, key) = path.split_once('/')?;
        return (!bucket.is_empty() && !key.is_empty())
            .then(|| format!("arn:{partition}:s3:::{bucket}/{key}"));
    }
    let key = event.request.source_key_id.as_deref()?;
    if key.starts_with("arn:") {
        return Some(key.to_string());
    }
    // A key ID (an alias names no key the policy could scope to).
    (!key.starts_with("alias/") && !key.is_empty())
        .then(|| format!("arn:{partition}:kms:{region}:{account}:key/{key}"))
}

/// The partition, account and Region that complete a resource name of the event into an ARN.
fn event_arn_parts<'e>(event: &'e Event<'_>) -> (&'e str, &'e str, &'e str) {
    let partition = event
        .identity
        .arn
        .as_deref()
        .and_then(|a| a.split(':').nth(1))
        .filter(|p| p.starts_with("aws"))
        .unwrap_or("aws");
    let account = event
        .recipient_account
        .as_deref()
        .or(event.identity.account_id.as_deref())
        .unwrap_or("*");
    let region = event.region.as_deref().unwrap_or("*");
    (partition, account, region)
}

/// Every resource ARN the event names: those of `resources[]`, and those its request
/// parameters give (an ARN, or a name that the event's account and Region complete).
pub fn for_each_resource(event: &Event<'_>, mut f: impl FnMut(&str)) {
    for arn in &event.resources {
        f(arn);
    }
    let r = &event.request;
    for arn in &r.arns {
        f(arn);
    }
    let (partition, account, region) = event_arn_parts(event);
    let source = event.source.as_ref();
    fn named(value: Option<&str>) -> Option<&str> {
        value.filter(|v| !v.is_empty() && !v.contains('*'))
    }
    match source {
        "s3.amazonaws.com" => {
            if let Some(bucket) = named(r.bucket_name.as_deref()) {
                if !event.resources.is_empty() {
                    return;
                }
                match named(r.key.as_deref()) {
                    Some(key) => f(&format!("arn:{partition}:s3:::{bucket}/{key}")),
                    None => f(&format!("arn:{partition}:s3:::{bucket}")),
                }
            }
        }
        "dynamodb.amazonaws.com" => {
            if let Some(t) = named(r.table_name.as_deref()).filter(|t| !t.starts_with("arn:")) {
                f(&format!(
                    "arn:{partition}:dynamodb:{region}:{account}:table/{t}"
                ));
            }
        }
        "lambda.amazonaws.com" => {
            if let Some(name) = named(r.function_name.as_deref()) {
                if name.starts_with("arn:") {
                    f(name);
                } else {
                    f(&format!(
                        "arn:{partition}:lambda:{region}:{account}:function:{name}"
                    ));
                }
            }
        }
        "sqs.amazonaws.com" => {
            // https://sqs.<region>.amazonaws.com/<account>/<name>
            if let Some(url) = named(r.queue_url.as_deref()) {
                let parts: Vec<&str> = url.rsplitn(3, '/').collect();
                if let [name, acct, _] = parts.as_slice() {
                    if acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()) {
                        f(&format!("arn:{partition}:sqs:{region}:{acct}:{name}"));
                    }
                }
            }
        }
        "logs.amazonaws.com" => {
            if let Some(g) = named(r.log_group_name.as_deref()) {
                f(&format!(
                    "arn:{partition}:logs:{region}:{account}:log-group:{g}"
                ));
            }
        }
        "iam.amazonaws.com" => {
            for (value, kind) in [
                (r.role_name.as_deref(), "role"),
                (r.user_name.as_deref(), "user"),
                (r.group_name.as_deref(), "group"),
            ] {
                if let Some(name) = named(value) {
                    f(&format!("arn:{partition}:iam::{account}:{kind}/{name}"));
                }
            }
        }
        _ => {}
    }
}

/// One usage row: how often a principal made one kind of call, and when last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageRow {
    pub principal: String,
    pub event_source: String,
    pub event_name: String,
    pub count: u64,
    /// Milliseconds since the Unix epoch.
    pub last_seen: i64,
}

/// The columns of a usage file, by name without case, `_` or spaces.
const COLUMNS: [&str; 5] = ["principal", "eventsource", "eventname", "count", "lastseen"];

fn column_index(name: &str) -> Option<usize> {
    let norm: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | ' ' | '-' | '"'))
        .flat_map(char::to_lowercase)
        .collect();
    COLUMNS.iter().position(|c| *c == norm)
}

/// A time as query engines print it: RFC 3339, or with a space for the `T`, and possibly a
/// trailing ` UTC` (Athena).
fn parse_row_time(text: &str) -> Option<i64> {
    let t = text.trim();
    let t = t.strip_suffix(" UTC").unwrap_or(t);
    if t.len() > 10 && t.as_bytes()[10] == b' ' {
        let mut fixed = t.to_string();
        fixed.replace_range(10..11, "T");
        return parse_date(&fixed);
    }
    parse_date(t).or_else(|| {
        // A number: epoch seconds or milliseconds.
        t.parse::<i64>()
            .ok()
            .map(|n| if n > 100_000_000_000 { n } else { n * 1000 })
    })
}

/// Read usage rows: CSV with a header naming the columns `principal`, `eventSource`,
/// `eventName`, `count`, `lastSeen` (in any order, any case, `_` allowed), or JSON lines with
/// those members. Rows that cannot be read are errors with their line; the others are kept.
pub fn parse_usage(text: &str) -> (Vec<UsageRow>, Vec<ReadError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        parse_json_lines(text)
    } else {
        parse_csv(text)
    }
}

fn row_error(line: usize, message: impl Into<String>) -> ReadError {
    ReadError {
        line: line as u64,
        column: 1,
        message: message.into(),
    }
}

/// A row from its five fields (in [`COLUMNS`] order).
fn make_row(fields: [Option<&str>; 5], line: usize) -> Result<UsageRow, ReadError> {
    let get = |i: usize| -> Result<&str, ReadError> {
        fields[i]
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| row_error(line, format!("the row has no {}", COLUMN_NAMES[i])))
    };
    let count_text = get(3)?;
    let count = count_text
        .parse::<u64>()
        .ok()
        .or_else(|| {
            // Some engines print counts as decimals ("12.0").
            count_text
                .parse::<f64>()
                .ok()
                .filter(|c| *c >= 0.0 && c.fract() == 0.0)
                .map(|c| c as u64)
        })
        .ok_or_else(|| row_error(line, format!("count '{count_text}' is not a whole number")))?;
    let time_text = get(4)?;
    let last_seen = parse_row_time(time_text).ok_or_else(|| {
        row_error(
            line,
            format!("lastSeen '{time_text}' is not a time such as 2026-01-31T12:00:00Z"),
        )
    })?;
    Ok(UsageRow {
        principal: get(0)?.to_string(),
        event_source: get(1)?.to_string(),
        event_name: get(2)?.to_string(),
        count,
        last_seen,
    })
}

const COLUMN_NAMES: [&str; 5] = ["principal", "eventSource", "eventName", "count", "lastSeen"];

fn parse_json_lines(text: &str) -> (Vec<UsageRow>, Vec<ReadError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                errors.push(ReadError {
                    line: n as u64,
                    column: e.column() as u64,
                    message: format!("JSON syntax: {e}"),
                });
                continue;
            }
        };
        let mut texts: [Option<String>; 5] = Default::default();
        for (key, v) in &value {
            if let Some(col) = column_index(key) {
                texts[col] = match v {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Number(x) => Some(x.to_string()),
                    _ => None,
                };
            }
        }
        match make_row(std::array::from_fn(|i| texts[i].as_deref()), n) {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    (rows, errors)
}

/// One CSV record's fields (RFC 4180 quoting: `"a,b"`, `""` for a quote inside quotes).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

fn parse_csv(text: &str) -> (Vec<UsageRow>, Vec<ReadError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((header_index, header)) = lines.next() else {
        errors.push(row_error(1, "the usage file is empty"));
        return (rows, errors);
    };
    let map: Vec<Option<usize>> = csv_fields(header).iter().map(|h| column_index(h)).collect();
    let missing: Vec<&str> = (0..5)
        .filter(|c| !map.contains(&Some(*c)))
        .map(|c| COLUMN_NAMES[c])
        .collect();
    if !missing.is_empty() {
        errors.push(row_error(
            header_index + 1,
            format!(
                "the header has no column {}; expected principal,eventSource,eventName,count,lastSeen",
                missing.join(", ")
            ),
        ));
        return (rows, errors);
    }
    for (i, line) in lines {
        let fields = csv_fields(line);
        let mut texts: [Option<&str>; 5] = [None; 5];
        for (f, col) in fields.iter().zip(&map) {
            if let Some(col) = col {
                texts[*col] = Some(f.as_str());
            }
        }
        match make_row(texts, i + 1) {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    (rows, errors)
}

#[cfg(test)]
mod tests;
