//! The IAM credential report: the CSV that `aws iam get-credential-report` returns (base64 in its
//! `Content`), or that JSON response itself. Columns are found by their header name, so a report
//! with extra or reordered columns reads the same; a missing optional column reads as "no
//! value". A row that cannot be read (a truncated line) is an error with its line number, and
//! every other row is still read.

use crate::eval::values::{parse_bool, parse_date};

use super::json::{str_field, JsonFile};
use super::{InputError, InputKind};
use crate::encoding;

/// The user name AWS gives the account's root user.
pub const ROOT_USER: &str = "<root_account>";

/// A time value of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stamp {
    /// Milliseconds since the Unix epoch.
    At(i64),
    /// `N/A`: no such credential, or it was never used.
    NotApplicable,
    /// `no_information`: the password was never used, or last used before AWS tracked it.
    NoInformation,
    /// `not_supported`: the value does not exist for this user (the root user's password fields).
    NotSupported,
    /// The column is absent, empty or unreadable.
    Missing,
}

impl Stamp {
    pub fn at(self) -> Option<i64> {
        match self {
            Stamp::At(ms) => Some(ms),
            _ => None,
        }
    }
}

/// One of the user's two access keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessKey {
    /// 1 or 2, as the report numbers them.
    pub number: u8,
    /// None when the report has no readable value.
    pub active: Option<bool>,
    pub last_rotated: Stamp,
    pub last_used: Stamp,
}

impl AccessKey {
    pub fn is_active(&self) -> bool {
        self.active == Some(true)
    }
}

/// One row of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialRow {
    /// 1-based line in the CSV text.
    pub line: u32,
    pub user: String,
    pub arn: String,
    pub user_creation_time: Stamp,
    /// None for `not_supported` (the root user) or no readable value.
    pub password_enabled: Option<bool>,
    pub password_last_used: Stamp,
    pub password_last_changed: Stamp,
    pub mfa_active: Option<bool>,
    pub keys: [AccessKey; 2],
}

impl CredentialRow {
    pub fn is_root(&self) -> bool {
        self.user == ROOT_USER
    }

    pub fn active_keys(&self) -> impl Iterator<Item = &AccessKey> {
        self.keys.iter().filter(|k| k.is_active())
    }
}

/// A parsed report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CredentialReport {
    pub rows: Vec<CredentialRow>,
    /// `GeneratedTime` of the JSON response, when the report came in that form.
    pub generated: Option<i64>,
}

impl CredentialReport {
    pub fn root(&self) -> Option<&CredentialRow> {
        self.rows.iter().find(|r| r.is_root())
    }
}

/// Read the report, in either form. Errors point at lines of the CSV (for the JSON form, of the
/// decoded CSV) or of the JSON file.
pub fn parse(text: &str) -> (CredentialReport, Vec<InputError>) {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return parse_response(text);
    }
    parse_csv(text)
}

/// The JSON of `aws iam get-credential-report`: `Content` (base64 of the CSV), `ReportFormat`,
/// `GeneratedTime`.
fn parse_response(text: &str) -> (CredentialReport, Vec<InputError>) {
    let mut file = JsonFile::parse(InputKind::CredentialReport, text);
    let Some(root) = file.root.take() else {
        file.error_at(0, "the file is not a JSON object");
        return (CredentialReport::default(), file.errors);
    };
    let generated = str_field(&root, "GeneratedTime").and_then(parse_date);
    if let Some(format) = str_field(&root, "ReportFormat") {
        if !format.eq_ignore_ascii_case("text/csv") {
            file.error(
                &root,
                format!("ReportFormat is '{format}'; only text/csv is known"),
            );
        }
    }
    let Some(content) = root.get("Content").and_then(|m| m.value.as_ref()) else {
        file.error(
            &root,
            "no Content member: give the response of `aws iam get-credential-report` or the \
             decoded CSV",
        );
        return (CredentialReport::default(), file.errors);
    };
    let csv = content
        .as_str()
        .and_then(encoding::base64)
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let Some(csv) = csv else {
        file.error(content, "Content is not base64 of UTF-8 text");
        return (CredentialReport::default(), file.errors);
    };
    let (mut report, mut errors) = parse_csv(&csv);
    for e in &mut errors {
        e.message = format!("in the decoded Content: {}", e.message);
    }
    report.generated = generated;
    file.errors.extend(errors);
    (report, file.errors)
}

/// Column positions, by header name.
struct Columns {
    count: usize,
    names: Vec<String>,
    user: usize,
    arn: Option<usize>,
    user_creation_time: Option<usize>,
    password_enabled: Option<usize>,
    password_last_used: Option<usize>,
    password_last_changed: Option<usize>,
    mfa_active: Option<usize>,
    keys: [[Option<usize>; 3]; 2],
}

impl Columns {
    fn new(header: &[String]) -> Option<Columns> {
        let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let key = |n: u8| {
            [
                find(&format!("access_key_{n}_active")),
                find(&format!("access_key_{n}_last_rotated")),
                find(&format!("access_key_{n}_last_used_date")),
            ]
        };
        Some(Columns {
            count: header.len(),
            names: header.to_vec(),
            user: find("user")?,
            arn: find("arn"),
            user_creation_time: find("user_creation_time"),
            password_enabled: find("password_enabled"),
            password_last_used: find("password_last_used"),
            password_last_changed: find("password_last_changed"),
            mfa_active: find("mfa_active"),
            keys: [key(1), key(2)],
        })
    }
}

/// Split one CSV line: fields may be quoted (`"a,b"`, `""` for a quote). None for an unclosed
/// quote.
fn split_line(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            ',' => {
                fields.push(std::mem::take(&mut field));
                at_start = true;
                continue;
            }
            '"' if at_start => quoted = true,
            _ => field.push(c),
        }
        at_start = false;
    }
    if quoted {
        return None;
    }
    fields.push(field);
    Some(fields)
}

struct RowReader<'a> {
    columns: &'a Columns,
    fields: &'a [String],
    line: u32,
    errors: &'a mut Vec<InputError>,
}

impl RowReader<'_> {
    fn raw(&self, column: Option<usize>) -> &str {
        column
            .and_then(|i| self.fields.get(i))
            .map_or("", |s| s.trim())
    }

    fn error(&mut self, column: usize, message: String) {
        let name = &self.columns.names[column];
        self.errors.push(InputError {
            input: InputKind::CredentialReport,
            line: self.line,
            column: column as u32 + 1,
            message: format!("column {name}: {message}"),
        });
    }

    fn stamp(&mut self, column: Option<usize>) -> Stamp {
        let value = self.raw(column);
        if value.eq_ignore_ascii_case("N/A") {
            return Stamp::NotApplicable;
        }
        if value.eq_ignore_ascii_case("no_information") {
            return Stamp::NoInformation;
        }
        if value.eq_ignore_ascii_case("not_supported") {
            return Stamp::NotSupported;
        }
        if value.is_empty() {
            return Stamp::Missing;
        }
        match parse_date(value) {
            Some(ms) => Stamp::At(ms),
            None => {
                let message = format!(
                    "'{value}' is not an ISO 8601 time, N/A, no_information or not_supported"
                );
                if let Some(c) = column {
                    self.error(c, message);
                }
                Stamp::Missing
            }
        }
    }

    fn flag(&mut self, column: Option<usize>) -> Option<bool> {
        let value = self.raw(column);
        if let Some(b) = parse_bool(value) {
            return Some(b);
        }
        let known = ["", "N/A", "not_supported", "no_information"];
        if !known.iter().any(|k| value.eq_ignore_ascii_case(k)) {
            let message = format!("'{value}' is not TRUE or FALSE");
            if let Some(c) = column {
                self.error(c, message);
            }
        }
        None
    }
}

fn parse_csv(text: &str) -> (CredentialReport, Vec<InputError>) {
    let mut errors = Vec::new();
    let mut report = CredentialReport::default();
    let error = |errors: &mut Vec<InputError>, line: u32, message: String| {
        errors.push(InputError {
            input: InputKind::CredentialReport,
            line,
            column: 1,
            message,
        });
    };
    let mut columns: Option<Columns> = None;
    for (i, line) in text.lines().enumerate() {
        let number = i as u32 + 1;
        let line = line.trim_start_matches('\u{feff}').trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let Some(fields) = split_line(line) else {
            error(
                &mut errors,
                number,
                "a quoted field is not closed; the row is skipped".into(),
            );
            continue;
        };
        let Some(cols) = &columns else {
            let header: Vec<String> = fields.iter().map(|f| f.trim().to_string()).collect();
            match Columns::new(&header) {
                Some(c) => columns = Some(c),
                None => {
                    error(
                        &mut errors,
                        number,
                        "the header has no 'user' column: this is not an IAM credential report"
                            .into(),
                    );
                    return (report, errors);
                }
            }
            continue;
        };
        if fields.len() != cols.count {
            let missing = cols
                .names
                .get(fields.len())
                .map_or(String::new(), |n| format!(" (from column {n} on)"));
            let what = if fields.len() < cols.count {
                format!(
                    "the row is truncated: {} of {} columns{missing}",
                    fields.len(),
                    cols.count
                )
            } else {
                format!(
                    "the row has {} columns but the header has {}",
                    fields.len(),
                    cols.count
                )
            };
            error(&mut errors, number, format!("{what}; the row is skipped"));
            continue;
        }
        let mut r = RowReader {
            columns: cols,
            fields: &fields,
            line: number,
            errors: &mut errors,
        };
        let key = |r: &mut RowReader<'_>, n: usize| AccessKey {
            number: n as u8 + 1,
            active: r.flag(cols.keys[n][0]),
            last_rotated: r.stamp(cols.keys[n][1]),
            last_used: r.stamp(cols.keys[n][2]),
        };
        let row = CredentialRow {
            line: number,
            user: r.raw(Some(cols.user)).to_string(),
            arn: r.raw(cols.arn).to_string(),
            user_creation_time: r.stamp(cols.user_creation_time),
            password_enabled: r.flag(cols.password_enabled),
            password_last_used: r.stamp(cols.password_last_used),
            password_last_changed: r.stamp(cols.password_last_changed),
            mfa_active: r.flag(cols.mfa_active),
            keys: [key(&mut r, 0), key(&mut r, 1)],
        };
        report.rows.push(row);
    }
    if columns.is_none() {
        error(
            &mut errors,
            1,
            "the report is empty (no header line)".into(),
        );
    }
    (report, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    #[test]
    fn reads_every_kind_of_value() {
        let text = format!(
            "{HEADER}\n<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2026-05-01T10:00:00+00:00,not_supported,not_supported,false,TRUE,2021-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\r\nalice,arn:aws:iam::111122223333:user/alice,2024-01-01T00:00:00Z,True,no_information,2024-01-01T00:00:00Z,N/A,FALSE,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let (report, errors) = parse(&text);
        assert!(errors.is_empty(), "{errors:?}");
        let root = report.root().unwrap();
        assert_eq!(root.password_enabled, None);
        assert_eq!(root.password_last_changed, Stamp::NotSupported);
        assert_eq!(root.mfa_active, Some(false));
        assert!(root.keys[0].is_active());
        assert_eq!(root.keys[0].last_used, Stamp::NotApplicable);
        let alice = &report.rows[1];
        assert_eq!((alice.line, alice.password_enabled), (3, Some(true)));
        assert_eq!(alice.password_last_used, Stamp::NoInformation);
        assert!(alice.user_creation_time.at().is_some());
    }

    #[test]
    fn columns_are_found_by_name_and_extra_ones_are_ignored() {
        let text = "arn,extra,mfa_active,user,password_enabled\narn:aws:iam::1:user/bob,x,false,bob,true\n";
        let (report, errors) = parse(text);
        assert!(errors.is_empty(), "{errors:?}");
        let bob = &report.rows[0];
        assert_eq!(bob.user, "bob");
        assert_eq!(bob.arn, "arn:aws:iam::1:user/bob");
        assert_eq!(
            (bob.password_enabled, bob.mfa_active),
            (Some(true), Some(false))
        );
        // Columns the report lacks read as missing, not as errors.
        assert_eq!(bob.keys[1].last_rotated, Stamp::Missing);
    }

    #[test]
    fn a_truncated_line_is_an_error_and_the_other_rows_are_kept() {
        let text = "user,arn,mfa_active\nbob,arn:aws:iam::1:user/bob,false\ncarol,arn:aws\ndave,arn:aws:iam::1:user/dave,true\n";
        let (report, errors) = parse(text);
        let users: Vec<&str> = report.rows.iter().map(|r| r.user.as_str()).collect();
        assert_eq!(users, vec!["bob", "dave"]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
        assert!(
            errors[0]
                .message
                .contains("truncated: 2 of 3 columns (from column mfa_active on)"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn bad_values_are_reported_with_their_column() {
        let text = "user,mfa_active,user_creation_time\nbob,maybe,yesterday\n";
        let (report, errors) = parse(text);
        assert_eq!(report.rows[0].mfa_active, None);
        let at: Vec<(u32, u32)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, vec![(2, 3), (2, 2)]);
        assert!(errors[1].message.contains("mfa_active"));
    }

    #[test]
    fn the_json_response_is_decoded() {
        let json = r#"{"Content": "dXNlcixtZmFfYWN0aXZlCmJvYixmYWxzZQo=", "ReportFormat": "text/csv", "GeneratedTime": "2026-06-01T00:00:00+00:00"}"#;
        let (report, errors) = parse(json);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(report.rows[0].user, "bob");
        assert_eq!(report.generated, parse_date("2026-06-01T00:00:00Z"));
        let (_, errors) = parse(r#"{"Content": "not base64!"}"#);
        assert_eq!((errors[0].line, errors[0].column), (1, 13));
    }

    #[test]
    fn no_header_or_no_user_column_is_an_error() {
        assert_eq!(parse("").1.len(), 1);
        let (_, errors) = parse("name,arn\nbob,x\n");
        assert!(errors[0].message.contains("no 'user' column"));
        let (_, errors) = parse("user,arn\n\"bob,x\n");
        assert!(errors[0].message.contains("not closed"));
    }
}
