//! The `iamlint.toml` model: disabled rules, category overrides, path globs mapped to policy
//! types. Core owns the model and its parser; the CLI and the language server read the same file.
