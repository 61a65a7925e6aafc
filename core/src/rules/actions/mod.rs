//! Actions and services: unknown services and actions with did-you-mean fixes, wildcards in service names, redundant actions and statements, actions unsupported in a resource policy.

use super::Rule;

pub static RULES: &[&Rule] = &[];
