//! ADVI through the whole pipeline on a posterior known in closed form: Bayesian linear
//! regression with known noise and a standard normal prior. Full-rank ADVI must recover the
//! exact posterior mean and covariance, mean-field the exact mean, and the ELBO (every constant
//! kept) must come within Monte Carlo error of the exact log evidence.

use runtime::Model;
use runtime::advi::{self, AdviConfig, Algorithm};
use tests::load_text;

const X: [f64; 6] = [-1.0, -0.4, 0.1, 0.5, 1.2, 2.0];
const Y: [f64; 6] = [-1.3, -0.2, 0.4, 1.1, 1.6, 3.1];

fn program() -> String {
    let fmt = |v: &[f64]| v.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ");
    format!(
        "transformed data {{ vector[6] x = [{}]'; vector[6] y = [{}]'; }}\n\
         parameters {{ vector[2] beta; }}\n\
         model {{\n  target += normal_lpdf(beta | 0, 1);\n  target += normal_lpdf(y | beta[1] + beta[2] * x, 1);\n}}\n",
        fmt(&X),
        fmt(&Y)
    )
}

/// Exact posterior mean, covariance (2×2, row-major) and log evidence.
fn exact() -> ([f64; 2], [f64; 4], f64) {
    // Precision = I + XᵀX with design rows (1, x).
    let n = X.len() as f64;
    let sx: f64 = X.iter().sum();
    let sxx: f64 = X.iter().map(|x| x * x).sum();
    let sy: f64 = Y.iter().sum();
    let sxy: f64 = X.iter().zip(&Y).map(|(x, y)| x * y).sum();
    let (a, b, d) = (1.0 + n, sx, 1.0 + sxx);
    let det = a * d - b * b;
    let cov = [d / det, -b / det, -b / det, a / det];
    let mean = [cov[0] * sy + cov[1] * sxy, cov[2] * sy + cov[3] * sxy];
    // log N(y | 0, I + X Xᵀ) = −½ (yᵀ y − mᵀ P m) − ½ log det(I + XᵀX) − (n/2) log 2π,
    // by the matrix determinant lemma and Woodbury's identity.
    let yy: f64 = Y.iter().map(|y| y * y).sum();
    let mpm = mean[0] * sy + mean[1] * sxy;
    let log_z = -0.5 * (yy - mpm) - 0.5 * det.ln() - 0.5 * n * (2.0 * std::f64::consts::PI).ln();
    (mean, cov, log_z)
}

fn fit(algorithm: Algorithm, seed: u64) -> (Vec<f64>, Vec<f64>, f64) {
    let model = load_text(&program()).expect("compiles");
    let config = AdviConfig {
        algorithm,
        iter: 20000,
        grad_samples: 20,
        elbo_samples: 2000,
        tol_rel_obj: 1e-5,
        output_samples: 20000,
        seed,
        ..AdviConfig::default()
    };
    let mut log = Vec::new();
    let result = advi::run_advi(&model, &[0.0, 0.0], &config, &mut log).expect("fits");
    let draws = &result.draws[1..];
    let n = draws.len() as f64;
    let mean: Vec<f64> = (0..2).map(|j| draws.iter().map(|d| d[j]).sum::<f64>() / n).collect();
    let mut cov = vec![0.0; 4];
    for d in draws {
        for i in 0..2 {
            for j in 0..2 {
                cov[i * 2 + j] += (d[i] - mean[i]) * (d[j] - mean[j]) / (n - 1.0);
            }
        }
    }
    assert_eq!(model.n_unconstrained(), 2);
    (mean, cov, result.elbo)
}

#[test]
fn fullrank_recovers_the_exact_posterior_and_log_evidence() {
    let (mean, cov, log_z) = exact();
    let (m, c, elbo) = fit(Algorithm::FullRank, 1);
    for i in 0..2 {
        let sd = cov[i * 3].sqrt();
        assert!((m[i] - mean[i]).abs() < 0.05 * sd, "mean[{i}] = {} vs exact {}", m[i], mean[i]);
    }
    for k in 0..4 {
        assert!((c[k] - cov[k]).abs() < 0.1 * cov[0].max(cov[3]), "cov[{k}] = {} vs exact {}", c[k], cov[k]);
    }
    // At the optimum KL(q‖p) = 0, so the ELBO estimates log Z; 2000 draws of a log density
    // whose spread is ~1 give a Monte Carlo error of a few hundredths.
    assert!((elbo - log_z).abs() < 0.1, "ELBO {elbo} vs log evidence {log_z}");
}

#[test]
fn meanfield_recovers_the_exact_posterior_mean() {
    let (mean, cov, log_z) = exact();
    let (m, _, elbo) = fit(Algorithm::MeanField, 2);
    for i in 0..2 {
        let sd = cov[i * 3].sqrt();
        assert!((m[i] - mean[i]).abs() < 0.1 * sd, "mean[{i}] = {} vs exact {}", m[i], mean[i]);
    }
    // Mean-field cannot represent the correlation: its ELBO stays below the evidence.
    assert!(elbo < log_z + 0.05, "ELBO {elbo} above log evidence {log_z}");
}
