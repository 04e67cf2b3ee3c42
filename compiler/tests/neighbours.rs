//! vppl's variational CSV read by the tools our users read it with: cmdstanpy (`from_csv`) and
//! ArviZ (`from_cmdstan`), the real packages. The test installs them from PyPI, at the versions
//! pinned in `tests/neighbours/requirements.txt`, into a virtual environment under `target/tmp`
//! on its first run (about a minute), and reuses it afterwards.

use std::path::{Path, PathBuf};
use std::process::Command;

use runtime::output::parse_stan_csv;

const MODEL: &str = "tests/cli/eight_schools.stan";
const DATA: &str = "tests/cli/good.data.json";
const OUTPUT_SAMPLES: usize = 300;

#[test]
fn cmdstanpy_and_arviz_read_default_and_stan_compatible_csvs() {
    let python = python_with_neighbours();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("neighbours-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (method, extra, algorithm) in
        [("vppl", &[][..], "fullrank"), ("stan-advi", &["--stan-compatible"][..], "meanfield")]
    {
        let csv = dir.join(format!("{method}.csv"));
        let json = dir.join(format!("{method}.json"));
        let mut args = vec![
            "run",
            MODEL,
            "--data",
            DATA,
            "--seed",
            "11",
            "--output-samples",
            "300",
            "--output",
            csv.to_str().expect("utf-8 path"),
            "--summary-json",
            json.to_str().expect("utf-8 path"),
        ];
        args.extend_from_slice(extra);
        let out = Command::new(env!("CARGO_BIN_EXE_vppl"))
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("vppl runs");
        assert!(out.status.success(), "{method}: {}", String::from_utf8_lossy(&out.stderr));

        let read = Command::new(&python)
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/neighbours/read_fit.py"))
            .arg(&csv)
            .output()
            .expect("python runs");
        assert!(
            read.status.success(),
            "{method}: the neighbours could not read the CSV:\n{}",
            String::from_utf8_lossy(&read.stderr)
        );
        let seen: serde_json::Value = serde_json::from_slice(&read.stdout).expect("read_fit.py prints JSON");
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).expect("summary written")).expect("summary JSON");
        let ours = parse_stan_csv(&std::fs::read_to_string(&csv).expect("csv written")).expect("our own CSV parses");

        // cmdstanpy: the method's settings, the columns, the mean row and the draws.
        let cmdstanpy = &seen["cmdstanpy"];
        assert_eq!(cmdstanpy["algorithm"], algorithm, "{method}");
        let eta_line = ours.comments.iter().rev().find_map(|c| c.strip_prefix("eta = ")).expect("eta line");
        assert_eq!(cmdstanpy["eta"].as_f64(), eta_line.parse::<f64>().ok(), "{method}");
        assert_eq!(cmdstanpy["draws"], OUTPUT_SAMPLES, "{method}");
        let names: Vec<&str> = ours.columns[3..].iter().map(String::as_str).collect();
        let expected_columns: Vec<String> = names.iter().map(|n| stan_name(n)).collect();
        assert_eq!(cmdstanpy["columns"], serde_json::json!(expected_columns), "{method}: column names");
        assert_eq!(cmdstanpy["stan_variables"], serde_json::json!(["mu", "tau", "theta", "theta_tilde"]), "{method}");
        for (name, parameter) in summary["parameters"].as_object().expect("parameters") {
            let mean = parameter["mean"].as_f64().expect("mean");
            let read_mean =
                cmdstanpy["means"][name].as_f64().unwrap_or_else(|| panic!("{method}: cmdstanpy lacks {name}"));
            assert!(close(read_mean, mean), "{method}: {name}: cmdstanpy's mean {read_mean}, vppl's {mean}");
        }
        for (column, name) in names.iter().enumerate() {
            let stan_name = stan_name(name);
            let first_row = ours.rows[0][column + 3];
            assert!(
                close(cmdstanpy["variational_mean"][&stan_name].as_f64().unwrap(), first_row),
                "{method}: {stan_name}"
            );
        }

        // ArviZ: one chain whose draws are every row (it takes the mean row as a draw, as it does
        // for CmdStan's own variational CSV), the variables by name, and their means.
        let arviz = &seen["arviz"];
        assert_eq!(arviz["chains"], 1, "{method}");
        assert_eq!(arviz["draws"], OUTPUT_SAMPLES + 1, "{method}");
        assert_eq!(arviz["variables"], serde_json::json!(["mu", "tau", "theta", "theta_tilde"]), "{method}");
        for (column, name) in names.iter().enumerate() {
            // ArviZ numbers elements from 0: `theta[0]` is Stan's `theta[1]`.
            let arviz_name = match name.split_once('.') {
                Some((base, index)) => format!("{base}[{}]", index.parse::<usize>().unwrap() - 1),
                None => name.to_string(),
            };
            let expected = ours.rows.iter().map(|r| r[column + 3]).sum::<f64>() / ours.rows.len() as f64;
            let got =
                arviz["means"][&arviz_name].as_f64().unwrap_or_else(|| panic!("{method}: ArviZ lacks {arviz_name}"));
            assert!(close(got, expected), "{method}: {arviz_name}: ArviZ's mean {got}, the rows' {expected}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// PSIS-LOO as `vppl compare` computes it agrees with ArviZ's `loo` on the same draws (the CSV
/// `vppl run` writes for the same seed, read by cmdstanpy). The standard error is R loo's,
/// √(N) times the sd with N − 1; ArviZ's divides by N, so it is smaller by √((N − 1)/N).
#[test]
fn arviz_loo_agrees_with_compare() {
    let python = python_with_neighbours();
    let dir = scratch("loo");
    let csv = dir.join("fit.csv");
    let model = "tests/cli/compare/hierarchical.stan";
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_vppl"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("vppl runs");
        assert!(out.status.success(), "vppl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    run(&["run", model, "--seed", "3", "--output", csv.to_str().expect("utf-8 path")]);
    let ours: serde_json::Value = serde_json::from_slice(&run(&["compare", model, "--seed", "3", "--json"])).unwrap();
    let ours = &ours[0];
    let read = Command::new(&python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/neighbours/arviz_loo.py"))
        .arg(&csv)
        .output()
        .expect("python runs");
    assert!(read.status.success(), "ArviZ could not compute LOO:\n{}", String::from_utf8_lossy(&read.stderr));
    let arviz: serde_json::Value = serde_json::from_slice(&read.stdout).expect("arviz_loo.py prints JSON");
    assert_eq!(arviz["draws"], 1000);
    let (n, f) = (8.0_f64, |v: &serde_json::Value| v.as_f64().expect("a number"));
    // The CSV holds six significant digits: agreement to about 1e-6.
    assert!(
        close(f(&ours["elpd_loo"]), f(&arviz["elpd_loo"])),
        "elpd_loo {} and ArviZ's {}",
        ours["elpd_loo"],
        arviz["elpd_loo"]
    );
    assert!(close(f(&ours["p_loo"]), f(&arviz["p_loo"])), "p_loo {} and ArviZ's {}", ours["p_loo"], arviz["p_loo"]);
    let se = f(&arviz["se"]) * (n / (n - 1.0)).sqrt();
    assert!(close(f(&ours["elpd_loo_se"]), se), "se {} and ArviZ's, rescaled, {se}", ours["elpd_loo_se"]);
    let khats = ours["loo_pareto_k"].as_array().expect("k̂ per observation");
    let arviz_khats = arviz["khat"].as_array().expect("ArviZ's k̂");
    assert_eq!(khats.len(), 8);
    for (k, a) in khats.iter().zip(arviz_khats) {
        assert!((f(k) - f(a)).abs() < 1e-4, "k̂ {k} and ArviZ's {a}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// An executable `vppl build` made, driven by cmdstanpy as its users drive CmdStan's:
/// `CmdStanModel(exe_file=…)`, its `info`, and `variational` with cmdstanpy's defaults (which
/// writes `adapt engaged=1`, Stan's default) and with options. Its draws are `vppl run`'s for
/// the same seed.
#[test]
fn cmdstanpy_drives_a_built_executable() {
    let python = python_with_neighbours();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch("built");
    let exe = dir.join("eight_schools");
    let vppl = |args: &[&str]| {
        let out =
            Command::new(env!("CARGO_BIN_EXE_vppl")).args(args).current_dir(manifest).output().expect("vppl runs");
        assert!(out.status.success(), "vppl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    vppl(&["build", MODEL, "-o", exe.to_str().expect("utf-8 path")]);
    let out = Command::new(&python)
        .arg(manifest.join("tests/neighbours/drive_built.py"))
        .arg(&exe)
        .arg(manifest.join(DATA))
        .arg(&dir)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "cmdstanpy could not drive the executable:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).expect("drive_built.py prints JSON");
    assert_eq!(seen["stan_version"], serde_json::json!(["2", "37"]));
    assert_eq!(seen["default"]["algorithm"], "fullrank", "vppl's default family");
    assert_eq!(seen["default"]["draws"], 1000);
    assert_eq!(seen["chosen"]["algorithm"], "meanfield");
    assert_eq!(seen["chosen"]["draws"], 100);
    assert_eq!(seen["chosen"]["iter"], 500);
    // log_prob at mu = 1, tau = 2, theta_tilde = 0: `vppl diagnose`'s log density and gradient at
    // the same unconstrained point (log 2 for tau).
    let columns: Vec<String> = (1..=5).map(|k| format!("g_{k}")).collect();
    let mut expected_columns = vec!["lp__".to_string()];
    expected_columns.extend(columns);
    assert_eq!(seen["log_prob"]["columns"], serde_json::json!(expected_columns));
    let diagnose = Command::new(env!("CARGO_BIN_EXE_vppl"))
        .args(["diagnose", MODEL, "--data", DATA, "--json", "--unconstrained"])
        .arg(format!("[1, {}, 0, 0, 0]", 2f64.ln()))
        .current_dir(manifest)
        .output()
        .expect("vppl diagnose runs");
    let diagnose: serde_json::Value = serde_json::from_slice(&diagnose.stdout).expect("diagnose prints JSON");
    let row: Vec<f64> = seen["log_prob"]["row"].as_array().expect("a row").iter().filter_map(|x| x.as_f64()).collect();
    let mut want = vec![diagnose["log_density"].as_f64().expect("lp")];
    want.extend(diagnose["gradient"].as_array().expect("gradient").iter().filter_map(|x| x.as_f64()));
    assert_eq!(row.len(), want.len());
    for (got, want) in row.iter().zip(&want) {
        // CmdStan's 6 significant figures.
        assert!((got - want).abs() <= 1e-5 * (1.0 + want.abs()), "log_prob {row:?}, diagnose {want:?}");
    }
    // The same draws as `vppl run` with the same seed.
    let csv = dir.join("run.csv");
    vppl(&["run", MODEL, "--data", DATA, "--seed", "3", "--output", csv.to_str().expect("utf-8 path")]);
    let body = |path: &Path| -> Vec<String> {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        text.lines().filter(|l| !l.starts_with('#')).map(String::from).collect()
    };
    let built = PathBuf::from(seen["default"]["csv"].as_str().expect("a CSV path"));
    assert_eq!(body(&built), body(&csv), "the built executable's draws differ from vppl run's");
    let _ = std::fs::remove_dir_all(&dir);
}

/// cmdstanpy's other methods on a built executable, read as a user reads them: `optimize` at
/// the closed-form mode of a conjugate model (with and without the Jacobian), `pathfinder`'s
/// draws near the posterior mean, `generate_quantities` from the mode, and `log_prob` with and
/// without the Jacobian.
#[test]
fn cmdstanpy_runs_the_other_methods_of_a_built_executable() {
    let python = python_with_neighbours();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch("methods");
    let exe = dir.join("conjugate");
    build(&manifest.join("tests/neighbours/conjugate.stan"), &exe);
    let out = Command::new(&python)
        .arg(manifest.join("tests/neighbours/drive_methods.py"))
        .arg(&exe)
        .arg(manifest.join("tests/neighbours/conjugate.data.json"))
        .arg(&dir)
        .output()
        .expect("python runs");
    assert!(out.status.success(), "cmdstanpy could not run the methods:\n{}", String::from_utf8_lossy(&out.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).expect("drive_methods.py prints JSON");
    let number = |v: &serde_json::Value| v.as_f64().unwrap_or_else(|| panic!("a number: {v}"));
    // The posterior of mu: normal, precision 1/4 + 5, mean 5.9 / 5.25.
    let posterior_mean = 5.9 / 5.25;
    let optimize = &seen["optimize"];
    assert!((number(&optimize["mu"]) - posterior_mean).abs() < 1e-6, "{optimize}");
    assert!((number(&optimize["s"]) - (-1f64).exp()).abs() < 1e-6, "the mode of s's density: {optimize}");
    assert!((number(&optimize["two_mu"]) - 2.0 * number(&optimize["mu"])).abs() < 1e-9, "{optimize}");
    assert_eq!(optimize["jacobian"], 0);
    let s_unconstrained_mode = number(&seen["optimize_jacobian"]["s"]);
    assert!((s_unconstrained_mode - 1.0).abs() < 1e-6, "with the Jacobian: {s_unconstrained_mode}");
    // Newton's method with the exact Hessian finds the same mode.
    let newton = &seen["newton"];
    assert_eq!(newton["algorithm"], "newton");
    assert!((number(&newton["mu"]) - posterior_mean).abs() < 1e-6, "{newton}");
    assert!((number(&newton["s"]) - (-1f64).exp()).abs() < 1e-6, "{newton}");
    let pathfinder = &seen["pathfinder"];
    assert_eq!(pathfinder["draws"], 1000);
    assert_eq!(pathfinder["columns"], serde_json::json!(["lp_approx__", "lp__", "mu"]));
    // The posterior sd is 0.44: 1000 draws' mean is within 0.06 of the truth.
    assert!((number(&pathfinder["mean_mu"]) - posterior_mean).abs() < 0.06, "{pathfinder}");
    let gq = &seen["generate_quantities"];
    let (two_mu, mu) = (number(&gq["two_mu"][0]), number(&gq["mu"][0]));
    assert!((mu - number(&optimize["mu"])).abs() < 1e-6 && (two_mu - 2.0 * mu).abs() < 1e-6, "{gq}");
    // log_prob at mu = 1, s = 2: the Jacobian of s = exp(u) adds u = log 2 to lp__ and 1 to the
    // gradient in u.
    let row = |key: &str| -> Vec<f64> { seen["log_prob"][key].as_array().expect("a row").iter().map(number).collect() };
    let (with, without) = (row("with"), row("without"));
    assert!((with[0] - without[0] - 2f64.ln()).abs() < 1e-6, "{with:?} {without:?}");
    assert!((with[1] - without[1]).abs() < 1e-9 && (with[2] - without[2] - 1.0).abs() < 1e-6, "{with:?} {without:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// cmdstanpy's `laplace_sample(mode=…)` on a built executable, the mode an optimize CSV (as
/// CmdStan writes it) of a posterior that is normal on the unconstrained scale: cmdstanpy reads
/// the draws, and their means and covariance are the closed form's.
#[test]
fn cmdstanpy_draws_laplace_from_a_built_executable() {
    let python = python_with_neighbours();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch("laplace");
    let model = dir.join("normal.stan");
    std::fs::write(
        &model,
        "transformed data { matrix[2, 2] S = [[1.5, 0.6], [0.6, 0.8]]; }\n\
         parameters { vector[2] x; real<lower=0> sigma; }\n\
         model { x ~ multi_normal([1, -2]', S); sigma ~ lognormal(0.5, 0.3); }\n",
    )
    .expect("write");
    let exe = dir.join("normal");
    build(&model, &exe);
    let mode = dir.join("mode.csv");
    std::fs::write(
        &mode,
        format!(
            "# model = normal_model\n# method = optimize\n#   optimize\n#     algorithm = lbfgs (Default)\n\
             #     jacobian = true\n#     save_iterations = false (Default)\nlp__,x.1,x.2,sigma\n-1.2,1,-2,{}\n",
            0.5f64.exp()
        ),
    )
    .expect("write");
    let out = Command::new(&python)
        .arg(manifest.join("tests/neighbours/drive_laplace.py"))
        .arg(&exe)
        .arg(&mode)
        .arg(&dir)
        .output()
        .expect("python runs");
    assert!(out.status.success(), "cmdstanpy's laplace_sample failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).expect("drive_laplace.py prints JSON");
    assert_eq!(seen["columns"], serde_json::json!(["log_p__", "log_q__", "x[1]", "x[2]", "sigma"]));
    assert_eq!(seen["method_variables"], serde_json::json!(["log_p__", "log_q__"]));
    assert_eq!(seen["shape"], serde_json::json!([2000, 2]));
    assert_eq!(seen["mode_x"], serde_json::json!([1.0, -2.0]));
    let number = |v: &serde_json::Value| v.as_f64().expect("a number");
    let want_cov = [[1.5, 0.6], [0.6, 0.8]];
    for (a, want) in [1.0, -2.0].iter().enumerate() {
        let se = (want_cov[a][a] / 2000.0f64).sqrt();
        assert!((number(&seen["mean"][a]) - want).abs() < 4.0 * se, "mean of x[{}]: {}", a + 1, seen["mean"][a]);
        for b in 0..2 {
            let se = ((want_cov[a][a] * want_cov[b][b] + want_cov[a][b] * want_cov[a][b]) / 2000.0f64).sqrt();
            let got = number(&seen["cov"][a][b]);
            assert!((got - want_cov[a][b]).abs() < 4.0 * se, "cov {a},{b}: {got}");
        }
    }
    assert!((number(&seen["log_sigma_mean"]) - 0.5).abs() < 4.0 * 0.3 / 2000.0f64.sqrt(), "{}", seen["log_sigma_mean"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh, empty folder for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `vppl build MODEL -o EXE`, which must succeed.
fn build(model: &Path, exe: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_vppl"))
        .args(["build", model.to_str().expect("utf-8 path"), "-o", exe.to_str().expect("utf-8 path")])
        .output()
        .expect("vppl runs");
    assert!(out.status.success(), "vppl build: {}", String::from_utf8_lossy(&out.stderr));
}

/// `theta.3` → `theta[3]`, `mu` → `mu`.
fn stan_name(csv_name: &str) -> String {
    match csv_name.split_once('.') {
        Some((base, indices)) => format!("{base}[{}]", indices.replace('.', ",")),
        None => csv_name.to_string(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + b.abs())
}

/// The venv's Python with the pinned neighbours installed, made on first use.
/// Made once per test process: the tests of this file run in parallel threads, and two
/// `python -m venv` into one folder at once fail.
fn python_with_neighbours() -> PathBuf {
    static PYTHON: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PYTHON.get_or_init(make_neighbours_venv).clone()
}

fn make_neighbours_venv() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let requirements = manifest.join("tests/neighbours/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).expect("requirements.txt");
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python-neighbours");
    let python = venv.join("bin").join("python");
    // The marker holds the requirements the venv was made from; it is written last, so an
    // interrupted install is redone.
    let marker = venv.join("vppl-requirements.txt");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str()) {
        return python;
    }
    let status = Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv).status();
    assert!(
        matches!(status, Ok(s) if s.success()),
        "this test needs Python 3 with venv (`python3 -m venv`) to install cmdstanpy and ArviZ: {status:?}"
    );
    let status = Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements)
        .status();
    assert!(matches!(status, Ok(s) if s.success()), "pip could not install {}: {status:?}", requirements.display());
    std::fs::write(&marker, wanted).expect("write the venv's marker");
    python
}
