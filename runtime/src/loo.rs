//! Pareto-smoothed importance-sampling leave-one-out cross-validation (PSIS-LOO; Vehtari,
//! Gelman and Gabry 2017) from a variational fit, as R's `loo` and ArviZ compute it from MCMC
//! draws.
//!
//! A model opts in by writing the pointwise log likelihood `log_lik[n] = log p(yₙ | θ)` in
//! generated quantities. The draws of a variational fit are draws from q, carrying importance
//! weights toward the posterior (uniform after vppl's importance resampling; the smoothed
//! `p/q` weights otherwise: [`crate::app::Verdict::psis`]). Leaving observation n out multiplies
//! each draw's weight by `1 / p(yₙ | θ)`; those ratios are Pareto smoothed per observation, and
//! `elpd_loo,n = log Σᵢ w̃ᵢ p(yₙ | θᵢ)` with the smoothed weights normalised (Magnusson, Andersen,
//! Jonasson and Vehtari 2019 combine q's weights and the leave-one-out ratios in this way).
//! Each observation's k̂ says whether its term can be trusted (above 0.7 it cannot).

use crate::model::OutputName;
use crate::psis::{self, log_sum_exp};

/// PSIS-LOO of one fit.
#[derive(Clone, Debug, PartialEq)]
pub struct Loo {
    /// Expected log pointwise predictive density, Σₙ elpd_loo,n.
    pub elpd: f64,
    /// Its standard error, √(N · var(elpd_loo,n)).
    pub se: f64,
    /// The effective number of parameters: lpd − elpd_loo, with lpd the in-sample log pointwise
    /// predictive density.
    pub p_loo: f64,
    /// elpd_loo,n per observation, for paired differences between models.
    pub pointwise: Vec<f64>,
    /// Pareto k̂ per observation.
    pub khats: Vec<f64>,
}

impl Loo {
    /// Observations whose k̂ is above 0.7: their terms are not reliable.
    pub fn bad_khats(&self) -> usize {
        self.khats.iter().filter(|k| **k > 0.7).count()
    }
}

/// The columns of `log_lik` among the outputs, in order, if the model writes it.
pub fn log_lik_columns(names: &[OutputName]) -> Vec<usize> {
    names.iter().enumerate().filter(|(_, n)| n.name == "log_lik" && n.part.is_none()).map(|(i, _)| i).collect()
}

/// PSIS-LOO from `draws` (one row per draw, every output column), their log importance weights
/// toward the posterior (`log_weights`, one per draw; normalisation does not matter), and the
/// columns holding `log_lik`. `None` without such columns.
pub fn psis_loo(draws: &[Vec<f64>], log_weights: &[f64], columns: &[usize]) -> Option<Loo> {
    if columns.is_empty() || draws.is_empty() {
        return None;
    }
    let base = normalised(log_weights);
    let mut pointwise = Vec::with_capacity(columns.len());
    let mut khats = Vec::with_capacity(columns.len());
    let mut lpd = 0.0;
    for &c in columns {
        let log_lik: Vec<f64> = draws.iter().map(|row| row[c]).collect();
        // In sample: log Σᵢ bᵢ p(yₙ | θᵢ).
        lpd += log_sum_exp(&base.iter().zip(&log_lik).map(|(b, l)| b + l).collect::<Vec<_>>());
        // Leaving yₙ out: ratios bᵢ / p(yₙ | θᵢ), smoothed.
        let ratios: Vec<f64> = base.iter().zip(&log_lik).map(|(b, l)| b - l).collect();
        let smoothed = psis::psis(&ratios);
        pointwise.push(log_sum_exp(&smoothed.log_weights.iter().zip(&log_lik).map(|(w, l)| w + l).collect::<Vec<_>>()));
        khats.push(smoothed.khat);
    }
    let elpd: f64 = pointwise.iter().sum();
    Some(Loo { elpd, se: paired_se(&pointwise), p_loo: lpd - elpd, pointwise, khats })
}

/// √(N · var(xₙ)) with the N − 1 denominator, as loo's standard errors of a sum.
pub fn paired_se(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    if x.len() < 2 {
        return f64::NAN;
    }
    let mean = x.iter().sum::<f64>() / n;
    (n * x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

fn normalised(log_weights: &[f64]) -> Vec<f64> {
    let total = log_sum_exp(log_weights);
    log_weights.iter().map(|w| w - total).collect()
}
