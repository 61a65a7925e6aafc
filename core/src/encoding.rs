//! The byte and text encodings iamlint reads and writes: base64 (the `Content` of
//! `get-credential-report`; base64url in share links), RFC 3986 percent-encoding (policy
//! documents in `get-account-authorization-details`; share link parameters) and CRC-32 (the
//! integrity check of share links). The decoders reject what they cannot read instead of
//! guessing, so damaged input gives a clear error.

/// Standard base64 (RFC 4648, `+` and `/`), with or without padding; ASCII whitespace (line
/// breaks of wrapped output) is skipped. None for any other character or a dangling final
/// character.
pub fn base64(text: &str) -> Option<Vec<u8>> {
    base64_with(text, b'+', b'/')
}

/// base64url (RFC 4648 section 5, `-` and `_`), decoded like [`base64`].
pub fn base64url(text: &str) -> Option<Vec<u8>> {
    base64_with(text, b'-', b'_')
}

/// Unpadded base64url of `bytes` (safe in a URL without escaping).
pub fn base64url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (b as u32) << (16 - 8 * i));
        // A chunk of k bytes gives k + 1 characters.
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn base64_with(text: &str, c62: u8, c63: u8) -> Option<Vec<u8>> {
    let value = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            _ if b == c62 => 62,
            _ if b == c63 => 63,
            _ => return None,
        } as u32)
    };
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

/// Percent-encoding of everything but RFC 3986's unreserved characters (letters, digits,
/// `-._~`), so the result is one query-style parameter value in any URL part.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// CRC-32 (IEEE 802.3, the one of zip, gzip and PNG) of `bytes`. It detects every change
/// confined to 32 consecutive bits and any other change with probability 1 - 2^-32.
pub fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    !bytes.iter().fold(!0u32, |crc, &b| {
        TABLE[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8)
    })
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
    fn base64url_round_trips_every_length() {
        let bytes: Vec<u8> = (0..=255u8).rev().collect();
        for n in 0..40 {
            let encoded = base64url_encode(&bytes[..n]);
            assert!(!encoded.contains(['+', '/', '=']), "{encoded}");
            assert_eq!(encoded.len(), (n * 4).div_ceil(3));
            assert_eq!(base64url(&encoded).as_deref(), Some(&bytes[..n]));
        }
        // The standard alphabet's two characters are not base64url.
        assert_eq!(base64url("ab+/"), None);
        assert_eq!(base64url_encode(b"hello?>"), "aGVsbG8_Pg");
    }

    #[test]
    fn percent_encoding_round_trips() {
        let text = "resource:AWS::S3::Bucket & ünï 😀 +=%";
        let encoded = percent_encode(text);
        assert!(encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
        assert_eq!(percent(&encoded).as_deref(), Some(text));
        assert_eq!(percent_encode("vpc-endpoint"), "vpc-endpoint");
    }

    #[test]
    fn crc32_matches_the_published_check_value() {
        // The check value of CRC-32/ISO-HDLC (the "123456789" test vector).
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
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
