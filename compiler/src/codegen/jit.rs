//! Just-in-time compilation of a model's entry points into this process.

use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::{Context, ir as clif};
use cranelift_frontend::FunctionBuilderContext;
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{Linkage, Module, default_libcall_names};

use crate::codegen::translate::{Translator, signature};
use crate::ir;
use runtime::compiled::EntryFn;

/// Native code for a list of IR functions; the module must outlive every call.
pub struct Jit {
    _module: JITModule,
    pub functions: Vec<EntryFn>,
}

fn isa_builder() -> Result<std::sync::Arc<dyn cranelift_codegen::isa::TargetIsa>, String> {
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").map_err(|e| e.to_string())?;
    flags.set("use_colocated_libcalls", "false").map_err(|e| e.to_string())?;
    flags.set("is_pic", "false").map_err(|e| e.to_string())?;
    let isa_builder = cranelift_native::builder().map_err(|e| e.to_string())?;
    isa_builder.finish(settings::Flags::new(flags)).map_err(|e| e.to_string())
}

/// Compiles the functions; their order in the result is their order in `funcs`.
pub fn compile(funcs: &[&ir::Function]) -> Result<Jit, String> {
    let isa = isa_builder()?;
    let mut builder = JITBuilder::with_isa(isa, default_libcall_names());
    for (name, ptr) in runtime::abi::symbols() {
        builder.symbol(name, ptr);
    }
    let mut module = JITModule::new(builder);
    let mut ctx = module.make_context();
    let mut fctx = FunctionBuilderContext::new();
    let mut ids = Vec::new();
    for f in funcs {
        let sig = signature(&module);
        let id = module.declare_function(&f.name, Linkage::Local, &sig).map_err(|e| e.to_string())?;
        ctx.func.signature = sig;
        ctx.func.name = clif::UserFuncName::user(0, id.as_u32());
        Translator::translate(&mut module, f, &mut ctx.func, &mut fctx);
        module.define_function(id, &mut ctx).map_err(|e| format!("{}: {e:?}", f.name))?;
        module.clear_context(&mut ctx);
        ids.push(id);
    }
    module.finalize_definitions().map_err(|e| e.to_string())?;
    let functions = ids
        .iter()
        .map(|id| {
            let ptr = module.get_finalized_function(*id);
            // Safety: every function was translated with `signature`, which is EntryFn's.
            unsafe { std::mem::transmute::<*const u8, EntryFn>(ptr) }
        })
        .collect();
    Ok(Jit { _module: module, functions })
}

/// The Cranelift IR of one function, after Cranelift's own optimisation, as text.
pub fn clif_text(f: &ir::Function) -> Result<String, String> {
    let isa = isa_builder()?;
    let builder = JITBuilder::with_isa(isa.clone(), default_libcall_names());
    let mut module = JITModule::new(builder);
    let mut ctx: Context = module.make_context();
    let mut fctx = FunctionBuilderContext::new();
    let sig = signature(&module);
    let id = module.declare_function(&f.name, Linkage::Local, &sig).map_err(|e| e.to_string())?;
    ctx.func.signature = sig;
    ctx.func.name = clif::UserFuncName::user(0, id.as_u32());
    Translator::translate(&mut module, f, &mut ctx.func, &mut fctx);
    ctx.optimize(isa.as_ref(), &mut Default::default()).map_err(|e| format!("{e:?}"))?;
    Ok(ctx.func.display().to_string())
}
