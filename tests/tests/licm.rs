//! Loop-invariant code motion of elements of containers of constant sizes (`opt::licm`).

use compiler::driver;
use tests::{root, source};

/// uk_drivers reads `sigma[1]` and `sigma[2]` (a `positive_ordered[3]`) inside its loops over
/// time: each is read once before its loop, so the `log` and the reciprocal of the scale are
/// not computed at every step, and the index checks on `sigma` fold away (its size is 3).
#[test]
fn uk_drivers_scales_are_read_before_the_loops() {
    let path = root().join("examples/uk_drivers-state_space_stochastic_level_stochastic_seasonal/model.vppl");
    let stages = driver::compile_ir(&source(&path)).expect("compiles");
    let gradient = stages.opt_gradient.to_string();
    // Top-level statements are indented by two spaces; a loop body's by more.
    let in_loops: Vec<&str> = gradient
        .lines()
        .filter(|l| l.starts_with("    ") && (l.contains(" = log %") || l.contains(" = div 1.0, ")))
        .collect();
    assert!(in_loops.is_empty(), "computed at every step:\n{}", in_loops.join("\n"));
    assert!(!gradient.contains("dimension 1 of size {}\" [1,"), "sigma[1] is still checked:\n{gradient}");
}
