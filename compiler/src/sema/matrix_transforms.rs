//! Stan's transforms for `cov_matrix`, `cholesky_factor_cov` and `corr_matrix` parameters, and
//! their inverses (`free_*`, for init files), in Stan's order of the unconstrained values.
//!
//! - `cov_matrix[K]`: L lower triangular, row by row, each row's off-diagonal values then the
//!   logarithm of its diagonal; Σ = L Lᵀ; log|J| = K log 2 + Σᵢ (K − i + 2) log Lᵢᵢ.
//! - `cholesky_factor_cov[M, N]`: the same rows for the first N, full rows of N values below;
//!   log|J| = Σ log Lᵢᵢ.
//! - `corr_matrix[K]`: canonical partial correlations z = tanh(x) **column by column**, L built
//!   from them as Stan's `read_corr_L`, C = L Lᵀ; log|J| = Σ log(1 − z²) +
//!   ½ Σ_{c ≤ K−2} Σ_{i > c} (K − c − 1) log(1 − z²ᵢ꜀).

use crate::ir::{Atom, Expr, Fun, Prim, Stmt, Ty, VarId, VarKind};
use crate::sema::Lowerer;
use crate::sema::vector_transforms::{Sink, Subject};

/// Which matrix transform.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum MatrixKind {
    Cov,
    CholeskyCov,
    Corr,
}

impl Lowerer<'_> {
    /// The number of unconstrained values of an M × N matrix of this kind (N = M but for
    /// `cholesky_factor_cov`).
    pub(crate) fn matrix_free_count(&mut self, kind: MatrixKind, m: Atom, n: Atom) -> Atom {
        let np1 = self.prim(Prim::IAdd, &[n, Atom::Int(1)]);
        let nm1 = self.prim(Prim::ISub, &[n, Atom::Int(1)]);
        match kind {
            MatrixKind::Cov => self.half_product(n, np1),
            MatrixKind::Corr => self.half_product(n, nm1),
            MatrixKind::CholeskyCov => {
                let tri = self.half_product(n, np1);
                let below = self.prim(Prim::ISub, &[m, n]);
                let rect = self.prim(Prim::IMul, &[below, n]);
                self.prim(Prim::IAdd, &[tri, rect])
            }
        }
    }

    /// a b / 2
    fn half_product(&mut self, a: Atom, b: Atom) -> Atom {
        let p = self.prim(Prim::IMul, &[a, b]);
        self.prim(Prim::IDiv, &[p, Atom::Int(2)])
    }

    /// The position in theta before row i of a lower-triangular factor stored row by row with
    /// the diagonal (rows 1..=N), then full rows of N: with a = min(i − 1, N), a(a+1)/2 values
    /// of the triangle and (i − 1 − a) N of the full rows.
    fn row_start(&mut self, offset: Atom, i: Atom, n: Atom) -> Atom {
        let im1 = self.prim(Prim::ISub, &[i, Atom::Int(1)]);
        let a = self.prim(Prim::IMin, &[im1, n]);
        let ap1 = self.prim(Prim::IAdd, &[a, Atom::Int(1)]);
        let tri = self.half_product(a, ap1);
        let rest = self.prim(Prim::ISub, &[im1, a]);
        let rect = self.prim(Prim::IMul, &[rest, n]);
        let start = self.prim(Prim::IAdd, &[tri, rect]);
        self.prim(Prim::IAdd, &[offset, start])
    }

    fn to_real_int(&mut self, a: Atom) -> Atom {
        self.prim(Prim::ToReal, &[a])
    }

    /// The position before entry (i, c), i > c, of the column-major partial correlations.
    fn corr_position(&mut self, offset: Atom, k: Atom, i: Atom, c: Atom) -> Atom {
        // Columns before c hold Σ_{c' < c} (K − c') = (c − 1) K − (c − 1) c / 2 values.
        let cm1 = self.prim(Prim::ISub, &[c, Atom::Int(1)]);
        let a = self.prim(Prim::IMul, &[cm1, k]);
        let b = self.half_product(cm1, c);
        let before = self.prim(Prim::ISub, &[a, b]);
        let within = self.prim(Prim::ISub, &[i, c]);
        let p = self.prim(Prim::IAdd, &[before, within]);
        self.prim(Prim::IAdd, &[offset, p])
    }

    /// A mutable vector of k ones: what is left of each row's unit length (`read_corr_L`'s acc).
    fn ones(&mut self, k: Atom) -> VarId {
        let acc = self.f.new_var(None, Ty::VECTOR, VarKind::Mutable);
        self.emit(Stmt::Decl { var: acc, dims: vec![k] });
        self.for_loop(Atom::Int(1), k, |s, i| {
            s.emit(Stmt::Assign { var: acc, indices: vec![i], value: Atom::Real(1.0) });
        });
        acc
    }

    fn theta_at(&mut self, theta: VarId, pos: Atom) -> Atom {
        self.let_(Ty::REAL, Expr::Load { base: theta, indices: vec![pos] })
    }

    /// Stan's `read_corr_L`: the K × K Cholesky factor `l` of a correlation matrix from its
    /// canonical partial correlations, column by column; `z_at(i, c)` gives that of (i, c),
    /// i > c, and is called in column-major order.
    pub(crate) fn read_corr_l(&mut self, l: VarId, k: Atom, z_at: &mut dyn FnMut(&mut Self, Atom, Atom) -> Atom) {
        let acc = self.ones(k);
        self.for_loop(Atom::Int(1), k, |s, c| {
            // Column c: zero above the diagonal.
            let cm1 = s.prim(Prim::ISub, &[c, Atom::Int(1)]);
            s.for_loop(Atom::Int(1), cm1, |s, r| {
                s.emit(Stmt::Assign { var: l, indices: vec![r, c], value: Atom::Real(0.0) })
            });
            let a = s.let_(Ty::REAL, Expr::Load { base: acc, indices: vec![c] });
            let d = s.prim(Prim::Sqrt, &[a]);
            s.emit(Stmt::Assign { var: l, indices: vec![c, c], value: d });
            let cp1 = s.prim(Prim::IAdd, &[c, Atom::Int(1)]);
            s.for_loop(cp1, k, |s, i| {
                let z = z_at(s, i, c);
                let z2 = s.prim(Prim::Mul, &[z, z]);
                let nz2 = s.prim(Prim::Neg, &[z2]);
                let a = s.let_(Ty::REAL, Expr::Load { base: acc, indices: vec![i] });
                let r = s.prim(Prim::Sqrt, &[a]);
                let v = s.prim(Prim::Mul, &[z, r]);
                s.emit(Stmt::Assign { var: l, indices: vec![i, c], value: v });
                let om = s.prim(Prim::Add, &[Atom::Real(1.0), nz2]);
                let a2 = s.prim(Prim::Mul, &[a, om]);
                s.emit(Stmt::Assign { var: acc, indices: vec![i], value: a2 });
            });
        });
    }

    /// Builds the constrained value into `out` (an M × N matrix), adding the log-Jacobian when
    /// `jacobian`.
    pub(crate) fn constrain_matrix(
        &mut self,
        kind: MatrixKind,
        theta: VarId,
        offset: Atom,
        out: VarId,
        idx: &[Atom],
        m: Atom,
        n: Atom,
        jacobian: bool,
    ) {
        let factor = self.build(Ty::MATRIX, vec![m, n]);
        let Atom::Var(l) = factor else { return };
        match kind {
            MatrixKind::Cov | MatrixKind::CholeskyCov => {
                let kr = self.to_real_int(n);
                if jacobian && kind == MatrixKind::Cov {
                    let c = self.prim(Prim::Mul, &[kr, Atom::Real(std::f64::consts::LN_2)]);
                    self.emit(Stmt::TargetAdd(c));
                }
                self.for_loop(Atom::Int(1), m, |s, i| {
                    // Row i: zero above the diagonal (written here, in the loop that writes
                    // the parameters, so that no loop of the fit is on constants alone).
                    let ip1 = s.prim(Prim::IAdd, &[i, Atom::Int(1)]);
                    s.for_loop(ip1, n, |s, j| {
                        s.emit(Stmt::Assign { var: l, indices: vec![i, j], value: Atom::Real(0.0) })
                    });
                    let start = s.row_start(offset, i, n);
                    let off = s.prim(Prim::ISub, &[i, Atom::Int(1)]);
                    let off = s.prim(Prim::IMin, &[off, n]);
                    s.for_loop(Atom::Int(1), off, |s, j| {
                        let pos = s.prim(Prim::IAdd, &[start, j]);
                        let x = s.theta_at(theta, pos);
                        s.emit(Stmt::Assign { var: l, indices: vec![i, j], value: x });
                    });
                    let diag = s.prim(Prim::ILe, &[i, n]);
                    s.if_(
                        diag,
                        |s| {
                            let pos = s.prim(Prim::IAdd, &[start, i]);
                            let x = s.theta_at(theta, pos);
                            let e = s.prim(Fun::Exp, &[x]);
                            s.emit(Stmt::Assign { var: l, indices: vec![i, i], value: e });
                            if jacobian {
                                // (K − i + 2) x for a covariance matrix, x for a factor.
                                let coef = if kind == MatrixKind::Cov {
                                    let ir = s.to_real_int(i);
                                    let c = s.prim(Prim::Sub, &[kr, ir]);
                                    s.prim(Prim::Add, &[c, Atom::Real(2.0)])
                                } else {
                                    Atom::Real(1.0)
                                };
                                let t = s.prim(Prim::Mul, &[coef, x]);
                                s.emit(Stmt::TargetAdd(t));
                            }
                        },
                        |_| {},
                    );
                });
            }
            MatrixKind::Corr => {
                let kr = self.to_real_int(n);
                self.read_corr_l(l, n, &mut |s, i, c| {
                    let pos = s.corr_position(offset, n, i, c);
                    let x = s.theta_at(theta, pos);
                    let z = s.prim(Fun::Tanh, &[x]);
                    if jacobian {
                        // log(1 − z²) from tanh, and ½ (K − c − 1) log(1 − z²) from L.
                        let z2 = s.prim(Prim::Mul, &[z, z]);
                        let nz2 = s.prim(Prim::Neg, &[z2]);
                        let l1m = s.prim(Fun::Log1p, &[nz2]);
                        let cr = s.to_real_int(c);
                        let weight = s.prim(Prim::Sub, &[kr, cr]);
                        let weight = s.prim(Prim::Sub, &[weight, Atom::Real(1.0)]);
                        let w = s.prim(Prim::Mul, &[Atom::Real(0.5), weight]);
                        let w = s.prim(Prim::Add, &[w, Atom::Real(1.0)]);
                        let t = s.prim(Prim::Mul, &[w, l1m]);
                        s.emit(Stmt::TargetAdd(t));
                    }
                    z
                });
            }
        }
        if kind == MatrixKind::CholeskyCov {
            if idx.is_empty() {
                self.emit(Stmt::Copy { dst: out, src: l });
            } else {
                self.for_each_index(&[m, n], crate::ir::Core::Matrix, &mut |s, ij| {
                    let v = s.let_(Ty::REAL, Expr::Load { base: l, indices: ij.to_vec() });
                    s.emit(Stmt::Assign { var: out, indices: [idx, ij].concat(), value: v });
                });
            }
            return;
        }
        // L Lᵀ over the lower triangle: (i, j) = Σ_{k ≤ min(i, j)} L[i,k] L[j,k].
        self.for_each_index(&[m, m], crate::ir::Core::Matrix, &mut |s, ij| {
            let lim = s.prim(Prim::IMin, &[ij[0], ij[1]]);
            let v = s.reduce_range(Atom::Int(1), lim, &mut |s, kk| {
                let a = s.let_(Ty::REAL, Expr::Load { base: l, indices: vec![ij[0], kk] });
                let b = s.let_(Ty::REAL, Expr::Load { base: l, indices: vec![ij[1], kk] });
                s.prim(Prim::Mul, &[a, b])
            });
            s.emit(Stmt::Assign { var: out, indices: [idx, ij].concat(), value: v });
        });
    }

    /// Stan's checks of a given value `read`: a factor is zero above its positive diagonal; a
    /// covariance or correlation matrix is symmetric (and a correlation matrix has a unit
    /// diagonal) with a Cholesky factor of positive diagonal, which this returns (the factor
    /// itself for `cholesky_factor_cov`).
    fn checked_factor(
        &mut self,
        kind: MatrixKind,
        subject: &Subject<'_>,
        read: VarId,
        n: Atom,
        span: grammar::Span,
    ) -> Option<VarId> {
        let name = match kind {
            MatrixKind::Cov => "cov_matrix",
            MatrixKind::Corr => "corr_matrix",
            MatrixKind::CholeskyCov => "cholesky_factor_cov",
        };
        let l = if kind == MatrixKind::CholeskyCov {
            self.for_loop(Atom::Int(1), n, |s, i| {
                let ip1 = s.prim(Prim::IAdd, &[i, Atom::Int(1)]);
                s.for_loop(ip1, n, |s, j| {
                    let y = s.let_(Ty::REAL, Expr::Load { base: read, indices: vec![i, j] });
                    let ok = s.prim(Prim::Eq, &[y, Atom::Real(0.0)]);
                    let rule = format!("{name}: it must be 0 above the diagonal");
                    s.violation(subject, ok, &[i, j], Some(y), &rule, vec![]);
                });
            });
            read
        } else {
            self.for_loop(Atom::Int(1), n, |s, i| {
                s.for_loop(Atom::Int(1), i, |s, j| {
                    let a = s.let_(Ty::REAL, Expr::Load { base: read, indices: vec![i, j] });
                    let b = s.let_(Ty::REAL, Expr::Load { base: read, indices: vec![j, i] });
                    let ok = s.prim(Prim::Eq, &[a, b]);
                    s.violation(subject, ok, &[i, j], Some(a), &format!("{name}: it must be symmetric"), vec![]);
                });
                if kind == MatrixKind::Corr {
                    let y = s.let_(Ty::REAL, Expr::Load { base: read, indices: vec![i, i] });
                    let dev = s.prim(Prim::Sub, &[y, Atom::Real(1.0)]);
                    let dev = s.prim(Prim::Fabs, &[dev]);
                    let ok = s.prim(Prim::Le, &[dev, Atom::Real(1e-8)]);
                    s.violation(subject, ok, &[i, i], Some(y), &format!("{name}: the diagonal must be 1"), vec![]);
                }
            });
            let chol = self.cholesky(Atom::Var(read), span);
            chol.var()?
        };
        // Every diagonal element of the factor is positive (not so: not positive definite).
        self.for_loop(Atom::Int(1), n, |s, i| {
            let y = s.let_(Ty::REAL, Expr::Load { base: l, indices: vec![i, i] });
            let ok = s.prim(Prim::Gt, &[y, Atom::Real(0.0)]);
            let rule = if kind == MatrixKind::CholeskyCov {
                format!("{name}: the diagonal must be positive")
            } else {
                format!("{name}: it must be positive definite")
            };
            s.violation(subject, ok, &[i, i], Some(y), &rule, vec![]);
        });
        Some(l)
    }

    /// Checks a given value (see [`Self::checked_factor`]).
    pub(crate) fn check_matrix(&mut self, kind: MatrixKind, subject: &Subject<'_>, read: VarId, n: Atom) {
        self.checked_factor(kind, subject, read, n, subject.span());
    }

    /// The inverse of a checked value `read`: writes its unconstrained values to `sink` after
    /// 0-based position `offset`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn free_matrix(
        &mut self,
        kind: MatrixKind,
        read: VarId,
        offset: Atom,
        m: Atom,
        n: Atom,
        sink: &Sink,
        span: grammar::Span,
    ) {
        let l = if kind == MatrixKind::CholeskyCov {
            read
        } else {
            let chol = self.cholesky(Atom::Var(read), span);
            let Atom::Var(c) = chol else { return };
            c
        };
        match kind {
            MatrixKind::Cov | MatrixKind::CholeskyCov => {
                self.for_loop(Atom::Int(1), m, |s, i| {
                    let start = s.row_start(offset, i, n);
                    let start = s.prim(Prim::ISub, &[start, Atom::Int(1)]);
                    let off = s.prim(Prim::ISub, &[i, Atom::Int(1)]);
                    let off = s.prim(Prim::IMin, &[off, n]);
                    s.for_loop(Atom::Int(1), off, |s, j| {
                        let y = s.let_(Ty::REAL, Expr::Load { base: l, indices: vec![i, j] });
                        let pos = s.prim(Prim::IAdd, &[start, j]);
                        s.put(sink, pos, y);
                    });
                    let diag = s.prim(Prim::ILe, &[i, n]);
                    s.if_(
                        diag,
                        |s| {
                            let y = s.let_(Ty::REAL, Expr::Load { base: l, indices: vec![i, i] });
                            let x = s.prim(Fun::Log, &[y]);
                            let pos = s.prim(Prim::IAdd, &[start, i]);
                            s.put(sink, pos, x);
                        },
                        |_| {},
                    );
                });
            }
            MatrixKind::Corr => {
                // Column by column: z = L[i, c] / √acc[i], acc[i] −= L[i, c]², x = atanh z.
                let k = n;
                let acc = self.ones(k);
                self.for_loop(Atom::Int(1), k, |s, c| {
                    let cp1 = s.prim(Prim::IAdd, &[c, Atom::Int(1)]);
                    s.for_loop(cp1, k, |s, i| {
                        let y = s.let_(Ty::REAL, Expr::Load { base: l, indices: vec![i, c] });
                        let a = s.let_(Ty::REAL, Expr::Load { base: acc, indices: vec![i] });
                        let r = s.prim(Prim::Sqrt, &[a]);
                        let z = s.prim(Prim::Div, &[y, r]);
                        let x = s.atanh(z);
                        let pos = s.corr_position(offset, k, i, c);
                        let pos = s.prim(Prim::ISub, &[pos, Atom::Int(1)]);
                        s.put(sink, pos, x);
                        let y2 = s.prim(Prim::Mul, &[y, y]);
                        let a2 = s.prim(Prim::Sub, &[a, y2]);
                        s.emit(Stmt::Assign { var: acc, indices: vec![i], value: a2 });
                    });
                });
            }
        }
    }
}
