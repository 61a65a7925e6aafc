//! The two encodings the AWS files wrap text in: base64 (the `Content` of
//! `get-credential-report`) and RFC 3986 percent-encoding (policy documents in
//! `get-account-authorization-details`). Both decoders reject what they cannot read instead of
//! guessing, so a damaged file gives a clear error.

/// Standard base64 (RFC 4648, `+` and `/`), with or without padding; ASCII whitespace (line
/// breaks of wrapped output) is skipped. None for any other character or a dangling final
/// character.
pub fn base64(text: &str) -> Option<Vec<u8>> {
    fn value(b: u8) -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let body = text.trim_end_matches(|c: char| c == '=' || c.is_ascii_whitespace());
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in body.bytes() {
        if b.is_ascii_whitespace() {
            continue;
        }
        acc = (acc << 6) | value(b)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Six leftover bits cannot come from whole bytes.
    (bits < 6).then_some(out)
}

/// Percent-decoding (`%7B` -> `{`); `+` stays a plus, as RFC 3986 says. None for a `%` not
/// followed by two hex digits or for bytes that are not UTF-8 once decoded.
pub fn percent(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_known_values() {
        assert_eq!(base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64("dXNlcixhcm4K").as_deref(), Some(&b"user,arn\n"[..]));
        assert_eq!(base64("YW\nJj").as_deref(), Some(&b"abc"[..]));
        assert_eq!(base64("").as_deref(), Some(&b""[..]));
        assert_eq!(base64("a"), None);
        assert_eq!(base64("a$bc"), None);
    }

    #[test]
    fn percent_decodes_policy_documents() {
        assert_eq!(
            percent("%7B%22Version%22%3A%222012-10-17%22%7D").as_deref(),
            Some("{\"Version\":\"2012-10-17\"}")
        );
        assert_eq!(percent("a+b").as_deref(), Some("a+b"));
        assert_eq!(percent("%7").as_deref(), None);
        assert_eq!(percent("%zz").as_deref(), None);
        assert_eq!(percent("%FF").as_deref(), None);
        assert_eq!(percent("caf%C3%A9").as_deref(), Some("café"));
    }
}
