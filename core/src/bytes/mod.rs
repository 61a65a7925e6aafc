//! Byte-level helpers of the hot scanners, each written once: the word-at-a-time masks
//! ([`words`]).

pub mod words;
