//! The `_rng` functions of vector arguments or results, written as IR around scalar draws of
//! the sampler table (`runtime::abi::RngDist`): one entry per function, with the catalog
//! signatures it compiles. (The univariate ones need no entry: every sampler of the table is
//! one, vectorised.)

use grammar::Span;

use crate::catalog::{ArgType, BaseType};
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
        // μ a vector or row vector, or an array of them (one draw each).
        "multi_normal" => c(
            |a| a.len() == 2 && locations(a[0]) && a[1] == ArgType::MATRIX,
            |l, v, span| {
                let chol = l.cholesky(v[1].atom, span);
                l.multi_normal_draws(v[0], chol, None, span)
            },
        ),
        "multi_normal_cholesky" => c(
            |a| a.len() == 2 && locations(a[0]) && a[1] == ArgType::MATRIX,
            |l, v, span| l.multi_normal_draws(v[0], v[1].atom, None, span),
        ),
        "multi_student_t" => c(
            |a| a.len() == 3 && a[0].is_primitive() && locations(a[1]) && a[2] == ArgType::MATRIX,
            |l, v, span| {
                let chol = l.cholesky(v[2].atom, span);
                l.multi_student_t_draws(v[0], v[1], chol, span)
            },
        ),
        "multi_student_t_cholesky" => c(
            |a| a.len() == 3 && a[0].is_primitive() && locations(a[1]) && a[2] == ArgType::MATRIX,
            |l, v, span| l.multi_student_t_draws(v[0], v[1], v[2].atom, span),
        ),
        "ordered_logistic" => c(
            |a| a.len() == 2 && a[0].is_primitive() && a[1] == ArgType::VECTOR,
            |l, v, span| l.ordered_rng(v[0], v[1], RngDist::Logistic, span),
        ),
        "ordered_probit" => c(
            |a| a.len() == 2 && a[0].is_primitive() && a[1] == ArgType::VECTOR,
            |l, v, span| l.ordered_rng(v[0], v[1], RngDist::Normal, span),
        ),
        "bernoulli_logit_glm" => c(
            |a| {
                a.len() == 3
                    && matches!(a[0], ArgType::MATRIX | ArgType::ROW_VECTOR)
                    && a[1] == ArgType::VECTOR
                    && a[2] == ArgType::VECTOR
            },
            |l, v, span| l.bernoulli_logit_glm_rng(v, span),
        ),
        "lkj_corr_cholesky" => c(
            |a| a.len() == 2 && a[0] == ArgType::INT && a[1].is_primitive(),
            |l, v, span| l.lkj_corr_cholesky_rng(v[0], v[1], span),
        ),
        "lkj_corr" => c(
            |a| a.len() == 2 && a[0] == ArgType::INT && a[1].is_primitive(),
            |l, v, span| {
                let factor = l.lkj_corr_cholesky_rng(v[0], v[1], span);
                l.library("multiply_lower_tri_self_transpose", &[factor], span)
            },
        ),
        "wishart" => c(wishart_args, |l, v, span| {
            let chol = l.cholesky(v[1].atom, span);
            let factor = l.wishart_cholesky_rng(v[0], Val { atom: chol, ty: Ty::MATRIX, data: true }, span);
            l.library("multiply_lower_tri_self_transpose", &[factor], span)
        }),
        "wishart_cholesky" => c(wishart_args, |l, v, span| {
            l.check_cholesky_factor("wishart_cholesky_rng", v[1], span);
            l.wishart_cholesky_rng(v[0], v[1], span)
        }),
        "inv_wishart" => c(wishart_args, |l, v, span| l.inv_wishart_rng(v[0], v[1], span)),
        // The Cholesky factor of an inverse Wishart draw with scale L_S L_Sᵀ.
        "inv_wishart_cholesky" => c(wishart_args, |l, v, span| {
            l.check_cholesky_factor("inv_wishart_cholesky_rng", v[1], span);
            let s = l.library("multiply_lower_tri_self_transpose", &[v[1]], span);
            let w = l.inv_wishart_rng(v[0], s, span);
            l.library("cholesky_decompose", &[w], span)
        }),
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

/// A location of a multivariate draw: a vector or row vector, or an array of them.
fn locations(a: ArgType) -> bool {
    a.array_dims <= 1 && matches!(a.base, BaseType::Vector | BaseType::RowVector)
}

/// (ν, S): the degrees of freedom and a scale matrix (or its Cholesky factor).
fn wishart_args(a: &[ArgType]) -> bool {
    a.len() == 2 && a[0].is_primitive() && a[1] == ArgType::MATRIX
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

    /// μ + L z for z of independent normal draws of standard deviation `sd` (1, or a
    /// multivariate Student t's √w).
    fn multi_normal_rng(&mut self, mu: Val, chol: Atom, sd: Atom, span: Span) -> Val {
        let k = self.dim(mu.atom, 0);
        let z = self.build(Ty::VECTOR, vec![k]);
        let Atom::Var(zv) = z else { return Val::error() };
        self.for_loop(Atom::Int(1), k, |l, i| {
            let x = l.draw(RngDist::Normal, &[Atom::Real(0.0), sd]);
            l.emit(Stmt::Assign { var: zv, indices: vec![i], value: x });
        });
        let zval = Val { atom: z, ty: Ty::VECTOR, data: true };
        let lz = self.kernel(Prim::MatVec, Val { atom: chol, ty: Ty::MATRIX, data: true }, zval, Ty::VECTOR, span);
        let mu = Val { ty: Ty { core: Core::Vector, ..mu.ty }, ..mu };
        let y = self.binary(grammar::ast::BinOp::Add, mu, lz, span);
        Val { data: true, ..y }
    }

    /// One draw per location: a vector for one μ, an array of vectors for an array of them.
    /// `nu` makes each a multivariate Student t draw: a normal one scaled by √w, w an
    /// inverse-gamma(ν/2, ν/2) draw of its own.
    fn multi_normal_draws(&mut self, mu: Val, chol: Atom, nu: Option<Atom>, span: Span) -> Val {
        let one = |l: &mut Self, m: Val| {
            let sd = match nu {
                Some(nu) => {
                    let half = l.prim(Prim::Mul, &[Atom::Real(0.5), nu]);
                    let w = l.draw(RngDist::InvGamma, &[half, half]);
                    l.prim(Prim::Sqrt, &[w])
                }
                None => Atom::Real(1.0),
            };
            l.multi_normal_rng(m, chol, sd, span)
        };
        if mu.ty.array_rank == 0 {
            return one(self, mu);
        }
        let Atom::Var(mv) = mu.atom else { return Val::error() };
        let n = self.dim(mu.atom, 0);
        let k = self.dim(chol, 0);
        let ty = Ty { elem: Elem::Real, array_rank: 1, core: Core::Vector };
        let out = self.build(ty, vec![n, k]);
        let Atom::Var(ov) = out else { return Val::error() };
        let one_ty = Ty { array_rank: 0, ..mu.ty };
        self.for_loop(Atom::Int(1), n, |l, i| {
            let m = l.let_(one_ty, Expr::Load { base: mv, indices: vec![i] });
            let y = one(l, Val { atom: m, ty: one_ty, data: true });
            let Atom::Var(yv) = y.atom else { return };
            l.for_loop(Atom::Int(1), k, |l, j| {
                let x = l.let_(Ty::REAL, Expr::Load { base: yv, indices: vec![j] });
                l.emit(Stmt::Assign { var: ov, indices: vec![i, j], value: x });
            });
        });
        Val { atom: out, ty, data: true }
    }

    /// multi_student_t_rng(ν, μ, ·) with the Cholesky factor of the scale: ν is checked positive.
    fn multi_student_t_draws(&mut self, nu: Val, mu: Val, chol: Atom, span: Span) -> Val {
        let nu = self.to_real(nu);
        let ok = self.prim(Prim::Gt, &[nu, Atom::Real(0.0)]);
        let message = "multi_student_t_rng: degrees of freedom {} must be positive".to_string();
        self.check(ok, ErrorKind::Domain, message, span, vec![nu]);
        self.multi_normal_draws(mu, chol, Some(nu), span)
    }

    /// The ordinal outcome of a latent draw (logistic or normal about η) among the cutpoints c
    /// (checked ascending): 1 plus the number of cutpoints below it, so that
    /// P(y > k) = P(latent > c_k) = F(η − c_k).
    fn ordered_rng(&mut self, eta: Val, c: Val, latent: RngDist, span: Span) -> Val {
        let name = if latent == RngDist::Logistic { "ordered_logistic_rng" } else { "ordered_probit_rng" };
        let eta = self.to_real(eta);
        let fin = self.is_finite(eta);
        self.check(fin, ErrorKind::Domain, format!("{name}: location {{}} must be finite"), span, vec![eta]);
        let Atom::Var(cv) = c.atom else { return Val::error() };
        let k = self.dim(c.atom, 0);
        self.for_loop(Atom::Int(2), k, |l, i| {
            let im1 = l.prim(Prim::ISub, &[i, Atom::Int(1)]);
            let a = l.let_(Ty::REAL, Expr::Load { base: cv, indices: vec![im1] });
            let b = l.let_(Ty::REAL, Expr::Load { base: cv, indices: vec![i] });
            let up = l.prim(Prim::Gt, &[b, a]);
            l.check(
                up,
                ErrorKind::Domain,
                format!("{name}: cutpoints {{}} and {{}} are not ascending"),
                span,
                vec![a, b],
            );
        });
        let y = self.draw(latent, &[eta, Atom::Real(1.0)]);
        let count = self.mutable(Ty::INT, Atom::Int(1));
        self.for_loop(Atom::Int(1), k, |l, i| {
            let ci = l.let_(Ty::REAL, Expr::Load { base: cv, indices: vec![i] });
            let below = l.prim(Prim::Lt, &[ci, y]);
            let next = l.prim(Prim::IAdd, &[Atom::Var(count), below]);
            l.emit(Stmt::Assign { var: count, indices: vec![], value: next });
        });
        let atom = self.let_(Ty::INT, Expr::Atom(Atom::Var(count)));
        Val { atom, ty: Ty::INT, data: true }
    }

    /// bernoulli_logit_glm_rng(x, α, β): a Bernoulli draw per row at logit α + x β.
    fn bernoulli_logit_glm_rng(&mut self, v: &[Val], span: Span) -> Val {
        let xb = self.binary(grammar::ast::BinOp::Mul, v[0], v[2], span);
        let eta = self.binary(grammar::ast::BinOp::Add, v[1], xb, span);
        let out = self.map_elementwise(
            &[eta],
            Ty::array(Elem::Int, 1),
            &mut |l, xs| l.draw(RngDist::BernoulliLogit, &[xs[0]]),
            span,
        );
        Val { data: true, ..out }
    }

    /// The Cholesky factor of an LKJ(η) correlation matrix of size K by the vine method: the
    /// canonical partial correlations of column c are 2 B − 1 for B ~ beta(a, a),
    /// a = η + (K − 1 − c)/2, assembled as Stan's `read_corr_L`.
    fn lkj_corr_cholesky_rng(&mut self, k: Val, eta: Val, span: Span) -> Val {
        let eta = self.to_real(eta);
        let ok = self.prim(Prim::Gt, &[eta, Atom::Real(0.0)]);
        self.check(ok, ErrorKind::Domain, "lkj_corr_rng: shape {} must be positive".into(), span, vec![eta]);
        let nonneg = self.prim(Prim::IGe, &[k.atom, Atom::Int(0)]);
        self.check(nonneg, ErrorKind::Domain, "lkj_corr_rng: size {} is negative".into(), span, vec![k.atom]);
        let kr = self.to_real(k);
        let out = self.build(Ty::MATRIX, vec![k.atom, k.atom]);
        let Atom::Var(ov) = out else { return Val::error() };
        self.read_corr_l(ov, k.atom, &mut |l, _i, c| {
            let cr = l.prim(Prim::ToReal, &[c]);
            let a = l.prim(Prim::Sub, &[kr, Atom::Real(1.0)]);
            let a = l.prim(Prim::Sub, &[a, cr]);
            let a = l.prim(Prim::Mul, &[Atom::Real(0.5), a]);
            let a = l.prim(Prim::Add, &[eta, a]);
            let b = l.draw(RngDist::Beta, &[a, a]);
            let t = l.prim(Prim::Mul, &[Atom::Real(2.0), b]);
            l.prim(Prim::Sub, &[t, Atom::Real(1.0)])
        });
        Val { atom: out, ty: Ty::MATRIX, data: true }
    }

    /// Stops with an error unless `l` is square, lower triangular, with a positive diagonal.
    pub(super) fn check_cholesky_factor(&mut self, name: &str, l: Val, span: Span) {
        let Atom::Var(lv) = l.atom else { return };
        let (r, c) = (self.dim(l.atom, 0), self.dim(l.atom, 1));
        self.same_size(r, c, &format!("{name}: the Cholesky factor has {{}} rows and {{}} columns"), span);
        self.for_loop(Atom::Int(1), c, |s, j| {
            let d = s.let_(Ty::REAL, Expr::Load { base: lv, indices: vec![j, j] });
            let pos = s.prim(Prim::Gt, &[d, Atom::Real(0.0)]);
            let message = format!("{name}: diagonal element {{}} of the Cholesky factor is {{}}, not positive");
            s.check(pos, ErrorKind::Domain, message, span, vec![j, d]);
            s.for_loop(Atom::Int(1), j, |s, i| {
                let above = s.prim(Prim::ILt, &[i, j]);
                let x = s.let_(Ty::REAL, Expr::Load { base: lv, indices: vec![i, j] });
                let zero = s.prim(Prim::Eq, &[x, Atom::Real(0.0)]);
                let not_above = s.prim(Prim::Not, &[above]);
                let ok = s.prim(Prim::Or, &[zero, not_above]);
                let message = format!("{name}: the Cholesky factor is not lower triangular at ({{}}, {{}})");
                s.check(ok, ErrorKind::Domain, message, span, vec![i, j]);
            });
        });
    }

    /// L_S A, the Cholesky factor of a Wishart(ν, L_S L_Sᵀ) draw by Bartlett's decomposition: A
    /// lower triangular with √χ²(ν − j + 1) on the diagonal and standard normals below.
    fn wishart_cholesky_rng(&mut self, nu: Val, chol: Val, span: Span) -> Val {
        let nu = self.to_real(nu);
        let k = self.dim(chol.atom, 0);
        let km1 = self.prim(Prim::ISub, &[k, Atom::Int(1)]);
        let km1r = self.prim(Prim::ToReal, &[km1]);
        let ok = self.prim(Prim::Gt, &[nu, km1r]);
        let message = "wishart_rng: degrees of freedom {} must exceed the dimension less one, {}".to_string();
        self.check(ok, ErrorKind::Domain, message, span, vec![nu, km1r]);
        let a = self.build(Ty::MATRIX, vec![k, k]);
        let Atom::Var(av) = a else { return Val::error() };
        self.for_loop(Atom::Int(1), k, |l, j| {
            l.for_loop(Atom::Int(1), k, |l, i| {
                let above = l.prim(Prim::ILt, &[i, j]);
                let below = l.prim(Prim::IGt, &[i, j]);
                l.if_(
                    above,
                    |l| l.emit(Stmt::Assign { var: av, indices: vec![i, j], value: Atom::Real(0.0) }),
                    |l| {
                        l.if_(
                            below,
                            |l| {
                                let z = l.draw(RngDist::Normal, &[Atom::Real(0.0), Atom::Real(1.0)]);
                                l.emit(Stmt::Assign { var: av, indices: vec![i, j], value: z });
                            },
                            |l| {
                                let jm1 = l.prim(Prim::ISub, &[j, Atom::Int(1)]);
                                let jr = l.prim(Prim::ToReal, &[jm1]);
                                let df = l.prim(Prim::Sub, &[nu, jr]);
                                let c = l.draw(RngDist::ChiSquare, &[df]);
                                let d = l.prim(Prim::Sqrt, &[c]);
                                l.emit(Stmt::Assign { var: av, indices: vec![i, j], value: d });
                            },
                        )
                    },
                );
            });
        });
        let a = Val { atom: a, ty: Ty::MATRIX, data: true };
        let y = self.binary(grammar::ast::BinOp::Mul, chol, a, span);
        Val { data: true, ..y }
    }

    /// An inverse Wishart(ν, S) draw: the inverse of a Wishart(ν, S⁻¹) draw.
    fn inv_wishart_rng(&mut self, nu: Val, s: Val, span: Span) -> Val {
        let s_inv = self.library("inverse_spd", &[s], span);
        let chol = self.cholesky(s_inv.atom, span);
        let factor = self.wishart_cholesky_rng(nu, Val { atom: chol, ty: Ty::MATRIX, data: true }, span);
        // W⁻¹ = (F Fᵀ)⁻¹, from the factor.
        self.library("chol2inv", &[factor], span)
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
