//! Stan's higher-order functions, lowered to IR around inlined calls of the user's function, so
//! that their gradients come from the same reverse sweep as everything else:
//!
//! - `reduce_sum` and `reduce_sum_static`: Stan defines the result as the sum of the partial
//!   sums over any slicing of the array, and the whole array is one slicing, so one call of the
//!   partial-sum function on all of it is the result (vppl's fit does not thread a model).
//! - The ODE solvers (`ode_rk45`, `ode_ckrk`, `ode_adams`, `ode_bdf`, their `_tol` forms and the
//!   deprecated `integrate_ode_*`): the Dormand–Prince 5(4) pair with adaptive steps, written out
//!   in the IR (the system inlined at each of the seven stages). The gradient is the exact
//!   derivative of the computed solution, step-size control included: it agrees with the true
//!   sensitivities, as Stan's forward sensitivities do, to the order of the tolerances. The
//!   stiff solvers' names are solved by the same explicit method: the same solution within
//!   the tolerances, but a stiff system may need many steps (a clear error past
//!   `max_num_steps`, never a wrong answer).
//!
//! `map_rect`, `integrate_1d`, the algebraic and DAE solvers and `ode_adjoint_tol_ctl` are not
//! compiled yet.

use grammar::Span;
use grammar::ast::{self, ExprKind, Ident};

use crate::ir::{Atom, Core, Elem, ErrorKind, Expr, Fun, Prim, Stmt, Ty};
use crate::sema::typeck::strip_parens;
use crate::sema::{Lowerer, Val, errors};

/// The higher-order functions vppl compiles (the catalog's status reads this).
pub(crate) fn implemented(name: &str) -> bool {
    matches!(name, "reduce_sum" | "reduce_sum_static") || OdeForm::of(name).is_some()
}

/// Which interface an ODE solver's call uses.
#[derive(Clone, Copy)]
struct OdeForm {
    /// `integrate_ode_*`: arrays of reals for the state, and `theta, x_r, x_i` after the times.
    old: bool,
    /// The call gives `rel_tol, abs_tol, max_num_steps` (after the times in the new
    /// interface, after `x_i` in the old one).
    tol: bool,
}

impl OdeForm {
    fn of(name: &str) -> Option<OdeForm> {
        match name {
            "ode_rk45" | "ode_ckrk" | "ode_adams" | "ode_bdf" => Some(OdeForm { old: false, tol: false }),
            "ode_rk45_tol" | "ode_ckrk_tol" | "ode_adams_tol" | "ode_bdf_tol" => {
                Some(OdeForm { old: false, tol: true })
            }
            // The old interface's tolerances are optional: the number of arguments decides.
            "integrate_ode" | "integrate_ode_rk45" | "integrate_ode_adams" | "integrate_ode_bdf" => {
                Some(OdeForm { old: true, tol: false })
            }
            _ => None,
        }
    }
}

/// The Dormand–Prince 5(4) tableau: nodes, stage coefficients (row s: the weights of stages
/// 1..s for stage s + 1; the last row is the fifth-order solution, whose derivative is the
/// seventh stage) and the error weights (fifth minus fourth order).
const C: [f64; 7] = [0.0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0, 1.0];
const A: [&[f64]; 6] = [
    &[1.0 / 5.0],
    &[3.0 / 40.0, 9.0 / 40.0],
    &[44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0],
    &[19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0],
    &[9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0],
    &[35.0 / 384.0, 0.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0],
];
const E: [f64; 7] =
    [71.0 / 57600.0, 0.0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0, 22.0 / 525.0, -1.0 / 40.0];

/// Stan's default tolerances and step limit for the ODE solvers.
const DEFAULT_REL_TOL: f64 = 1e-6;
const DEFAULT_ABS_TOL: f64 = 1e-6;
const DEFAULT_MAX_STEPS: f64 = 1e6;

impl Lowerer<'_> {
    /// A call of a higher-order function (`typeck` has checked it against the catalog and the
    /// function argument's signature).
    pub(crate) fn higher_order(&mut self, name: &Ident, args: &[ast::Expr], span: Span) -> Val {
        let n = name.name.as_str();
        if !implemented(n) {
            self.error(errors::not_supported(
                span,
                &format!(
                    "`{n}` (of the functions that take a function as an argument, vppl compiles the ODE \
                     solvers and `reduce_sum`)"
                ),
            ));
            return Val::error();
        }
        let Some(f) = args.first().and_then(|e| function_argument(e, &self.functions)) else {
            // `typeck` reports a function argument that is not a function.
            return Val::error();
        };
        let vals: Vec<Val> = args[1..].iter().map(|e| self.expr(e)).collect();
        if vals.iter().any(|v| v.ty == Ty::ERROR) {
            return Val::error();
        }
        match OdeForm::of(n) {
            Some(form) => self.ode(n, form, &f, &vals, span),
            None => self.reduce_sum(&f, &vals, span),
        }
    }

    /// `reduce_sum(f, x, grainsize, ...)`: `f(x, 1, size(x), ...)`, or 0 for an empty `x`.
    fn reduce_sum(&mut self, f: &Ident, vals: &[Val], span: Span) -> Val {
        let x = vals[0];
        let size = self.dim(x.atom, 0);
        let mut call = vec![x, Val::int(1), Val { atom: size, ty: Ty::INT, data: true }];
        call.extend_from_slice(&vals[2..]);
        let total = self.mutable(Ty::REAL, Atom::Real(0.0));
        let nonempty = self.prim(Prim::IGe, &[size, Atom::Int(1)]);
        let mut data = true;
        self.if_(
            nonempty,
            |l| {
                let v = l.call_user(f, &call, span);
                data = v.data;
                let r = l.to_real(v);
                l.emit(Stmt::Assign { var: total, indices: vec![], value: r });
            },
            |_| {},
        );
        let atom = self.let_(Ty::REAL, Expr::Atom(Atom::Var(total)));
        Val { atom, ty: Ty::REAL, data }
    }

    /// An ODE solver's call: the states at each output time.
    fn ode(&mut self, name: &str, form: OdeForm, f: &Ident, vals: &[Val], span: Span) -> Val {
        let (y0, t0, ts) = (vals[0], vals[1], vals[2]);
        // The arguments passed on to the system after `t` and `y`, and the tolerances.
        let (rest, tol): (Vec<Val>, Option<&[Val]>) = if form.old {
            (vals[3..6].to_vec(), (vals.len() == 9).then(|| &vals[6..9]))
        } else if form.tol {
            (vals[6..].to_vec(), Some(&vals[3..6]))
        } else {
            (vals[3..].to_vec(), None)
        };
        let data = vals.iter().all(|v| v.data);
        let state_ty = if form.old { Ty { elem: Elem::Real, array_rank: 1, core: Core::Scalar } } else { Ty::VECTOR };
        let domain = |l: &mut Self, ok: Atom, message: String, values: Vec<Atom>| {
            l.check(ok, ErrorKind::Domain, message, span, values);
        };

        // Stan's checks of the arguments.
        let (rtol, atol, max_steps) = match tol {
            Some(t) => {
                let [r, a, m] = [0, 1, 2].map(|i| self.to_real(t[i]));
                for (x, what) in [(r, "relative tolerance"), (a, "absolute tolerance"), (m, "maximum number of steps")]
                {
                    let pos = self.prim(Prim::Gt, &[x, Atom::Real(0.0)]);
                    let fin = self.is_finite(x);
                    let ok = self.prim(Prim::And, &[pos, fin]);
                    domain(self, ok, format!("{name}: the {what} is {{}}, but must be positive and finite"), vec![x]);
                }
                (r, a, m)
            }
            None => (Atom::Real(DEFAULT_REL_TOL), Atom::Real(DEFAULT_ABS_TOL), Atom::Real(DEFAULT_MAX_STEPS)),
        };
        let n = self.dim(y0.atom, 0);
        let t0 = self.to_real(t0);
        let t0_finite = self.is_finite(t0);
        domain(self, t0_finite, format!("{name}: the initial time is {{}}, but must be finite"), vec![t0]);
        let Atom::Var(y0_var) = y0.atom else { return Val::error() };
        let Atom::Var(ts_var) = ts.atom else { return Val::error() };
        self.for_loop(Atom::Int(1), n, |l, i| {
            let y = l.let_(Ty::REAL, Expr::Load { base: y0_var, indices: vec![i] });
            let ok = l.is_finite(y);
            domain(l, ok, format!("{name}: initial state[{{}}] is {{}}, but must be finite"), vec![i, y]);
        });
        let n_times = self.dim(ts.atom, 0);
        self.for_loop(Atom::Int(1), n_times, |l, i| {
            let t = l.let_(Ty::REAL, Expr::Load { base: ts_var, indices: vec![i] });
            let ok = l.is_finite(t);
            domain(l, ok, format!("{name}: times[{{}}] is {{}}, but must be finite"), vec![i, t]);
            // Each time after the initial time and not before the previous one.
            let prev_i = l.prim(Prim::ISub, &[i, Atom::Int(1)]);
            let prev_i = l.prim(Prim::IMax, &[prev_i, Atom::Int(1)]);
            let prev = l.let_(Ty::REAL, Expr::Load { base: ts_var, indices: vec![prev_i] });
            let after_start = l.prim(Prim::Gt, &[t, t0]);
            let sorted = l.prim(Prim::Ge, &[t, prev]);
            let ok = l.prim(Prim::And, &[after_start, sorted]);
            domain(
                l,
                ok,
                format!("{name}: times[{{}}] is {{}}, but the times must be sorted and after the initial time {{}}"),
                vec![i, t, t0],
            );
        });

        // The state, the time and the step size carried from step to step.
        let y = self.mutable_container(state_ty, vec![n], Some(y0.atom));
        let t = self.mutable(Ty::REAL, t0);
        // Set at the first output time (there may be none to read before the loop).
        let h = self.mutable(Ty::REAL, Atom::Real(f64::NAN));
        let out_ty = if form.old {
            Ty { elem: Elem::Real, array_rank: 2, core: Core::Scalar }
        } else {
            Ty { elem: Elem::Real, array_rank: 1, core: Core::Vector }
        };
        let out = self.build(out_ty, vec![n_times, n]);
        let Atom::Var(out_var) = out else { return Val::error() };

        self.for_loop(Atom::Int(1), n_times, |l, i| {
            let target_t = l.let_(Ty::REAL, Expr::Load { base: ts_var, indices: vec![i] });
            // A first step of a hundredth of the first interval; the error control adjusts it.
            let first = l.prim(Prim::IEq, &[i, Atom::Int(1)]);
            let interval = l.prim(Prim::Sub, &[target_t, t0]);
            let h0 = l.prim(Prim::Mul, &[interval, Atom::Real(0.01)]);
            let h_start = l.prim(Prim::Select, &[first, h0, Atom::Var(h)]);
            l.emit(Stmt::Assign { var: h, indices: vec![], value: h_start });
            let steps = l.mutable(Ty::REAL, Atom::Real(0.0));
            // while (t < times[i]) { one step, accepted or not }
            l.open();
            let cond = l.prim(Prim::Lt, &[Atom::Var(t), target_t]);
            let cond_block = l.close();
            l.open();
            l.ode_step(f, &rest, y, state_ty, n, t, h, target_t, (rtol, atol), span);
            let next = l.prim(Prim::Add, &[Atom::Var(steps), Atom::Real(1.0)]);
            l.emit(Stmt::Assign { var: steps, indices: vec![], value: next });
            let ok = l.prim(Prim::Le, &[next, max_steps]);
            domain(
                l,
                ok,
                format!(
                    "{name}: more than {{}} steps to reach time {{}}; raise max_num_steps, or the system may be stiff"
                ),
                vec![max_steps, target_t],
            );
            let body = l.close();
            l.emit(Stmt::While { cond_block, cond, body });
            l.for_loop(Atom::Int(1), n, |l, j| {
                let x = l.let_(Ty::REAL, Expr::Load { base: y, indices: vec![j] });
                l.emit(Stmt::Assign { var: out_var, indices: vec![i, j], value: x });
            });
        });
        Val { atom: out, ty: out_ty, data }
    }

    /// One Dormand–Prince step of size `min(h, target − t)` from `(t, y)`: the stages, the
    /// error estimate, the step accepted (`t` and `y` advanced) when the scaled error is at most
    /// 1, and the next step size.
    #[allow(clippy::too_many_arguments)]
    fn ode_step(
        &mut self,
        f: &Ident,
        rest: &[Val],
        y: u32,
        state_ty: Ty,
        n: Atom,
        t: u32,
        h: u32,
        target_t: Atom,
        (rtol, atol): (Atom, Atom),
        span: Span,
    ) {
        let remaining = self.prim(Prim::Sub, &[target_t, Atom::Var(t)]);
        let last = self.prim(Prim::Ge, &[Atom::Var(h), remaining]);
        let hs = self.prim(Prim::Select, &[last, remaining, Atom::Var(h)]);
        let data = false;
        let state = |atom: Atom| Val { atom, ty: state_ty, data };
        let mut k: Vec<u32> = Vec::with_capacity(7);
        let mut stage_y = y;
        for s in 0..7 {
            if s > 0 {
                // y + hs Σ_j a[s-1][j] k_j
                let row = A[s - 1];
                let ys = self.build(state_ty, vec![n]);
                let Atom::Var(ys) = ys else { return };
                let ks = k.clone();
                self.for_loop(Atom::Int(1), n, |l, i| {
                    let acc = l.weighted_stages(row, &ks, i);
                    let step = l.prim(Prim::Mul, &[hs, acc]);
                    let yi = l.let_(Ty::REAL, Expr::Load { base: y, indices: vec![i] });
                    let v = l.prim(Prim::Add, &[yi, step]);
                    l.emit(Stmt::Assign { var: ys, indices: vec![i], value: v });
                });
                stage_y = ys;
            }
            let dt = self.prim(Prim::Mul, &[hs, Atom::Real(C[s])]);
            let ts = self.prim(Prim::Add, &[Atom::Var(t), dt]);
            let mut call = vec![Val { atom: ts, ty: Ty::REAL, data }, state(Atom::Var(stage_y))];
            call.extend_from_slice(rest);
            let dydt = self.call_user(f, &call, span);
            let Atom::Var(dv) = dydt.atom else { return };
            let m = self.dim(dydt.atom, 0);
            let same = self.prim(Prim::IEq, &[m, n]);
            self.check(
                same,
                ErrorKind::Domain,
                format!("ODE system `{}`: it returned {{}} derivatives for a state of size {{}}", f.name),
                span,
                vec![m, n],
            );
            k.push(dv);
        }
        let y_new = stage_y;
        // The mean of the squared scaled errors: accepted when at most 1.
        let ks = k.clone();
        let sum = self.reduce_range(Atom::Int(1), n, &mut |l, i| {
            let acc = l.weighted_stages(&E, &ks, i);
            let err = l.prim(Prim::Mul, &[hs, acc]);
            let yi = l.let_(Ty::REAL, Expr::Load { base: y, indices: vec![i] });
            let yn = l.let_(Ty::REAL, Expr::Load { base: y_new, indices: vec![i] });
            let a = l.prim(Prim::Fabs, &[yi]);
            let b = l.prim(Prim::Fabs, &[yn]);
            let big = l.prim(Prim::Fmax, &[a, b]);
            let rel = l.prim(Prim::Mul, &[rtol, big]);
            let scale = l.prim(Prim::Add, &[atol, rel]);
            let z = l.prim(Prim::Div, &[err, scale]);
            l.prim(Prim::Mul, &[z, z])
        });
        let nr = self.to_real(Val { atom: n, ty: Ty::INT, data: true });
        let err2 = self.prim(Prim::Div, &[sum, nr]);
        let accept = self.prim(Prim::Le, &[err2, Atom::Real(1.0)]);
        self.if_(
            accept,
            |l| {
                let advanced = l.prim(Prim::Add, &[Atom::Var(t), hs]);
                // The last step of an interval lands on the output time exactly.
                let t_new = l.prim(Prim::Select, &[last, target_t, advanced]);
                l.emit(Stmt::Assign { var: t, indices: vec![], value: t_new });
                l.emit(Stmt::Copy { dst: y, src: y_new });
            },
            |_| {},
        );
        // The next step: 0.9 err^(-1/5), between a fifth and five times this one (the squared
        // error is kept away from 0, so the factor and its derivative stay finite).
        let safe = self.prim(Prim::Fmax, &[err2, Atom::Real(1e-20)]);
        let p = self.prim(Fun::Pow, &[safe, Atom::Real(-0.1)]);
        let fac = self.prim(Prim::Mul, &[p, Atom::Real(0.9)]);
        let fac = self.prim(Prim::Fmax, &[fac, Atom::Real(0.2)]);
        let fac = self.prim(Prim::Fmin, &[fac, Atom::Real(5.0)]);
        let next = self.prim(Prim::Mul, &[hs, fac]);
        self.emit(Stmt::Assign { var: h, indices: vec![], value: next });
    }

    /// Σ_j w_j k_j[i] over the stages with a nonzero weight.
    fn weighted_stages(&mut self, weights: &[f64], stages: &[u32], i: Atom) -> Atom {
        let mut acc = Atom::Real(0.0);
        for (&w, &k) in weights.iter().zip(stages).filter(|(w, _)| **w != 0.0) {
            let kj = self.let_(Ty::REAL, Expr::Load { base: k, indices: vec![i] });
            let term = self.prim(Prim::Mul, &[Atom::Real(w), kj]);
            acc = if acc == Atom::Real(0.0) { term } else { self.prim(Prim::Add, &[acc, term]) };
        }
        acc
    }
}

/// The user's function a higher-order call names (`foo_lupdf` for `foo_lpdf`'s definition).
fn function_argument(e: &ast::Expr, functions: &std::collections::HashMap<String, Vec<ast::FunDef>>) -> Option<Ident> {
    let ExprKind::Var(id) = &strip_parens(e).kind else { return None };
    if functions.contains_key(&id.name) {
        return Some(id.clone());
    }
    let name = super::user_normalised(&id.name).filter(|n| functions.contains_key(n))?;
    Some(Ident { name, span: id.span })
}
