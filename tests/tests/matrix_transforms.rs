//! `cov_matrix`, `corr_matrix` and `cholesky_factor_cov` parameters: the log-Jacobian the
//! compiler adds equals log |det| of the transform's Jacobian, taken by finite differences of
//! the constrained values (the free elements of each matrix) in the unconstrained ones; and the
//! values satisfy their constraints. (Round trips through the inverse are in `inits.rs`.)

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use runtime::Model;
use tests::{load_text, point};

/// log |det A| by Gaussian elimination with partial pivoting.
fn log_abs_det(mut a: Vec<Vec<f64>>) -> f64 {
    let n = a.len();
    let mut total = 0.0;
    for c in 0..n {
        let p = (c..n).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs())).expect("rows");
        a.swap(c, p);
        let pivot = a[c][c];
        total += pivot.abs().ln();
        for r in c + 1..n {
            let f = a[r][c] / pivot;
            for k in c..n {
                a[r][k] -= f * a[c][k];
            }
        }
    }
    total
}

/// The constrained M × N matrix (column-major) at `x`.
fn matrix(model: &impl Model, x: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; model.output_names().len()];
    model.write_array(x, &mut ChaCha8Rng::seed_from_u64(0), &mut out).expect("constrains");
    out
}

/// (declaration, rows, columns, whether the diagonal is free)
const CASES: &[(&str, usize, usize, bool)] = &[
    ("cov_matrix[3] S;", 3, 3, true),
    ("corr_matrix[4] C;", 4, 4, false),
    ("cholesky_factor_cov[3] L;", 3, 3, true),
    ("cholesky_factor_cov[4, 2] L;", 4, 2, true),
];

#[test]
fn log_jacobians_are_the_transforms() {
    for (decl, m, n, diagonal) in CASES {
        let model =
            load_text(&format!("parameters {{ {decl} }}\nmodel {{ }}\n")).unwrap_or_else(|e| panic!("{decl}: {e}"));
        let dim = model.n_unconstrained();
        // The free elements: the lower triangle (with or without the diagonal), column-major.
        let free: Vec<usize> = (0..*n)
            .flat_map(|j| (0..*m).filter(move |&i| if *diagonal { i >= j } else { i > j }).map(move |i| j * m + i))
            .collect();
        assert_eq!(free.len(), dim, "{decl}: free elements and unconstrained values");
        for seed in 0..3 {
            let x = point(dim, seed, 1.0);
            let lp = model.log_density(&x, false).expect("finite");
            let h = 1e-6;
            let columns: Vec<Vec<f64>> = (0..dim)
                .map(|k| {
                    let (mut up, mut down) = (x.clone(), x.clone());
                    up[k] += h;
                    down[k] -= h;
                    let (a, b) = (matrix(&model, &up), matrix(&model, &down));
                    free.iter().map(|&e| (a[e] - b[e]) / (2.0 * h)).collect()
                })
                .collect();
            let rows: Vec<Vec<f64>> = (0..dim).map(|r| (0..dim).map(|c| columns[c][r]).collect()).collect();
            let want = log_abs_det(rows);
            assert!(
                (lp - want).abs() <= 1e-5 * want.abs().max(1.0),
                "{decl}, seed {seed}: log-Jacobian {lp}, want {want}"
            );
            // The value satisfies its constraint.
            let v = matrix(&model, &x);
            let at = |i: usize, j: usize| v[j * m + i];
            for i in 0..*m {
                for j in 0..*n {
                    match decl.split('[').next() {
                        Some("cov_matrix") | Some("corr_matrix") => {
                            assert!((at(i, j) - at(j, i)).abs() < 1e-12, "{decl}: not symmetric");
                        }
                        _ if j > i => assert_eq!(at(i, j), 0.0, "{decl}: not lower triangular"),
                        _ => {}
                    }
                }
                if decl.starts_with("corr_matrix") {
                    assert!((at(i, i) - 1.0).abs() < 1e-12, "{decl}: diagonal {}", at(i, i));
                } else if i < *n {
                    assert!(at(i, i) > 0.0, "{decl}: diagonal {}", at(i, i));
                }
            }
        }
    }
}
