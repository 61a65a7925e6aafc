//! Parsers for condition values, kept free of rule concerns so that the evaluation engine can
//! reuse them: IP addresses and CIDR blocks, dates, numbers, booleans, base64, Region names and
//! VPC / VPC endpoint identifiers. None of them allocate more than the value they return, and
//! none panics on any input.

use std::net::{Ipv4Addr, Ipv6Addr};

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

/// Classify a value given to a `Date...` operator.
pub fn parse_date(text: &str) -> DateValue {
    if !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        return DateValue::Valid; // epoch seconds
    }
    if is_iso8601(text) {
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

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
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
    let (year, month) = (y.parse().unwrap_or(0), m.parse().unwrap_or(1));
    if !number_in(d, 2, 1, days_in_month(year, month)) {
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

/// A numeric condition value: an integer or decimal, optionally negative.
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

/// A boolean condition value: `true` or `false` (IAM ignores case); the evaluation engine's reading.
pub use crate::eval::values::parse_bool;

/// True for standard base64 (what `BinaryEquals` compares): non-empty, a multiple of four
/// characters from the base64 alphabet, padding only at the end.
pub fn is_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.len().is_multiple_of(4) {
        return false;
    }
    let body = text.trim_end_matches('=');
    text.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Region codes known when this list was written; newer Regions are accepted by
/// [`is_region_name`] through the shape of the name.
pub const KNOWN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eusc-de-east-1",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-west-1",
    "us-west-2",
];

/// True for a known Region code or a name of the same shape (`xx-direction-N`,
/// `xx-partition-direction-N`), so that Regions launched later are not reported.
pub fn is_region_name(text: &str) -> bool {
    if KNOWN_REGIONS.contains(&text) {
        return true;
    }
    let parts: Vec<&str> = text.split('-').collect();
    if !(3..=4).contains(&parts.len()) {
        return false;
    }
    let (last, words) = parts.split_last().unwrap_or((&"", &[]));
    let lower = |s: &&str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    (1..=2).contains(&last.len())
        && last.bytes().all(|b| b.is_ascii_digit())
        && words.iter().all(lower)
        && (2..=4).contains(&words[0].len())
        && KNOWN_REGIONS
            .iter()
            .any(|r| r.split('-').next() == Some(words[0]))
}

fn hex_id(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|id| {
        (id.len() == 8 || id.len() == 17)
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// `vpc-` followed by 8 or 17 lowercase hexadecimal digits.
pub fn is_vpc_id(text: &str) -> bool {
    hex_id(text, "vpc-")
}

/// `vpce-` followed by 8 or 17 lowercase hexadecimal digits.
pub fn is_vpce_id(text: &str) -> bool {
    hex_id(text, "vpce-")
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn dates() {
        for ok in [
            "2024-01-31",
            "2024-02-29T23:59:59Z",
            "2024-01-31T12:00Z",
            "2024-01-31T12:00:00.123Z",
            "2024-01-31T12:00:00+01:00",
            "2024-01-31T12:00:00-0500",
            "1700000000",
        ] {
            assert_eq!(parse_date(ok), DateValue::Valid, "{ok}");
        }
        for dubious in [
            "2023-02-29",
            "2024-13-01",
            "2024/01/31",
            "31-01-2024",
            "2024-1-5",
        ] {
            assert_eq!(parse_date(dubious), DateValue::Dubious, "{dubious}");
        }
        for bad in ["yesterday", "", "true", "2024-01-3é"] {
            assert_eq!(parse_date(bad), DateValue::NotADate, "{bad}");
        }
    }

    #[test]
    fn scalars() {
        assert_eq!(parse_number("-12.5"), Some(-12.5));
        assert_eq!(parse_number("7"), Some(7.0));
        assert!(parse_number("1e3").is_none() && parse_number("").is_none());
        assert_eq!(parse_bool("True"), Some(true));
        assert!(parse_bool("yes").is_none());
        assert!(is_base64("QmluYXJ5") && is_base64("QQ=="));
        assert!(!is_base64("not base64") && !is_base64("QQ="));
    }

    #[test]
    fn regions_and_vpcs() {
        assert!(is_region_name("eu-west-1") && is_region_name("ap-southeast-9"));
        assert!(is_region_name("us-gov-west-1"));
        for bad in [
            "us-east1",
            "US-EAST-1",
            "europe",
            "xx-east-1",
            "us-east-123",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
        assert!(is_vpc_id("vpc-1a2b3c4d") && is_vpc_id("vpc-0123456789abcdef0"));
        assert!(!is_vpc_id("vpc-123") && !is_vpc_id("vpce-1a2b3c4d"));
        assert!(is_vpce_id("vpce-1a2b3c4d") && !is_vpce_id("vpce-XYZ"));
    }
}
