//! Any bytes through the lexer, parser, formatter, type checker and diagnostic renderer: each
//! gives a result or diagnostics, never a panic. A program that parses formats to text that
//! parses back to the same program, and formatting is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let diags = match grammar::parse(&text) {
        Ok(program) => {
            let formatted = program.to_string();
            let reparsed = grammar::parse(&formatted).unwrap_or_else(|d| {
                panic!("formatted program does not parse: {d:?}\n--- formatted:\n{formatted}")
            });
            assert_eq!(reparsed.to_string(), formatted, "formatting is not idempotent");
            compiler::sema::check(&program).1
        }
        Err(diags) => diags,
    };
    for d in &diags {
        let _ = compiler::cli::report::render(d, "fuzz.stan", &text, false);
    }
});
