//! The rule codes of [`AnalyzeOptions`](super::AnalyzeOptions): those switched off and those
//! whose category is changed, in any case as a configuration writes them.
//!
//! Why not plain lists: every rule of every file asks them, and a check of many files builds
//! its options once per file. The lists cost a case-insensitive comparison with each entry per
//! rule (38M instructions on the latest corpus with every rule switched off) and a copy of
//! both lists per file with its drop (30M). Here the codes are resolved once, when the options
//! are made: to the registry's rules by their index in [`rules::all`] (one lookup a rule), and
//! for other codes (`UNUSED_GRANT`) to a sorted upper-case list. The resolved table is shared
//! (`Arc`): cloning the options for a file copies a pointer; with no codes there is no table.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use crate::diagnostic::Category;
use crate::rules;

/// Codes with a value each, resolved (see the module documentation).
struct Table<V>(Option<Arc<Resolved<V>>>);

struct Resolved<V> {
    /// The entries as given, in order: what iteration, equality and `Debug` see.
    written: Vec<(String, V)>,
    /// Upper-cased and sorted, one entry a code: the first written (a list's first match).
    sorted: Vec<(String, V)>,
    /// Per rule of the registry, in [`rules::all`] order: its code's entry.
    by_rule: Box<[Option<V>]>,
}

impl<V: Copy> Table<V> {
    fn new(written: Vec<(String, V)>) -> Table<V> {
        if written.is_empty() {
            return Table(None);
        }
        let mut sorted: Vec<(String, V)> = written
            .iter()
            .map(|(code, value)| (code.to_ascii_uppercase(), *value))
            .collect();
        // Stable, so among equal codes the first written stays first and dedup keeps it.
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        sorted.dedup_by(|later, earlier| later.0 == earlier.0);
        let by_rule = rules::all()
            .map(|rule| lookup(&sorted, rule.meta.code))
            .collect();
        Table(Some(Arc::new(Resolved {
            written,
            sorted,
            by_rule,
        })))
    }

    fn get(&self, code: &str) -> Option<V> {
        lookup(&self.0.as_ref()?.sorted, code)
    }

    fn for_rule(&self, index: usize) -> Option<V> {
        self.0.as_ref()?.by_rule[index]
    }

    fn written(&self) -> &[(String, V)] {
        self.0.as_ref().map_or(&[], |r| &r.written)
    }
}

/// The entry of `code` in any case: `sorted` holds upper-cased codes, and two codes are equal
/// ignoring ASCII case exactly when their upper-cased bytes are equal.
fn lookup<V: Copy>(sorted: &[(String, V)], code: &str) -> Option<V> {
    sorted
        .binary_search_by(|(upper, _)| compare_upper(upper, code))
        .ok()
        .map(|i| sorted[i].1)
}

fn compare_upper(upper: &str, code: &str) -> Ordering {
    upper
        .bytes()
        .cmp(code.bytes().map(|b| b.to_ascii_uppercase()))
}

impl<V> Clone for Table<V> {
    fn clone(&self) -> Self {
        Table(self.0.clone())
    }
}

impl<V: PartialEq> PartialEq for Table<V> {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a.written == b.written,
            _ => false,
        }
    }
}

/// Rule codes switched off, in any case; also codes outside the rule registry, such as the
/// activity's `UNUSED_GRANT`.
#[derive(Clone, PartialEq)]
pub struct RuleCodes(Table<()>);

impl RuleCodes {
    pub fn new<S: Into<String>>(codes: impl IntoIterator<Item = S>) -> RuleCodes {
        RuleCodes(Table::new(
            codes.into_iter().map(|c| (c.into(), ())).collect(),
        ))
    }

    /// True when `code` is one of the codes, ignoring ASCII case.
    pub fn contains(&self, code: &str) -> bool {
        self.0.get(code).is_some()
    }

    /// True when the rule at `index` of [`rules::all`] is one of the codes.
    pub(crate) fn contains_rule(&self, index: usize) -> bool {
        self.0.for_rule(index).is_some()
    }

    /// The codes as given, in order.
    pub fn codes(&self) -> impl Iterator<Item = &str> + '_ {
        self.0.written().iter().map(|(code, ())| code.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0 .0.is_none()
    }
}

impl Default for RuleCodes {
    fn default() -> Self {
        RuleCodes(Table(None))
    }
}

impl<S: Into<String>> FromIterator<S> for RuleCodes {
    fn from_iter<I: IntoIterator<Item = S>>(codes: I) -> Self {
        RuleCodes::new(codes)
    }
}

impl fmt::Debug for RuleCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.codes()).finish()
    }
}

/// Rule codes, in any case, with the category their findings take instead of the rule's own;
/// the first entry of a code counts.
#[derive(Clone, PartialEq)]
pub struct CategoryOverrides(Table<Category>);

impl CategoryOverrides {
    pub fn new(overrides: Vec<(String, Category)>) -> CategoryOverrides {
        CategoryOverrides(Table::new(overrides))
    }

    /// The category given for `code`, ignoring ASCII case.
    pub fn get(&self, code: &str) -> Option<Category> {
        self.0.get(code)
    }

    /// The category given for the rule at `index` of [`rules::all`].
    pub(crate) fn for_rule(&self, index: usize) -> Option<Category> {
        self.0.for_rule(index)
    }

    /// The entries as given, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Category)> + '_ {
        self.0
            .written()
            .iter()
            .map(|(code, category)| (code.as_str(), *category))
    }

    pub fn is_empty(&self) -> bool {
        self.0 .0.is_none()
    }
}

impl Default for CategoryOverrides {
    fn default() -> Self {
        CategoryOverrides(Table(None))
    }
}

impl FromIterator<(String, Category)> for CategoryOverrides {
    fn from_iter<I: IntoIterator<Item = (String, Category)>>(overrides: I) -> Self {
        CategoryOverrides::new(overrides.into_iter().collect())
    }
}

impl fmt::Debug for CategoryOverrides {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests;
