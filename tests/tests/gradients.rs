//! The gradient of every example model, and of every primitive through a one-line program,
//! agrees with central finite differences; the six peer models agree with Stan's own log
//! density and gradient at Stan's point.

use runtime::Model;
use tests::{files, finite_differences, load, point, root};

/// `got` agrees with `want` to `rtol` relative (absolute below 1), plus `atol`.
fn assert_close(what: &str, got: &[f64], want: &[f64], rtol: f64, atol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let scale = w.abs().max(1.0);
        assert!((g - w).abs() <= rtol * scale + atol, "{what}[{i}]: got {g}, want {w} (tolerance {rtol} relative)");
    }
}

#[test]
fn every_example_gradient_matches_finite_differences() {
    let models = files(&root().join("examples"), &["vppl"]);
    let mut checked = 0;
    for path in models {
        // Examples that use features not compiled yet are checked by `vppl check` only.
        let Ok((model, _)) = load(&path) else { continue };
        let n = model.n_unconstrained();
        for seed in 0..2 {
            let x = point(n, seed, 1.0);
            let mut grad = vec![0.0; n];
            let lp = model.log_density_gradient(&x, &mut grad).expect("finite at the test point");
            let lp2 = model.log_density(&x, true).expect("finite at the test point");
            assert!(
                (lp - lp2).abs() <= 1e-9 * lp.abs().max(1.0),
                "{}: gradient function value {lp} != {lp2}",
                path.display()
            );
            let h = 1e-6;
            let fd = finite_differences(&model, &x, h);
            // Rounding in the two evaluations limits the finite differences to about
            // ε·|lp|/h, which matters for log densities near 1e12 (earnings).
            let rounding = 10.0 * f64::EPSILON * lp.abs() / h;
            assert_close(&path.display().to_string(), &grad, &fd, 1e-5, rounding);
        }
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} example models compiled");
}

#[test]
fn gradients_match_stan() {
    let fixtures = root().join("tests/fixtures/stan_gradients");
    let mut checked = 0;
    for fixture in files(&fixtures, &["json"]) {
        let text = std::fs::read_to_string(&fixture).expect("fixture readable");
        let json: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
        let Some(name) = json["model"].as_str() else { continue };
        let peer = root().join("examples/peers").join(name).join("model.vppl");
        let posterior = root().join("examples").join(name).join("model.vppl");
        let model_path = if peer.is_file() { peer } else { posterior };
        // Posteriors whose features are not compiled yet (Tier 3) are skipped.
        let Ok((model, _)) = load(&model_path) else { continue };
        let x: Vec<f64> =
            json["point"].as_array().expect("point").iter().map(|v| v.as_f64().expect("number")).collect();
        let want_grad: Vec<f64> =
            json["gradient"].as_array().expect("gradient").iter().map(|v| v.as_f64().expect("number")).collect();
        let want_lp = json["log_prob_propto_false"].as_f64().expect("log_prob");
        let lp = model.log_density(&x, false).expect("finite");
        assert!((lp - want_lp).abs() <= 1e-8 * want_lp.abs(), "{name}: log density {lp} vs Stan's {want_lp}");
        let mut grad = vec![0.0; x.len()];
        model.log_density_gradient(&x, &mut grad).expect("finite");
        assert_close(name, &grad, &want_grad, 1e-8, 0.0);
        if let Some(want_propto) = json["log_prob_propto_true"].as_f64() {
            let lp = model.log_density(&x, true).expect("finite");
            assert!(
                (lp - want_propto).abs() <= 1e-8 * want_propto.abs(),
                "{name}: propto log density {lp} vs Stan's {want_propto}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} Stan fixtures were checked");
}

/// Control flow whose reverse sweep zeroes an adjoint in one block and adds to it in another,
/// and loop reductions with and without a unit adjoint: each program at points on both sides
/// of its branches, against finite differences.
#[test]
fn branch_gradients_match_finite_differences() {
    let programs = [
        // The branch not taken resets `x`'s adjoint; the taken one adds to it.
        "parameters { real a; } model { real x = a; if (a > 0) { x = 2; } else { target += x * 3; } target += x; }",
        // Two ifs in a row at the same depth: the later one's reset must not reach the earlier.
        "parameters { real a; } model { real x = a; if (a < 10) { target += x * 3; } if (a > 0) { x = 2; } target += x; }",
        // A loop after a branch, both touching one accumulator's adjoint.
        "parameters { real a; } model { real x = a; if (a > 0) { x = x * x; } for (i in 1:3) { target += x * i; } target += -a * a; }",
        // Reductions whose reverse runs inside the forward loop (a sum that reaches target
        // through a difference), and ones that must not (the sum read twice, or scaled).
        "parameters { real a; } model { real s = 0; for (i in 1:4) { s += -square(a - i); } target += 1 - (0.5 - s); }",
        "parameters { real a; } model { real s = 0; for (i in 1:4) { s += -square(a - i); } target += s; target += s; }",
        "parameters { real a; } model { real s = 0; for (i in 1:4) { s += -square(a - i); } target += 3 * s; }",
    ];
    for text in programs {
        let model = tests::load_text(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        for a in [-1.5, 0.7, 12.0] {
            let mut grad = vec![0.0];
            model.log_density_gradient(&[a], &mut grad).expect("finite");
            let fd = finite_differences(&model, &[a], 1e-6);
            assert_close(&format!("{text} at a = {a}"), &grad, &fd, 1e-6, 0.0);
        }
    }
}
