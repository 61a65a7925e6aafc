//! wasm-bindgen facade over iamlint-core for the browser. PLACEHOLDER until the wasm build lands.
