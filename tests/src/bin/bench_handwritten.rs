//! The physical limit: hand-written Rust log density gradients for three models, timed the
//! same way as vppl's compiled gradient of the same model on the same data, at the same point.
//!
//! Run: `cargo run --release -p tests --bin bench_handwritten`

use std::time::Instant;

use runtime::Model;
use stdlib::special::{inv_logit, log1p_exp};
use tests::{load, point, root};

fn median_ns(mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    f();
    let once = t.elapsed().as_secs_f64().max(1e-8);
    let batch = ((0.01 / once) as usize).clamp(1, 1_000_000);
    let mut per_call: Vec<f64> = (0..21)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            t.elapsed().as_secs_f64() * 1e9 / batch as f64
        })
        .collect();
    per_call.sort_by(f64::total_cmp);
    per_call[per_call.len() / 2]
}

fn data(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("examples/peers").join(name).join("data.json")).expect("data");
    serde_json::from_str(&text).expect("json")
}

fn vector(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}

/// A JSON matrix (array of rows) in column-major order.
fn matrix(v: &serde_json::Value) -> (Vec<f64>, usize, usize) {
    let rows: Vec<Vec<f64>> = v.as_array().expect("rows").iter().map(vector).collect();
    let (n, k) = (rows.len(), rows[0].len());
    let mut out = vec![0.0; n * k];
    for (i, r) in rows.iter().enumerate() {
        for (j, x) in r.iter().enumerate() {
            out[j * n + i] = *x;
        }
    }
    (out, n, k)
}

/// Linear regression: alpha ~ N(0, 10), beta ~ N(0, 10), sigma ~ Exp(1), y ~ N(alpha + X beta, sigma).
fn linreg(x: &[f64], n: usize, k: usize, y: &[f64], theta: &[f64], grad: &mut [f64], mu: &mut [f64]) -> f64 {
    let alpha = theta[0];
    let beta = &theta[1..=k];
    let log_sigma = theta[k + 1];
    let sigma = log_sigma.exp();
    mu.fill(alpha);
    for (j, b) in beta.iter().enumerate() {
        for (m, xv) in mu.iter_mut().zip(&x[j * n..(j + 1) * n]) {
            *m += xv * b;
        }
    }
    let inv_s = 1.0 / sigma;
    let mut ss = 0.0;
    let mut sr = 0.0;
    for (m, yv) in mu.iter_mut().zip(y) {
        let r = (yv - *m) * inv_s;
        ss += r * r;
        sr += r;
        *m = r * inv_s; // d lp / d mu_i
    }
    let mut lp = -0.5 * (alpha / 10.0).powi(2) - sigma + log_sigma - 0.5 * ss - n as f64 * log_sigma;
    grad[0] = -alpha / 100.0 + sr * inv_s;
    for (j, b) in beta.iter().enumerate() {
        lp -= 0.5 * (b / 10.0).powi(2);
        let col = &x[j * n..(j + 1) * n];
        grad[1 + j] = -b / 100.0 + col.iter().zip(mu.iter()).map(|(a, c)| a * c).sum::<f64>();
    }
    grad[k + 1] = -sigma + 1.0 + ss - n as f64;
    lp
}

/// Logistic regression: alpha, beta ~ N(0, 5); y ~ bernoulli_logit(alpha + X beta).
fn logistic(x: &[f64], n: usize, k: usize, y: &[f64], theta: &[f64], grad: &mut [f64], eta: &mut [f64]) -> f64 {
    let alpha = theta[0];
    let beta = &theta[1..=k];
    eta.fill(alpha);
    for (j, b) in beta.iter().enumerate() {
        for (e, xv) in eta.iter_mut().zip(&x[j * n..(j + 1) * n]) {
            *e += xv * b;
        }
    }
    let mut lp = -0.5 * (alpha / 5.0).powi(2);
    let mut sr = 0.0;
    for (e, yv) in eta.iter_mut().zip(y) {
        lp += yv * *e - log1p_exp(*e);
        let r = yv - inv_logit(*e);
        sr += r;
        *e = r;
    }
    grad[0] = -alpha / 25.0 + sr;
    for (j, b) in beta.iter().enumerate() {
        lp -= 0.5 * (b / 5.0).powi(2);
        let col = &x[j * n..(j + 1) * n];
        grad[1 + j] = -b / 25.0 + col.iter().zip(eta.iter()).map(|(a, c)| a * c).sum::<f64>();
    }
    lp
}

/// Non-centred eight schools (peer model's parameter order: mu, tau, theta_tilde).
fn eight_schools(y: &[f64], sigma: &[f64], theta: &[f64], grad: &mut [f64]) -> f64 {
    let mu = theta[0];
    let log_tau = theta[1];
    let tau = log_tau.exp();
    let tt = &theta[2..];
    let mut lp = -0.5 * (mu / 5.0).powi(2) - (tau / 5.0).powi(2).ln_1p() + log_tau;
    grad[0] = -mu / 25.0;
    grad[1] = -2.0 * tau * tau / 25.0 / (1.0 + (tau / 5.0).powi(2)) + 1.0;
    for j in 0..y.len() {
        let r = (y[j] - (mu + tau * tt[j])) / sigma[j];
        lp += -0.5 * tt[j] * tt[j] - 0.5 * r * r;
        let d = r / sigma[j];
        grad[0] += d;
        grad[1] += d * tt[j] * tau;
        grad[2 + j] = -tt[j] + d * tau;
    }
    lp
}

fn compare(name: &str, hand: &mut dyn FnMut(&[f64], &mut [f64]) -> f64) {
    let (model, _) = load(&root().join("examples/peers").join(name).join("model.vppl")).expect("model compiles");
    let n = model.n_unconstrained();
    let x = point(n, 1, 1.0);
    let mut g_hand = vec![0.0; n];
    let mut g_vppl = vec![0.0; n];
    let lp_hand = hand(&x, &mut g_hand);
    let lp_vppl = model.log_density_gradient(&x, &mut g_vppl).expect("finite");
    let max_err = g_hand.iter().zip(&g_vppl).map(|(a, b)| (a - b).abs() / a.abs().max(1.0)).fold(0.0, f64::max);
    assert!(max_err < 1e-8, "{name}: hand-written and compiled gradients differ by {max_err}");
    assert!((lp_hand - lp_vppl).abs() < 1e-8 * lp_hand.abs().max(1.0), "{name}: {lp_hand} vs {lp_vppl}");
    let t_hand = median_ns(|| {
        std::hint::black_box(hand(std::hint::black_box(&x), &mut g_hand));
    });
    let t_vppl = median_ns(|| {
        let _ = std::hint::black_box(model.log_density_gradient(std::hint::black_box(&x), &mut g_vppl));
    });
    println!("| {name} | {:.3} | {:.3} | {:.2} |", t_hand / 1e3, t_vppl / 1e3, t_vppl / t_hand);
}

fn main() {
    println!("| model | hand-written µs | vppl µs | ratio |");
    println!("|---|---|---|---|");
    let d = data("linreg");
    let (x, n, k) = matrix(&d["X"]);
    let y = vector(&d["y"]);
    let mut buf = vec![0.0; n];
    compare("linreg", &mut |t, g| linreg(&x, n, k, &y, t, g, &mut buf));
    let d = data("logistic");
    let (x, n, k) = matrix(&d["X"]);
    let y = vector(&d["y"]);
    let mut buf = vec![0.0; n];
    compare("logistic", &mut |t, g| logistic(&x, n, k, &y, t, g, &mut buf));
    let d = data("eight_schools_nc");
    let y = vector(&d["y"]);
    let sigma = vector(&d["sigma"]);
    compare("eight_schools_nc", &mut |t, g| eight_schools(&y, &sigma, t, g));
}
