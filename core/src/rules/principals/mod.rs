//! Principal and NotPrincipal grammar, trust-policy grammar (federated, service, Roles Anywhere principals), principal references.

use super::Rule;

pub static RULES: &[&Rule] = &[];
