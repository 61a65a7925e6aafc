//! `[[activity]]` entries: which CloudTrail activity belongs to which policy files, so the
//! language server can show the grants a principal never used (`iamlint unused` in the editor).
//!
//! ```toml
//! [[activity]]
//! glob = "roles/app/*.json"                          # the policy files, first match wins
//! principal = "arn:aws:iam::111122223333:role/app"   # whose activity (a role counts its sessions)
//! cloudtrail = ["logs/cloudtrail/"]                  # log files or folders (.json, .json.gz)
//! # usage = "logs/usage.csv"                         # or usage rows from the Athena query
//! since = 2026-09-01                                 # optional period (date or RFC 3339 time)
//! until = "2026-09-30T23:59:59Z"
//! ```
//!
//! Paths are relative to the folder of the `iamlint.toml`.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{type_name, Glob, Parser};
use crate::activity::usage::{parse_time_bound, Filter, Principal};
use crate::span::Span;

/// One `[[activity]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivitySource {
    /// The policy files this activity is compared with.
    pub glob: Glob,
    /// The principal the policies are attached to.
    pub principal: Principal,
    /// CloudTrail log files or folders (searched recursively), relative to the configuration
    /// file's folder. Empty when `usage` is given.
    pub cloudtrail: Vec<String>,
    /// A usage file (CSV or JSON lines from the documented Athena query), instead of logs.
    pub usage: Option<String>,
    /// Inclusive period, in milliseconds since the Unix epoch.
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// Where the `cloudtrail` (or `usage`) value is written in the configuration file: the
    /// place of the problems found reading those files.
    pub logs_span: Span,
}

impl ActivitySource {
    /// Which events count for this entry: the principal's successful calls in the period.
    pub fn filter(&self) -> Filter {
        Filter {
            principal: self.principal.clone(),
            since: self.since,
            until: self.until,
            include_denied: false,
        }
    }

    /// The files and folders the entry names: its usage file, else its CloudTrail paths.
    pub fn named_files(&self) -> Vec<&String> {
        match &self.usage {
            Some(usage) => vec![usage],
            None => self.cloudtrail.iter().collect(),
        }
    }
}

const KEYS: &[&str] = &["glob", "principal", "cloudtrail", "usage", "since", "until"];

impl Parser {
    pub(super) fn activity(&mut self, value: &Spanned<DeValue<'_>>) {
        let DeValue::Array(items) = value.get_ref() else {
            self.error(
                value.span(),
                "activity must be an array of tables: [[activity]] glob = \"...\" principal = \"...\" cloudtrail = [\"...\"]",
            );
            return;
        };
        for item in items {
            let Some(table) = self.expect_table(item, "each [[activity]] entry") else {
                continue;
            };
            self.activity_entry(item.span(), table);
        }
    }

    fn activity_entry(&mut self, span: Range<usize>, table: &DeTable<'_>) {
        let mut glob = None;
        let mut principal = None;
        let mut cloudtrail: Option<Vec<String>> = None;
        let mut usage = None;
        let (mut since, mut until) = (None, None);
        let mut logs_span = Span::new(span.start, span.start);
        for (key, value) in table.iter() {
            if matches!(key.get_ref().as_ref(), "cloudtrail" | "usage") {
                logs_span = Span::new(value.span().start, value.span().end);
            }
            let bad = match key.get_ref().as_ref() {
                "glob" => match value.get_ref().as_str().map(Glob::new) {
                    Some(Ok(g)) => {
                        glob = Some(g);
                        None
                    }
                    Some(Err(e)) => Some(e),
                    None => Some("glob must be a string".to_string()),
                },
                "principal" => match value.get_ref().as_str().map(Principal::parse) {
                    Some(Ok(p)) => {
                        principal = Some(p);
                        None
                    }
                    Some(Err(e)) => Some(e),
                    None => Some("principal must be an ARN (a string)".to_string()),
                },
                "cloudtrail" => match paths(value.get_ref()) {
                    Some(list) if !list.is_empty() => {
                        cloudtrail = Some(list);
                        None
                    }
                    _ => Some(
                        "cloudtrail must be a path or an array of paths (log files or folders)"
                            .to_string(),
                    ),
                },
                "usage" => match value.get_ref().as_str().filter(|s| !s.trim().is_empty()) {
                    Some(path) => {
                        usage = Some(path.to_string());
                        None
                    }
                    None => Some("usage must be the path of a CSV or JSON lines file".to_string()),
                },
                name @ ("since" | "until") => match time_text(value.get_ref()) {
                    Some(text) => match parse_time_bound(&text, name == "until") {
                        Ok(ms) => {
                            *(if name == "since" {
                                &mut since
                            } else {
                                &mut until
                            }) = Some(ms);
                            None
                        }
                        Err(e) => Some(e),
                    },
                    None => Some(format!(
                        "{name} must be a date or an RFC 3339 time, not {}",
                        type_name(value.get_ref())
                    )),
                },
                _ => {
                    self.unknown_key(key, "[[activity]]", KEYS);
                    None
                }
            };
            if let Some(message) = bad {
                self.error(value.span(), message);
            }
        }
        if !table.contains_key("glob") {
            self.error(span.clone(), "this [[activity]] entry has no glob");
        }
        if principal.is_none() && !table.contains_key("principal") {
            self.error(span.clone(), "this [[activity]] entry has no principal");
        }
        match (&cloudtrail, &usage) {
            (Some(_), Some(_)) => self.error(
                span.clone(),
                "give either cloudtrail (log files) or usage (a usage file), not both",
            ),
            (None, None) if !table.contains_key("cloudtrail") && !table.contains_key("usage") => {
                self.error(
                    span.clone(),
                    "this [[activity]] entry names no activity: add cloudtrail = [\"<log folder>\"] or usage = \"<file>\"",
                )
            }
            _ => {}
        }
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                self.error(span.clone(), "since is after until");
                return;
            }
        }
        if let (Some(glob), Some(principal), true) =
            (glob, principal, cloudtrail.is_some() != usage.is_some())
        {
            self.config.activity.push(ActivitySource {
                glob,
                principal,
                cloudtrail: cloudtrail.unwrap_or_default(),
                usage,
                since,
                until,
                logs_span,
            });
        }
    }
}

/// A string, or an array of strings; `None` for anything else (or an empty path).
fn paths(value: &DeValue<'_>) -> Option<Vec<String>> {
    let one = |v: &DeValue<'_>| {
        v.as_str()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
    };
    match value {
        DeValue::Array(items) => items.iter().map(|i| one(i.get_ref())).collect(),
        other => one(other).map(|p| vec![p]),
    }
}

/// A time written as a string or as a TOML date or date-time.
fn time_text(value: &DeValue<'_>) -> Option<String> {
    match value {
        DeValue::String(s) => Some(s.to_string()),
        DeValue::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}
