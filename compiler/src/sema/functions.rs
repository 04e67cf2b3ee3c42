//! User-defined functions, inlined at each call site.
//!
//! A call lowers the function's body in a scope that holds only its arguments (Stan functions
//! see nothing of the program's variables), so the IR never contains calls and the
//! differentiation needs no rule for them. Not supported yet, each with its diagnostic:
//! recursion, a `return` before the end of the body (other than in the branches of a final
//! `if`/`else`), and container results chosen by a branch.

use std::collections::HashMap;

use grammar::Span;
use grammar::ast::{self, ReturnType, StmtKind};

use crate::ir::{Atom, Elem, Expr, Stmt, Ty, VarKind};
use crate::sema::{Binding, Lowerer, Val, errors, kind_ty};

/// The IR type of an unsized type in a signature.
pub fn unsized_ty(t: &ast::UnsizedType) -> Ty {
    let (elem, core) = kind_ty(&t.kind);
    Ty { elem, array_rank: t.array_dims as u8, core }
}

/// Whether a value of type `from` can be passed where `to` is expected (int promotes to real).
fn assignable(from: Ty, to: Ty) -> bool {
    if from.is_tuple() || to.is_tuple() {
        let (fs, ts) = (from.components(), to.components());
        return from.is_tuple()
            && to.is_tuple()
            && from.array_rank == to.array_rank
            && fs.len() == ts.len()
            && fs.iter().zip(&ts).all(|(f, t)| assignable(*f, *t));
    }
    let promotes = match (from.elem, to.elem) {
        (Elem::Int, Elem::Real | Elem::Complex) | (Elem::Real, Elem::Complex) => true,
        _ => from.elem == to.elem,
    };
    from == to || (from.array_rank == to.array_rank && from.core == to.core && promotes)
}

impl Lowerer<'_> {
    /// The definitions of user-defined functions by name (overloads in source order).
    pub(crate) fn collect_functions(program: &ast::Program) -> HashMap<String, Vec<ast::FunDef>> {
        let mut map: HashMap<String, Vec<ast::FunDef>> = HashMap::new();
        for s in program.functions.iter().flat_map(|b| &b.stmts) {
            if let StmtKind::FunDef(f) = &s.kind
                && f.body.is_some()
            {
                map.entry(f.name.name.clone()).or_default().push(f.clone());
            }
        }
        // A declaration never defined is known by name (its calls lower to nothing; the type
        // checker reports it once, E1038), so its calls are not "unknown function" as well.
        for s in program.functions.iter().flat_map(|b| &b.stmts) {
            if let StmtKind::FunDef(f) = &s.kind
                && f.body.is_none()
            {
                let overloads = map.entry(f.name.name.clone()).or_default();
                let types = |d: &ast::FunDef| d.params.iter().map(|p| p.ty.kind.clone()).collect::<Vec<_>>();
                if !overloads.iter().any(|d| types(d) == types(f)) {
                    overloads.push(f.clone());
                }
            }
        }
        map
    }

    /// Where a user function with a suffix may be called: `_lp` functions add to `target`
    /// (model, transformed parameters), `_rng` functions draw (transformed data, generated
    /// quantities), `_jacobian` functions add to the Jacobian (transformed parameters); each
    /// also from a function of its own kind. The call is blamed, not the body.
    fn suffix_call_refusal(&self, name: &ast::Ident) -> Option<grammar::Diagnostic> {
        use ast::BlockKind::{GeneratedQuantities, Model, TransformedData, TransformedParameters};
        type Refusal = fn(Span, &str) -> grammar::Diagnostic;
        let rules: [(&str, &[ast::BlockKind], Refusal); 3] = [
            ("_lp", &[Model, TransformedParameters], errors::lp_function_outside_model),
            ("_rng", &[GeneratedQuantities, TransformedData], errors::rng_outside_gq),
            ("_jacobian", &[TransformedParameters], errors::jacobian_function_outside),
        ];
        let (suffix, blocks, refusal) = rules.into_iter().find(|(suffix, _, _)| name.name.ends_with(suffix))?;
        let in_own_kind = self.inline_stack.last().is_some_and(|f| f.ends_with(suffix));
        (!in_own_kind && !blocks.contains(&self.block)).then(|| refusal(name.span, &name.name))
    }

    /// Calls the user-defined function `name` with already lowered arguments.
    pub(crate) fn call_user(&mut self, name: &ast::Ident, vals: &[Val], span: Span) -> Val {
        let defs = self.functions.get(&name.name).cloned().unwrap_or_default();
        // The overload the type checker resolved the call to; none when it resolved the call to
        // the library's signatures of the name.
        let Some(def) = defs.iter().find(|d| self.typed.calls(name.span, &name.name, d) == Some(true)) else {
            let what = if crate::catalog::is_builtin(&name.name) {
                "a built-in function called beside a user overload of its name"
            } else {
                "a call of a user-defined function the type checker did not resolve"
            };
            self.error(errors::not_supported(span, what));
            return Val::error();
        };
        if let Some(d) = self.suffix_call_refusal(name) {
            self.error(d);
            return Val::error();
        }
        if self.inline_stack.contains(&name.name) {
            self.error(errors::not_supported(span, "recursive functions"));
            return Val::error();
        }
        let ret = match &def.return_type {
            ReturnType::Void(_) => None,
            ReturnType::Type(t) => Some(unsized_ty(t)),
        };
        let Some(body) = &def.body else { return Val::error() };
        // The function sees only its arguments.
        let saved_scopes = std::mem::replace(&mut self.scopes, vec![HashMap::new()]);
        self.inline_stack.push(name.name.clone());
        let mut data = true;
        for (p, v) in def.params.iter().zip(vals) {
            let ty = unsized_ty(&p.ty);
            let v = self.convert(*v, ty, span, &p.name.name);
            data &= v.data;
            if ty.is_tuple() {
                let Atom::Var(var) = v.atom else { continue };
                let binding = Binding { var, ty, data: v.data, origin: None, assignable: false, span: p.name.span };
                self.scopes.last_mut().expect("function scope").insert(p.name.name.clone(), binding);
                continue;
            }
            if ty.is_complex() {
                // A pair of its own (the argument's real part may be a constant or a slot).
                let im = self.imag_of(v);
                let v = self.complex(v.atom, im, ty, v.data);
                let var = v.atom.var().expect("a complex value's real part is a variable");
                let binding = Binding { var, ty, data: v.data, origin: None, assignable: false, span: p.name.span };
                self.scopes.last_mut().expect("function scope").insert(p.name.name.clone(), binding);
                continue;
            }
            let var = match v.atom {
                Atom::Var(var) => var,
                atom => {
                    let Atom::Var(var) = self.let_(ty, Expr::Atom(atom)) else {
                        unreachable!("let_ returns a variable")
                    };
                    var
                }
            };
            let binding = Binding { var, ty, data: v.data, origin: None, assignable: false, span: p.name.span };
            self.scopes.last_mut().expect("function scope").insert(p.name.name.clone(), binding);
        }
        let stmts: Vec<ast::Stmt> = match &body.kind {
            StmtKind::Block(stmts) => stmts.clone(),
            _ => vec![(**body).clone()],
        };
        let result = self.lower_function_body(&stmts, ret, &def.name.name);
        self.inline_stack.pop();
        self.scopes = saved_scopes;
        match (ret, result) {
            (None, _) => Val { atom: Atom::Int(0), ty: Ty::INT, data: true },
            (Some(_), Some(v)) => Val { data: v.data && data, ..v },
            (Some(_), None) => Val::error(),
        }
    }

    /// Lowers a function body whose `return`s are in tail position; returns the result.
    fn lower_function_body(&mut self, stmts: &[ast::Stmt], ret: Option<Ty>, fname: &str) -> Option<Val> {
        let Some((last, init)) = stmts.split_last() else {
            return None;
        };
        for (i, s) in init.iter().enumerate() {
            if contains_return(s) {
                self.error(errors::not_supported(s.span, "a `return` before the end of a function"));
                return None;
            }
            self.lower_one(s, &init[i + 1..]);
        }
        match (&last.kind, ret) {
            (StmtKind::Return(Some(e)), Some(ty)) => {
                let v = self.expr(e);
                if v.ty == Ty::ERROR {
                    // Already reported; converting it would give a value of the declared type.
                    return None;
                }
                if !assignable(v.ty, ty) {
                    self.error(errors::return_type_mismatch(e.span, fname, ty, v.ty));
                    return None;
                }
                Some(self.convert(v, ty, e.span, fname))
            }
            (StmtKind::Return(None), None) => None,
            (StmtKind::If { cond, then, otherwise: Some(otherwise) }, Some(ty)) if contains_return(last) => {
                if !ty.is_scalar() || ty.is_complex() || ty.is_tuple() {
                    let what = if ty.is_complex() {
                        "a complex number"
                    } else if ty.is_tuple() {
                        "a tuple"
                    } else {
                        "a container"
                    };
                    self.error(errors::not_supported(
                        last.span,
                        &format!("a function returning {what} from inside `if`/`else`"),
                    ));
                    return None;
                }
                let c = self.expr(cond);
                let c = self.truth(c, cond.span);
                let result = self.f.new_var(None, ty, VarKind::Mutable);
                self.emit(Stmt::Decl { var: result, dims: vec![] });
                let mut data = true;
                for (branch, is_then) in [(then, true), (otherwise, false)] {
                    self.open();
                    self.push_scope();
                    let stmts: Vec<ast::Stmt> = match &branch.kind {
                        StmtKind::Block(s) => s.clone(),
                        _ => vec![(**branch).clone()],
                    };
                    if let Some(v) = self.lower_function_body(&stmts, ret, fname) {
                        data &= v.data;
                        self.emit(Stmt::Assign { var: result, indices: vec![], value: v.atom });
                    }
                    self.pop_scope();
                    let block = self.close();
                    if is_then {
                        self.open();
                        self.out.last_mut().expect("just opened").extend(block);
                    } else {
                        let then_block = self.close();
                        self.emit(Stmt::If { cond: c, then: then_block, otherwise: block });
                    }
                }
                let atom = self.let_(ty, Expr::Atom(Atom::Var(result)));
                Some(Val { atom, ty, data })
            }
            // Stan requires a return on every path; a loop or a one-armed `if` does not give one.
            // The type checker reports it, at the function's name (it sees every function).
            _ if ret.is_some() && !always_returns(last) => None,
            _ if contains_return(last) => {
                self.error(errors::not_supported(last.span, "a `return` inside a loop or a one-armed `if`"));
                None
            }
            _ => {
                self.lower_one(last, &[]);
                match ret {
                    // `reject` or `fatal_error` ends every path here (the arms above took the
                    // rest): the value is never read.
                    Some(ty) if ty.is_scalar() && !ty.is_tuple() => {
                        let atom = if ty.elem == Elem::Int { Atom::Int(0) } else { Atom::Real(0.0) };
                        Some(Val { atom, ty, data: true })
                    }
                    Some(_) => {
                        self.error(errors::not_supported(
                            last.span,
                            "a function returning a container that ends in `reject`",
                        ));
                        None
                    }
                    None => None,
                }
            }
        }
    }
}

/// Whether every path through `s` ends in `return`, `reject` or `fatal_error` (Stan's rule for
/// the body of a function that returns a value: loops never count, since they may not run).
pub(super) fn always_returns(s: &ast::Stmt) -> bool {
    match &s.kind {
        StmtKind::Return(_) | StmtKind::Reject(_) | StmtKind::FatalError(_) => true,
        StmtKind::If { then, otherwise: Some(otherwise), .. } => always_returns(then) && always_returns(otherwise),
        StmtKind::Block(stmts) | StmtKind::Profile { body: stmts, .. } => stmts.iter().any(always_returns),
        _ => false,
    }
}

/// Whether a statement contains a `return` anywhere inside it.
fn contains_return(s: &ast::Stmt) -> bool {
    match &s.kind {
        StmtKind::Return(_) => true,
        StmtKind::For { body, .. } | StmtKind::ForEach { body, .. } | StmtKind::While { body, .. } => {
            contains_return(body)
        }
        StmtKind::If { then, otherwise, .. } => {
            contains_return(then) || otherwise.as_ref().is_some_and(|o| contains_return(o))
        }
        StmtKind::Block(stmts) | StmtKind::Profile { body: stmts, .. } => stmts.iter().any(contains_return),
        _ => false,
    }
}
