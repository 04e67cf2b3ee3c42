//! Accuracy of vppl's variational inference against posteriordb's reference posteriors.
//!
//! For every posterior in `../shared/posteriordb/` whose `examples/<name>/model.vppl` compiles,
//! fits the default (full-rank) and the mean-field family with seeds 1, 2, 3, and compares the
//! draws' mean and sd of every reference parameter with the reference: z = |mean − ref| / ref_sd
//! and sd / ref_sd. A posterior passes when on all 3 seeds every z < 0.25 and every sd ratio is
//! within [1/1.3, 1.3]; mean-field is also counted on the means alone.
//!
//! Run: `cargo run --release -p tests --bin vi_accuracy [-- [--verbose] [--family fullrank|meanfield|lowrank:K] [NAME-FILTER]]`

use std::path::PathBuf;
use std::time::Instant;

use runtime::Model;
use runtime::advi;
use runtime::vi::{self, Family, ViConfig};
use tests::{load, root};

const SEEDS: [u64; 3] = [1, 2, 3];
const Z_MAX: f64 = 0.25;
const SD_FACTOR: f64 = 1.3;

struct Reference {
    name: String,
    mean: f64,
    sd: f64,
}

fn references(dir: &PathBuf) -> Vec<Reference> {
    let text = std::fs::read_to_string(dir.join("reference.json")).expect("reference.json is readable");
    let json: serde_json::Value = serde_json::from_str(&text).expect("reference.json parses");
    json["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .map(|p| Reference {
            name: p["name"].as_str().expect("name").to_string(),
            mean: p["mean"].as_f64().expect("mean"),
            sd: p["sd"].as_f64().expect("sd"),
        })
        .collect()
}

/// One fit's comparison with the reference.
struct SeedResult {
    max_z: f64,
    worst: String,
    sd_lo: f64,
    sd_hi: f64,
    khat: f64,
    elbo: f64,
    elbo_mcse: f64,
    gradient_evals: usize,
    seconds: f64,
    converged: bool,
}

fn run_one(
    model: &dyn Model,
    refs: &[Reference],
    family: Family,
    seed: u64,
    verbose: bool,
) -> Result<SeedResult, String> {
    let config = ViConfig { family, seed, ..ViConfig::default() };
    let start = Instant::now();
    let mut log: Vec<u8> = Vec::new();
    let result = vi::fit(model, None, &config, &mut log);
    let seconds = start.elapsed().as_secs_f64();
    if verbose {
        eprintln!("{}", String::from_utf8_lossy(&log));
    }
    let result = result.map_err(|e| e.to_string())?;
    let rows = advi::constrained_draws(model, &result.fit, seed, &mut std::io::sink()).map_err(|e| e.to_string())?;
    let names: Vec<String> = model.output_names().iter().map(|n| n.display()).collect();
    let draws = &rows[1..];
    let mut out = SeedResult {
        max_z: 0.0,
        worst: String::new(),
        sd_lo: f64::INFINITY,
        sd_hi: 0.0,
        khat: result.diagnostics.khat,
        elbo: result.diagnostics.elbo,
        elbo_mcse: result.diagnostics.elbo_mcse,
        gradient_evals: result.diagnostics.gradient_evals,
        seconds,
        converged: result.diagnostics.converged,
    };
    for r in refs {
        let Some(col) = names.iter().position(|n| *n == r.name) else {
            return Err(format!("no output column {}", r.name));
        };
        let values: Vec<f64> = draws.iter().map(|row| row[col]).collect();
        let k = values.len() as f64;
        let mean = values.iter().sum::<f64>() / k;
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
        let z = if mean.is_nan() { f64::INFINITY } else { (mean - r.mean).abs() / r.sd };
        let ratio = if sd.is_nan() { f64::INFINITY } else { sd / r.sd };
        if z > out.max_z || z.is_nan() {
            out.max_z = z;
            out.worst = format!("{}: {mean:.3} vs {:.3}", r.name, r.mean);
        }
        out.sd_lo = out.sd_lo.min(ratio);
        out.sd_hi = out.sd_hi.max(ratio);
    }
    Ok(out)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let mut families = vec![Family::FullRank, Family::MeanField];
    let mut filter: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--verbose" => {}
            "--family" => {
                i += 1;
                families = args[i]
                    .split(',')
                    .map(|f| match f {
                        "fullrank" => Family::FullRank,
                        "meanfield" => Family::MeanField,
                        other => match other.strip_prefix("lowrank:") {
                            Some(k) => Family::LowRank { rank: k.parse().expect("rank") },
                            None => panic!("unknown family {other}"),
                        },
                    })
                    .collect();
            }
            other => filter = Some(other.to_string()),
        }
        i += 1;
    }

    let pdb = root().parent().expect("repo has a parent").join("shared/posteriordb");
    let mut posteriors: Vec<PathBuf> = std::fs::read_dir(&pdb)
        .expect("posteriordb folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter(|p| filter.as_ref().is_none_or(|f| p.file_name().unwrap().to_string_lossy().contains(f.as_str())))
        .collect();
    posteriors.sort();

    println!("| posterior | family | max z | sd ratio | k̂ | ELBO ± mcse | gradient evals | seconds | pass |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut pass_full = vec![0usize; families.len()];
    let mut pass_means = vec![0usize; families.len()];
    let mut compiled = 0;
    let mut not_compiled = Vec::new();
    for dir in &posteriors {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let model_path = root().join("examples").join(&name).join("model.vppl");
        let model = match load(&model_path) {
            Ok((model, _)) => model,
            Err(err) => {
                let first = err.lines().next().unwrap_or("").chars().take(80).collect::<String>();
                println!("| {name} | — | does not compile: {first} | | | | | | |");
                not_compiled.push(name);
                continue;
            }
        };
        compiled += 1;
        let refs = references(dir);
        for (fi, &family) in families.iter().enumerate() {
            let mut results = Vec::new();
            let mut error = None;
            for seed in SEEDS {
                match run_one(&model, &refs, family, seed, verbose) {
                    Ok(r) => results.push(r),
                    Err(e) => {
                        error = Some(e);
                        break;
                    }
                }
            }
            if let Some(e) = error {
                println!("| {name} | {} | error: {e} | | | | | | no |", family.name());
                continue;
            }
            let max_z = results.iter().map(|r| r.max_z).fold(0.0, f64::max);
            let worst = &results.iter().max_by(|a, b| a.max_z.total_cmp(&b.max_z)).unwrap().worst;
            let sd_lo = results.iter().map(|r| r.sd_lo).fold(f64::INFINITY, f64::min);
            let sd_hi = results.iter().map(|r| r.sd_hi).fold(0.0, f64::max);
            let khats: Vec<String> = results.iter().map(|r| format!("{:.2}", r.khat)).collect();
            let means_ok = max_z < Z_MAX;
            let all_ok = means_ok && sd_lo >= 1.0 / SD_FACTOR && sd_hi <= SD_FACTOR;
            if all_ok {
                pass_full[fi] += 1;
            }
            if means_ok {
                pass_means[fi] += 1;
            }
            let grads = results.iter().map(|r| r.gradient_evals).sum::<usize>() / results.len();
            let seconds = results.iter().map(|r| r.seconds).sum::<f64>() / results.len() as f64;
            let unconverged = results.iter().filter(|r| !r.converged).count();
            println!(
                "| {name} | {} | {max_z:.3} ({worst}) | {sd_lo:.2}–{sd_hi:.2} | {} | {:.2} ± {:.2} | {grads} | {seconds:.2} | {}{} |",
                family.name(),
                khats.join(" "),
                results[0].elbo,
                results[0].elbo_mcse,
                if all_ok {
                    "yes"
                } else if means_ok {
                    "means"
                } else {
                    "no"
                },
                if unconverged > 0 { format!(" ({unconverged} not converged)") } else { String::new() },
            );
        }
    }
    println!();
    println!("{} posteriors, {} compile.", posteriors.len(), compiled);
    for name in &not_compiled {
        println!("does not compile yet: {name}");
    }
    for (fi, family) in families.iter().enumerate() {
        println!(
            "{}: every z < {Z_MAX} and every sd ratio within a factor {SD_FACTOR} on all 3 seeds: {}/{}; every z < {Z_MAX}: {}/{}",
            family.name(),
            pass_full[fi],
            posteriors.len(),
            pass_means[fi],
            posteriors.len()
        );
    }
}
