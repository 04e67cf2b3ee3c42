//! Nothing a user types may panic the compiler: thousands of mutated programs (characters
//! deleted, duplicated, swapped or replaced; lines dropped) go through the whole front end, and
//! those that still compile go through code generation and one evaluation too. Every outcome
//! must be a result or diagnostics.

use std::panic::{AssertUnwindSafe, catch_unwind};

use compiler::driver::{self, Source};
use runtime::Model;
use tests::{files, root};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SNIPPETS: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    ";",
    ",",
    ":",
    "|",
    "'",
    "~",
    "+",
    "-",
    "*",
    "/",
    ".*",
    "./",
    "^",
    "<",
    ">",
    "=",
    "==",
    "&&",
    "0",
    "1",
    "-1",
    "2.5",
    "1e300",
    "N",
    "x",
    "y",
    "vector",
    "matrix",
    "real",
    "int",
    "array",
    "target +=",
    "return",
    "for",
    "if",
    "else",
    "lower=",
    "upper=",
    "normal",
    "normal_lpdf",
    "log",
    "sum",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(3) {
        if chars.is_empty() {
            break;
        }
        let i = rng.below(chars.len());
        match rng.below(6) {
            0 => {
                chars.remove(i);
            }
            1 => {
                let c = chars[i];
                chars.insert(i, c);
            }
            2 => {
                let j = rng.below(chars.len());
                chars.swap(i, j);
            }
            3 => {
                let snippet = SNIPPETS[rng.below(SNIPPETS.len())];
                for (k, c) in snippet.chars().enumerate() {
                    chars.insert(i + k, c);
                }
            }
            4 => {
                // Drop the rest of the line.
                let end = chars[i..].iter().position(|c| *c == '\n').map_or(chars.len(), |p| i + p);
                chars.drain(i..end);
            }
            _ => chars[i] = ['0', 'x', ';', '[', ']', ' ', '-'][rng.below(7)],
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mutated_programs_never_panic() {
    let mut programs = files(&root().join("tests/programs"), &["stan"]);
    programs.extend(files(&root().join("examples"), &["vppl"]));
    // VPPL_SEED explores other mutations by hand (`VPPL_SEED=7 cargo test --test robustness`);
    // the suite always uses the fixed seed.
    let seed = std::env::var("VPPL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
    let mut rng = Rng(seed);
    let (mut compiled, mut total) = (0, 0);
    for path in &programs {
        let text = std::fs::read_to_string(path).expect("readable");
        for _ in 0..60 {
            let mutated = mutate(&text, &mut rng);
            total += 1;
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let src = Source { name: "fuzz".into(), path: "fuzz.stan".into(), text: mutated.clone() };
                let Ok(mut stages) = driver::compile_ir(&src) else { return false };
                // A program that still compiles must also make code and evaluate without
                // crashing (it has no data: loading may fail, which is a result too).
                let Ok(native) = driver::compile_native(&src, &mut stages) else { return false };
                // A mutation can make a `while` loop endless (`while (i < 10) { }`), which is
                // valid Stan that never returns: such programs are compiled but not run.
                if mutated.contains("while") {
                    std::mem::forget(native.jit);
                    return true;
                }
                if std::env::var("VPPL_TRACE").is_ok() {
                    eprintln!("== RUN {}\n{mutated}\n== END", path.display());
                }
                if let Ok(model) = runtime::compiled::CompiledModel::new(
                    native.entries,
                    native.meta,
                    &runtime::data::DataFile::empty(),
                ) {
                    let x = vec![0.1; model.n_unconstrained()];
                    let mut g = vec![0.0; x.len()];
                    let _ = model.log_density_gradient(&x, &mut g);
                }
                std::mem::forget(native.jit);
                true
            }));
            match outcome {
                Ok(ok) => compiled += usize::from(ok),
                Err(_) => panic!("the compiler panicked on this mutation of {}:\n{mutated}", path.display()),
            }
        }
    }
    assert!(total > 2000, "only {total} mutations were tried");
    assert!(compiled > 0, "no mutation compiled, so code generation was not exercised");
}

/// Empty and negative sizes reach compiled code safely: an empty constrained vector or matrix
/// is evaluated without touching memory it does not have (`ordered[0]` once wrote its missing
/// first element and corrupted the heap), and a negative size, or an empty simplex, is an
/// error at run time. A failure here is a crash of the test process, not a wrong value.
#[test]
fn empty_and_negative_sizes_are_safe() {
    let cases = [
        ("ordered[0] x;", true),
        ("positive_ordered[0] x;", true),
        ("array[2] ordered[0] x;", true),
        ("cholesky_factor_corr[0] x;", true),
        ("array[0] simplex[3] x;", true),
        ("vector<lower=0>[0] x;", true),
        ("simplex[0] x;", false),
        ("simplex[-1] x;", false),
        ("ordered[-1] x;", false),
        ("vector[-1] x;", false),
        ("array[-2] real x;", false),
        ("matrix[-1, 2] x;", false),
        // Sizes that each fit, with a product that does not (it overflowed to 0 and the
        // buffer was tiny).
        ("array[65536, 65536] matrix[65536, 65536] x;", false),
        ("matrix[100000, 100000] x;", false),
    ];
    for (decl, valid) in cases {
        let text = format!("parameters {{\n  real mu;\n  {decl}\n}}\nmodel {{\n  mu ~ normal(0, 1);\n}}\n");
        let evaluated = evaluate_once(decl, text);
        match (valid, evaluated) {
            (true, Err(e)) => panic!("{decl} is a valid empty declaration, but evaluating it failed: {e}"),
            (false, Ok(_)) => panic!("{decl} has an invalid size, but evaluating it succeeded"),
            (false, Err(e)) => assert!(e.contains("size"), "{decl}: the error does not name the size: {e}"),
            (true, Ok(_)) => {}
        }
    }
}

/// Linear algebra checks its operands' shapes in compiled code: the kernels trust them, and a
/// mismatch read and wrote past the buffers (a garbage value, or a crash).
#[test]
fn mismatched_shapes_are_errors() {
    let cases = [
        ("vector[3] v = rep_matrix(1, 3, 4) * rep_vector(1, 3);", "matrix product"),
        ("matrix[3, 4] m = rep_matrix(1, 3, 4) * rep_matrix(1, 3, 4);", "matrix product"),
        ("row_vector[2] r = rep_row_vector(1, 3) * rep_matrix(1, 2, 2);", "matrix product"),
        ("matrix[3, 1] l = cholesky_decompose(rep_matrix(1, 3, 1));", "square"),
        ("int n = -3;\n  vector[0] v = rep_vector(1, n);", "negative"),
        ("int n = 65536;\n  array[0, 0, 0] real a = rep_array(1.0, n, n, n);", "2147483647"),
        ("real lp = multi_normal_cholesky_lpdf(rep_vector(0, 3) | rep_vector(0, 3), rep_matrix(1, 3, 1));", "square"),
        (
            "real lp = multi_normal_cholesky_lpdf(rep_vector(0, 3) | rep_vector(0, 3), diag_matrix(rep_vector(1, 2)));",
            "size",
        ),
    ];
    for (stmt, expected) in cases {
        let text = format!("parameters {{\n  real mu;\n}}\nmodel {{\n  {stmt}\n  mu ~ normal(0, 1);\n}}\n");
        let message = evaluate_once(stmt, text).expect_err(stmt);
        assert!(message.contains(expected), "{stmt}: {message}");
    }
}

/// Compiles `text` (which must compile) to native code and evaluates the log density and its
/// gradient once at 0.1, with no data: the value, or the error of loading or evaluating.
fn evaluate_once(what: &str, text: String) -> Result<f64, String> {
    let src = Source { name: "case".into(), path: "case.stan".into(), text };
    let mut stages = driver::compile_ir(&src).unwrap_or_else(|d| panic!("{what} does not compile: {d:?}"));
    let native = driver::compile_native(&src, &mut stages).unwrap_or_else(|_| panic!("{what}: no native code"));
    let result = runtime::compiled::CompiledModel::new(native.entries, native.meta, &runtime::data::DataFile::empty())
        .map_err(|e| e.message)
        .and_then(|model| {
            let x = vec![0.1; model.n_unconstrained()];
            let mut g = vec![0.0; x.len()];
            model.log_density_gradient(&x, &mut g).map_err(|e| format!("{e:?}"))
        });
    // The model's code must outlive every pointer into it; the test process ends soon.
    std::mem::forget(native.jit);
    result
}
