//! IR → Cranelift IR, one `translate_*` method per IR construct.
//!
//! Every entry point has the same signature, `fn(ctx, theta, n, out) -> f64`: the runtime
//! context, the unconstrained parameters and their count, and an output buffer (the gradient,
//! the constrained values, or the sizes). It returns the log density (0 where there is none),
//! or NaN after an error was recorded in the context.

use rustc_hash::FxHashMap as HashMap;

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{self as clif, AbiParam, Block, InstBuilder, MemFlagsData, Value, types};
use cranelift_frontend::{FunctionBuilder, Variable};
use cranelift_module::{FuncId, Linkage, Module};

use crate::ir::{self, Atom, Core, Elem, Expr, Kernel, Prim, Stmt, Ty, VarId, VarKind};
use runtime::abi;

/// An int declared but never set, as Stan marks it (`std::numeric_limits<int>::min()`): it
/// prints and is written as -2147483648, Stan's value.
const UNSET_INT: i64 = i32::MIN as i64;

/// How an IR variable lives in Cranelift: one SSA variable for a scalar; a pointer and one
/// variable per dimension for a container.
#[derive(Clone)]
enum Repr {
    Scalar(Variable),
    Container { ptr: Variable, dims: Vec<Variable> },
}

pub fn signature(module: &dyn Module) -> clif::Signature {
    let mut sig = module.make_signature();
    for _ in 0..4 {
        sig.params.push(AbiParam::new(types::I64));
    }
    sig.returns.push(AbiParam::new(types::F64));
    sig
}

pub struct Translator<'a> {
    b: FunctionBuilder<'a>,
    module: &'a mut dyn Module,
    func: &'a ir::Function,
    vars: Vec<Option<Repr>>,
    imports: HashMap<&'static str, clif::FuncRef>,
    ctx: Value,
    out: Value,
    /// The log density accumulates in a stack slot rather than an SSA value: it is live for
    /// the whole function, and as a register value it would be spilled and reloaded around
    /// every loop iteration that contains no `target +=`.
    target: clif::StackSlot,
    fail: Block,
    /// How many loops enclose the statement being translated.
    loop_depth: usize,
    /// For each enclosing loop: where `continue` and `break` jump.
    loop_targets: Vec<(Block, Block)>,
    /// The top-level statement being translated, and the last one that reads each variable.
    top: usize,
    last_read: HashMap<VarId, usize>,
    /// For each enclosing top-level loop: the values parked in memory while it runs.
    through: Vec<Vec<Parked>>,
    /// How many calls have been emitted so far.
    calls: usize,
    park_slots: HashMap<usize, clif::StackSlot>,
    /// Whether this is a function the fit calls over and over (log density, gradient): only
    /// those are worth the extra compile time of parking values around loops.
    hot: bool,
    /// The real constants of the top-level loop being translated, by their bits: loaded once
    /// before it (see `load_constants`).
    constants: HashMap<u64, Value>,
}

/// A value stored to `slot` by `store` before a top-level loop: either read in the loop, from
/// its `copy` loaded right after the store, or live across the loop and loaded after it.
/// The most values live across a loop (and not read in it) that wait in memory around it; past
/// that, none do (see `reload_invariants`).
const MAX_PARKED: usize = 32;
/// The most real constants a top-level loop gets loaded before it, of 16 vector registers.
const MAX_CONSTANTS: usize = 6;
/// The sign bit of an f64: `x ^ SIGN_MASK` is −x, `x & !SIGN_MASK` is |x|. Loaded like a
/// constant before a loop that negates or takes absolute values.
const SIGN_MASK: u64 = 1 << 63;

struct Parked {
    var: Variable,
    value: Value,
    slot: clif::StackSlot,
    store: clif::Inst,
    copy: Option<Value>,
}

impl<'a> Translator<'a> {
    pub fn translate(
        module: &'a mut dyn Module,
        func: &'a ir::Function,
        clif_func: &'a mut clif::Function,
        fctx: &'a mut cranelift_frontend::FunctionBuilderContext,
    ) {
        let b = FunctionBuilder::new(clif_func, fctx);
        let mut t = Translator::start(b, module, func);
        if t.hot {
            for (k, s) in func.body.iter().enumerate() {
                let mut reads = Vec::new();
                loop_effects(std::slice::from_ref(s), &mut reads, &mut rustc_hash::FxHashSet::default());
                for v in reads {
                    t.last_read.insert(v, k);
                }
            }
        }
        for (k, s) in func.body.iter().enumerate() {
            t.top = k;
            t.translate_stmt(s);
        }
        let target = t.b.ins().stack_load(types::I64, types::F64, t.target, 0);
        t.b.ins().return_(&[target]);
        // Every failed check jumps here with its site and values: the one call that records
        // the error sits outside all loops, so no loop body contains a call that would force
        // its floating-point values out of registers.
        t.b.switch_to_block(t.fail);
        let nan = t.b.ins().f64const(f64::NAN);
        t.b.ins().return_(&[nan]);
        t.b.seal_all_blocks();
        let config = t.module.isa().frontend_config();
        t.b.finalize(config);
    }

    fn start(mut b: FunctionBuilder<'a>, module: &'a mut dyn Module, func: &'a ir::Function) -> Translator<'a> {
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let params = b.block_params(entry).to_vec();
        let (ctx, theta, n, out) = (params[0], params[1], params[2], params[3]);
        let target = b.create_sized_stack_slot(clif::StackSlotData::new(clif::StackSlotKind::ExplicitSlot, 8, 3));
        let zero = b.ins().f64const(0.0);
        b.ins().stack_store(types::I64, zero, target, 0);
        let fail = b.create_block();
        b.set_cold_block(fail);
        let mut t = Translator {
            b,
            module,
            func,
            vars: vec![None; func.vars.len()],
            imports: HashMap::default(),
            ctx,
            out,
            target,
            fail,
            loop_depth: 0,
            loop_targets: Vec::new(),
            top: 0,
            last_read: HashMap::default(),
            through: Vec::new(),
            calls: 0,
            park_slots: HashMap::default(),
            hot: func.name.starts_with("log_density"),
            constants: HashMap::default(),
        };
        // Inputs: theta, then (in a gradient function) the gradient buffer.
        for (i, v) in func.params.iter().enumerate() {
            let ptr = if i == 0 { theta } else { out };
            t.bind_container(*v, ptr, &[n]);
        }
        if let Some((_, grad)) = func.gradient_of
            && !func.params.contains(&grad)
        {
            t.bind_container(grad, out, &[n]);
        }
        // Mutable scalars start as NaN (ints as Stan's unset int) at entry, so that the reverse
        // sweep's push of a value from "before the first iteration" reads a defined variable.
        for (v, info) in func.vars.iter().enumerate() {
            if info.kind == VarKind::Mutable && info.ty.is_scalar() {
                let init = match info.ty.elem {
                    Elem::Real => t.b.ins().f64const(f64::NAN),
                    Elem::Int => t.b.ins().iconst(types::I64, UNSET_INT),
                    Elem::Complex | Elem::Tuple(_) => {
                        unreachable!("bug: a complex or tuple IR variable (lowering splits them)")
                    }
                };
                t.define_scalar(v as VarId, init);
            }
        }
        // Data and transformed data: read pointer and sizes from the slots once, at entry.
        let slots = t.b.ins().load(types::I64, MemFlagsData::trusted(), ctx, abi::CTX_SLOTS_OFFSET);
        for (v, info) in func.vars.iter().enumerate() {
            let VarKind::Slot(slot) = info.kind else { continue };
            let base = slot as i32 * abi::SLOT_SIZE;
            let ptr = t.b.ins().load(types::I64, MemFlagsData::trusted(), slots, base + abi::SLOT_PTR_OFFSET);
            if info.ty.is_scalar() {
                let ty = clif_ty(info.ty);
                let value = t.b.ins().load(ty, MemFlagsData::trusted(), ptr, 0);
                let var = t.b.declare_var(ty);
                t.b.def_var(var, value);
                t.vars[v] = Some(Repr::Scalar(var));
            } else {
                let dims: Vec<Value> = (0..info.ty.rank())
                    .map(|d| {
                        t.b.ins().load(
                            types::I64,
                            MemFlagsData::trusted(),
                            slots,
                            base + abi::SLOT_DIMS_OFFSET + 8 * d as i32,
                        )
                    })
                    .collect();
                t.bind_container(v as VarId, ptr, &dims);
            }
        }
        t
    }

    fn bind_container(&mut self, v: VarId, ptr: Value, dims: &[Value]) {
        let pv = self.b.declare_var(types::I64);
        self.b.def_var(pv, ptr);
        let dvs: Vec<Variable> = dims
            .iter()
            .map(|d| {
                let dv = self.b.declare_var(types::I64);
                self.b.def_var(dv, *d);
                dv
            })
            .collect();
        self.vars[v as usize] = Some(Repr::Container { ptr: pv, dims: dvs });
    }

    fn define_scalar(&mut self, v: VarId, value: Value) {
        let var = match &self.vars[v as usize] {
            Some(Repr::Scalar(var)) => *var,
            _ => {
                let var = self.b.declare_var(clif_ty(self.func.ty(v)));
                self.vars[v as usize] = Some(Repr::Scalar(var));
                var
            }
        };
        self.b.def_var(var, value);
    }

    fn define_container(&mut self, v: VarId, ptr: Value, dims: &[Value]) {
        match self.vars[v as usize].clone() {
            Some(Repr::Container { ptr: pv, dims: dvs }) if dvs.len() == dims.len() => {
                self.b.def_var(pv, ptr);
                for (dv, d) in dvs.iter().zip(dims) {
                    self.b.def_var(*dv, *d);
                }
            }
            _ => self.bind_container(v, ptr, dims),
        }
    }

    fn scalar(&mut self, a: Atom) -> Value {
        match a {
            Atom::Real(x) => match self.constants.get(&x.to_bits()) {
                Some(v) => *v,
                None => self.b.ins().f64const(x),
            },
            Atom::Int(i) => self.b.ins().iconst(types::I64, i),
            Atom::Var(v) => match &self.vars[v as usize] {
                Some(Repr::Scalar(var)) => {
                    let var = *var;
                    self.b.use_var(var)
                }
                _ => panic!("compiler bug: scalar {} used before definition in {}", v, self.func.name),
            },
        }
    }

    fn real(&mut self, a: Atom) -> Value {
        let v = self.scalar(a);
        if self.func.atom_ty(a).elem == Elem::Int { self.b.ins().fcvt_from_sint(types::F64, v) } else { v }
    }

    fn container(&mut self, v: VarId) -> (Value, Vec<Value>) {
        match self.vars[v as usize].clone() {
            Some(Repr::Container { ptr, dims }) => {
                let p = self.b.use_var(ptr);
                let d = dims.iter().map(|dv| self.b.use_var(*dv)).collect();
                (p, d)
            }
            _ => panic!("compiler bug: container {} used before definition in {}", v, self.func.name),
        }
    }

    fn import(&mut self, name: &'static str, params: &[clif::Type], ret: Option<clif::Type>) -> clif::FuncRef {
        if let Some(f) = self.imports.get(name) {
            return *f;
        }
        let mut sig = self.module.make_signature();
        for p in params {
            sig.params.push(AbiParam::new(*p));
        }
        if let Some(r) = ret {
            sig.returns.push(AbiParam::new(r));
        }
        let id: FuncId = self
            .module
            .declare_function(name, Linkage::Import, &sig)
            .expect("runtime symbols have consistent signatures");
        let f = self.module.declare_func_in_func(id, self.b.func);
        self.imports.insert(name, f);
        f
    }

    fn call(&mut self, name: &'static str, args: &[Value], ret: Option<clif::Type>) -> Option<Value> {
        let params: Vec<clif::Type> = args.iter().map(|a| self.b.func.dfg.value_type(*a)).collect();
        let f = self.import(name, &params, ret);
        let inst = self.b.ins().call(f, args);
        self.calls += 1;
        self.b.inst_results(inst).first().copied()
    }

    fn call_f64(&mut self, name: &'static str, args: &[Value]) -> Value {
        self.call(name, args, Some(types::F64)).expect("returns f64")
    }

    fn product(&mut self, dims: &[Value]) -> Value {
        let mut n = self.b.ins().iconst(types::I64, 1);
        for d in dims {
            n = self.b.ins().imul(n, *d);
        }
        n
    }

    /// Element offset of `indices` (1-based) into a container of type `ty` and sizes `dims`:
    /// row-major over array dimensions, column-major inside a matrix. With fewer indices than
    /// dimensions (leading array indices only) the offset of the selected slab.
    fn offset(&mut self, ty: Ty, dims: &[Value], indices: &[Atom]) -> Value {
        let rank = dims.len();
        let mut order: Vec<usize> = (0..rank).collect();
        if ty.core == Core::Matrix && rank >= 2 {
            order.swap(rank - 2, rank - 1);
        }
        let mut off = self.b.ins().iconst(types::I64, 0);
        let given = indices.len();
        for &d in &order {
            if d >= given {
                continue;
            }
            let i = self.scalar(indices[d]);
            let i0 = self.b.ins().iadd_imm_s(i, -1);
            let scaled = self.b.ins().imul(off, dims[d]);
            off = self.b.ins().iadd(scaled, i0);
        }
        if given < rank {
            // Only leading array indices: the rest of the dimensions form the slab.
            let slab = self.product(&dims[given..]);
            off = self.b.ins().imul(off, slab);
        }
        off
    }

    fn address(&mut self, v: VarId, indices: &[Atom]) -> (Value, Vec<Value>) {
        let ty = self.func.ty(v);
        let (ptr, dims) = self.container(v);
        let off = self.offset(ty, &dims, indices);
        let bytes = self.b.ins().ishl_imm_s(off, 3);
        let addr = self.b.ins().iadd(ptr, bytes);
        (addr, dims[indices.len()..].to_vec())
    }

    fn translate_block(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            self.translate_stmt(s);
        }
    }

    fn translate_stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Let { var, expr } => self.translate_let(*var, expr),
            Stmt::Decl { var, dims } => {
                let ty = self.func.ty(*var);
                if ty.is_scalar() {
                    let v = match ty.elem {
                        Elem::Real => self.b.ins().f64const(f64::NAN),
                        Elem::Int => self.b.ins().iconst(types::I64, UNSET_INT),
                        Elem::Complex | Elem::Tuple(_) => {
                            unreachable!("bug: a complex or tuple IR variable (lowering splits them)")
                        }
                    };
                    self.define_scalar(*var, v);
                } else {
                    let dims: Vec<Value> = dims.iter().map(|d| self.scalar(*d)).collect();
                    let fill = match ty.elem {
                        Elem::Real => f64::NAN.to_bits() as i64,
                        Elem::Int => UNSET_INT,
                        Elem::Complex | Elem::Tuple(_) => {
                            unreachable!("bug: a complex or tuple IR variable (lowering splits them)")
                        }
                    };
                    let ptr = self.alloc(&dims, fill);
                    self.define_container(*var, ptr, &dims);
                }
            }
            Stmt::Assign { var, indices, value } => {
                let ty = self.func.ty(*var);
                let mut v = self.scalar(*value);
                if ty.elem == Elem::Real && self.func.atom_ty(*value).elem == Elem::Int {
                    v = self.b.ins().fcvt_from_sint(types::F64, v);
                }
                if indices.is_empty() {
                    self.define_scalar(*var, v);
                } else {
                    let (addr, _) = self.address(*var, indices);
                    self.b.ins().store(MemFlagsData::trusted(), v, addr, 0);
                }
            }
            Stmt::Accum { var, indices, value } => {
                let target_ty = self.func.ty(*var).indexed(indices.len());
                if !target_ty.is_scalar() {
                    let Atom::Var(src) = value else { panic!("compiler bug: slab accumulation of a constant") };
                    let (addr, dims) = self.address(*var, indices);
                    let (sp, _) = self.container(*src);
                    let n = self.product(&dims);
                    self.call("vppl_acc_add", &[addr, sp, n], None);
                } else if indices.is_empty() {
                    let cur = self.scalar(Atom::Var(*var));
                    let v = self.real(*value);
                    let sum = self.b.ins().fadd(cur, v);
                    self.define_scalar(*var, sum);
                } else {
                    let (addr, _) = self.address(*var, indices);
                    let cur = self.b.ins().load(types::F64, MemFlagsData::trusted(), addr, 0);
                    let v = self.real(*value);
                    let sum = self.b.ins().fadd(cur, v);
                    self.b.ins().store(MemFlagsData::trusted(), sum, addr, 0);
                }
            }
            Stmt::Copy { dst, src } => {
                let (dp, dd) = self.container(*dst);
                let (sp, _) = self.container(*src);
                let n = self.product(&dd);
                self.call("vppl_copy", &[dp, sp, n], None);
            }
            Stmt::AccumAll { dst, src } => {
                let (dp, dd) = self.container(*dst);
                let (sp, _) = self.container(*src);
                let n = self.product(&dd);
                self.call("vppl_acc_add", &[dp, sp, n], None);
            }
            Stmt::Kernel { kernel, args } => self.translate_kernel(*kernel, args),
            Stmt::TargetAdd(a) => {
                let v = self.real(*a);
                let cur = self.b.ins().stack_load(types::I64, types::F64, self.target, 0);
                let sum = self.b.ins().fadd(cur, v);
                self.b.ins().stack_store(types::I64, sum, self.target, 0);
            }
            Stmt::For { var, lo, hi, reverse, body } => self.translate_for(*var, *lo, *hi, *reverse, body),
            Stmt::Break | Stmt::Continue => {
                let (next, exit) = *self.loop_targets.last().expect("sema allows break/continue only in loops");
                self.b.ins().jump(if matches!(s, Stmt::Break) { exit } else { next }, &[]);
                // Whatever follows in this block is unreachable; it still needs a block.
                let dead = self.b.create_block();
                self.b.switch_to_block(dead);
            }
            Stmt::While { cond_block, cond, body } => {
                let header = self.b.create_block();
                let body_block = self.b.create_block();
                let exit = self.b.create_block();
                self.b.ins().jump(header, &[]);
                self.b.switch_to_block(header);
                self.loop_depth += 1;
                self.translate_block(cond_block);
                let c = self.scalar(*cond);
                self.b.ins().brif(c, body_block, &[], exit, &[]);
                self.b.switch_to_block(body_block);
                self.loop_targets.push((header, exit));
                self.translate_block(body);
                self.loop_targets.pop();
                self.loop_depth -= 1;
                self.b.ins().jump(header, &[]);
                self.b.switch_to_block(exit);
            }
            Stmt::If { cond, then, otherwise } => {
                let c = self.scalar(*cond);
                let then_block = self.b.create_block();
                let else_block = self.b.create_block();
                let merge = self.b.create_block();
                self.b.ins().brif(c, then_block, &[], else_block, &[]);
                self.b.switch_to_block(then_block);
                self.translate_block(then);
                self.b.ins().jump(merge, &[]);
                self.b.switch_to_block(else_block);
                self.translate_block(otherwise);
                self.b.ins().jump(merge, &[]);
                self.b.switch_to_block(merge);
            }
            Stmt::Check { cond, site, values } => {
                // A failed check writes its site and values straight into the context (the
                // first failure is the only one: the function returns right after) and leaves
                // through the shared exit. No call and no block arguments on the hot path.
                let c = self.scalar(*cond);
                let ok = self.b.create_block();
                let bad = self.b.create_block();
                self.b.ins().brif(c, ok, &[], bad, &[]);
                self.b.set_cold_block(bad);
                self.b.switch_to_block(bad);
                let site_v = self.b.ins().iconst(types::I64, *site as i64);
                self.b.ins().store(MemFlagsData::trusted(), site_v, self.ctx, abi::CTX_ERROR_SITE_OFFSET);
                for (k, a) in values.iter().take(4).enumerate() {
                    let v = self.real(*a);
                    self.b.ins().store(
                        MemFlagsData::trusted(),
                        v,
                        self.ctx,
                        abi::CTX_ERROR_VALUES_OFFSET + 8 * k as i32,
                    );
                }
                self.b.ins().jump(self.fail, &[]);
                self.b.switch_to_block(ok);
            }
            Stmt::Print { site, value } => {
                // The runtime keeps the piece and writes the line after the call returns.
                let site_v = self.b.ins().iconst(types::I64, *site as i64);
                let v = match value {
                    Some(a) => self.real(*a),
                    None => self.b.ins().f64const(0.0),
                };
                self.call("vppl_print", &[self.ctx, site_v, v], None);
            }
            Stmt::Output { pos, value } => {
                let p = self.scalar(*pos);
                let v = self.real(*value);
                let bytes = self.b.ins().ishl_imm_s(p, 3);
                let addr = self.b.ins().iadd(self.out, bytes);
                self.b.ins().store(MemFlagsData::trusted(), v, addr, 0);
            }
            Stmt::Push(a) => match a {
                Atom::Var(v) if !self.func.ty(*v).is_scalar() => {
                    let (p, dims) = self.container(*v);
                    self.call("vppl_push_i64", &[self.ctx, p], None);
                    for d in dims {
                        self.call("vppl_push_i64", &[self.ctx, d], None);
                    }
                }
                _ => {
                    let v = self.scalar(*a);
                    let name = if self.func.atom_ty(*a).elem == Elem::Real { "vppl_push_f64" } else { "vppl_push_i64" };
                    self.call(name, &[self.ctx, v], None);
                }
            },
            Stmt::Pop(v) => {
                let ty = self.func.ty(*v);
                if ty.is_scalar() {
                    let (name, rt) =
                        if ty.elem == Elem::Real { ("vppl_pop_f64", types::F64) } else { ("vppl_pop_i64", types::I64) };
                    let x = self.call(name, &[self.ctx], Some(rt)).expect("pop returns a value");
                    self.define_scalar(*v, x);
                } else {
                    let mut dims = Vec::new();
                    for _ in 0..ty.rank() {
                        dims.push(
                            self.call("vppl_pop_i64", &[self.ctx], Some(types::I64)).expect("pop returns a value"),
                        );
                    }
                    dims.reverse();
                    let p = self.call("vppl_pop_i64", &[self.ctx], Some(types::I64)).expect("pop returns a value");
                    self.define_container(*v, p, &dims);
                }
            }
            Stmt::Store { slot, var } => {
                let ty = self.func.ty(*var);
                let slots = self.b.ins().load(types::I64, MemFlagsData::trusted(), self.ctx, abi::CTX_SLOTS_OFFSET);
                let base = *slot as i32 * abi::SLOT_SIZE;
                let (ptr, dims) = if ty.is_scalar() {
                    let one = self.b.ins().iconst(types::I64, 1);
                    let cell = self.alloc(&[one], 0);
                    let v = self.scalar(Atom::Var(*var));
                    self.b.ins().store(MemFlagsData::trusted(), v, cell, 0);
                    (cell, Vec::new())
                } else {
                    self.container(*var)
                };
                self.b.ins().store(MemFlagsData::trusted(), ptr, slots, base + abi::SLOT_PTR_OFFSET);
                for (d, dv) in dims.iter().enumerate() {
                    self.b.ins().store(
                        MemFlagsData::trusted(),
                        *dv,
                        slots,
                        base + abi::SLOT_DIMS_OFFSET + 8 * d as i32,
                    );
                }
            }
        }
    }

    fn alloc(&mut self, dims: &[Value], fill: i64) -> Value {
        let n = self.product(dims);
        let f = self.b.ins().iconst(types::I64, fill);
        self.call("vppl_alloc", &[self.ctx, n, f], Some(types::I64)).expect("alloc returns a pointer")
    }

    fn translate_for(&mut self, var: VarId, lo: Atom, hi: Atom, reverse: bool, body: &[Stmt]) {
        let lo = self.scalar(lo);
        let hi = self.scalar(hi);
        let (start, end) = if reverse { (hi, lo) } else { (lo, hi) };
        let outer = if self.loop_depth == 0 && self.hot { self.reload_invariants(var, body) } else { Vec::new() };
        let constants =
            if self.loop_depth == 0 && self.hot && !calls_out(body) { self.load_constants(body) } else { Vec::new() };
        let results = if self.loop_depth == 0 && self.hot { self.loop_results(body) } else { Vec::new() };
        let calls_before = self.calls;
        self.define_scalar(var, start);
        let header = self.b.create_block();
        let body_block = self.b.create_block();
        let exit = self.b.create_block();
        self.b.ins().jump(header, &[]);
        self.b.switch_to_block(header);
        let i = self.scalar(Atom::Var(var));
        let cc = if reverse { IntCC::SignedGreaterThanOrEqual } else { IntCC::SignedLessThanOrEqual };
        let more = self.b.ins().icmp(cc, i, end);
        self.b.ins().brif(more, body_block, &[], exit, &[]);
        self.b.switch_to_block(body_block);
        // `continue` goes to the latch, which steps the index.
        let latch = self.b.create_block();
        self.loop_depth += 1;
        self.loop_targets.push((latch, exit));
        self.translate_block(body);
        self.loop_targets.pop();
        self.loop_depth -= 1;
        self.b.ins().jump(latch, &[]);
        self.b.switch_to_block(latch);
        let i = self.scalar(Atom::Var(var));
        let next = self.b.ins().iadd_imm_s(i, if reverse { -1 } else { 1 });
        self.define_scalar(var, next);
        self.b.ins().jump(header, &[]);
        self.b.switch_to_block(exit);
        // A loop that calls out keeps nothing in floating-point registers across its calls
        // anyway: copies and parked values would only add memory traffic, so they are undone.
        let calls = self.calls > calls_before;
        self.constants.clear();
        for (load, store, constant) in constants {
            // As for parked values: across calls a constant is cheaper to remake than to keep.
            if calls {
                self.b.func.layout.remove_inst(store);
                let inst = self.b.func.dfg.value_def(load).unwrap_inst();
                self.b.func.layout.remove_inst(inst);
                self.b.func.dfg.detach_inst_results(inst);
                self.b.func.dfg.change_to_alias(load, constant);
            }
        }
        for p in outer {
            if let Some(copy) = p.copy
                && calls
            {
                let load = self.b.func.dfg.value_def(copy).unwrap_inst();
                self.b.func.layout.remove_inst(p.store);
                self.b.func.layout.remove_inst(load);
                self.b.func.dfg.detach_inst_results(load);
                self.b.func.dfg.change_to_alias(copy, p.value);
            }
            self.b.def_var(p.var, p.value);
        }
        if !calls {
            self.reload_results(&results);
        }
        if self.loop_depth == 0 && self.hot {
            for p in self.through.pop().expect("pushed before the loop") {
                if calls {
                    self.b.func.layout.remove_inst(p.store);
                    self.b.def_var(p.var, p.value);
                } else {
                    let ty = self.b.func.dfg.value_type(p.value);
                    let value = self.b.ins().stack_load(types::I64, ty, p.slot, 0);
                    self.b.def_var(p.var, value);
                }
            }
        }
    }

    /// The Cranelift variables of an IR variable defined so far (none before its definition).
    fn variables(&self, v: VarId) -> Vec<Variable> {
        match &self.vars[v as usize] {
            Some(Repr::Scalar(x)) => vec![*x],
            Some(Repr::Container { ptr, dims }) => std::iter::once(*ptr).chain(dims.iter().copied()).collect(),
            None => vec![],
        }
    }

    /// The stack slot that holds `x` while it is parked: one per variable, for every loop.
    fn park_slot(&mut self, x: Variable) -> clif::StackSlot {
        let key = cranelift_codegen::entity::EntityRef::index(x);
        if let Some(slot) = self.park_slots.get(&key) {
            return *slot;
        }
        let slot = self.b.create_sized_stack_slot(clif::StackSlotData::new(clif::StackSlotKind::ExplicitSlot, 8, 3));
        self.park_slots.insert(key, slot);
        slot
    }

    /// Constants are rematerialised where they are used: copying them through memory only costs.
    fn is_constant(&self, value: Value) -> bool {
        matches!(self.b.func.dfg.value_def(value), clif::ValueDef::Result(inst, _)
            if matches!(self.b.func.dfg.insts[inst].opcode(), clif::Opcode::F64const | clif::Opcode::Iconst))
    }

    /// Gives the loop its own copies of the values it reads but does not change, loaded from
    /// a stack slot right before it; returns the Cranelift variables with their values from
    /// before, which the caller restores after the loop.
    ///
    /// Why: a value defined before a call and read in a later loop must survive the call in
    /// memory (no floating-point register survives a call). regalloc2 then splits its live
    /// range so that it is in a register inside the loop, but stores it back to its spill
    /// slot on every back edge, for the uses after the loop. A copy read only inside the loop
    /// needs no such store. The copy goes through memory because Cranelift merges or removes
    /// any register-to-register copy (a block parameter with one incoming value included).
    fn reload_invariants(&mut self, index: VarId, body: &[Stmt]) -> Vec<Parked> {
        let mut read = Vec::new();
        let mut changed = rustc_hash::FxHashSet::from_iter([index]);
        loop_effects(body, &mut read, &mut changed);
        let mut seen = rustc_hash::FxHashSet::default();
        let mut outer = Vec::new();
        // Values read after the loop but not in it go to memory before it and come back after:
        // otherwise regalloc2 may keep them in registers through the loop and still store
        // them on every back edge.
        let after: Vec<VarId> = {
            let in_loop: rustc_hash::FxHashSet<VarId> = read.iter().copied().collect();
            let mut after: Vec<VarId> = self
                .last_read
                .iter()
                .filter(|&(v, &k)| k > self.top && !in_loop.contains(v) && self.vars[*v as usize].is_some())
                .map(|(v, _)| *v)
                .collect();
            after.sort_unstable();
            after
        };
        let mut parked: Vec<Variable> = after.into_iter().flat_map(|v| self.variables(v)).collect();
        // Many values live across the loop cannot all wait in registers anyway, and parking
        // each of them around every loop costs a store and a load per loop and value: in a
        // model of many statements that is quadratic in code size and in run time (a program of
        // fifty matrix calls had 100 000 of them). Past a register file's worth, regalloc2
        // decides.
        if parked.len() > MAX_PARKED {
            parked.clear();
        }
        let through = parked.into_iter().filter_map(|x| self.park(x)).collect();
        self.through.push(through);
        for v in read {
            if changed.contains(&v) || !seen.insert(v) {
                continue;
            }
            for x in self.variables(v) {
                let Some(mut p) = self.park(x) else { continue };
                let ty = self.b.func.dfg.value_type(p.value);
                let copy = self.b.ins().stack_load(types::I64, ty, p.slot, 0);
                self.b.def_var(x, copy);
                p.copy = Some(copy);
                outer.push(p);
            }
        }
        outer
    }

    /// Loads the real constants a top-level loop reads (up to `MAX_CONSTANTS` of them) from the
    /// stack right before it, for the loop to use. Cranelift otherwise remakes a constant at
    /// each use, two instructions each time (`movabs`, `vmovq`) in every iteration; a loaded
    /// value is opaque to it, so it stays in a register through the loop. Returns each load,
    /// the store before it and the constant, for `translate_for` to undo in a loop that calls.
    fn load_constants(&mut self, body: &[Stmt]) -> Vec<(Value, clif::Inst, Value)> {
        let mut bits = Vec::new();
        real_constants(body, &mut bits);
        let mut seen = rustc_hash::FxHashSet::default();
        bits.retain(|b| seen.insert(*b));
        bits.truncate(MAX_CONSTANTS);
        let mut out = Vec::new();
        for b in bits {
            // Stored as an integer and loaded as a float: Cranelift forwards a stored value
            // to a load of the same type, which would give it back the constant.
            let slot =
                self.b.create_sized_stack_slot(clif::StackSlotData::new(clif::StackSlotKind::ExplicitSlot, 8, 3));
            let word = self.b.ins().iconst(types::I64, b as i64);
            let store = self.b.ins().stack_store(types::I64, word, slot, 0);
            let load = self.b.ins().stack_load(types::I64, types::F64, slot, 0);
            let constant = self.b.ins().f64const(f64::from_bits(b));
            self.constants.insert(b, load);
            out.push((load, store, constant));
        }
        out
    }

    /// The real scalars a top-level loop changes that later statements read (a sum, a max).
    fn loop_results(&self, body: &[Stmt]) -> Vec<Variable> {
        let mut read = Vec::new();
        let mut changed = rustc_hash::FxHashSet::default();
        loop_effects(body, &mut read, &mut changed);
        let mut results: Vec<VarId> = changed
            .into_iter()
            .filter(|v| {
                self.func.ty(*v) == ir::Ty::REAL
                    && self.vars[*v as usize].is_some()
                    && self.last_read.get(v).is_some_and(|&k| k > self.top)
            })
            .collect();
        results.sort_unstable();
        results.into_iter().flat_map(|v| self.variables(v)).collect()
    }

    /// After a call-free top-level loop, gives each of its results a new value, read back from
    /// the stack: the value the loop carries then ends at the loop's exit. Otherwise, when a
    /// later call keeps the result in memory, regalloc2 may keep the loop's copy there too and
    /// store and load it at every iteration (log_sum_exp's max). Stored as an integer, so that
    /// Cranelift does not forward the store to the load.
    fn reload_results(&mut self, results: &[Variable]) {
        for &x in results {
            let value = self.b.use_var(x);
            let slot = self.park_slot(x);
            let bits = self.b.ins().bitcast(types::I64, MemFlagsData::new(), value);
            self.b.ins().stack_store(types::I64, bits, slot, 0);
            let value = self.b.ins().stack_load(types::I64, types::F64, slot, 0);
            self.b.def_var(x, value);
        }
    }

    /// Stores the current value of `x` to its park slot (nothing for a constant).
    fn park(&mut self, x: Variable) -> Option<Parked> {
        let value = self.b.use_var(x);
        if self.is_constant(value) {
            return None;
        }
        let slot = self.park_slot(x);
        let store = self.b.ins().stack_store(types::I64, value, slot, 0);
        Some(Parked { var: x, value, slot, store, copy: None })
    }

    fn translate_let(&mut self, var: VarId, expr: &Expr) {
        let ty = self.func.ty(var);
        match expr {
            Expr::Atom(a) => match a {
                Atom::Var(src) if !self.func.ty(*src).is_scalar() => {
                    let (p, d) = self.container(*src);
                    self.define_container(var, p, &d);
                }
                _ => {
                    let v = if ty.elem == Elem::Real { self.real(*a) } else { self.scalar(*a) };
                    self.define_scalar(var, v);
                }
            },
            Expr::Dim { base, dim } => {
                let (_, dims) = self.container(*base);
                self.define_scalar(var, dims[*dim as usize]);
            }
            Expr::Random(d, args) => {
                let mut vals = vec![self.ctx];
                for k in 0..3 {
                    vals.push(match args.get(k) {
                        Some(a) => self.real(*a),
                        None => self.b.ins().f64const(0.0),
                    });
                }
                let x = self.call_f64(d.symbol(), &vals);
                let v = if ty.elem == Elem::Int { self.b.ins().fcvt_to_sint_sat(types::I64, x) } else { x };
                self.define_scalar(var, v);
            }
            Expr::View { base, offset, dims } => {
                let (ptr, _) = self.container(*base);
                let off = self.scalar(*offset);
                let bytes = self.b.ins().ishl_imm_s(off, 3);
                let p = self.b.ins().iadd(ptr, bytes);
                let dims: Vec<Value> = dims.iter().map(|d| self.scalar(*d)).collect();
                self.define_container(var, p, &dims);
            }
            Expr::Alloc { dims, .. } => {
                let dims: Vec<Value> = dims.iter().map(|d| self.scalar(*d)).collect();
                let ptr = self.alloc(&dims, 0);
                self.define_container(var, ptr, &dims);
            }
            Expr::Load { base, indices } => {
                let (addr, rest) = self.address(*base, indices);
                if ty.is_scalar() {
                    let v = self.b.ins().load(clif_ty(ty), MemFlagsData::trusted(), addr, 0);
                    self.define_scalar(var, v);
                } else {
                    self.define_container(var, addr, &rest);
                }
            }
            Expr::Prim(p, args) => self.translate_prim(var, *p, args),
        }
    }

    fn translate_prim(&mut self, var: VarId, p: Prim, args: &[Atom]) {
        use Prim::*;
        let v = match p {
            // A reciprocal outside loops is a call so that Cranelift keeps it there (see
            // `vppl_recip`); inside a loop it is an ordinary division.
            Div if args[0] == Atom::Real(1.0) && self.loop_depth == 0 => {
                let b = self.real(args[1]);
                self.call_f64("vppl_recip", &[b])
            }
            Add | Sub | Mul | Div => {
                let a = self.real(args[0]);
                let b = self.real(args[1]);
                match p {
                    Add => self.b.ins().fadd(a, b),
                    Sub => self.b.ins().fsub(a, b),
                    Mul => self.b.ins().fmul(a, b),
                    _ => self.b.ins().fdiv(a, b),
                }
            }
            // With the sign bit's mask loaded before the loop (`load_constants`), one
            // instruction; Cranelift's fneg and fabs make the mask anew each time.
            Neg => {
                let a = self.real(args[0]);
                match self.constants.get(&SIGN_MASK) {
                    Some(&mask) => self.b.ins().bxor(a, mask),
                    None => self.b.ins().fneg(a),
                }
            }
            Sqrt => {
                let a = self.real(args[0]);
                self.b.ins().sqrt(a)
            }
            Fabs => {
                let a = self.real(args[0]);
                match self.constants.get(&!SIGN_MASK) {
                    Some(&mask) => self.b.ins().band(a, mask),
                    None => self.b.ins().fabs(a),
                }
            }
            Detach => self.real(args[0]),
            Floor => {
                let a = self.real(args[0]);
                self.b.ins().floor(a)
            }
            Ceil => {
                let a = self.real(args[0]);
                self.b.ins().ceil(a)
            }
            Fmin | Fmax => {
                let a = self.real(args[0]);
                let b = self.real(args[1]);
                if p == Fmin { self.b.ins().fmin(a, b) } else { self.b.ins().fmax(a, b) }
            }
            Select => {
                let c = self.scalar(args[0]);
                let a = self.real(args[1]);
                let b = self.real(args[2]);
                self.b.ins().select(c, a, b)
            }
            // A table function: its runtime symbol, every operand a double.
            Call(f) => {
                let xs: Vec<Value> = args.iter().map(|a| self.real(*a)).collect();
                self.call_f64(f.symbol(), &xs)
            }
            Lt | Le | Gt | Ge | Eq | Ne => {
                let a = self.real(args[0]);
                let b = self.real(args[1]);
                let cc = match p {
                    Lt => FloatCC::LessThan,
                    Le => FloatCC::LessThanOrEqual,
                    Gt => FloatCC::GreaterThan,
                    Ge => FloatCC::GreaterThanOrEqual,
                    Eq => FloatCC::Equal,
                    _ => FloatCC::NotEqual,
                };
                let c = self.b.ins().fcmp(cc, a, b);
                self.b.ins().uextend(types::I64, c)
            }
            IAdd | ISub | IMul | IDiv | IMod | IMin | IMax => {
                let a = self.scalar(args[0]);
                let b = self.scalar(args[1]);
                match p {
                    IAdd => self.b.ins().iadd(a, b),
                    ISub => self.b.ins().isub(a, b),
                    IMul => self.b.ins().imul(a, b),
                    IDiv => self.b.ins().sdiv(a, b),
                    IMod => self.b.ins().srem(a, b),
                    IMin => self.b.ins().smin(a, b),
                    _ => self.b.ins().smax(a, b),
                }
            }
            INeg => {
                let a = self.scalar(args[0]);
                self.b.ins().ineg(a)
            }
            ILt | ILe | IGt | IGe | IEq | INe => {
                let a = self.scalar(args[0]);
                let b = self.scalar(args[1]);
                let cc = match p {
                    ILt => IntCC::SignedLessThan,
                    ILe => IntCC::SignedLessThanOrEqual,
                    IGt => IntCC::SignedGreaterThan,
                    IGe => IntCC::SignedGreaterThanOrEqual,
                    IEq => IntCC::Equal,
                    _ => IntCC::NotEqual,
                };
                let c = self.b.ins().icmp(cc, a, b);
                self.b.ins().uextend(types::I64, c)
            }
            And | Or => {
                let a = self.scalar(args[0]);
                let b = self.scalar(args[1]);
                let a = self.b.ins().icmp_imm_s(IntCC::NotEqual, a, 0);
                let b = self.b.ins().icmp_imm_s(IntCC::NotEqual, b, 0);
                let c = if p == And { self.b.ins().band(a, b) } else { self.b.ins().bor(a, b) };
                self.b.ins().uextend(types::I64, c)
            }
            Not => {
                let a = self.scalar(args[0]);
                let c = self.b.ins().icmp_imm_s(IntCC::Equal, a, 0);
                self.b.ins().uextend(types::I64, c)
            }
            ToReal => self.real(args[0]),
            ToInt => {
                let a = self.real(args[0]);
                self.b.ins().fcvt_to_sint_sat(types::I64, a)
            }
            IsNan => {
                let a = self.real(args[0]);
                let c = self.b.ins().fcmp(FloatCC::Unordered, a, a);
                self.b.ins().uextend(types::I64, c)
            }
            IsInf => {
                let a = self.real(args[0]);
                let abs = self.b.ins().fabs(a);
                let inf = self.b.ins().f64const(f64::INFINITY);
                let c = self.b.ins().fcmp(FloatCC::Equal, abs, inf);
                self.b.ins().uextend(types::I64, c)
            }
            Determinant | LogDeterminant => {
                let (a, ad) = self.cont(args[0]);
                let name = if p == Determinant { "vppl_determinant" } else { "vppl_log_determinant" };
                self.call_f64(name, &[a, ad[0]])
            }
            MatVec | VecMat | MatMul | Cholesky | TriSolveVec | Inverse | EigenvaluesSym | EigenvectorsSym
            | SingularValues | MatrixExp => {
                self.translate_kernel_prim(var, p, args);
                return;
            }
        };
        self.define_scalar(var, v);
    }

    fn cont(&mut self, a: Atom) -> (Value, Vec<Value>) {
        match a {
            Atom::Var(v) => self.container(v),
            _ => panic!("compiler bug: a container operand is a constant"),
        }
    }

    fn translate_kernel_prim(&mut self, var: VarId, p: Prim, args: &[Atom]) {
        match p {
            Prim::MatVec => {
                let (a, ad) = self.cont(args[0]);
                let (x, _) = self.cont(args[1]);
                let y = self.alloc(&[ad[0]], 0);
                self.call("vppl_matvec", &[y, a, ad[0], ad[1], x], None);
                self.define_container(var, y, &[ad[0]]);
            }
            Prim::VecMat => {
                let (x, _) = self.cont(args[0]);
                let (a, ad) = self.cont(args[1]);
                let y = self.alloc(&[ad[1]], 0);
                self.call("vppl_vecmat", &[y, x, a, ad[0], ad[1]], None);
                self.define_container(var, y, &[ad[1]]);
            }
            Prim::MatMul => {
                let (a, ad) = self.cont(args[0]);
                let (b, bd) = self.cont(args[1]);
                let c = self.alloc(&[ad[0], bd[1]], 0);
                self.call("vppl_matmul", &[c, a, b, ad[0], ad[1], bd[1]], None);
                self.define_container(var, c, &[ad[0], bd[1]]);
            }
            Prim::Cholesky => {
                let (a, ad) = self.cont(args[0]);
                let l = self.alloc(&[ad[0], ad[0]], 0);
                self.call("vppl_cholesky", &[l, a, ad[0]], Some(types::I64));
                self.define_container(var, l, &[ad[0], ad[0]]);
            }
            Prim::TriSolveVec => {
                let (l, ld) = self.cont(args[0]);
                let (v, _) = self.cont(args[1]);
                let x = self.alloc(&[ld[0]], 0);
                self.call("vppl_tri_solve", &[x, l, v, ld[0]], None);
                self.define_container(var, x, &[ld[0]]);
            }
            Prim::Inverse | Prim::EigenvectorsSym | Prim::MatrixExp => {
                let (a, ad) = self.cont(args[0]);
                let out = self.alloc(&[ad[0], ad[0]], 0);
                let name = match p {
                    Prim::Inverse => "vppl_inverse",
                    Prim::EigenvectorsSym => "vppl_eigenvectors_sym",
                    _ => "vppl_matrix_exp",
                };
                self.call(name, &[out, a, ad[0]], None);
                self.define_container(var, out, &[ad[0], ad[0]]);
            }
            Prim::EigenvaluesSym => {
                let (a, ad) = self.cont(args[0]);
                let out = self.alloc(&[ad[0]], 0);
                self.call("vppl_eigenvalues_sym", &[out, a, ad[0]], None);
                self.define_container(var, out, &[ad[0]]);
            }
            Prim::SingularValues => {
                let (a, ad) = self.cont(args[0]);
                let k = self.b.ins().smin(ad[0], ad[1]);
                let out = self.alloc(&[k], 0);
                self.call("vppl_singular_values", &[out, a, ad[0], ad[1]], None);
                self.define_container(var, out, &[k]);
            }
            _ => unreachable!("only kernel primitives reach here"),
        }
    }

    fn translate_kernel(&mut self, k: Kernel, args: &[Atom]) {
        match k {
            Kernel::Zero => {
                let (p, d) = self.cont(args[0]);
                let n = self.product(&d);
                self.call("vppl_zero", &[p, n], None);
            }
            Kernel::PushAll | Kernel::PopAll => {
                let (p, d) = self.cont(args[0]);
                let n = self.product(&d);
                let name = if k == Kernel::PushAll { "vppl_push_all" } else { "vppl_pop_all" };
                self.call(name, &[self.ctx, p, n], None);
            }
            Kernel::AccOuter => {
                let (acc, ad) = self.cont(args[0]);
                let (x, _) = self.cont(args[1]);
                let (y, _) = self.cont(args[2]);
                let (r, c) = if ad.len() == 2 { (ad[0], ad[1]) } else { (ad[0], ad[0]) };
                self.call("vppl_acc_outer", &[acc, r, c, x, y], None);
            }
            Kernel::AccMatTVec | Kernel::AccMatVec => {
                let (acc, _) = self.cont(args[0]);
                let (a, ad) = self.cont(args[1]);
                let (g, _) = self.cont(args[2]);
                let name = if k == Kernel::AccMatTVec { "vppl_acc_mat_t_vec" } else { "vppl_acc_mat_vec" };
                self.call(name, &[acc, a, ad[0], ad[1], g], None);
            }
            Kernel::AccMatMulBt => {
                let (acc, _) = self.cont(args[0]);
                let (g, gd) = self.cont(args[1]);
                let (b, bd) = self.cont(args[2]);
                self.call("vppl_acc_matmul_bt", &[acc, g, b, gd[0], gd[1], bd[0]], None);
            }
            Kernel::AccMatTMul => {
                let (acc, _) = self.cont(args[0]);
                let (a, ad) = self.cont(args[1]);
                let (g, gd) = self.cont(args[2]);
                self.call("vppl_acc_mat_t_mul", &[acc, a, g, ad[0], ad[1], gd[1]], None);
            }
            Kernel::AccCholesky => {
                let (acc, _) = self.cont(args[0]);
                let (l, ld) = self.cont(args[1]);
                let (g, _) = self.cont(args[2]);
                self.call("vppl_acc_cholesky", &[acc, l, g, ld[0]], None);
            }
            Kernel::AccInverse | Kernel::AccEigenvectorsSym | Kernel::AccMatrixExp | Kernel::AccEigenvaluesSym => {
                let (acc, _) = self.cont(args[0]);
                let (a, ad) = self.cont(args[1]);
                let (g, _) = self.cont(args[2]);
                match k {
                    Kernel::AccInverse => self.call("vppl_acc_inverse", &[acc, a, g, ad[0]], None),
                    Kernel::AccMatrixExp => self.call("vppl_acc_matrix_exp", &[acc, a, g, ad[0]], None),
                    _ => {
                        let values = self.b.ins().iconst(types::I64, i64::from(k == Kernel::AccEigenvaluesSym));
                        self.call("vppl_acc_eigen_sym", &[acc, a, g, ad[0], values], None)
                    }
                };
            }
            Kernel::AccInverseT => {
                let (acc, _) = self.cont(args[0]);
                let (a, ad) = self.cont(args[1]);
                let s = self.real(args[2]);
                self.call("vppl_acc_inverse_t", &[acc, a, s, ad[0]], None);
            }
            Kernel::AccSingularValues => {
                let (acc, _) = self.cont(args[0]);
                let (a, ad) = self.cont(args[1]);
                let (g, _) = self.cont(args[2]);
                self.call("vppl_acc_singular_values", &[acc, a, g, ad[0], ad[1]], None);
            }
            Kernel::AccTriSolveVec => {
                let null = self.b.ins().iconst(types::I64, 0);
                let acc_v = if let Atom::Var(_) = args[0] { self.cont(args[0]).0 } else { null };
                let acc_l = if let Atom::Var(_) = args[1] { self.cont(args[1]).0 } else { null };
                let (l, ld) = self.cont(args[2]);
                let (x, _) = self.cont(args[3]);
                let (g, _) = self.cont(args[4]);
                self.call("vppl_acc_tri_solve", &[acc_v, acc_l, l, x, g, ld[0]], None);
            }
        }
    }
}

fn clif_ty(ty: Ty) -> clif::Type {
    match (ty.is_scalar(), ty.elem) {
        (true, Elem::Real) => types::F64,
        _ => types::I64,
    }
}

/// The variables a loop body reads (in order, with repeats) and those it changes: scalars it
/// assigns or pops, containers it declares or binds anew.
/// Whether `stmts` call out for sure (a table function, a kernel, the tape, an allocation):
/// such a loop gets no constants loaded before it, not even stack slots that would go unused.
fn calls_out(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| {
        matches!(
            s,
            Stmt::Let { expr: Expr::Prim(Prim::Call(_), _) | Expr::Alloc { .. } | Expr::Random(..), .. }
                | Stmt::Kernel { .. }
                | Stmt::Push(_)
                | Stmt::Pop(_)
                | Stmt::Copy { .. }
                | Stmt::AccumAll { .. }
        ) || matches!(s, Stmt::Let { expr: Expr::Prim(p, _), .. } if p.kind() == ir::PrimKind::Kernel)
            || s.blocks().iter().any(|b| calls_out(b))
    })
}

/// The bits of the real constants the operations of `stmts` (nested ones included) read, and
/// the masks of their negations and absolute values.
fn real_constants(stmts: &[Stmt], out: &mut Vec<u64>) {
    let add = |a: &Atom, out: &mut Vec<u64>| {
        if let Atom::Real(x) = a {
            out.push(x.to_bits());
        }
    };
    for s in stmts {
        match s {
            Stmt::Let { expr: Expr::Prim(Prim::Neg, _), .. } => out.push(SIGN_MASK),
            Stmt::Let { expr: Expr::Prim(Prim::Fabs, _), .. } => out.push(!SIGN_MASK),
            Stmt::Let { expr: Expr::Prim(_, args), .. } => args.iter().for_each(|a| add(a, out)),
            Stmt::Let { expr: Expr::Atom(a), .. }
            | Stmt::Assign { value: a, .. }
            | Stmt::Accum { value: a, .. }
            | Stmt::TargetAdd(a) => add(a, out),
            _ => {}
        }
        for block in s.blocks() {
            real_constants(block, out);
        }
    }
}

fn loop_effects(stmts: &[Stmt], read: &mut Vec<VarId>, changed: &mut rustc_hash::FxHashSet<VarId>) {
    for s in stmts {
        s.for_each_read(|v| read.push(v));
        match s {
            Stmt::Let { var, .. } | Stmt::Decl { var, .. } | Stmt::Pop(var) => {
                changed.insert(*var);
            }
            Stmt::Assign { var, indices, .. } | Stmt::Accum { var, indices, .. } if indices.is_empty() => {
                changed.insert(*var);
            }
            Stmt::For { var, .. } => {
                changed.insert(*var);
            }
            _ => {}
        }
        for block in s.blocks() {
            loop_effects(block, read, changed);
        }
    }
}
