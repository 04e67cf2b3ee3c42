//! The scalar functions compiled code calls: one entry per function, the only declaration of it.
//!
//! An entry gives the function's IR name, its parameters, its implementation on `f64` and its
//! partial derivatives, one per parameter, written as formulas over the parameters and `f` (the
//! function's value). From that entry alone:
//! - the runtime exports `vppl_<name>`, an `extern "C"` wrapper of the implementation
//!   ([`Fun::native`], listed by `runtime::abi::symbols`), and codegen calls it by that name;
//! - the compiler folds a call with constant operands by calling the same implementation, so
//!   folded and run-time values agree to the bit;
//! - reverse-mode differentiation builds each operand's adjoint `g ∂f/∂xᵢ` from the formula
//!   (`compiler/src/ad/partials.rs`), and what the reverse sweep reads is the formula's free
//!   variables.
//!
//! A formula is arithmetic (`+ - * /`, unary `-`, parentheses, decimal numbers) over the
//! parameters, `f`, and calls of other functions of this table or `sqrt`/`abs`. A function with
//! no partials is internal: only adjoint rules produce it, and nothing differentiates it.
//!
//! To add a function: one line below, then its name in `compiler/src/sema/builtins/functions.rs`,
//! a row in `tests/tests/primitives.rs` (its gradient against finite differences) and reference
//! values from `stdlib/tests/data/generate_special_reference.py` (ARCHITECTURE.md, "Adding a
//! built-in").

use crate::{special, wiener};

/// The implementation of a scalar function as compiled code calls it.
#[derive(Clone, Copy, Debug)]
pub enum Native {
    F1(extern "C" fn(f64) -> f64),
    F2(extern "C" fn(f64, f64) -> f64),
    F3(extern "C" fn(f64, f64, f64) -> f64),
    F4(extern "C" fn(f64, f64, f64, f64) -> f64),
    F5(extern "C" fn(f64, f64, f64, f64, f64) -> f64),
    F6(extern "C" fn(f64, f64, f64, f64, f64, f64) -> f64),
    F7(extern "C" fn(f64, f64, f64, f64, f64, f64, f64) -> f64),
}

impl Native {
    /// The address compiled code calls.
    pub fn address(self) -> *const u8 {
        match self {
            Native::F1(f) => f as *const u8,
            Native::F2(f) => f as *const u8,
            Native::F3(f) => f as *const u8,
            Native::F4(f) => f as *const u8,
            Native::F5(f) => f as *const u8,
            Native::F6(f) => f as *const u8,
            Native::F7(f) => f as *const u8,
        }
    }

    /// The function at `x` (which has the function's arity).
    pub fn eval(self, x: &[f64]) -> f64 {
        match (self, x) {
            (Native::F1(f), [a]) => f(*a),
            (Native::F2(f), [a, b]) => f(*a, *b),
            (Native::F3(f), [a, b, c]) => f(*a, *b, *c),
            (Native::F4(f), [a, b, c, d]) => f(*a, *b, *c, *d),
            (Native::F5(f), [a, b, c, d, e]) => f(*a, *b, *c, *d, *e),
            (Native::F6(f), [a, b, c, d, e, g]) => f(*a, *b, *c, *d, *e, *g),
            (Native::F7(f), [a, b, c, d, e, g, h]) => f(*a, *b, *c, *d, *e, *g, *h),
            _ => f64::NAN,
        }
    }
}

macro_rules! native {
    ($imp:expr; $a:ident) => {{
        extern "C" fn call($a: f64) -> f64 {
            ($imp)($a)
        }
        Native::F1(call)
    }};
    ($imp:expr; $a:ident, $b:ident) => {{
        extern "C" fn call($a: f64, $b: f64) -> f64 {
            ($imp)($a, $b)
        }
        Native::F2(call)
    }};
    ($imp:expr; $a:ident, $b:ident, $c:ident) => {{
        extern "C" fn call($a: f64, $b: f64, $c: f64) -> f64 {
            ($imp)($a, $b, $c)
        }
        Native::F3(call)
    }};
    ($imp:expr; $a:ident, $b:ident, $c:ident, $d:ident) => {{
        extern "C" fn call($a: f64, $b: f64, $c: f64, $d: f64) -> f64 {
            ($imp)($a, $b, $c, $d)
        }
        Native::F4(call)
    }};
    ($imp:expr; $a:ident, $b:ident, $c:ident, $d:ident, $e:ident) => {{
        extern "C" fn call($a: f64, $b: f64, $c: f64, $d: f64, $e: f64) -> f64 {
            ($imp)($a, $b, $c, $d, $e)
        }
        Native::F5(call)
    }};
    ($imp:expr; $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident) => {{
        extern "C" fn call($a: f64, $b: f64, $c: f64, $d: f64, $e: f64, $f: f64) -> f64 {
            ($imp)($a, $b, $c, $d, $e, $f)
        }
        Native::F6(call)
    }};
    ($imp:expr; $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident) => {{
        extern "C" fn call($a: f64, $b: f64, $c: f64, $d: f64, $e: f64, $f: f64, $g: f64) -> f64 {
            ($imp)($a, $b, $c, $d, $e, $f, $g)
        }
        Native::F7(call)
    }};
}

macro_rules! scalar_functions {
    ($( $(#[$doc:meta])* $variant:ident $name:literal ($($param:ident),+) = $imp:expr, [$($partial:literal),*]; )*) => {
        /// A scalar function of the table: `Prim::Fn` in the IR.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Fun {
            $($(#[$doc])* $variant,)*
        }

        impl Fun {
            /// Every function of the table, in table order.
            pub const ALL: &'static [Fun] = &[$(Fun::$variant,)*];

            /// The name the IR prints and formulas call it by.
            pub fn name(self) -> &'static str {
                match self {
                    $(Fun::$variant => $name,)*
                }
            }

            /// The runtime symbol compiled code calls.
            pub fn symbol(self) -> &'static str {
                match self {
                    $(Fun::$variant => concat!("vppl_", $name),)*
                }
            }

            /// The parameters' names, as the partials' formulas use them.
            pub fn params(self) -> &'static [&'static str] {
                match self {
                    $(Fun::$variant => &[$(stringify!($param)),+],)*
                }
            }

            pub fn arity(self) -> usize {
                self.params().len()
            }

            /// ∂f/∂(parameter i), one formula per parameter; empty for an internal function.
            pub fn partials(self) -> &'static [&'static str] {
                match self {
                    $(Fun::$variant => &[$($partial),*],)*
                }
            }

            pub fn native(self) -> Native {
                match self {
                    $(Fun::$variant => native!($imp; $($param),+),)*
                }
            }

            pub fn by_name(name: &str) -> Option<Fun> {
                Fun::ALL.iter().copied().find(|f| f.name() == name)
            }
        }
    };
}

scalar_functions! {
    Exp "exp"(x) = f64::exp, ["f"];
    Log "log"(x) = f64::ln, ["1 / x"];
    Log1p "log1p"(x) = f64::ln_1p, ["1 / (x + 1)"];
    Expm1 "expm1"(x) = f64::exp_m1, ["f + 1"];
    Pow "pow"(x, y) = f64::powf, ["y * pow(x, y - 1)", "f * log(x)"];
    Sin "sin"(x) = f64::sin, ["cos(x)"];
    Cos "cos"(x) = f64::cos, ["-sin(x)"];
    Tan "tan"(x) = f64::tan, ["f * f + 1"];
    Tanh "tanh"(x) = f64::tanh, ["1 - f * f"];
    Atan "atan"(x) = f64::atan, ["1 / (x * x + 1)"];
    /// Rounds half away from zero; piecewise constant.
    Round "round"(x) = f64::round, ["0"];
    Lgamma "lgamma"(x) = special::lgamma, ["digamma(x)"];
    Digamma "digamma"(x) = special::digamma, ["trigamma(x)"];
    Trigamma "trigamma"(x) = special::trigamma, ["tetragamma(x)"];
    /// The derivative of trigamma; only trigamma's adjoint produces it. Its own derivative
    /// makes trigamma twice differentiable, for the Hessian.
    Tetragamma "tetragamma"(x) = special::tetragamma, ["pentagamma(x)"];
    Pentagamma "pentagamma"(x) = special::pentagamma, [];
    /// The regularised incomplete beta function I_x(a, b).
    IncBeta "inc_beta"(a, b, x) = special::inc_beta, ["inc_beta_da(a, b, x)", "inc_beta_db(a, b, x)", "inc_beta_dx(a, b, x)"];
    /// Its partial derivatives; only its adjoint produces them. The one in x, the beta density
    /// x^(a−1) (1−x)^(b−1) / B(a, b), has partials of its own, for the Hessian.
    IncBetaDa "inc_beta_da"(a, b, x) = |a, b, x| special::inc_beta_grad(a, b, x).1, [];
    IncBetaDb "inc_beta_db"(a, b, x) = |a, b, x| special::inc_beta_grad(a, b, x).2, [];
    IncBetaDx "inc_beta_dx"(a, b, x) = special::inc_beta_deriv_x, ["f * (log(x) - digamma(a) + digamma(a + b))", "f * (log1p(-x) - digamma(b) + digamma(a + b))", "f * ((a - 1) / x - (b - 1) / (1 - x))"];
    Erf "erf"(x) = special::erf, ["1.1283791670955126 * exp(-(x * x))"];
    Erfc "erfc"(x) = special::erfc, ["-1.1283791670955126 * exp(-(x * x))"];
    Phi "phi"(x) = special::Phi, ["0.3989422804014327 * exp(-0.5 * (x * x))"];
    InvPhi "inv_phi"(x) = special::inv_Phi, ["1 / (0.3989422804014327 * exp(-0.5 * (f * f)))"];
    Log1pExp "log1p_exp"(x) = special::log1p_exp, ["inv_logit(x)"];
    Log1mExp "log1m_exp"(x) = special::log1m_exp, ["-(1 / expm1(-x))"];
    InvLogit "inv_logit"(x) = special::inv_logit, ["f * (1 - f)"];
    LogInvLogit "log_inv_logit"(x) = special::log_inv_logit, ["inv_logit(-x)"];
    Log1mInvLogit "log1m_inv_logit"(x) = special::log1m_inv_logit, ["-inv_logit(x)"];
    Asin "asin"(x) = f64::asin, ["1 / sqrt(1 - x * x)"];
    Acos "acos"(x) = f64::acos, ["-(1 / sqrt(1 - x * x))"];
    Asinh "asinh"(x) = f64::asinh, ["1 / sqrt(x * x + 1)"];
    Acosh "acosh"(x) = special::acosh, ["1 / sqrt(x * x - 1)"];
    Atanh "atanh"(x) = special::atanh, ["1 / (1 - x * x)"];
    Sinh "sinh"(x) = f64::sinh, ["cosh(x)"];
    Cosh "cosh"(x) = f64::cosh, ["sinh(x)"];
    Cbrt "cbrt"(x) = f64::cbrt, ["1 / (3 * (f * f))"];
    Exp2 "exp2"(x) = f64::exp2, ["0.6931471805599453 * f"];
    /// Rounds toward zero; piecewise constant.
    Trunc "trunc"(x) = f64::trunc, ["0"];
    Tgamma "tgamma"(x) = special::tgamma, ["f * digamma(x)"];
    InvCloglog "inv_cloglog"(x) = special::inv_cloglog, ["exp(x - exp(x))"];
    PhiApprox "phi_approx"(x) = special::Phi_approx, ["f * (1 - f) * (0.21168 * (x * x) + 1.5976)"];
    InvErfc "inv_erfc"(x) = special::inv_erfc, ["-0.886226925452758 * exp(f * f)"];
    /// Φ⁻¹(exp(x)).
    StdNormalLogQf "std_normal_log_qf"(x) = special::std_normal_log_qf, ["exp(x + 0.9189385332046728 + 0.5 * (f * f))"];
    LambertW0 "lambert_w0"(x) = special::lambert_w0, ["1 / (x + exp(f))"];
    LambertWm1 "lambert_wm1"(x) = special::lambert_wm1, ["1 / (x + exp(f))"];
    /// atan2(y, x), the angle of the point (x, y).
    Atan2 "atan2"(y, x) = f64::atan2, ["x / (x * x + y * y)", "-(y / (x * x + y * y))"];
    /// C's fmod: x − trunc(x / y) y.
    Fmod "fmod"(x, y) = |x: f64, y: f64| x % y, ["1", "-trunc(x / y)"];
    Lmultiply "lmultiply"(x, y) = special::lmultiply, ["log(y)", "x / y"];
    /// x 2ⁿ of an int n.
    Ldexp "ldexp"(x, n) = special::ldexp, ["exp2(n)", "0"];
    Beta "beta"(a, b) = special::beta, ["f * (digamma(a) - digamma(a + b))", "f * (digamma(b) - digamma(a + b))"];
    LogInvLogitDiff "log_inv_logit_diff"(x, y) = special::log_inv_logit_diff, ["-(1 / expm1(y - x)) - inv_logit(x)", "-(1 / expm1(x - y)) - inv_logit(y)"];
    /// The log loss of an int outcome y, 0 or 1 (so ∂/∂p is −1/p or 1/(1 − p)).
    BinaryLogLoss "binary_log_loss"(y, p) = special::binary_log_loss, ["0", "1 / (1 - y - p)"];
    /// Of an int n.
    FallingFactorial "falling_factorial"(x, n) = special::falling_factorial, ["falling_factorial_dx(x, n)", "0"];
    /// Of an int n.
    RisingFactorial "rising_factorial"(x, n) = special::rising_factorial, ["rising_factorial_dx(x, n)", "0"];
    /// Their derivatives in x (by the product rule, so also at their zeros); only their adjoints
    /// produce them.
    FallingFactorialDx "falling_factorial_dx"(x, n) = special::falling_factorial_dx, [];
    RisingFactorialDx "rising_factorial_dx"(x, n) = special::rising_factorial_dx, [];
    LogFallingFactorial "log_falling_factorial"(x, n) = special::log_falling_factorial, ["digamma(x + 1) - digamma(x - n + 1)", "digamma(x - n + 1)"];
    LogRisingFactorial "log_rising_factorial"(x, n) = special::log_rising_factorial, ["digamma(x + n) - digamma(x)", "digamma(x + n)"];
    /// The log multivariate gamma function of an int dimension k.
    Lmgamma "lmgamma"(k, x) = special::lmgamma_real, ["0", "lmgamma_dx(k, x)"];
    /// Its derivative in x; only its adjoint produces it. Its own derivative (a sum of
    /// trigammas) makes lmgamma twice differentiable, for the Hessian.
    LmgammaDx "lmgamma_dx"(k, x) = special::lmgamma_deriv_real, ["0", "lmgamma_dx2(k, x)"];
    LmgammaDx2 "lmgamma_dx2"(k, x) = special::lmgamma_deriv2_real, [];
    GammaP "gamma_p"(a, x) = special::gamma_p, ["gamma_p_da(a, x)", "gamma_p_dx(a, x)"];
    GammaQ "gamma_q"(a, x) = special::gamma_q, ["-gamma_p_da(a, x)", "-gamma_p_dx(a, x)"];
    /// The partial derivatives of P(a, x); only adjoints produce them. The one in x, the gamma
    /// density x^(a−1) e^(−x) / Γ(a), has partials of its own, for the Hessian.
    GammaPDa "gamma_p_da"(a, x) = |a, x| special::gamma_p_grad_a(a, x).1, [];
    GammaPDx "gamma_p_dx"(a, x) = special::gamma_p_deriv_x, ["f * (log(x) - digamma(a))", "f * ((a - 1) / x - 1)"];
    /// Owen's T(h, a).
    OwensT "owens_t"(h, a) = special::owens_t, ["-0.19947114020071635 * exp(-0.5 * (h * h)) * erf(0.7071067811865476 * (a * h))", "exp(-0.5 * (h * h) * (1 + a * a)) / (6.283185307179586 * (1 + a * a))"];
    /// x with inc_beta(a, b, x) = p; its partials by the implicit function theorem.
    InvIncBeta "inv_inc_beta"(a, b, p) = special::inv_inc_beta, ["-(inc_beta_da(a, b, f) / inc_beta_dx(a, b, f))", "-(inc_beta_db(a, b, f) / inc_beta_dx(a, b, f))", "1 / inc_beta_dx(a, b, f)"];
    /// Bessel functions of an int order n: J_n, Y_n, I_n, K_n.
    BesselFirstKind "bessel_first_kind"(n, x) = special::bessel_first_kind, ["0", "(bessel_first_kind(n - 1, x) - bessel_first_kind(n + 1, x)) / 2"];
    BesselSecondKind "bessel_second_kind"(n, x) = special::bessel_second_kind, ["0", "(bessel_second_kind(n - 1, x) - bessel_second_kind(n + 1, x)) / 2"];
    ModifiedBesselFirstKind "modified_bessel_first_kind"(n, x) = special::modified_bessel_first_kind, ["0", "(modified_bessel_first_kind(n - 1, x) + modified_bessel_first_kind(n + 1, x)) / 2"];
    ModifiedBesselSecondKind "modified_bessel_second_kind"(n, x) = special::modified_bessel_second_kind, ["0", "-((modified_bessel_second_kind(n - 1, x) + modified_bessel_second_kind(n + 1, x)) / 2)"];
    /// ln I_v(z) of a real order v: ∂/∂z = I_{v+1}(z)/I_v(z) + v/z.
    LogModifiedBesselFirstKind "log_modified_bessel_first_kind"(v, z) = special::log_modified_bessel_first_kind, ["log_modified_bessel_first_kind_dv(v, z)", "exp(log_modified_bessel_first_kind(v + 1, z) - f) + v / z"];
    /// Gauss's hypergeometric function ₂F₁(a, b; c; z): ∂/∂z = (ab/c) ₂F₁(a + 1, b + 1; c + 1; z).
    Hypergeometric2F1 "hypergeometric_2f1"(a, b, c, z) = special::hypergeometric_2F1, ["hypergeometric_2f1_da(a, b, c, z)", "hypergeometric_2f1_db(a, b, c, z)", "hypergeometric_2f1_dc(a, b, c, z)", "a * b / c * hypergeometric_2f1(a + 1, b + 1, c + 1, z)"];
    /// Its derivatives in the parameters; only its adjoint produces them.
    Hypergeometric2F1Da "hypergeometric_2f1_da"(a, b, c, z) = |a, b, c, z| special::hypergeometric_2F1_grad(a, b, c, z)[1], [];
    Hypergeometric2F1Db "hypergeometric_2f1_db"(a, b, c, z) = |a, b, c, z| special::hypergeometric_2F1_grad(a, b, c, z)[2], [];
    Hypergeometric2F1Dc "hypergeometric_2f1_dc"(a, b, c, z) = |a, b, c, z| special::hypergeometric_2F1_grad(a, b, c, z)[3], [];
    /// The von Mises distribution function about 0 at concentration κ, unwrapped to the whole
    /// line (G(x + 2π) = G(x) + 1): ∂/∂x is the density, ∂/∂κ has no closed form.
    VonMisesCdfCentered "von_mises_cdf_centered"(x, k) = special::von_mises_cdf_centered, ["exp(k * cos(x) - log_modified_bessel_first_kind(0, k)) / 6.283185307179586", "von_mises_cdf_centered_dk(x, k)"];
    /// Its derivative in κ (of the series as summed); only its adjoint produces it.
    VonMisesCdfCenteredDk "von_mises_cdf_centered_dk"(x, k) = |x, k| special::von_mises_cdf_centered_grad(x, k)[1], [];
    /// Its derivative in the order; only its adjoint produces it.
    LogModifiedBesselFirstKindDv "log_modified_bessel_first_kind_dv"(v, z) = special::log_modified_bessel_first_kind_dv, [];
    /// ln g(u | β): the density of the time u at which a driftless Wiener process started at β
    /// first reaches 1, absorbed at 0 and 1 (`wiener` densities are elementary around it).
    WienerLogStd "wiener_log_std"(u, beta) = wiener::log_std, ["wiener_log_std_du(u, beta)", "wiener_log_std_dbeta(u, beta)"];
    /// Its partials (the series of the terms' derivatives); only its adjoint produces them.
    WienerLogStdDu "wiener_log_std_du"(u, beta) = |u, beta| wiener::log_std_grad(u, beta).1, [];
    WienerLogStdDbeta "wiener_log_std_dbeta"(u, beta) = |u, beta| wiener::log_std_grad(u, beta).2, [];
    /// The seven-parameter Wiener log density at t = y − τ: the five-parameter density averaged
    /// over a uniform start (width sw) and a uniform non-decision time (width st0).
    WienerFull "wiener_full"(t, a, beta, delta, sv, sw, st0) = wiener::log_full, [
        "wiener_full_dt(t, a, beta, delta, sv, sw, st0)",
        "wiener_full_da(t, a, beta, delta, sv, sw, st0)",
        "wiener_full_dbeta(t, a, beta, delta, sv, sw, st0)",
        "wiener_full_ddelta(t, a, beta, delta, sv, sw, st0)",
        "wiener_full_dsv(t, a, beta, delta, sv, sw, st0)",
        "wiener_full_dsw(t, a, beta, delta, sv, sw, st0)",
        "wiener_full_dst0(t, a, beta, delta, sv, sw, st0)"
    ];
    /// Its partials (ratios of integrals, computed together once per point); only its adjoint
    /// produces them.
    WienerFullDt "wiener_full_dt"(t, a, beta, delta, sv, sw, st0) = |t, a, b, d, sv, sw, st0| wiener::full_grad(t, a, b, d, sv, sw, st0)[0], [];
    WienerFullDa "wiener_full_da"(t, a, beta, delta, sv, sw, st0) = |t, a, b, d, sv, sw, st0| wiener::full_grad(t, a, b, d, sv, sw, st0)[1], [];
    WienerFullDbeta "wiener_full_dbeta"(t, a, beta, delta, sv, sw, st0) = |t, a, b, d, sv, sw, st0| wiener::full_grad(t, a, b, d, sv, sw, st0)[2], [];
    WienerFullDdelta "wiener_full_ddelta"(t, a, beta, delta, sv, sw, st0) = |t, a, b, d, sv, sw, st0| wiener::full_grad(t, a, b, d, sv, sw, st0)[3], [];
    WienerFullDsv "wiener_full_dsv"(t, a, beta, delta, sv, sw, st0) = |t, a, b, d, sv, sw, st0| wiener::full_grad(t, a, b, d, sv, sw, st0)[4], [];
    WienerFullDsw "wiener_full_dsw"(t, a, beta, delta, sv, sw, st0) = |t, a, b, d, sv, sw, st0| wiener::full_grad(t, a, b, d, sv, sw, st0)[5], [];
    WienerFullDst0 "wiener_full_dst0"(t, a, beta, delta, sv, sw, st0) = |t, a, b, d, sv, sw, st0| wiener::full_grad(t, a, b, d, sv, sw, st0)[6], [];
}
