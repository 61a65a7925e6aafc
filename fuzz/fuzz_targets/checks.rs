//! The checks every fuzz target makes on what the core reports (included with `#[path]`).

use iamlint_core::{Diagnostic, Span};

/// `span` lies inside `text` on character boundaries.
pub fn assert_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} outside text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} splits a character"
    );
}

/// Every span of every finding is inside `text`, and every fix applies to it.
pub fn assert_diagnostics(text: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        assert_span(text, d.span, d.code);
        for r in &d.related {
            assert_span(text, r.span, "related");
        }
        for fix in &d.fixes {
            for e in &fix.edits {
                assert_span(text, e.span, "fix edit");
            }
            assert!(
                fix.apply(text).is_some(),
                "{}: fix '{}' does not apply",
                d.code,
                fix.title
            );
        }
    }
}
