//! Share links: a policy, its policy type and its format carried in a URL fragment (the part
//! after `#`, which browsers never send to a server). One encoder and one decoder, used by the
//! playground and by the VS Code extension's "copy playground link" through WebAssembly.
//!
//! The format, version 2 (written by [`encode`]):
//!
//! ```text
//! v=2&type=<policy type>[&format=<format>]&z=<base64url(deflate-raw(text))>&c=<crc32, 8 hex>
//! ```
//!
//! Values are percent-encoded; `format` is left out for policy JSON. `c` is the CRC-32 of the
//! content (version, type, format and text, see [`checksum`]), so a link damaged on its way
//! (a character changed or cut by a chat tool or a hand edit) is refused instead of opening a
//! different policy: deflate has no check of its own, and a changed character in the compressed
//! bytes often inflates to valid, plausible, altered text.
//!
//! Version 1 links (unversioned: `type=..&z=..[&format=..]`, written before the check existed)
//! are still read; they have no check, so [`SharedPolicy::checked`] is false for them.

use crate::encoding;
use crate::host::{self, Format};
use crate::policy::PolicyType;

/// The link format [`encode`] writes; [`decode`] reads it and every older one.
pub const LINK_VERSION: u64 = 2;

/// Links longer than this (the whole URL, in characters) get a warning. RFC 9110 section 4.1
/// recommends that software support URIs of at least 8,000 octets, so longer ones may be cut by
/// browsers, proxies and the chat tools and issue trackers people paste links into; a cut link is
/// refused by [`decode`] as damaged (its check fails), never opened with altered content.
pub const LONG_LINK_CHARS: usize = 8_000;

/// The largest text a link may inflate to: a bound on memory for a hostile link (deflate can
/// expand about 1,000 times), far above any real policy or template.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// What a link holds, read and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedPolicy {
    pub text: String,
    /// A policy type name [`PolicyType::parse`] accepts, in its canonical spelling ("auto" when
    /// the link names none or one this version does not know; see `notices`).
    pub policy_type: String,
    /// A name from [`Format::NAMES`] (detected from the text when the link's is unknown).
    pub format: String,
    /// The link carried an integrity check and it matched (false for version 1 links).
    pub checked: bool,
    /// What was changed while reading, for the user (an unknown policy type or format).
    pub notices: Vec<String>,
}

/// Why a link was not opened. Nothing of its content is given out in any case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// The link is not one iamlint wrote, or its content does not match its check.
    Damaged {
        /// What was wrong, for the curious (the message does not depend on it).
        detail: &'static str,
    },
    /// A link format this version does not know yet.
    NewerVersion { version: u64 },
    /// The text would be larger than [`MAX_TEXT_BYTES`].
    TooLarge,
}

impl LinkError {
    /// A stable name for the faces (`damaged`, `newerVersion`, `tooLarge`).
    pub fn kind(&self) -> &'static str {
        match self {
            LinkError::Damaged { .. } => "damaged",
            LinkError::NewerVersion { .. } => "newerVersion",
            LinkError::TooLarge => "tooLarge",
        }
    }
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::Damaged { detail } => write!(
                f,
                "This share link is damaged ({detail}): part of it was probably cut or changed \
                 when it was copied. Nothing was loaded; ask for the link again."
            ),
            LinkError::NewerVersion { version } => write!(
                f,
                "This share link was made by a newer version of iamlint (link format {version}; \
                 this one reads up to {LINK_VERSION}). Nothing was loaded; open it in a current \
                 playground."
            ),
            LinkError::TooLarge => write!(
                f,
                "This share link holds more than {} MiB of text. Nothing was loaded.",
                MAX_TEXT_BYTES / (1024 * 1024)
            ),
        }
    }
}

/// The fragment (without `#`) holding `text` with its policy type and format. An empty
/// `policy_type` is written as "auto", an empty `format` as policy JSON.
pub fn encode(text: &str, policy_type: &str, format: &str) -> String {
    let policy_type = if policy_type.is_empty() {
        "auto"
    } else {
        policy_type
    };
    let format = if format.is_empty() { "json" } else { format };
    let z = encoding::base64url_encode(&deflate(text.as_bytes()));
    let mut out = format!(
        "v={LINK_VERSION}&type={}",
        encoding::percent_encode(policy_type)
    );
    if format != "json" {
        out.push_str("&format=");
        out.push_str(&encoding::percent_encode(format));
    }
    out.push_str("&z=");
    out.push_str(&z);
    out.push_str(&format!(
        "&c={:08x}",
        checksum(LINK_VERSION, policy_type, format, text)
    ));
    out
}

/// The check of a version 2 link: CRC-32 over everything the link gives back, each part
/// separated by a NUL (which none of the names contains), so no change of any part, and no
/// moving of a byte from one part to another, goes unnoticed.
fn checksum(version: u64, policy_type: &str, format: &str, text: &str) -> u32 {
    let mut bytes = Vec::with_capacity(text.len() + policy_type.len() + format.len() + 24);
    bytes.extend_from_slice(format!("iamlint-link-{version}").as_bytes());
    for part in [policy_type, format, text] {
        bytes.push(0);
        bytes.extend_from_slice(part.as_bytes());
    }
    encoding::crc32(&bytes)
}

/// Read a fragment (with or without its `#`). `Ok(None)` when it is empty (no link); an error
/// for anything else that is not an intact link, so a damaged link never opens some other
/// policy, nor the default one.
pub fn decode(fragment: &str) -> Result<Option<SharedPolicy>, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.is_empty() {
        return Ok(None);
    }
    let damaged = |detail| LinkError::Damaged { detail };
    let mut params = Params::default();
    for pair in fragment.split('&') {
        let (key, value) = pair.split_once('=').ok_or(damaged("a part without '='"))?;
        let value = encoding::percent(value).ok_or(damaged("bad %-escape"))?;
        let slot = match key {
            "v" => &mut params.version,
            "type" => &mut params.policy_type,
            "format" => &mut params.format,
            "z" => &mut params.z,
            "c" => &mut params.check,
            _ => return Err(damaged("an unknown part")),
        };
        if slot.replace(value).is_some() {
            return Err(damaged("a part given twice"));
        }
    }
    let z = params.z.ok_or(damaged("no policy in it"))?;
    let format = params.format.unwrap_or_else(|| "json".to_string());
    let given_type = params.policy_type;
    let check = match params.version {
        Some(v) => {
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err(damaged("bad version"));
            }
            let version: u64 = v.parse().map_err(|_| damaged("bad version"))?;
            if version > LINK_VERSION {
                return Err(LinkError::NewerVersion { version });
            }
            if version != LINK_VERSION {
                return Err(damaged("bad version"));
            }
            let check = params.check.ok_or(damaged("no check"))?;
            if check.len() != 8 || !check.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(damaged("bad check"));
            }
            if given_type.is_none() {
                return Err(damaged("no policy type"));
            }
            Some(u32::from_str_radix(&check, 16).map_err(|_| damaged("bad check"))?)
        }
        // Version 1: `c` did not exist, `type` was optional.
        None if params.check.is_some() => return Err(damaged("a check without a version")),
        None => None,
    };
    let bytes = encoding::base64url(&z).ok_or(damaged("bad base64"))?;
    let text = inflate(&bytes)?;
    let text = String::from_utf8(text).map_err(|_| damaged("the policy is not UTF-8"))?;
    let policy_type = given_type.unwrap_or_else(|| "auto".to_string());
    if let Some(check) = check {
        if checksum(LINK_VERSION, &policy_type, &format, &text) != check {
            return Err(damaged("its content does not match its check"));
        }
    }
    let checked = check.is_some();
    let mut notices = Vec::new();
    let policy_type = match PolicyType::parse(&policy_type) {
        Some(t) => t.name(),
        None => {
            notices.push(format!(
                "The link's policy type '{policy_type}' is not one this version knows; the \
                 policy is checked as auto (its type detected from the text)."
            ));
            "auto".to_string()
        }
    };
    let format = match Format::parse(&format) {
        Some(f) => f.as_str().to_string(),
        None => {
            // Shared as a policy: what looks like neither a policy nor a template is read as one.
            let detected = host::detect(None, &text).or_policy(true).as_str();
            notices.push(format!(
                "The link's format '{format}' is not one this version knows; the text is read \
                 as {detected} (detected from the text)."
            ));
            detected.to_string()
        }
    };
    Ok(Some(SharedPolicy {
        text,
        policy_type,
        format,
        checked,
        notices,
    }))
}

/// Raw deflate (RFC 1951, no zlib or gzip header), what the playground's first links used
/// (`CompressionStream("deflate-raw")`), at the best compression.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Inflate raw deflate, refusing more than [`MAX_TEXT_BYTES`] of output.
fn inflate(bytes: &[u8]) -> Result<Vec<u8>, LinkError> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(bytes)
        .take(MAX_TEXT_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| LinkError::Damaged {
            detail: "the policy does not inflate",
        })?;
    if out.len() > MAX_TEXT_BYTES {
        return Err(LinkError::TooLarge);
    }
    Ok(out)
}

#[derive(Default)]
struct Params {
    version: Option<String>,
    policy_type: Option<String>,
    format: Option<String>,
    z: Option<String>,
    check: Option<String>,
}

#[cfg(test)]
mod tests;
