//! Any bytes through the whole compiler short of native code: parse, check and lower,
//! differentiate, simplify. Each gives IR or diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let source = compiler::driver::Source { name: "fuzz".into(), path: "fuzz.stan".into(), text };
    let _ = compiler::driver::compile_ir(&source);
});
