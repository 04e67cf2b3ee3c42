//! Log density values against independent formulas (computed with Python's `math` module from
//! the textbook densities), so a wrong constant or term shows up even where the gradient, being
//! consistent with the value, would not tell.

use runtime::Model;
use tests::load_text;

const CASES: &[(&str, f64)] = &[
    ("neg_binomial_2_lpmf(3 | 2.5, 1.7)", -2.0535036719370847),
    ("neg_binomial_2_log_lpmf(3 | 0.4, 1.7)", -2.3122645650321294),
    ("weibull_lpdf(1.3 | 2.2, 0.9)", -0.9105612755436097),
    ("logistic_lpdf(0.4 | -0.3, 1.2)", -1.652505901036775),
    ("double_exponential_lpdf(0.4 | -0.3, 1.2)", -1.4588020706872333),
    ("chi_square_lpdf(2.3 | 3.5)", -1.6539246027580905),
    ("inv_chi_square_lpdf(0.7 | 3.5)", -0.8620360634136187),
    ("scaled_inv_chi_square_lpdf(0.7 | 3.5, 0.8)", -0.33641758386074483),
    ("pareto_lpdf(2.5 | 1.2, 1.9)", -1.6689782783541416),
    ("gumbel_lpdf(0.4 | -0.3, 1.2)", -1.323690035897335),
    ("rayleigh_lpdf(1.1 | 0.8)", -0.4037152175672556),
    ("student_t_lpdf(0.7 | 3.5, -0.2, 1.3)", -1.5406038188564863),
    ("gamma_lpdf(1.3 | 2.5, 0.8)", -1.4889953520572075),
    ("inv_gamma_lpdf(1.3 | 2.5, 0.8)", -2.376201289779278),
    ("beta_lpdf(0.3 | 2.5, 1.5)", -0.35643784206788925),
    ("lognormal_lpdf(1.3 | 0.2, 0.6)", -0.6758789815208552),
    ("exponential_lpdf(1.3 | 0.8)", -1.2631435513142097),
    ("uniform_lpdf(0.3 | -1.0, 2.5)", -1.252762968495368),
    ("poisson_lpmf(4 | 2.7)", -1.9050467383068113),
    ("binomial_lpmf(3 | 9, 0.35)", -1.3033470712074484),
    ("cauchy_lpdf(0.7 | -0.2, 1.3)", -1.7986563532560642),
    (
        "lkj_corr_cholesky_lpdf([[1, 0, 0], [0.3, 0.9539392014169457, 0], [-0.4, 0.458257569495584, 0.7937253933193772]] | 2.0)",
        -1.2189848169305506,
    ),
];

#[test]
fn densities_match_independent_formulas() {
    for (expr, want) in CASES {
        // A model with one unused parameter, so the log density is exactly the expression.
        let program = format!("parameters {{ real unused; }}\nmodel {{ target += {expr}; }}\n");
        let model = load_text(&program).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let got = model.log_density(&[0.0], false).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert!((got - want).abs() <= 1e-12 * want.abs().max(1.0), "{expr} = {got}, want {want}");
    }
}
