//! `vppl build`: every example becomes an executable that runs alone (copied to an empty folder,
//! run with an empty environment) and fits exactly as `vppl run` does with the same seed; its
//! command line is CmdStan's, and what it refuses gets CmdStan's exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// A fresh empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vppl-build-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary folder");
    dir
}

fn vppl(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vppl")).args(args).current_dir(dir).output().expect("vppl runs")
}

/// The CSV's body (the draws), without the comment lines, which hold dates and file names.
fn draws(csv: &Path) -> String {
    let text = std::fs::read_to_string(csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
    text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n")
}

/// Builds `model` into `dir/name` and moves it alone into a folder of its own with `data`.
fn build(model: &Path, dir: &Path, name: &str) -> PathBuf {
    let exe = dir.join(name);
    let out = vppl(&["build", model.to_str().expect("utf-8 path"), "-o", exe.to_str().expect("utf-8 path")], dir);
    assert!(out.status.success(), "vppl build {}: {}", model.display(), String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Built "), "{}", String::from_utf8_lossy(&out.stdout));
    exe
}

#[test]
fn every_example_runs_alone_and_fits_as_vppl_run_does() {
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("model.vppl").is_file())
        .collect();
    examples.sort();
    assert!(examples.len() >= 20, "the examples are found");
    // Short fits: the point is that both programs compute the same numbers.
    let (iter, draws_n, seed) = ("300", "200", "11");
    for example in examples {
        let name = example.file_name().expect("a name").to_string_lossy().into_owned();
        let work = scratch(&name);
        let exe = build(&example.join("model.vppl"), &work, "model");
        // Alone: an empty folder holding the executable and its data, an empty environment.
        let alone = work.join("alone");
        std::fs::create_dir_all(&alone).expect("folder");
        std::fs::rename(&exe, alone.join("model")).expect("move");
        let data = example.join("data.json");
        let mut args = vec!["variational".to_string(), format!("iter={iter}"), format!("output_samples={draws_n}")];
        if data.is_file() {
            std::fs::copy(&data, alone.join("data.json")).expect("copy data");
            args.extend(["data".into(), "file=data.json".into()]);
        }
        args.extend(["random".into(), format!("seed={seed}"), "output".into(), "file=built.csv".into()]);
        let out = Command::new(alone.join("model"))
            .args(&args)
            .current_dir(&alone)
            .env_clear()
            .output()
            .expect("the built program runs");
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let csv = work.join("run.csv");
        let mut run = vec!["run", "--iter", iter, "--output-samples", draws_n, "--seed", seed, "--output"];
        run.push(csv.to_str().expect("utf-8"));
        let model = example.join("model.vppl");
        run.push(model.to_str().expect("utf-8"));
        let out = vppl(&run, &work);
        assert!(out.status.success(), "{name}: vppl run: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(draws(&alone.join("built.csv")), draws(&csv), "{name}: the built program's draws differ");
        let _ = std::fs::remove_dir_all(&work);
    }
}

#[test]
fn the_command_line_is_cmdstans() {
    let work = scratch("cmdline");
    let exe = build(&root().join("compiler/tests/cli/eight_schools.stan"), &work, "eight_schools");
    let data = root().join("compiler/tests/cli/good.data.json");
    let run = |args: &[&str]| {
        let out = Command::new(&exe).args(args).current_dir(&work).output().expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // `info`, as cmdstanpy reads it.
    let (code, info, _) = run(&["info"]);
    assert_eq!(code, 0);
    assert!(info.contains("stan_version_major = 2\n") && info.contains("stan_version_minor = 37\n"), "{info}");
    // cmdstanpy's order: top-level arguments, groups, then `method=`.
    let data_arg = format!("file={}", data.display());
    let (code, out, err) = run(&[
        "id=1",
        "random",
        "seed=5",
        "data",
        &data_arg,
        "init=0.5",
        "output",
        "file=o.csv",
        "method=variational",
        "algorithm=meanfield",
        "iter=200",
        "output_samples=50",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Wrote o.csv"), "{out}");
    let header = std::fs::read_to_string(work.join("o.csv")).expect("csv");
    assert!(header.contains("#   seed = 5") || header.contains("seed = 5"), "{header}");
    assert_eq!(draws(&work.join("o.csv")).lines().count(), 1 + 1 + 50, "header, mean row, draws");
    // sig_figs: the numbers of the CSV, and the header's echo.
    let (code, _, err) =
        run(&["variational", "iter=100", "output_samples=20", "data", &data_arg, "output", "file=s.csv", "sig_figs=3"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(work.join("s.csv")).expect("csv");
    assert!(text.contains("#   sig_figs = 3"), "{text}");
    let row = draws(&work.join("s.csv")).lines().nth(2).expect("a draw").to_string();
    for value in row.split(',').skip(3) {
        let digits = value.trim_start_matches('-').split('e').next().unwrap_or("").replace('.', "");
        assert!(digits.trim_start_matches('0').len() <= 3, "{value} in {row}");
    }
    // Refusals: CmdStan's usage code 64, naming what the program offers.
    for (args, says) in [
        (&["sample"][..], "does not offer the method `sample`"),
        (&["method=sample"][..], "does not offer the method `sample`"),
        (&["variational", "foo=1"][..], "foo=1 is either mistyped or misplaced"),
        (&["variational", "eta=0.1"][..], "add engine=stan"),
        (&["variational", "algorithm=lowrank", "engine=stan"][..], "Stan's ADVI has meanfield and fullrank"),
        (&["variational", "random", "seed=-7"][..], "seed"),
        (&["log_prob"][..], "needs constrained_params=FILE or unconstrained_params=FILE"),
        (&["variational", "output", "sig_figs=30"][..], "from 1 to 18"),
        (&["log_prob", "jacobian=2", "unconstrained_params=u.json"][..], "jacobian must be 0 or 1"),
        (&["log_prob", "constrained_params=a.json", "unconstrained_params=b.json"][..], "not both"),
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 64, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(
            err.contains(
                "offers the methods variational, optimize, pathfinder, laplace, log_prob, generate_quantities, diagnose"
            ),
            "{args:?}: {err}"
        );
    }
    // log_prob at two unconstrained points: one row each.
    std::fs::write(work.join("u.json"), r#"{"params_r": [[0, 0, 0, 0, 0], [1, 0.5, -1, 0, 2]]}"#).expect("write");
    let (code, _, err) = run(&["log_prob", "unconstrained_params=u.json", "data", &data_arg, "output", "file=lp.csv"]);
    assert_eq!(code, 0, "{err}");
    let rows = draws(&work.join("lp.csv"));
    let rows: Vec<&str> = rows.lines().collect();
    assert_eq!(rows[0], "lp__,g_1,g_2,g_3,g_4,g_5");
    assert_eq!(rows.len(), 3, "{rows:?}");
    // jacobian=0: without tau's log-Jacobian, which is its unconstrained value (0, then 0.5),
    // and the gradient without its 1 in tau's coordinate.
    let (code, _, err) = run(&[
        "log_prob",
        "jacobian=0",
        "unconstrained_params=u.json",
        "data",
        &data_arg,
        "output",
        "file=lp0.csv",
        "sig_figs=18",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) =
        run(&["log_prob", "unconstrained_params=u.json", "data", &data_arg, "output", "file=lp1.csv", "sig_figs=18"]);
    assert_eq!(code, 0, "{err}");
    let rows = |file: &str| -> Vec<Vec<f64>> {
        let csv =
            runtime::output::parse_stan_csv(&std::fs::read_to_string(work.join(file)).expect("csv")).expect("csv");
        csv.rows
    };
    let (with, without) = (rows("lp1.csv"), rows("lp0.csv"));
    for (k, log_jacobian) in [0.0, 0.5].into_iter().enumerate() {
        assert!((with[k][0] - without[k][0] - log_jacobian).abs() < 1e-12, "{with:?} {without:?}");
        assert!((with[k][2] - without[k][2] - 1.0).abs() < 1e-12, "{with:?} {without:?}");
        assert_eq!(with[k][1], without[k][1]);
    }
    std::fs::write(work.join("short.json"), r#"{"params_r": [0, 0]}"#).expect("write");
    let (code, _, err) = run(&["log_prob", "unconstrained_params=short.json", "data", &data_arg]);
    assert_eq!(code, 65, "{err}");
    assert!(err.contains("vectors of 5 numbers"), "{err}");
    // Bad data: CmdStan's data error code 65, naming the file.
    std::fs::write(work.join("bad.json"), "{\"J\": 8}").expect("write");
    let (code, _, err) = run(&["variational", "data", "file=bad.json"]);
    assert_eq!(code, 65, "{err}");
    assert!(err.contains("bad.json"), "{err}");
    let _ = std::fs::remove_dir_all(&work);
}

/// A normal mean with a normal prior and known noise: the posterior of `mu` is normal with
/// precision 1/4 + 5 and mean 5.9 / 5.25; `s` (lognormal(0, 1), apart from the data) has its
/// density's mode at exp(−1) and its unconstrained mode at 1.
const CONJUGATE: &str = "data { int<lower=0> N; vector[N] y; }
parameters { real mu; real<lower=0> s; }
model { mu ~ normal(0, 2); y ~ normal(mu, 1); s ~ lognormal(0, 1); }
generated quantities { real two_mu = 2 * mu; real y_rep = normal_rng(mu, 1); }
";
const CONJUGATE_DATA: &str = r#"{"N": 5, "y": [1.2, 0.8, 2.1, 1.5, 0.3]}"#;
const POSTERIOR_MEAN: f64 = 5.9 / 5.25;

/// The CSV's columns and rows.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<f64>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let csv = runtime::output::parse_stan_csv(&text).expect("a Stan CSV");
    (csv.columns, csv.rows)
}

#[test]
fn optimize_pathfinder_generate_quantities_and_diagnose() {
    let work = scratch("methods");
    std::fs::write(work.join("conjugate.stan"), CONJUGATE).expect("write");
    std::fs::write(work.join("data.json"), CONJUGATE_DATA).expect("write");
    let exe = build(&work.join("conjugate.stan"), &work, "conjugate");
    let run = |args: &[&str]| {
        let out =
            Command::new(&exe).args(args).args(["data", "file=data.json"]).current_dir(&work).output().expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let column = |columns: &[String], name: &str| columns.iter().position(|c| c == name).expect(name);
    // optimize: Stan's MAP (without the Jacobian) by default, with it on request; L-BFGS, BFGS
    // and Newton's method with the exact Hessian. The default relative-gradient tolerance stops
    // within about 1e-6 of the mode; a tighter one holds it to 1e-6 with room to spare.
    for (args, s_mode) in [
        (&["optimize", "algorithm=newton", "output", "file=newton.csv", "sig_figs=18"][..], (-1f64).exp()),
        (&["optimize", "algorithm=newton", "jacobian=1", "output", "file=newton_jac.csv", "sig_figs=18"][..], 1.0),
        (&["optimize", "tol_rel_grad=10", "output", "file=map.csv", "sig_figs=18"][..], (-1f64).exp()),
        (
            &["optimize", "algorithm=bfgs", "tol_rel_grad=10", "output", "file=bfgs.csv", "sig_figs=18"][..],
            (-1f64).exp(),
        ),
        (&["optimize", "jacobian=1", "tol_rel_grad=10", "output", "file=jac.csv", "sig_figs=18"][..], 1.0),
    ] {
        let (code, out, err) = run(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        if args.contains(&"algorithm=newton") {
            // CmdStan's Newton lines: each iteration's log density and its improvement, the
            // last below 1e-8.
            assert!(out.contains("Iteration  1. Log joint probability = "), "{out}");
            let last = out.lines().rev().find(|l| l.starts_with("Iteration")).expect("an iteration");
            let improved: f64 = last.rsplit("Improved by ").next().unwrap().trim_end_matches('.').parse().unwrap();
            assert!(improved.abs() < 1e-8, "{last}");
        } else {
            assert!(out.contains("Optimization terminated normally: \n  Convergence detected"), "{out}");
        }
        let file = args.iter().find_map(|a| a.strip_prefix("file=")).expect("a file");
        let (columns, rows) = read_csv(&work.join(file));
        assert_eq!(columns, ["lp__", "mu", "s", "two_mu", "y_rep"]);
        assert_eq!(rows.len(), 1);
        let mu = rows[0][column(&columns, "mu")];
        assert!((mu - POSTERIOR_MEAN).abs() < 1e-6, "{args:?}: mu = {mu}");
        assert!((rows[0][column(&columns, "s")] - s_mode).abs() < 1e-6, "{args:?}: {:?}", rows[0]);
        assert!((rows[0][column(&columns, "two_mu")] - 2.0 * mu).abs() < 1e-12);
    }
    let header = std::fs::read_to_string(work.join("bfgs.csv")).expect("csv");
    for line in [
        "# method = optimize",
        "#     algorithm = bfgs",
        "#         tol_rel_grad = 10\n",
        "#     jacobian = 0 (Default)",
    ] {
        assert!(header.contains(line), "{line}: {header}");
    }
    let (code, _, err) = run(&["optimize", "save_iterations=1", "output", "file=iters.csv"]);
    assert_eq!(code, 0, "{err}");
    let (_, rows) = read_csv(&work.join("iters.csv"));
    assert!(rows.len() > 2, "the start, every iterate: {rows:?}");
    assert!(rows.windows(2).all(|w| w[1][0] >= w[0][0]), "lp__ climbs: {rows:?}");
    // pathfinder: four paths resampled, the mean of mu near the posterior's.
    let (code, out, err) = run(&["pathfinder", "random", "seed=2", "output", "file=pf.csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Path [4] :Best Iter"), "{out}");
    let (columns, rows) = read_csv(&work.join("pf.csv"));
    assert_eq!(columns[..3], ["lp_approx__", "lp__", "mu"]);
    assert_eq!(rows.len(), 1000);
    let mean = rows.iter().map(|r| r[2]).sum::<f64>() / rows.len() as f64;
    // The posterior sd is 0.44; 1000 draws give a standard error of about 0.014.
    assert!((mean - POSTERIOR_MEAN).abs() < 0.06, "pathfinder's mean of mu {mean}");
    let (code, _, err) =
        run(&["pathfinder", "num_paths=1", "num_draws=50", "save_single_paths=1", "output", "file=one.csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(read_csv(&work.join("one.csv")).1.len(), 50);
    assert_eq!(read_csv(&work.join("one_path_1.csv")).1.len(), 50);
    // generate_quantities from the mode and from pathfinder's draws: the input's method
    // columns, then every output.
    for (fitted, n) in [("map.csv", 1), ("pf.csv", 1000)] {
        let fitted_arg = format!("fitted_params={fitted}");
        let (code, _, err) = run(&["generate_quantities", &fitted_arg, "output", "file=gq.csv"]);
        assert_eq!(code, 0, "{fitted}: {err}");
        let (columns, rows) = read_csv(&work.join("gq.csv"));
        let (_, fitted_rows) = read_csv(&work.join(fitted));
        assert_eq!(rows.len(), n);
        assert!(columns.ends_with(&["mu".into(), "s".into(), "two_mu".into(), "y_rep".into()]), "{columns:?}");
        let (mu, two_mu) = (column(&columns, "mu"), column(&columns, "two_mu"));
        for (row, fitted_row) in rows.iter().zip(&fitted_rows) {
            assert!((row[two_mu] - 2.0 * row[mu]).abs() < 1e-6 * row[mu].abs().max(1.0));
            assert!((row[0] - fitted_row[0]).abs() <= 1e-7 * fitted_row[0].abs().max(1.0), "lp__ copied");
        }
    }
    // diagnose: CmdStan's table, the model's gradient beside finite differences.
    let (code, out, err) = run(&["diagnose", "init=0.5", "output", "file=diag.csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("TEST GRADIENT MODE\n\n Log probability="), "{out}");
    let table: Vec<Vec<f64>> = out
        .lines()
        .skip_while(|l| !l.contains("param idx"))
        .skip(1)
        .map(|l| l.split_whitespace().map(|v| v.parse().expect("a number")).collect())
        .collect();
    assert_eq!(table.len(), 2, "{out}");
    for row in &table {
        assert!((row[2] - row[3]).abs() < 1e-5 * row[2].abs().max(1.0), "{out}");
    }
    assert!(std::fs::read_to_string(work.join("diag.csv")).expect("csv").contains("#  param idx"));
    // Refusals: usage errors (64) naming what is wrong; a model without generated quantities
    // for generate_quantities (CmdStan's 78).
    for (args, says) in [
        (&["optimize", "algorithm=simplex"][..], "the algorithms are lbfgs (the default), bfgs and newton"),
        (&["optimize", "jacobian=yes"][..], "jacobian must be 0 or 1"),
        (&["optimize", "iter=0"][..], "iter must be a positive integer"),
        (&["optimize", "tol_obj=-1"][..], "tol_obj must be a non-negative number"),
        (&["pathfinder", "num_paths=0"][..], "num_paths must be a positive integer"),
        (&["pathfinder", "num_draws=x"][..], "num_draws must be a positive integer"),
        (&["generate_quantities"][..], "needs fitted_params=FILE"),
        (&["diagnose", "test=hessian"][..], "the only test is gradient"),
        (&["diagnose", "epsilon=0"][..], "epsilon must be a positive number"),
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 64, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let (code, _, err) = run(&["generate_quantities", "fitted_params=missing.csv"]);
    assert_eq!(code, 65, "{err}");
    assert!(err.contains("missing.csv"), "{err}");
    std::fs::write(work.join("nogq.stan"), "parameters { real x; } model { x ~ normal(0, 1); }").expect("write");
    let nogq = build(&work.join("nogq.stan"), &work, "nogq");
    let out = Command::new(&nogq).args(["generate_quantities", "fitted_params=map.csv"]).current_dir(&work).output();
    let out = out.expect("runs");
    assert_eq!(out.status.code(), Some(78));
    assert!(String::from_utf8_lossy(&out.stderr).contains("doesn't generate any quantities"));
    // help: each method's arguments.
    let (code, out, _) = run(&["pathfinder", "help"]);
    assert_eq!(code, 0);
    assert!(out.contains("num_psis_draws=1000"), "{out}");
    let out = Command::new(&exe).arg("help-all").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    for method in ["variational", "optimize", "pathfinder", "log_prob", "generate_quantities", "diagnose"] {
        assert!(text.contains(&format!("\n  {method} ")), "{method}: {text}");
    }
    assert!(text.contains("history_size=5"), "{text}");
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn a_build_that_fails_writes_nothing() {
    let work = scratch("fails");
    std::fs::write(work.join("bad.stan"), "parameters { real x; }\nmodel { x ~ normal(0, s); }\n").expect("write");
    let out = vppl(&["build", "bad.stan"], &work);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot find variable `s`"));
    assert_eq!(std::fs::read_dir(&work).expect("folder").count(), 1, "only the model is there");
    let model = root().join("compiler/tests/cli/eight_schools.stan");
    let out = vppl(&["build", model.to_str().expect("utf-8"), "-o", "no/such/folder/exe"], &work);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write `no/such/folder/exe`"));
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn the_runner_alone_says_what_it_is() {
    let out = Command::new(env!("CARGO_BIN_EXE_vppl-runner")).output().expect("runs");
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("vppl build MODEL"));
}

/// `laplace` on a posterior that is normal on the unconstrained scale (a bivariate normal, and
/// a lognormal scale, whose logarithm is normal with the Jacobian): the draws' means and
/// covariances are the closed form's, `log_p__ − log_q__` is the same at every draw, and a
/// mode given as CmdStan's optimize CSV gives the draws a JSON mode gives. A point where the
/// negative Hessian is not positive definite is refused with CmdStan's data error code.
#[test]
fn laplace_draws_a_normal_posterior() {
    let work = scratch("laplace");
    std::fs::write(
        work.join("normal.stan"),
        "transformed data { matrix[2, 2] S = [[1.5, 0.6], [0.6, 0.8]]; }\n\
         parameters { vector[2] x; real<lower=0> sigma; }\n\
         model { x ~ multi_normal([1, -2]', S); sigma ~ lognormal(0.5, 0.3); }\n\
         generated quantities { real s = x[1] + x[2]; }\n",
    )
    .expect("write");
    let exe = build(&work.join("normal.stan"), &work, "normal");
    let run = |args: &[&str]| {
        let out = Command::new(&exe).args(args).current_dir(&work).output().expect("runs");
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let sigma = 0.5f64.exp();
    std::fs::write(work.join("mode.json"), format!(r#"{{"x": [1, -2], "sigma": {sigma}}}"#)).expect("write");
    let (code, err) = run(&["laplace", "mode=mode.json", "draws=4000", "random", "seed=7", "output", "file=l.csv"]);
    assert_eq!(code, 0, "{err}");
    let body = draws(&work.join("l.csv"));
    let mut lines = body.lines();
    assert_eq!(lines.next(), Some("log_p__,log_q__,x.1,x.2,sigma,s"));
    let rows: Vec<Vec<f64>> =
        lines.map(|l| l.split(',').map(|v| v.parse::<f64>().expect("a number")).collect()).collect();
    assert_eq!(rows.len(), 4000);
    // Unconstrained values: x.1, x.2 and log sigma.
    let u: Vec<[f64; 3]> = rows.iter().map(|r| [r[2], r[3], r[4].ln()]).collect();
    let n = u.len() as f64;
    let mean: Vec<f64> = (0..3).map(|k| u.iter().map(|v| v[k]).sum::<f64>() / n).collect();
    let cov = |a: usize, b: usize| u.iter().map(|v| (v[a] - mean[a]) * (v[b] - mean[b])).sum::<f64>() / (n - 1.0);
    let want_mean = [1.0, -2.0, 0.5];
    let want_cov = [[1.5, 0.6, 0.0], [0.6, 0.8, 0.0], [0.0, 0.0, 0.09]];
    for a in 0..3 {
        let se = (want_cov[a][a] / n).sqrt();
        assert!((mean[a] - want_mean[a]).abs() < 4.0 * se, "mean {a}: {} vs {}", mean[a], want_mean[a]);
        for b in 0..3 {
            let se = ((want_cov[a][a] * want_cov[b][b] + want_cov[a][b] * want_cov[a][b]) / n).sqrt();
            assert!((cov(a, b) - want_cov[a][b]).abs() < 4.0 * se, "cov {a},{b}: {} vs {}", cov(a, b), want_cov[a][b]);
        }
    }
    // The posterior is the approximation: their log densities differ by a constant.
    let offset = rows[0][0] - rows[0][1];
    assert!(rows.iter().all(|r| (r[0] - r[1] - offset).abs() < 1e-6), "log_p__ − log_q__ varies");
    assert!(rows.iter().all(|r| (r[5] - r[2] - r[3]).abs() < 1e-6), "s = x.1 + x.2");
    // The same mode as CmdStan's optimize CSV: the same draws.
    std::fs::write(
        work.join("mode.csv"),
        format!(
            "# model = normal_model\n# method = optimize\n#   optimize\n#     algorithm = lbfgs\n#     jacobian = true\n\
             lp__,x.1,x.2,sigma,s\n-1.5,1,-2,{sigma},-1\n"
        ),
    )
    .expect("write");
    let (code, err) = run(&["laplace", "mode=mode.csv", "draws=4000", "random", "seed=7", "output", "file=c.csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(draws(&work.join("c.csv")), body);
    // jacobian=0: about the mode of the density of sigma itself. Without the Jacobian, log σ's
    // density is that of the lognormal minus log σ: still normal, with the same sd 0.3 and its
    // mean lowered by 0.3² to 0.41.
    let sigma0 = 0.41f64.exp();
    std::fs::write(work.join("map.json"), format!(r#"{{"x": [1, -2], "sigma": {sigma0}}}"#)).expect("write");
    let (code, err) =
        run(&["laplace", "mode=map.json", "jacobian=0", "draws=4000", "random", "seed=7", "output", "file=j0.csv"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(work.join("j0.csv")).expect("csv");
    assert!(text.contains("#     jacobian = false\n"), "{text}");
    let rows: Vec<Vec<f64>> = draws(&work.join("j0.csv"))
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse::<f64>().expect("a number")).collect())
        .collect();
    let log_sigma: Vec<f64> = rows.iter().map(|r| r[4].ln()).collect();
    let mean = log_sigma.iter().sum::<f64>() / n;
    let sd = (log_sigma.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    assert!((mean - 0.41).abs() < 4.0 * 0.3 / n.sqrt(), "mean of log sigma {mean}");
    assert!((sd - 0.3).abs() < 0.02, "sd of log sigma {sd}");
    let offset = rows[0][0] - rows[0][1];
    assert!(rows.iter().all(|r| (r[0] - r[1] - offset).abs() < 1e-6), "log_p__ − log_q__ varies");
    // Refusals.
    std::fs::write(work.join("far.json"), r#"{"x": [1, -2]}"#).expect("write");
    for (args, code, says) in [
        (&["laplace", "mode=far.json"][..], 65, "lacks the parameter sigma"),
        (&["laplace"][..], 64, "laplace needs mode=FILE"),
        (&["laplace", "mode=mode.json", "jacobian=2"][..], 64, "jacobian must be 0 or 1"),
        (&["laplace", "mode=mode.json", "draws=0"][..], 64, "draws must be a positive integer"),
    ] {
        let (got, err) = run(args);
        assert_eq!(got, code, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    std::fs::write(work.join("saddle.stan"), "parameters { real x; }\nmodel { target += square(x) - x ^ 4 / 4; }\n")
        .expect("write");
    let saddle = build(&work.join("saddle.stan"), &work, "saddle");
    std::fs::write(work.join("zero.json"), r#"{"x": 0}"#).expect("write");
    let out = Command::new(&saddle).args(["laplace", "mode=zero.json"]).current_dir(&work).output().expect("runs");
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not positive definite"), "{out:?}");
    let _ = std::fs::remove_dir_all(&work);
}
