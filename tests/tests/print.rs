//! `print` as Stan prints: where it runs, and how values are formatted (`stan_print`: brackets
//! and commas, matrices row by row, six significant digits).

use std::sync::{Arc, Mutex};

use compiler::driver::{self, Source};
use rand_chacha::rand_core::SeedableRng;
use runtime::Model;
use runtime::compiled::{CompiledModel, Printer};
use runtime::data::{self, DataFile};

/// Loads `program` with `data`, its `print` output collected in the returned buffer.
fn load(program: &str, data: &str) -> Result<(CompiledModel, Arc<Mutex<String>>), String> {
    let src = Source { name: "print".into(), path: "print.stan".into(), text: program.to_string() };
    let mut stages = driver::compile_ir(&src).map_err(|d| format!("{d:?}"))?;
    let native = driver::compile_native(&src, &mut stages)?;
    let out = Arc::new(Mutex::new(String::new()));
    let sink = out.clone();
    let printer: Printer = Arc::new(move |text: &str| sink.lock().expect("not poisoned").push_str(text));
    let data: DataFile = data::parse_data_file(data).expect("test data parses");
    let model = CompiledModel::with_printer(native.entries, native.meta, &data, printer).map_err(|e| e.message)?;
    std::mem::forget(native.jit);
    Ok((model, out))
}

fn take(out: &Arc<Mutex<String>>) -> String {
    std::mem::take(&mut *out.lock().expect("not poisoned"))
}

#[test]
fn values_print_as_stan_prints_them() {
    let program = r#"
data { int N; }
transformed data {
  vector[3] v = [1, 2.5, 1e-7]';
  matrix[2, 3] m = [[1, 2, 3], [4, 5, 6]];
  array[2, 2] int a = {{1, 2}, {3, 1234567}};
  complex z = to_complex(1, -2);
  tuple(real, array[2] int) t = (3.14159265, {4, 5});
  print("N = ", N, ", v = ", v, ", v' = ", v', ", m = ", m);
  print("a = ", a, ", z = ", z, ", t = ", t, ", pi = ", pi(), ", big = ", 1234567.0, ", -0.5 = ", -0.5);
  print("empty: ", rep_vector(0, 0), rep_array(1, 0), " inf: ", positive_infinity(), " nan: ", not_a_number());
  print("no values");
  int unset;
  array[2] int unset_array;
  print("unset: ", unset, " ", unset_array);
}
parameters { real mu; }
model { mu ~ normal(0, 1); }
"#;
    let (_, out) = load(program, r#"{"N": 3}"#).expect("loads");
    let want = "N = 3, v = [1,2.5,1e-07], v' = [1,2.5,1e-07], m = [[1,2,3],[4,5,6]]\n\
                a = [[1,2],[3,1234567]], z = (1,-2), t = (3.14159,[4,5]), pi = 3.14159, big = 1.23457e+06, -0.5 = -0.5\n\
                empty: [][] inf: inf nan: nan\n\
                no values\n\
                unset: -2147483648 [-2147483648,-2147483648]\n";
    assert_eq!(take(&out), want);
}

/// The model block prints at every evaluation of the log density (its gradient included), and
/// generated quantities at every draw; what was printed before an error is still printed.
#[test]
fn print_runs_where_stan_runs_it() {
    let program = r#"
parameters { real mu; }
transformed parameters { real s = exp(mu); }
model {
  print("mu = ", mu, ", s = ", s);
  mu ~ normal(0, 1);
}
generated quantities {
  print("gq ", mu);
  if (mu > 1) reject("too big: ", mu);
}
"#;
    let (model, out) = load(program, "{}").expect("loads");
    assert_eq!(take(&out), "", "nothing prints at load");
    model.log_density(&[0.0], false).expect("finite");
    assert_eq!(take(&out), "mu = 0, s = 1\n");
    let mut grad = [0.0];
    model.log_density_gradient(&[0.5], &mut grad).expect("finite");
    assert_eq!(take(&out), "mu = 0.5, s = 1.64872\n");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let mut values = vec![0.0; model.output_names().len()];
    model.write_array(&[0.25], &mut rng, &mut values).expect("writes");
    assert_eq!(take(&out), "gq 0.25\n");
    let err = model.write_array(&[2.0], &mut rng, &mut values).expect_err("rejects");
    assert!(err.message.contains("too big: 2"), "{}", err.message);
    assert_eq!(take(&out), "gq 2\n");
}

/// A print inside a loop prints at every iteration; one in a function, wherever it is called.
#[test]
fn print_in_loops_and_functions() {
    let program = r#"
functions {
  real twice(real x) { print("twice(", x, ")"); return 2 * x; }
}
transformed data {
  for (i in 1:3) print("i = ", i);
  real y = twice(1.5);
}
parameters { real mu; }
model { mu ~ normal(0, 1); }
"#;
    let (_, out) = load(program, "{}").expect("loads");
    assert_eq!(take(&out), "i = 1\ni = 2\ni = 3\ntwice(1.5)\n");
}

/// `reject` and `fatal_error` format their message as `print` does, containers included,
/// with any number of values; a `reject` on the data alone still carries its message.
#[test]
fn reject_formats_its_message_as_print_does() {
    let program = r#"
data { int N; vector[N] y; }
parameters { real mu; }
model {
  print("before");
  if (N > 2) reject("y = ", y, ", N = ", N, ", mu = ", mu, ", ", 1, ", ", 2, ", ", 3);
  mu ~ normal(0, 1);
}
"#;
    let (model, out) = load(program, r#"{"N": 3, "y": [1, 2.5, 3]}"#).expect("loads");
    let err = model.log_density(&[0.5], false).expect_err("rejects");
    assert!(err.message.starts_with("y = [1,2.5,3], N = 3, mu = 0.5, 1, 2, 3 (at print.stan:"), "{}", err.message);
    assert_eq!(take(&out), "before\n", "the message is not printed, the line before it is");
    let err = model.log_density_gradient(&[0.5], &mut [0.0]).expect_err("rejects");
    assert!(err.message.starts_with("y = [1,2.5,3], N = 3"), "{}", err.message);
    let program = r#"
transformed data { matrix[2, 2] m = [[1, 2], [3, 4]]; }
parameters { real mu; }
model { fatal_error("m = ", m); }
"#;
    let (model, _) = load(program, "{}").expect("loads");
    let err = model.log_density(&[0.5], false).expect_err("fails");
    assert!(err.message.starts_with("m = [[1,2],[3,4]] (at"), "{}", err.message);
}

/// `size`, `dims` and `num_elements` of an array of tuples count its tuples (it has no container
/// of its own, only its components': lowering once looked for one and failed).
#[test]
fn sizes_of_an_array_of_tuples() {
    let program = r#"
data { array[2] tuple(real, vector[3]) d; }
transformed data {
  array[3, 2] tuple(real, int) t;
  print(size(d), " ", dims(d), " ", num_elements(d), " ", size(t), " ", dims(t), " ", num_elements(t));
}
parameters { real mu; }
model { mu ~ normal(0, 1); }
"#;
    let data = r#"{"d": [{"1": 1, "2": [1, 2, 3]}, {"1": 2, "2": [4, 5, 6]}]}"#;
    let (_, out) = load(program, data).expect("loads");
    assert_eq!(take(&out), "2 [2] 2 3 [3,2] 6\n");
}
