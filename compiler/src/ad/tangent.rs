//! Forward-mode (tangent) differentiation as an IR-to-IR transformation: the first half of the
//! Hessian.
//!
//! The Hessian is computed reverse over forward. `tangent` turns the log density `f(θ)` into
//! a function of one buffer `[θ; v]` (2n values) whose `target` is the directional derivative
//! `∇f(θ)·v`: every real let that depends on θ gets a tangent let after it, every mutable
//! variable a tangent variable assigned beside it, and each `target +=` adds its operand's
//! tangent instead. `ad::differentiate` then reverse-differentiates that function with respect
//! to the whole buffer: the first n values of the gradient are `H v`, the last n are `∇f` (the
//! derivative of `∇f·v` in v), and the value returned is `∇f·v`. With v the j-th unit vector
//! this is the Hessian's j-th column.
//!
//! Why this order and not forward over reverse (a tangent of the gradient function)? The log
//! density has no tape, no accumulating kernels and no reversed loops, so the tangent rules are
//! one per primitive of the input language, written with primitives the reverse sweep already
//! differentiates (a matrix product's tangent is two products; a Cholesky factor's uses the
//! inverse and products), and the reverse sweep's own machinery (tape, reductions, saves) is
//! reused untouched. A tangent of the gradient function would need tangents of every adjoint
//! kernel, of the tape and of the reversed control flow.
//!
//! A scalar function's tangent is built from its partials' formulas, as its adjoint is; its
//! second derivative then needs the partials of the functions those formulas call. An internal
//! function without partials (`gamma_p_da`, in gamma_p's partial in its shape) has none:
//! `tangent` refuses such a model, naming the function.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::partials;
use super::rules::{Emit, op};
use crate::ir::{Atom, ErrorKind, ErrorSite, Expr, Function, Prim, Stmt, Ty, VarId, VarKind, int_valued};

/// The function of `[θ; v]` whose `target` is `∇f(θ)·v` (see the module's comment), or the
/// name of the first function whose second derivative vppl does not have.
pub fn tangent(f: &Function) -> Result<Function, String> {
    let theta = f.params[0];
    let mut t = Tangent {
        g: Function { name: format!("{}_tangent", f.name), ..f.clone() },
        active: super::depends_on(f, theta),
        tangent: HashMap::default(),
        theta,
        n: Atom::Int(0),
        missing: None,
    };
    let mut body = Vec::new();
    let len = t.temp(Ty::INT, Expr::Dim { base: theta, dim: 0 }, &mut body);
    t.n = t.temp(Ty::INT, Expr::Prim(Prim::IDiv, vec![len, Atom::Int(2)]), &mut body);
    t.block(&f.body, &mut body);
    if let Some(name) = t.missing {
        return Err(name);
    }
    t.g.body = body;
    Ok(t.g)
}

struct Tangent {
    g: Function,
    /// The variables of the input that depend on θ: each has a tangent.
    active: HashSet<VarId>,
    /// The tangent of each active variable met so far: a variable of the same type, or for a
    /// scalar whose tangent is known to be zero (a `floor`), the constant 0.
    tangent: HashMap<VarId, Atom>,
    theta: VarId,
    /// n, the number of parameters: v starts at θ's element n + 1.
    n: Atom,
    /// The first function without a second derivative.
    missing: Option<String>,
}

impl Emit for Tangent {
    fn temp(&mut self, ty: Ty, expr: Expr, out: &mut Vec<Stmt>) -> Atom {
        let var = self.g.new_var(None, ty, VarKind::Let);
        out.push(Stmt::Let { var, expr });
        Atom::Var(var)
    }
}

const ZERO: Atom = Atom::Real(0.0);

impl Tangent {
    fn block(&mut self, stmts: &[Stmt], out: &mut Vec<Stmt>) {
        for s in stmts {
            self.stmt(s, out);
        }
    }

    /// The statement, then its tangent.
    fn stmt(&mut self, s: &Stmt, out: &mut Vec<Stmt>) {
        match s {
            Stmt::Let { var, expr } => {
                out.push(s.clone());
                if self.active.contains(var) {
                    let d = self.let_tangent(*var, expr, out);
                    // A mutable variable's tangent changes with it: the let keeps today's.
                    let d = match d {
                        Atom::Var(m)
                            if self.g.vars[m as usize].kind == VarKind::Mutable && self.g.ty(m).is_scalar() =>
                        {
                            self.temp(self.g.ty(m), Expr::Atom(d), out)
                        }
                        d => d,
                    };
                    self.tangent.insert(*var, d);
                }
            }
            Stmt::Decl { var, dims } => {
                out.push(s.clone());
                if self.active.contains(var) {
                    let d = self.new_tangent(*var);
                    out.push(Stmt::Decl { var: d, dims: dims.clone() });
                }
            }
            Stmt::Assign { var, indices, value } => {
                out.push(s.clone());
                if self.active.contains(var) {
                    let d = self.var_tangent(*var);
                    let value = self.of(*value).unwrap_or(ZERO);
                    out.push(Stmt::Assign { var: d, indices: indices.clone(), value });
                }
            }
            Stmt::Copy { dst, src } => {
                out.push(s.clone());
                if self.active.contains(dst) {
                    let d = self.var_tangent(*dst);
                    let src = match self.of(Atom::Var(*src)) {
                        Some(Atom::Var(ds)) => ds,
                        _ => {
                            // A copy of a constant container: its tangent is zero.
                            let ty = self.g.ty(*src);
                            let dims = self.dims(*src, out);
                            let zero = self.g.new_var(None, ty, VarKind::Let);
                            out.push(Stmt::Let { var: zero, expr: Expr::Alloc { ty, dims } });
                            zero
                        }
                    };
                    out.push(Stmt::Copy { dst: d, src });
                }
            }
            // Only the tangents reach the new target.
            Stmt::TargetAdd(a) => {
                if let Some(d) = self.of(*a) {
                    out.push(Stmt::TargetAdd(d));
                }
            }
            Stmt::For { var, lo, hi, reverse, body } => {
                let mut inner = Vec::new();
                self.block(body, &mut inner);
                out.push(Stmt::For { var: *var, lo: *lo, hi: *hi, reverse: *reverse, body: inner });
            }
            Stmt::If { cond, then, otherwise } => {
                let (mut t, mut o) = (Vec::new(), Vec::new());
                self.block(then, &mut t);
                self.block(otherwise, &mut o);
                out.push(Stmt::If { cond: *cond, then: t, otherwise: o });
            }
            Stmt::While { cond_block, cond, body } => {
                let (mut c, mut b) = (Vec::new(), Vec::new());
                self.block(cond_block, &mut c);
                self.block(body, &mut b);
                out.push(Stmt::While { cond_block: c, cond: *cond, body: b });
            }
            // A print runs as in the log density (and a `reject`'s message is printed pieces).
            Stmt::Check { .. }
            | Stmt::Print { .. }
            | Stmt::Output { .. }
            | Stmt::Store { .. }
            | Stmt::Break
            | Stmt::Continue => out.push(s.clone()),
            Stmt::Accum { .. } | Stmt::AccumAll { .. } | Stmt::Kernel { .. } | Stmt::Push(_) | Stmt::Pop(_) => {
                panic!("compiler bug: the tangent's input contains statements only AD produces")
            }
        }
    }

    /// The tangent of an atom: None for a constant or a value that does not depend on θ.
    fn of(&self, a: Atom) -> Option<Atom> {
        let Atom::Var(v) = a else { return None };
        if !self.active.contains(&v) {
            return None;
        }
        Some(*self.tangent.get(&v).unwrap_or_else(|| panic!("compiler bug: tangent of {v} used before its definition")))
    }

    fn new_tangent(&mut self, v: VarId) -> VarId {
        let info = self.g.vars[v as usize].clone();
        let d = self.g.new_var(info.name.map(|n| format!("{n}_tangent")), info.ty, info.kind);
        self.tangent.insert(v, Atom::Var(d));
        d
    }

    fn var_tangent(&self, v: VarId) -> VarId {
        match self.tangent.get(&v) {
            Some(Atom::Var(d)) => *d,
            _ => panic!("compiler bug: the mutable variable {v} has no tangent variable"),
        }
    }

    fn let_tangent(&mut self, var: VarId, expr: &Expr, out: &mut Vec<Stmt>) -> Atom {
        let ty = self.g.ty(var);
        match expr {
            Expr::Atom(a) => {
                let d = self.of(*a).unwrap_or(ZERO);
                self.temp(ty, Expr::Atom(d), out)
            }
            Expr::Prim(p, args) => self.prim(*p, args, Atom::Var(var), out),
            // θ's tangent is v, the second half of the same buffer.
            Expr::Load { base, indices } if *base == self.theta => {
                let mut indices = indices.clone();
                indices[0] = self.temp(Ty::INT, Expr::Prim(Prim::IAdd, vec![indices[0], self.n]), out);
                self.temp(ty, Expr::Load { base: *base, indices }, out)
            }
            Expr::View { base, offset, dims } if *base == self.theta => {
                let offset = self.temp(Ty::INT, Expr::Prim(Prim::IAdd, vec![*offset, self.n]), out);
                self.temp(ty, Expr::View { base: *base, offset, dims: dims.clone() }, out)
            }
            Expr::Load { base, indices } => {
                let base = self.var_tangent(*base);
                self.temp(ty, Expr::Load { base, indices: indices.clone() }, out)
            }
            Expr::View { base, offset, dims } => {
                let base = self.var_tangent(*base);
                self.temp(ty, Expr::View { base, offset: *offset, dims: dims.clone() }, out)
            }
            Expr::Dim { .. } | Expr::Alloc { .. } | Expr::Random(..) => {
                unreachable!("compiler bug: sizes, new containers and draws do not depend on θ")
            }
        }
    }

    /// The tangent of `y = p(args)`: the rule of each primitive, with the math above each arm.
    fn prim(&mut self, p: Prim, args: &[Atom], y: Atom, out: &mut Vec<Stmt>) -> Atom {
        let d: Vec<Option<Atom>> = args.iter().map(|a| self.of(*a)).collect();
        let x = args.first().copied().unwrap_or(ZERO);
        match p {
            // d(a ± b) = da ± db
            Prim::Add => self.add(d[0], d[1], out),
            Prim::Sub => {
                let nb = d[1].map(|b| op(self, Prim::Neg, &[b], out));
                self.add(d[0], nb, out)
            }
            // d(ab) = b da + a db
            Prim::Mul => {
                let a = d[0].map(|da| op(self, Prim::Mul, &[da, args[1]], out));
                let b = d[1].map(|db| op(self, Prim::Mul, &[args[0], db], out));
                self.add(a, b, out)
            }
            // d(a/b) = (da − y db) / b
            Prim::Div => {
                let yb = d[1].map(|db| {
                    let t = op(self, Prim::Mul, &[y, db], out);
                    op(self, Prim::Neg, &[t], out)
                });
                let n = self.add(d[0], yb, out);
                op(self, Prim::Div, &[n, args[1]], out)
            }
            Prim::Neg => op(self, Prim::Neg, &[d[0].unwrap_or(ZERO)], out),
            // d √x = dx / (2√x)
            Prim::Sqrt => {
                let twice = op(self, Prim::Mul, &[Atom::Real(2.0), y], out);
                op(self, Prim::Div, &[d[0].unwrap_or(ZERO), twice], out)
            }
            // d |x| = sign(x) dx
            Prim::Fabs => {
                let pos = op(self, Prim::Gt, &[x, ZERO], out);
                let neg = op(self, Prim::Lt, &[x, ZERO], out);
                let pr = op(self, Prim::ToReal, &[pos], out);
                let nr = op(self, Prim::ToReal, &[neg], out);
                let sign = op(self, Prim::Sub, &[pr, nr], out);
                op(self, Prim::Mul, &[sign, d[0].unwrap_or(ZERO)], out)
            }
            // The tangent of the operand chosen (the first on a tie), as the adjoint goes.
            Prim::Fmin | Prim::Fmax => {
                let cmp = if p == Prim::Fmin { Prim::Le } else { Prim::Ge };
                let first = op(self, cmp, &[args[0], args[1]], out);
                op(self, Prim::Select, &[first, d[0].unwrap_or(ZERO), d[1].unwrap_or(ZERO)], out)
            }
            // d select(c, a, b) = select(c, da, db)
            Prim::Select => op(self, Prim::Select, &[args[0], d[1].unwrap_or(ZERO), d[2].unwrap_or(ZERO)], out),
            // Piecewise constant; a detached value has no tangent (`depends_on` never marks it).
            Prim::Floor | Prim::Ceil | Prim::Detach => ZERO,
            // d f(x₁, …, xₙ) = Σ ∂f/∂xᵢ dxᵢ, each partial from the function's table entry.
            Prim::Call(f) => {
                let mut sum = None;
                for (i, di) in d.iter().enumerate() {
                    let Some(di) = *di else { continue };
                    if !partials::differentiable_twice(f, i) {
                        self.missing.get_or_insert_with(|| f.name().to_string());
                        continue;
                    }
                    if let Some(term) = partials::tangent(self, f, i, args, y, di, out) {
                        sum = Some(self.add(sum, Some(term), out));
                    }
                }
                sum.unwrap_or(ZERO)
            }
            // Int-valued: never active.
            int_valued!() | Prim::ToReal => ZERO,
            // d(A x) = dA x + A dx; likewise v A and A B.
            Prim::MatVec | Prim::VecMat | Prim::MatMul => {
                let ty = p.result_ty();
                let a = d[0].map(|da| op(self, p, &[da, args[1]], out));
                let b = d[1].map(|db| op(self, p, &[args[0], db], out));
                self.add_all(ty, a, b, out)
            }
            // C = A⁻¹: dC = −C dA C
            Prim::Inverse => {
                let c_da = op(self, Prim::MatMul, &[y, d[0].expect("active")], out);
                let prod = op(self, Prim::MatMul, &[c_da, y], out);
                self.map(Ty::MATRIX, prod, out, |t, e, _, out| op(t, Prim::Neg, &[e], out))
            }
            // d ln |det A| = tr(A⁻¹ dA); d det A = det A tr(A⁻¹ dA)
            Prim::LogDeterminant | Prim::Determinant => {
                let inv = op(self, Prim::Inverse, &[x], out);
                let tr = self.trace_of_product(inv, d[0].expect("active"), out);
                if p == Prim::Determinant { op(self, Prim::Mul, &[y, tr], out) } else { tr }
            }
            // x = L⁻¹ b: dx = L⁻¹ (db − dL x), with the lower triangle of dL (the solve reads
            // only L's).
            Prim::TriSolveVec => {
                let rhs = match d[0] {
                    None => d[1].expect("active"),
                    Some(dl) => self.minus_lower_product(d[1], dl, y, out),
                };
                op(self, Prim::TriSolveVec, &[x, rhs], out)
            }
            // L = chol(A): dL = L Φ(L⁻¹ dA L⁻ᵀ), Φ the lower triangle with half the diagonal.
            Prim::Cholesky => {
                let inv = op(self, Prim::Inverse, &[y], out);
                let left = op(self, Prim::MatMul, &[inv, d[0].expect("active")], out);
                let inv_t = self.transpose(inv, out);
                let m = op(self, Prim::MatMul, &[left, inv_t], out);
                let phi = self.map(Ty::MATRIX, m, out, |t, e, ij, out| {
                    let below = op(t, Prim::IGt, &[ij[0], ij[1]], out);
                    let on = op(t, Prim::IEq, &[ij[0], ij[1]], out);
                    let half = op(t, Prim::Mul, &[Atom::Real(0.5), e], out);
                    let diag = op(t, Prim::Select, &[on, half, ZERO], out);
                    op(t, Prim::Select, &[below, e, diag], out)
                });
                op(self, Prim::MatMul, &[y, phi], out)
            }
            // A = V diag(λ) Vᵀ: dλₖ = (Vᵀ dA V)ₖₖ
            Prim::EigenvaluesSym => {
                let v = op(self, Prim::EigenvectorsSym, &[x], out);
                let w = self.rotate(v, d[0].expect("active"), out);
                let n = self.temp(Ty::INT, Expr::Dim { base: var(y), dim: 0 }, out);
                self.build(Ty::VECTOR, vec![n], out, |t, k, out| {
                    t.temp(Ty::REAL, Expr::Load { base: var(w), indices: vec![k[0], k[0]] }, out)
                })
            }
            // dV = V (F ∘ Vᵀ dA V), F[i, j] = 1/(λⱼ − λᵢ) off the diagonal and 0 on it.
            Prim::EigenvectorsSym => {
                let lambda = op(self, Prim::EigenvaluesSym, &[x], out);
                let w = self.rotate(y, d[0].expect("active"), out);
                let f = self.map(Ty::MATRIX, w, out, |t, e, ij, out| {
                    let on = op(t, Prim::IEq, &[ij[0], ij[1]], out);
                    let li = t.temp(Ty::REAL, Expr::Load { base: var(lambda), indices: vec![ij[0]] }, out);
                    let lj = t.temp(Ty::REAL, Expr::Load { base: var(lambda), indices: vec![ij[1]] }, out);
                    let gap = op(t, Prim::Sub, &[lj, li], out);
                    // On the diagonal 0 / 1, so no operand of the division is ever infinite.
                    let num = op(t, Prim::Select, &[on, ZERO, e], out);
                    let den = op(t, Prim::Select, &[on, Atom::Real(1.0), gap], out);
                    op(t, Prim::Div, &[num, den], out)
                });
                op(self, Prim::MatMul, &[y, f], out)
            }
            // exp([[A, dA], [0, A]]) = [[exp A, d exp A], [0, exp A]]: the upper right block.
            Prim::MatrixExp => {
                let da = d[0].expect("active");
                let n = self.temp(Ty::INT, Expr::Dim { base: var(x), dim: 0 }, out);
                let n2 = op(self, Prim::IMul, &[n, Atom::Int(2)], out);
                let block = self.build(Ty::MATRIX, vec![n2, n2], out, |t, ij, out| {
                    // Row and column in the n × n quarter they fall in.
                    let quarter = |t: &mut Self, i: Atom, out: &mut Vec<Stmt>| {
                        let first = op(t, Prim::ILe, &[i, n], out);
                        let second = op(t, Prim::Not, &[first], out);
                        let shift = op(t, Prim::IMul, &[second, n], out);
                        (first, op(t, Prim::ISub, &[i, shift], out))
                    };
                    let (top, i) = quarter(t, ij[0], out);
                    let (left, j) = quarter(t, ij[1], out);
                    let a = t.temp(Ty::REAL, Expr::Load { base: var(x), indices: vec![i, j] }, out);
                    let b = t.temp(Ty::REAL, Expr::Load { base: var(da), indices: vec![i, j] }, out);
                    // Top left and bottom right: A; top right: dA; bottom left: 0.
                    let same = op(t, Prim::IEq, &[top, left], out);
                    let right = op(t, Prim::Select, &[top, b, ZERO], out);
                    op(t, Prim::Select, &[same, a, right], out)
                });
                let e = op(self, Prim::MatrixExp, &[block], out);
                let nn = vec![n, n];
                self.build(Ty::MATRIX, nn, out, |t, ij, out| {
                    let j = op(t, Prim::IAdd, &[ij[1], n], out);
                    t.temp(Ty::REAL, Expr::Load { base: var(e), indices: vec![ij[0], j] }, out)
                })
            }
            // A = U diag(σ) Vᵀ: dσₖ = uₖᵀ dA vₖ. Of a tall A, V are the eigenvectors of AᵀA
            // (ascending, so σₖ's is column c + 1 − k) and uₖ = A vₖ / σₖ, so dσₖ = (Vᵀ Aᵀ dA V)ⱼⱼ
            // / σₖ; of a wide one, likewise with the eigenvectors U of A Aᵀ and (Uᵀ dA Aᵀ U)ⱼⱼ.
            // The smaller Gram matrix has no null space, whose equal eigenvalues the
            // eigenvectors' adjoint would divide by their difference.
            Prim::SingularValues => {
                let da = d[0].expect("active");
                let rows = self.temp(Ty::INT, Expr::Dim { base: var(x), dim: 0 }, out);
                let cols = self.temp(Ty::INT, Expr::Dim { base: var(x), dim: 1 }, out);
                let m = self.temp(Ty::INT, Expr::Dim { base: var(y), dim: 0 }, out);
                self.distinct_singular_values(y, m, out);
                let tangent = self.g.new_var(None, Ty::VECTOR, VarKind::Mutable);
                out.push(Stmt::Decl { var: tangent, dims: vec![m] });
                let tall = op(self, Prim::IGe, &[rows, cols], out);
                let mut branches = [Vec::new(), Vec::new()];
                for (is_tall, block) in [true, false].into_iter().zip(&mut branches) {
                    let at = self.transpose(x, block);
                    let (gram, along) = if is_tall {
                        (op(self, Prim::MatMul, &[at, x], block), op(self, Prim::MatMul, &[at, da], block))
                    } else {
                        (op(self, Prim::MatMul, &[x, at], block), op(self, Prim::MatMul, &[da, at], block))
                    };
                    let vectors = op(self, Prim::EigenvectorsSym, &[gram], block);
                    let w = self.rotate(vectors, along, block);
                    let size = self.temp(Ty::INT, Expr::Dim { base: var(w), dim: 0 }, block);
                    let last = op(self, Prim::IAdd, &[size, Atom::Int(1)], block);
                    let k = self.loop_index();
                    let mut body = Vec::new();
                    let j = op(self, Prim::ISub, &[last, Atom::Var(k)], &mut body);
                    let e = self.temp(Ty::REAL, Expr::Load { base: var(w), indices: vec![j, j] }, &mut body);
                    let sigma =
                        self.temp(Ty::REAL, Expr::Load { base: var(y), indices: vec![Atom::Var(k)] }, &mut body);
                    let value = op(self, Prim::Div, &[e, sigma], &mut body);
                    body.push(Stmt::Assign { var: tangent, indices: vec![Atom::Var(k)], value });
                    block.push(Stmt::For { var: k, lo: Atom::Int(1), hi: m, reverse: false, body });
                }
                let [then, otherwise] = branches;
                out.push(Stmt::If { cond: tall, then, otherwise });
                Atom::Var(tangent)
            }
        }
    }

    /// a + b where either may be missing (zero).
    fn add(&mut self, a: Option<Atom>, b: Option<Atom>, out: &mut Vec<Stmt>) -> Atom {
        match (a, b) {
            (Some(a), Some(b)) => op(self, Prim::Add, &[a, b], out),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => ZERO,
        }
    }

    /// a + b, element by element, for containers of one type and shape; one may be missing.
    fn add_all(&mut self, ty: Ty, a: Option<Atom>, b: Option<Atom>, out: &mut Vec<Stmt>) -> Atom {
        match (a, b) {
            (Some(a), Some(b)) => self.map(ty, a, out, |t, e, ij, out| {
                let f = t.temp(Ty::REAL, Expr::Load { base: var(b), indices: ij.to_vec() }, out);
                op(t, Prim::Add, &[e, f], out)
            }),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => unreachable!("compiler bug: a kernel's tangent with no active operand"),
        }
    }

    /// The sizes of a container.
    fn dims(&mut self, v: VarId, out: &mut Vec<Stmt>) -> Vec<Atom> {
        (0..self.g.ty(v).rank()).map(|d| self.temp(Ty::INT, Expr::Dim { base: v, dim: d as u8 }, out)).collect()
    }

    /// A new container of `ty` and `dims` whose element at each index is `element(index)`,
    /// built by one loop nest (rows inside columns, in memory order).
    fn build(
        &mut self,
        ty: Ty,
        dims: Vec<Atom>,
        out: &mut Vec<Stmt>,
        element: impl FnOnce(&mut Self, &[Atom], &mut Vec<Stmt>) -> Atom,
    ) -> Atom {
        let r = self.g.new_var(None, ty, VarKind::Built);
        out.push(Stmt::Decl { var: r, dims: dims.clone() });
        let index: Vec<VarId> =
            dims.iter().map(|_| self.g.new_var(Some("i".into()), Ty::INT, VarKind::LoopIndex)).collect();
        let atoms: Vec<Atom> = index.iter().map(|&i| Atom::Var(i)).collect();
        let mut body = Vec::new();
        let value = element(self, &atoms, &mut body);
        body.push(Stmt::Assign { var: r, indices: atoms, value });
        for (&i, hi) in index.iter().zip(dims) {
            body = vec![Stmt::For { var: i, lo: Atom::Int(1), hi, reverse: false, body }];
        }
        out.extend(body);
        Atom::Var(r)
    }

    /// `element(a[i], i)` at every index i of `a`, into a new container of `ty`.
    fn map(
        &mut self,
        ty: Ty,
        a: Atom,
        out: &mut Vec<Stmt>,
        element: impl FnOnce(&mut Self, Atom, &[Atom], &mut Vec<Stmt>) -> Atom,
    ) -> Atom {
        let dims = self.dims(var(a), out);
        self.build(ty, dims, out, |t, ij, out| {
            let e = t.temp(Ty::REAL, Expr::Load { base: var(a), indices: ij.to_vec() }, out);
            element(t, e, ij, out)
        })
    }

    fn transpose(&mut self, a: Atom, out: &mut Vec<Stmt>) -> Atom {
        let dims = self.dims(var(a), out);
        self.build(Ty::MATRIX, vec![dims[1], dims[0]], out, |t, ij, out| {
            t.temp(Ty::REAL, Expr::Load { base: var(a), indices: vec![ij[1], ij[0]] }, out)
        })
    }

    /// Vᵀ M V.
    fn rotate(&mut self, v: Atom, m: Atom, out: &mut Vec<Stmt>) -> Atom {
        let vt = self.transpose(v, out);
        let left = op(self, Prim::MatMul, &[vt, m], out);
        op(self, Prim::MatMul, &[left, v], out)
    }

    /// Σᵢⱼ A[i, j] B[j, i], the trace of A B, summed in a mutable scalar.
    fn trace_of_product(&mut self, a: Atom, b: Atom, out: &mut Vec<Stmt>) -> Atom {
        let sum = self.g.new_var(None, Ty::REAL, VarKind::Mutable);
        out.push(Stmt::Decl { var: sum, dims: vec![] });
        out.push(Stmt::Assign { var: sum, indices: vec![], value: ZERO });
        let dims = self.dims(var(a), out);
        let (i, j) = (self.loop_index(), self.loop_index());
        let mut body = Vec::new();
        let x = self.temp(Ty::REAL, Expr::Load { base: var(a), indices: vec![Atom::Var(i), Atom::Var(j)] }, &mut body);
        let y = self.temp(Ty::REAL, Expr::Load { base: var(b), indices: vec![Atom::Var(j), Atom::Var(i)] }, &mut body);
        let xy = op(self, Prim::Mul, &[x, y], &mut body);
        let next = op(self, Prim::Add, &[Atom::Var(sum), xy], &mut body);
        body.push(Stmt::Assign { var: sum, indices: vec![], value: next });
        let inner = Stmt::For { var: i, lo: Atom::Int(1), hi: dims[0], reverse: false, body };
        out.push(Stmt::For { var: j, lo: Atom::Int(1), hi: dims[1], reverse: false, body: vec![inner] });
        self.temp(Ty::REAL, Expr::Atom(Atom::Var(sum)), out)
    }

    /// db − lower(dL) x (db missing: zero), element by element.
    fn minus_lower_product(&mut self, db: Option<Atom>, dl: Atom, x: Atom, out: &mut Vec<Stmt>) -> Atom {
        let dims = self.dims(var(x), out);
        self.build(Ty::VECTOR, dims, out, |t, i, out| {
            let i = i[0];
            let sum = t.g.new_var(None, Ty::REAL, VarKind::Mutable);
            out.push(Stmt::Decl { var: sum, dims: vec![] });
            let start = match db {
                Some(db) => t.temp(Ty::REAL, Expr::Load { base: var(db), indices: vec![i] }, out),
                None => ZERO,
            };
            out.push(Stmt::Assign { var: sum, indices: vec![], value: start });
            let k = t.loop_index();
            let mut body = Vec::new();
            let l = t.temp(Ty::REAL, Expr::Load { base: var(dl), indices: vec![i, Atom::Var(k)] }, &mut body);
            let xk = t.temp(Ty::REAL, Expr::Load { base: var(x), indices: vec![Atom::Var(k)] }, &mut body);
            let lx = op(t, Prim::Mul, &[l, xk], &mut body);
            let next = op(t, Prim::Sub, &[Atom::Var(sum), lx], &mut body);
            body.push(Stmt::Assign { var: sum, indices: vec![], value: next });
            out.push(Stmt::For { var: k, lo: Atom::Int(1), hi: i, reverse: false, body });
            t.temp(Ty::REAL, Expr::Atom(Atom::Var(sum)), out)
        })
    }

    /// A check that the singular values `sigma` (descending) are distinct: where two are equal
    /// (to 1e-10 of the largest; a complex matrix's real form repeats each) they have no second
    /// derivative each, and the eigenvectors' adjoint would divide by zero.
    fn distinct_singular_values(&mut self, sigma: Atom, m: Atom, out: &mut Vec<Stmt>) {
        let site = self.g.errors.len() as u32;
        self.g.errors.push(ErrorSite {
            kind: ErrorKind::Domain,
            message: "singular_values: no Hessian where two singular values are equal ({} and {})".into(),
            span: (0, 0),
            needs: Vec::new(),
        });
        let several = op(self, Prim::IGt, &[m, Atom::Int(1)], out);
        let mut then = Vec::new();
        let first = self.temp(Ty::REAL, Expr::Load { base: var(sigma), indices: vec![Atom::Int(1)] }, &mut then);
        let tolerance = op(self, Prim::Mul, &[first, Atom::Real(1e-10)], &mut then);
        let count = op(self, Prim::ISub, &[m, Atom::Int(1)], &mut then);
        let k = self.loop_index();
        let mut body = Vec::new();
        let next = op(self, Prim::IAdd, &[Atom::Var(k), Atom::Int(1)], &mut body);
        let a = self.temp(Ty::REAL, Expr::Load { base: var(sigma), indices: vec![Atom::Var(k)] }, &mut body);
        let b = self.temp(Ty::REAL, Expr::Load { base: var(sigma), indices: vec![next] }, &mut body);
        let gap = op(self, Prim::Sub, &[a, b], &mut body);
        let distinct = op(self, Prim::Gt, &[gap, tolerance], &mut body);
        body.push(Stmt::Check { cond: distinct, site, values: vec![a, b] });
        then.push(Stmt::For { var: k, lo: Atom::Int(1), hi: count, reverse: false, body });
        out.push(Stmt::If { cond: several, then, otherwise: Vec::new() });
    }

    fn loop_index(&mut self) -> VarId {
        self.g.new_var(Some("i".into()), Ty::INT, VarKind::LoopIndex)
    }
}

fn var(a: Atom) -> VarId {
    a.var().expect("compiler bug: a container operand is a variable")
}
