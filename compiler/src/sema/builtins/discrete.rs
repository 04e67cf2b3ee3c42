//! The densities over categories and ranks, each a `multivariate` entry of
//! `distributions.rs`: categorical and categorical_logit, multinomial and multinomial_logit,
//! ordered_logistic and ordered_probit. Each is vectorised over its outcomes as Stan's is: an
//! argument given per outcome (an array of outcomes, a vector of linear predictors, an array of
//! cutpoint vectors) is read at the outcome's index, the others are shared.

use grammar::Span;

use crate::ir::{Atom, ErrorKind, Expr, Fun, Prim, Stmt, Ty, VarId, VarKind};
use crate::sema::{Lowerer, Val};

use super::distributions::DensityCall;

/// One argument of a vectorised call: shared by every outcome, or one per outcome.
#[derive(Clone, Copy)]
pub(super) struct PerOutcome {
    pub val: Val,
    /// The type of one outcome's value.
    pub one: Ty,
}

impl Lowerer<'_> {
    /// The number of outcomes of a vectorised call (None for a single one), after checking that
    /// every per-outcome argument has as many.
    pub(super) fn outcomes(&mut self, name: &str, args: &[PerOutcome], span: Span) -> Option<Atom> {
        let per: Vec<Atom> = args.iter().filter(|a| a.val.ty != a.one).map(|a| a.val.atom).collect();
        let (&first, rest) = per.split_first()?;
        let n = self.dim(first, 0);
        for &other in rest {
            let m = self.dim(other, 0);
            let ok = self.prim(Prim::IEq, &[m, n]);
            let message = format!("{name}: {{}} and {{}} outcomes in one call");
            self.check(ok, ErrorKind::Index, message, span, vec![m, n]);
        }
        Some(n)
    }

    /// `a` for outcome `i`.
    fn at_outcome(&mut self, a: PerOutcome, i: Option<Atom>) -> Val {
        match (i, a.val.atom) {
            (Some(i), Atom::Var(base)) if a.val.ty != a.one => {
                let atom = self.let_(a.one, Expr::Load { base, indices: vec![i] });
                Val { atom, ty: a.one, data: a.val.data }
            }
            _ => a.val,
        }
    }

    /// Σ over outcomes of `f(arguments of the outcome)`.
    pub(super) fn sum_outcomes(
        &mut self,
        name: &str,
        args: &[PerOutcome],
        span: Span,
        f: &mut dyn FnMut(&mut Self, &[Val]) -> Atom,
    ) -> Atom {
        match self.outcomes(name, args, span) {
            None => {
                let vals: Vec<Val> = args.iter().map(|a| a.val).collect();
                f(self, &vals)
            }
            Some(n) => self.reduce_range(Atom::Int(1), n, &mut |l, i| {
                let vals: Vec<Val> = args.iter().map(|a| l.at_outcome(*a, Some(i))).collect();
                f(l, &vals)
            }),
        }
    }

    /// Checks 1 ≤ k ≤ size and returns k.
    fn check_category(&mut self, name: &str, k: Atom, size: Atom, span: Span) {
        let lo = self.prim(Prim::IGe, &[k, Atom::Int(1)]);
        let hi = self.prim(Prim::ILe, &[k, size]);
        let ok = self.prim(Prim::And, &[lo, hi]);
        let message = format!("{name}: outcome {{}} is not a category in 1..{{}}");
        self.check(ok, ErrorKind::Domain, message, span, vec![k, size]);
    }

    /// An element of a vector at a checked int index.
    fn element(&mut self, v: Atom, k: Atom) -> Atom {
        let Atom::Var(base) = v else { return Atom::Real(f64::NAN) };
        self.let_(Ty::REAL, Expr::Load { base, indices: vec![k] })
    }

    /// Count i of an array of counts, checked to be non-negative, as a real.
    fn checked_count(&mut self, name: &str, counts: VarId, i: Atom, span: Span) -> Atom {
        let n = self.let_(Ty::INT, Expr::Load { base: counts, indices: vec![i] });
        let ok = self.prim(Prim::IGe, &[n, Atom::Int(0)]);
        self.check(ok, ErrorKind::Domain, format!("{name}: count {{}} is negative"), span, vec![n]);
        self.to_real(Val { atom: n, ty: Ty::INT, data: true })
    }

    /// Σₖ yₖ over K counts, as a real (each count was checked where it was read first).
    fn count_total(&mut self, counts: VarId, k: Atom) -> Atom {
        self.reduce_range(Atom::Int(1), k, &mut |l, i| {
            let n = l.let_(Ty::INT, Expr::Load { base: counts, indices: vec![i] });
            l.to_real(Val { atom: n, ty: Ty::INT, data: true })
        })
    }

    /// The counts' multinomial coefficient, log Γ(N + 1) − Σₖ log Γ(yₖ + 1): data alone.
    fn log_multinomial_coefficient(&mut self, counts: VarId, k: Atom, total: Atom) -> Atom {
        let n1 = self.prim(Prim::Add, &[total, Atom::Real(1.0)]);
        let lg = self.prim(Fun::Lgamma, &[n1]);
        let each = self.reduce_range(Atom::Int(1), k, &mut |l, i| {
            let n = l.let_(Ty::INT, Expr::Load { base: counts, indices: vec![i] });
            let nr = l.to_real(Val { atom: n, ty: Ty::INT, data: true });
            let n1 = l.prim(Prim::Add, &[nr, Atom::Real(1.0)]);
            l.prim(Fun::Lgamma, &[n1])
        });
        self.prim(Prim::Sub, &[lg, each])
    }

    /// categorical(y | θ) = Σ log θ[yₙ]; categorical_logit(y | β) = Σ (β[yₙ] − log Σ exp β).
    pub(super) fn categorical(&mut self, c: &DensityCall, logit: bool) -> Option<Atom> {
        let [y, theta] = c.vals else { return None };
        let k = self.dim(theta.atom, 0);
        // The normaliser of the logits is computed once for all outcomes.
        let norm = if logit { Some(self.log_sum_exp_all(*theta)) } else { None };
        let y = PerOutcome { val: *y, one: Ty::INT };
        // Messages name the density written (`categorical` of a softmax is lowered here).
        let shown = c.written.trim_end_matches("_lpmf").trim_end_matches("_lupmf");
        let total = self.sum_outcomes(c.name, &[y], c.span, &mut |l, v| {
            l.check_category(shown, v[0].atom, k, c.span);
            let t = l.element(theta.atom, v[0].atom);
            match norm {
                Some(n) => l.prim(Prim::Sub, &[t, n]),
                None => l.prim(Fun::Log, &[t]),
            }
        });
        Some(total)
    }

    /// multinomial(y | θ) = log Γ(N + 1) − Σ log Γ(yₖ + 1) + Σ yₖ log θₖ, N = Σ yₖ;
    /// multinomial_logit(y | γ) the same at θ = softmax(γ), log θₖ = γₖ − log Σ exp γ.
    pub(super) fn multinomial(&mut self, c: &DensityCall, logit: bool) -> Option<Atom> {
        let [y, theta] = c.vals else { return None };
        let (Atom::Var(yv), Atom::Var(_)) = (y.atom, theta.atom) else { return None };
        let k = self.dim(y.atom, 0);
        let kt = self.dim(theta.atom, 0);
        let ok = self.prim(Prim::IEq, &[k, kt]);
        let message = format!("{}: {{}} counts and {{}} probabilities", c.name);
        self.check(ok, ErrorKind::Index, message, c.span, vec![k, kt]);
        let norm = if logit { Some(self.log_sum_exp_all(*theta)) } else { None };
        let kernel = self.reduce_range(Atom::Int(1), k, &mut |l, i| {
            let nr = l.checked_count(c.name, yv, i, c.span);
            let t = l.element(theta.atom, i);
            let lt = match norm {
                Some(z) => l.prim(Prim::Sub, &[t, z]),
                None => l.prim(Fun::Log, &[t]),
            };
            l.prim(Prim::Mul, &[nr, lt])
        });
        if c.propto {
            return Some(kernel);
        }
        let total = self.count_total(yv, k);
        let coef = self.log_multinomial_coefficient(yv, k, total);
        Some(self.prim(Prim::Add, &[kernel, coef]))
    }

    /// dirichlet_multinomial(y | α) = log Γ(α₀) + log Γ(N + 1) − log Γ(N + α₀)
    /// + Σₖ (log Γ(yₖ + αₖ) − log Γ(αₖ) − log Γ(yₖ + 1)), α₀ = Σ α, N = Σ y.
    pub(super) fn dirichlet_multinomial(&mut self, c: &DensityCall) -> Option<Atom> {
        let [y, alpha] = c.vals else { return None };
        let (Atom::Var(yv), Atom::Var(av)) = (y.atom, alpha.atom) else { return None };
        let k = self.dim(y.atom, 0);
        let ka = self.dim(alpha.atom, 0);
        let ok = self.prim(Prim::IEq, &[k, ka]);
        let message = format!("{}: {{}} counts and {{}} concentrations", c.name);
        self.check(ok, ErrorKind::Index, message, c.span, vec![k, ka]);
        let each = self.reduce_range(Atom::Int(1), k, &mut |l, i| {
            let n = l.checked_count(c.name, yv, i, c.span);
            let a = l.element(Atom::Var(av), i);
            let na = l.prim(Prim::Add, &[n, a]);
            let t = l.prim(Fun::Lgamma, &[na]);
            let la = l.prim(Fun::Lgamma, &[a]);
            l.prim(Prim::Sub, &[t, la])
        });
        let total_n = self.count_total(yv, k);
        let alpha0 = self.reduce_range(Atom::Int(1), k, &mut |l, i| l.element(Atom::Var(av), i));
        let lg_a0 = self.prim(Fun::Lgamma, &[alpha0]);
        let na0 = self.prim(Prim::Add, &[total_n, alpha0]);
        let lg_na0 = self.prim(Fun::Lgamma, &[na0]);
        let norm = self.prim(Prim::Sub, &[lg_a0, lg_na0]);
        let mut total = self.prim(Prim::Add, &[norm, each]);
        if !c.propto {
            let coef = self.log_multinomial_coefficient(yv, k, total_n);
            total = self.prim(Prim::Add, &[total, coef]);
        }
        Some(total)
    }

    /// ordered_logistic(k | η, c) and ordered_probit: with K = size(c) + 1 categories and
    /// F the logistic (or normal) CDF, P(k) = F(η − c[k−1]) − F(η − c[k]), with c[0] = −∞ and
    /// c[K] = +∞.
    pub(super) fn ordered(&mut self, c: &DensityCall, probit: bool) -> Option<Atom> {
        let [k, eta, cuts] = c.vals else { return None };
        let args = [
            PerOutcome { val: *k, one: Ty::INT },
            PerOutcome { val: *eta, one: Ty::REAL },
            PerOutcome { val: *cuts, one: Ty::VECTOR },
        ];
        let name = c.name;
        let total = self.sum_outcomes(name, &args, c.span, &mut |l, v| {
            let (k, eta, cuts) = (v[0].atom, l.to_real(v[1]), v[2].atom);
            let n_cuts = l.dim(cuts, 0);
            let n_cats = l.prim(Prim::IAdd, &[n_cuts, Atom::Int(1)]);
            l.check_category(name, k, n_cats, c.span);
            let result = l.f.new_var(None, Ty::REAL, VarKind::Mutable);
            l.emit(Stmt::Decl { var: result, dims: vec![] });
            let first = l.prim(Prim::IEq, &[k, Atom::Int(1)]);
            l.if_(
                first,
                // log(1 − F(η − c₁))
                |l| {
                    let c1 = l.element(cuts, Atom::Int(1));
                    let v = l.log_upper(eta, c1, probit);
                    l.emit(Stmt::Assign { var: result, indices: vec![], value: v });
                },
                |l| {
                    let last = l.prim(Prim::IEq, &[k, n_cats]);
                    l.if_(
                        last,
                        // log F(η − c_{K−1})
                        |l| {
                            let ck = l.element(cuts, n_cuts);
                            let v = l.log_lower(eta, ck, probit);
                            l.emit(Stmt::Assign { var: result, indices: vec![], value: v });
                        },
                        |l| {
                            let km1 = l.prim(Prim::ISub, &[k, Atom::Int(1)]);
                            let lo = l.element(cuts, km1);
                            let hi = l.element(cuts, k);
                            let v = l.log_between(eta, lo, hi, probit);
                            l.emit(Stmt::Assign { var: result, indices: vec![], value: v });
                        },
                    );
                },
            );
            l.let_(Ty::REAL, Expr::Atom(Atom::Var(result)))
        });
        Some(total)
    }

    /// log F(η − c)
    fn log_lower(&mut self, eta: Atom, c: Atom, probit: bool) -> Atom {
        let x = self.prim(Prim::Sub, &[eta, c]);
        if probit {
            let p = self.prim(Fun::Phi, &[x]);
            self.prim(Fun::Log, &[p])
        } else {
            self.prim(Fun::LogInvLogit, &[x])
        }
    }

    /// log(1 − F(η − c)) = log F(c − η)
    fn log_upper(&mut self, eta: Atom, c: Atom, probit: bool) -> Atom {
        self.log_lower(c, eta, probit)
    }

    /// log(F(η − lo) − F(η − hi)) for lo < hi. For the logistic,
    /// log(σ(a) − σ(b)) = a + log1m_exp(b − a) − log1p_exp(a) − log1p_exp(b) with a = η − lo,
    /// b = η − hi, which keeps its precision in the tails.
    fn log_between(&mut self, eta: Atom, lo: Atom, hi: Atom, probit: bool) -> Atom {
        let a = self.prim(Prim::Sub, &[eta, lo]);
        let b = self.prim(Prim::Sub, &[eta, hi]);
        if probit {
            let pa = self.prim(Fun::Phi, &[a]);
            let pb = self.prim(Fun::Phi, &[b]);
            let d = self.prim(Prim::Sub, &[pa, pb]);
            return self.prim(Fun::Log, &[d]);
        }
        let ba = self.prim(Prim::Sub, &[b, a]);
        let m = self.prim(Fun::Log1mExp, &[ba]);
        let la = self.prim(Fun::Log1pExp, &[a]);
        let lb = self.prim(Fun::Log1pExp, &[b]);
        let s = self.prim(Prim::Add, &[a, m]);
        let s = self.prim(Prim::Sub, &[s, la]);
        self.prim(Prim::Sub, &[s, lb])
    }
}
