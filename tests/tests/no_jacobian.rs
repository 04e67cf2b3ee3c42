//! The log density without the Jacobian (CmdStan's `jacobian=0`, what `optimize` climbs by
//! default and `log_prob jacobian=0` reports): its gradient against finite differences of its
//! own value, and the difference from the density with the Jacobian against the log-Jacobian
//! written out by hand.

use compiler::driver::{self, Extras, Source};
use runtime::Model;
use runtime::compiled::CompiledModel;
use runtime::data::DataFile;
use tests::point;

/// Compiles `text` with the entry point of the density without the Jacobian.
fn load(text: &str) -> CompiledModel {
    let src = Source { name: "test".into(), path: "test.stan".into(), text: text.to_string() };
    let mut stages =
        driver::compile_ir_with(&src, Extras { no_jacobian: true }).unwrap_or_else(|d| panic!("compiles: {d:?}"));
    let native = driver::compile_native(&src, &mut stages).expect("codegen");
    let model = CompiledModel::new(native.entries, native.meta, &DataFile::empty()).expect("loads");
    std::mem::forget(native.jit);
    model
}

fn lp(model: &CompiledModel, x: &[f64], jacobian: bool) -> f64 {
    let mut grad = vec![0.0; x.len()];
    model.gradient_with_jacobian(x, jacobian, &mut grad).expect("finite at the test point")
}

/// Every way a Jacobian term reaches the target: scalar bounds, an affine transform, a simplex,
/// a covariance matrix, a Cholesky factor of a correlation matrix, `jacobian +=` in transformed
/// parameters (directly and in a user's `_jacobian` function) and a built-in `_jacobian`
/// function.
const CONSTRAINED: &str = "
functions {
  real exp_jacobian(real u) {
    jacobian += u;
    return exp(u);
  }
}
parameters {
  real<lower=0> sigma;
  real<lower=-1, upper=3> p;
  real<offset=1, multiplier=2> a;
  simplex[3] s;
  cov_matrix[2] S;
  cholesky_factor_corr[3] L;
  real u;
  real w;
}
transformed parameters {
  real e = exp_jacobian(u);
  real b = lower_bound_jacobian(w, 0.5);
  jacobian += 0.5 * w;
}
model {
  sigma ~ lognormal(0, 1);
  p ~ normal(1, 2);
  a ~ normal(0, 3);
  s ~ dirichlet([2, 3, 4]');
  S ~ wishart(4, identity_matrix(2));
  L ~ lkj_corr_cholesky(2);
  e ~ gamma(2, 1);
  b ~ normal(1, 1);
}
";

#[test]
fn the_gradient_without_the_jacobian_is_the_derivative_of_its_value() {
    let model = load(CONSTRAINED);
    let n = model.n_unconstrained();
    for seed in 0..4 {
        let x = point(n, seed, 1.0);
        let mut grad = vec![0.0; n];
        model.gradient_with_jacobian(&x, false, &mut grad).expect("finite");
        let h = 1e-6;
        for i in 0..n {
            let mut p = x.clone();
            p[i] = x[i] + h;
            let up = lp(&model, &p, false);
            p[i] = x[i] - h;
            let down = lp(&model, &p, false);
            let fd = (up - down) / (2.0 * h);
            assert!((grad[i] - fd).abs() <= 1e-5 * fd.abs().max(1.0), "seed {seed}: d/dx{i} = {} but {fd}", grad[i]);
        }
        // The density with the Jacobian differs from it.
        assert!((lp(&model, &x, true) - lp(&model, &x, false)).abs() > 1e-3);
    }
}

#[test]
fn the_difference_is_the_log_jacobian() {
    let model = load(
        "parameters { real<lower=0> sigma; real<lower=-1, upper=3> p; real u; }
         transformed parameters { real e = exp(u); jacobian += u; }
         model { sigma ~ exponential(1); p ~ normal(0, 1); e ~ gamma(2, 1); }",
    );
    let inv_logit = |x: f64| 1.0 / (1.0 + (-x).exp());
    for x in [[0.3, -0.7, 0.2], [-1.5, 2.0, -0.4], [0.0, 0.0, 0.0]] {
        // sigma = exp(x0): log|J| = x0; p = -1 + 4 inv_logit(x1): log 4 + log(q (1 − q));
        // the transformed parameter's `jacobian += u` adds x2.
        let q = inv_logit(x[1]);
        let by_hand = x[0] + 4f64.ln() + q.ln() + (1.0 - q).ln() + x[2];
        let difference = lp(&model, &x, true) - lp(&model, &x, false);
        assert!((difference - by_hand).abs() < 1e-12, "at {x:?}: {difference} against {by_hand}");
        // And the density with the Jacobian is the fit's.
        let mut grad = vec![0.0; 3];
        assert_eq!(lp(&model, &x, true), model.log_density_gradient(&x, &mut grad).expect("finite"));
    }
}

#[test]
fn a_model_compiled_without_it_says_so() {
    let model = tests::load_text("parameters { real<lower=0> s; } model { s ~ exponential(1); }").expect("loads");
    let mut grad = vec![0.0];
    let err = model.gradient_with_jacobian(&[0.0], false, &mut grad).expect_err("no such entry point");
    assert!(err.message.contains("without the Jacobian"), "{err}");
}
