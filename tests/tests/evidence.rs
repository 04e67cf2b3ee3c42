//! The log evidence of a fit (`runtime::evidence`, reported by every run) against evidences known
//! exactly: conjugate models in closed form, and a hierarchical model by one-dimensional
//! quadrature. Every model goes through the whole compiler and the fit `vppl run` makes.

use runtime::advi::AdviConfig;
use runtime::app;
use runtime::compiled::CompiledModel;
use runtime::evidence::Evidence;
use runtime::output::RunMethod;
use runtime::vi::ViConfig;
use tests::evidence_cases::*;
use tests::load_text_data;

const LOG_TWO_PI: f64 = 1.837_877_066_409_345_5;

/// The evidence of vppl's default fit with `seed`.
fn evidence(model: &CompiledModel, seed: u64) -> Evidence {
    let s = settings(RunMethod::Vppl(ViConfig { seed, ..ViConfig::default() }));
    let estimate = app::estimate(model, &s, &mut std::io::sink()).expect("the fit runs");
    estimate.evidence.expect("every run estimates the evidence")
}

/// The estimate is within 0.05 of `exact`, or within 3 MCSE, and reliable, for several seeds.
fn assert_close(model: &CompiledModel, exact: f64, what: &str) {
    for seed in [1, 2, 3] {
        let e = evidence(model, seed);
        let error = (e.log_evidence - exact).abs();
        assert!(
            error < 0.05_f64.max(3.0 * e.mcse),
            "{what}, seed {seed}: log evidence {} ± {} against exact {exact} (k̂ {})",
            e.log_evidence,
            e.mcse,
            e.khat
        );
        assert!(e.reliable() && e.target_met, "{what}, seed {seed}: {}", e.verdict());
        assert!(e.mcse < 0.05 && e.mcse > 0.0, "{what}: MCSE {}", e.mcse);
    }
}

#[test]
fn conjugate_linear_regression() {
    let (model, exact) = regression(3);
    assert_close(&model, exact, "linear regression");
}

#[test]
fn log_bayes_factor_between_two_regressions() {
    let (small, exact_small) = regression(2);
    let (large, exact_large) = regression(3);
    for seed in [1, 2] {
        let (a, b) = (evidence(&small, seed), evidence(&large, seed));
        let estimate = a.log_evidence - b.log_evidence;
        let exact = exact_small - exact_large;
        assert!((estimate - exact).abs() < 0.1, "log Bayes factor {estimate} against exact {exact}");
    }
}

#[test]
fn poisson_gamma_with_few_observations() {
    let case = poisson_gamma();
    assert_close(&case.model, case.exact, "Poisson-gamma");
}

#[test]
fn beta_binomial_evidence() {
    let model = beta_binomial(30, 7, 2.0, 3.0);
    assert_close(&model, beta_binomial_exact(30.0, 7.0, 2.0, 3.0), "beta-binomial");
}

#[test]
fn log_bayes_factor_between_two_priors() {
    // The same data under a flat prior and under one concentrated near 1/2.
    let (flat, half) = (beta_binomial(30, 7, 1.0, 1.0), beta_binomial(30, 7, 20.0, 20.0));
    let exact = beta_binomial_exact(30.0, 7.0, 1.0, 1.0) - beta_binomial_exact(30.0, 7.0, 20.0, 20.0);
    for seed in [1, 2] {
        let estimate = evidence(&flat, seed).log_evidence - evidence(&half, seed).log_evidence;
        assert!((estimate - exact).abs() < 0.1, "log Bayes factor {estimate} against exact {exact}");
    }
}

#[test]
fn hierarchical_normal_against_quadrature() {
    let exact = schools_exact();
    // mpmath's adaptive quadrature gives −31.7293865866.
    assert!((exact - -31.729_386_586_6).abs() < 1e-8, "quadrature {exact}");
    assert_close(&schools("tau ~ normal(0, 5);"), exact, "eight schools");
}

#[test]
fn a_half_normal_prior_written_with_a_bound_has_half_the_mass() {
    // `T[0, ]` normalises the prior to the support: the evidence is log 2 higher.
    let truncated = schools("tau ~ normal(0, 5) T[0, ];");
    assert_close(&truncated, schools_exact() + std::f64::consts::LN_2, "eight schools, T[0, ]");
}

#[test]
fn stan_advi_fits_get_an_evidence_too() {
    let model = beta_binomial(30, 7, 2.0, 3.0);
    let s = settings(RunMethod::StanAdvi(AdviConfig { seed: 4, ..AdviConfig::default() }));
    let e = app::estimate(&model, &s, &mut std::io::sink()).expect("runs").evidence.expect("an evidence");
    let exact = beta_binomial_exact(30.0, 7.0, 2.0, 3.0);
    assert!((e.log_evidence - exact).abs() < 0.05, "{} ± {} against {exact}", e.log_evidence, e.mcse);
}

#[test]
fn draws_are_added_until_the_target_and_the_budget_is_kept() {
    // Eight schools: q is not the posterior, and 16000 draws give an MCSE near 0.01.
    let model = schools("tau ~ normal(0, 5);");
    let exact = schools_exact();
    let mut s = settings(RunMethod::Vppl(ViConfig { seed: 5, ..ViConfig::default() }));
    s.evidence_mcse = 0.004;
    let e = app::estimate(&model, &s, &mut std::io::sink()).expect("runs").evidence.expect("an evidence");
    assert!(e.target_met && e.mcse <= 0.004, "MCSE {}", e.mcse);
    assert!(e.draws > 16_000 && e.draws <= runtime::evidence::DEFAULT_MAX_DRAWS, "{} draws", e.draws);
    assert!((e.log_evidence - exact).abs() < 0.015, "{} against {exact}", e.log_evidence);
    // A budget below what the target needs: the budget is kept, and the verdict says so.
    s.evidence_mcse = 1e-4;
    s.evidence_draws = 20_000;
    let e = app::estimate(&model, &s, &mut std::io::sink()).expect("runs").evidence.expect("an evidence");
    assert_eq!(e.draws, 20_000);
    assert!(!e.target_met && e.verdict().contains("raise --evidence-draws"), "{}", e.verdict());
    // No budget: no estimate.
    s.evidence_draws = 0;
    assert!(app::estimate(&model, &s, &mut std::io::sink()).expect("runs").evidence.is_none());
}

#[test]
fn heavy_tails_beyond_the_proposal_are_reported_unreliable() {
    // Student-t with ν = 1/2: tails far heavier than the proposal's, so the ratios have an
    // infinite-variance tail and k̂ > 0.7.
    let model =
        load_text_data("parameters { vector[2] x; } model { x ~ student_t(0.5, 0, 1); }", "{}").expect("compiles");
    let s = settings(RunMethod::Vppl(ViConfig { seed: 1, ..ViConfig::default() }));
    let mut out = Vec::new();
    let e = app::estimate(&model, &s, &mut out).expect("runs").evidence.expect("an evidence");
    let out = String::from_utf8(out).unwrap();
    assert!(e.khat > 0.7 && !e.reliable(), "k̂ {}", e.khat);
    assert!(e.verdict().starts_with("NOT reliable"), "{}", e.verdict());
    assert!(out.contains("Warning: the log evidence is NOT reliable: k̂ = "), "{out}");
}

/// The exact leave-one-out predictive densities of y ~ normal(mu, sigma), mu ~ normal(0, tau):
/// without yₙ, mu's posterior is normal with precision 1/τ² + (N − 1)/σ², and yₙ's predictive
/// is normal with mu's posterior mean and variance σ² + 1/precision.
fn normal_mean_loo_exact(y: &[f64], sigma: f64, tau: f64) -> Vec<f64> {
    let total: f64 = y.iter().sum();
    y.iter()
        .map(|&yn| {
            let precision = 1.0 / (tau * tau) + (y.len() - 1) as f64 / (sigma * sigma);
            let mean = (total - yn) / (sigma * sigma) / precision;
            let var = sigma * sigma + 1.0 / precision;
            -0.5 * (LOG_TWO_PI + var.ln() + (yn - mean).powi(2) / var)
        })
        .collect()
}

#[test]
fn psis_loo_against_exact_leave_one_out() {
    let y: Vec<f64> = (0..25).map(|i| 1.0 + 1.3 * (i as f64 * 1.7).sin() + 0.4 * (i as f64 * 0.3).cos()).collect();
    let (sigma, tau) = (1.2, 3.0);
    let data = serde_json::json!({ "N": y.len(), "y": y, "sigma": sigma, "tau": tau });
    let model = load_text_data(
        "data { int N; vector[N] y; real<lower=0> sigma; real<lower=0> tau; }
         parameters { real mu; }
         model { mu ~ normal(0, tau); y ~ normal(mu, sigma); }
         generated quantities {
           vector[N] log_lik;
           for (n in 1:N) log_lik[n] = normal_lpdf(y[n] | mu, sigma);
         }",
        &data.to_string(),
    )
    .expect("compiles");
    let exact = normal_mean_loo_exact(&y, sigma, tau);
    let exact_elpd: f64 = exact.iter().sum();
    // 4000 draws: with 1000, the Monte Carlo error of elpd_loo is about 0.05.
    for seed in [1, 2, 3, 4] {
        let s = settings(RunMethod::Vppl(ViConfig { seed, output_samples: 4000, ..ViConfig::default() }));
        let estimate = app::estimate(&model, &s, &mut std::io::sink()).expect("runs");
        let columns = runtime::loo::log_lik_columns(runtime::Model::output_names(&model));
        assert_eq!(columns.len(), y.len());
        let loo = runtime::loo::psis_loo(&estimate.constrained[1..], &estimate.verdict.psis.log_weights, &columns)
            .expect("the model writes log_lik");
        assert!((loo.elpd - exact_elpd).abs() < 0.05, "elpd_loo {} against exact {exact_elpd}", loo.elpd);
        for (n, (a, b)) in loo.pointwise.iter().zip(&exact).enumerate() {
            assert!((a - b).abs() < 0.01, "observation {n}: {a} against {b}");
        }
        assert_eq!(loo.bad_khats(), 0, "{:?}", loo.khats);
        // p_loo = lpd − elpd_loo, with lpd from mu's posterior given all the data.
        let precision = 1.0 / (tau * tau) + y.len() as f64 / (sigma * sigma);
        let mean = y.iter().sum::<f64>() / (sigma * sigma) / precision;
        let var = sigma * sigma + 1.0 / precision;
        let lpd: f64 = y.iter().map(|yn| -0.5 * (LOG_TWO_PI + var.ln() + (yn - mean).powi(2) / var)).sum();
        assert!((loo.p_loo - (lpd - exact_elpd)).abs() < 0.03, "p_loo {} against {}", loo.p_loo, lpd - exact_elpd);
        // The standard error is loo's: √(N var(elpd_n)).
        let mean = exact_elpd / y.len() as f64;
        let se = (y.len() as f64 * exact.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (y.len() - 1) as f64).sqrt();
        assert!((loo.se - se).abs() < 0.05 * se, "se {} against {se}", loo.se);
    }
}

#[test]
fn psis_loo_from_weighted_draws() {
    // Stan's ADVI does not resample: its draws come from q with importance weights toward the
    // posterior, which LOO combines with the leave-one-out ratios. Mean-field on a correlated
    // regression leaves q visibly off the posterior.
    let (_, y) = regression_data(20, 3);
    let (x, _) = regression_data(20, 3);
    let data = serde_json::json!({ "N": 20, "K": 3, "X": x, "y": y, "sigma": 1.5, "tau": 2.0 });
    let text = format!(
        "{REGRESSION}
         generated quantities {{
           vector[N] log_lik;
           for (n in 1:N) log_lik[n] = normal_lpdf(y[n] | X[n] * beta, sigma);
         }}"
    );
    let model = load_text_data(&text, &data.to_string()).expect("compiles");
    let vppl = |seed| {
        let s = settings(RunMethod::Vppl(ViConfig { seed, output_samples: 4000, ..ViConfig::default() }));
        let e = app::estimate(&model, &s, &mut std::io::sink()).expect("runs");
        let columns = runtime::loo::log_lik_columns(runtime::Model::output_names(&model));
        runtime::loo::psis_loo(&e.constrained[1..], &e.verdict.psis.log_weights, &columns).expect("log_lik")
    };
    // The reference: vppl's full-rank fit, exact here (the posterior is Gaussian).
    let reference = vppl(1);
    let s = settings(RunMethod::StanAdvi(AdviConfig { seed: 2, output_samples: 4000, ..AdviConfig::default() }));
    let e = app::estimate(&model, &s, &mut std::io::sink()).expect("runs");
    assert!(e.verdict.khat > 0.0, "mean-field should not be exact here: k̂ {}", e.verdict.khat);
    let columns = runtime::loo::log_lik_columns(runtime::Model::output_names(&model));
    let weighted = runtime::loo::psis_loo(&e.constrained[1..], &e.verdict.psis.log_weights, &columns).expect("log_lik");
    let uniform = vec![0.0; e.constrained.len() - 1];
    let unweighted = runtime::loo::psis_loo(&e.constrained[1..], &uniform, &columns).expect("log_lik");
    assert!(
        (weighted.elpd - reference.elpd).abs() < 0.1,
        "weighted elpd_loo {} against {}",
        weighted.elpd,
        reference.elpd
    );
    // The weights matter: without them the estimate is further off.
    assert!(
        (unweighted.elpd - reference.elpd).abs() > (weighted.elpd - reference.elpd).abs(),
        "unweighted {} weighted {} reference {}",
        unweighted.elpd,
        weighted.elpd,
        reference.elpd
    );
}
