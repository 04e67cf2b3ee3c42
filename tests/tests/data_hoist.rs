//! Work on the data alone runs once, at load: the functions the fit calls hold none of it
//! (`ir::verify::no_data_only_work`), and moving it changes no value.

use compiler::driver;
use runtime::Model;
use tests::{files, load, point, root, source};

/// The fit's functions of every example and good program hold no data-only loop or kernel.
#[test]
fn fit_functions_hold_no_data_only_work() {
    let mut programs = files(&root().join("examples"), &["vppl"]);
    programs.extend(files(&root().join("tests/programs/good"), &["stan", "vppl"]));
    let mut checked = 0;
    for path in programs {
        let Ok(stages) = driver::compile_ir(&source(&path)) else { continue };
        for f in [&stages.opt.log_density, &stages.opt.log_density_propto, &stages.opt_gradient] {
            compiler::ir::verify::no_data_only_work(f);
        }
        compiler::ir::verify::verify(&stages.opt_precompute);
        checked += 1;
    }
    assert!(checked >= 45, "only {checked} programs compiled");
}

/// The bounds `mean(y) ± 3 sd(y)` of uk_drivers' level are computed once, by `precompute`, not
/// in every gradient: the gradient holds no loop over `y`.
#[test]
fn uk_drivers_bounds_are_precomputed() {
    let path = root().join("examples/uk_drivers-state_space_stochastic_level_stochastic_seasonal/model.vppl");
    let stages = driver::compile_ir(&source(&path)).expect("compiles");
    compiler::ir::verify::no_data_only_work(&stages.opt_gradient);
    let gradient = stages.opt_gradient.to_string();
    assert!(!gradient.contains("sqrt"), "the gradient still computes sd(y):\n{gradient}");
    assert_eq!(stages.n_precomputed, 3, "{}", stages.opt_precompute);
    // The bounds are right: every constrained value of `mu` lies within them.
    let (model, _) = load(&path).expect("loads");
    let text = std::fs::read_to_string(path.with_file_name("data.json")).expect("data");
    let data: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let y: Vec<f64> = data["y"].as_array().expect("y").iter().map(|v| v.as_f64().expect("number")).collect();
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let sd = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let (lower, upper) = (mean - 3.0 * sd, mean + 3.0 * sd);
    let theta = point(model.n_unconstrained(), 0, 1.0);
    let mut rng = <rand_chacha::ChaCha8Rng as rand_chacha::rand_core::SeedableRng>::seed_from_u64(0);
    let mut values = vec![0.0; model.output_names().len()];
    model.write_array(&theta, &mut rng, &mut values).expect("constrains");
    let mut grad = vec![0.0; theta.len()];
    model.log_density_gradient(&theta, &mut grad).expect("finite");
    for (k, name) in model.output_names().iter().enumerate().filter(|(_, o)| o.name == "mu") {
        let v = values[k];
        assert!(lower < v && v < upper, "{}: {v} outside ({lower}, {upper})", name.display());
    }
}
