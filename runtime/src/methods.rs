//! CmdStan's methods besides `variational` and `log_prob`, as a built executable runs them:
//! `optimize`, `pathfinder`, `generate_quantities` and `diagnose`. Each writes CmdStan's CSV
//! (the configuration as comments, then its columns) and CmdStan's console messages, and
//! returns CmdStan's exit code. [`crate::standalone`] reads the command line into their
//! settings.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use nalgebra::{DMatrix, DVector};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::Model;
use crate::advi::{self, AdviError, InitConfig};
use crate::app::{self, Init};
use crate::compiled::CompiledModel;
use crate::model::EvalErrorKind;
use crate::output::{self, CsvHeader, MethodBlock, format_g};
use crate::quasi_newton::{self, Evaluation, Memory, Settings, Step, Tolerances};

/// CmdStan's exit code when a method fails while it runs (EX_SOFTWARE).
pub const SOFTWARE: i32 = 70;
/// CmdStan's exit code for a configuration the model cannot run (EX_CONFIG).
pub const CONFIG: i32 = 78;

/// A failure: CmdStan's exit code and the message.
pub type Failure = (i32, String);

/// What every method is given besides its own settings.
pub struct Common<'a> {
    pub model: &'a CompiledModel,
    /// The header's shared part (data file, init, output file, …); each method sets its block.
    pub header: CsvHeader,
    pub output: PathBuf,
    pub init: Init,
    pub seed: u64,
    pub sig_figs: usize,
    pub refresh: usize,
}

impl Common<'_> {
    /// The starting point on the unconstrained scale: from the init file, or drawn uniformly
    /// within the radius (retried as Stan does until the density is finite); `stream` tells the
    /// draws of several starting points apart.
    fn initial_point(&self, stream: u64, out: &mut dyn Write) -> Result<Vec<f64>, Failure> {
        match &self.init {
            Init::File(path) => app::read_inits(self.model, path, self.seed).map_err(|e| (SOFTWARE, e)),
            Init::Radius(radius) => {
                let seed = if stream == 0 { self.seed } else { self.seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15) };
                let config = InitConfig { radius: *radius, seed, print_timing: false };
                advi::random_inits(self.model, &config, out).map_err(|e| (SOFTWARE, e.to_string()))
            }
        }
    }

    /// The CSV at `path` with `block` as its method, columns `columns` and the rows.
    fn write_csv(&self, path: &Path, block: MethodBlock, columns: &[String], rows: &[Vec<f64>]) -> Result<(), Failure> {
        let header = CsvHeader { method: block.into(), ..self.header.clone() };
        output::write_atomically(path, |out| {
            output::write_config_comments(out, &header)?;
            writeln!(out, "{}", columns.join(","))?;
            for row in rows {
                let fields: Vec<String> = row.iter().map(|v| format_g(*v, self.sig_figs)).collect();
                writeln!(out, "{}", fields.join(","))?;
            }
            Ok(())
        })
        .map_err(|e| (73, format!("cannot write `{}`: {e}", path.display())))
    }

    /// The outputs (parameters, transformed parameters, generated quantities) at each point.
    fn outputs(&self, thetas: &[Vec<f64>], out: &mut dyn Write) -> Result<Vec<Vec<f64>>, Failure> {
        advi::constrained_rows(self.model, thetas, self.seed, out).map_err(|e| (SOFTWARE, e.to_string()))
    }
}

fn model_error(e: AdviError) -> Failure {
    (SOFTWARE, e.to_string())
}

/// The objective the optimisers minimise: −log p (propto, with or without the Jacobian) and
/// its gradient; `None` where the model raises a domain error or is not finite. Index and fatal
/// errors stop the run.
fn objective(model: &CompiledModel, jacobian: bool, x: &[f64]) -> Result<Evaluation, AdviError> {
    let mut grad = vec![0.0; x.len()];
    match model.gradient_with_jacobian(x, jacobian, &mut grad) {
        Ok(lp) if lp.is_finite() && grad.iter().all(|g| g.is_finite()) => {
            grad.iter_mut().for_each(|g| *g = -*g);
            Ok(Some((-lp, grad)))
        }
        Ok(_) => Ok(None),
        Err(e) if e.kind == EvalErrorKind::Domain => Ok(None),
        Err(e) => Err(AdviError::Model(e)),
    }
}

/// Where an optimiser starts: the point, −log p there and its gradient.
fn start(model: &CompiledModel, jacobian: bool, x: Vec<f64>) -> Result<(Vec<f64>, f64, Vec<f64>), Failure> {
    match objective(model, jacobian, &x).map_err(model_error)? {
        Some((f, g)) => Ok((x, f, g)),
        None => Err((SOFTWARE, "the log density or its gradient is not finite at the initial point".into())),
    }
}

// ---------------------------------------------------------------------------------------------
// optimize

/// `optimize algorithm=`: the quasi-Newton methods, or Newton's with the exact Hessian.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizeAlgorithm {
    Lbfgs,
    Bfgs,
    Newton,
}

/// `optimize`'s arguments, CmdStan's defaults in `Default`.
#[derive(Clone, Debug, PartialEq)]
pub struct OptimizeConfig {
    pub algorithm: OptimizeAlgorithm,
    /// With the Jacobian: the mode on the unconstrained scale; without (the default): the mode
    /// of the posterior density of the constrained parameters (Stan's MAP).
    pub jacobian: bool,
    pub iter: usize,
    pub init_alpha: f64,
    pub tol: Tolerances,
    pub history_size: usize,
    /// One row per iteration (the start included), not only the last.
    pub save_iterations: bool,
}

impl Default for OptimizeConfig {
    fn default() -> Self {
        OptimizeConfig {
            algorithm: OptimizeAlgorithm::Lbfgs,
            jacobian: false,
            iter: 2000,
            init_alpha: 0.001,
            tol: Tolerances::CMDSTAN,
            history_size: 5,
            save_iterations: false,
        }
    }
}

/// The L-BFGS tolerances as CmdStan echoes them (optimize's `lbfgs`/`bfgs` group, pathfinder's).
fn tolerance_args(block: &mut MethodBlock, depth: usize, init_alpha: f64, tol: &Tolerances) {
    let d = Tolerances::CMDSTAN;
    block
        .arg(depth, "init_alpha", format_g(init_alpha, 6), init_alpha == 0.001)
        .arg(depth, "tol_obj", format_g(tol.obj, 6), tol.obj == d.obj)
        .arg(depth, "tol_rel_obj", format_g(tol.rel_obj, 6), tol.rel_obj == d.rel_obj)
        .arg(depth, "tol_grad", format_g(tol.grad, 6), tol.grad == d.grad)
        .arg(depth, "tol_rel_grad", format_g(tol.rel_grad, 6), tol.rel_grad == d.rel_grad)
        .arg(depth, "tol_param", format_g(tol.param, 6), tol.param == d.param);
}

impl OptimizeConfig {
    fn block(&self, seed: u64) -> MethodBlock {
        let d = OptimizeConfig::default();
        let mut block = MethodBlock::new("optimize", seed);
        let name = match self.algorithm {
            OptimizeAlgorithm::Lbfgs => "lbfgs",
            OptimizeAlgorithm::Bfgs => "bfgs",
            OptimizeAlgorithm::Newton => "newton",
        };
        block.arg(2, "algorithm", name, self.algorithm == d.algorithm).group(3, name);
        if self.algorithm != OptimizeAlgorithm::Newton {
            tolerance_args(&mut block, 4, self.init_alpha, &self.tol);
        }
        if self.algorithm == OptimizeAlgorithm::Lbfgs {
            block.arg(4, "history_size", self.history_size, self.history_size == d.history_size);
        }
        block
            .arg(2, "jacobian", u8::from(self.jacobian), self.jacobian == d.jacobian)
            .arg(2, "iter", self.iter, self.iter == d.iter)
            .arg(2, "save_iterations", u8::from(self.save_iterations), self.save_iterations == d.save_iterations);
        block
    }
}

/// CmdStan's `optimize`: L-BFGS or BFGS from the initial point to a mode, its progress table on
/// `out` every `refresh` iterations, and the CSV of `lp__` and the outputs at the mode (or at
/// every iterate). The exit code is 0 when it converged or hit the iteration limit, 70 when the
/// line search failed, as CmdStan's.
pub fn optimize(c: &Common, config: &OptimizeConfig, out: &mut dyn Write) -> Result<i32, Failure> {
    if config.algorithm == OptimizeAlgorithm::Newton {
        return newton(c, config, out);
    }
    let model = c.model;
    let x0 = c.initial_point(0, out)?;
    let (x0, f0, g0) = start(model, config.jacobian, x0)?;
    let _ = writeln!(out, "Initial log joint probability = {}", format_g(-f0, 6));
    let mut points = vec![(x0.clone(), -f0)];
    let settings = Settings {
        memory: match config.algorithm {
            OptimizeAlgorithm::Lbfgs => Memory::Limited { history: config.history_size },
            OptimizeAlgorithm::Bfgs | OptimizeAlgorithm::Newton => Memory::Dense,
        },
        max_iters: config.iter,
        init_alpha: Some(config.init_alpha),
        tol: config.tol,
    };
    let table_header = "    Iter      log prob        ||dx||      ||grad||       alpha      alpha0  # evals  Notes ";
    let refresh = c.refresh;
    let mut last_row: Option<(String, bool)> = None;
    let outcome = {
        let mut on_step = |step: &Step| -> Result<(), AdviError> {
            let row = format!(
                " {:>7}  {:>12}  {:>12}  {:>12}  {:>10}  {:>10}  {:>7}  {} ",
                step.iter,
                format_g(-step.f, 6),
                format_g(quasi_newton::dot(step.s, step.s).sqrt(), 6),
                format_g(quasi_newton::dot(step.grad, step.grad).sqrt(), 6),
                format_g(step.alpha, 4),
                format_g(step.alpha0, 4),
                step.evals,
                step.note
            );
            let show = refresh > 0 && (step.iter == 1 || step.iter.is_multiple_of(refresh) || !step.note.is_empty());
            if show {
                let _ = writeln!(out, "{table_header}\n{row}");
            }
            last_row = Some((row, show));
            if config.save_iterations {
                points.push((step.x.to_vec(), -step.f));
            }
            Ok(())
        };
        quasi_newton::minimize(x0, f0, g0, &settings, &mut |x| objective(model, config.jacobian, x), &mut on_step)
            .map_err(model_error)?
    };
    if let Some((row, false)) = last_row
        && refresh > 0
    {
        let _ = writeln!(out, "{table_header}\n{row}");
    }
    if !config.save_iterations {
        points = vec![(outcome.x.clone(), -outcome.f)];
    }
    write_points(c, config, &points, out)?;
    let code = if outcome.termination.is_error() {
        let _ = writeln!(out, "Optimization terminated with error: ");
        SOFTWARE
    } else {
        let _ = writeln!(out, "Optimization terminated normally: ");
        0
    };
    let _ = writeln!(out, "  {}", outcome.termination.message());
    Ok(code)
}

/// CmdStan's `optimize algorithm=newton`: Newton steps with the exact Hessian (Stan's takes
/// finite differences of gradients), each made an ascent by flipping the sign of the Hessian's
/// positive eigenvalues, and halved from a full step until the log density does not fall; it
/// stops when an iteration improves the log density by less than 1e-8, or after `iter`. The
/// log density is the propto one, with or without the Jacobian as `jacobian=` says, for the
/// first line too (Stan's first line keeps every constant, which makes its first "Improved by"
/// mix two scales).
fn newton(c: &Common, config: &OptimizeConfig, out: &mut dyn Write) -> Result<i32, Failure> {
    let model = c.model;
    let x0 = c.initial_point(0, out)?;
    let (mut x, f0, _) = start(model, config.jacobian, x0)?;
    let mut lp = -f0;
    let _ = writeln!(out, "Initial log joint probability = {}", format_g(lp, 6));
    let mut points = vec![(x.clone(), lp)];
    for m in 0..config.iter {
        AdviError::unless_interrupted().map_err(model_error)?;
        let last = lp;
        let Some(next) = newton_step(model, config.jacobian, &mut x, lp)? else { break };
        lp = next;
        let _ = writeln!(
            out,
            "Iteration {:>2}. Log joint probability = {:>10}. Improved by {}.",
            m + 1,
            format_g(lp, 6),
            format_g(lp - last, 6)
        );
        if config.save_iterations {
            points.push((x.clone(), lp));
        }
        if (lp - last).abs() < 1e-8 {
            break;
        }
    }
    if !config.save_iterations {
        points = vec![(x, lp)];
    }
    write_points(c, config, &points, out)?;
    Ok(0)
}

/// `optimize`'s CSV: `lp__` and every output at each point (the mode, or every iterate).
fn write_points(
    c: &Common,
    config: &OptimizeConfig,
    points: &[(Vec<f64>, f64)],
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mut columns = vec!["lp__".to_string()];
    columns.extend(c.model.output_names().iter().map(|n| n.csv()));
    let thetas: Vec<Vec<f64>> = points.iter().map(|(x, _)| x.clone()).collect();
    let rows: Vec<Vec<f64>> = c
        .outputs(&thetas, out)?
        .into_iter()
        .zip(points)
        .map(|(values, (_, lp))| std::iter::once(*lp).chain(values).collect())
        .collect();
    c.write_csv(&c.output, config.block(c.seed), &columns, &rows)
}

/// One Newton step from `x`, whose log density is `lp`: the direction `Σ vᵢ vᵢᵀ g / |λᵢ|` over
/// the Hessian's eigenpairs (the Newton direction where the log density is concave, an ascent
/// everywhere), halved from twice its length until the log density is no lower. Moves `x` and
/// returns the new log density; `None` when no step down to 1e-50 of it is an improvement (the
/// point is a maximum to rounding).
fn newton_step(model: &CompiledModel, jacobian: bool, x: &mut [f64], lp: f64) -> Result<Option<f64>, Failure> {
    let n = x.len();
    let h = if jacobian { model.hessian(x) } else { model.hessian_no_jacobian(x) }
        .map_err(|e| (SOFTWARE, format!("algorithm=newton: {}", e.message)))?;
    let symmetric: Vec<f64> = (0..n * n).map(|ij| 0.5 * (h.hessian[ij] + h.hessian[(ij % n) * n + ij / n])).collect();
    let (values, vectors) = crate::vi::symmetric_eigen(n, &symmetric);
    let mut direction = vec![0.0; n];
    for (k, value) in values.iter().enumerate() {
        let projection: f64 = (0..n).map(|i| vectors[i * n + k] * h.gradient[i]).sum::<f64>() / value.abs();
        for (i, d) in direction.iter_mut().enumerate() {
            *d += vectors[i * n + k] * projection;
        }
    }
    let mut step = 2.0;
    while step > 1e-50 {
        step *= 0.5;
        let trial: Vec<f64> = x.iter().zip(&direction).map(|(x, d)| x + step * d).collect();
        if let Some((f, _)) = objective(model, jacobian, &trial).map_err(model_error)?
            && -f >= lp
        {
            x.copy_from_slice(&trial);
            return Ok(Some(-f));
        }
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------------
// pathfinder

/// `pathfinder`'s arguments, CmdStan's defaults in `Default`.
#[derive(Clone, Debug, PartialEq)]
pub struct PathfinderConfig {
    pub init_alpha: f64,
    pub tol: Tolerances,
    pub history_size: usize,
    /// Draws kept after resampling the draws of every path by their importance weights.
    pub num_psis_draws: usize,
    pub num_paths: usize,
    /// Each path's draws also in a CSV of its own (`OUTPUT_path_K.csv`).
    pub save_single_paths: bool,
    pub psis_resample: bool,
    /// Compute log p of each draw (without it, `lp__` is NaN and nothing is resampled).
    pub calculate_lp: bool,
    pub max_lbfgs_iters: usize,
    /// Draws per path, from the path's best Gaussian.
    pub num_draws: usize,
    /// Draws that estimate the ELBO of each Gaussian along a path.
    pub num_elbo_draws: usize,
}

impl Default for PathfinderConfig {
    fn default() -> Self {
        PathfinderConfig {
            init_alpha: 0.001,
            tol: Tolerances::CMDSTAN,
            history_size: 5,
            num_psis_draws: 1000,
            num_paths: 4,
            save_single_paths: false,
            psis_resample: true,
            calculate_lp: true,
            max_lbfgs_iters: 1000,
            num_draws: 1000,
            num_elbo_draws: 25,
        }
    }
}

impl PathfinderConfig {
    fn block(&self, seed: u64) -> MethodBlock {
        let d = PathfinderConfig::default();
        let mut block = MethodBlock::new("pathfinder", seed);
        tolerance_args(&mut block, 2, self.init_alpha, &self.tol);
        block
            .arg(2, "history_size", self.history_size, self.history_size == d.history_size)
            .arg(2, "num_psis_draws", self.num_psis_draws, self.num_psis_draws == d.num_psis_draws)
            .arg(2, "num_paths", self.num_paths, self.num_paths == d.num_paths)
            .arg(2, "save_single_paths", u8::from(self.save_single_paths), !self.save_single_paths)
            .arg(2, "psis_resample", u8::from(self.psis_resample), self.psis_resample)
            .arg(2, "calculate_lp", u8::from(self.calculate_lp), self.calculate_lp)
            .arg(2, "max_lbfgs_iters", self.max_lbfgs_iters, self.max_lbfgs_iters == d.max_lbfgs_iters)
            .arg(2, "num_draws", self.num_draws, self.num_draws == d.num_draws)
            .arg(2, "num_elbo_draws", self.num_elbo_draws, self.num_elbo_draws == d.num_elbo_draws);
        block
    }
}

/// Pathfinder's Gaussian at one iterate (Zhang, Carpenter, Gelman and Vehtari 2022): mean
/// x − H∇f and covariance H = A + B M Bᵀ, the L-BFGS inverse Hessian in its compact form
/// (Byrd, Nocedal and Schnabel 1994) with the diagonal A = diag(α) as its start. Drawn as
/// μ + A^½ (u + Q (L − I) Qᵀ u), where Q T is the thin QR factorisation of A^−½ B and L the
/// Cholesky factor of I + T M Tᵀ: then the factor's product is H, and its log determinant is
/// ½ Σ log α + Σ log Lᵢᵢ. Costs O(n m²) per iterate for m pairs, never n².
pub struct Gaussian {
    mean: DVector<f64>,
    sqrt_alpha: DVector<f64>,
    q: DMatrix<f64>,
    /// L − I.
    l_minus_i: DMatrix<f64>,
    log_det: f64,
}

impl Gaussian {
    /// The Gaussian from the pairs (s, y) (oldest first), the diagonal `alpha`, the iterate `x`
    /// and the objective's gradient `grad` there; `None` when the covariance is not positive
    /// definite.
    pub fn new(pairs: &[(Vec<f64>, Vec<f64>)], alpha: &[f64], x: &[f64], grad: &[f64]) -> Option<Gaussian> {
        let n = x.len();
        let m = pairs.len();
        let s = DMatrix::from_fn(n, m, |i, j| pairs[j].0[i]);
        let y = DMatrix::from_fn(n, m, |i, j| pairs[j].1[i]);
        let a = DVector::from_column_slice(alpha);
        let sy = s.transpose() * &y;
        let r = sy.upper_triangle();
        let r_inv = r.clone().try_inverse()?;
        let ay = DMatrix::from_fn(n, m, |i, j| a[i] * y[(i, j)]);
        let mut inner = y.transpose() * &ay;
        for k in 0..m {
            inner[(k, k)] += sy[(k, k)];
        }
        // M = [[R⁻ᵀ (D + Yᵀ A Y) R⁻¹, −R⁻ᵀ], [−R⁻¹, 0]] for B = [S, A Y].
        let mut big_m = DMatrix::zeros(2 * m, 2 * m);
        big_m.view_mut((0, 0), (m, m)).copy_from(&(r_inv.transpose() * inner * &r_inv));
        big_m.view_mut((0, m), (m, m)).copy_from(&(-r_inv.transpose()));
        big_m.view_mut((m, 0), (m, m)).copy_from(&(-&r_inv));
        let mut b = DMatrix::zeros(n, 2 * m);
        b.view_mut((0, 0), (n, m)).copy_from(&s);
        b.view_mut((0, m), (n, m)).copy_from(&ay);
        let g = DVector::from_column_slice(grad);
        let hg = a.component_mul(&g) + &b * (&big_m * (b.transpose() * &g));
        let mean = DVector::from_column_slice(x) - hg;
        let sqrt_alpha = a.map(f64::sqrt);
        let scaled_b = DMatrix::from_fn(n, 2 * m, |i, j| b[(i, j)] / sqrt_alpha[i]);
        let qr = scaled_b.qr();
        let (q, t) = (qr.q(), qr.r());
        let k = q.ncols();
        let c = DMatrix::identity(k, k) + &t * big_m * t.transpose();
        let l = c.cholesky()?.l();
        let log_det = sqrt_alpha.iter().map(|v| v.ln()).sum::<f64>() + l.diagonal().iter().map(|v| v.ln()).sum::<f64>();
        let l_minus_i = l - DMatrix::identity(k, k);
        let finite = mean.iter().all(|v| v.is_finite()) && log_det.is_finite();
        finite.then_some(Gaussian { mean, sqrt_alpha, q, l_minus_i, log_det })
    }

    /// A draw from standard normals `u`, and log q there (every constant included).
    pub fn draw(&self, u: &[f64]) -> (Vec<f64>, f64) {
        let u = DVector::from_column_slice(u);
        let inner = &u + &self.q * (&self.l_minus_i * (self.q.transpose() * &u));
        let x = &self.mean + self.sqrt_alpha.component_mul(&inner);
        let n = u.len() as f64;
        let log_q = -self.log_det - 0.5 * (u.norm_squared() + n * (2.0 * std::f64::consts::PI).ln());
        (x.iter().copied().collect(), log_q)
    }
}

/// Gilbert and Lemaréchal's diagonal update (1989, eq. 4.9) of the start of the inverse
/// Hessian, from the newest pair; kept as it was when the update is not positive.
fn update_diagonal(alpha: &mut [f64], s: &[f64], y: &[f64]) {
    let y_alpha_y: f64 = y.iter().zip(alpha.iter()).map(|(y, a)| a * y * y).sum();
    let sy = quasi_newton::dot(s, y);
    let s_alpha_s: f64 = s.iter().zip(alpha.iter()).map(|(s, a)| s * s / a).sum();
    let next: Vec<f64> = (0..alpha.len())
        .map(|i| sy / (y_alpha_y / alpha[i] + y[i] * y[i] - y_alpha_y / s_alpha_s * (s[i] / alpha[i]).powi(2)))
        .collect();
    if next.iter().all(|a| a.is_finite() && *a > 0.0) {
        alpha.copy_from_slice(&next);
    }
}

/// `count` draws from `gaussian`: the points, log q and log p of each (NaN without `lp`).
type Draws = (Vec<Vec<f64>>, Vec<f64>, Vec<f64>);

fn draw_from(model: &CompiledModel, gaussian: &Gaussian, count: usize, rng: &mut ChaCha8Rng, lp: bool) -> Draws {
    let n = model.n_unconstrained();
    let mut points = Vec::with_capacity(count);
    let (mut log_q, mut log_p) = (Vec::with_capacity(count), Vec::with_capacity(count));
    for _ in 0..count {
        let u: Vec<f64> = (0..n).map(|_| StandardNormal.sample(rng)).collect();
        let (x, q) = gaussian.draw(&u);
        // Stan's `log_prob<false, true>`: every constant, with the Jacobian; a domain error is
        // a density of zero.
        let p = if lp { model.log_density(&x, false).unwrap_or(f64::NEG_INFINITY) } else { f64::NAN };
        points.push(x);
        log_q.push(q);
        log_p.push(p);
    }
    (points, log_q, log_p)
}

/// One path: L-BFGS from its initial point, the Gaussian of every iterate scored by its ELBO,
/// and `num_draws` draws from the best. `None` when no Gaussian along the path could be scored.
fn single_path(
    c: &Common,
    config: &PathfinderConfig,
    path: usize,
    out: &mut dyn Write,
) -> Result<Option<Draws>, Failure> {
    let model = c.model;
    let label = format!("Path [{}] :", path + 1);
    let x0 = c.initial_point(path as u64, out)?;
    let (x0, f0, g0) = start(model, true, x0)?;
    if c.refresh > 0 {
        let _ = writeln!(out, "{label}Initial log joint density = {}", format_g(-f0, 6));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(c.seed);
    rng.set_stream(1 + path as u64);
    let n = x0.len();
    let mut alpha = vec![1.0; n];
    let mut pairs: std::collections::VecDeque<(Vec<f64>, Vec<f64>)> = std::collections::VecDeque::new();
    let mut best: Option<(f64, usize, Gaussian)> = None;
    let settings = Settings {
        memory: Memory::Limited { history: config.history_size },
        max_iters: config.max_lbfgs_iters,
        init_alpha: Some(config.init_alpha),
        tol: config.tol,
    };
    let outcome = {
        let mut on_step = |step: &Step| -> Result<(), AdviError> {
            // Stan keeps a pair only if its curvature is positive and tame.
            let sy = quasi_newton::dot(step.s, step.y);
            if sy > 0.0 && quasi_newton::dot(step.y, step.y) / sy <= 1e12 {
                update_diagonal(&mut alpha, step.s, step.y);
                if pairs.len() >= config.history_size.max(1) {
                    pairs.pop_front();
                }
                pairs.push_back((step.s.to_vec(), step.y.to_vec()));
            }
            let history: Vec<(Vec<f64>, Vec<f64>)> = pairs.iter().cloned().collect();
            let Some(gaussian) = Gaussian::new(&history, &alpha, step.x, step.grad) else { return Ok(()) };
            let (_, log_q, log_p) = draw_from(model, &gaussian, config.num_elbo_draws, &mut rng, true);
            let elbo = log_p.iter().zip(&log_q).map(|(p, q)| p - q).sum::<f64>() / log_q.len().max(1) as f64;
            if c.refresh > 0 && (step.iter.is_multiple_of(c.refresh) || step.iter == 1) {
                let _ = writeln!(
                    out,
                    "{label}Iter: [{}] log joint density = {}, ELBO {}",
                    step.iter,
                    format_g(-step.f, 6),
                    format_g(elbo, 6)
                );
            }
            if !elbo.is_nan() && best.as_ref().is_none_or(|(b, _, _)| elbo > *b) {
                best = Some((elbo, step.iter, gaussian));
            }
            Ok(())
        };
        quasi_newton::minimize(x0, f0, g0, &settings, &mut |x| objective(model, true, x), &mut on_step)
            .map_err(model_error)?
    };
    if outcome.termination.is_error() {
        let _ = writeln!(
            out,
            "{label}Optimization terminated with error: {}; Stan will still attempt pathfinder",
            outcome.termination.message()
        );
    }
    let Some((elbo, iter, gaussian)) = best else {
        let _ = writeln!(out, "{label}Failure: None of the LBFGS iterations completed successfully");
        return Ok(None);
    };
    if c.refresh > 0 {
        let _ =
            writeln!(out, "{label}Best Iter: [{iter}] ELBO ({}) evaluations: ({})", format_g(elbo, 6), outcome.evals);
    }
    Ok(Some(draw_from(model, &gaussian, config.num_draws, &mut rng, config.calculate_lp)))
}

/// CmdStan's `pathfinder`: `num_paths` single paths, their draws pooled and resampled by their
/// Pareto-smoothed importance weights (one path's draws are written as they are), in a CSV of
/// `lp_approx__` (log q), `lp__` (log p) and the outputs.
pub fn pathfinder(c: &Common, config: &PathfinderConfig, out: &mut dyn Write) -> Result<i32, Failure> {
    let started = Instant::now();
    let mut columns = vec!["lp_approx__".to_string(), "lp__".to_string()];
    columns.extend(c.model.output_names().iter().map(|n| n.csv()));
    let mut pooled: Draws = (Vec::new(), Vec::new(), Vec::new());
    for path in 0..config.num_paths {
        let Some((points, log_q, log_p)) = single_path(c, config, path, out)? else { continue };
        if config.save_single_paths {
            let file = single_path_file(&c.output, path + 1);
            let single = PathfinderConfig { num_paths: 1, ..config.clone() };
            let rows = rows_of(c, &points, &log_q, &log_p, out)?;
            c.write_csv(&file, single.block(c.seed), &columns, &rows)?;
        }
        pooled.0.extend(points);
        pooled.1.extend(log_q);
        pooled.2.extend(log_p);
    }
    if pooled.0.is_empty() {
        let _ = writeln!(out, "No pathfinders ran successfully");
        return Ok(SOFTWARE);
    }
    let (points, log_q, log_p) = pooled;
    let keep: Vec<usize> = if config.num_paths > 1 && config.psis_resample && config.calculate_lp {
        let ratios: Vec<f64> = log_p.iter().zip(&log_q).map(|(p, q)| p - q).collect();
        let weights = crate::psis::psis(&ratios).weights();
        crate::vi::systematic_resample(&weights, config.num_psis_draws, c.seed)
    } else {
        (0..points.len()).collect()
    };
    let pick = |v: &[f64]| -> Vec<f64> { keep.iter().map(|&k| v[k]).collect() };
    let chosen: Vec<Vec<f64>> = keep.iter().map(|&k| points[k].clone()).collect();
    let rows = rows_of(c, &chosen, &pick(&log_q), &pick(&log_p), out)?;
    c.write_csv(&c.output, config.block(c.seed), &columns, &rows)?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = writeln!(out, "Elapsed Time: {} seconds (Pathfinders)", format_g(seconds, 6));
    Ok(0)
}

/// `OUTPUT_path_K.csv` beside `OUTPUT.csv`: a single path's draws.
fn single_path_file(output: &Path, k: usize) -> PathBuf {
    let stem = output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    output.with_file_name(format!("{stem}_path_{k}.csv"))
}

/// Pathfinder's CSV rows: log q, log p, then the outputs of each draw.
fn rows_of(
    c: &Common,
    points: &[Vec<f64>],
    log_q: &[f64],
    log_p: &[f64],
    out: &mut dyn Write,
) -> Result<Vec<Vec<f64>>, Failure> {
    let values = c.outputs(points, out)?;
    Ok(values.into_iter().enumerate().map(|(k, v)| [log_q[k], log_p[k]].into_iter().chain(v).collect()).collect())
}

// ---------------------------------------------------------------------------------------------
// generate_quantities

/// CmdStan's standalone `generate_quantities`: for each row of `fitted_params` (a Stan CSV of
/// draws, ours or CmdStan's), the parameters are read by name, unconstrained (the model's
/// `unconstrain` entry point) and run through `write_array`; the CSV holds the input's method
/// columns (`lp__`, …) and every output, the generated quantities new.
pub fn generate_quantities(c: &Common, fitted_params: &Path, out: &mut dyn Write) -> Result<i32, Failure> {
    let model = c.model;
    if model.meta().n_generated == 0 {
        return Err((CONFIG, "Model doesn't generate any quantities of interest".into()));
    }
    let text = std::fs::read_to_string(fitted_params)
        .map_err(|e| (crate::standalone::DATA_ERROR, format!("cannot read `{}`: {e}", fitted_params.display())))?;
    let csv = output::parse_stan_csv(&text)
        .map_err(|e| (crate::standalone::DATA_ERROR, format!("in `{}`: {e}", fitted_params.display())))?;
    let method_columns: Vec<usize> = (0..csv.columns.len()).filter(|&k| csv.columns[k].ends_with("__")).collect();
    let mut thetas = Vec::with_capacity(csv.rows.len());
    let mut rng = ChaCha8Rng::seed_from_u64(c.seed);
    for (r, row) in csv.rows.iter().enumerate() {
        let json = parameters_json(model, &csv.columns, row).map_err(|e| (crate::standalone::DATA_ERROR, e))?;
        let values = crate::data::parse_data_file(&json)
            .map_err(|e| (crate::standalone::DATA_ERROR, format!("in `{}`: {e}", fitted_params.display())))?;
        let theta = model.unconstrain(&values, &mut rng).map_err(|e| {
            (crate::standalone::DATA_ERROR, format!("in `{}`, draw {}: {}", fitted_params.display(), r + 1, e.message))
        })?;
        thetas.push(theta);
    }
    let mut columns: Vec<String> = method_columns.iter().map(|&k| csv.columns[k].clone()).collect();
    columns.extend(model.output_names().iter().map(|n| n.csv()));
    let rows: Vec<Vec<f64>> = c
        .outputs(&thetas, out)?
        .into_iter()
        .zip(&csv.rows)
        .map(|(values, row)| method_columns.iter().map(|&k| row[k]).chain(values).collect())
        .collect();
    let mut block = MethodBlock::new("generate_quantities", c.seed);
    block.arg(2, "fitted_params", fitted_params.display(), false);
    c.write_csv(&c.output, block, &columns, &rows)?;
    Ok(0)
}

/// The parameters of one CSV row as a CmdStan JSON object: each element read from the column
/// its Stan name gives (`theta.2.1`, complex parts `.real`/`.imag`), nested as the JSON wants.
/// Also how `laplace` reads its mode from an optimize CSV.
pub fn parameters_json(model: &CompiledModel, columns: &[String], row: &[f64]) -> Result<String, String> {
    let mut object = serde_json::Map::new();
    for spec in &model.meta().parameters {
        let mut value = serde_json::Value::Null;
        let mut found = false;
        for (k, column) in columns.iter().enumerate() {
            let Some(rest) = column.strip_prefix(spec.name.as_str()) else { continue };
            if !(rest.is_empty() || rest.starts_with('.')) {
                continue;
            }
            let mut path: Vec<usize> = Vec::new();
            for part in rest.split('.').skip(1) {
                match part {
                    "real" => path.push(1),
                    "imag" => path.push(2),
                    _ => path.push(
                        part.parse().map_err(|_| format!("column `{column}` is not an element of `{}`", spec.name))?,
                    ),
                }
            }
            insert(&mut value, &path, row[k]);
            found = true;
        }
        if !found {
            return Err(format!("the fitted parameters lack `{}`, a parameter of the model", spec.name));
        }
        object.insert(spec.name.clone(), value);
    }
    Ok(serde_json::Value::Object(object).to_string())
}

/// Sets the element at the 1-based `path` of nested arrays, growing them as needed.
fn insert(value: &mut serde_json::Value, path: &[usize], x: f64) {
    let Some((&first, rest)) = path.split_first() else {
        *value = serde_json::json!(x);
        return;
    };
    if !value.is_array() {
        *value = serde_json::Value::Array(Vec::new());
    }
    let items = value.as_array_mut().expect("an array");
    if items.len() < first {
        items.resize(first, serde_json::Value::Null);
    }
    insert(&mut items[first - 1], rest, x);
}

// ---------------------------------------------------------------------------------------------
// diagnose

/// The model's gradient at a point beside central finite differences of its log density (the
/// propto density with the Jacobian, the one the fit differentiates): a user's check of the
/// compiled gradient, what `vppl diagnose` and CmdStan's `diagnose` print. The one place
/// outside tests where finite differences belong.
pub struct GradientCheck {
    pub log_density: f64,
    pub gradient: Vec<f64>,
    pub finite_differences: Vec<f64>,
}

pub fn gradient_check(model: &dyn Model, point: &[f64], epsilon: f64) -> Result<GradientCheck, crate::EvalError> {
    let n = point.len();
    let mut gradient = vec![0.0; n];
    let log_density = model.log_density_gradient(point, &mut gradient)?;
    let mut finite_differences = vec![0.0; n];
    for i in 0..n {
        let mut p = point.to_vec();
        p[i] = point[i] + epsilon;
        let up = model.log_density(&p, true)?;
        p[i] = point[i] - epsilon;
        let down = model.log_density(&p, true)?;
        finite_differences[i] = (up - down) / (2.0 * epsilon);
    }
    Ok(GradientCheck { log_density, gradient, finite_differences })
}

/// CmdStan's `diagnose test=gradient`: the gradient at the initial point beside finite
/// differences, printed and written (as comments) to the output file in CmdStan's layout.
pub fn diagnose(c: &Common, epsilon: f64, error: f64, out: &mut dyn Write) -> Result<i32, Failure> {
    let point = c.initial_point(0, out)?;
    let check = gradient_check(c.model, &point, epsilon).map_err(|e| (SOFTWARE, e.to_string()))?;
    let mut lines = vec![String::new(), format!(" Log probability={}", format_g(check.log_density, 6)), String::new()];
    lines.push(format!("{:>10}{:>16}{:>16}{:>16}{:>16}", "param idx", "value", "model", "finite diff", "error"));
    for (k, x) in point.iter().enumerate() {
        let (g, fd) = (check.gradient[k], check.finite_differences[k]);
        lines.push(format!(
            "{k:>10}{:>16}{:>16}{:>16}{:>16}",
            format_g(*x, 6),
            format_g(g, 6),
            format_g(fd, 6),
            format_g(g - fd, 6)
        ));
    }
    let _ = writeln!(out, "TEST GRADIENT MODE");
    for line in &lines {
        let _ = writeln!(out, "{line}");
    }
    let mut block = MethodBlock::new("diagnose", c.seed);
    block
        .arg(2, "test", "gradient", true)
        .group(3, "gradient")
        .arg(4, "epsilon", format_g(epsilon, 6), epsilon == 1e-6)
        .arg(4, "error", format_g(error, 6), error == 1e-6);
    let header = CsvHeader { method: block.into(), ..c.header.clone() };
    output::write_atomically(&c.output, |file| {
        output::write_config_comments(file, &header)?;
        for line in &lines {
            writeln!(file, "# {line}")?;
        }
        Ok(())
    })
    .map_err(|e| (73, format!("cannot write `{}`: {e}", c.output.display())))?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compact form's covariance against L-BFGS's two-loop recursion with H₀ = γ I, and its
    /// factor's product against it: the draws have the covariance Pathfinder means.
    #[test]
    fn the_gaussians_covariance_is_the_lbfgs_inverse_hessian() {
        let n = 5;
        let pairs: Vec<(Vec<f64>, Vec<f64>)> = (0..3)
            .map(|k| {
                let s: Vec<f64> = (0..n).map(|i| ((i * 7 + k * 3) % 5) as f64 - 1.7).collect();
                // y = A s for a positive definite A: diag(1..5) plus a rank-one term.
                let y: Vec<f64> = (0..n).map(|i| (i + 1) as f64 * s[i] + 0.3 * s.iter().sum::<f64>()).collect();
                (s, y)
            })
            .collect();
        let (s, y) = pairs.last().expect("pairs");
        let gamma = quasi_newton::dot(s, y) / quasi_newton::dot(y, y);
        let alpha = vec![gamma; n];
        let zero = vec![0.0; n];
        // With x = 0 and ∇f = −e_j the mean is H e_j: H's columns.
        let mut h = DMatrix::zeros(n, n);
        for j in 0..n {
            let mut g = vec![0.0; n];
            g[j] = -1.0;
            let gaussian = Gaussian::new(&pairs, &alpha, &zero, &g).expect("positive definite");
            h.column_mut(j).copy_from(&gaussian.mean);
        }
        let two_loop = {
            let mut ih = quasi_newton::InverseHessian::new(n, Memory::Limited { history: 3 });
            for (s, y) in &pairs {
                ih.update(s, y);
            }
            (0..n)
                .map(|j| ih.times(&(0..n).map(|i| f64::from(u8::from(i == j))).collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        };
        for j in 0..n {
            for i in 0..n {
                assert!(
                    (h[(i, j)] - two_loop[j][i]).abs() < 1e-10,
                    "H[{i},{j}]: {} against {}",
                    h[(i, j)],
                    two_loop[j][i]
                );
            }
        }
        // The factor G (its columns: draws at u = e_j minus the mean) has G Gᵀ = H.
        let gaussian = Gaussian::new(&pairs, &alpha, &zero, &zero).expect("positive definite");
        let mut factor = DMatrix::zeros(n, n);
        for j in 0..n {
            let mut u = vec![0.0; n];
            u[j] = 1.0;
            let (x, _) = gaussian.draw(&u);
            factor.column_mut(j).copy_from(&DVector::from_column_slice(&x));
        }
        let product = &factor * factor.transpose();
        assert!((product - &h).abs().max() < 1e-10);
        assert!((gaussian.log_det - 0.5 * h.determinant().ln()).abs() < 1e-10);
    }
}
