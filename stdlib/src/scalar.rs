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
//! To add a function: one line below, then a row in `tests/tests/primitives.rs` (its gradient
//! against finite differences) and reference values in `stdlib/tests/special.rs`.

use crate::special;

/// The implementation of a scalar function as compiled code calls it.
#[derive(Clone, Copy, Debug)]
pub enum Native {
    F1(extern "C" fn(f64) -> f64),
    F2(extern "C" fn(f64, f64) -> f64),
    F3(extern "C" fn(f64, f64, f64) -> f64),
}

impl Native {
    /// The address compiled code calls.
    pub fn address(self) -> *const u8 {
        match self {
            Native::F1(f) => f as *const u8,
            Native::F2(f) => f as *const u8,
            Native::F3(f) => f as *const u8,
        }
    }

    /// The function at `x` (which has the function's arity).
    pub fn eval(self, x: &[f64]) -> f64 {
        match (self, x) {
            (Native::F1(f), [a]) => f(*a),
            (Native::F2(f), [a, b]) => f(*a, *b),
            (Native::F3(f), [a, b, c]) => f(*a, *b, *c),
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
    /// The derivative of trigamma; only trigamma's adjoint produces it.
    Tetragamma "tetragamma"(x) = special::tetragamma, [];
    /// The regularised incomplete beta function I_x(a, b).
    IncBeta "inc_beta"(a, b, x) = special::inc_beta, ["inc_beta_da(a, b, x)", "inc_beta_db(a, b, x)", "inc_beta_dx(a, b, x)"];
    /// Its partial derivatives; only its adjoint produces them.
    IncBetaDa "inc_beta_da"(a, b, x) = |a, b, x| special::inc_beta_grad(a, b, x).1, [];
    IncBetaDb "inc_beta_db"(a, b, x) = |a, b, x| special::inc_beta_grad(a, b, x).2, [];
    IncBetaDx "inc_beta_dx"(a, b, x) = special::inc_beta_deriv_x, [];
    Erf "erf"(x) = special::erf, ["1.1283791670955126 * exp(-(x * x))"];
    Erfc "erfc"(x) = special::erfc, ["-1.1283791670955126 * exp(-(x * x))"];
    Phi "phi"(x) = special::Phi, ["0.3989422804014327 * exp(-0.5 * (x * x))"];
    InvPhi "inv_phi"(x) = special::inv_Phi, ["1 / (0.3989422804014327 * exp(-0.5 * (f * f)))"];
    Log1pExp "log1p_exp"(x) = special::log1p_exp, ["inv_logit(x)"];
    Log1mExp "log1m_exp"(x) = special::log1m_exp, ["-(1 / expm1(-x))"];
    InvLogit "inv_logit"(x) = special::inv_logit, ["f * (1 - f)"];
    LogInvLogit "log_inv_logit"(x) = special::log_inv_logit, ["inv_logit(-x)"];
    Log1mInvLogit "log1m_inv_logit"(x) = special::log1m_inv_logit, ["-inv_logit(x)"];
}
