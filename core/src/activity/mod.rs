//! Least privilege from activity: CloudTrail logs (or usage rows aggregated elsewhere) in,
//! generated policies and the unused grants of a policy out. Pure functions, like the rest of the
//! core: the faces read the files (in parallel, in chunks) and pass their bytes in.
//!
//! - [`folder`]: which files of a folder of logs are read, in what order.
//! - [`record`]: CloudTrail log files and `lookup-events` output, streamed, into events.
//! - [`usage`]: which events count (the principal, the period, failed calls) and their
//!   aggregation into usage rows (principal, event source, event name, count, last seen), also
//!   read from CSV or JSON lines produced by a query over the CloudTrail table.
//! - [`generate`]: a least-privilege policy from the usage: actions by service, resources as
//!   observed (or patterns, or `*`), split at the managed-policy quota, with notes and the
//!   events no action is known for.
//! - [`mapping`]: a CloudTrail event (`eventSource`, `eventName`) to the IAM actions it needs,
//!   which events are data events, and which actions CloudTrail cannot show at all.

pub mod folder;
pub mod generate;
pub mod mapping;
pub mod record;
pub mod unused;
pub mod usage;
