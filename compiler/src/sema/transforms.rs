//! Parameters and constraints: reading the unconstrained vector, Stan's constraining
//! transforms with their log-Jacobians, and the checks of declared constraints on data,
//! transformed data, transformed parameters and generated quantities.

use grammar::ast::{self, TypeKind};

use crate::ir::{Atom, Core, Elem, ErrorKind, Expr, Fun, Prim, Stmt, Ty, VarId, VarKind};
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

    /// Checks `<lower=…, upper=…>` element by element, and the structural constraints of
    /// ordered and positive_ordered vectors.
    pub(crate) fn check_constraint(&mut self, d: &ast::VarDecl, value: Atom, ty: Ty, what: &str) {
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
            TypeKind::Real
            | TypeKind::Vector
            | TypeKind::RowVector
            | TypeKind::Matrix
            | TypeKind::Ordered
            | TypeKind::PositiveOrdered => self.product(&dims),
            TypeKind::Simplex => {
                let k = dims[dims.len() - 1];
                let km1 = self.prim(Prim::ISub, &[k, Atom::Int(1)]);
                let mut n = self.product(&dims[..dims.len() - 1]);
                n = self.product(&[n, km1]);
                n
            }
            TypeKind::CholeskyFactorCorr if d.ty.array_dims.is_empty() => {
                // K(K−1)/2 canonical partial correlations.
                let k = dims[0];
                let km1 = self.prim(Prim::ISub, &[k, Atom::Int(1)]);
                let p = self.prim(Prim::IMul, &[k, km1]);
                self.prim(Prim::IDiv, &[p, Atom::Int(2)])
            }
            TypeKind::CovMatrix | TypeKind::CorrMatrix | TypeKind::CholeskyFactorCov if d.ty.array_dims.is_empty() => {
                let (m, n) = (dims[0], dims[1]);
                self.matrix_free_count(matrix_kind(&d.ty.kind), m, n)
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
            let jacobian = matches!(self.mode, Mode::LogDensity { .. });
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
            match &d.ty.kind {
                TypeKind::Ordered | TypeKind::PositiveOrdered => {
                    let positive = d.ty.kind == TypeKind::PositiveOrdered;
                    self.constrain_ordered(theta, offset, out_var, &dims, positive, jacobian);
                }
                TypeKind::Simplex => self.constrain_simplex(theta, offset, out_var, &dims, jacobian),
                TypeKind::CholeskyFactorCorr => self.constrain_cholesky_corr(theta, offset, out_var, dims[0], jacobian),
                TypeKind::CovMatrix | TypeKind::CorrMatrix | TypeKind::CholeskyFactorCov => {
                    let kind = matrix_kind(&d.ty.kind);
                    self.constrain_matrix(kind, theta, offset, out_var, dims[0], dims[1], jacobian);
                }
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
        match &d.ty.kind {
            TypeKind::Ordered | TypeKind::PositiveOrdered => {
                self.free_ordered(d, read, offset, dims, d.ty.kind == TypeKind::PositiveOrdered);
            }
            TypeKind::Simplex => self.free_simplex(d, read, offset, dims),
            TypeKind::CholeskyFactorCorr => self.free_cholesky_corr(d, read, offset, dims[0]),
            TypeKind::CovMatrix | TypeKind::CorrMatrix | TypeKind::CholeskyFactorCov => {
                self.free_matrix(matrix_kind(&d.ty.kind), d, read, offset, dims[0], dims[1]);
            }
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

    /// Raises "init value `name[i,j]` = y violates {rule}" unless `ok`; `{}` in `rule` are
    /// filled with `values` (at most four values in all: two indices, y and one more).
    pub(crate) fn check_init(
        &mut self,
        ok: Atom,
        d: &ast::VarDecl,
        idx: &[Atom],
        y: Atom,
        rule: &str,
        values: Vec<Atom>,
    ) {
        let (position, mut all) = element_label(idx);
        all.push(y);
        all.extend(values);
        let message = format!("init value `{}{position}` = {{}} violates {rule}", d.name.name);
        self.check(ok, ErrorKind::Data, message, d.name.span, all);
    }

    /// The inverse of [`Self::constrain_elementwise`], one element, after checking its bounds.
    fn free_elementwise(&mut self, d: &ast::VarDecl, y: Atom, idx: &[Atom]) -> Atom {
        let bounds = self.declared_bounds(d, idx);
        self.free_scalar(y, bounds, &mut |l, ok, rule, bound| l.check_init(ok, d, idx, y, rule, vec![bound]))
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

    /// The inverse of [`Self::constrain_ordered`] after checking that each element is greater
    /// than the one before (and, for `positive_ordered`, that the first is positive):
    /// x1 = y1 (or log y1), xk = log(yk − y(k−1)).
    fn free_ordered(&mut self, d: &ast::VarDecl, read: VarId, offset: Atom, dims: &[Atom], positive: bool) {
        let k = dims[dims.len() - 1];
        let kind = if positive { "positive_ordered" } else { "ordered" };
        self.for_each_vector(offset, dims, k, &mut |l, base, idx, k| {
            let at = |j: Atom| [idx, &[j]].concat();
            l.if_nonempty(k, |l| {
                let first = at(Atom::Int(1));
                let y1 = l.let_(Ty::REAL, Expr::Load { base: read, indices: first.clone() });
                let x1 = if positive {
                    let ok = l.prim(Prim::Gt, &[y1, Atom::Real(0.0)]);
                    l.check_init(ok, d, &first, y1, "positive_ordered: it must be positive", vec![]);
                    l.prim(Fun::Log, &[y1])
                } else {
                    y1
                };
                l.emit(Stmt::Output { pos: base, value: x1 });
            });
            l.for_loop(Atom::Int(2), k, |l, j| {
                let cur = at(j);
                let jm1 = l.prim(Prim::ISub, &[j, Atom::Int(1)]);
                let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: cur.clone() });
                let prev = l.let_(Ty::REAL, Expr::Load { base: read, indices: at(jm1) });
                let ok = l.prim(Prim::Gt, &[y, prev]);
                let rule = format!("{kind}: it must be greater than the element before it, {{}}");
                l.check_init(ok, d, &cur, y, &rule, vec![prev]);
                let diff = l.prim(Prim::Sub, &[y, prev]);
                let x = l.prim(Fun::Log, &[diff]);
                let pos = l.prim(Prim::IAdd, &[base, jm1]);
                l.emit(Stmt::Output { pos, value: x });
            });
        });
    }

    /// The inverse of [`Self::constrain_simplex`] (Stan's `simplex_free`) after checking that
    /// the elements are non-negative and sum to one within Stan's tolerance, 1e-8. From the
    /// last element back, with S the sum of the elements after y_j:
    /// x_j = logit(y_j / (y_j + S)) + log(N − j + 1) = log y_j − log S + log(N − j + 1).
    fn free_simplex(&mut self, d: &ast::VarDecl, read: VarId, offset: Atom, dims: &[Atom]) {
        let k_last = dims[dims.len() - 1];
        let per = self.prim(Prim::ISub, &[k_last, Atom::Int(1)]);
        self.for_each_vector(offset, dims, per, &mut |l, base, idx, k| {
            let at = |j: Atom| [idx, &[j]].concat();
            let sum = l.mutable(Ty::REAL, Atom::Real(0.0));
            l.for_loop(Atom::Int(1), k, |l, j| {
                let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: at(j) });
                let ok = l.prim(Prim::Ge, &[y, Atom::Real(0.0)]);
                l.check_init(ok, d, &at(j), y, "simplex: it must be >= 0", vec![]);
                l.add_to(sum, y);
            });
            let (position, values) = element_label(idx);
            let message =
                format!("init value `{}{position}` violates simplex: its elements sum to {{}}, not 1", d.name.name);
            l.check_sums_to_one(d, sum, message, values);
            let last = l.let_(Ty::REAL, Expr::Load { base: read, indices: at(k) });
            let rest = l.mutable(Ty::REAL, last);
            let n = l.prim(Prim::ISub, &[k, Atom::Int(1)]);
            let j_var = l.f.new_var(Some("i".into()), Ty::INT, VarKind::LoopIndex);
            let j = Atom::Var(j_var);
            l.open();
            let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: at(j) });
            let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(rest)));
            let log_y = l.prim(Fun::Log, &[y]);
            let log_s = l.prim(Fun::Log, &[s]);
            let remaining = l.prim(Prim::ISub, &[n, j]);
            let remaining = l.prim(Prim::IAdd, &[remaining, Atom::Int(1)]);
            let remaining = l.prim(Prim::ToReal, &[remaining]);
            let log_remaining = l.prim(Fun::Log, &[remaining]);
            let x = l.prim(Prim::Sub, &[log_y, log_s]);
            let x = l.prim(Prim::Add, &[x, log_remaining]);
            let jm1 = l.prim(Prim::ISub, &[j, Atom::Int(1)]);
            let pos = l.prim(Prim::IAdd, &[base, jm1]);
            l.emit(Stmt::Output { pos, value: x });
            let s = l.prim(Prim::Add, &[s, y]);
            l.emit(Stmt::Assign { var: rest, indices: vec![], value: s });
            let body = l.close();
            l.emit(Stmt::For { var: j_var, lo: Atom::Int(1), hi: n, reverse: true, body });
        });
    }

    /// The inverse of [`Self::constrain_cholesky_corr`] (Stan's `cholesky_corr_free`) after
    /// checking that the matrix is lower triangular with a positive diagonal and rows of unit
    /// length (within 1e-8): z = L[i,j] / √(1 − Σ_{l<j} L[i,l]²), x = atanh(z) =
    /// ½ (log1p(z) − log1p(−z)), row by row.
    fn free_cholesky_corr(&mut self, d: &ast::VarDecl, read: VarId, offset: Atom, k: Atom) {
        let one = Atom::Int(1);
        self.for_loop(one, k, |l, i| {
            let ip1 = l.prim(Prim::IAdd, &[i, one]);
            l.for_loop(ip1, k, |l, j| {
                let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: vec![i, j] });
                let ok = l.prim(Prim::Eq, &[y, Atom::Real(0.0)]);
                l.check_init(ok, d, &[i, j], y, "cholesky_factor_corr: it must be 0 above the diagonal", vec![]);
            });
            let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: vec![i, i] });
            let ok = l.prim(Prim::Gt, &[y, Atom::Real(0.0)]);
            l.check_init(ok, d, &[i, i], y, "cholesky_factor_corr: the diagonal must be positive", vec![]);
            let sum = l.mutable(Ty::REAL, Atom::Real(0.0));
            l.for_loop(one, i, |l, j| {
                let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: vec![i, j] });
                let sq = l.prim(Prim::Mul, &[y, y]);
                l.add_to(sum, sq);
            });
            let message = format!(
                "init value `{}` violates cholesky_factor_corr: row {{}} has squared length {{}}, not 1",
                d.name.name
            );
            l.check_sums_to_one(d, sum, message, vec![i]);
        });
        self.for_each_correlation_row(offset, k, &mut |l, i, im1, base| {
            let sum = l.mutable(Ty::REAL, Atom::Real(0.0));
            l.for_loop(one, im1, |l, j| {
                let y = l.let_(Ty::REAL, Expr::Load { base: read, indices: vec![i, j] });
                let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(sum)));
                let rest = l.prim(Prim::Sub, &[Atom::Real(1.0), s]);
                let root = l.prim(Prim::Sqrt, &[rest]);
                let z = l.prim(Prim::Div, &[y, root]);
                let up = l.prim(Fun::Log1p, &[z]);
                let minus_z = l.prim(Prim::Neg, &[z]);
                let down = l.prim(Fun::Log1p, &[minus_z]);
                let diff = l.prim(Prim::Sub, &[up, down]);
                let x = l.prim(Prim::Mul, &[Atom::Real(0.5), diff]);
                let jm1 = l.prim(Prim::ISub, &[j, one]);
                let pos = l.prim(Prim::IAdd, &[base, jm1]);
                l.emit(Stmt::Output { pos, value: x });
                let sq = l.prim(Prim::Mul, &[y, y]);
                let s = l.prim(Prim::Add, &[s, sq]);
                l.emit(Stmt::Assign { var: sum, indices: vec![], value: s });
            });
        });
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
    fn add_to(&mut self, sum: VarId, value: Atom) {
        let s = self.let_(Ty::REAL, Expr::Atom(Atom::Var(sum)));
        let s = self.prim(Prim::Add, &[s, value]);
        self.emit(Stmt::Assign { var: sum, indices: vec![], value: s });
    }

    /// Raises `message` about the init value of `d` unless the mutable real `sum` is 1 within
    /// Stan's tolerance, 1e-8; its `{}` are filled with `values`, then the sum.
    fn check_sums_to_one(&mut self, d: &ast::VarDecl, sum: VarId, message: String, mut values: Vec<Atom>) {
        let s = self.let_(Ty::REAL, Expr::Atom(Atom::Var(sum)));
        let deviation = self.prim(Prim::Sub, &[s, Atom::Real(1.0)]);
        let deviation = self.prim(Prim::Fabs, &[deviation]);
        let ok = self.prim(Prim::Le, &[deviation, Atom::Real(1e-8)]);
        values.push(s);
        self.check(ok, ErrorKind::Data, message, d.name.span, values);
    }

    /// Runs `body` (the code of a container's first element) unless the size `k` is zero:
    /// directly when `k` is a positive literal, else under a run-time test.
    fn if_nonempty(&mut self, k: Atom, body: impl FnOnce(&mut Self)) {
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

    /// Runs `body` for each vector of an array of constrained vectors (or the one vector),
    /// with the theta position just before that vector's `per`-element unconstrained block, the
    /// array indices, and the vector's length.
    fn for_each_vector(
        &mut self,
        offset: Atom,
        dims: &[Atom],
        per: Atom,
        body: &mut dyn FnMut(&mut Self, Atom, &[Atom], Atom),
    ) {
        let array_dims = &dims[..dims.len() - 1];
        let k = dims[dims.len() - 1];
        let strides = memory_strides(self, array_dims, Core::Scalar);
        let mut each = |l: &mut Self, idx: &[Atom]| {
            let mut base = offset;
            for (i, s) in idx.iter().zip(&strides) {
                let i0 = l.prim(Prim::ISub, &[*i, Atom::Int(1)]);
                let t = l.prim(Prim::IMul, &[i0, *s]);
                let t = l.prim(Prim::IMul, &[t, per]);
                base = l.prim(Prim::IAdd, &[base, t]);
            }
            body(l, base, idx, k);
        };
        if array_dims.is_empty() {
            each(self, &[]);
        } else {
            self.for_each_index(array_dims, Core::Scalar, &mut each);
        }
    }

    /// `ordered[K]`: y1 = x1, yk = y(k-1) + exp(xk); `positive_ordered`: y1 = exp(x1).
    /// log|J| = sum of the exponentiated coordinates.
    pub(crate) fn constrain_ordered(
        &mut self,
        theta: u32,
        offset: Atom,
        out: u32,
        dims: &[Atom],
        positive: bool,
        jacobian: bool,
    ) {
        let k = dims[dims.len() - 1];
        self.for_each_vector(offset, dims, k, &mut |l, base, idx, k| {
            // An empty ordered vector (`ordered[0]`) has no first element to write.
            let write_first = |l: &mut Self| {
                let first_pos = l.prim(Prim::IAdd, &[base, Atom::Int(1)]);
                let x1 = l.let_(Ty::REAL, Expr::Load { base: theta, indices: vec![first_pos] });
                let y1 = if positive {
                    if jacobian {
                        l.emit(Stmt::TargetAdd(x1));
                    }
                    l.prim(Fun::Exp, &[x1])
                } else {
                    x1
                };
                let mut first_idx = idx.to_vec();
                first_idx.push(Atom::Int(1));
                l.emit(Stmt::Assign { var: out, indices: first_idx, value: y1 });
            };
            l.if_nonempty(k, write_first);
            l.for_loop(Atom::Int(2), k, |l, j| {
                let pos = l.prim(Prim::IAdd, &[base, j]);
                let xk = l.let_(Ty::REAL, Expr::Load { base: theta, indices: vec![pos] });
                let jm1 = l.prim(Prim::ISub, &[j, Atom::Int(1)]);
                let mut prev_idx = idx.to_vec();
                prev_idx.push(jm1);
                let prev = l.let_(Ty::REAL, Expr::Load { base: out, indices: prev_idx });
                let e = l.prim(Fun::Exp, &[xk]);
                let y = l.prim(Prim::Add, &[prev, e]);
                if jacobian {
                    l.emit(Stmt::TargetAdd(xk));
                }
                let mut cur_idx = idx.to_vec();
                cur_idx.push(j);
                l.emit(Stmt::Assign { var: out, indices: cur_idx, value: y });
            });
        });
    }

    /// `cholesky_factor_corr[K]` as Stan builds it: canonical partial correlations z = tanh(x),
    /// row by row, L[i,1] = z, L[i,j] = z √(1 − Σ_{l<j} L[i,l]²), L[i,i] = √(1 − Σ_{l<i} L[i,l]²);
    /// log|J| = Σ log(1 − z²) + ½ Σ log(1 − Σ_{l<j} L[i,l]²) over the off-diagonal j > 1.
    fn constrain_cholesky_corr(&mut self, theta: u32, offset: Atom, out: u32, k: Atom, jacobian: bool) {
        let one = Atom::Int(1);
        // `cholesky_factor_corr[0]` is empty: there is no L[1,1] to set.
        let set_corner =
            |l: &mut Self| l.emit(Stmt::Assign { var: out, indices: vec![one, one], value: Atom::Real(1.0) });
        self.if_nonempty(k, set_corner);
        // The upper triangle is zero.
        self.for_loop(Atom::Int(1), k, |l, i| {
            let ip1 = l.prim(Prim::IAdd, &[i, one]);
            l.for_loop(ip1, k, |l, j| l.emit(Stmt::Assign { var: out, indices: vec![i, j], value: Atom::Real(0.0) }));
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
            l.emit(Stmt::Assign { var: out, indices: vec![i, one], value: z1 });
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
                l.emit(Stmt::Assign { var: out, indices: vec![i, j], value: v });
                let v2 = l.prim(Prim::Mul, &[v, v]);
                let s2 = l.prim(Prim::Add, &[s, v2]);
                l.emit(Stmt::Assign { var: sum_sqs, indices: vec![], value: s2 });
            });
            let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(sum_sqs)));
            let rest = l.prim(Prim::Sub, &[Atom::Real(1.0), s]);
            let diag = l.prim(Prim::Sqrt, &[rest]);
            l.emit(Stmt::Assign { var: out, indices: vec![i, i], value: diag });
        });
    }

    /// `simplex[K]` by Stan's stick-breaking transform: for k < K, with N = K − 1,
    /// z = inv_logit(x_k − log(N − k + 1)), y_k = s·z, s ← s − y_k (s starts at 1), y_K = s;
    /// log|J| = Σ log s + log z + log(1 − z).
    fn constrain_simplex(&mut self, theta: u32, offset: Atom, out: u32, dims: &[Atom], jacobian: bool) {
        let k_last = dims[dims.len() - 1];
        let per = self.prim(Prim::ISub, &[k_last, Atom::Int(1)]);
        self.for_each_vector(offset, dims, per, &mut |l, base, idx, k| {
            let n = l.prim(Prim::ISub, &[k, Atom::Int(1)]);
            let stick = l.mutable(Ty::REAL, Atom::Real(1.0));
            l.for_loop(Atom::Int(1), n, |l, j| {
                let pos = l.prim(Prim::IAdd, &[base, j]);
                let x = l.let_(Ty::REAL, Expr::Load { base: theta, indices: vec![pos] });
                let remaining = l.prim(Prim::ISub, &[n, j]);
                let remaining = l.prim(Prim::IAdd, &[remaining, Atom::Int(1)]);
                let remaining = l.prim(Prim::ToReal, &[remaining]);
                let log_remaining = l.prim(Fun::Log, &[remaining]);
                let adj = l.prim(Prim::Sub, &[x, log_remaining]);
                let z = l.prim(Fun::InvLogit, &[adj]);
                let s = l.let_(Ty::REAL, Expr::Atom(Atom::Var(stick)));
                let y = l.prim(Prim::Mul, &[s, z]);
                if jacobian {
                    let ls = l.prim(Fun::Log, &[s]);
                    let lz = l.prim(Fun::LogInvLogit, &[adj]);
                    let l1mz = l.prim(Fun::Log1mInvLogit, &[adj]);
                    let t = l.prim(Prim::Add, &[ls, lz]);
                    let t = l.prim(Prim::Add, &[t, l1mz]);
                    l.emit(Stmt::TargetAdd(t));
                }
                let mut cur = idx.to_vec();
                cur.push(j);
                l.emit(Stmt::Assign { var: out, indices: cur, value: y });
                let rest = l.prim(Prim::Sub, &[s, y]);
                l.emit(Stmt::Assign { var: stick, indices: vec![], value: rest });
            });
            let last = l.let_(Ty::REAL, Expr::Atom(Atom::Var(stick)));
            let mut cur = idx.to_vec();
            cur.push(k);
            l.emit(Stmt::Assign { var: out, indices: cur, value: last });
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
fn element_label(idx: &[Atom]) -> (String, Vec<Atom>) {
    match idx.len() {
        0 => (String::new(), vec![]),
        1 | 2 => (format!("[{}]", vec!["{}"; idx.len()].join(",")), idx.to_vec()),
        _ => ("[…]".to_string(), vec![]),
    }
}

/// The matrix transform of a `cov_matrix`, `corr_matrix` or `cholesky_factor_cov`.
fn matrix_kind(kind: &TypeKind) -> super::matrix_transforms::MatrixKind {
    use super::matrix_transforms::MatrixKind;
    match kind {
        TypeKind::CovMatrix => MatrixKind::Cov,
        TypeKind::CorrMatrix => MatrixKind::Corr,
        _ => MatrixKind::CholeskyCov,
    }
}
