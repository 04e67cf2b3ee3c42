//! vppl's default variational inference: a Gaussian on the unconstrained space that gets the
//! posterior right where a Gaussian can, and says (with Pareto k̂) when it cannot.
//!
//! Stan's ADVI ([`crate::advi`]) starts q at uniform(−2, 2) with unit scale and moves it with a
//! step size that shrinks as k^(−1/2), so posteriors far from the origin, badly scaled or strongly
//! correlated are never reached, and its relative-ELBO stopping rule fires on noise. This module
//! removes each cause in turn:
//!
//! 1. **Pathfinder start** (Zhang, Carpenter, Gelman and Vehtari 2022). A quasi-Newton optimiser
//!    (BFGS with a strong Wolfe line search) climbs the unconstrained log density, Jacobian
//!    included. At every iterate its inverse-Hessian estimate H gives a Gaussian
//!    N(x + H ∇log p(x), H); the one with the best ELBO (estimated with the same draws for every
//!    candidate) is the start. Near-Gaussian posteriors end near the mode with H close to the
//!    posterior covariance; funnels, whose density is unbounded, stop at the best point of the
//!    path instead of at the optimiser's end. The inverse Hessian is kept dense (n² memory):
//!    the families fitted here are at most full-rank, which costs n² anyway.
//! 2. **Refinement in whitened coordinates.** The Gaussian found so far defines coordinates
//!    z with x = μ₀ + A z, in which the target has roughly zero mean and unit covariance, so one
//!    step size suits every coordinate however the posterior is scaled or correlated. q(z) =
//!    N(m, S) is improved by stochastic gradient ascent of the ELBO with `draws_per_step` draws
//!    per step and the sticking-the-landing (STL) gradient (Roeder, Wu and Duvenaud 2017), whose
//!    variance vanishes when q equals the target. Steps are taken in windows; at the end of a
//!    window the iterate average of that window is absorbed into (μ₀, A) (re-whitening), so the
//!    coordinates keep tracking q.
//! 3. **A stopping rule on the iterates.** After each window, how far the window's average moved
//!    is measured in units of q's standard deviations. The run stops when it moved less than
//!    `tolerance`; when consecutive moves do not point the same way (noise, not progress) the
//!    step size halves. Iterate averaging plus the halving is what removes the noise a fixed step
//!    leaves (cf. RAABBVI, Welandawe et al. 2022).
//! 4. **Diagnostics.** The output draws give the ELBO with every constant and its Monte Carlo
//!    standard error, and Pareto k̂ of log p − log q ([`crate::psis`]) with a verdict.
//!
//! Robustness: a draw whose density or gradient is non-finite or raises a domain error is
//! dropped; a step where most draws fail, or a window whose ELBO collapses, is undone and the step
//! size halved. Index and fatal model errors stop the run, as in [`crate::advi`].
//!
//! Reproducibility: every random draw comes from a ChaCha8 stream seeded from (seed, phase,
//! iteration, draw index), and per-draw results are combined in draw order on the calling thread,
//! so a seed gives a bit-identical run for any number of threads.

use std::io::{self, Write};
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::advi::{self, AdviError, AdviResult, Algorithm, Approximation, ElboPoint, InitConfig, Scale};
use crate::model::{EvalErrorKind, Model};
use crate::output::format_g;
use crate::progress::Phase;
use crate::psis::{self, Psis};
use crate::quasi_newton::{self, dot};

/// The variational family: a Gaussian on the unconstrained space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Independent normals.
    MeanField,
    /// A correlated normal with a dense Cholesky factor.
    FullRank,
    /// Covariance D² + B Bᵀ: a diagonal plus `rank` directions of correlation.
    LowRank { rank: usize },
}

impl Family {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Family::MeanField => "meanfield",
            Family::FullRank => "fullrank",
            Family::LowRank { .. } => "lowrank",
        }
    }

    fn describe(self) -> String {
        match self {
            Family::MeanField => "mean-field Gaussian".to_string(),
            Family::FullRank => "full-rank Gaussian".to_string(),
            Family::LowRank { rank } => format!("low-rank Gaussian (diagonal plus rank {rank})"),
        }
    }
}

/// Settings of [`fit`]. `Default` is the accurate method.
#[derive(Clone, Debug, PartialEq)]
pub struct ViConfig {
    pub family: Family,
    pub seed: u64,
    /// Cap on the refinement iterations (each evaluates `draws_per_step` gradients).
    pub max_iters: usize,
    /// Draws of the ELBO gradient per refinement step.
    pub draws_per_step: usize,
    /// The refinement stops when a window's average moved less than this many standard
    /// deviations of q (in any coordinate of the mean or the scale).
    pub tolerance: f64,
    /// Initial step size in whitened coordinates, where the ideal step is about 1.
    pub step_size: f64,
    /// Refinement iterations per window (averaging, re-whitening and the stopping test).
    pub window: usize,
    /// Cap on the quasi-Newton iterations of the Pathfinder phase.
    pub max_lbfgs_iters: usize,
    /// Draws per ELBO estimate of each Pathfinder candidate.
    pub pathfinder_draws: usize,
    /// Independent Pathfinder paths (the first from the initial point, the others from random
    /// initial values); the best Gaussian over all of them starts the refinement. Several paths
    /// keep a multimodal posterior from being fitted at a minor mode.
    pub pathfinder_paths: usize,
    /// Number of approximate posterior draws to output (after the mean row).
    pub output_samples: usize,
    /// Threads for the per-draw work; 0 means all available cores. Results do not depend on it.
    pub threads: usize,
    /// Random initial values are uniform on (−init_radius, init_radius) (Stan's `init`).
    pub init_radius: f64,
    /// Importance resampling of the output: draw `resample_factor × output_samples` proposals
    /// from q, and when Pareto k̂ says the weights are reliable (k̂ < 0.7) keep `output_samples`
    /// of them chosen by their Pareto-smoothed importance weights, so the output follows the
    /// posterior more closely than q does (as Pathfinder does). 0 or 1 turns it off.
    pub resample_factor: usize,
    /// Live progress bars on stderr ([`crate::progress`]); the caller turns them on when stderr
    /// is a terminal. Nothing else depends on it.
    pub progress: bool,
}

impl Default for ViConfig {
    fn default() -> Self {
        ViConfig {
            family: Family::FullRank,
            seed: 0,
            max_iters: 2000,
            draws_per_step: 16,
            tolerance: 0.02,
            step_size: 0.5,
            window: 20,
            max_lbfgs_iters: 1000,
            pathfinder_draws: 32,
            pathfinder_paths: 4,
            output_samples: 1000,
            threads: 0,
            init_radius: 2.0,
            resample_factor: 8,
            progress: false,
        }
    }
}

/// How much the fit can be trusted, and what it cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostics {
    /// Pareto k̂ of log p − log q over the output draws.
    pub khat: f64,
    /// k̂ in plain words ([`psis::khat_verdict`]).
    pub verdict: String,
    /// ELBO with every constant (comparable with Stan's and with a log evidence), estimated from
    /// the output draws.
    pub elbo: f64,
    /// Monte Carlo standard error of `elbo`.
    pub elbo_mcse: f64,
    /// Output draws whose log density was not finite (they get zero importance weight).
    pub dropped_draws: usize,
    /// Gradient evaluations of the whole run (initialisation excluded).
    pub gradient_evals: usize,
    /// Log density evaluations without gradient (ELBO estimates, output draws).
    pub density_evals: usize,
    /// Quasi-Newton iterations of the Pathfinder phase.
    pub lbfgs_iterations: usize,
    /// Refinement iterations.
    pub iterations: usize,
    /// Whether the refinement stopped because the iterates stopped moving.
    pub converged: bool,
    /// Why the refinement stopped, in words.
    pub stop_reason: String,
    pub seconds: f64,
    /// Threads the per-draw work ran on (what `threads: 0` resolved to).
    pub threads: usize,
}

/// Everything a finished fit produced.
#[derive(Clone, Debug, PartialEq)]
pub struct ViResult {
    /// In the form Stan's ADVI returns, so `advi::constrained_draws`, the CSV writer and
    /// `summary::summary_json` work unchanged. A low-rank q is stored as full-rank (the Cholesky
    /// factor of D² + BBᵀ); `fit.algorithm` is then `FullRank`.
    pub fit: AdviResult,
    pub family: Family,
    pub diagnostics: Diagnostics,
    /// PSIS of the output draws: k̂ and the smoothed weights (one per draw, the mean row
    /// excluded) for reweighted summaries.
    pub psis: Psis,
    /// Every proposal drawn for the output, before resampling: its `log_p` and the standard
    /// normal draw ε behind it. The evidence's importance sampling starts from them
    /// ([`crate::evidence`]).
    pub proposals: Vec<(f64, Vec<f64>)>,
}

/// Fits q to `model`, from `init` (unconstrained) or from a random initial value found as Stan
/// finds one. Writes a readable progress log to `log`.
pub fn fit(
    model: &dyn Model,
    init: Option<&[f64]>,
    config: &ViConfig,
    log: &mut dyn Write,
) -> Result<ViResult, AdviError> {
    check_config(model, init, config)?;
    let start = Instant::now();
    let n = model.n_unconstrained();
    let init = match init {
        Some(init) => {
            if !density(model, init, true)?.is_finite() {
                return Err(AdviError::Domain(
                    "The log density is not finite at the given initial values.".to_string(),
                ));
            }
            init.to_vec()
        }
        None => {
            let init_config = InitConfig { radius: config.init_radius, seed: config.seed, print_timing: false };
            advi::random_inits(model, &init_config, log)?
        }
    };
    let threads = if config.threads == 0 {
        std::thread::available_parallelism().map(|c| c.get()).unwrap_or(1)
    } else {
        config.threads
    };
    // Spawning threads costs tens of microseconds; below that much work per batch they only slow
    // a run down, so with `threads: 0` (automatic) a cheap model runs on one. Only the speed
    // depends on this choice, never the result.
    let mut grad = vec![0.0; n];
    let timer = Instant::now();
    let _ = model.log_density_gradient(&init, &mut grad);
    let gradient_seconds = timer.elapsed().as_secs_f64();
    let threads =
        if config.threads > 0 || gradient_seconds * config.draws_per_step as f64 > 2e-4 { threads } else { 1 };
    // `propto = true` drops constants; the ELBO reported keeps them, as Stan's does. The
    // difference is the same at every point, so it is measured once.
    let constant = density(model, &init, false)? - density(model, &init, true)?;

    writeln!(
        log,
        "Variational inference: {}, {} unconstrained parameter{}, seed {}, {} thread{}.",
        config.family.describe(),
        n,
        if n == 1 { "" } else { "s" },
        config.seed,
        threads,
        if threads == 1 { "" } else { "s" }
    )?;
    let mut run = Run { model, config, log, n, threads, constant, gradient_evals: 0, density_evals: 0, start };
    let mut start_q = Candidate { mean: vec![], cov: vec![], iter: 0, elbo: f64::NEG_INFINITY };
    let mut lbfgs_iterations = 0;
    for path in 0..if n == 0 { 0 } else { config.pathfinder_paths } {
        let path_init = if path == 0 {
            init.clone()
        } else {
            let seed = splitmix(config.seed ^ splitmix(path as u64));
            let init_config = InitConfig { radius: config.init_radius, seed, print_timing: false };
            match advi::random_inits(model, &init_config, &mut io::sink()) {
                Ok(init) => init,
                Err(AdviError::Domain(_)) => continue,
                Err(err) => return Err(err),
            }
        };
        let (candidate, iterations) = run.pathfinder(&path_init, path)?;
        lbfgs_iterations += iterations;
        if path == 0 || candidate.elbo > start_q.elbo {
            start_q = candidate;
        }
    }
    if config.pathfinder_paths > 1 && n > 0 {
        writeln!(
            run.log,
            "  Starting from the best Gaussian of {} paths (ELBO {}, propto).",
            config.pathfinder_paths,
            format_g(start_q.elbo, 6)
        )?;
    }
    // The diagonal families get their start, and the preconditioner of their mean steps, from a
    // full-rank fit first when that is affordable: Pathfinder's inverse Hessian can be wrong by
    // orders of magnitude in directions BFGS never explored, which the full-rank refinement
    // corrects but a diagonal family cannot.
    let start_q = if config.family != Family::FullRank && (1..=FULL_RANK_PREFIT_MAX_DIM).contains(&n) {
        writeln!(
            run.log,
            "Full-rank fit first, to start the {} and precondition its means.",
            config.family.describe()
        )?;
        let full = run.refine(start_q, Family::FullRank)?;
        let (_, approx) = full.base.approximation(&full.layout);
        Candidate { mean: approx.mu.clone(), cov: approx.covariance(), iter: 0, elbo: f64::NAN }
    } else {
        start_q
    };
    let refined = run.refine(start_q, config.family)?;
    run.finish(refined, lbfgs_iterations)
}

/// Checks the settings and the initial point.
fn check_config(model: &dyn Model, init: Option<&[f64]>, config: &ViConfig) -> Result<(), AdviError> {
    if let Some(init) = init
        && init.len() != model.n_unconstrained()
    {
        return Err(AdviError::InvalidConfig(format!(
            "the initial point has {} values, but the model has {} unconstrained parameters",
            init.len(),
            model.n_unconstrained()
        )));
    }
    let counts = [
        ("draws per step", config.draws_per_step),
        ("window", config.window),
        ("output samples", config.output_samples),
        ("Pathfinder draws", config.pathfinder_draws),
        ("Pathfinder paths", config.pathfinder_paths),
    ];
    for (name, value) in counts {
        if value == 0 {
            return Err(AdviError::InvalidConfig(format!("{name} is 0, but must be positive")));
        }
    }
    for (name, value) in [("tolerance", config.tolerance), ("step size", config.step_size)] {
        if !(value.is_finite() && value > 0.0) {
            return Err(AdviError::InvalidConfig(format!(
                "{name} is {}, but must be a positive number",
                format_g(value, 6)
            )));
        }
    }
    if let Family::LowRank { rank } = config.family
        && (rank == 0 || rank > model.n_unconstrained().max(1))
    {
        return Err(AdviError::InvalidConfig(format!(
            "rank is {rank}, but must be between 1 and the number of unconstrained parameters ({})",
            model.n_unconstrained()
        )));
    }
    Ok(())
}

pub(crate) const LOG_TWO_PI: f64 = 1.837_877_066_409_345_5;

/// Up to this many parameters a mean-field or low-rank fit starts from a full-rank fit (whose
/// cost per draw grows as n²).
const FULL_RANK_PREFIT_MAX_DIM: usize = 200;

/// Phases of a run, each with its own random streams.
const PHASE_PATHFINDER: u64 = 1;
const PHASE_REFINE: u64 = 2;
const PHASE_OUTPUT: u64 = 3;
const PHASE_RESAMPLE: u64 = 4;
pub(crate) const PHASE_EVIDENCE: u64 = 5;

/// SplitMix64's finaliser: a bijective mix of 64 bits, so nearby inputs give unrelated seeds.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The random stream of one draw: depends only on (seed, phase, iteration, draw), never on which
/// thread computes it.
pub(crate) fn draw_rng(seed: u64, phase: u64, iter: u64, draw: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(splitmix(splitmix(seed ^ splitmix(phase)) ^ iter));
    rng.set_stream(draw);
    rng
}

pub(crate) fn standard_normals(rng: &mut ChaCha8Rng, out: &mut [f64]) {
    for v in out.iter_mut() {
        *v = rng.sample(StandardNormal);
    }
}

/// `f(0), …, f(count − 1)` computed on up to `threads` threads, in order. Each thread takes one
/// contiguous block, so the result is the same as a serial loop.
pub(crate) fn par_map<T: Send>(threads: usize, count: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    if threads <= 1 || count < 2 {
        return (0..count).map(f).collect();
    }
    let chunk = count.div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = (0..count)
            .step_by(chunk)
            .map(|begin| scope.spawn(move || (begin..(begin + chunk).min(count)).map(f).collect::<Vec<T>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a VI worker thread panicked")).collect()
    })
}

/// The log density, or −∞ where the model raises a domain error; index and fatal errors stop.
pub(crate) fn density(model: &dyn Model, x: &[f64], propto: bool) -> Result<f64, AdviError> {
    match model.log_density(x, propto) {
        Ok(lp) if lp.is_nan() => Ok(f64::NEG_INFINITY),
        Ok(lp) => Ok(lp),
        Err(err) if err.kind == EvalErrorKind::Domain => Ok(f64::NEG_INFINITY),
        Err(err) => Err(AdviError::Model(err)),
    }
}

/// Log density and gradient; `None` when the point has to be dropped (domain error, non-finite
/// value or gradient).
fn density_gradient(model: &dyn Model, x: &[f64], grad: &mut [f64]) -> Result<Option<f64>, AdviError> {
    match model.log_density_gradient(x, grad) {
        Ok(lp) if lp.is_finite() && grad.iter().all(|g| g.is_finite()) => Ok(Some(lp)),
        Ok(_) => Ok(None),
        Err(err) if err.kind == EvalErrorKind::Domain => Ok(None),
        Err(err) => Err(AdviError::Model(err)),
    }
}

// ---------------------------------------------------------------------------------------------
// Small dense linear algebra (row-major n × n).

/// Lower Cholesky factor of a symmetric positive definite matrix, or `None`.
fn cholesky(n: usize, a: &[f64]) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// Solves Lᵀ u = v for lower-triangular L (back substitution).
fn solve_lower_transposed(n: usize, l: &[f64], v: &[f64], u: &mut [f64]) {
    for i in (0..n).rev() {
        let mut s = v[i];
        for k in i + 1..n {
            s -= l[k * n + i] * u[k];
        }
        u[i] = s / l[i * n + i];
    }
}

/// Solves L u = v for lower-triangular L (forward substitution).
pub(crate) fn solve_lower(n: usize, l: &[f64], v: &[f64], u: &mut [f64]) {
    for i in 0..n {
        let mut s = v[i];
        for k in 0..i {
            s -= l[i * n + k] * u[k];
        }
        u[i] = s / l[i * n + i];
    }
}

/// Eigenvalues (descending) and eigenvectors (columns of the row-major result) of a symmetric
/// matrix, by cyclic Jacobi rotations. Used to start the low-rank family and for Newton's
/// steps (`methods::newton`).
pub(crate) fn symmetric_eigen(n: usize, a: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut a = a.to_vec();
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j].powi(2))
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let akp = a[k * n + p];
                    let akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let apk = a[p * n + k];
                    let aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let vkp = v[k * n + p];
                    let vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[j * n + j].total_cmp(&a[i * n + i]));
    let values = order.iter().map(|&i| a[i * n + i]).collect();
    let mut vectors = vec![0.0; n * n];
    for (new, &old) in order.iter().enumerate() {
        for k in 0..n {
            vectors[k * n + new] = v[k * n + old];
        }
    }
    (values, vectors)
}

// ---------------------------------------------------------------------------------------------
// Pathfinder.

/// A Gaussian N(mean, cov) proposed by the Pathfinder phase.
struct Candidate {
    mean: Vec<f64>,
    cov: Vec<f64>,
    /// The optimiser iteration it came from.
    iter: usize,
    /// Its ELBO (propto log density), from the common draws.
    elbo: f64,
}

/// The state shared by the phases of one run.
struct Run<'a> {
    model: &'a dyn Model,
    config: &'a ViConfig,
    log: &'a mut dyn Write,
    n: usize,
    threads: usize,
    /// `log_density(x, false) − log_density(x, true)`.
    constant: f64,
    gradient_evals: usize,
    density_evals: usize,
    start: Instant,
}

/// The optimiser's objective, −log p (propto), and its gradient; `None` off the support.
fn objective(model: &dyn Model, x: &[f64]) -> Result<quasi_newton::Evaluation, AdviError> {
    let mut grad = vec![0.0; x.len()];
    Ok(density_gradient(model, x, &mut grad)?.map(|lp| {
        for g in grad.iter_mut() {
            *g = -*g;
        }
        (-lp, grad)
    }))
}

impl Run<'_> {
    /// Pathfinder: BFGS on −log p from `init`, every iterate's Gaussian scored by its ELBO on
    /// common draws; returns the best one and the number of optimiser iterations.
    fn pathfinder(&mut self, init: &[f64], path: usize) -> Result<(Candidate, usize), AdviError> {
        let n = self.n;
        writeln!(
            self.log,
            "Pathfinder path {}: climbing the log density with BFGS, scoring the Gaussian at each step.",
            path + 1
        )?;
        // The same standard-normal draws score every candidate, so differences in ELBO between
        // candidates are not drowned in Monte Carlo noise.
        let k = self.config.pathfinder_draws;
        let eps: Vec<Vec<f64>> = (0..k)
            .map(|j| {
                let mut rng = draw_rng(self.config.seed, PHASE_PATHFINDER, 0, j as u64);
                let mut e = vec![0.0; n];
                standard_normals(&mut rng, &mut e);
                e
            })
            .collect();

        let model = self.model;
        let Some((f, g)) = objective(model, init)? else {
            return Err(AdviError::Domain("The gradient is not finite at the initial values.".to_string()));
        };
        self.gradient_evals += 1;
        let paths = self.config.pathfinder_paths;
        let message = format!("Pathfinder, path {}/{paths}", path + 1);
        let phase = Phase::new(self.config.progress, &message, self.config.max_lbfgs_iters as u64);
        // Stan's L-BFGS tolerances, except its relative-gradient test gᵀHg / |f|: early in an
        // ill-conditioned valley H is wrong by orders of magnitude, and that test then stops far
        // from the mode (kidiq's intercept at 1.4 instead of 26). No absolute test on f either:
        // the relative one is the scale-free form of it.
        let settings = quasi_newton::Settings {
            memory: quasi_newton::Memory::Dense,
            max_iters: self.config.max_lbfgs_iters,
            init_alpha: None,
            tol: quasi_newton::Tolerances { obj: 0.0, rel_grad: 0.0, ..quasi_newton::Tolerances::CMDSTAN },
        };
        let mut best: Option<Candidate> = None;
        let outcome =
            quasi_newton::minimize(init.to_vec(), f, g, &settings, &mut |x| objective(model, x), &mut |step| {
                phase.set(step.iter as u64);
                AdviError::unless_interrupted()?;
                let h = step.inverse_hessian;
                if let Some(dense) = h.dense().filter(|_| h.is_scaled())
                    && let Some(candidate) = self.score_candidate(step.x, step.grad, dense, step.iter, &eps)?
                    && best.as_ref().is_none_or(|b| candidate.elbo > b.elbo)
                {
                    best = Some(candidate);
                }
                Ok(())
            })?;
        self.gradient_evals += outcome.evals;
        let iterations = outcome.iterations;
        let f = outcome.f;
        let x = outcome.x;
        let stop = match outcome.termination {
            quasi_newton::Termination::RelObj => "converged (relative change in the log density)".to_string(),
            quasi_newton::Termination::AbsGrad => "converged (gradient)".to_string(),
            quasi_newton::Termination::AbsParam => "converged (step size)".to_string(),
            quasi_newton::Termination::MaxIters => {
                format!("reached the limit of {} iterations", self.config.max_lbfgs_iters)
            }
            quasi_newton::Termination::LineSearchFailed => "the line search found no better point".to_string(),
            other => other.message().to_string(),
        };
        writeln!(self.log, "  BFGS: {iterations} iterations, log density {} at the end; {stop}.", format_g(-f, 6))?;
        let candidate = match best {
            Some(best) => {
                writeln!(
                    self.log,
                    "  Best Gaussian along the path: iteration {} of {iterations}, ELBO {} (propto).",
                    best.iter,
                    format_g(best.elbo, 6)
                )?;
                best
            }
            None => {
                // No curvature information at all (a one-step run): unit Gaussian at the end point.
                writeln!(self.log, "  No Gaussian along the path could be scored; starting from a unit Gaussian.")?;
                let mut cov = vec![0.0; n * n];
                for i in 0..n {
                    cov[i * n + i] = 1.0;
                }
                Candidate { mean: x, cov, iter: iterations, elbo: f64::NEG_INFINITY }
            }
        };
        Ok((candidate, iterations))
    }

    /// Pathfinder's Gaussian at an iterate: N(x + H ∇log p(x), H), scored by its ELBO over the
    /// common draws. `None` when H has no Cholesky factor or most draws fail.
    fn score_candidate(
        &mut self,
        x: &[f64],
        grad_f: &[f64],
        h: &[f64],
        iter: usize,
        eps: &[Vec<f64>],
    ) -> Result<Option<Candidate>, AdviError> {
        let n = self.n;
        let Some(l) = cholesky(n, h) else { return Ok(None) };
        let mean: Vec<f64> = (0..n).map(|i| x[i] - dot(&h[i * n..(i + 1) * n], grad_f)).collect();
        let log_det: f64 = (0..n).map(|i| l[i * n + i].ln()).sum();
        let model = self.model;
        let values = par_map(self.threads, eps.len(), |j| {
            let e = &eps[j];
            let z: Vec<f64> = (0..n).map(|i| mean[i] + dot(&l[i * n..i * n + i + 1], &e[..=i])).collect();
            let log_q = -0.5 * dot(e, e) - log_det - 0.5 * n as f64 * LOG_TWO_PI;
            density(model, &z, true).map(|lp| lp - log_q)
        });
        self.density_evals += eps.len();
        let mut sum = 0.0;
        let mut ok = 0;
        for v in values {
            let v = v?;
            if v.is_finite() {
                sum += v;
                ok += 1;
            }
        }
        if 2 * ok <= eps.len() {
            return Ok(None);
        }
        Ok(Some(Candidate { mean, cov: h.to_vec(), iter, elbo: sum / ok as f64 }))
    }
}

// ---------------------------------------------------------------------------------------------
// Refinement.

/// q in the original coordinates: x = mu + A z with z ~ N(0, Σ_z), Σ_z = I except for the
/// low-rank part, which stays in `b`.
#[derive(Clone)]
struct Base {
    mu: Vec<f64>,
    /// Full-rank: lower-triangular n × n. Mean-field and low-rank: the diagonal (n).
    a: Vec<f64>,
    /// Low-rank only: B (n × rank, row-major) in z coordinates; Σ_z = I + B Bᵀ.
    b: Vec<f64>,
}

/// The variational parameters in whitened coordinates, one flat vector so that averaging and
/// steps act elementwise: `m` (n), then full-rank `L` (n × n, lower, its diagonal stored as
/// log L_ii), mean-field `ω` (n, log scale), low-rank `ω` (n) and `B` (n × rank).
///
/// Scales are stored as logarithms so that a q far too narrow (BFGS's inverse Hessian can be
/// off by 10⁸ in a direction it never explored) widens by a factor per step, not by a fixed
/// amount.
struct Layout {
    family: Family,
    n: usize,
    rank: usize,
}

impl Layout {
    fn len(&self) -> usize {
        let n = self.n;
        match self.family {
            Family::MeanField => 2 * n,
            Family::FullRank => n + n * n,
            Family::LowRank { .. } => 2 * n + n * self.rank,
        }
    }

    /// The parameters at which q equals the base: m = 0, unit scale, B from the base.
    fn identity(&self, base: &Base) -> Vec<f64> {
        let n = self.n;
        let mut q = vec![0.0; self.len()];
        match self.family {
            Family::FullRank | Family::MeanField => {}
            Family::LowRank { .. } => q[2 * n..].copy_from_slice(&base.b),
        }
        q
    }

    /// Number of standard normals per draw.
    fn eps_len(&self) -> usize {
        match self.family {
            Family::LowRank { .. } => self.n + self.rank,
            _ => self.n,
        }
    }
}

/// Per-iteration precomputation of the low-rank family: Σ_z = D² + B Bᵀ needs the Cholesky
/// factor of K = I + Bᵀ D⁻² B for Woodbury solves and the log determinant.
struct LowRankCache {
    k_chol: Vec<f64>,
    log_det_k: f64,
}

fn low_rank_cache(n: usize, rank: usize, q: &[f64]) -> Option<LowRankCache> {
    let omega = &q[n..2 * n];
    let b = &q[2 * n..];
    let mut k = vec![0.0; rank * rank];
    for r in 0..rank {
        for c in 0..rank {
            let mut s = if r == c { 1.0 } else { 0.0 };
            for i in 0..n {
                s += b[i * rank + r] * b[i * rank + c] * (-2.0 * omega[i]).exp();
            }
            k[r * rank + c] = s;
        }
    }
    let k_chol = cholesky(rank, &k)?;
    let log_det_k = 2.0 * (0..rank).map(|i| k_chol[i * rank + i].ln()).sum::<f64>();
    Some(LowRankCache { k_chol, log_det_k })
}

/// What one draw of the refinement contributes.
struct DrawOut {
    eps: Vec<f64>,
    /// Aᵀ ∇ₓ log p(x): the plain reparameterisation gradient in z.
    g_p: Vec<f64>,
    /// −∇_z log q(z) = Σ_z⁻¹ (z − m): the sticking-the-landing term, zero in expectation.
    score: Vec<f64>,
    /// log p(x) − log q(x) (propto log density, q's density in x with every constant).
    log_ratio: f64,
}

/// The fitted q as the refinement proceeds.
struct Refined {
    base: Base,
    layout: Layout,
    iterations: usize,
    converged: bool,
    stop_reason: String,
    trace: Vec<ElboPoint>,
    step_size: f64,
}

impl Run<'_> {
    /// Whitening of the Pathfinder Gaussian for the family: the Cholesky factor of its
    /// covariance (full-rank); for the diagonal families, 1/√(precision diagonal), which is the
    /// mean-field optimum when the target is Gaussian with that covariance.
    fn initial_base(&self, start: &Candidate, family: Family) -> Base {
        let n = self.n;
        let chol = cholesky(n, &start.cov);
        match family {
            Family::FullRank => {
                let a = chol.unwrap_or_else(|| {
                    (0..n * n)
                        .map(|i| if i % (n + 1) == 0 { start.cov[i].abs().sqrt().max(1e-8) } else { 0.0 })
                        .collect()
                });
                Base { mu: start.mean.clone(), a, b: vec![] }
            }
            Family::MeanField => {
                let a = match &chol {
                    Some(l) => precision_diagonal(n, l).iter().map(|p| 1.0 / p.sqrt()).collect(),
                    None => (0..n).map(|i| start.cov[i * n + i].abs().sqrt().max(1e-8)).collect(),
                };
                Base { mu: start.mean.clone(), a, b: vec![] }
            }
            Family::LowRank { rank } => {
                // Scale by the marginal sds; in those coordinates the covariance is a correlation
                // matrix R. Its leading eigenpairs give B, the remainder of the diagonal D².
                let sd: Vec<f64> = (0..n).map(|i| start.cov[i * n + i].abs().sqrt().max(1e-8)).collect();
                let r: Vec<f64> = (0..n * n).map(|ij| start.cov[ij] / (sd[ij / n] * sd[ij % n])).collect();
                let (values, vectors) = symmetric_eigen(n, &r);
                let mut b = vec![0.0; n * rank];
                for c in 0..rank {
                    // Only the excess over the diagonal goes to the low-rank part; a small floor
                    // keeps B off the saddle at zero, where its gradient vanishes.
                    let weight = (values[c] - 1.0).max(0.01).sqrt();
                    for i in 0..n {
                        b[i * rank + c] = vectors[i * n + c] * weight;
                    }
                }
                let d: Vec<f64> = (0..n)
                    .map(|i| (1.0 - (0..rank).map(|c| b[i * rank + c].powi(2)).sum::<f64>()).max(0.05).sqrt())
                    .collect();
                // Base diagonal a = sd ⊙ d; B in the whitened coordinates is B / d.
                let a = sd.iter().zip(&d).map(|(s, d)| s * d).collect();
                for i in 0..n {
                    for c in 0..rank {
                        b[i * rank + c] /= d[i];
                    }
                }
                Base { mu: start.mean.clone(), a, b }
            }
        }
    }

    /// Stochastic ELBO ascent in whitened coordinates with STL gradients, iterate averaging
    /// per window, re-whitening, step halving and the movement-based stopping rule.
    fn refine(&mut self, start: Candidate, family: Family) -> Result<Refined, AdviError> {
        let n = self.n;
        let config = self.config;
        let rank = match family {
            Family::LowRank { rank } => rank,
            _ => 0,
        };
        let layout = Layout { family, n, rank };
        let mut base = self.initial_base(&start, family);
        if n == 0 {
            return Ok(Refined {
                base,
                layout,
                iterations: 0,
                converged: true,
                stop_reason: "nothing to fit".to_string(),
                trace: vec![],
                step_size: config.step_size,
            });
        }
        // The diagonal families are whitened by a diagonal only, so a correlated target leaves
        // the ELBO's curvature in the mean ill-conditioned (≈ the whitened precision W). Their
        // mean steps are preconditioned with Pathfinder's full covariance estimate, a Newton
        // step when it is right: Δm = ρ P g with P = diag(1/a) H diag(1/a).
        let precondition = family != Family::FullRank && cholesky(n, &start.cov).is_some();
        let h_cov = start.cov.clone();
        writeln!(
            self.log,
            "Refining: stochastic ELBO ascent in whitened coordinates, {} draws per step, windows of {}.",
            config.draws_per_step, config.window
        )?;
        writeln!(self.log, "   iter             ELBO      ± mcse   step   moved (sd)   notes")?;
        let m_draws = config.draws_per_step;
        // A step never moves the mean more than this in the metric of q (whitened units), nor
        // a scale parameter more than MAX_SCALE_STEP: one draw far in a tail can have a huge
        // gradient, and one such step could throw q anywhere.
        let max_mean_step = (n as f64).sqrt().max(1.0);
        const MAX_SCALE_STEP: f64 = 0.5;
        let mut rho = config.step_size;
        let mut q = layout.identity(&base);
        let mut sum = vec![0.0; q.len()];
        let mut count = 0usize;
        let mut window_ratios: Vec<f64> = Vec::new();
        let mut previous_move: Option<Vec<f64>> = None;
        let mut previous_moved = f64::INFINITY;
        // The best window so far (its ELBO, standard error and q), to fall back on when q
        // collapses. The starting q counts as a window.
        let (start_elbo, start_se) = self.elbo_of(&base.approximation(&layout))?;
        let mut best = (start_elbo, start_se, base.clone());
        let mut trace = Vec::new();
        let mut converged = false;
        let mut stop_reason = format!("reached the limit of {} iterations without converging", config.max_iters);
        let mut iterations = 0;
        let mut grad = vec![0.0; q.len()];
        let mut step = vec![0.0; q.len()];
        let timer = Instant::now();
        let phase = Phase::new(config.progress, "Refining q (ELBO ascent)", config.max_iters as u64);
        for iter in 1..=config.max_iters {
            iterations = iter;
            phase.set(iter as u64);
            AdviError::unless_interrupted()?;
            let draws = self.refine_draws(&base, &layout, &q, iter)?;
            self.gradient_evals += m_draws;
            grad.fill(0.0);
            let ok = draws.len();
            for d in &draws {
                accumulate_gradient(&layout, &q, d, &mut grad);
            }
            if 2 * ok < m_draws || !grad.iter().all(|g| g.is_finite()) {
                // Most draws fell off the support: q has wandered somewhere bad. Go back to the
                // best q so far and take smaller steps.
                rho *= 0.5;
                base = best.2.clone();
                q = layout.identity(&base);
                sum.fill(0.0);
                count = 0;
                window_ratios.clear();
                previous_move = None;
                writeln!(
                    self.log,
                    "  {iter:>5}   {} of {m_draws} draws failed; back to the best q so far, step size halved to {}",
                    m_draws - ok,
                    format_g(rho, 3)
                )?;
                if rho < 1e-6 * config.step_size {
                    // Not an error: the best q so far is still an approximation, and the Pareto
                    // k-hat of the final draws says how far to trust it.
                    stop_reason = "most draws kept failing; kept the best approximation found".to_string();
                    break;
                }
                continue;
            }
            let inv = 1.0 / ok as f64;
            for g in grad.iter_mut() {
                *g *= inv;
            }
            // Curvature in whitened coordinates is about 1 for the mean and 2 for the log scale,
            // hence half the step on the scale parameters.
            if precondition {
                let w: Vec<f64> = (0..n).map(|i| grad[i] / base.a[i]).collect();
                for i in 0..n {
                    step[i] = rho * dot(&h_cov[i * n..(i + 1) * n], &w) / base.a[i];
                }
            } else {
                for i in 0..n {
                    step[i] = rho * grad[i];
                }
            }
            for i in n..q.len() {
                step[i] = 0.5 * rho * grad[i];
            }
            // Limit the step: the mean by its length in q's metric (P⁻¹ when preconditioned,
            // where ‖ρ P g‖²_{P⁻¹} = ρ gᵀ·step), the scale by its largest entry.
            let mean_length = if precondition {
                (dot(&grad[..n], &step[..n]) * rho).abs().sqrt()
            } else {
                dot(&step[..n], &step[..n]).sqrt()
            };
            if mean_length > max_mean_step {
                let shrink = max_mean_step / mean_length;
                step[..n].iter_mut().for_each(|v| *v *= shrink);
            }
            let scale_max = step[n..].iter().fold(0.0f64, |m, v| m.max(v.abs()));
            if scale_max > MAX_SCALE_STEP {
                let shrink = MAX_SCALE_STEP / scale_max;
                step[n..].iter_mut().for_each(|v| *v *= shrink);
            }
            for (v, d) in q.iter_mut().zip(&step) {
                *v += d;
            }
            for (s, v) in sum.iter_mut().zip(&q) {
                *s += v;
            }
            count += 1;
            window_ratios.extend(draws.iter().map(|d| d.log_ratio));

            if iter % config.window != 0 && iter != config.max_iters {
                continue;
            }
            if count == 0 {
                continue;
            }
            let average: Vec<f64> = sum.iter().map(|s| s / count as f64).collect();
            let (elbo, mcse) = mean_and_se(&window_ratios);
            let elbo = elbo + self.constant;
            window_ratios.clear();
            sum.fill(0.0);
            count = 0;
            // A collapse: the window's ELBO fell far below the best one. Go back to the best q
            // and halve the step.
            // (A NaN ELBO counts as a collapse.)
            let (best_elbo, best_se, _) = &best;
            let floor = best_elbo - 5.0 * (mcse * mcse + best_se * best_se).sqrt() - 1.0;
            if elbo.is_nan() || elbo < floor {
                rho *= 0.5;
                base = best.2.clone();
                q = layout.identity(&base);
                previous_move = None;
                writeln!(
                    self.log,
                    "  {iter:>5}  {:>15}  {:>10}  {:>5}                ELBO dropped; back to the best q so far, step halved",
                    format_g(elbo, 8),
                    format_g(mcse, 2),
                    format_g(rho, 3)
                )?;
                if rho < 1e-6 * config.step_size {
                    stop_reason = "the ELBO kept dropping; kept the best approximation found".to_string();
                    break;
                }
                continue;
            }
            let window_start = layout.identity(&base);
            let movement: Vec<f64> = average.iter().zip(&window_start).map(|(a, s)| a - s).collect();
            let moved = movement.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            trace.push(ElboPoint { iter, time_in_seconds: timer.elapsed().as_millis() as f64 / 1000.0, elbo });
            absorb(&layout, &mut base, &average);
            q = layout.identity(&base);
            if elbo > best.0 - 2.0 * mcse {
                // Later windows are averages over better-converged iterates: prefer them unless
                // clearly worse.
                best = (elbo, mcse, base.clone());
            }
            // Moves that keep pointing the same way are progress: a small step would only make
            // them slower, so the step doubles (up to its initial value). Moves that do not are
            // noise around the optimum, which only a smaller step (and the averaging) removes.
            let drifting = previous_move
                .as_ref()
                .is_some_and(|prev| dot(&movement, prev) / (dot(&movement, &movement) * dot(prev, prev)).sqrt() > 0.5);
            let mut note = String::new();
            if moved < config.tolerance && !drifting {
                converged = true;
                note = "converged".to_string();
            } else if drifting {
                if rho < config.step_size {
                    rho = (2.0 * rho).min(config.step_size);
                    note = "step doubled".to_string();
                }
            } else if previous_move.is_some() && moved > 0.5 * previous_moved {
                // Not drifting, and not contracting either: the noise floor of this step size.
                rho *= 0.5;
                note = "step halved".to_string();
            }
            previous_moved = moved;
            writeln!(
                self.log,
                "  {iter:>5}  {:>15}  {:>10}  {:>5}  {:>11}   {note}",
                format_g(elbo, 8),
                format_g(mcse, 2),
                format_g(rho, 3),
                format_g(moved, 3)
            )?;
            previous_move = Some(movement);
            if converged {
                stop_reason = format!(
                    "converged: the iterates moved less than {} posterior sd over the last window",
                    format_g(config.tolerance, 3)
                );
                break;
            }
        }
        Ok(Refined { base, layout, iterations, converged, stop_reason, trace, step_size: rho })
    }

    /// ELBO (every constant kept) of a Gaussian and its standard error, from `pathfinder_draws`
    /// draws of the log density.
    fn elbo_of(&mut self, (algorithm, approx): &(Algorithm, Approximation)) -> Result<(f64, f64), AdviError> {
        let n = self.n;
        let seed = self.config.seed;
        let model = self.model;
        let (scale, log_det) = scale_of(n, approx);
        let count = self.config.pathfinder_draws;
        let values = par_map(self.threads, count, |j| -> Result<f64, AdviError> {
            let mut rng = draw_rng(seed, PHASE_PATHFINDER, 1, j as u64);
            let mut eps = vec![0.0; n];
            standard_normals(&mut rng, &mut eps);
            let x = gaussian_draw(n, *algorithm, &approx.mu, &scale, &eps);
            let log_q = -0.5 * dot(&eps, &eps) - log_det - 0.5 * n as f64 * LOG_TWO_PI;
            Ok(density(model, &x, false)? - log_q)
        });
        self.density_evals += count;
        let values = values.into_iter().collect::<Result<Vec<f64>, AdviError>>()?;
        Ok(mean_and_se(&values))
    }

    /// The `draws_per_step` draws of one refinement iteration, in draw order, failed draws left
    /// out.
    fn refine_draws(&self, base: &Base, layout: &Layout, q: &[f64], iter: usize) -> Result<Vec<DrawOut>, AdviError> {
        let n = self.n;
        let rank = layout.rank;
        let model = self.model;
        let seed = self.config.seed;
        let cache = match layout.family {
            Family::LowRank { .. } => match low_rank_cache(n, rank, q) {
                Some(c) => Some(c),
                None => return Ok(vec![]),
            },
            _ => None,
        };
        // L with its diagonal exponentiated.
        let l_eff = (layout.family == Family::FullRank).then(|| full_rank_factor(n, &q[n..]));
        // log |det A|, so that log q is comparable across windows.
        let log_det_a: f64 = match layout.family {
            Family::FullRank => (0..n).map(|i| base.a[i * n + i].abs().ln()).sum(),
            _ => base.a.iter().map(|a| a.abs().ln()).sum(),
        };
        let results = par_map(self.threads, self.config.draws_per_step, |j| -> Result<Option<DrawOut>, AdviError> {
            let mut rng = draw_rng(seed, PHASE_REFINE, iter as u64, j as u64);
            let mut eps = vec![0.0; layout.eps_len()];
            standard_normals(&mut rng, &mut eps);
            let m = &q[..n];
            // u = z − m, and Σ_z⁻¹ u, and log q_z.
            let mut u = vec![0.0; n];
            let mut sinv_u = vec![0.0; n];
            let log_q_z;
            match layout.family {
                Family::MeanField => {
                    let omega = &q[n..2 * n];
                    for i in 0..n {
                        let sigma = omega[i].exp();
                        u[i] = sigma * eps[i];
                        sinv_u[i] = eps[i] / sigma;
                    }
                    log_q_z = -0.5 * dot(&eps, &eps) - omega.iter().sum::<f64>();
                }
                Family::FullRank => {
                    let l = l_eff.as_ref().expect("full-rank factor");
                    for i in 0..n {
                        u[i] = dot(&l[i * n..i * n + i + 1], &eps[..=i]);
                    }
                    solve_lower_transposed(n, l, &eps, &mut sinv_u);
                    log_q_z = -0.5 * dot(&eps, &eps) - (0..n).map(|i| l[i * n + i].abs().ln()).sum::<f64>();
                }
                Family::LowRank { .. } => {
                    let cache = cache.as_ref().expect("low-rank cache");
                    let omega = &q[n..2 * n];
                    let b = &q[2 * n..];
                    let d2inv: Vec<f64> = omega.iter().map(|w| (-2.0 * w).exp()).collect();
                    for i in 0..n {
                        u[i] = omega[i].exp() * eps[i] + dot(&b[i * rank..(i + 1) * rank], &eps[n..]);
                    }
                    // Woodbury: Σ⁻¹u = D⁻²u − D⁻²B K⁻¹ Bᵀ D⁻² u.
                    let w: Vec<f64> = (0..n).map(|i| d2inv[i] * u[i]).collect();
                    let btw: Vec<f64> = (0..rank).map(|c| (0..n).map(|i| b[i * rank + c] * w[i]).sum()).collect();
                    let mut t = vec![0.0; rank];
                    let mut kinv_btw = vec![0.0; rank];
                    solve_lower(rank, &cache.k_chol, &btw, &mut t);
                    solve_lower_transposed(rank, &cache.k_chol, &t, &mut kinv_btw);
                    for i in 0..n {
                        sinv_u[i] = w[i] - d2inv[i] * dot(&b[i * rank..(i + 1) * rank], &kinv_btw);
                    }
                    log_q_z = -0.5 * dot(&u, &sinv_u) - omega.iter().sum::<f64>() - 0.5 * cache.log_det_k;
                }
            }
            let z: Vec<f64> = (0..n).map(|i| m[i] + u[i]).collect();
            let x = base.to_x(layout.family, &z);
            let mut grad_x = vec![0.0; n];
            let Some(lp) = density_gradient(model, &x, &mut grad_x)? else { return Ok(None) };
            let g_p = base.transpose_times(layout.family, &grad_x);
            let log_q_x = log_q_z - 0.5 * n as f64 * LOG_TWO_PI - log_det_a;
            Ok(Some(DrawOut { eps, g_p, score: sinv_u, log_ratio: lp - log_q_x }))
        });
        let mut out = Vec::with_capacity(results.len());
        for r in results {
            if let Some(d) = r? {
                out.push(d);
            }
        }
        Ok(out)
    }
}

impl Base {
    /// x = μ + A z.
    fn to_x(&self, family: Family, z: &[f64]) -> Vec<f64> {
        let n = z.len();
        match family {
            Family::FullRank => (0..n).map(|i| self.mu[i] + dot(&self.a[i * n..i * n + i + 1], &z[..=i])).collect(),
            _ => (0..n).map(|i| self.mu[i] + self.a[i] * z[i]).collect(),
        }
    }

    /// Aᵀ v.
    fn transpose_times(&self, family: Family, v: &[f64]) -> Vec<f64> {
        let n = v.len();
        match family {
            Family::FullRank => (0..n).map(|j| (j..n).map(|i| self.a[i * n + j] * v[i]).sum()).collect(),
            _ => (0..n).map(|i| self.a[i] * v[i]).collect(),
        }
    }
}

/// Adds one draw's gradient with respect to the flat parameters (chain rule through
/// z = m + S ε).
///
/// The scale parameters always get the sticking-the-landing (STL) gradient, from
/// g_z = Aᵀ ∇log p − ∇_z log q. For the mean, the STL term −∇_z log q = Σ_z⁻¹(z − m) is a
/// control variate that cancels the noise of Aᵀ∇log p only where q matches the target's
/// correlations. A mean-field q on a strongly correlated target does not: with W the target's
/// precision in whitened coordinates, the STL mean gradient has noise (I − W) ε, the plain one
/// W ε, and along a valley of the target (an eigenvalue λ of W near 0) that is 1 against λ. So
/// mean-field means take the plain gradient.
fn accumulate_gradient(layout: &Layout, q: &[f64], d: &DrawOut, grad: &mut [f64]) {
    let n = layout.n;
    let (g_m, g_s) = grad.split_at_mut(n);
    let stl_mean = layout.family != Family::MeanField;
    for ((g, p), score) in g_m.iter_mut().zip(&d.g_p).zip(&d.score) {
        *g += if stl_mean { p + score } else { *p };
    }
    let g_z: Vec<f64> = d.g_p.iter().zip(&d.score).map(|(a, b)| a + b).collect();
    match layout.family {
        Family::MeanField => {
            for i in 0..n {
                g_s[i] += g_z[i] * d.eps[i] * q[n + i].exp();
            }
        }
        Family::FullRank => {
            for i in 0..n {
                for j in 0..=i {
                    let chain = if i == j { q[n + i * n + i].exp() } else { 1.0 };
                    g_s[i * n + j] += g_z[i] * d.eps[j] * chain;
                }
            }
        }
        Family::LowRank { .. } => {
            let rank = layout.rank;
            for i in 0..n {
                g_s[i] += g_z[i] * d.eps[i] * q[n + i].exp();
                for c in 0..rank {
                    g_s[n + i * rank + c] += g_z[i] * d.eps[n + c];
                }
            }
        }
    }
}

/// L from its flat parameters: the diagonal is stored as log L_ii.
fn full_rank_factor(n: usize, params: &[f64]) -> Vec<f64> {
    let mut l = params.to_vec();
    for i in 0..n {
        l[i * n + i] = l[i * n + i].exp();
    }
    l
}

/// Re-whitening: moves the averaged q of a window into the base, so that the parameters are
/// back at the identity and the coordinates are whitened by the current q.
fn absorb(layout: &Layout, base: &mut Base, average: &[f64]) {
    let n = layout.n;
    let m = &average[..n];
    let shift = base.transpose_free_times(layout.family, m);
    for (mu, s) in base.mu.iter_mut().zip(&shift) {
        *mu += s;
    }
    match layout.family {
        Family::FullRank => {
            // A ← A L (both lower triangular).
            let l = full_rank_factor(n, &average[n..]);
            let a = base.a.clone();
            for i in 0..n {
                for j in 0..=i {
                    base.a[i * n + j] = (j..=i).map(|k| a[i * n + k] * l[k * n + j]).sum();
                }
            }
        }
        Family::MeanField => {
            for i in 0..n {
                base.a[i] *= average[n + i].exp();
            }
        }
        Family::LowRank { .. } => {
            let rank = layout.rank;
            for i in 0..n {
                let d = average[n + i].exp();
                base.a[i] *= d;
                for c in 0..rank {
                    base.b[i * rank + c] = average[2 * n + i * rank + c] / d;
                }
            }
        }
    }
}

impl Base {
    /// A v (a shift in z to a shift in x).
    fn transpose_free_times(&self, family: Family, v: &[f64]) -> Vec<f64> {
        let n = v.len();
        match family {
            Family::FullRank => (0..n).map(|i| dot(&self.a[i * n..i * n + i + 1], &v[..=i])).collect(),
            _ => (0..n).map(|i| self.a[i] * v[i]).collect(),
        }
    }

    /// q in the form of Stan's families: mean-field keeps log σ; full-rank and low-rank give the
    /// Cholesky factor of the covariance.
    fn approximation(&self, layout: &Layout) -> (Algorithm, Approximation) {
        let n = layout.n;
        match layout.family {
            Family::MeanField => (
                Algorithm::MeanField,
                Approximation {
                    mu: self.mu.clone(),
                    scale: Scale::MeanField { omega: self.a.iter().map(|a| a.abs().ln()).collect() },
                },
            ),
            Family::FullRank => (
                Algorithm::FullRank,
                Approximation { mu: self.mu.clone(), scale: Scale::FullRank { l_chol: self.a.clone() } },
            ),
            Family::LowRank { .. } => {
                let rank = layout.rank;
                let mut cov = vec![0.0; n * n];
                for i in 0..n {
                    for j in 0..n {
                        let inner = if i == j { 1.0 } else { 0.0 }
                            + (0..rank).map(|c| self.b[i * rank + c] * self.b[j * rank + c]).sum::<f64>();
                        cov[i * n + j] = self.a[i] * self.a[j] * inner;
                    }
                }
                let l_chol = cholesky(n, &cov).unwrap_or_else(|| {
                    (0..n * n).map(|ij| if ij % (n + 1) == 0 { cov[ij].abs().sqrt() } else { 0.0 }).collect()
                });
                (Algorithm::FullRank, Approximation { mu: self.mu.clone(), scale: Scale::FullRank { l_chol } })
            }
        }
    }
}

/// Diagonal of H⁻¹ from the Cholesky factor L of H: H⁻¹ = L⁻ᵀ L⁻¹, so (H⁻¹)_ii is the squared
/// norm of column i of L⁻¹, which is the solution of L c = e_i.
fn precision_diagonal(n: usize, l: &[f64]) -> Vec<f64> {
    let mut e = vec![0.0; n];
    let mut col = vec![0.0; n];
    (0..n)
        .map(|i| {
            e.fill(0.0);
            e[i] = 1.0;
            solve_lower(n, l, &e, &mut col);
            dot(&col, &col)
        })
        .collect()
}

/// σ (mean-field) or L (full-rank) of a Gaussian, and log |det| of it.
pub(crate) fn scale_of(n: usize, approx: &Approximation) -> (Vec<f64>, f64) {
    match &approx.scale {
        Scale::MeanField { omega } => (omega.iter().map(|w| w.exp()).collect(), omega.iter().sum()),
        Scale::FullRank { l_chol } => (l_chol.clone(), (0..n).map(|i| l_chol[i * n + i].abs().ln()).sum()),
    }
}

/// x = μ + σ ⊙ ε or x = μ + L ε.
pub(crate) fn gaussian_draw(n: usize, algorithm: Algorithm, mu: &[f64], scale: &[f64], eps: &[f64]) -> Vec<f64> {
    match algorithm {
        Algorithm::MeanField => (0..n).map(|i| mu[i] + scale[i] * eps[i]).collect(),
        Algorithm::FullRank => (0..n).map(|i| mu[i] + dot(&scale[i * n..i * n + i + 1], &eps[..=i])).collect(),
    }
}

/// Mean and its standard error.
pub(crate) fn mean_and_se(values: &[f64]) -> (f64, f64) {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let k = finite.len() as f64;
    if finite.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mean = finite.iter().sum::<f64>() / k;
    if finite.len() < 2 {
        return (mean, f64::NAN);
    }
    let var = finite.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0);
    (mean, (var / k).sqrt())
}

impl Run<'_> {
    /// Output draws, ELBO with its standard error, PSIS, the final report.
    fn finish(mut self, refined: Refined, lbfgs_iterations: usize) -> Result<ViResult, AdviError> {
        let n = self.n;
        let (algorithm, approximation) = refined.base.approximation(&refined.layout);
        let s = self.config.output_samples;
        writeln!(self.log, "Refinement stopped after {} iterations: {}.", refined.iterations, refined.stop_reason)?;
        if !refined.converged {
            writeln!(
                self.log,
                "Warning: the refinement did not converge; the approximation may be inaccurate. \
                 Check k̂ below, or allow more iterations."
            )?;
        }
        let factor = self.config.resample_factor.max(1);
        let proposals = s * factor;
        if factor > 1 {
            writeln!(self.log, "Drawing {proposals} proposals from the approximation for importance resampling.")?;
        } else {
            writeln!(self.log, "Drawing {s} draws from the approximation.")?;
        }
        let seed = self.config.seed;
        let model = self.model;
        let (sigma_or_l, _) = scale_of(n, &approximation);
        let mu = &approximation.mu;
        let message = if factor > 1 { "Importance resampling" } else { "Drawing from q" };
        let phase = Phase::new(self.config.progress, message, proposals as u64);
        let rows = par_map(self.threads, proposals, |j| -> Result<(Vec<f64>, f64, Vec<f64>), AdviError> {
            phase.inc(1);
            let mut rng = draw_rng(seed, PHASE_OUTPUT, 0, j as u64);
            let mut eps = vec![0.0; n];
            standard_normals(&mut rng, &mut eps);
            let x = gaussian_draw(n, algorithm, mu, &sigma_or_l, &eps);
            let log_p = density(model, &x, false)?;
            Ok((x, log_p, eps))
        });
        drop(phase);
        self.density_evals += proposals;
        let mut draws = Vec::with_capacity(proposals + 1);
        let mut log_p = Vec::with_capacity(s + 1);
        let mut log_g = Vec::with_capacity(s + 1);
        draws.push(mu.clone());
        log_p.push(0.0);
        log_g.push(0.0);
        let mut proposal_draws = Vec::with_capacity(proposals);
        for row in rows {
            let (x, lp, eps) = row?;
            draws.push(x);
            log_p.push(lp);
            log_g.push(-0.5 * dot(&eps, &eps));
            proposal_draws.push((lp, eps));
        }
        // log q with every constant, so the ELBO is on the scale of a log evidence.
        let q_constant = crate::evidence::log_q_constant(&approximation);
        let log_ratios: Vec<f64> = (1..=proposals).map(|i| log_p[i] - (log_g[i] + q_constant)).collect();
        let (elbo, elbo_mcse) = mean_and_se(&log_ratios);
        let dropped = log_ratios.iter().filter(|r| !r.is_finite()).count();
        let mut psis = psis::psis(&log_ratios);
        let verdict = psis::khat_verdict(psis.khat).to_string();
        if factor > 1 {
            let keep: Vec<usize> = if psis.khat < 0.7 {
                let picked = systematic_resample(&psis.weights(), s, seed);
                writeln!(
                    self.log,
                    "Resampled {s} draws by their Pareto-smoothed importance weights (effective sample size {:.0}).",
                    psis.ess()
                )?;
                picked
            } else {
                writeln!(
                    self.log,
                    "Not resampling: k̂ ≥ 0.7 means the importance weights are not reliable; the output is q's first {s} draws."
                )?;
                (0..s).collect()
            };
            // The output rows, in draw order; the kept draws are (nearly) equally weighted.
            let rows: Vec<usize> = keep.iter().map(|i| i + 1).collect();
            draws = std::iter::once(draws[0].clone()).chain(rows.iter().map(|&i| draws[i].clone())).collect();
            log_p = std::iter::once(0.0).chain(rows.iter().map(|&i| log_p[i])).collect();
            log_g = std::iter::once(0.0).chain(rows.iter().map(|&i| log_g[i])).collect();
            let kept_ratios: Vec<f64> = rows.iter().map(|&i| log_ratios[i - 1]).collect();
            let khat = psis.khat;
            psis = if khat < 0.7 {
                let uniform = -(s as f64).ln();
                psis::Psis { khat, log_weights: vec![uniform; s], ..psis }
            } else {
                psis::Psis { khat, ..psis::psis(&kept_ratios) }
            };
        }
        writeln!(self.log, "ELBO {} ± {} (Monte Carlo standard error).", format_g(elbo, 8), format_g(elbo_mcse, 2))?;
        if dropped > 0 {
            writeln!(
                self.log,
                "{dropped} of {proposals} draws have a log density of −∞ (outside the support, or rejected); \
                 they get zero weight, and the ELBO and k̂ are over the others."
            )?;
            if dropped * 100 > proposals {
                writeln!(
                    self.log,
                    "Warning: {:.0}% of q's draws fall where the model has no density: q spreads beyond the \
                     posterior's support, so k̂ understates the mismatch. Declaring the constraint on the \
                     parameter (<lower=…>, <upper=…>) instead of rejecting lets vppl transform it away.",
                    100.0 * dropped as f64 / proposals as f64
                )?;
            }
        }
        writeln!(self.log, "Pareto k̂ = {}: {verdict}.", format_g(psis.khat, 3))?;
        let seconds = self.start.elapsed().as_secs_f64();
        writeln!(
            self.log,
            "{} gradient and {} log density evaluations, {} seconds.",
            self.gradient_evals,
            self.density_evals,
            format_g(seconds, 3)
        )?;
        let diagnostics = Diagnostics {
            khat: psis.khat,
            verdict,
            elbo,
            elbo_mcse,
            dropped_draws: dropped,
            gradient_evals: self.gradient_evals,
            density_evals: self.density_evals,
            lbfgs_iterations,
            iterations: refined.iterations,
            converged: refined.converged,
            stop_reason: refined.stop_reason.clone(),
            seconds,
            threads: self.threads,
        };
        let fit = AdviResult {
            algorithm,
            approximation,
            elbo,
            elbo_trace: refined.trace,
            iterations: refined.iterations,
            converged: refined.converged,
            eta: refined.step_size,
            draws,
            log_p,
            log_g,
        };
        Ok(ViResult { fit, family: self.config.family, diagnostics, psis, proposals: proposal_draws })
    }
}

/// `count` indices drawn with probabilities `weights` (normalised) by systematic resampling: one
/// uniform offset from the seed, then evenly spaced points through the cumulative weights. Lower
/// variance than independent draws, and deterministic for a seed.
pub(crate) fn systematic_resample(weights: &[f64], count: usize, seed: u64) -> Vec<usize> {
    let mut rng = draw_rng(seed, PHASE_RESAMPLE, 0, 0);
    let offset: f64 = rand::Rng::random::<f64>(&mut rng);
    let total: f64 = weights.iter().filter(|w| w.is_finite()).sum();
    let mut picked = Vec::with_capacity(count);
    let mut cumulative = 0.0;
    let mut i = 0;
    for k in 0..count {
        let target = (k as f64 + offset) / count as f64 * total;
        while i + 1 < weights.len() && cumulative + weights[i].max(0.0) < target {
            cumulative += weights[i].max(0.0);
            i += 1;
        }
        picked.push(i);
    }
    picked
}

/// Writes nothing: a sink for callers that do not want the log.
pub fn quiet() -> io::Sink {
    io::sink()
}
