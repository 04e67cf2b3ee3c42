//! Stan's functions of complex numbers, written over the real and imaginary parts
//! (`sema::complex`): one entry per name, like `functions.rs`, which says which of the
//! catalog's signatures of the name with a complex argument or result vppl compiles and how.
//!
//! A call is lowered by this table when its entry accepts the arguments, and never by the real
//! table when an argument is complex; the catalog's status follows the same rule
//! ([`accepts`]). Most entries reuse the real table: a function that moves elements or is
//! linear over the reals (`head`, `rep_matrix`, `sum`, `transpose`) is applied to both parts;
//! one that is bilinear (`multiply`, `columns_dot_product`) to the four products of parts.
//! Scalar functions are written with real primitives, so gradients come from their rules.

use grammar::Span;

use crate::catalog::{ArgType, BaseType};
use crate::ir::{Atom, Fun, Prim, Ty};
use crate::sema::builtins::functions::{self, Args};
use crate::sema::complex::Z;
use crate::sema::{Lowerer, Val, errors};

/// How vppl compiles one built-in function of complex numbers.
pub(crate) struct Function {
    /// Which argument lists (catalog types) the entry compiles; it gets the name, since one
    /// entry serves many names that each defer to their real entry.
    pub accepts: fn(&str, &[ArgType]) -> bool,
    pub lower: fn(&mut Lowerer, &Args) -> Val,
}

fn def(accepts: fn(&str, &[ArgType]) -> bool, lower: fn(&mut Lowerer, &Args) -> Val) -> Option<Function> {
    Some(Function { accepts, lower })
}

/// Whether this table compiles `name` at `args` (catalog types): the catalog's status of a
/// signature with a complex argument or result, and the dispatch of calls.
pub(crate) fn accepts(name: &str, args: &[ArgType]) -> bool {
    function(name).is_some_and(|f| (f.accepts)(name, args))
}

fn has_complex(args: &[ArgType]) -> bool {
    args.iter().any(|a| a.base.is_complex())
}

/// The argument types with each complex base made real.
fn real_types(args: &[ArgType]) -> Vec<ArgType> {
    args.iter().map(|a| ArgType { base: a.base.complex_to_real(), ..*a }).collect()
}

/// A complex argument, and the real table compiles the same call on reals.
fn like_real(name: &str, args: &[ArgType]) -> bool {
    has_complex(args) && functions::function(name).is_some_and(|f| (f.accepts)(&real_types(args)))
}

fn scalars(args: &[ArgType], n: usize) -> bool {
    args.len() == n && args.iter().all(|a| a.rank() == 0)
}

/// One argument of any shape, complex (`complex_only`) or promoted to complex.
fn one_value(args: &[ArgType]) -> bool {
    args.len() == 1
}

fn one_complex(args: &[ArgType]) -> bool {
    args.len() == 1 && has_complex(args)
}

/// Two arguments of one rank, or one of them a scalar, one of them complex.
fn binary_complex(args: &[ArgType]) -> bool {
    args.len() == 2
        && has_complex(args)
        && (args[0].rank() == 0 || args[1].rank() == 0 || args[0].rank() == args[1].rank())
}

/// The entry of `name`, if vppl compiles any complex signature of it.
pub(crate) fn function(name: &str) -> Option<Function> {
    match name {
        "exp" | "log" | "log10" | "sqrt" | "sin" | "cos" | "tan" | "sinh" | "cosh" | "tanh" | "asin" | "acos"
        | "atan" | "asinh" | "acosh" | "atanh" => def(
            |_, args| one_complex(args),
            |l, a| {
                let name = a.name;
                l.map_complex(a.vals, false, &mut |l, z| l.z_function(name, z[0]), a.span)
            },
        ),
        // Functions that exist only for complex numbers: a real argument is promoted.
        "conj" | "proj" => def(
            |_, args| one_value(args),
            |l, a| {
                let name = a.name;
                l.map_complex(a.vals, false, &mut |l, z| l.z_function(name, z[0]), a.span)
            },
        ),
        "get_real" | "get_imag" => def(
            |_, args| one_value(args),
            |l, a| {
                let (re, im) = l.both_parts(a.vals[0]);
                if a.name == "get_real" { re } else { im }
            },
        ),
        "abs" => def(
            |_, args| one_complex(args),
            |l, a| l.map_complex(a.vals, true, &mut |l, z| Z::real(l.z_abs(z[0])), a.span),
        ),
        "arg" | "norm" => def(
            |_, args| scalars(args, 1),
            |l, a| {
                let z = l.load_z(a.vals[0], &[]);
                let atom = if a.name == "arg" { l.z_arg(z) } else { l.z_norm(z) };
                a.value_real(atom)
            },
        ),
        "to_complex" => def(
            |_, args| {
                !has_complex(args)
                    && (args.is_empty()
                        || args.len() == 1 && args[0].rank() == 0
                        || functions::binary_elementwise(args))
            },
            |l, a| {
                if a.vals.is_empty() {
                    return l.complex(Atom::Real(0.0), Atom::Real(0.0), Ty::REAL, true);
                }
                l.map_complex(
                    a.vals,
                    false,
                    &mut |_, z| Z { re: z[0].re, im: z.get(1).map_or(Atom::Real(0.0), |y| y.re) },
                    a.span,
                )
            },
        ),
        "polar" => def(
            |_, args| !has_complex(args) && scalars(args, 2),
            |l, a| {
                let r = l.load_z(a.vals[0], &[]).re;
                let theta = l.load_z(a.vals[1], &[]).re;
                let z = l.z_polar(r, theta);
                l.complex(z.re, z.im, Ty::REAL, a.data)
            },
        ),
        "pow" => def(
            |_, args| binary_complex(args),
            |l, a| l.map_complex(a.vals, false, &mut |l, z| l.z_pow(z[0], z[1]), a.span),
        ),
        "logical_eq" | "logical_neq" => def(
            |_, args| scalars(args, 2) && has_complex(args),
            |l, a| {
                let (x, y) = (l.load_z(a.vals[0], &[]), l.load_z(a.vals[1], &[]));
                let re = l.prim(Prim::Eq, &[x.re, y.re]);
                let im = l.prim(Prim::Eq, &[x.im, y.im]);
                let same = l.prim(Prim::And, &[re, im]);
                let atom = if a.name == "logical_eq" { same } else { l.prim(Prim::IEq, &[same, Atom::Int(0)]) };
                Val { atom, ty: Ty::INT, data: a.data }
            },
        ),
        // Linear over the reals, and scalar operands are complex numbers: each part alone.
        "add" | "subtract" => def(
            |_, args| binary_complex(args),
            |l, a| {
                let (x, y) = (l.both_parts(a.vals[0]), l.both_parts(a.vals[1]));
                let re = l.builtin(a.name, &[x.0, y.0], a.span);
                let im = l.builtin(a.name, &[x.1, y.1], a.span);
                l.from_parts(re, im)
            },
        ),
        "minus" | "plus" => def(
            |_, args| one_complex(args),
            |l, a| l.map_parts(a.vals[0], &mut |l, part| l.builtin(a.name, &[part], a.span)),
        ),
        // Two complex scalars, or a product the real table computes on containers: the sum of
        // the products of parts.
        "multiply"
        | "elt_multiply"
        | "columns_dot_product"
        | "rows_dot_product"
        | "diag_pre_multiply"
        | "diag_post_multiply" => def(
            |name, args| like_real(name, args),
            |l, a| {
                if a.vals.iter().all(|v| v.ty.is_scalar()) {
                    let (x, y) = (l.load_z(a.vals[0], &[]), l.load_z(a.vals[1], &[]));
                    let z = l.z_mul(x, y);
                    return l.complex(z.re, z.im, Ty::REAL, a.data);
                }
                l.bilinear(a.name, a.vals[0], a.vals[1], false, a.span)
            },
        ),
        // Stan's dot product of complex vectors conjugates its first argument (Eigen's `dot`).
        "dot_product" => {
            def(|name, args| like_real(name, args), |l, a| l.bilinear(a.name, a.vals[0], a.vals[1], true, a.span))
        }
        // Σ |xᵢ|² (the dot product of x with itself, conjugated): real, as a complex number.
        "dot_self" | "columns_dot_self" | "rows_dot_self" => def(
            |name, args| like_real(name, args),
            |l, a| {
                let (re, im) = l.both_parts(a.vals[0]);
                let rr = l.builtin(a.name, &[re], a.span);
                let ii = l.builtin(a.name, &[im], a.span);
                let sum = l.binary(grammar::ast::BinOp::Add, rr, ii, a.span);
                let zero = l.zeros_like(sum);
                l.from_parts(sum, zero)
            },
        ),
        "divide" | "elt_divide" => def(
            |_, args| binary_complex(args),
            |l, a| l.map_complex(a.vals, false, &mut |l, z| l.z_div(z[0], z[1]), a.span),
        ),
        "prod" => def(|_, args| one_complex(args) && args[0].rank() > 0, |l, a| l.complex_prod(a.vals[0])),
        // The discrete Fourier transform as a product with the DFT matrix: O(n²) work, no
        // kernel of its own, and gradients from the matrix product's rules. Stan's models use it
        // on short series; a radix-2 kernel would pay off only for long ones.
        "fft" | "inv_fft" => def(
            |_, args| args.len() == 1 && args[0].array_dims == 0 && args[0].base.complex_to_real() == BaseType::Vector,
            |l, a| {
                let n = l.dim(a.vals[0].atom, 0);
                let f = l.dft_matrix(n, a.name == "inv_fft");
                l.bilinear("multiply", f, a.vals[0], false, a.span)
            },
        ),
        // F_m X F_n (the DFT matrix is symmetric).
        "fft2" | "inv_fft2" => def(
            |_, args| args.len() == 1 && args[0].array_dims == 0 && args[0].base.complex_to_real() == BaseType::Matrix,
            |l, a| {
                let inverse = a.name == "inv_fft2";
                let (m, n) = (l.dim(a.vals[0].atom, 0), l.dim(a.vals[0].atom, 1));
                let fm = l.dft_matrix(m, inverse);
                let fn_ = l.dft_matrix(n, inverse);
                let left = l.bilinear("multiply", fm, a.vals[0], false, a.span);
                l.bilinear("multiply", left, fn_, false, a.span)
            },
        ),
        // The real matrix [[A, −B], [B, A]] of A + iB has each singular value of A + iB twice;
        // each pair is averaged, so that the gradient splits evenly between the two singular
        // vectors of a pair (either alone is arbitrary).
        "singular_values" => def(
            |_, args| args == [ArgType::new(BaseType::ComplexMatrix, 0)],
            |l, a| {
                let (re, im) = l.both_parts(a.vals[0]);
                let minus_im = l.unary(grammar::ast::UnOp::Neg, im, a.span);
                let top = l.builtin("append_col", &[re, minus_im], a.span);
                let bottom = l.builtin("append_col", &[im, re], a.span);
                let embedded = l.builtin("append_row", &[top, bottom], a.span);
                let doubled = l.builtin("singular_values", &[embedded], a.span);
                let (m, n) = (l.dim(re.atom, 0), l.dim(re.atom, 1));
                let k = l.prim(Prim::IMin, &[m, n]);
                let out = l.build(Ty::VECTOR, vec![k]);
                let (Some(src), Some(dst)) = (doubled.atom.var(), out.var()) else { unreachable!("containers") };
                l.for_loop(Atom::Int(1), k, |l, i| {
                    let first = l.prim(Prim::IMul, &[i, Atom::Int(2)]);
                    let first = l.prim(Prim::ISub, &[first, Atom::Int(1)]);
                    let second = l.prim(Prim::IAdd, &[first, Atom::Int(1)]);
                    let x = l.let_(Ty::REAL, crate::ir::Expr::Load { base: src, indices: vec![first] });
                    let y = l.let_(Ty::REAL, crate::ir::Expr::Load { base: src, indices: vec![second] });
                    let sum = l.prim(Prim::Add, &[x, y]);
                    let mean = l.prim(Prim::Mul, &[sum, Atom::Real(0.5)]);
                    l.emit(crate::ir::Stmt::Assign { var: dst, indices: vec![i], value: mean });
                });
                Val { atom: out, ty: Ty::VECTOR, data: a.data }
            },
        ),
        // Sizes: those of the real part.
        "dims" | "size" | "num_elements" | "rows" | "cols" => def(
            |name, args| like_real(name, args),
            |l, a| {
                let (re, _) = l.parts(a.vals[0]);
                l.builtin(a.name, &[re], a.span)
            },
        ),
        // Functions that move elements, or are linear over the reals with real coefficients:
        // applied to both parts alike (an int scalar argument is a size or a position).
        "rep_array"
        | "rep_vector"
        | "rep_row_vector"
        | "rep_matrix"
        | "head"
        | "tail"
        | "segment"
        | "reverse"
        | "append_array"
        | "append_row"
        | "append_col"
        | "block"
        | "col"
        | "row"
        | "sub_col"
        | "sub_row"
        | "diagonal"
        | "diag_matrix"
        | "to_matrix"
        | "to_vector"
        | "to_row_vector"
        | "to_array_1d"
        | "to_array_2d"
        | "transpose"
        | "sum"
        | "cumulative_sum"
        | "trace"
        | "symmetrize_from_lower_tri"
        | "add_diag" => def(
            |name, args| like_real(name, args),
            |l, a| {
                let mut res = Vec::new();
                let mut ims = Vec::new();
                for v in a.vals {
                    // `add_diag`'s int is a value to add, promoted to complex.
                    if v.ty == Ty::INT && a.name != "add_diag" {
                        res.push(*v);
                        ims.push(*v);
                    } else {
                        let (re, im) = l.both_parts(*v);
                        res.push(re);
                        ims.push(im);
                    }
                }
                let re = l.builtin(a.name, &res, a.span);
                let im = l.builtin(a.name, &ims, a.span);
                l.from_parts(re, im)
            },
        ),
        _ => None,
    }
}

/// The function of an operator applied to operands of which one is complex.
fn operator_name(op: grammar::ast::BinOp) -> Option<&'static str> {
    use grammar::ast::BinOp::*;
    Some(match op {
        Add => "add",
        Sub => "subtract",
        Mul => "multiply",
        Div => "divide",
        EltMul => "elt_multiply",
        EltDiv => "elt_divide",
        Pow | EltPow => "pow",
        Eq => "logical_eq",
        Neq => "logical_neq",
        _ => return None,
    })
}

impl Args<'_> {
    fn value_real(&self, atom: Atom) -> Val {
        Val { atom, ty: Ty::REAL, data: self.data }
    }
}

impl Lowerer<'_> {
    /// `name` of checked arguments of which one is complex (or whose result is), if this table
    /// compiles it; otherwise reported as not supported yet.
    pub(crate) fn complex_call(&mut self, name: &str, vals: &[Val], span: Span) -> Val {
        let types: Vec<ArgType> = vals.iter().map(|v| functions::arg_type(v.ty)).collect();
        match function(name).filter(|f| (f.accepts)(name, &types)) {
            Some(f) => (f.lower)(self, &Args { name, vals, span, data: vals.iter().all(|v| v.data) }),
            None => {
                let list: Vec<String> = vals.iter().map(|v| format!("`{}`", v.ty)).collect();
                self.error(errors::function_not_supported(
                    span,
                    &format!("the built-in function `{name}` of {}", list.join(", ")),
                    name,
                ));
                Val::error()
            }
        }
    }

    /// `a op b` where one operand is complex.
    pub(crate) fn complex_binary(&mut self, op: grammar::ast::BinOp, a: Val, b: Val, span: Span) -> Val {
        // `.^` and `^` of containers are element-wise alike; `^` of scalars is `pow`.
        match operator_name(op) {
            Some(name) => self.complex_call(name, &[a, b], span),
            None => {
                self.error(errors::not_supported(
                    span,
                    &format!("the operator `{}` on `{}` and `{}`", op.symbol(), a.ty, b.ty),
                ));
                Val::error()
            }
        }
    }

    /// The complex `f(x, y)` of a function `f` bilinear over the reals, from the real table:
    /// f(xr, yr) − f(xi, yi) + i (f(xr, yi) + f(xi, yr)), products with a zero part left out;
    /// with `conjugate_x`, of conj(x).
    fn bilinear(&mut self, name: &str, x: Val, y: Val, conjugate_x: bool, span: Span) -> Val {
        use grammar::ast::BinOp;
        let (xr, xi) = self.parts(x);
        let (yr, yi) = self.parts(y);
        let mut re = self.builtin(name, &[xr, yr], span);
        if let (Some(xi), Some(yi)) = (xi, yi) {
            let p = self.builtin(name, &[xi, yi], span);
            let op = if conjugate_x { BinOp::Add } else { BinOp::Sub };
            re = self.binary(op, re, p, span);
        }
        let mut im: Option<Val> = None;
        if let Some(yi) = yi {
            im = Some(self.builtin(name, &[xr, yi], span));
        }
        if let Some(xi) = xi {
            let p = self.builtin(name, &[xi, yr], span);
            let op = if conjugate_x { BinOp::Sub } else { BinOp::Add };
            im = Some(match im {
                Some(sum) => self.binary(op, sum, p, span),
                None if conjugate_x => self.unary(grammar::ast::UnOp::Neg, p, span),
                None => p,
            });
        }
        let im = match im {
            Some(im) => im,
            None => self.zeros_like(re),
        };
        self.from_parts(re, im)
    }

    /// The n × n DFT matrix, F[j, k] = exp(−2πi jk / n), or for the inverse transform
    /// exp(2πi jk / n) / n. The angle is taken of jk mod n, exact in ints.
    fn dft_matrix(&mut self, n: Atom, inverse: bool) -> Val {
        use crate::ir::{Core, Stmt};
        let re = self.build(Ty::MATRIX, vec![n, n]);
        let im = self.build(Ty::MATRIX, vec![n, n]);
        let (Some(re_var), Some(im_var)) = (re.var(), im.var()) else { unreachable!("built variables") };
        let nr = self.to_real(Val { atom: n, ty: Ty::INT, data: true });
        let sign = if inverse { 1.0 } else { -1.0 };
        let step = self.prim(Prim::Div, &[Atom::Real(sign * 2.0 * std::f64::consts::PI), nr]);
        let scale = if inverse { self.prim(Prim::Div, &[Atom::Real(1.0), nr]) } else { Atom::Real(1.0) };
        self.for_each_index(&[n, n], Core::Matrix, &mut |l, idx| {
            let j = l.prim(Prim::ISub, &[idx[0], Atom::Int(1)]);
            let k = l.prim(Prim::ISub, &[idx[1], Atom::Int(1)]);
            let jk = l.prim(Prim::IMul, &[j, k]);
            let jk = l.prim(Prim::IMod, &[jk, n]);
            let jk = l.prim(Prim::ToReal, &[jk]);
            let angle = l.prim(Prim::Mul, &[jk, step]);
            let z = l.z_polar(scale, angle);
            l.emit(Stmt::Assign { var: re_var, indices: idx.to_vec(), value: z.re });
            l.emit(Stmt::Assign { var: im_var, indices: idx.to_vec(), value: z.im });
        });
        self.complex(re, im, Ty::MATRIX, true)
    }

    /// The product of every element of a complex container.
    fn complex_prod(&mut self, v: Val) -> Val {
        let acc_re = self.mutable(Ty::REAL, Atom::Real(1.0));
        let acc_im = self.mutable(Ty::REAL, Atom::Real(0.0));
        let dims = self.dims(v.atom, v.ty);
        self.for_each_index(&dims, v.ty.core, &mut |l, idx| {
            let z = l.load_z(v, idx);
            let acc = Z { re: Atom::Var(acc_re), im: Atom::Var(acc_im) };
            let next = l.z_mul(acc, z);
            l.emit(crate::ir::Stmt::Assign { var: acc_re, indices: vec![], value: next.re });
            l.emit(crate::ir::Stmt::Assign { var: acc_im, indices: vec![], value: next.im });
        });
        let re = self.let_(Ty::REAL, crate::ir::Expr::Atom(Atom::Var(acc_re)));
        let im = self.let_(Ty::REAL, crate::ir::Expr::Atom(Atom::Var(acc_im)));
        self.complex(re, im, Ty::REAL, v.data)
    }

    // ---- complex scalar arithmetic, in real primitives ---------------------------------

    fn r(&mut self, p: impl Into<Prim>, args: &[Atom]) -> Atom {
        self.prim(p, args)
    }

    pub(crate) fn z_add(&mut self, a: Z, b: Z) -> Z {
        Z { re: self.r(Prim::Add, &[a.re, b.re]), im: self.r(Prim::Add, &[a.im, b.im]) }
    }

    pub(crate) fn z_sub(&mut self, a: Z, b: Z) -> Z {
        Z { re: self.r(Prim::Sub, &[a.re, b.re]), im: self.r(Prim::Sub, &[a.im, b.im]) }
    }

    /// (a + bi)(c + di) = ac − bd + (ad + bc)i.
    pub(crate) fn z_mul(&mut self, x: Z, y: Z) -> Z {
        let ac = self.r(Prim::Mul, &[x.re, y.re]);
        let bd = self.r(Prim::Mul, &[x.im, y.im]);
        let ad = self.r(Prim::Mul, &[x.re, y.im]);
        let bc = self.r(Prim::Mul, &[x.im, y.re]);
        Z { re: self.r(Prim::Sub, &[ac, bd]), im: self.r(Prim::Add, &[ad, bc]) }
    }

    /// (a + bi)/(c + di) = ((ac + bd) + (bc − ad)i) / (c² + d²).
    pub(crate) fn z_div(&mut self, x: Z, y: Z) -> Z {
        let ac = self.r(Prim::Mul, &[x.re, y.re]);
        let bd = self.r(Prim::Mul, &[x.im, y.im]);
        let ad = self.r(Prim::Mul, &[x.re, y.im]);
        let bc = self.r(Prim::Mul, &[x.im, y.re]);
        let den = self.z_norm(y);
        let re = self.r(Prim::Add, &[ac, bd]);
        let im = self.r(Prim::Sub, &[bc, ad]);
        Z { re: self.r(Prim::Div, &[re, den]), im: self.r(Prim::Div, &[im, den]) }
    }

    fn z_scale(&mut self, z: Z, k: Atom) -> Z {
        Z { re: self.r(Prim::Mul, &[z.re, k]), im: self.r(Prim::Mul, &[z.im, k]) }
    }

    /// i z.
    fn z_times_i(&mut self, z: Z) -> Z {
        Z { re: self.r(Prim::Neg, &[z.im]), im: z.re }
    }

    /// −i z.
    fn z_times_minus_i(&mut self, z: Z) -> Z {
        Z { re: z.im, im: self.r(Prim::Neg, &[z.re]) }
    }

    /// |z|² = a² + b².
    pub(crate) fn z_norm(&mut self, z: Z) -> Atom {
        let a2 = self.r(Prim::Mul, &[z.re, z.re]);
        let b2 = self.r(Prim::Mul, &[z.im, z.im]);
        self.r(Prim::Add, &[a2, b2])
    }

    pub(crate) fn z_abs(&mut self, z: Z) -> Atom {
        let n = self.z_norm(z);
        self.r(Prim::Sqrt, &[n])
    }

    /// The angle of z in (−π, π], the sign of a zero imaginary part deciding at −∞..0.
    pub(crate) fn z_arg(&mut self, z: Z) -> Atom {
        self.r(Fun::Atan2, &[z.im, z.re])
    }

    /// r (cos θ + i sin θ).
    fn z_polar(&mut self, r: Atom, theta: Atom) -> Z {
        let c = self.r(Fun::Cos, &[theta]);
        let s = self.r(Fun::Sin, &[theta]);
        Z { re: self.r(Prim::Mul, &[r, c]), im: self.r(Prim::Mul, &[r, s]) }
    }

    fn z_exp(&mut self, z: Z) -> Z {
        let m = self.r(Fun::Exp, &[z.re]);
        self.z_polar(m, z.im)
    }

    /// The principal logarithm: log |z| + i arg z.
    fn z_log(&mut self, z: Z) -> Z {
        let m = self.z_abs(z);
        Z { re: self.r(Fun::Log, &[m]), im: self.z_arg(z) }
    }

    /// The principal square root, √|z| (cos(θ/2) + i sin(θ/2)), θ = arg z.
    fn z_sqrt(&mut self, z: Z) -> Z {
        let m = self.z_abs(z);
        let r = self.r(Prim::Sqrt, &[m]);
        let theta = self.z_arg(z);
        let half = self.r(Prim::Mul, &[theta, Atom::Real(0.5)]);
        self.z_polar(r, half)
    }

    /// xʸ = exp(y log x), as Stan computes it.
    pub(crate) fn z_pow(&mut self, x: Z, y: Z) -> Z {
        let lx = self.z_log(x);
        let p = self.z_mul(y, lx);
        self.z_exp(p)
    }

    /// sin(a + bi) = sin a cosh b + i cos a sinh b.
    fn z_sin(&mut self, z: Z) -> Z {
        let (sa, ca) = (self.r(Fun::Sin, &[z.re]), self.r(Fun::Cos, &[z.re]));
        let (shb, chb) = (self.r(Fun::Sinh, &[z.im]), self.r(Fun::Cosh, &[z.im]));
        Z { re: self.r(Prim::Mul, &[sa, chb]), im: self.r(Prim::Mul, &[ca, shb]) }
    }

    /// cos(a + bi) = cos a cosh b − i sin a sinh b.
    fn z_cos(&mut self, z: Z) -> Z {
        let (sa, ca) = (self.r(Fun::Sin, &[z.re]), self.r(Fun::Cos, &[z.re]));
        let (shb, chb) = (self.r(Fun::Sinh, &[z.im]), self.r(Fun::Cosh, &[z.im]));
        let im = self.r(Prim::Mul, &[sa, shb]);
        Z { re: self.r(Prim::Mul, &[ca, chb]), im: self.r(Prim::Neg, &[im]) }
    }

    /// sinh(a + bi) = sinh a cos b + i cosh a sin b.
    fn z_sinh(&mut self, z: Z) -> Z {
        let (sb, cb) = (self.r(Fun::Sin, &[z.im]), self.r(Fun::Cos, &[z.im]));
        let (sha, cha) = (self.r(Fun::Sinh, &[z.re]), self.r(Fun::Cosh, &[z.re]));
        Z { re: self.r(Prim::Mul, &[sha, cb]), im: self.r(Prim::Mul, &[cha, sb]) }
    }

    /// cosh(a + bi) = cosh a cos b + i sinh a sin b.
    fn z_cosh(&mut self, z: Z) -> Z {
        let (sb, cb) = (self.r(Fun::Sin, &[z.im]), self.r(Fun::Cos, &[z.im]));
        let (sha, cha) = (self.r(Fun::Sinh, &[z.re]), self.r(Fun::Cosh, &[z.re]));
        Z { re: self.r(Prim::Mul, &[cha, cb]), im: self.r(Prim::Mul, &[sha, sb]) }
    }

    /// tan(a + bi) = (sin 2a + i sinh 2b) / (cos 2a + cosh 2b).
    fn z_tan(&mut self, z: Z) -> Z {
        let (a2, b2) = (self.r(Prim::Add, &[z.re, z.re]), self.r(Prim::Add, &[z.im, z.im]));
        let (s, c) = (self.r(Fun::Sin, &[a2]), self.r(Fun::Cos, &[a2]));
        let (sh, ch) = (self.r(Fun::Sinh, &[b2]), self.r(Fun::Cosh, &[b2]));
        let den = self.r(Prim::Add, &[c, ch]);
        Z { re: self.r(Prim::Div, &[s, den]), im: self.r(Prim::Div, &[sh, den]) }
    }

    /// tanh(a + bi) = (sinh 2a + i sin 2b) / (cosh 2a + cos 2b).
    fn z_tanh(&mut self, z: Z) -> Z {
        let (a2, b2) = (self.r(Prim::Add, &[z.re, z.re]), self.r(Prim::Add, &[z.im, z.im]));
        let (sh, ch) = (self.r(Fun::Sinh, &[a2]), self.r(Fun::Cosh, &[a2]));
        let (s, c) = (self.r(Fun::Sin, &[b2]), self.r(Fun::Cos, &[b2]));
        let den = self.r(Prim::Add, &[ch, c]);
        Z { re: self.r(Prim::Div, &[sh, den]), im: self.r(Prim::Div, &[s, den]) }
    }

    /// asinh z = log(z + √(z² + 1)), computed at −z when Re z < 0 (asinh is odd) so that
    /// the sum does not cancel.
    fn z_asinh(&mut self, z: Z) -> Z {
        let negative = self.r(Prim::Lt, &[z.re, Atom::Real(0.0)]);
        let nre = self.r(Prim::Neg, &[z.re]);
        let nim = self.r(Prim::Neg, &[z.im]);
        let w =
            Z { re: self.r(Prim::Select, &[negative, nre, z.re]), im: self.r(Prim::Select, &[negative, nim, z.im]) };
        let w2 = self.z_mul(w, w);
        let w2p1 = self.z_add(w2, Z::real(Atom::Real(1.0)));
        let s = self.z_sqrt(w2p1);
        let sum = self.z_add(w, s);
        let r = self.z_log(sum);
        let nr = (self.r(Prim::Neg, &[r.re]), self.r(Prim::Neg, &[r.im]));
        Z { re: self.r(Prim::Select, &[negative, nr.0, r.re]), im: self.r(Prim::Select, &[negative, nr.1, r.im]) }
    }

    /// acosh z = log(z + √(z + 1) √(z − 1)) (the product of roots keeps the principal branch).
    fn z_acosh(&mut self, z: Z) -> Z {
        let zp = self.z_add(z, Z::real(Atom::Real(1.0)));
        let zm = self.z_sub(z, Z::real(Atom::Real(1.0)));
        let (sp, sm) = (self.z_sqrt(zp), self.z_sqrt(zm));
        let p = self.z_mul(sp, sm);
        let sum = self.z_add(z, p);
        self.z_log(sum)
    }

    /// atanh z = (log(1 + z) − log(1 − z)) / 2.
    fn z_atanh(&mut self, z: Z) -> Z {
        let one = Z::real(Atom::Real(1.0));
        let (p, m) = (self.z_add(one, z), self.z_sub(one, z));
        let (lp, lm) = (self.z_log(p), self.z_log(m));
        let d = self.z_sub(lp, lm);
        self.z_scale(d, Atom::Real(0.5))
    }

    /// A complex function of one complex argument, by name.
    fn z_function(&mut self, name: &str, z: Z) -> Z {
        match name {
            "exp" => self.z_exp(z),
            "log" => self.z_log(z),
            "log10" => {
                let l = self.z_log(z);
                self.z_scale(l, Atom::Real(std::f64::consts::LOG10_E))
            }
            "sqrt" => self.z_sqrt(z),
            "sin" => self.z_sin(z),
            "cos" => self.z_cos(z),
            "tan" => self.z_tan(z),
            "sinh" => self.z_sinh(z),
            "cosh" => self.z_cosh(z),
            "tanh" => self.z_tanh(z),
            "asinh" => self.z_asinh(z),
            "acosh" => self.z_acosh(z),
            "atanh" => self.z_atanh(z),
            // asin z = −i asinh(iz), atan z = −i atanh(iz), acos z = π/2 − asin z.
            "asin" | "atan" | "acos" => {
                let iz = self.z_times_i(z);
                let w = if name == "atan" { self.z_atanh(iz) } else { self.z_asinh(iz) };
                let w = self.z_times_minus_i(w);
                if name != "acos" {
                    return w;
                }
                let re = self.r(Prim::Sub, &[Atom::Real(std::f64::consts::FRAC_PI_2), w.re]);
                Z { re, im: self.r(Prim::Neg, &[w.im]) }
            }
            "conj" => Z { re: z.re, im: self.r(Prim::Neg, &[z.im]) },
            // The projection onto the Riemann sphere: an infinite z is +∞ (its imaginary part
            // zero); any other is itself.
            "proj" => {
                let (ia, ib) = (self.r(Prim::IsInf, &[z.re]), self.r(Prim::IsInf, &[z.im]));
                let inf = self.r(Prim::Or, &[ia, ib]);
                let re = self.r(Prim::Select, &[inf, Atom::Real(f64::INFINITY), z.re]);
                let im = self.r(Prim::Select, &[inf, Atom::Real(0.0), z.im]);
                Z { re, im }
            }
            _ => unreachable!("`{name}` is not a complex function of one argument"),
        }
    }
}
