//! The constrained types of Stan 2.36 vppl's parameters take: `sum_to_zero_vector`,
//! `sum_to_zero_matrix`, `unit_vector`, `column_stochastic_matrix` and `row_stochastic_matrix`.
//! Their values satisfy the constraint, the gradient through the transforms matches finite
//! differences, ADVI recovers the known posterior of `z ~ normal(0, 1)` on the zero-sum
//! subspace, and declared variables of these types are checked as Stan checks them. (The init
//! files' round trip is in `inits.rs`.)

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use runtime::Model;
use runtime::advi::{self, AdviConfig, Algorithm};
use runtime::compiled::CompiledModel;
use tests::{assert_gradient_matches, load_text, point};

const PARAMETERS: &str = "parameters {
  sum_to_zero_vector[4] z;
  array[2] sum_to_zero_vector[3] az;
  sum_to_zero_matrix[3, 4] Z;
  unit_vector[3] u;
  column_stochastic_matrix[3, 2] C;
  row_stochastic_matrix[2, 4] R;
  array[2] row_stochastic_matrix[2, 3] aR;
}
";

/// The constrained values at `theta`, by parameter name.
fn values(model: &CompiledModel, theta: &[f64]) -> Vec<(String, f64)> {
    let names = model.output_names();
    let mut out = vec![0.0; names.len()];
    model.write_array(theta, &mut ChaCha8Rng::seed_from_u64(0), &mut out).expect("write_array runs");
    let label = |n: &runtime::model::OutputName| {
        let idx: Vec<String> = n.indices.iter().map(|i| i.to_string()).collect();
        format!("{}[{}]", n.name, idx.join(","))
    };
    names.iter().map(label).zip(out).collect()
}

/// The values of the elements whose names (`x[1,2]`) satisfy `keep`.
fn select(values: &[(String, f64)], keep: impl Fn(&str) -> bool) -> Vec<f64> {
    values.iter().filter(|(n, _)| keep(n)).map(|(_, v)| *v).collect()
}

#[test]
fn constrained_values_satisfy_their_constraints() {
    let model = load_text(&format!("{PARAMETERS}model {{ }}\n")).expect("compiles");
    for seed in 1..=5 {
        let theta = point(model.n_unconstrained(), seed, 3.0);
        let v = values(&model, &theta);
        let sum = |keep: &dyn Fn(&str) -> bool| select(&v, keep).iter().sum::<f64>();
        let close = |a: f64, b: f64, what: &str| assert!((a - b).abs() < 1e-12, "seed {seed}, {what}: {a}, not {b}");
        close(sum(&|n| n.starts_with("z[")), 0.0, "sum of z");
        for i in 1..=2 {
            close(sum(&|n| n.starts_with(&format!("az[{i},"))), 0.0, "sum of az[i]");
        }
        for r in 1..=3 {
            close(sum(&|n| n.starts_with(&format!("Z[{r},"))), 0.0, "a row of Z");
        }
        for c in 1..=4 {
            close(sum(&|n| n.starts_with("Z[") && n.ends_with(&format!(",{c}]"))), 0.0, "a column of Z");
        }
        let u = select(&v, |n| n.starts_with("u["));
        close(u.iter().map(|x| x * x).sum(), 1.0, "the squared length of u");
        for c in 1..=2 {
            close(sum(&|n| n.starts_with("C[") && n.ends_with(&format!(",{c}]"))), 1.0, "a column of C");
        }
        for r in 1..=2 {
            close(sum(&|n| n.starts_with(&format!("R[{r},"))), 1.0, "a row of R");
            for i in 1..=2 {
                close(sum(&|n| n.starts_with(&format!("aR[{i},{r},"))), 1.0, "a row of aR[i]");
            }
        }
        for (name, x) in &v {
            if name.starts_with('C') || name.starts_with('R') || name.starts_with("aR") {
                assert!(*x > 0.0, "seed {seed}: {name} = {x}");
            }
        }
    }
}

#[test]
fn gradients_through_the_transforms_match_finite_differences() {
    let program = format!(
        "{PARAMETERS}model {{
  z ~ normal(0, 1);
  target += dot_product([1, -2, 0.5, 3]', z) + 0.3 * dot_self(az[2]) + sum(Z[2]) * Z[3, 4];
  target += dot_product(u, [0.5, 1, -1]') + log(C[2, 1]) + 2 * log(R[1, 3]) + 3 * log(aR[2, 2, 1]);
}}
"
    );
    let model = load_text(&program).expect("compiles");
    let n = model.n_unconstrained();
    assert_eq!(n, 3 + 4 + 6 + 3 + 4 + 6 + 8);
    for seed in 1..=3 {
        assert_gradient_matches(&model, &point(n, seed + 10, 1.0), "the constrained types");
    }
}

/// `sum_to_zero_vector[K] z; z ~ normal(0, 1)`: z = V y with V's columns orthonormal and
/// orthogonal to 1, so Σ z² = Σ y² and y ~ normal(0, I): z is normal with covariance
/// V Vᵀ = I − 11ᵀ/K, each z_k of variance (K − 1)/K and any two of covariance −1/K.
#[test]
fn advi_recovers_the_zero_sum_normal() {
    const K: usize = 5;
    let program = format!("parameters {{ sum_to_zero_vector[{K}] z; }}\nmodel {{ z ~ normal(0, 1); }}\n");
    let model = load_text(&program).expect("compiles");
    let config = AdviConfig {
        algorithm: Algorithm::FullRank,
        iter: 20000,
        grad_samples: 20,
        elbo_samples: 2000,
        tol_rel_obj: 1e-5,
        output_samples: 20000,
        seed: 3,
        ..AdviConfig::default()
    };
    let result = advi::run_advi(&model, &[0.0; K - 1], &config, &mut Vec::new()).expect("fits");
    let draws: Vec<Vec<f64>> =
        result.draws[1..].iter().map(|theta| values(&model, theta).into_iter().map(|(_, v)| v).collect()).collect();
    let n = draws.len() as f64;
    let mean: Vec<f64> = (0..K).map(|j| draws.iter().map(|d| d[j]).sum::<f64>() / n).collect();
    for i in 0..K {
        assert!(mean[i].abs() < 0.05, "mean of z[{}] is {}", i + 1, mean[i]);
        for j in 0..K {
            let cov = draws.iter().map(|d| (d[i] - mean[i]) * (d[j] - mean[j])).sum::<f64>() / (n - 1.0);
            let exact = if i == j { (K as f64 - 1.0) / K as f64 } else { -1.0 / K as f64 };
            assert!((cov - exact).abs() < 0.05, "cov(z[{}], z[{}]) is {cov}, not {exact}", i + 1, j + 1);
        }
    }
}

/// The error of a program whose transformed data or generated quantities break a constraint.
fn refusal(program: &str) -> String {
    let model = match load_text(program) {
        Err(e) => return e,
        Ok(model) => model,
    };
    let mut out = vec![0.0; model.output_names().len()];
    let theta = vec![0.1; model.n_unconstrained()];
    match model.write_array(&theta, &mut ChaCha8Rng::seed_from_u64(0), &mut out) {
        Ok(()) => "accepted".to_string(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn declared_variables_are_checked_as_stan_checks_them() {
    let cases = [
        "transformed data { sum_to_zero_vector[3] z = [1, -0.5, -0.4]'; }",
        "transformed data { sum_to_zero_matrix[2, 2] Z = [[1, -1], [-1, 1]]; }",
        "transformed data { sum_to_zero_matrix[2, 2] Z = [[1, -1], [-2, 2]]; }",
        "transformed data { unit_vector[2] u = [0.6, 0.8]'; }",
        "transformed data { unit_vector[2] u = [0.6, 0.7]'; }",
        "transformed data { simplex[3] s = [0.2, 0.3, 0.5]'; }",
        "transformed data { simplex[3] s = [0.2, 0.9, -0.1]'; }",
        "transformed data { array[2] ordered[2] o = {[1, 2]', [2, 1]'}; }",
        "generated quantities { column_stochastic_matrix[2, 2] C = [[0.5, 0.5], [0.5, 0.4]]; }",
        "generated quantities { row_stochastic_matrix[2, 2] R = [[0.5, 0.5], [1.2, -0.2]]; }",
        "parameters { real x; } transformed parameters { sum_to_zero_vector[2] z = [x, 1 - x]'; }",
    ];
    let out: String = cases.iter().map(|p| format!("{p}\n  -> {}\n", refusal(p))).collect();
    insta::assert_snapshot!(out, @r#"
    transformed data { sum_to_zero_vector[3] z = [1, -0.5, -0.4]'; }
      -> transformed data variable `z` violates sum_to_zero_vector: its elements sum to 0.09999999999999998, not 0 (at test.stan:1:42)
    transformed data { sum_to_zero_matrix[2, 2] Z = [[1, -1], [-1, 1]]; }
      -> accepted
    transformed data { sum_to_zero_matrix[2, 2] Z = [[1, -1], [-2, 2]]; }
      -> transformed data variable `Z` violates sum_to_zero_matrix: column 1 sums to -1, not 0 (at test.stan:1:45)
    transformed data { unit_vector[2] u = [0.6, 0.8]'; }
      -> accepted
    transformed data { unit_vector[2] u = [0.6, 0.7]'; }
      -> transformed data variable `u` violates unit_vector: its squared length is 0.8499999999999999, not 1 (at test.stan:1:35)
    transformed data { simplex[3] s = [0.2, 0.3, 0.5]'; }
      -> accepted
    transformed data { simplex[3] s = [0.2, 0.9, -0.1]'; }
      -> transformed data variable `s[3]` = -0.1 violates simplex: it must be >= 0 (at test.stan:1:31)
    transformed data { array[2] ordered[2] o = {[1, 2]', [2, 1]'}; }
      -> transformed data variable `o[2,2]` = 1 violates ordered: it must be greater than the element before it, 2 (at test.stan:1:40)
    generated quantities { column_stochastic_matrix[2, 2] C = [[0.5, 0.5], [0.5, 0.4]]; }
      -> generated quantity `C` violates column_stochastic_matrix: column 2 sums to 0.9, not 1 (at test.stan:1:55)
    generated quantities { row_stochastic_matrix[2, 2] R = [[0.5, 0.5], [1.2, -0.2]]; }
      -> generated quantity `R[2,2]` = -0.2 violates row_stochastic_matrix: it must be >= 0 (at test.stan:1:52)
    parameters { real x; } transformed parameters { sum_to_zero_vector[2] z = [x, 1 - x]'; }
      -> transformed parameter `z` violates sum_to_zero_vector: its elements sum to 1, not 0 (at test.stan:1:71)
    "#);
}
