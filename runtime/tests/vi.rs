//! vppl's default variational inference on hand-written targets with analytic gradients.

use rand_chacha::ChaCha8Rng;
use runtime::advi::Scale;
use runtime::model::{EvalError, EvalErrorKind, Model, OutputName};
use runtime::vi::{self, Family, ViConfig, ViResult};

const LOG_TWO_PI: f64 = 1.837_877_066_409_345_5;

fn names(n: usize) -> Vec<OutputName> {
    (1..=n).map(|i| OutputName { name: "x".into(), indices: vec![i], part: None }).collect()
}

/// N(mean, cov) with the normalising constant (so its log evidence is 0), in terms of its
/// precision matrix.
struct Gaussian {
    mean: Vec<f64>,
    cov: Vec<f64>,
    precision: Vec<f64>,
    log_norm: f64,
    names: Vec<OutputName>,
}

impl Gaussian {
    /// Covariance from marginal sds and a correlation matrix.
    fn new(mean: Vec<f64>, sd: &[f64], corr: &[f64]) -> Gaussian {
        let n = mean.len();
        let cov: Vec<f64> = (0..n * n).map(|ij| corr[ij] * sd[ij / n] * sd[ij % n]).collect();
        let (precision, log_det) = invert(n, &cov);
        let log_norm = -0.5 * n as f64 * LOG_TWO_PI - 0.5 * log_det;
        Gaussian { mean, cov, precision, log_norm, names: names(n) }
    }
}

/// Inverse and log determinant by Gauss–Jordan elimination with partial pivoting.
fn invert(n: usize, a: &[f64]) -> (Vec<f64>, f64) {
    let mut m = a.to_vec();
    let mut inv: Vec<f64> = (0..n * n).map(|ij| if ij % (n + 1) == 0 { 1.0 } else { 0.0 }).collect();
    let mut log_det = 0.0;
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| m[i * n + col].abs().total_cmp(&m[j * n + col].abs())).unwrap();
        for k in 0..n {
            m.swap(col * n + k, pivot * n + k);
            inv.swap(col * n + k, pivot * n + k);
        }
        let p = m[col * n + col];
        log_det += p.abs().ln();
        for k in 0..n {
            m[col * n + k] /= p;
            inv[col * n + k] /= p;
        }
        for i in 0..n {
            if i != col {
                let f = m[i * n + col];
                for k in 0..n {
                    m[i * n + k] -= f * m[col * n + k];
                    inv[i * n + k] -= f * inv[col * n + k];
                }
            }
        }
    }
    (inv, log_det)
}

impl Model for Gaussian {
    fn n_unconstrained(&self) -> usize {
        self.mean.len()
    }
    fn output_names(&self) -> &[OutputName] {
        &self.names
    }
    fn log_density(&self, theta: &[f64], propto: bool) -> Result<f64, EvalError> {
        let mut grad = vec![0.0; theta.len()];
        let lp = self.log_density_gradient(theta, &mut grad)?;
        Ok(if propto { lp } else { lp + self.log_norm })
    }
    fn log_density_gradient(&self, theta: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        let n = self.mean.len();
        let d: Vec<f64> = theta.iter().zip(&self.mean).map(|(t, m)| t - m).collect();
        let mut lp = 0.0;
        for i in 0..n {
            let row: f64 = (0..n).map(|j| self.precision[i * n + j] * d[j]).sum();
            grad[i] = -row;
            lp -= 0.5 * d[i] * row;
        }
        Ok(lp)
    }
    fn write_array(&self, theta: &[f64], _rng: &mut ChaCha8Rng, out: &mut [f64]) -> Result<(), EvalError> {
        out.copy_from_slice(theta);
        Ok(())
    }
}

/// Independent Student-t with `nu` degrees of freedom in each coordinate.
struct StudentT {
    nu: f64,
    names: Vec<OutputName>,
}

impl Model for StudentT {
    fn n_unconstrained(&self) -> usize {
        self.names.len()
    }
    fn output_names(&self) -> &[OutputName] {
        &self.names
    }
    fn log_density(&self, theta: &[f64], _propto: bool) -> Result<f64, EvalError> {
        let mut grad = vec![0.0; theta.len()];
        self.log_density_gradient(theta, &mut grad)
    }
    fn log_density_gradient(&self, theta: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        let nu = self.nu;
        let mut lp = 0.0;
        for (g, x) in grad.iter_mut().zip(theta) {
            lp -= 0.5 * (nu + 1.0) * (x * x / nu).ln_1p();
            *g = -(nu + 1.0) * x / (nu + x * x);
        }
        Ok(lp)
    }
    fn write_array(&self, theta: &[f64], _rng: &mut ChaCha8Rng, out: &mut [f64]) -> Result<(), EvalError> {
        out.copy_from_slice(theta);
        Ok(())
    }
}

/// A standard normal that raises a domain error wherever `fails` says so, to check that draws
/// off the support are dropped rather than fatal.
struct Holed {
    names: Vec<OutputName>,
    fails: fn(&[f64]) -> bool,
}

impl Holed {
    /// Fails wherever x[0] > 1.5, a region q's draws reach often.
    fn truncated(n: usize) -> Holed {
        Holed { names: names(n), fails: |theta| theta[0] > 1.5 }
    }

    /// Fails at about 70 % of all points, scattered finely everywhere, so that most draws of any
    /// q fail however small its steps: |sin u| < 0.9 on 2·asin(0.9)/π ≈ 71 % of a period.
    fn speckled(n: usize) -> Holed {
        Holed { names: names(n), fails: |theta| (1e6 * theta[0]).sin().abs() < 0.9 }
    }
}

impl Model for Holed {
    fn n_unconstrained(&self) -> usize {
        self.names.len()
    }
    fn output_names(&self) -> &[OutputName] {
        &self.names
    }
    fn log_density(&self, theta: &[f64], _propto: bool) -> Result<f64, EvalError> {
        let mut grad = vec![0.0; theta.len()];
        self.log_density_gradient(theta, &mut grad)
    }
    fn log_density_gradient(&self, theta: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        if (self.fails)(theta) {
            return Err(EvalError { kind: EvalErrorKind::Domain, message: "outside the support".into() });
        }
        for (g, x) in grad.iter_mut().zip(theta) {
            *g = -x;
        }
        Ok(-0.5 * theta.iter().map(|x| x * x).sum::<f64>())
    }
    fn write_array(&self, theta: &[f64], _rng: &mut ChaCha8Rng, out: &mut [f64]) -> Result<(), EvalError> {
        out.copy_from_slice(theta);
        Ok(())
    }
}

fn run(model: &dyn Model, family: Family, seed: u64) -> ViResult {
    let config = ViConfig { family, seed, threads: 1, ..ViConfig::default() };
    let mut log = Vec::new();
    let result = vi::fit(model, None, &config, &mut log);
    if std::env::var_os("VI_TEST_LOG").is_some() {
        eprintln!("{}", String::from_utf8_lossy(&log));
    }
    match result {
        Ok(r) => r,
        Err(e) => panic!("fit failed: {e}\n{}", String::from_utf8_lossy(&log)),
    }
}

/// Every mean within `tol` standard deviations of the target's.
fn assert_means(target: &Gaussian, fit: &ViResult, tol: f64) {
    let n = target.mean.len();
    for i in 0..n {
        let sd = target.cov[i * n + i].sqrt();
        let z = (fit.fit.approximation.mu[i] - target.mean[i]).abs() / sd;
        assert!(z < tol, "mean {i}: {} vs {} (z = {z})", fit.fit.approximation.mu[i], target.mean[i]);
    }
}

/// Every covariance entry within `tol` of the target's, relative to the product of sds.
fn assert_covariance(target: &Gaussian, fit: &ViResult, tol: f64) {
    let n = target.mean.len();
    let cov = fit.fit.approximation.covariance();
    for i in 0..n {
        for j in 0..n {
            let scale = (target.cov[i * n + i] * target.cov[j * n + j]).sqrt();
            let err = (cov[i * n + j] - target.cov[i * n + j]).abs() / scale;
            assert!(err < tol, "cov[{i},{j}]: {} vs {} (relative {err})", cov[i * n + j], target.cov[i * n + j]);
        }
    }
}

fn correlated_4d() -> Gaussian {
    let corr = [
        1.0, 0.6, -0.3, 0.1, //
        0.6, 1.0, 0.2, 0.0, //
        -0.3, 0.2, 1.0, 0.5, //
        0.1, 0.0, 0.5, 1.0,
    ];
    Gaussian::new(vec![3.0, -7.0, 0.5, 12.0], &[1.0, 2.0, 0.5, 4.0], &corr)
}

#[test]
fn full_rank_recovers_a_gaussian_exactly() {
    let target = correlated_4d();
    let fit = run(&target, Family::FullRank, 1);
    assert_means(&target, &fit, 0.02);
    assert_covariance(&target, &fit, 0.03);
    // q = p: the ELBO is the log evidence (0 here) and the importance ratios are constant.
    assert!(fit.diagnostics.elbo.abs() < 0.01, "ELBO {}", fit.diagnostics.elbo);
    assert!(fit.diagnostics.khat < 0.5, "k̂ {}", fit.diagnostics.khat);
    assert!(fit.diagnostics.converged);
    assert!(fit.diagnostics.verdict.starts_with("good"));
    assert_eq!(fit.fit.draws.len(), 1001);
    assert_eq!(fit.psis.log_weights.len(), 1000);
}

#[test]
fn mean_field_gets_the_means_of_a_correlated_gaussian() {
    let target = correlated_4d();
    let fit = run(&target, Family::MeanField, 2);
    assert_means(&target, &fit, 0.05);
    // The KL(q‖p) optimum of a mean-field Gaussian has variances 1 / precision_ii.
    let Scale::MeanField { omega } = &fit.fit.approximation.scale else { panic!("mean-field scale") };
    for (i, w) in omega.iter().enumerate() {
        let expected = (1.0 / target.precision[i * 4 + i]).sqrt();
        assert!((w.exp() / expected - 1.0).abs() < 0.05, "sd {i}: {} vs {expected}", w.exp());
    }
}

#[test]
fn low_rank_recovers_a_gaussian_of_that_rank() {
    // Covariance I·0.25 + v vᵀ: exactly diagonal plus rank one.
    let n = 6;
    let v = [1.0, -2.0, 0.5, 1.5, 0.0, 3.0];
    let cov: Vec<f64> =
        (0..n * n).map(|ij| v[ij / n] * v[ij % n] + if ij % (n + 1) == 0 { 0.25 } else { 0.0 }).collect();
    let sd: Vec<f64> = (0..n).map(|i| cov[i * n + i].sqrt()).collect();
    let corr: Vec<f64> = (0..n * n).map(|ij| cov[ij] / (sd[ij / n] * sd[ij % n])).collect();
    let target = Gaussian::new(vec![1.0, 2.0, 3.0, -1.0, -2.0, 10.0], &sd, &corr);
    let fit = run(&target, Family::LowRank { rank: 1 }, 3);
    assert_means(&target, &fit, 0.05);
    // Looser than full-rank: the low-rank refinement converges slowly near its optimum.
    assert_covariance(&target, &fit, 0.15);
}

#[test]
fn badly_scaled_gaussian() {
    // Scales from 1e-3 to 1e4, means far from the origin, some correlation.
    let sd = [1e-3, 1e4, 1.0, 30.0, 0.05];
    let mut corr = vec![0.0; 25];
    for i in 0..5 {
        corr[i * 5 + i] = 1.0;
    }
    for (i, j, r) in [(0, 1, 0.5), (1, 3, -0.7), (2, 4, 0.3)] {
        corr[i * 5 + j] = r;
        corr[j * 5 + i] = r;
    }
    let target = Gaussian::new(vec![0.02, 5e4, -3.0, 900.0, 0.1], &sd, &corr);
    let full = run(&target, Family::FullRank, 4);
    assert_means(&target, &full, 0.05);
    assert_covariance(&target, &full, 0.05);
    let mean_field = run(&target, Family::MeanField, 4);
    assert_means(&target, &mean_field, 0.1);
}

#[test]
fn strongly_correlated_gaussian() {
    let corr = [1.0, 0.999, 0.999, 1.0];
    let target = Gaussian::new(vec![-60.0, 0.02], &[20.0, 0.01], &corr);
    let full = run(&target, Family::FullRank, 5);
    assert_means(&target, &full, 0.05);
    assert_covariance(&target, &full, 0.05);
    let mean_field = run(&target, Family::MeanField, 5);
    assert_means(&target, &mean_field, 0.1);
}

#[test]
fn heavy_tails_are_flagged() {
    // A Gaussian cannot fit the tails of a Student-t with 2 degrees of freedom: the ratios p/q
    // have a tail that k̂ must see. Measured with 1000 output draws over seeds 6–9: in one
    // dimension k̂ is 1.1–2.5 on every seed; in 2 and 4 dimensions it scatters around 0.7
    // (0.56–1.27 and 0.46–0.86), since there the Gaussian's light tails rarely sample the
    // region where p/q is large.
    let target = StudentT { nu: 2.0, names: names(1) };
    for seed in [6, 7, 8, 9] {
        let fit = run(&target, Family::FullRank, seed);
        assert!(fit.diagnostics.khat > 0.7, "seed {seed}: k̂ {}", fit.diagnostics.khat);
        assert!(fit.diagnostics.verdict.starts_with("not reliable"));
    }
}

#[test]
fn same_seed_same_fit_for_any_thread_count() {
    let target = correlated_4d();
    let fits: Vec<ViResult> = [1, 2, 3]
        .iter()
        .map(|&threads| {
            let config = ViConfig { seed: 42, threads, ..ViConfig::default() };
            vi::fit(&target, None, &config, &mut std::io::sink()).expect("fit")
        })
        .collect();
    for other in &fits[1..] {
        // Everything but wall-clock time is bit-identical.
        assert_eq!(fits[0].fit.draws, other.fit.draws);
        assert_eq!(fits[0].fit.approximation, other.fit.approximation);
        assert_eq!(fits[0].fit.log_p, other.fit.log_p);
        assert_eq!(fits[0].diagnostics.khat.to_bits(), other.diagnostics.khat.to_bits());
        assert_eq!(fits[0].diagnostics.elbo.to_bits(), other.diagnostics.elbo.to_bits());
        assert_eq!(fits[0].diagnostics.gradient_evals, other.diagnostics.gradient_evals);
    }
    let config = ViConfig { seed: 43, threads: 2, ..ViConfig::default() };
    let different = vi::fit(&target, None, &config, &mut std::io::sink()).expect("fit");
    assert_ne!(fits[0].fit.draws, different.fit.draws);
}

#[test]
fn draws_off_the_support_are_dropped_not_fatal() {
    let target = Holed::truncated(3);
    for family in [Family::FullRank, Family::MeanField] {
        let fit = run(&target, family, 7);
        assert!(fit.diagnostics.dropped_draws > 0);
        assert!(fit.diagnostics.elbo.is_finite());
        assert!(fit.fit.approximation.mu[0] < 1.5);
    }
}

#[test]
fn mostly_failing_draws_end_the_fit_with_a_warning_not_an_error() {
    // Issue 3: no run aborts because draws were non-finite. The fit keeps the best q found and
    // says it did not converge.
    let target = Holed::speckled(2);
    let config = ViConfig { seed: 3, threads: 1, ..ViConfig::default() };
    let mut log = Vec::new();
    let fit = vi::fit(&target, None, &config, &mut log)
        .unwrap_or_else(|e| panic!("fit failed: {e}\n{}", String::from_utf8_lossy(&log)));
    let log = String::from_utf8_lossy(&log);
    assert!(!fit.diagnostics.converged);
    assert!(fit.diagnostics.stop_reason.contains("draws kept failing"), "{}", fit.diagnostics.stop_reason);
    assert!(log.contains("draws failed; back to the best q so far"), "{log}");
    assert!(fit.fit.approximation.mu.iter().all(|m| m.is_finite()));
}

#[test]
fn the_log_says_what_happened() {
    let target = correlated_4d();
    let config = ViConfig { seed: 8, threads: 1, ..ViConfig::default() };
    let mut log = Vec::new();
    vi::fit(&target, Some(&[0.0, 0.0, 0.0, 0.0]), &config, &mut log).expect("fit");
    let log = String::from_utf8(log).unwrap();
    for expected in ["Pathfinder", "Refin", "converged", "ELBO", "Pareto k̂", "good"] {
        assert!(log.contains(expected), "no {expected:?} in\n{log}");
    }
}

#[test]
fn bad_settings_are_rejected() {
    let target = correlated_4d();
    let config = ViConfig { draws_per_step: 0, ..ViConfig::default() };
    assert!(vi::fit(&target, None, &config, &mut std::io::sink()).is_err());
    let config = ViConfig { family: Family::LowRank { rank: 5 }, ..ViConfig::default() };
    assert!(vi::fit(&target, None, &config, &mut std::io::sink()).is_err());
    assert!(vi::fit(&target, Some(&[0.0]), &ViConfig::default(), &mut std::io::sink()).is_err());
}
