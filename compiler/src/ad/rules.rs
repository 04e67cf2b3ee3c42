//! The adjoint rule of every primitive: one exhaustive match.
//!
//! A rule gets the operands, the result and the incoming adjoint `g`, and adds each operand's
//! contribution with `accumulate`. Contributions to constants and inactive values are skipped
//! by `accumulate`, never built. The comment above each arm gives the math.

use crate::ir::{Atom, Expr, Kernel, Prim, Stmt, Ty, VarId};
use crate::sema::prim_result_ty;

use super::Ad;

pub(super) fn adjoint(ad: &mut Ad, p: Prim, args: &[Atom], result: VarId, g: Atom, out: &mut Vec<Stmt>) {
    let y = Atom::Var(result);
    let op = |ad: &mut Ad, p: Prim, a: &[Atom], out: &mut Vec<Stmt>| {
        ad.temp(prim_result_ty(p), Expr::Prim(p, a.to_vec()), out)
    };
    let x = args.first().copied().unwrap_or(Atom::Real(0.0));
    // Most rules are unary: d(f(x)) = f'(x) dx, with `scale` = f'(x).
    let unary = |ad: &mut Ad, scale: Atom, out: &mut Vec<Stmt>| {
        let c = ad.temp(Ty::REAL, Expr::Prim(Prim::Mul, vec![g, scale]), out);
        ad.accumulate(x, c, out);
    };
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
        // d(aᵇ) = b aᵇ⁻¹ da + aᵇ log(a) db
        Prim::Pow => {
            if ad.atom_active(args[0]) {
                let bm1 = op(ad, Prim::Sub, &[args[1], Atom::Real(1.0)], out);
                let pw = op(ad, Prim::Pow, &[args[0], bm1], out);
                let d = op(ad, Prim::Mul, &[args[1], pw], out);
                let c = op(ad, Prim::Mul, &[g, d], out);
                ad.accumulate(args[0], c, out);
            }
            if ad.atom_active(args[1]) {
                let la = op(ad, Prim::Log, &[args[0]], out);
                let d = op(ad, Prim::Mul, &[y, la], out);
                let c = op(ad, Prim::Mul, &[g, d], out);
                ad.accumulate(args[1], c, out);
            }
        }
        // d exp(x) = exp(x) dx
        Prim::Exp => unary(ad, y, out),
        // d log(x) = dx / x
        Prim::Log => {
            let c = op(ad, Prim::Div, &[g, x], out);
            ad.accumulate(x, c, out);
        }
        // d log1p(x) = dx / (1 + x)
        Prim::Log1p => {
            let d = op(ad, Prim::Add, &[x, Atom::Real(1.0)], out);
            let c = op(ad, Prim::Div, &[g, d], out);
            ad.accumulate(x, c, out);
        }
        // d expm1(x) = (expm1(x) + 1) dx
        Prim::Expm1 => {
            let d = op(ad, Prim::Add, &[y, Atom::Real(1.0)], out);
            unary(ad, d, out);
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
            unary(ad, sign, out);
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
        // d sin x = cos x dx
        Prim::Sin => {
            let d = op(ad, Prim::Cos, &[x], out);
            unary(ad, d, out);
        }
        // d cos x = −sin x dx
        Prim::Cos => {
            let s = op(ad, Prim::Sin, &[x], out);
            let d = op(ad, Prim::Neg, &[s], out);
            unary(ad, d, out);
        }
        // d tan x = (1 + tan² x) dx
        Prim::Tan => {
            let t2 = op(ad, Prim::Mul, &[y, y], out);
            let d = op(ad, Prim::Add, &[t2, Atom::Real(1.0)], out);
            unary(ad, d, out);
        }
        // d tanh x = (1 − tanh² x) dx
        Prim::Tanh => {
            let t2 = op(ad, Prim::Mul, &[y, y], out);
            let d = op(ad, Prim::Sub, &[Atom::Real(1.0), t2], out);
            unary(ad, d, out);
        }
        // d atan x = dx / (1 + x²)
        Prim::Atan => {
            let x2 = op(ad, Prim::Mul, &[x, x], out);
            let d = op(ad, Prim::Add, &[x2, Atom::Real(1.0)], out);
            let c = op(ad, Prim::Div, &[g, d], out);
            ad.accumulate(x, c, out);
        }
        // d lgamma(x) = digamma(x) dx
        Prim::Lgamma => {
            let d = op(ad, Prim::Digamma, &[x], out);
            unary(ad, d, out);
        }
        // d digamma(x) = trigamma(x) dx
        Prim::Digamma => {
            let d = op(ad, Prim::Trigamma, &[x], out);
            unary(ad, d, out);
        }
        // d trigamma(x) = tetragamma(x) dx
        Prim::Trigamma => {
            let d = op(ad, Prim::Tetragamma, &[x], out);
            unary(ad, d, out);
        }
        // Tetragamma is only produced by the rule above; nothing differentiates it again.
        Prim::Tetragamma => panic!("compiler bug: tetragamma is never differentiated"),
        // d I_x(a, b) = ∂a I da + ∂b I db + ∂x I dx
        Prim::IncBeta => {
            for (k, d) in [Prim::IncBetaDa, Prim::IncBetaDb, Prim::IncBetaDx].into_iter().enumerate() {
                if ad.atom_active(args[k]) {
                    let partial = op(ad, d, args, out);
                    let c = op(ad, Prim::Mul, &[g, partial], out);
                    ad.accumulate(args[k], c, out);
                }
            }
        }
        Prim::IncBetaDa | Prim::IncBetaDb | Prim::IncBetaDx => {
            panic!("compiler bug: derivatives of the incomplete beta function are never differentiated")
        }
        // d erf(x) = 2/√π exp(−x²) dx
        Prim::Erf | Prim::Erfc => {
            let x2 = op(ad, Prim::Mul, &[x, x], out);
            let nx2 = op(ad, Prim::Neg, &[x2], out);
            let e = op(ad, Prim::Exp, &[nx2], out);
            let k = if p == Prim::Erf { std::f64::consts::FRAC_2_SQRT_PI } else { -std::f64::consts::FRAC_2_SQRT_PI };
            let d = op(ad, Prim::Mul, &[Atom::Real(k), e], out);
            unary(ad, d, out);
        }
        // d Φ(x) = φ(x) dx, φ(x) = exp(−x²/2)/√(2π)
        Prim::Phi => {
            let x2 = op(ad, Prim::Mul, &[x, x], out);
            let h = op(ad, Prim::Mul, &[Atom::Real(-0.5), x2], out);
            let e = op(ad, Prim::Exp, &[h], out);
            let d = op(ad, Prim::Mul, &[Atom::Real(0.398_942_280_401_432_7), e], out);
            unary(ad, d, out);
        }
        // d Φ⁻¹(p) = dp / φ(Φ⁻¹(p))
        Prim::InvPhi => {
            let y2 = op(ad, Prim::Mul, &[y, y], out);
            let h = op(ad, Prim::Mul, &[Atom::Real(-0.5), y2], out);
            let e = op(ad, Prim::Exp, &[h], out);
            let phi = op(ad, Prim::Mul, &[Atom::Real(0.398_942_280_401_432_7), e], out);
            let c = op(ad, Prim::Div, &[g, phi], out);
            ad.accumulate(x, c, out);
        }
        // d log1p_exp(x) = inv_logit(x) dx
        Prim::Log1pExp => {
            let d = op(ad, Prim::InvLogit, &[x], out);
            unary(ad, d, out);
        }
        // d log1m_exp(x) = −1/expm1(−x) dx
        Prim::Log1mExp => {
            let nx = op(ad, Prim::Neg, &[x], out);
            let em = op(ad, Prim::Expm1, &[nx], out);
            let c = op(ad, Prim::Div, &[g, em], out);
            let n = op(ad, Prim::Neg, &[c], out);
            ad.accumulate(x, n, out);
        }
        // d inv_logit(x) = σ(x)(1 − σ(x)) dx
        Prim::InvLogit => {
            let om = op(ad, Prim::Sub, &[Atom::Real(1.0), y], out);
            let d = op(ad, Prim::Mul, &[y, om], out);
            unary(ad, d, out);
        }
        // d log σ(x) = (1 − σ(x)) dx = σ(−x) dx
        Prim::LogInvLogit => {
            let nx = op(ad, Prim::Neg, &[x], out);
            let d = op(ad, Prim::InvLogit, &[nx], out);
            unary(ad, d, out);
        }
        // d log(1 − σ(x)) = −σ(x) dx
        Prim::Log1mInvLogit => {
            let s = op(ad, Prim::InvLogit, &[x], out);
            let d = op(ad, Prim::Neg, &[s], out);
            unary(ad, d, out);
        }
        // Piecewise constant: zero derivative almost everywhere.
        Prim::Floor | Prim::Ceil | Prim::Round => {}
        // Int-valued results carry no adjoint.
        Prim::Lt
        | Prim::Le
        | Prim::Gt
        | Prim::Ge
        | Prim::Eq
        | Prim::Ne
        | Prim::IAdd
        | Prim::ISub
        | Prim::IMul
        | Prim::IDiv
        | Prim::IMod
        | Prim::INeg
        | Prim::ILt
        | Prim::ILe
        | Prim::IGt
        | Prim::IGe
        | Prim::IEq
        | Prim::INe
        | Prim::And
        | Prim::Or
        | Prim::Not
        | Prim::IMin
        | Prim::IMax
        | Prim::ToReal
        | Prim::IsNan
        | Prim::IsInf => {}
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
    }
}

/// Which values the adjoint rule of `p` reads: a bit per operand (bit i = operand i) and
/// whether it reads the result. The reverse sweep keeps exactly these (see `ad::needed`).
pub(super) fn reads(p: Prim) -> (u8, bool) {
    use Prim::*;
    const ALL: u8 = 0xff;
    match p {
        Add | Sub | Neg => (0, false),
        Mul | Fmin | Fmax => (ALL, false),
        Div => (0b10, true),
        Pow => (ALL, true),
        Exp | Expm1 | Sqrt | Tan | Tanh | InvPhi | InvLogit => (0, true),
        IncBeta | IncBetaDa | IncBetaDb | IncBetaDx => (ALL, false),
        Log | Log1p | Fabs | Sin | Cos | Atan | Lgamma | Digamma | Trigamma | Tetragamma | Erf | Erfc | Phi
        | Log1pExp | Log1mExp | LogInvLogit | Log1mInvLogit => (ALL, false),
        Floor | Ceil | Round | Lt | Le | Gt | Ge | Eq | Ne | IAdd | ISub | IMul | IDiv | IMod | INeg | ILt | ILe
        | IGt | IGe | IEq | INe | And | Or | Not | IMin | IMax | ToReal | IsNan | IsInf => (0, false),
        MatVec | VecMat | MatMul | Cholesky | TriSolveVec => (ALL, true),
    }
}
