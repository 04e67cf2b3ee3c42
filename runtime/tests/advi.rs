//! ADVI on hand-written models with known posteriors. Every run is seeded.

mod common;

use common::{AlwaysFails, CorrelatedGaussian, IndependentGaussian, TruncatedNormalWithDomainErrors, WrongGradient};
use runtime::EvalErrorKind;
use runtime::advi::{
    AdviConfig, AdviError, AdviResult, Algorithm, InitConfig, Scale, constrained_draws, random_inits, run_advi,
};

fn run(model: &dyn runtime::Model, init: &[f64], config: &AdviConfig) -> (AdviResult, String) {
    let mut log = Vec::new();
    let fit = run_advi(model, init, config, &mut log).unwrap_or_else(|err| panic!("ADVI failed: {err}"));
    (fit, String::from_utf8(log).unwrap())
}

fn run_err(model: &dyn runtime::Model, init: &[f64], config: &AdviConfig) -> (AdviError, String) {
    let mut log = Vec::new();
    let Err(err) = run_advi(model, init, config, &mut log) else { panic!("ADVI should fail") };
    (err, String::from_utf8(log).unwrap())
}

/// Mean and covariance (row-major) of the unconstrained draws, the mean row left out.
fn draw_moments(fit: &AdviResult) -> (Vec<f64>, Vec<f64>) {
    let draws = &fit.draws[1..];
    let n = draws[0].len();
    let count = draws.len() as f64;
    let mean: Vec<f64> = (0..n).map(|i| draws.iter().map(|d| d[i]).sum::<f64>() / count).collect();
    let mut cov = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            cov[i * n + j] = draws.iter().map(|d| (d[i] - mean[i]) * (d[j] - mean[j])).sum::<f64>() / (count - 1.0);
        }
    }
    (mean, cov)
}

#[test]
fn fullrank_recovers_mean_and_covariance_of_a_correlated_gaussian() {
    // sd 1 and 2, correlation 0.8.
    let cov = [1.0, 1.6, 1.6, 4.0];
    let model = CorrelatedGaussian::new([1.0, -2.0], cov);
    let config = AdviConfig {
        algorithm: Algorithm::FullRank,
        iter: 20000,
        grad_samples: 10,
        elbo_samples: 1000,
        tol_rel_obj: 1e-9,
        output_samples: 20000,
        seed: 11,
        // Adaptation may pick eta = 100 (when 50 steps at 100 happen to beat 50 steps at 10),
        // and the ascent then ends noisy; a fixed eta tests the gradient, not that heuristic.
        adapt_engaged: false,
        eta: 1.0,
        ..AdviConfig::default()
    };
    let (fit, _) = run(&model, &[0.0, 0.0], &config);
    let q_cov = fit.approximation.covariance();
    let (draw_mean, draw_cov) = draw_moments(&fit);
    assert!(matches!(fit.approximation.scale, Scale::FullRank { .. }));
    for i in 0..2 {
        assert!((fit.approximation.mu[i] - model.mean[i]).abs() < 0.1, "mu = {:?}", fit.approximation.mu);
    }
    for i in 0..2 {
        assert!((draw_mean[i] - model.mean[i]).abs() < 0.1, "mean of the draws = {draw_mean:?}");
    }
    for k in 0..4 {
        assert!((q_cov[k] - cov[k]).abs() < 0.15 * cov[k].abs(), "covariance of q = {q_cov:?}");
        assert!((draw_cov[k] - cov[k]).abs() < 0.2 * cov[k].abs(), "covariance of the draws = {draw_cov:?}");
    }
    // The target is a normalised density and q can match it exactly, so the ELBO is the log
    // evidence, 0, up to Monte Carlo error (sd about sqrt(d / 2 / 1000) = 0.03).
    assert!(fit.elbo.abs() < 0.2, "elbo = {}", fit.elbo);
}

#[test]
fn meanfield_recovers_the_means_and_scales_of_independent_gaussians() {
    let model = IndependentGaussian::new(&[3.0, -1.0, 0.5, 10.0], &[0.5, 1.0, 2.0, 3.0]);
    let config = AdviConfig {
        iter: 20000,
        grad_samples: 10,
        elbo_samples: 1000,
        tol_rel_obj: 1e-9,
        seed: 5,
        adapt_engaged: false,
        eta: 1.0,
        ..AdviConfig::default()
    };
    let (fit, _) = run(&model, &[0.0; 4], &config);
    let sigma = fit.approximation.sigma();
    for i in 0..4 {
        assert!(
            (fit.approximation.mu[i] - model.mu[i]).abs() < 0.15 * model.sigma[i],
            "mu = {:?}",
            fit.approximation.mu
        );
        assert!((sigma[i] / model.sigma[i] - 1.0).abs() < 0.1, "sigma = {sigma:?}");
    }
    assert!(fit.elbo.abs() < 0.2, "elbo = {}", fit.elbo);
}

#[test]
fn meanfield_with_cmdstan_defaults_converges_and_recovers_the_means() {
    // An offset keeps the ELBO away from 0, so relative changes are meaningful and the default
    // tolerance stops the run.
    let mut model = IndependentGaussian::new(&[3.0, -1.0], &[0.5, 2.0]);
    model.offset = -50.0;
    let config = AdviConfig { seed: 3, ..AdviConfig::default() };
    let (fit, log) = run(&model, &[0.0, 0.0], &config);
    assert!(fit.converged, "{log}");
    assert!(fit.iterations < config.iter);
    assert_eq!(fit.draws.len(), 1001);
    for i in 0..2 {
        assert!(
            (fit.approximation.mu[i] - model.mu[i]).abs() < 0.3 * model.sigma[i],
            "mu = {:?}",
            fit.approximation.mu
        );
    }
    assert!((fit.elbo + 50.0).abs() < 1.0, "elbo = {}", fit.elbo);
}

#[test]
fn same_seed_gives_bit_identical_results_and_different_seeds_differ() {
    let model = CorrelatedGaussian::new([1.0, -2.0], [1.0, 0.5, 0.5, 2.0]);
    let config = AdviConfig {
        algorithm: Algorithm::FullRank,
        iter: 2000,
        output_samples: 50,
        seed: 42,
        ..AdviConfig::default()
    };
    let strip_times = |mut fit: AdviResult| {
        for point in &mut fit.elbo_trace {
            point.time_in_seconds = 0.0;
        }
        fit
    };
    let (first, first_log) = run(&model, &[0.5, 0.5], &config);
    let (second, second_log) = run(&model, &[0.5, 0.5], &config);
    let (first, second) = (strip_times(first), strip_times(second));
    assert_eq!(first, second);
    assert_eq!(first_log, second_log);
    let bits = |fit: &AdviResult| fit.draws.iter().flatten().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&first), bits(&second));

    let (other, _) = run(&model, &[0.5, 0.5], &AdviConfig { seed: 43, ..config });
    assert_ne!(bits(&first), bits(&other));
}

#[test]
fn log_matches_cmdstan_layout() {
    let mut model = IndependentGaussian::new(&[1.0, 2.0], &[1.0, 1.0]);
    model.offset = -10.0;
    let config = AdviConfig { output_samples: 10, seed: 1, ..AdviConfig::default() };
    let (_, log) = run(&model, &[0.0, 0.0], &config);
    insta::assert_snapshot!(log, @r#"
Begin eta adaptation.
Iteration:   1 / 250 [  0%]  (Adaptation)
Iteration:  50 / 250 [ 20%]  (Adaptation)
Iteration: 100 / 250 [ 40%]  (Adaptation)
Iteration: 150 / 250 [ 60%]  (Adaptation)
Iteration: 200 / 250 [ 80%]  (Adaptation)
Success! Found best value [eta = 1] earlier than expected.

Begin stochastic gradient ascent.
  iter             ELBO   delta_ELBO_mean   delta_ELBO_med   notes 
   100          -10.247             1.000            1.000
   200          -10.118             0.506            1.000
   300          -10.063             0.339            0.013
   400          -10.141             0.256            0.013
   500          -10.086             0.206            0.008   MEDIAN ELBO CONVERGED

Drawing a sample of size 10 from the approximate posterior... 
COMPLETED.
"#);
}

#[test]
fn domain_errors_in_some_draws_are_dropped() {
    let model = TruncatedNormalWithDomainErrors::new();
    let config = AdviConfig { output_samples: 1000, seed: 9, ..AdviConfig::default() };
    let (fit, log) = run(&model, &[1.0], &config);
    // Draws of q below zero get log_p__ = -inf; the fit itself is close to N(2, 1).
    assert!((fit.approximation.mu[0] - 2.0).abs() < 0.3, "{log}\nmu = {:?}", fit.approximation.mu);
    assert!(fit.log_p[1..].contains(&f64::NEG_INFINITY));
    assert!(fit.log_p[1..].iter().any(|lp| lp.is_finite()));

    // Generated quantities use their own RNG stream: the same seed gives the same values.
    let mut log = Vec::new();
    let rows = constrained_draws(&model, &fit, 9, &mut log).unwrap();
    let again = constrained_draws(&model, &fit, 9, &mut log).unwrap();
    assert_eq!(rows.len(), 1001);
    assert_eq!(rows[0][0], fit.approximation.mu[0]);
    assert_eq!(rows, again);
}

#[test]
fn a_model_that_always_fails_reports_stans_messages() {
    let model = AlwaysFails::new(EvalErrorKind::Domain, 2);
    let (err, log) = run_err(&model, &[0.0, 0.0], &AdviConfig::default());
    insta::assert_snapshot!(format!("{log}---\n{err}"), @r#"
Begin eta adaptation.
---
stan::variational::advi::adapt_eta: Cannot compute ELBO using the initial variational distribution. Your model may be either severely ill-conditioned or misspecified.
"#);

    let no_adapt = AdviConfig { adapt_engaged: false, ..AdviConfig::default() };
    let (err, log) = run_err(&model, &[0.0, 0.0], &no_adapt);
    insta::assert_snapshot!(format!("{log}---\n{err}"), @r#"
Begin stochastic gradient ascent.
  iter             ELBO   delta_ELBO_mean   delta_ELBO_med   notes 
---
stan::variational::normal_meanfield::calc_grad: The number of dropped evaluations has reached its maximum amount (10). Your model may be either severely ill-conditioned or misspecified.
"#);
}

#[test]
fn eta_adaptation_fails_when_no_step_size_improves_the_elbo() {
    // Many ELBO draws: with the default 100, the estimate of the initial ELBO (about -5000)
    // varies by ±700, enough for a worse q to look better by chance.
    let config = AdviConfig { elbo_samples: 10000, seed: 1, ..AdviConfig::default() };
    let (err, log) = run_err(&WrongGradient::new(), &[0.0], &config);
    insta::assert_snapshot!(format!("{log}---\n{err}"), @r#"
Begin eta adaptation.
Iteration:   1 / 250 [  0%]  (Adaptation)
Iteration:  50 / 250 [ 20%]  (Adaptation)
Iteration: 100 / 250 [ 40%]  (Adaptation)
Iteration: 150 / 250 [ 60%]  (Adaptation)
Iteration: 200 / 250 [ 80%]  (Adaptation)
Iteration: 250 / 250 [100%]  (Adaptation)
---
stan::variational::advi::adapt_eta: All proposed step-sizes failed. Your model may be either severely ill-conditioned or misspecified.
"#);
}

#[test]
fn index_and_fatal_errors_stop_the_run() {
    for kind in [EvalErrorKind::Index, EvalErrorKind::Fatal] {
        let model = AlwaysFails::new(kind, 1);
        let (err, _) = run_err(&model, &[0.0], &AdviConfig::default());
        match err {
            AdviError::Model(eval) => assert_eq!(eval.kind, kind),
            other => panic!("expected a model error, got {other:?}"),
        }
    }
}

#[test]
fn invalid_settings_are_refused_with_stans_message() {
    let model = IndependentGaussian::new(&[0.0], &[1.0]);
    let (err, _) = run_err(&model, &[0.0], &AdviConfig { tol_rel_obj: 0.0, ..AdviConfig::default() });
    insta::assert_snapshot!(err.to_string(), @"stan::variational::advi::stochastic_gradient_ascent: Relative objective function tolerance is 0, but must be positive!");
    let (err, _) = run_err(&model, &[0.0, 1.0], &AdviConfig::default());
    insta::assert_snapshot!(err.to_string(), @"stan::variational::advi: the initial point has 2 values, but the model has 1 unconstrained parameters");
}

#[test]
fn random_inits_are_in_the_radius_and_retried() {
    let model = TruncatedNormalWithDomainErrors::new();
    let mut log = Vec::new();
    let config = InitConfig { radius: 2.0, seed: 4, print_timing: false };
    let init = random_inits(&model, &config, &mut log).unwrap();
    assert!(init[0] > 0.0 && init[0] < 2.0);
    let again = random_inits(&model, &config, &mut Vec::new()).unwrap();
    assert_eq!(init, again);

    let mut log = Vec::new();
    let err = random_inits(&AlwaysFails::new(EvalErrorKind::Domain, 1), &config, &mut log).unwrap_err();
    let log = String::from_utf8(log).unwrap();
    let tail: Vec<&str> = log.lines().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
    insta::assert_snapshot!(format!("{}\n---\n{err}", tail.join("\n")), @"
      Error evaluating the log probability at the initial value.
    normal_lpdf: Scale parameter is -1, but must be positive! (in 'bad.stan', line 3, column 2)
    (99 more initial values rejected for a reason shown above.)

    Initialization between (-2, 2) failed after 100 attempts. 
     Try specifying initial values, reducing ranges of constrained values, or reparameterizing the model.
    ---
    Initialization failed.
    ");
}
