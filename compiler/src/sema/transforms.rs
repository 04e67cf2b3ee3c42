//! Parameters and constraints: reading the unconstrained vector, Stan's constraining
//! transforms with their log-Jacobians, and the checks of declared constraints on data,
//! transformed data, transformed parameters and generated quantities.

use grammar::ast::{self, TypeKind};

use crate::ir::{Atom, Core, Elem, ErrorKind, Expr, Fun, Prim, Stmt, Ty, VarId, VarKind};
use crate::sema::vector_transforms::{Sink, Subject, Transform, Who};
use crate::sema::{Binding, Lowerer, Mode, Val, decl_ty, errors, tuples};

/// The bounds of one element of a scalar transform, as values.
#[derive(Clone, Copy)]
pub(crate) enum Bounds {
    Interval { lower: Option<Atom>, upper: Option<Atom> },
    Affine { offset: Option<Atom>, multiplier: Option<Atom> },
}

impl Lowerer<'_> {
    /// The runtime sizes of a declared type: array dimensions, then the core's sizes.
    pub(crate) fn decl_dims(&mut self, t: &ast::DeclType) -> Vec<Atom> {
        let mut dims = Vec::new();
        for e in &t.array_dims {
            dims.push(self.size_expr(e));
        }
        let sizes: Vec<Atom> = t.sizes.iter().map(|e| self.size_expr(e)).collect();
        match (&t.kind, sizes.as_slice()) {
            (TypeKind::CholeskyFactorCorr | TypeKind::CorrMatrix | TypeKind::CovMatrix, [k]) => {
                dims.push(*k);
                dims.push(*k);
            }
            (TypeKind::CholeskyFactorCov, [m]) => {
                dims.push(*m);
                dims.push(*m);
            }
            (TypeKind::Simplex, [k]) => {
                // The stick-breaking transform needs one element at least (Stan's rule too).
                if !matches!(k, Atom::Int(n) if *n >= 1) {
                    let ok = self.prim(Prim::IGe, &[*k, Atom::Int(1)]);
                    let message = "a simplex has size {}, and it needs at least one element".to_string();
                    self.check(ok, ErrorKind::Fatal, message, t.span, vec![*k]);
                }
                dims.push(*k);
            }
            _ => dims.extend(sizes),
        }
        self.check_element_count(&dims, t.span);
        dims
    }

    /// The sizes a built-in function is given (`rep_vector(x, n)`): none negative, and an
    /// element count that fits.
    pub(crate) fn check_given_sizes(&mut self, dims: &[Atom], span: grammar::Span) {
        for &d in dims {
            self.check_not_negative(d, span);
        }
        self.check_element_count(dims, span);
    }

    /// A negative size would make a buffer of negative length; Stan refuses it at run time.
    /// (A literal size is known to be fine.)
    fn check_not_negative(&mut self, size: Atom, span: grammar::Span) {
        if !matches!(size, Atom::Int(n) if n >= 0) {
            let ok = self.prim(Prim::IGe, &[size, Atom::Int(0)]);
            let message = "a size is {}, and sizes cannot be negative".to_string();
            self.check(ok, ErrorKind::Fatal, message, span, vec![size]);
        }
    }

    /// Each size is checked on its own, so their product must be too: one that overflows would
    /// make a tiny buffer that every checked index still fits. A container holds at most
    /// `MAX_ELEMENTS` elements (16 GiB of reals), more than any machine this runs on.
    fn check_element_count(&mut self, dims: &[Atom], span: grammar::Span) {
        const MAX_ELEMENTS: i64 = (1 << 31) - 1;
        let message = "this container would hold more than 2147483647 elements (one of its sizes is {})";
        let constant: Option<Vec<i64>> =
            dims.iter().map(|d| if let Atom::Int(n) = d { Some(*n) } else { None }).collect();
        if let Some(sizes) = constant {
            let total = sizes.iter().try_fold(1i64, |acc, &n| acc.checked_mul(n.max(0)));
            if total.is_some_and(|t| t <= MAX_ELEMENTS) {
                return;
            }
        }
        let mut count = Atom::Int(1);
        for &d in dims {
            // count * d ≤ MAX  ⇔  count ≤ MAX / d (d ≥ 1; a zero size empties the container).
            let divisor = self.prim(Prim::IMax, &[d, Atom::Int(1)]);
            let room = self.prim(Prim::IDiv, &[Atom::Int(MAX_ELEMENTS), divisor]);
            let ok = self.prim(Prim::ILe, &[count, room]);
            self.check(ok, ErrorKind::Fatal, message.to_string(), span, vec![d]);
            count = self.prim(Prim::IMul, &[count, divisor]);
        }
    }

    fn size_expr(&mut self, e: &ast::Expr) -> Atom {
        let v = self.expr(e);
        if v.ty != Ty::INT {
            if v.ty != Ty::ERROR {
                self.error(errors::size_not_int(e.span, v.ty));
            }
            return Atom::Int(0);
        }
        self.check_not_negative(v.atom, e.span);
        v.atom
    }

    /// Load-time checks of a data variable: its sizes against the declaration, then its
    /// constraints.
    pub(crate) fn check_data_decl(&mut self, d: &ast::VarDecl, var: u32, ty: Ty) {
        let dims = self.decl_dims(&d.ty);
        self.check_declared_sizes(d, var, &dims, "data variable", "the data");
        self.check_constraint(d, Atom::Var(var), ty, "data variable");
    }

    /// Checks the sizes of a value read from a slot (`var`, the `noun` from `source`) against
    /// the declaration's `dims`.
    fn check_declared_sizes(&mut self, d: &ast::VarDecl, var: VarId, dims: &[Atom], noun: &str, source: &str) {
        for (i, expected) in dims.iter().enumerate() {
            let found = self.dim(Atom::Var(var), i);
            let ok = self.prim(Prim::IEq, &[found, *expected]);
            let what =
                if i < d.ty.array_dims.len() { format!("array dimension {}", i + 1) } else { "size".to_string() };
            let message =
                format!("{noun} `{}`: {what} is {{}} in {source}, but the declaration requires {{}}", d.name.name);
            self.check(ok, ErrorKind::Data, message, d.ty.span, vec![found, *expected]);
        }
    }

    /// Checks the structural constraints of the vector types and the stochastic and sum-to-zero
    /// matrices (Stan's checks of declared variables), then `<lower=…, upper=…>` element by
    /// element.
    pub(crate) fn check_constraint(&mut self, d: &ast::VarDecl, value: Atom, ty: Ty, what: &str) {
        if let (Some(t), Atom::Var(var)) = (Transform::of_decl(&d.ty.kind), value)
            && t.checked_when_declared()
        {
            let dims = self.dims(value, ty);
            self.check_all(t, var, &dims, &Subject::new(Who::Declared(d, what)));
        }
        let c = &d.ty.constraint;
        if c.lower.is_none() && c.upper.is_none() {
            return;
        }
        let kind = if self.mode == Mode::Load { ErrorKind::Data } else { ErrorKind::Domain };
        let lower = c.lower.as_ref().map(|e| (self.expr(e), e.span));
        let upper = c.upper.as_ref().map(|e| (self.expr(e), e.span));
        let name = d.name.name.clone();
        let what = what.to_string();
        let span = d.name.span;
        let each = |l: &mut Self, x: Val, idx: &[Atom]| {
            for (bound, is_lower) in [(lower, true), (upper, false)] {
                let Some((b, _)) = bound else { continue };
                let b = l.element_of(b, idx);
                let (x_atom, b_atom, prim) = if x.ty.elem == Elem::Int && b.ty.elem == Elem::Int {
                    (x.atom, b.atom, if is_lower { Prim::IGe } else { Prim::ILe })
                } else {
                    (l.to_real(x), l.to_real(b), if is_lower { Prim::Ge } else { Prim::Le })
                };
                let ok = l.prim(prim, &[x_atom, b_atom]);
                let rel = if is_lower { ">=" } else { "<=" };
                let (position, mut values) = element_label(idx);
                let message = format!("{what} `{name}{position}` is {{}}, but it must be {rel} {{}}");
                values.push(l.to_real(x));
                values.push(l.to_real(b));
                l.check(ok, kind, message, span, values);
            }
        };
        if ty.is_scalar() {
            each(self, Val { atom: value, ty, data: true }, &[]);
            return;
        }
        let dims = self.dims(value, ty);
        let Atom::Var(base) = value else { return };
        let scalar = Ty { elem: ty.elem, array_rank: 0, core: Core::Scalar };
        self.for_each_index(&dims, ty.core, &mut |l, idx| {
            let x = l.let_(scalar, Expr::Load { base, indices: idx.to_vec() });
            each(l, Val { atom: x, ty: scalar, data: true }, idx);
        });
    }

    /// The element of `v` at `idx` (see [`Self::element_of`]) as a real.
    fn real_element(&mut self, v: Val, idx: &[Atom]) -> Atom {
        let e = self.element_of(v, idx);
        self.to_real(e)
    }

    /// `v` itself if it is a scalar, else its element at `idx` (a bound given per element).
    /// A bound of a component of an array of tuples has the component's shape, its last
    /// dimensions: it is indexed by the last indices.
    pub(crate) fn element_of(&mut self, v: Val, idx: &[Atom]) -> Val {
        if v.ty.is_scalar() {
            return v;
        }
        let Atom::Var(base) = v.atom else { return v };
        let ty = Ty { elem: v.ty.elem, array_rank: 0, core: Core::Scalar };
        let idx = &idx[idx.len().saturating_sub(v.ty.rank())..];
        let atom = self.let_(ty, Expr::Load { base, indices: idx.to_vec() });
        Val { atom, ty, data: v.data }
    }

    /// Reads one parameter from theta, constrains it, adds the log-Jacobian (log density
    /// only), and binds its name. In `sizes` it only advances the offset and writes the sizes.
    pub(crate) fn lower_parameter(&mut self, d: &ast::VarDecl) {
        let ty = decl_ty(&d.ty);
        if ty.is_tuple() {
            self.lower_tuple_parameter(d, ty);
            return;
        }
        if d.init.is_some() {
            self.error(errors::not_supported(d.name.span, "initial values in the parameters block"));
        }
        let dims = self.decl_dims(&d.ty);
        let unconstrained = match &d.ty.kind {
            TypeKind::Real | TypeKind::Vector | TypeKind::RowVector | TypeKind::Matrix => self.product(&dims),
            kind if Transform::of_decl(kind).is_some() => {
                let t = Transform::of_decl(kind).expect("a transform");
                let core = dims[dims.len() - t.core_rank()..].to_vec();
                if !matches!(t, Transform::Simplex(_)) {
                    // A simplex's size is checked with its declaration, whatever its block.
                    self.check_least_sizes(t, &core, d.ty.span);
                }
                let per = self.free_count(t, &core);
                let n = self.product(&dims[..dims.len() - t.core_rank()]);
                self.product(&[n, per])
            }
            TypeKind::Int => {
                self.bind_placeholder(d, ty);
                return;
            }
            other => {
                self.error(errors::not_supported(d.ty.span, &format!("parameters of type `{}`", other.keyword())));
                self.bind_placeholder(d, ty);
                return;
            }
        };
        if self.mode == Mode::Sizes {
            for dim in &dims {
                self.output(*dim);
            }
            self.theta_offset = self.prim(Prim::IAdd, &[self.theta_offset, unconstrained]);
            return;
        }
        let offset = self.theta_offset;
        let value = if self.mode == Mode::Unconstrain {
            self.unconstrain_parameter(d, ty, &dims, offset, unconstrained)
        } else {
            let jacobian = matches!(self.mode, Mode::LogDensity { jacobian: true, .. });
            self.constrain_parameter(d, ty, &dims, offset, jacobian)
        };
        self.theta_offset = self.prim(Prim::IAdd, &[offset, unconstrained]);
        let Atom::Var(var) = value else {
            return;
        };
        self.f.vars[var as usize].name = Some(d.name.name.clone());
        self.bind_parameter(d, var, ty);
        if self.mode == Mode::WriteArray {
            self.write_output(value, ty);
        }
    }

    /// A tuple parameter: its leaves one after the other, each an ordinary parameter (Stan's
    /// order of the unconstrained values and of the outputs), then bound together.
    fn lower_tuple_parameter(&mut self, d: &ast::VarDecl, ty: Ty) {
        if tuples::has_array_of_tuples(&d.ty) {
            // Stan orders an array of tuples element by element, where the leaves would order
            // it component by component.
            self.error(errors::not_supported(d.ty.span, "parameters that are arrays of tuples"));
            self.bind_placeholder(d, Ty::ERROR);
            return;
        }
        let leaves = tuples::leaves(d);
        for leaf in &leaves {
            self.lower_parameter(&leaf.decl);
        }
        if self.mode == Mode::Sizes {
            return;
        }
        let mut values = Vec::new();
        for leaf in &leaves {
            // A leaf that failed to lower was reported; the tuple is not bound then.
            let scope = self.scopes.last_mut().expect("global scope");
            let Some(b) = scope.remove(&leaf.decl.name.name) else { return };
            values.push(Val { atom: Atom::Var(b.var), ty: b.ty, data: false });
        }
        let value = self.assemble(ty, &mut values.into_iter());
        let var = value.atom.var().expect("a tuple value is a variable");
        self.bind_parameter(d, var, ty);
    }

    /// The constrained value of a parameter of type `ty` and sizes `dims` whose unconstrained
    /// values follow position `offset` of theta, adding the log-Jacobian when `jacobian`.
    fn constrain_parameter(&mut self, d: &ast::VarDecl, ty: Ty, dims: &[Atom], offset: Atom, jacobian: bool) -> Atom {
        let theta = self.theta.expect("theta exists when reading parameters");
        let dims = dims.to_vec();
        let unconstrained_view = d.ty.constraint.is_empty()
            && matches!(d.ty.kind, TypeKind::Real | TypeKind::Vector | TypeKind::RowVector | TypeKind::Matrix);
        if !ty.is_scalar() && unconstrained_view {
            // Theta already holds these values in this layout: read them in place.
            self.let_(ty, Expr::View { base: theta, offset, dims: dims.clone() })
        } else if ty.is_scalar() {
            let pos = self.prim(Prim::IAdd, &[offset, Atom::Int(1)]);
            let x = self.let_(Ty::REAL, Expr::Load { base: theta, indices: vec![pos] });
            self.constrain_elementwise(d, x, &[], jacobian)
        } else {
            let out = self.build(ty, dims.clone());
            let Atom::Var(out_var) = out else { unreachable!("build returns a variable") };
            match Transform::of_decl(&d.ty.kind) {
                Some(t) => self.constrain_all(t, theta, offset, out_var, &dims, jacobian, d.ty.span),
                _ => {
                    let strides = memory_strides(self, &dims, ty.core);
                    self.for_each_index(&dims.clone(), ty.core, &mut |l, idx| {
                        let first = l.prim(Prim::IAdd, &[offset, Atom::Int(1)]);
                        let flat = l.flat_position(first, idx, &strides);
                        let x = l.let_(Ty::REAL, Expr::Load { base: theta, indices: vec![flat] });
                        let y = l.constrain_elementwise(d, x, idx, jacobian);
                        l.emit(Stmt::Assign { var: out_var, indices: idx.to_vec(), value: y });
                    });
                }
            }
            out
        }
    }

    /// In `unconstrain` (see [`crate::sema::unconstrain`]): the constrained value of parameter
    /// `d`, from its slot when the init file gives it (checked, and unconstrained into the
    /// output), else from the unconstrained values theta holds at its place (copied to the
    /// output). `count` is its number of unconstrained values.
    fn unconstrain_parameter(&mut self, d: &ast::VarDecl, ty: Ty, dims: &[Atom], offset: Atom, count: Atom) -> Atom {
        let index = self.info.parameters.iter().position(|p| p.label() == d.name.name).expect("parameters are listed");
        let given = self.given.expect("the given flags exist in unconstrain");
        let theta = self.theta.expect("theta exists in unconstrain");
        let value = self.f.new_var(Some(d.name.name.clone()), ty, VarKind::Mutable);
        self.emit(Stmt::Decl { var: value, dims: dims.to_vec() });
        let set = |l: &mut Self, src: Atom| match src {
            Atom::Var(src) if !ty.is_scalar() => l.emit(Stmt::Copy { dst: value, src }),
            _ => l.emit(Stmt::Assign { var: value, indices: vec![], value: src }),
        };
        let is_given = self.let_(Ty::INT, Expr::Load { base: given, indices: vec![Atom::Int(index as i64 + 1)] });
        let slot = (self.info.n_slots() + index) as u32;
        self.if_(
            is_given,
            |l| {
                let read = l.f.new_var(Some(d.name.name.clone()), ty, VarKind::Slot(slot));
                l.check_declared_sizes(d, read, dims, "init value", "the init file");
                l.free_parameter(d, read, ty, dims, offset);
                set(l, Atom::Var(read));
            },
            |l| {
                let constrained = l.constrain_parameter(d, ty, dims, offset, false);
                set(l, constrained);
                l.for_loop(Atom::Int(1), count, |l, i| {
                    let pos = l.prim(Prim::IAdd, &[offset, i]);
                    let x = l.let_(Ty::REAL, Expr::Load { base: theta, indices: vec![pos] });
                    let out = l.prim(Prim::ISub, &[pos, Atom::Int(1)]);
                    l.emit(Stmt::Output { pos: out, value: x });
                });
            },
        );
        Atom::Var(value)
    }

    /// Stan's inverse transforms: checks that the given value `read` of parameter `d` satisfies
    /// its constraint and writes its unconstrained values to the output, after position `offset`.
    fn free_parameter(&mut self, d: &ast::VarDecl, read: VarId, ty: Ty, dims: &[Atom], offset: Atom) {
        match Transform::of_decl(&d.ty.kind) {
            Some(t) => self.free_all(t, read, offset, dims, None, &Subject::new(Who::Init(d))),
            _ if ty.is_scalar() => {
                let x = self.free_elementwise(d, Atom::Var(read), &[]);
                self.emit(Stmt::Output { pos: offset, value: x });
            }
            _ => {
                let strides = memory_strides(self, dims, ty.core);
                self.for_each_index(dims, ty.core, &mut |l, idx| {
                    let flat = l.flat_position(offset, idx, &strides);
                    let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: idx.to_vec() });
                    let x = l.free_elementwise(d, y, idx);
                    l.emit(Stmt::Output { pos: flat, value: x });
                });
            }
        }
    }

    /// `start` plus the memory position of the element at `idx` (1-based indices).
    fn flat_position(&mut self, start: Atom, idx: &[Atom], strides: &[Atom]) -> Atom {
        let mut flat = start;
        for (i, s) in idx.iter().zip(strides) {
            let i0 = self.prim(Prim::ISub, &[*i, Atom::Int(1)]);
            let term = self.prim(Prim::IMul, &[i0, *s]);
            flat = self.prim(Prim::IAdd, &[flat, term]);
        }
        flat
    }

    /// The inverse of [`Self::constrain_elementwise`], one element, after checking its bounds.
    fn free_elementwise(&mut self, d: &ast::VarDecl, y: Atom, idx: &[Atom]) -> Atom {
        let bounds = self.declared_bounds(d, idx);
        self.free_scalar(y, bounds, &mut |l, ok, rule, bound| {
            l.violation(&Subject::new(Who::Init(d)), ok, idx, Some(y), rule, vec![bound])
        })
    }

    /// The inverse of [`Self::constrain_scalar`], after `check(ok, rule, bound)` of each bound
    /// (`rule` is `lower={}` or `upper={}`): x = (y − offset) / multiplier, log(y − lb),
    /// log(ub − y), or logit((y − lb) / (ub − lb)) = log(y − lb) − log(ub − y).
    pub(crate) fn free_scalar(
        &mut self,
        y: Atom,
        bounds: Bounds,
        check: &mut dyn FnMut(&mut Self, Atom, &str, Atom),
    ) -> Atom {
        let (lower, upper) = match bounds {
            Bounds::Affine { offset, multiplier } => {
                let mut x = y;
                for (v, prim) in [(offset, Prim::Sub), (multiplier, Prim::Div)] {
                    if let Some(v) = v {
                        x = self.prim(prim, &[x, v]);
                    }
                }
                return x;
            }
            Bounds::Interval { lower, upper } => (lower, upper),
        };
        for (b, prim, rule) in [(lower, Prim::Ge, "lower={}"), (upper, Prim::Le, "upper={}")] {
            if let Some(b) = b {
                let ok = self.prim(prim, &[y, b]);
                check(self, ok, rule, b);
            }
        }
        match (lower, upper) {
            (None, None) => y,
            (Some(lb), None) => {
                let above = self.prim(Prim::Sub, &[y, lb]);
                self.prim(Fun::Log, &[above])
            }
            (None, Some(ub)) => {
                let below = self.prim(Prim::Sub, &[ub, y]);
                self.prim(Fun::Log, &[below])
            }
            (Some(lb), Some(ub)) => {
                let above = self.prim(Prim::Sub, &[y, lb]);
                let below = self.prim(Prim::Sub, &[ub, y]);
                let log_above = self.prim(Fun::Log, &[above]);
                let log_below = self.prim(Fun::Log, &[below]);
                self.prim(Prim::Sub, &[log_above, log_below])
            }
        }
    }

    /// Stan's checks of a `cholesky_factor_corr`: lower triangular, a positive diagonal, rows
    /// of unit length (within 1e-8).
    pub(crate) fn check_cholesky_corr(&mut self, subject: &Subject<'_>, read: VarId, k: Atom) {
        let one = Atom::Int(1);
        self.for_loop(one, k, |l, i| {
            let ip1 = l.prim(Prim::IAdd, &[i, one]);
            l.for_loop(ip1, k, |l, j| {
                let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: vec![i, j] });
                let ok = l.prim(Prim::Eq, &[y, Atom::Real(0.0)]);
                l.violation(
                    subject,
                    ok,
                    &[i, j],
                    Some(y),
                    "cholesky_factor_corr: it must be 0 above the diagonal",
                    vec![],
                );
            });
            let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: vec![i, i] });
            let ok = l.prim(Prim::Gt, &[y, Atom::Real(0.0)]);
            l.violation(subject, ok, &[i, i], Some(y), "cholesky_factor_corr: the diagonal must be positive", vec![]);
            let sum = l.mutable(Ty::REAL, Atom::Real(0.0));
            l.for_loop(one, i, |l, j| {
                let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: vec![i, j] });
                let sq = l.prim(Prim::Mul, &[y, y]);
                l.add_to(sum, sq);
            });
            let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(sum)));
            l.check_close(subject, s, 1.0, "cholesky_factor_corr: row {} has squared length {}, not 1", vec![i]);
        });
    }

    /// The inverse of [`Self::constrain_cholesky_corr`] (Stan's `cholesky_corr_free`) of a
    /// checked factor: z = L[i,j] / √(1 − Σ_{l<j} L[i,l]²), x = atanh(z) =
    /// ½ (log1p(z) − log1p(−z)), row by row, to `sink` after 0-based position `offset`.
    pub(crate) fn free_cholesky_corr(&mut self, read: VarId, offset: Atom, k: Atom, sink: &Sink) {
        let one = Atom::Int(1);
        self.for_each_correlation_row(offset, k, &mut |l, i, im1, base| {
            let sum = l.mutable(Ty::REAL, Atom::Real(0.0));
            l.for_loop(one, im1, |l, j| {
                let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: vec![i, j] });
                let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(sum)));
                let rest = l.prim(Prim::Sub, &[Atom::Real(1.0), s]);
                let root = l.prim(Prim::Sqrt, &[rest]);
                let z = l.prim(Prim::Div, &[y, root]);
                let x = l.atanh(z);
                let jm1 = l.prim(Prim::ISub, &[j, one]);
                let pos = l.prim(Prim::IAdd, &[base, jm1]);
                l.put(sink, pos, x);
                let sq = l.prim(Prim::Mul, &[y, y]);
                let s = l.prim(Prim::Add, &[s, sq]);
                l.emit(Stmt::Assign { var: sum, indices: vec![], value: s });
            });
        });
    }

    /// atanh(z) = ½ (log1p(z) − log1p(−z)).
    pub(crate) fn atanh(&mut self, z: Atom) -> Atom {
        let up = self.prim(Fun::Log1p, &[z]);
        let minus_z = self.prim(Prim::Neg, &[z]);
        let down = self.prim(Fun::Log1p, &[minus_z]);
        let diff = self.prim(Prim::Sub, &[up, down]);
        self.prim(Prim::Mul, &[Atom::Real(0.5), diff])
    }

    /// Runs `body` for each row i ≥ 2 of a `cholesky_factor_corr[K]`, with i − 1 and the theta
    /// position just before the row's i − 1 canonical partial correlations.
    fn for_each_correlation_row(&mut self, offset: Atom, k: Atom, body: &mut dyn FnMut(&mut Self, Atom, Atom, Atom)) {
        self.for_loop(Atom::Int(2), k, |l, i| {
            // Row i's partial correlations follow the (i−1)(i−2)/2 of the rows above it.
            let im1 = l.prim(Prim::ISub, &[i, Atom::Int(1)]);
            let im2 = l.prim(Prim::ISub, &[i, Atom::Int(2)]);
            let before = l.prim(Prim::IMul, &[im1, im2]);
            let before = l.prim(Prim::IDiv, &[before, Atom::Int(2)]);
            let base = l.prim(Prim::IAdd, &[offset, before]);
            body(l, i, im1, base);
        });
    }

    /// `sum += value` on a mutable real.
    pub(crate) fn add_to(&mut self, sum: VarId, value: Atom) {
        let s = self.let_(Ty::REAL, Expr::Atom(Atom::Var(sum)));
        let s = self.prim(Prim::Add, &[s, value]);
        self.emit(Stmt::Assign { var: sum, indices: vec![], value: s });
    }

    /// Runs `body` (the code of a container's first element) unless the size `k` is zero:
    /// directly when `k` is a positive literal, else under a run-time test.
    pub(crate) fn if_nonempty(&mut self, k: Atom, body: impl FnOnce(&mut Self)) {
        if matches!(k, Atom::Int(n) if n >= 1) {
            body(self);
        } else {
            let nonempty = self.prim(Prim::IGe, &[k, Atom::Int(1)]);
            self.if_(nonempty, body, |_| {});
        }
    }

    /// Stan's transforms for `<lower, upper>` and `<offset, multiplier>`, one element.
    fn constrain_elementwise(&mut self, d: &ast::VarDecl, x: Atom, idx: &[Atom], jacobian: bool) -> Atom {
        let bounds = self.declared_bounds(d, idx);
        self.constrain_scalar(x, bounds, jacobian)
    }

    /// The bounds (or offset and multiplier) of parameter `d`'s element at `idx`.
    fn declared_bounds(&mut self, d: &ast::VarDecl, idx: &[Atom]) -> Bounds {
        let c = &d.ty.constraint;
        let element = |l: &mut Self, e: &Option<ast::Expr>| {
            let v = e.as_ref().map(|e| l.expr(e))?;
            Some(l.real_element(v, idx))
        };
        if c.offset.is_some() || c.multiplier.is_some() {
            let offset = element(self, &c.offset);
            let multiplier = element(self, &c.multiplier);
            return Bounds::Affine { offset, multiplier };
        }
        let lower = element(self, &c.lower);
        let upper = element(self, &c.upper);
        Bounds::Interval { lower, upper }
    }

    /// One element of Stan's scalar transforms (`<lower, upper>` and `<offset, multiplier>`,
    /// and the `*_constrain`/`*_jacobian` functions of Stan 2.37), adding the log-Jacobian to
    /// the target when `jacobian`.
    pub(crate) fn constrain_scalar(&mut self, x: Atom, bounds: Bounds, jacobian: bool) -> Atom {
        let (lower, upper) = match bounds {
            Bounds::Affine { offset, multiplier } => {
                let mut y = x;
                if let Some(m) = multiplier {
                    y = self.prim(Prim::Mul, &[m, y]);
                    if jacobian {
                        let lj = self.prim(Fun::Log, &[m]);
                        self.emit(Stmt::TargetAdd(lj));
                    }
                }
                if let Some(o) = offset {
                    y = self.prim(Prim::Add, &[o, y]);
                }
                return self.let_(Ty::REAL, Expr::Atom(y));
            }
            Bounds::Interval { lower, upper } => (lower, upper),
        };
        match (lower, upper) {
            (None, None) => self.let_(Ty::REAL, Expr::Atom(x)),
            (Some(lb), None) => {
                // y = lb + exp(x), log|dy/dx| = x
                let e = self.prim(Fun::Exp, &[x]);
                if jacobian {
                    self.emit(Stmt::TargetAdd(x));
                }
                self.prim(Prim::Add, &[e, lb])
            }
            (None, Some(ub)) => {
                // y = ub - exp(x), log|dy/dx| = x
                let e = self.prim(Fun::Exp, &[x]);
                if jacobian {
                    self.emit(Stmt::TargetAdd(x));
                }
                self.prim(Prim::Sub, &[ub, e])
            }
            (Some(lb), Some(ub)) => {
                // y = lb + (ub - lb) inv_logit(x),
                // log|dy/dx| = log(ub - lb) + log_inv_logit(x) + log1m_inv_logit(x)
                let diff = self.prim(Prim::Sub, &[ub, lb]);
                let il = self.prim(Fun::InvLogit, &[x]);
                let scaled = self.prim(Prim::Mul, &[diff, il]);
                if jacobian {
                    let ld = self.prim(Fun::Log, &[diff]);
                    let a = self.prim(Fun::LogInvLogit, &[x]);
                    let b = self.prim(Fun::Log1mInvLogit, &[x]);
                    let ab = self.prim(Prim::Add, &[a, b]);
                    let lj = self.prim(Prim::Add, &[ld, ab]);
                    self.emit(Stmt::TargetAdd(lj));
                }
                self.prim(Prim::Add, &[lb, scaled])
            }
        }
    }

    /// `cholesky_factor_corr[K]` as Stan builds it: canonical partial correlations z = tanh(x),
    /// row by row, L[i,1] = z, L[i,j] = z √(1 − Σ_{l<j} L[i,l]²), L[i,i] = √(1 − Σ_{l<i} L[i,l]²);
    /// log|J| = Σ log(1 − z²) + ½ Σ log(1 − Σ_{l<j} L[i,l]²) over the off-diagonal j > 1.
    pub(crate) fn constrain_cholesky_corr(
        &mut self,
        theta: u32,
        offset: Atom,
        out: u32,
        idx: &[Atom],
        k: Atom,
        jacobian: bool,
    ) {
        let one = Atom::Int(1);
        // Element (i, j) of the value at array indices `idx`.
        let at = |ij: [Atom; 2]| [idx, &ij].concat();
        // `cholesky_factor_corr[0]` is empty: there is no L[1,1] to set.
        let set_corner =
            |l: &mut Self| l.emit(Stmt::Assign { var: out, indices: at([one, one]), value: Atom::Real(1.0) });
        self.if_nonempty(k, set_corner);
        // The upper triangle is zero.
        self.for_loop(Atom::Int(1), k, |l, i| {
            let ip1 = l.prim(Prim::IAdd, &[i, one]);
            l.for_loop(ip1, k, |l, j| l.emit(Stmt::Assign { var: out, indices: at([i, j]), value: Atom::Real(0.0) }));
        });
        let cpc = |l: &mut Self, pos: Atom| -> Atom {
            let x = l.let_(Ty::REAL, Expr::Load { base: theta, indices: vec![pos] });
            let z = l.prim(Fun::Tanh, &[x]);
            if jacobian {
                let z2 = l.prim(Prim::Mul, &[z, z]);
                let nz2 = l.prim(Prim::Neg, &[z2]);
                let lj = l.prim(Fun::Log1p, &[nz2]);
                l.emit(Stmt::TargetAdd(lj));
            }
            z
        };
        self.for_each_correlation_row(offset, k, &mut |l, i, im1, base| {
            let pos = l.prim(Prim::IAdd, &[base, one]);
            let z1 = cpc(l, pos);
            l.emit(Stmt::Assign { var: out, indices: at([i, one]), value: z1 });
            let z1sq = l.prim(Prim::Mul, &[z1, z1]);
            let sum_sqs = l.mutable(Ty::REAL, z1sq);
            l.for_loop(Atom::Int(2), im1, |l, j| {
                let pos = l.prim(Prim::IAdd, &[base, j]);
                let z = cpc(l, pos);
                let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(sum_sqs)));
                let ns = l.prim(Prim::Neg, &[s]);
                if jacobian {
                    let lr = l.prim(Fun::Log1p, &[ns]);
                    let half = l.prim(Prim::Mul, &[Atom::Real(0.5), lr]);
                    l.emit(Stmt::TargetAdd(half));
                }
                let rest = l.prim(Prim::Add, &[Atom::Real(1.0), ns]);
                let root = l.prim(Prim::Sqrt, &[rest]);
                let v = l.prim(Prim::Mul, &[z, root]);
                l.emit(Stmt::Assign { var: out, indices: at([i, j]), value: v });
                let v2 = l.prim(Prim::Mul, &[v, v]);
                let s2 = l.prim(Prim::Add, &[s, v2]);
                l.emit(Stmt::Assign { var: sum_sqs, indices: vec![], value: s2 });
            });
            let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(sum_sqs)));
            let rest = l.prim(Prim::Sub, &[Atom::Real(1.0), s]);
            let diag = l.prim(Prim::Sqrt, &[rest]);
            l.emit(Stmt::Assign { var: out, indices: at([i, i]), value: diag });
        });
    }

    fn bind_parameter(&mut self, d: &ast::VarDecl, var: u32, ty: Ty) {
        let binding = Binding {
            var,
            ty,
            data: false,
            origin: Some(ast::BlockKind::Parameters),
            assignable: false,
            span: d.name.span,
        };
        self.bind(&d.name, binding);
    }

    /// Binds a parameter that was refused (already reported), so that its uses are not
    /// reported again as undefined. The program never reaches code generation.
    fn bind_placeholder(&mut self, d: &ast::VarDecl, ty: Ty) {
        let var = self.f.new_var(Some(d.name.name.clone()), ty, VarKind::Mutable);
        self.bind_parameter(d, var, ty);
    }

    pub(crate) fn product(&mut self, dims: &[Atom]) -> Atom {
        let mut n = Atom::Int(1);
        for d in dims {
            n = match (n, *d) {
                (Atom::Int(1), d) => d,
                (n, d) => self.prim(Prim::IMul, &[n, d]),
            };
        }
        n
    }
}

/// Strides of each dimension in memory (in elements): arrays row-major, matrices column-major.
fn memory_strides(l: &mut Lowerer<'_>, dims: &[Atom], core: Core) -> Vec<Atom> {
    let n = dims.len();
    let mut strides = vec![Atom::Int(1); n];
    if n == 0 {
        return strides;
    }
    let mut order: Vec<usize> = (0..n).collect();
    if core == Core::Matrix && n >= 2 {
        order.swap(n - 2, n - 1);
    }
    // The last dimension in `order` is the fastest.
    let mut stride = Atom::Int(1);
    for &d in order.iter().rev() {
        strides[d] = stride;
        stride = l.product(&[stride, dims[d]]);
    }
    strides
}

/// `[{}]` or `[{},{}]`, with the indices that fill it: up to two indices are shown; deeper
/// containers name the element less precisely (`[…]`).
pub(crate) fn element_label(idx: &[Atom]) -> (String, Vec<Atom>) {
    match idx.len() {
        0 => (String::new(), vec![]),
        1 | 2 => (format!("[{}]", vec!["{}"; idx.len()].join(",")), idx.to_vec()),
        _ => ("[…]".to_string(), vec![]),
    }
}
