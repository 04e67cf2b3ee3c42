//! Built-in functions and distributions, written in terms of IR primitives.
//!
//! A distribution's log density is a list of terms, each tagged with the arguments it depends
//! on. That one table serves both semantics: `~` and `_lupdf` keep only terms that depend on a
//! parameter, `_lpdf` keeps all; and it lets a vectorised call compute terms that depend only on
//! scalar arguments once, outside the loop over elements.

use grammar::Span;
use grammar::ast::{self, Ident};

use crate::ir::{Atom, Core, Elem, ErrorKind, Expr, Fun, Prim, RngDist, Stmt, Ty, VarKind};
use crate::sema::{Lowerer, Mode, Val, errors, typeck};

pub(crate) mod complex;
pub(crate) mod discrete;
pub(crate) mod distributions;
pub(crate) mod functions;
pub(crate) mod higher_order;
pub(crate) mod multivariate;
pub(crate) mod random;

pub(crate) const LOG_SQRT_TWO_PI: f64 = 0.918_938_533_204_672_8;
pub(crate) const LOG_PI: f64 = 1.144_729_885_849_400_2;

/// What each parameter argument must satisfy (checked per element, a domain error otherwise).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Req {
    Any,
    NotNan,
    Finite,
    /// Greater than 0 (infinity allowed).
    Positive,
    PositiveFinite,
    NonNegFinite,
    /// In [0, 1].
    Prob,
    /// In (0, 1).
    OpenUnit,
    NonNegInt,
    /// An angle in [−π, π] (the von Mises CDFs' variate).
    Angle,
}

/// One additive term of a log density and the arguments (bit i = argument i) it depends on.
pub(crate) type Term = (u32, Atom);

impl Lowerer<'_> {
    /// The per-element terms of `d` at scalar arguments `x`, each made real.
    fn dist_terms(&mut self, terms: distributions::Terms, x: &[Atom]) -> Vec<Term> {
        let xs = self.reals(x);
        terms(self, &xs)
    }

    /// Scalars made real.
    fn reals(&mut self, x: &[Atom]) -> Vec<Atom> {
        x.iter().map(|&a| self.to_real(Val { atom: a, ty: self.f.atom_ty(a), data: true })).collect()
    }

    /// Whether a real is finite (not NaN, not infinite), as an int.
    pub(crate) fn is_finite(&mut self, x: Atom) -> Atom {
        let abs = self.prim(Prim::Fabs, &[x]);
        self.prim(Prim::Lt, &[abs, Atom::Real(f64::INFINITY)])
    }

    fn check_requirement(&mut self, req: Req, x: Atom, dist: &str, arg: usize, span: Span) {
        let xr = self.to_real(Val { atom: x, ty: self.f.atom_ty(x), data: true });
        let (cond, what) = match req {
            Req::Any => return,
            // Comparisons with NaN are false, so each requirement is one or two comparisons
            // that also reject NaN.
            Req::NotNan => (self.prim(Prim::Eq, &[xr, xr]), "not NaN"),
            Req::Finite => (self.is_finite(xr), "finite"),
            Req::Positive => (self.prim(Prim::Gt, &[xr, Atom::Real(0.0)]), "positive"),
            Req::PositiveFinite => {
                let pos = self.prim(Prim::Gt, &[xr, Atom::Real(0.0)]);
                let fin = self.prim(Prim::Lt, &[xr, Atom::Real(f64::INFINITY)]);
                (self.prim(Prim::And, &[pos, fin]), "positive and finite")
            }
            Req::NonNegFinite => {
                let pos = self.prim(Prim::Ge, &[xr, Atom::Real(0.0)]);
                let fin = self.prim(Prim::Lt, &[xr, Atom::Real(f64::INFINITY)]);
                (self.prim(Prim::And, &[pos, fin]), "non-negative and finite")
            }
            Req::Prob => {
                let lo = self.prim(Prim::Ge, &[xr, Atom::Real(0.0)]);
                let hi = self.prim(Prim::Le, &[xr, Atom::Real(1.0)]);
                (self.prim(Prim::And, &[lo, hi]), "in [0, 1]")
            }
            Req::OpenUnit => {
                let lo = self.prim(Prim::Gt, &[xr, Atom::Real(0.0)]);
                let hi = self.prim(Prim::Lt, &[xr, Atom::Real(1.0)]);
                (self.prim(Prim::And, &[lo, hi]), "in (0, 1)")
            }
            Req::NonNegInt => (self.prim(Prim::Ge, &[xr, Atom::Real(0.0)]), "non-negative"),
            Req::Angle => {
                let lo = self.prim(Prim::Ge, &[xr, Atom::Real(-std::f64::consts::PI)]);
                let hi = self.prim(Prim::Le, &[xr, Atom::Real(std::f64::consts::PI)]);
                (self.prim(Prim::And, &[lo, hi]), "in [-pi, pi]")
            }
        };
        let message = format!("{dist}: argument {} is {{}}, but must be {what}", arg + 1);
        self.check(cond, ErrorKind::Domain, message, span, vec![xr]);
    }

    /// The log density of `dist` at `args` (the variate first), summed over elements.
    /// `drop_constants` is true for `~` and `_lupdf`: then, in the propto log density, terms
    /// that depend on no parameter are left out.
    pub(crate) fn density(
        &mut self,
        dist: &Ident,
        args: &[ast::Expr],
        span: Span,
        drop_constants: bool,
    ) -> Option<Atom> {
        let (name, vals) = self.density_args(&dist.name, args);
        self.density_named(name, &dist.name, "", dist.span, &vals, span, drop_constants)
    }

    /// A density's arguments, lowered, and the density they are of: `categorical(y |
    /// softmax(x))` is `categorical_logit(y | x)`, since log softmax(x)[k] = x[k] −
    /// log_sum_exp(x): one normaliser for all outcomes, no probability vector, no log of one
    /// per outcome and no division in the gradient.
    fn density_args<'n>(&mut self, name: &'n str, args: &[ast::Expr]) -> (&'n str, Vec<Val>) {
        if name == "categorical"
            && let [y, theta] = args
            && let ast::ExprKind::Call { name: f, args: inner, .. } = &typeck::strip_parens(theta).kind
            && f.name == "softmax"
            && let [x] = &inner[..]
        {
            return ("categorical_logit", vec![self.expr(y), self.expr(x)]);
        }
        (name, args.iter().map(|e| self.expr(e)).collect())
    }

    /// `y ~ dist(args) T[lower, upper]`: the density plus the truncation's terms.
    pub(crate) fn truncated(
        &mut self,
        dist: &Ident,
        args: &[ast::Expr],
        t: &ast::Truncation,
        span: Span,
    ) -> Option<Atom> {
        let vals: Vec<Val> = args.iter().map(|e| self.expr(e)).collect();
        let lower = t.lower.as_ref().map(|e| self.expr(e));
        let upper = t.upper.as_ref().map(|e| self.expr(e));
        let lp = self.density_of(&dist.name, dist.span, &vals, span, true)?;
        let propto = matches!(self.mode, Mode::LogDensity { propto: true, .. });
        let extra = self.truncation(&dist.name, &vals, lower, upper, t.span, propto)?;
        Some(self.add_real(lp, extra))
    }

    fn density_of(
        &mut self,
        name: &str,
        name_span: Span,
        vals: &[Val],
        span: Span,
        drop_constants: bool,
    ) -> Option<Atom> {
        self.density_named(name, name, "", name_span, vals, span, drop_constants)
    }

    /// `suffix` is the `_lpdf`-style suffix the user wrote (empty for `~`), for messages.
    #[allow(clippy::too_many_arguments)]
    fn density_named(
        &mut self,
        name: &str,
        written: &str,
        suffix: &str,
        name_span: Span,
        vals: &[Val],
        span: Span,
        drop_constants: bool,
    ) -> Option<Atom> {
        let propto = drop_constants && matches!(self.mode, Mode::LogDensity { propto: true, .. });
        // An argument that failed to check was reported where it failed; only the name is
        // still judged (an unknown distribution is a mistake of its own).
        let known = crate::catalog::distribution(name).is_some()
            || ["_lpdf", "_lpmf"].iter().any(|s| self.functions.contains_key(&format!("{name}{s}")));
        if known && vals.iter().any(|v| v.ty == Ty::ERROR) {
            return None;
        }
        if let Some(m) = distributions::multivariate(name) {
            // Under `~`, a density of data alone is a constant.
            if propto && vals.iter().all(|v| v.data) {
                return Some(Atom::Real(0.0));
            }
            let call = distributions::DensityCall { name, written, name_span, vals, span, drop_constants, propto };
            return (m.lower)(self, &call);
        }
        // A user-defined density: `y ~ foo(...)` calls `foo_lpdf` (or `foo_lpmf`).
        // An int variate looks for the mass function first (a user may define both).
        let int_variate = vals.first().is_some_and(|v| v.ty.elem == Elem::Int);
        let suffixes = if int_variate { ["_lpmf", "_lpdf"] } else { ["_lpdf", "_lpmf"] };
        for user_suffix in suffixes {
            let full = format!("{name}{user_suffix}");
            if self.functions.contains_key(&full) {
                let ident = Ident { name: full, span: name_span };
                let v = self.call_user(&ident, vals, span);
                return if v.ty == Ty::ERROR { None } else { Some(self.to_real(v)) };
            }
        }
        // The form with this many arguments (the Wiener densities have three), or for the
        // message below, the distribution's own.
        let Some(d) = distributions::elementwise_form(name, vals.len()).or_else(|| distributions::elementwise(name))
        else {
            // A distribution of Stan's that vppl does not compile yet is not a typo.
            if crate::catalog::distribution(name).is_some() {
                self.error(errors::function_not_supported(name_span, &format!("the `{name}` distribution"), name));
            } else if suffix.is_empty() {
                let mut d = errors::tilde_unknown(name_span, name, &distribution_names(self.functions.keys()));
                // Before Stan 2.26 a user density was named `foo_log`.
                if self.functions.contains_key(&format!("{name}_log")) {
                    d = d.with_hint(format!(
                        "`{name}_log` is the removed naming of a density: rename it `{name}_lpdf` (or `{name}_lpmf` \
                         for an int variate) to use it with `~`"
                    ));
                }
                self.error(d);
            } else {
                self.error(errors::unknown_function(name_span, written, function_names(self.functions.keys())));
            }
            return None;
        };
        let (arity, int_variate) = (d.reqs.len(), d.int_args > 0);
        let types: Vec<Ty> = vals.iter().map(|v| v.ty).collect();
        // A probability mass function's variate (and binomial's number of trials) is an int.
        let int_args = d.int_args;
        if let Some((k, _)) = types.iter().enumerate().take(int_args).find(|(_, t)| t.elem != Elem::Int) {
            let what = if k == 0 { "the variate" } else { "the number of trials" };
            self.error(errors::wrong_arguments(
                span,
                &format!("{name}_lpmf"),
                &types,
                &format!("{what} as an int or an array of ints"),
            ));
            return None;
        }
        let ok_shape = |t: &Ty| t.is_scalar() || (t.rank() == 1 && (t.array_rank == 1 || t.core != Core::Scalar));
        if vals.len() != arity || !types.iter().all(ok_shape) {
            let density = format!("{name}{}", if int_variate { "_lpmf" } else { "_lpdf" });
            let family = crate::catalog::lookup_families(&density).next().map(|f| format!("`{f}`"));
            let d = if suffix.is_empty() {
                errors::tilde_arguments(span, name, &types, arity - 1, family.as_deref())
            } else {
                errors::wrong_arguments(
                    span,
                    written,
                    &types,
                    &family
                        .unwrap_or_else(|| format!("{arity} arguments, each a scalar or a one-dimensional container")),
                )
            };
            self.error(d);
            return None;
        }
        Some(self.vectorised(name, d.reqs, d.relations, d.terms, vals, span, propto))
    }

    /// The sum over elements of `terms` at `vals` (scalars, or one-dimensional containers of
    /// one size), each element's arguments checked against `reqs` and `relations`. Terms of
    /// scalar arguments alone are computed once; with `propto`, terms of data alone are left out.
    #[allow(clippy::too_many_arguments)]
    fn vectorised(
        &mut self,
        name: &str,
        reqs: &'static [Req],
        relations: Option<distributions::Relations>,
        terms: distributions::Terms,
        vals: &[Val],
        span: Span,
        propto: bool,
    ) -> Atom {
        // Which arguments depend on parameters decides which terms `~` may drop.
        let live: u32 = vals.iter().enumerate().filter(|(_, v)| !v.data).map(|(i, _)| 1 << i).sum();
        let keep = |mask: u32| !propto || mask & live != 0;
        let container_mask: u32 = vals.iter().enumerate().filter(|(_, v)| !v.ty.is_scalar()).map(|(i, _)| 1 << i).sum();
        // Scalar arguments are checked once.
        for (i, v) in vals.iter().enumerate() {
            if v.ty.is_scalar() {
                self.check_requirement(reqs[i], v.atom, name, i, span);
            }
        }
        // With containers, the relations are checked per element, in the loop.
        if let Some(check) = relations
            && vals.iter().all(|v| v.ty.is_scalar())
        {
            let atoms: Vec<Atom> = vals.iter().map(|v| v.atom).collect();
            let xs = self.reals(&atoms);
            check(self, &xs, name, span);
        }
        let mut total = Atom::Real(0.0);
        // Terms that only involve scalar arguments: once, times the number of elements.
        let scalar_args: Vec<Atom> =
            vals.iter().map(|v| if v.ty.is_scalar() { v.atom } else { Atom::Real(f64::NAN) }).collect();
        let n = match vals.iter().find(|v| !v.ty.is_scalar()) {
            Some(c) => {
                let n = self.dim(c.atom, 0);
                for other in vals.iter().filter(|v| !v.ty.is_scalar()) {
                    let m = self.dim(other.atom, 0);
                    let ok = self.prim(Prim::IEq, &[m, n]);
                    self.check(
                        ok,
                        ErrorKind::Index,
                        format!("{name}: containers of sizes {{}} and {{}} in one call"),
                        span,
                        vec![m, n],
                    );
                }
                Some(n)
            }
            None => None,
        };
        let hoisted: Vec<Term> = self
            .dist_terms(terms, &scalar_args)
            .into_iter()
            .filter(|(m, _)| m & container_mask == 0 && keep(*m))
            .collect();
        let mut once = Atom::Real(0.0);
        for (_, t) in hoisted {
            once = self.add_real(once, t);
        }
        if let Some(n) = n {
            let nr = self.to_real(Val { atom: n, ty: Ty::INT, data: true });
            once = if once == Atom::Real(0.0) { once } else { self.prim(Prim::Mul, &[once, nr]) };
            let acc = self.f.new_var(None, Ty::REAL, VarKind::Mutable);
            self.emit(Stmt::Decl { var: acc, dims: vec![] });
            self.emit(Stmt::Assign { var: acc, indices: vec![], value: Atom::Real(0.0) });
            let vals = vals.to_vec();
            let name = name.to_string();
            self.for_loop(Atom::Int(1), n, |l, i| {
                let mut elems = Vec::new();
                for (k, v) in vals.iter().enumerate() {
                    if v.ty.is_scalar() {
                        elems.push(v.atom);
                    } else if let Atom::Var(base) = v.atom {
                        let ty = Ty { elem: v.ty.elem, array_rank: 0, core: Core::Scalar };
                        let x = l.let_(ty, Expr::Load { base, indices: vec![i] });
                        l.check_requirement(reqs[k], x, &name, k, span);
                        elems.push(x);
                    }
                }
                if let Some(check) = relations {
                    let xs = l.reals(&elems);
                    check(l, &xs, &name, span);
                }
                let terms: Vec<Term> = l
                    .dist_terms(terms, &elems)
                    .into_iter()
                    .filter(|(m, _)| m & container_mask != 0 && keep(*m))
                    .collect();
                let mut sum = Atom::Real(0.0);
                for (_, t) in terms {
                    sum = l.add_real(sum, t);
                }
                let s = l.prim(Prim::Add, &[Atom::Var(acc), sum]);
                l.emit(Stmt::Assign { var: acc, indices: vec![], value: s });
            });
            let looped = self.let_(Ty::REAL, Expr::Atom(Atom::Var(acc)));
            total = self.add_real(once, looped);
        } else {
            total = self.add_real(total, once);
        }
        total
    }

    fn add_real(&mut self, a: Atom, b: Atom) -> Atom {
        match (a, b) {
            (Atom::Real(x), _) if x == 0.0 => b,
            (_, Atom::Real(y)) if y == 0.0 => a,
            _ => self.prim(Prim::Add, &[a, b]),
        }
    }

    /// lkj_corr_cholesky(L | η) = Σ_{i=2..K} (K − i + 2η − 2) log L[i,i] + c(η, K), with
    /// c(η, K) = (K−1) lgamma(η + (K−1)/2) − Σ_{k=1..K−1} (½ k log π + lgamma(η + (K−1−k)/2))
    /// (Lewandowski, Kurowicka and Joe 2009, theorem 5; Stan's `do_lkj_constant`).
    fn lkj_corr_cholesky(&mut self, vals: &[Val], span: Span, propto: bool) -> Option<Atom> {
        if vals.len() != 2 || vals[0].ty != Ty::MATRIX || !vals[1].ty.is_scalar() {
            let types: Vec<Ty> = vals.iter().map(|v| v.ty).collect();
            if !types.contains(&Ty::ERROR) {
                self.error(errors::wrong_arguments(span, "lkj_corr_cholesky_lpdf", &types, "(matrix L, real eta)"));
            }
            return None;
        }
        let (l_val, eta_val) = (vals[0], vals[1]);
        let eta = self.to_real(eta_val);
        self.check_requirement(Req::PositiveFinite, eta, "lkj_corr_cholesky", 1, span);
        let k = self.dim(l_val.atom, 0);
        let kr = self.to_real(Val { atom: k, ty: Ty::INT, data: true });
        let Atom::Var(lv) = l_val.atom else { return None };
        let mut total = Atom::Real(0.0);
        if !propto || !(l_val.data && eta_val.data) {
            let two_eta = self.prim(Prim::Mul, &[Atom::Real(2.0), eta]);
            let shift = self.prim(Prim::Sub, &[kr, Atom::Real(2.0)]);
            let base = self.prim(Prim::Add, &[two_eta, shift]);
            let acc = self.reduce_range(Atom::Int(2), k, &mut |l, i| {
                let d = l.let_(Ty::REAL, Expr::Load { base: lv, indices: vec![i, i] });
                let ld = l.prim(Fun::Log, &[d]);
                let ir = l.prim(Prim::ToReal, &[i]);
                let coef = l.prim(Prim::Sub, &[base, ir]);
                l.prim(Prim::Mul, &[coef, ld])
            });
            total = acc;
        }
        if !propto || !eta_val.data {
            let c = self.lkj_constant(eta, k);
            total = self.add_real(total, c);
        }
        Some(total)
    }

    /// The LKJ density's normalising constant for K × K matrices:
    /// c(η, K) = (K−1) lgamma(η + (K−1)/2) − Σ_{k=1..K−1} (½ k log π + lgamma(η + (K−1−k)/2)).
    fn lkj_constant(&mut self, eta: Atom, k: Atom) -> Atom {
        let kr = self.to_real(Val { atom: k, ty: Ty::INT, data: true });
        let km1 = self.prim(Prim::Sub, &[kr, Atom::Real(1.0)]);
        let half_km1 = self.prim(Prim::Mul, &[Atom::Real(0.5), km1]);
        let a = self.prim(Prim::Add, &[eta, half_km1]);
        let lg = self.prim(Fun::Lgamma, &[a]);
        let first = self.prim(Prim::Mul, &[km1, lg]);
        let km1_int = self.prim(Prim::ISub, &[k, Atom::Int(1)]);
        let sum = self.reduce_range(Atom::Int(1), km1_int, &mut |l, kk| {
            let kkr = l.prim(Prim::ToReal, &[kk]);
            let t1 = l.prim(Prim::Mul, &[Atom::Real(0.5 * LOG_PI), kkr]);
            let d = l.prim(Prim::Sub, &[km1, kkr]);
            let hd = l.prim(Prim::Mul, &[Atom::Real(0.5), d]);
            let arg = l.prim(Prim::Add, &[eta, hd]);
            let lg = l.prim(Fun::Lgamma, &[arg]);
            l.prim(Prim::Add, &[t1, lg])
        });
        self.prim(Prim::Sub, &[first, sum])
    }

    /// Σ f(i) for i in lo..=hi, as a real.
    pub(crate) fn reduce_range(&mut self, lo: Atom, hi: Atom, f: &mut dyn FnMut(&mut Self, Atom) -> Atom) -> Atom {
        let acc = self.f.new_var(None, Ty::REAL, VarKind::Mutable);
        self.emit(Stmt::Decl { var: acc, dims: vec![] });
        self.emit(Stmt::Assign { var: acc, indices: vec![], value: Atom::Real(0.0) });
        self.for_loop(lo, hi, |l, i| {
            let t = f(l, i);
            let s = l.prim(Prim::Add, &[Atom::Var(acc), t]);
            l.emit(Stmt::Assign { var: acc, indices: vec![], value: s });
        });
        self.let_(Ty::REAL, Expr::Atom(Atom::Var(acc)))
    }

    /// dirichlet(θ | α) = Σ (αₖ − 1) log θₖ + lgamma(Σ αₖ) − Σ lgamma(αₖ).
    /// Vectorised: θ and α each a vector or an array of them, summed over the outcomes.
    fn dirichlet(&mut self, vals: &[Val], span: Span, propto: bool) -> Option<Atom> {
        let is_vec = |t: Ty| t.array_rank <= 1 && matches!(t.core, Core::Vector | Core::RowVector);
        if vals.len() != 2 || !is_vec(vals[0].ty) || !is_vec(vals[1].ty) {
            let types: Vec<Ty> = vals.iter().map(|v| v.ty).collect();
            if !types.contains(&Ty::ERROR) {
                self.error(errors::wrong_arguments(span, "dirichlet_lpdf", &types, "(vectors theta, vectors alpha)"));
            }
            return None;
        }
        let one = |v: Val| discrete::PerOutcome { val: v, one: Ty { array_rank: 0, ..v.ty } };
        let args = [one(vals[0]), one(vals[1])];
        let mut failed = false;
        let total =
            self.sum_outcomes("dirichlet", &args, span, &mut |l, v| match l.dirichlet_one(v[0], v[1], span, propto) {
                Some(t) => t,
                None => {
                    failed = true;
                    Atom::Real(f64::NAN)
                }
            });
        (!failed).then_some(total)
    }

    fn dirichlet_one(&mut self, theta: Val, alpha: Val, span: Span, propto: bool) -> Option<Atom> {
        let k = self.dim(theta.atom, 0);
        let k2 = self.dim(alpha.atom, 0);
        let ok = self.prim(Prim::IEq, &[k, k2]);
        self.check(
            ok,
            ErrorKind::Index,
            "dirichlet: theta has size {} but alpha has size {}".into(),
            span,
            vec![k, k2],
        );
        let (Atom::Var(t), Atom::Var(a)) = (theta.atom, alpha.atom) else { return None };
        let keep_kernel = !propto || !(theta.data && alpha.data);
        let keep_norm = !propto || !alpha.data;
        let acc = self.f.new_var(None, Ty::REAL, VarKind::Mutable);
        self.emit(Stmt::Decl { var: acc, dims: vec![] });
        self.emit(Stmt::Assign { var: acc, indices: vec![], value: Atom::Real(0.0) });
        let total_alpha = self.f.new_var(None, Ty::REAL, VarKind::Mutable);
        self.emit(Stmt::Decl { var: total_alpha, dims: vec![] });
        self.emit(Stmt::Assign { var: total_alpha, indices: vec![], value: Atom::Real(0.0) });
        self.for_loop(Atom::Int(1), k, |l, i| {
            let ti = l.let_(Ty::REAL, Expr::Load { base: t, indices: vec![i] });
            let ai = l.let_(Ty::REAL, Expr::Load { base: a, indices: vec![i] });
            let mut term = Atom::Real(0.0);
            if keep_kernel {
                let am1 = l.prim(Prim::Sub, &[ai, Atom::Real(1.0)]);
                let lt = l.prim(Fun::Log, &[ti]);
                term = l.prim(Prim::Mul, &[am1, lt]);
            }
            if keep_norm {
                let lg = l.prim(Fun::Lgamma, &[ai]);
                term = l.prim(Prim::Sub, &[term, lg]);
                let sa = l.prim(Prim::Add, &[Atom::Var(total_alpha), ai]);
                l.emit(Stmt::Assign { var: total_alpha, indices: vec![], value: sa });
            }
            let s = l.prim(Prim::Add, &[Atom::Var(acc), term]);
            l.emit(Stmt::Assign { var: acc, indices: vec![], value: s });
        });
        let mut total = self.let_(Ty::REAL, Expr::Atom(Atom::Var(acc)));
        if keep_norm {
            let sa = self.let_(Ty::REAL, Expr::Atom(Atom::Var(total_alpha)));
            let lg = self.prim(Fun::Lgamma, &[sa]);
            total = self.prim(Prim::Add, &[total, lg]);
        }
        Some(total)
    }

    /// multi_normal_cholesky(y | mu, L) = −½‖L⁻¹(y − μ)‖² − Σ log Lᵢᵢ − (K/2) log 2π.
    /// multi_normal(y | μ, Σ) and multi_normal_cholesky(y | μ, L), with y and μ each a vector
    /// (or row vector) or an array of them: with L the Cholesky factor (computed once),
    /// Σₙ −½ |L⁻¹(yₙ − μₙ)|² − n Σ log Lᵢᵢ − n K log √(2π).
    fn multi_normal(&mut self, name: &str, vals: &[Val], span: Span, propto: bool) -> Option<Atom> {
        let vector_like = |t: Ty| t.array_rank <= 1 && matches!(t.core, Core::Vector | Core::RowVector);
        if vals.len() != 3 || vals[2].ty != Ty::MATRIX || !vector_like(vals[0].ty) || !vector_like(vals[1].ty) {
            let types: Vec<Ty> = vals.iter().map(|v| v.ty).collect();
            self.error(errors::wrong_arguments(span, name, &types, "(vectors y, vectors mu, matrix L)"));
            return None;
        }
        let (y, mu, m) = (vals[0], vals[1], vals[2]);
        let l_val = if name == "multi_normal" {
            let atom = self.cholesky(m.atom, span);
            Val { atom, ty: Ty::MATRIX, data: m.data }
        } else {
            m
        };
        // One vector per outcome: the arrays' elements, or the vector itself, shared.
        let one = |t: Ty| Ty { array_rank: 0, ..t };
        let args = [discrete::PerOutcome { val: y, one: one(y.ty) }, discrete::PerOutcome { val: mu, one: one(mu.ty) }];
        let count = self.outcomes(name, &args, span);
        let k = self.dim(l_val.atom, 0);
        let mut total = Atom::Real(0.0);
        if !propto || !(y.data && mu.data && l_val.data) {
            total = self.sum_outcomes(name, &args, span, &mut |l, v| {
                // Stan allows a row vector against a vector; both are stored alike.
                let (yi, mut mui) = (v[0], v[1]);
                mui.ty = yi.ty;
                let diff = l.binary(ast::BinOp::Sub, yi, mui, span);
                let diff = if diff.ty.core == Core::RowVector { Val { ty: Ty::VECTOR, ..diff } } else { diff };
                let z = l.tri_solve(l_val.atom, diff.atom, span);
                let zv = Val { atom: z, ty: Ty::VECTOR, data: diff.data && l_val.data };
                let zz = l.dot(zv, zv, span);
                l.prim(Prim::Mul, &[Atom::Real(-0.5), zz])
            });
        }
        let n = match count {
            Some(n) => self.to_real(Val { atom: n, ty: Ty::INT, data: true }),
            None => Atom::Real(1.0),
        };
        if !propto || !l_val.data {
            let Atom::Var(lv) = l_val.atom else { return None };
            let log_diag = self.reduce_range(Atom::Int(1), k, &mut |l, i| {
                let d = l.let_(Ty::REAL, Expr::Load { base: lv, indices: vec![i, i] });
                l.prim(Fun::Log, &[d])
            });
            let logdet = self.prim(Prim::Mul, &[n, log_diag]);
            let neg = self.prim(Prim::Neg, &[logdet]);
            total = self.add_real(total, neg);
        }
        if !propto {
            let kr = self.to_real(Val { atom: k, ty: Ty::INT, data: true });
            let nk = self.prim(Prim::Mul, &[n, kr]);
            let c = self.prim(Prim::Mul, &[nk, Atom::Real(-LOG_SQRT_TWO_PI)]);
            total = self.add_real(total, c);
        }
        Some(total)
    }

    /// A call to a built-in function or distribution.
    pub(crate) fn call(&mut self, name: &Ident, args: &[ast::Expr], conditional: bool, span: Span) -> Val {
        // A user's `foo_lpdf` is also called as `foo_lupdf`; it computes every term either way.
        let renamed = user_normalised(&name.name)
            .filter(|n| self.functions.contains_key(n))
            .map(|n| Ident { name: n, span: name.span });
        let name = renamed.as_ref().unwrap_or(name);
        let n = name.name.as_str();
        if let Some(hint) = errors::removed_function_hint(n).filter(|_| !self.functions.contains_key(n)) {
            self.error(errors::removed_function(name.span, n, &hint));
            return Val::error();
        }
        if is_higher_order(n) && !self.functions.contains_key(n) {
            return self.higher_order(name, args, span);
        }
        if self.functions.contains_key(n) {
            let vals: Vec<Val> = args.iter().map(|e| self.expr(e)).collect();
            if vals.iter().any(|v| v.ty == Ty::ERROR) {
                return Val::error();
            }
            return self.call_user(name, &vals, span);
        }
        if let Some(v) = self.cdf_call(n, args, span) {
            return v;
        }
        for (suffix, drop_constants) in [("_lpdf", false), ("_lpmf", false), ("_lupdf", true), ("_lupmf", true)] {
            if let Some(base) = n.strip_suffix(suffix) {
                if !conditional && args.len() > 1 {
                    self.error(errors::lpdf_needs_bar(name.span, n, args));
                }
                let (base, vals) = self.density_args(base, args);
                let data = vals.iter().all(|v| v.data);
                return match self.density_named(base, n, suffix, name.span, &vals, span, drop_constants) {
                    Some(atom) => Val { atom, ty: Ty::REAL, data },
                    None => Val::error(),
                };
            }
        }
        if let Some(base) = n.strip_suffix("_rng") {
            if let Some(f) = self.inline_stack.last().filter(|f| !f.ends_with("_rng")) {
                let f = f.clone();
                self.error(errors::rng_in_plain_function(name.span, n, &f));
                return Val::error();
            }
            if !matches!(self.block, ast::BlockKind::GeneratedQuantities) {
                let what = if self.block == ast::BlockKind::TransformedData { "in transformed data" } else { "" };
                if what.is_empty() {
                    self.error(errors::rng_outside_gq(name.span, n));
                } else {
                    self.error(errors::not_supported(name.span, "random number generators in transformed data"));
                }
                return Val::error();
            }
            return self.random(base, n, args, span);
        }
        if !crate::catalog::is_builtin(n) && self.lookup(n).is_none() {
            // The arguments of an unknown function are left to `typeck`, which knows a function
            // passed as one (`map_rectq(f, ...)` is one mistake, not also an undeclared `f`).
            self.error(errors::unknown_function(name.span, n, function_names(self.functions.keys())));
            return Val::error();
        }
        let vals: Vec<Val> = args.iter().map(|e| self.expr(e)).collect();
        let data = vals.iter().all(|v| v.data);
        let types: Vec<Ty> = vals.iter().map(|v| v.ty).collect();
        if types.contains(&Ty::ERROR) {
            // Already reported: an argument that failed to check.
            return Val::error();
        }
        if self.functions.contains_key(n) {
            return self.call_user(name, &vals, span);
        }
        let arg_types: Vec<crate::catalog::ArgType> = types.iter().map(|t| functions::arg_type(*t)).collect();
        // A complex argument or result: the complex table's, never the real one's.
        if complex::accepts(n, &arg_types) || types.iter().any(|t| t.is_complex()) {
            return self.complex_call(n, &vals, span);
        }
        let wrong = |l: &mut Self, expected: &str| {
            l.error(errors::wrong_arguments(span, n, &types, expected));
            Val::error()
        };
        let Some(def) = functions::function(n) else {
            if crate::catalog::is_builtin(n) {
                self.error(errors::function_not_supported(name.span, &format!("the built-in function `{n}`"), n));
            } else {
                self.error(errors::variable_called(name.span, n));
            }
            return Val::error();
        };
        if (def.accepts)(&arg_types) {
            return (def.lower)(self, &functions::Args { name: n, vals: &vals, span, data });
        }
        let families: Vec<String> = crate::catalog::lookup_families(n).map(|f| f.to_string()).collect();
        if matches!(n, "rows" | "cols") && vals.first().is_some_and(|v| v.ty.array_rank > 0) {
            let d = errors::wrong_arguments(span, n, &types, &families.join("; "))
                .with_hint(format!("`{n}` takes a vector, row_vector or matrix; an array's length is `size`"));
            self.error(d);
            return Val::error();
        }
        if families.is_empty() {
            wrong(self, "other arguments (see the Stan Functions Reference)")
        } else {
            wrong(self, &families.join("; "))
        }
    }

    /// `_lcdf`, `_lccdf` and `_cdf` of a distribution with CDFs in its entry: the sum over
    /// elements of the per-element log CDF (the product of CDFs, for `_cdf`).
    fn cdf_call(&mut self, n: &str, args: &[ast::Expr], span: Span) -> Option<Val> {
        let (base, suffix) = ["_lcdf", "_lccdf", "_cdf"].iter().find_map(|s| n.strip_suffix(s).map(|b| (b, *s)))?;
        distributions::elementwise(base)?.cdfs?;
        let vals: Vec<Val> = args.iter().map(|e| self.expr(e)).collect();
        if vals.iter().any(|v| v.ty == Ty::ERROR) {
            return Some(Val::error());
        }
        let data = vals.iter().all(|v| v.data);
        match self.cdf_of(base, suffix, &vals, span) {
            Some(atom) => Some(Val { atom, ty: Ty::REAL, data }),
            None => Some(Val::error()),
        }
    }

    /// `base` + `suffix` (`_lcdf`, `_lccdf` or `_cdf`) at checked arguments: a built-in's from
    /// its entry, a user's by calling it. None (reported) when there is neither.
    fn cdf_of(&mut self, base: &str, suffix: &str, vals: &[Val], span: Span) -> Option<Atom> {
        let n = format!("{base}{suffix}");
        if self.functions.contains_key(&n) {
            let v = self.call_user(&Ident { name: n, span }, vals, span);
            return (v.ty != Ty::ERROR).then(|| self.to_real(v));
        }
        let Some((d, (lcdf, lccdf))) = distributions::elementwise(base).and_then(|d| d.cdfs.map(|c| (d, c))) else {
            self.error(errors::function_not_supported(span, &format!("`{n}`"), &n));
            return None;
        };
        let types: Vec<Ty> = vals.iter().map(|v| v.ty).collect();
        let arg_types: Vec<crate::catalog::ArgType> = types.iter().map(|t| functions::arg_type(*t)).collect();
        let ints_ok = types.iter().take(d.int_args).all(|t| t.elem == Elem::Int);
        if !ints_ok || !distributions::cdf_accepts(base, &arg_types) {
            self.error(errors::function_not_supported(span, &format!("`{n}` with arguments of these types"), &n));
            return None;
        }
        let f = if suffix == "_lccdf" { lccdf } else { lcdf };
        let total = self.vectorised(&n, d.cdf_reqs.unwrap_or(d.reqs), d.relations, f, vals, span, false);
        Some(if suffix == "_cdf" { self.prim(Fun::Exp, &[total]) } else { total })
    }

    /// What `y ~ dist(args) T[lower, upper]` adds besides the density: −∞ when y lies outside
    /// the bounds, otherwise minus the log probability of the interval, log(F(U) − F(L)) (for a
    /// mass function F(L − 1), so that L itself is inside). `vals` are the variate and the
    /// arguments. With `propto`, the normaliser is left out when nothing in it is a parameter.
    pub(crate) fn truncation(
        &mut self,
        dist: &str,
        vals: &[Val],
        lower: Option<Val>,
        upper: Option<Val>,
        span: Span,
        propto: bool,
    ) -> Option<Atom> {
        let y = vals[0];
        if !y.ty.is_scalar() {
            self.error(errors::not_supported(span, "truncating a distribution of a container variate"));
            return None;
        }
        let discrete = y.ty.elem == Elem::Int;
        let yr = self.to_real(y);
        // An int flag: the variate lies outside the bounds.
        let mut outside = Atom::Int(0);
        let mut lower_point = None;
        if let Some(l) = lower {
            let lr = self.to_real(l);
            outside = self.prim(Prim::Lt, &[yr, lr]);
            // P(Y ≥ L) = 1 − F(L − 1) for a mass function.
            lower_point = Some(match (discrete, l.ty.elem) {
                (false, _) => l,
                (true, Elem::Int) => Val { atom: self.prim(Prim::ISub, &[l.atom, Atom::Int(1)]), ..l },
                (true, Elem::Real | Elem::Complex | Elem::Tuple(_)) => {
                    Val { atom: self.prim(Prim::Sub, &[lr, Atom::Real(1.0)]), ty: Ty::REAL, ..l }
                }
            });
        }
        if let Some(u) = upper {
            let ur = self.to_real(u);
            let above = self.prim(Prim::Gt, &[yr, ur]);
            outside = if lower.is_some() { self.prim(Prim::Or, &[outside, above]) } else { above };
        }
        let constant = vals[1..].iter().chain(lower.iter()).chain(upper.iter()).all(|v| v.data);
        let at = |bound: Val| -> Vec<Val> {
            let mut args = vec![bound];
            args.extend_from_slice(&vals[1..]);
            args
        };
        let log_mass = if propto && constant {
            Atom::Real(0.0)
        } else {
            match (lower_point, upper) {
                (Some(l), Some(u)) => {
                    let fu = self.cdf_of(dist, "_lcdf", &at(u), span)?;
                    let fl = self.cdf_of(dist, "_lcdf", &at(l), span)?;
                    // log(e^a − e^b) = a + log1m_exp(b − a)
                    let d = self.prim(Prim::Sub, &[fl, fu]);
                    let m = self.prim(Fun::Log1mExp, &[d]);
                    self.prim(Prim::Add, &[fu, m])
                }
                (Some(l), None) => self.cdf_of(dist, "_lccdf", &at(l), span)?,
                (None, Some(u)) => self.cdf_of(dist, "_lcdf", &at(u), span)?,
                (None, None) => Atom::Real(0.0),
            }
        };
        let normaliser = self.prim(Prim::Neg, &[log_mass]);
        if outside == Atom::Int(0) {
            return Some(normaliser);
        }
        Some(self.select(outside, Atom::Real(f64::NEG_INFINITY), normaliser))
    }

    /// `foo_rng(args)`: one draw, or one per element when an argument is a container.
    fn random(&mut self, base: &str, n: &str, args: &[ast::Expr], span: Span) -> Val {
        let vals: Vec<Val> = args.iter().map(|e| self.expr(e)).collect();
        let types: Vec<Ty> = vals.iter().map(|v| v.ty).collect();
        if types.contains(&Ty::ERROR) {
            return Val::error();
        }
        if let Some(c) = random::composite(base) {
            let arg_types: Vec<crate::catalog::ArgType> = types.iter().map(|t| functions::arg_type(*t)).collect();
            if (c.accepts)(&arg_types) {
                return (c.lower)(self, &vals, span);
            }
            self.error(errors::function_not_supported(span, &format!("`{n}` with arguments of these types"), n));
            return Val::error();
        }
        let Some(d) = RngDist::by_name(base) else {
            self.error(errors::function_not_supported(span, &format!("`{n}`"), n));
            return Val::error();
        };
        let one_dim = |t: &Ty| t.is_scalar() || t.rank() == 1;
        if vals.len() != d.arity() || !types.iter().all(one_dim) {
            self.error(errors::wrong_arguments(
                span,
                n,
                &types,
                &format!("{} scalars or one-dimensional containers", d.arity()),
            ));
            return Val::error();
        }
        let elem = if d.discrete() { Elem::Int } else { Elem::Real };
        let scalar = Ty { elem, array_rank: 0, core: Core::Scalar };
        let out_ty = if types.iter().all(|t| t.is_scalar()) { scalar } else { Ty::array(elem, 1) };
        // The parameters' requirements are the density's (its entry lists the variate's first),
        // checked as Stan's `_rng`s check them: a domain error, never a draw from nonsense.
        let reqs: Vec<Req> = distributions::elementwise(d.name())
            .filter(|e| e.reqs.len() == d.arity() + 1)
            .map(|e| e.reqs[1..].to_vec())
            .unwrap_or_default();
        self.map_elementwise(
            &vals,
            out_ty,
            &mut |l, xs| {
                for (i, (&req, &x)) in reqs.iter().zip(xs).enumerate() {
                    l.check_requirement(req, x, n, i, span);
                }
                let reals: Vec<Atom> =
                    xs.iter().map(|x| l.to_real(Val { atom: *x, ty: l.f.atom_ty(*x), data: true })).collect();
                let draw = l.let_(scalar, Expr::Random(d, reals));
                if !d.discrete() {
                    // What the requirements do not say (uniform's lower bound below its upper
                    // one) the sampler refuses with NaN.
                    let drawn = l.prim(Prim::Eq, &[draw, draw]);
                    l.check(
                        drawn,
                        ErrorKind::Domain,
                        format!("{n}: these arguments are outside the distribution's domain (the draw is {{}})"),
                        span,
                        vec![draw],
                    );
                }
                draw
            },
            span,
        )
    }

    /// log(1 + eˣ) as max(x, 0) + log1p(e^(−|x|)) (just log1p(eˣ) when x is known to be ≤ 0).
    /// Written with primitives rather than as one, so the reverse sweep reuses e^(−|x|) instead
    /// of calling exp again: one exponential and one log1p per element in all.
    fn log1p_exp(&mut self, x: Atom, nonpositive: bool) -> Atom {
        if nonpositive {
            let e = self.prim(Fun::Exp, &[x]);
            return self.prim(Fun::Log1p, &[e]);
        }
        let (m, nax) = self.max_and_minus_abs(x, Atom::Real(0.0), x);
        let e = self.prim(Fun::Exp, &[nax]);
        let l = self.prim(Fun::Log1p, &[e]);
        self.prim(Prim::Add, &[m, l])
    }

    /// max(a, b) and −|d| for d = a − b, both differentiated on one side of a = b: at a tie
    /// fmax's adjoint goes to its first operand, a, and fmin(−d, d)'s to −d, as for a > b. So
    /// the derivative of max(a, b) + f(−|a − b|) at a = b is the smooth function's (log1p_exp
    /// at 0: ½), where abs's own (sign(0) = 0) would give 1.
    fn max_and_minus_abs(&mut self, a: Atom, b: Atom, d: Atom) -> (Atom, Atom) {
        let m = self.prim(Prim::Fmax, &[a, b]);
        let nd = self.prim(Prim::Neg, &[d]);
        (m, self.prim(Prim::Fmin, &[nd, d]))
    }

    fn log_sum_exp2(&mut self, a: Atom, b: Atom) -> Atom {
        // max(a, b) + log1p(exp(−|a − b|)); −∞ when both are (their difference, NaN, is
        // replaced by 0 there).
        let d = self.prim(Prim::Sub, &[a, b]);
        let none = self.prim(Prim::Eq, &[a, Atom::Real(f64::NEG_INFINITY)]);
        let none_b = self.prim(Prim::Eq, &[b, Atom::Real(f64::NEG_INFINITY)]);
        let none = self.prim(Prim::And, &[none, none_b]);
        let d = self.prim(Prim::Select, &[none, Atom::Real(0.0), d]);
        let (m, nad) = self.max_and_minus_abs(a, b, d);
        let l = self.log1p_exp(nad, true);
        self.prim(Prim::Add, &[m, l])
    }

    fn num_elements(&mut self, v: Val) -> Atom {
        let dims = self.value_dims(v);
        self.product(&dims)
    }

    fn fill(&mut self, ty: Ty, dims: Vec<Atom>, x: Atom, data: bool) -> Val {
        let out = self.build(ty, dims.clone());
        let Atom::Var(dst) = out else { return Val::error() };
        self.for_each_index(&dims, ty.core, &mut |l, idx| {
            l.emit(Stmt::Assign { var: dst, indices: idx.to_vec(), value: x });
        });
        Val { atom: out, ty, data }
    }

    /// Folds `f(acc, x)` over every element (converted to real) of a container.
    pub(crate) fn reduce(&mut self, v: Val, init: Atom, f: &mut dyn FnMut(&mut Self, Atom, Atom) -> Atom) -> Atom {
        let acc = self.f.new_var(None, Ty::REAL, VarKind::Mutable);
        self.emit(Stmt::Decl { var: acc, dims: vec![] });
        self.emit(Stmt::Assign { var: acc, indices: vec![], value: init });
        let dims = self.dims(v.atom, v.ty);
        let Atom::Var(base) = v.atom else { return Atom::Real(f64::NAN) };
        let elem_ty = Ty { elem: v.ty.elem, array_rank: 0, core: Core::Scalar };
        self.for_each_index(&dims, v.ty.core, &mut |l, idx| {
            let x = l.let_(elem_ty, Expr::Load { base, indices: idx.to_vec() });
            let x = l.to_real(Val { atom: x, ty: elem_ty, data: true });
            let next = f(l, Atom::Var(acc), x);
            l.emit(Stmt::Assign { var: acc, indices: vec![], value: next });
        });
        self.let_(Ty::REAL, Expr::Atom(Atom::Var(acc)))
    }

    fn int_reduce(&mut self, v: Val, p: Prim, init: Atom) -> Val {
        let acc = self.f.new_var(None, Ty::INT, VarKind::Mutable);
        self.emit(Stmt::Decl { var: acc, dims: vec![] });
        self.emit(Stmt::Assign { var: acc, indices: vec![], value: init });
        let dims = self.dims(v.atom, v.ty);
        let Atom::Var(base) = v.atom else { return Val::int(0) };
        self.for_each_index(&dims, v.ty.core, &mut |l, idx| {
            let x = l.let_(Ty::INT, Expr::Load { base, indices: idx.to_vec() });
            let next = l.prim(p, &[Atom::Var(acc), x]);
            l.emit(Stmt::Assign { var: acc, indices: vec![], value: next });
        });
        let atom = self.let_(Ty::INT, Expr::Atom(Atom::Var(acc)));
        Val { atom, ty: Ty::INT, data: v.data }
    }
}

/// The names of the functions and distributions the lowering knows (distributions by their
/// base name), for the test that holds the catalog's record to the compiler.
pub fn known_names() -> Vec<&'static str> {
    let mut all: Vec<&str> =
        crate::catalog::all_names().iter().copied().filter(|n| functions::function(n).is_some()).collect();
    all.extend(
        crate::catalog::distributions()
            .iter()
            .map(|d| d.name)
            .filter(|n| distributions::elementwise(n).is_some() || distributions::multivariate(n).is_some()),
    );
    all
}

/// Stan's higher-order functions: they take a user-defined function as an argument.
pub(crate) fn is_higher_order(n: &str) -> bool {
    n.starts_with("ode_")
        || n.starts_with("integrate_ode")
        || n.starts_with("algebra_solver")
        || n.starts_with("solve_")
        || n.starts_with("dae")
        || n.starts_with("laplace_")
        || matches!(n, "reduce_sum" | "reduce_sum_static" | "map_rect" | "integrate_1d")
}

/// Every name a call can use, for suggestions: Stan's built-in functions and the user's.
pub(crate) fn function_names<'a>(user: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
    let mut names: Vec<&str> = crate::catalog::all_names().to_vec();
    names.extend(user.into_iter().map(String::as_str));
    names
}

/// Every name `~` can use, for suggestions: Stan's distributions and the user's densities and
/// mass functions (by their names without the suffix).
pub(crate) fn distribution_names<'a>(user: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
    let mut names: Vec<&str> = crate::catalog::distributions().iter().map(|d| d.name).collect();
    names.extend(user.into_iter().filter_map(|f| f.strip_suffix("_lpdf").or_else(|| f.strip_suffix("_lpmf"))));
    names
}

/// `foo_lpdf` for `foo_lupdf` (and `_lpmf` for `_lupmf`).
pub(crate) fn user_normalised(name: &str) -> Option<String> {
    let (base, kind) =
        name.strip_suffix("_lupdf").map(|b| (b, "pdf")).or_else(|| name.strip_suffix("_lupmf").map(|b| (b, "pmf")))?;
    Some(format!("{base}_l{kind}"))
}
