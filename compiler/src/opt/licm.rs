//! Loop-invariant code motion: a scalar computation inside a loop whose operands do not change
//! in the loop runs once, before it. A division by such a value becomes a multiplication by its
//! reciprocal, computed once (a difference of at most one rounding); so do divisions by one
//! value repeated in a block, as in a density and its adjoint (`(y - mu) / sigma`, then
//! `g / sigma`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::ir::{Atom, Expr, Function, Prim, PrimKind, Stmt, Ty, VarId, VarKind};

pub fn hoist(f: &Function) -> Function {
    let mut g = f.clone();
    let body = std::mem::take(&mut g.body);
    g.body = hoist_block(&mut g, body, &f.fixed_sizes());
    g
}

fn hoist_block(g: &mut Function, stmts: Vec<Stmt>, fixed: &HashMap<VarId, Vec<i64>>) -> Vec<Stmt> {
    let stmts = share_reciprocals(g, stmts);
    let mut out = Vec::with_capacity(stmts.len());
    for s in stmts {
        match s {
            Stmt::For { var, lo, hi, reverse, body } => {
                let body = hoist_block(g, body, fixed);
                let (hoisted, body) = hoist_loop(g, var, body, fixed);
                out.extend(hoisted);
                out.push(Stmt::For { var, lo, hi, reverse, body });
            }
            // Nothing is hoisted out of a while loop itself (its body may run zero times and
            // its condition reads state the body changes), only out of loops inside it.
            Stmt::While { cond_block, cond, body } => {
                let body = hoist_block(g, body, fixed);
                out.push(Stmt::While { cond_block, cond, body });
            }
            Stmt::If { cond, then, otherwise } => {
                let then = hoist_block(g, then, fixed);
                let otherwise = hoist_block(g, otherwise, fixed);
                out.push(Stmt::If { cond, then, otherwise });
            }
            s => out.push(s),
        }
    }
    out
}

/// Splits a loop body into the lets that can run before the loop and the rest.
fn hoist_loop(
    g: &mut Function,
    loop_var: VarId,
    body: Vec<Stmt>,
    fixed: &HashMap<VarId, Vec<i64>>,
) -> (Vec<Stmt>, Vec<Stmt>) {
    // Everything bound or written anywhere in the loop varies, except what we hoist.
    let mut varying: HashSet<VarId> = HashSet::from_iter([loop_var]);
    let mut bound_count: HashMap<VarId, usize> = Default::default();
    written(&body, &mut varying, &mut bound_count);
    let mutable: HashSet<VarId> =
        g.vars.iter().enumerate().filter(|(_, v)| v.kind == VarKind::Mutable).map(|(i, _)| i as VarId).collect();
    let invariant = |a: &Atom, varying: &HashSet<VarId>| match a {
        Atom::Var(v) => !varying.contains(v) && !mutable.contains(v),
        _ => true,
    };
    // An element at constant indices within the constant sizes of a container the loop does
    // not write (`sigma[1]` of a `vector[3] sigma`) can be read before the loop: the container
    // exists there (its declaration comes first), the read cannot fail, and the value is the
    // same at every iteration. A kernel may write any of its operands (the triangular solve's
    // adjoint has two accumulators), so none of them qualifies.
    let mut kernel_written = HashSet::default();
    kernel_targets(&body, &mut kernel_written);
    let readable = |base: VarId, indices: &[Atom], varying: &HashSet<VarId>| {
        !varying.contains(&base)
            && !kernel_written.contains(&base)
            && fixed.get(&base).is_some_and(|sizes| {
                indices.len() <= sizes.len()
                    && indices.iter().zip(sizes).all(|(i, &n)| matches!(i, Atom::Int(k) if (1..=n).contains(k)))
            })
    };
    let mut hoisted = Vec::new();
    let mut rest = Vec::with_capacity(body.len());
    for s in body {
        match s {
            Stmt::Let { var, expr: Expr::Load { base, indices } }
                if bound_count.get(&var) == Some(&1) && readable(base, &indices, &varying) =>
            {
                varying.remove(&var);
                hoisted.push(Stmt::Let { var, expr: Expr::Load { base, indices } });
            }
            Stmt::Let { var, expr: Expr::Prim(p, args) }
                if is_scalar_pure(p)
                    && bound_count.get(&var) == Some(&1)
                    && args.iter().all(|a| invariant(a, &varying)) =>
            {
                varying.remove(&var);
                hoisted.push(Stmt::Let { var, expr: Expr::Prim(p, args) });
            }
            Stmt::Let { var, expr: Expr::Prim(Prim::Div, args) }
                if invariant(&args[1], &varying) && !matches!(args[1], Atom::Int(_)) =>
            {
                let recip = g.new_var(None, Ty::REAL, VarKind::Let);
                hoisted.push(Stmt::Let { var: recip, expr: Expr::Prim(Prim::Div, vec![Atom::Real(1.0), args[1]]) });
                rest.push(Stmt::Let { var, expr: Expr::Prim(Prim::Mul, vec![args[0], Atom::Var(recip)]) });
            }
            s => rest.push(s),
        }
    }
    (hoisted, rest)
}

/// Two or more divisions by the same immutable value in one block become multiplications by
/// its reciprocal, computed where the first division was; a division by a constant becomes a
/// multiplication by its reciprocal.
fn share_reciprocals(g: &mut Function, stmts: Vec<Stmt>) -> Vec<Stmt> {
    let mut count: HashMap<VarId, usize> = Default::default();
    for s in &stmts {
        if let Stmt::Let { expr: Expr::Prim(Prim::Div, args), .. } = s
            && let Atom::Var(d) = args[1]
            && matches!(g.vars[d as usize].kind, VarKind::Let | VarKind::Slot(_))
        {
            *count.entry(d).or_default() += 1;
        }
    }
    count.retain(|_, n| *n > 1);
    let mut recips: HashMap<VarId, VarId> = Default::default();
    let mut out = Vec::with_capacity(stmts.len() + count.len());
    for s in stmts {
        let Stmt::Let { var, expr: Expr::Prim(Prim::Div, args) } = s else {
            out.push(s);
            continue;
        };
        let by = match args[1] {
            Atom::Var(d) if count.contains_key(&d) => Atom::Var(*recips.entry(d).or_insert_with(|| {
                let r = g.new_var(None, Ty::REAL, VarKind::Let);
                out.push(Stmt::Let { var: r, expr: Expr::Prim(Prim::Div, vec![Atom::Real(1.0), args[1]]) });
                r
            })),
            Atom::Real(c) if c != 0.0 && c.is_finite() && (1.0 / c).is_finite() => Atom::Real(1.0 / c),
            _ => {
                out.push(Stmt::Let { var, expr: Expr::Prim(Prim::Div, args) });
                continue;
            }
        };
        out.push(Stmt::Let { var, expr: Expr::Prim(Prim::Mul, vec![args[0], by]) });
    }
    out
}

/// Scalar primitives that cannot fail or trap and have no effects: safe to run even when the
/// loop runs zero times.
fn is_scalar_pure(p: Prim) -> bool {
    match p.kind() {
        PrimKind::Scalar => true,
        PrimKind::Kernel => false,
    }
}

/// The operands of the kernels in `stmts`, nested blocks included.
fn kernel_targets(stmts: &[Stmt], set: &mut HashSet<VarId>) {
    for s in stmts {
        if let Stmt::Kernel { args, .. } = s {
            set.extend(args.iter().filter_map(|a| a.var()));
        }
        for block in s.blocks() {
            kernel_targets(block, set);
        }
    }
}

fn written(stmts: &[Stmt], set: &mut HashSet<VarId>, bound: &mut HashMap<VarId, usize>) {
    for s in stmts {
        match s {
            Stmt::Let { var, .. } | Stmt::Pop(var) => {
                set.insert(*var);
                *bound.entry(*var).or_default() += 1;
            }
            Stmt::Decl { var, .. } | Stmt::Assign { var, .. } | Stmt::Accum { var, .. } => {
                set.insert(*var);
            }
            Stmt::Copy { dst, .. } | Stmt::AccumAll { dst, .. } => {
                set.insert(*dst);
            }
            Stmt::For { var, body, .. } => {
                set.insert(*var);
                written(body, set, bound);
            }
            Stmt::While { cond_block, body, .. } => {
                written(cond_block, set, bound);
                written(body, set, bound);
            }
            Stmt::If { then, otherwise, .. } => {
                written(then, set, bound);
                written(otherwise, set, bound);
            }
            _ => {}
        }
    }
}
