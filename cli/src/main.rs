fn main() {
    println!("iamlint {}", env!("CARGO_PKG_VERSION"));
}
