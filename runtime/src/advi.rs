//! Stan's ADVI (automatic differentiation variational inference), reproduced step for step.
//!
//! The reference is stan-dev/stan: `src/stan/variational/advi.hpp` (eta adaptation, stochastic
//! gradient ascent, ELBO estimation, convergence checks, output draws),
//! `families/normal_meanfield.hpp` and `families/normal_fullrank.hpp` (the two Gaussian families,
//! their entropies and reparameterisation gradients), and `services/util/initialize.hpp` (random
//! initial values). Every message written to the log is the one CmdStan prints, so a user who
//! knows CmdStan's console output reads ours the same way.
//!
//! Where this module departs from Stan, the comment at that spot says so and why. The departures
//! are: the random number generator (ChaCha8 instead of boost's ecuyer1988, so a seed gives the
//! same stream on every platform, but not Stan's stream), index and fatal errors stop the run
//! instead of being dropped as a failed gradient draw, and a failure while evaluating `log_p__` for
//! an output draw records −∞ instead of aborting the whole fit.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::time::Instant;

use crate::progress::Phase;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::model::{EvalError, EvalErrorKind, Model};
use crate::output::format_g;

/// The variational family: a Gaussian on the unconstrained space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// Independent normals: mean `mu` and log standard deviation `omega`.
    MeanField,
    /// A correlated normal: mean `mu` and lower-triangular Cholesky factor `L` of the covariance.
    FullRank,
}

impl Algorithm {
    /// The name CmdStan uses on its command line and in CSV headers.
    pub fn cmdstan_name(self) -> &'static str {
        match self {
            Algorithm::MeanField => "meanfield",
            Algorithm::FullRank => "fullrank",
        }
    }
}

/// The arguments of CmdStan's `method=variational`, with the same names and defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct AdviConfig {
    pub algorithm: Algorithm,
    /// Maximum number of stochastic gradient ascent iterations.
    pub iter: usize,
    /// Number of draws of the Monte Carlo estimate of the ELBO gradient.
    pub grad_samples: usize,
    /// Number of draws of the Monte Carlo estimate of the ELBO.
    pub elbo_samples: usize,
    /// Step-size scale; ignored when `adapt_engaged` is on, since adaptation picks it.
    pub eta: f64,
    pub adapt_engaged: bool,
    /// Iterations spent on each candidate eta during adaptation.
    pub adapt_iter: usize,
    /// Relative tolerance on the ELBO change for convergence.
    pub tol_rel_obj: f64,
    /// The ELBO is estimated every `eval_elbo` iterations.
    pub eval_elbo: usize,
    /// Number of approximate posterior draws to output (after the mean row).
    pub output_samples: usize,
    pub seed: u64,
    /// Live progress bars on stderr ([`crate::progress`]); not a CmdStan argument, and nothing
    /// else depends on it.
    pub progress: bool,
}

impl Default for AdviConfig {
    /// CmdStan's defaults. CmdStan draws a random seed when none is given; a fixed default keeps
    /// every run reproducible, so callers that want fresh randomness pass their own seed.
    fn default() -> Self {
        AdviConfig {
            algorithm: Algorithm::MeanField,
            iter: 10000,
            grad_samples: 1,
            elbo_samples: 100,
            eta: 1.0,
            adapt_engaged: true,
            adapt_iter: 50,
            tol_rel_obj: 0.01,
            eval_elbo: 100,
            output_samples: 1000,
            seed: 0,
            progress: false,
        }
    }
}

/// How the scale of the fitted Gaussian is parameterised.
#[derive(Clone, Debug, PartialEq)]
pub enum Scale {
    /// Mean-field: `omega[i] = log(sigma[i])`.
    MeanField { omega: Vec<f64> },
    /// Full-rank: the Cholesky factor `L` of the covariance, `n × n`, row-major, zero above the
    /// diagonal.
    FullRank { l_chol: Vec<f64> },
}

/// The fitted variational distribution q on the unconstrained space.
#[derive(Clone, Debug, PartialEq)]
pub struct Approximation {
    pub mu: Vec<f64>,
    pub scale: Scale,
}

impl Approximation {
    /// Marginal standard deviations of q.
    pub fn sigma(&self) -> Vec<f64> {
        let n = self.mu.len();
        match &self.scale {
            Scale::MeanField { omega } => omega.iter().map(|w| w.exp()).collect(),
            Scale::FullRank { l_chol } => {
                (0..n).map(|i| (0..n).map(|j| l_chol[i * n + j].powi(2)).sum::<f64>().sqrt()).collect()
            }
        }
    }

    /// Covariance matrix of q, `n × n`, row-major.
    pub fn covariance(&self) -> Vec<f64> {
        let n = self.mu.len();
        let mut cov = vec![0.0; n * n];
        match &self.scale {
            Scale::MeanField { omega } => {
                for i in 0..n {
                    cov[i * n + i] = (2.0 * omega[i]).exp();
                }
            }
            Scale::FullRank { l_chol } => {
                for i in 0..n {
                    for j in 0..n {
                        cov[i * n + j] = (0..n).map(|k| l_chol[i * n + k] * l_chol[j * n + k]).sum();
                    }
                }
            }
        }
        cov
    }
}

/// One point of the ELBO trace (CmdStan's diagnostic file: `iter,time_in_seconds,ELBO`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ElboPoint {
    pub iter: usize,
    /// Wall-clock seconds since the start of stochastic gradient ascent, at millisecond
    /// resolution as in Stan. This is the only field of a fit that is not reproducible.
    pub time_in_seconds: f64,
    pub elbo: f64,
}

/// Everything a finished ADVI run produced.
#[derive(Clone, Debug, PartialEq)]
pub struct AdviResult {
    pub algorithm: Algorithm,
    pub approximation: Approximation,
    /// The last ELBO estimate of stochastic gradient ascent; NaN when the run stopped before the
    /// first evaluation (`iter < eval_elbo`).
    pub elbo: f64,
    pub elbo_trace: Vec<ElboPoint>,
    /// Number of stochastic gradient ascent iterations run.
    pub iterations: usize,
    /// Whether the mean or the median relative ELBO change fell below `tol_rel_obj`.
    pub converged: bool,
    /// The step-size scale used: adapted, or `config.eta` when adaptation was off.
    pub eta: f64,
    /// Unconstrained draws: row 0 is the mean of q, then `output_samples` draws from q.
    pub draws: Vec<Vec<f64>>,
    /// `log_p__` for each row of `draws`: the log density with every constant and the Jacobian
    /// (`log_density(draw, propto = false)`); 0 for the mean row, as Stan writes it.
    pub log_p: Vec<f64>,
    /// `log_g__` for each row: the log density of the draw under q, up to a constant, computed as
    /// Stan does from the standard-normal draw `z`: `-0.5 * |z|²`; 0 for the mean row.
    pub log_g: Vec<f64>,
}

/// Why ADVI (or finding initial values) stopped without a result.
#[derive(Debug)]
pub enum AdviError {
    /// An argument is out of range; the message is Stan's `check_positive` message.
    InvalidConfig(String),
    /// The equivalent of Stan's `std::domain_error` escaping the algorithm: all eta candidates
    /// failed, every ELBO draw failed, too many gradient draws failed, or no initial value worked.
    Domain(String),
    /// The model raised an index or fatal error, which stops the run.
    Model(EvalError),
    /// Writing to the log failed.
    Io(io::Error),
    /// The user stopped the fit (Ctrl-C in the REPL: [`crate::progress::interrupt`]).
    Interrupted,
}

impl AdviError {
    /// `Err(Interrupted)` once the fit was asked to stop: each loop of a fit asks at every step.
    pub(crate) fn unless_interrupted() -> Result<(), AdviError> {
        if crate::progress::interrupted() { Err(AdviError::Interrupted) } else { Ok(()) }
    }
}

impl std::fmt::Display for AdviError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdviError::InvalidConfig(msg) | AdviError::Domain(msg) => f.write_str(msg),
            AdviError::Model(err) => f.write_str(&err.message),
            AdviError::Io(err) => write!(f, "cannot write the log: {err}"),
            AdviError::Interrupted => f.write_str("the fit was interrupted"),
        }
    }
}

impl std::error::Error for AdviError {}

impl From<io::Error> for AdviError {
    fn from(err: io::Error) -> Self {
        AdviError::Io(err)
    }
}

/// Settings for [`random_inits`].
#[derive(Clone, Debug, PartialEq)]
pub struct InitConfig {
    /// Each unconstrained coordinate is drawn uniformly from `(-radius, radius)`; 0 means start
    /// at zero (CmdStan's `init=0`).
    pub radius: f64,
    pub seed: u64,
    /// Print CmdStan's "Gradient evaluation took ..." lines (wall-clock, so not reproducible).
    pub print_timing: bool,
}

impl Default for InitConfig {
    fn default() -> Self {
        InitConfig { radius: 2.0, seed: 0, print_timing: true }
    }
}

/// ChaCha stream numbers. One seed feeds three independent streams, so that drawing initial
/// values or generated quantities never shifts the draws ADVI itself makes.
const STREAM_ADVI: u64 = 0;
const STREAM_INITS: u64 = 1;
const STREAM_WRITE_ARRAY: u64 = 2;

/// Stan's `util::experimental_message`, which its ADVI services print before anything else.
pub fn write_experimental_message(log: &mut dyn Write) -> io::Result<()> {
    let rule = "-".repeat(60);
    writeln!(log, "{rule}")?;
    writeln!(log, "EXPERIMENTAL ALGORITHM:")?;
    writeln!(log, "  This procedure has not been thoroughly tested and may be unstable")?;
    writeln!(log, "  or buggy. The interface is subject to change.")?;
    writeln!(log, "{rule}")?;
    writeln!(log)?;
    writeln!(log)
}

/// Stan's default initialisation: a uniform draw on `(-radius, radius)` for every unconstrained
/// coordinate, retried up to 100 times until the log density and its gradient are finite.
///
/// The rejection messages are those of `stan::services::util::initialize`. Stan rethrows any
/// error from the gradient evaluation; here a domain error there is a rejection like one from the
/// log density, because both come from the same model code and should be treated alike.
pub fn random_inits(model: &dyn Model, config: &InitConfig, log: &mut dyn Write) -> Result<Vec<f64>, AdviError> {
    if !(config.radius.is_finite() && config.radius >= 0.0) {
        return Err(AdviError::InvalidConfig(format!(
            "init radius is {}, but must be a non-negative finite number",
            format_g(config.radius, 6)
        )));
    }
    let n = model.n_unconstrained();
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    rng.set_stream(STREAM_INITS);
    let init_zero = config.radius == 0.0;
    let max_tries = if init_zero { 1 } else { 100 };
    let mut theta = vec![0.0; n];
    let mut grad = vec![0.0; n];
    let mut rejections = Rejections::default();
    for _ in 0..max_tries {
        for value in theta.iter_mut() {
            *value = if init_zero { 0.0 } else { rng.random_range(-config.radius..config.radius) };
        }
        match model.log_density(&theta, false) {
            Ok(lp) if lp.is_finite() => {}
            Ok(_) => {
                rejections.reject(
                    log,
                    "  Log probability evaluates to log(0), i.e. negative infinity.\n  Stan can't start sampling from this initial value.",
                )?;
                continue;
            }
            Err(err) if err.kind == EvalErrorKind::Domain => {
                rejections.reject(
                    log,
                    &format!("  Error evaluating the log probability at the initial value.\n{}", err.message),
                )?;
                continue;
            }
            Err(err) => {
                writeln!(log, "Unrecoverable error evaluating the log probability at the initial value.")?;
                return Err(AdviError::Model(err));
            }
        }
        let start = Instant::now();
        let gradient_result = model.log_density_gradient(&theta, &mut grad);
        let mut seconds = start.elapsed().as_secs_f64();
        if config.print_timing && gradient_result.is_ok() && seconds < 1e-3 {
            // Stan times one evaluation with microsecond resolution, which reads "0 seconds"
            // for a compiled model this fast: average over about a millisecond instead.
            let start = Instant::now();
            let mut count = 0u32;
            while start.elapsed().as_secs_f64() < 1e-3 && count < 100_000 {
                let _ = model.log_density_gradient(&theta, &mut grad);
                count += 1;
            }
            seconds = start.elapsed().as_secs_f64() / f64::from(count.max(1));
        }
        match gradient_result {
            Ok(_) => {}
            Err(err) if err.kind == EvalErrorKind::Domain => {
                rejections.reject(
                    log,
                    &format!("  Error evaluating the log probability at the initial value.\n{}", err.message),
                )?;
                continue;
            }
            Err(err) => {
                writeln!(log, "{}", err.message)?;
                return Err(AdviError::Model(err));
            }
        }
        if !grad.iter().sum::<f64>().is_finite() {
            rejections.reject(
                log,
                "  Gradient evaluated at the initial value is not finite.\n  Stan can't start sampling from this initial value.",
            )?;
            continue;
        }
        if config.print_timing {
            writeln!(log)?;
            writeln!(log, "Gradient evaluation took {} seconds", format_g(seconds, 6))?;
            writeln!(
                log,
                "1000 transitions using 10 leapfrog steps per transition would take {} seconds.",
                format_g(1e4 * seconds, 6)
            )?;
            writeln!(log, "Adjust your expectations accordingly!")?;
            writeln!(log)?;
            writeln!(log)?;
        }
        rejections.finish(log)?;
        return Ok(theta);
    }
    rejections.finish(log)?;
    writeln!(log)?;
    if init_zero {
        writeln!(log, "Initial values of 0 failed to initialize.")?;
        writeln!(
            log,
            " Try specifying new initial values, using partially specialized initialization, \
             reducing the range of constrained values, or reparameterizing the model."
        )?;
    } else {
        let radius = format_g(config.radius, 6);
        writeln!(log, "Initialization between (-{radius}, {radius}) failed after {max_tries} attempts. ")?;
        writeln!(
            log,
            " Try specifying initial values, reducing ranges of constrained values, \
             or reparameterizing the model."
        )?;
    }
    // Which term is not finite, and the data to blame, at the last point tried.
    let message = match model.explain_non_finite(&theta) {
        Some(why) => {
            format!("Initialization failed: no initial value has a finite log density. At the last one tried, {why}")
        }
        None => "Initialization failed.".to_string(),
    };
    Err(AdviError::Domain(message))
}

/// The rejected initial values: each distinct reason is printed once, in Stan's words, and the
/// repeats are counted instead of printing a hundred identical blocks.
#[derive(Default)]
struct Rejections {
    seen: Vec<String>,
    repeats: usize,
}

impl Rejections {
    fn reject(&mut self, log: &mut dyn Write, reason: &str) -> io::Result<()> {
        if self.seen.iter().any(|r| r == reason) {
            self.repeats += 1;
            return Ok(());
        }
        self.seen.push(reason.to_string());
        writeln!(log, "Rejecting initial value:")?;
        writeln!(log, "{reason}")
    }

    fn finish(&mut self, log: &mut dyn Write) -> io::Result<()> {
        if self.repeats > 0 {
            let s = if self.repeats == 1 { "" } else { "s" };
            writeln!(log, "({} more initial value{s} rejected for a reason shown above.)", self.repeats)?;
        }
        self.repeats = 0;
        Ok(())
    }
}

/// Runs ADVI from the unconstrained point `init`, as `stan::variational::advi::run` does:
/// eta adaptation (when engaged), stochastic gradient ascent until convergence or `config.iter`
/// iterations, then `output_samples` draws from the fitted approximation.
///
/// Writes to `log` exactly what CmdStan prints from the start of eta adaptation to
/// "COMPLETED.". Model index and fatal errors stop the run and are returned; the function never
/// panics on model errors.
pub fn run_advi(
    model: &dyn Model,
    init: &[f64],
    config: &AdviConfig,
    log: &mut dyn Write,
) -> Result<AdviResult, AdviError> {
    check_config(model, init, config)?;
    let family = Family { algorithm: config.algorithm, dim: init.len() };
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    rng.set_stream(STREAM_ADVI);
    let mut advi = Advi { model, family, config, rng: &mut rng, log };

    let initial = advi.family.initial(init);
    let eta = if config.adapt_engaged { advi.adapt_eta(&initial)? } else { config.eta };
    let mut variational = initial.clone();
    let ascent = advi.stochastic_gradient_ascent(&mut variational, eta)?;
    let (draws, log_p, log_g) = advi.output_draws(&variational)?;
    Ok(AdviResult {
        algorithm: config.algorithm,
        approximation: advi.family.approximation(&variational),
        elbo: ascent.elbo,
        elbo_trace: ascent.trace,
        iterations: ascent.iterations,
        converged: ascent.converged,
        eta,
        draws,
        log_p,
        log_g,
    })
}

/// Maps every unconstrained row of `fit.draws` (the mean row included) to the model's output
/// columns with [`Model::write_array`].
///
/// Generated quantities draw from a ChaCha8 stream of `seed` separate from the one ADVI used, so
/// the fit itself does not depend on whether or how often this is called. A domain error in a
/// row (a failed constraint check in transformed parameters, say) fills that row with NaN and
/// logs the message, as Stan's writers do; index and fatal errors stop.
pub fn constrained_draws(
    model: &dyn Model,
    fit: &AdviResult,
    seed: u64,
    log: &mut dyn Write,
) -> Result<Vec<Vec<f64>>, AdviError> {
    constrained_rows(model, &fit.draws, seed, log)
}

/// The outputs (`write_array`) at each unconstrained point, as [`constrained_draws`] computes
/// them for a fit's draws: a domain error leaves a row of NaN, with its message in `log`.
pub fn constrained_rows(
    model: &dyn Model,
    thetas: &[Vec<f64>],
    seed: u64,
    log: &mut dyn Write,
) -> Result<Vec<Vec<f64>>, AdviError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(STREAM_WRITE_ARRAY);
    let n_out = model.output_names().len();
    let mut rows = Vec::with_capacity(thetas.len());
    for theta in thetas {
        let mut row = vec![f64::NAN; n_out];
        match model.write_array(theta, &mut rng, &mut row) {
            Ok(()) => {}
            Err(err) if err.kind == EvalErrorKind::Domain => {
                writeln!(log, "{}", err.message)?;
                row.fill(f64::NAN);
            }
            Err(err) => return Err(AdviError::Model(err)),
        }
        rows.push(row);
    }
    Ok(rows)
}

/// The two Gaussian families over one flat parameter vector: `mu` (n entries) followed by
/// `omega` (n entries, mean-field) or `L` (n × n row-major, full-rank).
///
/// Stan's step-size arithmetic (`square`, `sqrt`, `+=`, `/`, scalar `*`) acts elementwise on
/// every variational parameter of either family, so a flat vector lets one loop do it for both;
/// only sampling, entropy and the gradient differ between families.
#[derive(Clone, Copy)]
struct Family {
    algorithm: Algorithm,
    dim: usize,
}

impl Family {
    fn n_params(&self) -> usize {
        match self.algorithm {
            Algorithm::MeanField => 2 * self.dim,
            Algorithm::FullRank => self.dim + self.dim * self.dim,
        }
    }

    /// Stan's `Q(cont_params)`: mean at the initial point, unit scale (omega = 0, L = I).
    fn initial(&self, init: &[f64]) -> Vec<f64> {
        let n = self.dim;
        let mut q = vec![0.0; self.n_params()];
        q[..n].copy_from_slice(init);
        if self.algorithm == Algorithm::FullRank {
            for d in 0..n {
                q[n + d * n + d] = 1.0;
            }
        }
        q
    }

    /// `zeta = mu + exp(omega) .* eta` or `zeta = mu + L * eta`.
    fn transform(&self, q: &[f64], eta: &[f64], zeta: &mut [f64]) {
        let n = self.dim;
        let (mu, scale) = q.split_at(n);
        match self.algorithm {
            Algorithm::MeanField => {
                for d in 0..n {
                    zeta[d] = eta[d] * scale[d].exp() + mu[d];
                }
            }
            Algorithm::FullRank => {
                for i in 0..n {
                    let row = &scale[i * n..(i + 1) * n];
                    let dot: f64 = row.iter().zip(eta).map(|(l, e)| l * e).sum();
                    zeta[i] = dot + mu[i];
                }
            }
        }
    }

    /// Entropy of q: `0.5 n (1 + log 2π) + Σ omega` or `+ Σ log |L_dd|` (zeros skipped, as in
    /// Stan's full-rank family).
    fn entropy(&self, q: &[f64]) -> f64 {
        let n = self.dim;
        let base = 0.5 * n as f64 * (1.0 + LOG_TWO_PI);
        let scale = &q[n..];
        match self.algorithm {
            Algorithm::MeanField => base + scale.iter().sum::<f64>(),
            Algorithm::FullRank => {
                let mut result = base;
                for d in 0..n {
                    let diag = scale[d * n + d].abs();
                    if diag != 0.0 {
                        result += diag.ln();
                    }
                }
                result
            }
        }
    }

    fn approximation(&self, q: &[f64]) -> Approximation {
        let n = self.dim;
        let mu = q[..n].to_vec();
        let scale = match self.algorithm {
            Algorithm::MeanField => Scale::MeanField { omega: q[n..].to_vec() },
            Algorithm::FullRank => Scale::FullRank { l_chol: q[n..].to_vec() },
        };
        Approximation { mu, scale }
    }
}

const LOG_TWO_PI: f64 = 1.837_877_066_409_345_5;

/// How an evaluation inside the algorithm failed.
enum Failure {
    /// Stan's `std::domain_error`: adaptation recovers from it, the rest of the algorithm stops.
    Domain(String),
    /// An index or fatal error from the model: always stops.
    Stop(AdviError),
}

impl From<Failure> for AdviError {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Domain(msg) => AdviError::Domain(msg),
            Failure::Stop(err) => err,
        }
    }
}

/// What stochastic gradient ascent hands back besides the fitted parameters.
struct Ascent {
    elbo: f64,
    trace: Vec<ElboPoint>,
    iterations: usize,
    converged: bool,
}

/// The state shared by the phases of one run: Stan's `advi` object.
struct Advi<'a> {
    model: &'a dyn Model,
    family: Family,
    config: &'a AdviConfig,
    rng: &'a mut ChaCha8Rng,
    log: &'a mut dyn Write,
}

impl Advi<'_> {
    /// Fills `eta` with independent standard normal draws.
    fn standard_normals(&mut self, eta: &mut [f64]) {
        for value in eta.iter_mut() {
            *value = self.rng.sample(StandardNormal);
        }
    }

    /// Stan's `calc_ELBO`: the mean of `log_density(zeta, propto = false)` over `elbo_samples`
    /// draws from q, plus the entropy of q.
    ///
    /// A draw whose log density is non-finite or raises a domain error is dropped and replaced
    /// by a fresh draw, so the mean is over `elbo_samples` successful draws; once as many draws
    /// have been dropped as were asked for, the estimate fails. (Older Stan versions skipped the
    /// failed draw without replacing it and divided by the full count; current Stan redraws.)
    fn calc_elbo(&mut self, q: &[f64]) -> Result<f64, Failure> {
        let n = self.family.dim;
        let n_samples = self.config.elbo_samples;
        let mut eta = vec![0.0; n];
        let mut zeta = vec![0.0; n];
        let mut elbo = 0.0;
        let mut n_dropped = 0;
        let mut i = 0;
        while i < n_samples {
            self.standard_normals(&mut eta);
            self.family.transform(q, &eta, &mut zeta);
            match self.model.log_density(&zeta, false) {
                Ok(lp) if lp.is_finite() => {
                    elbo += lp;
                    i += 1;
                }
                Ok(_) => n_dropped += 1,
                Err(err) if err.kind == EvalErrorKind::Domain => n_dropped += 1,
                Err(err) => return Err(Failure::Stop(AdviError::Model(err))),
            }
            if n_dropped >= n_samples {
                return Err(Failure::Domain(format!(
                    "stan::variational::advi::calc_ELBO: The number of dropped evaluations has \
                     reached its maximum amount ({n_samples}). Your model may be either severely \
                     ill-conditioned or misspecified."
                )));
            }
        }
        elbo /= n_samples as f64;
        Ok(elbo + self.family.entropy(q))
    }

    /// Stan's `calc_grad` of the family: the reparameterisation gradient of the ELBO with
    /// respect to every variational parameter, written to `grad` (same layout as `q`).
    ///
    /// Each of the `grad_samples` draws evaluates the model gradient g at `zeta = T(eta)`; the
    /// chain rule gives `dELBO/dmu = E[g]`, `dELBO/domega = E[g .* eta] .* exp(omega)` and
    /// `dELBO/dL_ij = E[g_i eta_j]` (i ≥ j). The entropy adds 1 to each omega component and
    /// `1 / L_dd` to each diagonal entry of L. A draw with a domain error or a non-finite
    /// gradient is redrawn; after `10 * grad_samples` such failures the gradient fails with
    /// Stan's message. Stan also drops draws that raise other errors; here an index or fatal
    /// error stops the run, because it is a bug in the model that redrawing cannot fix.
    fn calc_grad(&mut self, q: &[f64], grad: &mut [f64]) -> Result<(), Failure> {
        let n = self.family.dim;
        let n_samples = self.config.grad_samples;
        let max_dropped = 10 * n_samples;
        let function = match self.family.algorithm {
            Algorithm::MeanField => "stan::variational::normal_meanfield::calc_grad",
            Algorithm::FullRank => "stan::variational::normal_fullrank::calc_grad",
        };
        grad.fill(0.0);
        let mut eta = vec![0.0; n];
        let mut zeta = vec![0.0; n];
        let mut model_grad = vec![0.0; n];
        let mut n_dropped = 0;
        let mut i = 0;
        while i < n_samples {
            self.standard_normals(&mut eta);
            self.family.transform(q, &eta, &mut zeta);
            let accepted = match self.model.log_density_gradient(&zeta, &mut model_grad) {
                Ok(_) => model_grad.iter().all(|g| g.is_finite()),
                Err(err) if err.kind == EvalErrorKind::Domain => false,
                Err(err) => return Err(Failure::Stop(AdviError::Model(err))),
            };
            if !accepted {
                n_dropped += 1;
                if n_dropped >= max_dropped {
                    return Err(Failure::Domain(format!(
                        "{function}: The number of dropped evaluations has reached its maximum \
                         amount ({max_dropped}). Your model may be either severely \
                         ill-conditioned or misspecified."
                    )));
                }
                continue;
            }
            let (mu_grad, scale_grad) = grad.split_at_mut(n);
            for d in 0..n {
                mu_grad[d] += model_grad[d];
            }
            match self.family.algorithm {
                Algorithm::MeanField => {
                    for d in 0..n {
                        scale_grad[d] += model_grad[d] * eta[d];
                    }
                }
                Algorithm::FullRank => {
                    for ii in 0..n {
                        for jj in 0..=ii {
                            scale_grad[ii * n + jj] += model_grad[ii] * eta[jj];
                        }
                    }
                }
            }
            i += 1;
        }
        for value in grad.iter_mut() {
            *value /= n_samples as f64;
        }
        let (mu_grad, scale_grad) = grad.split_at_mut(n);
        let scale = &q[n..];
        match self.family.algorithm {
            Algorithm::MeanField => {
                for d in 0..n {
                    scale_grad[d] = scale_grad[d] * scale[d].exp() + 1.0;
                }
            }
            Algorithm::FullRank => {
                for d in 0..n {
                    scale_grad[d * n + d] += 1.0 / scale[d * n + d];
                }
            }
        }
        // Stan stores the gradient through `set_mu` / `set_omega` / `set_L_chol`, which reject
        // NaN (an infinite scale times a zero sum gives one); the message is `check_not_nan`'s.
        let (setter, scale_name) = match self.family.algorithm {
            Algorithm::MeanField => ("stan::variational::normal_meanfield::set_omega", "Input vector"),
            Algorithm::FullRank => ("stan::variational::set_L_chol", "Cholesky factor"),
        };
        if let Some(k) = mu_grad.iter().position(|v| v.is_nan()) {
            let setter = match self.family.algorithm {
                Algorithm::MeanField => "stan::variational::normal_meanfield::set_mu",
                Algorithm::FullRank => "stan::variational::set_mu",
            };
            let name = match self.family.algorithm {
                Algorithm::MeanField => "Input vector",
                Algorithm::FullRank => "Mean vector",
            };
            return Err(Failure::Domain(format!("{setter}: {name}[{}] is nan, but must not be nan!", k + 1)));
        }
        if let Some(k) = scale_grad.iter().position(|v| v.is_nan()) {
            let index = match self.family.algorithm {
                Algorithm::MeanField => format!("[{}]", k + 1),
                Algorithm::FullRank => format!("[{}, {}]", k / n + 1, k % n + 1),
            };
            return Err(Failure::Domain(format!("{setter}: {scale_name}{index} is nan, but must not be nan!")));
        }
        Ok(())
    }

    /// One step of Stan's adaptive step-size sequence, shared by adaptation and ascent:
    /// `s_k = g_k²` at k = 1 (added to the running sum, which is zero then) and
    /// `s_k = 0.9 s_{k-1} + 0.1 g_k²` after, then
    /// `q += eta / sqrt(k) * g / (1 + sqrt(s_k))`, elementwise over all variational parameters.
    fn update(q: &mut [f64], grad: &[f64], history: &mut [f64], eta: f64, k: usize) {
        const TAU: f64 = 1.0;
        const PRE_FACTOR: f64 = 0.9;
        const POST_FACTOR: f64 = 0.1;
        for (h, g) in history.iter_mut().zip(grad) {
            if k == 1 {
                *h += g * g;
            } else {
                *h = PRE_FACTOR * *h + POST_FACTOR * (g * g);
            }
        }
        let eta_scaled = eta / (k as f64).sqrt();
        for ((value, g), h) in q.iter_mut().zip(grad).zip(history.iter()) {
            *value += eta_scaled * g / (TAU + h.sqrt());
        }
    }

    /// Stan's `adapt_eta`: tries eta = 100, 10, 1, 0.1, 0.01 for `adapt_iter` steps each, every
    /// time from the initial q, and keeps the last eta before the ELBO got worse.
    ///
    /// The selection rule is Stan's, quirks included: each candidate is compared only with the
    /// one before it (`elbo_best` is overwritten, not maximised), and when the last candidate
    /// succeeds the message names the previous eta although the last one is returned.
    fn adapt_eta(&mut self, initial: &[f64]) -> Result<f64, AdviError> {
        const ETA_SEQUENCE: [f64; 5] = [100.0, 10.0, 1.0, 0.1, 0.01];
        let adapt_iter = self.config.adapt_iter;
        writeln!(self.log, "Begin eta adaptation.")?;

        let elbo_init = match self.calc_elbo(initial) {
            Ok(elbo) => elbo,
            Err(Failure::Domain(_)) => {
                return Err(AdviError::Domain(
                    "stan::variational::advi::adapt_eta: Cannot compute ELBO using the initial \
                     variational distribution. Your model may be either severely \
                     ill-conditioned or misspecified."
                        .to_string(),
                ));
            }
            Err(Failure::Stop(err)) => return Err(err),
        };

        let n_params = self.family.n_params();
        let mut grad = vec![0.0; n_params];
        let mut history = vec![0.0; n_params];
        let mut elbo_best = -f64::MAX;
        let mut eta_best = 0.0;
        let mut variational = initial.to_vec();
        let phase = Phase::new(self.config.progress, "Adapting eta", (adapt_iter * ETA_SEQUENCE.len()) as u64);
        for (eta_index, &eta) in ETA_SEQUENCE.iter().enumerate() {
            for iter_tune in 1..=adapt_iter {
                let m = eta_index * adapt_iter + iter_tune;
                phase.set(m as u64);
                AdviError::unless_interrupted()?;
                print_progress(self.log, m, 0, adapt_iter * ETA_SEQUENCE.len(), adapt_iter, true)?;
                // A diverging gradient is fine here: a smaller eta will be tried.
                match self.calc_grad(&variational, &mut grad) {
                    Ok(()) => {}
                    Err(Failure::Domain(_)) => grad.fill(0.0),
                    Err(Failure::Stop(err)) => return Err(err),
                }
                Self::update(&mut variational, &grad, &mut history, eta, iter_tune);
            }
            // A diverged ELBO is fine too; it just loses the comparison.
            let elbo = match self.calc_elbo(&variational) {
                Ok(elbo) => elbo,
                Err(Failure::Domain(_)) => -f64::MAX,
                Err(Failure::Stop(err)) => return Err(err),
            };
            let is_last = eta_index == ETA_SEQUENCE.len() - 1;
            if elbo < elbo_best && elbo_best > elbo_init {
                let ending = if is_last { "." } else { " earlier than expected." };
                writeln!(self.log, "Success! Found best value [eta = {}]{ending}", format_g(eta_best, 6))?;
                writeln!(self.log)?;
                return Ok(eta_best);
            }
            if !is_last {
                elbo_best = elbo;
                eta_best = eta;
            } else if elbo > elbo_init {
                writeln!(self.log, "Success! Found best value [eta = {}].", format_g(eta_best, 6))?;
                writeln!(self.log)?;
                return Ok(eta);
            } else {
                return Err(AdviError::Domain(
                    "stan::variational::advi::adapt_eta: All proposed step-sizes failed. Your \
                     model may be either severely ill-conditioned or misspecified."
                        .to_string(),
                ));
            }
            history.fill(0.0);
            variational.copy_from_slice(initial);
        }
        unreachable!("the last eta candidate always returns")
    }

    /// Stan's `stochastic_gradient_ascent`: steps until the mean or median of the last
    /// `cb_size` relative ELBO changes is below `tol_rel_obj`, or `iter` steps.
    fn stochastic_gradient_ascent(&mut self, variational: &mut [f64], eta: f64) -> Result<Ascent, AdviError> {
        let config = self.config;
        let max_iterations = config.iter;
        let eval_elbo = config.eval_elbo;
        let n_params = self.family.n_params();
        let mut grad = vec![0.0; n_params];
        let mut history = vec![0.0; n_params];

        let mut elbo = 0.0;
        let mut elbo_best = -f64::MAX;
        let mut elbo_evaluated = false;
        // How far back the convergence check looks: 10% of the run's ELBO evaluations, at least 2.
        let cb_size = (0.1 * max_iterations as f64 / eval_elbo as f64).max(2.0) as usize;
        let mut elbo_diff: VecDeque<f64> = VecDeque::with_capacity(cb_size);
        let mut trace = Vec::new();
        let mut converged = false;

        writeln!(self.log, "Begin stochastic gradient ascent.")?;
        writeln!(self.log, "  iter             ELBO   delta_ELBO_mean   delta_ELBO_med   notes ")?;
        let start = Instant::now();

        let phase = Phase::new(config.progress, "Stochastic gradient ascent", max_iterations as u64);
        let mut iter_counter = 1;
        loop {
            phase.set(iter_counter as u64);
            AdviError::unless_interrupted()?;
            self.calc_grad(variational, &mut grad)?;
            Self::update(variational, &grad, &mut history, eta, iter_counter);
            let mut do_more_iterations = true;

            if iter_counter % eval_elbo == 0 {
                let elbo_prev = elbo;
                elbo = self.calc_elbo(variational)?;
                elbo_evaluated = true;
                if elbo > elbo_best {
                    elbo_best = elbo;
                }
                let delta_elbo = rel_difference(elbo, elbo_prev);
                if elbo_diff.len() == cb_size {
                    elbo_diff.pop_front();
                }
                elbo_diff.push_back(delta_elbo);
                let delta_elbo_ave = elbo_diff.iter().sum::<f64>() / elbo_diff.len() as f64;
                let delta_elbo_med = circular_buffer_median(&elbo_diff);
                let mut line = format!(
                    "  {:>4}  {:>15}  {:>16}  {:>15}",
                    iter_counter,
                    format_fixed3(elbo),
                    format_fixed3(delta_elbo_ave),
                    format_fixed3(delta_elbo_med)
                );
                let time_in_seconds = start.elapsed().as_millis() as f64 / 1000.0;
                trace.push(ElboPoint { iter: iter_counter, time_in_seconds, elbo });

                if delta_elbo_ave < config.tol_rel_obj {
                    line.push_str("   MEAN ELBO CONVERGED");
                    do_more_iterations = false;
                    converged = true;
                }
                if delta_elbo_med < config.tol_rel_obj {
                    line.push_str("   MEDIAN ELBO CONVERGED");
                    do_more_iterations = false;
                    converged = true;
                }
                if iter_counter > 10 * eval_elbo && (delta_elbo_med > 0.5 || delta_elbo_ave > 0.5) {
                    line.push_str("   MAY BE DIVERGING... INSPECT ELBO");
                }
                writeln!(self.log, "{line}")?;

                if !do_more_iterations && rel_difference(elbo, elbo_best) > 0.05 {
                    writeln!(
                        self.log,
                        "Informational Message: The ELBO at a previous iteration is larger than \
                         the ELBO upon convergence!"
                    )?;
                    writeln!(self.log, "This variational approximation may not have converged to a good optimum.")?;
                }
            }

            if iter_counter == max_iterations {
                writeln!(
                    self.log,
                    "Informational Message: The maximum number of iterations is reached! The \
                     algorithm may not have converged."
                )?;
                writeln!(self.log, "This variational approximation is not guaranteed to be meaningful.")?;
                do_more_iterations = false;
            }
            if !do_more_iterations {
                break;
            }
            iter_counter += 1;
        }
        Ok(Ascent { elbo: if elbo_evaluated { elbo } else { f64::NAN }, trace, iterations: iter_counter, converged })
    }

    /// The draws `advi::run` writes: the mean of q, then `output_samples` draws with their
    /// `log_p__` and `log_g__`.
    ///
    /// Stan lets an error in `log_prob` at an output draw abort the whole run after the fit has
    /// finished; here a domain error records `log_p__ = -inf` for that draw instead, which is
    /// what the density is there. Index and fatal errors still stop.
    #[allow(clippy::type_complexity)]
    fn output_draws(&mut self, q: &[f64]) -> Result<(Vec<Vec<f64>>, Vec<f64>, Vec<f64>), AdviError> {
        let n = self.family.dim;
        let n_draws = self.config.output_samples;
        let mut draws = Vec::with_capacity(n_draws + 1);
        let mut log_p = Vec::with_capacity(n_draws + 1);
        let mut log_g = Vec::with_capacity(n_draws + 1);
        draws.push(q[..n].to_vec());
        log_p.push(0.0);
        log_g.push(0.0);

        writeln!(self.log)?;
        writeln!(self.log, "Drawing a sample of size {n_draws} from the approximate posterior... ")?;
        let mut eta = vec![0.0; n];
        for _ in 0..n_draws {
            self.standard_normals(&mut eta);
            let draw_log_g = eta.iter().map(|e| -(e * e) * 0.5).sum::<f64>();
            let mut zeta = vec![0.0; n];
            self.family.transform(q, &eta, &mut zeta);
            let draw_log_p = match self.model.log_density(&zeta, false) {
                Ok(lp) => lp,
                Err(err) if err.kind == EvalErrorKind::Domain => f64::NEG_INFINITY,
                Err(err) => return Err(AdviError::Model(err)),
            };
            draws.push(zeta);
            log_p.push(draw_log_p);
            log_g.push(draw_log_g);
        }
        writeln!(self.log, "COMPLETED.")?;
        Ok((draws, log_p, log_g))
    }
}

/// Stan's `check_positive` on every count and tolerance, with its message.
fn check_config(model: &dyn Model, init: &[f64], config: &AdviConfig) -> Result<(), AdviError> {
    if init.len() != model.n_unconstrained() {
        return Err(AdviError::InvalidConfig(format!(
            "stan::variational::advi: the initial point has {} values, but the model has {} \
             unconstrained parameters",
            init.len(),
            model.n_unconstrained()
        )));
    }
    let checks: [(&str, &str, f64); 8] = [
        ("stan::variational::advi", "Number of Monte Carlo samples for gradients", config.grad_samples as f64),
        ("stan::variational::advi", "Number of Monte Carlo samples for ELBO", config.elbo_samples as f64),
        ("stan::variational::advi", "Evaluate ELBO at every eval_elbo iteration", config.eval_elbo as f64),
        ("stan::variational::advi", "Number of posterior samples for output", config.output_samples as f64),
        (
            "stan::variational::advi::adapt_eta",
            "Number of adaptation iterations",
            if config.adapt_engaged { config.adapt_iter as f64 } else { 1.0 },
        ),
        ("stan::variational::advi::stochastic_gradient_ascent", "Eta stepsize", config.eta),
        (
            "stan::variational::advi::stochastic_gradient_ascent",
            "Relative objective function tolerance",
            config.tol_rel_obj,
        ),
        ("stan::variational::advi::stochastic_gradient_ascent", "Maximum iterations", config.iter as f64),
    ];
    for (function, name, value) in checks {
        // NaN fails too, as in Stan's check.
        if value.is_nan() || value <= 0.0 {
            return Err(AdviError::InvalidConfig(format!(
                "{function}: {name} is {}, but must be positive!",
                format_g(value, 6)
            )));
        }
    }
    Ok(())
}

/// Stan's `print_progress` for the adaptation phase.
fn print_progress(
    log: &mut dyn Write,
    m: usize,
    start: usize,
    finish: usize,
    refresh: usize,
    tune: bool,
) -> io::Result<()> {
    let width = (finish as f64).log10().ceil() as usize;
    if start + m == finish || m == 1 || m.is_multiple_of(refresh) {
        let percent = (100 * (start + m)) / finish;
        let phase = if tune { " (Adaptation)" } else { " (Variational Inference)" };
        writeln!(log, "Iteration: {:>width$} / {finish} [{percent:>3}%] {phase}", m + start)?;
    }
    Ok(())
}

/// Stan's `rel_difference(prev, curr) = |(curr - prev) / prev|`, called as
/// `rel_difference(elbo, elbo_prev)`, so the change is relative to the newer value.
fn rel_difference(prev: f64, curr: f64) -> f64 {
    ((curr - prev) / prev).abs()
}

/// Stan's `circ_buff_median`: the element at index `len / 2` of the sorted buffer, which is
/// the upper of the two middle values when the length is even.
fn circular_buffer_median(buffer: &VecDeque<f64>) -> f64 {
    let mut values: Vec<f64> = buffer.iter().copied().collect();
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// `std::fixed << std::setprecision(3)`; C++ prints NaN as `nan` where Rust prints `NaN`.
fn format_fixed3(value: f64) -> String {
    if value.is_nan() { "nan".to_string() } else { format!("{value:.3}") }
}
