//! Expressions: operators, indexing, literals.

use grammar::Span;
use grammar::ast::{self, BinOp, UnOp};

use crate::ir::{Atom, Core, Elem, ErrorKind, Expr, Fun, Prim, Stmt, Ty, VarKind};
use crate::sema::{Lowerer, Val, errors};

/// An index list resolved against its base: what each position selects, and the type and
/// sizes of the selection.
#[derive(Clone)]
pub(crate) struct Indexing {
    base: Atom,
    positions: Vec<Pos>,
    /// How many positions the user wrote (the rest are implicit `:`).
    given: usize,
    pub ty: Ty,
    pub dims: Vec<Atom>,
    pub data: bool,
}

impl Indexing {
    /// Whether the first `n` positions are single indices.
    pub fn single_before(&self, n: usize) -> bool {
        self.positions[..n].iter().all(|p| matches!(p, Pos::Single(_)))
    }

    /// The same selection of the real or imaginary part of a complex base.
    pub fn part(&self) -> Indexing {
        Indexing { ty: self.ty.part(), ..self.clone() }
    }

    /// The indices, when the user wrote only single indices.
    pub fn all_single(&self) -> Option<Vec<Atom>> {
        self.positions[..self.given].iter().map(|p| if let Pos::Single(a) = p { Some(*a) } else { None }).collect()
    }
}

/// One position of an index list, resolved.
#[derive(Clone, Copy)]
enum Pos {
    Single(Atom),
    /// An int array of indices and its length.
    Multi(u32, Atom),
    /// `lo:hi` (inclusive), either bound possibly defaulted.
    Range(Atom, Atom),
    All,
}

impl Lowerer<'_> {
    /// Lowers an expression, to the type the type checker gave it.
    pub(crate) fn expr(&mut self, e: &ast::Expr) -> Val {
        let v = self.expr_kind(e);
        self.as_typed(v, e.span)
    }

    /// `v` made the type `typeck` recorded for the expression at `span`: promoted where Stan
    /// promotes (an int where Stan's type is real). Any other difference is lowering's own, a
    /// construct it cannot compile yet, never a second verdict on the program's types.
    fn as_typed(&mut self, v: Val, span: Span) -> Val {
        let Some(ty) = self.typed.ty(span) else { return v };
        if v.ty == ty || v.ty == Ty::ERROR || v.ty.is_tuple() {
            return v;
        }
        let same_shape = v.ty.array_rank == ty.array_rank && v.ty.core == ty.core;
        let promotes =
            matches!((v.ty.elem, ty.elem), (Elem::Int, Elem::Real | Elem::Complex) | (Elem::Real, Elem::Complex));
        if same_shape && promotes {
            return self.convert(v, ty, span, "");
        }
        self.error(errors::not_supported(span, &format!("a value of type `{ty}` that vppl computes as `{}`", v.ty)));
        Val::error()
    }

    fn expr_kind(&mut self, e: &ast::Expr) -> Val {
        match &e.kind {
            ast::ExprKind::Int(i) => Val::int(*i),
            ast::ExprKind::Real(x, _) => Val::real(*x),
            ast::ExprKind::Imag(x, _) => self.complex(Atom::Real(0.0), Atom::Real(*x), Ty::REAL, true),
            ast::ExprKind::Str(_) => {
                self.error(errors::not_supported(e.span, "a string outside `print`, `reject` or `fatal_error`"));
                Val::error()
            }
            ast::ExprKind::Var(id) => match self.lookup(&id.name) {
                Some(b) => Val { atom: Atom::Var(b.var), ty: b.ty, data: b.data },
                None => {
                    let d = errors::undefined_variable(id.span, &id.name, self.names_in_scope());
                    self.error(d);
                    Val::error()
                }
            },
            ast::ExprKind::Paren(inner) => self.expr(inner),
            ast::ExprKind::Unary { op, operand } => {
                let v = self.expr(operand);
                self.unary(*op, v, e.span)
            }
            ast::ExprKind::Binary { op: op @ (BinOp::And | BinOp::Or), lhs, rhs } => self.logical(*op, lhs, rhs),
            ast::ExprKind::Binary { op, lhs, rhs } => {
                let a = self.expr(lhs);
                let b = self.expr(rhs);
                self.binary(*op, a, b, e.span)
            }
            ast::ExprKind::Cond { cond, then, otherwise } => {
                let c = self.expr(cond);
                let c = self.truth(c, cond.span);
                // Evaluated lazily, as in Stan: only the chosen branch runs.
                self.open();
                let t = self.expr(then);
                let then_stmts = self.close();
                self.open();
                let o = self.expr(otherwise);
                let otherwise_stmts = self.close();
                // A branch that failed to check was reported where it failed.
                if t.ty == Ty::ERROR || o.ty == Ty::ERROR {
                    return Val::error();
                }
                let ty = if t.ty == o.ty {
                    t.ty
                } else if t.ty.is_scalar() && o.ty.is_scalar() {
                    if t.ty.is_complex() || o.ty.is_complex() { Ty::REAL.complex() } else { Ty::REAL }
                } else {
                    self.error(errors::mismatched_operands(e.span, "?:", t.ty, o.ty));
                    return Val::error();
                };
                if !ty.is_scalar() || ty.is_tuple() {
                    let what = if ty.is_tuple() { "tuple" } else { "container" };
                    self.error(errors::not_supported(
                        e.span,
                        &format!("a conditional expression with {what} branches"),
                    ));
                    return Val::error();
                }
                // A complex result is two real variables, each branch setting both.
                let var = self.f.new_var(None, ty.part(), VarKind::Mutable);
                let im_var = ty.is_complex().then(|| self.f.new_var(None, Ty::REAL, VarKind::Mutable));
                let mut blocks = Vec::new();
                for (v, stmts) in [(t, then_stmts), (o, otherwise_stmts)] {
                    self.open();
                    self.out.last_mut().expect("just opened").extend(stmts);
                    if let Some(im_var) = im_var {
                        let (re, im) = self.both_parts(v);
                        self.emit(Stmt::Assign { var, indices: vec![], value: re.atom });
                        self.emit(Stmt::Assign { var: im_var, indices: vec![], value: im.atom });
                    } else {
                        let a = if ty.elem == Elem::Real { self.to_real(v) } else { v.atom };
                        self.emit(Stmt::Assign { var, indices: vec![], value: a });
                    }
                    blocks.push(self.close());
                }
                for v in std::iter::once(var).chain(im_var) {
                    self.emit(Stmt::Decl { var: v, dims: vec![] });
                }
                let else_block = blocks.pop().expect("two branches");
                let then_block = blocks.pop().expect("two branches");
                self.emit(Stmt::If { cond: c, then: then_block, otherwise: else_block });
                let data = t.data && o.data;
                let result = self.let_(ty.part(), Expr::Atom(Atom::Var(var)));
                match im_var {
                    Some(im_var) => {
                        let im = self.let_(Ty::REAL, Expr::Atom(Atom::Var(im_var)));
                        self.complex(result, im, Ty::REAL, data)
                    }
                    None => Val { atom: result, ty, data },
                }
            }
            ast::ExprKind::Call { name, args, bar } => self.call(name, args, bar.is_some(), e.span),
            ast::ExprKind::Index { base, indices } => {
                let b = self.expr(base);
                self.index(b, indices, e.span)
            }
            ast::ExprKind::ArrayLit(items) => self.array_literal(items, e.span),
            ast::ExprKind::RowVectorLit(items) => self.row_vector_literal(items, e.span),
            ast::ExprKind::TupleLit(items) => {
                let vals: Vec<Val> = items.iter().map(|e| self.expr(e)).collect();
                if vals.iter().any(|v| v.ty == Ty::ERROR) {
                    return Val::error();
                }
                self.tuple_of(vals)
            }
            ast::ExprKind::TupleGet { base, index } => {
                let b = self.expr(base);
                if b.ty == Ty::ERROR {
                    return b;
                }
                match self.components_of(b).get(index.wrapping_sub(1)) {
                    Some(c) if b.ty.is_tuple() => *c,
                    _ => {
                        self.error(errors::not_supported(e.span, "this tuple element"));
                        Val::error()
                    }
                }
            }
        }
    }

    /// `&&` and `||` short-circuit, as in Stan.
    fn logical(&mut self, op: BinOp, lhs: &ast::Expr, rhs: &ast::Expr) -> Val {
        let a = self.expr(lhs);
        if a.ty != Ty::INT && a.ty != Ty::ERROR {
            self.error(errors::logical_operand_not_int(lhs.span, op.symbol(), a.ty));
            return Val::error();
        }
        let a = self.truth(a, lhs.span);
        let var = self.f.new_var(None, Ty::INT, VarKind::Mutable);
        self.emit(Stmt::Decl { var, dims: vec![] });
        let (short_value, evaluate_when_true) = match op {
            BinOp::And => (0, true),
            _ => (1, false),
        };
        let mut eval_rhs = |l: &mut Self| {
            let mut b = l.expr(rhs);
            if b.ty != Ty::INT && b.ty != Ty::ERROR {
                l.error(errors::logical_operand_not_int(rhs.span, op.symbol(), b.ty));
                b = Val::error();
            }
            let b = l.truth(b, rhs.span);
            let b = l.prim(Prim::INe, &[b, Atom::Int(0)]);
            l.emit(Stmt::Assign { var, indices: vec![], value: b });
        };
        let mut short = |l: &mut Self| l.emit(Stmt::Assign { var, indices: vec![], value: Atom::Int(short_value) });
        if evaluate_when_true {
            self.if_(a, &mut eval_rhs, &mut short);
        } else {
            self.if_(a, &mut short, &mut eval_rhs);
        }
        let atom = self.let_(Ty::INT, Expr::Atom(Atom::Var(var)));
        Val { atom, ty: Ty::INT, data: true }
    }

    pub(crate) fn unary(&mut self, op: UnOp, v: Val, span: Span) -> Val {
        if v.ty == Ty::ERROR {
            return v;
        }
        if v.ty.is_complex() && op != UnOp::Not {
            // Negation and transposition act on both parts alike (Stan's `'` does not conjugate).
            return self.map_parts(v, &mut |l, part| l.unary(op, part, span));
        }
        match op {
            UnOp::Plus => v,
            UnOp::Neg => match (v.ty.is_scalar(), v.ty.elem) {
                (true, Elem::Int) => Val { atom: self.prim(Prim::INeg, &[v.atom]), ..v },
                (true, Elem::Real | Elem::Complex | Elem::Tuple(_)) => {
                    Val { atom: self.prim(Prim::Neg, &[v.atom]), ..v }
                }
                (false, elem) => {
                    let ty = v.ty;
                    // An int container stays int: its elements negate as ints.
                    let neg = if elem == Elem::Int { Prim::INeg } else { Prim::Neg };
                    self.map_elementwise(&[v], ty, &mut |l, xs| l.prim(neg, &[xs[0]]), span)
                }
            },
            UnOp::Not => {
                if v.ty != Ty::INT {
                    self.error(errors::bad_unary_operand(span, "!", v.ty));
                    return Val::error();
                }
                let atom = self.prim(Prim::IEq, &[v.atom, Atom::Int(0)]);
                Val { atom, ty: Ty::INT, data: v.data }
            }
            UnOp::Transpose => match v.ty {
                t if t.array_rank == 0 && t.core == Core::Vector => self.retype(v, Ty::ROW_VECTOR),
                t if t.array_rank == 0 && t.core == Core::RowVector => self.retype(v, Ty::VECTOR),
                t if t.array_rank == 0 && t.core == Core::Matrix => {
                    let r = self.dim(v.atom, 0);
                    let c = self.dim(v.atom, 1);
                    let out = self.build(Ty::MATRIX, vec![c, r]);
                    let (Atom::Var(src), Atom::Var(dst)) = (v.atom, out) else { return v };
                    self.for_each_index(&[c, r], Core::Matrix, &mut |l, idx| {
                        let x = l.let_(Ty::REAL, Expr::Load { base: src, indices: vec![idx[1], idx[0]] });
                        l.emit(Stmt::Assign { var: dst, indices: idx.to_vec(), value: x });
                    });
                    Val { atom: out, ty: Ty::MATRIX, data: v.data }
                }
                t => {
                    self.error(errors::bad_unary_operand(span, "'", t));
                    Val::error()
                }
            },
        }
    }

    /// The same buffer seen with another type (a vector as a row vector).
    fn retype(&mut self, v: Val, ty: Ty) -> Val {
        let atom = self.let_(ty, Expr::Atom(v.atom));
        Val { atom, ty, data: v.data }
    }

    pub(crate) fn binary(&mut self, op: BinOp, a: Val, b: Val, span: Span) -> Val {
        if a.ty == Ty::ERROR || b.ty == Ty::ERROR {
            return Val::error();
        }
        let data = a.data && b.data;
        if a.ty.is_complex() || b.ty.is_complex() {
            return self.complex_binary(op, a, b, span);
        }
        if a.ty.is_scalar() && b.ty.is_scalar() {
            return self.scalar_binary(op, a, b, span);
        }
        let is_linalg = |t: Ty| t.array_rank == 0 && t.core != Core::Scalar;
        let scalar_or_linalg = |t: Ty| t.is_scalar() || is_linalg(t);
        if !scalar_or_linalg(a.ty) || !scalar_or_linalg(b.ty) {
            return self.no_operator(op, a, b, span);
        }
        let container_ty = if a.ty.is_scalar() { b.ty } else { a.ty };
        let elementwise = |l: &mut Self, p: Prim| {
            l.map_elementwise(
                &[a, b],
                container_ty,
                &mut |l, xs| {
                    let x = l.to_real(Val { atom: xs[0], ty: l.f.atom_ty(xs[0]), data: true });
                    let y = l.to_real(Val { atom: xs[1], ty: l.f.atom_ty(xs[1]), data: true });
                    l.prim(p, &[x, y])
                },
                span,
            )
        };
        let same = a.ty == b.ty;
        let one_scalar = a.ty.is_scalar() || b.ty.is_scalar();
        match op {
            BinOp::Add if same || one_scalar => elementwise(self, Prim::Add),
            BinOp::Sub if same || one_scalar => elementwise(self, Prim::Sub),
            BinOp::EltMul if same || one_scalar => elementwise(self, Prim::Mul),
            BinOp::EltDiv if same || one_scalar => elementwise(self, Prim::Div),
            BinOp::EltPow if same || one_scalar => elementwise(self, Fun::Pow.into()),
            BinOp::Pow if one_scalar => elementwise(self, Fun::Pow.into()),
            BinOp::Mul if one_scalar => elementwise(self, Prim::Mul),
            BinOp::Div if b.ty.is_scalar() => elementwise(self, Prim::Div),
            // b / A = mdivide_right(b, A); A \ b = mdivide_left(A, b).
            BinOp::Div if b.ty.core == Core::Matrix && matches!(a.ty.core, Core::RowVector | Core::Matrix) => {
                self.builtin("mdivide_right", &[a, b], span)
            }
            BinOp::LeftDiv if a.ty.core == Core::Matrix && matches!(b.ty.core, Core::Matrix | Core::Vector) => {
                self.builtin("mdivide_left", &[a, b], span)
            }
            BinOp::Mul => match (a.ty.core, b.ty.core) {
                (Core::Matrix, Core::Vector) => self.kernel(Prim::MatVec, a, b, Ty::VECTOR, span),
                (Core::RowVector, Core::Matrix) => self.kernel(Prim::VecMat, a, b, Ty::ROW_VECTOR, span),
                (Core::Matrix, Core::Matrix) => self.kernel(Prim::MatMul, a, b, Ty::MATRIX, span),
                (Core::RowVector, Core::Vector) => {
                    let atom = self.dot(a, b, span);
                    Val { atom, ty: Ty::REAL, data }
                }
                (Core::Vector, Core::RowVector) => {
                    let m = self.dim(a.atom, 0);
                    let n = self.dim(b.atom, 0);
                    let out = self.build(Ty::MATRIX, vec![m, n]);
                    let (Atom::Var(x), Atom::Var(y), Atom::Var(dst)) = (a.atom, b.atom, out) else {
                        return Val::error();
                    };
                    self.for_each_index(&[m, n], Core::Matrix, &mut |l, idx| {
                        let xi = l.let_(Ty::REAL, Expr::Load { base: x, indices: vec![idx[0]] });
                        let yj = l.let_(Ty::REAL, Expr::Load { base: y, indices: vec![idx[1]] });
                        let p = l.prim(Prim::Mul, &[xi, yj]);
                        l.emit(Stmt::Assign { var: dst, indices: idx.to_vec(), value: p });
                    });
                    Val { atom: out, ty: Ty::MATRIX, data }
                }
                _ => self.no_operator(op, a, b, span),
            },
            _ => self.no_operator(op, a, b, span),
        }
    }

    /// The built-in function `name` of checked arguments it accepts.
    pub(crate) fn builtin(&mut self, name: &str, vals: &[Val], span: Span) -> Val {
        use crate::sema::builtins::functions;
        let def = functions::function(name).expect("a built-in function");
        let data = vals.iter().all(|v| v.data);
        (def.lower)(self, &functions::Args { name, vals, span, data })
    }

    /// An operator lowering has no rule for: a mistake, or a valid operation vppl cannot
    /// compile yet (`matrix \ vector`).
    fn no_operator(&mut self, op: BinOp, a: Val, b: Val, span: Span) -> Val {
        let arg = crate::sema::builtins::functions::arg_type;
        if super::typeck::operator_exists(op, arg(a.ty), arg(b.ty)) {
            self.error(errors::not_supported(
                span,
                &format!("the operator `{}` on `{}` and `{}`", op.symbol(), a.ty, b.ty),
            ));
        } else {
            self.error(errors::mismatched_operands(span, op.symbol(), a.ty, b.ty));
        }
        Val::error()
    }

    /// A product kernel, after the check that the operands' inner sizes agree (the kernels
    /// trust them: a mismatch would read and write past the buffers).
    pub(crate) fn kernel(&mut self, p: Prim, a: Val, b: Val, ty: Ty, span: Span) -> Val {
        let (inner_a, inner_b) = match p {
            Prim::VecMat => (self.dim(a.atom, 0), self.dim(b.atom, 0)),
            _ => (self.dim(a.atom, 1), self.dim(b.atom, 0)),
        };
        self.same_size(
            inner_a,
            inner_b,
            "matrix product: the left operand has {} columns, the right one {} rows",
            span,
        );
        let atom = self.let_(ty, Expr::Prim(p, vec![a.atom, b.atom]));
        Val { atom, ty, data: a.data && b.data }
    }

    /// A run-time check that two sizes agree (linear algebra's shape rules); `message` shows
    /// both. Sizes known to agree need no check.
    pub(crate) fn same_size(&mut self, a: Atom, b: Atom, message: &str, span: Span) {
        if let (Atom::Int(x), Atom::Int(y)) = (a, b)
            && x == y
        {
            return;
        }
        let ok = self.prim(Prim::IEq, &[a, b]);
        self.check(ok, crate::ir::ErrorKind::Index, message.to_string(), span, vec![a, b]);
    }

    /// The Cholesky factor of `m`, after the check that `m` is square.
    pub(crate) fn cholesky(&mut self, m: Atom, span: Span) -> Atom {
        let (rows, cols) = (self.dim(m, 0), self.dim(m, 1));
        self.same_size(
            rows,
            cols,
            "cholesky_decompose: the matrix has {} rows and {} columns; it must be square",
            span,
        );
        self.let_(Ty::MATRIX, Expr::Prim(Prim::Cholesky, vec![m]))
    }

    /// `L \ v` for a lower-triangular `L`, after the checks that `L` is square and as large as `v`.
    pub(crate) fn tri_solve(&mut self, l: Atom, v: Atom, span: Span) -> Atom {
        let (rows, cols, n) = (self.dim(l, 0), self.dim(l, 1), self.dim(v, 0));
        self.same_size(rows, cols, "a triangular factor has {} rows and {} columns; it must be square", span);
        self.same_size(rows, n, "a triangular factor of size {} is applied to a vector of size {}", span);
        self.let_(Ty::VECTOR, Expr::Prim(Prim::TriSolveVec, vec![l, v]))
    }

    /// Sum of products of two equally long vectors (any of vector / row_vector / real array).
    pub(crate) fn dot(&mut self, a: Val, b: Val, span: Span) -> Atom {
        let n = self.dim(a.atom, 0);
        let m = self.dim(b.atom, 0);
        let ok = self.prim(Prim::IEq, &[n, m]);
        self.check(
            ok,
            crate::ir::ErrorKind::Index,
            "dot product of vectors of sizes {} and {}".into(),
            span,
            vec![n, m],
        );
        let acc = self.f.new_var(None, Ty::REAL, VarKind::Mutable);
        self.emit(Stmt::Decl { var: acc, dims: vec![] });
        self.emit(Stmt::Assign { var: acc, indices: vec![], value: Atom::Real(0.0) });
        let (Atom::Var(x), Atom::Var(y)) = (a.atom, b.atom) else { return Atom::Real(f64::NAN) };
        // An int array promotes to a real one: its elements are made real.
        let elem = |v: Val| Ty::array(v.ty.elem, 0);
        self.for_loop(Atom::Int(1), n, |l, i| {
            let xi = l.let_(elem(a), Expr::Load { base: x, indices: vec![i] });
            let xi = l.to_real(Val { atom: xi, ty: elem(a), data: true });
            let yi = l.let_(elem(b), Expr::Load { base: y, indices: vec![i] });
            let yi = l.to_real(Val { atom: yi, ty: elem(b), data: true });
            let p = l.prim(Prim::Mul, &[xi, yi]);
            let s = l.prim(Prim::Add, &[Atom::Var(acc), p]);
            l.emit(Stmt::Assign { var: acc, indices: vec![], value: s });
        });
        self.let_(Ty::REAL, Expr::Atom(Atom::Var(acc)))
    }

    pub(crate) fn scalar_binary(&mut self, op: BinOp, a: Val, b: Val, span: Span) -> Val {
        let data = a.data && b.data;
        let ints = a.ty.elem == Elem::Int && b.ty.elem == Elem::Int;
        let int_prim = match op {
            BinOp::Add => Some(Prim::IAdd),
            BinOp::Sub => Some(Prim::ISub),
            BinOp::Mul => Some(Prim::IMul),
            BinOp::Div | BinOp::IntDiv => Some(Prim::IDiv),
            BinOp::Mod => Some(Prim::IMod),
            BinOp::Lt => Some(Prim::ILt),
            BinOp::Le => Some(Prim::ILe),
            BinOp::Gt => Some(Prim::IGt),
            BinOp::Ge => Some(Prim::IGe),
            BinOp::Eq => Some(Prim::IEq),
            BinOp::Neq => Some(Prim::INe),
            _ => None,
        };
        if ints && let Some(p) = int_prim {
            if matches!(p, Prim::IDiv | Prim::IMod) {
                let nonzero = self.prim(Prim::INe, &[b.atom, Atom::Int(0)]);
                self.check(nonzero, crate::ir::ErrorKind::Domain, "integer division by zero".into(), span, vec![]);
            }
            let atom = self.prim(p, &[a.atom, b.atom]);
            return Val { atom, ty: Ty::INT, data };
        }
        let real_prim = match op {
            BinOp::Add => Prim::Add,
            BinOp::Sub => Prim::Sub,
            BinOp::Mul | BinOp::EltMul => Prim::Mul,
            BinOp::Div | BinOp::EltDiv => Prim::Div,
            BinOp::Pow | BinOp::EltPow => Prim::Call(Fun::Pow),
            BinOp::Lt => Prim::Lt,
            BinOp::Le => Prim::Le,
            BinOp::Gt => Prim::Gt,
            BinOp::Ge => Prim::Ge,
            BinOp::Eq => Prim::Eq,
            BinOp::Neq => Prim::Ne,
            _ => {
                self.error(errors::mismatched_operands(span, op.symbol(), a.ty, b.ty));
                return Val::error();
            }
        };
        let x = self.to_real(a);
        let y = self.to_real(b);
        let atom = self.prim(real_prim, &[x, y]);
        let ty = real_prim.result_ty();
        Val { atom, ty, data }
    }

    /// Applies `f` to corresponding elements of the container arguments (scalars broadcast),
    /// building a new container of type `out_ty` shaped like the containers.
    pub(crate) fn map_elementwise(
        &mut self,
        args: &[Val],
        out_ty: Ty,
        f: &mut dyn FnMut(&mut Self, &[Atom]) -> Atom,
        span: Span,
    ) -> Val {
        let data = args.iter().all(|a| a.data);
        let Some(first) = args.iter().find(|a| !a.ty.is_scalar()).copied() else {
            let atoms: Vec<Atom> = args.iter().map(|a| a.atom).collect();
            let atom = f(self, &atoms);
            return Val { atom, ty: out_ty, data };
        };
        let dims = self.dims(first.atom, first.ty);
        for other in args.iter().filter(|a| !a.ty.is_scalar() && a.atom != first.atom) {
            if other.ty.rank() != first.ty.rank() {
                self.error(errors::mismatched_operands(span, "elementwise", first.ty, other.ty));
                return Val::error();
            }
            for (d, expected) in dims.iter().enumerate() {
                let found = self.dim(other.atom, d);
                let ok = self.prim(Prim::IEq, &[found, *expected]);
                self.check(
                    ok,
                    crate::ir::ErrorKind::Index,
                    "size mismatch in an elementwise operation: {} versus {}".into(),
                    span,
                    vec![found, *expected],
                );
            }
        }
        let out = self.build(out_ty, dims.clone());
        let Atom::Var(dst) = out else { return Val::error() };
        let args = args.to_vec();
        self.for_each_index(&dims, first.ty.core, &mut |l, idx| {
            let mut elems = Vec::with_capacity(args.len());
            for a in &args {
                if a.ty.is_scalar() {
                    elems.push(a.atom);
                } else if let Atom::Var(base) = a.atom {
                    let ty = Ty { elem: a.ty.elem, array_rank: 0, core: Core::Scalar };
                    elems.push(l.let_(ty, Expr::Load { base, indices: idx.to_vec() }));
                }
            }
            let y = f(l, &elems);
            l.emit(Stmt::Assign { var: dst, indices: idx.to_vec(), value: y });
        });
        Val { atom: out, ty: out_ty, data }
    }

    /// The sum of every element (the value itself for a scalar), as a real.
    pub(crate) fn sum_all(&mut self, v: Val) -> Atom {
        if v.ty.is_scalar() {
            return self.to_real(v);
        }
        self.reduce(v, Atom::Real(0.0), &mut |l, acc, x| l.prim(Prim::Add, &[acc, x]))
    }

    fn index(&mut self, base: Val, indices: &[ast::Index], span: Span) -> Val {
        if base.ty == Ty::ERROR {
            return base;
        }
        if base.ty.is_tuple() {
            // The indices select from the tuple's arrays, alike in every component.
            let shape = self.tuple_shape(base);
            let Some(ix) = self.resolve_indices(shape, indices, span) else { return Val::error() };
            return self.select_tuple(base, &ix, span);
        }
        let Some(ix) = self.resolve_indices(base, indices, span) else { return Val::error() };
        self.select_any(base, &ix, span)
    }

    /// The selection `ix` of any `base` but a tuple (both parts of a complex one).
    fn select_any(&mut self, base: Val, ix: &Indexing, span: Span) -> Val {
        if base.ty.is_complex() {
            let (re, im) = self.both_parts(base);
            let re = self.selection(re, ix, span);
            let im = self.selection(im, ix, span);
            return self.from_parts(re, im);
        }
        self.selection(base, ix, span)
    }

    /// The selection `ix` (resolved against the arrays of the tuple `base`) of each of its
    /// components.
    fn select_tuple(&mut self, base: Val, ix: &Indexing, span: Span) -> Val {
        let ty = Ty { array_rank: ix.ty.array_rank, ..base.ty };
        let mut parts = Vec::new();
        for c in self.components_of(base) {
            let part = if c.ty.is_tuple() {
                self.select_tuple(c, ix, span)
            } else {
                let widened = self.widen(ix, c);
                self.select_any(c, &widened, span)
            };
            parts.push(part);
        }
        self.tuple(ty, parts)
    }

    /// A selection resolved against a tuple's arrays, made one of the component `c`: the
    /// component's own dimensions, after the tuple's, kept whole.
    pub(crate) fn widen(&mut self, ix: &Indexing, c: Val) -> Indexing {
        let rank = c.ty.rank();
        let mut positions = ix.positions.clone();
        let mut dims = ix.dims.clone();
        for d in positions.len()..rank {
            positions.push(Pos::All);
            dims.push(self.dim(c.atom, d));
        }
        let extra_arrays = c.ty.array_rank - ix.positions.len() as u8;
        let ty = Ty { elem: c.ty.elem, array_rank: ix.ty.array_rank + extra_arrays, core: c.ty.core };
        Indexing { base: c.atom, positions, given: ix.given, ty, dims, data: ix.data }
    }

    /// The selection `ix` (resolved against `base`'s sizes) of a real or int `base`.
    fn selection(&mut self, base: Val, ix: &Indexing, span: Span) -> Val {
        let data = base.data && ix.data;
        let Atom::Var(base_var) = base.atom else { return Val::error() };
        if let Some(single) = ix.all_single() {
            let ty = base.ty.indexed(single.len());
            // Leading array indices select a contiguous slab, which can be read in place.
            if single.len() <= base.ty.array_rank as usize || ty.is_scalar() {
                let atom = self.let_(ty, Expr::Load { base: base_var, indices: single });
                return Val { atom, ty, data };
            }
        }
        // The general case: a new container, element by element.
        let ty = Ty { elem: base.ty.elem, ..ix.ty };
        let out = self.build(ty, ix.dims.clone());
        let Atom::Var(dst) = out else { return Val::error() };
        let scalar = Ty { elem: base.ty.elem, array_rank: 0, core: Core::Scalar };
        let dims = ix.dims.clone();
        self.for_each_index(&dims, ix.ty.core, &mut |l, idx| {
            let src = l.source_indices(ix, idx, span);
            let x = l.let_(scalar, Expr::Load { base: base_var, indices: src });
            l.emit(Stmt::Assign { var: dst, indices: idx.to_vec(), value: x });
        });
        Val { atom: out, ty, data }
    }

    /// Checks and resolves the indices of `base[indices]`: single indices and range bounds are
    /// checked against the sizes here; multi-index entries are checked where they are read.
    pub(crate) fn resolve_indices(&mut self, base: Val, indices: &[ast::Index], span: Span) -> Option<Indexing> {
        let rank = base.ty.rank();
        if indices.len() > rank {
            self.error(errors::not_indexable(span, base.ty, indices.len()));
            return None;
        }
        let Atom::Var(_) = base.atom else {
            self.error(errors::not_indexable(span, base.ty, indices.len()));
            return None;
        };
        let mut positions = Vec::with_capacity(rank);
        let mut data = true;
        for (d, ix) in indices.iter().enumerate() {
            let pos = match ix {
                ast::Index::Single(e) => {
                    let v = self.expr(e);
                    data &= v.data;
                    if v.ty == Ty::ERROR {
                        return None;
                    } else if v.ty == Ty::INT {
                        self.check_index(base.atom, d, v.atom, span);
                        Pos::Single(v.atom)
                    } else if v.ty == Ty::array(Elem::Int, 1) {
                        let Atom::Var(var) = v.atom else { unreachable!("containers are variables") };
                        let n = self.dim(v.atom, 0);
                        Pos::Multi(var, n)
                    } else {
                        self.error(errors::index_not_int(e.span, v.ty));
                        return None;
                    }
                }
                ast::Index::Range { lo, hi, .. } => {
                    let lo = match lo {
                        Some(e) => self.int_index(e),
                        None => Atom::Int(1),
                    };
                    let hi = match hi {
                        Some(e) => self.int_index(e),
                        None => self.dim(base.atom, d),
                    };
                    // An empty range (hi < lo) selects nothing and needs no check.
                    let empty = self.prim(Prim::ILt, &[hi, lo]);
                    let lo_ok = self.prim(Prim::IGe, &[lo, Atom::Int(1)]);
                    let size = self.dim(base.atom, d);
                    let hi_ok = self.prim(Prim::ILe, &[hi, size]);
                    let both = self.prim(Prim::And, &[lo_ok, hi_ok]);
                    let ok = self.prim(Prim::Or, &[empty, both]);
                    let message = format!("slice {{}}:{{}} out of range for dimension {} of size {{}}", d + 1);
                    self.check(ok, ErrorKind::Index, message, span, vec![lo, hi, size]);
                    Pos::Range(lo, hi)
                }
                ast::Index::All(_) => Pos::All,
            };
            positions.push(pos);
        }
        let given = positions.len();
        while positions.len() < rank {
            positions.push(Pos::All);
        }
        let ar = base.ty.array_rank as usize;
        let kept = |p: &Pos| !matches!(p, Pos::Single(_));
        let array_rank = positions[..ar].iter().filter(|p| kept(p)).count() as u8;
        let core = match (base.ty.core, &positions[ar..]) {
            (Core::Scalar, _) => Core::Scalar,
            (Core::Vector, [p]) => {
                if kept(p) {
                    Core::Vector
                } else {
                    Core::Scalar
                }
            }
            (Core::RowVector, [p]) => {
                if kept(p) {
                    Core::RowVector
                } else {
                    Core::Scalar
                }
            }
            (Core::Matrix, [r, c]) => match (kept(r), kept(c)) {
                (true, true) => Core::Matrix,
                (false, true) => Core::RowVector,
                (true, false) => Core::Vector,
                (false, false) => Core::Scalar,
            },
            _ => unreachable!("positions padded to the rank"),
        };
        let mut dims = Vec::new();
        for (d, p) in positions.iter().enumerate() {
            match *p {
                Pos::Single(_) => {}
                Pos::Multi(_, n) => dims.push(n),
                Pos::Range(lo, hi) => {
                    let len = self.prim(Prim::ISub, &[hi, lo]);
                    let len = self.prim(Prim::IAdd, &[len, Atom::Int(1)]);
                    let len = self.prim(Prim::IMax, &[len, Atom::Int(0)]);
                    dims.push(len);
                }
                Pos::All => dims.push(self.dim(base.atom, d)),
            }
        }
        let ty = Ty { elem: base.ty.elem, array_rank, core };
        Some(Indexing { base: base.atom, positions, given, ty, dims, data })
    }

    /// Raises an index error unless 1 ≤ i ≤ size of dimension `d` of `base`.
    pub(crate) fn check_index(&mut self, base: Atom, d: usize, i: Atom, span: Span) {
        let size = self.dim(base, d);
        let lo = self.prim(Prim::IGe, &[i, Atom::Int(1)]);
        let hi = self.prim(Prim::ILe, &[i, size]);
        let ok = self.prim(Prim::And, &[lo, hi]);
        let message = format!("index {{}} out of range for dimension {} of size {{}}", d + 1);
        self.check(ok, ErrorKind::Index, message, span, vec![i, size]);
    }

    /// For one element (indices `idx` into the selection), the indices into the base.
    pub(crate) fn source_indices(&mut self, ix: &Indexing, idx: &[Atom], span: Span) -> Vec<Atom> {
        let mut src = Vec::with_capacity(ix.positions.len());
        let mut k = 0;
        for (d, p) in ix.positions.iter().enumerate() {
            match *p {
                Pos::Single(a) => src.push(a),
                Pos::Multi(arr, _) => {
                    let i = self.let_(Ty::INT, Expr::Load { base: arr, indices: vec![idx[k]] });
                    self.check_index(ix.base, d, i, span);
                    src.push(i);
                    k += 1;
                }
                Pos::Range(lo, _) => {
                    let off = self.prim(Prim::ISub, &[lo, Atom::Int(1)]);
                    src.push(self.prim(Prim::IAdd, &[idx[k], off]));
                    k += 1;
                }
                Pos::All => {
                    src.push(idx[k]);
                    k += 1;
                }
            }
        }
        src
    }

    fn int_index(&mut self, e: &ast::Expr) -> Atom {
        let v = self.expr(e);
        if v.ty != Ty::INT && v.ty != Ty::ERROR {
            self.error(errors::index_not_int(e.span, v.ty));
            return Atom::Int(1);
        }
        v.atom
    }

    fn array_literal(&mut self, items: &[ast::Expr], span: Span) -> Val {
        let vals: Vec<Val> = items.iter().map(|e| self.expr(e)).collect();
        self.array_of_any(&vals, items, span)
    }

    /// The array literal of lowered elements of any type.
    fn array_of_any(&mut self, vals: &[Val], items: &[ast::Expr], span: Span) -> Val {
        if vals.iter().any(|v| v.ty == Ty::ERROR) {
            return Val::error();
        }
        if vals.iter().any(|v| v.ty.is_tuple()) {
            return self.tuple_array_of(vals, items, span);
        }
        if vals.iter().any(|v| v.ty.is_complex()) {
            return self.complex_literal(vals, &mut |l, parts| l.array_of(parts, items, span));
        }
        self.array_of(vals, items, span)
    }

    /// An array literal of tuples: the tuple of the array literals of each component.
    fn tuple_array_of(&mut self, vals: &[Val], items: &[ast::Expr], span: Span) -> Val {
        let array_rank = vals[0].ty.array_rank + 1;
        let n = vals[0].ty.components().len();
        let elements: Vec<Vec<Val>> = vals.iter().map(|v| self.components_of(*v)).collect();
        let mut parts = Vec::new();
        for k in 0..n {
            let column: Vec<Val> = elements.iter().filter_map(|e| e.get(k).copied()).collect();
            if column.len() != vals.len() {
                self.error(errors::not_supported(span, "this array of tuples"));
                return Val::error();
            }
            let part = self.array_of_any(&column, items, span);
            if part.ty == Ty::ERROR {
                return part;
            }
            parts.push(part);
        }
        let types: Vec<Ty> = parts.iter().map(|p| Ty { array_rank: p.ty.array_rank - array_rank, ..p.ty }).collect();
        let ty = Ty { elem: Elem::tuple(&types), array_rank, core: Core::Scalar };
        self.tuple(ty, parts)
    }

    /// A literal with a complex element: the literal of the real parts and that of the
    /// imaginary parts (a real element's are zero).
    fn complex_literal(&mut self, vals: &[Val], literal: &mut dyn FnMut(&mut Self, &[Val]) -> Val) -> Val {
        if vals.iter().any(|v| v.ty == Ty::ERROR) {
            return Val::error();
        }
        let (res, ims): (Vec<Val>, Vec<Val>) = vals.iter().map(|v| self.both_parts(*v)).unzip();
        let re = literal(self, &res);
        let im = literal(self, &ims);
        if re.ty == Ty::ERROR || im.ty == Ty::ERROR {
            return Val::error();
        }
        self.from_parts(re, im)
    }

    /// The array literal of lowered elements (`items` are their expressions, for messages).
    fn array_of(&mut self, vals: &[Val], items: &[ast::Expr], span: Span) -> Val {
        let Some(first) = vals.first().copied() else {
            self.error(errors::not_supported(span, "an empty array literal"));
            return Val::error();
        };
        if vals.iter().any(|v| v.ty == Ty::ERROR) {
            return Val::error();
        }
        let elem = if vals.iter().any(|v| v.ty.elem == Elem::Real) { Elem::Real } else { Elem::Int };
        let inner = Ty { elem, ..first.ty };
        for (v, e) in vals.iter().zip(items) {
            if v.ty.array_rank != inner.array_rank || v.ty.core != inner.core {
                self.error(errors::array_literal_mismatch(e.span, first.ty, v.ty, items[0].span));
                return Val::error();
            }
        }
        let ty = Ty { array_rank: inner.array_rank + 1, ..inner };
        let mut dims = vec![Atom::Int(vals.len() as i64)];
        dims.extend(self.dims(first.atom, first.ty));
        let out = self.build(ty, dims.clone());
        let Atom::Var(dst) = out else { return Val::error() };
        for (i, v) in vals.iter().enumerate() {
            let pos = Atom::Int(i as i64 + 1);
            if v.ty.is_scalar() {
                let x = if elem == Elem::Real { self.to_real(*v) } else { v.atom };
                self.emit(Stmt::Assign { var: dst, indices: vec![pos], value: x });
                continue;
            }
            let Atom::Var(src) = v.atom else { continue };
            let scalar = Ty { elem: v.ty.elem, array_rank: 0, core: Core::Scalar };
            let inner_dims = dims[1..].to_vec();
            self.for_each_index(&inner_dims, v.ty.core, &mut |l, idx| {
                let x = l.let_(scalar, Expr::Load { base: src, indices: idx.to_vec() });
                let x = if elem == Elem::Real { l.to_real(Val { atom: x, ty: scalar, data: true }) } else { x };
                let mut full = vec![pos];
                full.extend_from_slice(idx);
                l.emit(Stmt::Assign { var: dst, indices: full, value: x });
            });
        }
        Val { atom: out, ty, data: vals.iter().all(|v| v.data) }
    }

    fn row_vector_literal(&mut self, items: &[ast::Expr], span: Span) -> Val {
        let vals: Vec<Val> = items.iter().map(|e| self.expr(e)).collect();
        if vals.iter().any(|v| v.ty.is_complex()) {
            return self.complex_literal(&vals, &mut |l, parts| l.row_vector_of(parts, span));
        }
        self.row_vector_of(&vals, span)
    }

    /// The row-vector (or matrix) literal of lowered elements.
    fn row_vector_of(&mut self, vals: &[Val], span: Span) -> Val {
        if vals.iter().all(|v| v.ty.is_scalar()) {
            let out = self.build(Ty::ROW_VECTOR, vec![Atom::Int(vals.len() as i64)]);
            let Atom::Var(dst) = out else { return Val::error() };
            for (i, v) in vals.iter().enumerate() {
                let x = self.to_real(*v);
                self.emit(Stmt::Assign { var: dst, indices: vec![Atom::Int(i as i64 + 1)], value: x });
            }
            return Val { atom: out, ty: Ty::ROW_VECTOR, data: vals.iter().all(|v| v.data) };
        }
        if vals.iter().all(|v| v.ty == Ty::ROW_VECTOR) && !vals.is_empty() {
            let rows = Atom::Int(vals.len() as i64);
            let cols = self.dim(vals[0].atom, 0);
            let out = self.build(Ty::MATRIX, vec![rows, cols]);
            let Atom::Var(dst) = out else { return Val::error() };
            for (i, v) in vals.iter().enumerate() {
                let Atom::Var(src) = v.atom else { continue };
                let row = Atom::Int(i as i64 + 1);
                self.for_loop(Atom::Int(1), cols, |l, j| {
                    let x = l.let_(Ty::REAL, Expr::Load { base: src, indices: vec![j] });
                    l.emit(Stmt::Assign { var: dst, indices: vec![row, j], value: x });
                });
            }
            return Val { atom: out, ty: Ty::MATRIX, data: vals.iter().all(|v| v.data) };
        }
        self.error(errors::not_supported(span, "this row-vector literal"));
        Val::error()
    }
}
