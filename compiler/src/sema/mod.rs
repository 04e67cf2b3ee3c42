//! Name resolution, type checking and lowering of the AST to the IR.
//!
//! One walk over the AST does all three: each expression is checked and lowered to A-normal
//! form in the same step, so types never have to be stored in the tree. The walk runs once per
//! entry point of the model ABI (load, sizes, log density with and without constants,
//! write_array, unconstrain); the program is the same each time, only what is emitted differs.

pub mod builtins;
mod complex;
pub mod errors;
mod expr;
mod functions;
pub(crate) mod matrix_transforms;
mod print;
mod stmt;
pub(crate) mod transforms;
mod tuples;
pub mod typeck;
pub(crate) mod vector_transforms;

use std::collections::HashMap;

use grammar::ast::{self, BlockKind};
use grammar::{Diagnostic, Span};

use crate::ir::{self, Atom, Elem, ErrorKind, ErrorSite, Expr, Function, Prim, Stmt, Ty, VarId, VarKind};

/// Which entry point a lowering produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Load,
    Sizes,
    /// `locate`: the log density with every constant, checking after each term (`~`,
    /// `target +=`, `jacobian +=`) that the running total is still finite; the entry point that
    /// says which term is not finite when no initial value works ([`locate_terms`]).
    ///
    /// `jacobian: false` is the density without the log-Jacobian of the constraining
    /// transforms (CmdStan's `jacobian=0` for `log_prob` and `optimize`): the parameters'
    /// transforms, `jacobian +=` and the built-in `_jacobian` functions add nothing to it.
    LogDensity {
        propto: bool,
        locate: bool,
        jacobian: bool,
    },
    WriteArray,
    /// `unconstrain` (Stan's `transform_inits`): reads each parameter's constrained value, checks
    /// its constraint, and writes the unconstrained vector ([`unconstrain`]).
    Unconstrain,
}

/// A data variable as the runtime must read it from the JSON file.
#[derive(Clone, Debug, PartialEq)]
pub struct DataVar {
    pub name: String,
    /// Its type; the part's (real) for a part of a complex variable.
    pub ty: Ty,
    pub part: Part,
    /// For a component of a tuple variable (each is read on its own, `sema::tuples`): the way
    /// to it, as `runtime::data::DataSpec::tuple_path` says.
    pub path: Vec<(usize, usize)>,
}

/// Which part of a variable a slot holds: a complex variable has two slots, its real part and
/// its imaginary part (the runtime takes each from the `[re, im]` pairs of the JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Whole,
    Real,
    Imag,
}

impl DataVar {
    /// The slots of a declared variable: one per component of a tuple (one for any other
    /// type), two for a complex one's parts.
    fn slots(d: &ast::VarDecl) -> Vec<DataVar> {
        let mut slots = Vec::new();
        for leaf in tuples::leaves(d) {
            let ty = decl_ty(&leaf.decl.ty);
            let var = |ty, part| DataVar { name: d.name.name.clone(), ty, part, path: leaf.path.clone() };
            if ty.is_complex() {
                slots.extend([var(ty.part(), Part::Real), var(ty.part(), Part::Imag)]);
            } else {
                slots.push(var(ty, Part::Whole));
            }
        }
        slots
    }

    /// The name of what the slot holds: `x`, or `x.2.1` for a component of a tuple (the name
    /// lowering gives the component's declaration, `tuples::leaves`).
    pub fn label(&self) -> String {
        let mut label = self.name.clone();
        for (_, k) in &self.path {
            label.push_str(&format!(".{k}"));
        }
        label
    }
}

/// An output variable (parameter, transformed parameter or generated quantity).
#[derive(Clone, Debug, PartialEq)]
pub struct OutputVar {
    pub name: String,
    pub shape: runtime::compiled::OutputShape,
}

/// What the runtime needs to know about a model besides its code.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelInfo {
    /// Data variables in slot order (slot i holds data variable i).
    pub data: Vec<DataVar>,
    /// Transformed data variables; their slots follow the data slots.
    pub transformed_data: Vec<DataVar>,
    pub outputs: Vec<OutputVar>,
    /// Parameters in declaration order: what `unconstrain` reads from its slots.
    pub parameters: Vec<DataVar>,
    /// How many of the outputs (the last ones) are generated quantities.
    pub n_generated: usize,
}

impl ModelInfo {
    pub fn n_slots(&self) -> usize {
        self.data.len() + self.transformed_data.len()
    }
}

/// Checks the program and lowers it to the IR. Warnings come back in both cases; with the IR
/// comes what the type checker decided, which [`unconstrain`] and [`locate_terms`] lower by.
pub fn check(program: &ast::Program) -> (Option<(ir::Module, ModelInfo, typeck::Typed)>, Vec<Diagnostic>) {
    // A wrong signature would show up at every call as a consequence; it is reported alone.
    let signature_errors = typeck::check_signatures(program);
    // A declaration never defined (E1038) changes nothing at the calls: the rest is checked.
    if signature_errors.iter().any(|d| d.code != "E1038") {
        return (None, signature_errors);
    }
    let mut diags = signature_errors;
    // Types are checked once, by `typeck`, which knows all of Stan. A program it finds wrong
    // gets its diagnostics and is not lowered; lowering sees only valid programs, so a type
    // error it finds is a construct vppl cannot compile yet.
    let (typeck_diags, typed) = typeck::check(program);
    if typeck_diags.iter().any(Diagnostic::is_error) {
        diags.extend(typeck_diags);
        return (None, finish(diags));
    }
    let info = model_info(program, &mut diags);
    // The log density walk is the one that reports problems; the other walks see the same
    // program and would only repeat them.
    let log_density =
        lower(program, Mode::LogDensity { propto: false, locate: false, jacobian: true }, &typed, &info, &mut diags);
    let mut spare = Vec::new();
    let load = lower(program, Mode::Load, &typed, &info, &mut spare);
    let sizes = lower(program, Mode::Sizes, &typed, &info, &mut spare);
    let write_array = lower(program, Mode::WriteArray, &typed, &info, &mut spare);
    // Only the log density walk reads the model block; generated quantities are read only by
    // write_array, so its own problems are reported too.
    for d in spare {
        if !diags.contains(&d) {
            diags.push(d);
        }
    }
    let log_density_propto = lower(
        program,
        Mode::LogDensity { propto: true, locate: false, jacobian: true },
        &typed,
        &info,
        &mut Vec::new(),
    );
    for t in typeck_diags {
        if !diags.contains(&t) {
            diags.push(t);
        }
    }
    let diags = finish(diags);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let module = ir::Module { load, sizes, log_density, log_density_propto, write_array };
    (Some((module, info, typed)), diags)
}

/// Orders diagnostics and drops repeats: each in source order, a name never declared reported
/// at its first use, and, in a program with mistakes, no notes on what vppl cannot compile yet
/// (they would only bury the mistakes).
fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = Vec::new();
    diags.retain(|d| {
        let new = !seen.contains(d);
        if new {
            seen.push(d.clone());
        }
        new
    });
    // In a program with mistakes, notes on what vppl cannot compile yet would only bury them.
    if diags.iter().any(|d| d.is_error() && d.code != errors::NOT_SUPPORTED) {
        diags.retain(|d| d.code != errors::NOT_SUPPORTED);
    }
    diags.sort_by_key(|d| d.span.start);
    // A name never declared (a variable, E1001, or a function, E1002) is one mistake however
    // often it is used: report its first use.
    let mut undeclared: Vec<String> = Vec::new();
    diags.retain(|d| {
        if d.code != "E1001" && d.code != "E1002" {
            return true;
        }
        if undeclared.contains(&d.message) {
            return false;
        }
        undeclared.push(d.message.clone());
        true
    });
    diags
}

/// The `unconstrain` entry point of a program that [`check`] accepted (Stan's
/// `transform_inits`): from given constrained parameter values to the unconstrained vector.
///
/// Its ABI is the one of every entry point, `(ctx, theta, n, out)`, and it reads the given
/// values the way every entry point reads data: from slots. Slots `0..n_slots` are the data and
/// transformed data as always; slot `n_slots + k` holds the value of parameter `k` (in
/// declaration order) as the runtime read it from the init file, and slot
/// `n_slots + n_parameters` is an `array[] int` saying which parameters the file gives (1) and
/// which it does not (0). So the runtime reads inits with the data reader, and codegen needs
/// nothing new. A given parameter's sizes and constraint are checked and it is unconstrained
/// into `out`; a parameter the file lacks keeps the unconstrained values `theta` holds at its
/// place (the runtime's random draws, CmdStan's partial initialisation), and its constrained
/// value is computed from them. Either way the constrained value is bound to the parameter's
/// name, so the bounds of later parameters read it.
pub fn unconstrain(program: &ast::Program, info: &ModelInfo, typed: &typeck::Typed) -> Function {
    lower_checked(program, Mode::Unconstrain, typed, info)
}

/// One more entry point of a program that [`check`] accepted, which lowering cannot fail on.
fn lower_checked(program: &ast::Program, mode: Mode, typed: &typeck::Typed, info: &ModelInfo) -> Function {
    let mut diags = Vec::new();
    let f = lower(program, mode, typed, info, &mut diags);
    assert!(diags.iter().all(|d| !d.is_error()), "bug: lowering found errors in a checked program: {diags:?}");
    f
}

/// The `locate` entry point of a program that [`check`] accepted: the log density with every
/// constant, raising an error at the first term after which the total is not finite. The fit
/// never calls it; the runtime does when no initial value has a finite log density, to say
/// which statement is to blame.
pub fn locate_terms(program: &ast::Program, info: &ModelInfo, typed: &typeck::Typed) -> Function {
    lower_checked(program, Mode::LogDensity { propto: false, locate: true, jacobian: true }, typed, info)
}

/// The propto log density without the log-Jacobian of the constraining transforms, of a
/// program that [`check`] accepted: what `optimize` climbs by default (Stan's mode of the
/// posterior density) and `log_prob jacobian=0` reports. Lowered only when asked for, so a
/// compile that does not need it (`vppl run`) does not pay for it.
pub fn log_density_no_jacobian(program: &ast::Program, info: &ModelInfo, typed: &typeck::Typed) -> Function {
    lower_checked(program, Mode::LogDensity { propto: true, locate: false, jacobian: false }, typed, info)
}

fn model_info(program: &ast::Program, diags: &mut Vec<Diagnostic>) -> ModelInfo {
    let decls = |block: &'_ Option<ast::ProgramBlock>| -> Vec<ast::VarDecl> {
        let mut out = Vec::new();
        for s in block.iter().flat_map(|b| &b.stmts) {
            if let ast::StmtKind::Decl(d) = &s.kind {
                out.push(d.clone());
            }
        }
        out
    };
    let slots = |block| decls(block).iter().flat_map(DataVar::slots).collect();
    let data = slots(&program.data);
    let transformed_data = slots(&program.transformed_data);
    let parameters = slots(&program.parameters);
    let mut outputs = Vec::new();
    for block in [&program.parameters, &program.transformed_parameters, &program.generated_quantities] {
        for d in decls(block) {
            outputs.push(OutputVar { name: d.name.name.clone(), shape: tuples::output_shape(&d.ty) });
        }
    }
    for (block, error) in [
        (&program.parameters, errors::parameter_int as fn(Span) -> Diagnostic),
        (&program.transformed_parameters, errors::transformed_parameter_int),
    ] {
        for s in block.iter().flat_map(|b| &b.stmts) {
            if let ast::StmtKind::Decl(d) = &s.kind
                && holds_int(&d.ty)
            {
                diags.push(error(d.ty.span));
            }
        }
    }
    let n_generated = decls(&program.generated_quantities).len();
    ModelInfo { data, transformed_data, outputs, parameters, n_generated }
}

/// Whether a declared type has an int anywhere (also inside a tuple): parameters cannot.
fn holds_int(t: &ast::DeclType) -> bool {
    match &t.kind {
        ast::TypeKind::Int => true,
        ast::TypeKind::Tuple(elems) => elems.iter().any(holds_int),
        _ => false,
    }
}

/// The IR type of a declared type (constraints and sizes dropped).
pub fn decl_ty(t: &ast::DeclType) -> Ty {
    let array_rank = t.array_dims.len() as u8;
    let (elem, core) = kind_ty(&t.kind);
    Ty { elem, array_rank, core }
}

pub fn kind_ty(kind: &ast::TypeKind) -> (Elem, ir::Core) {
    use ast::TypeKind as K;
    use ir::Core;
    match kind {
        K::Int => (Elem::Int, Core::Scalar),
        K::Real => (Elem::Real, Core::Scalar),
        K::Complex => (Elem::Complex, Core::Scalar),
        K::ComplexVector => (Elem::Complex, Core::Vector),
        K::ComplexRowVector => (Elem::Complex, Core::RowVector),
        K::ComplexMatrix => (Elem::Complex, Core::Matrix),
        K::Vector | K::Simplex | K::Ordered | K::PositiveOrdered | K::UnitVector | K::SumToZeroVector => {
            (Elem::Real, Core::Vector)
        }
        K::RowVector => (Elem::Real, Core::RowVector),
        K::Matrix
        | K::SumToZeroMatrix
        | K::CholeskyFactorCorr
        | K::CholeskyFactorCov
        | K::CorrMatrix
        | K::CovMatrix
        | K::ColumnStochasticMatrix
        | K::RowStochasticMatrix => (Elem::Real, Core::Matrix),
        K::Tuple(elems) => (Elem::tuple(&elems.iter().map(decl_ty).collect::<Vec<_>>()), Core::Scalar),
    }
}

/// A value produced by lowering an expression.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Val {
    pub atom: Atom,
    pub ty: Ty,
    /// True when the value cannot depend on parameters (Stan's `double` versus `var`): decides
    /// which terms a `~` statement may drop.
    pub data: bool,
}

impl Val {
    pub fn int(i: i64) -> Val {
        Val { atom: Atom::Int(i), ty: Ty::INT, data: true }
    }
    pub fn real(x: f64) -> Val {
        Val { atom: Atom::Real(x), ty: Ty::REAL, data: true }
    }
    /// The value of an expression that failed to check.
    pub fn error() -> Val {
        Val { atom: Atom::Real(f64::NAN), ty: Ty::ERROR, data: true }
    }
}

#[derive(Clone, Debug)]
struct Binding {
    var: VarId,
    ty: Ty,
    data: bool,
    /// The program block that declared it, or `None` for a local or loop variable.
    origin: Option<BlockKind>,
    assignable: bool,
    span: Span,
}

pub(crate) struct Lowerer<'a> {
    pub f: Function,
    /// Open statement lists; the innermost receives emitted statements.
    out: Vec<Vec<Stmt>>,
    scopes: Vec<HashMap<String, Binding>>,
    pub mode: Mode,
    block: BlockKind,
    diags: &'a mut Vec<Diagnostic>,
    info: &'a ModelInfo,
    /// What the type checker decided: lowering follows it (see `typeck`).
    typed: &'a typeck::Typed,
    /// In write_array: the running output position.
    out_pos: Option<VarId>,
    /// Parameters read so far: the running offset into theta.
    theta_offset: Atom,
    theta: Option<VarId>,
    /// In unconstrain: the slot saying which parameters the init file gives.
    given: Option<VarId>,
    /// User-defined functions by name, and the ones being inlined right now (to refuse
    /// recursion).
    functions: HashMap<String, Vec<ast::FunDef>>,
    inline_stack: Vec<String>,
    /// How many user loops enclose the statement being lowered (for `break`/`continue`).
    loop_nesting: usize,
    /// While a term (`~`, `target +=`) is lowered: the data variables it reads and what needs
    /// each finite, attached to every check made meanwhile (`ErrorSite::needs`).
    term_needs: Vec<(String, String)>,
    /// The imaginary part of each complex value, keyed by the variable of its real part
    /// (`sema::complex`).
    imag: HashMap<VarId, Atom>,
    /// The components of each tuple value, keyed by a variable of its own (`sema::tuples`).
    tuples: HashMap<VarId, Vec<Val>>,
}

fn lower(
    program: &ast::Program,
    mode: Mode,
    typed: &typeck::Typed,
    info: &ModelInfo,
    diags: &mut Vec<Diagnostic>,
) -> Function {
    let name = match mode {
        Mode::Load => "load",
        Mode::Sizes => "sizes",
        Mode::LogDensity { locate: true, .. } => "locate_terms",
        Mode::LogDensity { jacobian: false, .. } => "log_density_no_jacobian",
        Mode::LogDensity { propto: false, .. } => "log_density",
        Mode::LogDensity { propto: true, .. } => "log_density_propto",
        Mode::WriteArray => "write_array",
        Mode::Unconstrain => "unconstrain",
    };
    let mut l = Lowerer {
        f: Function::new(name),
        out: vec![Vec::new()],
        scopes: vec![HashMap::new()],
        mode,
        block: BlockKind::Data,
        diags,
        info,
        typed,
        out_pos: None,
        theta_offset: Atom::Int(0),
        theta: None,
        given: None,
        functions: Lowerer::collect_functions(program),
        inline_stack: Vec::new(),
        loop_nesting: 0,
        term_needs: Vec::new(),
        imag: HashMap::new(),
        tuples: HashMap::new(),
    };
    if matches!(mode, Mode::LogDensity { .. } | Mode::WriteArray | Mode::Unconstrain) {
        let theta = l.f.new_var(Some("theta".into()), Ty::VECTOR, VarKind::Input);
        l.f.params.push(theta);
        l.theta = Some(theta);
    }
    if mode == Mode::Unconstrain {
        let slot = (info.n_slots() + info.parameters.len()) as u32;
        l.given = Some(l.f.new_var(Some("given".into()), Ty::array(Elem::Int, 1), VarKind::Slot(slot)));
    }
    if matches!(mode, Mode::WriteArray | Mode::Sizes) {
        let pos = l.f.new_var(Some("pos".into()), Ty::INT, VarKind::Mutable);
        l.emit(Stmt::Decl { var: pos, dims: vec![] });
        l.emit(Stmt::Assign { var: pos, indices: vec![], value: Atom::Int(0) });
        l.out_pos = Some(pos);
    }
    if mode == Mode::Sizes {
        // Position 0 holds the unconstrained dimension, written at the end.
        l.bump_out_pos();
    }
    l.lower_program(program);
    if mode == Mode::Sizes {
        l.emit(Stmt::Output { pos: Atom::Int(0), value: l.theta_offset });
    }
    l.f.body = l.out.pop().expect("statement stack is balanced");
    l.f
}

impl<'a> Lowerer<'a> {
    fn lower_program(&mut self, p: &ast::Program) {
        self.lower_data(p);
        self.lower_transformed_data(p);
        if let Some(b) = &p.parameters
            && self.mode != Mode::Load
        {
            self.block = BlockKind::Parameters;
            for s in &b.stmts {
                match &s.kind {
                    ast::StmtKind::Decl(d) => self.lower_parameter(d),
                    _ => self.error(errors::not_supported(s.span, "statements in the parameters block")),
                }
            }
        }
        let wants_tp = !matches!(self.mode, Mode::Load | Mode::Unconstrain);
        if let Some(b) = &p.transformed_parameters
            && wants_tp
        {
            self.block = BlockKind::TransformedParameters;
            self.lower_output_block(b);
        }
        if let Some(b) = &p.model
            && matches!(self.mode, Mode::LogDensity { .. })
        {
            self.block = BlockKind::Model;
            self.push_scope();
            self.lower_stmts(&b.stmts);
            self.pop_scope();
        }
        if let Some(b) = &p.generated_quantities
            && matches!(self.mode, Mode::WriteArray | Mode::Sizes)
        {
            self.block = BlockKind::GeneratedQuantities;
            self.lower_output_block(b);
        }
    }

    fn lower_data(&mut self, p: &ast::Program) {
        self.block = BlockKind::Data;
        let Some(b) = &p.data else { return };
        let mut slot = 0;
        for s in &b.stmts {
            let ast::StmtKind::Decl(d) = &s.kind else {
                self.error(errors::not_supported(s.span, "statements in the data block"));
                continue;
            };
            // A tuple is read component by component, each an ordinary variable.
            let mut leaves = Vec::new();
            for leaf in tuples::leaves(d) {
                let ty = decl_ty(&leaf.decl.ty);
                let var = self.slot_var(&leaf.decl.name.name, ty, &mut slot);
                if self.mode == Mode::Load {
                    self.check_data_decl(&leaf.decl, var, ty);
                }
                leaves.push(Val { atom: Atom::Var(var), ty, data: true });
            }
            let ty = decl_ty(&d.ty);
            let var = self.assemble(ty, &mut leaves.into_iter()).atom.var().expect("a variable");
            self.bind(
                &d.name,
                Binding { var, ty, data: true, origin: Some(BlockKind::Data), assignable: false, span: d.name.span },
            );
        }
    }

    fn lower_transformed_data(&mut self, p: &ast::Program) {
        self.block = BlockKind::TransformedData;
        let Some(b) = &p.transformed_data else { return };
        let first_slot = self.info.data.len() as u32;
        if self.mode == Mode::Load {
            // Declarations become mutable variables, filled by the block's statements, then
            // checked against their constraints and stored in their slots.
            self.lower_stmts(&b.stmts);
            let mut slot = first_slot;
            for s in &b.stmts {
                if let ast::StmtKind::Decl(d) = &s.kind {
                    // A declaration that failed to check has no binding; it was reported.
                    let Some(binding) = self.lookup(&d.name.name).cloned() else { continue };
                    let value = Val { atom: Atom::Var(binding.var), ty: binding.ty, data: true };
                    let values = self.leaf_values(value);
                    for (leaf, value) in tuples::leaves(d).iter().zip(values) {
                        self.check_constraint(&leaf.decl, value.atom, value.ty, "transformed data variable");
                        // Each slot holds a variable: a constant is stored from a let.
                        let mut parts = vec![value.atom];
                        if value.ty.is_complex() {
                            parts.push(self.imag_of(value));
                        }
                        for part in parts {
                            let var = match part {
                                Atom::Var(v) => v,
                                atom => self.let_(value.ty.part(), Expr::Atom(atom)).var().expect("a let"),
                            };
                            self.emit(Stmt::Store { slot, var });
                            slot += 1;
                        }
                    }
                }
            }
            // The declarations stay visible to later blocks as read-only data.
            for binding in self.scopes.last_mut().expect("global scope").values_mut() {
                if binding.origin == Some(BlockKind::TransformedData) {
                    binding.assignable = false;
                }
            }
            return;
        }
        let mut slot = first_slot;
        for s in &b.stmts {
            if let ast::StmtKind::Decl(d) = &s.kind {
                let mut leaves = Vec::new();
                for leaf in tuples::leaves(d) {
                    let ty = decl_ty(&leaf.decl.ty);
                    let var = self.slot_var(&leaf.decl.name.name, ty, &mut slot);
                    leaves.push(Val { atom: Atom::Var(var), ty, data: true });
                }
                let ty = decl_ty(&d.ty);
                let var = self.assemble(ty, &mut leaves.into_iter()).atom.var().expect("a variable");
                self.bind(
                    &d.name,
                    Binding {
                        var,
                        ty,
                        data: true,
                        origin: Some(BlockKind::TransformedData),
                        assignable: false,
                        span: d.name.span,
                    },
                );
            }
        }
    }

    /// The variable of a data or transformed data variable read from its slot (from `*slot`
    /// on; a complex variable's parts take two), `*slot` moved past it.
    fn slot_var(&mut self, name: &str, ty: Ty, slot: &mut u32) -> VarId {
        let var = self.f.new_var(Some(name.to_string()), ty.part(), VarKind::Slot(*slot));
        *slot += 1;
        if ty.is_complex() {
            let im = self.f.new_var(Some(format!("{name}.im")), ty.part(), VarKind::Slot(*slot));
            *slot += 1;
            self.pair(var, im);
        }
        var
    }

    /// Transformed parameters and generated quantities: statements, then constraint checks,
    /// then (in write_array) the values in output order; (in sizes) the sizes only.
    fn lower_output_block(&mut self, b: &ast::ProgramBlock) {
        if self.mode == Mode::Sizes {
            for s in &b.stmts {
                if let ast::StmtKind::Decl(d) = &s.kind {
                    self.output_sizes(&d.ty);
                }
            }
            return;
        }
        self.lower_stmts(&b.stmts);
        for s in &b.stmts {
            if let ast::StmtKind::Decl(d) = &s.kind {
                let Some(binding) = self.lookup(&d.name.name).cloned() else { continue };
                let what = if self.block == BlockKind::TransformedParameters {
                    "transformed parameter"
                } else {
                    "generated quantity"
                };
                let value = Val { atom: Atom::Var(binding.var), ty: binding.ty, data: true };
                let values = self.leaf_values(value);
                for (leaf, value) in tuples::leaves(d).iter().zip(values) {
                    self.check_constraint(&leaf.decl, value.atom, value.ty, what);
                }
                if self.mode == Mode::WriteArray {
                    self.write_output(Atom::Var(binding.var), binding.ty);
                }
            }
        }
    }

    // ---- emission helpers ---------------------------------------------------------------

    pub(crate) fn emit(&mut self, s: Stmt) {
        self.out.last_mut().expect("statement stack is never empty").push(s);
    }

    pub(crate) fn let_(&mut self, ty: Ty, expr: Expr) -> Atom {
        let var = self.f.new_var(None, ty, VarKind::Let);
        self.emit(Stmt::Let { var, expr });
        Atom::Var(var)
    }

    /// Applies a scalar primitive to atoms, folding constants where both are literals.
    pub(crate) fn prim(&mut self, p: impl Into<Prim>, args: &[Atom]) -> Atom {
        let p = p.into();
        let ty = p.result_ty();
        self.let_(ty, Expr::Prim(p, args.to_vec()))
    }

    pub(crate) fn to_real(&mut self, v: Val) -> Atom {
        match (v.ty.elem, v.atom) {
            (Elem::Complex, _) => unreachable!("bug: a complex value where a real one belongs"),
            (Elem::Tuple(_), _) => unreachable!("bug: a tuple where a real value belongs"),
            (Elem::Real, a) => a,
            (Elem::Int, Atom::Int(i)) => Atom::Real(i as f64),
            (Elem::Int, a) => self.prim(Prim::ToReal, &[a]),
        }
    }

    pub(crate) fn dim(&mut self, base: Atom, dim: usize) -> Atom {
        let Atom::Var(base) = base else { return Atom::Int(1) };
        self.let_(Ty::INT, Expr::Dim { base, dim: dim as u8 })
    }

    pub(crate) fn dims(&mut self, base: Atom, ty: Ty) -> Vec<Atom> {
        (0..ty.rank()).map(|d| self.dim(base, d)).collect()
    }

    /// A fresh container of `ty` and `dims`, filled once by the caller and read-only after.
    /// A fresh mutable scalar set to `init`.
    pub(crate) fn mutable(&mut self, ty: Ty, init: Atom) -> VarId {
        let var = self.f.new_var(None, ty, VarKind::Mutable);
        self.emit(Stmt::Decl { var, dims: vec![] });
        self.emit(Stmt::Assign { var, indices: vec![], value: init });
        var
    }

    /// A fresh mutable container of `ty` and `dims`, holding a copy of `init` (a container of
    /// those sizes) when there is one, else NaN.
    pub(crate) fn mutable_container(&mut self, ty: Ty, dims: Vec<Atom>, init: Option<Atom>) -> VarId {
        let var = self.f.new_var(None, ty, VarKind::Mutable);
        self.emit(Stmt::Decl { var, dims });
        if let Some(Atom::Var(src)) = init {
            self.emit(Stmt::Copy { dst: var, src });
        }
        var
    }

    pub(crate) fn build(&mut self, ty: Ty, dims: Vec<Atom>) -> Atom {
        let var = self.f.new_var(None, ty, VarKind::Built);
        self.emit(Stmt::Decl { var, dims });
        Atom::Var(var)
    }

    pub(crate) fn open(&mut self) {
        self.out.push(Vec::new());
    }

    pub(crate) fn close(&mut self) -> Vec<Stmt> {
        self.out.pop().expect("balanced open/close")
    }

    /// `for (i in lo:hi) body(i)`.
    pub(crate) fn for_loop(&mut self, lo: Atom, hi: Atom, body: impl FnOnce(&mut Self, Atom)) {
        let var = self.f.new_var(Some("i".into()), Ty::INT, VarKind::LoopIndex);
        self.open();
        body(self, Atom::Var(var));
        let body = self.close();
        self.emit(Stmt::For { var, lo, hi, reverse: false, body });
    }

    /// Nested loops over every element of a container with the given sizes, outermost dimension
    /// first (memory order for arrays; for a matrix the loops run over rows inside columns so
    /// that consecutive iterations touch consecutive memory).
    pub(crate) fn for_each_index(&mut self, dims: &[Atom], core: ir::Core, body: &mut dyn FnMut(&mut Self, &[Atom])) {
        let n = dims.len();
        // Order in which dimensions are looped, outermost first.
        let mut order: Vec<usize> = (0..n).collect();
        if core == ir::Core::Matrix && n >= 2 {
            order.swap(n - 2, n - 1);
        }
        self.nest(dims, &order, 0, &mut vec![Atom::Int(0); n], body);
    }

    /// Nested loops in Stan's output order: the first index varies fastest.
    pub(crate) fn for_each_index_colmajor(&mut self, dims: &[Atom], body: &mut dyn FnMut(&mut Self, &[Atom])) {
        let order: Vec<usize> = (0..dims.len()).rev().collect();
        self.nest(dims, &order, 0, &mut vec![Atom::Int(0); dims.len()], body);
    }

    fn nest(
        &mut self,
        dims: &[Atom],
        order: &[usize],
        depth: usize,
        idx: &mut Vec<Atom>,
        body: &mut dyn FnMut(&mut Self, &[Atom]),
    ) {
        if depth == order.len() {
            body(self, idx);
            return;
        }
        let d = order[depth];
        let var = self.f.new_var(Some("i".into()), Ty::INT, VarKind::LoopIndex);
        self.open();
        idx[d] = Atom::Var(var);
        self.nest(dims, order, depth + 1, idx, body);
        let inner = self.close();
        self.emit(Stmt::For { var, lo: Atom::Int(1), hi: dims[d], reverse: false, body: inner });
    }

    pub(crate) fn if_(&mut self, cond: Atom, then: impl FnOnce(&mut Self), otherwise: impl FnOnce(&mut Self)) {
        self.open();
        then(self);
        let then = self.close();
        self.open();
        otherwise(self);
        let otherwise = self.close();
        self.emit(Stmt::If { cond, then, otherwise });
    }

    /// Raises an error of `kind` with `message` unless `cond` is nonzero. `{}` placeholders in
    /// the message are filled with `values` at run time.
    pub(crate) fn check(&mut self, cond: Atom, kind: ErrorKind, message: String, span: Span, values: Vec<Atom>) {
        if let Atom::Int(c) = cond
            && c != 0
        {
            return;
        }
        let site = self.f.errors.len() as u32;
        let needs = self.term_needs.clone();
        self.f.errors.push(ErrorSite { kind, message, span: (span.start, span.end), needs });
        self.emit(Stmt::Check { cond, site, values });
    }

    /// Reports what lowering cannot compile. Lowering sees only programs `typeck` accepted
    /// (types are checked there, once), so whatever it finds wrong is a construct it cannot
    /// compile yet: a diagnostic from one of the checks lowering keeps for its own sake is
    /// reported as E1099, naming what it saw, never as a mistake of the user's.
    pub(crate) fn error(&mut self, d: Diagnostic) {
        let d = if d.is_error() && d.code != errors::NOT_SUPPORTED { errors::valid_but_not_compiled(&d) } else { d };
        self.diags.push(d);
    }

    pub(crate) fn output(&mut self, value: Atom) {
        let pos = self.out_pos.expect("output position exists in write_array and sizes");
        self.emit(Stmt::Output { pos: Atom::Var(pos), value });
        self.bump_out_pos();
    }

    fn bump_out_pos(&mut self) {
        let pos = self.out_pos.expect("output position exists");
        let next = self.prim(Prim::IAdd, &[Atom::Var(pos), Atom::Int(1)]);
        self.emit(Stmt::Assign { var: pos, indices: vec![], value: next });
    }

    /// Writes a value to the output in Stan's order (column-major over all dimensions).
    pub(crate) fn write_output(&mut self, value: Atom, ty: Ty) {
        if ty.is_tuple() {
            self.write_tuple(Val { atom: value, ty, data: true }, &[]);
            return;
        }
        if ty.is_complex() {
            // Each element's real part, then its imaginary part (Stan's `z.real`, `z.imag`).
            let v = Val { atom: value, ty, data: true };
            if !ty.is_scalar() && value.var().is_none() {
                return; // A value that failed to check, reported already.
            }
            let dims = self.dims(value, ty.part());
            self.for_each_index_colmajor(&dims, &mut |l, idx| {
                let z = l.load_z(v, idx);
                l.output(z.re);
                l.output(z.im);
            });
            return;
        }
        if ty.is_scalar() {
            let v = self.to_real(Val { atom: value, ty, data: true });
            self.output(v);
            return;
        }
        let dims = self.dims(value, ty);
        let Atom::Var(base) = value else { return };
        self.for_each_index_colmajor(&dims, &mut |l, idx| {
            let elem = l.let_(
                Ty { elem: ty.elem, array_rank: 0, core: ir::Core::Scalar },
                Expr::Load { base, indices: idx.to_vec() },
            );
            let v = l.to_real(Val {
                atom: elem,
                ty: Ty { elem: ty.elem, array_rank: 0, core: ir::Core::Scalar },
                data: true,
            });
            l.output(v);
        });
    }

    // ---- scopes ---------------------------------------------------------------------------

    fn push_scope(&mut self) {
        self.scopes.push(HashMap::new());
    }

    fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    fn bind(&mut self, name: &ast::Ident, b: Binding) {
        if let Some(prev) = self.lookup(&name.name) {
            let prev_span = prev.span;
            self.error(errors::duplicate_declaration(name.span, &name.name, prev_span));
            return;
        }
        self.scopes.last_mut().expect("scope stack is never empty").insert(name.name.clone(), b);
    }

    /// The variables visible here, for suggestions.
    fn names_in_scope(&self) -> impl Iterator<Item = &str> {
        self.scopes.iter().flat_map(|s| s.keys().map(String::as_str))
    }
}
