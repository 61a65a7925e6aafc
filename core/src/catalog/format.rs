//! The constants of the catalog's binary format (`core/data/catalog.bin`), shared by its writer
//! (`cargo xtask catalog`, which describes the layout) and its reader ([`super::decode`]), so
//! the two cannot drift apart: the leading magic with the format's version, and the codes of
//! access levels and condition value types (each the index of its value in these arrays).

use super::{AccessLevel, ConditionValueType};

/// The bytes after the header line; the last one is the format version.
pub const MAGIC: &[u8] = b"IAMCAT\x04";

/// Access levels by code.
pub const ACCESS_LEVELS: [AccessLevel; 5] = AccessLevel::ALL;

/// Condition value types by code.
pub const VALUE_TYPES: [ConditionValueType; 12] = [
    ConditionValueType::String,
    ConditionValueType::Numeric,
    ConditionValueType::Date,
    ConditionValueType::Bool,
    ConditionValueType::Binary,
    ConditionValueType::IpAddress,
    ConditionValueType::Arn,
    ConditionValueType::ArrayOfString,
    ConditionValueType::ArrayOfNumeric,
    ConditionValueType::ArrayOfDate,
    ConditionValueType::ArrayOfBool,
    ConditionValueType::ArrayOfArn,
];

/// The code of an access level.
pub fn access_level_code(level: AccessLevel) -> u8 {
    ACCESS_LEVELS.iter().position(|&l| l == level).unwrap_or(0) as u8
}

/// The code of a condition value type.
pub fn value_type_code(value_type: ConditionValueType) -> u8 {
    VALUE_TYPES
        .iter()
        .position(|&t| t == value_type)
        .unwrap_or(0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for (i, &l) in ACCESS_LEVELS.iter().enumerate() {
            assert_eq!(usize::from(access_level_code(l)), i);
        }
        for (i, &t) in VALUE_TYPES.iter().enumerate() {
            assert_eq!(usize::from(value_type_code(t)), i);
        }
    }
}
