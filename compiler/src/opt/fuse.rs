//! Loop fusion: an elementwise result that one loop builds and later loops read element by
//! element is computed inside the reading loops instead, so it is never stored (inside one of
//! them only, when making an element takes a call, a division or a square root).
//!
//! `alpha + X * beta` followed by `y ~ normal(mu, sigma)` becomes one loop over the data: no
//! buffer for `mu` going forward, no buffer for its adjoint coming back, two passes fewer.

use rustc_hash::FxHashMap as HashMap;

use crate::ir::{Atom, Expr, Function, Prim, Stmt, VarId, VarKind};

/// Fuses every eligible producer into its consumer, repeatedly.
pub fn fuse(f: &Function) -> Function {
    let mut g = f.clone();
    while let Some(body) = fuse_one(&mut g) {
        g.body = body;
    }
    g
}

/// What is known about one built vector: its producer loop and its uses.
struct Candidate {
    var: VarId,
    len: Atom,
}

fn fuse_one(g: &mut Function) -> Option<Vec<Stmt>> {
    let mut uses: HashMap<VarId, usize> = HashMap::default();
    count_uses(&g.body, &mut uses);
    let body = g.body.clone();
    try_block(g, &body, &uses)
}

/// Looks for a producer in `stmts` (and nested blocks); returns the rewritten top-level body.
fn try_block(g: &mut Function, stmts: &[Stmt], uses: &HashMap<VarId, usize>) -> Option<Vec<Stmt>> {
    for (p, s) in stmts.iter().enumerate() {
        let Stmt::Decl { var, dims } = s else { continue };
        if g.vars[*var as usize].kind != VarKind::Built || dims.len() != 1 {
            continue;
        }
        let cand = Candidate { var: *var, len: dims[0] };
        // The producer loop follows the declaration, perhaps after some lets.
        let Some(q) = (p + 1..stmts.len()).find(|&k| !matches!(stmts[k], Stmt::Let { .. })) else { continue };
        let Stmt::For { var: i, lo: Atom::Int(1), hi, reverse: false, body: prod } = &stmts[q] else { continue };
        if *hi != cand.len || !is_producer(g, prod, cand.var, *i) {
            continue;
        }
        // Uses: one store (the producer), one element load in each consumer loop, and sizes.
        // Elements made without a call, a division or a square root are made again in each
        // consumer (log_sum_exp's max and sum); dearer ones are fused into one consumer only.
        let loads = uses.get(&cand.var).copied().unwrap_or(0);
        let consumers: Vec<usize> = (q + 1..stmts.len()).filter(|&k| loads_elementwise(&stmts[k], cand.var)).collect();
        let element_loads = count_non_dim_uses(&stmts[q + 1..], cand.var);
        let Stmt::Assign { value, .. } = prod.last().expect("producer has a store") else { unreachable!() };
        let lets: Vec<Stmt> = prod[..prod.len() - 1].to_vec();
        let cheap = || {
            lets.iter()
                .all(|s| !matches!(s, Stmt::Let { expr: Expr::Prim(Prim::Call(_) | Prim::Div | Prim::Sqrt, _), .. }))
        };
        let one_load_each =
            || consumers.iter().all(|&k| count_non_dim_uses(std::slice::from_ref(&stmts[k]), cand.var) == 1);
        if consumers.is_empty()
            || loads != element_loads + 1
            || element_loads != consumers.len()
            || (consumers.len() > 1 && !(cheap() && one_load_each()))
        {
            continue;
        }
        let value = *value;
        let mut out: Vec<Stmt> = Vec::with_capacity(stmts.len());
        for (k, s) in stmts.iter().enumerate() {
            if k == p || k == q {
                continue;
            }
            let s = replace_dims(s, cand.var, cand.len);
            if consumers.contains(&k) {
                out.push(inline_into(g, &s, cand.var, *i, &lets, value));
            } else {
                out.push(s);
            }
        }
        return Some(out);
    }
    // Not at this level: try nested blocks (loop bodies and both branches of conditionals).
    for (k, s) in stmts.iter().enumerate() {
        let replaced = match s {
            Stmt::For { var, lo, hi, reverse, body } => {
                try_block(g, body, uses).map(|body| Stmt::For { var: *var, lo: *lo, hi: *hi, reverse: *reverse, body })
            }
            Stmt::If { cond, then, otherwise } => match try_block(g, then, uses) {
                Some(then) => Some(Stmt::If { cond: *cond, then, otherwise: otherwise.clone() }),
                None => try_block(g, otherwise, uses).map(|otherwise| Stmt::If {
                    cond: *cond,
                    then: then.clone(),
                    otherwise,
                }),
            },
            _ => None,
        };
        if let Some(new) = replaced {
            let mut out = stmts.to_vec();
            out[k] = new;
            return Some(out);
        }
    }
    None
}

/// A producer body: pure lets reading only values that never change, then `b[i] := value`.
fn is_producer(g: &Function, body: &[Stmt], b: VarId, i: VarId) -> bool {
    let Some((last, lets)) = body.split_last() else { return false };
    let Stmt::Assign { var, indices, .. } = last else { return false };
    if *var != b || indices.as_slice() != [Atom::Var(i)] {
        return false;
    }
    let stable = |a: &Atom| match a {
        Atom::Var(v) => {
            *v == i
                || matches!(g.vars[*v as usize].kind, VarKind::Let | VarKind::Input | VarKind::Slot(_) | VarKind::Built)
        }
        _ => true,
    };
    lets.iter().all(|s| match s {
        Stmt::Let { expr: Expr::Prim(_, args), .. } => args.iter().all(stable),
        Stmt::Let { expr: Expr::Atom(a), .. } => stable(a),
        Stmt::Let { expr: Expr::Load { base, indices }, .. } => {
            stable(&Atom::Var(*base)) && *base != b && indices.iter().all(stable)
        }
        _ => false,
    })
}

/// Whether `s` is a loop over j whose body loads `b[j]`.
fn loads_elementwise(s: &Stmt, b: VarId) -> bool {
    let Stmt::For { var: j, lo: Atom::Int(1), body, .. } = s else { return false };
    body.iter().any(|t| matches!(t, Stmt::Let { expr: Expr::Load { base, indices }, .. } if *base == b && indices.as_slice() == [Atom::Var(*j)]))
}

fn count_non_dim_uses(stmts: &[Stmt], b: VarId) -> usize {
    let mut n = 0;
    for s in stmts {
        match s {
            Stmt::Let { expr: Expr::Dim { .. }, .. } => {}
            Stmt::Let { expr: Expr::Load { base, .. }, .. } if *base == b => n += 1,
            Stmt::For { body, .. } => n += count_non_dim_uses(body, b),
            Stmt::While { cond_block, body, .. } => {
                n += count_non_dim_uses(cond_block, b) + count_non_dim_uses(body, b)
            }
            Stmt::If { then, otherwise, .. } => n += count_non_dim_uses(then, b) + count_non_dim_uses(otherwise, b),
            _ => {}
        }
    }
    n
}

/// Every use of each variable except as the base of `Dim`, counted over the whole function.
fn count_uses(stmts: &[Stmt], uses: &mut HashMap<VarId, usize>) {
    let add = |v: VarId, uses: &mut HashMap<VarId, usize>| *uses.entry(v).or_default() += 1;
    for s in stmts {
        match s {
            Stmt::Let { expr, .. } => match expr {
                Expr::Atom(Atom::Var(v)) => add(*v, uses),
                Expr::Prim(_, args) => args.iter().filter_map(|a| a.var()).for_each(|v| add(v, uses)),
                Expr::Load { base, .. } | Expr::View { base, .. } => add(*base, uses),
                Expr::Random(_, args) => args.iter().filter_map(|a| a.var()).for_each(|v| add(v, uses)),
                Expr::Atom(_) | Expr::Dim { .. } | Expr::Alloc { .. } => {}
            },
            Stmt::Assign { var, .. } => add(*var, uses),
            Stmt::Copy { dst, src } | Stmt::AccumAll { dst, src } => {
                add(*dst, uses);
                add(*src, uses);
            }
            Stmt::Kernel { args, .. } => args.iter().filter_map(|a| a.var()).for_each(|v| add(v, uses)),
            Stmt::Store { var, .. } => add(*var, uses),
            Stmt::Output { value: Atom::Var(v), .. } | Stmt::TargetAdd(Atom::Var(v)) | Stmt::Push(Atom::Var(v)) => {
                add(*v, uses)
            }
            Stmt::While { cond_block, body, .. } => {
                count_uses(cond_block, uses);
                count_uses(body, uses);
            }
            Stmt::For { body, .. } => count_uses(body, uses),
            Stmt::If { then, otherwise, .. } => {
                count_uses(then, uses);
                count_uses(otherwise, uses);
            }
            _ => {}
        }
    }
}

/// Replaces `dim b, 0` by the length the producer was declared with.
fn replace_dims(s: &Stmt, b: VarId, len: Atom) -> Stmt {
    match s {
        Stmt::Let { var, expr: Expr::Dim { base, .. } } if *base == b => Stmt::Let { var: *var, expr: Expr::Atom(len) },
        Stmt::For { var, lo, hi, reverse, body } => Stmt::For {
            var: *var,
            lo: *lo,
            hi: *hi,
            reverse: *reverse,
            body: body.iter().map(|t| replace_dims(t, b, len)).collect(),
        },
        Stmt::While { cond_block, cond, body } => Stmt::While {
            cond_block: cond_block.iter().map(|t| replace_dims(t, b, len)).collect(),
            cond: *cond,
            body: body.iter().map(|t| replace_dims(t, b, len)).collect(),
        },
        Stmt::If { cond, then, otherwise } => Stmt::If {
            cond: *cond,
            then: then.iter().map(|t| replace_dims(t, b, len)).collect(),
            otherwise: otherwise.iter().map(|t| replace_dims(t, b, len)).collect(),
        },
        s => s.clone(),
    }
}

/// In the consumer loop, replaces `x = b[j]` with the producer's lets (renamed, `i` → `j`)
/// followed by `x = value`.
fn inline_into(g: &mut Function, consumer: &Stmt, b: VarId, i: VarId, lets: &[Stmt], value: Atom) -> Stmt {
    let Stmt::For { var: j, lo, hi, reverse, body } = consumer else { unreachable!("checked by loads_elementwise") };
    let mut new_body = Vec::with_capacity(body.len() + lets.len());
    for s in body {
        match s {
            Stmt::Let { var: x, expr: Expr::Load { base, indices } }
                if *base == b && indices.as_slice() == [Atom::Var(*j)] =>
            {
                let mut rename: HashMap<VarId, Atom> = HashMap::from_iter([(i, Atom::Var(*j))]);
                let sub = |a: &Atom, rename: &HashMap<VarId, Atom>| match a {
                    Atom::Var(v) => rename.get(v).copied().unwrap_or(*a),
                    _ => *a,
                };
                for l in lets {
                    let Stmt::Let { var, expr } = l else { unreachable!("producer bodies are lets") };
                    let info = g.vars[*var as usize].clone();
                    let fresh = g.new_var(info.name, info.ty, VarKind::Let);
                    let expr = match expr {
                        Expr::Atom(a) => Expr::Atom(sub(a, &rename)),
                        Expr::Prim(p, args) => Expr::Prim(*p, args.iter().map(|a| sub(a, &rename)).collect()),
                        Expr::Load { base, indices } => Expr::Load {
                            base: match sub(&Atom::Var(*base), &rename) {
                                Atom::Var(v) => v,
                                _ => *base,
                            },
                            indices: indices.iter().map(|a| sub(a, &rename)).collect(),
                        },
                        other => other.clone(),
                    };
                    new_body.push(Stmt::Let { var: fresh, expr });
                    rename.insert(*var, Atom::Var(fresh));
                }
                new_body.push(Stmt::Let { var: *x, expr: Expr::Atom(sub(&value, &rename)) });
            }
            s => new_body.push(s.clone()),
        }
    }
    Stmt::For { var: *j, lo: *lo, hi: *hi, reverse: *reverse, body: new_body }
}
