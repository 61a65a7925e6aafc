//! Helpers of the condition rules: the walk over every condition entry and value ([`walk`]),
//! condition-key lookups ([`keys`]), value parsers per operator family ([`values`]), and the
//! checks several rules share.

pub mod actions;
pub mod aws_arn_key;
pub mod empty;
pub mod keys;
pub mod private_ip;
pub mod value_checks;
pub mod values;
pub mod walk;
