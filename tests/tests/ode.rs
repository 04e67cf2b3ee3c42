//! The higher-order functions: the ODE solvers against closed-form solutions and Stan's
//! gradient, their gradients against finite differences, their run-time errors; `reduce_sum`
//! against the sum it stands for.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use runtime::Model;
use tests::{assert_gradient_matches, load, load_text, point, root};

/// A linear chain y1' = −k y1, y2' = k y1 − c y2 from (1, 0), solved exactly:
/// y1 = e^(−kt), y2 = k (e^(−kt) − e^(−ct)) / (c − k).
fn exact(k: f64, c: f64, t: f64) -> [f64; 2] {
    let a = (-k * t).exp();
    [a, k * (a - (-c * t).exp()) / (c - k)]
}

/// The chain, solved by `call` (which names the solver and its tolerances), with `k` a
/// parameter: generated quantities write the states at the times 0.5, 1, 2, 4, 8.
fn chain_program(call: &str, old: bool) -> String {
    let system = if old {
        "array[] real chain(real t, array[] real y, array[] real theta, array[] real x_r, array[] int x_i) {
           return { -theta[1] * y[1], theta[1] * y[1] - x_r[1] * y[2] };
         }"
    } else {
        "vector chain(real t, vector y, real k, real c) { return [-k * y[1], k * y[1] - c * y[2]]'; }"
    };
    format!(
        "functions {{ {system} }}
         transformed data {{ array[5] real ts = {{0.5, 1, 2, 4, 8}}; array[1] real x_r = {{0.5}}; array[0] int x_i; }}
         parameters {{ real<lower=0> k; }}
         model {{ k ~ lognormal(0, 1); }}
         generated quantities {{ {} }}",
        if old { format!("array[5, 2] real y = {call};") } else { format!("array[5] vector[2] y = {call};") }
    )
}

/// The states the program writes at unconstrained `log k`, row by row.
fn states(text: &str, log_k: f64) -> Vec<f64> {
    let model = load_text(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut out = vec![0.0; model.output_names().len()];
    model.write_array(&[log_k], &mut ChaCha8Rng::seed_from_u64(1), &mut out).expect("solves");
    // Stan's order is column-major; the first output is k itself.
    let y = &out[1..];
    (0..5).flat_map(|i| [y[i], y[5 + i]]).collect()
}

#[test]
fn the_solvers_agree_with_the_exact_solution() {
    let (k, c) = (1.3_f64, 0.5);
    let want: Vec<f64> = [0.5, 1.0, 2.0, 4.0, 8.0].iter().flat_map(|&t| exact(k, c, t)).collect();
    let cases = [
        ("ode_rk45(chain, [1.0, 0.0]', 0.0, ts, k, 0.5)", false, 1e-5),
        ("ode_bdf(chain, [1.0, 0.0]', 0.0, ts, k, 0.5)", false, 1e-5),
        ("ode_rk45_tol(chain, [1.0, 0.0]', 0.0, ts, 1e-10, 1e-10, 100000, k, 0.5)", false, 1e-9),
        ("integrate_ode_rk45(chain, {1.0, 0.0}, 0.0, ts, {k}, x_r, x_i)", true, 1e-5),
        ("integrate_ode_bdf(chain, {1.0, 0.0}, 0.0, ts, {k}, x_r, x_i, 1e-10, 1e-10, 1e5)", true, 1e-9),
    ];
    for (call, old, tol) in cases {
        let got = states(&chain_program(call, old), k.ln());
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() <= tol, "{call}: {g} against the exact {w}");
        }
    }
}

#[test]
fn ode_gradients_match_finite_differences() {
    // Lotka–Volterra with every rate a parameter, fitted to a few noisy points.
    let text = "functions {
          vector lv(real t, vector z, vector theta) {
            return [(theta[1] - theta[2] * z[2]) * z[1], (-theta[3] + theta[4] * z[1]) * z[2]]';
          }
        }
        transformed data { array[4] real ts = {1, 2, 3, 5}; array[4] real u = {20, 8, 30, 12}; }
        parameters { vector<lower=0>[4] theta; vector<lower=0>[2] z0; real<lower=0> sigma; }
        model {
          array[4] vector[2] z = ode_rk45_tol(lv, z0, 0.0, ts, 1e-8, 1e-8, 100000, theta);
          theta ~ normal(0.5, 0.3);
          z0 ~ lognormal(log(10), 1);
          sigma ~ normal(0, 1);
          for (i in 1:4) u[i] ~ lognormal(log(z[i, 1]), sigma);
        }";
    let model = load_text(text).unwrap_or_else(|e| panic!("{e}"));
    for seed in 1..4 {
        let x = point(7, seed, 0.7);
        assert_gradient_matches(&model, &x, &format!("Lotka-Volterra at seed {seed}"));
    }
}

/// posteriordb's one-compartment model solved to 1e-11 gives Stan's log density and gradient
/// (CVODES's BDF, `tests/fixtures/stan_gradients/posteriordb`) to 1e-8: the solver and its
/// derivative are right, and only the default tolerances separate the two (`gradients.rs`).
#[test]
fn tight_tolerances_give_stans_gradient() {
    let name = "one_comp_mm_elim_abs-one_comp_mm_elim_abs";
    let text = std::fs::read_to_string(root().join("examples").join(name).join("model.vppl")).expect("example");
    let call = "ode_bdf(one_comp_mm_elim_abs, C0, t0, times, theta, x_r, x_i)";
    assert!(text.contains(call), "the example still makes this call");
    let tight = text
        .replace(call, "ode_bdf_tol(one_comp_mm_elim_abs, C0, t0, times, 1e-11, 1e-11, 100000000, theta, x_r, x_i)");
    let dir = std::env::temp_dir().join(format!("vppl-ode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("model.stan"), tight).expect("write model");
    std::fs::copy(root().join("examples").join(name).join("data.json"), dir.join("data.json")).expect("copy data");
    let (model, _) = load(&dir.join("model.stan")).unwrap_or_else(|e| panic!("{e}"));
    let fixture = root().join("tests/fixtures/stan_gradients/posteriordb").join(format!("{name}.json"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture).expect("fixture")).expect("JSON");
    let numbers = |key: &str| -> Vec<f64> {
        json[key].as_array().expect(key).iter().map(|v| v.as_f64().expect("number")).collect()
    };
    let x = numbers("point");
    let want_lp = json["log_prob_propto_false"].as_f64().expect("lp");
    let lp = model.log_density(&x, false).expect("finite");
    assert!((lp - want_lp).abs() <= 1e-8 * want_lp.abs(), "log density {lp} against Stan's {want_lp}");
    let mut grad = vec![0.0; x.len()];
    model.log_density_gradient(&x, &mut grad).expect("finite");
    for (g, w) in grad.iter().zip(numbers("gradient")) {
        assert!((g - w).abs() <= 1e-8 * w.abs().max(1.0), "gradient {grad:?} against Stan's {w}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The error a program's generated quantities raise at `log k = 0`.
fn gq_error(text: &str) -> String {
    let model = load_text(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut out = vec![0.0; model.output_names().len()];
    match model.write_array(&[0.0], &mut ChaCha8Rng::seed_from_u64(1), &mut out) {
        Ok(()) => panic!("no error from\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_solver_arguments_are_run_time_errors() {
    let unsorted = chain_program("ode_rk45(chain, [1.0, 0.0]', 0.0, {2.0, 1.0, 3.0, 4.0, 5.0}, k, 0.5)", false);
    assert!(gq_error(&unsorted).contains("times[2] is 1, but the times must be sorted"), "{}", gq_error(&unsorted));
    let early = chain_program("ode_rk45(chain, [1.0, 0.0]', 1.0, ts, k, 0.5)", false);
    assert!(gq_error(&early).contains("times[1] is 0.5"), "{}", gq_error(&early));
    let few_steps = chain_program("ode_rk45_tol(chain, [1.0, 0.0]', 0.0, ts, 1e-10, 1e-10, 3, k, 0.5)", false);
    assert!(gq_error(&few_steps).contains("more than 3 steps to reach time 0.5"), "{}", gq_error(&few_steps));
    let bad_tol = chain_program("ode_rk45_tol(chain, [1.0, 0.0]', 0.0, ts, -1, 1e-10, 100, k, 0.5)", false);
    assert!(gq_error(&bad_tol).contains("relative tolerance is -1"), "{}", gq_error(&bad_tol));
    let wrong_size = "functions { vector f(real t, vector y) { return [1, 2, 3]'; } }
        parameters { real<lower=0> k; } model { k ~ lognormal(0, 1); }
        generated quantities { array[1] vector[2] y = ode_rk45(f, [1.0, 0.0]', 0.0, {1.0}); }";
    assert!(gq_error(wrong_size).contains("returned 3 derivatives for a state of size 2"), "{}", gq_error(wrong_size));
}

#[test]
fn reduce_sum_is_the_sum_it_stands_for() {
    let text = "functions {
          real partial(array[] real slice, int start, int end, vector mu, real sigma) {
            return normal_lpdf(slice | mu[start:end], sigma);
          }
        }
        transformed data { array[6] real y = {0.1, -0.4, 1.2, 0.8, -1.1, 0.3}; }
        parameters { vector[6] mu; real<lower=0> sigma; }
        model {
          target += reduce_sum(partial, y, 2, mu, sigma);
          target += -0.5 * dot_self(mu);
        }";
    let direct = text.replace("reduce_sum(partial, y, 2, mu, sigma)", "normal_lpdf(y | mu, sigma)");
    let a = load_text(text).unwrap_or_else(|e| panic!("{e}"));
    let b = load_text(&direct).unwrap_or_else(|e| panic!("{e}"));
    for seed in 1..4 {
        let x = point(7, seed, 1.0);
        let (la, lb) = (a.log_density(&x, false).expect("finite"), b.log_density(&x, false).expect("finite"));
        assert!((la - lb).abs() <= 1e-12 * lb.abs(), "{la} against {lb}");
        assert_gradient_matches(&a, &x, "reduce_sum");
    }
}
