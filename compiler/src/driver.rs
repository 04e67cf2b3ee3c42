//! Runs the stages in order. Each stage is a function from one representation to the next;
//! only this module sequences them, so it reads as the table of contents of the compiler.

use std::time::{Duration, Instant};

use grammar::ast;
use grammar::{Diagnostic, Span};
use runtime::compiled::{Entries, Entry, ErrorSiteInfo, ModelMeta, SiteKind};
use runtime::data::{DataSpec, ElemType, Shape};

use crate::codegen::jit::{self, Jit};
use crate::ir::{self, Core, Elem};
use crate::sema::{self, ModelInfo};
use crate::{ad, opt};

/// A model's source and name (the file stem), for messages.
pub struct Source {
    pub name: String,
    /// The file as the user named it, for error locations.
    pub path: String,
    pub text: String,
}

/// Every representation the compiler builds for one model.
pub struct Stages {
    pub ast: ast::Program,
    /// The IR as lowered (before differentiation and simplification).
    pub ir: ir::Module,
    /// The gradient function as produced by `ad`, before simplification.
    pub ad: ir::Function,
    /// The IR after simplification, gradient included: what codegen translates.
    pub opt: ir::Module,
    pub opt_gradient: ir::Function,
    /// The checks of the data alone, sliced from the log density: run once, after `load`.
    pub opt_validate: ir::Function,
    /// The work on the data alone, moved out of the functions the fit calls
    /// (`opt::data_hoist`): run once, after `validate`, it fills `n_precomputed` slots after
    /// the transformed data's.
    pub opt_precompute: ir::Function,
    pub n_precomputed: usize,
    /// The log density with a finiteness check after every term (`sema::locate_terms`): run
    /// only to say which term is not finite when no initial value works.
    pub opt_locate: ir::Function,
    /// From constrained parameter values to the unconstrained vector (`sema::unconstrain`):
    /// run only to read an init file.
    pub opt_unconstrain: ir::Function,
    /// The gradient of the propto log density without the Jacobian
    /// (`sema::log_density_no_jacobian`): `optimize`'s default objective and `log_prob
    /// jacobian=0`. Made only when asked for ([`Extras`]).
    pub opt_gradient_no_jacobian: Option<ir::Function>,
    /// The log density as differentiation takes it (data hoisted, before loop-invariant code
    /// motion): what [`hessian`] transforms.
    pub hoisted_log_density: ir::Function,
    /// The propto log density without the Jacobian as differentiation takes it, when it was
    /// asked for ([`Extras`]): what [`hessian`] transforms for the Hessian without the Jacobian.
    pub hoisted_log_density_no_jacobian: Option<ir::Function>,
    /// The Hessian's entry point (see [`hessian`]), when it was asked for: the function, or
    /// why the model has none.
    pub opt_hessian: Option<Result<ir::Function, String>>,
    /// The Hessian of the propto log density without the Jacobian (`optimize algorithm=newton`
    /// and `laplace jacobian=0`), compiled with the Hessian when the model has both.
    pub opt_hessian_no_jacobian: Option<ir::Function>,
    pub info: ModelInfo,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
}

/// The front end alone, as `vppl check` runs it: parse, lower and type-check. A valid program
/// that vppl cannot compile yet passes: its "not supported yet" errors become warnings.
pub fn check(source: &Source) -> Vec<Diagnostic> {
    let diags = match grammar::parse(&source.text) {
        Ok(ast) => sema::check(&ast).1,
        Err(d) => d,
    };
    diags
        .into_iter()
        .map(|d| {
            if d.code == sema::errors::NOT_SUPPORTED {
                Diagnostic { severity: grammar::Severity::Warning, ..d }
            } else {
                d
            }
        })
        .collect()
}

/// Entry points only some programs call, compiled when asked for.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extras {
    /// The gradient of the log density without the Jacobian (a built executable's `optimize`
    /// and `log_prob jacobian=0`); `vppl run` never calls it.
    pub no_jacobian: bool,
}

/// What `vppl build` compiles: every entry point a built executable's methods call.
pub const BUILD_EXTRAS: Extras = Extras { no_jacobian: true };

/// Front end through simplification: everything but native code.
pub fn compile_ir(source: &Source) -> Result<Stages, Vec<Diagnostic>> {
    compile_ir_with(source, Extras::default())
}

/// [`compile_ir`] with the entry points `extras` asks for.
pub fn compile_ir_with(source: &Source, extras: Extras) -> Result<Stages, Vec<Diagnostic>> {
    let mut timings = Vec::new();
    let t = Instant::now();
    let ast = grammar::parse(&source.text)?;
    timings.push(("parse", t.elapsed()));
    let t = Instant::now();
    let (lowered, warnings) = sema::check(&ast);
    let Some((module, info, typed)) = lowered else { return Err(warnings) };
    timings.push(("sema", t.elapsed()));
    // Checks of the data alone move out of the functions the fit calls, into `validate`; then
    // work on the data alone moves into `precompute`, which runs after it. The propto log
    // density loses both before it is differentiated, so the gradient never sees them.
    let t = Instant::now();
    // Both log densities reach `data_hoist` in the same form (before loop-invariant code
    // motion), so the values they have in common get one slot.
    let log_density = opt::simplify(&opt::fuse(&module.log_density));
    let (opt_validate, moved) = opt::data_checks::split(&opt::simplify(&opt::hoist(&log_density)));
    let mut precompute = opt::data_hoist::Precompute::new(info.n_slots() as u32);
    let hoisted_log_density = opt::simplify(&precompute.hoist(&opt::data_checks::drop(&log_density, &moved)));
    let log_density = opt::simplify(&opt::hoist(&hoisted_log_density));
    // Dead lets are removed before differentiating: a dead let that is still active would get
    // an adjoint rule, and a zero adjoint times a non-finite partial is NaN.
    let propto = opt::simplify(&opt::fuse(&module.log_density_propto));
    let propto = opt::simplify(&precompute.hoist(&opt::data_checks::drop(&propto, &moved)));
    // The density without the Jacobian goes the same way, sharing `precompute`'s slots.
    let no_jacobian = extras.no_jacobian.then(|| {
        let f = opt::simplify(&opt::fuse(&sema::log_density_no_jacobian(&ast, &info, &typed)));
        opt::simplify(&precompute.hoist(&opt::data_checks::drop(&f, &moved)))
    });
    let before_ad = t.elapsed();
    let t = Instant::now();
    let gradient = ad::differentiate(&propto);
    let gradient_no_jacobian = no_jacobian.as_ref().map(ad::differentiate);
    timings.push(("ad", t.elapsed()));
    let t = Instant::now();
    let log_density_propto = opt::simplify(&opt::hoist(&propto));
    let opt_module = ir::Module {
        load: opt::simplify(&module.load),
        sizes: opt::simplify(&module.sizes),
        log_density,
        log_density_propto,
        write_array: opt::simplify(&module.write_array),
    };
    let opt_gradient = opt::simplify(&opt::hoist(&opt::simplify(&gradient)));
    let opt_gradient_no_jacobian = gradient_no_jacobian.map(|g| opt::simplify(&opt::hoist(&opt::simplify(&g))));
    let n_precomputed = precompute.n_slots();
    let opt_precompute = opt::simplify(&precompute.function);
    let opt_locate = opt::simplify(&sema::locate_terms(&ast, &info, &typed));
    let opt_unconstrain = opt::simplify(&sema::unconstrain(&ast, &info, &typed));
    timings.push(("opt", before_ad + t.elapsed()));
    if cfg!(debug_assertions) {
        for f in [
            &opt_module.load,
            &opt_module.sizes,
            &opt_module.log_density,
            &opt_module.log_density_propto,
            &opt_module.write_array,
            &opt_validate,
            &opt_precompute,
            &opt_locate,
            &opt_unconstrain,
        ]
        .into_iter()
        .chain(&opt_gradient_no_jacobian)
        {
            ir::verify::verify(f);
        }
        for f in [&opt_module.log_density, &opt_module.log_density_propto, &opt_gradient]
            .into_iter()
            .chain(&opt_gradient_no_jacobian)
        {
            ir::verify::no_data_only_work(f);
        }
    }
    Ok(Stages {
        ast,
        ir: module,
        ad: gradient,
        opt: opt_module,
        opt_gradient,
        opt_validate,
        opt_precompute,
        n_precomputed,
        opt_locate,
        opt_unconstrain,
        opt_gradient_no_jacobian,
        hoisted_log_density,
        hoisted_log_density_no_jacobian: no_jacobian,
        opt_hessian: None,
        opt_hessian_no_jacobian: None,
        info,
        warnings,
        timings,
    })
}

/// Native code and everything the runtime needs to run it.
pub struct Native {
    pub jit: Jit,
    pub entries: Entries,
    pub meta: ModelMeta,
}

/// The Hessian of the log density (every constant kept, Jacobian included), reverse over
/// forward: `ad::tangent` makes the function of `[θ; v]` whose target is `∇f(θ)·v`, and
/// `ad::differentiate` its gradient, `[H v; ∇f]`. Compiled only where it is used (`vppl build`,
/// `vppl hessian`), so `vppl run` does not pay for it. Stored in `stages.opt_hessian`: the
/// function, or why the model has none (a function without a second derivative).
pub fn hessian(stages: &mut Stages) {
    let t = Instant::now();
    let result = second_derivatives(&stages.hoisted_log_density)
        .map_err(|name| format!("this model has no Hessian yet: vppl does not have the second derivative of `{name}`"));
    // Both densities use the same functions, so they have a Hessian or lack one together.
    if result.is_ok() {
        stages.opt_hessian_no_jacobian =
            stages.hoisted_log_density_no_jacobian.as_ref().and_then(|f| second_derivatives(f).ok());
    }
    stages.opt_hessian = Some(result);
    stages.timings.push(("hessian", t.elapsed()));
}

/// The Hessian function of a log density: the gradient of its tangent, simplified; or the name
/// of a function without a second derivative.
fn second_derivatives(log_density: &ir::Function) -> Result<ir::Function, String> {
    ad::tangent::tangent(log_density).map(|tangent| {
        if cfg!(debug_assertions) {
            // The tangent is a function of the input language (a gradient function binds its
            // lets again, so only the tangent is checked).
            ir::verify::verify(&tangent);
        }
        // Dead lets and stores go before differentiating, as for the gradient: the primal
        // target's sums are dead once only tangents reach the target.
        let tangent = opt::remove_dead_stores(&opt::simplify(&tangent));
        let hessian = ad::differentiate(&tangent);
        opt::simplify(&opt::hoist(&opt::simplify(&hessian)))
    })
}

/// The entry points the model was compiled with, each with its place in
/// `runtime::compiled::Entry` (the index of its symbol in an object file and of its error sites
/// in `ModelMeta::errors`): the nine every model has, then the optional ones.
fn entry_functions(stages: &Stages) -> Vec<(Entry, &ir::Function)> {
    let m = &stages.opt;
    let always = [
        &m.load,
        &m.sizes,
        &m.log_density,
        &stages.opt_gradient,
        &m.write_array,
        &stages.opt_validate,
        &stages.opt_locate,
        &stages.opt_unconstrain,
        &stages.opt_precompute,
    ];
    let mut functions: Vec<(Entry, &ir::Function)> = Entry::ALWAYS.into_iter().zip(always).collect();
    if let Some(f) = &stages.opt_gradient_no_jacobian {
        functions.push((Entry::GradientNoJacobian, f));
    }
    if let Some(Ok(hessian)) = &stages.opt_hessian {
        functions.push((Entry::Hessian, hessian));
    }
    if let Some(hessian) = &stages.opt_hessian_no_jacobian {
        functions.push((Entry::HessianNoJacobian, hessian));
    }
    functions
}

/// Everything the runtime needs to know about the model besides its code.
fn model_meta(source: &Source, stages: &Stages) -> ModelMeta {
    ModelMeta {
        name: source.name.clone(),
        file: source.path.clone(),
        data: stages.info.data.iter().map(data_spec).collect(),
        n_transformed_data: stages.info.transformed_data.len(),
        n_precomputed: stages.n_precomputed,
        outputs: stages.info.outputs.iter().map(|o| (o.name.clone(), o.shape.clone())).collect(),
        parameters: stages.info.parameters.iter().map(data_spec).collect(),
        n_generated: stages.info.n_generated,
        errors: {
            // One list per entry point, empty for the optional ones not compiled.
            let mut errors = vec![Vec::new(); Entry::COUNT];
            for (entry, func) in entry_functions(stages) {
                errors[entry as usize] = error_sites(source, func);
            }
            errors
        },
        no_hessian: match &stages.opt_hessian {
            Some(Ok(_)) => None,
            Some(Err(why)) => Some(why.clone()),
            None => Some("the Hessian was not compiled for this run (`vppl build` compiles it)".into()),
        },
    }
}

pub fn compile_native(source: &Source, stages: &mut Stages) -> Result<Native, String> {
    let t = Instant::now();
    let functions = entry_functions(stages);
    let order: Vec<Entry> = functions.iter().map(|(e, _)| *e).collect();
    let funcs: Vec<&ir::Function> = functions.into_iter().map(|(_, f)| f).collect();
    let jit = jit::compile(&funcs)?;
    stages.timings.push(("codegen", t.elapsed()));
    let f = &jit.functions;
    let optional = |entry: Entry| order.iter().position(|e| *e == entry).map(|k| f[k]);
    let entries = Entries {
        load: f[0],
        sizes: f[1],
        log_density: f[2],
        gradient: f[3],
        write_array: f[4],
        validate: f[5],
        locate: f[6],
        unconstrain: f[7],
        precompute: f[8],
        gradient_no_jacobian: optional(Entry::GradientNoJacobian),
        hessian: optional(Entry::Hessian),
        hessian_no_jacobian: optional(Entry::HessianNoJacobian),
    };
    Ok(Native { jit, entries, meta: model_meta(source, stages) })
}

/// The model's code as an object file (what `vppl build` puts in an executable), and its meta.
pub fn compile_object(source: &Source, stages: &mut Stages) -> Result<(Vec<u8>, ModelMeta), String> {
    let t = Instant::now();
    let functions: Vec<(usize, &ir::Function)> =
        entry_functions(stages).into_iter().map(|(entry, f)| (entry as usize, f)).collect();
    let object = jit::compile_object(&functions)?;
    stages.timings.push(("codegen", t.elapsed()));
    Ok((object, model_meta(source, stages)))
}

fn data_spec(var: &crate::sema::DataVar) -> DataSpec {
    use crate::sema::Part;
    let ty = var.ty;
    DataSpec {
        name: var.name.clone(),
        elem: match (ty.elem, var.part) {
            (Elem::Int, _) => ElemType::Int,
            (_, Part::Real) => ElemType::RealPart,
            (_, Part::Imag) => ElemType::ImagPart,
            (Elem::Real, Part::Whole) => ElemType::Real,
            (Elem::Complex, Part::Whole) => unreachable!("a complex variable is read as its parts"),
            (Elem::Tuple(_), _) => unreachable!("a tuple is read as its components"),
        },
        array_rank: ty.array_rank as usize,
        shape: match ty.core {
            Core::Scalar => Shape::Scalar,
            Core::Vector => Shape::Vector,
            Core::RowVector => Shape::RowVector,
            Core::Matrix => Shape::Matrix,
        },
        tuple_path: var.path.clone(),
    }
}

fn error_sites(source: &Source, func: &ir::Function) -> Vec<ErrorSiteInfo> {
    func.errors
        .iter()
        .map(|e| {
            let (line, column) =
                grammar::span::line_col(&source.text, Span::new(e.span.0 as usize, e.span.1 as usize).start);
            let kind = match e.kind {
                ir::ErrorKind::Domain => SiteKind::Domain,
                ir::ErrorKind::Index => SiteKind::Index,
                ir::ErrorKind::Fatal => SiteKind::Fatal,
                ir::ErrorKind::Data => SiteKind::Data,
                ir::ErrorKind::PrintReal => SiteKind::PrintReal,
                ir::ErrorKind::PrintInt => SiteKind::PrintInt,
                ir::ErrorKind::PrintText => SiteKind::PrintText,
            };
            ErrorSiteInfo { kind, message: e.message.clone(), line, column, needs: e.needs.clone() }
        })
        .collect()
}
