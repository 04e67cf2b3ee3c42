//! Models whose log evidence is known exactly (conjugate models in closed form, a hierarchical
//! model by one-dimensional quadrature): the test `tests/evidence.rs` and the benchmark
//! `evidence_accuracy` measure vppl's estimates against them.

use runtime::app::{FitSettings, Init};
use runtime::compiled::CompiledModel;
use runtime::output::RunMethod;
use stdlib::special::lgamma;

use crate::load_text_data;

const LOG_TWO_PI: f64 = 1.837_877_066_409_345_5;

/// The settings of a fit as `vppl run` makes them by default, writing nothing.
pub fn settings(method: RunMethod) -> FitSettings {
    FitSettings {
        method,
        init: Init::Radius(2.0),
        init_text: "2".into(),
        psis: false,
        output: "unused.csv".into(),
        summary_json: None,
        diagnostic_file: None,
        model_name: "test".into(),
        data_file: String::new(),
        compile_ms: 0.0,
        iter_option: "--iter",
        sig_figs: 6,
        refresh: 100,
        evidence_draws: runtime::evidence::DEFAULT_MAX_DRAWS,
        evidence_mcse: runtime::evidence::DEFAULT_TARGET_MCSE,
    }
}

/// A model and its exact log evidence.
pub struct Case {
    pub name: &'static str,
    pub model: CompiledModel,
    pub exact: f64,
}

/// Every case, as the benchmark lists them.
pub fn cases() -> Vec<Case> {
    let (regression, exact_regression) = regression(3);
    vec![
        Case { name: "conjugate linear regression (N = 20, K = 3)", model: regression, exact: exact_regression },
        poisson_gamma(),
        Case {
            name: "beta-binomial (7 of 30, beta(2, 3))",
            model: beta_binomial(30, 7, 2.0, 3.0),
            exact: beta_binomial_exact(30.0, 7.0, 2.0, 3.0),
        },
        Case {
            name: "eight schools, non-centred (quadrature)",
            model: schools("tau ~ normal(0, 5);"),
            exact: schools_exact(),
        },
    ]
}

/// Lower Cholesky factor of a symmetric positive definite n × n matrix (row-major).
pub fn cholesky(n: usize, a: &[f64]) -> Vec<f64> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = a[i * n + j] - (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum::<f64>();
            l[i * n + j] = if i == j { s.sqrt() } else { s / l[j * n + j] };
        }
    }
    l
}

/// log N(y | 0, cov).
pub fn log_normal_zero_mean(y: &[f64], cov: &[f64]) -> f64 {
    let n = y.len();
    let l = cholesky(n, cov);
    let mut z = vec![0.0; n];
    for i in 0..n {
        z[i] = (y[i] - (0..i).map(|k| l[i * n + k] * z[k]).sum::<f64>()) / l[i * n + i];
    }
    let log_det: f64 = (0..n).map(|i| l[i * n + i].ln()).sum();
    -0.5 * n as f64 * LOG_TWO_PI - log_det - 0.5 * z.iter().map(|v| v * v).sum::<f64>()
}

/// A design matrix and outcomes for the regression models: fixed, irregular numbers.
pub fn regression_data(n: usize, k: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let x: Vec<Vec<f64>> =
        (0..n).map(|i| (0..k).map(|j| ((i * (j + 2) + 1) as f64 * 0.7).sin() + 0.1 * j as f64).collect()).collect();
    let y =
        x.iter().enumerate().map(|(i, row)| 1.0 + 0.8 * row[0] - 0.5 * row[1] + 0.9 * (i as f64 * 2.3).cos()).collect();
    (x, y)
}

pub const REGRESSION: &str = "
data { int N; int K; matrix[N, K] X; vector[N] y; real<lower=0> sigma; real<lower=0> tau; }
parameters { vector[K] beta; }
model {
  beta ~ normal(0, tau);
  y ~ normal(X * beta, sigma);
}
";

/// The regression on the first `k` columns: the model and its exact log evidence,
/// y ~ N(0, σ²I + τ²XXᵀ).
pub fn regression(k: usize) -> (CompiledModel, f64) {
    let (n, sigma, tau) = (20, 1.5, 2.0);
    let (x, y) = regression_data(n, 3);
    let x: Vec<Vec<f64>> = x.into_iter().map(|row| row[..k].to_vec()).collect();
    let data = serde_json::json!({ "N": n, "K": k, "X": x, "y": y, "sigma": sigma, "tau": tau });
    let model = load_text_data(REGRESSION, &data.to_string()).expect("compiles");
    let cov: Vec<f64> = (0..n * n)
        .map(|ij| {
            let (i, j) = (ij / n, ij % n);
            let xx: f64 = (0..k).map(|c| x[i][c] * x[j][c]).sum();
            tau * tau * xx + if i == j { sigma * sigma } else { 0.0 }
        })
        .collect();
    (model, log_normal_zero_mean(&y, &cov))
}

/// Four counts, y ~ poisson(λ), λ ~ gamma(2, 1): the posterior of λ is a skewed gamma(13, 5),
/// which q (normal in log λ) does not match exactly.
pub fn poisson_gamma() -> Case {
    let model = load_text_data(
        "data { int N; array[N] int y; }
         parameters { real<lower=0> lambda; }
         model { lambda ~ gamma(2, 1); y ~ poisson(lambda); }",
        r#"{"N": 4, "y": [0, 3, 1, 7]}"#,
    )
    .expect("compiles");
    let (a, b) = (2.0, 1.0);
    let y = [0.0, 3.0, 1.0, 7.0];
    let (n, total) = (y.len() as f64, y.iter().sum::<f64>());
    let exact = a * f64::ln(b) - lgamma(a) + lgamma(a + total)
        - (a + total) * (b + n).ln()
        - y.iter().map(|v| lgamma(v + 1.0)).sum::<f64>();
    Case { name: "Poisson-gamma (4 counts)", model, exact }
}

fn log_beta(a: f64, b: f64) -> f64 {
    lgamma(a) + lgamma(b) - lgamma(a + b)
}

pub const BETA_BINOMIAL: &str = "
data { int n; int k; real<lower=0> a; real<lower=0> b; }
parameters { real<lower=0, upper=1> theta; }
model { theta ~ beta(a, b); k ~ binomial(n, theta); }
";

/// The beta-binomial evidence: C(n, k) B(k + a, n − k + b) / B(a, b).
pub fn beta_binomial_exact(n: f64, k: f64, a: f64, b: f64) -> f64 {
    lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) + log_beta(k + a, n - k + b) - log_beta(a, b)
}

/// The beta-binomial model with k of n and a beta(a, b) prior.
pub fn beta_binomial(n: u32, k: u32, a: f64, b: f64) -> CompiledModel {
    let data = serde_json::json!({ "n": n, "k": k, "a": a, "b": b });
    load_text_data(BETA_BINOMIAL, &data.to_string()).expect("compiles")
}

pub const SCHOOLS_DATA: &str =
    r#"{"J": 8, "y": [28, 8, -3, 7, -1, 1, 18, 12], "sigma": [15, 10, 16, 11, 9, 11, 10, 18]}"#;

/// Eight schools, non-centred: `tau`'s prior as the statement `TAU_PRIOR` gives it.
pub fn schools(tau_prior: &str) -> CompiledModel {
    let text = format!(
        "data {{ int J; vector[J] y; vector<lower=0>[J] sigma; }}
         parameters {{ real mu; real<lower=0> tau; vector[J] z; }}
         model {{
           mu ~ normal(0, 5);
           {tau_prior}
           z ~ std_normal();
           y ~ normal(mu + tau * z, sigma);
         }}"
    );
    load_text_data(&text, SCHOOLS_DATA).expect("compiles")
}

/// The exact log evidence of eight schools with `tau ~ normal(0, 5)` on tau > 0 (mass 1/2): mu
/// and the school effects integrate out in closed form (y ~ N(0, D + 25·11ᵀ) with
/// D = diag(σ² + τ²)), and tau by Simpson's rule on (0, 60) (the prior leaves e⁻⁷² beyond).
pub fn schools_exact() -> f64 {
    let y = [28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0];
    let sigma = [15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0];
    let s2 = 25.0;
    let log_likelihood = |tau: f64| {
        // Sherman–Morrison for D + s²11ᵀ.
        let d: Vec<f64> = sigma.iter().map(|s| s * s + tau * tau).collect();
        let inv_sum: f64 = d.iter().map(|d| 1.0 / d).sum();
        let y_over_d: f64 = y.iter().zip(&d).map(|(y, d)| y / d).sum();
        let quad: f64 =
            y.iter().zip(&d).map(|(y, d)| y * y / d).sum::<f64>() - s2 * y_over_d.powi(2) / (1.0 + s2 * inv_sum);
        let log_det: f64 = d.iter().map(|d| d.ln()).sum::<f64>() + (1.0 + s2 * inv_sum).ln();
        -0.5 * (8.0 * LOG_TWO_PI + log_det + quad)
    };
    let prior = |tau: f64| (-0.5 * (tau / 5.0).powi(2)).exp() / (5.0 * (2.0 * std::f64::consts::PI).sqrt());
    let (upper, steps) = (60.0, 60_000);
    let h = upper / steps as f64;
    let f = |tau: f64| log_likelihood(tau).exp() * prior(tau);
    let mut sum = f(0.0) + f(upper);
    for i in 1..steps {
        sum += f(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    (sum * h / 3.0).ln()
}
