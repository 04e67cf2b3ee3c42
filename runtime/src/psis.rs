//! Pareto smoothed importance sampling (PSIS): the Pareto k̂ diagnostic of a set of importance
//! ratios and the smoothed weights that go with it.
//!
//! The reference is Vehtari, Simpson, Gelman, Yao and Gabry (2024), "Pareto smoothed importance
//! sampling" (JMLR 25), as implemented in the R package loo (`psis()`, `psis_smooth_tail()`,
//! `gpdfit()`): the largest M = ⌈min(0.2 S, 3 √S)⌉ ratios are fitted with a generalised Pareto
//! distribution by the Zhang and Stephens (2009) empirical-Bayes estimator, the shape estimate is
//! shrunk towards 0.5 by loo's weakly informative prior, and the tail is replaced by the fitted
//! quantiles. For variational inference (Yao, Vehtari, Simpson and Gelman 2018) the ratios are
//! `log p(θ) − log q(θ)` over draws θ from q: k̂ < 0.5 means q is good, 0.5–0.7 that estimates
//! are usable after importance weighting, above 0.7 that q is not reliable.

/// What PSIS found for one set of log importance ratios.
#[derive(Clone, Debug, PartialEq)]
pub struct Psis {
    /// The Pareto shape estimate k̂ of the upper tail of the ratios. `+∞` when it cannot be
    /// estimated (fewer than 5 draws in the tail, or fewer than 2 finite ratios); `−∞` when the
    /// tail ratios are all equal (up to 1e-9 relative), as when q is exactly the target.
    pub khat: f64,
    /// Smoothed log weights, normalised so that their exponentials sum to 1; `−∞` for draws with
    /// a ratio of zero (`log p = −∞`). Same order as the input.
    pub log_weights: Vec<f64>,
    /// Number of draws in the smoothed tail.
    pub tail_len: usize,
    /// The log of the sum of the smoothed ratios, on the scale of the input (before
    /// normalisation): `log_normaliser − ln S` estimates log E_q[p/q], a normalising constant
    /// such as the evidence ([`crate::evidence`]).
    pub log_normaliser: f64,
}

impl Psis {
    /// The normalised weights (they sum to 1).
    pub fn weights(&self) -> Vec<f64> {
        self.log_weights.iter().map(|w| w.exp()).collect()
    }

    /// Kish's effective sample size of the smoothed weights, `1 / Σ w²`.
    pub fn ess(&self) -> f64 {
        1.0 / self.log_weights.iter().map(|w| (2.0 * w).exp()).sum::<f64>()
    }
}

/// The plain-words verdict on k̂ for a variational approximation.
pub fn khat_verdict(khat: f64) -> &'static str {
    if khat < 0.5 {
        "good: the approximation is close to the posterior"
    } else if khat <= 0.7 {
        "usable with importance weighting: PSIS-reweighted estimates are reliable, plain ones less so"
    } else if khat.is_finite() {
        "not reliable: the approximation misses a part of the posterior; estimates may be far off"
    } else {
        "not reliable: the importance ratios cannot be assessed (too few finite draws)"
    }
}

/// PSIS on log importance ratios. NaN ratios are treated as `−∞` (zero weight).
pub fn psis(log_ratios: &[f64]) -> Psis {
    let s = log_ratios.len();
    let mut lw: Vec<f64> = log_ratios.iter().map(|&r| if r.is_nan() { f64::NEG_INFINITY } else { r }).collect();
    let max = lw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let n_finite = lw.iter().filter(|w| w.is_finite()).count();
    if n_finite < 2 || max == f64::INFINITY {
        // Nothing to fit: a single finite ratio (or an infinite one) takes all the weight.
        let best = lw.iter().position(|&w| w == max);
        let log_weights = (0..s).map(|i| if Some(i) == best { 0.0 } else { f64::NEG_INFINITY }).collect();
        return Psis { khat: f64::INFINITY, log_weights, tail_len: 0, log_normaliser: max };
    }
    // Work with ratios scaled so the largest is 1: exp() cannot overflow.
    for w in lw.iter_mut() {
        *w -= max;
    }
    let tail_len = ((0.2 * s as f64).min(3.0 * (s as f64).sqrt())).ceil() as usize;
    let mut khat = f64::INFINITY;
    // loo needs at least 5 tail draws and one below them (the cutoff), all finite.
    if tail_len >= 5 && tail_len < n_finite {
        let mut order: Vec<usize> = (0..s).collect();
        order.sort_by(|&a, &b| lw[a].total_cmp(&lw[b]));
        let tail_ids = &order[s - tail_len..];
        let log_cutoff = lw[order[s - tail_len - 1]];
        let cutoff = log_cutoff.exp();
        let tail: Vec<f64> = tail_ids.iter().map(|&i| lw[i].exp() - cutoff).collect();
        // Ratios equal up to rounding (q is the target up to a constant) have no tail at all:
        // the weights are uniform and k̂ is −∞. A GPD fit to rounding noise would say anything.
        if -log_cutoff < 1e-9 {
            let total = log_sum_exp(&lw);
            return Psis {
                khat: f64::NEG_INFINITY,
                log_weights: lw.iter().map(|w| w - total).collect(),
                tail_len,
                log_normaliser: max + total,
            };
        }
        let (k, sigma) = gpd_fit(&tail);
        khat = k;
        if k.is_finite() && sigma > 0.0 {
            // Replace the tail by the expected order statistics of the fitted Pareto, which
            // keeps their ranks; never above the largest raw ratio (loo truncates at it).
            for (rank, &i) in tail_ids.iter().enumerate() {
                let p = (rank as f64 + 0.5) / tail_len as f64;
                let smoothed = (gpd_quantile(p, k, sigma) + cutoff).ln();
                lw[i] = smoothed.min(0.0);
            }
        }
    }
    // Normalise.
    let total = log_sum_exp(&lw);
    for w in lw.iter_mut() {
        *w -= total;
    }
    Psis { khat, log_weights: lw, tail_len, log_normaliser: max + total }
}

/// Pareto k̂ alone.
pub fn pareto_khat(log_ratios: &[f64]) -> f64 {
    psis(log_ratios).khat
}

/// Zhang and Stephens (2009) estimate of a generalised Pareto distribution with location 0,
/// returning `(k, sigma)` with loo's sign convention (k > 0 a heavy tail) and loo's weakly
/// informative prior on k (`adjust_k_wip`: k shrunk towards 0.5 as if by 10 extra draws).
///
/// `x` must be non-negative; it need not be sorted.
pub fn gpd_fit(x: &[f64]) -> (f64, f64) {
    let n = x.len();
    let mut x: Vec<f64> = x.to_vec();
    x.sort_by(f64::total_cmp);
    const PRIOR: f64 = 3.0;
    const MIN_GRID_POINTS: usize = 30;
    let m = MIN_GRID_POINTS + (n as f64).sqrt().floor() as usize;
    // First quartile (loo: x[floor(N / 4 + 0.5)], 1-based).
    let quartile_index = ((n as f64 / 4.0 + 0.5).floor() as usize).max(1) - 1;
    let x_star = x[quartile_index];
    let x_max = x[n - 1];
    let theta: Vec<f64> =
        (1..=m).map(|j| 1.0 / x_max + (1.0 - (m as f64 / (j as f64 - 0.5)).sqrt()) / PRIOR / x_star).collect();
    // Profile log likelihood of each grid point.
    let l_theta: Vec<f64> = theta
        .iter()
        .map(|&t| {
            let a = -t;
            let k = x.iter().map(|&xi| (a * xi).ln_1p()).sum::<f64>() / n as f64;
            n as f64 * ((a / k).ln() - k - 1.0)
        })
        .collect();
    let total = log_sum_exp(&l_theta);
    let theta_hat: f64 = theta.iter().zip(&l_theta).map(|(t, l)| t * (l - total).exp()).sum();
    let mut k = x.iter().map(|&xi| (-theta_hat * xi).ln_1p()).sum::<f64>() / n as f64;
    let sigma = -k / theta_hat;
    // Weakly informative prior: as if 10 more draws had k = 0.5.
    const A: f64 = 10.0;
    k = k * n as f64 / (n as f64 + A) + A * 0.5 / (n as f64 + A);
    if k.is_nan() {
        k = f64::INFINITY;
    }
    (k, sigma)
}

/// Quantile function of the generalised Pareto distribution (location 0, scale `sigma`,
/// shape `k`).
pub fn gpd_quantile(p: f64, k: f64, sigma: f64) -> f64 {
    if k.abs() < 1e-12 { -sigma * (-p).ln_1p() } else { sigma * (-k * (-p).ln_1p()).exp_m1() / k }
}

/// `log Σ exp(values)` without overflow.
pub fn log_sum_exp(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + values.iter().map(|v| (v - max).exp()).sum::<f64>().ln()
}
