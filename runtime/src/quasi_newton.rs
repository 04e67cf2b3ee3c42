//! Quasi-Newton minimisation: BFGS (a dense inverse Hessian) or L-BFGS (the last few pairs of
//! steps and gradient changes), a line search for the strong Wolfe conditions, and Stan's
//! convergence tests. One optimiser serves every method that climbs a log density: vppl's
//! Pathfinder start ([`crate::vi`]), and a built executable's `optimize` and `pathfinder`
//! ([`crate::methods`]).
//!
//! The objective is minimised (−log p), as in Stan; a point off the support (a domain error, a
//! non-finite value or gradient) counts as +∞, so the line search backs off from it.

use std::collections::VecDeque;

/// The dot product.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// How the inverse Hessian is approximated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Memory {
    /// BFGS: the whole n × n matrix (n² memory and work per step).
    Dense,
    /// L-BFGS: the last `history` pairs (s, y), applied by the two-loop recursion.
    Limited { history: usize },
}

/// Stan's convergence tests; a tolerance of 0 turns its test off.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerances {
    /// |Δf| below this (CmdStan's `tol_obj`).
    pub obj: f64,
    /// |Δf| / max(|f|, |f_prev|, 1) below this many machine epsilons (`tol_rel_obj`).
    pub rel_obj: f64,
    /// ‖∇f‖ below this (`tol_grad`).
    pub grad: f64,
    /// ∇fᵀ H ∇f / max(|f|, 1) below this many machine epsilons (`tol_rel_grad`).
    pub rel_grad: f64,
    /// ‖Δx‖ below this (`tol_param`).
    pub param: f64,
}

impl Tolerances {
    /// CmdStan's defaults for `optimize` and `pathfinder`.
    pub const CMDSTAN: Tolerances = Tolerances { obj: 1e-12, rel_obj: 1e4, grad: 1e-8, rel_grad: 1e7, param: 1e-8 };
}

/// Settings of [`minimize`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub memory: Memory,
    /// Iterations at most (CmdStan's `iter`, `max_lbfgs_iters`).
    pub max_iters: usize,
    /// The first trial step along −∇f while there is no curvature information (CmdStan's
    /// `init_alpha`); `None` makes it a step of unit length.
    pub init_alpha: Option<f64>,
    pub tol: Tolerances,
}

/// Why the optimiser stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Termination {
    AbsObj,
    RelObj,
    AbsGrad,
    RelGrad,
    AbsParam,
    MaxIters,
    /// The line search found no better point, even along the gradient: an error in Stan.
    LineSearchFailed,
}

impl Termination {
    /// Stan's words for it (CmdStan prints them after "Optimization terminated normally: ").
    pub fn message(self) -> &'static str {
        match self {
            Termination::AbsObj => "Convergence detected: absolute change in objective function was below tolerance",
            Termination::RelObj => "Convergence detected: relative change in objective function was below tolerance",
            Termination::AbsGrad => "Convergence detected: gradient norm is below tolerance",
            Termination::RelGrad => "Convergence detected: relative gradient magnitude is below tolerance",
            Termination::AbsParam => "Convergence detected: absolute parameter change was below tolerance",
            Termination::MaxIters => "Maximum number of iterations hit, may not be at an optima",
            Termination::LineSearchFailed => {
                "Line search failed to achieve a sufficient decrease, no more progress can be made"
            }
        }
    }

    pub fn is_error(self) -> bool {
        self == Termination::LineSearchFailed
    }
}

/// The inverse-Hessian estimate H of the objective.
pub struct InverseHessian {
    n: usize,
    memory: Memory,
    /// Dense: H, row-major (the identity until the first pair scales it).
    dense: Vec<f64>,
    /// Limited: the last pairs (s, y, 1 / sᵀy), oldest first.
    pairs: VecDeque<(Vec<f64>, Vec<f64>, f64)>,
    /// Whether a pair has given H a scale (before that, H is the identity).
    scaled: bool,
}

impl InverseHessian {
    pub(crate) fn new(n: usize, memory: Memory) -> Self {
        let mut h = InverseHessian { n, memory, dense: Vec::new(), pairs: VecDeque::new(), scaled: false };
        h.reset();
        h
    }

    /// Back to the identity, forgetting every pair.
    fn reset(&mut self) {
        self.scaled = false;
        self.pairs.clear();
        if self.memory == Memory::Dense {
            let n = self.n;
            self.dense = (0..n * n).map(|k| if k % (n + 1) == 0 { 1.0 } else { 0.0 }).collect();
        }
    }

    /// Whether H carries curvature information (a pair was accepted since the last reset).
    pub fn is_scaled(&self) -> bool {
        self.scaled
    }

    /// H as a dense row-major matrix, when it is kept as one.
    pub fn dense(&self) -> Option<&[f64]> {
        (self.memory == Memory::Dense).then_some(self.dense.as_slice())
    }

    /// H v.
    pub fn times(&self, v: &[f64]) -> Vec<f64> {
        let n = self.n;
        match self.memory {
            Memory::Dense => (0..n).map(|i| dot(&self.dense[i * n..(i + 1) * n], v)).collect(),
            Memory::Limited { .. } => {
                // The two-loop recursion (Nocedal and Wright, algorithm 7.4), H₀ = γ I with
                // γ = sᵀy / yᵀy of the newest pair.
                let mut q = v.to_vec();
                let mut a = vec![0.0; self.pairs.len()];
                for (k, (s, y, rho)) in self.pairs.iter().enumerate().rev() {
                    a[k] = rho * dot(s, &q);
                    q.iter_mut().zip(y).for_each(|(qi, yi)| *qi -= a[k] * yi);
                }
                let gamma = self.pairs.back().map_or(1.0, |(_, y, rho)| 1.0 / (rho * dot(y, y)));
                q.iter_mut().for_each(|qi| *qi *= gamma);
                for (k, (s, y, rho)) in self.pairs.iter().enumerate() {
                    let b = rho * dot(y, &q);
                    q.iter_mut().zip(s).for_each(|(qi, si)| *qi += (a[k] - b) * si);
                }
                q
            }
        }
    }

    /// Takes the pair (s, y) if it has positive curvature (always, after a Wolfe step, but for
    /// rounding).
    pub(crate) fn update(&mut self, s: &[f64], y: &[f64]) {
        let sy = dot(s, y);
        if sy <= 1e-10 * norm(s) * norm(y) {
            return;
        }
        match self.memory {
            Memory::Dense => {
                if !self.scaled {
                    // Nocedal and Wright (6.20): scale H₀ to the curvature seen along the step.
                    let scale = sy / dot(y, y);
                    self.dense.iter_mut().for_each(|v| *v *= scale);
                }
                bfgs_update(self.n, &mut self.dense, s, y, sy);
            }
            Memory::Limited { history } => {
                if self.pairs.len() >= history.max(1) {
                    self.pairs.pop_front();
                }
                self.pairs.push_back((s.to_vec(), y.to_vec(), 1.0 / sy));
            }
        }
        self.scaled = true;
    }
}

/// The BFGS update of the inverse Hessian:
/// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / sᵀy, in O(n²).
fn bfgs_update(n: usize, h: &mut [f64], s: &[f64], y: &[f64], sy: f64) {
    let rho = 1.0 / sy;
    let hy: Vec<f64> = (0..n).map(|i| dot(&h[i * n..(i + 1) * n], y)).collect();
    let yhy = dot(y, &hy);
    let c = rho * rho * yhy + rho;
    for i in 0..n {
        for j in 0..n {
            h[i * n + j] += -rho * (s[i] * hy[j] + hy[i] * s[j]) + c * s[i] * s[j];
        }
    }
}

/// One accepted iteration, as the caller sees it after the step.
pub struct Step<'a> {
    pub iter: usize,
    pub x: &'a [f64],
    pub f: f64,
    pub grad: &'a [f64],
    /// The step taken (Δx) and the change of the gradient it made.
    pub s: &'a [f64],
    pub y: &'a [f64],
    /// The step length accepted, and the one tried first.
    pub alpha: f64,
    pub alpha0: f64,
    /// Objective evaluations so far.
    pub evals: usize,
    /// What happened besides a plain step (`LS failed, Hessian reset`), or empty.
    pub note: &'a str,
    pub inverse_hessian: &'a InverseHessian,
}

/// The end of a run.
pub struct Outcome {
    pub x: Vec<f64>,
    pub f: f64,
    pub grad: Vec<f64>,
    pub iterations: usize,
    pub evals: usize,
    pub termination: Termination,
}

/// The objective and its gradient at a point; `None` off the support.
pub type Evaluation = Option<(f64, Vec<f64>)>;

/// Minimises `objective` from `x` (where it is `f` with gradient `grad`), calling `on_step`
/// after every iteration.
pub fn minimize<E>(
    mut x: Vec<f64>,
    mut f: f64,
    mut grad: Vec<f64>,
    settings: &Settings,
    objective: &mut dyn FnMut(&[f64]) -> Result<Evaluation, E>,
    on_step: &mut dyn FnMut(&Step) -> Result<(), E>,
) -> Result<Outcome, E> {
    let n = x.len();
    let mut h = InverseHessian::new(n, settings.memory);
    let mut evals = 0;
    let mut iter = 0;
    let termination = loop {
        iter += 1;
        let mut note = String::new();
        let (point, p, alpha0) = loop {
            let fresh = !h.is_scaled();
            let p: Vec<f64> = h.times(&grad).into_iter().map(|v| -v).collect();
            if !fresh && dot(&p, &grad) >= 0.0 {
                // H lost positive definiteness to rounding: start again from the gradient.
                h.reset();
                note.push_str("Hessian reset; ");
                continue;
            }
            // Before H has a scale, the first trial step is `init_alpha` along −∇f (or of unit
            // length); after, the quasi-Newton step.
            let alpha0 = if fresh { settings.init_alpha.unwrap_or(1.0 / norm(&p).max(1e-300)) } else { 1.0 };
            match line_search(objective, &x, f, &grad, &p, alpha0, &mut evals)? {
                Some(point) => break (Some(point), p, alpha0),
                None if !fresh => {
                    h.reset();
                    note.push_str("LS failed, Hessian reset; ");
                }
                None => break (None, p, alpha0),
            }
        };
        let Some(point) = point else { break Termination::LineSearchFailed };
        let s: Vec<f64> = p.iter().map(|pi| point.alpha * pi).collect();
        let y: Vec<f64> = point.grad.iter().zip(&grad).map(|(a, b)| a - b).collect();
        x.iter_mut().zip(&s).for_each(|(xi, si)| *xi += si);
        let f_prev = f;
        f = point.f;
        grad = point.grad;
        h.update(&s, &y);
        let note = note.trim_end_matches("; ");
        on_step(&Step {
            iter,
            x: &x,
            f,
            grad: &grad,
            s: &s,
            y: &y,
            alpha: point.alpha,
            alpha0,
            evals,
            note,
            inverse_hessian: &h,
        })?;
        // Stan's tests, in its order.
        let tol = &settings.tol;
        let eps = f64::EPSILON;
        if (f_prev - f).abs() < tol.obj {
            break Termination::AbsObj;
        } else if norm(&grad) < tol.grad {
            break Termination::AbsGrad;
        } else if norm(&s) < tol.param {
            break Termination::AbsParam;
        } else if iter >= settings.max_iters {
            break Termination::MaxIters;
        } else if (f_prev - f).abs() / f_prev.abs().max(f.abs()).max(1.0) < tol.rel_obj * eps {
            break Termination::RelObj;
        } else if dot(&grad, &h.times(&grad)) / f.abs().max(1.0) < tol.rel_grad * eps {
            break Termination::RelGrad;
        }
    };
    Ok(Outcome { x, f, grad, iterations: iter, evals, termination })
}

/// A point of the line search: step length, objective, directional derivative, gradient.
#[derive(Clone)]
struct LinePoint {
    alpha: f64,
    f: f64,
    slope: f64,
    grad: Vec<f64>,
}

/// A line search for the strong Wolfe conditions (Nocedal and Wright, algorithms 3.5 and 3.6),
/// with quadratic interpolation in the zoom. A point off the support counts as an infinite
/// objective. Returns the best point that decreased the objective enough, or `None`.
fn line_search<E>(
    objective: &mut dyn FnMut(&[f64]) -> Result<Evaluation, E>,
    x: &[f64],
    f0: f64,
    g0: &[f64],
    p: &[f64],
    alpha0: f64,
    evals: &mut usize,
) -> Result<Option<LinePoint>, E> {
    const C1: f64 = 1e-4;
    const C2: f64 = 0.9;
    let slope0 = dot(g0, p);
    if slope0.is_nan() || slope0 >= 0.0 {
        return Ok(None);
    }
    let mut lo = LinePoint { alpha: 0.0, f: f0, slope: slope0, grad: g0.to_vec() };
    let mut hi: Option<(f64, f64)> = None;
    let mut alpha = alpha0;
    let mut trial_x = vec![0.0; x.len()];
    for _ in 0..60 {
        for i in 0..x.len() {
            trial_x[i] = x[i] + alpha * p[i];
        }
        *evals += 1;
        let trial = objective(&trial_x)?;
        let sufficient = trial.as_ref().is_some_and(|(f, _)| *f <= f0 + C1 * alpha * slope0 && *f < lo.f);
        if !sufficient {
            hi = Some((alpha, trial.map_or(f64::INFINITY, |(f, _)| f)));
        } else {
            let (f, grad) = trial.expect("sufficient implies a value");
            let slope = dot(&grad, p);
            let point = LinePoint { alpha, f, slope, grad };
            if slope.abs() <= -C2 * slope0 {
                return Ok(Some(point));
            }
            match hi {
                None if slope >= 0.0 => hi = Some((lo.alpha, lo.f)),
                Some((a_hi, _)) if slope * (a_hi - lo.alpha) >= 0.0 => hi = Some((lo.alpha, lo.f)),
                _ => {}
            }
            lo = point;
        }
        alpha = match hi {
            None => 4.0 * alpha,
            Some((a_hi, f_hi)) => {
                let d = a_hi - lo.alpha;
                if d.abs() <= 1e-12 * lo.alpha.abs().max(1e-300) {
                    break;
                }
                // Minimum of the quadratic through f(lo), f'(lo) and f(hi), kept inside the
                // interval; bisection when it is not usable.
                let c = (f_hi - lo.f - lo.slope * d) / (d * d);
                let t = if c.is_finite() && c > 0.0 { -lo.slope / (2.0 * c) } else { f64::NAN };
                let fraction = t / d;
                if fraction.is_finite() && (0.1..=0.9).contains(&fraction) { lo.alpha + t } else { lo.alpha + 0.5 * d }
            }
        };
    }
    Ok(if lo.alpha > 0.0 { Some(lo) } else { None })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock's function, minimum 0 at (1, 1).
    fn rosenbrock(x: &[f64]) -> Result<Evaluation, ()> {
        let (a, b) = (x[0], x[1]);
        let f = (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2);
        let g = vec![-2.0 * (1.0 - a) - 400.0 * a * (b - a * a), 200.0 * (b - a * a)];
        Ok(Some((f, g)))
    }

    #[test]
    fn both_memories_find_rosenbrocks_minimum() {
        for memory in [Memory::Dense, Memory::Limited { history: 5 }] {
            let settings = Settings { memory, max_iters: 2000, init_alpha: Some(1e-3), tol: Tolerances::CMDSTAN };
            let (f, g) = rosenbrock(&[-1.2, 1.0]).unwrap().unwrap();
            let mut steps = 0;
            let out = minimize(vec![-1.2, 1.0], f, g, &settings, &mut rosenbrock, &mut |_| -> Result<(), ()> {
                steps += 1;
                Ok(())
            })
            .unwrap();
            assert!(!out.termination.is_error(), "{memory:?}: {:?}", out.termination);
            assert_eq!(steps, out.iterations);
            assert!((out.x[0] - 1.0).abs() < 1e-4 && (out.x[1] - 1.0).abs() < 1e-4, "{memory:?}: {:?}", out.x);
        }
    }

    #[test]
    fn the_limited_memory_inverse_hessian_of_a_quadratic_is_exact_after_n_steps() {
        // f = ½ xᵀ A x with A = diag(1, 4): after two independent steps, H = A⁻¹ on their span.
        let mut h = InverseHessian::new(2, Memory::Limited { history: 5 });
        for s in [[1.0, 0.0], [0.0, 1.0]] {
            let y = [s[0], 4.0 * s[1]];
            h.update(&s, &y);
        }
        let v = h.times(&[1.0, 1.0]);
        assert!((v[0] - 1.0).abs() < 1e-12 && (v[1] - 0.25).abs() < 1e-12, "{v:?}");
    }
}
