//! The iamlint language server. It translates between LSP and the core and holds no analysis
//! logic. PLACEHOLDER until the server lands.

/// Serve LSP on stdin/stdout until the client exits.
pub fn run_stdio() -> std::io::Result<()> {
    Err(std::io::Error::other(
        "the language server is not implemented yet",
    ))
}
