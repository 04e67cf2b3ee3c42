//! Stan 2.37's transform functions (`lower_bound_constrain`, `_jacobian`, `_unconstrain`, …):
//! values and log-Jacobians against mpmath (`tests/reference/transforms.py`), gradients against
//! finite differences through the whole compiler, and their errors.

use runtime::Model;
use tests::{assert_gradient_matches, load_text, point};

const VALUES: &[(&str, f64)] = &[
    ("lower_bound_constrain(0.3, 1.5)", 2.8498588075760031),
    ("upper_bound_constrain(-0.7, 2)", 1.5034146962085905),
    ("lower_upper_bound_constrain(0.4, -1, 3)", 1.394750640449808),
    ("offset_multiplier_constrain(0.4, -1, 3)", 0.2),
    ("lower_bound_unconstrain(3.2, 1.5)", 0.5306282510621704),
    ("upper_bound_unconstrain(-0.5, 2)", 0.91629073187415507),
    ("lower_upper_bound_unconstrain(2.2, -1, 3)", 1.3862943611198906),
    ("offset_multiplier_unconstrain(0.4, -1, 3)", 0.46666666666666667),
    ("sum(lower_bound_constrain([0.3, -1.2]', [1, 2]'))", 4.6510530194882052),
    ("sum(lower_upper_bound_constrain({0.3, -1.2}, 0, {1, 4}))", 1.5003433828155884),
    ("sum(offset_multiplier_unconstrain([1.5, 2.5], [1, 0], 2))", 1.5),
    ("sum(upper_bound_unconstrain({-0.5, 1.5}, {0, 2}))", -1.3862943611198906),
];
const JACOBIANS: &[(&str, f64)] = &[
    ("lower_bound_jacobian(x, 1.5)", 0.35),
    ("upper_bound_jacobian(x, 2)", 0.35),
    ("lower_upper_bound_jacobian(x, -1, 3)", -0.030469949717663445),
    ("offset_multiplier_jacobian(x, -1, 3)", 1.0986122886681097),
];
const VECTOR_VALUES: &[(&str, f64)] = &[
    ("ordered_constrain([0.5, -0.3, 0.1]')", 10.019603857635532),
    ("positive_ordered_constrain([0.5, -0.3, 0.1]')", 16.911931481836301),
];
const VECTOR_JACOBIANS: &[(&str, f64)] = &[("ordered", -0.2), ("positive_ordered", 0.3)];
// Stan 2.37's simplex is the inverse isometric log ratio (softmax of sum_to_zero), its
// stochastic matrices a simplex per column or row.
const MORE_VALUES: &[(&str, f64)] = &[
    ("dot_product([1, 2, 3, 4]', simplex_constrain([0.5, -0.3, 0.1]'))", 2.4443510231268266),
    ("dot_product([1, 2, 3, 4]', sum_to_zero_constrain([0.5, -0.3, 0.1]'))", -0.15933500993268478),
    ("dot_product([1, 2, 3]', unit_vectors_constrain([0.5, -0.3, 0.1]'))", 0.33806170189140663),
    (
        "sum([[1, 2, 3, 4], [4, 8, 12, 16], [9, 18, 27, 36]] .* sum_to_zero_constrain([[0.5, -0.3, 0.1], [1.2, 0.4, -0.8]]))",
        7.5694989636501701,
    ),
    (
        "sum(to_matrix([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 3) .* stochastic_column_constrain([[0.5, -0.3, 0.1], [1.2, 0.4, -0.8]]))",
        14.760102368628444,
    ),
    (
        "sum(to_matrix([1, 2, 3, 4, 5, 6, 7, 8], 2, 4) .* stochastic_row_constrain([[0.5, -0.3, 0.1], [1.2, 0.4, -0.8]]))",
        8.8150670471750675,
    ),
];
const MORE_JACOBIANS: &[(&str, f64)] = &[
    ("simplex", -5.0169021792650799),
    ("unit_vectors", -0.175),
    ("sum_to_zero", 0.0), // linear onto the zero-sum subspace: Stan adds nothing
];

/// The value of `expr` in generated quantities.
fn generated(expr: &str) -> Result<f64, String> {
    use rand_chacha::rand_core::SeedableRng;
    let program = format!("generated quantities {{ real v = {expr}; }}\n");
    let model = load_text(&program).unwrap_or_else(|e| panic!("{program}\ndoes not compile: {e}"));
    let mut out = vec![0.0; model.output_names().len()];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    model.write_array(&[], &mut rng, &mut out).map_err(|e| e.to_string())?;
    Ok(out[0])
}

#[test]
fn transforms_give_mpmaths_values() {
    for (expr, expected) in VALUES {
        let v = generated(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert!((v - expected).abs() <= 1e-13 * expected.abs().max(1.0), "{expr}: {v}, not {expected}");
    }
}

/// A `_jacobian` call in transformed parameters adds the log-Jacobian to the log density (and
/// `_constrain` adds nothing); its value is the constrained one.
#[test]
fn jacobian_functions_add_the_log_jacobian() {
    for (call, expected) in JACOBIANS {
        let constrain = call.replace("_jacobian", "_constrain");
        let program = format!(
            "parameters {{ real x; }}\ntransformed parameters {{ real y = {call}; real z = {constrain}; }}\nmodel {{ target += 2 * (y - z); }}\n"
        );
        let model = load_text(&program).unwrap_or_else(|e| panic!("{program}\ndoes not compile: {e}"));
        let lp = model.log_density(&[0.35], true).unwrap_or_else(|e| panic!("{call}: {e}"));
        assert!((lp - expected).abs() <= 1e-13 * expected.abs().max(1.0), "{call}: {lp}, not {expected}");
    }
}

/// Gradients through the compiler: every function of each scalar transform, scalar and
/// element-wise, with parameters as the values and as the bounds.
#[test]
fn transform_gradients_match_finite_differences() {
    let programs = [
        (
            "real x; vector[3] v; real<lower=0.5> s;",
            "real a = lower_bound_jacobian(x, s); vector[3] b = upper_bound_jacobian(v, v + s); \
             vector[3] c = lower_upper_bound_jacobian(v, -s, s + 1); real d = offset_multiplier_jacobian(x, v[1], s);",
            "target += a + sum(b) + sum(c) + d + lower_bound_constrain(x, v[2]) \
             + sum(offset_multiplier_constrain(v, x, 2 * s)) + upper_bound_constrain(x, s);",
        ),
        (
            "real<lower=0> x; array[2] real<lower=-1, upper=2> u; real m;",
            "",
            "target += lower_bound_unconstrain(x, 0) + sum(lower_upper_bound_unconstrain(u, -1, 2)) \
             + upper_bound_unconstrain(-x, 0.5) + sum(offset_multiplier_unconstrain(u, m, {2, 3}));",
        ),
    ];
    for (decls, tp, model_body) in programs {
        let program =
            format!("parameters {{ {decls} }}\ntransformed parameters {{ {tp} }}\nmodel {{ {model_body} }}\n");
        let model = load_text(&program).unwrap_or_else(|e| panic!("{program}\ndoes not compile: {e}"));
        let n = model.n_unconstrained();
        for seed in 0..3 {
            assert_gradient_matches(&model, &point(n, seed + 5, 0.8), &program);
        }
    }
}

/// The vector transforms: values (weighted sums, so the order shows), the `_jacobian`'s
/// log-Jacobian, the same over an array of vectors, and gradients through the compiler.
#[test]
fn vector_transforms_match_mpmath_and_finite_differences() {
    let weights = "[1, 2, 3]'";
    for (expr, expected) in VECTOR_VALUES {
        let v = generated(&format!("dot_product({weights}, {expr})")).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert!((v - expected).abs() <= 1e-13 * expected.abs().max(1.0), "{expr}: {v}, not {expected}");
        // Each vector of an array alike.
        let arr = expr.replace("([0.5, -0.3, 0.1]')", "({[0.5, -0.3, 0.1]', [0.5, -0.3, 0.1]'})");
        let v = generated(&format!("dot_product({weights}, {arr}[2])")).unwrap_or_else(|e| panic!("{arr}: {e}"));
        assert!((v - expected).abs() <= 1e-13 * expected.abs().max(1.0), "{arr}: {v}, not {expected}");
    }
    for (name, expected) in VECTOR_JACOBIANS {
        let program = format!(
            "parameters {{ vector[3] x; }}\ntransformed parameters {{ vector[3] y = {name}_jacobian(x); }}\nmodel {{ target += 2 * sum(y - {name}_constrain(x)); }}\n"
        );
        let model = load_text(&program).unwrap_or_else(|e| panic!("{program}\ndoes not compile: {e}"));
        let lp = model.log_density(&[0.5, -0.3, 0.1], true).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!((lp - expected).abs() <= 1e-13 * expected.abs().max(1.0), "{name}: {lp}, not {expected}");
        let program = format!(
            "parameters {{ array[2] vector[3] x; }}\ntransformed parameters {{ array[2] vector[3] y = {name}_jacobian(x); }}\nmodel {{ target += dot_product([1, 2, 3]', y[1]) + dot_self(y[2]) + sum({name}_constrain(x[1])); }}\n"
        );
        let model = load_text(&program).unwrap_or_else(|e| panic!("{program}\ndoes not compile: {e}"));
        for seed in 0..3 {
            assert_gradient_matches(&model, &point(6, seed + 5, 0.8), &program);
        }
    }
}

/// Values outside the bounds, crossed bounds and a multiplier that is not positive are errors
/// at run time, as in Stan.
#[test]
fn transforms_refuse_what_stan_refuses() {
    for (expr, message) in [
        ("lower_bound_unconstrain(0.5, 1)", "violates lower=1"),
        ("upper_bound_unconstrain(2.5, 1)", "violates upper=1"),
        ("lower_upper_bound_unconstrain(3, 0, 2)", "violates upper=2"),
        ("lower_upper_bound_constrain(0.1, 2, 1)", "must be less than the upper bound"),
        ("offset_multiplier_constrain(0.1, 0, -1)", "must be positive and finite"),
        ("sum(lower_bound_constrain([1, 2]', [1, 2, 3]'))", "size mismatch"),
    ] {
        match generated(expr) {
            Ok(v) => panic!("{expr}: no error, value {v}"),
            Err(e) => assert!(e.contains(message), "{expr}: {e}"),
        }
    }
}

/// The transforms of Stan 2.37 that have no parameter of their own in vppl or a new one:
/// values and log-Jacobians against mpmath.
#[test]
fn more_transforms_match_mpmath() {
    for (expr, expected) in MORE_VALUES {
        let v = generated(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert!((v - expected).abs() <= 1e-13 * expected.abs().max(1.0), "{expr}: {v}, not {expected}");
    }
    for (name, expected) in MORE_JACOBIANS {
        let k = if *name == "unit_vectors" { 3 } else { 4 };
        let program = format!(
            "parameters {{ vector[3] x; }}\ntransformed parameters {{ vector[{k}] y = {name}_jacobian(x); }}\nmodel {{ target += 2 * sum(y - {name}_constrain(x)); }}\n"
        );
        let model = load_text(&program).unwrap_or_else(|e| panic!("{program}\ndoes not compile: {e}"));
        let lp = model.log_density(&[0.5, -0.3, 0.1], true).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!((lp - expected).abs() <= 1e-13 * expected.abs().max(1.0), "{name}: {lp}, not {expected}");
    }
}

/// Every `_unconstrain` undoes its `_constrain`, over one value and over an array, and the
/// matrix transforms' `_constrain` gives the parameters' values.
#[test]
fn unconstrain_functions_invert_constrain() {
    let cases = [
        ("ordered", "[0.5, -0.3, 0.1]'", ""),
        ("positive_ordered", "[0.5, -0.3, 0.1]'", ""),
        ("simplex", "[0.5, -0.3, 0.1]'", ""),
        ("sum_to_zero", "[0.5, -0.3, 0.1]'", ""),
        ("sum_to_zero", "[[0.5, -0.3, 0.1], [1.2, 0.4, -0.8]]", ""),
        ("stochastic_column", "[[0.5, -0.3, 0.1], [1.2, 0.4, -0.8]]", ""),
        ("stochastic_row", "[[0.5, -0.3, 0.1], [1.2, 0.4, -0.8]]", ""),
        ("cholesky_factor_corr", "[0.5, -0.3, 0.1]'", ", 3"),
        ("corr_matrix", "[0.5, -0.3, 0.1]'", ", 3"),
        ("cov_matrix", "[0.5, -0.3, 0.1, 0.7, -1.1, 0.2]'", ", 3"),
        ("cholesky_factor_cov", "[0.5, -0.3, 0.1, 0.7, -1.1]'", ", 3, 2"),
    ];
    for (name, y, sizes) in cases {
        let once = format!("sum(abs({name}_unconstrain({name}_constrain({y}{sizes})) - {y}))");
        let v = generated(&once).unwrap_or_else(|e| panic!("{once}: {e}"));
        assert!(v < 1e-12, "{once}: {v}");
        let arrays = format!("sum(abs({name}_unconstrain({name}_constrain({{{y}, 2 * {y}}}{sizes}))[2] - 2 * {y}))");
        let v = generated(&arrays).unwrap_or_else(|e| panic!("{arrays}: {e}"));
        assert!(v < 1e-12, "{arrays}: {v}");
    }
    // A unit vector's free values are the unit vector itself (Stan's).
    let v = generated("sum(abs(unit_vectors_unconstrain([0.6, 0.8]') - [0.6, 0.8]'))").expect("runs");
    assert_eq!(v, 0.0);
}

/// Gradients through the compiler of every kind of transform function.
#[test]
fn more_transform_gradients_match_finite_differences() {
    let program = "parameters { vector[3] x; matrix[2, 3] m; vector[6] c; }
transformed parameters {
  vector[4] s = simplex_jacobian(x);
  matrix[3, 3] sc = stochastic_column_jacobian(m);
  matrix[2, 4] sr = stochastic_row_jacobian(m);
  vector[3] u = unit_vectors_jacobian(x);
  matrix[3, 3] L = cholesky_factor_corr_jacobian(x, 3);
  matrix[3, 3] S = cov_matrix_jacobian(c, 3);
  matrix[3, 3] C = corr_matrix_jacobian(x, 3);
  matrix[3, 2] F = cholesky_factor_cov_jacobian(c[1:5], 3, 2);
  matrix[3, 4] Z = sum_to_zero_jacobian(m);
}
model {
  target += dot_product([1, 2, 3, 4]', log(s)) + sum(log(sc) .* [[1, 2, 3], [2, 1, 0.5], [0.3, 1, 2]]);
  target += sum(log(sr[2])) + dot_product(u, [1, -2, 0.5]') + sum(L[3]) + trace(S) + C[1, 3];
  target += sum(F) + sum(Z[2]) * Z[3, 1] + dot_product(sum_to_zero_constrain(x), [1, 2, 0, -1]') + sum(sum_to_zero_constrain(m) * m[1, 1]);
  target += sum(simplex_unconstrain(s)) + sum(stochastic_row_unconstrain(sr)) + sum(cov_matrix_unconstrain(S));
  target += sum(corr_matrix_unconstrain(C)) + sum(cholesky_factor_cov_unconstrain(F)) + sum(sum_to_zero_unconstrain(sum_to_zero_constrain(m)));
}
";
    let model = load_text(program).unwrap_or_else(|e| panic!("{program}\ndoes not compile: {e}"));
    for seed in 0..3 {
        assert_gradient_matches(&model, &point(15, seed + 5, 0.8), program);
    }
}
