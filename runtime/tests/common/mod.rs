//! Hand-written models with analytic gradients, shared by the integration tests.

#![allow(dead_code)]

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use runtime::{EvalError, EvalErrorKind, Model, OutputName};

const LOG_TWO_PI: f64 = 1.837_877_066_409_345_5;

fn names(name: &str, n: usize) -> Vec<OutputName> {
    (1..=n).map(|i| OutputName { name: name.to_string(), indices: vec![i], part: None }).collect()
}

/// Independent normals N(mu_i, sigma_i²), normalised, plus a constant `offset` added to the log
/// density (0 keeps it a normalised density, so its log evidence is `offset`).
pub struct IndependentGaussian {
    pub mu: Vec<f64>,
    pub sigma: Vec<f64>,
    pub offset: f64,
    pub names: Vec<OutputName>,
}

impl IndependentGaussian {
    pub fn new(mu: &[f64], sigma: &[f64]) -> Self {
        IndependentGaussian { mu: mu.to_vec(), sigma: sigma.to_vec(), offset: 0.0, names: names("theta", mu.len()) }
    }
}

impl Model for IndependentGaussian {
    fn n_unconstrained(&self) -> usize {
        self.mu.len()
    }
    fn output_names(&self) -> &[OutputName] {
        &self.names
    }
    fn log_density(&self, theta: &[f64], _propto: bool) -> Result<f64, EvalError> {
        let mut lp = self.offset;
        for ((x, mu), sigma) in theta.iter().zip(&self.mu).zip(&self.sigma) {
            let z = (x - mu) / sigma;
            lp += -0.5 * z * z - sigma.ln() - 0.5 * LOG_TWO_PI;
        }
        Ok(lp)
    }
    fn log_density_gradient(&self, theta: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        for (i, x) in theta.iter().enumerate() {
            grad[i] = -(x - self.mu[i]) / (self.sigma[i] * self.sigma[i]);
        }
        self.log_density(theta, true)
    }
    fn write_array(&self, theta: &[f64], _rng: &mut ChaCha8Rng, out: &mut [f64]) -> Result<(), EvalError> {
        out.copy_from_slice(theta);
        Ok(())
    }
}

/// A normalised 2-d Gaussian with mean `mean` and covariance `cov` (row-major 2×2).
pub struct CorrelatedGaussian {
    pub mean: [f64; 2],
    pub cov: [f64; 4],
    precision: [f64; 4],
    log_det: f64,
    names: Vec<OutputName>,
}

impl CorrelatedGaussian {
    pub fn new(mean: [f64; 2], cov: [f64; 4]) -> Self {
        let det = cov[0] * cov[3] - cov[1] * cov[2];
        let precision = [cov[3] / det, -cov[1] / det, -cov[2] / det, cov[0] / det];
        CorrelatedGaussian { mean, cov, precision, log_det: det.ln(), names: names("theta", 2) }
    }
}

impl Model for CorrelatedGaussian {
    fn n_unconstrained(&self) -> usize {
        2
    }
    fn output_names(&self) -> &[OutputName] {
        &self.names
    }
    fn log_density(&self, theta: &[f64], _propto: bool) -> Result<f64, EvalError> {
        let d = [theta[0] - self.mean[0], theta[1] - self.mean[1]];
        let p = &self.precision;
        let quad = d[0] * (p[0] * d[0] + p[1] * d[1]) + d[1] * (p[2] * d[0] + p[3] * d[1]);
        Ok(-0.5 * quad - 0.5 * self.log_det - LOG_TWO_PI)
    }
    fn log_density_gradient(&self, theta: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        let d = [theta[0] - self.mean[0], theta[1] - self.mean[1]];
        let p = &self.precision;
        grad[0] = -(p[0] * d[0] + p[1] * d[1]);
        grad[1] = -(p[2] * d[0] + p[3] * d[1]);
        self.log_density(theta, true)
    }
    fn write_array(&self, theta: &[f64], _rng: &mut ChaCha8Rng, out: &mut [f64]) -> Result<(), EvalError> {
        out.copy_from_slice(theta);
        Ok(())
    }
}

/// N(2, 1) truncated to x > 0 on the *unconstrained* scale (no transform), so every draw of q
/// below zero (about 2% of them near the optimum) raises a domain error, as `normal_lpdf` with a
/// negative scale would. Its outputs are `x` and a generated quantity `y_rep ~ normal(x, 1)`
/// that uses the RNG.
pub struct TruncatedNormalWithDomainErrors {
    names: Vec<OutputName>,
}

impl TruncatedNormalWithDomainErrors {
    pub fn new() -> Self {
        TruncatedNormalWithDomainErrors {
            names: vec![
                OutputName { name: "x".to_string(), indices: vec![], part: None },
                OutputName { name: "y_rep".to_string(), indices: vec![], part: None },
            ],
        }
    }
}

fn domain_error(x: f64) -> EvalError {
    EvalError {
        kind: EvalErrorKind::Domain,
        message: format!(
            "normal_lpdf: Random variable is {x}, but must be positive! (in 'truncated.stan', line 4, column 2)"
        ),
    }
}

impl Model for TruncatedNormalWithDomainErrors {
    fn n_unconstrained(&self) -> usize {
        1
    }
    fn output_names(&self) -> &[OutputName] {
        &self.names
    }
    fn log_density(&self, theta: &[f64], _propto: bool) -> Result<f64, EvalError> {
        let x = theta[0];
        if x <= 0.0 {
            return Err(domain_error(x));
        }
        // log Phi(2) = log(0.97724986805182079).
        Ok(-0.5 * (x - 2.0) * (x - 2.0) - 0.5 * LOG_TWO_PI - 0.977_249_868_051_820_8_f64.ln())
    }
    fn log_density_gradient(&self, theta: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        grad[0] = -(theta[0] - 2.0);
        self.log_density(theta, true)
    }
    fn write_array(&self, theta: &[f64], rng: &mut ChaCha8Rng, out: &mut [f64]) -> Result<(), EvalError> {
        out[0] = theta[0];
        let z: f64 = rng.sample(rand_distr::StandardNormal);
        out[1] = theta[0] + z;
        Ok(())
    }
}

/// A model whose every evaluation fails with the given kind of error.
pub struct AlwaysFails {
    pub kind: EvalErrorKind,
    pub dim: usize,
    names: Vec<OutputName>,
}

impl AlwaysFails {
    pub fn new(kind: EvalErrorKind, dim: usize) -> Self {
        AlwaysFails { kind, dim, names: names("theta", dim) }
    }
    fn error(&self) -> EvalError {
        let message = match self.kind {
            EvalErrorKind::Domain => {
                "normal_lpdf: Scale parameter is -1, but must be positive! (in 'bad.stan', line 3, column 2)"
            }
            EvalErrorKind::Index => {
                "index 3 out of range; expecting index to be between 1 and 2 (in 'bad.stan', line 5, column 9)"
            }
            EvalErrorKind::Fatal => "fatal_error: the model gave up (in 'bad.stan', line 7, column 2)",
        };
        EvalError { kind: self.kind, message: message.to_string() }
    }
}

impl Model for AlwaysFails {
    fn n_unconstrained(&self) -> usize {
        self.dim
    }
    fn output_names(&self) -> &[OutputName] {
        &self.names
    }
    fn log_density(&self, _theta: &[f64], _propto: bool) -> Result<f64, EvalError> {
        Err(self.error())
    }
    fn log_density_gradient(&self, _theta: &[f64], _grad: &mut [f64]) -> Result<f64, EvalError> {
        Err(self.error())
    }
    fn write_array(&self, _theta: &[f64], _rng: &mut ChaCha8Rng, _out: &mut [f64]) -> Result<(), EvalError> {
        Err(self.error())
    }
}

/// N(0, 0.01²) whose gradient has the wrong sign, so every step of gradient ascent moves q away
/// from the target and eta adaptation finds no step size that helps. The narrow target makes
/// even the smallest eta's damage to the ELBO far larger than its Monte Carlo error.
pub struct WrongGradient {
    names: Vec<OutputName>,
}

impl WrongGradient {
    pub fn new() -> Self {
        WrongGradient { names: names("theta", 1) }
    }
}

impl Model for WrongGradient {
    fn n_unconstrained(&self) -> usize {
        1
    }
    fn output_names(&self) -> &[OutputName] {
        &self.names
    }
    fn log_density(&self, theta: &[f64], _propto: bool) -> Result<f64, EvalError> {
        let z = theta[0] / 0.01;
        Ok(-0.5 * z * z - 0.01_f64.ln() - 0.5 * LOG_TWO_PI)
    }
    fn log_density_gradient(&self, theta: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        grad[0] = theta[0] / (0.01 * 0.01);
        self.log_density(theta, true)
    }
    fn write_array(&self, theta: &[f64], _rng: &mut ChaCha8Rng, out: &mut [f64]) -> Result<(), EvalError> {
        out.copy_from_slice(theta);
        Ok(())
    }
}
