//! `iamlint/generatePolicy`: a least-privilege policy from CloudTrail logs, for the editor's
//! "Generate policy from CloudTrail" command. The client reads the log files (it has the
//! editor's file system, in a browser too) and sends their bytes in base64; the server reads them
//! with the core's log reader, keeps the principal's events in the period, and answers with the
//! core's generation, as `iamlint generate --format json` reports it plus the problems found in
//! the files. The work runs as a job: off the message loop in the native server, cancellable.
//!
//! Params: `{principal, files: [{name, base64}], resources?: "observed"|"placeholder"|"star",
//! since?, until?, includeDenied?}`. Result: the report's fields (`policies` as JSON text each,
//! `actions`, `unmapped`, `notes`, `period`) and `errors: ["<name>:<line>:<column>: ..."]`.

use iamlint_core::activity::generate::{generate, ResourceMode};
use iamlint_core::activity::record::read_log;
use iamlint_core::activity::usage::{Filter, FilterOption, FilterOptions, Usage};
use iamlint_core::encoding::base64;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::jobs::{Job, Work};
use crate::protocol;
use crate::server::Server;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GenerateParams {
    principal: String,
    files: Vec<LogFile>,
    #[serde(default)]
    resources: Option<String>,
    #[serde(default)]
    since: Option<String>,
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    include_denied: bool,
}

#[derive(Deserialize)]
pub(crate) struct LogFile {
    name: String,
    base64: String,
}

/// The checked options of a request.
struct Request {
    filter: Filter,
    mode: ResourceMode,
    files: Vec<LogFile>,
}

fn check(params: GenerateParams) -> Result<Request, String> {
    let filter = Filter::from_options(&FilterOptions {
        principal: &params.principal,
        since: params.since.as_deref(),
        until: params.until.as_deref(),
        include_denied: params.include_denied,
    })
    .map_err(|e| match e.option {
        FilterOption::Principal => e.message,
        FilterOption::Since => format!("since: {}", e.message),
        FilterOption::Until => format!("until: {}", e.message),
    })?;
    let mode = ResourceMode::from_option(params.resources.as_deref())
        .map_err(|e| format!("resources {e}"))?;
    Ok(Request {
        filter,
        mode,
        files: params.files,
    })
}

fn run(request: Request) -> Value {
    let mut usage = Usage::new();
    let mut errors = Vec::new();
    for file in &request.files {
        let Some(bytes) = base64(&file.base64) else {
            errors.push(format!("{}: not base64", file.name));
            continue;
        };
        read_log(&bytes, &mut |event| match event {
            Ok(event) => usage.add_event(&request.filter, &event),
            Err(e) => errors.push(format!("{}:{e}", file.name)),
        });
    }
    let f = &request.filter;
    let generated = generate(&usage, &f.principal, request.mode, f.since, f.until);
    // The report of `--format json`, built as a value; the editor opens each policy as a
    // document, so they go as their text.
    let report = generated.report(f.principal.arn(), &generated.policies);
    let mut result = serde_json::to_value(report).unwrap_or_else(|_| json!({}));
    result["errors"] = json!(errors);
    result
}

impl Server {
    pub(crate) fn generate_policy(&mut self, id: Value, params: GenerateParams) {
        match check(params) {
            Err(message) => self.send(protocol::error(id, protocol::INVALID_PARAMS, &message)),
            Ok(request) => {
                self.in_flight.push(id.clone());
                self.run(Job(Work::Answer {
                    id,
                    compute: Box::new(move || run(request)),
                }));
            }
        }
    }
}
