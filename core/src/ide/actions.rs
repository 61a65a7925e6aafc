//! Code actions: every fix of the findings in a range as a quick-fix, and one "fix all" action
//! that applies the safe fixes of the whole document (only those that do not overlap).

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Safety, TextEdit};
use crate::span::Span;

use super::{CodeAction, CodeActionKind};

/// The quick-fixes for the findings that touch `span` (the selection or cursor), safe fixes
/// first, followed by the document's fix-all action when it has any safe fix.
///
/// `text` must be the text `analysis` was computed from.
pub fn code_actions(text: &str, analysis: &Analysis, span: Span) -> Vec<CodeAction> {
    code_actions_with(text, analysis, span, |_| None)
}

/// The indices in `analysis` of the findings whose fixes [`code_actions`] offers at `span`.
pub fn findings_at(analysis: &Analysis, span: Span) -> Vec<usize> {
    analysis
        .diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| overlaps(d.span, span))
        .map(|(i, _)| i)
        .collect()
}

/// [`code_actions`] for an editor that analyses without building every fix: `analysis` was made
/// with [`crate::FixScope::Safe`] (enough for fix-all) and `full(i)` gives finding `i` with all
/// its fixes, for the findings of [`findings_at`] (from [`crate::findings_with_fixes`] with
/// their keys); where it gives None, the finding in `analysis` is taken as it is. With every
/// finding at `span` given, the answer is [`code_actions`] on the eager analysis.
pub fn code_actions_with<'f>(
    text: &str,
    analysis: &Analysis,
    span: Span,
    full: impl Fn(usize) -> Option<&'f Diagnostic>,
) -> Vec<CodeAction> {
    let mut quick: Vec<CodeAction> = Vec::new();
    for index in findings_at(analysis, span) {
        let d = full(index).unwrap_or(&analysis.diagnostics[index]);
        let safe_count = d.fixes.iter().filter(|f| f.safety == Safety::Safe).count();
        for fix in &d.fixes {
            if !edits_fit(text, &fix.edits) {
                continue;
            }
            quick.push(CodeAction {
                title: match fix.safety {
                    Safety::Safe => fix.title.clone(),
                    Safety::Review => format!("{} (review)", fix.title),
                },
                safety: fix.safety,
                kind: CodeActionKind::QuickFix,
                edits: fix.edits.clone(),
                diagnostic_code: Some(d.code.to_string()),
                diagnostic_index: Some(index),
                is_preferred: fix.safety == Safety::Safe && safe_count == 1,
            });
        }
    }
    // Safe before review; otherwise keep the findings' order (stable sort).
    quick.sort_by_key(|a| a.safety != Safety::Safe);
    quick.extend(fix_all(text, analysis));
    quick
}

/// One action with the safe fixes of every finding, skipping any fix whose edits overlap an
/// already chosen one (a second run picks those up). None when there is no safe fix.
pub fn fix_all(text: &str, analysis: &Analysis) -> Option<CodeAction> {
    let mut chosen: Vec<TextEdit> = Vec::new();
    let mut count = 0usize;
    for d in &analysis.diagnostics {
        for fix in d.fixes.iter().filter(|f| f.safety == Safety::Safe) {
            if !edits_fit(text, &fix.edits) || fix.edits.is_empty() {
                continue;
            }
            // The same fix offered by two findings is applied once.
            if fix.edits.iter().all(|e| chosen.contains(e)) {
                break;
            }
            if fix
                .edits
                .iter()
                .any(|e| chosen.iter().any(|c| conflicts(c.span, e.span)))
            {
                continue;
            }
            chosen.extend(fix.edits.iter().cloned());
            count += 1;
            // One fix per finding: the first safe one is the preferred one.
            break;
        }
    }
    if chosen.is_empty() {
        return None;
    }
    chosen.sort_by_key(|e| (e.span.start, e.span.end));
    Some(CodeAction {
        title: format!(
            "Fix all safe iamlint findings ({count} fix{})",
            if count == 1 { "" } else { "es" }
        ),
        safety: Safety::Safe,
        kind: CodeActionKind::SourceFixAll,
        edits: chosen,
        diagnostic_code: None,
        diagnostic_index: None,
        is_preferred: false,
    })
}

/// A finding is relevant to a range when they overlap, or when the cursor (an empty range)
/// sits inside or at either end of the finding.
fn overlaps(finding: Span, range: Span) -> bool {
    if range.is_empty() || finding.is_empty() {
        finding.touches(range.start) || range.touches(finding.start)
    } else {
        finding.start < range.end && range.start < finding.end
    }
}

/// Two edits conflict when their spans overlap, or when both insert at the same place (the
/// order of the insertions would be arbitrary).
fn conflicts(a: Span, b: Span) -> bool {
    if a.start == b.start {
        return true;
    }
    a.start < b.end && b.start < a.end
}

/// Every edit lies on character boundaries of `text` and the edits do not overlap: exactly when
/// `diagnostic::apply_edits` succeeds, without building the edited text (a code action request
/// checks every fix of the document, and the text can be hundreds of KB).
fn edits_fit(text: &str, edits: &[TextEdit]) -> bool {
    let fits = |e: &TextEdit| {
        e.span.start <= e.span.end
            && text.is_char_boundary(e.span.start)
            && text.is_char_boundary(e.span.end)
    };
    match edits {
        [] => true,
        [e] => fits(e),
        _ => {
            let mut sorted: Vec<&TextEdit> = edits.iter().collect();
            sorted.sort_by_key(|e| (e.span.start, e.span.end));
            sorted.windows(2).all(|p| p[0].span.end <= p[1].span.start)
                && sorted.iter().all(|e| fits(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_fit_exactly_when_apply_edits_succeeds() {
        let text = "ab😀cd\nef";
        let len = text.len();
        let edit = |start: usize, end: usize| TextEdit {
            span: Span { start, end },
            text: "x".to_string(),
        };
        let mut cases: Vec<Vec<TextEdit>> = vec![Vec::new()];
        for a in 0..=len + 1 {
            for b in 0..=len + 1 {
                cases.push(vec![edit(a, b)]);
                for c in [0, 2, 3, 6, len, len + 1] {
                    cases.push(vec![edit(a, b), edit(c, c.max(b))]);
                    cases.push(vec![edit(c, c), edit(a, b), edit(len, len)]);
                }
            }
        }
        for edits in &cases {
            assert_eq!(
                edits_fit(text, edits),
                crate::diagnostic::apply_edits(text, edits).is_some(),
                "{edits:?}"
            );
        }
    }
}
