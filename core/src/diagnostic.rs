//! Findings, the fixes they carry, and the edits a fix makes.

use serde::Serialize;

use crate::span::Span;

/// How serious a finding is. The names follow IAM Access Analyzer's finding types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// The policy (or part of it) is invalid or does not work as written.
    Error,
    /// The policy grants access that is dangerous.
    Security,
    /// The policy works but is broad or likely not what was meant.
    Warning,
    /// Style and tidiness; no effect on access.
    Suggestion,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Error,
        Category::Security,
        Category::Warning,
        Category::Suggestion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Error => "error",
            Category::Security => "security",
            Category::Warning => "warning",
            Category::Suggestion => "suggestion",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
    }

    /// Rank for `--fail-on`: a finding "reaches" a threshold when its rank is at most the
    /// threshold's rank (error is the most severe).
    pub fn rank(self) -> u8 {
        self as u8
    }
}

/// Whether applying a fix can be done without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Same meaning (or strictly less access without changing intent): e.g. adding Version,
    /// fixing the case of Effect, correcting a misspelt action.
    Safe,
    /// Narrows access; a person decides whether the narrower grant is what they want.
    Review,
}

impl Safety {
    /// The name the outputs use (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Review => "review",
        }
    }
}

/// Replace the text in `span` with `text` (an insertion when the span is empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    pub span: Span,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub safety: Safety,
    /// Non-overlapping edits against the original text.
    pub edits: Vec<TextEdit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<TextEdit>) -> Fix {
        Fix {
            title: title.into(),
            safety: Safety::Safe,
            edits,
        }
    }

    pub fn review(title: impl Into<String>, edits: Vec<TextEdit>) -> Fix {
        Fix {
            title: title.into(),
            safety: Safety::Review,
            edits,
        }
    }

    /// Apply the edits to `text`. Edits are applied from the last to the first so that
    /// earlier spans stay valid. Returns None if an edit does not fit the text or edits overlap.
    pub fn apply(&self, text: &str) -> Option<String> {
        apply_edits(text, &self.edits)
    }
}

/// Apply non-overlapping edits to `text`; None if any edit is out of range, splits a
/// character, or overlaps another.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> Option<String> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    for pair in sorted.windows(2) {
        if pair[0].span.end > pair[1].span.start {
            return None;
        }
    }
    let mut out = text.to_string();
    for edit in sorted.iter().rev() {
        if edit.span.start > edit.span.end
            || !out.is_char_boundary(edit.span.start)
            || !out.is_char_boundary(edit.span.end)
            || edit.span.end > out.len()
        {
            return None;
        }
        out.replace_range(edit.span.start..edit.span.end, &edit.text);
    }
    Some(out)
}

/// Another place that belongs to a finding, such as the other statements of a
/// privilege-escalation combination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// One finding. `code` is stable (Access Analyzer's issue code where one exists).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub category: Category,
    pub message: String,
    pub span: Span,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        category: Category,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            category,
            message: message.into(),
            span,
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }
}

/// Names one finding of an analysis without holding it: its code, its span, and `nth`, its
/// place among the findings with the same code and span (almost always 0). Faces keep keys to
/// ask for a finding's fixes later ([`crate::analysis::findings_with_fixes`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FindingKey {
    pub code: String,
    pub span: Span,
    pub nth: usize,
}

impl FindingKey {
    /// The key of every finding of `diagnostics`, in order. `diagnostics` is an analysis's
    /// list, sorted by span then code, so findings with the same code and span are adjacent.
    pub fn all(diagnostics: &[Diagnostic]) -> Vec<FindingKey> {
        diagnostics
            .iter()
            .zip(FindingKey::nths(diagnostics))
            .map(|(d, nth)| FindingKey {
                code: d.code.to_string(),
                span: d.span,
                nth,
            })
            .collect()
    }

    /// The `nth` of every finding of `diagnostics` (an analysis's list, in order), without the
    /// keys. Spans are compared before codes: neighbours almost always differ in span, and two
    /// findings of one rule hold equal codes, which `==` would compare byte by byte (a byte at
    /// a time in WebAssembly, up to three times over 5,000 findings per keystroke).
    pub fn nths<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<usize> {
        let mut nths: Vec<usize> = Vec::new();
        let mut prev: Option<&Diagnostic> = None;
        for d in diagnostics {
            let nth = match (prev, nths.last()) {
                (Some(p), Some(n)) if p.span == d.span && p.code == d.code => n + 1,
                _ => 0,
            };
            nths.push(nth);
            prev = Some(d);
        }
        nths
    }
}

/// Which findings of a check get their fixes built. Building fixes is most of the cost of
/// some findings (a narrowing fix of `s3:*` spells out hundreds of actions), and an editor
/// shows the fixes of one finding at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FixScope<'k> {
    /// Every finding carries its fixes (what the CLI prints).
    #[default]
    All,
    /// No finding carries fixes.
    None,
    /// Only the findings these keys name carry fixes.
    Only(&'k [FindingKey]),
    /// Every finding carries its safe fixes and no review fix; the narrowing fixes, which are
    /// all review and the costly ones, are not built. Enough for [`crate::ide::fix_all`] (it
    /// takes safe fixes only), so an editor can offer fix-all and build the other fixes of the
    /// findings under the cursor when asked ([`crate::ide::code_actions_with`]).
    Safe,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serialised_names() {
        for safety in [Safety::Safe, Safety::Review] {
            let serialised = serde_json::to_string(&safety).unwrap();
            assert_eq!(serialised, format!("\"{}\"", safety.as_str()));
        }
        for category in Category::ALL {
            let serialised = serde_json::to_string(&category).unwrap();
            assert_eq!(serialised, format!("\"{}\"", category.as_str()));
        }
    }

    proptest::proptest! {
        /// `nths` counts, for each finding of a sorted list, the earlier findings with its code
        /// and span, whatever order it compares them in and whether equal codes share a pointer.
        #[test]
        fn nths_count_the_earlier_equal_keys(
            items in proptest::collection::vec((0usize..3, 0usize..3, proptest::bool::ANY), 0..30),
        ) {
            // Codes as static strings and as leaked copies: equal bytes, other
            // pointers, as two rules' codes could be.
            let code = |c: usize, copy: bool| -> &'static str {
                let name = ["A", "B", "AB"][c];
                if copy { String::from(name).leak() } else { name }
            };
            let mut list: Vec<Diagnostic> = items
                .iter()
                .map(|&(c, at, copy)| {
                    Diagnostic::new(code(c, copy), Category::Error, Span::new(at, at + 1), "m")
                })
                .collect();
            list.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(b.code)));
            let nths = FindingKey::nths(&list);
            for (k, d) in list.iter().enumerate() {
                let earlier = list[..k]
                    .iter()
                    .filter(|e| e.code == d.code && e.span == d.span)
                    .count();
                proptest::prop_assert_eq!(nths[k], earlier);
            }
        }
    }
}
