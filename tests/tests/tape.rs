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

/// A sum a loop overwrites at every iteration, read by the reverse only after the loop: its
/// value before the loop is pushed once, before it, not at every iteration (`Ad::wrappable`;
/// bball's forward algorithm has two such loops per step).
#[test]
fn a_loop_keeps_a_sum_read_after_it_once() {
    let program = "parameters { real mu; }
model { real acc = 0; for (n in 1:3) { if (n > 1) acc += normal_lpdf(n | mu, 1); else acc += -mu * mu; } acc = acc * acc; target += acc; }";
    let source = Source { name: "sum".into(), path: "sum.stan".into(), text: program.into() };
    let stages = driver::compile_ir(&source).expect("compiles");
    let gradient = stages.opt_gradient.to_string();
    let in_loops = gradient.lines().filter(|l| l.starts_with("    ") && l.trim_start().starts_with("push ")).count();
    assert_eq!(in_loops, 0, "pushes inside the loop:\n{gradient}");
    assert!(pushes(&source) > 0, "the value before the loop is still kept:\n{gradient}");
    let model = tests::load_text(program).expect("loads");
    for x in [-0.7, 0.3, 1.9] {
        tests::assert_gradient_matches(&model, &[x], "the sum read after its loop");
    }
}
