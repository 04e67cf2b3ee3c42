//! Lowering follows the type checker: a call of an overloaded user-defined function runs the
//! overload `typeck` resolved it to (Stan's rule: the fewest promotions), whatever order the
//! definitions come in, in every block and through `~`.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use runtime::Model;
use tests::{load, root};

#[test]
fn calls_run_the_overload_stan_resolves() {
    let (model, _) = load(&root().join("tests/programs/good/functions/overloads.stan")).expect("compiles");
    let mu = 0.3_f64;
    let mut out = vec![0.0; model.output_names().len()];
    model.write_array(&[mu], &mut ChaCha8Rng::seed_from_u64(1), &mut out).expect("runs");
    // mu, then f(3) = 3 (the int overload, defined after the real one), f(3.0) = 30,
    // twice(2) = 2 f(2) = 4, twice(2.5) = 2 f(2.5) = 50.
    assert_eq!(out, [mu, 3.0, 30.0, 4.0, 50.0]);

    // The model block: mu ~ normal(f(2) = 2, f(0.5) = 5); y ~ normal(mu + f(y) / N, 1) with
    // f(y) = sum(y) = 6; mu ~ shifted(twice(1) = 2), a normal at 2 + f(1) = 3.
    let normal =
        |x: f64, m: f64, s: f64| -0.5 * ((x - m) / s).powi(2) - s.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln();
    let want = normal(mu, 2.0, 5.0)
        + [1.5, 2.0, 2.5].iter().map(|y| normal(*y, mu + 2.0, 1.0)).sum::<f64>()
        + normal(mu, 3.0, 1.0);
    let got = model.log_density(&[mu], false).expect("finite");
    assert!((got - want).abs() < 1e-12, "log density {got}, want {want}");
}
