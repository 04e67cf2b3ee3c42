//! IR → IR simplification: constant folding, algebraic identities, and removal of dead lets.
//!
//! Every rewrite only improves: its output is never larger or slower than its input, so the
//! rules can run in any order until nothing changes.

mod cse;
pub mod data_checks;
pub mod data_hoist;
mod fuse;
mod licm;

pub use fuse::fuse;
pub use licm::hoist;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::ir::{Atom, Expr, Function, Prim, Stmt, VarId, VarKind};

pub fn simplify(f: &Function) -> Function {
    let mut g = f.clone();
    let once = cse::bound_once(&f.body);
    let fixed = f.fixed_sizes();
    let known = Known { once: &once, fixed: &fixed };
    let mut subst: HashMap<VarId, Atom> = HashMap::default();
    g.body = fold_block(&g, &f.body, &mut subst, &known);
    // Duplicates become aliases, which a second folding pass substitutes.
    g = cse::eliminate(&g);
    let mut subst: HashMap<VarId, Atom> = HashMap::default();
    g.body = fold_block(&g, &g.body, &mut subst, &known);
    remove_dead_lets(g)
}

/// Removes every let whose value no statement reads. Repeats, since removing one can make its
/// operands dead too.
pub fn remove_dead_lets(mut g: Function) -> Function {
    loop {
        let mut used = HashSet::default();
        uses(&g.body, &mut used);
        let before = count(&g.body);
        g.body = remove_dead(&g, &g.body, &used);
        if count(&g.body) == before {
            break;
        }
    }
    g
}

/// Removes the mutable variables and built containers that no statement reads (their
/// declarations, stores and copies into them), then the lets only those stores read; repeats
/// until nothing changes. `remove_dead_lets` keeps every store, since a store into a container
/// reads the container; after the tangent transformation, the sums of the original target
/// are written and never read.
pub fn remove_dead_stores(f: &Function) -> Function {
    let mut g = f.clone();
    loop {
        let mut read = HashSet::default();
        reads_besides_stores(&g.body, &mut read);
        let before = count(&g.body);
        let dead =
            |v: &VarId| !read.contains(v) && matches!(g.vars[*v as usize].kind, VarKind::Mutable | VarKind::Built);
        g.body = prune(
            &g.body,
            &|s| matches!(s, Stmt::Decl { var, .. } | Stmt::Assign { var, .. } | Stmt::Copy { dst: var, .. } if dead(var)),
        );
        g = remove_dead_lets(g);
        if count(&g.body) == before {
            return g;
        }
    }
}

/// Every variable a statement reads, other than the target of a store into it.
fn reads_besides_stores(stmts: &[Stmt], read: &mut HashSet<VarId>) {
    for s in stmts {
        match s {
            Stmt::Assign { indices, value, .. } => {
                read.extend(indices.iter().chain([value]).filter_map(|a| a.var()));
            }
            Stmt::Copy { src, .. } => {
                read.insert(*src);
            }
            s => s.for_each_read(|v| {
                read.insert(v);
            }),
        }
        for block in s.blocks() {
            reads_besides_stores(block, read);
        }
    }
}

fn count(stmts: &[Stmt]) -> usize {
    stmts
        .iter()
        .map(|s| match s {
            Stmt::For { body, .. } => 1 + count(body),
            Stmt::If { then, otherwise, .. } => 1 + count(then) + count(otherwise),
            Stmt::While { cond_block, body, .. } => 1 + count(cond_block) + count(body),
            _ => 1,
        })
        .sum()
}

fn sub(a: Atom, subst: &HashMap<VarId, Atom>) -> Atom {
    match a {
        Atom::Var(v) => subst.get(&v).copied().unwrap_or(a),
        _ => a,
    }
}

/// What folding knows about the function's variables.
struct Known<'a> {
    /// The lets bound once.
    once: &'a HashSet<VarId>,
    /// The containers of constant sizes (`Function::fixed_sizes`).
    fixed: &'a HashMap<VarId, Vec<i64>>,
}

/// Folds constants and identities, replacing lets whose value is another atom by that atom.
fn fold_block(f: &Function, stmts: &[Stmt], subst: &mut HashMap<VarId, Atom>, known: &Known) -> Vec<Stmt> {
    let once = known.once;
    let mut out = Vec::with_capacity(stmts.len());
    for s in stmts {
        let s = rename(s, subst);
        // A name bound again (the reverse sweep's recomputed or reloaded lets) holds the new
        // value from here on, not what its earlier binding folded to.
        if let Stmt::Let { var, .. } | Stmt::Pop(var) = &s {
            subst.remove(var);
        }
        match s {
            Stmt::Let { var, expr: Expr::Prim(p, args) } => match fold(p, &args) {
                Some(a)
                    if f.atom_ty(a).elem == f.ty(var).elem
                        && f.vars[var as usize].kind == VarKind::Let
                        && immutable(f, a) =>
                {
                    subst.insert(var, a);
                    // Keep a binding: a recomputing reverse sweep may bind the name again.
                    out.push(Stmt::Let { var, expr: Expr::Atom(a) });
                }
                _ => out.push(Stmt::Let { var, expr: Expr::Prim(p, args) }),
            },
            // The size of a container declared with constant sizes.
            Stmt::Let { var, expr: Expr::Dim { base, dim } }
                if f.vars[var as usize].kind == VarKind::Let
                    && let Some(&n) = known.fixed.get(&base).and_then(|sizes| sizes.get(dim as usize)) =>
            {
                subst.insert(var, Atom::Int(n));
                out.push(Stmt::Let { var, expr: Expr::Atom(Atom::Int(n)) });
            }
            // An alias of another let of the same type, both bound once: uses read the original.
            Stmt::Let { var, expr: Expr::Atom(Atom::Var(a)) }
                if once.contains(&var)
                    && once.contains(&a)
                    && f.vars[var as usize].kind == VarKind::Let
                    && f.vars[a as usize].kind == VarKind::Let
                    && f.ty(var) == f.ty(a) =>
            {
                subst.insert(var, Atom::Var(a));
                out.push(Stmt::Let { var, expr: Expr::Atom(Atom::Var(a)) });
            }
            Stmt::For { var, lo, hi, reverse, body } => {
                let body = fold_block(f, &body, subst, known);
                out.push(Stmt::For { var, lo, hi, reverse, body });
            }
            Stmt::If { cond: Atom::Int(c), then, otherwise } => {
                let taken = if c != 0 { then } else { otherwise };
                out.extend(fold_block(f, &taken, subst, known));
            }
            Stmt::If { cond, then, otherwise } => {
                let then = fold_block(f, &then, subst, known);
                let otherwise = fold_block(f, &otherwise, subst, known);
                out.push(Stmt::If { cond, then, otherwise });
            }
            Stmt::While { cond_block, cond, body } => {
                // `cond` is computed in `cond_block`: rename it after folding that block.
                let cond_block = fold_block(f, &cond_block, subst, known);
                let cond = sub(cond, subst);
                let body = fold_block(f, &body, subst, known);
                out.push(Stmt::While { cond_block, cond, body });
            }
            Stmt::Check { cond: Atom::Int(c), .. } if c != 0 => {}
            s => out.push(s),
        }
    }
    out
}

/// Whether an atom keeps its value for the rest of the function (so a let can be replaced by
/// it): constants, lets, inputs and data.
fn immutable(f: &Function, a: Atom) -> bool {
    match a {
        Atom::Var(v) => matches!(f.vars[v as usize].kind, VarKind::Let | VarKind::Input | VarKind::Slot(_)),
        _ => true,
    }
}

/// The atom an operation reduces to, when it does.
fn fold(p: Prim, args: &[Atom]) -> Option<Atom> {
    use Atom::{Int, Real};
    match (p, args) {
        (Prim::Add, [Real(a), Real(b)]) => Some(Real(a + b)),
        (Prim::Sub, [Real(a), Real(b)]) => Some(Real(a - b)),
        (Prim::Mul, [Real(a), Real(b)]) => Some(Real(a * b)),
        (Prim::Div, [Real(a), Real(b)]) => Some(Real(a / b)),
        (Prim::Neg, [Real(a)]) => Some(Real(-a)),
        (Prim::Add, [Real(z), x]) | (Prim::Add, [x, Real(z)]) if *z == 0.0 => Some(*x),
        (Prim::Sub, [x, Real(z)]) if *z == 0.0 => Some(*x),
        (Prim::Mul, [Real(o), x]) | (Prim::Mul, [x, Real(o)]) if *o == 1.0 => Some(*x),
        (Prim::Div, [x, Real(o)]) if *o == 1.0 => Some(*x),
        (Prim::IAdd, [Int(a), Int(b)]) => Some(Int(a.wrapping_add(*b))),
        (Prim::ISub, [Int(a), Int(b)]) => Some(Int(a.wrapping_sub(*b))),
        (Prim::IMul, [Int(a), Int(b)]) => Some(Int(a.wrapping_mul(*b))),
        (Prim::IAdd, [Int(0), x]) | (Prim::IAdd, [x, Int(0)]) => Some(*x),
        (Prim::ISub, [x, Int(0)]) => Some(*x),
        (Prim::IMul, [Int(1), x]) | (Prim::IMul, [x, Int(1)]) => Some(*x),
        (Prim::IEq, [Int(a), Int(b)]) => Some(Int(i64::from(a == b))),
        // An int equals itself (a real does not: NaN).
        (Prim::IEq | Prim::ILe | Prim::IGe, [Atom::Var(a), Atom::Var(b)]) if a == b => Some(Int(1)),
        (Prim::ToReal, [Int(a)]) => Some(Real(*a as f64)),
        (Prim::ToInt, [Real(a)]) if a.abs() < 2f64.powi(31) => Some(Int(a.trunc() as i64)),
        (Prim::Select, [Int(c), a, b]) => Some(if *c != 0 { *a } else { *b }),
        (Prim::Select, [_, a, b]) if a == b => Some(*a),
        (p, args) if args.iter().all(|a| !matches!(a, Atom::Var(_))) => eval_constant(p, args),
        _ => None,
    }
}

/// Evaluates a scalar primitive whose operands are all constants. A table function runs its
/// own implementation, so the folded value is the one compiled code would compute.
fn eval_constant(p: Prim, args: &[Atom]) -> Option<Atom> {
    use Atom::{Int, Real};
    let r = |k: usize| match args.get(k) {
        Some(Real(x)) => Some(*x),
        Some(Int(i)) => Some(*i as f64),
        _ => None,
    };
    let i = |k: usize| match args.get(k) {
        Some(Int(i)) => Some(*i),
        _ => None,
    };
    let b = |c: bool| Some(Int(i64::from(c)));
    match p {
        Prim::Neg => Some(Real(-r(0)?)),
        Prim::Sqrt => Some(Real(r(0)?.sqrt())),
        Prim::Fabs => Some(Real(r(0)?.abs())),
        Prim::Detach => Some(Real(r(0)?)),
        Prim::Call(f) => {
            let x: Option<Vec<f64>> = (0..f.arity()).map(r).collect();
            Some(Real(f.native().eval(&x?)))
        }
        Prim::Lt => b(r(0)? < r(1)?),
        Prim::Le => b(r(0)? <= r(1)?),
        Prim::Gt => b(r(0)? > r(1)?),
        Prim::Ge => b(r(0)? >= r(1)?),
        Prim::Eq => b(r(0)? == r(1)?),
        Prim::Ne => b(r(0)? != r(1)?),
        Prim::IsNan => b(r(0)?.is_nan()),
        Prim::IsInf => b(r(0)?.is_infinite()),
        Prim::Not => b(i(0)? == 0),
        Prim::And => b(i(0)? != 0 && i(1)? != 0),
        Prim::Or => b(i(0)? != 0 || i(1)? != 0),
        Prim::ILt => b(i(0)? < i(1)?),
        Prim::ILe => b(i(0)? <= i(1)?),
        Prim::IGt => b(i(0)? > i(1)?),
        Prim::IGe => b(i(0)? >= i(1)?),
        Prim::INe => b(i(0)? != i(1)?),
        // Folded by `fold` where it is exact (or left alone: Fmin/Fmax of a NaN, floor, and
        // int division, whose divide-by-zero is compiled code's to report), or never constant.
        Prim::Add
        | Prim::Sub
        | Prim::Mul
        | Prim::Div
        | Prim::Fmin
        | Prim::Fmax
        | Prim::Floor
        | Prim::Ceil
        | Prim::Select
        | Prim::IAdd
        | Prim::ISub
        | Prim::IMul
        | Prim::IDiv
        | Prim::IMod
        | Prim::INeg
        | Prim::IEq
        | Prim::IMin
        | Prim::IMax
        | Prim::ToReal
        | Prim::ToInt
        | Prim::MatVec
        | Prim::VecMat
        | Prim::MatMul
        | Prim::Cholesky
        | Prim::TriSolveVec
        | Prim::Inverse
        | Prim::Determinant
        | Prim::LogDeterminant
        | Prim::EigenvaluesSym
        | Prim::EigenvectorsSym
        | Prim::SingularValues
        | Prim::MatrixExp => None,
    }
}

fn rename(s: &Stmt, subst: &HashMap<VarId, Atom>) -> Stmt {
    let a = |x: &Atom| sub(*x, subst);
    let v = |x: &VarId| match subst.get(x) {
        Some(Atom::Var(y)) => *y,
        _ => *x,
    };
    let all = |xs: &[Atom]| xs.iter().map(|x| sub(*x, subst)).collect::<Vec<_>>();
    match s {
        Stmt::Let { var, expr } => Stmt::Let {
            var: *var,
            expr: match expr {
                Expr::Atom(x) => Expr::Atom(a(x)),
                Expr::Prim(p, args) => Expr::Prim(*p, all(args)),
                Expr::Load { base, indices } => Expr::Load { base: v(base), indices: all(indices) },
                Expr::Dim { base, dim } => Expr::Dim { base: v(base), dim: *dim },
                Expr::Alloc { ty, dims } => Expr::Alloc { ty: *ty, dims: all(dims) },
                Expr::View { base, offset, dims } => Expr::View { base: v(base), offset: a(offset), dims: all(dims) },
                Expr::Random(d, args) => Expr::Random(*d, all(args)),
            },
        },
        Stmt::Decl { var, dims } => Stmt::Decl { var: *var, dims: all(dims) },
        Stmt::Assign { var, indices, value } => Stmt::Assign { var: *var, indices: all(indices), value: a(value) },
        Stmt::Accum { var, indices, value } => Stmt::Accum { var: *var, indices: all(indices), value: a(value) },
        Stmt::Copy { dst, src } => Stmt::Copy { dst: *dst, src: v(src) },
        Stmt::AccumAll { dst, src } => Stmt::AccumAll { dst: *dst, src: v(src) },
        Stmt::Kernel { kernel, args } => Stmt::Kernel { kernel: *kernel, args: all(args) },
        Stmt::TargetAdd(x) => Stmt::TargetAdd(a(x)),
        Stmt::For { var, lo, hi, reverse, body } => {
            Stmt::For { var: *var, lo: a(lo), hi: a(hi), reverse: *reverse, body: body.clone() }
        }
        Stmt::If { cond, then, otherwise } => {
            Stmt::If { cond: a(cond), then: then.clone(), otherwise: otherwise.clone() }
        }
        // The condition is renamed with its block, in `fold_block`.
        Stmt::While { cond_block, cond, body } => {
            Stmt::While { cond_block: cond_block.clone(), cond: *cond, body: body.clone() }
        }
        Stmt::Check { cond, site, values } => Stmt::Check { cond: a(cond), site: *site, values: all(values) },
        Stmt::Print { site, value } => Stmt::Print { site: *site, value: value.as_ref().map(a) },
        Stmt::Output { pos, value } => Stmt::Output { pos: a(pos), value: a(value) },
        Stmt::Push(x) => Stmt::Push(a(x)),
        Stmt::Pop(x) => Stmt::Pop(*x),
        Stmt::Break => Stmt::Break,
        Stmt::Continue => Stmt::Continue,
        Stmt::Store { slot, var } => Stmt::Store { slot: *slot, var: v(var) },
    }
}

fn uses(stmts: &[Stmt], used: &mut HashSet<VarId>) {
    let add = |x: &Atom, used: &mut HashSet<VarId>| {
        if let Atom::Var(v) = x {
            used.insert(*v);
        }
    };
    for s in stmts {
        match s {
            Stmt::Let { expr, .. } => match expr {
                Expr::Atom(x) => add(x, used),
                Expr::Prim(_, args) => args.iter().for_each(|x| add(x, used)),
                Expr::Load { base, indices } => {
                    used.insert(*base);
                    indices.iter().for_each(|x| add(x, used));
                }
                Expr::Dim { base, .. } => {
                    used.insert(*base);
                }
                Expr::Alloc { dims, .. } => dims.iter().for_each(|x| add(x, used)),
                Expr::Random(_, args) => args.iter().for_each(|x| add(x, used)),
                Expr::View { base, offset, dims } => {
                    used.insert(*base);
                    add(offset, used);
                    dims.iter().for_each(|x| add(x, used));
                }
            },
            Stmt::Decl { dims, .. } => dims.iter().for_each(|x| add(x, used)),
            Stmt::Assign { var, indices, value } | Stmt::Accum { var, indices, value } => {
                used.insert(*var);
                indices.iter().for_each(|x| add(x, used));
                add(value, used);
            }
            Stmt::Copy { dst, src } | Stmt::AccumAll { dst, src } => {
                used.insert(*dst);
                used.insert(*src);
            }
            Stmt::Kernel { args, .. } => args.iter().for_each(|x| add(x, used)),
            Stmt::TargetAdd(x) | Stmt::Push(x) => add(x, used),
            Stmt::For { lo, hi, body, .. } => {
                add(lo, used);
                add(hi, used);
                uses(body, used);
            }
            Stmt::While { cond_block, cond, body } => {
                uses(cond_block, used);
                add(cond, used);
                uses(body, used);
            }
            Stmt::If { cond, then, otherwise } => {
                add(cond, used);
                uses(then, used);
                uses(otherwise, used);
            }
            Stmt::Check { cond, values, .. } => {
                add(cond, used);
                values.iter().for_each(|x| add(x, used));
            }
            Stmt::Output { pos, value } => {
                add(pos, used);
                add(value, used);
            }
            Stmt::Print { value, .. } => value.iter().for_each(|x| add(x, used)),
            Stmt::Pop(_) | Stmt::Break | Stmt::Continue => {}
            Stmt::Store { var, .. } => {
                used.insert(*var);
            }
        }
    }
}

fn remove_dead(f: &Function, stmts: &[Stmt], used: &HashSet<VarId>) -> Vec<Stmt> {
    // A let nobody reads is dropped; loads are pure here because every user-visible index is
    // checked by an explicit `Check` statement. A draw is kept even when unused: it advances
    // the random stream.
    prune(stmts, &|s| {
        matches!(s, Stmt::Let { var, expr }
            if !used.contains(var)
                && f.vars[*var as usize].kind == VarKind::Let
                && !matches!(expr, Expr::Random(..)))
    })
}

/// The statements without those `drop` selects, at every depth; a `for` or an `if` left with
/// nothing to run goes too.
fn prune(stmts: &[Stmt], drop: &dyn Fn(&Stmt) -> bool) -> Vec<Stmt> {
    let mut out = Vec::with_capacity(stmts.len());
    for s in stmts {
        match s {
            s if drop(s) => {}
            Stmt::For { var, lo, hi, reverse, body } => {
                let body = prune(body, drop);
                if !body.is_empty() {
                    out.push(Stmt::For { var: *var, lo: *lo, hi: *hi, reverse: *reverse, body });
                }
            }
            // A loop stays even with an empty body: it might not terminate.
            Stmt::While { cond_block, cond, body } => {
                out.push(Stmt::While { cond_block: prune(cond_block, drop), cond: *cond, body: prune(body, drop) })
            }
            Stmt::If { cond, then, otherwise } => {
                let then = prune(then, drop);
                let otherwise = prune(otherwise, drop);
                if !then.is_empty() || !otherwise.is_empty() {
                    out.push(Stmt::If { cond: *cond, then, otherwise });
                }
            }
            s => out.push(s.clone()),
        }
    }
    out
}
