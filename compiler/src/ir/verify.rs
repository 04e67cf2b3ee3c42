//! Well-formedness checks on the IR, run after each pass in tests and debug builds.
//!
//! A failed check is a compiler bug, never a user error, so it panics with the message.

use std::collections::HashSet;

use crate::ir::{Atom, Expr, Function, Stmt, VarKind};

/// Checks that every variable is defined before it is read, and that each `Let` variable is
/// bound by exactly one statement.
pub fn verify(func: &Function) {
    let mut defined: HashSet<u32> = HashSet::new();
    for (i, v) in func.vars.iter().enumerate() {
        if matches!(v.kind, VarKind::Input | VarKind::Slot(_)) {
            defined.insert(i as u32);
        }
    }
    let mut bound_once = HashSet::new();
    walk(func, &func.body, &mut defined, &mut bound_once);
}

fn walk(func: &Function, stmts: &[Stmt], defined: &mut HashSet<u32>, bound_once: &mut HashSet<u32>) {
    let use_atom = |a: &Atom, defined: &HashSet<u32>| {
        if let Atom::Var(v) = a {
            assert!(defined.contains(v), "IR bug in {}: {} used before definition", func.name, var_name(func, *v));
        }
    };
    for s in stmts {
        match s {
            Stmt::Let { var, expr } => {
                match expr {
                    Expr::Atom(a) => use_atom(a, defined),
                    Expr::Prim(_, args) => args.iter().for_each(|a| use_atom(a, defined)),
                    Expr::Load { base, indices } => {
                        use_atom(&Atom::Var(*base), defined);
                        indices.iter().for_each(|a| use_atom(a, defined));
                    }
                    Expr::Dim { base, .. } => use_atom(&Atom::Var(*base), defined),
                    Expr::Alloc { dims, .. } => dims.iter().for_each(|a| use_atom(a, defined)),
                    Expr::Random(_, args) => args.iter().for_each(|a| use_atom(a, defined)),
                    Expr::View { base, offset, dims } => {
                        use_atom(&Atom::Var(*base), defined);
                        use_atom(offset, defined);
                        dims.iter().for_each(|a| use_atom(a, defined));
                    }
                }
                assert!(bound_once.insert(*var), "IR bug in {}: {} bound twice", func.name, var_name(func, *var));
                defined.insert(*var);
            }
            Stmt::Pop(var) => {
                defined.insert(*var);
            }
            Stmt::Decl { var, dims } => {
                dims.iter().for_each(|a| use_atom(a, defined));
                defined.insert(*var);
            }
            Stmt::Assign { var, indices, value } | Stmt::Accum { var, indices, value } => {
                use_atom(&Atom::Var(*var), defined);
                indices.iter().for_each(|a| use_atom(a, defined));
                use_atom(value, defined);
            }
            Stmt::Copy { dst, src } | Stmt::AccumAll { dst, src } => {
                use_atom(&Atom::Var(*dst), defined);
                use_atom(&Atom::Var(*src), defined);
            }
            Stmt::Kernel { args, .. } => args.iter().for_each(|a| use_atom(a, defined)),
            Stmt::TargetAdd(a) | Stmt::Push(a) => use_atom(a, defined),
            Stmt::For { var, lo, hi, body, .. } => {
                use_atom(lo, defined);
                use_atom(hi, defined);
                defined.insert(*var);
                walk(func, body, defined, bound_once);
            }
            Stmt::If { cond, then, otherwise } => {
                use_atom(cond, defined);
                walk(func, then, defined, bound_once);
                walk(func, otherwise, defined, bound_once);
            }
            Stmt::Break | Stmt::Continue => {}
            Stmt::While { cond_block, cond, body } => {
                walk(func, cond_block, defined, bound_once);
                use_atom(cond, defined);
                walk(func, body, defined, bound_once);
            }
            Stmt::Check { cond, values, .. } => {
                use_atom(cond, defined);
                values.iter().for_each(|a| use_atom(a, defined));
            }
            Stmt::Output { pos, value } => {
                use_atom(pos, defined);
                use_atom(value, defined);
            }
            Stmt::Store { var, .. } => use_atom(&Atom::Var(*var), defined),
        }
    }
}

fn var_name(func: &Function, v: u32) -> String {
    match &func.vars[v as usize].name {
        Some(n) => format!("{n}.{v}"),
        None => format!("%{v}"),
    }
}
