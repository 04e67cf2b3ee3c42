//! Well-formedness checks on the IR, run after each pass in tests and debug builds.
//!
//! A failed check is a compiler bug, never a user error, so it panics with the message.

use std::collections::HashSet;

use crate::ir::{Atom, Elem, ErrorKind, Expr, Function, Stmt, VarKind};

/// Checks that every variable is defined before it is read, that each `Let` variable is
/// bound by exactly one statement, and that no variable is complex or a tuple (lowering splits
/// them).
pub fn verify(func: &Function) {
    let mut defined: HashSet<u32> = HashSet::new();
    for (i, v) in func.vars.iter().enumerate() {
        assert!(v.ty.elem != Elem::Complex, "IR bug in {}: {} is complex", func.name, var_name(func, i as u32));
        assert!(!v.ty.is_tuple(), "IR bug in {}: {} is a tuple", func.name, var_name(func, i as u32));
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
            Stmt::Print { site, value } => {
                value.iter().for_each(|a| use_atom(a, defined));
                let kind = func.errors[*site as usize].kind;
                let wants = match kind {
                    ErrorKind::PrintReal | ErrorKind::PrintInt => true,
                    ErrorKind::PrintText => false,
                    ErrorKind::Domain | ErrorKind::Index | ErrorKind::Fatal | ErrorKind::Data => {
                        panic!("IR bug in {}: print of error site {site}", func.name)
                    }
                };
                assert_eq!(value.is_some(), wants, "IR bug in {}: print site {site} of kind {kind:?}", func.name);
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

/// Checks that a function the fit calls holds no work on the data alone left at its top level
/// (`opt::data_hoist` moves it into `precompute`): no loop that reads only data and values
/// computed from them, does nothing but compute (no `target`, no draw, no output, no tape) and
/// writes nothing that later statements reading more than data write again (a matrix zeroed
/// before its diagonal gets a parameter), and no kernel or container copy from data-only
/// operands.
pub fn no_data_only_work(func: &Function) {
    let mut data: HashSet<u32> = HashSet::new();
    for (i, v) in func.vars.iter().enumerate() {
        if matches!(v.kind, VarKind::Slot(_)) {
            data.insert(i as u32);
        }
    }
    // The data-only loops, and what each statement that reads more than data writes.
    let mut loops = Vec::new();
    let mut rewritten = Vec::new();
    for (k, s) in func.body.iter().enumerate() {
        let mut reads = Vec::new();
        let mut bound = HashSet::new();
        let pure = pure_reads(std::slice::from_ref(s), &mut reads, &mut bound);
        let from_data = pure && reads.iter().all(|v| data.contains(v));
        match s {
            Stmt::Let { var, expr } if from_data => {
                let costly = match expr {
                    Expr::Prim(..) | Expr::Load { .. } | Expr::Alloc { .. } => !func.ty(*var).is_scalar(),
                    _ => false,
                };
                assert!(!costly, "IR bug in {}: {} computes from the data alone", func.name, var_name(func, *var));
                data.insert(*var);
            }
            Stmt::Decl { var, .. } if from_data => {
                data.insert(*var);
            }
            Stmt::For { var, .. } if from_data => loops.push((k, *var, bound)),
            _ if from_data => {}
            // What a statement that reads more than data writes is no longer data.
            _ => {
                data.retain(|v| !bound.contains(v));
                rewritten.push((k, bound));
            }
        }
    }
    for (k, var, written) in loops {
        let kept = rewritten.iter().any(|(j, w)| *j > k && w.iter().any(|v| written.contains(v)));
        assert!(kept, "IR bug in {}: the loop over {} is on the data alone", func.name, var_name(func, var));
    }
}

/// Collects what the statements read that they do not bind, and what they bind or write, into
/// `reads` and `bound`; false when one of them has an effect beyond its variables.
fn pure_reads(stmts: &[Stmt], reads: &mut Vec<u32>, bound: &mut HashSet<u32>) -> bool {
    let mut pure = true;
    for s in stmts {
        s.for_each_read(|v| {
            if !bound.contains(&v) {
                reads.push(v);
            }
        });
        match s {
            Stmt::Let { var, expr } => {
                pure &= !matches!(expr, Expr::Random(..));
                bound.insert(*var);
            }
            Stmt::Decl { var, .. }
            | Stmt::Assign { var, .. }
            | Stmt::Accum { var, .. }
            | Stmt::Copy { dst: var, .. } => {
                bound.insert(*var);
            }
            Stmt::For { var, body, .. } => {
                bound.insert(*var);
                pure &= pure_reads(body, reads, bound);
            }
            Stmt::If { then, otherwise, .. } => {
                pure &= pure_reads(then, reads, bound);
                pure &= pure_reads(otherwise, reads, bound);
            }
            s => pure &= !has_effect(s),
        }
    }
    pure
}

/// Whether a statement does more than compute variables and check them: it changes `target`,
/// the outputs, the tape or the slots, prints, or it may not terminate (`while`).
pub(crate) fn has_effect(s: &Stmt) -> bool {
    matches!(
        s,
        Stmt::While { .. }
            | Stmt::AccumAll { .. }
            | Stmt::Kernel { .. }
            | Stmt::TargetAdd(_)
            | Stmt::Output { .. }
            | Stmt::Push(_)
            | Stmt::Pop(_)
            | Stmt::Store { .. }
            | Stmt::Print { .. }
    )
}
