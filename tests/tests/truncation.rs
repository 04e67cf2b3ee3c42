//! `y ~ dist(...) T[L, U]`: the log density against mpmath (the generator is in the comments),
//! its gradient against finite differences, and −∞ outside the bounds.

use runtime::Model;
use tests::{assert_gradient_matches, load_text};

/// (model block, unconstrained point, log density with every constant) — references from
/// mpmath at 50 digits: normal_lpdf(1.5 | μ, 1) − log(Φ(3 − μ) − Φ(−μ)) at μ = 0.3, the same
/// with only the lower bound, and binomial_lpmf(3 | 9, θ) − log(F(7) − F(1)) + log θ(1 − θ)
/// (the logit Jacobian) at θ = inv_logit(0.3).
const CASES: &[(&str, &str, f64)] = &[
    ("real mu;", "1.5 ~ normal(mu, 1) T[0, 3];", -1.1519017778173817),
    ("real mu;", "1.5 ~ normal(mu, 1) T[0, ];", -1.1575283716161915),
    ("real<lower=0, upper=1> theta;", "3 ~ binomial(9, theta) T[2, 7];", -3.7070837545112437),
];

fn model(params: &str, body: &str) -> runtime::compiled::CompiledModel {
    let program = format!("parameters {{ {params} }}\nmodel {{ {body} }}\n");
    load_text(&program).unwrap_or_else(|e| panic!("{program}: {e}"))
}

#[test]
fn truncated_densities_match_mpmath() {
    for (params, body, want) in CASES {
        let got = model(params, body).log_density(&[0.3], false).unwrap_or_else(|e| panic!("{body}: {e}"));
        assert!((got - want).abs() <= 1e-12 * want.abs().max(1.0), "{body}: {got}, want {want}");
    }
}

#[test]
fn truncated_gradients_match_finite_differences() {
    let cases = [
        ("real mu; real<lower=0> s;", "1.5 ~ normal(mu, s) T[0, 3]; 0.2 ~ student_t(3, mu, s) T[, 2];"),
        ("real<lower=0, upper=1> theta;", "3 ~ binomial(9, theta) T[2, 7]; 1 ~ bernoulli(theta) T[1, ];"),
        ("real<lower=0> y; real<lower=0> a;", "y ~ gamma(2, 1); y ~ exponential(a) T[0.1, 5];"),
    ];
    for (params, body) in cases {
        let m = model(params, body);
        let n = m.n_unconstrained();
        let x: Vec<f64> = (0..n).map(|i| 0.2 + 0.1 * i as f64).collect();
        assert_gradient_matches(&m, &x, body);
    }
}

#[test]
fn a_variate_outside_the_bounds_has_no_density() {
    let m = model("real mu;", "5 ~ normal(mu, 1) T[0, 3];");
    match m.log_density(&[0.3], false) {
        Ok(lp) => assert_eq!(lp, f64::NEG_INFINITY),
        Err(e) => panic!("{e}"),
    }
}
