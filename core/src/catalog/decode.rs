//! Decoding of `core/data/catalog.bin` (format described in `xtask/src/catalog.rs`) into flat
//! tables addressed by index. Malformed data gives an error, never a panic.
//!
//! Three stages, so the first lookup pays only for what it uses: [`decode`] reads names,
//! services, condition keys and resource types; [`decode_actions`] reads one service's actions
//! when that service is first used; [`decode_descriptions`] reads all descriptions when one is
//! first asked for.

use super::index::{NameSlots, TEXT_END};
use super::{AccessLevel, ConditionValueType};

use super::format::{ACCESS_LEVELS, MAGIC, VALUE_TYPES};

/// A half-open range into one of the `Vec`s of [`Data`].
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct Span32 {
    pub start: u32,
    pub end: u32,
}

impl Span32 {
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// 16 bytes (a global key's description, which only hovers and completions show, is looked up
/// in [`super::global_keys`] when asked rather than kept here for every key: the 2,637 records took 32
/// bytes each, decoded at every start).
pub(crate) struct KeyRec {
    pub name: u32,
    pub value_type: ConditionValueType,
    /// Owning service index, or `None` for a global key.
    pub service: Option<u32>,
    /// The name has a variable part ([`super::matching::is_templated_key`]), read once here:
    /// the condition rules ask it of every key of every action they look at.
    pub templated: bool,
}

pub(crate) struct ServiceRec {
    pub prefix: u32,
    pub name: u32,
    pub keys: Span32,
    pub resource_types: Span32,
    /// Global number of this service's first action (actions are numbered in file order).
    pub action_base: u32,
    pub action_count: u32,
    /// The still-encoded actions, decoded by [`decode_actions`] on first use.
    pub actions_block: &'static [u8],
    /// Boxed: the decoded tables' handles are 190 bytes, and inline they made every record of
    /// the 456 services (all decoded at every start, few of their actions ever) four times
    /// larger.
    pub actions: std::sync::OnceLock<Box<ServiceActions>>,
}

/// One service's actions, decoded.
#[derive(Default)]
pub(crate) struct ServiceActions {
    /// Action names, each followed by [`TEXT_END`]: read by [`ServiceActions::name`] and by the
    /// index, which keeps no copy of its own.
    pub text: String,
    pub actions: Vec<ActionRec>,
    pub action_resources: Vec<ActionResourceRec>,
    /// Global key ids.
    pub key_refs: Vec<u32>,
    /// Name ids of dependent action names.
    pub dependent: Vec<u32>,
    /// Actions by name, without case (over `text`).
    pub index: NameSlots<TEXT_END>,
    pub error: Option<String>,
}

impl ServiceActions {
    pub fn name(&self, a: &ActionRec) -> &str {
        self.text.get(a.name().range()).unwrap_or("")
    }

    /// The action named `name` without ASCII case: its place in `actions`. Found in the text,
    /// a name is `name` only if as long (a `name` holding NUL, the names' end mark, could equal a
    /// run of them: see [`TEXT_END`]); the record is read here, where the caller reads it next.
    pub fn find(&self, name: &str) -> Option<u32> {
        let id = self.index.find(self.text.as_bytes(), name)?;
        let found = self.actions.get(id as usize)?;
        (found.name().range().len() == name.len()).then_some(id)
    }
}

pub(crate) struct ResourceTypeRec {
    pub service: u32,
    pub name: u32,
    pub arn: u32,
    /// Into `key_refs`.
    pub keys: Span32,
}

pub(crate) struct ActionResourceRec {
    pub resource_type: u32,
    pub required: bool,
    /// Into `key_refs`.
    pub keys: Span32,
}

/// One action: where each of its lists starts, with its length beside it. 24 bytes, where four
/// spans of two `u32`s made 36: every action of every service a policy names is decoded (the
/// 13,727 actions of the 187 services of the latest corpus's AIDevOpsAgentAccessPolicy), and
/// the pages their records take are touched once each, a page fault apiece. A name is at most
/// 255 bytes, an action's dependent names at most 255 and its resource types and condition keys
/// at most 65,535 (the catalog's largest: 63, 0, 106, 89); a longer list is a decode error.
pub(crate) struct ActionRec {
    /// Into `ServiceActions::text`.
    name: u32,
    /// Into `action_resources`.
    resources: u32,
    /// Into `key_refs`.
    keys: u32,
    /// Into `dependent`.
    dependent: u32,
    resource_count: u16,
    key_count: u16,
    name_len: u8,
    dependent_count: u8,
    pub access_level: AccessLevel,
}

impl ActionRec {
    fn span(start: u32, len: u32) -> Span32 {
        Span32 {
            start,
            end: start.saturating_add(len),
        }
    }
    /// Into `ServiceActions::text`.
    pub fn name(&self) -> Span32 {
        Self::span(self.name, self.name_len.into())
    }
    /// Into `action_resources`.
    pub fn resources(&self) -> Span32 {
        Self::span(self.resources, self.resource_count.into())
    }
    /// Into `key_refs`.
    pub fn keys(&self) -> Span32 {
        Self::span(self.keys, self.key_count.into())
    }
    /// Into `dependent`.
    pub fn dependent(&self) -> Span32 {
        Self::span(self.dependent, self.dependent_count.into())
    }
}

/// The length of `span` as one of [`ActionRec`]'s counts.
fn short<N: TryFrom<u32>>(span: Span32, what: &str) -> R<N> {
    N::try_from(span.end - span.start).map_err(|_| format!("{what} too long for one action"))
}

#[derive(Default)]
pub(crate) struct Data {
    pub version: String,
    pub date: String,
    /// All names, back to back; `spans[id]` locates name `id`.
    pub text: String,
    pub spans: Vec<(u32, u32)>,
    /// Global keys first (`0..global_count`), then every service's keys in service order.
    pub keys: Vec<KeyRec>,
    pub global_count: u32,
    pub services: Vec<ServiceRec>,
    pub action_count: usize,
    /// The whole catalog's action resource rows, key references and dependent names (from the
    /// header): each service's tables are sized from its share of them when it is decoded.
    pub action_totals: [usize; 3],
    pub resource_types: Vec<ResourceTypeRec>,
    /// Key ids (indexes into `keys`) of resource types.
    pub key_refs: Vec<u32>,
    /// The still-encoded descriptions section (see [`decode_descriptions`]).
    pub description_bytes: &'static [u8],
}

/// Action descriptions (by global action number), then service key descriptions (by key index
/// minus the global keys), decoded on first use.
#[derive(Default)]
pub(crate) struct Descriptions {
    text: String,
    spans: Vec<(u32, u32)>,
}

impl Descriptions {
    pub fn get(&self, index: usize) -> &str {
        self.spans
            .get(index)
            .and_then(|&(a, b)| self.text.get(a as usize..b as usize))
            .unwrap_or("")
    }
}

impl Data {
    pub fn str(&self, id: u32) -> &str {
        self.spans
            .get(id as usize)
            .and_then(|&(a, b)| self.text.get(a as usize..b as usize))
            .unwrap_or("")
    }
}

/// Reads the varint-based encoding shared by the generated data files (the catalog here, and
/// the event mapping in `activity::mapping`). Every read checks bounds and returns an error.
pub(crate) struct Reader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
}

pub(crate) type R<T> = Result<T, String>;

impl<'a> Reader<'a> {
    /// Most values of the catalog fit in one byte (counts, indexes within a service, access
    /// levels): those are read here, inline, and the rest by [`Reader::long_varint`].
    #[inline]
    pub(crate) fn varint(&mut self) -> R<u64> {
        match self.bytes.get(self.pos) {
            Some(&b) if b < 0x80 => {
                self.pos += 1;
                Ok(u64::from(b))
            }
            _ => self.long_varint(),
        }
    }

    #[inline(never)]
    fn long_varint(&mut self) -> R<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.pos).ok_or("truncated")?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("varint too long".into())
    }

    #[inline]
    pub(crate) fn u32(&mut self) -> R<u32> {
        u32::try_from(self.varint()?).map_err(|_| "value out of range".to_string())
    }

    /// A count, bounded by the bytes left so corrupt data cannot ask for huge allocations.
    #[inline]
    pub(crate) fn count(&mut self) -> R<usize> {
        let n = self.varint()?;
        let left = (self.bytes.len() - self.pos.min(self.bytes.len())) as u64;
        if n > left {
            return Err("count larger than the data".into());
        }
        Ok(n as usize)
    }

    #[inline]
    pub(crate) fn bytes(&mut self) -> R<&'a [u8]> {
        let n = self.count()?;
        let out = self.bytes.get(self.pos..self.pos + n).ok_or("truncated")?;
        self.pos += n;
        Ok(out)
    }

    pub(crate) fn string(&mut self) -> R<String> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| "invalid UTF-8".to_string())
    }

    #[inline]
    pub(crate) fn string_id(&mut self, count: usize) -> R<u32> {
        let id = self.u32()?;
        if id as usize >= count {
            return Err("string id out of range".into());
        }
        Ok(id)
    }
}

#[inline]
fn len32(n: usize) -> R<u32> {
    u32::try_from(n).map_err(|_| "table too large".to_string())
}

fn access_level(code: u64) -> R<AccessLevel> {
    ACCESS_LEVELS
        .get(code as usize)
        .copied()
        .ok_or_else(|| format!("bad access level {code}"))
}

fn value_type(code: u64) -> R<ConditionValueType> {
    VALUE_TYPES
        .get(code as usize)
        .copied()
        .ok_or_else(|| format!("bad value type {code}"))
}

/// Decodes the embedded catalog, except actions and descriptions.
pub(crate) fn decode(bytes: &'static [u8]) -> R<Data> {
    let header_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("no header line")?;
    let body = bytes.get(header_end + 1..).ok_or("no body")?;
    let body = body.strip_prefix(MAGIC).ok_or("bad magic")?;
    let mut r = Reader {
        bytes: body,
        pos: 0,
    };
    let mut d = Data::default();
    let _package = r.string()?;
    d.version = r.string()?;
    d.date = r.string()?;
    // Totals: keys, resource types, actions, action resource rows, key references, dependents.
    d.keys.reserve(r.count()?);
    d.resource_types.reserve(r.count()?);
    r.count()?;
    for total in &mut d.action_totals {
        *total = r.count()?;
    }

    let n_prefixes = r.count()?;
    let prefixes = (0..n_prefixes).map(|_| r.bytes()).collect::<R<Vec<_>>>()?;
    let n_strings = r.count()?;
    // The names' text is sized first by a pass over their lengths: grown from empty, its
    // 275 KB were copied into ever larger buffers, each on fresh pages (half the page faults
    // of the decode, which every run pays before its first rule).
    let table = r.pos;
    let mut text_len = 0usize;
    for _ in 0..n_strings {
        let p = r.varint()? as usize;
        if p > 0 {
            text_len += prefixes.get(p - 1).ok_or("bad prefix id")?.len();
        }
        text_len += r.bytes()?.len();
    }
    r.pos = table;
    let mut text: Vec<u8> = Vec::with_capacity(text_len);
    d.spans.reserve(n_strings);
    for _ in 0..n_strings {
        let p = r.varint()? as usize;
        let start = len32(text.len())?;
        if p > 0 {
            text.extend_from_slice(prefixes.get(p - 1).ok_or("bad prefix id")?);
        }
        text.extend_from_slice(r.bytes()?);
        d.spans.push((start, len32(text.len())?));
    }
    d.text = String::from_utf8(text).map_err(|_| "invalid UTF-8 in names".to_string())?;

    let n_globals = r.count()?;
    for _ in 0..n_globals {
        let name = r.string_id(n_strings)?;
        let value_type = value_type(r.varint()?)?;
        let _category = r.string_id(n_strings)?;
        d.keys.push(KeyRec {
            name,
            value_type,
            service: None,
            templated: super::matching::is_templated_key(d.str(name)),
        });
    }
    d.global_count = len32(n_globals)?;

    let n_services = r.count()?;
    d.services.reserve(n_services);
    let mut block_lens = Vec::with_capacity(n_services);
    for s in 0..n_services {
        let s32 = len32(s)?;
        let prefix = r.string_id(n_strings)?;
        let name = r.string_id(n_strings)?;
        let (nk, nr, na) = (r.count()?, r.count()?, r.count()?);
        let key_base = d.keys.len();
        let rt_base = d.resource_types.len();
        for _ in 0..nk {
            let name = r.string_id(n_strings)?;
            let value_type = value_type(r.varint()?)?;
            d.keys.push(KeyRec {
                name,
                value_type,
                service: Some(s32),
                templated: super::matching::is_templated_key(d.str(name)),
            });
        }
        for _ in 0..nr {
            let name = r.string_id(n_strings)?;
            let arn = r.string_id(n_strings)?;
            let keys = local_keys(&mut r, &mut d.key_refs, key_base, nk)?;
            d.resource_types.push(ResourceTypeRec {
                service: s32,
                name,
                arn,
                keys,
            });
        }
        block_lens.push(r.count()?);
        d.services.push(ServiceRec {
            prefix,
            name,
            keys: Span32 {
                start: len32(key_base)?,
                end: len32(d.keys.len())?,
            },
            resource_types: Span32 {
                start: len32(rt_base)?,
                end: len32(d.resource_types.len())?,
            },
            action_base: len32(d.action_count)?,
            action_count: len32(na)?,
            actions_block: &[],
            actions: std::sync::OnceLock::new(),
        });
        d.action_count += na;
    }
    // The actions blocks follow the services, then the descriptions section.
    let mut start = header_end + 1 + MAGIC.len() + r.pos;
    for (service, len) in d.services.iter_mut().zip(block_lens) {
        service.actions_block = bytes.get(start..start + len).ok_or("truncated actions")?;
        start += len;
    }
    let mut r = Reader { bytes, pos: start };
    let n = r.count()?;
    let start = r.pos;
    d.description_bytes = bytes
        .get(start..start + n)
        .ok_or("truncated descriptions")?;
    if start + n != bytes.len() {
        return Err("trailing bytes".into());
    }
    Ok(d)
}

/// A list of service-local key indexes, stored as global key ids; returns their span in `refs`.
/// Most lists are empty (two in three of the actions' lists): their one byte is read inline.
#[inline]
fn local_keys(r: &mut Reader, refs: &mut Vec<u32>, key_base: usize, n_keys: usize) -> R<Span32> {
    if r.bytes.get(r.pos) == Some(&0) {
        r.pos += 1;
        let start = len32(refs.len())?;
        return Ok(Span32 { start, end: start });
    }
    some_local_keys(r, refs, key_base, n_keys)
}

#[inline(never)]
fn some_local_keys(
    r: &mut Reader,
    refs: &mut Vec<u32>,
    key_base: usize,
    n_keys: usize,
) -> R<Span32> {
    let start = len32(refs.len())?;
    for _ in 0..r.count()? {
        let k = r.varint()? as usize;
        if k >= n_keys {
            return Err("key index out of range".into());
        }
        refs.push(len32(key_base + k)?);
    }
    Ok(Span32 {
        start,
        end: len32(refs.len())?,
    })
}

/// Decodes service `s`'s actions block; errors are kept in [`ServiceActions::error`].
pub(crate) fn decode_actions(d: &Data, s: &ServiceRec) -> Box<ServiceActions> {
    let mut out = Box::<ServiceActions>::default();
    if let Err(e) = decode_actions_into(d, s, &mut out) {
        *out = ServiceActions {
            error: Some(e),
            ..ServiceActions::default()
        };
    }
    let table = &*out;
    let index = NameSlots::build(table.actions.len(), table.text.as_bytes(), |i| {
        let a = &table.actions[i as usize];
        Some((a.name().start, table.name(a)))
    });
    out.index = index;
    out
}

fn decode_actions_into(d: &Data, s: &ServiceRec, out: &mut ServiceActions) -> R<()> {
    let mut r = Reader {
        bytes: s.actions_block,
        pos: 0,
    };
    let n_strings = d.spans.len();
    let (key_base, nk) = (s.keys.start as usize, (s.keys.end - s.keys.start) as usize);
    let (rt_base, nr) = (
        s.resource_types.start,
        s.resource_types.end - s.resource_types.start,
    );
    let na = s.action_count as usize;
    // Names average 20 bytes, and one more for the end mark.
    let mut text: Vec<u8> = Vec::with_capacity(na * 22);
    out.actions.reserve(na);
    // Each table sized from the service's share of the catalog's totals (a little over, so it
    // rarely grows): growing them from empty copied each several times, onto fresh pages.
    let share =
        |total: usize| (total.saturating_mul(na) / d.action_count.max(1)).min(total) + na / 8 + 4;
    let [resources, key_refs, dependent] = d.action_totals;
    out.action_resources.reserve(share(resources));
    out.key_refs.reserve(share(key_refs));
    out.dependent.reserve(share(dependent));
    let mut previous = Span32::default();
    for _ in 0..na {
        // Front-coded name: the first `shared` bytes of the previous name, then the rest.
        let shared = r.varint()? as usize;
        if shared > previous.range().len() {
            return Err("bad shared name prefix".into());
        }
        let start = text.len();
        text.extend_from_within(previous.start as usize..previous.start as usize + shared);
        text.extend_from_slice(r.bytes()?);
        let name = Span32 {
            start: len32(start)?,
            end: len32(text.len())?,
        };
        text.push(TEXT_END);
        previous = name;

        let access_level = access_level(r.varint()?)?;
        let res_start = len32(out.action_resources.len())?;
        for _ in 0..r.count()? {
            let v = r.varint()?;
            let rt = u32::try_from(v / 2).map_err(|_| "bad resource type")?;
            if rt >= nr {
                return Err("resource type index out of range".into());
            }
            let keys = local_keys(&mut r, &mut out.key_refs, key_base, nk)?;
            out.action_resources.push(ActionResourceRec {
                resource_type: rt_base + rt,
                required: v % 2 == 1,
                keys,
            });
        }
        let resources = Span32 {
            start: res_start,
            end: len32(out.action_resources.len())?,
        };
        let keys = local_keys(&mut r, &mut out.key_refs, key_base, nk)?;
        let dep_start = len32(out.dependent.len())?;
        for _ in 0..r.count()? {
            let id = r.string_id(n_strings)?;
            out.dependent.push(id);
        }
        let dependent = Span32 {
            start: dep_start,
            end: len32(out.dependent.len())?,
        };
        out.actions.push(ActionRec {
            name: name.start,
            resources: resources.start,
            keys: keys.start,
            dependent: dependent.start,
            resource_count: short(resources, "resource types")?,
            key_count: short(keys, "condition keys")?,
            name_len: short(name, "name")?,
            dependent_count: short(dependent, "dependent actions")?,
            access_level,
        });
    }
    if r.pos != s.actions_block.len() {
        return Err("trailing bytes in actions".into());
    }
    out.text = String::from_utf8(text).map_err(|_| "invalid UTF-8 in action names".to_string())?;
    Ok(())
}

/// Decodes the descriptions section: a word list, then each description as word ids.
pub(crate) fn decode_descriptions(bytes: &[u8]) -> R<Descriptions> {
    let mut r = Reader { bytes, pos: 0 };
    let n_words = r.count()?;
    let words = (0..n_words).map(|_| r.bytes()).collect::<R<Vec<_>>>()?;
    let mut text = Vec::with_capacity(bytes.len() * 4);
    let mut spans = Vec::new();
    while r.pos < bytes.len() {
        let start = len32(text.len())?;
        for i in 0..r.count()? {
            if i > 0 {
                text.push(b' ');
            }
            text.extend_from_slice(words.get(r.varint()? as usize).ok_or("bad word id")?);
        }
        spans.push((start, len32(text.len())?));
    }
    let text = String::from_utf8(text).map_err(|_| "invalid UTF-8 in descriptions".to_string())?;
    Ok(Descriptions { text, spans })
}
