//! Complex values in lowering: each is split into its real and imaginary parts.
//!
//! The IR, the differentiation and codegen know only reals and ints. A complex value of type
//! `complex_vector` (say) is lowered as two real values of type `vector` of the same sizes: its
//! real part and its imaginary part. A [`Val`] of a complex type holds the real part in its
//! atom; the imaginary part is kept in [`Lowerer::imag`], keyed by the variable holding the
//! real part (every complex value's real part is a variable of its own, see
//! [`Lowerer::complex`]). So every complex operation is written with real primitives and real
//! kernels (a complex matrix product is four real ones), and gradients come from their rules.

use grammar::Span;

use crate::ir::{Atom, Core, Elem, Expr, Prim, Stmt, Ty, VarId, VarKind};
use crate::sema::{Lowerer, Val};

/// A complex scalar as its two real parts, inside a computation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Z {
    pub re: Atom,
    pub im: Atom,
}

impl Z {
    pub fn real(re: Atom) -> Z {
        Z { re, im: Atom::Real(0.0) }
    }
}

impl Lowerer<'_> {
    /// The complex value (of the complex type `ty`) whose parts are the real values `re` and
    /// `im` (of type `ty.part()`). The real part gets a variable of its own, the key of the
    /// imaginary part.
    pub(crate) fn complex(&mut self, re: Atom, im: Atom, ty: Ty, data: bool) -> Val {
        let ty = ty.complex();
        let fresh = match re {
            Atom::Var(v) => {
                let kind = self.f.vars[v as usize].kind;
                !self.imag.contains_key(&v) && matches!(kind, VarKind::Let | VarKind::Built)
            }
            _ => false,
        };
        let re = if fresh { re } else { self.let_(ty.part(), Expr::Atom(re)) };
        // A container's part is a variable; a constant one is the NaN of a value that failed
        // to check (reported already), bound as the real lowering binds those.
        let im = if ty.is_scalar() || im.var().is_some() { im } else { self.let_(ty.part(), Expr::Atom(im)) };
        let Atom::Var(key) = re else { unreachable!("let_ returns a variable") };
        self.imag.insert(key, im);
        Val { atom: re, ty, data }
    }

    /// A complex variable whose two parts are the given IR variables (mutable, or slots).
    pub(crate) fn pair(&mut self, re: VarId, im: VarId) {
        self.imag.insert(re, Atom::Var(im));
    }

    /// The imaginary part of a complex value (NaN for a value that failed to check, reported
    /// already, whose atom is a NaN constant).
    pub(crate) fn imag_of(&self, v: Val) -> Atom {
        let Atom::Var(key) = v.atom else { return Atom::Real(f64::NAN) };
        *self.imag.get(&key).expect("bug: a complex value without an imaginary part")
    }

    /// The real and imaginary parts of a complex value, or of a real or int one promoted to
    /// complex (its imaginary part zero, `None` so that callers can skip work on it). An int
    /// part is made real.
    pub(crate) fn parts(&mut self, v: Val) -> (Val, Option<Val>) {
        if v.ty.is_complex() {
            let part = Val { ty: v.ty.part(), ..v };
            let im = Val { atom: self.imag_of(v), ..part };
            return (part, Some(im));
        }
        (self.promote_real(v), None)
    }

    /// Both parts, the imaginary part of a real value made explicit (zeros of its shape).
    pub(crate) fn both_parts(&mut self, v: Val) -> (Val, Val) {
        let (re, im) = self.parts(v);
        let im = match im {
            Some(im) => im,
            None => self.zeros_like(re),
        };
        (re, im)
    }

    /// `v` as a complex value (promoted if it is real or int).
    pub(crate) fn as_complex(&mut self, v: Val) -> Val {
        if v.ty.is_complex() {
            return v;
        }
        let (re, im) = self.both_parts(v);
        self.complex(re.atom, im.atom, re.ty, v.data)
    }

    /// An int value (or container) as real; a real one unchanged.
    pub(crate) fn promote_real(&mut self, v: Val) -> Val {
        if v.ty.elem != Elem::Int {
            return v;
        }
        let ty = Ty { elem: Elem::Real, ..v.ty };
        if v.ty.is_scalar() {
            let atom = self.to_real(v);
            return Val { atom, ty, data: v.data };
        }
        self.map_elementwise(&[v], ty, &mut |l, xs| l.prim(Prim::ToReal, &[xs[0]]), Span::new(0, 0))
    }

    /// A real value of `v`'s type and sizes, every element zero.
    pub(crate) fn zeros_like(&mut self, v: Val) -> Val {
        if v.ty.is_scalar() {
            return Val { atom: Atom::Real(0.0), ty: Ty::REAL, data: true };
        }
        let dims = self.dims(v.atom, v.ty);
        let atom = self.let_(v.ty.part(), Expr::Alloc { ty: v.ty.part(), dims });
        Val { atom, ty: v.ty.part(), data: true }
    }

    /// A complex value made of two real ones of one type.
    pub(crate) fn from_parts(&mut self, re: Val, im: Val) -> Val {
        self.complex(re.atom, im.atom, re.ty, re.data && im.data)
    }

    /// `f` applied to the real part and to the imaginary part of `v` alike (a function that
    /// moves elements, or any function linear over the reals).
    pub(crate) fn map_parts(&mut self, v: Val, f: &mut dyn FnMut(&mut Self, Val) -> Val) -> Val {
        let (re, im) = self.parts(v);
        let re = f(self, re);
        let im = match im {
            Some(im) => f(self, im),
            None => self.zeros_like(re),
        };
        self.from_parts(re, im)
    }

    /// A mutable complex variable of the given type and sizes: two mutable real variables.
    pub(crate) fn complex_mutable(&mut self, name: &str, ty: Ty, dims: &[Atom]) -> VarId {
        let re = self.f.new_var(Some(format!("{name}.re")), ty.part(), VarKind::Mutable);
        let im = self.f.new_var(Some(format!("{name}.im")), ty.part(), VarKind::Mutable);
        self.emit(Stmt::Decl { var: re, dims: dims.to_vec() });
        self.emit(Stmt::Decl { var: im, dims: dims.to_vec() });
        self.pair(re, im);
        re
    }

    /// One complex element of `v` (complex, real or int) at `indices` (all of them), as parts.
    pub(crate) fn load_z(&mut self, v: Val, indices: &[Atom]) -> Z {
        if v.ty.is_scalar() {
            let (re, im) = self.parts(v);
            return Z { re: re.atom, im: im.map_or(Atom::Real(0.0), |i| i.atom) };
        }
        let load = |l: &mut Self, base: Atom, elem: Elem| {
            // A container that failed to check (reported already) is a NaN constant.
            let Atom::Var(base) = base else { return Atom::Real(f64::NAN) };
            let ty = Ty { elem, array_rank: 0, core: Core::Scalar };
            let x = l.let_(ty, Expr::Load { base, indices: indices.to_vec() });
            l.to_real(Val { atom: x, ty, data: true })
        };
        if v.ty.is_complex() {
            let im = self.imag_of(v);
            Z { re: load(self, v.atom, Elem::Real), im: load(self, im, Elem::Real) }
        } else {
            Z::real(load(self, v.atom, v.ty.elem))
        }
    }

    /// Applies `f` to corresponding complex elements of `args` (complex, real or int; scalars
    /// broadcast), building a complex container shaped like the containers, or a real one when
    /// `real_result` (then only the real part of `f`'s value is kept).
    pub(crate) fn map_complex(
        &mut self,
        args: &[Val],
        real_result: bool,
        f: &mut dyn FnMut(&mut Self, &[Z]) -> Z,
        span: Span,
    ) -> Val {
        let data = args.iter().all(|a| a.data);
        let Some(first) = args.iter().find(|a| !a.ty.is_scalar()).copied() else {
            let zs: Vec<Z> = args.iter().map(|a| self.load_z(*a, &[])).collect();
            let z = f(self, &zs);
            if real_result {
                return Val { atom: z.re, ty: Ty::REAL, data };
            }
            return self.complex(z.re, z.im, Ty::REAL, data);
        };
        let shape = Ty { elem: Elem::Real, ..first.ty };
        let dims = self.dims(first.atom, shape);
        for other in args.iter().filter(|a| !a.ty.is_scalar() && a.atom != first.atom) {
            for (d, expected) in dims.iter().enumerate() {
                let found = self.dim(other.atom, d);
                self.same_size(found, *expected, "size mismatch in an elementwise operation: {} versus {}", span);
            }
        }
        // Scalars are read once, outside the loops.
        let scalars: Vec<Option<Z>> =
            args.iter().map(|a| if a.ty.is_scalar() { Some(self.load_z(*a, &[])) } else { None }).collect();
        let re = self.build(shape, dims.clone());
        let im = if real_result { None } else { Some(self.build(shape, dims.clone())) };
        let (Atom::Var(re_var), im_var) = (re, im.and_then(|a| a.var())) else { unreachable!("built variables") };
        let args = args.to_vec();
        self.for_each_index(&dims, shape.core, &mut |l, idx| {
            let zs: Vec<Z> = args.iter().zip(&scalars).map(|(a, s)| s.unwrap_or_else(|| l.load_z(*a, idx))).collect();
            let z = f(l, &zs);
            l.emit(Stmt::Assign { var: re_var, indices: idx.to_vec(), value: z.re });
            if let Some(im_var) = im_var {
                l.emit(Stmt::Assign { var: im_var, indices: idx.to_vec(), value: z.im });
            }
        });
        match im {
            Some(im) => self.complex(re, im, shape, data),
            None => Val { atom: re, ty: shape, data },
        }
    }
}
