//! Editor features as pure functions: hover, completion and code actions at an offset. The
//! language server and the playground show these same answers.
