//! Every `_rng`: 20 000 draws against the distribution's mean and variance, and, for the
//! samplers written by hand (inverse CDFs, mixtures), a Kolmogorov–Smirnov test against the
//! distribution's CDF. Seeds are fixed, so each test is deterministic.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use runtime::Model;
use stdlib::special::{Phi, gamma_p, gamma_q, inc_beta, lgamma, von_mises_cdf_centered};
use tests::load_text;

const N: usize = 20_000;

/// `N` draws of `call` (a `_rng` call with constant arguments).
fn draws(call: &str) -> Vec<f64> {
    let program = format!(
        "parameters {{ real unused; }}\nmodel {{ unused ~ normal(0, 1); }}\n\
         generated quantities {{\n  array[{N}] real x;\n  for (i in 1:{N}) x[i] = {call};\n}}\n"
    );
    let model = load_text(&program).unwrap_or_else(|e| panic!("{call}: {e}"));
    let mut out = vec![0.0; model.output_names().len()];
    let mut rng = ChaCha8Rng::seed_from_u64(20261207);
    model.write_array(&[0.0], &mut rng, &mut out).unwrap_or_else(|e| panic!("{call}: {e}"));
    out[1..].to_vec()
}

fn moments(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    (mean, x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0))
}

// Γ-function moments (mpmath): Fréchet(α = 9, σ = 1.5) and log-logistic(α = 2, β = 9).
const FRECHET_MEAN: f64 = 1.6166382497002436;
const FRECHET_VAR: f64 = 0.064320940160096485;
const LOGLOGISTIC_MEAN: f64 = 2.0412005386857484;
const LOGLOGISTIC_VAR: f64 = 0.17790084573947418;

/// (call, mean, variance), each with a finite fourth moment so that the sample variance settles.
const MOMENTS: &[(&str, f64, f64)] = &[
    ("normal_rng(1.5, 2)", 1.5, 4.0),
    ("std_normal_rng()", 0.0, 1.0),
    ("uniform_rng(-1, 3)", 1.0, 16.0 / 12.0),
    ("exponential_rng(2)", 0.5, 0.25),
    ("gamma_rng(3, 2)", 1.5, 0.75),
    ("inv_gamma_rng(9, 2)", 0.25, 4.0 / (64.0 * 7.0)),
    ("beta_rng(2, 3)", 0.4, 0.04),
    ("beta_proportion_rng(0.4, 5)", 0.4, 0.04),
    ("lognormal_rng(0.1, 0.3)", 1.1560395702680216, 0.12585710140875243),
    ("student_t_rng(9, 1, 2)", 1.0, 4.0 * 9.0 / 7.0),
    ("chi_square_rng(4)", 4.0, 8.0),
    ("inv_chi_square_rng(12)", 0.1, 2.0 / (100.0 * 8.0)),
    ("scaled_inv_chi_square_rng(12, 0.5)", 0.3, 2.0 * 144.0 * 0.0625 / (100.0 * 8.0)),
    ("weibull_rng(2, 1.5)", 1.329340388179137, 0.4828541323557413),
    ("frechet_rng(9, 1.5)", FRECHET_MEAN, FRECHET_VAR),
    ("gumbel_rng(1, 2)", 2.1544313298030657, 6.579736267392906),
    ("pareto_rng(1.5, 6)", 1.8, 0.135),
    ("logistic_rng(1, 2)", 1.0, 13.159472534785811),
    ("double_exponential_rng(1, 2)", 1.0, 8.0),
    ("skew_double_exponential_rng(1, 2, 0.5)", 1.0, 8.0),
    ("rayleigh_rng(2)", 2.5066282746310002, 1.7168146928204138),
    ("pareto_type_2_rng(0, 2, 8)", 2.0 / 7.0, 32.0 / (49.0 * 6.0)),
    ("loglogistic_rng(2, 9)", LOGLOGISTIC_MEAN, LOGLOGISTIC_VAR),
    ("exp_mod_normal_rng(1, 0.5, 2)", 1.5, 0.5),
    ("skew_normal_rng(1, 2, 3)", 2.513879513212096, 1.708168819476707),
    ("poisson_rng(3.5)", 3.5, 3.5),
    ("poisson_log_rng(1.2)", 3.3201169227365472, 3.3201169227365472),
    ("bernoulli_rng(0.3)", 0.3, 0.21),
    ("bernoulli_logit_rng(0.4)", 0.598687660112452, 0.24026074574152915),
    ("binomial_rng(12, 0.3)", 3.6, 2.52),
    ("beta_binomial_rng(10, 2, 3)", 4.0, 6.0),
    ("hypergeometric_rng(5, 4, 6)", 2.0, 2.0 / 3.0),
    ("discrete_range_rng(2, 7)", 4.5, 35.0 / 12.0),
    ("neg_binomial_rng(3, 0.5)", 6.0, 18.0),
    ("neg_binomial_2_rng(4, 2)", 4.0, 12.0),
    ("neg_binomial_2_log_rng(1.2, 2)", 3.3201169227365472, 8.831705113057348),
    ("beta_neg_binomial_rng(3, 5, 2)", 1.5, 5.25),
    // cos(Y − μ) of a von Mises draw: mean I₁(κ)/I₀(κ), second moment (1 + I₂(κ)/I₀(κ))/2.
    ("cos(von_mises_rng(7.5, 2) - 7.5)", 0.69777465796400795, 0.16422319772120769),
    // Multivariate draws, one coordinate (or a sum) at a time.
    ("dirichlet_rng([2, 3, 5]')[2]", 0.3, 21.0 / 1100.0),
    ("multi_normal_rng([1, -2]', [[4, 1.2], [1.2, 2]])[2]", -2.0, 2.0),
    ("multi_normal_rng([1, -2]', [[4, 1.2], [1.2, 2]])[1]", 1.0, 4.0),
    ("multi_normal_cholesky_rng([1, -2]', [[2, 0], [0.6, 1.3]])[2]", -2.0, 0.36 + 1.69),
    ("multinomial_rng([0.2, 0.5, 0.3]', 10)[2]", 5.0, 2.5),
    // Arrays of locations: one draw each.
    ("multi_normal_rng({[1, -2]', [0, 3]'}, [[4, 1.2], [1.2, 2]])[2][2]", 3.0, 2.0),
    ("multi_normal_cholesky_rng({[1, -2], [0, 3]}, [[2, 0], [0.6, 1.3]])[1][2]", -2.0, 0.36 + 1.69),
    // The multivariate Student t: variance ν/(ν − 2) times the scale's.
    ("multi_student_t_rng(8, [1, -2]', [[4, 1.2], [1.2, 2]])[2]", -2.0, 8.0 / 6.0 * 2.0),
    ("multi_student_t_rng(8, {[1, -2]', [0, 3]'}, [[4, 1.2], [1.2, 2]])[2][1]", 0.0, 8.0 / 6.0 * 4.0),
    ("multi_student_t_cholesky_rng(8, [1, -2], [[2, 0], [0.6, 1.3]])[2]", -2.0, 8.0 / 6.0 * (0.36 + 1.69)),
    ("multi_student_t_cholesky_rng(8, {[1, -2]', [0, 3]'}, [[2, 0], [0.6, 1.3]])[2][1]", 0.0, 8.0 / 6.0 * 4.0),
    // Row 2's logit is −0.2 + 0.5·0.3 − 1·0.4 = −0.45.
    (
        "bernoulli_logit_glm_rng([[1, 2], [0.5, -1]], [0.1, -0.2]', [0.3, 0.4]')[2]",
        0.38936076605077802,
        0.2377589599111293,
    ),
    // An LKJ(η) correlation of dimension K is 2 B − 1 for B ~ beta(η − 1 + K/2, same): variance
    // 1/(2η + K − 1).
    ("lkj_corr_rng(3, 2)[2, 1]", 0.0, 1.0 / 6.0),
    ("lkj_corr_rng(4, 1.5)[4, 2]", 0.0, 1.0 / 6.0),
    ("multiply_lower_tri_self_transpose(lkj_corr_cholesky_rng(3, 2))[3, 2]", 0.0, 1.0 / 6.0),
    // Wishart(ν, S): E W = ν S, Var Wᵢⱼ = ν (Sᵢⱼ² + Sᵢᵢ Sⱼⱼ).
    ("wishart_rng(5, [[4, 1.2], [1.2, 2]])[1, 2]", 6.0, 5.0 * (1.44 + 8.0)),
    ("wishart_rng(5, [[4, 1.2], [1.2, 2]])[2, 2]", 10.0, 5.0 * 8.0),
    ("multiply_lower_tri_self_transpose(wishart_cholesky_rng(5, [[2, 0], [0.6, 1.3]]))[2, 1]", 6.0, 5.0 * (1.44 + 8.0)),
    // Inverse Wishart(ν, S) of dimension p: E W = S/(ν − p − 1),
    // Var Wᵢᵢ = 2 Sᵢᵢ² / ((ν − p − 1)² (ν − p − 3)).
    ("inv_wishart_rng(12, [[4, 1.2], [1.2, 2]])[1, 1]", 4.0 / 9.0, 32.0 / (81.0 * 7.0)),
    ("inv_wishart_rng(12, [[4, 1.2], [1.2, 2]])[1, 2]", 1.2 / 9.0, f64::NAN),
    (
        "multiply_lower_tri_self_transpose(inv_wishart_cholesky_rng(12, [[2, 0], [0.6, 1.3]]))[1, 1]",
        4.0 / 9.0,
        32.0 / (81.0 * 7.0),
    ),
    ("dirichlet_multinomial_rng([1.5, 0.5, 2]', 5)[1]", 1.875, 2.109375),
    (
        "multinomial_logit_rng([0.1, 1.0, -0.5]', 10)[3]",
        10.0 * 0.1369148829896928,
        10.0 * 0.1369148829896928 * (1.0 - 0.1369148829896928),
    ),
];

#[test]
fn every_rng_has_its_distributions_mean_and_variance() {
    for (call, mean, var) in MOMENTS {
        let x = draws(call);
        let (m, v) = moments(&x);
        let se = (var / N as f64).sqrt();
        // The sample variance's spread depends on the fourth moment; 12% covers every one here.
        // (NaN: the variance is not checked, only the mean against the sample's own spread.)
        let se = if var.is_nan() { (v / N as f64).sqrt() } else { se };
        assert!((m - mean).abs() <= 5.0 * se, "{call}: mean {m}, want {mean} (se {se})");
        assert!(var.is_nan() || (v - var).abs() <= 0.12 * var, "{call}: variance {v}, want {var}");
    }
}

/// The largest gap between the empirical CDF of `x` and `cdf`.
fn ks(mut x: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
    x.sort_by(f64::total_cmp);
    let n = x.len() as f64;
    x.iter()
        .enumerate()
        .map(|(i, &v)| {
            let f = cdf(v);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max)
}

#[test]
fn hand_written_samplers_pass_kolmogorov_smirnov() {
    let logistic = |z: f64| 1.0 / (1.0 + (-z).exp());
    let cases: Vec<(&str, Box<dyn Fn(f64) -> f64>)> = vec![
        ("logistic_rng(1, 2)", Box::new(move |y| logistic((y - 1.0) / 2.0))),
        (
            "double_exponential_rng(1, 2)",
            Box::new(|y| if y < 1.0 { 0.5 * ((y - 1.0) / 2.0).exp() } else { 1.0 - 0.5 * (-(y - 1.0) / 2.0).exp() }),
        ),
        (
            "skew_double_exponential_rng(1, 2, 0.3)",
            Box::new(|y| {
                if y < 1.0 {
                    0.3 * (-2.0 * 0.7 * (1.0 - y) / 2.0).exp()
                } else {
                    1.0 - 0.7 * (-2.0 * 0.3 * (y - 1.0) / 2.0).exp()
                }
            }),
        ),
        ("rayleigh_rng(2)", Box::new(|y| 1.0 - (-y * y / 8.0).exp())),
        ("pareto_type_2_rng(1, 2, 5)", Box::new(|y| 1.0 - (1.0 + (y - 1.0) / 2.0).powf(-5.0))),
        ("loglogistic_rng(2, 5)", Box::new(|y| 1.0 / (1.0 + (y / 2.0).powf(-5.0)))),
        ("weibull_rng(2, 1.5)", Box::new(|y| 1.0 - (-(y / 1.5).powi(2)).exp())),
        ("frechet_rng(5, 1.5)", Box::new(|y| (-(y / 1.5).powf(-5.0)).exp())),
        ("gumbel_rng(1, 2)", Box::new(|y| (-(-(y - 1.0) / 2.0).exp()).exp())),
        ("std_normal_rng()", Box::new(Phi)),
        // Its CDF is held to mpmath's integral of the density in densities.rs.
        ("von_mises_rng(0, 2)", Box::new(|y| von_mises_cdf_centered(y, 2.0))),
        // (r + 1)/2 ~ beta(2.5, 2.5) for an LKJ(2) correlation of dimension 3.
        ("lkj_corr_rng(3, 2)[3, 1]", Box::new(|r| inc_beta(2.5, 2.5, ((r + 1.0) / 2.0).clamp(0.0, 1.0)))),
        // Wᵢᵢ/Sᵢᵢ ~ χ²(ν) for a Wishart draw; Sᵢᵢ/Wᵢᵢ ~ χ²(ν − p + 1) for an inverse Wishart one.
        ("wishart_rng(5, [[4, 1.2], [1.2, 2]])[1, 1]", Box::new(|w| gamma_p(2.5, w / 8.0))),
        ("inv_wishart_rng(6, [[4, 1.2], [1.2, 2]])[2, 2]", Box::new(|w| gamma_q(2.5, 1.0 / w))),
        // A coordinate of a multivariate t, standardised, is Student's t with ν degrees of freedom.
        (
            "multi_student_t_rng(5, [1, -2]', [[4, 1.2], [1.2, 2]])[1]",
            Box::new(|y| {
                let t = (y - 1.0) / 2.0;
                let tail = 0.5 * inc_beta(2.5, 0.5, 5.0 / (5.0 + t * t));
                if t > 0.0 { 1.0 - tail } else { tail }
            }),
        ),
        (
            // The skew normal's CDF is Φ(z) − 2 T(z, α); at α = 0 it is Φ (the sampler's
            // flip must leave a symmetric draw alone).
            "skew_normal_rng(0, 1, 0)",
            Box::new(Phi),
        ),
    ];
    // The 0.1 % critical value of the one-sample statistic is 1.95/√N.
    let critical = 1.95 / (N as f64).sqrt();
    for (call, cdf) in cases {
        let d = ks(draws(call), cdf);
        assert!(d < critical, "{call}: Kolmogorov–Smirnov distance {d} ≥ {critical}");
    }
}

/// A discrete sampler's frequencies against its pmf.
#[test]
fn discrete_samplers_match_their_mass_functions() {
    let lchoose = |n: f64, k: f64| lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0);
    let cases: Vec<(&str, Box<dyn Fn(f64) -> f64>)> = vec![
        (
            "beta_binomial_rng(10, 2, 3)",
            Box::new(move |k| {
                let lbeta = |a: f64, b: f64| lgamma(a) + lgamma(b) - lgamma(a + b);
                (lchoose(10.0, k) + lbeta(k + 2.0, 10.0 - k + 3.0) - lbeta(2.0, 3.0)).exp()
            }),
        ),
        (
            "neg_binomial_2_rng(4, 2)",
            Box::new(move |k| {
                (lgamma(k + 2.0) - lgamma(k + 1.0) - lgamma(2.0) + k * (4.0f64 / 6.0).ln() + 2.0 * (2.0f64 / 6.0).ln())
                    .exp()
            }),
        ),
        (
            "hypergeometric_rng(5, 4, 6)",
            Box::new(move |k| (lchoose(4.0, k) + lchoose(6.0, 5.0 - k) - lchoose(10.0, 5.0)).exp()),
        ),
    ];
    for (call, pmf) in cases {
        let x = draws(call);
        assert_counts_follow(call, &x, pmf);
    }
}

/// Every draw of a multinomial has N trials; every categorical draw is a category.
#[test]
fn categorical_and_multinomial_draws_follow_their_probabilities() {
    let theta = [0.2, 0.5, 0.3];
    for call in ["categorical_rng([0.2, 0.5, 0.3]')", "categorical_logit_rng(log([0.2, 0.5, 0.3]'))"] {
        let x = draws(call);
        assert!(x.iter().all(|&v| v == 1.0 || v == 2.0 || v == 3.0), "{call}: a draw outside 1..3");
        assert_counts_follow(
            call,
            &x,
            Box::new(move |k: f64| if (1.0..=3.0).contains(&k) { theta[k as usize - 1] } else { 0.0 }),
        );
    }
    // Ordinal draws at η = 0.4 among the cutpoints (−1, 0.5, 2) (mpmath's probabilities).
    let logistic = [0.19781611144141831, 0.32716307603752171, 0.30703919765498444, 0.16798161486607552];
    let probit = [0.080756659233771066, 0.45907117804325792, 0.40537287102341302, 0.054799291699557981];
    for (call, p) in
        [("ordered_logistic_rng(0.4, [-1, 0.5, 2]')", logistic), ("ordered_probit_rng(0.4, [-1, 0.5, 2]')", probit)]
    {
        let x = draws(call);
        assert!(x.iter().all(|&v| (1.0..=4.0).contains(&v)), "{call}: a draw outside 1..4");
        assert_counts_follow(
            call,
            &x,
            Box::new(move |k: f64| if (1.0..=4.0).contains(&k) { p[k as usize - 1] } else { 0.0 }),
        );
    }
    let sums = draws("sum(multinomial_rng([0.2, 0.5, 0.3]', 10))");
    assert!(sums.iter().all(|&s| s == 10.0), "a multinomial draw without 10 trials");
}

/// The chi-square statistic of the draws' frequencies against `pmf`, over the values with an
/// expected count of at least 20.
fn assert_counts_follow(call: &str, x: &[f64], pmf: Box<dyn Fn(f64) -> f64>) {
    let mut stat = 0.0;
    let mut cells = 0;
    for k in 0..60 {
        let expected = N as f64 * pmf(k as f64);
        if !(expected >= 20.0) {
            continue;
        }
        let seen = x.iter().filter(|&&v| v == k as f64).count() as f64;
        stat += (seen - expected).powi(2) / expected;
        cells += 1;
    }
    // Well above the 0.1 % point of chi-square with `cells` degrees of freedom (≤ 30 here).
    assert!(stat < 3.0 * cells as f64 + 30.0, "{call}: chi-square {stat} over {cells} cells");
}

/// Arguments outside a distribution's domain are a domain error naming the `_rng` and the
/// argument, as Stan's `_rng`s raise one, never a draw (the samplers took −1 as a scale, or
/// returned 0 for a probability of 2).
#[test]
fn arguments_outside_the_domain_are_refused() {
    for (call, says) in [
        ("normal_rng(0, -1)", "normal_rng: argument 2 is -1, but must be positive and finite"),
        ("normal_rng(not_a_number(), 1)", "normal_rng: argument 1 is NaN, but must be finite"),
        ("exponential_rng(-1)", "exponential_rng: argument 1 is -1, but must be positive and finite"),
        ("bernoulli_rng(2)", "bernoulli_rng: argument 1 is 2, but must be in [0, 1]"),
        ("poisson_rng(-1)", "poisson_rng: argument 1 is -1, but must be non-negative"),
        ("binomial_rng(10, 1.5)", "binomial_rng: argument 2 is 1.5, but must be in [0, 1]"),
        ("gamma_rng(2, 0)", "gamma_rng: argument 2 is 0, but must be positive and finite"),
        ("beta_rng(-1, 1)", "beta_rng: argument 1 is -1, but must be positive and finite"),
        (
            "student_t_rng(3, 0, positive_infinity())",
            "student_t_rng: argument 3 is inf, but must be positive and finite",
        ),
        ("uniform_rng(2, 1)", "uniform_rng: these arguments are outside the distribution's domain"),
    ] {
        let program = format!(
            "parameters {{ real unused; }}\nmodel {{ unused ~ normal(0, 1); }}\n\
             generated quantities {{\n  real x = {call};\n}}\n"
        );
        let model = load_text(&program).unwrap_or_else(|e| panic!("{call}: {e}"));
        let mut out = vec![0.0; model.output_names().len()];
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let err = model.write_array(&[0.0], &mut rng, &mut out).expect_err(call);
        assert_eq!(err.kind, runtime::model::EvalErrorKind::Domain, "{call}: {err}");
        assert!(err.message.contains(says), "{call}: {}", err.message);
    }
}
