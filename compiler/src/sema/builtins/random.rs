//! The `_rng` functions of vector arguments or results, written as IR around scalar draws of
//! the sampler table (`runtime::abi::RngDist`): one entry per function, with the catalog
//! signatures it compiles. (The univariate ones need no entry: every sampler of the table is
//! one, vectorised.)

use grammar::Span;

use crate::catalog::ArgType;
use crate::ir::{Atom, Core, Elem, ErrorKind, Expr, Fun, Prim, RngDist, Stmt, Ty};
use crate::sema::{Lowerer, Val};

/// How vppl draws from one multivariate distribution.
pub(crate) struct Composite {
    /// Which of the catalog's signatures of `<name>_rng` vppl compiles.
    pub accepts: fn(&[ArgType]) -> bool,
    pub lower: fn(&mut Lowerer, &[Val], Span) -> Val,
}

pub(crate) fn composite(name: &str) -> Option<Composite> {
    let c = |accepts, lower| Some(Composite { accepts, lower });
    match name {
        "categorical" => c(|a| a == [ArgType::VECTOR], |l, v, span| l.categorical_rng(v[0], false, span)),
        "categorical_logit" => c(|a| a == [ArgType::VECTOR], |l, v, span| l.categorical_rng(v[0], true, span)),
        "dirichlet" => c(|a| a == [ArgType::VECTOR], |l, v, span| l.dirichlet_rng(v[0], span)),
        "multi_normal" => c(
            |a| a.len() == 2 && a[0].array_dims == 0 && a[0].rank() == 1 && a[1] == ArgType::MATRIX,
            |l, v, span| {
                let chol = l.cholesky(v[1].atom, span);
                l.multi_normal_rng(v[0], chol, span)
            },
        ),
        "multi_normal_cholesky" => c(
            |a| a.len() == 2 && a[0].array_dims == 0 && a[0].rank() == 1 && a[1] == ArgType::MATRIX,
            |l, v, span| l.multi_normal_rng(v[0], v[1].atom, span),
        ),
        // A Dirichlet draw, then a multinomial one of its probabilities.
        "dirichlet_multinomial" => c(
            |a| a == [ArgType::VECTOR, ArgType::INT],
            |l, v, span| {
                let theta = l.dirichlet_rng(v[0], span);
                l.multinomial_rng(theta, v[1], false, span)
            },
        ),
        "multinomial" => {
            c(|a| a == [ArgType::VECTOR, ArgType::INT], |l, v, span| l.multinomial_rng(v[0], v[1], false, span))
        }
        "multinomial_logit" => {
            c(|a| a == [ArgType::VECTOR, ArgType::INT], |l, v, span| l.multinomial_rng(v[0], v[1], true, span))
        }
        _ => None,
    }
}

impl Lowerer<'_> {
    /// One scalar draw of the sampler table.
    fn draw(&mut self, d: RngDist, args: &[Atom]) -> Atom {
        let ty = if d.discrete() { Ty::INT } else { Ty::REAL };
        self.let_(ty, Expr::Random(d, args.to_vec()))
    }

    /// The probabilities of a vector of probabilities or (`logit`) of logits, softmax applied.
    fn probabilities(&mut self, v: Val, logit: bool, span: Span) -> Val {
        if !logit {
            return v;
        }
        let z = self.log_sum_exp_all(v);
        self.map_elementwise(
            &[v],
            Ty::VECTOR,
            &mut |l, xs| {
                let d = l.prim(Prim::Sub, &[xs[0], z]);
                l.prim(Fun::Exp, &[d])
            },
            span,
        )
    }

    /// The category k with Σ_{i<k} θᵢ < u ≤ Σ_{i≤k} θᵢ for a uniform u: one plus the number of
    /// cumulative sums below u (the last category takes what rounding leaves).
    fn categorical_rng(&mut self, theta: Val, logit: bool, span: Span) -> Val {
        let theta = self.probabilities(theta, logit, span);
        let k = self.dim(theta.atom, 0);
        let nonempty = self.prim(Prim::IGe, &[k, Atom::Int(1)]);
        self.check(nonempty, ErrorKind::Domain, "categorical_rng: no categories".into(), span, vec![]);
        let u = self.draw(RngDist::Uniform, &[Atom::Real(0.0), Atom::Real(1.0)]);
        let Atom::Var(tv) = theta.atom else { return Val::error() };
        let (cum, count) = (self.mutable(Ty::REAL, Atom::Real(0.0)), self.mutable(Ty::INT, Atom::Int(1)));
        let km1 = self.prim(Prim::ISub, &[k, Atom::Int(1)]);
        self.for_loop(Atom::Int(1), km1, |l, i| {
            let t = l.let_(Ty::REAL, Expr::Load { base: tv, indices: vec![i] });
            let c = l.prim(Prim::Add, &[Atom::Var(cum), t]);
            l.emit(Stmt::Assign { var: cum, indices: vec![], value: c });
            let below = l.prim(Prim::Lt, &[c, u]);
            let next = l.prim(Prim::IAdd, &[Atom::Var(count), below]);
            l.emit(Stmt::Assign { var: count, indices: vec![], value: next });
        });
        let atom = self.let_(Ty::INT, Expr::Atom(Atom::Var(count)));
        Val { atom, ty: Ty::INT, data: true }
    }

    /// Normalised gamma draws: gᵢ ~ gamma(αᵢ, 1), θ = g / Σ g.
    fn dirichlet_rng(&mut self, alpha: Val, span: Span) -> Val {
        let gammas = self.map_elementwise(
            &[alpha],
            Ty::VECTOR,
            &mut |l, xs| l.draw(RngDist::Gamma, &[xs[0], Atom::Real(1.0)]),
            span,
        );
        let total = self.sum_all(gammas);
        let theta = self.map_elementwise(&[gammas], Ty::VECTOR, &mut |l, xs| l.prim(Prim::Div, &[xs[0], total]), span);
        Val { data: true, ..theta }
    }

    /// μ + L z for z of independent standard normal draws.
    fn multi_normal_rng(&mut self, mu: Val, chol: Atom, span: Span) -> Val {
        let k = self.dim(mu.atom, 0);
        let z = self.build(Ty::VECTOR, vec![k]);
        let Atom::Var(zv) = z else { return Val::error() };
        self.for_loop(Atom::Int(1), k, |l, i| {
            let x = l.draw(RngDist::Normal, &[Atom::Real(0.0), Atom::Real(1.0)]);
            l.emit(Stmt::Assign { var: zv, indices: vec![i], value: x });
        });
        let zval = Val { atom: z, ty: Ty::VECTOR, data: true };
        let lz = self.kernel(Prim::MatVec, Val { atom: chol, ty: Ty::MATRIX, data: true }, zval, Ty::VECTOR, span);
        let mu = Val { ty: Ty { core: Core::Vector, ..mu.ty }, ..mu };
        let y = self.binary(grammar::ast::BinOp::Add, mu, lz, span);
        Val { data: true, ..y }
    }

    /// Counts of N trials over the categories, by a binomial draw per category from what is
    /// left: nₖ ~ binomial(N − Σ_{i<k} nᵢ, θₖ / (1 − Σ_{i<k} θᵢ)).
    fn multinomial_rng(&mut self, theta: Val, n: Val, logit: bool, span: Span) -> Val {
        let theta = self.probabilities(theta, logit, span);
        let k = self.dim(theta.atom, 0);
        let ok = self.prim(Prim::IGe, &[n.atom, Atom::Int(0)]);
        self.check(ok, ErrorKind::Domain, "multinomial_rng: {} trials".into(), span, vec![n.atom]);
        let out = self.build(Ty::array(Elem::Int, 1), vec![k]);
        let (Atom::Var(tv), Atom::Var(ov)) = (theta.atom, out) else { return Val::error() };
        let nonempty = self.prim(Prim::IGe, &[k, Atom::Int(1)]);
        self.check(nonempty, ErrorKind::Domain, "multinomial_rng: no categories".into(), span, vec![]);
        let left = self.mutable(Ty::INT, n.atom);
        let mass = self.mutable(Ty::REAL, Atom::Real(1.0));
        let km1 = self.prim(Prim::ISub, &[k, Atom::Int(1)]);
        self.for_loop(Atom::Int(1), km1, |l, i| {
            let t = l.let_(Ty::REAL, Expr::Load { base: tv, indices: vec![i] });
            let p = l.prim(Prim::Div, &[t, Atom::Var(mass)]);
            let p = l.prim(Prim::Fmin, &[p, Atom::Real(1.0)]);
            let p = l.prim(Prim::Fmax, &[p, Atom::Real(0.0)]);
            let trials = l.to_real(Val { atom: Atom::Var(left), ty: Ty::INT, data: true });
            let c = l.draw(RngDist::Binomial, &[trials, p]);
            l.emit(Stmt::Assign { var: ov, indices: vec![i], value: c });
            let rest = l.prim(Prim::ISub, &[Atom::Var(left), c]);
            l.emit(Stmt::Assign { var: left, indices: vec![], value: rest });
            let m = l.prim(Prim::Sub, &[Atom::Var(mass), t]);
            l.emit(Stmt::Assign { var: mass, indices: vec![], value: m });
        });
        // The last category takes every trial left.
        let last = self.let_(Ty::INT, Expr::Atom(Atom::Var(left)));
        self.emit(Stmt::Assign { var: ov, indices: vec![k], value: last });
        Val { atom: out, ty: Ty::array(Elem::Int, 1), data: true }
    }
}
