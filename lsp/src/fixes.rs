//! The fixes of a document's findings, built when a code action asks for them. Each version is
//! analysed with its safe fixes only (`FixScope::Safe`: what fix-all takes, and cheap); the
//! other fixes of the findings at a code action's range (the narrowings, which spell out
//! hundreds of actions each) are asked of the core then (`findings_with_fixes`) and kept with
//! that version's analysis, so each finding's fixes are built at most once per version. The
//! answer is the core's `ide::code_actions_with`: the same actions as from an analysis that
//! built every fix.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use iamlint_core::{
    findings_with_fixes, ide, syntax, Analysis, AnalyzeOptions, Diagnostic, FindingKey, Span,
};

/// One version's analysis and the fixes built for it so far.
#[derive(Debug)]
pub(crate) struct Analysed {
    pub analysis: Analysis,
    /// The analysis has only safe fixes (a policy); false when it has every fix (a host
    /// document, or an analysis made to answer a request).
    lazy: bool,
    keys: OnceLock<Vec<FindingKey>>,
    /// Finding index -> the finding with all its fixes (None: the core has no such finding,
    /// such as an unused-grant hint, which carries its fixes already).
    built: Mutex<HashMap<usize, Option<Diagnostic>>>,
}

impl Analysed {
    /// An analysis made with every fix.
    pub fn eager(analysis: Analysis) -> Analysed {
        Analysed::new(analysis, false)
    }

    /// An analysis made with `FixScope::Safe`.
    pub fn safe_only(analysis: Analysis) -> Analysed {
        Analysed::new(analysis, true)
    }

    fn new(analysis: Analysis, lazy: bool) -> Analysed {
        Analysed {
            analysis,
            lazy,
            keys: OnceLock::new(),
            built: Mutex::new(HashMap::new()),
        }
    }

    /// The code actions at `span` (quick-fixes of the findings there, then fix-all), building
    /// the fixes of those findings first when this version has not yet. `text`, `document` and
    /// `options` are what the analysis was made from.
    pub fn code_actions(
        &self,
        text: &str,
        document: &syntax::Document,
        options: &AnalyzeOptions,
        span: Span,
    ) -> Vec<ide::CodeAction> {
        if !self.lazy {
            return ide::code_actions(text, &self.analysis, span);
        }
        let mut built = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        let missing: Vec<usize> = ide::findings_at(&self.analysis, span)
            .into_iter()
            .filter(|i| !built.contains_key(i))
            .collect();
        if !missing.is_empty() {
            let keys = self
                .keys
                .get_or_init(|| FindingKey::all(&self.analysis.diagnostics));
            let wanted: Vec<FindingKey> = missing.iter().map(|&i| keys[i].clone()).collect();
            let found = findings_with_fixes(text, document, options, &wanted);
            built.extend(missing.into_iter().zip(found));
        }
        ide::code_actions_with(text, &self.analysis, span, |i| {
            built.get(&i).and_then(Option::as_ref)
        })
    }
}
