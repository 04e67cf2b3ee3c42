//! Values at the edges of a function's domain, where a careless formula gives NaN (0 × −∞,
//! −∞ − −∞) and Stan gives a number or −∞. Found by running posteriordb's models.

use runtime::Model;
use tests::load_text;

const CASES: &[(&str, f64)] = &[
    ("bernoulli_lpmf(1 | 1.0)", 0.0),
    ("bernoulli_lpmf(0 | 0.0)", 0.0),
    ("bernoulli_lpmf({1, 1, 0} | 1.0)", f64::NEG_INFINITY),
    ("binomial_lpmf(3 | 3, 1.0)", 0.0),
    ("binomial_lpmf(0 | 3, 0.0)", 0.0),
    ("poisson_lpmf(0 | 0.0)", 0.0),
    ("poisson_lpmf(2 | 0.0)", f64::NEG_INFINITY),
    ("log_sum_exp(negative_infinity(), negative_infinity())", f64::NEG_INFINITY),
    ("log_mix(0.5, negative_infinity(), negative_infinity())", f64::NEG_INFINITY),
    ("log_diff_exp(negative_infinity(), negative_infinity())", f64::NEG_INFINITY),
    ("log_diff_exp(1.5, 1.5)", f64::NEG_INFINITY),
    ("lognormal_lpdf(0 | 0, 1)", f64::NEG_INFINITY),
];

#[test]
fn boundary_values_are_stans() {
    for (expr, want) in CASES {
        let program = format!("parameters {{ real unused; }}\nmodel {{ target += {expr}; }}\n");
        let model = load_text(&program).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let got = model.log_density(&[0.0], false).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert!(got == *want || (got - want).abs() <= 1e-12, "{expr} = {got}, want {want}");
    }
}

/// θ exactly 1 with every trial a success (a product of powers that is 1 at 0): the log
/// density and its gradient are finite, as in Stan.
#[test]
fn a_probability_of_one_has_a_gradient() {
    let program = "transformed data { int N = 3; array[N] int y = {1, 1, 1}; }\n\
                   parameters { real<lower=0, upper=1> a; }\n\
                   model { for (n in 1:N) y[n] ~ bernoulli(pow(a, 0)); y ~ binomial(1, pow(a, 0)); }\n";
    let model = load_text(program).unwrap_or_else(|e| panic!("{e}"));
    let mut grad = [0.0];
    let lp = model.log_density_gradient(&[0.3], &mut grad).unwrap_or_else(|e| panic!("{e}"));
    assert!(lp.is_finite() && grad[0].is_finite(), "log density {lp}, gradient {grad:?}");
}
