//! Share links: the core's encoder and decoder (`iamlint_core::share_link`), reshaped for
//! JavaScript. The playground reads a link before anything else and shows a damaged or newer
//! link's message instead of any policy.

use iamlint_core::share_link;
use serde::Serialize;

/// A link's fragment and the length past which the page warns.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareLinkOut {
    /// Without the `#`.
    pub fragment: String,
    /// Warn when the whole URL is longer than this many characters.
    pub long_link_chars: usize,
}

/// What a link held: tagged `none` (no fragment), `ok`, or `error` with a kind
/// (`damaged`, `newerVersion`, `tooLarge`) and the message to show.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum LinkOutcome {
    None,
    Ok { value: SharedOut },
    Error { kind: String, message: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedOut {
    pub text: String,
    pub policy_type: String,
    pub format: String,
    /// False for links made before links had an integrity check.
    pub checked: bool,
    pub notices: Vec<String>,
}

pub fn encode_share_link(text: &str, policy_type: &str, format: &str) -> ShareLinkOut {
    ShareLinkOut {
        fragment: share_link::encode(text, policy_type, format),
        long_link_chars: share_link::LONG_LINK_CHARS,
    }
}

pub fn decode_share_link(fragment: &str) -> LinkOutcome {
    match share_link::decode(fragment) {
        Ok(None) => LinkOutcome::None,
        Ok(Some(s)) => LinkOutcome::Ok {
            value: SharedOut {
                text: s.text,
                policy_type: s.policy_type,
                format: s.format,
                checked: s.checked,
                notices: s.notices,
            },
        },
        Err(e) => LinkOutcome::Error {
            kind: e.kind().to_string(),
            message: e.to_string(),
        },
    }
}
