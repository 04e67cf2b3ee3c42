//! The adjoint rule of every primitive: one exhaustive match.
//!
//! A rule gets the operands, the result and the incoming adjoint `g`, and adds each operand's
//! contribution with `accumulate`. Contributions to constants and inactive values are skipped
//! by `accumulate`, never built. The comment above each arm gives the math. A function of
//! `stdlib::scalar`'s table has one rule for all: its partials' formulas (`partials.rs`).
//!
//! What the reverse sweep must keep for a rule is not listed anywhere: [`reads`] runs the rule
//! on placeholder operands and sees which of them it reads.

use rustc_hash::FxHashMap as HashMap;

use crate::ir::{Atom, Expr, Kernel, Prim, Stmt, Ty, VarId, int_valued};

use super::partials;

/// What building a derivative needs of the function it is built into: a new let. The partial
/// formulas are emitted through it, by adjoint rules and by the tangent transformation alike.
pub(super) trait Emit {
    /// A new let of `expr`, emitted into `out`.
    fn temp(&mut self, ty: Ty, expr: Expr, out: &mut Vec<Stmt>) -> Atom;
}

/// What an adjoint rule may do. The differentiation (`Ad`) implements it, and so does
/// [`Probe`], which runs a rule only to see what it reads.
pub(super) trait Sweep: Emit {
    fn atom_active(&self, a: Atom) -> bool;
    /// The adjoint variable of an active variable.
    fn adj(&mut self, v: VarId) -> VarId;
    /// Adds `value` to the adjoint of `atom` (nothing for constants and inactive values).
    fn accumulate(&mut self, atom: Atom, value: Atom, out: &mut Vec<Stmt>);
}

pub(super) fn op(ad: &mut impl Emit, p: Prim, a: &[Atom], out: &mut Vec<Stmt>) -> Atom {
    ad.temp(p.result_ty(), Expr::Prim(p, a.to_vec()), out)
}

pub(super) fn adjoint(ad: &mut impl Sweep, p: Prim, args: &[Atom], result: VarId, g: Atom, out: &mut Vec<Stmt>) {
    let y = Atom::Var(result);
    let x = args.first().copied().unwrap_or(Atom::Real(0.0));
    match p {
        // d(a + b) = da + db
        Prim::Add => {
            ad.accumulate(args[0], g, out);
            ad.accumulate(args[1], g, out);
        }
        // d(a − b) = da − db
        Prim::Sub => {
            ad.accumulate(args[0], g, out);
            if ad.atom_active(args[1]) {
                let n = op(ad, Prim::Neg, &[g], out);
                ad.accumulate(args[1], n, out);
            }
        }
        // d(ab) = b da + a db; for a square, d(aa) = 2a da.
        Prim::Mul if args[0] == args[1] => {
            let ga = op(ad, Prim::Mul, &[g, args[0]], out);
            let c = op(ad, Prim::Add, &[ga, ga], out);
            ad.accumulate(args[0], c, out);
        }
        Prim::Mul => {
            if ad.atom_active(args[0]) {
                let c = op(ad, Prim::Mul, &[g, args[1]], out);
                ad.accumulate(args[0], c, out);
            }
            if ad.atom_active(args[1]) {
                let c = op(ad, Prim::Mul, &[g, args[0]], out);
                ad.accumulate(args[1], c, out);
            }
        }
        // d(a/b) = da/b − (a/b) db/b
        Prim::Div => {
            let gb = op(ad, Prim::Div, &[g, args[1]], out);
            ad.accumulate(args[0], gb, out);
            if ad.atom_active(args[1]) {
                let t = op(ad, Prim::Mul, &[gb, y], out);
                let n = op(ad, Prim::Neg, &[t], out);
                ad.accumulate(args[1], n, out);
            }
        }
        // d(−a) = −da
        Prim::Neg => {
            let n = op(ad, Prim::Neg, &[g], out);
            ad.accumulate(x, n, out);
        }
        // d √x = dx / (2√x)
        Prim::Sqrt => {
            let d = op(ad, Prim::Mul, &[Atom::Real(2.0), y], out);
            let c = op(ad, Prim::Div, &[g, d], out);
            ad.accumulate(x, c, out);
        }
        // d |x| = sign(x) dx
        Prim::Fabs => {
            let pos = op(ad, Prim::Gt, &[x, Atom::Real(0.0)], out);
            let neg = op(ad, Prim::Lt, &[x, Atom::Real(0.0)], out);
            let pr = op(ad, Prim::ToReal, &[pos], out);
            let nr = op(ad, Prim::ToReal, &[neg], out);
            let sign = op(ad, Prim::Sub, &[pr, nr], out);
            let c = op(ad, Prim::Mul, &[g, sign], out);
            ad.accumulate(x, c, out);
        }
        // The adjoint goes to the operand that was chosen (the first on a tie).
        Prim::Fmin | Prim::Fmax => {
            let cmp = if p == Prim::Fmin { Prim::Le } else { Prim::Ge };
            let first = op(ad, cmp, &[args[0], args[1]], out);
            let fr = op(ad, Prim::ToReal, &[first], out);
            let sr = op(ad, Prim::Sub, &[Atom::Real(1.0), fr], out);
            if ad.atom_active(args[0]) {
                let c = op(ad, Prim::Mul, &[g, fr], out);
                ad.accumulate(args[0], c, out);
            }
            if ad.atom_active(args[1]) {
                let c = op(ad, Prim::Mul, &[g, sr], out);
                ad.accumulate(args[1], c, out);
            }
        }
        // d select(c, a, b) = select(c, da, db): the unchosen operand gets nothing.
        Prim::Select => {
            if ad.atom_active(args[1]) {
                let ga = op(ad, Prim::Select, &[args[0], g, Atom::Real(0.0)], out);
                ad.accumulate(args[1], ga, out);
            }
            if ad.atom_active(args[2]) {
                let gb = op(ad, Prim::Select, &[args[0], Atom::Real(0.0), g], out);
                ad.accumulate(args[2], gb, out);
            }
        }
        // Piecewise constant: zero derivative almost everywhere.
        Prim::Floor | Prim::Ceil => {}
        // Held constant; `activity` keeps its result inactive, so this is never reached.
        Prim::Detach => {}
        // d f(x₁, …, xₙ) = Σ ∂f/∂xᵢ dxᵢ, each partial from the function's table entry.
        Prim::Call(f) => partials::adjoint(ad, f, args, y, g, out),
        // Int-valued results, and an int promoted to real, carry no adjoint.
        int_valued!() | Prim::ToReal => {}
        // y = A x:  adj(A) += g xᵀ,  adj(x) += Aᵀ g
        Prim::MatVec => {
            if ad.atom_active(args[0]) {
                let a = Atom::Var(ad.adj(args[0].var().expect("active")));
                out.push(Stmt::Kernel { kernel: Kernel::AccOuter, args: vec![a, g, args[1]] });
            }
            if ad.atom_active(args[1]) {
                let a = Atom::Var(ad.adj(args[1].var().expect("active")));
                out.push(Stmt::Kernel { kernel: Kernel::AccMatTVec, args: vec![a, args[0], g] });
            }
        }
        // y = v A (row vectors):  adj(v) += A g,  adj(A) += vᵀ g
        Prim::VecMat => {
            if ad.atom_active(args[0]) {
                let a = Atom::Var(ad.adj(args[0].var().expect("active")));
                out.push(Stmt::Kernel { kernel: Kernel::AccMatVec, args: vec![a, args[1], g] });
            }
            if ad.atom_active(args[1]) {
                let a = Atom::Var(ad.adj(args[1].var().expect("active")));
                out.push(Stmt::Kernel { kernel: Kernel::AccOuter, args: vec![a, args[0], g] });
            }
        }
        // C = A B:  adj(A) += G Bᵀ,  adj(B) += Aᵀ G
        Prim::MatMul => {
            if ad.atom_active(args[0]) {
                let a = Atom::Var(ad.adj(args[0].var().expect("active")));
                out.push(Stmt::Kernel { kernel: Kernel::AccMatMulBt, args: vec![a, g, args[1]] });
            }
            if ad.atom_active(args[1]) {
                let a = Atom::Var(ad.adj(args[1].var().expect("active")));
                out.push(Stmt::Kernel { kernel: Kernel::AccMatTMul, args: vec![a, args[0], g] });
            }
        }
        // L = chol(A):  adj(A) += Φ-based Cholesky adjoint (Murray 2016), symmetrised.
        Prim::Cholesky => {
            if ad.atom_active(args[0]) {
                let a = Atom::Var(ad.adj(args[0].var().expect("active")));
                out.push(Stmt::Kernel { kernel: Kernel::AccCholesky, args: vec![a, y, g] });
            }
        }
        // x = L⁻¹ v:  w = L⁻ᵀ g;  adj(v) += w;  adj(L) −= lower(w xᵀ)
        Prim::TriSolveVec => {
            let acc_v =
                if ad.atom_active(args[1]) { Atom::Var(ad.adj(args[1].var().expect("active"))) } else { Atom::Int(0) };
            let acc_l =
                if ad.atom_active(args[0]) { Atom::Var(ad.adj(args[0].var().expect("active"))) } else { Atom::Int(0) };
            out.push(Stmt::Kernel { kernel: Kernel::AccTriSolveVec, args: vec![acc_v, acc_l, args[0], y, g] });
        }
        // C = A⁻¹:  adj(A) −= Cᵀ G Cᵀ
        Prim::Inverse => matrix_adjoint(ad, Kernel::AccInverse, x, y, g, out),
        // d ln |det A| = tr(A⁻¹ dA):  adj(A) += g A⁻ᵀ
        Prim::LogDeterminant => matrix_adjoint(ad, Kernel::AccInverseT, x, x, g, out),
        // d det A = det A tr(A⁻¹ dA):  adj(A) += g det(A) A⁻ᵀ
        Prim::Determinant => {
            if ad.atom_active(x) {
                let s = op(ad, Prim::Mul, &[g, y], out);
                matrix_adjoint(ad, Kernel::AccInverseT, x, x, s, out);
            }
        }
        // A = V diag(λ) Vᵀ:  adj(A) += V diag(ḡ) Vᵀ for the eigenvalues, and
        // V (F ∘ Vᵀ Ḡ) Vᵀ with F[i, j] = 1/(λⱼ − λᵢ) (i ≠ j) for the eigenvectors; symmetrised.
        Prim::EigenvaluesSym => matrix_adjoint(ad, Kernel::AccEigenvaluesSym, x, x, g, out),
        Prim::EigenvectorsSym => matrix_adjoint(ad, Kernel::AccEigenvectorsSym, x, x, g, out),
        // A = U diag(σ) Vᵀ:  adj(A) += U diag(ḡ) Vᵀ
        Prim::SingularValues => matrix_adjoint(ad, Kernel::AccSingularValues, x, x, g, out),
        // adj(A) += L(Aᵀ, G), the Fréchet derivative of exp at Aᵀ in the direction G.
        Prim::MatrixExp => matrix_adjoint(ad, Kernel::AccMatrixExp, x, x, g, out),
    }
}

/// The adjoint of a one-matrix kernel whose rule is one accumulating kernel: `kernel` with
/// operands (adj(a), read, g), when `a` is active.
fn matrix_adjoint(ad: &mut impl Sweep, kernel: Kernel, a: Atom, read: Atom, g: Atom, out: &mut Vec<Stmt>) {
    if ad.atom_active(a) {
        let acc = Atom::Var(ad.adj(a.var().expect("active")));
        out.push(Stmt::Kernel { kernel, args: vec![acc, read, g] });
    }
}

/// Which values the adjoint rule of `p` reads: a bit per operand (bit i = operand i) and
/// whether it reads the result. The reverse sweep keeps exactly these (see `ad::needed`).
/// Derived by running the rule on placeholders, every operand active.
pub(super) fn reads(p: Prim, cache: &mut HashMap<Prim, (u8, bool)>) -> (u8, bool) {
    *cache.entry(p).or_insert_with(|| {
        if let Prim::Call(f) = p
            && f.partials().is_empty()
        {
            // Internal functions are produced by adjoint rules and never differentiated.
            return (0, false);
        }
        let arity = p.arity() as u32;
        let mut probe = Probe { next: arity + 2 };
        let args: Vec<Atom> = (0..arity).map(Atom::Var).collect();
        let mut out = Vec::new();
        adjoint(&mut probe, p, &args, arity, Atom::Var(arity + 1), &mut out);
        let mut operands = 0u8;
        let mut result = false;
        let mut note = |v: VarId| {
            if v < arity {
                operands |= 1 << v;
            } else if v == arity {
                result = true;
            }
        };
        for s in &out {
            s.for_each_read(&mut note);
        }
        (operands, result)
    })
}

/// A sweep that only records: every operand is active, every value a fresh variable.
struct Probe {
    next: VarId,
}

impl Probe {
    fn fresh(&mut self) -> VarId {
        self.next += 1;
        self.next
    }
}

impl Sweep for Probe {
    fn atom_active(&self, a: Atom) -> bool {
        matches!(a, Atom::Var(_))
    }

    fn adj(&mut self, _v: VarId) -> VarId {
        self.fresh()
    }

    fn accumulate(&mut self, _atom: Atom, value: Atom, out: &mut Vec<Stmt>) {
        let var = self.fresh();
        out.push(Stmt::Accum { var, indices: vec![], value });
    }
}

impl Emit for Probe {
    fn temp(&mut self, _ty: Ty, expr: Expr, out: &mut Vec<Stmt>) -> Atom {
        let var = self.fresh();
        out.push(Stmt::Let { var, expr });
        Atom::Var(var)
    }
}
