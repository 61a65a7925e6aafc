//! The grammar of IAM's condition value types, in one place: numbers, dates, booleans, IP
//! addresses and CIDR ranges (strings, ARNs and binary values are text; see the operators).
//! The simulator reads policy and request values with these, and the rules report a
//! TYPE_MISMATCH_* (or INVALID_DATE_VALUE) finding exactly for the values these reject, which
//! the simulator can then never match. Each parser returns None for text IAM would not accept,
//! never panics, and trims nothing (a value with surrounding space is not a number, a date or
//! an address).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A number as the Numeric operators read it: an integer or a decimal, optionally negative
/// (`7`, `-12.5`). AWS documents the Numeric operators as comparing integers and decimals, so
/// there is no exponent (`1e3`), no `+`, no surrounding space, no `inf`/`NaN`: such a policy
/// value never matches, and TYPE_MISMATCH_NUMBER says so.
pub fn parse_number(text: &str) -> Option<f64> {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok(int) || frac.is_some_and(|f| !digits_ok(f)) {
        return None;
    }
    text.parse().ok()
}

/// A date as the Date operators read it, in milliseconds since the Unix epoch. AWS asks for
/// "one of the W3C implementations of the ISO 8601 date formats" or epoch (UNIX) time; read
/// here as: `YYYY-MM-DD`, optionally followed by `Thh:mm`, `Thh:mm:ss` or `Thh:mm:ss.fraction`
/// and a zone (`Z`, `+hh:mm`, `-hhmm`, or none for UTC); or epoch seconds of up to 12 digits.
/// Nothing is trimmed, and no other separator than `T` is read: any other text never matches,
/// and TYPE_MISMATCH_DATE or INVALID_DATE_VALUE says so.
pub fn parse_date(text: &str) -> Option<i64> {
    if !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().ok().and_then(|s| s.checked_mul(1000));
    }
    if !is_iso8601(text) {
        return None;
    }
    date_millis(text)
}

/// The milliseconds of an ISO 8601 text already accepted by [`is_iso8601`].
fn date_millis(t: &str) -> Option<i64> {
    let bytes = t.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = t.get(range)?;
        if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
            s.parse().ok()
        } else {
            None
        }
    };
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut millis = days_from_civil(year, month, day) * 86_400_000;
    let mut rest = &t[10..];
    if rest.is_empty() {
        return Some(millis);
    }
    rest = rest
        .strip_prefix('T')
        .or_else(|| rest.strip_prefix('t'))
        .or_else(|| rest.strip_prefix(' '))?;
    let time_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (time, zone) = rest.split_at(time_len);
    let (hms, frac) = match time.split_once('.') {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (time, None),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let h: i64 = parts[0].parse().ok()?;
    let m: i64 = parts.get(1).map_or(Some(0), |p| p.parse().ok())?;
    let s: i64 = parts.get(2).map_or(Some(0), |p| p.parse().ok())?;
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    millis += ((h * 60 + m) * 60 + s) * 1000;
    if let Some(frac) = frac {
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let ms: String = frac.chars().chain("000".chars()).take(3).collect();
        millis += ms.parse::<i64>().ok()?;
    }
    match zone {
        "" | "Z" | "z" => {}
        _ => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let z = &zone[1..];
            let (zh, zm) = match z.split_once(':') {
                Some((a, b)) => (a, b),
                None if z.len() == 4 => z.split_at(2),
                None if z.len() == 2 => (z, "00"),
                None => return None,
            };
            let zh: i64 = zh.parse().ok()?;
            let zm: i64 = zm.parse().ok()?;
            millis -= sign * (zh * 60 + zm) * 60_000;
        }
    }
    Some(millis)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A boolean as the Bool operator reads it ("true"/"false", any case).
pub fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An IPv4 or IPv6 network: address and prefix length. A bare address is a /32 or /128.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    /// The network an `IpAddress` value names ([`parse_ip_range`]'s grammar).
    pub fn parse(text: &str) -> Option<Cidr> {
        let range = parse_ip_range(text)?;
        let addr = if range.is_v6 {
            IpAddr::V6(Ipv6Addr::from(range.address))
        } else {
            IpAddr::V4(Ipv4Addr::from(u32::try_from(range.address).ok()?))
        };
        Some(Cidr {
            addr,
            prefix: range.prefix,
        })
    }

    /// True if `ip` is inside this network (IPv4 and IPv6 never match each other).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(self.prefix))
                };
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(self.prefix))
                };
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 or IPv6 address range as written in an `IpAddress` condition (`203.0.113.0/24`,
/// `2001:db8::/32`, or a single address, which means /32 or /128).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    pub is_v6: bool,
    /// The address as written (host bits included), as a number.
    pub address: u128,
    /// The prefix length (32 or 128 when no `/n` was written).
    pub prefix: u8,
    /// True when a `/n` suffix was written.
    pub has_prefix: bool,
}

impl IpRange {
    /// The number of address bits (32 or 128).
    pub fn bits(&self) -> u8 {
        if self.is_v6 {
            128
        } else {
            32
        }
    }

    fn host_mask(&self) -> u128 {
        let host_bits = u32::from(self.bits() - self.prefix);
        if host_bits >= 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        }
    }

    /// The first address of the block.
    pub fn network(&self) -> u128 {
        self.address & !self.host_mask()
    }

    /// The last address of the block.
    pub fn last(&self) -> u128 {
        self.network() | self.host_mask()
    }

    /// True when the address has bits set beyond the prefix (`10.0.0.1/8`): IAM ignores them.
    pub fn has_host_bits(&self) -> bool {
        self.address & self.host_mask() != 0
    }

    /// The block in canonical form: network address and prefix (`10.0.0.0/8`, `2001:db8::/32`).
    pub fn normalized(&self) -> String {
        format!(
            "{}/{}",
            format_address(self.network(), self.is_v6),
            self.prefix
        )
    }

    /// True when `other` lies entirely inside this block (same address family).
    pub fn contains(&self, other: &IpRange) -> bool {
        self.is_v6 == other.is_v6
            && other.prefix >= self.prefix
            && self.network() <= other.network()
            && other.last() <= self.last()
    }

    /// True when the whole block is private, loopback or link-local address space, which never
    /// appears as the source address of a request that reaches AWS over the internet.
    pub fn is_private(&self) -> bool {
        let private: &[&str] = if self.is_v6 {
            &["fc00::/7", "fe80::/10", "::1/128"]
        } else {
            &[
                "10.0.0.0/8",
                "172.16.0.0/12",
                "192.168.0.0/16",
                "127.0.0.0/8",
                "169.254.0.0/16",
            ]
        };
        private
            .iter()
            .filter_map(|r| parse_ip_range(r))
            .any(|r| r.contains(self))
    }
}

fn format_address(value: u128, is_v6: bool) -> String {
    if is_v6 {
        Ipv6Addr::from(value).to_string()
    } else {
        Ipv4Addr::from(u32::try_from(value).unwrap_or(u32::MAX)).to_string()
    }
}

/// Parse an address or CIDR block. None when it is neither a valid IPv4 nor IPv6 form.
pub fn parse_ip_range(text: &str) -> Option<IpRange> {
    let (address, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let (is_v6, value) = if let Ok(v4) = address.parse::<Ipv4Addr>() {
        (false, u128::from(u32::from(v4)))
    } else if let Ok(v6) = address.parse::<Ipv6Addr>() {
        (true, u128::from(v6))
    } else {
        return None;
    };
    let bits = if is_v6 { 128 } else { 32 };
    let prefix = match prefix {
        Some(p) => {
            if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: u8 = p.parse().ok()?;
            if n > bits {
                return None;
            }
            n
        }
        None => bits,
    };
    Some(IpRange {
        is_v6,
        address: value,
        prefix,
        has_prefix: text.contains('/'),
    })
}

/// How a date condition value reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateValue {
    /// ISO 8601 (`2024-01-31`, `2024-01-31T12:00:00Z`, with fraction or offset) or epoch seconds.
    Valid,
    /// Looks like a date but is not a valid ISO 8601 date (`2024-13-01`, `2024/01/31`,
    /// `31-01-2024`): it may not be read as intended.
    Dubious,
    /// Not a date at all.
    NotADate,
}

/// Classify a value given to a `Date...` operator: `Valid` exactly when [`parse_date`] reads it.
pub fn read_date(text: &str) -> DateValue {
    if parse_date(text).is_some() {
        return DateValue::Valid;
    }
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let date_like = digits >= 4
        && text.bytes().all(|b| {
            b.is_ascii_digit() || matches!(b, b'-' | b'/' | b'.' | b':' | b'T' | b'Z' | b'+' | b' ')
        });
    if date_like {
        DateValue::Dubious
    } else {
        DateValue::NotADate
    }
}

fn number_in(s: &str, digits: usize, low: u32, high: u32) -> bool {
    s.len() == digits
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.parse::<u32>().is_ok_and(|n| (low..=high).contains(&n))
}

/// `YYYY-MM-DD` optionally followed by `Thh:mm[:ss[.fraction]]` and `Z` or `±hh:mm`.
fn is_iso8601(text: &str) -> bool {
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    if !number_in(y, 4, 0, 9999) || !number_in(m, 2, 1, 12) {
        return false;
    }
    let (year, month): (u32, u32) = (y.parse().unwrap_or(0), m.parse().unwrap_or(1));
    if !number_in(d, 2, 1, days_in_month(year.into(), month.into()) as u32) {
        return false;
    }
    let Some(time) = time else { return true };
    let (clock, zone_ok) = if let Some(c) = time.strip_suffix('Z') {
        (c, true)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let zone = &time[i + 1..];
        let ok = match zone.split_once(':') {
            Some((h, m)) => number_in(h, 2, 0, 23) && number_in(m, 2, 0, 59),
            None => number_in(zone, 4, 0, 2359),
        };
        (&time[..i], ok)
    } else {
        (time, true)
    };
    if !zone_ok {
        return false;
    }
    let (clock, fraction) = match clock.split_once('.') {
        Some((c, f)) => (c, Some(f)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let fields: Vec<&str> = clock.split(':').collect();
    match fields.as_slice() {
        [h, m] => number_in(h, 2, 0, 23) && number_in(m, 2, 0, 59) && fraction.is_none(),
        [h, m, s] => number_in(h, 2, 0, 23) && number_in(m, 2, 0, 59) && number_in(s, 2, 0, 60),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("1970-01-02T00:00:00Z"), Some(86_400_000));
        assert_eq!(
            parse_date("2020-03-01T00:00:00+01:00"),
            parse_date("2020-02-29T23:00:00Z")
        );
        assert_eq!(
            parse_date("2020-02-29T23:00:00.5Z"),
            parse_date("2020-02-29T23:00:00Z").map(|v| v + 500)
        );
        assert_eq!(parse_date("86400"), Some(86_400_000));
        assert_eq!(parse_date("2021-02-29"), None);
        assert_eq!(parse_date("2021-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2021-01-01T25:00:00Z"), None);
    }

    #[test]
    fn cidrs() {
        let net = Cidr::parse("203.0.113.0/24").unwrap();
        assert!(net.contains("203.0.113.77".parse().unwrap()));
        assert!(!net.contains("203.0.114.1".parse().unwrap()));
        assert!(!net.contains("2001:db8::1".parse().unwrap()));
        let v6 = Cidr::parse("2001:DB8:1234:5678::/64").unwrap();
        assert!(v6.contains("2001:db8:1234:5678::abcd".parse().unwrap()));
        assert!(Cidr::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr::parse("10.0.0/8"), None);
        assert_eq!(Cidr::parse("10.0.0.1").unwrap().prefix, 32);
    }

    #[test]
    fn numbers_and_bools() {
        assert_eq!(parse_number("42"), Some(42.0));
        assert_eq!(parse_number("-1.5"), Some(-1.5));
        assert_eq!(parse_number("0x10"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool("yes"), None);
    }
    #[test]
    fn ip_ranges() {
        let r = parse_ip_range("10.1.2.3/8").unwrap();
        assert!(r.has_host_bits());
        assert_eq!(r.normalized(), "10.0.0.0/8");
        assert!(r.is_private());
        assert!(!parse_ip_range("10.0.0.0/7").unwrap().is_private());
        assert!(!parse_ip_range("203.0.113.0/24").unwrap().has_host_bits());
        assert!(!parse_ip_range("203.0.113.7").unwrap().has_host_bits());
        assert_eq!(
            parse_ip_range("2001:db8::1/32").unwrap().normalized(),
            "2001:db8::/32"
        );
        assert!(parse_ip_range("fd00::/8").unwrap().is_private());
        assert!(!parse_ip_range("2001:db8::/32").unwrap().is_private());
        assert!(parse_ip_range("0.0.0.0/0").is_some());
        for bad in [
            "10.0.0.0/33",
            "10.0.0",
            "10.0.0.0/",
            "::/129",
            "abc",
            "1.2.3.4/+1",
            "",
        ] {
            assert!(parse_ip_range(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn date_classes() {
        for ok in [
            "2024-01-31",
            "2024-02-29T23:59:59Z",
            "2024-01-31T12:00Z",
            "2024-01-31T12:00:00.123Z",
            "2024-01-31T12:00:00+01:00",
            "2024-01-31T12:00:00-0500",
            "1700000000",
        ] {
            assert_eq!(read_date(ok), DateValue::Valid, "{ok}");
        }
        for dubious in [
            "2023-02-29",
            "2024-13-01",
            "2024/01/31",
            "31-01-2024",
            "2024-1-5",
        ] {
            assert_eq!(read_date(dubious), DateValue::Dubious, "{dubious}");
        }
        for bad in ["yesterday", "", "true", "2024-01-3é"] {
            assert_eq!(read_date(bad), DateValue::NotADate, "{bad}");
        }
    }

    #[test]
    fn scalars() {
        assert_eq!(parse_number("-12.5"), Some(-12.5));
        assert_eq!(parse_number("7"), Some(7.0));
        assert!(parse_number("1e3").is_none() && parse_number("").is_none());
        assert_eq!(parse_bool("True"), Some(true));
        assert!(parse_bool("yes").is_none());
    }

    /// Every value the ISO 8601 check accepts gets a time, so `read_date` and the simulator
    /// agree on which dates are valid.
    #[test]
    fn accepted_dates_have_a_time() {
        for t in [
            "2024-01-31T12:00Z",
            "2024-01-31T12:00:00-0500",
            "0000-01-01",
            "9999-12-31T23:59:60.999+23:59",
            "2024-02-29T00:00:00.5",
        ] {
            assert!(is_iso8601(t) && date_millis(t).is_some(), "{t}");
        }
    }

    proptest::proptest! {
        #[test]
        fn iso_dates_always_have_a_time(t in "[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,4})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?") {
            if is_iso8601(&t) {
                proptest::prop_assert!(date_millis(&t).is_some(), "{}", t);
            }
        }
    }
}
