//! A memo of the statement rules' findings across documents, for checks of many documents that
//! repeat statements: every version of a managed policy repeats most statements of the last
//! one, and a repository of Terraform modules or templates copies statements between files.
//!
//! The findings of a *statement rule* ([`is_statement_rule`]) on a statement depend only on the
//! statement's text and index and on the [`DocumentKey`] (see [`crate::incremental`]). Their
//! fixes read a little more of the document: the file's indentation unit and the indentation
//! of the line the statement starts on (a fix that writes a new list or object indents it like
//! the code around, [`crate::fix::layout`]). The memo's key is all of these; its value is the
//! statement's findings with their fixes, spans relative to the statement's start.
//!
//! A statement is not kept when one of its findings has a fix that edits outside it; a
//! document where a statement rule reports outside every statement is checked in full and keeps
//! nothing (neither happens with today's rules; the tests would show it). Documents with a
//! syntax error are checked in full too: error recovery may read a statement's text
//! differently depending on what follows it. The document rules run on every document.
//!
//! The result is exactly what [`crate::analysis::analyze_parsed_with`] gives (the property test
//! in `tests.rs` checks findings, order, messages and fixes on random documents).

use crate::analysis::{run_rules, sort_findings, Analysis, AnalyzeOptions};
use crate::diagnostic::{Diagnostic, FixScope};
use crate::fast_hash::{FastHasher, FastMap, FastSet};
use crate::fix::layout::{indent_unit, line_indent};
use crate::incremental::{is_statement_rule, moved, statement_of, DocumentKey};
use crate::policy::Policy;
use crate::rules::Context;
use crate::span::Span;
use crate::syntax;
use std::hash::Hasher;

/// The statement results of earlier documents (see the module documentation). Its memory is
/// bounded: past [`StatementMemo::limit`] bytes it forgets everything and starts again.
pub struct StatementMemo {
    /// The options and fix scope the entries were made with; a check with others forgets them.
    made_with: Option<(AnalyzeOptions, FixScope<'static>)>,
    /// The document-wide parts of the keys seen (document key and indentation unit), numbered.
    surroundings: FastMap<(DocumentKey, String), u32>,
    /// By the hash of the whole key; a hash shared by two keys keeps the later one.
    entries: FastMap<u64, Entry>,
    /// About what the entries hold, in bytes.
    bytes: usize,
    limit: usize,
    /// How many statements it answered (for tests and figures).
    reused: usize,
    /// Counts the numberings of the surroundings: entries made under an older one are not added.
    generation: u64,
}

/// One statement's key (everything but the surroundings' number is compared in full) and the
/// statement rules' findings on it, spans relative to the statement's start, in rule order then
/// report order.
struct Entry {
    surroundings: u32,
    index: usize,
    /// The whitespace that starts the statement's first line.
    indent: Box<str>,
    text: Box<str>,
    findings: Vec<Diagnostic>,
}

/// The default bound of a memo's memory: the history of every managed policy (56,000
/// statements, 13,000 distinct) needs about a third.
const DEFAULT_LIMIT: usize = 64 << 20;

/// How many different surroundings a memo numbers before it starts again (each document of a
/// corpus usually shares one of a handful).
const MAX_SURROUNDINGS: usize = 4096;

/// What a memo holds besides the texts, per entry and per finding.
const ENTRY_COST: usize = 128;
const FINDING_COST: usize = std::mem::size_of::<Diagnostic>() + 32;

impl Default for StatementMemo {
    fn default() -> Self {
        StatementMemo::with_limit(DEFAULT_LIMIT)
    }
}

impl StatementMemo {
    /// A memo that holds about `limit` bytes at most.
    pub fn with_limit(limit: usize) -> StatementMemo {
        StatementMemo {
            made_with: None,
            surroundings: FastMap::default(),
            entries: FastMap::default(),
            bytes: 0,
            limit,
            reused: 0,
            generation: 0,
        }
    }

    /// The bound given to [`StatementMemo::with_limit`].
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// How many statements it answered so far.
    pub fn reused(&self) -> usize {
        self.reused
    }

    /// How many statements it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn forget(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }

    /// Ready for a check with `options` and `scope`: None when this scope cannot be kept
    /// (findings named by key), else the number of the document's surroundings and the
    /// numbering's generation.
    fn prepare(
        &mut self,
        options: &AnalyzeOptions,
        scope: FixScope<'_>,
        surroundings: (DocumentKey, String),
    ) -> Option<(u32, u64)> {
        let scope = match scope {
            FixScope::All => FixScope::All,
            FixScope::None => FixScope::None,
            FixScope::Safe => FixScope::Safe,
            FixScope::Only(_) => return None,
        };
        let same = self
            .made_with
            .as_ref()
            .is_some_and(|(o, s)| *s == scope && o == options);
        if !same || self.surroundings.len() >= MAX_SURROUNDINGS {
            // The entries name surroundings by number: they go with the numbering.
            self.forget();
            self.surroundings.clear();
            self.generation += 1;
            self.made_with = Some((options.clone(), scope));
        }
        let next = self.surroundings.len() as u32;
        let number = *self.surroundings.entry(surroundings).or_insert(next);
        Some((number, self.generation))
    }

    fn get(&self, hash: u64, key: &Key<'_>) -> Option<&[Diagnostic]> {
        let e = self.entries.get(&hash)?;
        (e.surroundings == key.surroundings
            && e.index == key.index
            && *e.indent == *key.indent
            && *e.text == *key.text)
            .then_some(e.findings.as_slice())
    }

    fn insert(&mut self, hash: u64, key: &Key<'_>, findings: Vec<Diagnostic>) {
        let size = ENTRY_COST
            + key.indent.len()
            + key.text.len()
            + findings.iter().map(finding_size).sum::<usize>();
        if size > self.limit {
            return;
        }
        if self.bytes + size > self.limit {
            self.forget();
        }
        self.bytes += size;
        let entry = Entry {
            surroundings: key.surroundings,
            index: key.index,
            indent: key.indent.into(),
            text: key.text.into(),
            findings,
        };
        if let Some(old) = self.entries.insert(hash, entry) {
            self.bytes = self.bytes.saturating_sub(entry_size(&old));
        }
    }
}

fn finding_size(d: &Diagnostic) -> usize {
    FINDING_COST
        + d.message.len()
        + d.related
            .iter()
            .map(|r| 32 + r.message.len())
            .sum::<usize>()
        + d.fixes
            .iter()
            .map(|f| 48 + f.title.len() + f.edits.iter().map(|e| 40 + e.text.len()).sum::<usize>())
            .sum::<usize>()
}

fn entry_size(e: &Entry) -> usize {
    ENTRY_COST + e.indent.len() + e.text.len() + e.findings.iter().map(finding_size).sum::<usize>()
}

/// The codes [`is_statement_rule`] accepts, as a set: asked twice for each rule of each
/// document, its list (searched one by one) cost a fifth of a check of the latest corpus.
fn statement_rules() -> &'static FastSet<&'static str> {
    static SET: std::sync::OnceLock<FastSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        crate::rules::all()
            .map(|r| r.meta.code)
            .filter(|c| is_statement_rule(c))
            .collect()
    })
}

/// A statement's key, borrowed from the document being checked.
struct Key<'t> {
    surroundings: u32,
    index: usize,
    indent: &'t str,
    text: &'t str,
}

/// `hash` (of a key's other parts) with the surroundings' number.
fn with_surroundings(hash: u64, number: u32) -> u64 {
    let mut h = FastHasher::default();
    h.write_u64(hash);
    h.write_u32(number);
    h.finish()
}

impl Key<'_> {
    /// The hash of the key's parts but the surroundings.
    fn hash(&self) -> u64 {
        let mut h = FastHasher::default();
        h.write_usize(self.index);
        h.write_usize(self.indent.len());
        h.write(self.indent.as_bytes());
        h.write_usize(self.text.len());
        h.write(self.text.as_bytes());
        h.finish()
    }
}

/// A way to reach a memo: a `&mut StatementMemo` for one thread, a `&Mutex<StatementMemo>`
/// for several (the lock is held to look the statements up and to add them, never while
/// rules run).
pub trait MemoHandle {
    fn with<R>(&mut self, f: impl FnOnce(&mut StatementMemo) -> R) -> R;
}

impl MemoHandle for &mut StatementMemo {
    fn with<R>(&mut self, f: impl FnOnce(&mut StatementMemo) -> R) -> R {
        f(self)
    }
}

impl MemoHandle for &std::sync::Mutex<StatementMemo> {
    fn with<R>(&mut self, f: impl FnOnce(&mut StatementMemo) -> R) -> R {
        // A thread that panicked while holding the lock left at worst a memo that forgot or
        // did not add an entry (each entry is added whole): still right to use.
        let mut memo = self
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut memo)
    }
}

/// [`crate::analysis::analyze_parsed_with`], reusing (and filling) `memo` for the statement
/// rules' findings; the same result.
pub fn analyze_parsed_memo(
    text: &str,
    document: &syntax::Document,
    options: &AnalyzeOptions,
    scope: FixScope<'_>,
    mut memo: impl MemoHandle,
) -> Analysis {
    let policy = Policy::from_root(document.root.as_ref());
    let policy_type = options.policy_type.resolve(&policy);
    let full = || crate::analysis::analyze_parsed_with(text, document, options, scope);
    if !document.errors.is_empty() || policy.statements.is_empty() {
        return full();
    }
    let surroundings = (
        DocumentKey::of(text, &policy, &policy_type),
        indent_unit(text),
    );
    // Hashed before the memo is asked (the surroundings' number is added then).
    let mut keys: Vec<(u64, Key<'_>)> = policy
        .statements
        .iter()
        .map(|st| {
            let key = Key {
                surroundings: 0,
                index: st.index,
                indent: line_indent(text, st.node.span.start),
                text: st.node.span.slice(text),
            };
            (key.hash(), key)
        })
        .collect();
    let found = memo.with(|memo| {
        let (number, generation) = memo.prepare(options, scope, surroundings)?;
        let kept: Vec<Option<Vec<Diagnostic>>> = keys
            .iter_mut()
            .map(|(hash, key)| {
                key.surroundings = number;
                *hash = with_surroundings(*hash, number);
                Some(memo.get(*hash, key)?.to_vec())
            })
            .collect();
        memo.reused += kept.iter().filter(|k| k.is_some()).count();
        Some((kept, generation))
    });
    let Some((kept, generation)) = found else {
        return full();
    };
    let kept: Vec<Option<Vec<Diagnostic>>> = kept
        .into_iter()
        .zip(&policy.statements)
        .map(|(k, st)| k.map(|found| moved(found, 0, st.node.span.start)))
        .collect();

    let mut diagnostics = Vec::new();
    let missed = kept.iter().filter(|k| k.is_none()).count();
    // The statement rules on the statements not found, in a context of their own (as the
    // incremental session does), whose action expansions the document rules reuse; in the
    // whole document's context when none was found.
    let changed = Policy {
        statements: policy
            .statements
            .iter()
            .zip(&kept)
            .filter(|(_, k)| k.is_none())
            .map(|(st, _)| st.clone())
            .collect(),
        ..policy.without_statements()
    };
    let mut whole = Context::new(text, document, &policy, &policy_type);
    let statement_rules = statement_rules();
    let is_statement_rule = |code: &str| statement_rules.contains(code);
    let mut fresh = Vec::new();
    if missed == policy.statements.len() {
        run_rules(&whole, options, scope, is_statement_rule, &mut fresh);
    } else if missed > 0 {
        let cx = Context::for_statements(text, document, &policy, &changed, &policy_type);
        run_rules(&cx, options, scope, is_statement_rule, &mut fresh);
        whole.adopt_statement_facts(cx);
    }
    let spans: Vec<Span> = changed.statements.iter().map(|st| st.span()).collect();
    let mut by_statement: Vec<Vec<Diagnostic>> = vec![Vec::new(); spans.len()];
    let mut outside = false;
    for d in fresh {
        match statement_of(&spans, &d) {
            Some(k) => by_statement[k].push(d),
            None => {
                outside = true;
                diagnostics.push(d);
            }
        }
    }
    if outside && missed < policy.statements.len() {
        // A statement rule reported outside its statement: the kept findings of the others
        // cannot be trusted to be all (nor these to be in place); check in full.
        return full();
    }
    let mut fresh = by_statement.into_iter();
    let mut new_entries = Vec::new();
    for ((st, k), (hash, key)) in policy.statements.iter().zip(kept).zip(&keys) {
        let findings = match k {
            Some(found) => found,
            None => {
                let found = fresh.next().unwrap_or_default();
                let span = st.span();
                let inside = |s: Span| span.start <= s.start && s.end <= span.end;
                let edits_inside = found
                    .iter()
                    .flat_map(|d| &d.fixes)
                    .flat_map(|f| &f.edits)
                    .all(|e| inside(e.span));
                if !outside && edits_inside {
                    new_entries.push((*hash, key, moved(found.clone(), span.start, 0)));
                }
                found
            }
        };
        diagnostics.extend(findings);
    }
    if !new_entries.is_empty() {
        memo.with(|memo| {
            // Unless another document's check renumbered the surroundings meanwhile.
            if memo.generation == generation {
                for (hash, key, findings) in new_entries {
                    memo.insert(hash, key, findings);
                }
            }
        });
    }

    run_rules(
        &whole,
        options,
        scope,
        |code| !is_statement_rule(code),
        &mut diagnostics,
    );
    sort_findings(&mut diagnostics);
    Analysis {
        policy_type,
        diagnostics,
    }
}

#[cfg(test)]
mod tests;
