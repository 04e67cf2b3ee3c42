//! Tests of the dense kernels against naive loops, finite differences and
//! multiply-back checks. Matrices are column-major: (i, j) at j*rows + i.

use stdlib::linalg::*;

/// Tiny deterministic generator (PCG-style LCG) so tests need no `rand`.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }
    fn vec(&mut self, n: usize) -> Vec<f64> {
        (0..n).map(|_| self.next()).collect()
    }
    /// Random SPD matrix B Bᵀ + n I.
    fn spd(&mut self, n: usize) -> Vec<f64> {
        let b = self.vec(n * n);
        let mut a = naive_mul(&b, &transposed(&b, n, n), n, n, n);
        for i in 0..n {
            a[i * n + i] += n as f64;
        }
        a
    }
}

fn naive_mul(a: &[f64], b: &[f64], m: usize, k: usize, n: usize) -> Vec<f64> {
    let mut c = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            let mut s = 0.0;
            for p in 0..k {
                s += a[p * m + i] * b[j * k + p];
            }
            c[j * m + i] = s;
        }
    }
    c
}

fn transposed(a: &[f64], r: usize, c: usize) -> Vec<f64> {
    let mut t = vec![0.0; r * c];
    transpose(a, r, c, &mut t);
    t
}

#[track_caller]
fn assert_close(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len());
    let scale = want.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= tol * scale, "index {i}: got {g}, want {w}");
    }
}

const SIZES: [usize; 10] = [1, 2, 3, 4, 5, 7, 9, 12, 13, 17];

#[test]
fn dot_and_axpy() {
    let mut r = Lcg(1);
    for n in 0..40 {
        let x = r.vec(n);
        let y = r.vec(n);
        let want: f64 = x.iter().zip(&y).map(|(a, b)| a * b).sum();
        assert!((dot(&x, &y) - want).abs() <= 1e-14 * (1.0 + want.abs()));
        let mut z = y.clone();
        axpy(0.7, &x, &mut z);
        let w: Vec<f64> = x.iter().zip(&y).map(|(a, b)| b + 0.7 * a).collect();
        assert_close(&z, &w, 1e-15);
    }
}

#[test]
fn matvec_family() {
    let mut r = Lcg(2);
    for &m in &SIZES {
        for &n in &SIZES {
            let a = r.vec(m * n);
            let x = r.vec(n);
            let xt = r.vec(m);
            let y0 = r.vec(m);
            let yt0 = r.vec(n);
            let ax = naive_mul(&a, &x, m, n, 1);
            let atx = naive_mul(&transposed(&a, m, n), &xt, n, m, 1);
            let mut y = vec![9.0; m];
            matvec(&a, m, n, &x, &mut y);
            assert_close(&y, &ax, 1e-14);
            let mut y = y0.clone();
            matvec_acc(&a, m, n, &x, &mut y);
            assert_close(&y, &ax.iter().zip(&y0).map(|(p, q)| p + q).collect::<Vec<_>>(), 1e-14);
            let mut yt = vec![9.0; n];
            matvec_t(&a, m, n, &xt, &mut yt);
            assert_close(&yt, &atx, 1e-14);
            let mut yt = yt0.clone();
            matvec_t_acc(&a, m, n, &xt, &mut yt);
            assert_close(&yt, &atx.iter().zip(&yt0).map(|(p, q)| p + q).collect::<Vec<_>>(), 1e-14);
            // rank-1
            let mut b = a.clone();
            rank1_update(-1.5, &xt, &x, &mut b, m, n);
            for j in 0..n {
                for i in 0..m {
                    let w = a[j * m + i] - 1.5 * xt[i] * x[j];
                    assert!((b[j * m + i] - w).abs() < 1e-14);
                }
            }
        }
    }
}

#[test]
fn matmul_family() {
    let mut r = Lcg(3);
    for &m in &SIZES {
        for &k in &[1usize, 3, 4, 6, 9] {
            for &n in &[1usize, 2, 5, 8] {
                let a = r.vec(m * k);
                let b = r.vec(k * n);
                let c0 = r.vec(m * n);
                let want = naive_mul(&a, &b, m, k, n);
                let mut c = vec![3.0; m * n];
                matmul(&a, &b, m, k, n, &mut c);
                assert_close(&c, &want, 1e-14);
                let mut c = c0.clone();
                matmul_acc(&a, &b, m, k, n, &mut c);
                let plus: Vec<f64> = want.iter().zip(&c0).map(|(p, q)| p + q).collect();
                assert_close(&c, &plus, 1e-14);
                // Aᵀ B with A stored k×m
                let at = transposed(&a, m, k); // k×m
                let mut c = c0.clone();
                matmul_tn_acc(&at, &b, m, k, n, &mut c);
                assert_close(&c, &plus, 1e-14);
                // A Bᵀ with B stored n×k
                let bt = transposed(&b, k, n); // n×k
                let mut c = c0.clone();
                matmul_nt_acc(&a, &bt, m, k, n, &mut c);
                assert_close(&c, &plus, 1e-14);
            }
        }
    }
}

#[test]
fn cholesky_reconstructs_and_rejects() {
    let mut r = Lcg(4);
    for &n in &SIZES {
        let a = r.spd(n);
        let mut l = vec![f64::NAN; n * n];
        cholesky(&a, n, &mut l).unwrap();
        for j in 0..n {
            for i in 0..j {
                assert_eq!(l[j * n + i], 0.0, "upper triangle must be zero");
            }
            assert!(l[j * n + j] > 0.0);
        }
        let llt = naive_mul(&l, &transposed(&l, n, n), n, n, n);
        assert_close(&llt, &a, 1e-14);
        // only the lower triangle is read
        let mut a_low = a.clone();
        for j in 0..n {
            for i in 0..j {
                a_low[j * n + i] = f64::NAN;
            }
        }
        let mut l2 = a_low.clone();
        cholesky_in_place(&mut l2, n).unwrap();
        assert_eq!(l, l2);
        // log determinant: compare with the product of pivots via LLᵀ diag
        let ld = log_det_cholesky(&l, n);
        let want: f64 = (0..n).map(|j| 2.0 * l[j * n + j].ln()).sum();
        assert!((ld - want).abs() < 1e-12);
    }
    // not positive definite
    let a = [1.0, 2.0, 2.0, 1.0];
    let mut l = [0.0; 4];
    assert_eq!(cholesky(&a, 2, &mut l), Err(LinalgError::NotPositiveDefinite { column: 1 }));
    let a = [-1.0];
    assert_eq!(cholesky(&a, 1, &mut [0.0]), Err(LinalgError::NotPositiveDefinite { column: 0 }));
    let a = [f64::NAN];
    assert!(cholesky(&a, 1, &mut [0.0]).is_err());
    // log det of a diagonal matrix
    let a = [4.0, 0.0, 0.0, 9.0];
    let mut l = [0.0; 4];
    cholesky(&a, 2, &mut l).unwrap();
    assert!((log_det_cholesky(&l, 2) - 36f64.ln()).abs() < 1e-15);
}

#[test]
fn triangular_solves_multiply_back() {
    let mut r = Lcg(5);
    for &n in &SIZES {
        let a = r.spd(n);
        let mut l = vec![0.0; n * n];
        cholesky(&a, n, &mut l).unwrap();
        let lt = transposed(&l, n, n);
        let b = r.vec(n);
        // L x = b
        let mut x = b.clone();
        solve_lower(&l, n, &mut x);
        assert_close(&naive_mul(&l, &x, n, n, 1), &b, 1e-13);
        // Lᵀ x = b
        let mut x = b.clone();
        solve_lower_t(&l, n, &mut x);
        assert_close(&naive_mul(&lt, &x, n, n, 1), &b, 1e-13);
        // A x = b
        let mut x = b.clone();
        cholesky_solve(&l, n, &mut x);
        assert_close(&naive_mul(&a, &x, n, n, 1), &b, 1e-13);
        // matrix right-hand sides
        for &m in &[1usize, 3, 6] {
            let bm = r.vec(n * m);
            let mut x = bm.clone();
            solve_lower_mat(&l, n, &mut x, m);
            assert_close(&naive_mul(&l, &x, n, n, m), &bm, 1e-13);
            let mut x = bm.clone();
            solve_lower_t_mat(&l, n, &mut x, m);
            assert_close(&naive_mul(&lt, &x, n, n, m), &bm, 1e-13);
            let mut x = bm.clone();
            cholesky_solve_mat(&l, n, &mut x, m);
            assert_close(&naive_mul(&a, &x, n, n, m), &bm, 1e-13);
            // X L = B with B m×n
            let br = r.vec(m * n);
            let mut x = br.clone();
            solve_lower_right(&l, n, &mut x, m);
            assert_close(&naive_mul(&x, &l, m, n, n), &br, 1e-13);
        }
        // inverses
        let mut inv = vec![0.0; n * n];
        inverse_spd(&a, n, &mut inv).unwrap();
        let eye: Vec<f64> = (0..n * n).map(|k| if k % (n + 1) == 0 { 1.0 } else { 0.0 }).collect();
        assert_close(&naive_mul(&a, &inv, n, n, n), &eye, 1e-13);
        assert_eq!(inv, transposed(&inv, n, n), "inverse must be exactly symmetric");
        let mut inv2 = vec![0.0; n * n];
        chol2inv(&l, n, &mut inv2);
        assert_close(&inv2, &inv, 1e-14);
        let mut li = vec![0.0; n * n];
        inverse_lower(&l, n, &mut li);
        assert_close(&naive_mul(&l, &li, n, n, n), &eye, 1e-13);
    }
    assert!(inverse_spd(&[1.0, 2.0, 2.0, 1.0], 2, &mut [0.0; 4]).is_err());
}

/// f(A) = Σ W .* chol(A), reading only the lower triangle of A.
fn chol_objective(a: &[f64], w: &[f64], n: usize) -> f64 {
    let mut l = vec![0.0; n * n];
    cholesky(a, n, &mut l).unwrap();
    l.iter().zip(w).map(|(p, q)| p * q).sum()
}

#[test]
fn cholesky_adjoint_matches_finite_differences() {
    let mut r = Lcg(6);
    for &n in &[1usize, 2, 3, 5, 8, 12] {
        let a = r.spd(n);
        let mut w = r.vec(n * n);
        for j in 0..n {
            for i in 0..j {
                w[j * n + i] = 0.0; // L̄ is lower triangular
            }
        }
        let mut l = vec![0.0; n * n];
        cholesky(&a, n, &mut l).unwrap();
        let mut abar = vec![0.0; n * n];
        cholesky_adjoint(&l, &w, n, &mut abar);
        let mut asym = vec![0.0; n * n];
        cholesky_adjoint_symmetric(&l, &w, n, &mut asym);
        for j in 0..n {
            for i in 0..n {
                let h = 1e-5;
                // Perturb the symmetric pair (lower entry is what the factorisation reads).
                let (ii, jj) = if i >= j { (i, j) } else { (j, i) };
                let mut ap = a.clone();
                let mut am = a.clone();
                ap[jj * n + ii] += h;
                am[jj * n + ii] -= h;
                ap[ii * n + jj] = ap[jj * n + ii];
                am[ii * n + jj] = am[jj * n + ii];
                let fd = (chol_objective(&ap, &w, n) - chol_objective(&am, &w, n)) / (2.0 * h);
                if i >= j {
                    assert!(
                        (abar[j * n + i] - fd).abs() <= 1e-7 * (1.0 + fd.abs()),
                        "n={n} ({i},{j}): {} vs {fd}",
                        abar[j * n + i]
                    );
                    // symmetric form: the pair sums to the same derivative
                    let pair = if i == j { asym[j * n + i] } else { asym[j * n + i] + asym[i * n + j] };
                    assert!((pair - fd).abs() <= 1e-7 * (1.0 + fd.abs()));
                    assert_eq!(asym[j * n + i], asym[i * n + j]);
                } else {
                    assert_eq!(abar[j * n + i], 0.0, "upper triangle untouched");
                }
            }
        }
        // accumulation: calling twice doubles
        let mut twice = abar.clone();
        cholesky_adjoint(&l, &w, n, &mut twice);
        assert_close(&twice, &abar.iter().map(|v| 2.0 * v).collect::<Vec<_>>(), 1e-15);
    }
}

#[test]
fn multi_normal_cholesky_value_and_gradient() {
    let mut r = Lcg(7);
    for &n in &[1usize, 2, 4, 7] {
        let a = r.spd(n);
        let mut l = vec![0.0; n * n];
        cholesky(&a, n, &mut l).unwrap();
        let y = r.vec(n);
        let mu = r.vec(n);
        // value vs the explicit formula with the inverse
        let mut inv = vec![0.0; n * n];
        inverse_spd(&a, n, &mut inv).unwrap();
        let d: Vec<f64> = y.iter().zip(&mu).map(|(p, q)| p - q).collect();
        let quad = dot(&d, &naive_mul(&inv, &d, n, n, 1));
        let want = -0.5 * n as f64 * (2.0 * std::f64::consts::PI).ln() - 0.5 * log_det_cholesky(&l, n) - 0.5 * quad;
        let v = multi_normal_cholesky_lpdf(&y, &mu, &l, n);
        assert!((v - want).abs() < 1e-12 * (1.0 + want.abs()));
        let mut gy = vec![0.0; n];
        let mut gl = vec![0.0; n * n];
        let v2 = multi_normal_cholesky_lpdf_grad(&y, &mu, &l, n, 2.0, &mut gy, &mut gl);
        assert_eq!(v, v2);
        let h = 1e-6;
        for i in 0..n {
            let mut yp = y.clone();
            let mut ym = y.clone();
            yp[i] += h;
            ym[i] -= h;
            let fd =
                (multi_normal_cholesky_lpdf(&yp, &mu, &l, n) - multi_normal_cholesky_lpdf(&ym, &mu, &l, n)) / (2.0 * h);
            assert!((gy[i] - 2.0 * fd).abs() < 1e-6 * (1.0 + fd.abs()));
        }
        for j in 0..n {
            for i in j..n {
                let mut lp = l.clone();
                let mut lm = l.clone();
                lp[j * n + i] += h;
                lm[j * n + i] -= h;
                let fd = (multi_normal_cholesky_lpdf(&y, &mu, &lp, n) - multi_normal_cholesky_lpdf(&y, &mu, &lm, n))
                    / (2.0 * h);
                assert!((gl[j * n + i] - 2.0 * fd).abs() < 1e-6 * (1.0 + fd.abs()), "L({i},{j})");
            }
        }
    }
}

// ---- dense decompositions (nalgebra) --------------------------------------------------------

fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol * y.abs().max(1.0))
}

#[test]
fn inverse_and_determinants_of_a_known_matrix() {
    // [[4, 7], [2, 6]] column-major; det 10, inverse [[0.6, −0.7], [−0.2, 0.4]].
    let a = [4.0, 2.0, 7.0, 6.0];
    let mut inv = [0.0; 4];
    inverse(&a, 2, &mut inv);
    assert!(close(&inv, &[0.6, -0.2, -0.7, 0.4], 1e-14), "{inv:?}");
    assert!((determinant(&a, 2) - 10.0).abs() < 1e-13);
    assert!((log_determinant(&a, 2) - 10f64.ln()).abs() < 1e-14);
    let mut singular = [0.0; 4];
    inverse(&[1.0, 2.0, 2.0, 4.0], 2, &mut singular);
    assert!(singular.iter().all(|x| x.is_nan()));
    assert_eq!(log_determinant(&[1.0, 2.0, 2.0, 4.0], 2), f64::NEG_INFINITY);
}

#[test]
fn symmetric_eigendecomposition_is_ascending_and_reconstructs() {
    let mut rng = Lcg(7);
    let n = 4;
    let a = rng.spd(n);
    let (values, vectors) = eigen_sym(&a, n);
    assert!(values.windows(2).all(|w| w[0] <= w[1]), "{values:?}");
    // V diag(λ) Vᵀ = A
    let v = vectors.as_slice();
    let mut rebuilt = vec![0.0; n * n];
    for j in 0..n {
        for i in 0..n {
            rebuilt[j * n + i] = (0..n).map(|k| v[k * n + i] * values[k] * v[k * n + j]).sum();
        }
    }
    assert!(close(&rebuilt, &a, 1e-12));
    let (values, _) = eigen_sym(&[2.0, 1.0, 1.0, 2.0], 2);
    assert!(close(&values, &[1.0, 3.0], 1e-14));
}

#[test]
fn singular_values_are_descending() {
    let (_, values, _) = svd(&[3.0, 0.0, 0.0, 0.0, -2.0, 0.0], 3, 2);
    assert!(close(&values, &[3.0, 2.0], 1e-14), "{values:?}");
    let (_, values, _) = svd(&[1.0, 0.0, 0.0, 5.0], 2, 2);
    assert!(close(&values, &[5.0, 1.0], 1e-14), "{values:?}");
}

#[test]
fn matrix_exponential_of_known_matrices() {
    let mut out = [0.0; 4];
    matrix_exp(&[0.0, 0.0, 1.0, 0.0], 2, &mut out);
    assert!(close(&out, &[1.0, 0.0, 1.0, 1.0], 1e-14), "{out:?}");
    matrix_exp(&[1.0, 0.0, 0.0, 2.0], 2, &mut out);
    assert!(close(&out, &[1f64.exp(), 0.0, 0.0, 2f64.exp()], 1e-13), "{out:?}");
}

#[test]
fn decomposition_adjoints_match_finite_differences() {
    // Each adjoint against central differences of Σ G ∘ f(A) for a fixed weight G.
    let n = 3;
    let mut rng = Lcg(11);
    let a = rng.spd(n);
    let g = rng.vec(n * n);
    let gv = rng.vec(n);
    type Value = Box<dyn Fn(&[f64]) -> f64>;
    type Adjoint = Box<dyn Fn(&[f64], &mut [f64])>;
    let (g1, g2, g3) = (g.clone(), g.clone(), gv.clone());
    let cases: Vec<(&str, Value, Adjoint)> = vec![
        (
            "inverse",
            Box::new(move |a: &[f64]| {
                let mut c = vec![0.0; 9];
                inverse(a, 3, &mut c);
                c.iter().zip(&g1).map(|(x, y)| x * y).sum()
            }),
            Box::new({
                let g = g.clone();
                move |a: &[f64], acc: &mut [f64]| {
                    let mut c = vec![0.0; 9];
                    inverse(a, 3, &mut c);
                    inverse_adjoint(&c, &g, 3, acc);
                }
            }),
        ),
        (
            "log_determinant",
            Box::new(|a: &[f64]| log_determinant(a, 3)),
            Box::new(|a: &[f64], acc: &mut [f64]| inverse_transpose_acc(a, 3, 1.0, acc)),
        ),
        (
            "matrix_exp",
            Box::new(move |a: &[f64]| {
                let mut e = vec![0.0; 9];
                matrix_exp(a, 3, &mut e);
                e.iter().zip(&g2).map(|(x, y)| x * y).sum()
            }),
            Box::new({
                let g = g.clone();
                move |a: &[f64], acc: &mut [f64]| matrix_exp_adjoint(a, 3, &g, acc)
            }),
        ),
        (
            "singular_values",
            Box::new(move |a: &[f64]| svd(a, 3, 3).1.iter().zip(&g3).map(|(x, y)| x * y).sum()),
            Box::new({
                let g = gv.clone();
                move |a: &[f64], acc: &mut [f64]| singular_values_adjoint(a, 3, 3, &g, acc)
            }),
        ),
    ];
    for (name, value, adjoint) in cases {
        let mut acc = vec![0.0; n * n];
        adjoint(&a, &mut acc);
        for k in 0..n * n {
            let h = 1e-6;
            let (mut up, mut down) = (a.clone(), a.clone());
            up[k] += h;
            down[k] -= h;
            let fd = (value(&up) - value(&down)) / (2.0 * h);
            assert!((acc[k] - fd).abs() <= 1e-6 * fd.abs().max(1.0), "{name}: element {k}: {} versus {fd}", acc[k]);
        }
    }
}

/// `matvec_acc` sums each element in one documented order whatever the vector width the
/// processor offers (SSE2 pairs of rows, AVX quadruples, scalar tails): eight columns at a
/// time as (α₀c₀ + α₂c₂ + α₄c₄ + α₆c₆) + (α₁c₁ + α₃c₃ + α₅c₅ + α₇c₇), then four, then one by one.
/// The result is compared bit for bit with that order written out.
#[test]
fn matvec_sums_in_one_order_on_every_processor() {
    let mut r = Lcg(7);
    for m in [1, 2, 3, 4, 5, 7, 8, 9, 13, 31] {
        for n in [1, 4, 8, 12, 13, 17, 24] {
            let a = r.vec(m * n);
            let x = r.vec(n);
            let y0 = r.vec(m);
            let mut want = y0.clone();
            for (i, w) in want.iter_mut().enumerate() {
                let col = |j: usize| a[j * m + i];
                let mut j = 0;
                let block = |j: usize, k: usize| {
                    let (mut even, mut odd) = (0.0, 0.0);
                    for q in (0..k).step_by(2) {
                        even += x[j + q] * col(j + q);
                        odd += x[j + q + 1] * col(j + q + 1);
                    }
                    even + odd
                };
                while j + 8 <= n {
                    *w += block(j, 8);
                    j += 8;
                }
                if j + 4 <= n {
                    *w += block(j, 4);
                    j += 4;
                }
                while j < n {
                    *w += x[j] * col(j);
                    j += 1;
                }
            }
            let mut y = y0.clone();
            matvec_acc(&a, m, n, &x, &mut y);
            for (got, want) in y.iter().zip(&want) {
                assert_eq!(got.to_bits(), want.to_bits(), "{m} x {n}: {got} against {want}");
            }
        }
    }
}

/// `matvec_t_acc` likewise: each dot product in four lanes (rows i mod 4), added as
/// (l₀ + l₁) + (l₂ + l₃), then the last rows one by one; eight columns at a time, then four,
/// then one (`dot`).
#[test]
fn transposed_matvec_sums_in_one_order_on_every_processor() {
    let mut r = Lcg(11);
    for m in [1, 3, 4, 5, 8, 13, 31] {
        for n in [8, 12, 16, 24] {
            let a = r.vec(m * n);
            let x = r.vec(m);
            let mut want = vec![0.0; n];
            for (j, w) in want.iter_mut().enumerate() {
                let col = &a[j * m..(j + 1) * m];
                let mut lanes = [0.0f64; 4];
                for i in 0..m / 4 * 4 {
                    lanes[i % 4] += col[i] * x[i];
                }
                let mut s = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
                for i in m / 4 * 4..m {
                    s += col[i] * x[i];
                }
                *w = 0.0 + s;
            }
            let mut y = vec![0.0; n];
            matvec_t_acc(&a, m, n, &x, &mut y);
            for (got, want) in y.iter().zip(&want) {
                assert_eq!(got.to_bits(), want.to_bits(), "{m} x {n}: {got} against {want}");
            }
        }
    }
}
