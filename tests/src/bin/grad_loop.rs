//! Evaluates one model's gradient a given number of times, for instruction counting under
//! `valgrind --tool=callgrind` (repeatable on a busy machine, unlike wall time):
//!
//! `valgrind --tool=callgrind target/release/grad_loop examples/peers/linreg/model.vppl 200`
//! minus the same with 0 evaluations gives the instructions of 200 gradients.

use runtime::Model;
use tests::{load, point};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(n)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: grad_loop MODEL ITERATIONS");
        std::process::exit(2);
    };
    let n: usize = n.parse().unwrap_or(0);
    let (model, _) = load(std::path::Path::new(path)).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let x = point(model.n_unconstrained(), 1, 1.0);
    let mut grad = vec![0.0; x.len()];
    let mut total = 0.0;
    for _ in 0..n {
        total += model.log_density_gradient(&x, &mut grad).unwrap_or(f64::NAN);
    }
    println!("{total}");
}
