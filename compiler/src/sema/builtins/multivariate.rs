//! Densities over vectors and matrices written with the library's own matrix functions: the
//! multivariate Student t (and its Cholesky form), the normal in precision form, the LKJ
//! density of a correlation matrix, and the Wishart and inverse Wishart densities. Each is a
//! `multivariate` entry of `distributions.rs`. Terms are dropped under `~` exactly when every
//! argument they read is data.

use grammar::Span;
use grammar::ast::BinOp;

use crate::ir::{Atom, Core, Expr, Fun, Prim, Ty};
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
