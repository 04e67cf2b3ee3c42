//! The gradient stores nothing the reverse sweep does not read (`ad::needed`).

use compiler::driver::{self, Source};
use tests::{root, source};

fn pushes(program: &Source) -> usize {
    let stages = driver::compile_ir(program).expect("compiles");
    let gradient = stages.opt_gradient.to_string();
    gradient.lines().filter(|l| l.trim_start().starts_with("push ") || l.contains("push_all")).count()
}

/// arK's inner loop overwrites `mu` at every step, but the loop over `t` is a reduction whose
/// reverse runs while its lets are bound, and the inner loop's reverse reads no `mu`: nothing
/// goes on the tape (it once pushed `mu` K times per observation).
#[test]
fn ark_gradient_uses_no_tape() {
    let path = root().join("examples/arK-arK/model.vppl");
    assert_eq!(pushes(&source(&path)), 0);
}

/// A recurrence whose reverse reads the state a later statement overwrites still keeps its
/// history (the state is not a reduction's local: it is bound outside the loop).
#[test]
fn recurrence_keeps_its_history() {
    let program = "parameters { vector<lower=0.1>[4] v; real<lower=0.1> s; }
model { real h = s; for (t in 1:4) { target += -log(h) - square(v[t]) / h; h = 0.5 + 0.3 * h * v[t]; } }";
    let source = Source { name: "recurrence".into(), path: "recurrence.stan".into(), text: program.into() };
    assert!(pushes(&source) > 0);
}
