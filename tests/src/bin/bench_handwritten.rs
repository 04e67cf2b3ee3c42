//! The physical limit: hand-written Rust log density gradients, timed the same way as vppl's
//! compiled gradient of the same model on the same data, at the same point. Two tables: three
//! peer models (`peers`), and the vector-level functions of `bench/fused/` (`fused`: one model
//! per function, at N = 1,000 and 20,000, its data made in `transformed data` from N alone).
//!
//! Run: `cargo run --release -p tests --bin bench_handwritten [peers|fused]`

use std::time::Instant;

use runtime::Model;
use runtime::compiled::CompiledModel;
use stdlib::special::{inv_logit, log1p_exp};
use tests::{load, load_with, point, root};

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
    compare_model(name, &model, 1.0, hand);
}

/// Checks the hand-written gradient against the compiled one at a point uniform on (-r, r),
/// then times both.
fn compare_model(name: &str, model: &CompiledModel, r: f64, hand: &mut dyn FnMut(&[f64], &mut [f64]) -> f64) {
    let n = model.n_unconstrained();
    let x = point(n, 1, r);
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

/// `exp(x - m)` of each element into `e` and their sum, where m is the largest element: the
/// forward half of log_sum_exp, whose exponentials the gradient reuses.
fn exp_shifted(x: impl Iterator<Item = f64> + Clone, e: &mut [f64]) -> (f64, f64) {
    let m = x.clone().fold(f64::NEG_INFINITY, f64::max);
    let mut s = 0.0;
    for (ei, xi) in e.iter_mut().zip(x) {
        *ei = (xi - m).exp();
        s += *ei;
    }
    (m, s)
}

fn fused_models() {
    println!("| model | hand-written µs | vppl µs | ratio |");
    println!("|---|---|---|---|");
    for n in [1000usize, 20_000] {
        let data = runtime::data::parse_data_file(&format!("{{\"N\": {n}}}")).expect("data");
        let model = |name: &str| {
            load_with(&root().join("bench/fused").join(format!("{name}.stan")), &data).expect("compiles").0
        };
        // The transformed data of the programs, made the same way.
        let sin: Vec<f64> = (1..=n).map(|i| (i as f64).sin()).collect();
        let label = |name: &str| format!("{name} (N = {n})");

        compare_model(&label("dot_product"), &model("dot_product"), 2.0, &mut |t, g| {
            g.copy_from_slice(&sin);
            t.iter().zip(&sin).map(|(a, b)| a * b).sum()
        });
        compare_model(&label("sum"), &model("sum"), 2.0, &mut |t, g| {
            g.fill(1.0);
            t.iter().sum()
        });
        // log_sum_exp(x * 0.5)
        compare_model(&label("log_sum_exp"), &model("log_sum_exp"), 2.0, &mut |t, g| {
            let (m, s) = exp_shifted(t.iter().map(|v| v * 0.5), g);
            let scale = 0.5 / s;
            g.iter_mut().for_each(|e| *e *= scale);
            m + s.ln()
        });
        // y ~ categorical(softmax(x)): log softmax(x)[y_i] = x[y_i] - log_sum_exp(x).
        let y: Vec<usize> = (1..=n).map(|i| (i * 7919) % n).collect();
        compare_model(&label("softmax"), &model("softmax"), 2.0, &mut |t, g| {
            let (m, s) = exp_shifted(t.iter().copied(), g);
            let scale = -(n as f64) / s;
            g.iter_mut().for_each(|e| *e *= scale);
            let mut lp = -(n as f64) * (m + s.ln());
            for &k in &y {
                lp += t[k];
                g[k] += 1.0;
            }
            lp
        });
        // dot_product(w, log_softmax(x)) = w . x - sum(w) log_sum_exp(x)
        let w: Vec<f64> = (1..=n).map(|i| 1.0 + (i as f64).cos()).collect();
        let w_sum: f64 = w.iter().sum();
        compare_model(&label("log_softmax"), &model("log_softmax"), 2.0, &mut |t, g| {
            let (m, s) = exp_shifted(t.iter().copied(), g);
            let scale = -w_sum / s;
            let mut wx = 0.0;
            for ((e, wi), xi) in g.iter_mut().zip(&w).zip(t) {
                *e = wi + *e * scale;
                wx += wi * xi;
            }
            wx - w_sum * (m + s.ln())
        });
        // y ~ normal(mu, sigma), sigma = exp(theta[N]) (its log-Jacobian included)
        compare_model(&label("normal"), &model("normal"), 2.0, &mut |t, g| {
            let log_sigma = t[n];
            let inv_s = (-log_sigma).exp();
            let mut ss = 0.0;
            for ((gi, mi), yi) in g.iter_mut().zip(&t[..n]).zip(&sin) {
                let r = (yi - mi) * inv_s;
                ss += r * r;
                *gi = r * inv_s;
            }
            g[n] = ss - n as f64 + 1.0;
            -0.5 * ss - (n as f64 - 1.0) * log_sigma
        });
        // y ~ bernoulli_logit(x): y x - log(1 + exp(x)), one exp per element
        compare_model(&label("bernoulli_logit"), &model("bernoulli_logit"), 2.0, &mut |t, g| {
            let mut lp = 0.0;
            for (i, (gi, xi)) in g.iter_mut().zip(t).enumerate() {
                let y = if (i + 1) % 3 == 0 { 1.0 } else { 0.0 };
                let e = (-xi.abs()).exp();
                let p = if *xi >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
                lp += y * xi - (xi.max(0.0) + e.ln_1p());
                *gi = y - p;
            }
            lp
        });
        // y ~ poisson_log(x): y x - exp(x) (lgamma(y + 1) is a constant, dropped by ~)
        compare_model(&label("poisson_log"), &model("poisson_log"), 2.0, &mut |t, g| {
            let mut lp = 0.0;
            for (i, (gi, xi)) in g.iter_mut().zip(t).enumerate() {
                let y = ((i + 1) * 37 % 5) as f64;
                let e = xi.exp();
                lp += y * xi - e;
                *gi = y - e;
            }
            lp
        });
    }
}

fn peer_models() {
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

fn main() {
    let which = std::env::args().nth(1);
    if which.as_deref() != Some("fused") {
        peer_models();
    }
    if which.as_deref() != Some("peers") {
        fused_models();
    }
}
