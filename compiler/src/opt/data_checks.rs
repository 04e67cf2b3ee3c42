//! Checks that depend on the data alone run once, at load, instead of in every evaluation.
//!
//! `y ~ normal(mu, sigma)` checks that every `y[n]` is not NaN and every `sigma[n]` is positive
//! on each call, and an index `mu[g[n]]` checks `1 <= g[n] <= J`; when `y`, `sigma` and `g`
//! are data, the answer never changes. [`split`] slices those checks (with the data-only
//! computations they read and the loops around them) out of the log density into a
//! `validate` function, which the runtime calls once after loading the data; [`drop`] then
//! removes the same checks from the functions that run in the fit.
//!
//! A check is moved only from where it runs unconditionally on every evaluation: the top level
//! of the function, a `for` loop with data-only bounds (recursively) that can be left only
//! by finishing it, or a branch of an `if` on the data alone (taken in every evaluation or in
//! none). So a check that fails at load would have failed in every evaluation, and
//! the user hears about bad data before the fit starts, not at its first draw.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::ir::{Atom, Expr, Function, Stmt, VarId, VarKind};
use runtime::compiled::MESSAGE_FROM_PRINTS;

/// What identifies one check across the functions lowered from the same program.
type CheckKey = (String, (u32, u32));

/// The `validate` function sliced from `log_density`, and the checks it took over.
pub fn split(log_density: &Function) -> (Function, HashSet<CheckKey>) {
    let mut scan = Scan::new(log_density, Mode::Slice);
    let body = scan.block(&log_density.body);
    let mut validate = log_density.clone();
    validate.name = "validate".to_string();
    validate.body = body;
    (super::remove_dead_lets(validate), scan.moved)
}

/// `f` without the checks that `validate` performs.
pub fn drop(f: &Function, moved: &HashSet<CheckKey>) -> Function {
    let mut scan = Scan::new(f, Mode::Drop(moved));
    let mut g = f.clone();
    g.body = scan.block(&f.body);
    super::remove_dead_lets(g)
}

enum Mode<'a> {
    /// Keep only the data-only checks and what they need.
    Slice,
    /// Keep everything but the checks in this set.
    Drop(&'a HashSet<CheckKey>),
}

struct Scan<'a> {
    f: &'a Function,
    mode: Mode<'a>,
    /// Variables whose value depends on the data alone, bound where statements always run.
    data: HashSet<VarId>,
    /// The sizes of views and allocations: their `dim` is known without reading them.
    sizes: HashMap<VarId, Vec<Atom>>,
    moved: HashSet<CheckKey>,
}

impl<'a> Scan<'a> {
    fn new(f: &'a Function, mode: Mode<'a>) -> Scan<'a> {
        let data =
            (0..f.vars.len() as VarId).filter(|&v| matches!(f.vars[v as usize].kind, VarKind::Slot(_))).collect();
        Scan { f, mode, data, sizes: HashMap::default(), moved: HashSet::default() }
    }

    fn known(&self, a: &Atom) -> bool {
        a.var().is_none_or(|v| self.data.contains(&v))
    }

    fn key(&self, site: u32) -> CheckKey {
        let s = &self.f.errors[site as usize];
        (s.message.clone(), s.span)
    }

    /// A block whose statements all run whenever the function runs.
    fn block(&mut self, stmts: &[Stmt]) -> Vec<Stmt> {
        let slice = matches!(self.mode, Mode::Slice);
        let mut out = Vec::new();
        for s in stmts {
            match s {
                Stmt::Let { var, expr } => {
                    if let Expr::View { dims, .. } | Expr::Alloc { dims, .. } = expr {
                        self.sizes.insert(*var, dims.clone());
                    }
                    // A `dim` of a view or allocation is one of its size operands.
                    let size = match expr {
                        Expr::Dim { base, dim } => self.sizes.get(base).and_then(|d| d.get(*dim as usize)).copied(),
                        _ => None,
                    };
                    let mut known =
                        self.f.vars[*var as usize].kind == VarKind::Let && !matches!(expr, Expr::Random(..));
                    match size {
                        Some(a) => known &= self.known(&a),
                        None => expr.for_each_read(|v| known &= self.data.contains(&v)),
                    }
                    if known {
                        self.data.insert(*var);
                    }
                    if !slice {
                        out.push(s.clone());
                    } else if known {
                        let expr = size.map_or_else(|| expr.clone(), Expr::Atom);
                        out.push(Stmt::Let { var: *var, expr });
                    }
                }
                Stmt::Check { cond, site, values } => {
                    // A `reject`'s message is the pieces printed before it, which stay here.
                    let known = self.known(cond)
                        && values.iter().all(|a| self.known(a))
                        && self.f.errors[*site as usize].message != MESSAGE_FROM_PRINTS;
                    match &self.mode {
                        Mode::Slice if known => {
                            self.moved.insert(self.key(*site));
                            out.push(s.clone());
                        }
                        Mode::Drop(moved) if known && moved.contains(&self.key(*site)) => {}
                        Mode::Drop(_) => out.push(s.clone()),
                        Mode::Slice => {}
                    }
                }
                Stmt::For { var, lo, hi, reverse, body }
                    if self.known(lo) && self.known(hi) && !body.iter().any(Stmt::leaves_loop) =>
                {
                    self.data.insert(*var);
                    let body = self.block(body);
                    if !slice || !body.is_empty() {
                        out.push(Stmt::For { var: *var, lo: *lo, hi: *hi, reverse: *reverse, body });
                    }
                }
                // A branch on the data alone (brms's `if (!prior_only)`) is taken in every
                // evaluation or in none.
                Stmt::If { cond, then, otherwise } if self.known(cond) => {
                    let then = self.block(then);
                    let otherwise = self.block(otherwise);
                    if !slice || !then.is_empty() || !otherwise.is_empty() {
                        out.push(Stmt::If { cond: *cond, then, otherwise });
                    }
                }
                _ if !slice => out.push(s.clone()),
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::driver::{Source, compile_ir};

    fn stages(text: &str) -> crate::driver::Stages {
        let source = Source { name: "m".into(), path: "m.stan".into(), text: text.into() };
        compile_ir(&source).unwrap_or_else(|d| panic!("compiles: {d:?}"))
    }

    fn checks(f: &crate::ir::Function, message: &str) -> usize {
        f.to_string().lines().filter(|l| l.contains("check ") && l.contains(message)).count()
    }

    #[test]
    fn unconditional_data_checks_move_to_validate() {
        let s = stages(
            "data { int N; vector[N] y; vector[N] s; } parameters { real mu; } \
             model { y ~ normal(mu, s); }",
        );
        let positive = "argument 3 is {}, but must be positive";
        assert_eq!(checks(&s.opt_validate, positive), 1);
        for f in [&s.opt.log_density, &s.opt.log_density_propto, &s.opt_gradient] {
            assert_eq!(checks(f, positive), 0, "{}", f.name);
            // The parameter's check stays: it depends on theta.
            assert_eq!(checks(f, "argument 2 is {}, but must be finite"), 1, "{}", f.name);
        }
        assert_eq!(checks(&s.opt_validate, "argument 2"), 0);
    }

    #[test]
    fn checks_under_a_data_only_branch_move() {
        let s = stages(
            "data { int N; vector[N] y; vector[N] s; int prior_only; } parameters { real mu; } \
             model { mu ~ normal(0, 1); if (!prior_only) { y ~ normal(mu, s); } }",
        );
        let positive = "argument 3 is {}, but must be positive";
        assert_eq!(checks(&s.opt_validate, positive), 1);
        assert_eq!(checks(&s.opt.log_density, positive), 0);
        assert_eq!(checks(&s.opt_gradient, positive), 0);
    }

    #[test]
    fn checks_under_a_parameter_dependent_branch_stay() {
        let s = stages(
            "data { int N; vector[N] y; vector[N] s; } parameters { real mu; } \
             model { mu ~ normal(0, 1); if (mu > 0) y ~ normal(0, s); }",
        );
        let positive = "argument 3 is {}, but must be positive";
        assert_eq!(checks(&s.opt_validate, positive), 0);
        assert_eq!(checks(&s.opt.log_density, positive), 1);
        assert_eq!(checks(&s.opt_gradient, positive), 1);
    }
}
