fn main() {
    eprintln!("usage: cargo xtask <catalog|wasm|vscode|docs|test>");
    std::process::exit(2);
}
