//! The `vppl` program as a user runs it: exit status and what it prints, for good and bad
//! command lines, data files and output paths.

use std::process::Command;

fn vppl(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vppl"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("vppl runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn failure(args: &[&str]) -> String {
    let (code, _, stderr) = vppl(args);
    assert_ne!(code, 0, "vppl {args:?} should fail");
    format!("exit {code}\n{stderr}")
}

const MODEL: &str = "tests/cli/eight_schools.stan";

#[test]
fn bad_data_is_reported_by_variable() {
    for case in ["missing", "wrong_size", "wrong_type", "constraint", "wrong_rank", "not_json"] {
        let data = format!("tests/cli/{case}.data.json");
        let text = failure(&["run", MODEL, "--data", &data, "--output", "/tmp/vppl-cli-test.csv"]);
        insta::assert_snapshot!(format!("data_{case}"), text);
    }
}

/// Data that every evaluation of the log density would refuse (a zero scale, an index out of
/// range) is reported when the data are loaded, before the fit starts.
#[test]
fn data_the_model_block_refuses_is_reported_at_load() {
    let out = ["--output", "/tmp/vppl-cli-test.csv"];
    let zero = failure(&[&["run", MODEL, "--data", "tests/cli/zero_scale.data.json"][..], &out].concat());
    insta::assert_snapshot!("data_zero_scale", zero);
    let index = failure(
        &[&["run", "tests/cli/groups.stan", "--data", "tests/cli/groups_bad_index.data.json"][..], &out].concat(),
    );
    insta::assert_snapshot!("data_index_out_of_range", index);
}

#[test]
fn bad_command_lines_are_reported() {
    insta::assert_snapshot!("no_such_model", failure(&["run", "tests/cli/nope.stan"]));
    insta::assert_snapshot!("bad_option", failure(&["run", MODEL, "--iterations", "5"]));
    insta::assert_snapshot!("bad_algorithm", failure(&["run", MODEL, "--algorithm", "nuts"]));
    insta::assert_snapshot!("stan_option_without_stan", failure(&["run", MODEL, "--eta", "0.1"]));
    insta::assert_snapshot!("lowrank_stan", failure(&["run", MODEL, "--stan-compatible", "--algorithm", "lowrank"]));
    insta::assert_snapshot!(
        "unwritable_output",
        failure(&["run", MODEL, "--data", "tests/cli/good.data.json", "--output", "/nonexistent/dir/out.csv"])
    );
    insta::assert_snapshot!(
        "bad_point",
        failure(&["diagnose", MODEL, "--data", "tests/cli/good.data.json", "--unconstrained", "[1, 2]"])
    );
}

#[test]
fn run_writes_csv_and_summary_json() {
    let dir = std::env::temp_dir().join(format!("vppl-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let csv = dir.join("fit.csv");
    let json = dir.join("fit.json");
    let (code, stdout, stderr) = vppl(&[
        "run",
        MODEL,
        "--data",
        "tests/cli/good.data.json",
        "--seed",
        "3",
        "--output",
        csv.to_str().expect("utf-8 path"),
        "--summary-json",
        json.to_str().expect("utf-8 path"),
        "--psis",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Pareto k̂"), "{stdout}");
    assert!(stdout.contains("Gradient evaluation took"), "{stdout}");
    assert!(stdout.contains("theta[3]"), "{stdout}");
    let csv_text = std::fs::read_to_string(&csv).expect("csv written");
    let header = csv_text.lines().find(|l| !l.starts_with('#')).expect("header row");
    assert!(header.starts_with("lp__,log_p__,log_g__,mu,tau,theta_tilde.1"), "{header}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written")).expect("valid JSON");
    let q: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("fit.q.json")).expect("q written")).expect("valid JSON");
    assert_eq!(q["mean"].as_array().map(Vec::len), Some(5), "{q}");
    for key in ["elbo", "converged", "iterations", "compile_ms", "khat", "elbo_mcse"] {
        assert!(summary.get(key).is_some(), "summary lacks {key}");
    }
    assert!(summary["parameters"]["theta[1]"]["q50"].is_number());
}

#[test]
fn stan_compatible_runs_stans_advi() {
    let csv = std::env::temp_dir().join(format!("vppl-cli-stan-{}.csv", std::process::id()));
    let (code, stdout, stderr) = vppl(&[
        "run",
        MODEL,
        "--data",
        "tests/cli/good.data.json",
        "--stan-compatible",
        "--seed",
        "3",
        "--output",
        csv.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    for line in ["Begin eta adaptation.", "Begin stochastic gradient ascent.", "COMPLETED.", "Pareto k̂"] {
        assert!(stdout.contains(line), "missing {line:?} in {stdout}");
    }
}

#[test]
fn diagnose_json_agrees_with_finite_differences() {
    let (code, stdout, stderr) = vppl(&[
        "diagnose",
        MODEL,
        "--data",
        "tests/cli/good.data.json",
        "--json",
        "--unconstrained",
        "[0.1, 0.2, 0.3, -0.4, 0.5]",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let g = v["gradient"].as_array().expect("gradient");
    let f = v["finite_differences"].as_array().expect("finite differences");
    assert_eq!(g.len(), 5);
    for (a, b) in g.iter().zip(f) {
        let (a, b) = (a.as_f64().expect("number"), b.as_f64().expect("number"));
        assert!((a - b).abs() < 1e-5 * a.abs().max(1.0), "{a} vs {b}");
    }
}

/// A valid program that vppl cannot compile yet passes `vppl check`, with warnings.
#[test]
fn check_accepts_what_cannot_run_yet() {
    let (code, stdout, stderr) = vppl(&["check", "../tests/programs/accepted/functions/ode_solver.stan"]);
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    let warnings = stderr.matches("Warning").count();
    assert!(warnings > 0 && stderr.contains("not supported yet"), "{stderr}");
    let s = if warnings == 1 { "" } else { "s" };
    assert!(stdout.contains(&format!("no errors, {warnings} warning{s}")), "{stdout}");
}

/// `vppl explain` prints one code's meaning (however the code is spelled), every code without
/// an argument, and refuses a code that does not exist.
#[test]
fn explain_prints_what_a_code_means() {
    for spelling in ["E1043", "e1043", "1043"] {
        let (code, stdout, _) = vppl(&["explain", spelling]);
        assert_eq!(code, 0, "vppl explain {spelling}");
        assert!(stdout.starts_with("E1043 (error, type checking and lowering): A reserved word"), "{stdout}");
    }
    let (code, stdout, _) = vppl(&["explain", "19"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("E0019 (error, syntax):"), "{stdout}");
    let (code, stdout, _) = vppl(&["explain", "W1001"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("W1001 (warning,"), "{stdout}");
    let (code, all, _) = vppl(&["explain"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(lines.len(), grammar::CODES.len() + compiler::sema::errors::CODES.len());
    assert!(lines.iter().any(|l| l.starts_with("E1099")));
    let text = failure(&["explain", "E9999"]);
    assert!(text.contains("no diagnostic code `E9999`"), "{text}");
}

/// A non-finite data value that makes the log density non-finite is named with its variable,
/// index and the term that needs it: at load when the term reads data alone, or when no initial
/// value works. Stan's rejection messages are printed once each, not a hundred times.
#[test]
fn non_finite_data_is_named() {
    let output = std::env::temp_dir().join(format!("vppl-non-finite-{}.csv", std::process::id()));
    let output = output.to_str().expect("utf-8 path");
    for (model, case) in [
        ("non_finite", "nan_variate"),
        ("non_finite", "inf_argument"),
        ("non_finite", "two_non_finite"),
        ("non_finite_term", "zero_weight"),
    ] {
        let (model, data) = (format!("tests/cli/{model}.stan"), format!("tests/cli/{case}.data.json"));
        let (code, stdout, stderr) = vppl(&["run", &model, "--data", &data, "--output", output]);
        assert_eq!(code, 1, "{case}: {stdout}{stderr}");
        let rejections = stdout.matches("Rejecting initial value").count();
        assert!(rejections <= 1, "{case}: {rejections} rejection blocks:\n{stdout}");
        insta::assert_snapshot!(format!("non_finite_{case}"), stderr);
    }
}

/// `vppl functions NAME` lists one function's signatures with their status and a count.
#[test]
fn functions_lists_one_name() {
    let (code, stdout, stderr) = vppl(&["functions", "dirichlet_lpdf"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("functions_dirichlet_lpdf", stdout);
    // A distribution's name lists all its functions.
    let (code, stdout, _) = vppl(&["functions", "std_normal"]);
    assert_eq!(code, 0);
    let headings: Vec<&str> = stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(headings.first(), Some(&"std_normal_lpdf"), "{stdout}");
    assert!(headings.contains(&"std_normal_rng"), "{stdout}");
}

/// `vppl functions --json` is every signature of the catalog, each with its status.
#[test]
fn functions_json_is_the_catalog() {
    let (code, stdout, stderr) = vppl(&["functions", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let items: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let items = items.as_array().expect("a list");
    let catalog = stdlib::catalog::signatures();
    assert_eq!(items.len(), catalog.len());
    let mut implemented = 0;
    for (item, signature) in items.iter().zip(catalog) {
        assert_eq!(item["name"], signature.name);
        assert_eq!(item["signature"], signature.to_string());
        match item["status"].as_str() {
            Some("implemented") => implemented += 1,
            Some("not yet") => {}
            other => panic!("status {other:?}"),
        }
    }
    let expected = catalog.iter().filter(|s| s.status == stdlib::catalog::Status::Implemented).count();
    assert_eq!(implemented, expected);
    // The listing closes with the same count.
    let (_, listing, _) = vppl(&["functions"]);
    let last = listing.lines().last().expect("a closing line");
    assert_eq!(last, format!("{expected} of {} signatures implemented", catalog.len()));
}

/// An unknown name is refused with a suggestion.
#[test]
fn functions_refuses_an_unknown_name() {
    insta::assert_snapshot!("functions_unknown_name", failure(&["functions", "nromal_lpdf"]));
}
