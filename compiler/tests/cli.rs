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

/// Mistakes that are not in the data file are not blamed on it: no data file at all, the
/// model's own code failing while it computes transformed data, a model with nothing to fit.
#[test]
fn errors_say_what_happened() {
    let out = ["--output", "/tmp/vppl-cli-test.csv"];
    // The CLI test models have no data.json beside them.
    insta::assert_snapshot!("no_data_file", failure(&[&["run", MODEL][..], &out].concat()));
    let args = ["run", "tests/cli/transformed_data_index.stan", "--data", "tests/cli/two_values.data.json"];
    insta::assert_snapshot!("transformed_data_index", failure(&[&args[..], &out].concat()));
    insta::assert_snapshot!("no_parameters", failure(&[&["run", "tests/cli/no_parameters.stan"][..], &out].concat()));
}

/// Seeds take CmdStan's range (-1 is a seed from the clock, said on stderr); `--init` takes 0, a
/// radius or a file.
#[test]
fn seeds_and_inits_are_checked() {
    let good = ["run", MODEL, "--data", "tests/cli/good.data.json", "--output", "/tmp/vppl-cli-seed.csv"];
    insta::assert_snapshot!("seed_out_of_range", failure(&[&good[..], &["--seed", "4294967296"]].concat()));
    insta::assert_snapshot!("seed_negative", failure(&[&good[..], &["--seed", "-2"]].concat()));
    let (code, _, stderr) = vppl(&[&good[..], &["--seed", "-1", "--output-samples", "10"]].concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("(from the clock; pass --seed"), "{stderr}");
    let (code, stdout, stderr) =
        vppl(&[&good[..], &["--seed", "4294967295", "--init", "0", "--output-samples", "10"]].concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Pareto k̂"), "{stdout}");
    let csv = std::fs::read_to_string("/tmp/vppl-cli-seed.csv").expect("csv written");
    assert!(
        csv.contains("# init = 0\n") && csv.contains("#   seed = 4294967295\n"),
        "the header records --init and --seed"
    );
    insta::assert_snapshot!("init_negative", failure(&[&good[..], &["--init", "-1"]].concat()));
    insta::assert_snapshot!("init_missing_file", failure(&[&good[..], &["--init", "inits.json"]].concat()));
    // A file of constrained values: tau = 2 starts the fit (the first Pathfinder path).
    let (code, stdout, stderr) =
        vppl(&[&good[..], &["--init", "tests/cli/partial.inits.json", "--output-samples", "10"]].concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Pareto k̂"), "{stdout}");
    let csv = std::fs::read_to_string("/tmp/vppl-cli-seed.csv").expect("csv written");
    assert!(csv.contains("# init = tests/cli/partial.inits.json\n"), "the header records the init file");
    insta::assert_snapshot!(
        "init_violates_constraint",
        failure(&[&good[..], &["--init", "tests/cli/bad.inits.json"]].concat())
    );
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
    // The log evidence, above the ELBO (a lower bound), with its error and how it was found.
    assert!(stdout.contains("Log evidence "), "{stdout}");
    let (elbo, evidence) = (summary["elbo"].as_f64().unwrap(), summary["log_evidence"].as_f64().unwrap());
    assert!(evidence > elbo && evidence - elbo < 5.0, "ELBO {elbo}, log evidence {evidence}");
    let mcse = summary["log_evidence_mcse"].as_f64().unwrap();
    assert!(mcse > 0.0 && mcse < 0.05, "{mcse}");
    assert_eq!(summary["log_evidence_target_met"], true);
    assert!(summary["log_evidence_draws"].as_u64().unwrap() >= 16_000);
    for key in ["log_evidence_khat", "log_evidence_reliable", "log_evidence_verdict", "log_evidence_max_draws"] {
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
    for line in
        ["Begin eta adaptation.", "Begin stochastic gradient ascent.", "COMPLETED.", "Pareto k̂", "Log evidence "]
    {
        assert!(stdout.contains(line), "missing {line:?} in {stdout}");
    }
}

/// `vppl diagnose --json` of the test model at one point, with `extra` options.
fn diagnose_json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "diagnose",
        MODEL,
        "--data",
        "tests/cli/good.data.json",
        "--json",
        "--unconstrained",
        "[0.1, 0.2, 0.3, -0.4, 0.5]",
    ];
    args.extend(extra);
    let (code, stdout, stderr) = vppl(&args);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("JSON")
}

#[test]
fn diagnose_json_agrees_with_finite_differences() {
    let v = diagnose_json(&[]);
    let g = v["gradient"].as_array().expect("gradient");
    let f = v["finite_differences"].as_array().expect("finite differences");
    assert_eq!(g.len(), 5);
    for (a, b) in g.iter().zip(f) {
        let (a, b) = (a.as_f64().expect("number"), b.as_f64().expect("number"));
        assert!((a - b).abs() < 1e-5 * a.abs().max(1.0), "{a} vs {b}");
    }
}

/// `diagnose --hessian`: the exact Hessian, symmetric, beside finite differences of the gradient.
#[test]
fn diagnose_prints_the_hessian() {
    let v = diagnose_json(&["--hessian"]);
    let entry = |key: &str, i: usize, j: usize| v[key][i][j].as_f64().unwrap_or_else(|| panic!("{key}[{i}][{j}]"));
    for i in 0..5 {
        for j in 0..5 {
            let (h, fd) = (entry("hessian", i, j), entry("hessian_finite_differences", i, j));
            assert!((h - fd).abs() < 1e-4 * h.abs().max(1.0), "H[{i},{j}] = {h}, finite differences {fd}");
            assert!((h - entry("hessian", j, i)).abs() < 1e-9 * h.abs().max(1.0), "H[{i},{j}] = {h} is not symmetric");
        }
    }
    let (code, stdout, stderr) = vppl(&["diagnose", MODEL, "--data", "tests/cli/good.data.json", "--hessian"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Hessian:") && stdout.contains("largest difference"), "{stdout}");
}

/// A valid program that vppl cannot compile yet passes `vppl check`, with warnings.
#[test]
fn check_accepts_what_cannot_run_yet() {
    let (code, stdout, stderr) = vppl(&["check", "../tests/programs/accepted/higher_order/map_rect_groups.stan"]);
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
    let (code, stdout, stderr) = vppl(&["functions", "multi_normal_rng"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("functions_multi_normal_rng", stdout);
    // A distribution's name lists all its functions.
    let (code, stdout, _) = vppl(&["functions", "std_normal"]);
    assert_eq!(code, 0);
    let headings: Vec<&str> = stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(headings.first(), Some(&"std_normal_lpdf"), "{stdout}");
    assert!(headings.contains(&"std_normal_rng"), "{stdout}");
}

/// `vppl functions --json` is every signature of the catalog, each with its status (and, if not
/// compiled yet, the reason).
#[test]
fn functions_json_is_the_catalog() {
    let (code, stdout, stderr) = vppl(&["functions", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let items: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let items = items.as_array().expect("a list");
    let catalog = compiler::catalog::signatures();
    assert_eq!(items.len(), catalog.len());
    let mut implemented = 0;
    for (item, signature) in items.iter().zip(catalog) {
        assert_eq!(item["name"], signature.name);
        assert_eq!(item["signature"], signature.to_string());
        match item["status"].as_str() {
            Some("implemented") => {
                implemented += 1;
                assert!(item.get("reason").is_none(), "{item}");
            }
            // Each signature not compiled yet says why.
            Some("not yet") => assert!(item["reason"].as_str().is_some_and(|r| !r.is_empty()), "{item}"),
            other => panic!("status {other:?}"),
        }
    }
    let expected = catalog.iter().filter(|s| s.status == compiler::catalog::Status::Implemented).count();
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

/// A fresh directory for one test's files.
fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vppl-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The text of every `<text>` element of an SVG that plotters wrote, in order.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().to_string()))
        .collect()
}

/// `vppl plot` on what `vppl run` wrote: a PNG of the expected size with curves and text in it,
/// and an SVG with each chosen name as a title, the summary's quantiles as words, and a solid
/// median mark in each panel.
#[test]
fn plot_draws_the_densities_of_a_fit() {
    let dir = temp_dir("plot");
    let path = |name: &str| dir.join(name).to_str().expect("utf-8 path").to_string();
    let (code, _, stderr) = vppl(&[
        "run",
        "../examples/eight_schools-eight_schools_noncentered/model.vppl",
        "--seed",
        "5",
        "--output",
        &path("fit.csv"),
        "--diagnostic-file",
        &path("elbo.csv"),
        "--summary-json",
        &path("summary.json"),
    ]);
    assert_eq!(code, 0, "{stderr}");

    // Eighteen outputs: the first twelve are drawn, four by three, and the ELBO below them.
    let (code, stdout, stderr) = vppl(&["plot", &path("fit.csv"), "--diagnostic-file", &path("elbo.csv")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("fit.png (12 densities and the ELBO trace)"), "{stdout}");
    assert!(stderr.contains("note: drawing the first 12 of 18 quantities; choose others with --params"), "{stderr}");
    let decoder =
        png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path("fit.png")).expect("PNG written")));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("PNG pixels");
    assert_eq!((info.width, info.height, info.color_type), (4 * 320, 3 * 240 + 240, png::ColorType::Rgb));
    let rgb: Vec<&[u8]> = pixels.chunks(3).collect();
    let colours: std::collections::HashSet<&[u8]> = rgb.iter().copied().collect();
    let inked = rgb.iter().filter(|p| p.iter().any(|&c| c < 200)).count();
    assert!(colours.len() > 50, "{} colours", colours.len());
    assert!(inked * 50 > rgb.len() && inked * 2 < rgb.len(), "{inked} of {} pixels inked", rgb.len());
    // The first panel's title, in black, sits in its top 30 rows.
    let dark_title_pixels =
        (0..30).flat_map(|y| (0..320).map(move |x| y * 1280 + x)).filter(|&i| rgb[i].iter().all(|&c| c < 80)).count();
    assert!(dark_title_pixels > 40, "{dark_title_pixels} dark pixels in the first title");

    let (code, stdout, stderr) =
        vppl(&["plot", &path("fit.csv"), "--params", "mu, theta[1],tau", "-o", &path("fit.svg")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("fit.svg (3 densities)"), "{stdout}");
    let svg = std::fs::read_to_string(path("fit.svg")).expect("SVG written");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
    let texts = svg_texts(&svg);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path("summary.json")).expect("summary")).expect("JSON");
    let mut title_positions = Vec::new();
    for name in ["mu", "theta[1]", "tau"] {
        title_positions
            .push(texts.iter().position(|t| t == name).unwrap_or_else(|| panic!("no title {name}: {texts:?}")));
        let q = |key: &str| runtime::output::format_g(summary["parameters"][name][key].as_f64().expect("quantile"), 3);
        let words = format!("5% {}   50% {}   95% {}", q("q5"), q("q50"), q("q95"));
        assert!(texts.contains(&words), "no `{words}` for {name}: {texts:?}");
    }
    assert!(title_positions.is_sorted(), "titles out of order: {texts:?}");
    let medians = svg
        .split("<polyline")
        .filter(|p| p.contains(r##"stroke="#C82828" stroke-width="2""##))
        .filter_map(|p| {
            let points = p.split_once("points=\"")?.1.split_once('"')?.0;
            let xs: Vec<&str> = points.split_whitespace().filter_map(|xy| Some(xy.split_once(',')?.0)).collect();
            Some(xs.len() == 2 && xs[0] == xs[1])
        })
        .filter(|&vertical| vertical)
        .count();
    assert_eq!(medians, 3, "one median mark per panel");
}

/// Every mistake `vppl plot` can meet is an `error:` line and exit status 1, and leaves no
/// picture behind.
#[test]
fn plot_refuses_bad_input() {
    const FIT: &str = "tests/cli/fit.csv";
    let dir = temp_dir("plot-bad");
    let out = dir.join("out.png");
    let out = out.to_str().expect("utf-8 path");
    let many = dir.join("many.csv");
    let names: Vec<String> = (1..=50).map(|i| format!("x.{i}")).collect();
    let values = vec!["0.5"; 50].join(",");
    std::fs::write(&many, format!("lp__,log_p__,log_g__,{}\n0,0,0,{values}\n0,-1,-1,{values}\n", names.join(",")))
        .expect("many.csv written");
    let cases: [(&str, Vec<&str>); 11] = [
        ("no_such_fit", vec!["plot", "tests/cli/nope.csv", "-o", out]),
        ("not_a_stan_csv", vec!["plot", "tests/cli/good.data.json", "-o", out]),
        ("no_draws", vec!["plot", "tests/cli/mean_only.csv", "-o", out]),
        ("unknown_name", vec!["plot", FIT, "--params", "mu,thetaa", "-o", out]),
        ("unknown_element", vec!["plot", FIT, "--params", "theta[4]", "-o", out]),
        ("unknown_base", vec!["plot", FIT, "--params", "sigma", "-o", out]),
        ("no_names", vec!["plot", FIT, "--params", " , ", "-o", out]),
        ("too_many", vec!["plot", many.to_str().expect("utf-8 path"), "--params", "x", "-o", out]),
        ("unknown_extension", vec!["plot", FIT, "-o", "fit.jpg"]),
        ("unwritable_output", vec!["plot", FIT, "-o", "/nonexistent/dir/fit.png"]),
        ("not_an_elbo_trace", vec!["plot", FIT, "--diagnostic-file", FIT, "-o", out]),
    ];
    for (name, args) in cases {
        let text = failure(&args);
        assert!(text.starts_with("exit 1\nerror: "), "{name}: {text}");
        insta::assert_snapshot!(format!("plot_{name}"), text);
        assert!(!std::path::Path::new(out).exists(), "{name} wrote {out}");
    }
    assert!(!std::path::Path::new("fit.jpg").exists());
    let leftovers: Vec<_> =
        std::fs::read_dir(&dir).expect("dir").filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("many.csv")], "temporary files left behind");
}

/// Progress bars are drawn on a terminal (a real pseudo-terminal, made by util-linux's
/// `script`) and never into a pipe.
#[test]
fn progress_shows_on_a_terminal_only() {
    let program = env!("CARGO_BIN_EXE_vppl");
    let model = "../examples/diamonds-diamonds/model.vppl";
    let csv = std::env::temp_dir().join(format!("vppl-progress-{}.csv", std::process::id()));
    // Stan's ADVI on this model, all 10000 iterations of four gradient draws each, takes
    // seconds: long enough for its bar to appear (a bar shows once a phase has run for half a
    // second; with faster gradients, the default tolerance let it converge sooner).
    let command = format!(
        "{program} run {model} --stan-compatible --tol-rel-obj 1e-9 --grad-samples 4 --output-samples 10 --output {} > /dev/null",
        csv.display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("util-linux's `script` runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let terminal = String::from_utf8_lossy(&out.stdout);
    assert!(
        terminal.contains("Stochastic gradient ascent") && terminal.contains("/10000"),
        "no bar on the terminal:\n{terminal}"
    );
    // Piped, stderr has no bar.
    let (code, _, stderr) =
        vppl(&["run", model, "--stan-compatible", "--output-samples", "10", "--output", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("Stochastic gradient ascent"), "a bar in a pipe:\n{stderr}");
}

const COMPARE: [&str; 3] =
    ["tests/cli/compare/hierarchical.stan", "tests/cli/compare/pooled.stan", "tests/cli/compare/separate.stan"];

/// `vppl compare` prints the evidence table and the PSIS-LOO table (the data found beside the
/// models, as `vppl run` finds it).
#[test]
fn compare_prints_evidence_and_loo_tables() {
    let (code, stdout, stderr) = vppl(&[&["compare"][..], &COMPARE].concat());
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("compare_tables", stdout);
}

/// `--json`: one object per model in the order given, each model naming its data as
/// `MODEL:DATA`.
#[test]
fn compare_json_has_one_object_per_model() {
    let specs: Vec<String> = COMPARE.iter().map(|m| format!("{m}:tests/cli/compare/data.json")).collect();
    let mut args = vec!["compare", "--json", "--seed", "2"];
    args.extend(specs.iter().map(String::as_str));
    let (code, stdout, stderr) = vppl(&args);
    assert_eq!(code, 0, "{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let rows = rows.as_array().expect("a list");
    let names: Vec<&str> = rows.iter().map(|r| r["model"].as_str().unwrap()).collect();
    assert_eq!(names, ["hierarchical", "pooled", "separate"]);
    for r in rows {
        for key in ["elbo", "elbo_mcse", "log_evidence", "log_evidence_mcse", "log_bayes_factor", "rank"] {
            assert!(r[key].is_number(), "{key} in {r}");
        }
        // k̂ is null when it is −∞ (the ratios all equal: q is the posterior, as for pooled).
        assert!(r["khat"].is_number() || r["khat"].is_null(), "{r}");
        // The ELBO is a lower bound (equal when q is the posterior, as for two of these).
        let (elbo, evidence) = (r["elbo"].as_f64().unwrap(), r["log_evidence"].as_f64().unwrap());
        assert!(evidence > elbo - 3.0 * r["log_evidence_mcse"].as_f64().unwrap(), "{r}");
        assert!(r["log_evidence_mcse"].as_f64().unwrap() < 0.05, "{r}");
    }
    // The best model has the highest log evidence and a log Bayes factor of 0; the others' are
    // negative, with errors.
    let best: Vec<&serde_json::Value> = rows.iter().filter(|r| r["best"] == true).collect();
    assert_eq!(best.len(), 1);
    assert_eq!(best[0]["log_bayes_factor"], 0.0);
    assert_eq!(best[0]["rank"], 1);
    let top = rows.iter().map(|r| r["log_evidence"].as_f64().unwrap()).fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(best[0]["log_evidence"].as_f64(), Some(top));
    for r in rows.iter().filter(|r| r["best"] == false) {
        assert!(r["log_bayes_factor"].as_f64().unwrap() < 0.0 && r["log_bayes_factor_se"].as_f64().unwrap() > 0.0);
    }
    // LOO fields for the models that write log_lik, none for the other.
    for r in &rows[..2] {
        assert!(r["elpd_loo"].as_f64().unwrap() < 0.0 && r["elpd_loo_se"].as_f64().unwrap() > 0.0, "{r}");
        assert!(r["p_loo"].is_number() && r["elpd_diff"].is_number() && r["elpd_diff_se"].is_number());
        assert_eq!(r["loo_observations"], 8);
    }
    assert!(rows[2].get("elpd_loo").is_none());
}

#[test]
fn compare_refuses_what_it_cannot_do() {
    let pooled = "tests/cli/compare/pooled.stan";
    let with_data = "tests/cli/compare/pooled.stan:tests/cli/compare/data.json";
    let both = failure(&["compare", "--data", "tests/cli/compare/data.json", with_data, pooled]);
    insta::assert_snapshot!("compare_data_twice", both);
    insta::assert_snapshot!("compare_no_evidence", failure(&["compare", "--evidence-draws", "0", pooled]));
    // A model that does not compile is reported before anything is fitted, and nothing is
    // printed on standard output.
    let (code, stdout, stderr) = vppl(&["compare", pooled, "tests/cli/compare/broken.stan"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "{stdout}");
    insta::assert_snapshot!("compare_broken_model", stderr);
    let (code, stdout, stderr) = vppl(&["compare", pooled, "tests/cli/compare/no_such.stan"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty() && stderr.contains("cannot read model `tests/cli/compare/no_such.stan`"), "{stderr}");
    insta::assert_snapshot!("compare_no_arguments", failure(&["compare"]));
}
