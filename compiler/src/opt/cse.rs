//! Common-subexpression elimination: a let that recomputes an expression already available (an
//! earlier let in the same block or an enclosing one, with the same operands) becomes an alias
//! of the earlier result, which folding then substitutes.
//!
//! Only expressions over values that never change qualify: constants and variables bound once
//! in the whole function (so a reverse sweep that binds a let again never breaks an alias), and
//! loads from data or theta, which nothing writes.

use rustc_hash::FxHashMap as HashMap;

use crate::ir::{Atom, Expr, Function, Prim, PrimKind, Stmt, VarId, VarKind};

pub fn eliminate(f: &Function) -> Function {
    let mut g = f.clone();
    let mut bindings: HashMap<VarId, usize> = HashMap::default();
    count_bindings(&f.body, &mut bindings);
    let mut available: Vec<(Key, VarId)> = Vec::new();
    g.body = block(&g, &f.body, &bindings, &mut available);
    g
}

#[derive(Clone, PartialEq)]
enum Key {
    Prim(Prim, Vec<AtomKey>),
    Load(VarId, Vec<AtomKey>),
    Dim(VarId, u8),
}

/// Atoms compared by value; reals by their bits, so NaN constants compare equal to themselves.
#[derive(Clone, Copy, PartialEq)]
enum AtomKey {
    Var(VarId),
    Real(u64),
    Int(i64),
}

fn key_atom(a: &Atom) -> AtomKey {
    match a {
        Atom::Var(v) => AtomKey::Var(*v),
        Atom::Real(x) => AtomKey::Real(x.to_bits()),
        Atom::Int(i) => AtomKey::Int(*i),
    }
}

fn block(
    g: &Function,
    stmts: &[Stmt],
    bindings: &HashMap<VarId, usize>,
    available: &mut Vec<(Key, VarId)>,
) -> Vec<Stmt> {
    let mark = available.len();
    let once = |v: &VarId| bindings.get(v).copied().unwrap_or(0) <= 1 && g.vars[*v as usize].kind != VarKind::Mutable;
    let stable = |a: &Atom| match a {
        Atom::Var(v) => once(v) && !matches!(g.vars[*v as usize].kind, VarKind::Built | VarKind::LoopIndex),
        _ => true,
    };
    let never_written = |v: &VarId| match g.vars[*v as usize].kind {
        VarKind::Slot(_) => true,
        VarKind::Input => g.gradient_of.is_none_or(|(_, grad)| grad != *v),
        _ => false,
    };
    let mut out = Vec::with_capacity(stmts.len());
    for s in stmts {
        match s {
            Stmt::Let { var, expr } if once(var) => {
                let key = match expr {
                    Expr::Prim(p, args) if args.iter().all(stable) && !is_kernel(*p) => {
                        Some(Key::Prim(*p, args.iter().map(key_atom).collect()))
                    }
                    Expr::Load { base, indices } if never_written(base) && indices.iter().all(stable) => {
                        Some(Key::Load(*base, indices.iter().map(key_atom).collect()))
                    }
                    Expr::Dim { base, dim } if once(base) || never_written(base) => Some(Key::Dim(*base, *dim)),
                    _ => None,
                };
                match key {
                    Some(k) => match available.iter().rev().find(|(a, _)| *a == k) {
                        Some((_, earlier)) => out.push(Stmt::Let { var: *var, expr: Expr::Atom(Atom::Var(*earlier)) }),
                        None => {
                            available.push((k, *var));
                            out.push(s.clone());
                        }
                    },
                    None => out.push(s.clone()),
                }
            }
            Stmt::While { cond_block, cond, body } => {
                let cond_block = block(g, cond_block, bindings, available);
                let body = block(g, body, bindings, available);
                out.push(Stmt::While { cond_block, cond: *cond, body });
            }
            Stmt::For { var, lo, hi, reverse, body } => {
                let body = block(g, body, bindings, available);
                out.push(Stmt::For { var: *var, lo: *lo, hi: *hi, reverse: *reverse, body });
            }
            Stmt::If { cond, then, otherwise } => {
                let then = block(g, then, bindings, available);
                let otherwise = block(g, otherwise, bindings, available);
                out.push(Stmt::If { cond: *cond, then, otherwise });
            }
            s => out.push(s.clone()),
        }
    }
    available.truncate(mark);
    out
}

/// The variables bound (or assigned) exactly once in the whole function.
pub fn bound_once(stmts: &[Stmt]) -> rustc_hash::FxHashSet<VarId> {
    let mut bindings = HashMap::default();
    count_bindings(stmts, &mut bindings);
    bindings.into_iter().filter(|(_, n)| *n == 1).map(|(v, _)| v).collect()
}

fn is_kernel(p: Prim) -> bool {
    match p.kind() {
        PrimKind::Scalar => false,
        PrimKind::Kernel => true,
    }
}

fn count_bindings(stmts: &[Stmt], bindings: &mut HashMap<VarId, usize>) {
    for s in stmts {
        match s {
            Stmt::Let { var, .. } | Stmt::Pop(var) | Stmt::Decl { var, .. } | Stmt::Assign { var, .. } => {
                *bindings.entry(*var).or_default() += 1;
            }
            Stmt::While { cond_block, body, .. } => {
                count_bindings(cond_block, bindings);
                count_bindings(body, bindings);
            }
            Stmt::For { var, body, .. } => {
                *bindings.entry(*var).or_default() += 1;
                count_bindings(body, bindings);
            }
            Stmt::If { then, otherwise, .. } => {
                count_bindings(then, bindings);
                count_bindings(otherwise, bindings);
            }
            _ => {}
        }
    }
}
