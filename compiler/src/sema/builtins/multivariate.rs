//! Densities over vectors and matrices written with the library's own matrix functions: the
//! multivariate Student t (and its Cholesky form), the normal in precision form, the LKJ
//! density of a correlation matrix, and the Wishart and inverse Wishart densities. Each is a
//! `multivariate` entry of `distributions.rs`. Terms are dropped under `~` exactly when every
//! argument they read is data.

use grammar::Span;
use grammar::ast::BinOp;

use crate::ir::{Atom, Core, ErrorKind, Expr, Fun, Prim, Stmt, Ty};
use crate::sema::{Lowerer, Val};

use super::LOG_PI;
use super::discrete::PerOutcome;
use super::distributions::DensityCall;
use super::functions::Args;

const LOG_TWO: f64 = std::f64::consts::LN_2;

impl Lowerer<'_> {
    /// A built-in function of the library at checked arguments (its entry accepts them).
    pub(super) fn library(&mut self, name: &str, vals: &[Val], span: Span) -> Val {
        let f = super::functions::function(name).expect("a function of the library");
        (f.lower)(self, &Args { name, vals, span, data: vals.iter().all(|v| v.data) })
    }

    /// Σ log L[i, i]: half the log determinant of L Lᵀ.
    fn log_diag(&mut self, l: Atom) -> Atom {
        let Atom::Var(lv) = l else { return Atom::Real(f64::NAN) };
        let k = self.dim(l, 0);
        self.reduce_range(Atom::Int(1), k, &mut |x, i| {
            let d = x.let_(Ty::REAL, Expr::Load { base: lv, indices: vec![i, i] });
            x.prim(Fun::Log, &[d])
        })
    }

    /// The Cholesky factor of `m`, or `m` itself when it is one already.
    fn factor(&mut self, m: Val, is_factor: bool, span: Span) -> Val {
        if is_factor {
            return m;
        }
        let atom = self.cholesky(m.atom, span);
        Val { atom, ty: Ty::MATRIX, data: m.data }
    }

    /// The vectors of a vectorised call: y and μ each shared or one per outcome.
    fn vector_outcomes(y: Val, mu: Val) -> [PerOutcome; 2] {
        let one = |t: Ty| Ty { array_rank: 0, ..t };
        [PerOutcome { val: y, one: one(y.ty) }, PerOutcome { val: mu, one: one(mu.ty) }]
    }

    /// |L⁻¹(y − μ)|² for one outcome.
    fn mahalanobis(&mut self, y: Val, mut mu: Val, l: Val, span: Span) -> Atom {
        mu.ty = y.ty;
        let diff = self.binary(BinOp::Sub, y, mu, span);
        let diff = if diff.ty.core == Core::RowVector { Val { ty: Ty::VECTOR, ..diff } } else { diff };
        let z = self.tri_solve(l.atom, diff.atom, span);
        let zv = Val { atom: z, ty: Ty::VECTOR, data: diff.data && l.data };
        self.dot(zv, zv, span)
    }

    /// multi_student_t(y | ν, μ, Σ) (or with the Cholesky factor L of Σ), K = size(y):
    /// lgamma((ν + K)/2) − lgamma(ν/2) − (K/2) log(νπ) − log |L| − ((ν + K)/2) log(1 + d²/ν),
    /// d² = |L⁻¹(y − μ)|², summed over the outcomes.
    pub(super) fn multi_student_t(&mut self, c: &DensityCall, is_factor: bool) -> Option<Atom> {
        let [y, nu, mu, s] = c.vals else { return None };
        let nu_r = self.to_real(*nu);
        let l = self.factor(*s, is_factor, c.span);
        let k = self.dim(l.atom, 0);
        let kr = self.to_real(Val { atom: k, ty: Ty::INT, data: true });
        let half_nk = {
            let t = self.prim(Prim::Add, &[nu_r, kr]);
            self.prim(Prim::Mul, &[Atom::Real(0.5), t])
        };
        let args = Self::vector_outcomes(*y, *mu);
        let count = self.outcomes(c.name, &args, c.span);
        let n = match count {
            Some(n) => self.to_real(Val { atom: n, ty: Ty::INT, data: true }),
            None => Atom::Real(1.0),
        };
        let kernel = self.sum_outcomes(c.name, &args, c.span, &mut |x, v| {
            let d2 = x.mahalanobis(v[0], v[1], l, c.span);
            let r = x.prim(Prim::Div, &[d2, nu_r]);
            let lr = x.prim(Fun::Log1p, &[r]);
            let t = x.prim(Prim::Mul, &[half_nk, lr]);
            x.prim(Prim::Neg, &[t])
        });
        let mut total = kernel;
        if !c.propto || !nu.data {
            let lg1 = self.prim(Fun::Lgamma, &[half_nk]);
            let half_nu = self.prim(Prim::Mul, &[Atom::Real(0.5), nu_r]);
            let lg2 = self.prim(Fun::Lgamma, &[half_nu]);
            let lnu = self.prim(Fun::Log, &[nu_r]);
            let hk = self.prim(Prim::Mul, &[Atom::Real(0.5), kr]);
            let t = self.prim(Prim::Mul, &[hk, lnu]);
            let a = self.prim(Prim::Sub, &[lg1, lg2]);
            let a = self.prim(Prim::Sub, &[a, t]);
            let a = self.prim(Prim::Mul, &[n, a]);
            total = self.prim(Prim::Add, &[total, a]);
        }
        if !c.propto || !l.data {
            let ld = self.log_diag(l.atom);
            let t = self.prim(Prim::Mul, &[n, ld]);
            total = self.prim(Prim::Sub, &[total, t]);
        }
        if !c.propto {
            let t = self.prim(Prim::Mul, &[kr, Atom::Real(0.5 * LOG_PI)]);
            let t = self.prim(Prim::Mul, &[n, t]);
            total = self.prim(Prim::Sub, &[total, t]);
        }
        Some(total)
    }

    /// multi_normal_prec(y | μ, Ω) = −½ (y − μ)ᵀ Ω (y − μ) + ½ log |Ω| − (K/2) log 2π, per outcome.
    pub(super) fn multi_normal_prec(&mut self, c: &DensityCall) -> Option<Atom> {
        let [y, mu, omega] = c.vals else { return None };
        let args = Self::vector_outcomes(*y, *mu);
        let count = self.outcomes(c.name, &args, c.span);
        let n = match count {
            Some(n) => self.to_real(Val { atom: n, ty: Ty::INT, data: true }),
            None => Atom::Real(1.0),
        };
        let omega = *omega;
        let mut total = self.sum_outcomes(c.name, &args, c.span, &mut |x, v| {
            let (yi, mut mui) = (v[0], v[1]);
            mui.ty = yi.ty;
            let d = x.binary(BinOp::Sub, yi, mui, c.span);
            let d = Val { ty: Ty::VECTOR, ..d };
            let od = x.kernel(Prim::MatVec, omega, d, Ty::VECTOR, c.span);
            let q = x.dot(d, od, c.span);
            x.prim(Prim::Mul, &[Atom::Real(-0.5), q])
        });
        let k = self.dim(omega.atom, 0);
        if !c.propto || !omega.data {
            let l = self.cholesky(omega.atom, c.span);
            let ld = self.log_diag(l);
            let t = self.prim(Prim::Mul, &[n, ld]);
            total = self.prim(Prim::Add, &[total, t]);
        }
        if !c.propto {
            let kr = self.to_real(Val { atom: k, ty: Ty::INT, data: true });
            let t = self.prim(Prim::Mul, &[kr, Atom::Real(-0.5 * (2.0 * std::f64::consts::PI).ln())]);
            let t = self.prim(Prim::Mul, &[n, t]);
            total = self.prim(Prim::Add, &[total, t]);
        }
        Some(total)
    }

    /// lkj_corr(Σ | η) = (η − 1) log |Σ| + c(η, K), the constant of `lkj_corr_cholesky`.
    pub(super) fn lkj_corr(&mut self, c: &DensityCall) -> Option<Atom> {
        let [sigma, eta] = c.vals else { return None };
        let eta_r = self.to_real(*eta);
        let l = self.cholesky(sigma.atom, c.span);
        let mut total = Atom::Real(0.0);
        if !c.propto || !(sigma.data && eta.data) {
            let ld = self.log_diag(l);
            let em1 = self.prim(Prim::Sub, &[eta_r, Atom::Real(1.0)]);
            let t = self.prim(Prim::Mul, &[em1, ld]);
            total = self.prim(Prim::Mul, &[Atom::Real(2.0), t]);
        }
        if !c.propto || !eta.data {
            let k = self.dim(sigma.atom, 0);
            let constant = self.lkj_constant(eta_r, k);
            total = self.prim(Prim::Add, &[total, constant]);
        }
        Some(total)
    }

    /// wishart(W | ν, S) = ((ν − K − 1)/2) log |W| − ½ tr(S⁻¹ W) − (ν/2) log |S|
    /// − (νK/2) log 2 − lmgamma(K, ν/2); inv_wishart(W | ν, S) = (ν/2) log |S|
    /// − ((ν + K + 1)/2) log |W| − ½ tr(S W⁻¹) − (νK/2) log 2 − lmgamma(K, ν/2).
    pub(super) fn wishart(&mut self, c: &DensityCall, inverse: bool) -> Option<Atom> {
        let [w, nu, s] = c.vals else { return None };
        let nu_r = self.to_real(*nu);
        let k = self.dim(w.atom, 0);
        let kr = self.to_real(Val { atom: k, ty: Ty::INT, data: true });
        let lw = self.cholesky(w.atom, c.span);
        let ls = self.cholesky(s.atom, c.span);
        let half_logdet_w = self.log_diag(lw);
        let half_logdet_s = self.log_diag(ls);
        let mut total = Atom::Real(0.0);
        // tr(S⁻¹ W) (or tr(S W⁻¹)) through the library's solve.
        if !c.propto || !(w.data && s.data) {
            let (a, b) = if inverse { (*w, *s) } else { (*s, *w) };
            let solved = self.library("mdivide_left_spd", &[a, b], c.span);
            let tr = self.library("trace", &[solved], c.span);
            total = self.prim(Prim::Mul, &[Atom::Real(-0.5), tr.atom]);
        }
        if !c.propto || !(w.data && nu.data) {
            // (ν − K − 1) or −(ν + K + 1), times half of log |W| = 2 Σ log L_W.
            let coef = if inverse {
                let t = self.prim(Prim::Add, &[nu_r, kr]);
                let t = self.prim(Prim::Add, &[t, Atom::Real(1.0)]);
                self.prim(Prim::Neg, &[t])
            } else {
                let t = self.prim(Prim::Sub, &[nu_r, kr]);
                self.prim(Prim::Sub, &[t, Atom::Real(1.0)])
            };
            let t = self.prim(Prim::Mul, &[coef, half_logdet_w]);
            total = self.prim(Prim::Add, &[total, t]);
        }
        if !c.propto || !(s.data && nu.data) {
            // ∓ (ν/2) log |S| = ∓ ν Σ log L_S
            let t = self.prim(Prim::Mul, &[nu_r, half_logdet_s]);
            total = if inverse { self.prim(Prim::Add, &[total, t]) } else { self.prim(Prim::Sub, &[total, t]) };
        }
        if !c.propto || !nu.data {
            let nk = self.prim(Prim::Mul, &[nu_r, kr]);
            let t = self.prim(Prim::Mul, &[nk, Atom::Real(0.5 * LOG_TWO)]);
            total = self.prim(Prim::Sub, &[total, t]);
            let half_nu = self.prim(Prim::Mul, &[Atom::Real(0.5), nu_r]);
            let kv = Val { atom: k, ty: Ty::INT, data: true };
            let hv = Val { atom: half_nu, ty: Ty::REAL, data: nu.data };
            let lmg = self.library("lmgamma", &[kv, hv], c.span);
            total = self.prim(Prim::Sub, &[total, lmg.atom]);
        }
        Some(total)
    }
}

impl Lowerer<'_> {
    /// Σ of the squares of a container's elements.
    fn sum_of_squares(&mut self, m: Val) -> Atom {
        self.reduce(m, Atom::Real(0.0), &mut |l, acc, x| {
            let x2 = l.prim(Prim::Mul, &[x, x]);
            l.prim(Prim::Add, &[acc, x2])
        })
    }

    /// wishart_cholesky(L_W | ν, L_S), the density of the Cholesky factor of a Wishart draw
    /// (the Jacobian of W ↦ L_W included): with M = L_S⁻¹ L_W,
    /// K log 2 (1 − ν/2) − lmgamma(K, ν/2) − ½ |M|² − ν Σ log L_S,ii + Σ (ν − i) log L_W,ii;
    /// inv_wishart_cholesky with M = L_W⁻¹ L_S,
    /// K log 2 (1 − ν/2) − lmgamma(K, ν/2) − ½ |M|² + ν Σ log L_S,ii − Σ (ν + i) log L_W,ii.
    pub(super) fn wishart_cholesky(&mut self, c: &DensityCall, inverse: bool) -> Option<Atom> {
        let [lw, nu, ls] = c.vals else { return None };
        let name = format!("{}_lpdf", c.name);
        self.check_cholesky_factor(&name, *lw, c.span);
        self.check_cholesky_factor(&name, *ls, c.span);
        let k = self.dim(lw.atom, 0);
        let ks = self.dim(ls.atom, 0);
        self.same_size(k, ks, &format!("{name}: the variate has {{}} rows, the scale {{}}"), c.span);
        let nu_r = self.to_real(*nu);
        let kr = self.to_real(Val { atom: k, ty: Ty::INT, data: true });
        let km1 = self.prim(Prim::Sub, &[kr, Atom::Real(1.0)]);
        let ok = self.prim(Prim::Gt, &[nu_r, km1]);
        let message = format!("{name}: degrees of freedom {{}} must exceed the dimension less one, {{}}");
        self.check(ok, ErrorKind::Domain, message, c.span, vec![nu_r, km1]);
        let mut total = Atom::Real(0.0);
        if !c.propto || !(lw.data && ls.data) {
            let m = if inverse {
                self.library("mdivide_left_tri_low", &[*lw, *ls], c.span)
            } else {
                self.library("mdivide_left_tri_low", &[*ls, *lw], c.span)
            };
            let q = self.sum_of_squares(m);
            total = self.prim(Prim::Mul, &[Atom::Real(-0.5), q]);
        }
        if !c.propto || !(lw.data && nu.data) {
            // Σ (ν ∓ i) log L_W,ii, i from 1.
            let Atom::Var(lv) = lw.atom else { return None };
            let sign = if inverse { -1.0 } else { 1.0 };
            let t = self.reduce_range(Atom::Int(1), k, &mut |l, i| {
                let d = l.let_(Ty::REAL, Expr::Load { base: lv, indices: vec![i, i] });
                let ld = l.prim(Fun::Log, &[d]);
                let ir = l.prim(Prim::ToReal, &[i]);
                let si = l.prim(Prim::Mul, &[Atom::Real(sign), ir]);
                let w = l.prim(Prim::Sub, &[nu_r, si]);
                l.prim(Prim::Mul, &[w, ld])
            });
            total = if inverse { self.prim(Prim::Sub, &[total, t]) } else { self.prim(Prim::Add, &[total, t]) };
        }
        if !c.propto || !(ls.data && nu.data) {
            let ld = self.log_diag(ls.atom);
            let t = self.prim(Prim::Mul, &[nu_r, ld]);
            total = if inverse { self.prim(Prim::Add, &[total, t]) } else { self.prim(Prim::Sub, &[total, t]) };
        }
        if !c.propto || !nu.data {
            let half_nu = self.prim(Prim::Mul, &[Atom::Real(0.5), nu_r]);
            let one_minus = self.prim(Prim::Sub, &[Atom::Real(1.0), half_nu]);
            let t = self.prim(Prim::Mul, &[kr, one_minus]);
            let t = self.prim(Prim::Mul, &[t, Atom::Real(LOG_TWO)]);
            total = self.prim(Prim::Add, &[total, t]);
            let kv = Val { atom: k, ty: Ty::INT, data: true };
            let hv = Val { atom: half_nu, ty: Ty::REAL, data: nu.data };
            let lmg = self.library("lmgamma", &[kv, hv], c.span);
            total = self.prim(Prim::Sub, &[total, lmg.atom]);
        }
        Some(total)
    }

    /// multi_gp(y | Σ, w): row i of the K × N matrix y is normal with mean 0 and covariance
    /// Σ/wᵢ: −½ K N log 2π − K Σ log L_jj + ½ N Σ log wᵢ − ½ Σ wᵢ |L⁻¹ yᵢᵀ|², L the Cholesky
    /// factor of Σ (or the given one, `multi_gp_cholesky`).
    pub(super) fn multi_gp(&mut self, c: &DensityCall, is_factor: bool) -> Option<Atom> {
        let [y, s, w] = c.vals else { return None };
        let name = format!("{}_lpdf", c.name);
        let l = self.factor(*s, is_factor, c.span);
        let (k, n) = (self.dim(y.atom, 0), self.dim(y.atom, 1));
        let nl = self.dim(l.atom, 0);
        self.same_size(n, nl, &format!("{name}: the variate has {{}} columns, the covariance {{}} rows"), c.span);
        let kw = self.dim(w.atom, 0);
        self.same_size(k, kw, &format!("{name}: the variate has {{}} rows, the weights {{}} elements"), c.span);
        let Atom::Var(wv) = w.atom else { return None };
        self.for_loop(Atom::Int(1), kw, |s, i| {
            let x = s.let_(Ty::REAL, Expr::Load { base: wv, indices: vec![i] });
            let pos = s.prim(Prim::Gt, &[x, Atom::Real(0.0)]);
            let fin = s.prim(Prim::Lt, &[x, Atom::Real(f64::INFINITY)]);
            let ok = s.prim(Prim::And, &[pos, fin]);
            s.check(
                ok,
                ErrorKind::Domain,
                format!("{name}: weight {{}} is {{}}, not positive and finite"),
                c.span,
                vec![i, x],
            );
        });
        let (kr, nr) = (
            self.to_real(Val { atom: k, ty: Ty::INT, data: true }),
            self.to_real(Val { atom: n, ty: Ty::INT, data: true }),
        );
        let mut total = Atom::Real(0.0);
        if !c.propto || !(y.data && s.data && w.data) {
            let yt = self.library("transpose", &[*y], c.span);
            let z = self.library("mdivide_left_tri_low", &[l, yt], c.span);
            let q = self.library("columns_dot_self", &[z], c.span);
            let q = Val { ty: Ty::ROW_VECTOR, ..q };
            let wq = self.library("dot_product", &[q, *w], c.span);
            total = self.prim(Prim::Mul, &[Atom::Real(-0.5), wq.atom]);
        }
        if !c.propto || !s.data {
            let ld = self.log_diag(l.atom);
            let t = self.prim(Prim::Mul, &[kr, ld]);
            total = self.prim(Prim::Sub, &[total, t]);
        }
        if !c.propto || !w.data {
            let lw = self.reduce_range(Atom::Int(1), kw, &mut |s, i| {
                let x = s.let_(Ty::REAL, Expr::Load { base: wv, indices: vec![i] });
                s.prim(Fun::Log, &[x])
            });
            let t = self.prim(Prim::Mul, &[Atom::Real(0.5), nr]);
            let t = self.prim(Prim::Mul, &[t, lw]);
            total = self.prim(Prim::Add, &[total, t]);
        }
        if !c.propto {
            let kn = self.prim(Prim::Mul, &[kr, nr]);
            let t = self.prim(Prim::Mul, &[kn, Atom::Real(-0.5 * (2.0 * std::f64::consts::PI).ln())]);
            total = self.prim(Prim::Add, &[total, t]);
        }
        Some(total)
    }

    /// gaussian_dlm_obs(y | F, G, V, W, m0, C0): the observations y (r × T) of the state-space
    /// model θₜ = G θₜ₋₁ + wₜ, wₜ ~ N(0, W), yₜ = Fᵀ θₜ + vₜ, vₜ ~ N(0, V) (V given as a vector:
    /// its diagonal), θ₀ ~ N(m0, C0), by the Kalman filter's prediction errors: with the state's
    /// mean m and covariance C, a = G m, R = G C Gᵀ + W, Q = Fᵀ R F + V, e = yₜ − Fᵀ a add
    /// −½ (r log 2π + log |Q| + eᵀ Q⁻¹ e), then m = a + A e and C = R − A Q Aᵀ, A = R F Q⁻¹.
    pub(super) fn gaussian_dlm_obs(&mut self, c: &DensityCall) -> Option<Atom> {
        let [y, f, g, v, w, m0, c0] = c.vals else { return None };
        let span = c.span;
        if c.propto && c.vals.iter().all(|x| x.data) {
            return Some(Atom::Real(0.0));
        }
        let name = format!("{}_lpdf", c.name);
        let (r, t_len) = (self.dim(y.atom, 0), self.dim(y.atom, 1));
        let n = self.dim(g.atom, 0);
        let sizes: [(Atom, Atom, &str); 8] = [
            (self.dim(g.atom, 1), n, "G has {} columns for {} rows"),
            (self.dim(f.atom, 0), n, "F has {} rows, G {}"),
            (self.dim(f.atom, 1), r, "F has {} columns, y {} rows"),
            (self.dim(v.atom, 0), r, "V has {} rows, y {}"),
            (self.dim(w.atom, 0), n, "W has {} rows, G {}"),
            (self.dim(w.atom, 1), n, "W has {} columns, G {} rows"),
            (self.dim(m0.atom, 0), n, "m0 has {} elements, G {} rows"),
            (self.dim(c0.atom, 0), n, "C0 has {} rows, G {}"),
        ];
        for (a, b, message) in sizes {
            self.same_size(a, b, &format!("{name}: {message}"), span);
        }
        let v = if v.ty.core == Core::Vector { self.library("diag_matrix", &[*v], span) } else { *v };
        // The state's mean and covariance, carried from one observation to the next.
        let m = self.mutable_container(Ty::VECTOR, vec![n], Some(m0.atom));
        let cov = self.mutable_container(Ty::MATRIX, vec![n, n], Some(c0.atom));
        let total = self.mutable(Ty::REAL, Atom::Real(0.0));
        let (y, f, g, w) = (*y, *f, *g, *w);
        // Fᵀ and Gᵀ are the same at every observation.
        let gt = self.library("transpose", &[g], span);
        let ft = self.library("transpose", &[f], span);
        self.for_loop(Atom::Int(1), t_len, |l, t| {
            let val = |atom: u32, ty: Ty| Val { atom: Atom::Var(atom), ty, data: false };
            let lib = |l: &mut Self, name: &str, args: &[Val]| l.library(name, args, span);
            let a = lib(l, "multiply", &[g, val(m, Ty::VECTOR)]);
            let gc = lib(l, "multiply", &[g, val(cov, Ty::MATRIX)]);
            let gcg = lib(l, "multiply", &[gc, gt]);
            let r_pred = lib(l, "add", &[gcg, w]);
            let forecast = lib(l, "multiply", &[ft, a]);
            let ftr = lib(l, "multiply", &[ft, r_pred]);
            let ftrf = lib(l, "multiply", &[ftr, f]);
            let q = lib(l, "add", &[ftrf, v]);
            let yt = lib(l, "col", &[y, Val { atom: t, ty: Ty::INT, data: true }]);
            let e = lib(l, "subtract", &[yt, forecast]);
            let qe = lib(l, "mdivide_left_spd", &[q, e]);
            let quad = lib(l, "dot_product", &[e, qe]);
            let logdet = lib(l, "log_determinant_spd", &[q]);
            let sum = l.prim(Prim::Add, &[logdet.atom, quad.atom]);
            let term = l.prim(Prim::Mul, &[Atom::Real(-0.5), sum]);
            let next = l.prim(Prim::Add, &[Atom::Var(total), term]);
            l.emit(Stmt::Assign { var: total, indices: vec![], value: next });
            // A = R F Q⁻¹; the update.
            let rf = lib(l, "multiply", &[r_pred, f]);
            let gain = lib(l, "mdivide_right_spd", &[rf, q]);
            let step = lib(l, "multiply", &[gain, e]);
            let m_new = lib(l, "add", &[a, step]);
            let gq = lib(l, "multiply", &[gain, q]);
            let gain_t = lib(l, "transpose", &[gain]);
            let gqg = lib(l, "multiply", &[gq, gain_t]);
            let c_new = lib(l, "subtract", &[r_pred, gqg]);
            for (dst, src) in [(m, m_new), (cov, c_new)] {
                let Atom::Var(src) = src.atom else { continue };
                l.emit(Stmt::Copy { dst, src });
            }
        });
        let mut lp = self.let_(Ty::REAL, Expr::Atom(Atom::Var(total)));
        if !c.propto {
            let rt = self.prim(Prim::IMul, &[r, t_len]);
            let rt = self.to_real(Val { atom: rt, ty: Ty::INT, data: true });
            let k = self.prim(Prim::Mul, &[rt, Atom::Real(-0.5 * (2.0 * std::f64::consts::PI).ln())]);
            lp = self.prim(Prim::Add, &[lp, k]);
        }
        Some(lp)
    }

    /// lkj_cov(y | μ, σ, η): the standard deviations √yₖₖ are lognormal(μₖ, σₖ) (μ and σ vectors
    /// or scalars), and the correlation matrix D⁻¹ y D⁻¹ is LKJ(η).
    pub(super) fn lkj_cov(&mut self, c: &DensityCall) -> Option<Atom> {
        let [y, mu, sigma, eta] = c.vals else { return None };
        let sds = self.library("diagonal", &[*y], c.span);
        let sds = self.map_elementwise(&[sds], Ty::VECTOR, &mut |l, x| l.prim(Prim::Sqrt, &[x[0]]), c.span);
        let sds = Val { data: y.data, ..sds };
        let lognormal =
            self.density_named("lognormal", c.written, "", c.name_span, &[sds, *mu, *sigma], c.span, c.drop_constants)?;
        let inv =
            self.map_elementwise(&[sds], Ty::VECTOR, &mut |l, x| l.prim(Prim::Div, &[Atom::Real(1.0), x[0]]), c.span);
        let inv = Val { data: y.data, ..inv };
        let corr = self.library("quad_form_diag", &[*y, inv], c.span);
        let vals = [corr, *eta];
        let call = DensityCall { name: "lkj_corr", vals: &vals, ..*c };
        let lkj = self.lkj_corr(&call)?;
        Some(self.prim(Prim::Add, &[lognormal, lkj]))
    }

    /// categorical_logit_glm(y | x, α, β) = categorical_logit(yᵢ | α + (x β)ᵢᵀ) for each row i of
    /// x (a row vector x is one row, shared by every outcome; an int y is shared by every row).
    pub(super) fn categorical_logit_glm(&mut self, c: &DensityCall) -> Option<Atom> {
        let [y, x, alpha, beta] = c.vals else { return None };
        let lin = self.binary(BinOp::Mul, *x, *beta, c.span);
        let one = |l: &mut Self, yi: Val, row: Val| -> Atom {
            let row = Val { ty: Ty::VECTOR, ..row };
            let eta = l.binary(BinOp::Add, row, *alpha, c.span);
            l.density_named("categorical_logit", c.written, "", c.name_span, &[yi, eta], c.span, c.drop_constants)
                .unwrap_or(Atom::Real(f64::NAN))
        };
        if x.ty.core == Core::RowVector {
            return Some(one(self, *y, lin));
        }
        // One column of (x β)ᵀ per row of x.
        let lin_t = self.library("transpose", &[lin], c.span);
        let n = self.dim(x.atom, 0);
        if y.ty.array_rank == 1 {
            let ny = self.dim(y.atom, 0);
            let message = format!("{}_lpmf: {{}} outcomes and {{}} rows of x", c.name);
            self.same_size(ny, n, &message, c.span);
        }
        let y = *y;
        Some(self.reduce_range(Atom::Int(1), n, &mut |l, i| {
            let iv = Val { atom: i, ty: Ty::INT, data: true };
            let col = l.library("col", &[lin_t, iv], c.span);
            let yi = match y.atom {
                Atom::Var(base) if y.ty.array_rank == 1 => {
                    Val { atom: l.let_(Ty::INT, Expr::Load { base, indices: vec![i] }), ty: Ty::INT, data: true }
                }
                _ => y,
            };
            one(l, yi, col)
        }))
    }
}
