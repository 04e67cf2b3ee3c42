//! One `#[test]` per corpus file, so that one failure does not hide the rest: the programs
//! under `programs/{good,bad,accepted}`, the example models and Stan's gradient fixtures
//! (`NAME.json` under `fixtures/stan_gradients`: the examples', and those of the programs of
//! built-ins in its `builtins/`, whose data files `NAME.data.json` are no fixtures). The
//! generated files (in OUT_DIR) call the checks written in the test files.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, exts, out);
        } else if p.extension().and_then(|x| x.to_str()).is_some_and(|x| exts.contains(&x))
            && !p.to_string_lossy().ends_with(".data.json")
        {
            out.push(p);
        }
    }
}

/// A test function's name for a path: its letters, digits and underscores.
fn ident(prefix: &str, rel: &Path) -> String {
    let mut name = String::from(prefix);
    for c in rel.with_extension("").to_string_lossy().chars() {
        name.push(if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' });
    }
    name
}

/// `#[test] fn <kind>_<path>() { <check>("<path from the workspace root>") }` for each file.
fn generate(root: &Path, dir: &str, exts: &[&str], prefix: &str, check: &str) -> String {
    let mut paths = Vec::new();
    files(&root.join(dir), exts, &mut paths);
    let mut code = String::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        let rel = p.strip_prefix(root.join(dir)).expect("under its directory");
        let mut name = ident(prefix, rel);
        while !seen.insert(name.clone()) {
            name.push('_');
        }
        let from_root = p.strip_prefix(root).expect("under the root").to_string_lossy().replace('\\', "/");
        writeln!(code, "#[test]\nfn {name}() {{\n    {check}(\"{from_root}\");\n}}\n").expect("writes");
    }
    code
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest.parent().expect("the tests crate sits in the workspace").to_path_buf();
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    let programs = [
        generate(&root, "tests/programs/good", &["stan", "vppl"], "good_", "good_program"),
        generate(&root, "tests/programs/bad", &["stan", "vppl"], "bad_", "bad_program"),
        generate(&root, "tests/programs/accepted", &["stan"], "accepted_", "accepted_program"),
    ]
    .concat();
    std::fs::write(out.join("corpus_programs.rs"), programs).expect("OUT_DIR is writable");
    let examples = generate(&root, "examples", &["vppl"], "example_", "example_gradient");
    std::fs::write(out.join("corpus_examples.rs"), examples).expect("OUT_DIR is writable");
    let hessians = generate(&root, "examples", &["vppl"], "hessian_", "example_hessian");
    std::fs::write(out.join("corpus_hessians.rs"), hessians).expect("OUT_DIR is writable");
    let fixtures = generate(&root, "tests/fixtures/stan_gradients", &["json"], "stan_", "stan_fixture");
    std::fs::write(out.join("corpus_fixtures.rs"), fixtures).expect("OUT_DIR is writable");
}
