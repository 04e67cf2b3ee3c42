//! The snapshot harness: every program under `programs/good` is printed at every stage, every
//! program under `programs/bad` has its rendered diagnostics snapshotted. To add a test, add a
//! file (with a `NAME.data.json` beside it if it needs data to run).

use std::path::Path;

use compiler::cli::report;
use compiler::driver;
use runtime::Model;
use runtime::advi::{self, AdviConfig, Algorithm};
use tests::{files, load, root, source};

fn snapshot_name(stage: &str, path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).expect("under base").with_extension("");
    format!("{stage}@{}", rel.to_string_lossy().replace(['/', '\\'], "__"))
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(root().join("tests/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

#[test]
fn good_programs() {
    let base = root().join("tests/programs/good");
    let programs = files(&base, &["stan", "vppl"]);
    assert!(!programs.is_empty(), "no good programs found");
    for path in programs {
        let src = source(&path);
        let stages = match driver::compile_ir(&src) {
            Ok(s) => s,
            Err(d) => panic!("{} should compile: {d:?}", path.display()),
        };
        // The formatter is idempotent and its output parses back to the same program.
        let formatted = stages.ast.to_string();
        let reparsed = grammar::parse(&formatted)
            .unwrap_or_else(|d| panic!("{}: formatted program does not parse: {d:?}", path.display()));
        assert_eq!(reparsed.to_string(), formatted, "{}: formatting is not idempotent", path.display());
        settings().bind(|| {
            insta::assert_snapshot!(snapshot_name("ast", &path, &base), stages.ast.to_string());
            insta::assert_snapshot!(snapshot_name("ir", &path, &base), stages.ir.log_density_propto.to_string());
            insta::assert_snapshot!(snapshot_name("ad", &path, &base), stages.ad.to_string());
            let opt = format!("{}\n{}\n{}", stages.opt_gradient, stages.opt_validate, stages.opt_precompute);
            insta::assert_snapshot!(snapshot_name("opt", &path, &base), opt);
        });
        // Runs: a short fixed-seed fit, summarised coarsely so the snapshot is stable.
        let (model, _) = load(&path).unwrap_or_else(|e| panic!("{} should load: {e}", path.display()));
        let config = AdviConfig {
            algorithm: Algorithm::MeanField,
            iter: 2000,
            seed: 7,
            output_samples: 200,
            ..AdviConfig::default()
        };
        let init = vec![0.0; model.n_unconstrained()];
        let mut log = Vec::new();
        let run = match advi::run_advi(&model, &init, &config, &mut log) {
            Ok(fit) => {
                let draws = advi::constrained_draws(&model, &fit, 7, &mut log).expect("draws");
                let mut text =
                    format!("converged: {}\niterations: {}\nelbo: {:.1}\n", fit.converged, fit.iterations, fit.elbo);
                for (i, name) in model.output_names().iter().enumerate() {
                    let mean = draws[1..].iter().map(|d| d[i]).sum::<f64>() / (draws.len() - 1) as f64;
                    text.push_str(&format!("{}: {:.1}\n", name.display(), mean));
                }
                text
            }
            Err(e) => format!("error: {e}\n"),
        };
        settings().bind(|| insta::assert_snapshot!(snapshot_name("run", &path, &base), run));
    }
}

#[test]
fn bad_programs() {
    let base = root().join("tests/programs/bad");
    let programs = files(&base, &["stan", "vppl"]);
    assert!(!programs.is_empty(), "no bad programs found");
    for path in programs {
        let src = source(&path);
        let diags = match driver::compile_ir(&src) {
            Ok(stages) => stages.warnings,
            Err(d) => d,
        };
        assert!(!diags.is_empty(), "{} should produce a diagnostic", path.display());
        let file = path.strip_prefix(root()).expect("under root").display().to_string();
        let rendered: String = diags.iter().map(|d| report::render(d, &file, &src.text, false)).collect();
        settings().bind(|| insta::assert_snapshot!(snapshot_name("diagnostic", &path, &base), rendered));
    }
}

/// The front-end corpus: programs `vppl check` accepts, whether or not vppl can run them yet
/// ("not supported yet" is a warning there). Each formats idempotently and re-parses to the same
/// program; the snapshot holds the formatted program and any warnings, so a change to the
/// formatter or to a warning shows in review.
#[test]
fn accepted_programs() {
    let base = root().join("tests/programs/accepted");
    let programs = files(&base, &["stan"]);
    assert!(programs.len() >= 200, "only {} accepted programs found", programs.len());
    for path in programs {
        let src = source(&path);
        let ast = grammar::parse(&src.text).unwrap_or_else(|d| panic!("{} should parse: {d:?}", path.display()));
        let formatted = ast.to_string();
        let reparsed = grammar::parse(&formatted)
            .unwrap_or_else(|d| panic!("{}: formatted program does not parse: {d:?}", path.display()));
        assert_eq!(reparsed.to_string(), formatted, "{}: formatting is not idempotent", path.display());
        let diags = driver::check(&src);
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{} should pass the front end: {errors:?}", path.display());
        let file = path.strip_prefix(root()).expect("under root").display().to_string();
        let mut text = formatted;
        for d in &diags {
            text.push_str("\n");
            text.push_str(&report::render(d, &file, &src.text, false));
        }
        settings().bind(|| insta::assert_snapshot!(snapshot_name("accepted", &path, &base), text));
    }
}

/// No line the formatter prints for the corpus (accepted and good programs, the grammar's test
/// programs, the examples) is longer than 100 columns, comments aside, unless it is a single
/// token sequence the formatter cannot break: no space outside its string literals.
#[test]
fn formatted_lines_fit_in_100_columns() {
    let mut programs = files(&root().join("tests/programs/accepted"), &["stan"]);
    programs.extend(files(&root().join("tests/programs/good"), &["stan", "vppl"]));
    programs.extend(files(&root().join("grammar/tests/programs"), &["stan"]));
    programs.extend(files(&root().join("examples"), &["vppl"]));
    assert!(programs.len() >= 250, "only {} programs found", programs.len());
    let mut too_long = Vec::new();
    for path in programs {
        let src = source(&path);
        let ast = grammar::parse(&src.text).unwrap_or_else(|d| panic!("{} should parse: {d:?}", path.display()));
        let formatted = ast.to_string();
        let mut in_block_comment = false;
        for (i, line) in formatted.lines().enumerate() {
            // The line without comments, and its code outside string literals.
            let (mut code, mut bare) = (String::new(), String::new());
            let (mut in_string, mut chars) = (false, line.chars().peekable());
            while let Some(c) = chars.next() {
                let next = chars.peek().copied();
                if in_block_comment {
                    in_block_comment = !(c == '*' && next == Some('/'));
                    if !in_block_comment {
                        chars.next();
                    }
                    continue;
                }
                if !in_string && c == '/' && next == Some('/') {
                    break;
                }
                if !in_string && c == '/' && next == Some('*') {
                    in_block_comment = true;
                    chars.next();
                    continue;
                }
                in_string ^= c == '"';
                code.push(c);
                if !in_string && c != '"' {
                    bare.push(c);
                }
            }
            let unbreakable = !bare.trim().contains(' ');
            if code.trim_end().chars().count() > 100 && !unbreakable {
                too_long.push(format!("{}:{}: {line}", path.display(), i + 1));
            }
        }
    }
    assert!(too_long.is_empty(), "formatted lines over 100 columns:\n{}", too_long.join("\n"));
}

/// Every example model passes the front end (`vppl check`): no error but "not supported yet".
#[test]
fn every_example_type_checks() {
    let mut n = 0;
    for path in files(&root().join("examples"), &["vppl"]) {
        let src = source(&path);
        let diags = match driver::compile_ir(&src) {
            Ok(stages) => stages.warnings,
            Err(d) => d,
        };
        let wrong: Vec<_> =
            diags.iter().filter(|d| d.is_error() && d.code != compiler::sema::errors::NOT_SUPPORTED).collect();
        assert!(wrong.is_empty(), "{}: {wrong:?}", path.display());
        n += 1;
    }
    assert!(n >= 26, "found only {n} example models");
}

/// The code tables (`grammar::CODES`, `sema::errors::CODES`, printed by `vppl explain`) and the
/// corpus agree: every code a snapshot shows is documented, and every documented code has a
/// program in the corpus that shows it.
#[test]
fn every_code_is_documented_and_exercised() {
    let documented: std::collections::BTreeSet<&str> =
        grammar::CODES.iter().chain(compiler::sema::errors::CODES).map(|(c, _)| *c).collect();
    let mut shown = std::collections::BTreeSet::new();
    for snap in files(&root().join("tests/snapshots"), &["snap"]) {
        let text = std::fs::read_to_string(&snap).expect("snapshot readable");
        // Rendered diagnostics start with `[E1234]` or `[W1234]`.
        for (i, _) in text.match_indices('[') {
            let code = text.get(i + 1..i + 6).unwrap_or("");
            let well_formed = code.len() == 5
                && (code.starts_with('E') || code.starts_with('W'))
                && code[1..].bytes().all(|b| b.is_ascii_digit())
                && text[i + 6..].starts_with(']');
            if well_formed {
                shown.insert(code.to_string());
            }
        }
    }
    let undocumented: Vec<&String> = shown.iter().filter(|c| !documented.contains(c.as_str())).collect();
    assert!(undocumented.is_empty(), "codes shown in snapshots but missing from the code tables: {undocumented:?}");
    let unexercised: Vec<&&str> = documented.iter().filter(|c| !shown.contains(**c)).collect();
    assert!(unexercised.is_empty(), "documented codes that no corpus program shows: {unexercised:?}");
}
