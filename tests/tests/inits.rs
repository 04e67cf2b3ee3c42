//! Initial values from a file (CmdStan's `init=FILE`): `CompiledModel::unconstrain` is the
//! inverse of the constraining transforms. For every constrained type, a random unconstrained
//! point goes through `write_array`, out as CmdStan JSON and back through `unconstrain` to the
//! same point; a file that gives some parameters only keeps their values and draws the others;
//! a value that violates its constraint and a value of the wrong shape are refused with a
//! message naming the parameter.

use compiler::driver::{self, Source};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use runtime::Model;
use runtime::compiled::CompiledModel;
use runtime::data::{self, DataFile};
use tests::{load_text, point};

/// One model per constrained type vppl supports, with bounds that depend on data and on
/// parameters declared before them.
const PROGRAMS: &[(&str, &str)] = &[
    (
        "bounds",
        "transformed data { real lb = 0.5; vector[3] ub = [1, 2, 3]'; }
         parameters {
           real a;
           real<lower=0> b;
           real<upper=1> c;
           real<lower=-1, upper=2> d;
           real<lower=lb> g;
           array[2] real<lower=a, upper=a + 5> f;
           vector<lower=0>[3] v;
           vector<upper=ub>[3] w;
           row_vector<lower=-v[1], upper=v[2]>[2] r;
           matrix<lower=-1, upper=1>[2, 3] m;
           array[2, 2] vector<lower=b>[2] nested;
         }
         model { }",
    ),
    (
        "offset_multiplier",
        "transformed data { real mu = 3; }
         parameters {
           real<offset=mu, multiplier=2> a;
           real<multiplier=0.5> b;
           vector<offset=a, multiplier=[1, 2]'>[2] v;
           array[2] real<offset=-1> c;
         }
         model { }",
    ),
    (
        "ordered",
        "parameters {
           ordered[4] o;
           positive_ordered[3] p;
           array[2] ordered[3] ao;
           array[2] positive_ordered[2] ap;
           ordered[1] one;
         }
         model { }",
    ),
    (
        "simplex",
        "parameters {
           simplex[4] s;
           array[2] simplex[3] arr;
           simplex[1] single;
         }
         model { }",
    ),
    (
        "sum_to_zero_vector, sum_to_zero_matrix, unit_vector, stochastic matrices",
        "parameters {
           sum_to_zero_vector[4] z;
           array[2] sum_to_zero_vector[3] az;
           sum_to_zero_vector[1] z1;
           sum_to_zero_matrix[3, 4] Z;
           array[2] sum_to_zero_matrix[2, 3] aZ;
           column_stochastic_matrix[3, 2] C;
           row_stochastic_matrix[2, 4] R;
           array[2] row_stochastic_matrix[3, 2] aR;
         }
         model { }",
    ),
    (
        // x / ‖x‖ loses ‖x‖: its inverse is the unit vector itself (Stan's), so the round trip
        // holds for the constrained values.
        "unit_vector",
        "parameters {
           unit_vector[3] u;
           array[2] unit_vector[2] au;
           unit_vector[1] u1;
         }
         model { }",
    ),
    (
        "arrays of matrix types",
        "parameters {
           array[2] cholesky_factor_corr[3] L;
           array[2] cov_matrix[2] S;
           array[2, 2] corr_matrix[3] C;
           array[3] cholesky_factor_cov[3, 2] F;
         }
         model { }",
    ),
    (
        "cholesky_factor_corr",
        "parameters {
           cholesky_factor_corr[4] L;
           cholesky_factor_corr[1] L1;
           real<lower=0> sigma;
         }
         model { }",
    ),
    (
        "cov_matrix, corr_matrix, cholesky_factor_cov",
        "parameters {
           cov_matrix[3] S;
           corr_matrix[4] C;
           cholesky_factor_cov[3] L;
           cholesky_factor_cov[4, 2] R;
           corr_matrix[1] one;
         }
         model { }",
    ),
];

#[test]
fn every_constrained_type_round_trips() {
    for (name, program) in PROGRAMS {
        let model = load_text(program).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Release builds skip the driver's checks of well-formedness; the entry point gets them here.
        let source = Source { name: name.to_string(), path: "test.stan".into(), text: program.to_string() };
        let stages = driver::compile_ir(&source).expect("compiles");
        compiler::ir::verify::verify(&stages.opt_unconstrain);
        for seed in 1..=3 {
            let theta = point(model.n_unconstrained(), seed, 2.0);
            let inits = parse(&constrained_json(&model, &theta));
            let back = model.unconstrain(&inits, &mut ChaCha8Rng::seed_from_u64(seed)).unwrap_or_else(|e| {
                panic!("{name}: {e}\n{}", constrained_json(&model, &theta));
            });
            let (expected, got) = if *name == "unit_vector" {
                let values = |t: &[f64]| constrained(&model, t).into_iter().flat_map(|(_, v)| v).collect::<Vec<_>>();
                (values(&theta), values(&back))
            } else {
                (theta.clone(), back)
            };
            for (k, (x, y)) in expected.iter().zip(&got).enumerate() {
                assert!((x - y).abs() <= 1e-10, "{name}, seed {seed}: value {k} is {x}, the round trip gave {y}");
            }
        }
    }
}

#[test]
fn parameters_missing_from_the_file_are_drawn_uniformly_from_minus_two_to_two() {
    let model = load_text(PROGRAMS[0].1).expect("compiles");
    // `f` is given, `a` (its bounds' parameter) and the rest are not; unknown keys are ignored.
    let inits = parse(r#"{"f": [2.5, 2.9], "b": 0.25, "not_a_parameter": [1, 2]}"#);
    let theta = model.unconstrain(&inits, &mut ChaCha8Rng::seed_from_u64(7)).expect("valid inits");
    assert!(theta.iter().all(|x| x.is_finite()));
    // The given values come back through write_array; the absent ones are uniform(−2, 2).
    let values = constrained(&model, &theta);
    assert_eq!(values.iter().find(|(n, _)| n == "b").map(|(_, v)| v.clone()), Some(vec![0.25]));
    let f = &values.iter().find(|(n, _)| n == "f").expect("f is a parameter").1;
    assert!((f[0] - 2.5).abs() < 1e-12 && (f[1] - 2.9).abs() < 1e-12, "f is {f:?}");
    assert!((-2.0..2.0).contains(&theta[0]), "a is {}", theta[0]);
    // A different seed draws different values for the absent parameters only.
    let other = model.unconstrain(&inits, &mut ChaCha8Rng::seed_from_u64(8)).expect("valid inits");
    assert_ne!(theta[0], other[0]);
    assert_eq!(theta[1], other[1]);
    // An empty file is all random, inside (−2, 2).
    let random = model.unconstrain(&DataFile::empty(), &mut ChaCha8Rng::seed_from_u64(7)).expect("no inits");
    assert!(random.iter().all(|x| (-2.0..2.0).contains(x)));
}

#[test]
fn values_that_violate_their_constraints_are_named() {
    let cases = [
        ("parameters { real<lower=0> sigma; }", r#"{"sigma": -1}"#),
        ("parameters { vector<lower=-1, upper=1>[3] v; }", r#"{"v": [0, 0.5, 1.5]}"#),
        ("parameters { real a; real<lower=a> b; }", r#"{"a": 2, "b": 1}"#),
        ("parameters { array[2] real<upper=0> u; }", r#"{"u": [-1, 3]}"#),
        ("parameters { matrix<lower=0>[2, 2] m; }", r#"{"m": [[1, 2], [3, -4]]}"#),
        ("parameters { ordered[3] o; }", r#"{"o": [1, 3, 2]}"#),
        ("parameters { positive_ordered[2] p; }", r#"{"p": [-1, 2]}"#),
        ("parameters { array[2] ordered[2] ao; }", r#"{"ao": [[1, 2], [2, 2]]}"#),
        ("parameters { simplex[3] s; }", r#"{"s": [0.5, 0.6, -0.1]}"#),
        ("parameters { simplex[3] s; }", r#"{"s": [0.5, 0.2, 0.2]}"#),
        ("parameters { cholesky_factor_corr[2] L; }", r#"{"L": [[1, 0.5], [0, 1]]}"#),
        ("parameters { cholesky_factor_corr[2] L; }", r#"{"L": [[1, 0], [0.6, 0.6]]}"#),
        ("parameters { cholesky_factor_corr[2] L; }", r#"{"L": [[1, 0], [0, -1]]}"#),
        ("parameters { sum_to_zero_vector[3] z; }", r#"{"z": [1, 0.5, -1]}"#),
        ("parameters { sum_to_zero_matrix[2, 2] Z; }", r#"{"Z": [[1, -1], [-1, 2]]}"#),
        ("parameters { unit_vector[2] u; }", r#"{"u": [1, 1]}"#),
        ("parameters { column_stochastic_matrix[2, 2] C; }", r#"{"C": [[0.5, 0.3], [0.5, 0.6]]}"#),
        ("parameters { row_stochastic_matrix[2, 2] R; }", r#"{"R": [[0.5, 0.5], [1.5, -0.5]]}"#),
        ("parameters { array[2] simplex[2] s; }", r#"{"s": [[0.5, 0.5], [0.5, 0.6]]}"#),
    ];
    insta::assert_snapshot!(refusals(&cases), @r#"
    parameters { real<lower=0> sigma; } | {"sigma": -1}
      -> init value `sigma` = -1 violates lower=0 (at test.stan:1:28)
    parameters { vector<lower=-1, upper=1>[3] v; } | {"v": [0, 0.5, 1.5]}
      -> init value `v[3]` = 1.5 violates upper=1 (at test.stan:1:43)
    parameters { real a; real<lower=a> b; } | {"a": 2, "b": 1}
      -> init value `b` = 1 violates lower=2 (at test.stan:1:36)
    parameters { array[2] real<upper=0> u; } | {"u": [-1, 3]}
      -> init value `u[2]` = 3 violates upper=0 (at test.stan:1:37)
    parameters { matrix<lower=0>[2, 2] m; } | {"m": [[1, 2], [3, -4]]}
      -> init value `m[2,2]` = -4 violates lower=0 (at test.stan:1:36)
    parameters { ordered[3] o; } | {"o": [1, 3, 2]}
      -> init value `o[3]` = 2 violates ordered: it must be greater than the element before it, 3 (at test.stan:1:25)
    parameters { positive_ordered[2] p; } | {"p": [-1, 2]}
      -> init value `p[1]` = -1 violates positive_ordered: it must be positive (at test.stan:1:34)
    parameters { array[2] ordered[2] ao; } | {"ao": [[1, 2], [2, 2]]}
      -> init value `ao[2,2]` = 2 violates ordered: it must be greater than the element before it, 2 (at test.stan:1:34)
    parameters { simplex[3] s; } | {"s": [0.5, 0.6, -0.1]}
      -> init value `s[3]` = -0.1 violates simplex: it must be >= 0 (at test.stan:1:25)
    parameters { simplex[3] s; } | {"s": [0.5, 0.2, 0.2]}
      -> init value `s` violates simplex: its elements sum to 0.8999999999999999, not 1 (at test.stan:1:25)
    parameters { cholesky_factor_corr[2] L; } | {"L": [[1, 0.5], [0, 1]]}
      -> init value `L[1,2]` = 0.5 violates cholesky_factor_corr: it must be 0 above the diagonal (at test.stan:1:38)
    parameters { cholesky_factor_corr[2] L; } | {"L": [[1, 0], [0.6, 0.6]]}
      -> init value `L` violates cholesky_factor_corr: row 2 has squared length 0.72, not 1 (at test.stan:1:38)
    parameters { cholesky_factor_corr[2] L; } | {"L": [[1, 0], [0, -1]]}
      -> init value `L[2,2]` = -1 violates cholesky_factor_corr: the diagonal must be positive (at test.stan:1:38)
    parameters { sum_to_zero_vector[3] z; } | {"z": [1, 0.5, -1]}
      -> init value `z` violates sum_to_zero_vector: its elements sum to 0.5, not 0 (at test.stan:1:36)
    parameters { sum_to_zero_matrix[2, 2] Z; } | {"Z": [[1, -1], [-1, 2]]}
      -> init value `Z` violates sum_to_zero_matrix: column 2 sums to 1, not 0 (at test.stan:1:39)
    parameters { unit_vector[2] u; } | {"u": [1, 1]}
      -> init value `u` violates unit_vector: its squared length is 2, not 1 (at test.stan:1:29)
    parameters { column_stochastic_matrix[2, 2] C; } | {"C": [[0.5, 0.3], [0.5, 0.6]]}
      -> init value `C` violates column_stochastic_matrix: column 2 sums to 0.8999999999999999, not 1 (at test.stan:1:45)
    parameters { row_stochastic_matrix[2, 2] R; } | {"R": [[0.5, 0.5], [1.5, -0.5]]}
      -> init value `R[2,2]` = -0.5 violates row_stochastic_matrix: it must be >= 0 (at test.stan:1:42)
    parameters { array[2] simplex[2] s; } | {"s": [[0.5, 0.5], [0.5, 0.6]]}
      -> init value `s[2]` violates simplex: its elements sum to 1.1, not 1 (at test.stan:1:34)
    "#);
}

#[test]
fn values_of_the_wrong_shape_are_named() {
    let cases = [
        ("parameters { vector[3] v; }", r#"{"v": [1, 2]}"#),
        ("parameters { real sigma; }", r#"{"sigma": [1]}"#),
        ("parameters { matrix[2, 3] m; }", r#"{"m": [[1, 2, 3]]}"#),
        ("parameters { array[2] vector[2] a; }", r#"{"a": [[1, 2], [3, 4], [5, 6]]}"#),
        ("parameters { simplex[3] s; }", r#"{"s": [0.5, 0.5]}"#),
        ("parameters { cholesky_factor_corr[3] L; }", r#"{"L": [[1, 0], [0, 1]]}"#),
        ("parameters { vector[2] v; }", r#"{"v": [1, "x"]}"#),
        ("parameters { vector[2] v; }", r#"{"v": [[1, 2], [3]]}"#),
    ];
    insta::assert_snapshot!(refusals(&cases), @r#"
    parameters { vector[3] v; } | {"v": [1, 2]}
      -> init value `v`: size is 2 in the init file, but the declaration requires 3 (at test.stan:1:14)
    parameters { real sigma; } | {"sigma": [1]}
      -> init value `sigma`: expected a real, found an array of 1 dimension
    parameters { matrix[2, 3] m; } | {"m": [[1, 2, 3]]}
      -> init value `m`: size is 1 in the init file, but the declaration requires 2 (at test.stan:1:14)
    parameters { array[2] vector[2] a; } | {"a": [[1, 2], [3, 4], [5, 6]]}
      -> init value `a`: array dimension 1 is 3 in the init file, but the declaration requires 2 (at test.stan:1:14)
    parameters { simplex[3] s; } | {"s": [0.5, 0.5]}
      -> init value `s`: size is 2 in the init file, but the declaration requires 3 (at test.stan:1:14)
    parameters { cholesky_factor_corr[3] L; } | {"L": [[1, 0], [0, 1]]}
      -> init value `L`: size is 2 in the init file, but the declaration requires 3 (at test.stan:1:14)
    parameters { vector[2] v; } | {"v": [1, "x"]}
      -> init value `v`: expected a real at v[2], found the string "x"
    parameters { vector[2] v; } | {"v": [[1, 2], [3]]}
      -> init value `v`: expected an array of 1 dimension of reals, found an array of 2 dimensions
    "#);
}

/// Each case as `program | inits -> message`.
/// A tuple parameter is given as CmdStan's object `{"1": …, "2": …}`: each component is
/// unconstrained by its own transform, in order, and a value that violates one is named.
#[test]
fn tuple_parameters_are_read_from_objects() {
    let program = "parameters { real a; tuple(real<lower=a>, tuple(simplex[3], vector<upper=0>[2])) t; } model { }";
    let model = load_text(program).expect("compiles");
    let inits = parse(r#"{"a": 0.5, "t": {"1": 2, "2": {"1": [0.2, 0.3, 0.5], "2": [-1, -0.25]}}}"#);
    let theta = model.unconstrain(&inits, &mut ChaCha8Rng::seed_from_u64(1)).expect("valid inits");
    let names = model.output_names();
    let mut out = vec![0.0; names.len()];
    model.write_array(&theta, &mut ChaCha8Rng::seed_from_u64(0), &mut out).expect("write_array runs");
    let columns: Vec<String> = names.iter().map(|n| n.csv()).collect();
    assert_eq!(columns, ["a", "t:1", "t:2:1.1", "t:2:1.2", "t:2:1.3", "t:2:2.1", "t:2:2.2"]);
    let expected = [0.5, 2.0, 0.2, 0.3, 0.5, -1.0, -0.25];
    for (k, (x, y)) in out.iter().zip(expected).enumerate() {
        assert!((x - y).abs() < 1e-12, "{}: {x}, expected {y}", columns[k]);
    }
    // log(2 - 0.5), then the simplex's two free values, then log(1), log(0.25).
    assert_eq!(theta.len(), 6);
    assert!((theta[1] - 1.5f64.ln()).abs() < 1e-12 && (theta[5] - 0.25f64.ln()).abs() < 1e-12, "{theta:?}");
    let bad = r#"{"a": 0.5, "t": {"1": 0, "2": {"1": [0.2, 0.3, 0.5], "2": [-1, -0.25]}}}"#;
    insta::assert_snapshot!(refusals(&[(program, bad)]), @r#"
    parameters { real a; tuple(real<lower=a>, tuple(simplex[3], vector<upper=0>[2])) t; } model { } | {"a": 0.5, "t": {"1": 0, "2": {"1": [0.2, 0.3, 0.5], "2": [-1, -0.25]}}}
      -> init value `t.1` = 0 violates lower=0.5 (at test.stan:1:82)
    "#);
}

fn refusals(cases: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (program, inits) in cases {
        let model = load_text(program).expect("compiles");
        let message = match model.unconstrain(&parse(inits), &mut ChaCha8Rng::seed_from_u64(1)) {
            Ok(theta) => format!("accepted: {theta:?}"),
            Err(e) => e.message,
        };
        out.push_str(&format!("{program} | {inits}\n  -> {message}\n"));
    }
    out
}

fn parse(text: &str) -> DataFile {
    data::parse_data_file(text).expect("test inits parse")
}

/// Each parameter's constrained values at `theta`, flat in Stan's output order.
fn constrained(model: &CompiledModel, theta: &[f64]) -> Vec<(String, Vec<f64>)> {
    let names = model.output_names();
    let mut out = vec![0.0; names.len()];
    model.write_array(theta, &mut ChaCha8Rng::seed_from_u64(0), &mut out).expect("write_array runs");
    model
        .meta()
        .parameters
        .iter()
        .map(|p| {
            let values = names.iter().zip(&out).filter(|(n, _)| n.name == p.name).map(|(_, v)| *v).collect();
            (p.name.clone(), values)
        })
        .collect()
}

/// The parameters' constrained values at `theta` as a CmdStan JSON file: nested arrays,
/// first index outermost (a matrix as rows).
fn constrained_json(model: &CompiledModel, theta: &[f64]) -> String {
    let names = model.output_names();
    let mut out = vec![0.0; names.len()];
    model.write_array(theta, &mut ChaCha8Rng::seed_from_u64(0), &mut out).expect("write_array runs");
    let mut fields = Vec::new();
    for p in &model.meta().parameters {
        let elems: Vec<(&[usize], f64)> =
            names.iter().zip(&out).filter(|(n, _)| n.name == p.name).map(|(n, v)| (n.indices.as_slice(), *v)).collect();
        let rank = elems[0].0.len();
        let dims: Vec<usize> = (0..rank).map(|d| elems.iter().map(|(i, _)| i[d]).max().unwrap_or(0)).collect();
        fields.push(format!("\"{}\": {}", p.name, nested(&elems, &dims, &mut Vec::new())));
    }
    format!("{{{}}}", fields.join(", "))
}

fn nested(elems: &[(&[usize], f64)], dims: &[usize], prefix: &mut Vec<usize>) -> String {
    if prefix.len() == dims.len() {
        let value = elems.iter().find(|(i, _)| *i == prefix.as_slice()).expect("every element is written").1;
        return format!("{value:?}");
    }
    let mut items = Vec::new();
    for i in 1..=dims[prefix.len()] {
        prefix.push(i);
        items.push(nested(elems, dims, prefix));
        prefix.pop();
    }
    format!("[{}]", items.join(", "))
}
