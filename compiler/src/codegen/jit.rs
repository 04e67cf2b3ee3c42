//! Native code for a model's entry points: compiled into this process (the JIT), or into an
//! object file that a built executable loads (`vppl build`). Both come from one translation.

use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::{Context, ir as clif};
use cranelift_frontend::FunctionBuilderContext;
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{Linkage, Module, ModuleReloc, default_libcall_names};
use cranelift_object::{ObjectBuilder, ObjectModule};

use crate::codegen::translate::{Translator, signature};
use crate::ir;
use runtime::compiled::EntryFn;

/// Native code for a list of IR functions; the module must outlive every call.
pub struct Jit {
    _module: JITModule,
    pub functions: Vec<EntryFn>,
}

impl Jit {
    /// Frees the compiled code (dropping a `Jit` keeps it, since a model may still call it):
    /// the REPL compiles a small program per line and frees each once its model is gone.
    ///
    /// # Safety
    /// No function of `functions` may be called afterwards: every model made from them must
    /// have been dropped.
    pub unsafe fn free(self) {
        // Safety: the caller promises the code is no longer called.
        unsafe { self._module.free_memory() };
    }
}

fn isa_builder() -> Result<std::sync::Arc<dyn cranelift_codegen::isa::TargetIsa>, String> {
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").map_err(|e| e.to_string())?;
    // Cranelift's IR verifier checks our translator, not the user's model: on in debug builds
    // (every test), off in release, where it would cost a fifth of the compile time.
    flags.set("enable_verifier", if cfg!(debug_assertions) { "true" } else { "false" }).map_err(|e| e.to_string())?;
    flags.set("use_colocated_libcalls", "false").map_err(|e| e.to_string())?;
    flags.set("is_pic", "false").map_err(|e| e.to_string())?;
    let isa_builder = cranelift_native::builder().map_err(|e| e.to_string())?;
    isa_builder.finish(settings::Flags::new(flags)).map_err(|e| e.to_string())
}

/// Compiles the functions into this process; their order in the result is their order in
/// `funcs`.
pub fn compile(funcs: &[&ir::Function]) -> Result<Jit, String> {
    let isa = isa_builder()?;
    let mut builder = JITBuilder::with_isa(isa.clone(), default_libcall_names());
    for (name, ptr) in runtime::abi::symbols() {
        builder.symbol(name, ptr);
    }
    let mut module = JITModule::new(builder);
    let names: Vec<String> = funcs.iter().map(|f| f.name.clone()).collect();
    let ids = define(&mut module, isa.as_ref(), funcs, &names, Linkage::Local)?;
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

/// Compiles the functions into a relocatable object file (ELF on Linux), the same code the
/// JIT makes: function `(k, f)` of `funcs` is the exported symbol `runtime::loader::entry_symbol(k)`,
/// and the runtime's functions are undefined symbols of the names `runtime::abi::symbols`
/// gives them. `runtime::loader` loads it into a built executable.
pub fn compile_object(funcs: &[(usize, &ir::Function)]) -> Result<Vec<u8>, String> {
    let isa = isa_builder()?;
    let builder = ObjectBuilder::new(isa.clone(), "vppl_model", default_libcall_names()).map_err(|e| e.to_string())?;
    let mut module = ObjectModule::new(builder);
    let names: Vec<String> = funcs.iter().map(|(k, _)| runtime::loader::entry_symbol(*k)).collect();
    let funcs: Vec<&ir::Function> = funcs.iter().map(|(_, f)| *f).collect();
    define(&mut module, isa.as_ref(), &funcs, &names, Linkage::Export)?;
    module.finish().emit().map_err(|e| e.to_string())
}

/// Translates the functions into `module` under `names` and defines their machine code there.
///
/// Translation to Cranelift IR runs in order (it declares the runtime's symbols in the module);
/// Cranelift's optimisation and code emission, most of the time, run on all cores, largest
/// function first.
fn define(
    module: &mut dyn Module,
    isa: &dyn cranelift_codegen::isa::TargetIsa,
    funcs: &[&ir::Function],
    names: &[String],
    linkage: Linkage,
) -> Result<Vec<cranelift_module::FuncId>, String> {
    let mut fctx = FunctionBuilderContext::new();
    let mut ids = Vec::new();
    let mut contexts = Vec::new();
    for (f, name) in funcs.iter().zip(names) {
        let mut ctx = module.make_context();
        let sig = signature(module);
        let id = module.declare_function(name, linkage, &sig).map_err(|e| e.to_string())?;
        ctx.func.signature = sig;
        ctx.func.name = clif::UserFuncName::user(0, id.as_u32());
        Translator::translate(module, f, &mut ctx.func, &mut fctx);
        ids.push(id);
        contexts.push(std::sync::Mutex::new(ctx));
    }
    let mut order: Vec<usize> = (0..contexts.len()).collect();
    // Largest first (by Cranelift instructions), so the longest compile starts at once.
    order.sort_by_cached_key(|&i| std::cmp::Reverse(contexts[i].lock().map_or(0, |c| c.func.dfg.num_insts())));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(contexts.len());
    let errors: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&i) = order.get(k) else { break };
                    let mut ctx = contexts[i].lock().expect("each context is compiled by one thread");
                    if let Err(e) = ctx.compile(isa, &mut Default::default()) {
                        errors.lock().expect("no thread panics holding it").push(format!("{}: {e:?}", funcs[i].name));
                    }
                }
            });
        }
    });
    if let Some(e) = errors.into_inner().map_err(|e| e.to_string())?.into_iter().next() {
        return Err(e);
    }
    for (ctx, id) in contexts.into_iter().zip(&ids) {
        let ctx = ctx.into_inner().map_err(|e| e.to_string())?;
        let code = ctx.compiled_code().expect("compiled above");
        let relocs: Vec<ModuleReloc> =
            code.buffer.relocs().iter().map(|r| ModuleReloc::from_mach_reloc(r, &ctx.func, *id)).collect();
        module
            .define_function_bytes(*id, code.buffer.alignment as u64, code.code_buffer(), &relocs)
            .map_err(|e| e.to_string())?;
    }
    Ok(ids)
}

/// One function translated to Cranelift IR in a throwaway module, for the dumps below.
fn translated(f: &ir::Function) -> Result<(Context, std::sync::Arc<dyn cranelift_codegen::isa::TargetIsa>), String> {
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
    Ok((ctx, isa))
}

/// The Cranelift IR of one function, after Cranelift's own optimisation, as text.
pub fn clif_text(f: &ir::Function) -> Result<String, String> {
    let (mut ctx, isa) = translated(f)?;
    ctx.optimize(isa.as_ref(), &mut Default::default()).map_err(|e| format!("{e:?}"))?;
    Ok(ctx.func.display().to_string())
}

/// The machine code of one function as Cranelift's disassembly (its VCode after register
/// allocation), for reading what a model compiles to.
pub fn asm_text(f: &ir::Function) -> Result<String, String> {
    let (mut ctx, isa) = translated(f)?;
    ctx.set_disasm(true);
    let code = ctx.compile(isa.as_ref(), &mut Default::default()).map_err(|e| format!("{e:?}"))?;
    Ok(format!("function {}:\n{}", f.name, code.vcode.clone().unwrap_or_default()))
}
