//! Statements.

use grammar::ast::{self, AssignOp, BinOp, BlockKind, StmtKind};

use crate::ir::{Atom, Core, Elem, ErrorKind, Expr, Prim, Stmt, Ty, VarKind};
use crate::sema::expr::Indexing;
use crate::sema::{Binding, Lowerer, Mode, Val, decl_ty, errors, tuples};

impl Lowerer<'_> {
    pub(crate) fn lower_stmts(&mut self, stmts: &[ast::Stmt]) {
        for (i, s) in stmts.iter().enumerate() {
            self.lower_stmt(s, &stmts[i + 1..]);
        }
    }

    /// One statement, with what follows it in its block.
    pub(crate) fn lower_one(&mut self, s: &ast::Stmt, rest: &[ast::Stmt]) {
        self.lower_stmt(s, rest);
    }

    /// `rest` is what follows `s` in its block: a declaration whose variable is never assigned
    /// there is bound immutably to its initial value, so it needs no copy and no tape.
    fn lower_stmt(&mut self, s: &ast::Stmt, rest: &[ast::Stmt]) {
        match &s.kind {
            StmtKind::Decl(d) => self.lower_decl(d, rest),
            StmtKind::FunDef(_) => {
                self.error(errors::not_supported(s.span, "a function definition outside the functions block"))
            }
            StmtKind::Assign { lhs, op, rhs } => self.lower_assign(lhs, *op, rhs),
            StmtKind::Tilde { lhs, dist, args, truncation } => {
                if let Some(d) = self.target_refusal(s.span, true) {
                    self.error(d);
                    return;
                }
                let mut all = vec![lhs.clone()];
                all.extend(args.iter().cloned());
                let needs = std::iter::once((lhs, format!("{} needs a finite variate", dist.name)))
                    .chain(args.iter().map(|a| (a, format!("{} needs finite arguments", dist.name))));
                self.term_needs = self.data_needs(needs.collect());
                let lp = match truncation {
                    None => self.density(dist, &all, s.span, true),
                    Some(t) => self.truncated(dist, &all, t, s.span),
                };
                if let Some(lp) = lp {
                    self.emit(Stmt::TargetAdd(lp));
                    self.locate_term(s, lp);
                }
                self.term_needs.clear();
            }
            StmtKind::JacobianPlus(_) if !self.may_increment_jacobian() => {
                self.error(errors::jacobian_outside_transformed_parameters(s.span));
            }
            StmtKind::TargetPlus(_) if let Some(d) = self.target_refusal(s.span, false) => self.error(d),
            // Without the Jacobian (`jacobian=0`), Stan skips the statement, its expression too.
            StmtKind::JacobianPlus(_) if self.drops_jacobian() => {}
            StmtKind::TargetPlus(e) | StmtKind::JacobianPlus(e) => {
                let needs = match &e.kind {
                    ast::ExprKind::Call { name, args, .. } => args
                        .iter()
                        .enumerate()
                        .map(|(i, a)| {
                            let role = if i == 0 && name.name.contains("_lp") {
                                "a finite variate"
                            } else {
                                "finite arguments"
                            };
                            (a, format!("{} needs {role}", name.name))
                        })
                        .collect(),
                    _ => vec![(e, "the term needs finite values".to_string())],
                };
                self.term_needs = self.data_needs(needs);
                let v = self.expr(e);
                let total = self.sum_all(v);
                self.emit(Stmt::TargetAdd(total));
                self.locate_term(s, total);
                self.term_needs.clear();
            }
            StmtKind::For { var, lo, hi, body } => {
                let lo_v = self.expr(lo);
                let hi_v = self.expr(hi);
                for (v, e) in [(lo_v, lo), (hi_v, hi)] {
                    if v.ty != Ty::INT && v.ty != Ty::ERROR {
                        self.error(errors::loop_bound_not_int(e.span, v.ty));
                    }
                }
                // Bounds are evaluated once, before the loop; a mutable variable is copied so
                // the reverse sweep sees the same bounds.
                let lo_atom = self.snapshot(lo_v.atom);
                let hi_atom = self.snapshot(hi_v.atom);
                let loop_var = self.f.new_var(Some(var.name.clone()), Ty::INT, VarKind::LoopIndex);
                self.push_scope();
                self.bind(
                    var,
                    Binding { var: loop_var, ty: Ty::INT, data: true, origin: None, assignable: false, span: var.span },
                );
                self.open();
                self.loop_nesting += 1;
                self.lower_body(body);
                self.loop_nesting -= 1;
                let inner = self.close();
                self.pop_scope();
                self.emit(Stmt::For { var: loop_var, lo: lo_atom, hi: hi_atom, reverse: false, body: inner });
            }
            StmtKind::ForEach { var, container, body } => {
                let c = self.expr(container);
                if c.ty.is_scalar() {
                    self.error(errors::cannot_loop_over(container.span, c.ty));
                    return;
                }
                if c.ty.array_rank == 0 && c.ty.core == Core::Matrix {
                    // Stan visits a matrix's elements in column-major order, not its rows.
                    self.error(errors::not_supported(container.span, "a `for` loop over the elements of a matrix"));
                    return;
                }
                if c.ty.is_tuple() {
                    // Each element of an array of tuples: the elements of its components.
                    let n = self.tuple_dims(c)[0];
                    self.for_loop(Atom::Int(1), n, |l, i| {
                        let x = l.element_at(c, &[i]);
                        let xv = x.atom.var().expect("a tuple value is a variable");
                        l.push_scope();
                        let binding = Binding {
                            var: xv,
                            ty: x.ty,
                            data: c.data,
                            origin: None,
                            assignable: false,
                            span: var.span,
                        };
                        l.bind(var, binding);
                        l.loop_nesting += 1;
                        l.lower_body(body);
                        l.loop_nesting -= 1;
                        l.pop_scope();
                    });
                    return;
                }
                let n = self.dim(c.atom, 0);
                let elem_ty = c.ty.indexed(1);
                let Atom::Var(base) = c.atom else { return };
                let im_base = c.ty.is_complex().then(|| self.imag_of(c));
                self.for_loop(Atom::Int(1), n, |l, i| {
                    let x = l.let_(elem_ty.part(), Expr::Load { base, indices: vec![i] });
                    if let Some(Atom::Var(im_base)) = im_base {
                        let im = l.let_(elem_ty.part(), Expr::Load { base: im_base, indices: vec![i] });
                        l.pair(x.var().expect("let_ returns a variable"), im.var().expect("let_ returns a variable"));
                    }
                    let Atom::Var(xv) = x else { unreachable!("let_ returns a variable") };
                    l.f.vars[xv as usize].name = Some(var.name.clone());
                    l.push_scope();
                    l.bind(
                        var,
                        Binding { var: xv, ty: elem_ty, data: c.data, origin: None, assignable: false, span: var.span },
                    );
                    l.loop_nesting += 1;
                    l.lower_body(body);
                    l.loop_nesting -= 1;
                    l.pop_scope();
                });
            }
            StmtKind::While { cond, body } => {
                // The condition is computed afresh before every iteration.
                self.open();
                let c = self.expr(cond);
                let c = self.truth(c, cond.span);
                let cond_block = self.close();
                self.open();
                self.push_scope();
                self.loop_nesting += 1;
                self.lower_body(body);
                self.loop_nesting -= 1;
                self.pop_scope();
                let body = self.close();
                self.emit(Stmt::While { cond_block, cond: c, body });
            }
            StmtKind::If { cond, then, otherwise } => {
                let c = self.expr(cond);
                let c = self.truth(c, cond.span);
                self.open();
                self.push_scope();
                self.lower_body(then);
                self.pop_scope();
                let then = self.close();
                self.open();
                if let Some(o) = otherwise {
                    self.push_scope();
                    self.lower_body(o);
                    self.pop_scope();
                }
                let otherwise = self.close();
                self.emit(Stmt::If { cond: c, then, otherwise });
            }
            StmtKind::Block(stmts) | StmtKind::Profile { body: stmts, .. } => {
                self.push_scope();
                self.lower_stmts(stmts);
                self.pop_scope();
            }
            StmtKind::Break | StmtKind::Continue => {
                if self.loop_nesting == 0 {
                    let word = if matches!(s.kind, StmtKind::Break) { "break" } else { "continue" };
                    let d = if self.inline_stack.is_empty() {
                        errors::outside_loop(s.span, word)
                    } else {
                        errors::outside_loop_in_function(s.span, word)
                    };
                    self.error(d);
                } else if matches!(self.mode, Mode::LogDensity { .. }) {
                    self.error(errors::not_supported(
                        s.span,
                        "`break` and `continue` where the log density is computed (model, transformed parameters)",
                    ));
                } else {
                    self.emit(if matches!(s.kind, StmtKind::Break) { Stmt::Break } else { Stmt::Continue });
                }
            }
            // `typeck` reports a `return` outside a function.
            StmtKind::Return(_) => {}
            StmtKind::Print(args) => self.print(args, s.span),
            StmtKind::Reject(args) | StmtKind::FatalError(args) => {
                let kind = if matches!(s.kind, StmtKind::Reject(_)) { ErrorKind::Domain } else { ErrorKind::Fatal };
                self.reject(args, kind, s.span);
            }
            // `typeck` checks that only a `void` function is called for its effect alone.
            StmtKind::Call(e) => {
                self.expr(e);
            }
            StmtKind::Empty => {}
        }
    }

    fn lower_body(&mut self, body: &ast::Stmt) {
        match &body.kind {
            StmtKind::Block(stmts) => {
                self.push_scope();
                self.lower_stmts(stmts);
                self.pop_scope();
            }
            _ => self.lower_stmt(body, &[]),
        }
    }

    /// Why `target +=` (or `~`, if `tilde`) cannot stand here, if it cannot. Inside a function
    /// not named `_lp`, `target` does not exist; otherwise it is the model block's, and `_lp`
    /// functions', which Stan also lets transformed parameters call.
    /// Each data variable that `parts` read, once, with what needs it finite there. Every check
    /// made while a term is lowered carries this list (`Lowerer::term_needs`), so a failure can
    /// name the non-finite data element to blame.
    fn data_needs(&self, parts: Vec<(&ast::Expr, String)>) -> Vec<(String, String)> {
        let mut needs: Vec<(String, String)> = Vec::new();
        for (expr, need) in parts {
            expr.walk(&mut |e| {
                if let ast::ExprKind::Var(name) = &e.kind
                    && self.info.data.iter().any(|d| d.name == name.name)
                    && !needs.iter().any(|(n, _)| *n == name.name)
                {
                    needs.push((name.name.clone(), need.clone()));
                }
            });
        }
        needs
    }

    /// In the `locate` entry point, a check after a term that its value is finite (a comparison
    /// with ±∞ is false for NaN too), naming the statement.
    fn locate_term(&mut self, s: &ast::Stmt, term: Atom) {
        if !matches!(self.mode, Mode::LogDensity { locate: true, .. }) {
            return;
        }
        let above = self.prim(Prim::Gt, &[term, Atom::Real(f64::NEG_INFINITY)]);
        let below = self.prim(Prim::Lt, &[term, Atom::Real(f64::INFINITY)]);
        let finite = self.prim(Prim::And, &[above, below]);
        let text = s.to_string();
        let message = format!("`{}` is {{}} here", text.trim_end_matches(';'));
        self.check(finite, ErrorKind::Domain, message, s.span, vec![term]);
    }

    fn target_refusal(&self, span: grammar::Span, tilde: bool) -> Option<grammar::Diagnostic> {
        if let Some(f) = self.inline_stack.last().filter(|f| !f.ends_with("_lp")) {
            return Some(errors::target_in_plain_function(span, f));
        }
        let in_lp_function = !self.inline_stack.is_empty();
        match self.block {
            BlockKind::Model => None,
            BlockKind::TransformedParameters if in_lp_function => None,
            block if tilde => Some(errors::sampling_outside_model(span, block_name(block))),
            _ => Some(errors::target_outside_model(span)),
        }
    }

    /// `jacobian +=` (Stan 2.36): the transformed parameters block and `_jacobian` functions.
    /// It adds to the target like `target +=`, except in the density without the Jacobian.
    fn may_increment_jacobian(&self) -> bool {
        self.block == BlockKind::TransformedParameters
            && self.inline_stack.last().is_none_or(|f| f.ends_with("_jacobian"))
    }

    /// Whether this is the log density without the Jacobian (`jacobian=0`), where the
    /// parameters' transforms, `jacobian +=` and the `_jacobian` functions add nothing.
    pub(crate) fn drops_jacobian(&self) -> bool {
        matches!(self.mode, Mode::LogDensity { jacobian: false, .. })
    }

    /// A condition as an int atom (nonzero = true).
    pub(crate) fn truth(&mut self, c: Val, span: grammar::Span) -> Atom {
        if c.ty == Ty::ERROR {
            return Atom::Int(0);
        }
        if c.ty != Ty::INT {
            self.error(errors::condition_not_int(span, c.ty));
            return Atom::Int(0);
        }
        self.snapshot(c.atom)
    }

    /// The current value of a mutable scalar as an immutable `Let` (other atoms unchanged).
    pub(crate) fn snapshot(&mut self, a: Atom) -> Atom {
        match a {
            Atom::Var(v) if self.f.vars[v as usize].kind == VarKind::Mutable => {
                let ty = self.f.ty(v);
                self.let_(ty, Expr::Atom(a))
            }
            a => a,
        }
    }

    fn lower_decl(&mut self, d: &ast::VarDecl, rest: &[ast::Stmt]) {
        let ty = decl_ty(&d.ty);
        let origin = match self.block {
            BlockKind::Model => None,
            b => Some(b),
        };
        // Stan treats every local of the model, transformed parameters and generated
        // quantities blocks as parameter-dependent (an autodiff variable).
        let data = matches!(self.block, BlockKind::TransformedData | BlockKind::Data);
        let reassigned = rest.iter().any(|s| assigns(s, &d.name.name));
        if ty.is_tuple() {
            self.lower_tuple_decl(d, ty, origin, data, reassigned);
            return;
        }
        let dims = self.decl_dims(&d.ty);
        let init = d.init.as_ref().map(|e| (self.expr(e), e.span));
        if let Some((v, span)) = init
            && !reassigned
            && !self.is_mutable_var(v.atom)
        {
            // Never assigned again: the name is bound to the value itself.
            let v = self.convert(v, ty, span, &d.name.name);
            self.check_sizes(v, &dims, span, &d.name.name);
            if ty.is_complex() {
                // A pair of its own, so that the name does not rename another value's parts.
                let im = self.imag_of(v);
                let v = self.complex(v.atom, im, ty, v.data);
                let var = v.atom.var().expect("a complex value's real part is a variable");
                self.f.vars[var as usize].name = Some(format!("{}.re", d.name.name));
                if let Atom::Var(im) = im {
                    self.f.vars[im as usize].name.get_or_insert_with(|| format!("{}.im", d.name.name));
                }
                let binding = Binding { var, ty, data: data || v.data, origin, assignable: false, span: d.name.span };
                self.bind(&d.name, binding);
                return;
            }
            let var = match v.atom {
                Atom::Var(var) if self.f.vars[var as usize].name.is_none() => var,
                atom => {
                    let Atom::Var(var) = self.let_(ty, Expr::Atom(atom)) else {
                        unreachable!("let_ returns a variable")
                    };
                    var
                }
            };
            self.f.vars[var as usize].name = Some(d.name.name.clone());
            self.bind(&d.name, Binding { var, ty, data: data || v.data, origin, assignable: false, span: d.name.span });
            return;
        }
        let var = if ty.is_complex() {
            self.complex_mutable(&d.name.name, ty, &dims)
        } else {
            let var = self.f.new_var(Some(d.name.name.clone()), ty, VarKind::Mutable);
            self.emit(Stmt::Decl { var, dims: dims.clone() });
            var
        };
        self.bind(&d.name, Binding { var, ty, data, origin, assignable: true, span: d.name.span });
        if let Some((v, span)) = init {
            let v = self.convert(v, ty, span, &d.name.name);
            self.store_whole(var, ty, v, span, &d.name.name);
        }
    }

    /// A tuple declaration: bound to its value when it is never assigned again and the value
    /// holds no mutable variable; otherwise a mutable variable per leaf.
    fn lower_tuple_decl(&mut self, d: &ast::VarDecl, ty: Ty, origin: Option<BlockKind>, data: bool, reassigned: bool) {
        let leaves = tuples::leaves(d);
        let init = d.init.as_ref().map(|e| (self.expr(e), e.span));
        if let Some((v, span)) = init
            && !reassigned
            && !self.holds_mutable(v)
        {
            let v = self.convert(v, ty, span, &d.name.name);
            for (leaf, value) in leaves.iter().zip(self.leaf_values(v)) {
                let dims = self.decl_dims(&leaf.decl.ty);
                self.check_sizes(value, &dims, span, &leaf.decl.name.name);
            }
            // A value that failed to check was reported.
            let Some(var) = v.atom.var() else { return };
            let binding = Binding { var, ty, data: data || v.data, origin, assignable: false, span: d.name.span };
            self.bind(&d.name, binding);
            return;
        }
        let mut parts = Vec::new();
        for leaf in &leaves {
            let leaf_ty = decl_ty(&leaf.decl.ty);
            let dims = self.decl_dims(&leaf.decl.ty);
            let var = if leaf_ty.is_complex() {
                self.complex_mutable(&leaf.decl.name.name, leaf_ty, &dims)
            } else {
                let var = self.f.new_var(Some(leaf.decl.name.name.clone()), leaf_ty, VarKind::Mutable);
                self.emit(Stmt::Decl { var, dims });
                var
            };
            parts.push(Val { atom: Atom::Var(var), ty: leaf_ty, data });
        }
        let value = self.assemble(ty, &mut parts.into_iter());
        let var = value.atom.var().expect("a tuple value is a variable");
        self.bind(&d.name, Binding { var, ty, data, origin, assignable: true, span: d.name.span });
        if let Some((v, span)) = init {
            let v = self.convert(v, ty, span, &d.name.name);
            self.store_whole(var, ty, v, span, &d.name.name);
        }
    }

    fn is_mutable_var(&self, a: Atom) -> bool {
        matches!(a, Atom::Var(v) if self.f.vars[v as usize].kind == VarKind::Mutable)
    }

    /// Promotes an int value to real (and int arrays to real arrays) where the target type
    /// asks for it; reports a type mismatch otherwise.
    pub(crate) fn convert(&mut self, v: Val, target: Ty, span: grammar::Span, name: &str) -> Val {
        if v.ty == Ty::ERROR {
            return Val { atom: Atom::Real(f64::NAN), ty: target, data: true };
        }
        if v.ty == target {
            return v;
        }
        if target.is_tuple() || v.ty.is_tuple() {
            let fits = v.ty.array_rank == target.array_rank && v.ty.components().len() == target.components().len();
            if !fits || !target.is_tuple() || !v.ty.is_tuple() {
                self.error(errors::assign_type_mismatch(span, name, target, v.ty));
                return Val { atom: Atom::Real(f64::NAN), ty: target, data: true };
            }
            // Each component promoted on its own (int to real, real to complex).
            let parts: Vec<Val> = self
                .components_of(v)
                .into_iter()
                .zip(target.components())
                .map(|(c, t)| self.convert(c, t, span, name))
                .collect();
            return self.tuple(target, parts);
        }
        let same_shape = v.ty.array_rank == target.array_rank && v.ty.core == target.core;
        if same_shape && target.is_complex() {
            return self.as_complex(v);
        }
        if same_shape && v.ty.elem == Elem::Int && target.elem == Elem::Real {
            if v.ty.is_scalar() {
                let atom = self.to_real(v);
                return Val { atom, ty: target, data: v.data };
            }
            return self.map_elementwise(&[v], target, &mut |l, xs| l.prim(Prim::ToReal, &[xs[0]]), span);
        }
        self.error(errors::assign_type_mismatch(span, name, target, v.ty));
        Val { atom: Atom::Real(f64::NAN), ty: target, data: true }
    }

    fn check_sizes(&mut self, v: Val, dims: &[Atom], span: grammar::Span, name: &str) {
        for (i, expected) in dims.iter().enumerate() {
            let found = self.dim(v.atom, i);
            let ok = self.prim(Prim::IEq, &[found, *expected]);
            let message = format!(
                "size mismatch in the value of `{name}`: dimension {} is {{}}, but the declaration says {{}}",
                i + 1
            );
            self.check(ok, ErrorKind::Index, message, span, vec![found, *expected]);
        }
    }

    /// `var = v` for a whole variable.
    fn store_whole(&mut self, var: u32, ty: Ty, v: Val, span: grammar::Span, name: &str) {
        if ty.is_tuple() {
            // Leaf by leaf: each leaf of a tuple variable is a variable of its own.
            let target = self.leaf_values(Val { atom: Atom::Var(var), ty, data: true });
            for (t, x) in target.into_iter().zip(self.leaf_values(v)) {
                let Atom::Var(t_var) = t.atom else { continue };
                self.store_whole(t_var, t.ty, x, span, name);
            }
            return;
        }
        if ty.is_complex() {
            let (re, im) = self.both_parts(v);
            let Atom::Var(im_var) = self.imag_of(Val { atom: Atom::Var(var), ty, data: true }) else {
                unreachable!("a complex variable's imaginary part is a variable")
            };
            self.store_whole(var, ty.part(), re, span, name);
            self.store_whole(im_var, ty.part(), im, span, name);
            return;
        }
        if ty.is_scalar() {
            self.emit(Stmt::Assign { var, indices: vec![], value: v.atom });
            return;
        }
        let dims = self.dims(Atom::Var(var), ty);
        self.check_sizes(v, &dims, span, name);
        let Atom::Var(src) = v.atom else { return };
        self.emit(Stmt::Copy { dst: var, src });
    }

    fn lower_assign(&mut self, lhs: &ast::Expr, op: AssignOp, rhs: &ast::Expr) {
        if let ast::ExprKind::TupleLit(_) = &lhs.kind {
            // Unpacking: the whole right side is computed before any place is assigned, so
            // `(a, b) = (b, a)` swaps.
            let v = self.expr(rhs);
            if v.ty == Ty::ERROR {
                return;
            }
            let v = self.frozen(v);
            self.unpack(lhs, v, rhs.span);
            return;
        }
        let Some(place) = self.place(lhs) else { return };
        let rhs_v = self.expr(rhs);
        let value = match op {
            AssignOp::Assign => rhs_v,
            _ => {
                let cur = self.expr(lhs);
                let bin = match op {
                    AssignOp::Add => BinOp::Add,
                    AssignOp::Sub => BinOp::Sub,
                    AssignOp::Mul => BinOp::Mul,
                    AssignOp::Div => BinOp::Div,
                    AssignOp::EltMul => BinOp::EltMul,
                    AssignOp::EltDiv => BinOp::EltDiv,
                    AssignOp::Assign => unreachable!("handled above"),
                };
                self.binary(bin, cur, rhs_v, lhs.span.to(rhs.span))
            }
        };
        self.store_place(&place, value, lhs.span, rhs.span);
    }

    /// One place of an unpacking `(a, (b, c[i])) = v` receives its part of `v`.
    fn unpack(&mut self, pattern: &ast::Expr, v: Val, rhs_span: grammar::Span) {
        if let ast::ExprKind::TupleLit(items) = &pattern.kind {
            for (item, c) in items.iter().zip(self.components_of(v)) {
                self.unpack(item, c, rhs_span);
            }
            return;
        }
        if let Some(place) = self.place(pattern) {
            self.store_place(&place, v, pattern.span, rhs_span);
        }
    }

    /// `v` with every leaf that is a mutable variable copied (its value now, whatever is
    /// assigned later).
    fn frozen(&mut self, v: Val) -> Val {
        let ty = v.ty;
        self.map_leaves(v, ty, &mut |l, leaf, _| {
            if leaf.ty.is_complex() {
                let (re, im) = l.both_parts(leaf);
                let (re, im) = (l.copy_of(re), l.copy_of(im));
                return l.from_parts(re, im);
            }
            l.copy_of(leaf)
        })
    }

    /// A real or int value as it is now: a mutable variable copied, anything else unchanged.
    fn copy_of(&mut self, v: Val) -> Val {
        if !self.is_mutable_var(v.atom) {
            return v;
        }
        if v.ty.is_scalar() {
            return Val { atom: self.snapshot(v.atom), ..v };
        }
        let (dims, Atom::Var(src)) = (self.dims(v.atom, v.ty), v.atom) else { return v };
        let var = self.f.new_var(None, v.ty, VarKind::Mutable);
        self.emit(Stmt::Decl { var, dims });
        self.emit(Stmt::Copy { dst: var, src });
        Val { atom: Atom::Var(var), ..v }
    }

    /// The place an assignment writes, with its variable checked to be assignable here.
    fn place<'e>(&mut self, lhs: &'e ast::Expr) -> Option<Place<'e>> {
        let Some((name, steps)) = place_steps(lhs) else {
            self.error(errors::not_supported(lhs.span, "this assignment target"));
            return None;
        };
        let Some(b) = self.lookup(&name.name).cloned() else {
            let d = errors::undefined_variable(name.span, &name.name, self.names_in_scope());
            self.error(d);
            return None;
        };
        if !b.assignable || (b.origin.is_some() && b.origin != Some(self.block)) {
            let block = match b.origin {
                Some(k) => block_name(k),
                None => "enclosing",
            };
            self.error(errors::assign_to_readonly(name.span, &name.name, block));
            return None;
        }
        Some(Place { name, binding: b, steps })
    }

    /// `place = value`. Indices before a tuple's component select from the tuple's arrays,
    /// which lead the component's own dimensions, so they index it first; a whole tuple is
    /// assigned leaf by leaf.
    fn store_place(&mut self, place: &Place, value: Val, lhs_span: grammar::Span, rhs_span: grammar::Span) {
        let b = &place.binding;
        let mut target = Val { atom: Atom::Var(b.var), ty: b.ty, data: b.data };
        let mut indices: Vec<ast::Index> = Vec::new();
        let mut nested = 0;
        for step in &place.steps {
            match step {
                Step::Index(ix) => {
                    nested = indices.len();
                    indices.extend(ix.iter().cloned());
                }
                Step::Get(k) => match self.components_of(target).get(k.wrapping_sub(1)) {
                    Some(c) if target.ty.is_tuple() => target = *c,
                    _ => {
                        self.error(errors::not_supported(lhs_span, "this assignment target"));
                        return;
                    }
                },
            }
        }
        if target.ty.is_tuple() && value.ty == Ty::ERROR {
            return;
        }
        let name = &place.name.name;
        for (t, v) in self.leaf_values(target).into_iter().zip(self.leaf_values(value)) {
            self.store_leaf(t, &indices, nested, v, lhs_span, rhs_span, name);
        }
    }

    /// `var[indices] = value` for a variable `target` that is not a tuple; `nested` positions
    /// come from inner brackets (`a[i][j]`), which must hold single indices.
    #[allow(clippy::too_many_arguments)]
    fn store_leaf(
        &mut self,
        target: Val,
        indices: &[ast::Index],
        nested: usize,
        value: Val,
        lhs_span: grammar::Span,
        rhs_span: grammar::Span,
        name: &str,
    ) {
        let Atom::Var(var) = target.atom else { return };
        let Some(ix) = self.resolve_indices(target, indices, lhs_span) else { return };
        // `a[i][j]` is `a[i, j]` only when the inner brackets hold single indices.
        if !ix.single_before(nested) {
            self.error(errors::not_supported(lhs_span, "assignment to a nested multi-index or slice"));
            return;
        }
        let value = self.convert(value, ix.ty, rhs_span, name);
        if target.ty.is_complex() {
            // Each part of the variable gets the same part of the value.
            let (re, im) = self.both_parts(value);
            let Atom::Var(im_var) = self.imag_of(target) else {
                unreachable!("a complex variable's imaginary part is a variable")
            };
            let part = ix.part();
            let ty = target.ty.part();
            self.store_selection(var, ty, &part, indices.is_empty(), re, lhs_span, rhs_span, name);
            self.store_selection(im_var, ty, &part, indices.is_empty(), im, lhs_span, rhs_span, name);
            return;
        }
        self.store_selection(var, target.ty, &ix, indices.is_empty(), value, lhs_span, rhs_span, name);
    }

    /// `var[selection] = value`, the value checked to have the selection's type (`whole`: no
    /// indices were written).
    #[allow(clippy::too_many_arguments)]
    fn store_selection(
        &mut self,
        var: u32,
        ty: Ty,
        ix: &Indexing,
        whole: bool,
        value: Val,
        lhs_span: grammar::Span,
        rhs_span: grammar::Span,
        name: &str,
    ) {
        if let Some(single) = ix.all_single()
            && ix.ty.is_scalar()
        {
            if single.is_empty() {
                self.store_whole(var, ty, value, rhs_span, name);
            } else {
                self.emit(Stmt::Assign { var, indices: single, value: value.atom });
            }
            return;
        }
        if whole {
            self.store_whole(var, ty, value, rhs_span, name);
            return;
        }
        // A selection (slab, slice or multi-index): element by element, after checking that
        // the value has the selection's sizes.
        self.check_sizes(value, &ix.dims, rhs_span, name);
        let Atom::Var(src) = value.atom else { return };
        let scalar = Ty { elem: ix.ty.elem, array_rank: 0, core: Core::Scalar };
        let dims = ix.dims.clone();
        self.for_each_index(&dims, ix.ty.core, &mut |l, idx| {
            let x = l.let_(scalar, Expr::Load { base: src, indices: idx.to_vec() });
            let target = l.source_indices(ix, idx, lhs_span);
            l.emit(Stmt::Assign { var, indices: target, value: x });
        });
    }
}

/// An assignment's target: its variable, and the steps from it (brackets, tuple components).
pub(crate) struct Place<'e> {
    name: &'e ast::Ident,
    binding: Binding,
    steps: Vec<Step<'e>>,
}

enum Step<'e> {
    Index(&'e [ast::Index]),
    /// The 1-based component of a tuple.
    Get(usize),
}

/// The variable an assignment target `a[i].2[j]` starts from, and the steps to the place.
fn place_steps(lhs: &ast::Expr) -> Option<(&ast::Ident, Vec<Step<'_>>)> {
    match &lhs.kind {
        ast::ExprKind::Var(id) => Some((id, Vec::new())),
        ast::ExprKind::Index { base, indices } => {
            let (id, mut steps) = place_steps(base)?;
            steps.push(Step::Index(indices));
            Some((id, steps))
        }
        ast::ExprKind::TupleGet { base, index } => {
            let (id, mut steps) = place_steps(base)?;
            steps.push(Step::Get(*index));
            Some((id, steps))
        }
        _ => None,
    }
}

/// Whether an assignment target (a place, or an unpacking's pattern) writes to `name`.
fn target_writes(lhs: &ast::Expr, name: &str) -> bool {
    match &lhs.kind {
        ast::ExprKind::TupleLit(items) => items.iter().any(|i| target_writes(i, name)),
        _ => place_steps(lhs).is_some_and(|(id, _)| id.name == name),
    }
}

/// Whether `s` assigns to `name` anywhere inside it.
fn assigns(s: &ast::Stmt, name: &str) -> bool {
    match &s.kind {
        StmtKind::Assign { lhs, .. } => target_writes(lhs, name),
        StmtKind::For { body, .. } | StmtKind::ForEach { body, .. } | StmtKind::While { body, .. } => {
            assigns(body, name)
        }
        StmtKind::If { then, otherwise, .. } => {
            assigns(then, name) || otherwise.as_ref().is_some_and(|o| assigns(o, name))
        }
        StmtKind::Block(stmts) | StmtKind::Profile { body: stmts, .. } => stmts.iter().any(|s| assigns(s, name)),
        _ => false,
    }
}

pub fn block_name(k: BlockKind) -> &'static str {
    k.keyword()
}
