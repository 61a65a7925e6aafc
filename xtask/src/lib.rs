//! Build and maintenance tasks, as a library so that `iamlint-core`'s tests can reuse the
//! catalog generator (one encoder, used by `cargo xtask catalog` and by the currency test).

pub mod catalog;
pub mod events;
