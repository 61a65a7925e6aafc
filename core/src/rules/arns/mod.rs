//! ARNs in Resource and NotResource: prefix, fields, partition, Region, account, resource part against the catalog's ARN templates, redundant resources.

use super::Rule;

pub static RULES: &[&Rule] = &[];
