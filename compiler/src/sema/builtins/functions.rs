//! Every built-in function vppl compiles (distributions aside): one entry per name, which says
//! which of the catalog's signatures of that name vppl compiles and how it lowers them.
//!
//! The catalog's `Status::Implemented` of a function signature is `accepts` of its entry
//! (`catalog::vppl_status`), and a call is lowered exactly when `accepts` holds for its
//! arguments, so the two cannot disagree. `lower` may assume what `accepts` checked.

use grammar::Span;
use grammar::ast::{BinOp, UnOp};

use crate::catalog::{ArgType, BaseType};
use crate::ir::{Atom, Core, Elem, ErrorKind, Expr, Fun, Prim, Stmt, Ty, VarId, VarKind};
use crate::sema::matrix_transforms::MatrixKind;
use crate::sema::transforms::Bounds;
use crate::sema::vector_transforms::{Subject, Transform, Who};
use crate::sema::{Lowerer, Val};

/// A call being lowered: the name as written (one entry may serve several names), the checked
/// arguments, and whether they are all data.
pub(crate) struct Args<'a> {
    pub name: &'a str,
    pub vals: &'a [Val],
    pub span: Span,
    pub data: bool,
}

impl Args<'_> {
    fn ty(&self, i: usize) -> Ty {
        self.vals[i].ty
    }

    fn real(&self, l: &mut Lowerer, i: usize) -> Atom {
        l.to_real(self.vals[i])
    }

    fn value(&self, atom: Atom, ty: Ty) -> Val {
        Val { atom, ty, data: self.data }
    }
}

/// How vppl compiles one built-in function.
pub(crate) struct Function {
    /// Which of the catalog's signatures of the name vppl compiles (argument types as the
    /// catalog writes them; `data_only` is ignored).
    pub accepts: fn(&[ArgType]) -> bool,
    pub lower: fn(&mut Lowerer, &Args) -> Val,
}

fn def(accepts: fn(&[ArgType]) -> bool, lower: fn(&mut Lowerer, &Args) -> Val) -> Option<Function> {
    Some(Function { accepts, lower })
}

/// The catalog type of a lowered value's type.
pub(crate) fn arg_type(t: Ty) -> ArgType {
    let base = match (t.elem, t.core) {
        (Elem::Int, _) => BaseType::Int,
        (Elem::Complex, Core::Scalar) => BaseType::Complex,
        (Elem::Complex, Core::Vector) => BaseType::ComplexVector,
        (Elem::Complex, Core::RowVector) => BaseType::ComplexRowVector,
        (Elem::Complex, Core::Matrix) => BaseType::ComplexMatrix,
        (Elem::Real, Core::Scalar) => BaseType::Real,
        (Elem::Real, Core::Vector) => BaseType::Vector,
        (Elem::Real, Core::RowVector) => BaseType::RowVector,
        (Elem::Real, Core::Matrix) => BaseType::Matrix,
        // No built-in takes a tuple: the type of a value that failed to check fits none.
        (Elem::Tuple(_), _) => return arg_type(Ty::ERROR),
    };
    ArgType::new(base, t.array_rank)
}

// Argument predicates the entries share.
fn scalar(a: &ArgType) -> bool {
    a.is_primitive()
}
fn all_scalar(args: &[ArgType]) -> bool {
    args.iter().all(scalar)
}
fn one(args: &[ArgType]) -> bool {
    args.len() == 1
}
fn two(args: &[ArgType]) -> bool {
    args.len() == 2
}
fn none(args: &[ArgType]) -> bool {
    args.is_empty()
}
fn one_container(args: &[ArgType]) -> bool {
    args.len() == 1 && !scalar(&args[0])
}
fn one_scalar(args: &[ArgType]) -> bool {
    args.len() == 1 && scalar(&args[0])
}
fn two_scalars(args: &[ArgType]) -> bool {
    args.len() == 2 && all_scalar(args)
}
fn three_scalars(args: &[ArgType]) -> bool {
    args.len() == 3 && all_scalar(args)
}
fn one_matrix(args: &[ArgType]) -> bool {
    args == [ArgType::MATRIX]
}
/// A scalar and then `sizes` ints.
fn scalar_then_ints(args: &[ArgType], sizes: std::ops::RangeInclusive<usize>) -> bool {
    !args.is_empty()
        && sizes.contains(&(args.len() - 1))
        && scalar(&args[0])
        && args[1..].iter().all(|a| *a == ArgType::INT)
}
/// Two arguments of a binary element-wise family: scalars, containers of one rank (the
/// catalog pairs only equal shapes, or an int array with reals of that shape), or a container
/// with a scalar.
pub(crate) fn binary_elementwise(args: &[ArgType]) -> bool {
    args.len() == 2 && (scalar(&args[0]) || scalar(&args[1]) || args[0].rank() == args[1].rank())
}
fn bare_vector_like(a: &ArgType) -> bool {
    a.array_dims == 0 && a.rank() == 1
}

/// The entry of `name`, if vppl compiles any signature of it.
pub(crate) fn function(name: &str) -> Option<Function> {
    match name {
        // Element-wise functions of one real, over any shape (`abs` of ints stays an int).
        "log" | "exp" | "sqrt" | "log1p" | "expm1" | "inv_logit" | "log_inv_logit" | "log1m_inv_logit"
        | "log1p_exp" | "log1m_exp" | "lgamma" | "digamma" | "trigamma" | "abs" | "Phi" | "inv_Phi" | "erf"
        | "erfc" | "sin" | "cos" | "tan" | "tanh" | "atan" | "floor" | "ceil" | "round" | "asin" | "acos" | "asinh"
        | "acosh" | "atanh" | "sinh" | "cosh" | "cbrt" | "exp2" | "trunc" | "tgamma" | "inv_cloglog" | "Phi_approx"
        | "inv_erfc" | "std_normal_qf" | "std_normal_log_qf" | "lambert_w0" | "lambert_wm1" => def(one, |l, a| {
            let v = a.vals[0];
            if a.name == "abs" && v.ty.elem == Elem::Int {
                return l.map_elementwise(
                    &[v],
                    v.ty,
                    &mut |l, xs| {
                        let neg = l.prim(Prim::INeg, &[xs[0]]);
                        l.prim(Prim::IMax, &[xs[0], neg])
                    },
                    a.span,
                );
            }
            let p = unary_prim(a.name).expect("listed in the arm");
            l.real_elementwise(a, &mut |l, x| l.prim(p, &[x]))
        }),
        // Toward zero; a value outside an int's range (or NaN) is an error, as in Stan.
        "to_int" => def(one, |l, a| {
            let v = a.vals[0];
            let out_ty = Ty { elem: Elem::Int, ..v.ty };
            l.map_elementwise(
                &[v],
                out_ty,
                &mut |l, xs| {
                    if l.f.atom_ty(xs[0]).elem == Elem::Int {
                        return xs[0];
                    }
                    let m = l.prim(Prim::Fabs, &[xs[0]]);
                    let ok = l.prim(Prim::Lt, &[m, Atom::Real(2147483648.0)]);
                    let message = "to_int: {} is outside the range of an int".to_string();
                    l.check(ok, ErrorKind::Domain, message, a.span, vec![xs[0]]);
                    l.prim(Prim::ToInt, &[xs[0]])
                },
                a.span,
            )
        }),
        "square" => def(one, |l, a| l.real_elementwise(a, &mut |l, x| l.prim(Prim::Mul, &[x, x]))),
        "log1m" => def(one, |l, a| {
            l.real_elementwise(a, &mut |l, x| {
                let nx = l.prim(Prim::Neg, &[x]);
                l.prim(Fun::Log1p, &[nx])
            })
        }),
        "inv" => def(one, |l, a| l.real_elementwise(a, &mut |l, x| l.prim(Prim::Div, &[Atom::Real(1.0), x]))),
        "inv_sqrt" => def(one, |l, a| {
            l.real_elementwise(a, &mut |l, x| {
                let s = l.prim(Prim::Sqrt, &[x]);
                l.prim(Prim::Div, &[Atom::Real(1.0), s])
            })
        }),
        "inv_square" => def(one, |l, a| {
            l.real_elementwise(a, &mut |l, x| {
                let s = l.prim(Prim::Mul, &[x, x]);
                l.prim(Prim::Div, &[Atom::Real(1.0), s])
            })
        }),
        "logit" => def(one, |l, a| {
            l.real_elementwise(a, &mut |l, x| {
                let nx = l.prim(Prim::Sub, &[Atom::Real(1.0), x]);
                let r = l.prim(Prim::Div, &[x, nx]);
                l.prim(Fun::Log, &[r])
            })
        }),
        // `log2()` and `log10()` are also constants.
        "log10" | "log2" => def(
            |args| args.len() <= 1,
            |l, a| {
                let ten = a.name == "log10";
                if a.vals.is_empty() {
                    return Val::real(if ten { std::f64::consts::LN_10 } else { std::f64::consts::LN_2 });
                }
                let k = if ten { std::f64::consts::LOG10_E } else { std::f64::consts::LOG2_E };
                l.real_elementwise(a, &mut |l, x| {
                    let lx = l.prim(Fun::Log, &[x]);
                    l.prim(Prim::Mul, &[lx, Atom::Real(k)])
                })
            },
        ),
        "pi" | "e" | "sqrt2" | "not_a_number" | "positive_infinity" | "negative_infinity" | "machine_precision" => {
            def(none, |_, a| {
                Val::real(match a.name {
                    "pi" => std::f64::consts::PI,
                    "e" => std::f64::consts::E,
                    "sqrt2" => std::f64::consts::SQRT_2,
                    "not_a_number" => f64::NAN,
                    "positive_infinity" => f64::INFINITY,
                    "negative_infinity" => f64::NEG_INFINITY,
                    _ => f64::EPSILON,
                })
            })
        }
        // Element-wise functions of two arguments (Stan's binary vectorisation): two scalars, two
        // containers of one shape, or a container and a scalar on either side.
        "pow"
        | "fmin"
        | "fmax"
        | "fdim"
        | "hypot"
        | "log_diff_exp"
        | "lbeta"
        | "lchoose"
        | "atan2"
        | "beta"
        | "fmod"
        | "lmultiply"
        | "log_falling_factorial"
        | "log_rising_factorial"
        | "log_inv_logit_diff"
        | "log_modified_bessel_first_kind"
        | "gamma_p"
        | "gamma_q"
        | "owens_t"
        | "bessel_first_kind"
        | "bessel_second_kind"
        | "modified_bessel_first_kind"
        | "modified_bessel_second_kind"
        | "binary_log_loss"
        | "lmgamma"
        | "ldexp" => def(binary_elementwise, |l, a| l.real_binary(a, binary_scalar)),
        // Of a real and an int, real; of two ints, an int (a product in int arithmetic).
        "falling_factorial" | "rising_factorial" | "choose" => def(binary_elementwise, |l, a| {
            if a.vals.iter().all(|v| v.ty.elem == Elem::Int) {
                return l.int_binary(a);
            }
            l.real_binary(a, binary_scalar)
        }),
        // The functions behind the operators.
        "logical_eq" | "logical_neq" | "logical_lt" | "logical_lte" | "logical_gt" | "logical_gte" | "modulus" => {
            def(two_scalars, |l, a| {
                let op = match a.name {
                    "logical_eq" => BinOp::Eq,
                    "logical_neq" => BinOp::Neq,
                    "logical_lt" => BinOp::Lt,
                    "logical_lte" => BinOp::Le,
                    "logical_gt" => BinOp::Gt,
                    "logical_gte" => BinOp::Ge,
                    _ => BinOp::Mod,
                };
                l.scalar_binary(op, a.vals[0], a.vals[1], a.span)
            })
        }
        // Both operands evaluated, as the arguments of any call.
        "logical_and" | "logical_or" => def(two_scalars, |l, a| {
            let p = if a.name == "logical_and" { Prim::And } else { Prim::Or };
            let atom = l.prim(p, &[a.vals[0].atom, a.vals[1].atom]);
            a.value(atom, Ty::INT)
        }),
        "logical_negation" => def(one_scalar, |l, a| {
            let atom = l.prim(Prim::Not, &[a.vals[0].atom]);
            a.value(atom, Ty::INT)
        }),
        "add" | "subtract" | "multiply" | "elt_multiply" | "elt_divide" => def(two, operator_function),
        // The operator `/` has no scalar-by-container form: `divide` of one divides the scalar by
        // each element, as `./` does.
        "divide" => def(two, operator_function),
        "plus" => def(one, |_, a| a.vals[0]),
        "minus" => def(one, |l, a| l.unary(UnOp::Neg, a.vals[0], a.span)),
        "log_sum_exp" => def(
            |args| binary_elementwise(args) || one_container(args),
            |l, a| {
                if a.vals.len() == 2 {
                    return l.real_binary(a, binary_scalar);
                }
                let atom = l.log_sum_exp_all(a.vals[0]);
                a.value(atom, Ty::REAL)
            },
        ),
        // Stan 2.37's functions of the scalar transforms, element by element: the transforms of
        // `<lower, upper>` and `<offset, multiplier>` declarations (one code with them).
        "lower_bound_constrain"
        | "lower_bound_jacobian"
        | "lower_bound_unconstrain"
        | "upper_bound_constrain"
        | "upper_bound_jacobian"
        | "upper_bound_unconstrain"
        | "lower_upper_bound_constrain"
        | "lower_upper_bound_jacobian"
        | "lower_upper_bound_unconstrain"
        | "offset_multiplier_constrain"
        | "offset_multiplier_jacobian"
        | "offset_multiplier_unconstrain" => def(
            |args| {
                (2..=3).contains(&args.len())
                    && args[0].rank() <= 1
                    && args[1..].iter().all(|b| {
                        // An int array bound of a real array `y`, as the catalog's promotion allows.
                        scalar(b) || (b.array_dims == args[0].array_dims && b.base.rank() == args[0].base.rank())
                    })
            },
            |l, a| l.scalar_transform(a),
        ),
        // Stan 2.37's functions of the transforms of vectors and matrices, over one value or an
        // array of them (one code with the parameters' transforms).
        "ordered_constrain"
        | "ordered_jacobian"
        | "ordered_unconstrain"
        | "positive_ordered_constrain"
        | "positive_ordered_jacobian"
        | "positive_ordered_unconstrain"
        | "simplex_constrain"
        | "simplex_jacobian"
        | "simplex_unconstrain"
        | "sum_to_zero_constrain"
        | "sum_to_zero_jacobian"
        | "sum_to_zero_unconstrain"
        | "unit_vectors_constrain"
        | "unit_vectors_jacobian"
        | "unit_vectors_unconstrain"
        | "stochastic_column_constrain"
        | "stochastic_column_jacobian"
        | "stochastic_column_unconstrain"
        | "stochastic_row_constrain"
        | "stochastic_row_jacobian"
        | "stochastic_row_unconstrain"
        | "cholesky_factor_corr_constrain"
        | "cholesky_factor_corr_jacobian"
        | "cholesky_factor_corr_unconstrain"
        | "cholesky_factor_cov_constrain"
        | "cholesky_factor_cov_jacobian"
        | "cholesky_factor_cov_unconstrain"
        | "corr_matrix_constrain"
        | "corr_matrix_jacobian"
        | "corr_matrix_unconstrain"
        | "cov_matrix_constrain"
        | "cov_matrix_jacobian"
        | "cov_matrix_unconstrain" => def(
            |args| !args.is_empty() && matches!(args[0].base, BaseType::Vector | BaseType::Matrix),
            |l, a| l.vector_transform(a),
        ),
        // log_mix(θ, a, b) = log_sum_exp(log θ + a, log1m(θ) + b); of mixing proportions θ and
        // a vector lp, log_sum_exp(log θ + lp); of an array of them, the sum over the array.
        "log_mix" => def(
            |args| three_scalars(args) || args.len() == 2,
            |l, a| {
                if a.vals.len() == 2 {
                    let atom = l.log_mix(a.vals[0], a.vals[1], a.span);
                    return a.value(atom, Ty::REAL);
                }
                let [theta, x, y] = [0, 1, 2].map(|i| a.real(l, i));
                let lt = l.prim(Fun::Log, &[theta]);
                let nt = l.prim(Prim::Neg, &[theta]);
                let l1mt = l.prim(Fun::Log1p, &[nt]);
                let u = l.prim(Prim::Add, &[lt, x]);
                let v = l.prim(Prim::Add, &[l1mt, y]);
                let atom = l.log_sum_exp2(u, v);
                a.value(atom, Ty::REAL)
            },
        ),
        "hypergeometric_2F1" => def(
            |args| args.len() == 4 && all_scalar(args),
            |l, a| l.real_map(a, &mut |l, xs| l.prim(Fun::Hypergeometric2F1, xs)),
        ),
        "hypergeometric_3F2" | "hypergeometric_pFq" => def(
            |args| args.len() == 3,
            |l, a| {
                let atom = l.hypergeometric_pfq(a);
                a.value(atom, Ty::REAL)
            },
        ),
        // 1F0(a; ; z) = (1 − z)^(−a)
        "hypergeometric_1F0" => def(two_scalars, |l, a| {
            l.real_map(a, &mut |l, xs| {
                let base = l.prim(Prim::Sub, &[Atom::Real(1.0), xs[1]]);
                let power = l.prim(Prim::Neg, &[xs[0]]);
                l.prim(Fun::Pow, &[base, power])
            })
        }),
        // Element-wise over its container arguments (all of one type), scalars broadcast.
        "fma" => def(
            |args| args.len() == 3,
            |l, a| {
                l.real_map(a, &mut |l, xs| {
                    let p = l.prim(Prim::Mul, &[xs[0], xs[1]]);
                    l.prim(Prim::Add, &[p, xs[2]])
                })
            },
        ),
        "inc_beta" | "inv_inc_beta" => def(three_scalars, |l, a| {
            let f = if a.name == "inc_beta" { Fun::IncBeta } else { Fun::InvIncBeta };
            l.real_map(a, &mut |l, xs| l.prim(f, xs))
        }),
        "norm1" | "norm2" => def(one_container, |l, a| {
            let atom = if a.name == "norm1" {
                l.reduce(a.vals[0], Atom::Real(0.0), &mut |l, acc, x| {
                    let m = l.prim(Prim::Fabs, &[x]);
                    l.prim(Prim::Add, &[acc, m])
                })
            } else {
                let s = l.reduce(a.vals[0], Atom::Real(0.0), &mut |l, acc, x| {
                    let x2 = l.prim(Prim::Mul, &[x, x]);
                    l.prim(Prim::Add, &[acc, x2])
                });
                l.prim(Prim::Sqrt, &[s])
            };
            a.value(atom, Ty::REAL)
        }),
        "step" => def(one_scalar, |l, a| {
            let x = a.real(l, 0);
            let c = l.prim(Prim::Lt, &[x, Atom::Real(0.0)]);
            let c = l.prim(Prim::Not, &[c]);
            let atom = l.prim(Prim::ToReal, &[c]);
            a.value(atom, Ty::REAL)
        }),
        "int_step" => def(one_scalar, |l, a| {
            let x = a.real(l, 0);
            let atom = l.prim(Prim::Gt, &[x, Atom::Real(0.0)]);
            a.value(atom, Ty::INT)
        }),
        "is_nan" | "is_inf" => def(one_scalar, |l, a| {
            let x = a.real(l, 0);
            let atom = l.prim(if a.name == "is_nan" { Prim::IsNan } else { Prim::IsInf }, &[x]);
            a.value(atom, Ty::INT)
        }),
        "min" | "max" => def(
            |args| two_scalars(args) || one_container(args),
            |l, a| {
                let min = a.name == "min";
                let (ip, rp) = if min { (Prim::IMin, Prim::Fmin) } else { (Prim::IMax, Prim::Fmax) };
                if a.vals.len() == 2 {
                    if a.vals.iter().all(|v| v.ty == Ty::INT) {
                        let atom = l.prim(ip, &[a.vals[0].atom, a.vals[1].atom]);
                        return a.value(atom, Ty::INT);
                    }
                    return l.real_map(a, &mut |l, xs| l.prim(rp, xs));
                }
                if a.ty(0).elem == Elem::Int {
                    let init = if min { Atom::Int(i64::MAX) } else { Atom::Int(i64::MIN) };
                    return l.int_reduce(a.vals[0], ip, init);
                }
                let init = if min { Atom::Real(f64::INFINITY) } else { Atom::Real(f64::NEG_INFINITY) };
                let atom = l.reduce(a.vals[0], init, &mut |l, acc, x| l.prim(rp, &[acc, x]));
                a.value(atom, Ty::REAL)
            },
        ),
        "sum" => def(one_container, |l, a| {
            if a.ty(0).elem == Elem::Int {
                return l.int_reduce(a.vals[0], Prim::IAdd, Atom::Int(0));
            }
            let atom = l.sum_all(a.vals[0]);
            a.value(atom, Ty::REAL)
        }),
        "prod" => def(one_container, |l, a| {
            if a.ty(0).elem == Elem::Int {
                return l.int_reduce(a.vals[0], Prim::IMul, Atom::Int(1));
            }
            let atom = l.reduce(a.vals[0], Atom::Real(1.0), &mut |l, acc, x| l.prim(Prim::Mul, &[acc, x]));
            a.value(atom, Ty::REAL)
        }),
        "mean" | "variance" | "sd" => def(one_container, |l, a| {
            let v = a.vals[0];
            let total = l.sum_all(v);
            let count = l.num_elements(v);
            let count_r = l.to_real(Val { atom: count, ty: Ty::INT, data: true });
            let mean = l.prim(Prim::Div, &[total, count_r]);
            if a.name == "mean" {
                return a.value(mean, Ty::REAL);
            }
            let ss = l.reduce(v, Atom::Real(0.0), &mut |l, acc, x| {
                let d = l.prim(Prim::Sub, &[x, mean]);
                let d2 = l.prim(Prim::Mul, &[d, d]);
                l.prim(Prim::Add, &[acc, d2])
            });
            let nm1 = l.prim(Prim::Sub, &[count_r, Atom::Real(1.0)]);
            let var = l.prim(Prim::Div, &[ss, nm1]);
            let atom = if a.name == "sd" { l.prim(Prim::Sqrt, &[var]) } else { var };
            a.value(atom, Ty::REAL)
        }),
        "dot_product" => def(
            |args| args.len() == 2 && args.iter().all(|a| a.rank() == 1),
            |l, a| {
                let atom = l.dot(a.vals[0], a.vals[1], a.span);
                a.value(atom, Ty::REAL)
            },
        ),
        "dot_self" => def(
            |args| args.len() == 1 && args[0].rank() == 1,
            |l, a| {
                let atom = l.dot(a.vals[0], a.vals[0], a.span);
                a.value(atom, Ty::REAL)
            },
        ),
        "num_elements" => def(one, |l, a| Val { atom: l.num_elements(a.vals[0]), ty: Ty::INT, data: true }),
        "size" => def(one, |l, a| {
            let atom = if a.ty(0).is_scalar() { Atom::Int(1) } else { l.value_dims(a.vals[0])[0] };
            Val { atom, ty: Ty::INT, data: true }
        }),
        "rows" | "cols" => def(
            |args| args.len() == 1 && args[0].array_dims == 0 && !args[0].base.is_scalar(),
            |l, a| {
                let v = a.vals[0];
                let atom = match (a.name, v.ty.core) {
                    ("rows", Core::RowVector) | ("cols", Core::Vector) => Atom::Int(1),
                    ("rows", _) | ("cols", Core::RowVector) => l.dim(v.atom, 0),
                    _ => l.dim(v.atom, 1),
                };
                Val { atom, ty: Ty::INT, data: true }
            },
        ),
        "rep_vector" | "rep_row_vector" => def(
            |args| scalar_then_ints(args, 1..=1),
            |l, a| {
                let ty = if a.name == "rep_vector" { Ty::VECTOR } else { Ty::ROW_VECTOR };
                let x = a.real(l, 0);
                l.check_given_sizes(&[a.vals[1].atom], a.span);
                l.fill(ty, vec![a.vals[1].atom], x, a.vals[0].data)
            },
        ),
        "rep_matrix" => def(
            |args| {
                scalar_then_ints(args, 2..=2)
                    || (args.len() == 2 && bare_vector_like(&args[0]) && args[1] == ArgType::INT)
            },
            |l, a| {
                if a.vals.len() == 2 {
                    return l.rep_lines(a);
                }
                let x = a.real(l, 0);
                let dims = vec![a.vals[1].atom, a.vals[2].atom];
                l.check_given_sizes(&dims, a.span);
                l.fill(Ty::MATRIX, dims, x, a.vals[0].data)
            },
        ),
        "rep_array" => def(
            |args| (2..=4).contains(&args.len()) && ints(&args[1..]),
            |l, a| {
                if !a.ty(0).is_scalar() {
                    return l.rep_container(a);
                }
                let ty = Ty::array(a.ty(0).elem, (a.vals.len() - 1) as u8);
                let dims: Vec<Atom> = a.vals[1..].iter().map(|v| v.atom).collect();
                l.check_given_sizes(&dims, a.span);
                l.fill(ty, dims, a.vals[0].atom, a.vals[0].data)
            },
        ),
        "diag_matrix" => def(
            |args| args == [ArgType::VECTOR],
            |l, a| {
                let k = l.dim(a.vals[0].atom, 0);
                let out = l.fill(Ty::MATRIX, vec![k, k], Atom::Real(0.0), a.vals[0].data);
                let (Atom::Var(src), Atom::Var(dst)) = (a.vals[0].atom, out.atom) else { return out };
                l.for_loop(Atom::Int(1), k, |l, i| {
                    let x = l.let_(Ty::REAL, Expr::Load { base: src, indices: vec![i] });
                    l.emit(Stmt::Assign { var: dst, indices: vec![i, i], value: x });
                });
                out
            },
        ),
        "to_vector" | "to_row_vector" => def(
            |args| args.len() == 1 && matches!(args[0].rank(), 1 | 2),
            |l, a| {
                let ty = if a.name == "to_vector" { Ty::VECTOR } else { Ty::ROW_VECTOR };
                if a.ty(0).rank() == 1 {
                    return l.map_elementwise(
                        &[a.vals[0]],
                        ty,
                        &mut |l, xs| l.to_real(Val { atom: xs[0], ty: l.f.atom_ty(xs[0]), data: true }),
                        a.span,
                    );
                }
                // Column-major order, for matrices and two-dimensional arrays alike.
                let dims = l.dims(a.vals[0].atom, a.ty(0));
                let len = l.prim(Prim::IMul, &[dims[0], dims[1]]);
                let out = l.build(ty, vec![len]);
                let (Atom::Var(src), Atom::Var(dst)) = (a.vals[0].atom, out) else { return Val::error() };
                let elem = Ty { elem: a.ty(0).elem, array_rank: 0, core: Core::Scalar };
                let rows = dims[0];
                l.for_each_index(&dims, Core::Matrix, &mut |l, idx| {
                    let x = l.let_(elem, Expr::Load { base: src, indices: idx.to_vec() });
                    let x = l.to_real(Val { atom: x, ty: elem, data: true });
                    let j0 = l.prim(Prim::ISub, &[idx[1], Atom::Int(1)]);
                    let off = l.prim(Prim::IMul, &[j0, rows]);
                    let pos = l.prim(Prim::IAdd, &[off, idx[0]]);
                    l.emit(Stmt::Assign { var: dst, indices: vec![pos], value: x });
                });
                a.value(out, ty)
            },
        ),
        // diag(v) M scales row i by v[i]; M diag(v) scales column j by v[j].
        "diag_pre_multiply" => def(
            |args| args.len() == 2 && bare_vector_like(&args[0]) && args[1] == ArgType::MATRIX,
            |l, a| l.diag_multiply(a, true),
        ),
        "diag_post_multiply" => def(
            |args| args.len() == 2 && args[0] == ArgType::MATRIX && bare_vector_like(&args[1]),
            |l, a| l.diag_multiply(a, false),
        ),
        // L Lᵀ over the lower triangle of L: (i, j) = Σ_{k ≤ min(i, j)} L[i,k] L[j,k].
        "multiply_lower_tri_self_transpose" => def(one_matrix, |l, a| {
            let dims = l.dims(a.vals[0].atom, Ty::MATRIX);
            let (r, c) = (dims[0], dims[1]);
            let out = l.build(Ty::MATRIX, vec![r, r]);
            let (Atom::Var(lv), Atom::Var(dst)) = (a.vals[0].atom, out) else { return Val::error() };
            l.for_each_index(&[r, r], Core::Matrix, &mut |l, idx| {
                let m = l.prim(Prim::IMin, &[idx[0], idx[1]]);
                let m = l.prim(Prim::IMin, &[m, c]);
                let s = l.reduce_range(Atom::Int(1), m, &mut |l, kk| {
                    let x = l.let_(Ty::REAL, Expr::Load { base: lv, indices: vec![idx[0], kk] });
                    let y = l.let_(Ty::REAL, Expr::Load { base: lv, indices: vec![idx[1], kk] });
                    l.prim(Prim::Mul, &[x, y])
                });
                l.emit(Stmt::Assign { var: dst, indices: idx.to_vec(), value: s });
            });
            a.value(out, Ty::MATRIX)
        }),
        "cholesky_decompose" => def(one_matrix, |l, a| {
            let atom = l.cholesky(a.vals[0].atom, a.span);
            a.value(atom, Ty::MATRIX)
        }),
        "mdivide_left_tri_low" => def(
            |args| args == [ArgType::MATRIX, ArgType::VECTOR] || args == [ArgType::MATRIX, ArgType::MATRIX],
            |l, a| {
                if a.ty(1) == Ty::MATRIX {
                    return l.divide(a, a.vals[0], a.vals[1], true);
                }
                let atom = l.tri_solve(a.vals[0].atom, a.vals[1].atom, a.span);
                a.value(atom, Ty::VECTOR)
            },
        ),
        _ => container_function(name),
    }
}

/// The primitive of an element-wise function of one real.
fn unary_prim(name: &str) -> Option<Prim> {
    use Fun::*;
    Some(match name {
        "sqrt" => Prim::Sqrt,
        "abs" => Prim::Fabs,
        "floor" => Prim::Floor,
        "ceil" => Prim::Ceil,
        "log" => Log.into(),
        "exp" => Exp.into(),
        "log1p" => Log1p.into(),
        "expm1" => Expm1.into(),
        "inv_logit" => InvLogit.into(),
        "log_inv_logit" => LogInvLogit.into(),
        "log1m_inv_logit" => Log1mInvLogit.into(),
        "log1p_exp" => Log1pExp.into(),
        "log1m_exp" => Log1mExp.into(),
        "lgamma" => Lgamma.into(),
        "digamma" => Digamma.into(),
        "trigamma" => Trigamma.into(),
        "Phi" => Phi.into(),
        "inv_Phi" => InvPhi.into(),
        "erf" => Erf.into(),
        "erfc" => Erfc.into(),
        "sin" => Sin.into(),
        "cos" => Cos.into(),
        "tan" => Tan.into(),
        "tanh" => Tanh.into(),
        "atan" => Atan.into(),
        "round" => Round.into(),
        "asin" => Asin.into(),
        "acos" => Acos.into(),
        "asinh" => Asinh.into(),
        "acosh" => Acosh.into(),
        "atanh" => Atanh.into(),
        "sinh" => Sinh.into(),
        "cosh" => Cosh.into(),
        "cbrt" => Cbrt.into(),
        "exp2" => Exp2.into(),
        "trunc" => Trunc.into(),
        "tgamma" => Tgamma.into(),
        "inv_cloglog" => InvCloglog.into(),
        "Phi_approx" => PhiApprox.into(),
        "inv_erfc" => InvErfc.into(),
        "std_normal_qf" => InvPhi.into(),
        "std_normal_log_qf" => StdNormalLogQf.into(),
        "lambert_w0" => LambertW0.into(),
        "lambert_wm1" => LambertWm1.into(),
        _ => return None,
    })
}

/// `add`, `subtract`, `multiply`, `divide`, `elt_multiply`, `elt_divide`: their operator (of two
/// scalars, `.*` and `./` are `*` and `/`, so two ints stay int; a scalar divided by a container
/// is `./`).
fn operator_function(l: &mut Lowerer, a: &Args) -> Val {
    let scalars = a.vals.iter().all(|v| v.ty.is_scalar());
    let scalar_by_container = a.vals[0].ty.is_scalar() && !a.vals[1].ty.is_scalar();
    let op = match a.name {
        "add" => BinOp::Add,
        "subtract" => BinOp::Sub,
        "multiply" => BinOp::Mul,
        "divide" if scalar_by_container => BinOp::EltDiv,
        "divide" => BinOp::Div,
        "elt_multiply" if !scalars => BinOp::EltMul,
        "elt_multiply" => BinOp::Mul,
        _ if !scalars => BinOp::EltDiv,
        _ => BinOp::Div,
    };
    l.binary(op, a.vals[0], a.vals[1], a.span)
}

/// One element of a binary element-wise function, both operands real.
fn binary_scalar(l: &mut Lowerer, name: &str, x: Atom, y: Atom) -> Atom {
    use Fun::*;
    let table = match name {
        "pow" => Pow,
        "atan2" => Atan2,
        "beta" => Beta,
        "fmod" => Fmod,
        "lmultiply" => Lmultiply,
        "log_falling_factorial" => LogFallingFactorial,
        "log_rising_factorial" => LogRisingFactorial,
        "log_inv_logit_diff" => LogInvLogitDiff,
        "log_modified_bessel_first_kind" => LogModifiedBesselFirstKind,
        "gamma_p" => GammaP,
        "gamma_q" => GammaQ,
        "owens_t" => OwensT,
        "bessel_first_kind" => BesselFirstKind,
        "bessel_second_kind" => BesselSecondKind,
        "modified_bessel_first_kind" => ModifiedBesselFirstKind,
        "modified_bessel_second_kind" => ModifiedBesselSecondKind,
        "binary_log_loss" => BinaryLogLoss,
        "lmgamma" => Lmgamma,
        "ldexp" => Ldexp,
        "falling_factorial" => FallingFactorial,
        "rising_factorial" => RisingFactorial,
        "fmin" => return l.prim(Prim::Fmin, &[x, y]),
        "fmax" => return l.prim(Prim::Fmax, &[x, y]),
        "fdim" => {
            let d = l.prim(Prim::Sub, &[x, y]);
            return l.prim(Prim::Fmax, &[d, Atom::Real(0.0)]);
        }
        "hypot" => {
            let x2 = l.prim(Prim::Mul, &[x, x]);
            let y2 = l.prim(Prim::Mul, &[y, y]);
            let s = l.prim(Prim::Add, &[x2, y2]);
            return l.prim(Prim::Sqrt, &[s]);
        }
        // log(exp(a) − exp(b)) = a + log1m_exp(b − a); −∞ for equal arguments (−∞ included),
        // as Stan: their difference (NaN for −∞) is then replaced by 0, and log1m_exp(0) = −∞.
        "log_diff_exp" => {
            let same = l.prim(Prim::Eq, &[x, y]);
            let d = l.prim(Prim::Sub, &[y, x]);
            let d = l.prim(Prim::Select, &[same, Atom::Real(0.0), d]);
            let m = l.prim(Log1mExp, &[d]);
            return l.prim(Prim::Add, &[x, m]);
        }
        "lbeta" => return l.lbeta(x, y),
        "lchoose" => return l.lchoose(x, y),
        "log_sum_exp" => return l.log_sum_exp2(x, y),
        _ => unreachable!("`{name}` is not a binary element-wise function"),
    };
    l.prim(table, &[x, y])
}

impl Lowerer<'_> {
    /// `f` of the one argument, element by element, every element made real.
    fn real_elementwise(&mut self, a: &Args, f: &mut dyn FnMut(&mut Self, Atom) -> Atom) -> Val {
        let v = a.vals[0];
        let out_ty = if v.ty.is_scalar() { Ty::REAL } else { Ty { elem: Elem::Real, ..v.ty } };
        self.map_elementwise(
            &[v],
            out_ty,
            &mut |l, xs| {
                let x = l.to_real(Val { atom: xs[0], ty: l.f.atom_ty(xs[0]), data: true });
                f(l, x)
            },
            a.span,
        )
    }

    /// `lower_bound_constrain(y, lb)` and the other functions of the scalar transforms: each
    /// element of `y` with its bounds (a bound is a scalar or has `y`'s shape). `_constrain`
    /// and `_jacobian` check the bounds as Stan does (lb < ub; a positive, finite multiplier
    /// and a finite offset), `_unconstrain` that the value is within them.
    fn scalar_transform(&mut self, a: &Args) -> Val {
        let (transform, direction) = a.name.rsplit_once('_').expect("a transform function's name");
        let (name, span) = (a.name, a.span);
        // The bounds are scalars or of y's shape, so the result has y's shape.
        self.real_map(a, &mut |l, r| {
            let bounds = match transform {
                "lower_bound" => Bounds::Interval { lower: Some(r[1]), upper: None },
                "upper_bound" => Bounds::Interval { lower: None, upper: Some(r[1]) },
                "lower_upper_bound" => Bounds::Interval { lower: Some(r[1]), upper: Some(r[2]) },
                _ => Bounds::Affine { offset: Some(r[1]), multiplier: Some(r[2]) },
            };
            if direction == "unconstrain" {
                let mut check = |l: &mut Self, ok: Atom, rule: &str, bound: Atom| {
                    let message = format!("{name}: x = {{}} violates {rule}");
                    l.check(ok, ErrorKind::Domain, message, span, vec![r[0], bound]);
                };
                return l.free_scalar(r[0], bounds, &mut check);
            }
            match bounds {
                Bounds::Interval { lower: Some(lb), upper: Some(ub) } => {
                    let ok = l.prim(Prim::Lt, &[lb, ub]);
                    let message = format!("{name}: the lower bound {{}} must be less than the upper bound {{}}");
                    l.check(ok, ErrorKind::Domain, message, span, vec![lb, ub]);
                }
                Bounds::Affine { offset: Some(o), multiplier: Some(m) } => {
                    let finite_offset = l.is_finite(o);
                    let message = format!("{name}: the offset is {{}}, but must be finite");
                    l.check(finite_offset, ErrorKind::Domain, message, span, vec![o]);
                    let positive = l.prim(Prim::Gt, &[m, Atom::Real(0.0)]);
                    let finite = l.is_finite(m);
                    let ok = l.prim(Prim::And, &[positive, finite]);
                    let message = format!("{name}: the multiplier is {{}}, but must be positive and finite");
                    l.check(ok, ErrorKind::Domain, message, span, vec![m]);
                }
                _ => {}
            }
            l.constrain_scalar(r[0], bounds, direction == "jacobian" && !l.drops_jacobian())
        })
    }

    /// `simplex_constrain(y)` and the other transforms of vectors and matrices: the argument's
    /// elements, read as one flat buffer (an array laid out as theta lays out an array
    /// parameter), go through the code of the parameters' transforms (`_jacobian` adding the
    /// log-Jacobian); `_unconstrain` checks each value as an init value is checked and writes
    /// its free values, a vector (a matrix for the stochastic and sum-to-zero matrices).
    fn vector_transform(&mut self, a: &Args) -> Val {
        let (name, direction) = a.name.rsplit_once('_').expect("a transform function's name");
        let y = a.vals[0];
        let Atom::Var(base) = y.atom else { return Val::error() };
        let t = Transform::of_function(name, y.ty.core == Core::Matrix).expect("a transform's name");
        let dims = self.dims(y.atom, y.ty);
        let rank = y.ty.array_rank as usize;
        let (array_dims, given) = dims.split_at(rank);
        let plus_one = |l: &mut Self, a: Atom| l.prim(Prim::IAdd, &[a, Atom::Int(1)]);
        let minus_one = |l: &mut Self, a: Atom| l.prim(Prim::ISub, &[a, Atom::Int(1)]);
        if direction == "unconstrain" {
            let core = given.to_vec();
            match t {
                Transform::CholeskyCorr | Transform::Matrix(MatrixKind::Cov | MatrixKind::Corr) => {
                    let message = format!("{}: the matrix has {{}} rows and {{}} columns; it must be square", a.name);
                    self.same_size(core[0], core[1], &message, a.span);
                }
                Transform::Matrix(MatrixKind::CholeskyCov) => self.check_factor_shape(a.name, core[0], core[1], a.span),
                _ => self.check_least_sizes(t, &core, a.span),
            }
            let free_core = match t {
                Transform::SumToZeroMatrix => vec![minus_one(self, core[0]), minus_one(self, core[1])],
                Transform::StochasticColumn(_) => vec![minus_one(self, core[0]), core[1]],
                Transform::StochasticRow(_) => vec![core[0], minus_one(self, core[1])],
                _ => vec![self.free_count(t, &core)],
            };
            let core_ty = if t.free_is_matrix() { Ty::MATRIX } else { Ty::VECTOR };
            let ty = Ty { array_rank: y.ty.array_rank, ..core_ty };
            let out = self.build(ty, [array_dims, &free_core].concat());
            let Atom::Var(out_var) = out else { unreachable!("build returns a variable") };
            self.free_all(t, base, Atom::Int(0), &dims, Some(out_var), &Subject::new(Who::Call(a.name, a.span)));
            return a.value(out, ty);
        }
        let int = |i: usize| a.vals[i].atom;
        let core = match t {
            Transform::Simplex(_) | Transform::SumToZero => vec![plus_one(self, given[0])],
            Transform::SumToZeroMatrix => vec![plus_one(self, given[0]), plus_one(self, given[1])],
            Transform::StochasticColumn(_) => vec![plus_one(self, given[0]), given[1]],
            Transform::StochasticRow(_) => vec![given[0], plus_one(self, given[1])],
            Transform::CholeskyCorr | Transform::Matrix(MatrixKind::Cov | MatrixKind::Corr) => vec![int(1), int(1)],
            Transform::Matrix(MatrixKind::CholeskyCov) => vec![int(1), int(2)],
            _ => given.to_vec(),
        };
        if t.core_rank() == 2 && !t.free_is_matrix() {
            // The sizes are given: the free vectors must have as many values as they need.
            self.check_given_sizes(&core, a.span);
            if t == Transform::Matrix(MatrixKind::CholeskyCov) {
                self.check_factor_shape(a.name, core[0], core[1], a.span);
            }
            let needed = self.free_count(t, &core);
            let message =
                format!("{}: the free vector has {{}} elements, and a matrix of those sizes needs {{}}", a.name);
            self.same_size(given[0], needed, &message, a.span);
        }
        let total = self.product(&dims);
        let flat = self.let_(Ty::VECTOR, Expr::View { base, offset: Atom::Int(0), dims: vec![total] });
        let Atom::Var(flat) = flat else { unreachable!("let_ returns a variable") };
        let core_ty = if t.core_rank() == 2 { Ty::MATRIX } else { Ty::VECTOR };
        let ty = Ty { array_rank: y.ty.array_rank, ..core_ty };
        let out_dims = [array_dims, &core].concat();
        let out = self.build(ty, out_dims.clone());
        let Atom::Var(out_var) = out else { unreachable!("build returns a variable") };
        let jacobian = direction == "jacobian" && !self.drops_jacobian();
        self.constrain_all(t, flat, Atom::Int(0), out_var, &out_dims, jacobian, a.span);
        a.value(out, ty)
    }

    /// A Cholesky factor of a covariance matrix has at least as many rows as columns.
    fn check_factor_shape(&mut self, name: &str, rows: Atom, cols: Atom, span: Span) {
        let ok = self.prim(Prim::IGe, &[rows, cols]);
        let message =
            format!("{name}: the factor has {{}} rows and {{}} columns; it needs as many rows as columns at least");
        self.check(ok, ErrorKind::Domain, message, span, vec![rows, cols]);
    }

    /// `choose`, `falling_factorial` or `rising_factorial` of two ints (or int arrays, element by
    /// element): a product of at most 64 factors (or k, for `choose` divided by 1, 2, …, k as it
    /// goes, which keeps it exact), each partial product checked to fit Stan's 32-bit int.
    fn int_binary(&mut self, a: &Args) -> Val {
        let shape = a.vals.iter().find(|v| !v.ty.is_scalar()).map_or(Ty::INT, |v| v.ty);
        let (name, span) = (a.name, a.span);
        self.map_elementwise(
            a.vals,
            shape,
            &mut |l, xs| {
                let (n, k) = (xs[0], xs[1]);
                let n_ok = l.prim(Prim::IGe, &[n, Atom::Int(0)]);
                let k_ok = l.prim(Prim::IGe, &[k, Atom::Int(0)]);
                let ok = l.prim(Prim::And, &[n_ok, k_ok]);
                let message = format!("{name}(n, k) needs n >= 0 and k >= 0, but n is {{}} and k is {{}}");
                l.check(ok, ErrorKind::Domain, message, span, vec![n, k]);
                // choose: Π (n − m + i)/i over i ≤ m = min(k, n − k) (none when k > n: then 0);
                // falling: Π (n − i + 1) over i ≤ min(k, n + 1); rising: Π (n + i − 1) over i ≤ k.
                let (count, base, sign) = match name {
                    "choose" => {
                        let rest = l.prim(Prim::ISub, &[n, k]);
                        let m = l.prim(Prim::IMin, &[k, rest]);
                        let base = l.prim(Prim::ISub, &[n, m]);
                        (m, base, 1)
                    }
                    "falling_factorial" => {
                        let n1 = l.prim(Prim::IAdd, &[n, Atom::Int(1)]);
                        (l.prim(Prim::IMin, &[k, n1]), n1, -1)
                    }
                    _ => (k, l.prim(Prim::ISub, &[n, Atom::Int(1)]), 1),
                };
                let count = l.prim(Prim::IMin, &[count, Atom::Int(64)]);
                let acc = l.f.new_var(None, Ty::INT, VarKind::Mutable);
                l.emit(Stmt::Decl { var: acc, dims: vec![] });
                l.emit(Stmt::Assign { var: acc, indices: vec![], value: Atom::Int(1) });
                l.for_loop(Atom::Int(1), count, |l, i| {
                    let step = if sign < 0 { l.prim(Prim::INeg, &[i]) } else { i };
                    let factor = l.prim(Prim::IAdd, &[base, step]);
                    let mut next = l.prim(Prim::IMul, &[Atom::Var(acc), factor]);
                    if name == "choose" {
                        next = l.prim(Prim::IDiv, &[next, i]);
                    }
                    let fits = l.prim(Prim::ILe, &[next, Atom::Int(i64::from(i32::MAX))]);
                    let message = format!("{name}(n, k) overflows an int at n = {{}}, k = {{}}");
                    l.check(fits, ErrorKind::Domain, message, span, vec![n, k]);
                    l.emit(Stmt::Assign { var: acc, indices: vec![], value: next });
                });
                let product = l.let_(Ty::INT, Expr::Atom(Atom::Var(acc)));
                if name != "choose" {
                    return product;
                }
                let within = l.prim(Prim::ILe, &[k, n]);
                l.prim(Prim::IMul, &[product, within])
            },
            span,
        )
    }

    /// `f` (named as called) of two arguments element by element (the containers' sizes checked
    /// equal, a scalar broadcast), every element made real.
    fn real_binary(&mut self, a: &Args, f: fn(&mut Self, &str, Atom, Atom) -> Atom) -> Val {
        let name = a.name;
        self.real_map(a, &mut |l, xs| f(l, name, xs[0], xs[1]))
    }

    /// `f` of the arguments element by element (the containers' sizes checked equal, scalars
    /// broadcast), every element made real; the result has the shape of the first real
    /// container (else the first container, made real).
    fn real_map(&mut self, a: &Args, f: &mut dyn FnMut(&mut Self, &[Atom]) -> Atom) -> Val {
        let containers = || a.vals.iter().filter(|v| !v.ty.is_scalar());
        let shape = containers().find(|v| v.ty.elem == Elem::Real).or_else(|| containers().next());
        let out_ty = shape.map_or(Ty::REAL, |v| Ty { elem: Elem::Real, ..v.ty });
        self.map_elementwise(
            a.vals,
            out_ty,
            &mut |l, xs| {
                let reals: Vec<Atom> =
                    xs.iter().map(|&x| l.to_real(Val { atom: x, ty: l.f.atom_ty(x), data: true })).collect();
                f(l, &reals)
            },
            a.span,
        )
    }

    /// lbeta(a, b) = lgamma(a) + lgamma(b) − lgamma(a + b)
    pub(super) fn lbeta(&mut self, x: Atom, y: Atom) -> Atom {
        let la = self.prim(Fun::Lgamma, &[x]);
        let lb = self.prim(Fun::Lgamma, &[y]);
        let s = self.prim(Prim::Add, &[x, y]);
        let ls = self.prim(Fun::Lgamma, &[s]);
        let t = self.prim(Prim::Add, &[la, lb]);
        self.prim(Prim::Sub, &[t, ls])
    }

    /// log C(n, k) = −log(n + 1) − lbeta(n − k + 1, k + 1)
    pub(super) fn lchoose(&mut self, n: Atom, k: Atom) -> Atom {
        let x = self.prim(Prim::Sub, &[n, k]);
        let x = self.prim(Prim::Add, &[x, Atom::Real(1.0)]);
        let y = self.prim(Prim::Add, &[k, Atom::Real(1.0)]);
        let lb = self.lbeta(x, y);
        let n1 = self.prim(Prim::Add, &[n, Atom::Real(1.0)]);
        let l1 = self.prim(Fun::Log, &[n1]);
        let s = self.prim(Prim::Add, &[l1, lb]);
        self.prim(Prim::Neg, &[s])
    }

    /// max + log(Σ exp(x − max)) over a container, with max = −∞ giving −∞.
    pub(crate) fn log_sum_exp_all(&mut self, v: Val) -> Atom {
        let shift = self.log_sum_exp_shift(v);
        let s = self.reduce(v, Atom::Real(0.0), &mut |l, acc, x| {
            let d = l.prim(Prim::Sub, &[x, shift]);
            let e = l.prim(Fun::Exp, &[d]);
            l.prim(Prim::Add, &[acc, e])
        });
        let ls = self.prim(Fun::Log, &[s]);
        self.prim(Prim::Add, &[shift, ls])
    }

    /// The shift of `log_sum_exp` and `softmax`: the largest element, or 0 when that is
    /// infinite. It is detached: neither result depends on it (the derivative of
    /// max + log Σ exp(x − max) in max, 1 − Σ exp(x − max) / Σ, is zero), so their gradients
    /// have no reverse of the max's loop (no tape).
    fn log_sum_exp_shift(&mut self, v: Val) -> Atom {
        let m = self.reduce(v, Atom::Real(f64::NEG_INFINITY), &mut |l, acc, x| l.prim(Prim::Fmax, &[acc, x]));
        let finite = self.prim(Prim::IsInf, &[m]);
        let finite = self.prim(Prim::Not, &[finite]);
        let shift = self.f.new_var(None, Ty::REAL, VarKind::Mutable);
        self.emit(Stmt::Decl { var: shift, dims: vec![] });
        self.if_(
            finite,
            |l| l.emit(Stmt::Assign { var: shift, indices: vec![], value: m }),
            |l| l.emit(Stmt::Assign { var: shift, indices: vec![], value: Atom::Real(0.0) }),
        );
        self.prim(Prim::Detach, &[Atom::Var(shift)])
    }

    /// pFq(a; b; z) = Σₖ Πᵢ(aᵢ)ₖ / Πⱼ(bⱼ)ₖ · zᵏ/k!, summed in a while loop until a term falls
    /// below 10⁻¹⁶ of the sum (its gradient is the loop's); a series that has not converged
    /// after 10⁵ terms is an error. `hypergeometric_3F2` checks that a has 3 elements and b 2.
    fn hypergeometric_pfq(&mut self, a: &Args) -> Atom {
        const MAX_TERMS: i64 = 100_000;
        let (top, bottom) = (a.vals[0], a.vals[1]);
        let z = a.real(self, 2);
        if a.name == "hypergeometric_3F2" {
            for (v, size, which) in [(top, 3, "a"), (bottom, 2, "b")] {
                let n = self.num_elements(v);
                let ok = self.prim(Prim::IEq, &[n, Atom::Int(size)]);
                let message = format!("hypergeometric_3F2: {which} must have {size} elements, but has {{}}");
                self.check(ok, ErrorKind::Domain, message, a.span, vec![n]);
            }
        }
        let state = |l: &mut Self, ty: Ty, init: Atom| {
            let var = l.f.new_var(None, ty, VarKind::Mutable);
            l.emit(Stmt::Decl { var, dims: vec![] });
            l.emit(Stmt::Assign { var, indices: vec![], value: init });
            var
        };
        let sum = state(self, Ty::REAL, Atom::Real(1.0));
        let term = state(self, Ty::REAL, Atom::Real(1.0));
        let k = state(self, Ty::INT, Atom::Int(0));
        // Go on while not (k > 0 and |term| ≤ 10⁻¹⁶ |sum| < ∞) and k < MAX_TERMS.
        self.open();
        let t = self.prim(Prim::Fabs, &[Atom::Var(term)]);
        let s = self.prim(Prim::Fabs, &[Atom::Var(sum)]);
        let bound = self.prim(Prim::Mul, &[s, Atom::Real(1e-16)]);
        let small = self.prim(Prim::Le, &[t, bound]);
        // An infinite sum has not converged (its terms have grown past every bound).
        let infinite = self.prim(Prim::IsInf, &[s]);
        let finite = self.prim(Prim::Not, &[infinite]);
        let small = self.prim(Prim::And, &[small, finite]);
        let started = self.prim(Prim::IGt, &[Atom::Var(k), Atom::Int(0)]);
        let converged = self.prim(Prim::And, &[small, started]);
        let open = self.prim(Prim::Not, &[converged]);
        let room = self.prim(Prim::ILt, &[Atom::Var(k), Atom::Int(MAX_TERMS)]);
        let cond = self.prim(Prim::And, &[open, room]);
        let cond_block = self.close();
        // term ← term · Πᵢ(aᵢ + k) / Πⱼ(bⱼ + k) · z/(k + 1)
        self.open();
        let kr = self.prim(Prim::ToReal, &[Atom::Var(k)]);
        let rising = |l: &mut Self, v: Val| {
            l.reduce(v, Atom::Real(1.0), &mut |l, acc, x| {
                let shifted = l.prim(Prim::Add, &[x, kr]);
                l.prim(Prim::Mul, &[acc, shifted])
            })
        };
        let numerator = rising(self, top);
        let denominator = rising(self, bottom);
        let k1 = self.prim(Prim::Add, &[kr, Atom::Real(1.0)]);
        let next = self.prim(Prim::Mul, &[Atom::Var(term), numerator]);
        let next = self.prim(Prim::Div, &[next, denominator]);
        let next = self.prim(Prim::Mul, &[next, z]);
        let next = self.prim(Prim::Div, &[next, k1]);
        self.emit(Stmt::Assign { var: term, indices: vec![], value: next });
        let total = self.prim(Prim::Add, &[Atom::Var(sum), next]);
        self.emit(Stmt::Assign { var: sum, indices: vec![], value: total });
        let k_next = self.prim(Prim::IAdd, &[Atom::Var(k), Atom::Int(1)]);
        self.emit(Stmt::Assign { var: k, indices: vec![], value: k_next });
        let body = self.close();
        self.emit(Stmt::While { cond_block, cond, body });
        let converged = self.prim(Prim::ILt, &[Atom::Var(k), Atom::Int(MAX_TERMS)]);
        let message = format!("{}: the series does not converge (after {{}} terms)", a.name);
        self.check(converged, ErrorKind::Domain, message, a.span, vec![Atom::Var(k)]);
        self.let_(Ty::REAL, Expr::Atom(Atom::Var(sum)))
    }

    /// log_mix(θ, lp) for a vector-like θ and lp a vector-like or an array of them.
    fn log_mix(&mut self, theta: Val, lp: Val, span: Span) -> Atom {
        let log_theta = self.map_elementwise(
            &[theta],
            Ty::VECTOR,
            &mut |l, xs| {
                let x = l.to_real(Val { atom: xs[0], ty: l.f.atom_ty(xs[0]), data: true });
                l.prim(Fun::Log, &[x])
            },
            span,
        );
        let mix = |l: &mut Self, row: Val| {
            let terms = l.map_elementwise(&[log_theta, row], Ty::VECTOR, &mut |l, xs| l.prim(Prim::Add, xs), span);
            l.log_sum_exp_all(terms)
        };
        if lp.ty.rank() == 1 {
            return mix(self, lp);
        }
        let row_ty = Ty { array_rank: 0, ..lp.ty };
        let (Atom::Var(rows), n) = (lp.atom, self.dim(lp.atom, 0)) else { return Atom::Real(f64::NAN) };
        self.reduce_range(Atom::Int(1), n, &mut |l, i| {
            let row = l.let_(row_ty, Expr::Load { base: rows, indices: vec![i] });
            mix(l, Val { atom: row, ty: row_ty, data: lp.data })
        })
    }

    /// `diag_pre_multiply(v, M)` (`pre`) or `diag_post_multiply(M, v)`.
    fn diag_multiply(&mut self, a: &Args, pre: bool) -> Val {
        let (v, m) = if pre { (a.vals[0], a.vals[1]) } else { (a.vals[1], a.vals[0]) };
        let dims = self.dims(m.atom, Ty::MATRIX);
        let out = self.build(Ty::MATRIX, dims.clone());
        let (Atom::Var(vv), Atom::Var(mv), Atom::Var(dst)) = (v.atom, m.atom, out) else { return Val::error() };
        self.for_each_index(&dims, Core::Matrix, &mut |l, idx| {
            let which = if pre { idx[0] } else { idx[1] };
            let s = l.let_(Ty::REAL, Expr::Load { base: vv, indices: vec![which] });
            let x = l.let_(Ty::REAL, Expr::Load { base: mv, indices: idx.to_vec() });
            let p = l.prim(Prim::Mul, &[s, x]);
            l.emit(Stmt::Assign { var: dst, indices: idx.to_vec(), value: p });
        });
        a.value(out, Ty::MATRIX)
    }
}

// ---- Containers: slicing, reshaping, concatenation ---------------------------------------------
//
// Each is written as loops over elements (`Load` / `Assign`), so the AD differentiates them
// with no rule of their own. Every position and size a user gives is checked first.

/// A container operand's variable: containers are always variables.
/// Applies the reflection I − τ v vᵀ (v's elements `range`, inclusive) to the elements
/// `at(i)` of the matrix `target`, i over `range`: one column of R or one row of Q.
fn reflect(l: &mut Lowerer, target: VarId, v: VarId, tau: Atom, range: [Atom; 2], at: &dyn Fn(Atom) -> Vec<Atom>) {
    let load = |l: &mut Lowerer, var: VarId, indices: Vec<Atom>| l.let_(Ty::REAL, Expr::Load { base: var, indices });
    let s = l.reduce_range(range[0], range[1], &mut |l, i| {
        let vi = load(l, v, vec![i]);
        let x = load(l, target, at(i));
        l.prim(Prim::Mul, &[vi, x])
    });
    let ts = l.prim(Prim::Mul, &[tau, s]);
    l.for_loop(range[0], range[1], |l, i| {
        let vi = load(l, v, vec![i]);
        let x = load(l, target, at(i));
        let d = l.prim(Prim::Mul, &[vi, ts]);
        let y = l.prim(Prim::Sub, &[x, d]);
        l.emit(Stmt::Assign { var: target, indices: at(i), value: y });
    });
}

fn var_of(a: Atom) -> VarId {
    a.var().expect("compiler bug: a container operand is a constant")
}

/// A vector, row vector or matrix, not in an array.
fn linalg(a: &ArgType) -> bool {
    a.array_dims == 0 && matches!(a.base, BaseType::Vector | BaseType::RowVector | BaseType::Matrix)
}

/// An array of ints or reals with `dims` dimensions.
fn scalar_array(a: &ArgType, dims: std::ops::RangeInclusive<u8>) -> bool {
    dims.contains(&a.array_dims) && matches!(a.base, BaseType::Int | BaseType::Real)
}

/// What `head`, `tail`, `segment` and `reverse` take: an array of anything, or a vector or
/// row vector.
fn sequence(a: &ArgType) -> bool {
    a.array_dims > 0 || bare_vector_like(a)
}

fn ints(args: &[ArgType]) -> bool {
    args.iter().all(|a| *a == ArgType::INT)
}

/// `append_row`'s operands: a vector or a scalar each (not both scalars), or a row vector or a
/// matrix each. `append_col` is the same with vectors and row vectors swapped.
fn appendable(args: &[ArgType], along: BaseType, across: BaseType) -> bool {
    let is = |a: &ArgType, b: BaseType| a.array_dims == 0 && a.base == b;
    let line = |a: &ArgType| is(a, along) || scalar(a);
    let block = |a: &ArgType| is(a, across) || is(a, BaseType::Matrix);
    args.len() == 2 && ((line(&args[0]) && line(&args[1]) && !all_scalar(args)) || args.iter().all(block))
}

fn container_function(name: &str) -> Option<Function> {
    match name {
        "cumulative_sum" => def(
            |args| one(args) && args[0].rank() == 1,
            |l, a| {
                let v = a.vals[0];
                let n = l.dim(v.atom, 0);
                let out = l.build(v.ty, vec![n]);
                let (src, dst) = (var_of(v.atom), var_of(out));
                let scalar_ty = Ty { array_rank: 0, core: Core::Scalar, ..v.ty };
                let (add, zero) =
                    if v.ty.elem == Elem::Int { (Prim::IAdd, Atom::Int(0)) } else { (Prim::Add, Atom::Real(0.0)) };
                let acc = l.f.new_var(None, scalar_ty, VarKind::Mutable);
                l.emit(Stmt::Decl { var: acc, dims: vec![] });
                l.emit(Stmt::Assign { var: acc, indices: vec![], value: zero });
                l.for_loop(Atom::Int(1), n, |l, i| {
                    let x = l.let_(scalar_ty, Expr::Load { base: src, indices: vec![i] });
                    let s = l.prim(add, &[Atom::Var(acc), x]);
                    l.emit(Stmt::Assign { var: acc, indices: vec![], value: s });
                    l.emit(Stmt::Assign { var: dst, indices: vec![i], value: s });
                });
                a.value(out, v.ty)
            },
        ),
        "head" | "tail" => def(
            |args| args.len() == 2 && sequence(&args[0]) && args[1] == ArgType::INT,
            |l, a| {
                let (v, n) = (a.vals[0], a.vals[1].atom);
                let size = l.dim(v.atom, 0);
                let start = if a.name == "head" {
                    Atom::Int(1)
                } else {
                    let d = l.prim(Prim::ISub, &[size, n]);
                    l.prim(Prim::IAdd, &[d, Atom::Int(1)])
                };
                l.check_extent(start, n, size, a.name, a.span);
                let offset = l.prim(Prim::ISub, &[start, Atom::Int(1)]);
                l.gather_first(v, n, &mut |l, i| l.prim(Prim::IAdd, &[i, offset]))
            },
        ),
        "segment" => def(
            |args| args.len() == 3 && sequence(&args[0]) && ints(&args[1..]),
            |l, a| {
                let (v, start, n) = (a.vals[0], a.vals[1].atom, a.vals[2].atom);
                let size = l.dim(v.atom, 0);
                l.check_extent(start, n, size, a.name, a.span);
                let offset = l.prim(Prim::ISub, &[start, Atom::Int(1)]);
                l.gather_first(v, n, &mut |l, i| l.prim(Prim::IAdd, &[i, offset]))
            },
        ),
        "reverse" => def(
            |args| one(args) && sequence(&args[0]),
            |l, a| {
                let v = a.vals[0];
                let size = l.dim(v.atom, 0);
                let last = l.prim(Prim::IAdd, &[size, Atom::Int(1)]);
                l.gather_first(v, size, &mut |l, i| l.prim(Prim::ISub, &[last, i]))
            },
        ),
        // block(m, i, j, rows, cols) = m[i:i+rows−1, j:j+cols−1]; sub_col and sub_row are one
        // column or row of it.
        "block" => def(|args| args.len() == 5 && args[0] == ArgType::MATRIX && ints(&args[1..]), |l, a| l.block(a)),
        "sub_col" | "sub_row" => {
            def(|args| args.len() == 4 && args[0] == ArgType::MATRIX && ints(&args[1..]), |l, a| l.block(a))
        }
        // softmax(v) = e / Σ e with e = exp(v − max(v)), one exponential per element (the
        // gradient reads e back); log_softmax(v) = v − log_sum_exp(v).
        "softmax" | "log_softmax" => def(
            |args| args == [ArgType::VECTOR],
            |l, a| {
                let v = a.vals[0];
                let n = l.dim(v.atom, 0);
                let ok = l.prim(Prim::IGe, &[n, Atom::Int(1)]);
                l.check(ok, ErrorKind::Domain, format!("{}: the vector is empty", a.name), a.span, vec![]);
                if a.name == "log_softmax" {
                    let lse = l.log_sum_exp_all(v);
                    return l.map_elementwise(&[v], Ty::VECTOR, &mut |l, xs| l.prim(Prim::Sub, &[xs[0], lse]), a.span);
                }
                let shift = l.log_sum_exp_shift(v);
                let e = l.map_elementwise(
                    &[v],
                    Ty::VECTOR,
                    &mut |l, xs| {
                        let d = l.prim(Prim::Sub, &[xs[0], shift]);
                        l.prim(Fun::Exp, &[d])
                    },
                    a.span,
                );
                let s = l.reduce(e, Atom::Real(0.0), &mut |l, acc, x| l.prim(Prim::Add, &[acc, x]));
                let r = l.prim(Prim::Div, &[Atom::Real(1.0), s]);
                l.map_elementwise(&[e], Ty::VECTOR, &mut |l, xs| l.prim(Prim::Mul, &[xs[0], r]), a.span)
            },
        ),
        "append_row" => def(|args| appendable(args, BaseType::Vector, BaseType::RowVector), |l, a| l.append(a, true)),
        "append_col" => def(|args| appendable(args, BaseType::RowVector, BaseType::Vector), |l, a| l.append(a, false)),
        // quad_form_diag(m, v) = diag(v) m diag(v): element (i, j) is v[i] m[i, j] v[j].
        "quad_form_diag" => def(
            |args| args.len() == 2 && args[0] == ArgType::MATRIX && bare_vector_like(&args[1]),
            |l, a| {
                let (m, v) = (a.vals[0], a.vals[1]);
                let n = l.square_size(m.atom, a.name, a.span);
                let k = l.dim(v.atom, 0);
                l.same_size(n, k, "quad_form_diag: the matrix has {} rows, the vector {} elements", a.span);
                let data = m.data && v.data;
                l.fill2(Ty::MATRIX, [n, n], data, &mut |l, i, j| {
                    let vi = l.elem2(v, i, i);
                    let vj = l.elem2(v, j, j);
                    let x = l.elem2(m, i, j);
                    let p = l.prim(Prim::Mul, &[vi, x]);
                    l.prim(Prim::Mul, &[p, vj])
                })
            },
        ),
        "dims" => def(one, |l, a| {
            let sizes = l.value_dims(a.vals[0]);
            let out = l.build(Ty::array(Elem::Int, 1), vec![Atom::Int(sizes.len() as i64)]);
            let dst = var_of(out);
            for (d, size) in sizes.into_iter().enumerate() {
                l.emit(Stmt::Assign { var: dst, indices: vec![Atom::Int(d as i64 + 1)], value: size });
            }
            Val { atom: out, ty: Ty::array(Elem::Int, 1), data: true }
        }),
        // One argument: a vector is a column, a row vector a row, a two-dimensional array or an
        // array of row vectors row by row. With sizes m and n, the elements in column-major
        // order (row-major when a fourth argument is 0).
        "to_matrix" => def(
            |args| match args {
                [x] => linalg(x) || *x == ArgType::ROW_VECTOR.array(1) || scalar_array(x, 2..=2),
                [x, sizes @ ..] => matches!(sizes.len(), 2 | 3) && ints(sizes) && (linalg(x) || scalar_array(x, 1..=1)),
                [] => false,
            },
            |l, a| {
                let v = a.vals[0];
                if a.vals.len() == 1 {
                    let dims = l.matrix_dims(v);
                    return l.fill2(Ty::MATRIX, dims, v.data, &mut |l, i, j| l.elem2(v, i, j));
                }
                let [m, n] = [a.vals[1].atom, a.vals[2].atom];
                l.check_given_sizes(&[m, n], a.span);
                let count = l.num_elements(v);
                let mn = l.prim(Prim::IMul, &[m, n]);
                l.same_size(mn, count, "to_matrix: {} elements are needed, the argument has {}", a.span);
                let col_major = match a.vals.get(3) {
                    Some(flag) => l.prim(Prim::INe, &[flag.atom, Atom::Int(0)]),
                    None => Atom::Int(1),
                };
                l.fill2(Ty::MATRIX, [m, n], v.data, &mut |l, i, j| {
                    let (i0, j0) = (l.prim(Prim::ISub, &[i, Atom::Int(1)]), l.prim(Prim::ISub, &[j, Atom::Int(1)]));
                    // k = col_major ? j0 m + i0 : i0 n + j0
                    let by_col = l.prim(Prim::IMul, &[j0, m]);
                    let by_col = l.prim(Prim::IAdd, &[by_col, i0]);
                    let by_row = l.prim(Prim::IMul, &[i0, n]);
                    let by_row = l.prim(Prim::IAdd, &[by_row, j0]);
                    let d = l.prim(Prim::ISub, &[by_col, by_row]);
                    let d = l.prim(Prim::IMul, &[col_major, d]);
                    let k = l.prim(Prim::IAdd, &[by_row, d]);
                    l.linear_elem(v, k)
                })
            },
        ),
        // Memory order is Stan's order here: arrays row-major, a matrix column-major.
        "to_array_1d" => def(
            |args| one(args) && (linalg(&args[0]) || scalar_array(&args[0], 1..=7)),
            |l, a| {
                let v = a.vals[0];
                let ty = Ty::array(v.ty.elem, 1);
                let count = l.num_elements(v);
                let out = l.build(ty, vec![count]);
                let (src, dst) = (var_of(v.atom), var_of(out));
                let dims = l.dims(v.atom, v.ty);
                let scalar_ty = Ty::array(v.ty.elem, 0);
                l.for_each_index(&dims, v.ty.core, &mut |l, idx| {
                    let x = l.let_(scalar_ty, Expr::Load { base: src, indices: idx.to_vec() });
                    let pos = l.memory_position(&dims, idx, v.ty.core);
                    l.emit(Stmt::Assign { var: dst, indices: vec![pos], value: x });
                });
                a.value(out, ty)
            },
        ),
        "to_array_2d" => def(one_matrix, |l, a| {
            let v = a.vals[0];
            let dims = l.matrix_dims(v);
            l.fill2(Ty::array(Elem::Real, 2), dims, v.data, &mut |l, i, j| l.elem2(v, i, j))
        }),
        "col" | "row" => def(
            |args| args.len() == 2 && args[0] == ArgType::MATRIX && args[1] == ArgType::INT,
            |l, a| {
                let (m, k) = (a.vals[0], a.vals[1].atom);
                let [rows, cols] = l.matrix_dims(m);
                let (ty, dims) = if a.name == "col" {
                    (Ty::VECTOR, [rows, Atom::Int(1)])
                } else {
                    (Ty::ROW_VECTOR, [Atom::Int(1), cols])
                };
                l.check_index(m.atom, usize::from(a.name == "col"), k, a.span);
                let col = a.name == "col";
                l.fill2(ty, dims, a.data, &mut |l, i, j| if col { l.elem2(m, i, k) } else { l.elem2(m, k, j) })
            },
        ),
        "diagonal" => def(one_matrix, |l, a| {
            let m = a.vals[0];
            let [rows, cols] = l.matrix_dims(m);
            let n = l.prim(Prim::IMin, &[rows, cols]);
            l.fill2(Ty::VECTOR, [n, Atom::Int(1)], m.data, &mut |l, i, _| l.elem2(m, i, i))
        }),
        // m + diag(d) over the leading diagonal, d a scalar or as long as the diagonal.
        "add_diag" => def(
            |args| args.len() == 2 && args[0] == ArgType::MATRIX && (scalar(&args[1]) || bare_vector_like(&args[1])),
            |l, a| {
                let (m, d) = (a.vals[0], a.vals[1]);
                let [rows, cols] = l.matrix_dims(m);
                if !d.ty.is_scalar() {
                    let n = l.prim(Prim::IMin, &[rows, cols]);
                    let k = l.dim(d.atom, 0);
                    l.same_size(k, n, "add_diag: the diagonal has {} elements, the matrix's {}", a.span);
                }
                l.fill2(Ty::MATRIX, [rows, cols], a.data, &mut |l, i, j| {
                    let x = l.elem2(m, i, j);
                    let on_int = l.prim(Prim::IEq, &[i, j]);
                    let on = l.prim(Prim::ToReal, &[on_int]);
                    let di = if d.ty.is_scalar() {
                        l.to_real(d)
                    } else {
                        // Off the diagonal, element 1 is read (and multiplied by 0).
                        let i0 = l.prim(Prim::ISub, &[i, Atom::Int(1)]);
                        let k = l.prim(Prim::IMul, &[on_int, i0]);
                        let k = l.prim(Prim::IAdd, &[k, Atom::Int(1)]);
                        l.elem2(d, k, k)
                    };
                    let t = l.prim(Prim::Mul, &[on, di]);
                    l.prim(Prim::Add, &[x, t])
                })
            },
        ),
        "identity_matrix" => def(
            |args| args == [ArgType::INT],
            |l, a| {
                let n = a.vals[0].atom;
                l.check_given_sizes(&[n], a.span);
                l.fill2(Ty::MATRIX, [n, n], true, &mut |l, i, j| {
                    let on = l.prim(Prim::IEq, &[i, j]);
                    l.prim(Prim::ToReal, &[on])
                })
            },
        ),
        "zeros_vector" | "zeros_row_vector" | "zeros_array" | "zeros_int_array" | "ones_vector" | "ones_row_vector"
        | "ones_array" | "ones_int_array" | "uniform_simplex" => def(
            |args| args == [ArgType::INT],
            |l, a| {
                let n = a.vals[0].atom;
                l.check_given_sizes(&[n], a.span);
                let ty = sized_line(a.name);
                let x = match a.name {
                    "uniform_simplex" => {
                        let ok = l.prim(Prim::IGe, &[n, Atom::Int(1)]);
                        l.check(
                            ok,
                            ErrorKind::Domain,
                            "uniform_simplex: the size is {}; it must be positive".into(),
                            a.span,
                            vec![n],
                        );
                        let nr = l.prim(Prim::ToReal, &[n]);
                        l.prim(Prim::Div, &[Atom::Real(1.0), nr])
                    }
                    name if name.starts_with("zeros") => Atom::Real(0.0),
                    _ => Atom::Real(1.0),
                };
                let x = if ty.elem == Elem::Int { Atom::Int(if x == Atom::Real(0.0) { 0 } else { 1 }) } else { x };
                l.fill(ty, vec![n], x, true)
            },
        ),
        "one_hot_vector" | "one_hot_row_vector" | "one_hot_array" | "one_hot_int_array" => def(
            |args| args == [ArgType::INT, ArgType::INT],
            |l, a| {
                let (n, k) = (a.vals[0].atom, a.vals[1].atom);
                let ok = l.prim(Prim::IGe, &[n, Atom::Int(1)]);
                l.check(
                    ok,
                    ErrorKind::Domain,
                    format!("{}: the size is {{}}; it must be positive", a.name),
                    a.span,
                    vec![n],
                );
                l.check_extent(k, Atom::Int(1), n, a.name, a.span);
                let ty = sized_line(a.name);
                let zero = if ty.elem == Elem::Int { Atom::Int(0) } else { Atom::Real(0.0) };
                let out = l.fill(ty, vec![n], zero, true);
                let one = if ty.elem == Elem::Int { Atom::Int(1) } else { Atom::Real(1.0) };
                l.emit(Stmt::Assign { var: var_of(out.atom), indices: vec![k], value: one });
                out
            },
        ),
        // lo + (hi − lo)(i − 1)/(n − 1); one element is hi.
        "linspaced_vector" | "linspaced_row_vector" | "linspaced_array" => def(
            |args| args.len() == 3 && args[0] == ArgType::INT && all_scalar(&args[1..]),
            |l, a| {
                let n = a.vals[0].atom;
                let (lo, hi) = (a.real(l, 1), a.real(l, 2));
                l.check_linspaced(n, lo, hi, Prim::Ge, a);
                let ty = sized_line(a.name);
                let width = l.prim(Prim::Sub, &[hi, lo]);
                let steps = l.prim(Prim::ISub, &[n, Atom::Int(1)]);
                let steps = l.prim(Prim::IMax, &[steps, Atom::Int(1)]);
                let steps = l.prim(Prim::ToReal, &[steps]);
                let step = l.prim(Prim::Div, &[width, steps]);
                let first = l.prim(Prim::ILe, &[n, Atom::Int(1)]);
                let first = l.prim(Prim::ToReal, &[first]);
                // With one element, the start moves to hi.
                let start = l.prim(Prim::Mul, &[first, width]);
                let start = l.prim(Prim::Add, &[lo, start]);
                l.fill2(ty, [n, n], a.data, &mut |l, i, j| {
                    let k = if ty.core == Core::RowVector { j } else { i };
                    let k = l.prim(Prim::ISub, &[k, Atom::Int(1)]);
                    let k = l.prim(Prim::ToReal, &[k]);
                    let x = l.prim(Prim::Mul, &[k, step]);
                    l.prim(Prim::Add, &[start, x])
                })
            },
        ),
        // rows_dot_product(a, b)[i] = Σ_j a[i, j] b[i, j]; columns_dot_product sums down columns.
        // A vector is a column, a row vector a row. The `_self` forms take b = a.
        "rows_dot_product" | "columns_dot_product" => {
            def(|args| args.len() == 2 && args[0] == args[1] && linalg(&args[0]), |l, a| l.line_dots(a, a.vals[1]))
        }
        "rows_dot_self" | "columns_dot_self" => {
            def(|args| one(args) && linalg(&args[0]), |l, a| l.line_dots(a, a.vals[0]))
        }
        "trace" => def(one_matrix, |l, a| {
            let m = a.vals[0];
            let [rows, cols] = l.matrix_dims(m);
            let n = l.prim(Prim::IMin, &[rows, cols]);
            let atom = l.reduce_range(Atom::Int(1), n, &mut |l, i| l.elem2(m, i, i));
            a.value(atom, Ty::REAL)
        }),
        "crossprod" | "tcrossprod" => def(one_matrix, |l, a| {
            let m = a.vals[0];
            let t = l.transposed(m);
            let (x, y) = if a.name == "crossprod" { (t, m) } else { (m, t) };
            l.kernel(Prim::MatMul, x, y, Ty::MATRIX, a.span)
        }),
        // quad_form(A, B) = Bᵀ A B; quad_form(A, v) = vᵀ A v. The `_sym` forms check that A is
        // symmetric and make a matrix result exactly symmetric.
        "quad_form" | "quad_form_sym" => def(
            |args| {
                args.len() == 2 && args[0] == ArgType::MATRIX && matches!(args[1], ArgType::MATRIX | ArgType::VECTOR)
            },
            |l, a| {
                let (m, b) = (a.vals[0], a.vals[1]);
                l.square_size(m.atom, a.name, a.span);
                if a.name == "quad_form_sym" {
                    l.check_symmetric(m, a.name, a.span);
                }
                if b.ty == Ty::VECTOR {
                    let mb = l.kernel(Prim::MatVec, m, b, Ty::VECTOR, a.span);
                    let atom = l.dot(b, mb, a.span);
                    return a.value(atom, Ty::REAL);
                }
                let mb = l.kernel(Prim::MatMul, m, b, Ty::MATRIX, a.span);
                let bt = l.transposed(b);
                let q = l.kernel(Prim::MatMul, bt, mb, Ty::MATRIX, a.span);
                if a.name == "quad_form" { q } else { l.symmetrised(q) }
            },
        ),
        // trace(Bᵀ A B) = Σ B .* (A B); trace(D Bᵀ A B) = Σᵢⱼ D[i, j] (Bᵀ A B)[j, i].
        "trace_quad_form" => def(
            |args| {
                args.len() == 2 && args[0] == ArgType::MATRIX && matches!(args[1], ArgType::MATRIX | ArgType::VECTOR)
            },
            |l, a| {
                let (m, b) = (a.vals[0], a.vals[1]);
                l.square_size(m.atom, a.name, a.span);
                let (p, ty) = if b.ty == Ty::VECTOR { (Prim::MatVec, Ty::VECTOR) } else { (Prim::MatMul, Ty::MATRIX) };
                let mb = l.kernel(p, m, b, ty, a.span);
                let prod = l.map_elementwise(&[b, mb], ty, &mut |l, xs| l.prim(Prim::Mul, &[xs[0], xs[1]]), a.span);
                let atom = l.sum_all(prod);
                a.value(atom, Ty::REAL)
            },
        ),
        "trace_gen_quad_form" => def(
            |args| args == [ArgType::MATRIX, ArgType::MATRIX, ArgType::MATRIX],
            |l, a| {
                let (d, m, b) = (a.vals[0], a.vals[1], a.vals[2]);
                l.square_size(m.atom, a.name, a.span);
                l.square_size(d.atom, a.name, a.span);
                let mb = l.kernel(Prim::MatMul, m, b, Ty::MATRIX, a.span);
                let bt = l.transposed(b);
                let q = l.kernel(Prim::MatMul, bt, mb, Ty::MATRIX, a.span);
                let qt = l.transposed(q);
                let prod =
                    l.map_elementwise(&[d, qt], Ty::MATRIX, &mut |l, xs| l.prim(Prim::Mul, &[xs[0], xs[1]]), a.span);
                let atom = l.sum_all(prod);
                a.value(atom, Ty::REAL)
            },
        ),
        "norm1" | "norm2" => def(
            |args| one(args) && args[0].rank() == 1,
            |l, a| {
                let v = a.vals[0];
                let atom = if a.name == "norm1" {
                    l.reduce(v, Atom::Real(0.0), &mut |l, acc, x| {
                        let ax = l.prim(Prim::Fabs, &[x]);
                        l.prim(Prim::Add, &[acc, ax])
                    })
                } else {
                    let ss = l.dot(v, v, a.span);
                    l.prim(Prim::Sqrt, &[ss])
                };
                a.value(atom, Ty::REAL)
            },
        ),
        "squared_distance" | "distance" => def(
            |args| args.len() == 2 && (all_scalar(args) || args.iter().all(bare_vector_like)),
            |l, a| {
                let (x, y) = (a.vals[0], a.vals[1]);
                let atom = if x.ty.is_scalar() {
                    let (x, y) = (a.real(l, 0), a.real(l, 1));
                    let d = l.prim(Prim::Sub, &[x, y]);
                    if a.name == "distance" { l.prim(Prim::Fabs, &[d]) } else { l.prim(Prim::Mul, &[d, d]) }
                } else {
                    let n = l.dim(x.atom, 0);
                    let m = l.dim(y.atom, 0);
                    l.same_size(n, m, "distance between vectors of sizes {} and {}", a.span);
                    let ss = l.reduce_range(Atom::Int(1), n, &mut |l, i| {
                        let (xi, yi) = (l.elem2(x, i, i), l.elem2(y, i, i));
                        let d = l.prim(Prim::Sub, &[xi, yi]);
                        l.prim(Prim::Mul, &[d, d])
                    });
                    if a.name == "distance" { l.prim(Prim::Sqrt, &[ss]) } else { ss }
                };
                a.value(atom, Ty::REAL)
            },
        ),
        // The permutation that sorts: element i goes to 1 + the number of elements before it
        // in the order (ties kept in place). Sorting gathers through it, so values sort with
        // their gradients.
        "sort_asc" | "sort_desc" | "sort_indices_asc" | "sort_indices_desc" => def(
            |args| one(args) && args[0].rank() == 1,
            |l, a| {
                let v = a.vals[0];
                let n = l.dim(v.atom, 0);
                let desc = a.name.ends_with("desc");
                let indices = a.name.starts_with("sort_indices");
                let ty = if indices { Ty::array(Elem::Int, 1) } else { v.ty };
                let out = l.build(ty, vec![n]);
                let dst = var_of(out);
                l.for_loop(Atom::Int(1), n, |l, i| {
                    let xi = l.elem2(v, i, i);
                    let nan = l.prim(Prim::IsNan, &[xi]);
                    let ok = l.prim(Prim::Not, &[nan]);
                    l.check(ok, ErrorKind::Domain, format!("{}: element {{}} is NaN", a.name), a.span, vec![i]);
                    let before = l.count(n, &mut |l, j| {
                        let xj = l.elem2(v, j, j);
                        let (p, q) = if desc { (xj, xi) } else { (xi, xj) };
                        let less = l.prim(Prim::Gt, &[p, q]);
                        let tie = l.prim(Prim::Eq, &[p, q]);
                        let earlier = l.prim(Prim::ILt, &[j, i]);
                        let tie = l.prim(Prim::And, &[tie, earlier]);
                        l.prim(Prim::Or, &[less, tie])
                    });
                    let pos = l.prim(Prim::IAdd, &[before, Atom::Int(1)]);
                    let value = if indices {
                        i
                    } else {
                        let scalar_ty = Ty::array(v.ty.elem, 0);
                        l.let_(scalar_ty, Expr::Load { base: var_of(v.atom), indices: vec![i] })
                    };
                    l.emit(Stmt::Assign { var: dst, indices: vec![pos], value });
                });
                Val { atom: out, ty, data: v.data || indices }
            },
        ),
        // Covariance matrices of Gaussian processes: K[i, j] = k(x1[i], x2[j]) (x2 = x1 when
        // one set of points is given), with r the distance scaled by the length scale (one per
        // dimension when it is an array): exp_quad σ² exp(−r²/2), matern32 σ² (1 + √3 r) e^(−√3 r),
        // matern52 σ² (1 + √5 r + 5r²/3) e^(−√5 r), exponential σ² e^(−r).
        "gp_exp_quad_cov" | "gp_matern32_cov" | "gp_matern52_cov" | "gp_exponential_cov" => {
            def(|args| gp_args(args, 2, true), |l, a| l.gp_cov(a, 2))
        }
        // σ² exp(−2 sin²(π |x − x'| / p) / l²)
        "gp_periodic_cov" => def(|args| gp_args(args, 3, false), |l, a| l.gp_cov(a, 3)),
        // σ² + x · x'
        "gp_dot_prod_cov" => def(|args| gp_args(args, 1, false), |l, a| l.gp_cov(a, 1)),
        // Dense kernels (LU, eigendecomposition, SVD, matrix exponential) and what is built on
        // them. The `_spd` and `_sym` forms check that the matrix is symmetric.
        // The lower triangle mirrored above the diagonal.
        "symmetrize_from_lower_tri" => def(one_matrix, |l, a| {
            let m = a.vals[0];
            let n = l.square_size(m.atom, a.name, a.span);
            l.fill2(Ty::MATRIX, [n, n], m.data, &mut |l, i, j| {
                let (hi, lo) = (l.prim(Prim::IMax, &[i, j]), l.prim(Prim::IMin, &[i, j]));
                l.elem2(m, hi, lo)
            })
        }),
        "matrix_power" => def(|args| args == [ArgType::MATRIX, ArgType::INT], |l, a| l.matrix_power(a)),
        "generalized_inverse" => def(one_matrix, |l, a| l.generalized_inverse(a)),
        "inverse" | "inverse_spd" => def(one_matrix, |l, a| {
            let m = a.vals[0];
            let inv = l.square_kernel(Prim::Inverse, m, a);
            if a.name == "inverse" { inv } else { l.symmetrised(inv) }
        }),
        // (L Lᵀ)⁻¹, L as given.
        "chol2inv" => def(one_matrix, |l, a| {
            let m = a.vals[0];
            let t = l.transposed(m);
            let llt = l.kernel(Prim::MatMul, m, t, Ty::MATRIX, a.span);
            let inv = l.square_kernel(Prim::Inverse, llt, a);
            l.symmetrised(inv)
        }),
        "determinant" | "log_determinant" => def(one_matrix, |l, a| {
            let p = if a.name == "determinant" { Prim::Determinant } else { Prim::LogDeterminant };
            l.square_kernel(p, a.vals[0], a)
        }),
        // 2 Σ log L[i, i] with L the Cholesky factor.
        "log_determinant_spd" => def(one_matrix, |l, a| {
            let m = a.vals[0];
            l.check_symmetric(m, a.name, a.span);
            let chol = l.cholesky(m.atom, a.span);
            let chol = Val { atom: chol, ty: Ty::MATRIX, data: m.data };
            let n = l.dim(m.atom, 0);
            let s = l.reduce_range(Atom::Int(1), n, &mut |l, i| {
                let x = l.elem2(chol, i, i);
                l.prim(Fun::Log, &[x])
            });
            let atom = l.prim(Prim::Mul, &[s, Atom::Real(2.0)]);
            a.value(atom, Ty::REAL)
        }),
        // (eigenvectors, eigenvalues), as the two functions give them.
        "eigendecompose_sym" => def(one_matrix, |l, a| {
            let vectors = l.builtin("eigenvectors_sym", a.vals, a.span);
            let values = l.builtin("eigenvalues_sym", a.vals, a.span);
            l.tuple_of(vec![vectors, values])
        }),
        "csr_extract" => def(one_matrix, |l, a| {
            let parts = ["csr_extract_w", "csr_extract_v", "csr_extract_u"].map(|f| l.builtin(f, a.vals, a.span));
            l.tuple_of(parts.to_vec())
        }),
        "qr_Q" | "qr_R" | "qr_thin_Q" | "qr_thin_R" | "qr" | "qr_thin" => def(one_matrix, |l, a| {
            let (q, r) = l.qr(a.vals[0], a.name.starts_with("qr_thin"), a);
            match a.name {
                "qr_Q" | "qr_thin_Q" => q,
                "qr_R" | "qr_thin_R" => r,
                _ => l.tuple_of(vec![q, r]),
            }
        }),
        "eigenvalues_sym" | "eigenvectors_sym" => def(one_matrix, |l, a| {
            let m = a.vals[0];
            let p = if a.name == "eigenvalues_sym" { Prim::EigenvaluesSym } else { Prim::EigenvectorsSym };
            l.square_kernel(p, m, a)
        }),
        "singular_values" => def(one_matrix, |l, a| {
            let atom = l.let_(Ty::VECTOR, Expr::Prim(Prim::SingularValues, vec![a.vals[0].atom]));
            a.value(atom, Ty::VECTOR)
        }),
        "matrix_exp" => def(one_matrix, |l, a| l.square_kernel(Prim::MatrixExp, a.vals[0], a)),
        // exp(A) B and exp(t A) B.
        "matrix_exp_multiply" => def(
            |args| args == [ArgType::MATRIX, ArgType::MATRIX],
            |l, a| {
                let e = l.square_kernel(Prim::MatrixExp, a.vals[0], a);
                l.kernel(Prim::MatMul, e, a.vals[1], Ty::MATRIX, a.span)
            },
        ),
        "scale_matrix_exp_multiply" => def(
            |args| args.len() == 3 && scalar(&args[0]) && args[1] == ArgType::MATRIX && args[2] == ArgType::MATRIX,
            |l, a| {
                let t = a.real(l, 0);
                let ta =
                    l.map_elementwise(&[a.vals[1]], Ty::MATRIX, &mut |l, xs| l.prim(Prim::Mul, &[t, xs[0]]), a.span);
                let ta = Val { data: ta.data && a.vals[0].data, ..ta };
                let e = l.square_kernel(Prim::MatrixExp, ta, a);
                l.kernel(Prim::MatMul, e, a.vals[2], Ty::MATRIX, a.span)
            },
        ),
        // A⁻¹ b and b A⁻¹ through the inverse; the triangular forms invert the lower triangle.
        "mdivide_left" | "mdivide_left_spd" => def(
            |args| {
                args.len() == 2 && args[0] == ArgType::MATRIX && matches!(args[1], ArgType::MATRIX | ArgType::VECTOR)
            },
            |l, a| l.divide(a, a.vals[0], a.vals[1], true),
        ),
        "mdivide_right" | "mdivide_right_spd" | "mdivide_right_tri_low" => def(
            |args| {
                args.len() == 2
                    && matches!(args[0], ArgType::MATRIX | ArgType::ROW_VECTOR)
                    && args[1] == ArgType::MATRIX
            },
            |l, a| l.divide(a, a.vals[1], a.vals[0], false),
        ),
        "append_array" => def(
            |args| {
                let number = |a: &ArgType| matches!(a.base, BaseType::Int | BaseType::Real);
                args.len() == 2
                    && args[0].array_dims > 0
                    && args[0].array_dims == args[1].array_dims
                    && (args[0].base == args[1].base || (number(&args[0]) && number(&args[1])))
            },
            |l, a| {
                let (x, y) = (a.vals[0], a.vals[1]);
                let elem = if x.ty.elem == Elem::Real || y.ty.elem == Elem::Real { Elem::Real } else { Elem::Int };
                let ty = Ty { elem, ..x.ty };
                let mut dims = l.dims(x.atom, x.ty);
                let y_dims = l.dims(y.atom, y.ty);
                for (d, (&dx, &dy)) in dims.iter().zip(&y_dims).enumerate().skip(1) {
                    let message = format!("append_array: dimension {} of the arrays' elements is {{}} and {{}}", d + 1);
                    l.same_size(dx, dy, &message, a.span);
                }
                let n1 = dims[0];
                dims[0] = l.prim(Prim::IAdd, &[n1, y_dims[0]]);
                let out = l.build(ty, dims);
                let dst = var_of(out);
                for (v, v_dims, shift) in [(x, l.dims(x.atom, x.ty), Atom::Int(0)), (y, y_dims, n1)] {
                    let scalar_ty = Ty::array(v.ty.elem, 0);
                    l.for_each_index(&v_dims, v.ty.core, &mut |l, idx| {
                        let e = l.let_(scalar_ty, Expr::Load { base: var_of(v.atom), indices: idx.to_vec() });
                        let e =
                            if elem == Elem::Real { l.to_real(Val { atom: e, ty: scalar_ty, data: true }) } else { e };
                        let mut at = idx.to_vec();
                        at[0] = l.prim(Prim::IAdd, &[idx[0], shift]);
                        l.emit(Stmt::Assign { var: dst, indices: at, value: e });
                    });
                }
                a.value(out, ty)
            },
        ),
        "transpose" => def(
            |args| one(args) && linalg(&args[0]),
            |l, a| {
                let v = a.vals[0];
                match v.ty.core {
                    Core::Matrix => l.transposed(v),
                    core => {
                        let ty = if core == Core::Vector { Ty::ROW_VECTOR } else { Ty::VECTOR };
                        let [rows, cols] = l.matrix_dims(v);
                        l.fill2(ty, [cols, rows], v.data, &mut |l, i, j| l.elem2(v, j, i))
                    }
                }
            },
        ),
        // Eigen's integer LinSpaced: steps of (hi − lo)/(n − 1), or, when there are more
        // elements than integers in [lo, hi], i / ((n + hi − lo)/(hi − lo + 1)).
        "linspaced_int_array" => def(
            |args| args == [ArgType::INT, ArgType::INT, ArgType::INT],
            |l, a| {
                let [n, lo, hi] = [0, 1, 2].map(|i| a.vals[i].atom);
                l.check_linspaced(n, lo, hi, Prim::IGe, a);
                let width = l.prim(Prim::ISub, &[hi, lo]);
                let steps = l.prim(Prim::ISub, &[n, Atom::Int(1)]);
                let steps = l.prim(Prim::IMax, &[steps, Atom::Int(1)]);
                let multiplier = l.prim(Prim::IDiv, &[width, steps]);
                let count = l.prim(Prim::IAdd, &[width, Atom::Int(1)]);
                let divisor = l.prim(Prim::IAdd, &[n, width]);
                let divisor = l.prim(Prim::IDiv, &[divisor, count]);
                let crowded = l.prim(Prim::ILt, &[count, n]);
                let several = l.prim(Prim::IGt, &[n, Atom::Int(1)]);
                let use_divisor = l.prim(Prim::And, &[crowded, several]);
                // Only read when used; never zero.
                let divisor = l.prim(Prim::IMax, &[divisor, Atom::Int(1)]);
                let ty = Ty::array(Elem::Int, 1);
                let out = l.build(ty, vec![n]);
                let dst = var_of(out);
                l.for_loop(Atom::Int(1), n, |l, i| {
                    let i0 = l.prim(Prim::ISub, &[i, Atom::Int(1)]);
                    let by_div = l.prim(Prim::IDiv, &[i0, divisor]);
                    let by_mul = l.prim(Prim::IMul, &[i0, multiplier]);
                    let d = l.prim(Prim::ISub, &[by_div, by_mul]);
                    let d = l.prim(Prim::IMul, &[use_divisor, d]);
                    let step = l.prim(Prim::IAdd, &[by_mul, d]);
                    let v = l.prim(Prim::IAdd, &[lo, step]);
                    l.emit(Stmt::Assign { var: dst, indices: vec![i], value: v });
                });
                Val { atom: out, ty, data: true }
            },
        ),
        // Compressed sparse rows: values w, their columns v, and where each row starts in them, u.
        "csr_matrix_times_vector" => def(
            |args| {
                let ints = ArgType::INT.array(1);
                args == [ArgType::INT, ArgType::INT, ArgType::VECTOR, ints, ints, ArgType::VECTOR]
            },
            |l, a| {
                let [m, n] = [a.vals[0].atom, a.vals[1].atom];
                let (w, v, u, b) = (a.vals[2], a.vals[3], a.vals[4], a.vals[5]);
                l.check_csr(m, n, w, v, u, a);
                let k = l.dim(b.atom, 0);
                l.same_size(k, n, "csr_matrix_times_vector: the vector has {} elements, the matrix {} columns", a.span);
                let data = w.data && b.data;
                l.fill2(Ty::VECTOR, [m, Atom::Int(1)], data, &mut |l, i, _| {
                    let (start, end) = l.csr_row(u, i);
                    l.reduce_range(start, end, &mut |l, p| {
                        let col = l.let_(Ty::INT, Expr::Load { base: var_of(v.atom), indices: vec![p] });
                        let x = l.elem2(w, p, p);
                        let y = l.elem2(b, col, col);
                        l.prim(Prim::Mul, &[x, y])
                    })
                })
            },
        ),
        "csr_to_dense_matrix" => def(
            |args| {
                let ints = ArgType::INT.array(1);
                args == [ArgType::INT, ArgType::INT, ArgType::VECTOR, ints, ints]
            },
            |l, a| {
                let [m, n] = [a.vals[0].atom, a.vals[1].atom];
                let (w, v, u) = (a.vals[2], a.vals[3], a.vals[4]);
                l.check_csr(m, n, w, v, u, a);
                // A mutable matrix: each element is zeroed, then set (the AD keeps both writes apart).
                let out = l.f.new_var(None, Ty::MATRIX, VarKind::Mutable);
                l.emit(Stmt::Decl { var: out, dims: vec![m, n] });
                l.for_each_index(&[m, n], Core::Matrix, &mut |l, idx| {
                    l.emit(Stmt::Assign { var: out, indices: idx.to_vec(), value: Atom::Real(0.0) });
                });
                l.for_loop(Atom::Int(1), m, |l, i| {
                    let (start, end) = l.csr_row(u, i);
                    l.for_loop(start, end, |l, p| {
                        let col = l.let_(Ty::INT, Expr::Load { base: var_of(v.atom), indices: vec![p] });
                        let x = l.elem2(w, p, p);
                        l.emit(Stmt::Assign { var: out, indices: vec![i, col], value: x });
                    });
                });
                let atom = l.let_(Ty::MATRIX, Expr::Atom(Atom::Var(out)));
                a.value(atom, Ty::MATRIX)
            },
        ),
        // The nonzero elements of a matrix, row by row: their values (w), columns (v) and where
        // each row starts among them (u, one more than the rows).
        "csr_extract_w" | "csr_extract_v" | "csr_extract_u" => def(one_matrix, |l, a| {
            let m = a.vals[0];
            let [rows, cols] = l.matrix_dims(m);
            let nonzero = |l: &mut Lowerer, i: Atom, j: Atom| {
                let x = l.elem2(m, i, j);
                (x, l.prim(Prim::Ne, &[x, Atom::Real(0.0)]))
            };
            let ty = if a.name == "csr_extract_w" { Ty::VECTOR } else { Ty::array(Elem::Int, 1) };
            let len = if a.name == "csr_extract_u" {
                l.prim(Prim::IAdd, &[rows, Atom::Int(1)])
            } else {
                let total = l.f.new_var(None, Ty::INT, VarKind::Mutable);
                l.emit(Stmt::Decl { var: total, dims: vec![] });
                l.emit(Stmt::Assign { var: total, indices: vec![], value: Atom::Int(0) });
                l.for_each_index(&[rows, cols], Core::Matrix, &mut |l, idx| {
                    let (_, nz) = nonzero(l, idx[0], idx[1]);
                    let s = l.prim(Prim::IAdd, &[Atom::Var(total), nz]);
                    l.emit(Stmt::Assign { var: total, indices: vec![], value: s });
                });
                l.let_(Ty::INT, Expr::Atom(Atom::Var(total)))
            };
            let out = l.build(ty, vec![len]);
            let dst = var_of(out);
            // How many nonzeros came before, in row order.
            let seen = l.f.new_var(None, Ty::INT, VarKind::Mutable);
            l.emit(Stmt::Decl { var: seen, dims: vec![] });
            l.emit(Stmt::Assign { var: seen, indices: vec![], value: Atom::Int(0) });
            l.for_loop(Atom::Int(1), rows, |l, i| {
                if a.name == "csr_extract_u" {
                    let start = l.prim(Prim::IAdd, &[Atom::Var(seen), Atom::Int(1)]);
                    l.emit(Stmt::Assign { var: dst, indices: vec![i], value: start });
                }
                l.for_loop(Atom::Int(1), cols, |l, j| {
                    let (x, nz) = nonzero(l, i, j);
                    l.if_(
                        nz,
                        |l| {
                            let pos = l.prim(Prim::IAdd, &[Atom::Var(seen), Atom::Int(1)]);
                            match a.name {
                                "csr_extract_w" => l.emit(Stmt::Assign { var: dst, indices: vec![pos], value: x }),
                                "csr_extract_v" => l.emit(Stmt::Assign { var: dst, indices: vec![pos], value: j }),
                                _ => {}
                            }
                            l.emit(Stmt::Assign { var: seen, indices: vec![], value: pos });
                        },
                        |_| {},
                    );
                });
            });
            if a.name == "csr_extract_u" {
                let end = l.prim(Prim::IAdd, &[Atom::Var(seen), Atom::Int(1)]);
                let last = l.prim(Prim::IAdd, &[rows, Atom::Int(1)]);
                l.emit(Stmt::Assign { var: dst, indices: vec![last], value: end });
            }
            Val { atom: out, ty, data: m.data || ty.elem == Elem::Int }
        }),
        // Stan's sample quantile: with the sorted values x₀ ≤ … ≤ xₙ₋₁ and i = (n − 1) p,
        // (1 − h) x⌊i⌋ + h x⌈i⌉, h = i − ⌊i⌋.
        "quantile" => def(
            |args| args.len() == 2 && args[0].rank() == 1 && (scalar(&args[1]) || args[1] == ArgType::REAL.array(1)),
            |l, a| {
                let (v, p) = (a.vals[0], a.vals[1]);
                let n = l.dim(v.atom, 0);
                let ok = l.prim(Prim::IGe, &[n, Atom::Int(1)]);
                l.check(ok, ErrorKind::Domain, "quantile: the sample is empty".into(), a.span, vec![]);
                let sorted = l.builtin("sort_asc", &[v], a.span);
                let one = |l: &mut Lowerer, p: Atom| {
                    let lo_ok = l.prim(Prim::Ge, &[p, Atom::Real(0.0)]);
                    let hi_ok = l.prim(Prim::Le, &[p, Atom::Real(1.0)]);
                    let ok = l.prim(Prim::And, &[lo_ok, hi_ok]);
                    l.check(
                        ok,
                        ErrorKind::Domain,
                        "quantile: the probability {} is not in [0, 1]".into(),
                        a.span,
                        vec![p],
                    );
                    let last = l.prim(Prim::ISub, &[n, Atom::Int(1)]);
                    let last_r = l.prim(Prim::ToReal, &[last]);
                    let index = l.prim(Prim::Mul, &[last_r, p]);
                    // ⌊i⌋ as an int: the number of k in 1..n−1 with k ≤ i.
                    let floor = l.count(last, &mut |l, k| {
                        let kr = l.prim(Prim::ToReal, &[k]);
                        l.prim(Prim::Le, &[kr, index])
                    });
                    let floor_r = l.prim(Prim::ToReal, &[floor]);
                    let h = l.prim(Prim::Sub, &[index, floor_r]);
                    let above = l.prim(Prim::Gt, &[h, Atom::Real(0.0)]);
                    let lo = l.prim(Prim::IAdd, &[floor, Atom::Int(1)]);
                    let hi = l.prim(Prim::IAdd, &[lo, above]);
                    let x_lo = l.elem2(sorted, lo, lo);
                    let x_hi = l.elem2(sorted, hi, hi);
                    let d = l.prim(Prim::Sub, &[x_hi, x_lo]);
                    let t = l.prim(Prim::Mul, &[h, d]);
                    l.prim(Prim::Add, &[x_lo, t])
                };
                if p.ty.is_scalar() {
                    let p = l.to_real(p);
                    let atom = one(l, p);
                    return a.value(atom, Ty::REAL);
                }
                let k = l.dim(p.atom, 0);
                l.fill2(Ty::array(Elem::Real, 1), [k, Atom::Int(1)], true, &mut |l, i, _| {
                    let pi = l.elem2(p, i, i);
                    one(l, pi)
                })
            },
        ),
        // The number of elements less than element s.
        "rank" => def(
            |args| args.len() == 2 && args[0].rank() == 1 && args[1] == ArgType::INT,
            |l, a| {
                let (v, s) = (a.vals[0], a.vals[1].atom);
                let n = l.dim(v.atom, 0);
                l.check_index(v.atom, 0, s, a.span);
                let xs = l.elem2(v, s, s);
                let atom = l.count(n, &mut |l, j| {
                    let xj = l.elem2(v, j, j);
                    l.prim(Prim::Lt, &[xj, xs])
                });
                Val { atom, ty: Ty::INT, data: true }
            },
        ),
        _ => None,
    }
}

impl Lowerer<'_> {
    /// Raises an index error unless `len ≥ 0` elements from position `start` fit in `size`.
    fn check_extent(&mut self, start: Atom, len: Atom, size: Atom, name: &str, span: Span) {
        let len_ok = self.prim(Prim::IGe, &[len, Atom::Int(0)]);
        let start_ok = self.prim(Prim::IGe, &[start, Atom::Int(1)]);
        let end = self.prim(Prim::IAdd, &[start, len]);
        let end = self.prim(Prim::ISub, &[end, Atom::Int(1)]);
        let end_ok = self.prim(Prim::ILe, &[end, size]);
        let ok = self.prim(Prim::And, &[len_ok, start_ok]);
        let ok = self.prim(Prim::And, &[ok, end_ok]);
        let message = format!("{name}: {{}} elements from position {{}} do not fit in a dimension of size {{}}");
        self.check(ok, ErrorKind::Index, message, span, vec![len, start, size]);
    }

    /// A container like `v` with `len` elements along its first dimension, element `i` of which
    /// is element `src(i)` of `v` (the caller checked that it exists).
    fn gather_first(&mut self, v: Val, len: Atom, src: &mut dyn FnMut(&mut Self, Atom) -> Atom) -> Val {
        let mut dims = self.dims(v.atom, v.ty);
        dims[0] = len;
        let out = self.build(v.ty, dims.clone());
        let (base, dst) = (var_of(v.atom), var_of(out));
        let scalar_ty = Ty::array(v.ty.elem, 0);
        self.for_each_index(&dims, v.ty.core, &mut |l, idx| {
            let mut from = idx.to_vec();
            from[0] = src(l, idx[0]);
            let x = l.let_(scalar_ty, Expr::Load { base, indices: from });
            l.emit(Stmt::Assign { var: dst, indices: idx.to_vec(), value: x });
        });
        Val { atom: out, ty: v.ty, data: v.data }
    }

    /// Stan's QR decomposition of the matrix `m` (r × c, k = min(r, c)), as (Q, R): r × r and
    /// r × c, or when `thin` r × k and k × c. Householder reflections as Eigen computes them
    /// (Stan's are Eigen's), written in the IR so the gradient is that of the computation; then
    /// Stan's signs: each of the first k columns of Q and rows of R negated where R's diagonal
    /// is negative.
    fn qr(&mut self, m: Val, thin: bool, a: &Args) -> (Val, Val) {
        let [rows, cols] = self.matrix_dims(m);
        for (d, what) in [(rows, "rows"), (cols, "columns")] {
            let ok = self.prim(Prim::IGt, &[d, Atom::Int(0)]);
            self.check(ok, ErrorKind::Domain, format!("{}: the matrix has no {what}", a.name), a.span, vec![]);
        }
        let k = self.prim(Prim::IMin, &[rows, cols]);
        let matrix = |l: &mut Self, dims: Vec<Atom>| l.mutable_container(Ty::MATRIX, dims, None);
        let r = self.mutable_container(Ty::MATRIX, vec![rows, cols], Some(m.atom));
        let q = matrix(self, vec![rows, rows]);
        self.for_each_index(&[rows, rows], Core::Matrix, &mut |l, idx| {
            let on = l.prim(Prim::IEq, &[idx[0], idx[1]]);
            let x = l.prim(Prim::ToReal, &[on]);
            l.emit(Stmt::Assign { var: q, indices: idx.to_vec(), value: x });
        });
        let v = self.f.new_var(None, Ty::VECTOR, VarKind::Mutable);
        self.emit(Stmt::Decl { var: v, dims: vec![rows] });
        let load = |l: &mut Self, var: VarId, indices: Vec<Atom>| l.let_(Ty::REAL, Expr::Load { base: var, indices });
        self.for_loop(Atom::Int(1), k, |l, j| {
            let below = l.prim(Prim::IAdd, &[j, Atom::Int(1)]);
            let c0 = load(l, r, vec![j, j]);
            let tail = l.reduce_range(below, rows, &mut |l, i| {
                let x = load(l, r, vec![i, j]);
                l.prim(Prim::Mul, &[x, x])
            });
            // Eigen's makeHouseholder: no reflection when the tail is (numerically) zero.
            let small = l.prim(Prim::Le, &[tail, Atom::Real(f64::MIN_POSITIVE)]);
            let c0_sq = l.prim(Prim::Mul, &[c0, c0]);
            let total = l.prim(Prim::Add, &[c0_sq, tail]);
            let norm = l.prim(Prim::Sqrt, &[total]);
            let neg_norm = l.prim(Prim::Neg, &[norm]);
            let nonneg = l.prim(Prim::Ge, &[c0, Atom::Real(0.0)]);
            let beta_raw = l.prim(Prim::Select, &[nonneg, neg_norm, norm]);
            let beta = l.prim(Prim::Select, &[small, c0, beta_raw]);
            let den = l.prim(Prim::Sub, &[c0, beta_raw]);
            let den = l.prim(Prim::Select, &[small, Atom::Real(1.0), den]);
            let beta_safe = l.prim(Prim::Select, &[small, Atom::Real(1.0), beta_raw]);
            let rise = l.prim(Prim::Sub, &[beta_raw, c0]);
            let tau = l.prim(Prim::Div, &[rise, beta_safe]);
            let tau = l.prim(Prim::Select, &[small, Atom::Real(0.0), tau]);
            l.emit(Stmt::Assign { var: v, indices: vec![j], value: Atom::Real(1.0) });
            l.for_loop(below, rows, |l, i| {
                let x = load(l, r, vec![i, j]);
                let e = l.prim(Prim::Div, &[x, den]);
                l.emit(Stmt::Assign { var: v, indices: vec![i], value: e });
                l.emit(Stmt::Assign { var: r, indices: vec![i, j], value: Atom::Real(0.0) });
            });
            l.emit(Stmt::Assign { var: r, indices: vec![j, j], value: beta });
            // (I − τ v vᵀ) applied to R's later columns, and Q ← Q (I − τ v vᵀ).
            l.for_loop(below, cols, |l, c| reflect(l, r, v, tau, [j, rows], &|i| vec![i, c]));
            l.for_loop(Atom::Int(1), rows, |l, p| reflect(l, q, v, tau, [j, rows], &|i| vec![p, i]));
        });
        // The sign of each of R's first k diagonal elements, applied to its row and Q's column.
        let signs = self.build(Ty::VECTOR, vec![k]);
        self.for_loop(Atom::Int(1), k, |l, i| {
            let d = load(l, r, vec![i, i]);
            let negative = l.prim(Prim::Lt, &[d, Atom::Real(0.0)]);
            let sign = l.prim(Prim::Select, &[negative, Atom::Real(-1.0), Atom::Real(1.0)]);
            l.emit(Stmt::Assign { var: var_of(signs), indices: vec![i], value: sign });
        });
        let sign = |l: &mut Self, i: Atom| {
            let inside = l.prim(Prim::ILe, &[i, k]);
            let at = l.prim(Prim::IMin, &[i, k]);
            let s = load(l, var_of(signs), vec![at]);
            l.prim(Prim::Select, &[inside, s, Atom::Real(1.0)])
        };
        let q_cols = if thin { k } else { rows };
        let r_rows = if thin { k } else { rows };
        let data = m.data;
        let q_out = self.fill2(Ty::MATRIX, [rows, q_cols], data, &mut |l, i, j| {
            let x = load(l, q, vec![i, j]);
            let s = sign(l, j);
            l.prim(Prim::Mul, &[x, s])
        });
        let r_out = self.fill2(Ty::MATRIX, [r_rows, cols], data, &mut |l, i, j| {
            let x = load(l, r, vec![i, j]);
            let s = sign(l, i);
            l.prim(Prim::Mul, &[x, s])
        });
        (q_out, r_out)
    }

    /// Rows and columns of a scalar (1 × 1), vector (a column), row vector (a row), matrix or
    /// two-dimensional container.
    fn matrix_dims(&mut self, v: Val) -> [Atom; 2] {
        match (v.ty.rank(), v.ty.core) {
            (0, _) => [Atom::Int(1), Atom::Int(1)],
            (1, Core::RowVector) => [Atom::Int(1), self.dim(v.atom, 0)],
            (1, _) => [self.dim(v.atom, 0), Atom::Int(1)],
            _ => [self.dim(v.atom, 0), self.dim(v.atom, 1)],
        }
    }

    /// Element (i, j) of `v` seen as in `matrix_dims`, made real.
    fn elem2(&mut self, v: Val, i: Atom, j: Atom) -> Atom {
        let indices = match (v.ty.rank(), v.ty.core) {
            (0, _) => return self.to_real(v),
            (1, Core::RowVector) => vec![j],
            (1, _) => vec![i],
            _ => vec![i, j],
        };
        let scalar_ty = Ty::array(v.ty.elem, 0);
        let x = self.let_(scalar_ty, Expr::Load { base: var_of(v.atom), indices });
        self.to_real(Val { atom: x, ty: scalar_ty, data: true })
    }

    /// A new real container of type `ty` (vector, row vector, matrix or two-dimensional array)
    /// with `dims` seen as in `matrix_dims`, element (i, j) being `f(i, j)`.
    fn fill2(&mut self, ty: Ty, dims: [Atom; 2], data: bool, f: &mut dyn FnMut(&mut Self, Atom, Atom) -> Atom) -> Val {
        let out_dims = self.shape_of(ty, dims);
        let out = self.build(ty, out_dims.clone());
        let dst = var_of(out);
        let core = if out_dims.len() == 2 { Core::Matrix } else { ty.core };
        self.for_each_index(&out_dims, core, &mut |l, idx| {
            let (i, j) = match (idx, ty.core) {
                ([k], Core::RowVector) => (Atom::Int(1), *k),
                ([k], _) => (*k, Atom::Int(1)),
                _ => (idx[0], idx[1]),
            };
            let x = f(l, i, j);
            l.store2(dst, ty, i, j, x);
        });
        Val { atom: out, ty, data }
    }

    /// Element `k` (0-based) of `v` in column-major order, made real: a vector's, row vector's or
    /// one-dimensional array's element k + 1, a matrix's (k mod rows + 1, k div rows + 1).
    fn linear_elem(&mut self, v: Val, k: Atom) -> Atom {
        if v.ty.rank() == 1 {
            let i = self.prim(Prim::IAdd, &[k, Atom::Int(1)]);
            return self.elem2(v, i, i);
        }
        let rows = self.dim(v.atom, 0);
        let i = self.prim(Prim::IMod, &[k, rows]);
        let i = self.prim(Prim::IAdd, &[i, Atom::Int(1)]);
        let j = self.prim(Prim::IDiv, &[k, rows]);
        let j = self.prim(Prim::IAdd, &[j, Atom::Int(1)]);
        self.elem2(v, i, j)
    }

    /// The 1-based position in memory of element `idx` of a container of sizes `dims`: array
    /// dimensions row-major, a matrix column-major.
    fn memory_position(&mut self, dims: &[Atom], idx: &[Atom], core: Core) -> Atom {
        let n = dims.len();
        let mut order: Vec<usize> = (0..n).collect();
        if core == Core::Matrix {
            order.swap(n - 2, n - 1);
        }
        let mut pos = Atom::Int(0);
        for d in order {
            let scaled = self.prim(Prim::IMul, &[pos, dims[d]]);
            let i0 = self.prim(Prim::ISub, &[idx[d], Atom::Int(1)]);
            pos = self.prim(Prim::IAdd, &[scaled, i0]);
        }
        self.prim(Prim::IAdd, &[pos, Atom::Int(1)])
    }

    /// The size of a square matrix, after the check that it is square.
    fn square_size(&mut self, m: Atom, name: &str, span: Span) -> Atom {
        let (rows, cols) = (self.dim(m, 0), self.dim(m, 1));
        let message = format!("{name}: the matrix has {{}} rows and {{}} columns; it must be square");
        self.same_size(rows, cols, &message, span);
        rows
    }

    /// `append_row(a, b)` (`rows`) or `append_col(a, b)`: `b` below or to the right of `a`.
    fn append(&mut self, a: &Args, rows: bool) -> Val {
        let (x, y) = (a.vals[0], a.vals[1]);
        let line = |t: Ty| t.is_scalar() || t.core == if rows { Core::Vector } else { Core::RowVector };
        let ty = match (line(x.ty) && line(y.ty), rows) {
            (true, true) => Ty::VECTOR,
            (true, false) => Ty::ROW_VECTOR,
            (false, _) => Ty::MATRIX,
        };
        let [xr, xc] = self.matrix_dims(x);
        let [yr, yc] = self.matrix_dims(y);
        let dims = if rows {
            self.same_size(xc, yc, "append_row: the operands have {} and {} columns", a.span);
            [self.prim(Prim::IAdd, &[xr, yr]), xc]
        } else {
            self.same_size(xr, yr, "append_col: the operands have {} and {} rows", a.span);
            [xr, self.prim(Prim::IAdd, &[xc, yc])]
        };
        let out = self.build(ty, self.shape_of(ty, dims));
        let dst = var_of(out);
        for (v, [r, c], shift) in [(x, [xr, xc], Atom::Int(0)), (y, [yr, yc], if rows { xr } else { xc })] {
            self.for_each_index(&[r, c], Core::Matrix, &mut |l, idx| {
                let e = l.elem2(v, idx[0], idx[1]);
                let k = l.prim(Prim::IAdd, &[idx[if rows { 0 } else { 1 }], shift]);
                let (i, j) = if rows { (k, idx[1]) } else { (idx[0], k) };
                l.store2(dst, ty, i, j, e);
            });
        }
        Val { atom: out, ty, data: x.data && y.data }
    }

    /// The sizes of a container of type `ty` (vector, row vector, matrix or two-dimensional
    /// array) seen as in `matrix_dims`.
    fn shape_of(&self, ty: Ty, [rows, cols]: [Atom; 2]) -> Vec<Atom> {
        match (ty.rank(), ty.core) {
            (1, Core::RowVector) => vec![cols],
            (1, _) => vec![rows],
            _ => vec![rows, cols],
        }
    }

    /// Stores `x` at (i, j) of `dst`, of type `ty`, seen as in `matrix_dims`.
    fn store2(&mut self, dst: VarId, ty: Ty, i: Atom, j: Atom, x: Atom) {
        let indices = match (ty.rank(), ty.core) {
            (1, Core::RowVector) => vec![j],
            (1, _) => vec![i],
            _ => vec![i, j],
        };
        self.emit(Stmt::Assign { var: dst, indices, value: x });
    }

    /// `rep_matrix(v, n)`: n copies of the vector as columns, or of the row vector as rows.
    fn rep_lines(&mut self, a: &Args) -> Val {
        let (v, n) = (a.vals[0], a.vals[1].atom);
        self.check_given_sizes(&[n], a.span);
        let len = self.dim(v.atom, 0);
        let dims = if v.ty.core == Core::Vector { [len, n] } else { [n, len] };
        self.fill2(Ty::MATRIX, dims, v.data, &mut |l, i, j| l.elem2(v, i, j))
    }

    /// `block(m, i, j, rows, cols)`, `sub_col(m, i, j, rows)` or `sub_row(m, i, j, cols)`.
    fn block(&mut self, a: &Args) -> Val {
        let m = a.vals[0];
        let [i, j] = [a.vals[1].atom, a.vals[2].atom];
        let (ty, n_rows, n_cols) = match a.name {
            "block" => (Ty::MATRIX, a.vals[3].atom, a.vals[4].atom),
            "sub_col" => (Ty::VECTOR, a.vals[3].atom, Atom::Int(1)),
            _ => (Ty::ROW_VECTOR, Atom::Int(1), a.vals[3].atom),
        };
        let [rows, cols] = self.matrix_dims(m);
        self.check_extent(i, n_rows, rows, a.name, a.span);
        self.check_extent(j, n_cols, cols, a.name, a.span);
        let di = self.prim(Prim::ISub, &[i, Atom::Int(1)]);
        let dj = self.prim(Prim::ISub, &[j, Atom::Int(1)]);
        self.fill2(ty, [n_rows, n_cols], m.data, &mut |l, r, c| {
            let r = l.prim(Prim::IAdd, &[r, di]);
            let c = l.prim(Prim::IAdd, &[c, dj]);
            l.elem2(m, r, c)
        })
    }
}

/// The type of `zeros_vector`, `ones_int_array`, `linspaced_row_vector`, ...: by the name's end.
fn sized_line(name: &str) -> Ty {
    if name.ends_with("int_array") {
        Ty::array(Elem::Int, 1)
    } else if name.ends_with("array") {
        Ty::array(Elem::Real, 1)
    } else if name.ends_with("row_vector") {
        Ty::ROW_VECTOR
    } else {
        Ty::VECTOR
    }
}

impl Lowerer<'_> {
    /// The checks of `linspaced_*(n, lo, hi)`: a size that is not negative, and lo ≤ hi (`ge`
    /// compares reals or ints).
    fn check_linspaced(&mut self, n: Atom, lo: Atom, hi: Atom, ge: Prim, a: &Args) {
        self.check_given_sizes(&[n], a.span);
        let ok = self.prim(ge, &[hi, lo]);
        let message = format!("{}: high {{}} is below low {{}}", a.name);
        self.check(ok, ErrorKind::Domain, message, a.span, vec![hi, lo]);
    }

    /// The number of `j` in 1..=n for which `test(j)` (an int 0/1) holds.
    fn count(&mut self, n: Atom, test: &mut dyn FnMut(&mut Self, Atom) -> Atom) -> Atom {
        let acc = self.f.new_var(None, Ty::INT, VarKind::Mutable);
        self.emit(Stmt::Decl { var: acc, dims: vec![] });
        self.emit(Stmt::Assign { var: acc, indices: vec![], value: Atom::Int(0) });
        self.for_loop(Atom::Int(1), n, |l, j| {
            let t = test(l, j);
            let s = l.prim(Prim::IAdd, &[Atom::Var(acc), t]);
            l.emit(Stmt::Assign { var: acc, indices: vec![], value: s });
        });
        self.let_(Ty::INT, Expr::Atom(Atom::Var(acc)))
    }

    /// The transpose of a matrix, as a new matrix.
    fn transposed(&mut self, m: Val) -> Val {
        let [rows, cols] = self.matrix_dims(m);
        self.fill2(Ty::MATRIX, [cols, rows], m.data, &mut |l, i, j| l.elem2(m, j, i))
    }

    /// Raises a domain error unless the square matrix `m` is symmetric (to Stan's absolute
    /// tolerance, 1e-8).
    fn check_symmetric(&mut self, m: Val, name: &str, span: Span) {
        let n = self.dim(m.atom, 0);
        let message = format!("{name}: the matrix is not symmetric: element ({{}}, {{}}) differs from its transpose's");
        self.for_each_index(&[n, n], Core::Matrix, &mut |l, idx| {
            let x = l.elem2(m, idx[0], idx[1]);
            let y = l.elem2(m, idx[1], idx[0]);
            let d = l.prim(Prim::Sub, &[x, y]);
            let d = l.prim(Prim::Fabs, &[d]);
            let ok = l.prim(Prim::Le, &[d, Atom::Real(1e-8)]);
            l.check(ok, ErrorKind::Domain, message.clone(), span, vec![idx[0], idx[1]]);
        });
    }

    /// `rows_dot_product(x, y)` (a vector, one dot product per row) or `columns_dot_product`
    /// (a row vector, one per column); `y` is `x` for the `_self` forms.
    fn line_dots(&mut self, a: &Args, y: Val) -> Val {
        let x = a.vals[0];
        let [rows, cols] = self.matrix_dims(x);
        let by_rows = a.name.starts_with("rows");
        if x.atom != y.atom {
            let [yr, yc] = self.matrix_dims(y);
            self.same_size(rows, yr, "the operands have {} and {} rows", a.span);
            self.same_size(cols, yc, "the operands have {} and {} columns", a.span);
        }
        let (ty, dims, len) = if by_rows {
            (Ty::VECTOR, [rows, Atom::Int(1)], cols)
        } else {
            (Ty::ROW_VECTOR, [Atom::Int(1), cols], rows)
        };
        self.fill2(ty, dims, x.data && y.data, &mut |l, i, j| {
            l.reduce_range(Atom::Int(1), len, &mut |l, k| {
                let (r, c) = if by_rows { (i, k) } else { (k, j) };
                let p = l.elem2(x, r, c);
                let q = l.elem2(y, r, c);
                l.prim(Prim::Mul, &[p, q])
            })
        })
    }

    /// `rep_array(x, sizes...)` of a container `x`: the given sizes, then x's.
    fn rep_container(&mut self, a: &Args) -> Val {
        let x = a.vals[0];
        let given: Vec<Atom> = a.vals[1..].iter().map(|v| v.atom).collect();
        self.check_given_sizes(&given, a.span);
        let ty = Ty { array_rank: x.ty.array_rank + given.len() as u8, ..x.ty };
        let mut dims = given.clone();
        dims.extend(self.dims(x.atom, x.ty));
        let out = self.build(ty, dims.clone());
        let (src, dst) = (var_of(x.atom), var_of(out));
        let scalar_ty = Ty::array(x.ty.elem, 0);
        self.for_each_index(&dims, ty.core, &mut |l, idx| {
            let e = l.let_(scalar_ty, Expr::Load { base: src, indices: idx[given.len()..].to_vec() });
            l.emit(Stmt::Assign { var: dst, indices: idx.to_vec(), value: e });
        });
        Val { atom: out, ty, data: x.data }
    }
}

/// A Gaussian-process kernel's arguments: one or two equal sets of points (reals or vectors),
/// then `n_params` scalars, the last of which may be an array (one length scale per
/// dimension of vector points) when `per_dimension`.
fn gp_args(args: &[ArgType], n_params: usize, per_dimension: bool) -> bool {
    let points = |a: &ArgType| *a == ArgType::REAL.array(1) || *a == ArgType::VECTOR.array(1);
    let Some(k) = args.len().checked_sub(n_params) else { return false };
    if !(1..=2).contains(&k) || !args[..k].iter().all(|a| points(a) && *a == args[0]) {
        return false;
    }
    let params = &args[k..];
    let last_ok = scalar(&params[n_params - 1])
        || (per_dimension && args[0].base == BaseType::Vector && params[n_params - 1] == ArgType::REAL.array(1));
    all_scalar(&params[..n_params - 1]) && last_ok
}

impl Lowerer<'_> {
    /// A Gaussian-process covariance matrix (`gp_args`'s arguments, `n_params` parameters).
    fn gp_cov(&mut self, a: &Args, n_params: usize) -> Val {
        let k = a.vals.len() - n_params;
        let (x1, x2) = (a.vals[0], a.vals[k - 1]);
        let params = &a.vals[k..];
        let vectors = x1.ty.core == Core::Vector;
        let dim = if vectors { self.dim(x1.atom, 1) } else { Atom::Int(1) };
        if vectors && k == 2 {
            let dim2 = self.dim(x2.atom, 1);
            self.same_size(dim, dim2, "the points have {} and {} dimensions", a.span);
        }
        let (n1, n2) = (self.dim(x1.atom, 0), self.dim(x2.atom, 0));
        let positive = |l: &mut Self, x: Atom, what: &str, strict: bool| {
            let ok = l.prim(if strict { Prim::Gt } else { Prim::Ge }, &[x, Atom::Real(0.0)]);
            let must = if strict { "positive" } else { "non-negative" };
            let message = format!("{}: {what} is {{}}, but must be {must}", a.name);
            l.check(ok, ErrorKind::Domain, message, a.span, vec![x]);
        };
        let sigma = self.to_real(params[0]);
        positive(self, sigma, "the magnitude", n_params > 1);
        let sigma2 = self.prim(Prim::Mul, &[sigma, sigma]);
        // The length scale(s): a scalar, or one per dimension.
        let scale = params.get(1).copied();
        let per_dimension = scale.is_some_and(|s| !s.ty.is_scalar());
        if let Some(s) = scale {
            if per_dimension {
                let n = self.dim(s.atom, 0);
                self.same_size(n, dim, "{} length scales are given for points of {} dimensions", a.span);
                self.for_loop(Atom::Int(1), n, |l, d| {
                    let x = l.elem2(s, d, d);
                    positive(l, x, "a length scale", true);
                });
            } else {
                let x = self.to_real(s);
                positive(self, x, "the length scale", true);
            }
        }
        let period = params.get(2).map(|p| self.to_real(*p));
        if let Some(p) = period {
            positive(self, p, "the period", true);
        }
        let kind = a.name;
        // Scaled squared distance (or, for dot_prod, the dot product) of x1[i] and x2[j].
        let pair = |l: &mut Self, i: Atom, j: Atom| -> Atom {
            let term = |l: &mut Self, d: Atom| {
                let (p, q) = if vectors {
                    (l.elem2(x1, i, d), l.elem2(x2, j, d))
                } else {
                    (l.elem2(x1, i, i), l.elem2(x2, j, j))
                };
                if kind == "gp_dot_prod_cov" {
                    return l.prim(Prim::Mul, &[p, q]);
                }
                let diff = l.prim(Prim::Sub, &[p, q]);
                let diff = match scale {
                    Some(s) if per_dimension && kind != "gp_periodic_cov" => {
                        let sd = l.elem2(s, d, d);
                        l.prim(Prim::Div, &[diff, sd])
                    }
                    _ => diff,
                };
                l.prim(Prim::Mul, &[diff, diff])
            };
            if vectors { l.reduce_range(Atom::Int(1), dim, &mut |l, d| term(l, d)) } else { term(l, Atom::Int(1)) }
        };
        let uses_distance =
            matches!(kind, "gp_matern32_cov" | "gp_matern52_cov" | "gp_exponential_cov" | "gp_periodic_cov");
        let one_set = k == 1;
        self.fill2(Ty::MATRIX, [n1, n2], a.data, &mut |l, i, j| {
            let value = l.f.new_var(None, Ty::REAL, VarKind::Mutable);
            l.emit(Stmt::Decl { var: value, dims: vec![] });
            let off = l.prim(Prim::INe, &[i, j]);
            // On the diagonal of one set the distance is 0, whose square root has no derivative.
            let compute = if one_set && uses_distance { off } else { Atom::Int(1) };
            l.if_(
                compute,
                |l| {
                    let d2 = pair(l, i, j);
                    let d2 = match (scale, per_dimension, kind) {
                        (Some(s), false, k) if k != "gp_periodic_cov" => {
                            let s = l.to_real(s);
                            let s2 = l.prim(Prim::Mul, &[s, s]);
                            l.prim(Prim::Div, &[d2, s2])
                        }
                        _ => d2,
                    };
                    let shape = match kind {
                        "gp_dot_prod_cov" => d2,
                        "gp_exp_quad_cov" => {
                            let e = l.prim(Prim::Mul, &[d2, Atom::Real(-0.5)]);
                            l.prim(Fun::Exp, &[e])
                        }
                        "gp_exponential_cov" => {
                            let r = l.prim(Prim::Sqrt, &[d2]);
                            let e = l.prim(Prim::Neg, &[r]);
                            l.prim(Fun::Exp, &[e])
                        }
                        "gp_periodic_cov" => {
                            let r = l.prim(Prim::Sqrt, &[d2]);
                            let p = period.expect("periodic has a period");
                            let t = l.prim(Prim::Mul, &[r, Atom::Real(std::f64::consts::PI)]);
                            let t = l.prim(Prim::Div, &[t, p]);
                            let sn = l.prim(Fun::Sin, &[t]);
                            let sn2 = l.prim(Prim::Mul, &[sn, sn]);
                            let s = l.to_real(scale.expect("periodic has a length scale"));
                            let s2 = l.prim(Prim::Mul, &[s, s]);
                            let e = l.prim(Prim::Div, &[sn2, s2]);
                            let e = l.prim(Prim::Mul, &[e, Atom::Real(-2.0)]);
                            l.prim(Fun::Exp, &[e])
                        }
                        _ => {
                            // Matérn: (1 + c r + c² r²/3 [5/2 only]) e^(−c r), c = √3 or √5.
                            let five = kind == "gp_matern52_cov";
                            let c = if five { 5f64.sqrt() } else { 3f64.sqrt() };
                            let r = l.prim(Prim::Sqrt, &[d2]);
                            let cr = l.prim(Prim::Mul, &[r, Atom::Real(c)]);
                            let mut poly = l.prim(Prim::Add, &[cr, Atom::Real(1.0)]);
                            if five {
                                let q = l.prim(Prim::Mul, &[d2, Atom::Real(5.0 / 3.0)]);
                                poly = l.prim(Prim::Add, &[poly, q]);
                            }
                            let e = l.prim(Prim::Neg, &[cr]);
                            let e = l.prim(Fun::Exp, &[e]);
                            l.prim(Prim::Mul, &[poly, e])
                        }
                    };
                    let v = if kind == "gp_dot_prod_cov" {
                        l.prim(Prim::Add, &[sigma2, shape])
                    } else {
                        l.prim(Prim::Mul, &[sigma2, shape])
                    };
                    l.emit(Stmt::Assign { var: value, indices: vec![], value: v });
                },
                |l| l.emit(Stmt::Assign { var: value, indices: vec![], value: sigma2 }),
            );
            l.let_(Ty::REAL, Expr::Atom(Atom::Var(value)))
        })
    }
}

impl Lowerer<'_> {
    /// A one-matrix kernel of a square matrix, after the check that it is square.
    /// Mⁿ by repeated squaring: R = I, P = M; for each bit of n (low first) R ← R P where it
    /// is set, P ← P². The products are the library's, so the gradient is theirs.
    fn matrix_power(&mut self, a: &Args) -> Val {
        let (m, n) = (a.vals[0], a.vals[1].atom);
        let k = self.square_size(m.atom, a.name, a.span);
        let ok = self.prim(Prim::IGe, &[n, Atom::Int(0)]);
        self.check(ok, ErrorKind::Domain, format!("{}: the power {{}} is negative", a.name), a.span, vec![n]);
        let identity = self.fill2(Ty::MATRIX, [k, k], true, &mut |l, i, j| {
            let on = l.prim(Prim::IEq, &[i, j]);
            l.prim(Prim::ToReal, &[on])
        });
        let matrix_var = |l: &mut Self, init: Atom| l.mutable_container(Ty::MATRIX, vec![k, k], Some(init));
        let r = matrix_var(self, identity.atom);
        let p = matrix_var(self, m.atom);
        let e = self.mutable(Ty::INT, n);
        let span = a.span;
        let data = m.data;
        // An int has at most 31 bits to go through.
        self.for_loop(Atom::Int(1), Atom::Int(31), |l, _| {
            let left = l.prim(Prim::IGt, &[Atom::Var(e), Atom::Int(0)]);
            l.if_(
                left,
                |l| {
                    let pv = Val { atom: Atom::Var(p), ty: Ty::MATRIX, data };
                    let half = l.prim(Prim::IDiv, &[Atom::Var(e), Atom::Int(2)]);
                    let twice = l.prim(Prim::IMul, &[half, Atom::Int(2)]);
                    let odd = l.prim(Prim::INe, &[twice, Atom::Var(e)]);
                    l.if_(
                        odd,
                        |l| {
                            let rv = Val { atom: Atom::Var(r), ty: Ty::MATRIX, data };
                            let rp = l.kernel(Prim::MatMul, rv, pv, Ty::MATRIX, span);
                            if let Atom::Var(src) = rp.atom {
                                l.emit(Stmt::Copy { dst: r, src });
                            }
                        },
                        |_| {},
                    );
                    let more = l.prim(Prim::IGt, &[half, Atom::Int(0)]);
                    l.if_(
                        more,
                        |l| {
                            let pp = l.kernel(Prim::MatMul, pv, pv, Ty::MATRIX, span);
                            if let Atom::Var(src) = pp.atom {
                                l.emit(Stmt::Copy { dst: p, src });
                            }
                        },
                        |_| {},
                    );
                    l.emit(Stmt::Assign { var: e, indices: vec![], value: half });
                },
                |_| {},
            );
        });
        let out = self.build(Ty::MATRIX, vec![k, k]);
        if let Atom::Var(dst) = out {
            self.emit(Stmt::Copy { dst, src: r });
        }
        Val { atom: out, ty: Ty::MATRIX, data }
    }

    /// Stan's generalized inverse: the inverse of a square matrix; Gᵀ (G Gᵀ + εI)⁻¹ of a wide
    /// one and (Gᵀ G + εI)⁻¹ Gᵀ of a tall one (the Moore–Penrose inverse at full rank, ε =
    /// 3.712035e-7 as Stan's jitter).
    fn generalized_inverse(&mut self, a: &Args) -> Val {
        let g = a.vals[0];
        let (rows, cols) = (self.dim(g.atom, 0), self.dim(g.atom, 1));
        let out = self.build(Ty::MATRIX, vec![cols, rows]);
        let Atom::Var(dst) = out else { return Val::error() };
        let lib = |l: &mut Self, name: &str, vals: &[Val]| {
            let f = function(name).expect("a function of the library");
            (f.lower)(l, &Args { name, vals, span: a.span, data: vals.iter().all(|v| v.data) })
        };
        let square = self.prim(Prim::IEq, &[rows, cols]);
        let wide = self.prim(Prim::ILt, &[rows, cols]);
        let jitter = Val { atom: Atom::Real(3.712035e-7), ty: Ty::REAL, data: true };
        // Gᵀ (G Gᵀ + εI)⁻¹ when wide, (Gᵀ G + εI)⁻¹ Gᵀ when tall.
        let one_side = |l: &mut Self, wide: bool| {
            let gg = lib(l, if wide { "tcrossprod" } else { "crossprod" }, &[g]);
            let gg = lib(l, "add_diag", &[gg, jitter]);
            let inv = lib(l, "inverse_spd", &[gg]);
            let gt = l.transposed(g);
            let (x, y) = if wide { (gt, inv) } else { (inv, gt) };
            let r = l.kernel(Prim::MatMul, x, y, Ty::MATRIX, a.span);
            l.emit(Stmt::Copy { dst, src: var_of(r.atom) });
        };
        self.if_(
            square,
            |l| {
                let inv = l.square_kernel(Prim::Inverse, g, a);
                l.emit(Stmt::Copy { dst, src: var_of(inv.atom) });
            },
            |l| l.if_(wide, |l| one_side(l, true), |l| one_side(l, false)),
        );
        Val { atom: out, ty: Ty::MATRIX, data: g.data }
    }

    fn square_kernel(&mut self, p: Prim, m: Val, a: &Args) -> Val {
        self.square_size(m.atom, a.name, a.span);
        if matches!(p, Prim::EigenvaluesSym | Prim::EigenvectorsSym) || a.name.ends_with("_spd") {
            self.check_symmetric(m, a.name, a.span);
        }
        let ty = p.result_ty();
        let atom = self.let_(ty, Expr::Prim(p, vec![m.atom]));
        Val { atom, ty, data: m.data }
    }

    /// (M + Mᵀ) / 2 of a square matrix.
    fn symmetrised(&mut self, m: Val) -> Val {
        let n = self.dim(m.atom, 0);
        self.fill2(Ty::MATRIX, [n, n], m.data, &mut |l, i, j| {
            let x = l.elem2(m, i, j);
            let y = l.elem2(m, j, i);
            let s = l.prim(Prim::Add, &[x, y]);
            l.prim(Prim::Mul, &[Atom::Real(0.5), s])
        })
    }

    /// `mdivide_left*(m, b)` (`left`: m⁻¹ b) or `mdivide_right*(b, m)` (b m⁻¹); the
    /// triangular forms read only m's lower triangle.
    fn divide(&mut self, a: &Args, m: Val, b: Val, left: bool) -> Val {
        let m = if a.name.contains("tri_low") {
            let n = self.square_size(m.atom, a.name, a.span);
            self.fill2(Ty::MATRIX, [n, n], m.data, &mut |l, i, j| {
                let x = l.elem2(m, i, j);
                let lower = l.prim(Prim::IGe, &[i, j]);
                let lower = l.prim(Prim::ToReal, &[lower]);
                l.prim(Prim::Mul, &[x, lower])
            })
        } else {
            m
        };
        let inv = self.square_kernel(Prim::Inverse, m, a);
        match (left, b.ty.core) {
            (true, Core::Vector) => self.kernel(Prim::MatVec, inv, b, Ty::VECTOR, a.span),
            (true, _) => self.kernel(Prim::MatMul, inv, b, Ty::MATRIX, a.span),
            (false, Core::RowVector) => self.kernel(Prim::VecMat, b, inv, Ty::ROW_VECTOR, a.span),
            (false, _) => self.kernel(Prim::MatMul, b, inv, Ty::MATRIX, a.span),
        }
    }
}

impl Lowerer<'_> {
    /// The checks of a compressed-sparse-row matrix of m rows and n columns: sizes that are not
    /// negative, as many columns as values, m + 1 row starts from 1 to one past the values, and
    /// every column within n.
    fn check_csr(&mut self, m: Atom, n: Atom, w: Val, v: Val, u: Val, a: &Args) {
        self.check_given_sizes(&[m, n], a.span);
        let nw = self.dim(w.atom, 0);
        let nv = self.dim(v.atom, 0);
        let message = format!("{}: {{}} values but {{}} column indices", a.name);
        self.same_size(nw, nv, &message, a.span);
        let nu = self.dim(u.atom, 0);
        let m1 = self.prim(Prim::IAdd, &[m, Atom::Int(1)]);
        let message = format!("{}: {{}} row starts for {{}} rows and the end", a.name);
        self.same_size(nu, m1, &message, a.span);
        let u_var = var_of(u.atom);
        let first = self.let_(Ty::INT, Expr::Load { base: u_var, indices: vec![Atom::Int(1)] });
        let message = format!("{}: the first row starts at {{}}, not {{}}", a.name);
        self.same_size(first, Atom::Int(1), &message, a.span);
        let end = self.let_(Ty::INT, Expr::Load { base: u_var, indices: vec![m1] });
        let after = self.prim(Prim::IAdd, &[nw, Atom::Int(1)]);
        let message = format!("{}: the rows end at {{}}, not one past the {{}} values", a.name);
        let ok = self.prim(Prim::IEq, &[end, after]);
        self.check(ok, ErrorKind::Index, message, a.span, vec![end, nw]);
        self.for_loop(Atom::Int(1), m, |l, i| {
            let (start, last) = l.csr_row(u, i);
            let before = l.prim(Prim::ISub, &[start, Atom::Int(1)]);
            let ok = l.prim(Prim::ILe, &[before, last]);
            let message = format!("{}: row {{}} starts after the next one", a.name);
            l.check(ok, ErrorKind::Index, message, a.span, vec![i]);
        });
        self.for_loop(Atom::Int(1), nv, |l, p| {
            let col = l.let_(Ty::INT, Expr::Load { base: var_of(v.atom), indices: vec![p] });
            l.check_extent(col, Atom::Int(1), n, a.name, a.span);
        });
    }

    /// The positions of row `i`'s values among a CSR matrix's: u[i] to u[i + 1] − 1.
    fn csr_row(&mut self, u: Val, i: Atom) -> (Atom, Atom) {
        let u_var = var_of(u.atom);
        let start = self.let_(Ty::INT, Expr::Load { base: u_var, indices: vec![i] });
        let next = self.prim(Prim::IAdd, &[i, Atom::Int(1)]);
        let end = self.let_(Ty::INT, Expr::Load { base: u_var, indices: vec![next] });
        (start, self.prim(Prim::ISub, &[end, Atom::Int(1)]))
    }
}
