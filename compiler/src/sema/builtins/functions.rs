//! Every built-in function vppl compiles (distributions aside): one entry per name, which says
//! which of the catalog's signatures of that name vppl compiles and how it lowers them.
//!
//! The catalog's `Status::Implemented` of a function signature is `accepts` of its entry
//! (`catalog::vppl_status`), and a call is lowered exactly when `accepts` holds for its
//! arguments, so the two cannot disagree. `lower` may assume what `accepts` checked.

use grammar::Span;
use grammar::ast::{BinOp, UnOp};

use crate::catalog::{ArgType, BaseType};
use crate::ir::{Atom, Core, Elem, ErrorKind, Expr, Fun, Prim, Stmt, Ty, VarKind};
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
        (Elem::Real, Core::Scalar) => BaseType::Real,
        (Elem::Real, Core::Vector) => BaseType::Vector,
        (Elem::Real, Core::RowVector) => BaseType::RowVector,
        (Elem::Real, Core::Matrix) => BaseType::Matrix,
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
fn binary_elementwise(args: &[ArgType]) -> bool {
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
        // The operator `/` has no scalar-by-container form.
        "divide" => def(|args| two(args) && (scalar(&args[1]) || !scalar(&args[0])), operator_function),
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
        "size" => def(one_container, |l, a| Val { atom: l.dim(a.vals[0].atom, 0), ty: Ty::INT, data: true }),
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
            |args| scalar_then_ints(args, 2..=2),
            |l, a| {
                let x = a.real(l, 0);
                let dims = vec![a.vals[1].atom, a.vals[2].atom];
                l.check_given_sizes(&dims, a.span);
                l.fill(Ty::MATRIX, dims, x, a.vals[0].data)
            },
        ),
        "rep_array" => def(
            |args| scalar_then_ints(args, 1..=3),
            |l, a| {
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
            |args| args == [ArgType::MATRIX, ArgType::VECTOR],
            |l, a| {
                let atom = l.tri_solve(a.vals[0].atom, a.vals[1].atom, a.span);
                a.value(atom, Ty::VECTOR)
            },
        ),
        // K[i, j] = α² exp(−(xᵢ − xⱼ)² / (2ρ²))
        "gp_exp_quad_cov" => def(
            |args| args.len() == 3 && args[0] == ArgType::REAL.array(1) && scalar(&args[1]) && scalar(&args[2]),
            |l, a| {
                let alpha = a.real(l, 1);
                let rho = a.real(l, 2);
                let a2 = l.prim(Prim::Mul, &[alpha, alpha]);
                let r2 = l.prim(Prim::Mul, &[rho, rho]);
                let two_r2 = l.prim(Prim::Mul, &[Atom::Real(-2.0), r2]);
                let inv = l.prim(Prim::Div, &[Atom::Real(1.0), two_r2]);
                let k = l.dim(a.vals[0].atom, 0);
                let out = l.build(Ty::MATRIX, vec![k, k]);
                let (Atom::Var(x), Atom::Var(dst)) = (a.vals[0].atom, out) else { return Val::error() };
                l.for_each_index(&[k, k], Core::Matrix, &mut |l, idx| {
                    let xi = l.let_(Ty::REAL, Expr::Load { base: x, indices: vec![idx[0]] });
                    let xj = l.let_(Ty::REAL, Expr::Load { base: x, indices: vec![idx[1]] });
                    let d = l.prim(Prim::Sub, &[xi, xj]);
                    let d2 = l.prim(Prim::Mul, &[d, d]);
                    let e = l.prim(Prim::Mul, &[d2, inv]);
                    let ex = l.prim(Fun::Exp, &[e]);
                    let v = l.prim(Prim::Mul, &[a2, ex]);
                    l.emit(Stmt::Assign { var: dst, indices: idx.to_vec(), value: v });
                });
                a.value(out, Ty::MATRIX)
            },
        ),
        _ => None,
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
/// scalars, `.*` and `./` are `*` and `/`, so two ints stay int).
fn operator_function(l: &mut Lowerer, a: &Args) -> Val {
    let scalars = a.vals.iter().all(|v| v.ty.is_scalar());
    let op = match a.name {
        "add" => BinOp::Add,
        "subtract" => BinOp::Sub,
        "multiply" => BinOp::Mul,
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
    pub(super) fn log_sum_exp_all(&mut self, v: Val) -> Atom {
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
        let shift = self.let_(Ty::REAL, Expr::Atom(Atom::Var(shift)));
        let s = self.reduce(v, Atom::Real(0.0), &mut |l, acc, x| {
            let d = l.prim(Prim::Sub, &[x, shift]);
            let e = l.prim(Fun::Exp, &[d]);
            l.prim(Prim::Add, &[acc, e])
        });
        let ls = self.prim(Fun::Log, &[s]);
        self.prim(Prim::Add, &[shift, ls])
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
