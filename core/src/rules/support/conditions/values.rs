//! Value shapes the condition rules check beyond IAM's value types: base64, Region names, VPC
//! and VPC endpoint identifiers. The grammar of the types themselves (number, date, boolean, IP
//! range) is [`crate::policy::values`], shared with the simulator.

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
    fn base64() {
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
