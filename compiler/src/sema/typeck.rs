//! The type checker of the whole language, on the AST alone: Stan's types (complex, tuples and
//! every container), overload resolution against the built-in catalog and the user's
//! functions, and the rules lowering cannot see because it only walks what it compiles.
//!
//! Types are checked here and nowhere else. This pass runs first (`sema::check`), checks every
//! function body once, at its definition, and records what it decided in [`Typed`]: the type
//! of every expression and the overload every call of a user-defined function resolves to.
//! Lowering follows that record: it calls the overload chosen here, and the value it computes
//! for an expression is made the type recorded here (an int where Stan says real is promoted);
//! where it cannot be, the construct is one vppl cannot compile yet (E1099), never a second
//! opinion on the program's types.
//!
//! Where a type cannot be known (after an error, or for a construct it does not model) it is
//! [`Type::Unknown`], which every rule accepts: one mistake, one diagnostic.

use std::collections::HashMap;
use std::fmt;

use crate::catalog::{self, ArgType, BaseType, Resolution};
use grammar::ast::{self, BinOp, BlockKind, ExprKind, Index, StmtKind, TypeKind, UnOp};
use grammar::{Diagnostic, Span};

use super::errors;

/// A Stan type.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// A base type inside `n` levels of arrays.
    Base(BaseType, u8),
    /// A tuple inside `n` levels of arrays.
    Tuple(Vec<Type>, u8),
    Unknown,
}

impl Type {
    const INT: Type = Type::Base(BaseType::Int, 0);
    const REAL: Type = Type::Base(BaseType::Real, 0);

    fn is_int(&self) -> bool {
        matches!(self, Type::Base(BaseType::Int, 0))
    }

    fn array_dims(&self) -> u8 {
        match self {
            Type::Base(_, n) | Type::Tuple(_, n) => *n,
            Type::Unknown => 0,
        }
    }

    fn with_dims(&self, n: u8) -> Type {
        match self {
            Type::Base(b, _) => Type::Base(*b, n),
            Type::Tuple(ts, _) => Type::Tuple(ts.clone(), n),
            Type::Unknown => Type::Unknown,
        }
    }

    /// Whether every value of type `from` can be stored in a variable of type `self`
    /// (int → real → complex, element by element in containers of the same shape).
    fn accepts(&self, from: &Type) -> bool {
        match (self, from) {
            (Type::Unknown, _) | (_, Type::Unknown) => true,
            (Type::Base(to, n), Type::Base(b, m)) => n == m && b.promotion_cost(*to).is_some(),
            (Type::Tuple(to, n), Type::Tuple(ts, m)) => {
                n == m && to.len() == ts.len() && to.iter().zip(ts).all(|(a, b)| a.accepts(b))
            }
            _ => false,
        }
    }

    /// The promotions an argument of this type needs to be passed as `param`.
    fn cost_to(&self, param: &Type) -> Option<u32> {
        match (self, param) {
            (Type::Unknown, _) | (_, Type::Unknown) => Some(0),
            (Type::Base(b, n), Type::Base(to, m)) if n == m => b.promotion_cost(*to),
            (Type::Tuple(ts, n), Type::Tuple(to, m)) if n == m && ts.len() == to.len() => {
                ts.iter().zip(to).map(|(a, b)| a.cost_to(b)).sum()
            }
            _ => None,
        }
    }

    /// The smallest type both can be promoted to.
    fn join(&self, other: &Type) -> Option<Type> {
        if self.accepts(other) {
            Some(self.clone())
        } else if other.accepts(self) {
            Some(other.clone())
        } else {
            None
        }
    }

    fn arg_type(&self, data: bool) -> Option<ArgType> {
        match self {
            Type::Base(b, n) => Some(ArgType { base: *b, array_dims: *n, data_only: data }),
            _ => None,
        }
    }

    fn from_arg(a: ArgType) -> Type {
        Type::Base(a.base, a.array_dims)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        catalog::write_array_prefix(f, self.array_dims())?;
        match self {
            Type::Base(b, _) => f.write_str(b.name()),
            Type::Tuple(ts, _) => catalog::write_tuple(f, ts),
            Type::Unknown => f.write_str("<unknown>"),
        }
    }
}

/// The Stan type of a declared kind in `dims` levels of arrays (`simplex` stores a vector).
fn stan_type(kind: &TypeKind, dims: usize) -> Type {
    match kind {
        TypeKind::Tuple(ts) => Type::Tuple(ts.iter().map(decl_type).collect(), dims as u8),
        k => BaseType::from_name(k.plain().keyword()).map_or(Type::Unknown, |b| Type::Base(b, dims as u8)),
    }
}

fn decl_type(t: &ast::DeclType) -> Type {
    stan_type(&t.kind, t.array_dims.len())
}

fn unsized_type(t: &ast::UnsizedType) -> Type {
    stan_type(&t.kind, t.array_dims)
}

fn return_type(f: &ast::FunDef) -> Option<Type> {
    match &f.return_type {
        ast::ReturnType::Void(_) => None,
        ast::ReturnType::Type(t) => Some(unsized_type(t)),
    }
}

fn return_type_span(f: &ast::FunDef) -> Span {
    match &f.return_type {
        ast::ReturnType::Void(span) => *span,
        ast::ReturnType::Type(t) => t.span,
    }
}

/// From the return type to the last parameter: where a definition's signature is written.
fn signature_span(f: &ast::FunDef) -> Span {
    let end = f.params.last().map_or(f.name.span, |p| p.name.span);
    return_type_span(f).to(end)
}

/// `(array[] real, real)`: a signature's argument types.
fn param_list(f: &ast::FunDef) -> String {
    let ps: Vec<String> = f.params.iter().map(|p| data_prefix(p.ty.data_only, &unsized_type(&p.ty))).collect();
    format!("({})", ps.join(", "))
}

/// The rules on function signatures themselves, checked before anything else: every call of a
/// function with a wrong signature would otherwise report the consequence (an unknown
/// distribution, a `void` value) instead of the cause.
pub fn check_signatures(program: &ast::Program) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let defs: Vec<&ast::FunDef> = program
        .functions
        .iter()
        .flat_map(|b| &b.stmts)
        .filter_map(|s| match &s.kind {
            StmtKind::FunDef(f) => Some(f),
            _ => None,
        })
        .collect();
    for f in &defs {
        let name = f.name.name.as_str();
        if let Some(d) = errors::reserved_name(f.name.span, name) {
            diags.push(d);
            continue;
        }
        // A new overload of a library name is fine; the library's own signature is not.
        let types: Option<Vec<(BaseType, u8)>> =
            f.params.iter().map(|p| unsized_type(&p.ty).arg_type(false).map(|a| (a.base, a.array_dims))).collect();
        if let Some(types) = types
            && catalog::lookup(name).any(|s| {
                !s.variadic
                    && s.args.len() == types.len()
                    && s.args.iter().zip(&types).all(|(a, t)| (a.base, a.array_dims) == *t)
            })
        {
            diags.push(errors::redefines_builtin(signature_span(f), name));
            continue;
        }
        if let Some(normalised) = super::builtins::user_normalised(name) {
            diags.push(errors::unnormalised_definition(f.name.span, name, &normalised));
            continue;
        }
        if catalog::is_conditional(name) {
            match return_type(f) {
                Some(t) if t == Type::REAL => {}
                other => {
                    let found = other.map_or("void".to_string(), |t| t.to_string());
                    diags.push(errors::density_return_type(return_type_span(f), name, &found, f.name.span));
                    continue;
                }
            }
        }
        // The variate decides between a density and a mass function.
        let wants_int = if name.ends_with("_lpdf") {
            Some(false)
        } else if name.ends_with("_lpmf") {
            Some(true)
        } else {
            None
        };
        if let (Some(wants_int), Some(p)) = (wants_int, f.params.first()) {
            let ty = unsized_type(&p.ty);
            if ty != Type::Unknown && is_int_based(&ty) != wants_int {
                let span = p.ty.span.to(p.name.span);
                diags.push(errors::density_variate(span, name, &p.name.name, &ty, f.name.span));
            }
        }
    }
    // Argument types as Stan writes them (`complex` is not `real`), without `data`, which
    // does not make an overload.
    let types = |f: &ast::FunDef| -> Vec<Type> { f.params.iter().map(|p| unsized_type(&p.ty)).collect() };
    // Two definitions with the same argument types.
    let bodies: Vec<&&ast::FunDef> = defs.iter().filter(|f| f.body.is_some()).collect();
    for (i, f) in bodies.iter().enumerate() {
        if let Some(first) = bodies[..i].iter().find(|g| g.name.name == f.name.name && types(g) == types(f)) {
            diags.push(errors::function_defined_twice(f.name.span, &f.name.name, first.name.span));
        }
    }
    // A forward declaration promises a definition with the same argument types.
    for decl in defs.iter().filter(|f| f.body.is_none()) {
        let same_name: Vec<&&ast::FunDef> =
            defs.iter().filter(|f| f.body.is_some() && f.name.name == decl.name.name).collect();
        if same_name.iter().any(|f| types(f) == types(decl)) {
            continue;
        }
        let d = match same_name.first() {
            None => errors::declared_not_defined(decl.name.span, &decl.name.name),
            Some(def) => errors::declaration_mismatch(
                decl.name.span,
                &decl.name.name,
                &param_list(decl),
                &param_list(def),
                signature_span(def),
            ),
        };
        diags.push(d);
    }
    diags
}

/// What the type checker decided, for lowering to follow.
#[derive(Debug, Default)]
pub struct Typed {
    /// The type of each expression, by its span (an expression's span is its own: parentheses
    /// are part of the span of the expression they wrap).
    types: HashMap<Span, Type>,
    /// Each call of a user-defined function, by where its name is written and the function it
    /// calls (`foo_lupdf` calls `foo_lpdf`): the parameter types of the overload it calls.
    /// A `~` statement's key is the distribution's name; a truncation's CDF calls are keyed
    /// by the truncation; a function passed to a higher-order function by its name there.
    user_calls: HashMap<(Span, String), Vec<Type>>,
}

impl Typed {
    /// The type the checker gave the expression at `span`, as the IR writes it; `None` where
    /// it is unknown, a tuple (whose components lowering keeps apart), or a function.
    pub fn ty(&self, span: Span) -> Option<crate::ir::Ty> {
        let Type::Base(base, dims) = self.types.get(&span)? else { return None };
        let (elem, core) = base.ir_parts()?;
        Some(crate::ir::Ty { elem, array_rank: *dims, core })
    }

    /// The Stan type the checker gave the expression at `span`, as Stan writes it
    /// (`array[] vector`); `None` where the checker saw no expression there.
    pub fn stan_type(&self, span: Span) -> Option<String> {
        self.types.get(&span).map(Type::to_string)
    }

    /// Whether the user's definition `def` is the overload the call of `name` written at
    /// `span` resolves to; `None` when the checker saw no such call.
    pub fn calls(&self, span: Span, name: &str, def: &ast::FunDef) -> Option<bool> {
        let params = self.user_calls.get(&(span, name.to_string()))?;
        Some(def.params.len() == params.len() && def.params.iter().zip(params).all(|(p, t)| unsized_type(&p.ty) == *t))
    }
}

/// What a checked expression is.
#[derive(Clone, Debug)]
struct Val {
    ty: Type,
    /// Depends on no parameter (only data, transformed data and constants).
    data: bool,
}

impl Val {
    fn unknown() -> Val {
        Val { ty: Type::Unknown, data: true }
    }
}

#[derive(Clone, Debug)]
struct Var {
    ty: Type,
    data: bool,
    kind: VarKind,
    /// Where it is declared (for the secondary label of a diagnostic).
    span: Span,
}

/// What declared a variable, which decides where it may be assigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VarKind {
    /// A local variable of a statement block, a function body or the model block.
    Local,
    /// A variable of a program block: assignable only in that block.
    Block(BlockKind),
    /// Function arguments are never assignable.
    Argument,
    /// Loop variables change only with the loop.
    Loop,
}

/// A user-defined function's signature.
#[derive(Clone, Debug)]
struct UserFn {
    params: Vec<(Type, bool)>,
    param_names: Vec<String>,
    param_spans: Vec<Span>,
    ret: Option<Type>,
    /// The signature as written (return type to last parameter).
    span: Span,
}

/// Where the statements being checked are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Block(BlockKind),
    /// The body of a function with this name.
    Function,
}

struct Checker {
    scopes: Vec<HashMap<String, Var>>,
    functions: HashMap<String, Vec<UserFn>>,
    diags: Vec<Diagnostic>,
    place: Place,
    /// Inside a function: its name and return type (`None` for void).
    function: Option<(String, Option<Type>)>,
    loops: usize,
    /// The call a statement makes for its effect alone (the one place a `void` call may be).
    statement_call: Option<Span>,
    typed: Typed,
}

/// Checks the whole program; returns its errors and warnings, and what it decided.
pub fn check(program: &ast::Program) -> (Vec<Diagnostic>, Typed) {
    let mut c = Checker {
        scopes: vec![HashMap::new()],
        functions: HashMap::new(),
        diags: Vec::new(),
        place: Place::Function,
        function: None,
        loops: 0,
        statement_call: None,
        typed: Typed::default(),
    };
    // Signatures first: functions may call each other in any order.
    for s in program.functions.iter().flat_map(|b| &b.stmts) {
        if let StmtKind::FunDef(f) = &s.kind {
            let sig = UserFn {
                params: f.params.iter().map(|p| (unsized_type(&p.ty), p.ty.data_only)).collect(),
                param_names: f.params.iter().map(|p| p.name.name.clone()).collect(),
                param_spans: f.params.iter().map(|p| p.ty.span.to(p.name.span)).collect(),
                ret: return_type(f),
                span: signature_span(f),
            };
            let overloads = c.functions.entry(f.name.name.clone()).or_default();
            if !overloads.iter().any(|o| o.params == sig.params) {
                overloads.push(sig);
            }
        }
    }
    for s in program.functions.iter().flat_map(|b| &b.stmts) {
        if let StmtKind::FunDef(f) = &s.kind {
            c.function_body(f);
        }
    }
    for block in program.blocks().filter(|b| b.kind != BlockKind::Functions) {
        c.place = Place::Block(block.kind);
        // The model block's variables are local to it; every other block's are global.
        let global = block.kind != BlockKind::Model;
        if !global {
            c.scopes.push(HashMap::new());
        }
        for s in &block.stmts {
            c.stmt(s, global);
        }
        if block.kind == BlockKind::Model {
            c.scopes.pop();
        }
    }
    (c.diags, c.typed)
}

impl Checker {
    fn lookup(&self, name: &str) -> Option<&Var> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    /// Stan has no shadowing: a name in scope cannot be declared again, in any nested scope.
    fn declare(&mut self, name: &ast::Ident, var: Var) {
        if let Some(d) = errors::reserved_name(name.span, &name.name) {
            self.error(d);
        }
        if let Some(previous) = self.lookup(&name.name) {
            let d = errors::duplicate_declaration(name.span, &name.name, previous.span);
            self.error(d);
            return;
        }
        if name.name == "jacobian" {
            self.diags.push(errors::future_keyword(name.span, "jacobian", "2.38"));
        }
        self.scopes.last_mut().expect("a scope is always open").insert(name.name.clone(), var);
    }

    fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Whether every value computed here is data (no parameter has a derivative here).
    fn all_data(&self) -> bool {
        matches!(
            self.place,
            Place::Block(BlockKind::Data | BlockKind::TransformedData | BlockKind::GeneratedQuantities)
        )
    }

    fn function_body(&mut self, f: &ast::FunDef) {
        let Some(body) = &f.body else { return };
        let ret = return_type(f);
        self.place = Place::Function;
        self.function = Some((f.name.name.clone(), ret.clone()));
        self.scopes.push(HashMap::new());
        for p in &f.params {
            let ty = unsized_type(&p.ty);
            let data = p.ty.data_only || is_int_based(&ty);
            self.declare(&p.name, Var { ty, data, kind: VarKind::Argument, span: p.ty.span.to(p.name.span) });
        }
        self.stmt(body, false);
        if ret.is_some() && !super::functions::always_returns(body) {
            // At the statement a path falls out of (a loop, a one-armed `if`), when there is one.
            let span = match &body.kind {
                StmtKind::Block(stmts) => stmts.last().map_or(f.name.span, |s| s.span),
                _ => body.span,
            };
            self.error(errors::missing_return(span, &f.name.name));
        }
        self.scopes.pop();
        self.function = None;
    }

    // ---- statements ---------------------------------------------------------------------------

    /// `top`: a statement at the top level of a program block (where declarations are global
    /// and may carry constraints).
    fn stmt(&mut self, s: &ast::Stmt, top: bool) {
        match &s.kind {
            StmtKind::Decl(d) => self.decl(d, top),
            StmtKind::FunDef(_) | StmtKind::Empty => {}
            StmtKind::Break | StmtKind::Continue => {
                if self.loops == 0 {
                    let word = if matches!(s.kind, StmtKind::Break) { "break" } else { "continue" };
                    let d = match self.place {
                        Place::Function => errors::outside_loop_in_function(s.span, word),
                        Place::Block(_) => errors::outside_loop(s.span, word),
                    };
                    self.error(d);
                }
            }
            StmtKind::Assign { lhs, op, rhs } => self.assign(lhs, *op, rhs),
            StmtKind::Tilde { lhs, dist, args, truncation } => {
                let lhs_val = self.expr(lhs);
                let mut vals = vec![lhs_val];
                vals.extend(args.iter().map(|a| self.expr(a)));
                let mut spans = vec![lhs.span];
                spans.extend(args.iter().map(|a| a.span));
                if let Some(t) = truncation {
                    self.truncation(t, dist, &vals, &spans);
                }
                self.tilde(dist, &vals, &spans, s.span);
                if let Some(d) = self.target_refusal(s.span, true) {
                    self.error(d);
                }
            }
            StmtKind::TargetPlus(e) => {
                self.expr(e);
                if let Some(d) = self.target_refusal(s.span, false) {
                    self.error(d);
                }
            }
            StmtKind::JacobianPlus(e) => {
                self.expr(e);
                let allowed = match self.place {
                    Place::Block(k) => k == BlockKind::TransformedParameters,
                    Place::Function => self.function.as_ref().is_some_and(|(f, _)| f.ends_with("_jacobian")),
                };
                if !allowed {
                    self.error(errors::jacobian_outside_transformed_parameters(s.span));
                }
            }
            StmtKind::For { var, lo, hi, body } => {
                for e in [lo, hi] {
                    let v = self.expr(e);
                    if !v.ty.is_int() && v.ty != Type::Unknown {
                        self.error(errors::loop_bound_not_int(e.span, &v.ty));
                    }
                }
                self.scoped_loop(var, Type::INT, true, body);
            }
            StmtKind::ForEach { var, container, body } => {
                let c = self.expr(container);
                let elem = match &c.ty {
                    Type::Base(b, n) if *n > 0 => Type::Base(*b, n - 1),
                    Type::Tuple(ts, n) if *n > 0 => Type::Tuple(ts.clone(), n - 1),
                    Type::Base(b, 0) if !b.is_scalar() => {
                        Type::Base(if b.is_complex() { BaseType::Complex } else { BaseType::Real }, 0)
                    }
                    Type::Unknown => Type::Unknown,
                    other => {
                        self.error(errors::cannot_loop_over(container.span, other));
                        Type::Unknown
                    }
                };
                let data = c.data || is_int_based(&elem);
                self.scoped_loop(var, elem, data, body);
            }
            StmtKind::While { cond, body } => {
                self.condition(cond);
                self.loops += 1;
                self.scoped(body);
                self.loops -= 1;
            }
            StmtKind::If { cond, then, otherwise } => {
                self.condition(cond);
                self.scoped(then);
                if let Some(o) = otherwise {
                    self.scoped(o);
                }
            }
            StmtKind::Block(stmts) | StmtKind::Profile { body: stmts, .. } => {
                self.scopes.push(HashMap::new());
                for s in stmts {
                    self.stmt(s, false);
                }
                self.scopes.pop();
            }
            StmtKind::Return(e) => self.ret(e.as_ref(), s.span),
            StmtKind::Print(args) | StmtKind::Reject(args) | StmtKind::FatalError(args) => {
                for a in args {
                    self.expr(a);
                }
            }
            StmtKind::Call(e) => {
                self.statement_call = Some(e.span);
                self.expr(e);
                self.statement_call = None;
                // Only a `void` function may be called for its effect alone.
                if let ExprKind::Call { name, .. } = &e.kind {
                    match self.functions.get(&name.name) {
                        Some(overloads) if overloads.iter().all(|o| o.ret.is_some()) => {
                            self.error(errors::value_as_statement(e.span, &name.name));
                        }
                        Some(_) => {}
                        None if catalog::is_builtin(&name.name) => {
                            self.error(errors::builtin_as_statement(e.span, &name.name));
                        }
                        None => {}
                    }
                }
            }
        }
    }

    fn scoped(&mut self, s: &ast::Stmt) {
        self.scopes.push(HashMap::new());
        self.stmt(s, false);
        self.scopes.pop();
    }

    fn scoped_loop(&mut self, var: &ast::Ident, ty: Type, data: bool, body: &ast::Stmt) {
        self.scopes.push(HashMap::new());
        self.declare(var, Var { ty, data, kind: VarKind::Loop, span: var.span });
        self.loops += 1;
        self.stmt(body, false);
        self.loops -= 1;
        self.scopes.pop();
    }

    fn condition(&mut self, e: &ast::Expr) -> Val {
        let v = self.expr(e);
        if !v.ty.is_int() && v.ty != Type::Unknown {
            self.error(errors::condition_not_int(e.span, &v.ty));
        }
        v
    }

    fn decl(&mut self, d: &ast::VarDecl, top: bool) {
        for size in d.ty.array_dims.iter().chain(&d.ty.sizes) {
            let v = self.expr(size);
            if !v.ty.is_int() && v.ty != Type::Unknown {
                self.error(errors::size_not_int(size.span, &v.ty));
            } else if top {
                self.size_is_data(size);
            }
        }
        let c = &d.ty.constraint;
        let declared = decl_type(&d.ty);
        for (word, e) in
            [("lower bound", &c.lower), ("upper bound", &c.upper), ("offset", &c.offset), ("multiplier", &c.multiplier)]
        {
            let Some(e) = e else { continue };
            let v = self.expr(e);
            // A bound is a scalar, or a container of the variable's own type (elementwise).
            let ok = match &v.ty {
                Type::Unknown => true,
                _ if d.ty.kind == TypeKind::Int => {
                    v.ty.is_int() || (declared.array_dims() > 0 && declared.accepts(&v.ty))
                }
                Type::Base(BaseType::Int | BaseType::Real, 0) => true,
                other => declared.array_dims() + u8::from(d.ty.kind != TypeKind::Real) > 0 && declared.accepts(other),
            };
            if !ok {
                self.error(errors::bound_type(
                    e.span,
                    word,
                    &d.name.name,
                    &declared,
                    &v.ty,
                    d.ty.kind == TypeKind::Int,
                ));
            }
        }
        let constrained = !c.is_empty() || d.ty.kind.is_constrained();
        if constrained && !top {
            self.error(
                Diagnostic::error(
                    "E1028",
                    d.ty.span,
                    format!("the local variable `{}` cannot have a constrained type", d.name.name),
                )
                .with_label("constraints are only allowed on block-level variables")
                .with_hint(format!(
                    "declare it as plain `{}`, and check its value with `reject` if needed",
                    d.ty.kind.plain().keyword()
                )),
            );
        }
        let ty = decl_type(&d.ty);
        if let Some(init) = &d.init {
            let v = self.expr(init);
            if !ty.accepts(&v.ty) {
                self.error(errors::assign_type_mismatch(init.span, &d.name.name, &ty, &v.ty));
            }
        }
        let data = self.all_data() || is_int_based(&ty) || self.place == Place::Block(BlockKind::TransformedData);
        let kind = match self.place {
            Place::Block(k) if top => VarKind::Block(k),
            _ => VarKind::Local,
        };
        self.declare(&d.name, Var { ty, data, kind, span: d.ty.span.to(d.name.span) });
    }

    fn assign(&mut self, lhs: &ast::Expr, op: ast::AssignOp, rhs: &ast::Expr) {
        if let ExprKind::TupleLit(_) = &lhs.kind {
            // Unpacking `(a, b) = t;` (the parser admits it only with `=`).
            let value = self.expr(rhs);
            let mut assigned = Vec::new();
            self.unpack(lhs, &value.ty, rhs.span, &mut assigned);
            self.unpack_reads(lhs, &assigned);
            return;
        }
        let target = self.expr(lhs);
        let value = self.expr(rhs);
        if !self.assignable(lhs) {
            return;
        }
        if let Some(inner) = nested_multi_index(lhs, &|e| self.is_multi_index(e)) {
            let d = Diagnostic::error("E1046", inner, "the left side of an assignment cannot index into a multi-index")
                .with_label("this selects several elements")
                .with_hint("put all the indices in one bracket, as in `m[:, 1]`");
            self.error(d);
            return;
        }
        let result = match op {
            ast::AssignOp::Assign => value.ty.clone(),
            _ => {
                let bin = match op {
                    ast::AssignOp::Add => BinOp::Add,
                    ast::AssignOp::Sub => BinOp::Sub,
                    ast::AssignOp::Mul => BinOp::Mul,
                    ast::AssignOp::Div => BinOp::Div,
                    ast::AssignOp::EltMul => BinOp::EltMul,
                    ast::AssignOp::EltDiv => BinOp::EltDiv,
                    ast::AssignOp::Assign => unreachable!("handled above"),
                };
                self.binary(bin, &target, &value, lhs.span.to(rhs.span)).ty
            }
        };
        if !target.ty.accepts(&result) {
            // The place as written (`t.1`, `x[i]`), which has the type the message names.
            self.error(errors::assign_type_mismatch(rhs.span, &lhs.to_string(), &target.ty, &result));
        }
    }

    /// One place of a tuple unpacking: `pattern` receives a value of type `ty`. `seen` holds the
    /// variables already assigned, since Stan refuses one variable twice (the order of the
    /// assignments would decide its value).
    fn unpack(&mut self, pattern: &ast::Expr, ty: &Type, rhs: Span, seen: &mut Vec<(String, Span)>) {
        if let ExprKind::TupleLit(items) = &pattern.kind {
            match ty {
                Type::Tuple(elems, 0) if elems.len() == items.len() => {
                    for (item, elem) in items.iter().zip(elems) {
                        self.unpack(item, elem, rhs, seen);
                    }
                }
                Type::Unknown => {
                    for item in items {
                        self.unpack(item, &Type::Unknown, rhs, seen);
                    }
                }
                _ => self.error(errors::unpack_mismatch(pattern.span, items.len(), ty, rhs)),
            }
            return;
        }
        let target = self.expr(pattern);
        if let Some(name) = root_name(pattern) {
            if let Some((_, first)) = seen.iter().find(|(n, _)| n == name) {
                let d =
                    Diagnostic::error("E1041", pattern.span, format!("`{name}` is assigned twice in one unpacking"))
                        .with_label("assigned again here")
                        .with_secondary(*first, "first assigned here")
                        .with_hint("unpack into a different variable, and copy it afterwards");
                self.error(d);
                return;
            }
            seen.push((name.to_string(), pattern.span));
        }
        if self.assignable(pattern) && !target.ty.accepts(ty) {
            self.error(errors::assign_type_mismatch(pattern.span, &pattern.to_string(), &target.ty, ty));
        }
    }

    /// A variable an unpacking assigns may not also be read on its left side (`(x[i], i) = …`):
    /// the order of the assignments would decide which `i` indexes `x`.
    fn unpack_reads(&mut self, pattern: &ast::Expr, assigned: &[(String, Span)]) {
        let mut reads = Vec::new();
        pattern.walk(&mut |e| {
            if let ExprKind::Index { indices, .. } = &e.kind {
                for i in indices {
                    let parts: Vec<&ast::Expr> = match i {
                        Index::Single(e) => vec![e],
                        Index::Range { lo, hi, .. } => lo.iter().chain(hi).collect(),
                        Index::All(_) => vec![],
                    };
                    for part in parts {
                        part.walk(&mut |v| {
                            if let ExprKind::Var(id) = &v.kind {
                                reads.push(id.clone());
                            }
                        });
                    }
                }
            }
        });
        for id in reads {
            if let Some((_, at)) = assigned.iter().find(|(n, _)| *n == id.name) {
                let d = Diagnostic::error(
                    "E1041",
                    id.span,
                    format!("`{}` is both assigned and read on the left of this unpacking", id.name),
                )
                .with_label("read here, as an index")
                .with_secondary(*at, "assigned here")
                .with_hint("unpack into a fresh variable first, then index with it in a separate statement");
                self.error(d);
                return;
            }
        }
    }

    /// Whether an index expression selects several elements (an int array), judged without
    /// checking it again: a variable of int array type, or an array literal.
    fn is_multi_index(&self, e: &ast::Expr) -> bool {
        match &e.kind {
            ExprKind::Var(id) => {
                self.lookup(&id.name).is_some_and(|v| matches!(v.ty, Type::Base(BaseType::Int, n) if n > 0))
            }
            ExprKind::ArrayLit(_) => true,
            ExprKind::Paren(inner) => self.is_multi_index(inner),
            _ => false,
        }
    }

    /// A block-level variable's size is fixed before sampling starts: it may read only data and
    /// transformed data (a value computed in the block itself could differ between draws).
    fn size_is_data(&mut self, size: &ast::Expr) {
        let mut offending = None;
        size.walk(&mut |e| {
            if let ExprKind::Var(id) = &e.kind
                && offending.is_none()
                && let Some(var) = self.lookup(&id.name)
                && !matches!(var.kind, VarKind::Block(BlockKind::Data | BlockKind::TransformedData))
            {
                offending = Some((id.clone(), var.span));
            }
        });
        if let Some((id, declared)) = offending {
            let d = Diagnostic::error(
                "E1047",
                id.span,
                format!("the size of a block-level variable must be data, and `{}` is not", id.name),
            )
            .with_label("not data or transformed data")
            .with_secondary(declared, "declared here")
            .with_hint("compute the size in transformed data, or make this variable a local one inside `{ ... }`");
            self.error(d);
        }
    }

    /// Why `target +=` (or `~`, with `tilde`) cannot stand here, if it cannot: only the model
    /// block and `_lp` functions have a `target` (an `_lp` function's callers are checked at
    /// each call).
    fn target_refusal(&self, span: Span, tilde: bool) -> Option<Diagnostic> {
        match (self.place, &self.function) {
            (Place::Function, Some((f, _))) if !f.ends_with("_lp") => Some(errors::target_in_plain_function(span, f)),
            (Place::Function, _) | (Place::Block(BlockKind::Model), _) => None,
            (Place::Block(block), _) if tilde => {
                Some(errors::sampling_outside_model(span, super::stmt::block_name(block)))
            }
            (Place::Block(_), _) => Some(errors::target_outside_model(span)),
        }
    }

    /// The suffix rules of a call: `_rng` functions draw random numbers, so they stand only
    /// where no derivative is taken (transformed data, generated quantities, other `_rng`
    /// functions); `_lp` functions change `target`, so they stand only where it exists.
    fn suffix_refusal(&self, name: &str, name_span: Span) -> Option<Diagnostic> {
        let caller = self.function.as_ref().map(|(f, _)| f.as_str());
        if name.ends_with("_rng") {
            return match (self.place, caller) {
                (Place::Function, Some(f)) if !f.ends_with("_rng") => {
                    Some(errors::rng_in_plain_function(name_span, name, f))
                }
                (Place::Function, _)
                | (Place::Block(BlockKind::TransformedData | BlockKind::GeneratedQuantities), _) => None,
                (Place::Block(_), _) => Some(errors::rng_outside_gq(name_span, name)),
            };
        }
        if name.ends_with("_jacobian") {
            return match (self.place, caller) {
                (Place::Function, Some(f)) if f.ends_with("_jacobian") => None,
                (Place::Block(BlockKind::TransformedParameters), _) => None,
                _ => Some(errors::jacobian_function_outside(name_span, name)),
            };
        }
        if name.ends_with("_lp") {
            return match (self.place, caller) {
                (Place::Function, Some(f)) if f.ends_with("_lp") => None,
                (Place::Block(BlockKind::Model | BlockKind::TransformedParameters), _) => None,
                _ => Some(errors::lp_function_outside_model(name_span, name)),
            };
        }
        None
    }

    /// Whether the variable under `lhs` may be assigned here; reports why not.
    fn assignable(&mut self, lhs: &ast::Expr) -> bool {
        let Some(name) = root_name(lhs) else { return true };
        // An undefined name was reported when `lhs` was checked.
        let Some(var) = self.lookup(name) else { return true };
        let (what, hint) = match var.kind {
            VarKind::Local => return true,
            VarKind::Block(k) if self.place == Place::Block(k) => return true,
            VarKind::Block(k) => (
                format!("it was declared in the {} block", super::stmt::block_name(k)),
                "a program block's variables are assigned only in the block that declares them; \
                 declare a local variable here and assign that"
                    .to_string(),
            ),
            VarKind::Argument => (
                "it is a function argument".to_string(),
                "arguments are read-only; copy it into a local variable and assign that".to_string(),
            ),
            VarKind::Loop => (
                "it is the loop variable".to_string(),
                "the loop sets it; use another variable, or a `while` loop to control the steps yourself".to_string(),
            ),
        };
        let declared = match var.kind {
            VarKind::Argument => "the argument",
            VarKind::Loop => "the loop variable",
            _ => "declared here",
        };
        let d = Diagnostic::error("E1007", lhs.span, format!("cannot assign to `{name}`: {what}"))
            .with_label("assigned here")
            .with_secondary(var.span, declared)
            .with_hint(hint);
        self.error(d);
        false
    }

    fn ret(&mut self, e: Option<&ast::Expr>, span: Span) {
        let value = e.map(|e| self.expr(e));
        let Some((name, expected)) = self.function.clone() else {
            self.error(errors::return_outside_function(span));
            return;
        };
        match (expected, value) {
            (Some(t), Some(v)) if !t.accepts(&v.ty) => {
                self.error(errors::return_type_mismatch(e.map_or(span, |e| e.span), &name, &t, &v.ty));
            }
            (Some(t), None) => {
                let d = Diagnostic::error("E1029", span, format!("`{name}` must return a `{t}`"))
                    .with_label("`return` without a value");
                self.error(d);
            }
            (None, Some(v)) => {
                let d = Diagnostic::error("E1029", span, format!("`{name}` is void, but this returns a value"))
                    .with_label(format!("returns a `{}`", v.ty))
                    .with_hint("write `return;`, or give the function a return type");
                self.error(d);
            }
            _ => {}
        }
    }

    /// Checks where a `_lupdf`/`_lupmf` call stands: Stan drops the constant terms only where
    /// they cannot be observed, in the model block and in `_lpdf`/`_lpmf` functions. Returns
    /// the name to resolve: a user's `foo_lpdf` is also called as `foo_lupdf`.
    fn unnormalised(&mut self, name: &str, name_span: Span) -> String {
        let Some(normalised) = super::builtins::user_normalised(name) else {
            return name.to_string();
        };
        let allowed = match (self.place, &self.function) {
            (Place::Block(BlockKind::Model), _) => true,
            (Place::Function, Some((f, _))) => f.ends_with("_lpdf") || f.ends_with("_lpmf"),
            _ => false,
        };
        if !allowed {
            self.error(errors::unnormalised_outside_model(name_span, name, &normalised));
        }
        if self.functions.contains_key(&normalised) { normalised } else { name.to_string() }
    }

    /// `T[L, U]`: scalar bounds, and a distribution with both CDFs (stanc3 requires both
    /// whichever bounds are given).
    /// `args` are the variate's and the distribution's (the CDFs are called with a bound in
    /// the variate's place).
    fn truncation(&mut self, t: &ast::Truncation, dist: &ast::Ident, args: &[Val], spans: &[Span]) {
        let (variate, variate_ty) = (spans[0], &args[0].ty);
        for e in t.lower.iter().chain(&t.upper) {
            let v = self.expr(e);
            match v.ty {
                Type::Base(BaseType::Int | BaseType::Real, 0) | Type::Unknown => {}
                ref other => self.error(errors::truncation_bound_type(e.span, other)),
            }
        }
        let name = &dist.name;
        let has = |c: &Checker, suffix: &str| {
            let f = format!("{name}{suffix}");
            c.functions.contains_key(&f) || catalog::is_builtin(&f)
        };
        let known = has(self, "_lpdf") || has(self, "_lpmf");
        // Unknown distributions are reported by lowering.
        if known && !(has(self, "_lcdf") && has(self, "_lccdf")) {
            self.error(errors::truncation_without_cdf(t.span, name, variate, variate_ty));
            return;
        }
        // The user's CDFs are resolved as calls at the truncation.
        for suffix in ["_lcdf", "_lccdf"] {
            let f = format!("{name}{suffix}");
            if self.functions.contains_key(&f) {
                self.call(&f, args, spans, t.span, t.span);
            }
        }
    }

    fn tilde(&mut self, dist: &ast::Ident, args: &[Val], spans: &[Span], span: Span) {
        // An int variate looks for the mass function first (a user may define both).
        let mut candidates = [format!("{}_lpdf", dist.name), format!("{}_lpmf", dist.name)];
        if args.first().is_some_and(|v| is_int_based(&v.ty)) {
            candidates.reverse();
        }
        for name in &candidates {
            if self.functions.contains_key(name) {
                self.call(name, args, spans, span, dist.span);
                return;
            }
        }
        for name in &candidates {
            if !catalog::is_builtin(name) {
                continue;
            }
            // `~` supplies the variate: a call fitting no signature is worded for `~`, with
            // the number of arguments after it.
            let types: Option<Vec<ArgType>> = args.iter().map(|v| v.ty.arg_type(v.data)).collect();
            if let Some(types) = types
                && matches!(catalog::resolve(name, &types), Resolution::NoMatch(_))
                && int_argument_hint(name, &types).is_none()
            {
                let families: Vec<&catalog::Family> = catalog::lookup_families(name).collect();
                let arity = families.first().map_or(0, |f| f.params.len().saturating_sub(1));
                let found: Vec<Type> = args.iter().map(|a| a.ty.clone()).collect();
                let density = families.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join("; ");
                self.error(errors::tilde_arguments(span, &dist.name, &found, arity, Some(&density)));
                return;
            }
            self.call(name, args, spans, span, dist.span);
            return;
        }
        let names = super::builtins::distribution_names(self.functions.keys());
        let mut d = errors::tilde_unknown(dist.span, &dist.name, &names);
        // Before Stan 2.26 a user density was named `foo_log`.
        if self.functions.contains_key(&format!("{}_log", dist.name)) {
            d = d.with_hint(format!(
                "`{0}_log` is the removed naming of a density: rename it `{0}_lpdf` (or `{0}_lpmf` for an int \
                 variate) to use it with `~`",
                dist.name
            ));
        }
        self.error(d);
    }

    // ---- expressions --------------------------------------------------------------------------

    fn expr(&mut self, e: &ast::Expr) -> Val {
        let v = self.expr_kind(e);
        self.typed.types.insert(e.span, v.ty.clone());
        v
    }

    fn expr_kind(&mut self, e: &ast::Expr) -> Val {
        match &e.kind {
            ExprKind::Int(_) => Val { ty: Type::INT, data: true },
            ExprKind::Real(..) => Val { ty: Type::REAL, data: true },
            ExprKind::Imag(..) => Val { ty: Type::Base(BaseType::Complex, 0), data: true },
            ExprKind::Str(_) => Val::unknown(),
            ExprKind::Var(id) => match self.lookup(&id.name) {
                Some(v) => Val { ty: v.ty.clone(), data: v.data || self.all_data() },
                // `pi` for `pi()`: a constant is never passed as a function.
                None if !self.functions.contains_key(&id.name)
                    && catalog::lookup(&id.name).any(|s| s.args.is_empty() && !s.variadic) =>
                {
                    let names = self.scopes.iter().flat_map(|s| s.keys().map(String::as_str));
                    let d = errors::undefined_variable(id.span, &id.name, names);
                    self.error(d);
                    Val::unknown()
                }
                None if self.functions.contains_key(&id.name)
                    || catalog::is_builtin(&id.name)
                    || super::builtins::user_normalised(&id.name).is_some_and(|n| self.functions.contains_key(&n)) =>
                {
                    Val { ty: Type::Base(BaseType::Function, 0), data: true }
                }
                None => {
                    let names = self.scopes.iter().flat_map(|s| s.keys().map(String::as_str));
                    let d = errors::undefined_variable(id.span, &id.name, names);
                    self.error(d);
                    Val::unknown()
                }
            },
            ExprKind::Paren(inner) => self.expr(inner),
            ExprKind::Unary { op, operand } => {
                let v = self.expr(operand);
                if *op == UnOp::Not && !v.ty.is_int() && v.ty != Type::Unknown {
                    self.error(errors::bad_unary_operand(e.span, "!", &v.ty));
                    return Val::unknown();
                }
                let name = match op {
                    UnOp::Neg => "minus",
                    UnOp::Plus => "plus",
                    UnOp::Not => "logical_negation",
                    UnOp::Transpose => "transpose",
                };
                let ty = v.ty.clone();
                self.operator(name, &[v], e.span, || errors::bad_unary_operand(e.span, op.symbol(), &ty))
            }
            ExprKind::Binary { op: op @ (BinOp::And | BinOp::Or), lhs, rhs } => {
                let mut data = true;
                for operand in [lhs, rhs] {
                    let v = self.expr(operand);
                    if !v.ty.is_int() && v.ty != Type::Unknown {
                        self.error(errors::logical_operand_not_int(operand.span, op.symbol(), &v.ty));
                    }
                    data &= v.data;
                }
                Val { ty: Type::INT, data }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let l = self.expr(lhs);
                let r = self.expr(rhs);
                if *op == BinOp::Div && l.ty.is_int() && r.ty.is_int() {
                    self.diags.push(errors::int_division(e.span));
                }
                self.binary(*op, &l, &r, e.span)
            }
            ExprKind::Cond { cond, then, otherwise } => {
                self.condition(cond);
                let a = self.expr(then);
                let b = self.expr(otherwise);
                let data = a.data && b.data;
                match a.ty.join(&b.ty) {
                    Some(ty) => Val { ty, data },
                    None => {
                        let d = Diagnostic::error(
                            "E1004",
                            e.span,
                            format!("the branches of `?:` have types `{}` and `{}`", a.ty, b.ty),
                        )
                        .with_label("both branches must have one type (up to int → real → complex)");
                        self.error(d);
                        Val::unknown()
                    }
                }
            }
            ExprKind::Call { name, args, bar } => {
                let vals: Vec<Val> = args.iter().map(|a| self.expr(a)).collect();
                let spans: Vec<Span> = args.iter().map(|a| a.span).collect();
                let conditional = catalog::is_conditional(&name.name);
                // An unknown name is one mistake: its `|` is not judged against it.
                let known = self.functions.contains_key(&name.name) || catalog::is_builtin(&name.name);
                match bar {
                    Some(bar) if !conditional && known => {
                        let comma_form = ast::Expr {
                            kind: ExprKind::Call { name: name.clone(), args: args.clone(), bar: None },
                            ..e.clone()
                        };
                        self.error(errors::bar_in_plain_call(*bar, &name.name, &comma_form.to_string()));
                    }
                    None if conditional && args.len() > 1 => {
                        self.error(errors::lpdf_needs_bar(name.span, &name.name, args));
                    }
                    _ => {}
                }
                if name.name == "target" && args.is_empty() {
                    self.target_read(e.span);
                }
                let result = self.call(&name.name, &vals, &spans, e.span, name.span);
                if super::builtins::is_higher_order(&name.name) && !self.functions.contains_key(&name.name) {
                    self.higher_order(&name.name, args, &vals);
                }
                result
            }
            ExprKind::Index { base, indices } => self.index(base, indices, e.span),
            ExprKind::ArrayLit(items) => {
                let vals: Vec<Val> = items.iter().map(|a| self.expr(a)).collect();
                let data = vals.iter().all(|v| v.data);
                let mut ty = vals.first().map_or(Type::Unknown, |v| v.ty.clone());
                for (v, item) in vals.iter().zip(items) {
                    match ty.join(&v.ty) {
                        Some(t) => ty = t,
                        None => {
                            self.error(errors::array_literal_mismatch(item.span, &vals[0].ty, &v.ty, items[0].span));
                            return Val::unknown();
                        }
                    }
                }
                Val { ty: ty.with_dims(ty.array_dims() + 1), data }
            }
            ExprKind::RowVectorLit(items) => {
                let vals: Vec<Val> = items.iter().map(|a| self.expr(a)).collect();
                let data = vals.iter().all(|v| v.data);
                let bases: Vec<Option<BaseType>> = vals
                    .iter()
                    .map(|v| match v.ty {
                        Type::Base(b, 0) => Some(b),
                        _ => None,
                    })
                    .collect();
                let ty = if vals.iter().any(|v| v.ty == Type::Unknown) {
                    Type::Unknown
                } else if bases.iter().all(|b| matches!(b, Some(BaseType::Int | BaseType::Real))) {
                    Type::Base(BaseType::RowVector, 0)
                } else if bases.iter().all(|b| matches!(b, Some(BaseType::Int | BaseType::Real | BaseType::Complex))) {
                    Type::Base(BaseType::ComplexRowVector, 0)
                } else if bases.iter().all(|b| matches!(b, Some(BaseType::RowVector))) {
                    Type::Base(BaseType::Matrix, 0)
                } else if bases.iter().all(|b| matches!(b, Some(BaseType::RowVector | BaseType::ComplexRowVector))) {
                    Type::Base(BaseType::ComplexMatrix, 0)
                } else {
                    let d = Diagnostic::error(
                        "E1004",
                        e.span,
                        "the elements of `[...]` must be all scalars or all row vectors",
                    )
                    .with_label("mixed elements");
                    self.error(d);
                    Type::Unknown
                };
                Val { ty, data }
            }
            ExprKind::TupleLit(items) => {
                let vals: Vec<Val> = items.iter().map(|a| self.expr(a)).collect();
                let data = vals.iter().all(|v| v.data);
                Val { ty: Type::Tuple(vals.into_iter().map(|v| v.ty).collect(), 0), data }
            }
            ExprKind::TupleGet { base, index } => {
                let b = self.expr(base);
                match &b.ty {
                    Type::Tuple(ts, 0) if (1..=ts.len()).contains(index) => {
                        Val { ty: ts[index - 1].clone(), data: b.data }
                    }
                    Type::Unknown => Val::unknown(),
                    other => {
                        let mut d = Diagnostic::error("E1008", e.span, format!("`{other}` has no element `.{index}`"))
                            .with_label("not a tuple with this many elements");
                        if matches!(base.kind, ExprKind::Real(..)) {
                            d = d.with_hint("a number has at most one decimal point");
                        }
                        self.error(d);
                        Val::unknown()
                    }
                }
            }
        }
    }

    fn binary(&mut self, op: BinOp, l: &Val, r: &Val, span: Span) -> Val {
        let name = operator_function(op, matches!(r.ty, Type::Base(b, 0) if b.rank() > 0));
        if op == BinOp::IntDiv && !(l.ty.is_int() && r.ty.is_int()) && l.ty != Type::Unknown && r.ty != Type::Unknown {
            self.error(errors::mismatched_operands(span, op.symbol(), &l.ty, &r.ty));
            return Val::unknown();
        }
        let (lt, rt) = (l.ty.clone(), r.ty.clone());
        self.operator(name, &[l.clone(), r.clone()], span, || errors::mismatched_operands(span, op.symbol(), &lt, &rt))
    }

    /// An operator, resolved against the built-in function behind it.
    fn operator(&mut self, name: &str, args: &[Val], span: Span, mismatch: impl FnOnce() -> Diagnostic) -> Val {
        let data = args.iter().all(|v| v.data);
        let Some(types) = args.iter().map(|v| v.ty.arg_type(true)).collect::<Option<Vec<_>>>() else {
            if args.iter().any(|v| v.ty == Type::Unknown) {
                return Val::unknown();
            }
            let _ = span;
            self.error(mismatch());
            return Val::unknown();
        };
        match catalog::resolve(name, &types) {
            Resolution::Match { signature, .. } | Resolution::NeedsData { signature, .. } => {
                let ty = signature.ret_type().map_or(Type::Unknown, Type::from_arg);
                Val { data: data || is_int_based(&ty), ty }
            }
            Resolution::Ambiguous(_) => Val::unknown(),
            Resolution::NoMatch(_) | Resolution::UnknownName => {
                self.error(mismatch());
                Val::unknown()
            }
        }
    }

    fn call(&mut self, name: &str, args: &[Val], spans: &[Span], span: Span, name_span: Span) -> Val {
        let data = args.iter().all(|v| v.data);
        if let Some(d) = self.suffix_refusal(name, name_span) {
            self.error(d);
            return Val::unknown();
        }
        if name == "lkj_cov_lpdf" && !self.functions.contains_key(name) {
            self.diags.push(errors::deprecated_lkj_cov(name_span));
        }
        if let Some(w) = errors::deprecated_ode(name_span, name).filter(|_| !self.functions.contains_key(name)) {
            self.diags.push(w);
        }
        let name = &self.unnormalised(name, name_span);
        if let Some(overloads) = self.functions.get(name).cloned() {
            // Stan's rule: the overload needing the fewest promotions; a tie is ambiguous.
            let costs: Vec<(u32, &UserFn)> = overloads
                .iter()
                .filter(|o| o.params.len() == args.len())
                .filter_map(|o| {
                    let cost: Option<u32> = args.iter().zip(&o.params).map(|(a, (p, _))| a.ty.cost_to(p)).sum();
                    Some((cost?, o))
                })
                .collect();
            let least = costs.iter().map(|(c, _)| *c).min();
            let tied: Vec<&UserFn> = costs.iter().filter(|(c, _)| Some(*c) == least).map(|(_, o)| *o).collect();
            let best = least.map(|c| (c, tied[0]));
            let tie = tied.len() > 1;
            // Stan resolves a user overload of a library name together with the library's
            // signatures: a call that fits none of the user's goes to the library.
            let library_fits = best.is_none()
                && args.iter().map(|v| v.ty.arg_type(v.data)).collect::<Option<Vec<_>>>().is_some_and(|types| {
                    matches!(catalog::resolve(name, &types), Resolution::Match { .. } | Resolution::NeedsData { .. })
                });
            if library_fits {
                return self.library_call(name, args, spans, span, name_span);
            }
            return match best {
                Some((_, sig)) if !tie => {
                    let params = sig.params.iter().map(|(t, _)| t.clone()).collect();
                    self.typed.user_calls.insert((name_span, name.clone()), params);
                    if sig.ret.is_none() && self.statement_call != Some(span) {
                        self.error(errors::void_as_value(span, name));
                        return Val::unknown();
                    }
                    for (i, (a, (_, data_only))) in args.iter().zip(&sig.params).enumerate() {
                        if *data_only && !a.data {
                            let d = needs_data(spans.get(i).copied().unwrap_or(span), name, i)
                                .with_secondary(sig.param_spans[i], "declared `data` here");
                            self.error(d);
                        }
                    }
                    let ty = sig.ret.clone().unwrap_or(Type::Unknown);
                    Val { data: data || is_int_based(&ty), ty }
                }
                Some(_) => {
                    self.error(ambiguous_user_call(name, &tied, args, span));
                    Val::unknown()
                }
                None => {
                    self.error(user_call_mismatch(name, &overloads, args, spans, span));
                    Val::unknown()
                }
            };
        }
        self.library_call(name, args, spans, span, name_span)
    }

    /// A call resolved against the built-in signature table.
    fn library_call(&mut self, name: &str, args: &[Val], spans: &[Span], span: Span, name_span: Span) -> Val {
        let data = args.iter().all(|v| v.data);
        let Some(types) = args.iter().map(|v| v.ty.arg_type(v.data)).collect::<Option<Vec<_>>>() else {
            return Val::unknown();
        };
        match catalog::resolve(name, &types) {
            Resolution::Match { signature, .. } => {
                let ty = match &signature.ret {
                    catalog::ReturnType::Type(t) => Type::from_arg(*t),
                    catalog::ReturnType::Tuple(ts) => Type::Tuple(ts.iter().map(|t| Type::from_arg(*t)).collect(), 0),
                    catalog::ReturnType::Void => Type::Unknown,
                };
                // Random draws are data: they carry no derivative.
                let data = data || name.ends_with("_rng") || is_int_based(&ty);
                Val { ty, data }
            }
            Resolution::NeedsData { arg, .. } => {
                self.error(needs_data(spans.get(arg).copied().unwrap_or(span), name, arg));
                Val::unknown()
            }
            Resolution::Ambiguous(_) => Val::unknown(),
            Resolution::NoMatch(candidates) => {
                let found: Vec<Type> = args.iter().map(|a| a.ty.clone()).collect();
                // Many expanded signatures read better as the compact entries they came from.
                let mut shown: Vec<String> = if candidates.len() > 6 {
                    catalog::lookup_families(name).map(|f| f.to_string()).collect()
                } else {
                    candidates.iter().map(|s| s.to_string()).collect()
                };
                if shown.len() > 6 {
                    shown.truncate(6);
                    shown.push(format!("… {} signatures in all", candidates.len()));
                }
                if let Some(what) = int_argument_hint(name, &types) {
                    self.error(errors::wrong_arguments(
                        span,
                        name,
                        &found,
                        &format!("{what} as an int or an array of ints"),
                    ));
                    return Val::unknown();
                }
                let mut d = errors::wrong_arguments(span, name, &found, &shown.join("; "));
                if matches!(name, "rows" | "cols") && types.first().is_some_and(|t| t.array_dims > 0) {
                    d = d.with_hint(format!(
                        "`{name}` takes a vector, row_vector or matrix; an array's length is `size`"
                    ));
                }
                self.error(d);
                Val::unknown()
            }
            Resolution::UnknownName => {
                if let Some(hint) = errors::removed_function_hint(name) {
                    self.error(errors::removed_function(name_span, name, &hint));
                    return Val::unknown();
                }
                if self.lookup(name).is_some() {
                    self.error(errors::variable_called(name_span, name));
                    return Val::unknown();
                }
                let names = super::builtins::function_names(self.functions.keys());
                let mut d = errors::unknown_function(name_span, name, names);
                if let Some(base) = name.strip_suffix("_lpmf")
                    && catalog::is_builtin(&format!("{base}_lpdf"))
                {
                    d = d.with_hint(format!("`{base}` is a density over reals: write `{base}_lpdf`"));
                } else if let Some(base) = name.strip_suffix("_lpdf")
                    && catalog::is_builtin(&format!("{base}_lpmf"))
                {
                    d = d.with_hint(format!("`{base}` is a mass function over ints: write `{base}_lpmf`"));
                }
                self.error(d);
                Val::unknown()
            }
        }
    }

    /// `target()` reads the log density, which exists only while it is being accumulated.
    fn target_read(&mut self, span: Span) {
        let function = self.function.as_ref().map(|(f, _)| f.clone());
        let allowed = match self.place {
            Place::Block(BlockKind::Model | BlockKind::TransformedParameters) => true,
            Place::Block(
                BlockKind::Functions
                | BlockKind::Data
                | BlockKind::TransformedData
                | BlockKind::Parameters
                | BlockKind::GeneratedQuantities,
            ) => false,
            Place::Function => function.as_deref().is_some_and(|f| f.ends_with("_lp")),
        };
        if !allowed {
            self.error(errors::target_read_outside_model(span, function.as_deref()));
        }
    }

    /// The function argument of a higher-order call (already resolved against the catalog,
    /// which knows it only as `function`): it must name a user-defined function whose leading
    /// parameters and return type are the ones the caller uses, and whose other parameters
    /// take the call's trailing arguments.
    fn higher_order(&mut self, caller: &str, args: &[ast::Expr], vals: &[Val]) {
        let Some(types) = vals.iter().map(|v| v.ty.arg_type(v.data)).collect::<Option<Vec<_>>>() else { return };
        let signature = match catalog::resolve(caller, &types) {
            Resolution::Match { signature, .. } | Resolution::NeedsData { signature, .. } => signature,
            _ => return,
        };
        let (Some(first), Some(Type::Base(BaseType::Function, 0))) = (args.first(), vals.first().map(|v| &v.ty)) else {
            return;
        };
        let ExprKind::Var(f) = &strip_parens(first).kind else { return };
        let Some(slot) = Functional::of(caller, vals.get(1).map(|v| &v.ty)) else { return };
        let shape = slot.shape();
        // `foo_lupmf` names the user's `foo_lpmf`, without its constants.
        let defined = super::builtins::user_normalised(&f.name).unwrap_or_else(|| f.name.clone());
        let Some(overloads) = self.functions.get(&defined).cloned() else {
            self.error(errors::builtin_functional(f.span, &f.name, caller, slot.role, &shape));
            return;
        };
        // The overloads whose own signature fits; the caller picks the one its extra arguments fit.
        let fitting: Vec<&UserFn> = overloads.iter().filter(|o| slot.problem(&f.name, o).is_none()).collect();
        let Some(fit) = fitting.first() else {
            let o = &overloads[0];
            let problem = slot.problem(&f.name, o).unwrap_or_default();
            self.error(errors::wrong_functional(f.span, &f.name, caller, slot.role, &problem, o.span, &shape));
            return;
        };
        let key = (f.span, defined.clone());
        let params = |o: &UserFn| o.params.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>();
        self.typed.user_calls.insert(key.clone(), params(fit));
        if !slot.variadic {
            return;
        }
        let extra = &vals[signature.args.len()..];
        let extra_spans: Vec<Span> = args[signature.args.len()..].iter().map(|a| a.span).collect();
        let takes = |o: &UserFn| -> bool {
            o.params.len() - slot.params.len() == extra.len()
                && extra.iter().zip(&o.params[slot.params.len()..]).all(|(v, (p, _))| v.ty.cost_to(p).is_some())
        };
        let sig = fitting.iter().copied().find(|o| takes(o)).unwrap_or(fit);
        self.typed.user_calls.insert(key, params(sig));
        let rest = slot.params.len()..sig.params.len();
        if rest.len() != extra.len() {
            let expected: Vec<String> = rest
                .clone()
                .map(|i| format!("{} {}", data_prefix(sig.params[i].1, &sig.params[i].0), sig.param_names[i]))
                .collect();
            let span = match (extra_spans.get(rest.len()), extra_spans.last()) {
                (Some(surplus), Some(last)) => surplus.to(*last),
                _ => args.last().map_or(f.span, |a| a.span),
            };
            self.error(errors::wrong_extra_count(span, caller, &f.name, extra.len(), &expected, sig.span));
            return;
        }
        for ((v, span), i) in extra.iter().zip(&extra_spans).zip(rest) {
            let (p, data_only) = &sig.params[i];
            if v.ty.cost_to(p).is_none() {
                let d =
                    errors::wrong_extra_type(*span, caller, &f.name, &sig.param_names[i], p, &v.ty, sig.param_spans[i]);
                self.error(d);
            } else if *data_only && !v.data {
                let d = needs_data(*span, &f.name, i).with_secondary(sig.param_spans[i], "declared `data` here");
                self.error(d);
            }
        }
    }

    fn index(&mut self, base: &ast::Expr, indices: &[Index], span: Span) -> Val {
        let b = self.expr(base);
        let mut data = b.data;
        // Whether each index keeps its dimension (a range or multi-index) or drops it.
        let mut keeps = Vec::with_capacity(indices.len());
        let mut unknown_index = false;
        for ix in indices {
            match ix {
                Index::Single(e) => {
                    let v = self.expr(e);
                    data &= v.data;
                    match v.ty {
                        Type::Base(BaseType::Int, 0) => keeps.push(false),
                        Type::Base(BaseType::Int, 1) => keeps.push(true),
                        // A single index or a multi-index: what is selected is unknown.
                        Type::Unknown => {
                            keeps.push(false);
                            unknown_index = true;
                        }
                        ref other => {
                            self.error(errors::index_not_int(e.span, other));
                            return Val::unknown();
                        }
                    }
                }
                Index::Range { lo, hi, .. } => {
                    for e in lo.iter().chain(hi) {
                        let v = self.expr(e);
                        if !v.ty.is_int() && v.ty != Type::Unknown {
                            self.error(errors::index_not_int(e.span, &v.ty));
                        }
                    }
                    keeps.push(true);
                }
                Index::All(_) => keeps.push(true),
            }
        }
        let ty = match &b.ty {
            Type::Unknown => Type::Unknown,
            ty => {
                let dims = ty.array_dims() as usize;
                let n_array = keeps.len().min(dims);
                let kept = keeps[..n_array].iter().filter(|k| **k).count();
                let rest = &keeps[n_array..];
                let new_dims = (dims - n_array + kept) as u8;
                match ty {
                    Type::Tuple(..) if rest.is_empty() => ty.with_dims(new_dims),
                    Type::Base(bt, _) => match index_base(*bt, rest) {
                        Some(nb) => Type::Base(nb, new_dims),
                        None => {
                            self.error(errors::not_indexable(span, ty, indices.len()));
                            return Val::unknown();
                        }
                    },
                    _ => {
                        self.error(errors::not_indexable(span, ty, indices.len()));
                        return Val::unknown();
                    }
                }
            }
        };
        if unknown_index {
            return Val { ty: Type::Unknown, data };
        }
        Val { data: data || is_int_based(&ty), ty }
    }
}

/// `e` without the parentheses around it.
pub(crate) fn strip_parens(e: &ast::Expr) -> &ast::Expr {
    match &e.kind {
        ExprKind::Paren(inner) => strip_parens(inner),
        _ => e,
    }
}

/// What a higher-order function requires of its function argument (the Functions Reference's
/// signatures of the functional arguments).
struct Functional {
    /// What the function is to its caller, for messages ("ODE system").
    role: &'static str,
    /// The leading parameters the caller fills in: type, data only, name for the hint.
    params: Vec<(Type, bool, &'static str)>,
    ret: Type,
    /// The call's arguments after its own are passed on to the function's other parameters.
    variadic: bool,
    /// `reduce_sum`'s slice may be promoted (an `array[] int` sliced into `array[] real`).
    promotes_first: bool,
}

impl Functional {
    /// `sliced`: the type of the call's second argument, which decides `reduce_sum`'s slice.
    fn of(caller: &str, sliced: Option<&Type>) -> Option<Functional> {
        let t = |b: BaseType, dims: u8| Type::Base(b, dims);
        use BaseType::{Int, Real, Vector};
        let (role, params, ret, variadic) = match caller {
            "reduce_sum" | "reduce_sum_static" => {
                let slice = sliced.cloned().unwrap_or(Type::Unknown);
                (
                    "partial-sum function",
                    vec![(slice, false, "slice"), (t(Int, 0), true, "start"), (t(Int, 0), true, "end")],
                    Type::REAL,
                    true,
                )
            }
            "map_rect" => (
                "mapped function",
                vec![
                    (t(Vector, 0), false, "phi"),
                    (t(Vector, 0), false, "theta"),
                    (t(Real, 1), true, "x_r"),
                    (t(Int, 1), true, "x_i"),
                ],
                t(Vector, 0),
                false,
            ),
            "integrate_1d" => (
                "integrand",
                vec![
                    (Type::REAL, false, "x"),
                    (Type::REAL, false, "xc"),
                    (t(Real, 1), false, "theta"),
                    (t(Real, 1), true, "x_r"),
                    (t(Int, 1), true, "x_i"),
                ],
                Type::REAL,
                false,
            ),
            "algebra_solver" | "algebra_solver_newton" => (
                "algebraic system",
                vec![
                    (t(Vector, 0), false, "y"),
                    (t(Vector, 0), false, "theta"),
                    (t(Real, 1), true, "x_r"),
                    (t(Int, 1), true, "x_i"),
                ],
                t(Vector, 0),
                false,
            ),
            "solve_newton" | "solve_powell" | "solve_newton_tol" | "solve_powell_tol" => {
                ("algebraic system", vec![(t(Vector, 0), false, "x")], t(Vector, 0), true)
            }
            "ode_rk45"
            | "ode_ckrk"
            | "ode_adams"
            | "ode_bdf"
            | "ode_rk45_tol"
            | "ode_ckrk_tol"
            | "ode_adams_tol"
            | "ode_bdf_tol"
            | "ode_adjoint_tol_ctl" => {
                ("ODE system", vec![(Type::REAL, false, "t"), (t(Vector, 0), false, "y")], t(Vector, 0), true)
            }
            "dae" | "dae_tol" => (
                "DAE residual function",
                vec![(Type::REAL, false, "t"), (t(Vector, 0), false, "y"), (t(Vector, 0), false, "y_prime")],
                t(Vector, 0),
                true,
            ),
            "integrate_ode" | "integrate_ode_rk45" | "integrate_ode_adams" | "integrate_ode_bdf" => (
                "ODE system",
                vec![
                    (Type::REAL, false, "t"),
                    (t(Real, 1), false, "y"),
                    (t(Real, 1), false, "theta"),
                    (t(Real, 1), true, "x_r"),
                    (t(Int, 1), true, "x_i"),
                ],
                t(Real, 1),
                false,
            ),
            _ => return None,
        };
        let promotes_first = matches!(caller, "reduce_sum" | "reduce_sum_static");
        Some(Functional { role, params, ret, variadic, promotes_first })
    }

    /// `vector f(real t, vector y, ...)`.
    fn shape(&self) -> String {
        // Ints are always data; Stan's documentation writes `int start`.
        let mut ps: Vec<String> =
            self.params.iter().map(|(t, d, n)| format!("{} {n}", data_prefix(*d && !is_int_based(t), t))).collect();
        if self.variadic {
            ps.push("...".to_string());
        }
        format!("{} f({})", self.ret, ps.join(", "))
    }

    /// What keeps `o` (an overload of `name`) from being this function, if anything.
    fn problem(&self, name: &str, o: &UserFn) -> Option<String> {
        if name.ends_with("_lp") {
            return Some(format!("`{name}` can change `target`"));
        }
        if name.ends_with("_rng") {
            return Some(format!("`{name}` draws random numbers"));
        }
        let types: Vec<String> = o.params.iter().map(|(t, d)| data_prefix(*d, t)).collect();
        let takes = format!("`{name}` takes ({})", types.join(", "));
        let count_ok =
            if self.variadic { o.params.len() >= self.params.len() } else { o.params.len() == self.params.len() };
        if !count_ok {
            return Some(takes);
        }
        for (i, ((want, want_data, _), (have, have_data))) in self.params.iter().zip(&o.params).enumerate() {
            let fits = if i == 0 && self.promotes_first {
                want.cost_to(have).is_some()
            } else {
                want == have || *want == Type::Unknown
            };
            if !fits {
                return Some(takes);
            }
            // A `data` parameter cannot receive what the caller computes from parameters.
            if *have_data && !want_data {
                return Some(format!("{takes}, with `{}` data only", o.param_names[i]));
            }
        }
        match &o.ret {
            Some(r) if *r == self.ret => None,
            Some(r) => Some(format!("`{name}` returns `{r}`")),
            None => Some(format!("`{name}` returns nothing (`void`)")),
        }
    }
}

/// The built-in function behind a binary operator (`/` by a matrix is `mdivide_right`).
fn operator_function(op: BinOp, rhs_is_matrix_like: bool) -> &'static str {
    match op {
        BinOp::Or => "logical_or",
        BinOp::And => "logical_and",
        BinOp::Eq => "logical_eq",
        BinOp::Neq => "logical_neq",
        BinOp::Lt => "logical_lt",
        BinOp::Le => "logical_lte",
        BinOp::Gt => "logical_gt",
        BinOp::Ge => "logical_gte",
        BinOp::Add => "add",
        BinOp::Sub => "subtract",
        BinOp::Mul => "multiply",
        BinOp::Div if rhs_is_matrix_like => "mdivide_right",
        BinOp::Div | BinOp::IntDiv => "divide",
        BinOp::Mod => "modulus",
        BinOp::LeftDiv => "mdivide_left",
        BinOp::EltMul => "elt_multiply",
        BinOp::EltDiv => "elt_divide",
        BinOp::Pow | BinOp::EltPow => "pow",
    }
}

/// Whether Stan defines the operator for these operand types (for lowering, to tell a wrong
/// program from one it cannot compile yet).
pub fn operator_exists(op: BinOp, lhs: ArgType, rhs: ArgType) -> bool {
    let name = operator_function(op, rhs.array_dims == 0 && rhs.base.rank() > 0);
    matches!(catalog::resolve(name, &[lhs, rhs]), Resolution::Match { .. } | Resolution::NeedsData { .. })
}

/// The base type left after indexing a vector or matrix with `keeps` (true: a range or
/// multi-index, which keeps that dimension).
fn index_base(b: BaseType, keeps: &[bool]) -> Option<BaseType> {
    use BaseType as B;
    let scalar = if b.is_complex() { B::Complex } else { B::Real };
    let (vector, row) =
        if b.is_complex() { (B::ComplexVector, B::ComplexRowVector) } else { (B::Vector, B::RowVector) };
    Some(match (b, keeps) {
        (_, []) => b,
        (B::Vector | B::ComplexVector | B::RowVector | B::ComplexRowVector, [false]) => scalar,
        (B::Vector | B::ComplexVector | B::RowVector | B::ComplexRowVector, [true]) => b,
        (B::Matrix | B::ComplexMatrix, [false]) | (B::Matrix | B::ComplexMatrix, [false, true]) => row,
        (B::Matrix | B::ComplexMatrix, [true]) | (B::Matrix | B::ComplexMatrix, [true, true]) => b,
        (B::Matrix | B::ComplexMatrix, [false, false]) => scalar,
        (B::Matrix | B::ComplexMatrix, [true, false]) => vector,
        _ => return None,
    })
}

/// Whether a value of this type is made of ints (never carries a derivative).
/// For a call of `name` that fits no signature: the argument given as a real where every
/// signature wants an int (a mass function's variate, binomial's number of trials), in words.
fn int_argument_hint(name: &str, types: &[ArgType]) -> Option<&'static str> {
    let families: Vec<&catalog::Family> = catalog::lookup_families(name).collect();
    let wants_int = |k: usize| {
        !families.is_empty()
            && families.iter().all(|f| {
                f.params.get(k).is_some_and(|p| match p.pattern {
                    catalog::Pattern::Ints => true,
                    catalog::Pattern::Type(t) => t.base == BaseType::Int,
                    _ => false,
                })
            })
    };
    let real = |t: &ArgType| matches!(t.base, BaseType::Real | BaseType::Vector | BaseType::RowVector);
    let k = types.iter().enumerate().position(|(k, t)| real(t) && t.rank() <= 1 && wants_int(k))?;
    Some(if k == 0 {
        "the variate"
    } else if name.starts_with("binomial") {
        "the number of trials"
    } else {
        "an int argument"
    })
}

fn is_int_based(t: &Type) -> bool {
    matches!(t, Type::Base(BaseType::Int, _))
}

fn data_prefix(data: bool, t: &Type) -> String {
    if data { format!("data {t}") } else { t.to_string() }
}

fn needs_data(span: Span, name: &str, arg: usize) -> Diagnostic {
    Diagnostic::error("E1030", span, format!("argument {} of `{name}` must be data only", arg + 1))
        .with_label("this argument depends on a parameter")
        .with_hint("pass data or transformed data here (the argument is declared `data`)")
}

/// The variable an assignment's left-hand side writes to.
/// A call that fits none of a user function's signatures (E1048). With one signature of the
/// call's arity, the first argument that does not fit it is blamed, beside its parameter;
/// otherwise every signature is shown where it is written.
fn user_call_mismatch(name: &str, overloads: &[UserFn], args: &[Val], spans: &[Span], span: Span) -> Diagnostic {
    let same_arity: Vec<&UserFn> = overloads.iter().filter(|o| o.params.len() == args.len()).collect();
    if let [o] = same_arity.as_slice()
        && let Some(i) = args.iter().zip(&o.params).position(|(a, (p, _))| a.ty.cost_to(p).is_none())
    {
        let (found, wanted) = (&args[i].ty, &o.params[i].0);
        return Diagnostic::error(
            "E1048",
            spans.get(i).copied().unwrap_or(span),
            format!(
                "argument {} of `{name}` is `{found}`, but its parameter `{}` is `{wanted}`",
                i + 1,
                o.param_names[i]
            ),
        )
        .with_label(format!("this is `{found}`"))
        .with_secondary(o.param_spans[i], format!("`{wanted}` here"))
        .with_hint("Stan converts an int to a real and a real to a complex, never back");
    }
    let found: Vec<String> = args.iter().map(|a| a.ty.to_string()).collect();
    let mut d =
        Diagnostic::error("E1048", span, format!("`{name}` cannot be called with arguments ({})", found.join(", ")))
            .with_label("no signature of this function matches");
    for o in overloads {
        d = d.with_secondary(
            o.span,
            format!("`{name}` takes {} argument{}", o.params.len(), if o.params.len() == 1 { "" } else { "s" }),
        );
    }
    d
}

/// A call that fits several of a user function's signatures with equally few promotions
/// (E1049): Stan does not choose between them.
fn ambiguous_user_call(name: &str, tied: &[&UserFn], args: &[Val], span: Span) -> Diagnostic {
    let found: Vec<String> = args.iter().map(|a| a.ty.to_string()).collect();
    let mut d = Diagnostic::error(
        "E1049",
        span,
        format!("the call `{name}({})` fits {} signatures of `{name}` equally well", found.join(", "), tied.len()),
    )
    .with_label("ambiguous call")
    .with_hint("convert an argument so that one signature fits it exactly (an int `i` as a real is `1.0 * i`)");
    for o in tied {
        d = d.with_secondary(o.span, "fits with as many promotions as the others");
    }
    d
}

/// In `m[:][1] = …` or `w[idx][j] = …` (`idx` an int array), the span of the inner indexing:
/// an indexed multi-index, which Stan cannot assign. `multi` says whether a single index
/// expression is an int array.
fn nested_multi_index(e: &ast::Expr, multi: &dyn Fn(&ast::Expr) -> bool) -> Option<Span> {
    let ExprKind::Index { base, .. } = &e.kind else { return None };
    let mut inner = base.as_ref();
    loop {
        match &inner.kind {
            ExprKind::Index { base, indices } => {
                if indices.iter().any(|i| match i {
                    Index::Single(e) => multi(e),
                    Index::Range { .. } | Index::All(_) => true,
                }) {
                    return Some(inner.span);
                }
                inner = base;
            }
            ExprKind::TupleGet { base, .. } | ExprKind::Paren(base) => inner = base,
            _ => return None,
        }
    }
}

fn root_name(e: &ast::Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Var(id) => Some(&id.name),
        ExprKind::Index { base, .. } | ExprKind::TupleGet { base, .. } => root_name(base),
        ExprKind::Paren(inner) => root_name(inner),
        _ => None,
    }
}
