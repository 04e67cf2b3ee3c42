//! Reverse-mode differentiation as a source-to-source transformation of the IR.
//!
//! The gradient function runs the original statements forward (the forward sweep), then their
//! adjoints in reverse order (the reverse sweep). Values the reverse sweep needs are kept by two
//! rules, and nothing else is stored:
//!
//! - **Store on overwrite.** Before a mutable location is overwritten, its old value is pushed
//!   on a tape; the reverse of that assignment pops it back. So at each point of the reverse
//!   sweep every mutable variable holds exactly the value it had at the same point going
//!   forward. Containers built once by their own construction loop (`VarKind::Built`) are never
//!   overwritten and need no tape.
//! - **Recompute or save block-local lets.** Lets of a block that runs more than once (a loop
//!   body) are overwritten by the next iteration. At the start of that block's reverse, each
//!   let is recomputed when its operands still hold their values (no later statement of the
//!   block assigns them); otherwise its value was pushed at the end of the forward block and is
//!   popped here. A loop whose iterations only add to `target` therefore gets no tape at all.
//!   In a loop that runs once per evaluation (top level), a real let the reverse would pop, or
//!   recompute with a call, a division or a square root, is instead stored by the forward loop
//!   in an array of one element per iteration and loaded back by the reverse (`saves`): a load
//!   costs less than a second `exp` or a call to the tape.
//!
//! The sweep knows nothing about particular primitives; their derivatives are in `rules.rs`.

pub mod partials;
mod rules;
pub mod tangent;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::ir::{Atom, Elem, Expr, Function, Kernel, Prim, Stmt, Ty, VarId, VarKind};

/// Turns a log density function `f(theta)` into `f(theta, grad)` that also writes the gradient
/// with respect to `theta` into `grad` (which the caller zeroes).
pub fn differentiate(f: &Function) -> Function {
    let theta = f.params[0];
    let mut g = Function { name: format!("{}_gradient", f.name), ..f.clone() };
    let grad = g.new_var(Some("grad".into()), Ty::VECTOR, VarKind::Input);
    g.params.push(grad);
    g.gradient_of = Some((theta, grad));
    let active = activity(f, theta);
    let (_, needed_anywhere) = needed(f, &active, &HashSet::default());
    let (fused, unit) = target_reductions(f, &active, &needed_anywhere);
    // Again, knowing the reductions: the lets of a reduction's body are still bound when its
    // reverse runs, so nothing they read needs a history for their sake (arK's `mu`, written
    // at every step of the inner loop, is pushed only if the reverse reads it).
    let (read, needed) = needed(f, &active, &fused);
    let mut ad = Ad {
        g,
        active,
        read,
        needed,
        fused,
        unit,
        once: HashSet::default(),
        known_zero: HashMap::default(),
        known_value: HashMap::default(),
        depth: 0,
        fusing: 0,
        saved: HashMap::default(),
        adjoint: HashMap::default(),
        assigned_in: HashMap::default(),
        wrapped: HashMap::default(),
        quiet: HashSet::default(),
    };
    ad.adjoint.insert(theta, grad);
    // Adjoints of mutable scalars live for the whole function.
    let mut prologue = Vec::new();
    for (v, info) in f.vars.iter().enumerate() {
        let v = v as VarId;
        if info.kind == VarKind::Mutable && info.ty.is_scalar() && ad.is_active(v) {
            let adj = ad.new_adjoint(v);
            prologue.push(Stmt::Decl { var: adj, dims: vec![] });
            prologue.push(Stmt::Assign { var: adj, indices: vec![], value: Atom::Real(0.0) });
            ad.known_zero.insert(adj, 0);
        }
    }
    let mut body = prologue;
    body.extend(ad.forward_once(&f.body));
    for s in f.body.iter().rev() {
        ad.reverse_stmt(s, false, &mut body);
    }
    ad.g.body = body;
    ad.g
}

/// The variables whose value depends on `theta` (and are real-valued).
/// The variables that need adjoints: those that depend on `theta` (forward) and whose value
/// reaches `target` (backward). A value that only feeds a check, a condition or an index gets
/// no adjoint and no rule.
fn activity(f: &Function, theta: VarId) -> HashSet<VarId> {
    let mut active = depends_on(f, theta);
    let mut useful = HashSet::default();
    loop {
        let before = useful.len();
        mark_useful(&f.body, &mut useful);
        if useful.len() == before {
            break;
        }
    }
    useful.insert(theta);
    active.retain(|v| useful.contains(v));
    active
}

/// Forward: the real variables whose value depends on `theta` (not through `Prim::Detach`).
fn depends_on(f: &Function, theta: VarId) -> HashSet<VarId> {
    let mut active = HashSet::from_iter([theta]);
    loop {
        let before = active.len();
        mark(f, &f.body, &mut active);
        if active.len() == before {
            return active;
        }
    }
}

/// Backward: what flows into `target`.
fn mark_useful(stmts: &[Stmt], useful: &mut HashSet<VarId>) {
    let add = |a: &Atom, useful: &mut HashSet<VarId>| {
        if let Atom::Var(v) = a {
            useful.insert(*v);
        }
    };
    for s in stmts.iter().rev() {
        match s {
            Stmt::TargetAdd(a) => add(a, useful),
            Stmt::Let { var, expr } if useful.contains(var) => match expr {
                Expr::Atom(a) => add(a, useful),
                // What a detached value is made from does not reach `target` through it.
                Expr::Prim(Prim::Detach, _) => {}
                Expr::Prim(_, args) => args.iter().for_each(|a| add(a, useful)),
                Expr::Load { base, .. } | Expr::View { base, .. } => {
                    useful.insert(*base);
                }
                Expr::Dim { .. } | Expr::Alloc { .. } | Expr::Random(..) => {}
            },
            Stmt::Assign { var, value, .. } if useful.contains(var) => add(value, useful),
            Stmt::Copy { dst, src } if useful.contains(dst) => {
                useful.insert(*src);
            }
            Stmt::For { body, .. } | Stmt::While { body, .. } => mark_useful(body, useful),
            Stmt::If { then, otherwise, .. } => {
                mark_useful(then, useful);
                mark_useful(otherwise, useful);
            }
            _ => {}
        }
    }
}

fn mark(f: &Function, stmts: &[Stmt], active: &mut HashSet<VarId>) {
    let is = |a: &Atom, active: &HashSet<VarId>| matches!(a, Atom::Var(v) if active.contains(v));
    for s in stmts {
        match s {
            Stmt::Let { var, expr } => {
                let any = match expr {
                    Expr::Atom(a) => is(a, active),
                    Expr::Prim(Prim::Detach, _) => false,
                    Expr::Prim(_, args) => args.iter().any(|a| is(a, active)),
                    Expr::Load { base, .. } => active.contains(base),
                    Expr::View { base, .. } => active.contains(base),
                    Expr::Random(..) => false,
                    Expr::Dim { .. } | Expr::Alloc { .. } => false,
                };
                if any && f.ty(*var).elem == Elem::Real {
                    active.insert(*var);
                }
            }
            Stmt::Assign { var, value, .. } => {
                if is(value, active) && f.ty(*var).elem == Elem::Real {
                    active.insert(*var);
                }
            }
            Stmt::Copy { dst, src } => {
                if active.contains(src) {
                    active.insert(*dst);
                }
            }
            Stmt::For { body, .. } => mark(f, body, active),
            Stmt::While { cond_block, body, .. } => {
                mark(f, cond_block, active);
                mark(f, body, active);
            }
            Stmt::If { then, otherwise, .. } => {
                mark(f, then, active);
                mark(f, otherwise, active);
            }
            _ => {}
        }
    }
}

struct Ad {
    g: Function,
    active: HashSet<VarId>,
    /// Variables whose value the reverse sweep reads (see [`needed`]).
    needed: HashSet<VarId>,
    /// The variables the reverse sweep reads other than to recompute a let (see [`needed`]).
    read: HashSet<VarId>,
    /// Scalar adjoints known to hold zero at the current point of the reverse sweep, with the
    /// nesting depth at which that is known: their first contribution at that depth is an
    /// assignment, not an addition to zero (which the code generator may not fold, since
    /// 0 + x is not x for x = −0).
    known_zero: HashMap<VarId, usize>,
    /// Scalar adjoints whose only contribution so far, at the given depth, was this value:
    /// reading them reads the value, so constants reach the rules and fold.
    known_value: HashMap<VarId, (Atom, usize)>,
    /// Loops whose reverse runs inside the forward loop (by statement address; see
    /// [`target_reductions`]).
    fused: HashSet<usize>,
    /// Accumulators of those loops: their adjoint is 1 throughout, so it is not stored.
    unit: HashSet<VarId>,
    /// The `if` statements whose branches run at most once, forwarded by `forward_once`.
    once: HashSet<usize>,
    depth: usize,
    /// How many fused loops the sweep is inside: a loop in one runs once per iteration of it.
    fusing: usize,
    /// The lets whose values loops that run once per evaluation store for the reverse sweep.
    saved: HashMap<VarId, Saved>,
    adjoint: HashMap<VarId, VarId>,
    /// Cache: the variables assigned anywhere inside a statement list, keyed by its address.
    assigned_in: HashMap<usize, HashSet<VarId>>,
    /// Loops (by address) that keep the history of these variables once, around the loop,
    /// instead of at every assignment inside it (see [`Ad::wrappable`]).
    wrapped: HashMap<usize, Vec<VarId>>,
    /// The variables whose assignments keep no history where the sweep is (inside a loop
    /// that wraps them).
    quiet: HashSet<VarId>,
}

/// What the reverse of a block needs to do first for one of its lets.
enum Restore {
    Recompute(Stmt),
    Pop(VarId),
    /// Load it from the array the forward loop stored it in (see [`Saved`]).
    Load(VarId),
}

/// Where a let of a loop that runs once per evaluation keeps its value of every iteration:
/// element `i − lo + 1` of `array` at iteration `i` of the loop over `index` from `lo`.
/// `store` says whether the forward loop must store it there: not when the loop already does
/// (an element-wise result, `VarKind::Built`, whose element `i` is the let).
#[derive(Clone, Copy)]
struct Saved {
    array: VarId,
    index: VarId,
    lo: Atom,
    store: bool,
}

impl rules::Emit for Ad {
    fn temp(&mut self, ty: Ty, expr: Expr, out: &mut Vec<Stmt>) -> Atom {
        Ad::temp(self, ty, expr, out)
    }
}

impl rules::Sweep for Ad {
    fn atom_active(&self, a: Atom) -> bool {
        Ad::atom_active(self, a)
    }

    fn adj(&mut self, v: VarId) -> VarId {
        Ad::adj(self, v)
    }

    fn accumulate(&mut self, atom: Atom, value: Atom, out: &mut Vec<Stmt>) {
        Ad::accumulate(self, atom, value, out)
    }
}

impl Ad {
    /// Whether overwritten values of `v` must be saved: it is mutable (not built once) and the
    /// reverse sweep reads its value.
    fn keeps_history(&self, v: VarId) -> bool {
        self.g.vars[v as usize].kind != VarKind::Built && self.needed.contains(&v) && !self.quiet.contains(&v)
    }

    /// The scalar variables a loop's body overwrites, declared outside it, whose history is
    /// kept but whose values the body's reverse never reads (bball's running maximum and sum
    /// of `log_sum_exp`, read only after their loops): their values before the loop are saved
    /// once, before it, and restored once, after its reverse, instead of at every iteration.
    fn wrappable(&self, body: &[Stmt]) -> Vec<VarId> {
        let (mut assigned, mut declared) = (Vec::new(), HashSet::default());
        scalar_assignments(body, &mut assigned, &mut declared);
        // What the reverse of the body reads: the rules' operands, indices, conditions and
        // bounds, and the operands of the lets it may recompute.
        let mut reads = HashSet::default();
        seed_needed(&self.g, body, &self.active, &mut reads, &mut HashMap::default());
        let mut lets = HashMap::default();
        collect_lets(body, true, &self.fused, &mut lets);
        for (v, ops) in lets {
            if self.needed.contains(&v) {
                reads.extend(ops);
            }
        }
        let mut seen = HashSet::default();
        assigned.retain(|v| seen.insert(*v) && !declared.contains(v) && !reads.contains(v) && self.keeps_history(*v));
        assigned
    }

    fn is_active(&self, v: VarId) -> bool {
        self.active.contains(&v)
    }

    fn atom_active(&self, a: Atom) -> bool {
        matches!(a, Atom::Var(v) if self.is_active(v))
    }

    fn new_adjoint(&mut self, v: VarId) -> VarId {
        let info = &self.g.vars[v as usize];
        let name = info.name.as_ref().map(|n| format!("{n}_adj"));
        let ty = info.ty;
        let adj = self.g.new_var(name, ty, VarKind::Mutable);
        self.adjoint.insert(v, adj);
        adj
    }

    /// Records that `adj` holds zero from here on at the current depth.
    fn set_zero(&mut self, adj: VarId) {
        self.known_zero.insert(adj, self.depth);
        self.known_value.remove(&adj);
    }

    fn adj(&self, v: VarId) -> VarId {
        self.adjoint[&v]
    }

    fn temp(&mut self, ty: Ty, expr: Expr, out: &mut Vec<Stmt>) -> Atom {
        let var = self.g.new_var(None, ty, VarKind::Let);
        out.push(Stmt::Let { var, expr });
        Atom::Var(var)
    }

    /// Adds `value` to the adjoint of `atom` (nothing for constants and inactive values).
    fn accumulate(&mut self, atom: Atom, value: Atom, out: &mut Vec<Stmt>) {
        if let Atom::Var(v) = atom
            && self.is_active(v)
            && !self.unit.contains(&v)
        {
            let adj = self.adj(v);
            if self.g.ty(v).is_scalar() {
                if self.known_zero.remove(&adj) == Some(self.depth) {
                    out.push(Stmt::Assign { var: adj, indices: vec![], value });
                    self.known_value.insert(adj, (value, self.depth));
                } else {
                    out.push(Stmt::Accum { var: adj, indices: vec![], value });
                    self.known_value.remove(&adj);
                }
            } else {
                let Atom::Var(src) = value else { unreachable!("container adjoints are variables") };
                out.push(Stmt::AccumAll { dst: adj, src });
            }
        }
    }

    // ---- forward sweep ------------------------------------------------------------------

    /// The original statements plus the pushes the reverse sweep will pop. `repeated` says
    /// whether the block can run more than once (it is inside a loop).
    fn forward_block(&mut self, stmts: &[Stmt], repeated: bool) -> Vec<Stmt> {
        let mut out = Vec::new();
        for s in stmts {
            match s {
                Stmt::Assign { var, indices, .. } if self.keeps_history(*var) => {
                    let ty = self.g.ty(*var).indexed(indices.len());
                    let old = self.temp(
                        ty,
                        if indices.is_empty() {
                            Expr::Atom(Atom::Var(*var))
                        } else {
                            Expr::Load { base: *var, indices: indices.clone() }
                        },
                        &mut out,
                    );
                    out.push(Stmt::Push(old));
                    out.push(s.clone());
                }
                Stmt::Decl { var, .. } if self.g.ty(*var).is_scalar() && repeated && self.needed.contains(var) => {
                    out.push(Stmt::Push(Atom::Var(*var)));
                    out.push(s.clone());
                }
                Stmt::Copy { dst, .. } if self.keeps_history(*dst) => {
                    out.push(Stmt::Kernel { kernel: Kernel::PushAll, args: vec![Atom::Var(*dst)] });
                    out.push(s.clone());
                }
                Stmt::For { var, lo, hi, reverse, body } => {
                    if !repeated && self.fusing == 0 {
                        self.plan_saves(*var, *lo, *hi, body, &mut out);
                    }
                    let wrapped = self.wrappable(body);
                    for v in &wrapped {
                        out.push(Stmt::Push(Atom::Var(*v)));
                    }
                    self.quiet.extend(wrapped.iter().copied());
                    let body = self.forward_block(body, true);
                    wrapped.iter().for_each(|v| {
                        self.quiet.remove(v);
                    });
                    self.wrapped.insert(address(s), wrapped);
                    out.push(Stmt::For { var: *var, lo: *lo, hi: *hi, reverse: *reverse, body });
                }
                Stmt::Let { var, .. } if self.saved.get(var).is_some_and(|s| s.store) => {
                    out.push(s.clone());
                    let saved = self.saved[var];
                    let i = self.saved_index(saved, &mut out);
                    out.push(Stmt::Assign { var: saved.array, indices: vec![i], value: Atom::Var(*var) });
                }
                // A while loop counts its iterations and leaves the count on the tape; the
                // reverse sweep runs the body's reverse that many times.
                Stmt::While { cond_block, cond, body } => {
                    let count = self.g.new_var(None, Ty::INT, VarKind::Mutable);
                    out.push(Stmt::Decl { var: count, dims: vec![] });
                    out.push(Stmt::Assign { var: count, indices: vec![], value: Atom::Int(0) });
                    let mut body = self.forward_block(body, true);
                    let next = self.temp(
                        Ty::INT,
                        Expr::Prim(crate::ir::Prim::IAdd, vec![Atom::Var(count), Atom::Int(1)]),
                        &mut body,
                    );
                    body.push(Stmt::Assign { var: count, indices: vec![], value: next });
                    out.push(Stmt::While { cond_block: cond_block.clone(), cond: *cond, body });
                    out.push(Stmt::Push(Atom::Var(count)));
                }
                Stmt::If { cond, then, otherwise } => {
                    let then = self.forward_block(then, repeated);
                    let otherwise = self.forward_block(otherwise, repeated);
                    out.push(Stmt::If { cond: *cond, then, otherwise });
                }
                _ => out.push(s.clone()),
            }
        }
        if repeated {
            for r in self.restores(stmts) {
                if let Restore::Pop(v) = r {
                    out.push(Stmt::Push(Atom::Var(v)));
                }
            }
        }
        out
    }

    /// For each let (and container declaration) of a repeated block, whether the reverse
    /// recomputes it or pops it.
    fn restores(&mut self, stmts: &[Stmt]) -> Vec<Restore> {
        let mut result = Vec::new();
        let mut recomputable: HashSet<VarId> = HashSet::default();
        let block_lets: HashSet<VarId> = stmts
            .iter()
            .filter_map(|s| match s {
                Stmt::Let { var, .. } => Some(*var),
                Stmt::Decl { var, .. } if !self.g.ty(*var).is_scalar() => Some(*var),
                _ => None,
            })
            .collect();
        for (i, s) in stmts.iter().enumerate() {
            match s {
                // A let the reverse sweep never reads needs neither recomputing nor saving.
                Stmt::Let { var, .. } if !self.needed.contains(var) => {}
                Stmt::Let { var, .. } if self.saved.contains_key(var) => {
                    recomputable.insert(*var);
                    result.push(Restore::Load(*var));
                }
                Stmt::Let { var, expr } => {
                    let later = self.assigned_after(stmts, i);
                    let ok = |v: &VarId| {
                        if block_lets.contains(v) {
                            recomputable.contains(v) && !later.contains(v)
                        } else {
                            !later.contains(v)
                        }
                    };
                    let reads: Vec<VarId> = match expr {
                        Expr::Atom(a) => a.var().into_iter().collect(),
                        Expr::Prim(_, args) => args.iter().filter_map(|a| a.var()).collect(),
                        Expr::Load { base, indices } => {
                            std::iter::once(*base).chain(indices.iter().filter_map(|a| a.var())).collect()
                        }
                        Expr::Dim { base, .. } => vec![*base],
                        Expr::Alloc { .. } | Expr::Random(..) => vec![u32::MAX],
                        Expr::View { base, offset, dims } => std::iter::once(*base)
                            .chain(offset.var())
                            .chain(dims.iter().filter_map(|a| a.var()))
                            .collect(),
                    };
                    if reads.iter().all(|v| *v != u32::MAX && ok(v)) {
                        recomputable.insert(*var);
                        result.push(Restore::Recompute(s.clone()));
                    } else {
                        result.push(Restore::Pop(*var));
                    }
                }
                Stmt::Decl { var, .. } if !self.g.ty(*var).is_scalar() => result.push(Restore::Pop(*var)),
                _ => {}
            }
        }
        result
    }

    /// Chooses the lets of the body of a loop that runs once per evaluation whose values the
    /// forward loop stores for the reverse one: the real lets the reverse would pop, or
    /// recompute at the cost of a call, a division or a square root. Declares their arrays,
    /// one element per iteration, before the loop.
    fn plan_saves(&mut self, index: VarId, lo: Atom, hi: Atom, body: &[Stmt], out: &mut Vec<Stmt>) {
        let costly = |e: &Expr| matches!(e, Expr::Prim(Prim::Call(_) | Prim::Div | Prim::Sqrt, _));
        let chosen: Vec<VarId> = self
            .restores(body)
            .into_iter()
            .filter_map(|r| match r {
                Restore::Recompute(Stmt::Let { var, expr }) if costly(&expr) => Some(var),
                Restore::Pop(v) if self.g.vars[v as usize].kind == VarKind::Let => Some(v),
                _ => None,
            })
            .filter(|v| self.g.ty(*v) == Ty::REAL)
            .collect();
        // A let the loop already stores as element `index` of a container built once is read
        // back from there.
        let mut chosen: Vec<VarId> = chosen
            .into_iter()
            .filter(|&v| {
                let built = body.iter().find_map(|s| match s {
                    Stmt::Assign { var, indices, value: Atom::Var(x) }
                        if *x == v
                            && indices[..] == [Atom::Var(index)]
                            && self.g.vars[*var as usize].kind == VarKind::Built =>
                    {
                        Some(*var)
                    }
                    _ => None,
                });
                if let Some(array) = built {
                    self.saved.insert(v, Saved { array, index, lo: Atom::Int(1), store: false });
                }
                built.is_none()
            })
            .collect();
        if chosen.is_empty() {
            return;
        }
        // max(hi − lo + 1, 0) iterations.
        let count = if lo == Atom::Int(1) {
            hi
        } else {
            let span = self.temp(Ty::INT, Expr::Prim(Prim::ISub, vec![hi, lo]), out);
            self.temp(Ty::INT, Expr::Prim(Prim::IAdd, vec![span, Atom::Int(1)]), out)
        };
        let count = self.temp(Ty::INT, Expr::Prim(Prim::IMax, vec![count, Atom::Int(0)]), out);
        for v in chosen.drain(..) {
            let array = self.g.new_var(None, Ty::VECTOR, VarKind::Built);
            out.push(Stmt::Decl { var: array, dims: vec![count] });
            self.saved.insert(v, Saved { array, index, lo, store: true });
        }
    }

    /// The element of a saved let's array for the current iteration.
    fn saved_index(&mut self, saved: Saved, out: &mut Vec<Stmt>) -> Atom {
        if saved.lo == Atom::Int(1) {
            return Atom::Var(saved.index);
        }
        let k = self.temp(Ty::INT, Expr::Prim(Prim::ISub, vec![Atom::Var(saved.index), saved.lo]), out);
        self.temp(Ty::INT, Expr::Prim(Prim::IAdd, vec![k, Atom::Int(1)]), out)
    }

    fn assigned_after(&mut self, stmts: &[Stmt], i: usize) -> HashSet<VarId> {
        let key = stmts[i + 1..].as_ptr() as usize ^ (stmts.len() - i);
        if let Some(s) = self.assigned_in.get(&key) {
            return s.clone();
        }
        let mut set = HashSet::default();
        assigned(&stmts[i + 1..], &mut set);
        self.assigned_in.insert(key, set.clone());
        set
    }

    // ---- reverse sweep ------------------------------------------------------------------

    fn reverse_block(&mut self, stmts: &[Stmt], repeated: bool) -> Vec<Stmt> {
        let mut out = Vec::new();
        if repeated {
            let mut restores = self.restores(stmts);
            self.skip_unread(stmts, &mut restores);
            // Pops come back in the reverse order of the pushes; recomputation follows the
            // original order, so recomputed lets may read popped ones.
            for r in restores.iter().rev() {
                if let Restore::Pop(v) = r {
                    out.push(Stmt::Pop(*v));
                }
            }
            for r in &restores {
                match r {
                    Restore::Recompute(s) => {
                        let Stmt::Let { var, expr } = s else { unreachable!("only lets are recomputed") };
                        // The recomputed copy binds a fresh name, and later references are renamed
                        // by emitting an alias: a Let may be bound only once.
                        out.push(Stmt::Let { var: *var, expr: expr.clone() });
                    }
                    Restore::Load(var) => {
                        let saved = self.saved[var];
                        let i = self.saved_index(saved, &mut out);
                        out.push(Stmt::Let { var: *var, expr: Expr::Load { base: saved.array, indices: vec![i] } });
                    }
                    Restore::Pop(_) => {}
                }
            }
        }
        self.declare_adjoints(stmts, &mut out);
        for s in stmts.iter().rev() {
            self.reverse_stmt(s, repeated, &mut out);
        }
        out
    }

    /// Drops the recomputation of lets the reverse of `stmts` no longer reads: those needed
    /// only to recompute lets that are now loaded from where the forward loop saved them (the
    /// argument of a saved `exp`).
    fn skip_unread(&mut self, stmts: &[Stmt], restores: &mut Vec<Restore>) {
        let mut wanted: HashSet<VarId> = HashSet::default();
        for s in stmts {
            for block in s.blocks() {
                let mut reads = HashMap::default();
                count_reads(block, &mut reads);
                wanted.extend(reads.into_keys());
            }
        }
        let mut keep = vec![true; restores.len()];
        for (k, r) in restores.iter().enumerate().rev() {
            if let Restore::Recompute(Stmt::Let { var, expr }) = r {
                if self.read.contains(var) || wanted.contains(var) {
                    expr.for_each_read(|v| {
                        wanted.insert(v);
                    });
                } else {
                    keep[k] = false;
                }
            }
        }
        let mut k = 0;
        restores.retain(|_| {
            k += 1;
            keep[k - 1]
        });
    }

    /// The forward sweep of a block that runs at most once per evaluation: the top level and,
    /// within it, the branches of an `if` (brms's `if (!prior_only) { … }`). Its adjoints are
    /// declared right after their values, during the forward sweep, so a fused loop adds to
    /// them before the reverse sweep starts; the reverse of such an `if` declares none.
    fn forward_once(&mut self, stmts: &[Stmt]) -> Vec<Stmt> {
        let mut out = Vec::new();
        for s in stmts {
            match s {
                Stmt::For { .. } if self.fused.contains(&address(s)) => {
                    let fused = self.fused_loop(s);
                    out.push(fused);
                }
                Stmt::If { cond, then, otherwise } => {
                    self.once.insert(address(s));
                    // Nested, so what one branch learns about zero adjoints stays in it.
                    let then = self.nested(|ad| ad.forward_once(then));
                    let otherwise = self.nested(|ad| ad.forward_once(otherwise));
                    out.push(Stmt::If { cond: *cond, then, otherwise });
                }
                _ => {
                    let forward = self.forward_block(std::slice::from_ref(s), false);
                    out.extend(forward);
                }
            }
            self.declare_adjoints(std::slice::from_ref(s), &mut out);
        }
        out
    }

    /// Runs a top-level loop's reverse inside it, right after each iteration's forward
    /// statements, which are all still in scope: nothing is recomputed or stored.
    fn fused_loop(&mut self, s: &Stmt) -> Stmt {
        let Stmt::For { var, lo, hi, reverse, body } = s else { unreachable!("only loops are fused") };
        self.fusing += 1;
        let mut fused = self.forward_block(body, false);
        let back = self.nested(|ad| ad.reverse_block(body, false));
        self.fusing -= 1;
        fused.extend(back);
        Stmt::For { var: *var, lo: *lo, hi: *hi, reverse: *reverse, body: fused }
    }

    /// Fresh adjoints for the lets and containers `stmts` binds.
    fn declare_adjoints(&mut self, stmts: &[Stmt], out: &mut Vec<Stmt>) {
        for s in stmts {
            match s {
                Stmt::Let { var, expr: Expr::View { base, offset, dims } } if self.is_active(*var) => {
                    // The adjoint of a view is the same view of the base's adjoint.
                    let (v, base_adj) = (*var, self.adj(*base));
                    let info = self.g.vars[v as usize].clone();
                    let adj = self.g.new_var(info.name.map(|n| format!("{n}_adj")), info.ty, VarKind::Let);
                    self.adjoint.insert(v, adj);
                    out.push(Stmt::Let {
                        var: adj,
                        expr: Expr::View { base: base_adj, offset: *offset, dims: dims.clone() },
                    });
                }
                Stmt::Let { var, .. } if self.is_active(*var) => {
                    let v = *var;
                    let adj = self.new_adjoint(v);
                    self.zero_adjoint(v, adj, out);
                }
                Stmt::Decl { var, .. } if self.is_active(*var) && !self.g.ty(*var).is_scalar() => {
                    let v = *var;
                    let adj = self.new_adjoint(v);
                    self.zero_adjoint(v, adj, out);
                }
                _ => {}
            }
        }
    }

    fn zero_adjoint(&mut self, v: VarId, adj: VarId, out: &mut Vec<Stmt>) {
        let ty = self.g.ty(v);
        if ty.is_scalar() {
            out.push(Stmt::Decl { var: adj, dims: vec![] });
            out.push(Stmt::Assign { var: adj, indices: vec![], value: Atom::Real(0.0) });
            self.set_zero(adj);
            return;
        }
        let dims: Vec<Atom> =
            (0..ty.rank()).map(|d| self.temp(Ty::INT, Expr::Dim { base: v, dim: d as u8 }, out)).collect();
        out.push(Stmt::Decl { var: adj, dims });
        out.push(Stmt::Kernel { kernel: Kernel::Zero, args: vec![Atom::Var(adj)] });
    }

    fn reverse_stmt(&mut self, s: &Stmt, repeated: bool, out: &mut Vec<Stmt>) {
        match s {
            Stmt::Let { var, expr } => {
                if !self.is_active(*var) {
                    return;
                }
                let adj = self.adj(*var);
                let ty = self.g.ty(*var);
                let g = match self.known_value.get(&adj) {
                    Some(&(value, depth)) if depth == self.depth => value,
                    _ if ty.is_scalar() => self.temp(ty, Expr::Atom(Atom::Var(adj)), out),
                    _ => Atom::Var(adj),
                };
                match expr {
                    Expr::Atom(a) => self.accumulate(*a, g, out),
                    Expr::Load { base, indices } => {
                        if self.is_active(*base) {
                            let base_adj = self.adj(*base);
                            out.push(Stmt::Accum { var: base_adj, indices: indices.clone(), value: g });
                        }
                    }
                    Expr::Prim(p, args) => rules::adjoint(self, *p, args, *var, g, out),
                    // The view's adjoint is a view of the base's adjoint: nothing to add.
                    Expr::View { .. } | Expr::Dim { .. } | Expr::Alloc { .. } | Expr::Random(..) => {}
                }
            }
            // A reduction's accumulator passes its constant unit adjoint on.
            Stmt::Assign { var, value, .. } if self.unit.contains(var) => self.accumulate(*value, Atom::Real(1.0), out),
            Stmt::Assign { var, indices, value } => {
                // A location written once needs neither its adjoint reset nor its old value back;
                // any other location's adjoint restarts at zero for the value before this write.
                let built = self.g.vars[*var as usize].kind == VarKind::Built;
                let restore = self.keeps_history(*var);
                if self.is_active(*var) {
                    let adj = self.adj(*var);
                    let ty = self.g.ty(*var).indexed(indices.len());
                    let g = self.temp(
                        ty,
                        if indices.is_empty() {
                            Expr::Atom(Atom::Var(adj))
                        } else {
                            Expr::Load { base: adj, indices: indices.clone() }
                        },
                        out,
                    );
                    if !built {
                        out.push(Stmt::Assign { var: adj, indices: indices.clone(), value: Atom::Real(0.0) });
                        if indices.is_empty() {
                            self.set_zero(adj);
                        }
                    }
                    if restore {
                        self.restore(*var, indices, out);
                    }
                    self.accumulate(*value, g, out);
                } else if restore {
                    self.restore(*var, indices, out);
                }
            }
            Stmt::Decl { var, .. } => {
                if self.g.ty(*var).is_scalar() && repeated {
                    if self.needed.contains(var) {
                        let ty = self.g.ty(*var);
                        let old = self.g.new_var(None, ty, VarKind::Let);
                        out.push(Stmt::Pop(old));
                        out.push(Stmt::Assign { var: *var, indices: vec![], value: Atom::Var(old) });
                    }
                    if self.is_active(*var) {
                        let adj = self.adj(*var);
                        out.push(Stmt::Assign { var: adj, indices: vec![], value: Atom::Real(0.0) });
                        self.set_zero(adj);
                    }
                }
            }
            Stmt::Copy { dst, src } => {
                if self.is_active(*dst) {
                    let adj = self.adj(*dst);
                    if self.is_active(*src) {
                        let src_adj = self.adj(*src);
                        out.push(Stmt::AccumAll { dst: src_adj, src: adj });
                    }
                    out.push(Stmt::Kernel { kernel: Kernel::Zero, args: vec![Atom::Var(adj)] });
                }
                if self.keeps_history(*dst) {
                    out.push(Stmt::Kernel { kernel: Kernel::PopAll, args: vec![Atom::Var(*dst)] });
                }
            }
            Stmt::TargetAdd(a) => self.accumulate(*a, Atom::Real(1.0), out),
            Stmt::While { body, .. } => {
                let count = self.g.new_var(None, Ty::INT, VarKind::Let);
                out.push(Stmt::Pop(count));
                let body = self.nested(|ad| ad.reverse_block(body, true));
                let var = self.g.new_var(Some("iteration".into()), Ty::INT, VarKind::LoopIndex);
                out.push(Stmt::For { var, lo: Atom::Int(1), hi: Atom::Var(count), reverse: true, body });
            }
            // A fused loop's reverse ran inside it.
            Stmt::For { .. } if self.fused.contains(&address(s)) => {}
            Stmt::For { var, lo, hi, reverse, body } => {
                let wrapped = self.wrapped.get(&address(s)).cloned().unwrap_or_default();
                self.quiet.extend(wrapped.iter().copied());
                let body = self.nested(|ad| ad.reverse_block(body, true));
                wrapped.iter().for_each(|v| {
                    self.quiet.remove(v);
                });
                if !body.is_empty() {
                    out.push(Stmt::For { var: *var, lo: *lo, hi: *hi, reverse: !reverse, body });
                }
                // The values before the loop, pushed before it, in the reverse order.
                for v in wrapped.iter().rev() {
                    self.restore(*v, &[], out);
                }
            }
            Stmt::If { cond, then, otherwise } => {
                let once = self.once.contains(&address(s));
                let branch = |ad: &mut Self, stmts: &[Stmt]| {
                    if once {
                        // Its adjoints were declared by `forward_once`.
                        let mut out = Vec::new();
                        stmts.iter().rev().for_each(|s| ad.reverse_stmt(s, false, &mut out));
                        out
                    } else {
                        ad.reverse_block(stmts, repeated)
                    }
                };
                let then = self.nested(|ad| branch(ad, then));
                let otherwise = self.nested(|ad| branch(ad, otherwise));
                if !then.is_empty() || !otherwise.is_empty() {
                    out.push(Stmt::If { cond: *cond, then, otherwise });
                }
            }
            Stmt::Check { .. } | Stmt::Output { .. } | Stmt::Store { .. } | Stmt::Print { .. } => {}
            Stmt::Break | Stmt::Continue => panic!("compiler bug: break/continue reached AD; sema refuses them there"),
            Stmt::Accum { .. } | Stmt::AccumAll { .. } | Stmt::Kernel { .. } | Stmt::Push(_) | Stmt::Pop(_) => {
                panic!("compiler bug: AD input contains statements only AD produces")
            }
        }
    }

    /// Reverses a nested block one level deeper. What the block learnt about zero adjoints
    /// holds only inside it: once it is left (for the other branch of an `if`, or for the
    /// next nested block at the same depth), an adjoint zeroed in it may not be zero on the
    /// path actually taken at run time.
    fn nested(&mut self, reverse: impl FnOnce(&mut Self) -> Vec<Stmt>) -> Vec<Stmt> {
        self.depth += 1;
        let out = reverse(self);
        self.depth -= 1;
        let depth = self.depth;
        self.known_zero.retain(|_, d| *d <= depth);
        self.known_value.retain(|_, (_, d)| *d <= depth);
        out
    }

    /// Pops the value an assignment overwrote back into place.
    fn restore(&mut self, var: VarId, indices: &[Atom], out: &mut Vec<Stmt>) {
        let ty = self.g.ty(var).indexed(indices.len());
        let old = self.g.new_var(None, ty, VarKind::Let);
        out.push(Stmt::Pop(old));
        out.push(Stmt::Assign { var, indices: indices.to_vec(), value: Atom::Var(old) });
    }
}

/// The variables whose values the reverse sweep reads: operands and results of adjoint rules
/// (all but those of `+`, `−` and negation, whose adjoints need no values), indices, loop
/// bounds, conditions, containers, and, transitively, the operands of every such let (which the
/// reverse sweep may recompute). Only these are recomputed, saved on the tape, or restored.
/// Returned with the same set before that closure: what the reverse reads for itself.
fn needed(f: &Function, active: &HashSet<VarId>, fused: &HashSet<usize>) -> (HashSet<VarId>, HashSet<VarId>) {
    let mut needed = HashSet::default();
    seed_needed(f, &f.body, active, &mut needed, &mut HashMap::default());
    let read = needed.clone();
    // Closure: a needed let's operands are needed to recompute it; a needed element's
    // container must hold its values. Only lets of loops are recomputed: one of a block that
    // runs once (the top level, the branches of an `if` there) keeps its value to the end, so
    // the variables it read need no history (a dot product's accumulator, read once after its
    // loop, is not pushed at every iteration).
    let mut lets: HashMap<VarId, Vec<VarId>> = HashMap::default();
    collect_lets(&f.body, false, fused, &mut lets);
    loop {
        let before = needed.len();
        let current: Vec<VarId> = needed.iter().copied().collect();
        for v in current {
            if let Some(ops) = lets.get(&v) {
                needed.extend(ops.iter().copied());
            }
        }
        if needed.len() == before {
            return (read, needed);
        }
    }
}

fn seed_needed(
    f: &Function,
    stmts: &[Stmt],
    active: &HashSet<VarId>,
    needed: &mut HashSet<VarId>,
    reads_cache: &mut HashMap<Prim, (u8, bool)>,
) {
    let add = |a: &Atom, needed: &mut HashSet<VarId>| {
        if let Atom::Var(v) = a {
            needed.insert(*v);
        }
    };
    for s in stmts {
        match s {
            Stmt::Let { var, expr } => {
                if !f.ty(*var).is_scalar() {
                    // Containers are pointers: always kept, so adjoints can be sized from them.
                    needed.insert(*var);
                }
                match expr {
                    Expr::Prim(p, args) if active.contains(var) => {
                        let (operands, result) = rules::reads(*p, reads_cache);
                        for (i, a) in args.iter().enumerate() {
                            if operands & (1 << i) != 0 {
                                add(a, needed);
                            }
                        }
                        if result {
                            needed.insert(*var);
                        }
                    }
                    Expr::Load { base, indices } => {
                        indices.iter().for_each(|a| add(a, needed));
                        if active.contains(base) {
                            needed.insert(*base);
                        }
                    }
                    _ => {}
                }
            }
            Stmt::Decl { var, dims } => {
                dims.iter().for_each(|a| add(a, needed));
                if !f.ty(*var).is_scalar() {
                    needed.insert(*var);
                }
            }
            Stmt::Assign { indices, .. } => indices.iter().for_each(|a| add(a, needed)),
            Stmt::While { cond_block, cond, body } => {
                seed_needed(f, cond_block, active, needed, reads_cache);
                add(cond, needed);
                seed_needed(f, body, active, needed, reads_cache);
            }
            Stmt::For { lo, hi, body, .. } => {
                add(lo, needed);
                add(hi, needed);
                seed_needed(f, body, active, needed, reads_cache);
            }
            Stmt::If { cond, then, otherwise } => {
                add(cond, needed);
                seed_needed(f, then, active, needed, reads_cache);
                seed_needed(f, otherwise, active, needed, reads_cache);
            }
            _ => {}
        }
    }
}

/// For every let, and for every container stored into: the variables its value is made from.
fn collect_lets(stmts: &[Stmt], repeated: bool, fused: &HashSet<usize>, lets: &mut HashMap<VarId, Vec<VarId>>) {
    for s in stmts {
        match s {
            Stmt::Let { var, expr } if repeated => {
                let ops: Vec<VarId> = match expr {
                    Expr::Atom(a) => a.var().into_iter().collect(),
                    Expr::Prim(_, args) => args.iter().filter_map(|a| a.var()).collect(),
                    Expr::Load { base, indices } => {
                        std::iter::once(*base).chain(indices.iter().filter_map(|a| a.var())).collect()
                    }
                    Expr::Dim { base, .. } => vec![*base],
                    Expr::Alloc { dims, .. } => dims.iter().filter_map(|a| a.var()).collect(),
                    Expr::Random(_, args) => args.iter().filter_map(|a| a.var()).collect(),
                    Expr::View { base, offset, dims } => {
                        std::iter::once(*base).chain(offset.var()).chain(dims.iter().filter_map(|a| a.var())).collect()
                    }
                };
                lets.entry(*var).or_default().extend(ops);
            }
            // A reduction's body runs its reverse while its lets are bound: none is recomputed.
            Stmt::For { body, .. } => collect_lets(body, !fused.contains(&address(s)), fused, lets),
            Stmt::While { cond_block, body, .. } => {
                collect_lets(cond_block, true, fused, lets);
                collect_lets(body, true, fused, lets);
            }
            Stmt::If { then, otherwise, .. } => {
                collect_lets(then, repeated, fused, lets);
                collect_lets(otherwise, repeated, fused, lets);
            }
            _ => {}
        }
    }
}

/// The scalar variables `stmts` assign (in order, with repeats), and those they declare.
fn scalar_assignments(stmts: &[Stmt], assigned: &mut Vec<VarId>, declared: &mut HashSet<VarId>) {
    for s in stmts {
        match s {
            Stmt::Assign { var, indices, .. } if indices.is_empty() => assigned.push(*var),
            Stmt::Decl { var, .. } => {
                declared.insert(*var);
            }
            _ => {}
        }
        for block in s.blocks() {
            scalar_assignments(block, assigned, declared);
        }
    }
}

/// Every variable assigned (or declared, or popped) anywhere in `stmts`.
fn assigned(stmts: &[Stmt], set: &mut HashSet<VarId>) {
    for s in stmts {
        match s {
            Stmt::Assign { var, .. } | Stmt::Accum { var, .. } | Stmt::Decl { var, .. } | Stmt::Pop(var) => {
                set.insert(*var);
            }
            Stmt::Copy { dst, .. } | Stmt::AccumAll { dst, .. } => {
                set.insert(*dst);
            }
            Stmt::While { cond_block, body, .. } => {
                assigned(cond_block, set);
                assigned(body, set);
            }
            Stmt::For { var, body, .. } => {
                set.insert(*var);
                assigned(body, set);
            }
            Stmt::If { then, otherwise, .. } => {
                assigned(then, set);
                assigned(otherwise, set);
            }
            _ => {}
        }
    }
}

fn address(s: &Stmt) -> usize {
    s as *const Stmt as usize
}

/// The loops whose reverse can run inside the forward loop, and their accumulators: loops of
/// the top level and of the branches of `if`s there, which also run at most once.
///
/// A loop qualifies when every iteration's adjoints are known as soon as it has run: its body
/// (inner loops and branches included) writes nothing bound outside it but `target` and sum
/// accumulators (`acc := acc + t`), each read once after the loop by a chain of copies and
/// sums that ends in `target +=`, and it neither breaks nor continues. Such an accumulator's adjoint is 1 at every iteration, so the reverse of an
/// iteration needs nothing from later ones. Running it in the forward loop saves a second
/// pass over the data and the recomputation of every value the rules read.
fn target_reductions(
    f: &Function,
    active: &HashSet<VarId>,
    needed: &HashSet<VarId>,
) -> (HashSet<usize>, HashSet<VarId>) {
    let mut reads: HashMap<VarId, usize> = HashMap::default();
    count_reads(&f.body, &mut reads);
    let mut loops = HashSet::default();
    let mut unit = HashSet::default();
    reductions_in(f, &f.body, &reads, active, needed, &mut loops, &mut unit);
    (loops, unit)
}

/// The reductions of one block that runs at most once (the top level, or a branch of an `if`
/// in such a block, where the sum still reaches `target` with the adjoint 1), and of the
/// blocks of that kind inside it. `reads` counts the reads of each variable in the function.
fn reductions_in(
    f: &Function,
    stmts: &[Stmt],
    reads: &HashMap<VarId, usize>,
    active: &HashSet<VarId>,
    needed: &HashSet<VarId>,
    loops: &mut HashSet<usize>,
    unit: &mut HashSet<VarId>,
) {
    for s in stmts {
        if let Stmt::If { then, otherwise, .. } = s {
            reductions_in(f, then, reads, active, needed, loops, unit);
            reductions_in(f, otherwise, reads, active, needed, loops, unit);
        }
    }
    // The statement of the block that reads each variable (the last one, when there are several).
    let mut reader: HashMap<VarId, usize> = HashMap::default();
    for (i, s) in stmts.iter().enumerate() {
        s.for_each_read(|v| {
            reader.insert(v, i);
        });
    }
    // The statements of the block that write each variable (anywhere inside them).
    let mut writers: HashMap<VarId, Vec<usize>> = HashMap::default();
    for (k, s) in stmts.iter().enumerate() {
        let mut written = HashSet::default();
        assigned(std::slice::from_ref(s), &mut written);
        for v in written {
            writers.entry(v).or_default().push(k);
        }
    }
    // Whether `v`'s only read, in the block after statement `after`, passes its adjoint to
    // `target` unchanged.
    let unit_chain = |mut v: VarId, mut after: usize, outside: usize| -> bool {
        let mut allowed = outside;
        loop {
            if reads.get(&v).copied().unwrap_or(0) != allowed {
                return false;
            }
            let Some(&j) = reader.get(&v) else { return false };
            if j <= after {
                return false;
            }
            let once = |a: &Atom| *a == Atom::Var(v);
            v = match &stmts[j] {
                Stmt::TargetAdd(a) if once(a) => return true,
                Stmt::Let { var, expr: Expr::Atom(a) } if once(a) => *var,
                Stmt::Let { var, expr: Expr::Prim(Prim::Add, args) } if once(&args[0]) != once(&args[1]) => *var,
                Stmt::Let { var, expr: Expr::Prim(Prim::Sub, args) } if once(&args[0]) && !once(&args[1]) => *var,
                _ => return false,
            };
            after = j;
            allowed = 1;
        }
    };
    for (i, s) in stmts.iter().enumerate() {
        let Stmt::For { body, .. } = s else { continue };
        // The variables the body binds: it may write them freely (their history within an
        // iteration is the iteration's own business), but nothing bound outside except the
        // sum accumulators, each written once at the body's top level.
        let mut local = HashSet::default();
        bound(body, &mut local);
        let accumulators: Vec<(VarId, VarId)> = body
            .iter()
            .filter_map(|t| match t {
                Stmt::Assign { var, indices, value: Atom::Var(n) } if indices.is_empty() && !local.contains(var) => {
                    Some((*var, *n))
                }
                _ => None,
            })
            .collect();
        let mut written = HashSet::default();
        assigned(body, &mut written);
        let contained = !body.iter().any(leaves_or_draws)
            && written.iter().all(|v| local.contains(v) || accumulators.iter().any(|(a, _)| a == v));
        if !contained || !body.iter().any(|t| matches!(t, Stmt::Let { var, .. } if active.contains(var))) {
            continue;
        }
        let mut inside: HashMap<VarId, usize> = HashMap::default();
        count_reads(body, &mut inside);
        let sums = accumulators.iter().all(|&(acc, n)| {
            let sum = body.iter().any(|t| {
                matches!(t, Stmt::Let { var, expr: Expr::Prim(Prim::Add, args) }
                    if *var == n && (args[0] == Atom::Var(acc)) != (args[1] == Atom::Var(acc)))
            });
            let writes_before = writers.get(&acc).is_none_or(|ks| {
                ks.iter().all(|&k| k == i || k < i && matches!(stmts[k], Stmt::Decl { .. } | Stmt::Assign { .. }))
            });
            f.vars[acc as usize].kind == VarKind::Mutable
                && f.ty(acc).is_real()
                && f.ty(acc).is_scalar()
                && !needed.contains(&acc)
                && sum
                && inside.get(&n) == Some(&1)
                && inside.get(&acc) == Some(&1)
                && accumulators.iter().filter(|(a, _)| *a == acc).count() == 1
                && writes_before
                && unit_chain(acc, i, 2)
        });
        if sums {
            loops.insert(address(s));
            unit.extend(accumulators.iter().map(|&(acc, _)| acc));
        }
    }
}

/// The variables `stmts` bind (lets, declarations, loop indices), nested blocks included.
fn bound(stmts: &[Stmt], set: &mut HashSet<VarId>) {
    for s in stmts {
        match s {
            Stmt::Let { var, .. } | Stmt::Decl { var, .. } | Stmt::For { var, .. } => {
                set.insert(*var);
            }
            _ => {}
        }
        for block in s.blocks() {
            bound(block, set);
        }
    }
}

/// Whether a statement may end its loop's iteration early, or draws a random number: either
/// keeps a loop from running each iteration's reverse right after it.
fn leaves_or_draws(s: &Stmt) -> bool {
    s.leaves_loop()
        || matches!(s, Stmt::Let { expr: Expr::Random(..), .. })
        || s.blocks().iter().any(|b| b.iter().any(leaves_or_draws))
}

/// How often each variable is read, over `stmts` and everything nested in them.
fn count_reads(stmts: &[Stmt], reads: &mut HashMap<VarId, usize>) {
    for s in stmts {
        s.for_each_read(|v| *reads.entry(v).or_default() += 1);
        for block in s.blocks() {
            count_reads(block, reads);
        }
    }
}
