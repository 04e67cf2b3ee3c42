//! Every distribution vppl compiles as a sum of per-element terms (the vectorised
//! univariate ones): one entry per distribution, with what each argument must satisfy, how many
//! leading arguments are ints, and the terms of its log density at scalar arguments.
//!
//! A term is tagged with the arguments it depends on (bit i = argument i). That one list
//! serves both semantics: `~` and `_lupdf` keep only terms that depend on a parameter, `_lpdf`
//! keeps all; and a vectorised call computes the terms of scalar arguments once, outside the
//! loop over elements. The catalog's `Status::Implemented` of their densities follows from this
//! table (`catalog::vppl_status`).

use grammar::Span;
use grammar::ast;

use crate::catalog::ArgType;
use crate::ir::{Atom, ErrorKind, Fun, Prim};
use crate::sema::{Lowerer, Val};

use super::{LOG_PI, LOG_SQRT_TWO_PI, Req, Term};

/// The terms of a log density (or the one term of a log CDF) at scalar real arguments.
pub(crate) type Terms = fn(&mut Lowerer, &[Atom]) -> Vec<Term>;

/// Checks of conditions between the (real) arguments of one element, such as the Wiener
/// densities' response time after the non-decision time; given the distribution's name and the
/// call's span for the message.
pub(crate) type Relations = fn(&mut Lowerer, &[Atom], &str, Span);

/// How vppl compiles one vectorised univariate distribution.
pub(crate) struct Elementwise {
    /// What each argument must satisfy, the variate first: its length is the arity.
    pub reqs: &'static [Req],
    /// How many leading arguments are ints: the variate of a mass function, and binomial's
    /// number of trials.
    pub int_args: usize,
    /// The terms of the log density at scalar (real) arguments.
    pub terms: Terms,
    /// The log CDF and the log complementary CDF (`_lcdf`, `_lccdf`; `_cdf` is the exponential
    /// of the first summed), each one term.
    pub cdfs: Option<(Terms, Terms)>,
    /// What the CDFs' arguments must satisfy where it differs from the density's (von Mises:
    /// the variate lies in [−π, π]).
    pub cdf_reqs: Option<&'static [Req]>,
    /// What the arguments of an element must satisfy together, past `reqs`.
    pub relations: Option<Relations>,
}

/// A density call being lowered (`~`, `_lpdf`, `_lupdf`, ...).
pub(crate) struct DensityCall<'a> {
    /// The distribution, without suffix.
    pub name: &'a str,
    /// The function as the user wrote it (the name for `~`), for messages.
    pub written: &'a str,
    pub name_span: Span,
    pub vals: &'a [Val],
    pub span: Span,
    /// `~` and `_lupdf`: constant terms may be dropped...
    pub drop_constants: bool,
    /// ...and are, here (the propto log density).
    pub propto: bool,
}

/// How vppl compiles a distribution of a shape of its own (multivariate, GLM).
pub(crate) struct Multivariate {
    /// Which of the catalog's signatures of its density vppl compiles.
    pub accepts: fn(&[ArgType]) -> bool,
    /// The log density; wrong argument shapes get a diagnostic here.
    pub lower: fn(&mut Lowerer, &DensityCall) -> Option<Atom>,
}

pub(crate) fn multivariate(name: &str) -> Option<Multivariate> {
    Some(match name {
        "multi_normal" | "multi_normal_cholesky" => Multivariate {
            accepts: |args| args.len() == 3 && args[2] == ArgType::MATRIX,
            lower: |l, c| l.multi_normal(c.name, c.vals, c.span, c.propto),
        },
        // A vector or a row vector each, not arrays of them.
        "dirichlet" => Multivariate {
            accepts: |args| args.len() == 2 && args.iter().all(|a| vectors(*a)),
            lower: |l, c| l.dirichlet(c.vals, c.span, c.propto),
        },
        "lkj_corr_cholesky" => Multivariate {
            accepts: |args| args == [ArgType::MATRIX, ArgType::REAL],
            lower: |l, c| l.lkj_corr_cholesky(c.vals, c.span, c.propto),
        },
        "categorical" | "categorical_logit" => Multivariate {
            accepts: |args| args.len() == 2 && int_outcomes(args[0]) && args[1] == ArgType::VECTOR,
            lower: |l, c| l.categorical(c, c.name == "categorical_logit"),
        },
        "multi_student_t" | "multi_student_t_cholesky" => Multivariate {
            accepts: |args| {
                args.len() == 4
                    && vectors(args[0])
                    && args[1].is_primitive()
                    && vectors(args[2])
                    && args[3] == ArgType::MATRIX
            },
            lower: |l, c| l.multi_student_t(c, c.name == "multi_student_t_cholesky"),
        },
        "multi_normal_prec" => Multivariate {
            accepts: |args| args.len() == 3 && vectors(args[0]) && vectors(args[1]) && args[2] == ArgType::MATRIX,
            lower: |l, c| l.multi_normal_prec(c),
        },
        "lkj_corr" => {
            Multivariate { accepts: |args| args == [ArgType::MATRIX, ArgType::REAL], lower: |l, c| l.lkj_corr(c) }
        }
        "wishart" | "inv_wishart" => Multivariate {
            accepts: |args| args == [ArgType::MATRIX, ArgType::REAL, ArgType::MATRIX],
            lower: |l, c| l.wishart(c, c.name == "inv_wishart"),
        },
        "wishart_cholesky" | "inv_wishart_cholesky" => Multivariate {
            accepts: |args| args == [ArgType::MATRIX, ArgType::REAL, ArgType::MATRIX],
            lower: |l, c| l.wishart_cholesky(c, c.name == "inv_wishart_cholesky"),
        },
        "multi_gp" | "multi_gp_cholesky" => Multivariate {
            accepts: |args| args == [ArgType::MATRIX, ArgType::MATRIX, ArgType::VECTOR],
            lower: |l, c| l.multi_gp(c, c.name == "multi_gp_cholesky"),
        },
        // V a covariance matrix, or a vector: the diagonal of one.
        "gaussian_dlm_obs" => Multivariate {
            accepts: |args| {
                args.len() == 7
                    && args.iter().enumerate().all(|(i, a)| {
                        *a == if i == 5 || (i == 3 && *a == ArgType::VECTOR) {
                            ArgType::VECTOR
                        } else {
                            ArgType::MATRIX
                        }
                    })
            },
            lower: |l, c| l.gaussian_dlm_obs(c),
        },
        "lkj_cov" => Multivariate {
            accepts: |args| args == [ArgType::MATRIX, ArgType::VECTOR, ArgType::VECTOR, ArgType::REAL],
            lower: |l, c| l.lkj_cov(c),
        },
        // Every signature of the catalog (x a matrix or a row vector, y one outcome or one per
        // row).
        "categorical_logit_glm" => glm(|l, c| l.categorical_logit_glm(c)),
        "ordered_logistic_glm" => glm(|l, c| {
            // ordered_logistic(y | x β, c)
            let [y, x, beta, cuts] = c.vals else { return None };
            let eta = l.binary(ast::BinOp::Mul, *x, *beta, c.span);
            l.density_named("ordered_logistic", c.written, "", c.name_span, &[*y, eta, *cuts], c.span, c.drop_constants)
        }),
        "dirichlet_multinomial" => Multivariate {
            accepts: |args| args == [ArgType::INT.array(1), ArgType::VECTOR],
            lower: |l, c| l.dirichlet_multinomial(c),
        },
        "multinomial" | "multinomial_logit" => Multivariate {
            accepts: |args| args == [ArgType::INT.array(1), ArgType::VECTOR],
            lower: |l, c| l.multinomial(c, c.name == "multinomial_logit"),
        },
        // Every signature of the catalog: outcomes, linear predictors and cutpoints each shared
        // or given per outcome.
        "ordered_logistic" | "ordered_probit" => {
            Multivariate { accepts: |_| true, lower: |l, c| l.ordered(c, c.name == "ordered_probit") }
        }
        // A GLM is its distribution at the linear predictor: `f_glm(y | x, α, β, ...)` is
        // `f(y | α + x β, ...)` (binomial's number of trials comes before x).
        "normal_id_glm" => glm(|l, c| l.glm(c, "normal", 1)),
        "bernoulli_logit_glm" => glm(|l, c| l.glm(c, "bernoulli_logit", 1)),
        "poisson_log_glm" => glm(|l, c| l.glm(c, "poisson_log", 1)),
        "neg_binomial_2_log_glm" => glm(|l, c| l.glm(c, "neg_binomial_2_log", 1)),
        "binomial_logit_glm" => glm(|l, c| l.glm(c, "binomial_logit", 2)),
        _ => return None,
    })
}

/// A vector or row vector, or an array of them.
fn vectors(t: ArgType) -> bool {
    t.array_dims <= 1 && matches!(t.base, crate::catalog::BaseType::Vector | crate::catalog::BaseType::RowVector)
}

/// An int outcome or an array of them.
fn int_outcomes(t: ArgType) -> bool {
    t.base == crate::catalog::BaseType::Int && t.array_dims <= 1
}

/// A GLM entry: every signature the catalog has (x a matrix or a row vector, α a real or a
/// vector, β a vector) lowers to its distribution at the linear predictor.
fn glm(lower: fn(&mut Lowerer, &DensityCall) -> Option<Atom>) -> Multivariate {
    Multivariate { accepts: |_| true, lower }
}

impl Lowerer<'_> {
    /// `base(y.. | α + x β, rest..)` for `base_glm(y.. | x, α, β, rest..)`, where x is argument
    /// `x_at`.
    fn glm(&mut self, c: &DensityCall, base: &str, x_at: usize) -> Option<Atom> {
        let v = c.vals;
        let (x, alpha, beta) = (v[x_at], v[x_at + 1], v[x_at + 2]);
        let xb = self.binary(ast::BinOp::Mul, x, beta, c.span);
        let mu = self.binary(ast::BinOp::Add, alpha, xb, c.span);
        let mut args: Vec<Val> = v[..x_at].to_vec();
        args.push(mu);
        args.extend_from_slice(&v[x_at + 3..]);
        self.density_named(base, c.written, "", c.name_span, &args, c.span, c.drop_constants)
    }
}

/// Whether vppl compiles `name`'s `_cdf`, `_lcdf` and `_lccdf` at these argument types.
pub(crate) fn cdf_accepts(name: &str, args: &[ArgType]) -> bool {
    let one_dim = |a: &ArgType| a.is_primitive() || a.rank() == 1;
    elementwise(name).is_some_and(|d| d.cdfs.is_some() && d.reqs.len() == args.len() && args.iter().all(one_dim))
}

/// Whether vppl compiles the density of `name` (without suffix) at these argument types: the
/// catalog's `Status::Implemented` of `_lpdf`, `_lpmf`, `_lupdf`, `_lupmf`.
pub(crate) fn density_accepts(name: &str, args: &[ArgType]) -> bool {
    if let Some(m) = multivariate(name) {
        return (m.accepts)(args);
    }
    let one_dim = |a: &ArgType| a.is_primitive() || a.rank() == 1;
    elementwise_form(name, args.len()).is_some() && args.iter().all(one_dim)
}

/// The entry of `name` that takes `arity` arguments: [`elementwise`]'s, or for the Wiener
/// distribution, whose arities are three densities, the one with that many.
pub(crate) fn elementwise_form(name: &str, arity: usize) -> Option<Elementwise> {
    match name {
        "wiener" => wiener(arity),
        _ => elementwise(name).filter(|d| d.reqs.len() == arity),
    }
}

/// The entry of the distribution `name` (without suffix).
pub(crate) fn elementwise(name: &str) -> Option<Elementwise> {
    use Req::*;
    let d = |reqs, int_args, terms| {
        Some(Elementwise { reqs, int_args, terms, cdfs: None, cdf_reqs: None, relations: None })
    };
    let c = |reqs, int_args, terms, lcdf, lccdf| {
        Some(Elementwise { reqs, int_args, terms, cdfs: Some((lcdf, lccdf)), cdf_reqs: None, relations: None })
    };
    match name {
        "normal" => c(&[NotNan, Finite, PositiveFinite], 0, normal, normal_lcdf, normal_lccdf),
        "std_normal" => c(&[NotNan], 0, std_normal, std_normal_lcdf, std_normal_lccdf),
        "cauchy" => c(&[NotNan, Finite, PositiveFinite], 0, cauchy, cauchy_lcdf, cauchy_lccdf),
        "student_t" => {
            c(&[NotNan, PositiveFinite, Finite, PositiveFinite], 0, student_t, student_t_lcdf, student_t_lccdf)
        }
        "exponential" => c(&[Any, PositiveFinite], 0, exponential, exponential_lcdf, exponential_lccdf),
        "gamma" => c(&[NotNan, PositiveFinite, PositiveFinite], 0, gamma, gamma_lcdf, gamma_lccdf),
        "inv_gamma" => c(&[NotNan, PositiveFinite, PositiveFinite], 0, inv_gamma, inv_gamma_lcdf, inv_gamma_lccdf),
        "beta" => c(&[Any, PositiveFinite, PositiveFinite], 0, beta, beta_lcdf, beta_lccdf),
        "lognormal" => c(&[NotNan, Finite, PositiveFinite], 0, lognormal, lognormal_lcdf, lognormal_lccdf),
        "uniform" => c(&[NotNan, Finite, Finite], 0, uniform, uniform_lcdf, uniform_lccdf),
        "poisson" => c(&[NonNegInt, NonNegInt], 1, poisson, poisson_lcdf, poisson_lccdf),
        "poisson_log" => d(&[NonNegInt, NotNan], 1, poisson_log),
        "bernoulli" => c(&[NonNegInt, Prob], 1, bernoulli, bernoulli_lcdf, bernoulli_lccdf),
        "bernoulli_logit" => d(&[NonNegInt, NotNan], 1, bernoulli_logit),
        "neg_binomial_2" => c(
            &[NonNegInt, PositiveFinite, PositiveFinite],
            1,
            neg_binomial_2,
            neg_binomial_2_lcdf,
            neg_binomial_2_lccdf,
        ),
        "neg_binomial_2_log" => d(&[NonNegInt, Finite, PositiveFinite], 1, neg_binomial_2_log),
        "weibull" => c(&[NonNegInt, PositiveFinite, PositiveFinite], 0, weibull, weibull_lcdf, weibull_lccdf),
        "logistic" => c(&[Finite, Finite, PositiveFinite], 0, logistic, logistic_lcdf, logistic_lccdf),
        "double_exponential" => c(
            &[Finite, Finite, PositiveFinite],
            0,
            double_exponential,
            double_exponential_lcdf,
            double_exponential_lccdf,
        ),
        "chi_square" => c(&[NonNegInt, PositiveFinite], 0, chi_square, chi_square_lcdf, chi_square_lccdf),
        "inv_chi_square" => {
            c(&[NonNegInt, PositiveFinite], 0, inv_chi_square, inv_chi_square_lcdf, inv_chi_square_lccdf)
        }
        "scaled_inv_chi_square" => c(
            &[NonNegInt, PositiveFinite, PositiveFinite],
            0,
            scaled_inv_chi_square,
            scaled_inv_chi_square_lcdf,
            scaled_inv_chi_square_lccdf,
        ),
        "pareto" => c(&[NotNan, PositiveFinite, PositiveFinite], 0, pareto, pareto_lcdf, pareto_lccdf),
        "gumbel" => c(&[Finite, Finite, PositiveFinite], 0, gumbel, gumbel_lcdf, gumbel_lccdf),
        "rayleigh" => c(&[NonNegInt, PositiveFinite], 0, rayleigh, rayleigh_lcdf, rayleigh_lccdf),
        "binomial" => c(&[NonNegInt, NonNegInt, Prob], 2, binomial, binomial_lcdf, binomial_lccdf),
        "binomial_logit" => d(&[NonNegInt, NonNegInt, NotNan], 2, binomial_logit),
        "beta_binomial" => c(
            &[NonNegInt, NonNegInt, PositiveFinite, PositiveFinite],
            2,
            beta_binomial,
            beta_binomial_lcdf,
            beta_binomial_lccdf,
        ),
        "beta_neg_binomial" => c(
            &[NonNegInt, PositiveFinite, PositiveFinite, PositiveFinite],
            1,
            beta_neg_binomial,
            beta_neg_binomial_lcdf,
            beta_neg_binomial_lccdf,
        ),
        "neg_binomial" => {
            c(&[NonNegInt, PositiveFinite, PositiveFinite], 1, neg_binomial, neg_binomial_lcdf, neg_binomial_lccdf)
        }
        "hypergeometric" => d(&[NonNegInt, NonNegInt, NonNegInt, NonNegInt], 4, hypergeometric),
        "discrete_range" => c(&[Any, Any, Any], 3, discrete_range, discrete_range_lcdf, discrete_range_lccdf),
        "von_mises" => Some(Elementwise {
            reqs: &[NotNan, Finite, NonNegInt],
            int_args: 0,
            terms: von_mises,
            cdfs: Some((von_mises_lcdf, von_mises_lccdf)),
            cdf_reqs: Some(&[Angle, Finite, PositiveFinite]),
            relations: None,
        }),
        "exp_mod_normal" => c(
            &[NotNan, Finite, PositiveFinite, PositiveFinite],
            0,
            exp_mod_normal,
            exp_mod_normal_lcdf,
            exp_mod_normal_lccdf,
        ),
        "skew_normal" => {
            c(&[NotNan, Finite, PositiveFinite, Finite], 0, skew_normal, skew_normal_lcdf, skew_normal_lccdf)
        }
        "skew_double_exponential" => c(
            &[Finite, Finite, PositiveFinite, Prob],
            0,
            skew_double_exponential,
            skew_double_exponential_lcdf,
            skew_double_exponential_lccdf,
        ),
        "frechet" => c(&[NonNegInt, PositiveFinite, PositiveFinite], 0, frechet, frechet_lcdf, frechet_lccdf),
        "pareto_type_2" => c(
            &[NotNan, Finite, PositiveFinite, PositiveFinite],
            0,
            pareto_type_2,
            pareto_type_2_lcdf,
            pareto_type_2_lccdf,
        ),
        "loglogistic" => {
            c(&[NonNegInt, PositiveFinite, PositiveFinite], 0, loglogistic, loglogistic_lcdf, loglogistic_lccdf)
        }
        "beta_proportion" => {
            c(&[Any, Prob, PositiveFinite], 0, beta_proportion, beta_proportion_lcdf, beta_proportion_lccdf)
        }
        // The four-parameter form (`elementwise_form` has the others).
        "wiener" => wiener(5),
        _ => None,
    }
}

/// Stan's Wiener first-passage-time densities of the upper boundary, by arity:
/// `wiener(y | α, τ, β, δ)`, with the drift's variability sv, and with the start's and the
/// non-decision time's, sw and st0, too. Their checks are Stan's: the four-parameter form is
/// the older function (τ > 0, β in [0, 1]), the others the newer (τ ≥ 0, β in (0, 1)).
///
/// Each is one term of every argument: Stan's `~` drops them only when all are data.
fn wiener(arity: usize) -> Option<Elementwise> {
    use Req::*;
    let (reqs, terms): (&'static [Req], Terms) = match arity {
        5 => (&[Positive, PositiveFinite, PositiveFinite, Prob, Finite], wiener4),
        6 => (&[PositiveFinite, PositiveFinite, NonNegFinite, OpenUnit, Finite, NonNegFinite], wiener5),
        8 => (
            &[PositiveFinite, PositiveFinite, NonNegFinite, OpenUnit, Finite, NonNegFinite, Prob, NonNegFinite],
            wiener7,
        ),
        _ => return None,
    };
    Some(Elementwise { reqs, int_args: 0, terms, cdfs: None, cdf_reqs: None, relations: Some(wiener_relations) })
}

/// The response time after the non-decision time, and (seven parameters) the start's range
/// inside (0, 1).
fn wiener_relations(l: &mut Lowerer, xs: &[Atom], dist: &str, span: Span) {
    use Prim::*;
    let after = l.prim(Gt, &[xs[0], xs[2]]);
    let message =
        format!("{dist}: argument 1 is {{}}, but must be greater than the non-decision time (argument 3), {{}}");
    l.check(after, ErrorKind::Domain, message, span, vec![xs[0], xs[2]]);
    if let [_, _, _, beta, _, _, sw, _] = *xs {
        let half = l.prim(Mul, &[Atom::Real(0.5), sw]);
        let lo = l.prim(Sub, &[beta, half]);
        let hi = l.prim(Add, &[beta, half]);
        let above = l.prim(Gt, &[lo, Atom::Real(0.0)]);
        let below = l.prim(Lt, &[hi, Atom::Real(1.0)]);
        let inside = l.prim(And, &[above, below]);
        let message = format!(
            "{dist}: argument 7 is {{}}, but must be less than twice the distance of the a-priori bias (argument 4), {{}}, to 0 and to 1"
        );
        l.check(inside, ErrorKind::Domain, message, span, vec![sw, beta]);
    }
}

/// The common part of the four- and five-parameter densities: the time t = y − τ, the start's
/// distance to the upper boundary w = 1 − β, and ln g(t/α² | β) − 2 ln α.
fn wiener_base(l: &mut Lowerer, xs: &[Atom]) -> (Atom, Atom, Atom) {
    use Prim::*;
    let (y, alpha, tau, beta) = (xs[0], xs[1], xs[2], xs[3]);
    let t = l.prim(Sub, &[y, tau]);
    let a2 = l.prim(Mul, &[alpha, alpha]);
    let u = l.prim(Div, &[t, a2]);
    let g = l.prim(Fun::WienerLogStd, &[u, beta]);
    let la = l.prim(Fun::Log, &[alpha]);
    let two_la = l.prim(Mul, &[Atom::Real(2.0), la]);
    let base = l.prim(Sub, &[g, two_la]);
    let w = l.prim(Sub, &[Atom::Real(1.0), beta]);
    (t, w, base)
}

/// δα(1 − β) − δ²t/2 − 2 ln α + ln g(t/α² | β), t = y − τ (`stdlib::wiener`).
fn wiener4(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (alpha, delta) = (xs[1], xs[4]);
    let (t, w, base) = wiener_base(l, xs);
    let aw = l.prim(Mul, &[alpha, w]);
    let dt = l.prim(Mul, &[delta, t]);
    let half_dt = l.prim(Mul, &[Atom::Real(0.5), dt]);
    let inner = l.prim(Sub, &[aw, half_dt]);
    let drift = l.prim(Mul, &[delta, inner]);
    vec![(0b11111, l.prim(Add, &[drift, base]))]
}

/// The four-parameter density with the drift ~ normal(δ, sv) integrated out:
/// (sv²α²w² + 2αδw − δ²t) / (2(1 + sv²t)) − ½ ln(1 + sv²t) − 2 ln α + ln g(t/α² | β), w = 1 − β.
fn wiener5(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (alpha, delta, sv) = (xs[1], xs[4], xs[5]);
    let (t, w, base) = wiener_base(l, xs);
    let aw = l.prim(Mul, &[alpha, w]);
    let sv2 = l.prim(Mul, &[sv, sv]);
    let sv_aw = l.prim(Mul, &[sv2, aw]);
    let spread = l.prim(Mul, &[sv_aw, aw]);
    let two_d = l.prim(Mul, &[Atom::Real(2.0), delta]);
    let drift = l.prim(Mul, &[two_d, aw]);
    let dt = l.prim(Mul, &[delta, t]);
    let d2t = l.prim(Mul, &[delta, dt]);
    let n = l.prim(Add, &[spread, drift]);
    let n = l.prim(Sub, &[n, d2t]);
    let sv2t = l.prim(Mul, &[sv2, t]);
    let den = l.prim(Add, &[sv2t, Atom::Real(1.0)]);
    let two_den = l.prim(Mul, &[Atom::Real(2.0), den]);
    let ratio = l.prim(Div, &[n, two_den]);
    let lden = l.prim(Fun::Log1p, &[sv2t]);
    let half = l.prim(Mul, &[Atom::Real(0.5), lden]);
    let factor = l.prim(Sub, &[ratio, half]);
    vec![(0b111111, l.prim(Add, &[factor, base]))]
}

/// The five-parameter density averaged over the start and the non-decision time, by quadrature
/// (`stdlib::wiener::log_full`).
fn wiener7(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let t = l.prim(Prim::Sub, &[xs[0], xs[2]]);
    let lp = l.prim(Fun::WienerFull, &[t, xs[1], xs[3], xs[4], xs[5], xs[6], xs[7]]);
    vec![(0b1111_1111, lp)]
}

fn normal(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let diff = l.prim(Sub, &[xs[0], xs[1]]);
    let z = l.prim(Div, &[diff, xs[2]]);
    let z2 = l.prim(Mul, &[z, z]);
    let quad = l.prim(Mul, &[Atom::Real(-0.5), z2]);
    let ls = l.prim(Log, &[xs[2]]);
    let nls = l.prim(Neg, &[ls]);
    vec![(0b111, quad), (0b100, nls), (0, Atom::Real(-LOG_SQRT_TWO_PI))]
}

fn std_normal(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let y2 = l.prim(Mul, &[xs[0], xs[0]]);
    let quad = l.prim(Mul, &[Atom::Real(-0.5), y2]);
    vec![(0b1, quad), (0, Atom::Real(-LOG_SQRT_TWO_PI))]
}

fn cauchy(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let diff = l.prim(Sub, &[xs[0], xs[1]]);
    let z = l.prim(Div, &[diff, xs[2]]);
    let z2 = l.prim(Mul, &[z, z]);
    let l1 = l.prim(Log1p, &[z2]);
    let t = l.prim(Neg, &[l1]);
    let ls = l.prim(Log, &[xs[2]]);
    let nls = l.prim(Neg, &[ls]);
    vec![(0b111, t), (0b100, nls), (0, Atom::Real(-LOG_PI))]
}

fn student_t(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (y, nu, mu, sigma) = (xs[0], xs[1], xs[2], xs[3]);
    let half_nu = l.prim(Mul, &[Atom::Real(0.5), nu]);
    let half_nu1 = l.prim(Add, &[half_nu, Atom::Real(0.5)]);
    let lg1 = l.prim(Lgamma, &[half_nu1]);
    let lg2 = l.prim(Lgamma, &[half_nu]);
    let lnu = l.prim(Log, &[nu]);
    let hlnu = l.prim(Mul, &[Atom::Real(0.5), lnu]);
    let a = l.prim(Sub, &[lg1, lg2]);
    let nu_term = l.prim(Sub, &[a, hlnu]);
    let ls = l.prim(Log, &[sigma]);
    let nls = l.prim(Neg, &[ls]);
    let diff = l.prim(Sub, &[y, mu]);
    let z = l.prim(Div, &[diff, sigma]);
    let z2 = l.prim(Mul, &[z, z]);
    let z2n = l.prim(Div, &[z2, nu]);
    let l1 = l.prim(Log1p, &[z2n]);
    let t = l.prim(Mul, &[half_nu1, l1]);
    let nt = l.prim(Neg, &[t]);
    vec![(0b0010, nu_term), (0b1000, nls), (0b1111, nt), (0, Atom::Real(-0.5 * LOG_PI))]
}

fn exponential(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let lb = l.prim(Log, &[xs[1]]);
    let by = l.prim(Mul, &[xs[1], xs[0]]);
    let nby = l.prim(Neg, &[by]);
    vec![(0b10, lb), (0b11, nby)]
}

fn gamma(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (y, a, b) = (xs[0], xs[1], xs[2]);
    let lga = l.prim(Lgamma, &[a]);
    let nlga = l.prim(Neg, &[lga]);
    let lb = l.prim(Log, &[b]);
    let alb = l.prim(Mul, &[a, lb]);
    let am1 = l.prim(Sub, &[a, Atom::Real(1.0)]);
    let ly = l.prim(Log, &[y]);
    let t = l.prim(Mul, &[am1, ly]);
    let by = l.prim(Mul, &[b, y]);
    let nby = l.prim(Neg, &[by]);
    vec![(0b010, nlga), (0b110, alb), (0b011, t), (0b101, nby)]
}

fn inv_gamma(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (y, a, b) = (xs[0], xs[1], xs[2]);
    let lga = l.prim(Lgamma, &[a]);
    let nlga = l.prim(Neg, &[lga]);
    let lb = l.prim(Log, &[b]);
    let alb = l.prim(Mul, &[a, lb]);
    let ap1 = l.prim(Add, &[a, Atom::Real(1.0)]);
    let ly = l.prim(Log, &[y]);
    let t = l.prim(Mul, &[ap1, ly]);
    let nt = l.prim(Neg, &[t]);
    let boy = l.prim(Div, &[b, y]);
    let nboy = l.prim(Neg, &[boy]);
    vec![(0b010, nlga), (0b110, alb), (0b011, nt), (0b101, nboy)]
}

fn beta(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (y, a, b) = (xs[0], xs[1], xs[2]);
    let ly = l.prim(Log, &[y]);
    let ny = l.prim(Neg, &[y]);
    let l1my = l.prim(Log1p, &[ny]);
    let am1 = l.prim(Sub, &[a, Atom::Real(1.0)]);
    let bm1 = l.prim(Sub, &[b, Atom::Real(1.0)]);
    let t1 = l.prim(Mul, &[am1, ly]);
    let t2 = l.prim(Mul, &[bm1, l1my]);
    let lga = l.prim(Lgamma, &[a]);
    let lgb = l.prim(Lgamma, &[b]);
    let ab = l.prim(Add, &[a, b]);
    let lgab = l.prim(Lgamma, &[ab]);
    let s = l.prim(Add, &[lga, lgb]);
    let lbeta = l.prim(Sub, &[s, lgab]);
    let nlbeta = l.prim(Neg, &[lbeta]);
    vec![(0b011, t1), (0b101, t2), (0b110, nlbeta)]
}

/// At y = 0 the density is 0 (log −∞, as in Stan): the other terms are taken at y = 1 there, so
/// they stay finite and the sum is −∞, not NaN.
fn lognormal(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (y, mu, sigma) = (xs[0], xs[1], xs[2]);
    let zero = l.prim(Eq, &[y, Atom::Real(0.0)]);
    let ys = l.prim(Select, &[zero, Atom::Real(1.0), y]);
    let ly = l.prim(Log, &[ys]);
    let support = l.prim(Select, &[zero, Atom::Real(f64::NEG_INFINITY), Atom::Real(0.0)]);
    let nly = l.prim(Neg, &[ly]);
    let diff = l.prim(Sub, &[ly, mu]);
    let z = l.prim(Div, &[diff, sigma]);
    let z2 = l.prim(Mul, &[z, z]);
    let quad = l.prim(Mul, &[Atom::Real(-0.5), z2]);
    let ls = l.prim(Log, &[sigma]);
    let nls = l.prim(Neg, &[ls]);
    vec![(0b111, quad), (0b100, nls), (0b001, nly), (0b001, support), (0, Atom::Real(-LOG_SQRT_TWO_PI))]
}

fn uniform(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (y, a, b) = (xs[0], xs[1], xs[2]);
    let w = l.prim(Sub, &[b, a]);
    let lw = l.prim(Log, &[w]);
    let nlw = l.prim(Neg, &[lw]);
    // Outside the support the density is zero: log density −∞.
    let below = l.prim(Lt, &[y, a]);
    let above = l.prim(Gt, &[y, b]);
    let out = l.prim(Or, &[below, above]);
    let support = l.select(out, Atom::Real(f64::NEG_INFINITY), Atom::Real(0.0));
    vec![(0b110, nlw), (0b111, support)]
}

/// n log λ − λ − log n!, with n log λ = 0 for n = 0 (so a rate of 0 is allowed, as in Stan).
fn poisson(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (n, lambda) = (xs[0], xs[1]);
    let t = l.times_log(n, lambda);
    let nl = l.prim(Neg, &[lambda]);
    let n1 = l.prim(Add, &[n, Atom::Real(1.0)]);
    let lg = l.prim(Lgamma, &[n1]);
    let nlg = l.prim(Neg, &[lg]);
    vec![(0b11, t), (0b10, nl), (0b01, nlg)]
}

fn poisson_log(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (n, alpha) = (xs[0], xs[1]);
    let t = l.prim(Mul, &[n, alpha]);
    let e = l.prim(Exp, &[alpha]);
    let ne = l.prim(Neg, &[e]);
    let n1 = l.prim(Add, &[n, Atom::Real(1.0)]);
    let lg = l.prim(Lgamma, &[n1]);
    let nlg = l.prim(Neg, &[lg]);
    vec![(0b11, t), (0b10, ne), (0b01, nlg)]
}

/// log θ for n = 1, log(1 − θ) for n = 0, as the logarithm of the one probability that
/// applies: θ = 1 with n = 1 (and θ = 0 with n = 0) is finite, value and gradient, as in
/// Stan, with one logarithm and no branch. (1 − θ is exact to rounding, so log(1 − θ) is
/// within 1e-16 of log1p(−θ), absolutely.)
fn bernoulli(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (n, theta) = (xs[0], xs[1]);
    let one = l.prim(Ge, &[n, Atom::Real(1.0)]);
    let q = l.prim(Sub, &[Atom::Real(1.0), theta]);
    let p = l.prim(Select, &[one, theta, q]);
    vec![(0b11, l.prim(Fun::Log, &[p]))]
}

fn bernoulli_logit(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    // log p(n | α) = −log1p_exp(−(2n − 1) α)
    let (n, alpha) = (xs[0], xs[1]);
    let two_n = l.prim(Mul, &[Atom::Real(2.0), n]);
    let sign = l.prim(Sub, &[two_n, Atom::Real(1.0)]);
    let s = l.prim(Mul, &[sign, alpha]);
    let ns = l.prim(Neg, &[s]);
    let lpe = l.log1p_exp(ns, false);
    let nl = l.prim(Neg, &[lpe]);
    vec![(0b11, nl)]
}

// Γ(n+φ)/(Γ(n+1)Γ(φ)) (μ/(μ+φ))ⁿ (φ/(μ+φ))^φ; the _log form has μ = exp(η)
// and log(μ+φ) = log_sum_exp(η, log φ).
fn neg_binomial_2_family(l: &mut Lowerer, xs: &[Atom], log: bool) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (n, m, phi) = (xs[0], xs[1], xs[2]);
    let nphi = l.prim(Add, &[n, phi]);
    let a = l.prim(Lgamma, &[nphi]);
    let b = l.prim(Lgamma, &[phi]);
    let norm = l.prim(Sub, &[a, b]);
    let n1 = l.prim(Add, &[n, Atom::Real(1.0)]);
    let lgn = l.prim(Lgamma, &[n1]);
    let nlgn = l.prim(Neg, &[lgn]);
    let log_mu = if !log { l.prim(Log, &[m]) } else { m };
    let t_mu = l.prim(Mul, &[n, log_mu]);
    let lphi = l.prim(Log, &[phi]);
    let t_phi = l.prim(Mul, &[phi, lphi]);
    let log_sum = if !log {
        let s = l.prim(Add, &[m, phi]);
        l.prim(Log, &[s])
    } else {
        l.log_sum_exp2(m, lphi)
    };
    let t = l.prim(Mul, &[nphi, log_sum]);
    let nt = l.prim(Neg, &[t]);
    vec![(0b101, norm), (0b001, nlgn), (0b011, t_mu), (0b100, t_phi), (0b111, nt)]
}

fn neg_binomial_2(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    neg_binomial_2_family(l, xs, false)
}

fn neg_binomial_2_log(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    neg_binomial_2_family(l, xs, true)
}

// log α + (α−1) log y − α log σ − (y/σ)^α
fn weibull(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (y, alpha, sigma) = (xs[0], xs[1], xs[2]);
    let la = l.prim(Log, &[alpha]);
    let am1 = l.prim(Sub, &[alpha, Atom::Real(1.0)]);
    let ly = l.prim(Log, &[y]);
    let t1 = l.prim(Mul, &[am1, ly]);
    let ls = l.prim(Log, &[sigma]);
    let t2 = l.prim(Mul, &[alpha, ls]);
    let nt2 = l.prim(Neg, &[t2]);
    let r = l.prim(Div, &[y, sigma]);
    let p = l.prim(Pow, &[r, alpha]);
    let np = l.prim(Neg, &[p]);
    vec![(0b010, la), (0b011, t1), (0b110, nt2), (0b111, np)]
}

// z = (y−μ)/σ: −z − 2 log1p(e^(−z)) − log σ
fn logistic(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let d0 = l.prim(Sub, &[xs[0], xs[1]]);
    let z = l.prim(Div, &[d0, xs[2]]);
    let nz = l.prim(Neg, &[z]);
    let lpe = l.log1p_exp(nz, false);
    let l2 = l.prim(Mul, &[Atom::Real(2.0), lpe]);
    let t = l.prim(Sub, &[nz, l2]);
    let ls = l.prim(Log, &[xs[2]]);
    let nls = l.prim(Neg, &[ls]);
    vec![(0b111, t), (0b100, nls)]
}

// −log 2 − log σ − |y−μ|/σ
fn double_exponential(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let d0 = l.prim(Sub, &[xs[0], xs[1]]);
    let a = l.prim(Fabs, &[d0]);
    let r = l.prim(Div, &[a, xs[2]]);
    let nr = l.prim(Neg, &[r]);
    let ls = l.prim(Log, &[xs[2]]);
    let nls = l.prim(Neg, &[ls]);
    vec![(0b111, nr), (0b100, nls), (0, Atom::Real(-std::f64::consts::LN_2))]
}

// −(ν/2) log 2 − lgamma(ν/2) + (ν/2 − 1) log y − y/2 (inverse: −(ν/2+1) log y − 1/(2y))
fn chi_square_family(l: &mut Lowerer, xs: &[Atom], inverse: bool) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (y, nu) = (xs[0], xs[1]);
    let h = l.prim(Mul, &[Atom::Real(0.5), nu]);
    let lg = l.prim(Lgamma, &[h]);
    let hl2 = l.prim(Mul, &[h, Atom::Real(std::f64::consts::LN_2)]);
    let s = l.prim(Add, &[hl2, lg]);
    let norm = l.prim(Neg, &[s]);
    let ly = l.prim(Log, &[y]);
    let (coef, tail) = if !inverse {
        let c = l.prim(Sub, &[h, Atom::Real(1.0)]);
        let t = l.prim(Mul, &[Atom::Real(-0.5), y]);
        (c, t)
    } else {
        let c0 = l.prim(Add, &[h, Atom::Real(1.0)]);
        let c = l.prim(Neg, &[c0]);
        let inv = l.prim(Div, &[Atom::Real(-0.5), y]);
        (c, inv)
    };
    let t = l.prim(Mul, &[coef, ly]);
    vec![(0b10, norm), (0b11, t), (0b01, tail)]
}

fn chi_square(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    chi_square_family(l, xs, false)
}

fn inv_chi_square(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    chi_square_family(l, xs, true)
}

// (ν/2) log(ν/2) − lgamma(ν/2) + ν log s − (ν/2+1) log y − ν s²/(2y)
fn scaled_inv_chi_square(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (y, nu, s0) = (xs[0], xs[1], xs[2]);
    let h = l.prim(Mul, &[Atom::Real(0.5), nu]);
    let lh = l.prim(Log, &[h]);
    let a = l.prim(Mul, &[h, lh]);
    let lg = l.prim(Lgamma, &[h]);
    let norm = l.prim(Sub, &[a, lg]);
    let ls = l.prim(Log, &[s0]);
    let t_s = l.prim(Mul, &[nu, ls]);
    let h1 = l.prim(Add, &[h, Atom::Real(1.0)]);
    let ly = l.prim(Log, &[y]);
    let t_y = l.prim(Mul, &[h1, ly]);
    let nt_y = l.prim(Neg, &[t_y]);
    let s2 = l.prim(Mul, &[s0, s0]);
    let num = l.prim(Mul, &[h, s2]);
    let r = l.prim(Div, &[num, y]);
    let nr = l.prim(Neg, &[r]);
    vec![(0b010, norm), (0b110, t_s), (0b011, nt_y), (0b111, nr)]
}

// log α + α log y_min − (α+1) log y, for y ≥ y_min (else −∞)
fn pareto(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (y, ymin, alpha) = (xs[0], xs[1], xs[2]);
    let la = l.prim(Log, &[alpha]);
    let lm = l.prim(Log, &[ymin]);
    let t1 = l.prim(Mul, &[alpha, lm]);
    let a1 = l.prim(Add, &[alpha, Atom::Real(1.0)]);
    let ly = l.prim(Log, &[y]);
    let t2 = l.prim(Mul, &[a1, ly]);
    let nt2 = l.prim(Neg, &[t2]);
    let below = l.prim(Lt, &[y, ymin]);
    let support = l.select(below, Atom::Real(f64::NEG_INFINITY), Atom::Real(0.0));
    vec![(0b100, la), (0b110, t1), (0b101, nt2), (0b011, support)]
}

// z = (y−μ)/β: −log β − z − e^(−z)
fn gumbel(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let d0 = l.prim(Sub, &[xs[0], xs[1]]);
    let z = l.prim(Div, &[d0, xs[2]]);
    let nz = l.prim(Neg, &[z]);
    let e = l.prim(Exp, &[nz]);
    let t = l.prim(Sub, &[nz, e]);
    let lb = l.prim(Log, &[xs[2]]);
    let nlb = l.prim(Neg, &[lb]);
    vec![(0b111, t), (0b100, nlb)]
}

// log y − 2 log σ − y²/(2σ²)
fn rayleigh(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (y, sigma) = (xs[0], xs[1]);
    let ly = l.prim(Log, &[y]);
    let ls = l.prim(Log, &[sigma]);
    let t = l.prim(Mul, &[Atom::Real(-2.0), ls]);
    let r = l.prim(Div, &[y, sigma]);
    let r2 = l.prim(Mul, &[r, r]);
    let q = l.prim(Mul, &[Atom::Real(-0.5), r2]);
    vec![(0b01, ly), (0b10, t), (0b11, q)]
}

fn binomial_family(l: &mut Lowerer, xs: &[Atom], logit: bool) -> Vec<Term> {
    use Fun::*;
    use Prim::*;
    let (n, big_n, p) = (xs[0], xs[1], xs[2]);
    let nmn = l.prim(Sub, &[big_n, n]);
    // With θ itself, n log θ and (N − n) log(1 − θ) are computed only where the count is not
    // 0, so θ = 0 or 1 is finite where Stan's is.
    let (t1, t2) = if !logit {
        (l.times_log(n, p), l.times_log1m(nmn, p))
    } else {
        let lp = l.prim(LogInvLogit, &[p]);
        let l1mp = l.prim(Log1mInvLogit, &[p]);
        (l.prim(Mul, &[n, lp]), l.prim(Mul, &[nmn, l1mp]))
    };
    let n1 = l.prim(Add, &[big_n, Atom::Real(1.0)]);
    let k1 = l.prim(Add, &[n, Atom::Real(1.0)]);
    let nk1 = l.prim(Add, &[nmn, Atom::Real(1.0)]);
    let a = l.prim(Lgamma, &[n1]);
    let b = l.prim(Lgamma, &[k1]);
    let c = l.prim(Lgamma, &[nk1]);
    let ab = l.prim(Sub, &[a, b]);
    let choose = l.prim(Sub, &[ab, c]);
    vec![(0b111, t1), (0b111, t2), (0b011, choose)]
}

fn binomial(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    binomial_family(l, xs, false)
}

fn binomial_logit(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    binomial_family(l, xs, true)
}

// ---- cumulative distribution functions, per element --------------------------------------------

/// The one term of a log CDF: it depends on every argument.
fn cdf_term(v: Atom) -> Vec<Term> {
    vec![(u32::MAX, v)]
}

impl Lowerer<'_> {
    /// k log x, with 0 log 0 = 0 (Stan's `multiply_log`): where k = 0 the logarithm is taken
    /// of 1 instead, so neither the value nor the gradient sees log 0.
    fn times_log(&mut self, k: Atom, x: Atom) -> Atom {
        self.times_log_of(k, x, Fun::Log)
    }

    /// k log(1 − x), 0 where k = 0 (as `times_log`).
    fn times_log1m(&mut self, k: Atom, x: Atom) -> Atom {
        let nx = self.prim(Prim::Neg, &[x]);
        self.times_log_of(k, nx, Fun::Log1p)
    }

    fn times_log_of(&mut self, k: Atom, x: Atom, log: Fun) -> Atom {
        let zero = self.prim(Prim::Eq, &[k, Atom::Real(0.0)]);
        let neutral = if log == Fun::Log { 1.0 } else { 0.0 };
        let safe = self.prim(Prim::Select, &[zero, Atom::Real(neutral), x]);
        let l = self.prim(log, &[safe]);
        self.prim(Prim::Mul, &[k, l])
    }

    /// `cond ? a : b` (both computed; the gradient flows to the chosen one).
    pub(super) fn select(&mut self, cond: Atom, a: Atom, b: Atom) -> Atom {
        self.prim(Prim::Select, &[cond, a, b])
    }

    /// (y − μ) / σ
    fn standardise(&mut self, y: Atom, mu: Atom, sigma: Atom) -> Atom {
        let d = self.prim(Prim::Sub, &[y, mu]);
        self.prim(Prim::Div, &[d, sigma])
    }

    /// log Φ(z)
    fn log_phi(&mut self, z: Atom) -> Atom {
        let p = self.prim(Fun::Phi, &[z]);
        self.prim(Fun::Log, &[p])
    }

    /// log Φ(−z)
    fn log_phi_neg(&mut self, z: Atom) -> Atom {
        let nz = self.prim(Prim::Neg, &[z]);
        self.log_phi(nz)
    }

    /// log(1 − eˣ) for x ≤ 0.
    fn log1m_exp(&mut self, x: Atom) -> Atom {
        self.prim(Fun::Log1mExp, &[x])
    }

    /// The lower tail ½ I_x(ν/2, ½) of Student's t at t = (y − μ)/σ, x = ν/(ν + t²) (P(Y > y)
    /// for t > 0), and whether t > 0.
    fn student_t_tail(&mut self, xs: &[Atom]) -> (Atom, Atom) {
        let t = self.standardise(xs[0], xs[2], xs[3]);
        let t2 = self.prim(Prim::Mul, &[t, t]);
        let denom = self.prim(Prim::Add, &[xs[1], t2]);
        let x = self.prim(Prim::Div, &[xs[1], denom]);
        let half_nu = self.prim(Prim::Mul, &[Atom::Real(0.5), xs[1]]);
        let ib = self.prim(Fun::IncBeta, &[half_nu, Atom::Real(0.5), x]);
        let tail = self.prim(Prim::Mul, &[Atom::Real(0.5), ib]);
        let upper = self.prim(Prim::Gt, &[t, Atom::Real(0.0)]);
        (tail, upper)
    }

    /// log P(Y ≤ y) (`upper` false) or log P(Y > y) for Student's t.
    fn student_t_log_tail(&mut self, xs: &[Atom], upper_tail: bool) -> Atom {
        let (tail, t_positive) = self.student_t_tail(xs);
        let rest = self.prim(Prim::Sub, &[Atom::Real(1.0), tail]);
        // P(Y > y) is the small tail when t > 0; P(Y ≤ y) is it when t ≤ 0.
        let p = if upper_tail { self.select(t_positive, tail, rest) } else { self.select(t_positive, rest, tail) };
        self.prim(Fun::Log, &[p])
    }

    /// The two-sided tail of the Laplace distribution: for z = (y − μ)/σ, ½ e^(−|z|) and z < 0.
    fn laplace_tail(&mut self, xs: &[Atom]) -> (Atom, Atom) {
        let z = self.standardise(xs[0], xs[1], xs[2]);
        let a = self.prim(Prim::Fabs, &[z]);
        let na = self.prim(Prim::Neg, &[a]);
        let e = self.prim(Fun::Exp, &[na]);
        let half = self.prim(Prim::Mul, &[Atom::Real(0.5), e]);
        let below = self.prim(Prim::Lt, &[z, Atom::Real(0.0)]);
        (half, below)
    }

    /// log of the binomial CDF P(N ≤ n) (`upper` false) or of P(N > n), by the incomplete beta
    /// function: P(N ≤ n) = I_{1−θ}(N − n, n + 1).
    fn binomial_log_tail(&mut self, xs: &[Atom], upper: bool) -> Atom {
        let (n, big_n, theta) = (xs[0], xs[1], xs[2]);
        let all = self.prim(Prim::Ge, &[n, big_n]);
        // Keep the incomplete beta's first argument positive where the answer is known.
        let nmn = self.prim(Prim::Sub, &[big_n, n]);
        let a = self.prim(Prim::Fmax, &[nmn, Atom::Real(1.0)]);
        let n1 = self.prim(Prim::Add, &[n, Atom::Real(1.0)]);
        let p = if upper {
            let ib = self.prim(Fun::IncBeta, &[n1, a, theta]);
            self.select(all, Atom::Real(0.0), ib)
        } else {
            let nt = self.prim(Prim::Sub, &[Atom::Real(1.0), theta]);
            let ib = self.prim(Fun::IncBeta, &[a, n1, nt]);
            self.select(all, Atom::Real(1.0), ib)
        };
        self.prim(Fun::Log, &[p])
    }

    /// log of the negative binomial CDF P(N ≤ n) = I_{φ/(μ+φ)}(φ, n + 1) or of P(N > n).
    fn neg_binomial_2_log_tail(&mut self, xs: &[Atom], upper: bool) -> Atom {
        let (n, mu, phi) = (xs[0], xs[1], xs[2]);
        let s = self.prim(Prim::Add, &[mu, phi]);
        let n1 = self.prim(Prim::Add, &[n, Atom::Real(1.0)]);
        let p = if upper {
            let q = self.prim(Prim::Div, &[mu, s]);
            self.prim(Fun::IncBeta, &[n1, phi, q])
        } else {
            let q = self.prim(Prim::Div, &[phi, s]);
            self.prim(Fun::IncBeta, &[phi, n1, q])
        };
        self.prim(Fun::Log, &[p])
    }
}

fn normal_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let z = l.standardise(xs[0], xs[1], xs[2]);
    cdf_term(l.log_phi(z))
}

fn normal_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let z = l.standardise(xs[0], xs[1], xs[2]);
    cdf_term(l.log_phi_neg(z))
}

fn std_normal_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cdf_term(l.log_phi(xs[0]))
}

fn std_normal_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cdf_term(l.log_phi_neg(xs[0]))
}

fn lognormal_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let ly = l.prim(Fun::Log, &[xs[0]]);
    let z = l.standardise(ly, xs[1], xs[2]);
    cdf_term(l.log_phi(z))
}

fn lognormal_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let ly = l.prim(Fun::Log, &[xs[0]]);
    let z = l.standardise(ly, xs[1], xs[2]);
    cdf_term(l.log_phi_neg(z))
}

/// F(y) = ½ ± atan(z)/π
fn cauchy_log_tail(l: &mut Lowerer, xs: &[Atom], sign: f64) -> Vec<Term> {
    let z = l.standardise(xs[0], xs[1], xs[2]);
    let a = l.prim(Fun::Atan, &[z]);
    let t = l.prim(Prim::Mul, &[a, Atom::Real(sign * std::f64::consts::FRAC_1_PI)]);
    let p = l.prim(Prim::Add, &[Atom::Real(0.5), t]);
    cdf_term(l.prim(Fun::Log, &[p]))
}

fn cauchy_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cauchy_log_tail(l, xs, 1.0)
}

fn cauchy_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cauchy_log_tail(l, xs, -1.0)
}

fn student_t_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cdf_term(l.student_t_log_tail(xs, false))
}

fn student_t_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cdf_term(l.student_t_log_tail(xs, true))
}

/// −β y, the log of P(Y > y).
fn exponential_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let by = l.prim(Prim::Mul, &[xs[1], xs[0]]);
    cdf_term(l.prim(Prim::Neg, &[by]))
}

fn exponential_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let t = exponential_lccdf(l, xs)[0].1;
    cdf_term(l.log1m_exp(t))
}

fn beta_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let p = l.prim(Fun::IncBeta, &[xs[1], xs[2], xs[0]]);
    cdf_term(l.prim(Fun::Log, &[p]))
}

/// 1 − I_y(a, b) = I_{1−y}(b, a)
fn beta_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let y1 = l.prim(Prim::Sub, &[Atom::Real(1.0), xs[0]]);
    let p = l.prim(Fun::IncBeta, &[xs[2], xs[1], y1]);
    cdf_term(l.prim(Fun::Log, &[p]))
}

/// The uniform CDF (y − a)/(b − a), clamped to [0, 1].
fn uniform_cdf(l: &mut Lowerer, xs: &[Atom]) -> Atom {
    let d = l.prim(Prim::Sub, &[xs[0], xs[1]]);
    let w = l.prim(Prim::Sub, &[xs[2], xs[1]]);
    let p = l.prim(Prim::Div, &[d, w]);
    let p = l.prim(Prim::Fmax, &[p, Atom::Real(0.0)]);
    l.prim(Prim::Fmin, &[p, Atom::Real(1.0)])
}

fn uniform_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let p = uniform_cdf(l, xs);
    cdf_term(l.prim(Fun::Log, &[p]))
}

fn uniform_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let p = uniform_cdf(l, xs);
    let np = l.prim(Prim::Neg, &[p]);
    cdf_term(l.prim(Fun::Log1p, &[np]))
}

fn logistic_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let z = l.standardise(xs[0], xs[1], xs[2]);
    cdf_term(l.prim(Fun::LogInvLogit, &[z]))
}

fn logistic_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let z = l.standardise(xs[0], xs[1], xs[2]);
    cdf_term(l.prim(Fun::Log1mInvLogit, &[z]))
}

/// Below μ the CDF is the small tail; above it, one minus it.
fn double_exponential_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let (tail, below) = l.laplace_tail(xs);
    let lt = l.prim(Fun::Log, &[tail]);
    let nt = l.prim(Prim::Neg, &[tail]);
    let l1m = l.prim(Fun::Log1p, &[nt]);
    cdf_term(l.select(below, lt, l1m))
}

fn double_exponential_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let (tail, below) = l.laplace_tail(xs);
    let lt = l.prim(Fun::Log, &[tail]);
    let nt = l.prim(Prim::Neg, &[tail]);
    let l1m = l.prim(Fun::Log1p, &[nt]);
    cdf_term(l.select(below, l1m, lt))
}

/// F(y) = exp(−e^(−z)): log F = −e^(−z).
fn gumbel_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let z = l.standardise(xs[0], xs[1], xs[2]);
    let nz = l.prim(Prim::Neg, &[z]);
    let e = l.prim(Fun::Exp, &[nz]);
    cdf_term(l.prim(Prim::Neg, &[e]))
}

fn gumbel_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let t = gumbel_lcdf(l, xs)[0].1;
    cdf_term(l.log1m_exp(t))
}

/// P(Y > y) = exp(−(y/σ)^α)
fn weibull_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let r = l.prim(Prim::Div, &[xs[0], xs[2]]);
    let p = l.prim(Fun::Pow, &[r, xs[1]]);
    cdf_term(l.prim(Prim::Neg, &[p]))
}

fn weibull_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let t = weibull_lccdf(l, xs)[0].1;
    cdf_term(l.log1m_exp(t))
}

/// P(Y > y) = exp(−y²/(2σ²))
fn rayleigh_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let r = l.prim(Prim::Div, &[xs[0], xs[1]]);
    let r2 = l.prim(Prim::Mul, &[r, r]);
    cdf_term(l.prim(Prim::Mul, &[Atom::Real(-0.5), r2]))
}

fn rayleigh_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let t = rayleigh_lccdf(l, xs)[0].1;
    cdf_term(l.log1m_exp(t))
}

/// P(Y > y) = (y_min / y)^α for y ≥ y_min, else 1.
fn pareto_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let (y, ymin, alpha) = (xs[0], xs[1], xs[2]);
    let lm = l.prim(Fun::Log, &[ymin]);
    let ly = l.prim(Fun::Log, &[y]);
    let d = l.prim(Prim::Sub, &[lm, ly]);
    let t = l.prim(Prim::Mul, &[alpha, d]);
    let below = l.prim(Prim::Lt, &[y, ymin]);
    cdf_term(l.select(below, Atom::Real(0.0), t))
}

fn pareto_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let t = pareto_lccdf(l, xs)[0].1;
    cdf_term(l.log1m_exp(t))
}

/// P(N ≤ n) is 1 − θ below 1 and 1 from there.
fn bernoulli_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let nt = l.prim(Prim::Neg, &[xs[1]]);
    let l1m = l.prim(Fun::Log1p, &[nt]);
    let one = l.prim(Prim::Ge, &[xs[0], Atom::Real(1.0)]);
    cdf_term(l.select(one, Atom::Real(0.0), l1m))
}

fn bernoulli_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let lt = l.prim(Fun::Log, &[xs[1]]);
    let one = l.prim(Prim::Ge, &[xs[0], Atom::Real(1.0)]);
    cdf_term(l.select(one, Atom::Real(f64::NEG_INFINITY), lt))
}

fn binomial_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cdf_term(l.binomial_log_tail(xs, false))
}

fn binomial_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cdf_term(l.binomial_log_tail(xs, true))
}

fn neg_binomial_2_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cdf_term(l.neg_binomial_2_log_tail(xs, false))
}

fn neg_binomial_2_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cdf_term(l.neg_binomial_2_log_tail(xs, true))
}

// ---- more univariate distributions --------------------------------------------------------------

impl Lowerer<'_> {
    /// lgamma(a + b)
    fn lgamma_of_sum(&mut self, a: Atom, b: Atom) -> Atom {
        let s = self.prim(Prim::Add, &[a, b]);
        self.prim(Fun::Lgamma, &[s])
    }
}

/// C(N, n) B(n + α, N − n + β) / B(α, β)
fn beta_binomial(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (n, big_n, a, b) = (xs[0], xs[1], xs[2], xs[3]);
    let choose = l.lchoose(big_n, n);
    let na = l.prim(Add, &[n, a]);
    let nmn = l.prim(Sub, &[big_n, n]);
    let nb = l.prim(Add, &[nmn, b]);
    let num = l.lbeta(na, nb);
    let den = l.lbeta(a, b);
    let nden = l.prim(Neg, &[den]);
    vec![(0b0011, choose), (0b1111, num), (0b1100, nden)]
}

/// Γ(n + r)/(n! Γ(r)) B(α + r, β + n) / B(α, β)
fn beta_neg_binomial(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (n, r, a, b) = (xs[0], xs[1], xs[2], xs[3]);
    let lg_nr = l.lgamma_of_sum(n, r);
    let lg_r = l.prim(Fun::Lgamma, &[r]);
    let t1 = l.prim(Sub, &[lg_nr, lg_r]);
    let n1 = l.prim(Add, &[n, Atom::Real(1.0)]);
    let lg_n = l.prim(Fun::Lgamma, &[n1]);
    let nlg_n = l.prim(Neg, &[lg_n]);
    let ar = l.prim(Add, &[a, r]);
    let bn = l.prim(Add, &[b, n]);
    let num = l.lbeta(ar, bn);
    let den = l.lbeta(a, b);
    let nden = l.prim(Neg, &[den]);
    vec![(0b0011, t1), (0b0001, nlg_n), (0b1111, num), (0b1100, nden)]
}

/// Γ(n + α)/(n! Γ(α)) (β/(1 + β))^α (1/(1 + β))^n
fn neg_binomial(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (n, a, b) = (xs[0], xs[1], xs[2]);
    let lg_na = l.lgamma_of_sum(n, a);
    let lg_a = l.prim(Fun::Lgamma, &[a]);
    let t1 = l.prim(Sub, &[lg_na, lg_a]);
    let n1 = l.prim(Add, &[n, Atom::Real(1.0)]);
    let lg_n = l.prim(Fun::Lgamma, &[n1]);
    let nlg_n = l.prim(Neg, &[lg_n]);
    let lb = l.prim(Fun::Log, &[b]);
    let t2 = l.prim(Mul, &[a, lb]);
    let l1b = l.prim(Fun::Log1p, &[b]);
    let an = l.prim(Add, &[a, n]);
    let t3 = l.prim(Mul, &[an, l1b]);
    let nt3 = l.prim(Neg, &[t3]);
    vec![(0b011, t1), (0b001, nlg_n), (0b110, t2), (0b111, nt3)]
}

/// C(a, n) C(b, N − n) / C(a + b, N)
fn hypergeometric(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (n, big_n, a, b) = (xs[0], xs[1], xs[2], xs[3]);
    let c1 = l.lchoose(a, n);
    let nmn = l.prim(Sub, &[big_n, n]);
    let c2 = l.lchoose(b, nmn);
    let ab = l.prim(Add, &[a, b]);
    let c3 = l.lchoose(ab, big_n);
    let t = l.prim(Add, &[c1, c2]);
    vec![(0b1111, l.prim(Sub, &[t, c3]))]
}

/// 1/(upper − lower + 1) for lower ≤ y ≤ upper, else 0.
fn discrete_range(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (y, lo, hi) = (xs[0], xs[1], xs[2]);
    let w = l.prim(Sub, &[hi, lo]);
    let w = l.prim(Add, &[w, Atom::Real(1.0)]);
    let lw = l.prim(Fun::Log, &[w]);
    let nlw = l.prim(Neg, &[lw]);
    let below = l.prim(Lt, &[y, lo]);
    let above = l.prim(Gt, &[y, hi]);
    let out = l.prim(Or, &[below, above]);
    vec![(0b111, l.select(out, Atom::Real(f64::NEG_INFINITY), nlw))]
}

/// λ/2 exp(λ/2 (2μ + λσ² − 2y)) erfc((μ + λσ² − y)/(√2 σ))
fn exp_mod_normal(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (y, mu, sigma, lambda) = (xs[0], xs[1], xs[2], xs[3]);
    let ll = l.prim(Fun::Log, &[lambda]);
    let s2 = l.prim(Mul, &[sigma, sigma]);
    let ls2 = l.prim(Mul, &[lambda, s2]);
    let half = l.prim(Mul, &[Atom::Real(0.5), ls2]);
    let m = l.prim(Add, &[mu, half]);
    let m = l.prim(Sub, &[m, y]);
    let t = l.prim(Mul, &[lambda, m]);
    let v = l.prim(Add, &[mu, ls2]);
    let v = l.prim(Sub, &[v, y]);
    let den = l.prim(Mul, &[sigma, Atom::Real(std::f64::consts::SQRT_2)]);
    let z = l.prim(Div, &[v, den]);
    let e = l.prim(Fun::Erfc, &[z]);
    let le = l.prim(Fun::Log, &[e]);
    vec![(0b1000, ll), (0b1111, t), (0b1111, le), (0, Atom::Real(-std::f64::consts::LN_2))]
}

/// 1/(ω√(2π)) exp(−z²/2) erfc(−α z/√2), z = (y − ξ)/ω
fn skew_normal(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (y, xi, omega, alpha) = (xs[0], xs[1], xs[2], xs[3]);
    let z = l.standardise(y, xi, omega);
    let z2 = l.prim(Mul, &[z, z]);
    let quad = l.prim(Mul, &[Atom::Real(-0.5), z2]);
    let lo = l.prim(Fun::Log, &[omega]);
    let nlo = l.prim(Neg, &[lo]);
    let az = l.prim(Mul, &[alpha, z]);
    let x = l.prim(Mul, &[az, Atom::Real(-std::f64::consts::FRAC_1_SQRT_2)]);
    let e = l.prim(Fun::Erfc, &[x]);
    let le = l.prim(Fun::Log, &[e]);
    vec![(0b0111, quad), (0b0100, nlo), (0b1111, le), (0, Atom::Real(-LOG_SQRT_TWO_PI))]
}

/// 2τ(1 − τ)/σ exp(−2/σ [(1 − τ)(μ − y) below μ, τ(y − μ) above])
fn skew_double_exponential(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (y, mu, sigma, tau) = (xs[0], xs[1], xs[2], xs[3]);
    let lt = l.prim(Fun::Log, &[tau]);
    let nt = l.prim(Neg, &[tau]);
    let l1mt = l.prim(Fun::Log1p, &[nt]);
    let lt2 = l.prim(Add, &[lt, l1mt]);
    let ls = l.prim(Fun::Log, &[sigma]);
    let nls = l.prim(Neg, &[ls]);
    let d = l.prim(Sub, &[y, mu]);
    let below = l.prim(Lt, &[y, mu]);
    let omt = l.prim(Sub, &[Atom::Real(1.0), tau]);
    let nd = l.prim(Neg, &[d]);
    let lo = l.prim(Mul, &[omt, nd]);
    let hi = l.prim(Mul, &[tau, d]);
    let w = l.select(below, lo, hi);
    let r = l.prim(Div, &[w, sigma]);
    let q = l.prim(Mul, &[Atom::Real(-2.0), r]);
    vec![(0b1000, lt2), (0b0100, nls), (0b1111, q), (0, Atom::Real(std::f64::consts::LN_2))]
}

/// α/σ (y/σ)^(−1−α) exp(−(y/σ)^(−α))
fn frechet(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (y, alpha, sigma) = (xs[0], xs[1], xs[2]);
    let la = l.prim(Fun::Log, &[alpha]);
    let ls = l.prim(Fun::Log, &[sigma]);
    let t1 = l.prim(Mul, &[alpha, ls]);
    let ly = l.prim(Fun::Log, &[y]);
    let a1 = l.prim(Add, &[alpha, Atom::Real(1.0)]);
    let t2 = l.prim(Mul, &[a1, ly]);
    let nt2 = l.prim(Neg, &[t2]);
    let r = l.prim(Div, &[y, sigma]);
    let na = l.prim(Neg, &[alpha]);
    let p = l.prim(Fun::Pow, &[r, na]);
    let np = l.prim(Neg, &[p]);
    vec![(0b010, la), (0b110, t1), (0b011, nt2), (0b111, np)]
}

/// α/λ (1 + (y − μ)/λ)^(−(α + 1))
fn pareto_type_2(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (y, mu, lambda, alpha) = (xs[0], xs[1], xs[2], xs[3]);
    let la = l.prim(Fun::Log, &[alpha]);
    let ll = l.prim(Fun::Log, &[lambda]);
    let nll = l.prim(Neg, &[ll]);
    let z = l.standardise(y, mu, lambda);
    let lz = l.prim(Fun::Log1p, &[z]);
    let a1 = l.prim(Add, &[alpha, Atom::Real(1.0)]);
    let t = l.prim(Mul, &[a1, lz]);
    let nt = l.prim(Neg, &[t]);
    vec![(0b1000, la), (0b0100, nll), (0b1111, nt)]
}

/// (β/α)(y/α)^(β−1) / (1 + (y/α)^β)², α the scale and β the shape
fn loglogistic(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (y, alpha, beta) = (xs[0], xs[1], xs[2]);
    let lb = l.prim(Fun::Log, &[beta]);
    let la = l.prim(Fun::Log, &[alpha]);
    let nla = l.prim(Neg, &[la]);
    let r = l.prim(Div, &[y, alpha]);
    let lr = l.prim(Fun::Log, &[r]);
    let bm1 = l.prim(Sub, &[beta, Atom::Real(1.0)]);
    let t = l.prim(Mul, &[bm1, lr]);
    let p = l.prim(Fun::Pow, &[r, beta]);
    let lp = l.prim(Fun::Log1p, &[p]);
    let t2 = l.prim(Mul, &[Atom::Real(-2.0), lp]);
    vec![(0b100, lb), (0b010, nla), (0b111, t), (0b111, t2)]
}

/// beta(θ | μκ, (1 − μ)κ)
fn beta_proportion(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (y, mu, kappa) = (xs[0], xs[1], xs[2]);
    let a = l.prim(Mul, &[mu, kappa]);
    let omu = l.prim(Sub, &[Atom::Real(1.0), mu]);
    let b = l.prim(Mul, &[omu, kappa]);
    // beta's terms over (y, a, b), with a and b each depending on both μ and κ.
    let widen = |mask: u32| if mask & 0b110 != 0 { (mask & 1) | 0b110 } else { mask };
    beta(l, &[y, a, b]).into_iter().map(|(m, t)| (widen(m), t)).collect()
}

// ---- the CDFs of the gamma family and of the other univariate distributions ---------------------

/// log P(y) and log Q(y) of the regularised incomplete gamma function at (a, x): the CDF and
/// CCDF of a gamma variate with shape a at x times its rate.
fn log_gamma_tail(l: &mut Lowerer, a: Atom, x: Atom, upper: bool) -> Vec<Term> {
    let p = l.prim(if upper { Fun::GammaQ } else { Fun::GammaP }, &[a, x]);
    cdf_term(l.prim(Fun::Log, &[p]))
}

fn gamma_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let x = l.prim(Prim::Mul, &[xs[2], xs[0]]);
    log_gamma_tail(l, xs[1], x, false)
}

fn gamma_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let x = l.prim(Prim::Mul, &[xs[2], xs[0]]);
    log_gamma_tail(l, xs[1], x, true)
}

/// Y ~ inv_gamma(α, β) is below y when β/Y, a gamma(α, 1) variate, is above β/y.
fn inv_gamma_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let x = l.prim(Prim::Div, &[xs[2], xs[0]]);
    log_gamma_tail(l, xs[1], x, true)
}

fn inv_gamma_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let x = l.prim(Prim::Div, &[xs[2], xs[0]]);
    log_gamma_tail(l, xs[1], x, false)
}

/// chi_square(ν) is gamma(ν/2, ½).
fn chi_square_args(l: &mut Lowerer, xs: &[Atom]) -> (Atom, Atom) {
    let a = l.prim(Prim::Mul, &[Atom::Real(0.5), xs[1]]);
    let x = l.prim(Prim::Mul, &[Atom::Real(0.5), xs[0]]);
    (a, x)
}

fn chi_square_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let (a, x) = chi_square_args(l, xs);
    log_gamma_tail(l, a, x, false)
}

fn chi_square_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let (a, x) = chi_square_args(l, xs);
    log_gamma_tail(l, a, x, true)
}

/// inv_chi_square(ν) is inv_gamma(ν/2, ½); scaled_inv_chi_square(ν, s) is inv_gamma(ν/2, ν s²/2).
fn inv_chi_square_args(l: &mut Lowerer, xs: &[Atom]) -> (Atom, Atom) {
    let a = l.prim(Prim::Mul, &[Atom::Real(0.5), xs[1]]);
    let beta = match xs.get(2) {
        Some(&s) => {
            let s2 = l.prim(Prim::Mul, &[s, s]);
            l.prim(Prim::Mul, &[a, s2])
        }
        None => Atom::Real(0.5),
    };
    (a, l.prim(Prim::Div, &[beta, xs[0]]))
}

fn inv_chi_square_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let (a, x) = inv_chi_square_args(l, xs);
    log_gamma_tail(l, a, x, true)
}

fn inv_chi_square_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let (a, x) = inv_chi_square_args(l, xs);
    log_gamma_tail(l, a, x, false)
}

fn scaled_inv_chi_square_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    inv_chi_square_lcdf(l, xs)
}

fn scaled_inv_chi_square_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    inv_chi_square_lccdf(l, xs)
}

/// P(N ≤ n) = Q(n + 1, λ)
fn poisson_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let n1 = l.prim(Prim::Add, &[xs[0], Atom::Real(1.0)]);
    log_gamma_tail(l, n1, xs[1], true)
}

fn poisson_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let n1 = l.prim(Prim::Add, &[xs[0], Atom::Real(1.0)]);
    log_gamma_tail(l, n1, xs[1], false)
}

/// neg_binomial(α, β) is neg_binomial_2 with φ = α, μ = α/β: P(N ≤ n) = I_{β/(1+β)}(α, n + 1).
fn neg_binomial_mean(l: &mut Lowerer, xs: &[Atom]) -> [Atom; 3] {
    let mu = l.prim(Prim::Div, &[xs[1], xs[2]]);
    [xs[0], mu, xs[1]]
}

fn neg_binomial_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let args = neg_binomial_mean(l, xs);
    cdf_term(l.neg_binomial_2_log_tail(&args, false))
}

fn neg_binomial_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let args = neg_binomial_mean(l, xs);
    cdf_term(l.neg_binomial_2_log_tail(&args, true))
}

/// F(y) = Φ(z) − exp(−λ(y − μ) + (λσ)²/2) Φ(z − λσ), z = (y − μ)/σ.
fn exp_mod_normal_cdf(l: &mut Lowerer, xs: &[Atom]) -> Atom {
    use Prim::*;
    let (y, mu, sigma, lambda) = (xs[0], xs[1], xs[2], xs[3]);
    let z = l.standardise(y, mu, sigma);
    let pz = l.prim(Fun::Phi, &[z]);
    let ls = l.prim(Mul, &[lambda, sigma]);
    let zl = l.prim(Sub, &[z, ls]);
    let pzl = l.prim(Fun::Phi, &[zl]);
    let d = l.prim(Sub, &[y, mu]);
    let e1 = l.prim(Mul, &[lambda, d]);
    let ls2 = l.prim(Mul, &[ls, ls]);
    let e2 = l.prim(Mul, &[Atom::Real(0.5), ls2]);
    let e = l.prim(Sub, &[e2, e1]);
    let w = l.prim(Fun::Exp, &[e]);
    let t = l.prim(Mul, &[w, pzl]);
    l.prim(Sub, &[pz, t])
}

fn exp_mod_normal_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let f = exp_mod_normal_cdf(l, xs);
    cdf_term(l.prim(Fun::Log, &[f]))
}

fn exp_mod_normal_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let f = exp_mod_normal_cdf(l, xs);
    let nf = l.prim(Prim::Neg, &[f]);
    cdf_term(l.prim(Fun::Log1p, &[nf]))
}

/// F(y) = Φ(z) − 2 T(z, α), T Owen's.
fn skew_normal_cdf(l: &mut Lowerer, xs: &[Atom]) -> Atom {
    let z = l.standardise(xs[0], xs[1], xs[2]);
    let pz = l.prim(Fun::Phi, &[z]);
    let t = l.prim(Fun::OwensT, &[z, xs[3]]);
    let t2 = l.prim(Prim::Mul, &[Atom::Real(2.0), t]);
    l.prim(Prim::Sub, &[pz, t2])
}

fn skew_normal_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let f = skew_normal_cdf(l, xs);
    cdf_term(l.prim(Fun::Log, &[f]))
}

fn skew_normal_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let f = skew_normal_cdf(l, xs);
    let nf = l.prim(Prim::Neg, &[f]);
    cdf_term(l.prim(Fun::Log1p, &[nf]))
}

/// Below μ, F(y) = τ exp(−2(1 − τ)(μ − y)/σ); above, 1 − F(y) = (1 − τ) exp(−2τ(y − μ)/σ).
/// Returns (log of the tail on y's side, whether y is below μ).
fn skew_double_exponential_tail(l: &mut Lowerer, xs: &[Atom]) -> (Atom, Atom) {
    use Prim::*;
    let (y, mu, sigma, tau) = (xs[0], xs[1], xs[2], xs[3]);
    let below = l.prim(Lt, &[y, mu]);
    let d = l.prim(Sub, &[y, mu]);
    let omt = l.prim(Sub, &[Atom::Real(1.0), tau]);
    // The side's weight w (τ below, 1 − τ above) and rate r ((1 − τ) below, τ above).
    let w = l.prim(Select, &[below, tau, omt]);
    let r = l.prim(Select, &[below, omt, tau]);
    let ad = l.prim(Fabs, &[d]);
    let e = l.prim(Mul, &[r, ad]);
    let e = l.prim(Div, &[e, sigma]);
    let e = l.prim(Mul, &[Atom::Real(-2.0), e]);
    let lw = l.prim(Fun::Log, &[w]);
    (l.prim(Add, &[lw, e]), below)
}

fn skew_double_exponential_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let (t, below) = skew_double_exponential_tail(l, xs);
    let other = l.log1m_exp(t);
    cdf_term(l.select(below, t, other))
}

fn skew_double_exponential_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let (t, below) = skew_double_exponential_tail(l, xs);
    let other = l.log1m_exp(t);
    cdf_term(l.select(below, other, t))
}

/// F(y) = exp(−(y/σ)^(−α))
fn frechet_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let r = l.prim(Prim::Div, &[xs[0], xs[2]]);
    let na = l.prim(Prim::Neg, &[xs[1]]);
    let p = l.prim(Fun::Pow, &[r, na]);
    cdf_term(l.prim(Prim::Neg, &[p]))
}

fn frechet_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let t = frechet_lcdf(l, xs)[0].1;
    cdf_term(l.log1m_exp(t))
}

/// P(Y > y) = (1 + (y − μ)/λ)^(−α)
fn pareto_type_2_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let z = l.standardise(xs[0], xs[1], xs[2]);
    let lz = l.prim(Fun::Log1p, &[z]);
    let t = l.prim(Prim::Mul, &[xs[3], lz]);
    cdf_term(l.prim(Prim::Neg, &[t]))
}

fn pareto_type_2_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let t = pareto_type_2_lccdf(l, xs)[0].1;
    cdf_term(l.log1m_exp(t))
}

/// F(y) = 1/(1 + (y/α)^(−β)): log F = −log1p((y/α)^(−β)), log(1 − F) = −log1p((y/α)^β).
fn loglogistic_log_tail(l: &mut Lowerer, xs: &[Atom], upper: bool) -> Vec<Term> {
    let r = l.prim(Prim::Div, &[xs[0], xs[1]]);
    let b = if upper { xs[2] } else { l.prim(Prim::Neg, &[xs[2]]) };
    let p = l.prim(Fun::Pow, &[r, b]);
    let lp = l.prim(Fun::Log1p, &[p]);
    cdf_term(l.prim(Prim::Neg, &[lp]))
}

fn loglogistic_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    loglogistic_log_tail(l, xs, false)
}

fn loglogistic_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    loglogistic_log_tail(l, xs, true)
}

/// beta_proportion(μ, κ) is beta(μκ, (1 − μ)κ).
fn beta_proportion_args(l: &mut Lowerer, xs: &[Atom]) -> [Atom; 3] {
    let a = l.prim(Prim::Mul, &[xs[1], xs[2]]);
    let omu = l.prim(Prim::Sub, &[Atom::Real(1.0), xs[1]]);
    let b = l.prim(Prim::Mul, &[omu, xs[2]]);
    [xs[0], a, b]
}

fn beta_proportion_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let args = beta_proportion_args(l, xs);
    beta_lcdf(l, &args)
}

fn beta_proportion_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let args = beta_proportion_args(l, xs);
    beta_lccdf(l, &args)
}

/// (y − lower + 1)/(upper − lower + 1), clamped to [0, 1].
fn discrete_range_cdf(l: &mut Lowerer, xs: &[Atom]) -> Atom {
    use Prim::*;
    let (y, lo, hi) = (xs[0], xs[1], xs[2]);
    let num = l.prim(Sub, &[y, lo]);
    let num = l.prim(Add, &[num, Atom::Real(1.0)]);
    let den = l.prim(Sub, &[hi, lo]);
    let den = l.prim(Add, &[den, Atom::Real(1.0)]);
    let p = l.prim(Div, &[num, den]);
    let p = l.prim(Fmax, &[p, Atom::Real(0.0)]);
    l.prim(Fmin, &[p, Atom::Real(1.0)])
}

fn discrete_range_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let p = discrete_range_cdf(l, xs);
    cdf_term(l.prim(Fun::Log, &[p]))
}

fn discrete_range_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let p = discrete_range_cdf(l, xs);
    let np = l.prim(Prim::Neg, &[p]);
    cdf_term(l.prim(Fun::Log1p, &[np]))
}

/// κ cos(y − μ) − log(2π I₀(κ))
fn von_mises(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    use Prim::*;
    let (y, mu, kappa) = (xs[0], xs[1], xs[2]);
    let d = l.prim(Sub, &[y, mu]);
    let c = l.prim(Fun::Cos, &[d]);
    let t = l.prim(Mul, &[kappa, c]);
    let li0 = l.prim(Fun::LogModifiedBesselFirstKind, &[Atom::Real(0.0), kappa]);
    let nli0 = l.prim(Neg, &[li0]);
    vec![(0b111, t), (0b100, nli0), (0, Atom::Real(-(2.0 * std::f64::consts::PI).ln()))]
}

/// log Σ_{k = lo..=hi} p(k | xs[1..]) of a mass function given by its terms, the sum taken in
/// the IR (so its gradient is the sum's); the bounds are ints carried as reals.
fn log_mass(l: &mut Lowerer, lo: Atom, hi: Atom, xs: &[Atom], pmf: Terms) -> Atom {
    let lo = l.prim(Prim::ToInt, &[lo]);
    let hi = l.prim(Prim::ToInt, &[hi]);
    let mass = l.reduce_range(lo, hi, &mut |l, k| {
        let mut at = xs.to_vec();
        at[0] = l.prim(Prim::ToReal, &[k]);
        let terms = pmf(l, &at);
        let lp = terms.iter().fold(Atom::Real(0.0), |acc, (_, t)| l.prim(Prim::Add, &[acc, *t]));
        l.prim(Fun::Exp, &[lp])
    });
    l.prim(Fun::Log, &[mass])
}

/// P(Y ≤ n): the mass of 0..=n (all of it from n ≥ N on).
fn beta_binomial_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let hi = l.prim(Prim::Fmin, &[xs[0], xs[1]]);
    cdf_term(log_mass(l, Atom::Real(0.0), hi, xs, beta_binomial))
}

/// P(Y > n): the mass of n+1..=N (−∞ from n ≥ N on: an empty sum).
fn beta_binomial_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let lo = l.prim(Prim::Add, &[xs[0], Atom::Real(1.0)]);
    cdf_term(log_mass(l, lo, xs[1], xs, beta_binomial))
}

/// P(Y ≤ n): the mass of 0..=n.
fn beta_neg_binomial_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cdf_term(log_mass(l, Atom::Real(0.0), xs[0], xs, beta_neg_binomial))
}

/// P(Y > n) = 1 − P(Y ≤ n): the support is unbounded, so the complement of the finite sum
/// (precise while the CDF is not within ~1e-12 of 1).
fn beta_neg_binomial_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    let lcdf = log_mass(l, Atom::Real(0.0), xs[0], xs, beta_neg_binomial);
    cdf_term(l.log1m_exp(lcdf))
}

/// log P(a < Y ≤ b) of the von Mises distribution about μ, for −π ≤ a ≤ b ≤ π: G(b − μ) −
/// G(a − μ) with G its distribution function about 0 unwrapped to the whole line
/// (G(x + 2π) = G(x) + 1), so the mass is one difference wherever μ lies.
fn von_mises_log_mass(l: &mut Lowerer, a: Atom, b: Atom, mu: Atom, kappa: Atom) -> Atom {
    let da = l.prim(Prim::Sub, &[a, mu]);
    let db = l.prim(Prim::Sub, &[b, mu]);
    let ga = l.prim(Fun::VonMisesCdfCentered, &[da, kappa]);
    let gb = l.prim(Fun::VonMisesCdfCentered, &[db, kappa]);
    let p = l.prim(Prim::Sub, &[gb, ga]);
    let p = l.prim(Prim::Fmax, &[p, Atom::Real(0.0)]);
    l.prim(Fun::Log, &[p])
}

/// P(Y ≤ y) for y in [−π, π]: the mass from −π.
fn von_mises_lcdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cdf_term(von_mises_log_mass(l, Atom::Real(-std::f64::consts::PI), xs[0], xs[1], xs[2]))
}

/// P(Y > y): the mass up to π, a difference of its own so the upper tail keeps its precision.
fn von_mises_lccdf(l: &mut Lowerer, xs: &[Atom]) -> Vec<Term> {
    cdf_term(von_mises_log_mass(l, xs[0], Atom::Real(std::f64::consts::PI), xs[1], xs[2]))
}
