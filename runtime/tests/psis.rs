//! Pareto k̂ on importance ratios whose tails are known.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use runtime::psis::{gpd_fit, gpd_quantile, khat_verdict, pareto_khat, psis};

/// Draws from a generalised Pareto distribution (location 0) by inverting its CDF.
fn gpd_draws(k: f64, sigma: f64, count: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count).map(|_| gpd_quantile(rng.random::<f64>(), k, sigma)).collect()
}

#[test]
fn khat_recovers_the_shape_of_a_pareto_tail() {
    // Ratios drawn from a GPD have a GPD tail above any threshold, with the same shape. With
    // S = 20000 the tail has 425 draws and k̂ has a standard error of about (1 + k) / √425.
    for (k, seed) in [(0.2, 1), (0.5, 2), (0.7, 3), (0.9, 4), (1.2, 5)] {
        let ratios = gpd_draws(k, 1.0, 20_000, seed);
        let log_ratios: Vec<f64> = ratios.iter().map(|r| r.ln()).collect();
        let khat = pareto_khat(&log_ratios);
        assert!((khat - k).abs() < 0.15, "k = {k}: k̂ = {khat}");
    }
}

#[test]
fn khat_is_scale_free() {
    let ratios = gpd_draws(0.6, 1.0, 4000, 7);
    let log_ratios: Vec<f64> = ratios.iter().map(|r| r.ln()).collect();
    let shifted: Vec<f64> = log_ratios.iter().map(|r| r + 1234.5).collect();
    assert!((pareto_khat(&log_ratios) - pareto_khat(&shifted)).abs() < 1e-9);
}

#[test]
fn gpd_fit_of_exponential_draws_is_near_zero() {
    // The exponential distribution is the GPD with k = 0; the prior pulls k̂ towards 0.5 by
    // 10 / (n + 10), which is small for n = 5000.
    let draws = gpd_draws(0.0, 2.0, 5000, 11);
    let (k, sigma) = gpd_fit(&draws);
    assert!(k.abs() < 0.1, "k = {k}");
    assert!((sigma - 2.0).abs() < 0.2, "sigma = {sigma}");
}

#[test]
fn light_tailed_ratios_are_good() {
    // q close to p: log ratios with a small normal spread.
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let log_ratios: Vec<f64> = (0..1000).map(|_| 0.3 * rng.sample::<f64, _>(StandardNormal)).collect();
    let result = psis(&log_ratios);
    assert!(result.khat < 0.5, "k̂ = {}", result.khat);
    assert_eq!(result.tail_len, 95); // ⌈min(0.2 · 1000, 3 √1000)⌉
    assert!(khat_verdict(result.khat).starts_with("good"));
}

#[test]
fn weights_are_normalised_smoothed_and_keep_their_order() {
    let ratios = gpd_draws(0.8, 1.0, 2000, 5);
    let log_ratios: Vec<f64> = ratios.iter().map(|r| r.ln()).collect();
    let result = psis(&log_ratios);
    let total: f64 = result.weights().iter().sum();
    assert!((total - 1.0).abs() < 1e-12);
    // Smoothing replaces the tail by fitted quantiles, which keeps the ranks.
    let mut order: Vec<usize> = (0..log_ratios.len()).collect();
    order.sort_by(|&a, &b| log_ratios[a].total_cmp(&log_ratios[b]));
    for pair in order.windows(2) {
        assert!(result.log_weights[pair[0]] <= result.log_weights[pair[1]] + 1e-12);
    }
    // The largest weight is no larger than the largest raw weight (loo truncates there),
    // relative to a draw below the tail, which smoothing leaves alone.
    let (low, top) = (order[0], order[order.len() - 1]);
    assert!(result.log_weights[top] - result.log_weights[low] <= log_ratios[top] - log_ratios[low] + 1e-9);
    assert!(result.ess() > 1.0 && result.ess() < 2000.0);
    assert!(result.khat > 0.5, "k̂ = {}", result.khat);
}

#[test]
fn zero_ratios_get_zero_weight() {
    let mut log_ratios: Vec<f64> = gpd_draws(0.3, 1.0, 1000, 9).iter().map(|r| r.ln()).collect();
    log_ratios[3] = f64::NEG_INFINITY;
    log_ratios[10] = f64::NAN;
    let result = psis(&log_ratios);
    assert!(result.khat.is_finite());
    assert_eq!(result.log_weights[3], f64::NEG_INFINITY);
    assert_eq!(result.log_weights[10], f64::NEG_INFINITY);
    let total: f64 = result.weights().iter().sum();
    assert!((total - 1.0).abs() < 1e-12);
}

#[test]
fn too_few_draws_give_an_infinite_khat() {
    let result = psis(&[0.0, -1.0, -2.0]);
    assert_eq!(result.khat, f64::INFINITY);
    assert!(khat_verdict(result.khat).starts_with("not reliable"));
    let total: f64 = result.weights().iter().sum();
    assert!((total - 1.0).abs() < 1e-12);
}
