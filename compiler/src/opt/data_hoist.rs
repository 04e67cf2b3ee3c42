//! Work on the data alone runs once, at load, instead of in every evaluation.
//!
//! `vector<lower=mean(y) - 3 * sd(y)>[n] mu` computes its bound inside the loop over the
//! elements of `mu`, and the log density runs that loop on every call, though its value never
//! changes once the data are read. [`Precompute::hoist`] finds such computations in a function
//! the fit calls (the log density, the propto log density before it is differentiated) and
//! moves them into the `precompute` function, which the runtime calls once after `validate`:
//! each value the function still needs is stored in a new slot, after the transformed data's,
//! and the function reads it from there like data.
//!
//! A statement moves when everything it reads is data, a constant or a value computed from them
//! by statements that moved before it, it has no effect but its result (no draw, no `target`,
//! no output) and it cannot run forever (no `while`). Statements are taken from where they run
//! on every evaluation: the top level, and, out of `for` loops with data-only bounds that cannot
//! be left early, the loop-invariant ones (a variable written in the loop varies in it, unless
//! the loop body declares it). A statement taken out of loops runs in `precompute` only when
//! those loops run at least once, so a load or a kernel never runs where its checks did not.
//! A check of the data alone that `data_checks` left in place (its operands come from a loop)
//! moves with the statements, like `data_checks` moves its own: it would fail in every
//! evaluation. The slots of values that `precompute` does not compute (a loop that runs zero
//! times) point at a zero the function never reads.
//!
//! Only a value worth a slot is stored: one computed by a loop, a kernel or real arithmetic.
//! Integer arithmetic, sizes, views and single loads stay where they were, recomputed from the
//! stored values when they read any. The log density and the propto log density share the slot
//! of a value whose computation is the same in both.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::ir::{Atom, Elem, Expr, Function, Stmt, Ty, VarId, VarKind};
use runtime::compiled::MESSAGE_FROM_PRINTS;

/// The `precompute` entry point, grown by each function it takes work from.
pub struct Precompute {
    pub function: Function,
    first_slot: u32,
    n_slots: u32,
    /// Each stored value's computation in canonical form, and its slot.
    stored: HashMap<String, u32>,
    /// Canonical forms of the checks already moved.
    checks: HashSet<String>,
    /// The precompute variable of each data and transformed data slot.
    slot_vars: HashMap<u32, VarId>,
}

impl Precompute {
    /// An empty `precompute` whose slots start at `first_slot` (after the transformed data's).
    pub fn new(first_slot: u32) -> Precompute {
        let mut function = Function::new("precompute");
        let theta = function.new_var(Some("theta".into()), Ty::VECTOR, VarKind::Input);
        function.params.push(theta);
        Precompute {
            function,
            first_slot,
            n_slots: 0,
            stored: HashMap::default(),
            checks: HashSet::default(),
            slot_vars: HashMap::default(),
        }
    }

    /// How many slots `precompute` fills.
    pub fn n_slots(&self) -> usize {
        self.n_slots as usize
    }

    /// `f` with its work on the data alone moved into `precompute`.
    pub fn hoist(&mut self, f: &Function) -> Function {
        let mut scan = Scan {
            f,
            items: Vec::new(),
            item_of: HashMap::default(),
            costly: HashSet::default(),
            def_items: HashMap::default(),
        };
        scan.block(&f.body, &mut avail_at_entry(f), &[]);
        for (i, item) in scan.items.iter().enumerate() {
            for v in &item.defs {
                scan.def_items.entry(*v).or_default().push(i);
            }
        }
        let plan = scan.plan();
        // Each root's computation, in canonical form: shared with what an earlier function
        // moved when it is the same.
        let mut slot_of: HashMap<VarId, u32> = HashMap::default();
        let mut new_roots = Vec::new();
        for root in &plan.roots {
            let slice = scan.slice(std::slice::from_ref(root));
            let key = scan.canonical(&slice, root);
            match root {
                Root::Value(v) => match self.stored.get(&key) {
                    Some(&slot) => {
                        slot_of.insert(*v, slot);
                    }
                    None => {
                        let slot = self.first_slot + self.n_slots;
                        self.n_slots += 1;
                        self.stored.insert(key, slot);
                        slot_of.insert(*v, slot);
                        new_roots.push(*root);
                    }
                },
                Root::Check(_) => {
                    if self.checks.insert(key) {
                        new_roots.push(*root);
                    }
                }
            }
        }
        let slice = scan.slice(&new_roots);
        self.import(&scan, &slice, &new_roots, &slot_of);
        let mut g = f.clone();
        g.body = rebuild(&f.body, &scan.item_of, &plan.kept);
        for (&v, &slot) in &slot_of {
            g.vars[v as usize].kind = VarKind::Slot(slot);
        }
        super::remove_dead_lets(g)
    }

    /// Appends the items of `slice` (indices in order) to `precompute`, each stored root after
    /// the last item that writes it, under the guards of the loops it came from.
    fn import(&mut self, scan: &Scan, slice: &[usize], roots: &[Root], slot_of: &HashMap<VarId, u32>) {
        let mut last_writer: HashMap<usize, Vec<VarId>> = HashMap::default();
        for root in roots {
            if let Root::Value(v) = root {
                let last = slice.iter().rev().find(|&&i| scan.items[i].defs.contains(v)).expect("root is computed");
                last_writer.entry(*last).or_default().push(*v);
            }
        }
        let mut vars: HashMap<VarId, VarId> = HashMap::default();
        let mut k = 0;
        while k < slice.len() {
            let guard = &scan.items[slice[k]].guard;
            let mut group = Vec::new();
            while k < slice.len() && &scan.items[slice[k]].guard == guard {
                let i = slice[k];
                group.push(self.import_stmt(scan.f, scan.items[i].stmt, &mut vars));
                for v in last_writer.get(&i).into_iter().flatten() {
                    group.push(Stmt::Store { slot: slot_of[v], var: vars[v] });
                }
                k += 1;
            }
            // `if (lo1 <= hi1) if (lo2 <= hi2) ... group`, innermost first.
            for (lo, hi) in guard.iter().rev() {
                let cond = self.function.new_var(None, Ty::INT, VarKind::Let);
                let (lo, hi) = (self.import_atom(scan.f, *lo, &mut vars), self.import_atom(scan.f, *hi, &mut vars));
                let test = Stmt::Let { var: cond, expr: Expr::Prim(crate::ir::Prim::ILe, vec![lo, hi]) };
                group = vec![test, Stmt::If { cond: Atom::Var(cond), then: group, otherwise: Vec::new() }];
            }
            self.function.body.extend(group);
        }
    }

    fn import_atom(&mut self, f: &Function, a: Atom, vars: &mut HashMap<VarId, VarId>) -> Atom {
        match a {
            Atom::Var(v) => Atom::Var(self.import_var(f, v, vars)),
            _ => a,
        }
    }

    fn import_var(&mut self, f: &Function, v: VarId, vars: &mut HashMap<VarId, VarId>) -> VarId {
        if let Some(&w) = vars.get(&v) {
            return w;
        }
        let info = f.vars[v as usize].clone();
        let w = match info.kind {
            VarKind::Slot(slot) => *self
                .slot_vars
                .entry(slot)
                .or_insert_with(|| self.function.new_var(info.name.clone(), info.ty, info.kind)),
            _ => self.function.new_var(info.name.clone(), info.ty, info.kind),
        };
        vars.insert(v, w);
        w
    }

    fn import_stmt(&mut self, f: &Function, s: &Stmt, vars: &mut HashMap<VarId, VarId>) -> Stmt {
        let mut s = map_vars(s, &mut |v| self.import_var(f, v, vars));
        self.import_sites(f, &mut s);
        s
    }

    /// Gives each check in `s` a copy of its error site in `precompute`.
    fn import_sites(&mut self, f: &Function, s: &mut Stmt) {
        match s {
            Stmt::Check { site, .. } => {
                self.function.errors.push(f.errors[*site as usize].clone());
                *site = (self.function.errors.len() - 1) as u32;
            }
            Stmt::For { body, .. } => body.iter_mut().for_each(|s| self.import_sites(f, s)),
            Stmt::If { then, otherwise, .. } => {
                then.iter_mut().chain(otherwise.iter_mut()).for_each(|s| self.import_sites(f, s));
            }
            _ => {}
        }
    }
}

/// What `precompute` computes for a function: a value it stores, or a check it makes.
#[derive(Clone, Copy)]
enum Root {
    Value(VarId),
    Check(usize),
}

/// One statement that can move, with the loops it is taken out of.
struct Item<'f> {
    stmt: &'f Stmt,
    /// The bounds of the loops around it, outermost first.
    guard: Vec<(Atom, Atom)>,
    /// Variables it binds or writes that are visible after it.
    defs: Vec<VarId>,
    /// Variables it reads that it does not bind (the guard's bounds included).
    reads: Vec<VarId>,
    /// Whether its value is worth a slot: it runs a loop, a kernel or real arithmetic, or reads
    /// a value that is.
    costly: bool,
}

struct Scan<'f> {
    f: &'f Function,
    items: Vec<Item<'f>>,
    item_of: HashMap<*const Stmt, usize>,
    /// Variables written by a costly item.
    costly: HashSet<VarId>,
    /// The items that write each variable.
    def_items: HashMap<VarId, Vec<usize>>,
}

/// Which items stay in the function, and what `precompute` computes.
struct Plan {
    kept: HashSet<usize>,
    roots: Vec<Root>,
}

fn avail_at_entry(f: &Function) -> HashSet<VarId> {
    (0..f.vars.len() as VarId).filter(|&v| matches!(f.vars[v as usize].kind, VarKind::Slot(_))).collect()
}

impl<'f> Scan<'f> {
    /// Finds the items of a block that runs on every evaluation (under `guard`); `avail` holds
    /// the variables whose value is known from the data alone at this point.
    fn block(&mut self, stmts: &'f [Stmt], avail: &mut HashSet<VarId>, guard: &[(Atom, Atom)]) {
        for s in stmts {
            if let Some(item) = self.unit(s, avail, guard) {
                avail.extend(item.defs.iter().copied());
                if item.costly {
                    self.costly.extend(item.defs.iter().copied());
                }
                self.item_of.insert(s as *const Stmt, self.items.len());
                self.items.push(item);
                continue;
            }
            let mut written = HashSet::default();
            writes(std::slice::from_ref(s), &mut written);
            if let Stmt::For { var, lo, hi, body, .. } = s
                && known(avail, lo)
                && known(avail, hi)
                && !body.iter().any(Stmt::leaves_loop)
            {
                // What the body writes varies from one iteration to the next, unless the body
                // declares it: then it starts afresh in each.
                let mut inner: HashSet<VarId> = avail.iter().copied().filter(|v| !written.contains(v)).collect();
                inner.remove(var);
                let mut guard = guard.to_vec();
                guard.push((*lo, *hi));
                self.block(body, &mut inner, &guard);
            }
            avail.retain(|v| !written.contains(v));
        }
    }

    /// `s` as an item, when it can move.
    fn unit(&self, s: &'f Stmt, avail: &HashSet<VarId>, guard: &[(Atom, Atom)]) -> Option<Item<'f>> {
        let mut inner = Inner { f: self.f, bound: HashSet::default(), reads: Vec::new(), costly: false };
        inner.stmts(std::slice::from_ref(s), avail, 0)?;
        let mut defs = HashSet::default();
        writes(std::slice::from_ref(s), &mut defs);
        if let Stmt::Let { var, .. } = s {
            defs.insert(*var);
        }
        // A loop's index and the lets in its body are not visible after it.
        let defs: Vec<VarId> = match s {
            Stmt::Let { .. } | Stmt::Decl { .. } => defs.into_iter().collect(),
            _ => defs.into_iter().filter(|v| !inner.bound.contains(v) || self.is_mutable(*v)).collect(),
        };
        let mut reads = inner.reads;
        for (lo, hi) in guard {
            reads.extend([lo, hi].into_iter().filter_map(|a| a.var()));
        }
        let costly = inner.costly || reads.iter().any(|v| self.costly.contains(v));
        Some(Item { stmt: s, guard: guard.to_vec(), defs, reads, costly })
    }

    fn is_mutable(&self, v: VarId) -> bool {
        matches!(self.f.vars[v as usize].kind, VarKind::Mutable | VarKind::Built)
    }

    /// Which items the function keeps, and which values `precompute` stores: a costly let or
    /// built container that the rest of the function reads, and that no item the function
    /// keeps writes.
    fn plan(&self) -> Plan {
        let mut outside_reads = Vec::new();
        let mut outside_writes = HashSet::default();
        self.outside(&self.f.body, &mut outside_reads, &mut outside_writes);
        let mut refused = outside_writes;
        loop {
            let (kept, stored) = self.keep(&outside_reads, &refused);
            let clash: Vec<VarId> =
                stored.iter().copied().filter(|v| kept.iter().any(|&i| self.items[i].defs.contains(v))).collect();
            if !clash.is_empty() {
                refused.extend(clash);
                continue;
            }
            let mut roots: Vec<Root> = stored.into_iter().map(Root::Value).collect();
            for (i, item) in self.items.iter().enumerate() {
                if matches!(item.stmt, Stmt::Check { .. }) {
                    roots.push(Root::Check(i));
                }
            }
            return Plan { kept, roots };
        }
    }

    /// The items the function keeps to compute what `reads` need, storing every storable
    /// value outside `refused` instead.
    fn keep(&self, reads: &[VarId], refused: &HashSet<VarId>) -> (HashSet<usize>, Vec<VarId>) {
        let storable = |v: VarId| -> bool {
            let info = &self.f.vars[v as usize];
            let items = &self.def_items[&v];
            let item = &self.items[items[0]];
            let value = match (info.kind, item.stmt) {
                // A view or an alias of a container shares its memory: not a value of its own.
                (VarKind::Let, Stmt::Let { expr: Expr::View { .. }, .. }) => false,
                (VarKind::Let, Stmt::Let { expr: Expr::Atom(Atom::Var(_)), .. }) => info.ty.is_scalar(),
                (VarKind::Let, _) => true,
                (VarKind::Built, _) => items.iter().all(|&i| self.items[i].guard == item.guard),
                _ => false,
            };
            value && !refused.contains(&v) && items.iter().any(|&i| self.items[i].costly)
        };
        let mut kept = HashSet::default();
        let mut stored = Vec::new();
        let mut seen = HashSet::default();
        let mut work = reads.to_vec();
        while let Some(v) = work.pop() {
            if !seen.insert(v) || !self.def_items.contains_key(&v) {
                continue;
            }
            if storable(v) {
                stored.push(v);
                continue;
            }
            for &i in &self.def_items[&v] {
                if kept.insert(i) {
                    work.extend(self.items[i].reads.iter().copied());
                }
            }
        }
        stored.sort_unstable();
        (kept, stored)
    }

    /// The variables read and written by the statements that are not items.
    fn outside(&self, stmts: &[Stmt], reads: &mut Vec<VarId>, written: &mut HashSet<VarId>) {
        for s in stmts {
            if self.item_of.contains_key(&(s as *const Stmt)) {
                continue;
            }
            s.for_each_read(|v| reads.push(v));
            match s {
                Stmt::For { body, .. } => self.outside(body, reads, written),
                Stmt::If { then, otherwise, .. } => {
                    self.outside(then, reads, written);
                    self.outside(otherwise, reads, written);
                }
                Stmt::While { cond_block, cond, body } => {
                    reads.extend(cond.var());
                    self.outside(cond_block, reads, written);
                    self.outside(body, reads, written);
                }
                _ => writes(std::slice::from_ref(s), written),
            }
        }
    }

    /// The items `roots` need, in order.
    fn slice(&self, roots: &[Root]) -> Vec<usize> {
        let mut included = HashSet::default();
        let mut work: Vec<VarId> = Vec::new();
        for root in roots {
            match root {
                Root::Value(v) => work.push(*v),
                Root::Check(i) => {
                    included.insert(*i);
                    work.extend(self.items[*i].reads.iter().copied());
                }
            }
        }
        let mut seen = HashSet::default();
        while let Some(v) = work.pop() {
            if !seen.insert(v) {
                continue;
            }
            for &i in self.def_items.get(&v).into_iter().flatten() {
                if included.insert(i) {
                    work.extend(self.items[i].reads.iter().copied());
                }
            }
        }
        let mut slice: Vec<usize> = included.into_iter().collect();
        slice.sort_unstable();
        slice
    }

    /// The items of `slice` and the root, with variables numbered in order of appearance:
    /// equal for the same computation in two functions.
    fn canonical(&self, slice: &[usize], root: &Root) -> String {
        let mut numbers: HashMap<VarId, VarId> = HashMap::default();
        let mut kinds = Vec::new();
        let mut number = |v: VarId| {
            let n = numbers.len() as VarId;
            *numbers.entry(v).or_insert_with(|| {
                let info = &self.f.vars[v as usize];
                kinds.push((info.kind, info.ty));
                n
            })
        };
        let mut text = String::new();
        for &i in slice {
            let item = &self.items[i];
            let guard: Vec<Atom> = item.guard.iter().flat_map(|(lo, hi)| [*lo, *hi]).collect();
            let guard: Vec<Atom> = guard.into_iter().map(|a| map_atom(a, &mut number)).collect();
            let mut stmt = map_vars(item.stmt, &mut number);
            self.canonical_sites(&mut stmt, &mut text);
            text.push_str(&format!("{guard:?} {stmt:?}\n"));
        }
        match root {
            Root::Value(v) => text.push_str(&format!("store {}", number(*v))),
            Root::Check(_) => text.push_str("check"),
        }
        format!("{text}\n{kinds:?}")
    }

    /// Replaces each check's site by 0 and writes the site's message and span into `text`.
    fn canonical_sites(&self, s: &mut Stmt, text: &mut String) {
        match s {
            Stmt::Check { site, .. } => {
                let e = &self.f.errors[*site as usize];
                text.push_str(&format!("{:?} {:?} ", e.message, e.span));
                *site = 0;
            }
            Stmt::For { body, .. } => body.iter_mut().for_each(|s| self.canonical_sites(s, text)),
            Stmt::If { then, otherwise, .. } => {
                then.iter_mut().chain(otherwise.iter_mut()).for_each(|s| self.canonical_sites(s, text));
            }
            _ => {}
        }
    }
}

/// Walks the statements of one candidate item: every read must be known (from `avail` or bound
/// inside the item), every effect allowed.
struct Inner<'f> {
    f: &'f Function,
    bound: HashSet<VarId>,
    reads: Vec<VarId>,
    costly: bool,
}

impl Inner<'_> {
    fn stmts(&mut self, stmts: &[Stmt], avail: &HashSet<VarId>, loops: usize) -> Option<()> {
        for s in stmts {
            let mut ok = true;
            s.for_each_read(|v| {
                if self.bound.contains(&v) {
                    return;
                }
                ok &= avail.contains(&v);
                self.reads.push(v);
            });
            if !ok {
                return None;
            }
            match s {
                Stmt::Let { var, expr } => {
                    if self.f.vars[*var as usize].kind != VarKind::Let {
                        return None;
                    }
                    self.costly |= match expr {
                        Expr::Random(..) => return None,
                        // Integer arithmetic and int-to-real costs what reading a slot costs.
                        Expr::Prim(_, args) => args.iter().any(|a| self.f.atom_ty(*a).elem == Elem::Real),
                        Expr::Alloc { .. } => true,
                        Expr::Load { .. } => !self.f.ty(*var).is_scalar(),
                        Expr::Atom(_) | Expr::Dim { .. } | Expr::View { .. } => false,
                    };
                    self.bound.insert(*var);
                }
                Stmt::Decl { var, .. } => {
                    self.bound.insert(*var);
                }
                Stmt::Assign { var, .. } | Stmt::Accum { var, .. } => {
                    if !self.bound.contains(var) && !avail.contains(var) {
                        return None;
                    }
                }
                Stmt::Copy { dst, .. } => {
                    if !self.bound.contains(dst) && !avail.contains(dst) {
                        return None;
                    }
                    self.costly = true;
                }
                // A `reject`'s message is the pieces printed before it, which never move.
                Stmt::Check { site, .. } if self.f.errors[*site as usize].message == MESSAGE_FROM_PRINTS => {
                    return None;
                }
                Stmt::Check { .. } => {}
                Stmt::For { var, body, .. } => {
                    self.costly = true;
                    self.bound.insert(*var);
                    self.stmts(body, avail, loops + 1)?;
                }
                Stmt::If { then, otherwise, .. } => {
                    self.stmts(then, avail, loops)?;
                    self.stmts(otherwise, avail, loops)?;
                }
                Stmt::Break | Stmt::Continue if loops > 0 => {}
                Stmt::Break | Stmt::Continue => return None,
                s if crate::ir::verify::has_effect(s) => return None,
                _ => unreachable!("bug: every statement without effect is handled above"),
            }
        }
        Some(())
    }
}

fn known(avail: &HashSet<VarId>, a: &Atom) -> bool {
    a.var().is_none_or(|v| avail.contains(&v))
}

/// The variables the statements bind or write (loop indices, lets and mutable state).
fn writes(stmts: &[Stmt], out: &mut HashSet<VarId>) {
    for s in stmts {
        match s {
            Stmt::Let { var, .. }
            | Stmt::Pop(var)
            | Stmt::Decl { var, .. }
            | Stmt::Assign { var, .. }
            | Stmt::Accum { var, .. }
            | Stmt::Copy { dst: var, .. }
            | Stmt::AccumAll { dst: var, .. } => {
                out.insert(*var);
            }
            Stmt::Kernel { args, .. } => out.extend(args.first().and_then(|a| a.var())),
            Stmt::For { var, .. } => {
                out.insert(*var);
            }
            _ => {}
        }
        for b in s.blocks() {
            writes(b, out);
        }
    }
}

/// The function body without the items that do not stay.
fn rebuild(stmts: &[Stmt], item_of: &HashMap<*const Stmt, usize>, kept: &HashSet<usize>) -> Vec<Stmt> {
    let mut out = Vec::with_capacity(stmts.len());
    for s in stmts {
        if let Some(i) = item_of.get(&(s as *const Stmt)) {
            if kept.contains(i) {
                out.push(s.clone());
            }
            continue;
        }
        out.push(match s {
            Stmt::For { var, lo, hi, reverse, body } => {
                Stmt::For { var: *var, lo: *lo, hi: *hi, reverse: *reverse, body: rebuild(body, item_of, kept) }
            }
            Stmt::If { cond, then, otherwise } => Stmt::If {
                cond: *cond,
                then: rebuild(then, item_of, kept),
                otherwise: rebuild(otherwise, item_of, kept),
            },
            Stmt::While { cond_block, cond, body } => Stmt::While {
                cond_block: rebuild(cond_block, item_of, kept),
                cond: *cond,
                body: rebuild(body, item_of, kept),
            },
            s => s.clone(),
        });
    }
    out
}

fn map_atom(a: Atom, f: &mut dyn FnMut(VarId) -> VarId) -> Atom {
    match a {
        Atom::Var(v) => Atom::Var(f(v)),
        _ => a,
    }
}

/// `s` with every variable, bound or read, renamed by `f`.
fn map_vars(s: &Stmt, f: &mut dyn FnMut(VarId) -> VarId) -> Stmt {
    let all = |xs: &[Atom], f: &mut dyn FnMut(VarId) -> VarId| xs.iter().map(|x| map_atom(*x, f)).collect();
    let block = |b: &[Stmt], f: &mut dyn FnMut(VarId) -> VarId| b.iter().map(|s| map_vars(s, f)).collect();
    match s {
        Stmt::Let { var, expr } => {
            let expr = match expr {
                Expr::Atom(a) => Expr::Atom(map_atom(*a, f)),
                Expr::Prim(p, args) => Expr::Prim(*p, all(args, f)),
                Expr::Load { base, indices } => Expr::Load { base: f(*base), indices: all(indices, f) },
                Expr::Dim { base, dim } => Expr::Dim { base: f(*base), dim: *dim },
                Expr::Alloc { ty, dims } => Expr::Alloc { ty: *ty, dims: all(dims, f) },
                Expr::View { base, offset, dims } => {
                    Expr::View { base: f(*base), offset: map_atom(*offset, f), dims: all(dims, f) }
                }
                Expr::Random(d, args) => Expr::Random(*d, all(args, f)),
            };
            Stmt::Let { var: f(*var), expr }
        }
        Stmt::Decl { var, dims } => Stmt::Decl { var: f(*var), dims: all(dims, f) },
        Stmt::Assign { var, indices, value } => {
            Stmt::Assign { var: f(*var), indices: all(indices, f), value: map_atom(*value, f) }
        }
        Stmt::Accum { var, indices, value } => {
            Stmt::Accum { var: f(*var), indices: all(indices, f), value: map_atom(*value, f) }
        }
        Stmt::Copy { dst, src } => Stmt::Copy { dst: f(*dst), src: f(*src) },
        Stmt::AccumAll { dst, src } => Stmt::AccumAll { dst: f(*dst), src: f(*src) },
        Stmt::Kernel { kernel, args } => Stmt::Kernel { kernel: *kernel, args: all(args, f) },
        Stmt::TargetAdd(a) => Stmt::TargetAdd(map_atom(*a, f)),
        Stmt::For { var, lo, hi, reverse, body } => Stmt::For {
            var: f(*var),
            lo: map_atom(*lo, f),
            hi: map_atom(*hi, f),
            reverse: *reverse,
            body: block(body, f),
        },
        Stmt::If { cond, then, otherwise } => {
            Stmt::If { cond: map_atom(*cond, f), then: block(then, f), otherwise: block(otherwise, f) }
        }
        Stmt::While { cond_block, cond, body } => {
            Stmt::While { cond_block: block(cond_block, f), cond: map_atom(*cond, f), body: block(body, f) }
        }
        Stmt::Check { cond, site, values } => {
            Stmt::Check { cond: map_atom(*cond, f), site: *site, values: all(values, f) }
        }
        Stmt::Output { pos, value } => Stmt::Output { pos: map_atom(*pos, f), value: map_atom(*value, f) },
        Stmt::Print { site, value } => Stmt::Print { site: *site, value: value.map(|a| map_atom(a, f)) },
        Stmt::Push(a) => Stmt::Push(map_atom(*a, f)),
        Stmt::Pop(v) => Stmt::Pop(f(*v)),
        Stmt::Break => Stmt::Break,
        Stmt::Continue => Stmt::Continue,
        Stmt::Store { slot, var } => Stmt::Store { slot: *slot, var: f(*var) },
    }
}
