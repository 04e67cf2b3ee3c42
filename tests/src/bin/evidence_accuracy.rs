//! vppl's log evidence against exact values (`tests::evidence_cases`): for each model and seeds
//! 1–5, the estimate, its MCSE, k̂, the draws it took, the seconds of the evidence alone and of
//! the whole fit, and the error in MCSEs. For BENCHMARKS.md.
//!
//! Run: `cargo run --release -p tests --bin evidence_accuracy`

use std::time::Instant;

use runtime::app;
use runtime::output::RunMethod;
use runtime::vi::ViConfig;
use tests::evidence_cases::{cases, settings};

fn main() {
    println!("| model | exact | seed | estimate ± MCSE | error / MCSE | k̂ | draws | evidence s | fit s |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for case in cases() {
        for seed in 1..=5 {
            let settings = settings(RunMethod::Vppl(ViConfig { seed, ..ViConfig::default() }));
            let start = Instant::now();
            let estimate = app::estimate(&case.model, &settings, &mut std::io::sink()).expect("the fit runs");
            let seconds = start.elapsed().as_secs_f64();
            let e = estimate.evidence.expect("an evidence");
            println!(
                "| {} | {:.4} | {seed} | {:.4} ± {} | {:+.2} | {:.2} | {} | {:.4} | {:.3} |",
                case.name,
                case.exact,
                e.log_evidence,
                runtime::output::format_g(e.mcse, 2),
                (e.log_evidence - case.exact) / e.mcse,
                e.khat,
                e.draws,
                e.seconds,
                seconds
            );
        }
    }
}
