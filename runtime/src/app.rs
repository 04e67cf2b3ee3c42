//! The fit application: what runs once a model is loaded, shared by `vppl run` (after it
//! compiles) and by every executable `vppl build` makes. Given the model and a run's settings it
//! fits (vppl's method or Stan's ADVI), judges the fit, prints the summary and writes Stan's
//! variational CSV, the fitted q and the optional files. One code path, so the same model, data,
//! settings and seed give the same numbers from either program.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::Model;
use crate::advi::{self, InitConfig};
use crate::compiled::CompiledModel;
use crate::evidence::{self, Evidence};
use crate::output::{CsvHeader, RunMethod};
use crate::{data, psis, summary, vi};

/// Where the fit starts.
#[derive(Clone, Debug, PartialEq)]
pub enum Init {
    /// Uniform on (−radius, radius) on the unconstrained scale; 0 is the origin.
    Radius(f64),
    /// A JSON file of constrained parameter values (parameters it lacks are drawn in (−2, 2)).
    File(PathBuf),
}

/// Everything a run needs besides the model.
#[derive(Clone, Debug)]
pub struct FitSettings {
    /// The algorithm and its settings (the seed among them, already resolved).
    pub method: RunMethod,
    pub init: Init,
    /// The initialisation as the user wrote it, for the CSV header.
    pub init_text: String,
    /// Weight the summary by the Pareto-smoothed importance weights.
    pub psis: bool,
    /// Stan's variational CSV; the fitted q goes beside it (`STEM.q.json`).
    pub output: PathBuf,
    pub summary_json: Option<PathBuf>,
    /// The ELBO trace (CmdStan's `diagnostic_file`).
    pub diagnostic_file: Option<PathBuf>,
    /// The model's name and data file, for the CSV header.
    pub model_name: String,
    pub data_file: String,
    /// How long compiling took, for the summary JSON (0 for a built executable).
    pub compile_ms: f64,
    /// How the user raises the iteration limit, for the warning when it was hit (`--iter`,
    /// `iter=`).
    pub iter_option: &'static str,
    /// Significant digits of the CSV's numbers, and CmdStan's `refresh` (echoed in the header).
    pub sig_figs: usize,
    pub refresh: usize,
    /// The budget of draws for the log evidence ([`evidence::EvidenceConfig::max_draws`]); 0
    /// skips it.
    pub evidence_draws: usize,
    /// Draws are added to the log evidence until its Monte Carlo standard error is below this.
    pub evidence_mcse: f64,
}

impl FitSettings {
    /// The fitted q's file: beside the CSV, `STEM.q.json`.
    pub fn q_path(&self) -> PathBuf {
        self.output.with_extension("q.json")
    }

    /// Every file the run writes can be written: checked before any time goes into the fit.
    pub fn check_writable(&self) -> Result<(), String> {
        crate::output::check_writable(&self.output)
            .map_err(|e| format!("cannot write output file `{}`: {e}", self.output.display()))?;
        let q = self.q_path();
        for p in self.summary_json.iter().chain(&self.diagnostic_file).chain(std::iter::once(&q)) {
            crate::output::check_writable(p).map_err(|e| format!("cannot write `{}`: {e}", p.display()))?;
        }
        Ok(())
    }
}

/// A data file in CmdStan's JSON format, read and parsed; the error names the file.
pub fn read_data_file(path: &Path) -> Result<data::DataFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read data file `{}`: {e}", path.display()))?;
    data::parse_data_file(&text).map_err(|e| format!("in data file `{}`: {e}", path.display()))
}

/// The model with its data loaded (`data_file` names the file they came from, empty for none):
/// the error says whether the data were refused or the model's own code failed on them.
pub fn with_data(
    entries: crate::compiled::Entries,
    meta: crate::compiled::ModelMeta,
    data: &data::DataFile,
    data_file: &str,
) -> Result<CompiledModel, String> {
    CompiledModel::new(entries, meta, data).map_err(|e| {
        if !e.from_data {
            // The model's own code failed (transformed data): the message has its line.
            format!("while computing transformed data: {}", e.message)
        } else if data_file.is_empty() {
            e.message
        } else {
            format!("in data file `{data_file}`: {}", e.message)
        }
    })
}

/// How far to trust a fit, whichever algorithm made it.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// PSIS of the output draws (uniform weights after importance resampling).
    pub psis: psis::Psis,
    /// Threads the fit ran on.
    pub threads: usize,
    pub khat: f64,
    /// The ELBO with every constant and its Monte Carlo standard error, from the output draws
    /// (for Stan's ADVI too, whose own ELBO estimate, the one its CSV and summary report, has
    /// no error).
    pub draws_elbo: (f64, f64),
    pub gradient_evals: Option<usize>,
    /// Why the fit did not converge, as the end-of-run warning says it; `None` if it did.
    pub unconverged: Option<String>,
}

/// A finished fit, before anything is written: what `vppl run` prints and writes, and what
/// `vppl compare` tabulates.
#[derive(Clone, Debug)]
pub struct Estimate {
    pub fit: advi::AdviResult,
    pub verdict: Verdict,
    /// The output draws on the constrained scale, every output column: row 0 the mean of q.
    pub constrained: Vec<Vec<f64>>,
    /// One summary per output column, as printed.
    pub summaries: Vec<summary::ParamSummary>,
    /// The draws' normalised importance weights when the summaries are weighted (`--psis`).
    pub weights: Option<Vec<f64>>,
    /// The log evidence, unless the run skipped it (`evidence_draws` 0).
    pub evidence: Option<Evidence>,
}

/// What a fit leaves for a caller that goes on with it (the REPL's `:summary`, `:draws`).
#[derive(Clone, Debug)]
pub struct Fitted {
    /// One summary per output column, as printed.
    pub summaries: Vec<summary::ParamSummary>,
    /// The output columns' names, and the draws: one row per draw, one value per column (the
    /// mean of q, the CSV's first row, left out).
    pub names: Vec<crate::model::OutputName>,
    pub draws: Vec<Vec<f64>>,
    pub elbo: f64,
    pub khat: f64,
    pub evidence: Option<Evidence>,
    /// The draws' normalised importance weights when the summaries are weighted (`--psis`).
    pub weights: Option<Vec<f64>>,
}

/// Fits `model` as `s` says and prints the run's log and summary to `out`, writing no file.
pub fn estimate(model: &CompiledModel, s: &FitSettings, out: &mut dyn Write) -> Result<Estimate, String> {
    if model.n_unconstrained() == 0 {
        return Err(format!(
            "`{}` has no parameters, so there is no posterior to fit; vppl cannot yet run generated \
             quantities alone as Stan's fixed_param sampler does. Declare the unknowns in a \
             parameters block, or compute fixed results in transformed data",
            model.meta().file
        ));
    }
    let seed = s.method.seed();
    // A file of initial values gives the starting point; a radius draws it.
    let (radius, given_init) = match &s.init {
        Init::Radius(radius) => (*radius, None),
        Init::File(path) => (2.0, Some(read_inits(model, path, seed)?)),
    };
    let iteration_limit = format!("the fit stopped at the iteration limit without converging; raise {}", s.iter_option);
    let (fit, verdict, proposals, progress) = match &s.method {
        RunMethod::StanAdvi(config) => {
            let _ = advi::write_experimental_message(&mut *out);
            let init = match &given_init {
                Some(init) => init.clone(),
                None => advi::random_inits(model, &InitConfig { seed, radius, ..InitConfig::default() }, &mut *out)
                    .map_err(|e| e.to_string())?,
            };
            let fit = advi::run_advi(model, &init, config, &mut *out).map_err(|e| e.to_string())?;
            // Stan does not judge its fit; vppl does, from the same output draws.
            let log_ratios: Vec<f64> = fit.log_p[1..].iter().zip(&fit.log_g[1..]).map(|(p, g)| p - g).collect();
            let psis = psis::psis(&log_ratios);
            let unconverged = (!fit.converged).then(|| iteration_limit.clone());
            let q_constant = evidence::log_q_constant(&fit.approximation);
            let draws_elbo = vi::mean_and_se(&log_ratios.iter().map(|r| r - q_constant).collect::<Vec<_>>());
            // The evidence starts from Stan's draws, whitened (only when it is asked for).
            let proposals = if s.evidence_draws == 0 {
                Vec::new()
            } else {
                (1..fit.draws.len())
                    .map(|i| (fit.log_p[i], evidence::whiten(&fit.approximation, &fit.draws[i])))
                    .collect()
            };
            let verdict = Verdict { khat: psis.khat, draws_elbo, gradient_evals: None, unconverged, psis, threads: 1 };
            (fit, verdict, proposals, config.progress)
        }
        RunMethod::Vppl(config) => {
            let config = vi::ViConfig { init_radius: radius, ..config.clone() };
            // Stan's line, measured over about a millisecond rather than one call.
            let x = random_point(model.n_unconstrained(), seed);
            let mut grad = vec![0.0; x.len()];
            let start = Instant::now();
            let mut calls = 0u32;
            while (calls == 0 || start.elapsed().as_secs_f64() < 1e-3) && calls < 100_000 {
                let _ = model.log_density_gradient(&x, &mut grad);
                calls += 1;
            }
            let per_call = start.elapsed().as_secs_f64() / f64::from(calls);
            let _ = writeln!(out, "Gradient evaluation took {} seconds", crate::output::format_g(per_call, 6));
            let result = vi::fit(model, given_init.as_deref(), &config, &mut *out).map_err(|e| e.to_string())?;
            let d = &result.diagnostics;
            let verdict = Verdict {
                khat: d.khat,
                draws_elbo: (d.elbo, d.elbo_mcse),
                gradient_evals: Some(d.gradient_evals),
                unconverged: (!d.converged).then(|| {
                    if d.iterations >= config.max_iters {
                        iteration_limit.clone()
                    } else {
                        format!("the fit did not converge ({}); check k̂", d.stop_reason)
                    }
                }),
                psis: result.psis.clone(),
                threads: d.threads,
            };
            (result.fit, verdict, result.proposals, config.progress)
        }
    };
    let evidence = if s.evidence_draws == 0 {
        None
    } else {
        let config = evidence::EvidenceConfig {
            max_draws: s.evidence_draws,
            target_mcse: s.evidence_mcse,
            seed,
            threads: verdict.threads,
            progress,
            ..evidence::EvidenceConfig::default()
        };
        let estimate = evidence::estimate(model, &fit.approximation, &proposals, &config).map_err(|e| e.to_string())?;
        let _ = writeln!(out, "{}", estimate.line());
        Some(estimate)
    };
    let constrained = advi::constrained_draws(model, &fit, seed, &mut *out).map_err(|e| e.to_string())?;
    let weights: Option<Vec<f64>> = s.psis.then(|| verdict.psis.log_weights.iter().map(|w| w.exp()).collect());
    let summaries = if let Some(weights) = &weights {
        let _ = writeln!(out, "\nSummary weighted by Pareto-smoothed importance sampling (k̂ = {:.2}):", verdict.khat);
        summary::summarize_weighted(model.output_names(), &constrained, weights)
    } else {
        summary::summarize(model.output_names(), &constrained)
    };
    let _ = writeln!(out);
    let _ = summary::print_summary(&mut *out, &summaries, 3);
    if matches!(s.method, RunMethod::StanAdvi(_)) {
        // vppl's method reports these in its own log; Stan's does not.
        let _ = writeln!(out);
        let _ = writeln!(out, "ELBO: {:.3}", fit.elbo);
        let _ = writeln!(out, "Pareto k̂: {:.2}: {}", verdict.khat, psis::khat_verdict(verdict.khat));
    }
    if let Some(e) = evidence.as_ref().filter(|e| !e.reliable()) {
        let _ = writeln!(out, "Warning: the log evidence is {}.", e.verdict());
    }
    if let Some(why) = &verdict.unconverged {
        let _ = writeln!(out, "Warning: {why}.");
    }
    Ok(Estimate { fit, verdict, constrained, summaries, weights, evidence })
}

/// Fits `model` as `s` says, printing the run's log and summary to `out` and writing its files.
pub fn fit(model: &CompiledModel, s: &FitSettings, out: &mut dyn Write) -> Result<Fitted, String> {
    let Estimate { fit, verdict, constrained, summaries, weights, evidence } = estimate(model, s, out)?;
    let stan_advi = matches!(s.method, RunMethod::StanAdvi(_));
    let mut header = CsvHeader::new(&s.model_name, s.method.clone());
    header.data_file = s.data_file.clone();
    header.output_file = s.output.display().to_string();
    header.num_threads = verdict.threads;
    header.sig_figs = s.sig_figs;
    header.refresh = s.refresh;
    header.init = s.init_text.clone();
    header.diagnostic_file = s.diagnostic_file.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    header.stanc_version = format!("vppl {}", env!("CARGO_PKG_VERSION"));
    header.start_datetime = utc_now();
    crate::output::write_variational_csv(&s.output, &header, model.output_names(), &fit, &constrained)
        .map_err(|e| format!("cannot write output file `{}`: {e}", s.output.display()))?;
    let q_path = s.q_path();
    write_q(&q_path, model, &fit).map_err(|e| format!("cannot write `{}`: {e}", q_path.display()))?;
    if let Some(p) = &s.diagnostic_file {
        crate::output::write_elbo_trace(p, &header, &fit)
            .map_err(|e| format!("cannot write `{}`: {e}", p.display()))?;
    }
    let _ = writeln!(out, "\nWrote {} and {}", s.output.display(), q_path.display());
    if let Some(p) = &s.summary_json {
        let mut json = summary::summary_json(&fit, &summaries, s.compile_ms);
        if let Some(obj) = json.as_object_mut() {
            let name = if stan_advi { "stan-advi" } else { "vppl" };
            obj.insert("method".into(), serde_json::json!(name));
            obj.insert("khat".into(), serde_json::json!(verdict.khat));
            // Stan's ADVI reports its own ELBO estimate, which has no error.
            let elbo_mcse = (!stan_advi).then_some(verdict.draws_elbo.1);
            obj.insert("elbo_mcse".into(), serde_json::json!(elbo_mcse));
            obj.insert("gradient_evals".into(), serde_json::json!(verdict.gradient_evals));
            if let Some(e) = &evidence {
                evidence_json(obj, e);
            }
        }
        let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
        std::fs::write(p, text + "\n").map_err(|e| format!("cannot write summary file `{}`: {e}", p.display()))?;
    }
    let mut draws = constrained;
    if !draws.is_empty() {
        draws.remove(0);
    }
    Ok(Fitted {
        summaries,
        names: model.output_names().to_vec(),
        draws,
        elbo: fit.elbo,
        khat: verdict.khat,
        evidence,
        weights,
    })
}

/// The evidence's fields of a summary JSON (and of `vppl compare --json`): `log_evidence`,
/// `log_evidence_mcse`, and how it was found. Non-finite numbers become `null` (as `json!`
/// writes them).
pub fn evidence_json(obj: &mut serde_json::Map<String, serde_json::Value>, e: &Evidence) {
    obj.insert("log_evidence".into(), serde_json::json!(e.log_evidence));
    obj.insert("log_evidence_mcse".into(), serde_json::json!(e.mcse));
    obj.insert("log_evidence_khat".into(), serde_json::json!(e.khat));
    obj.insert("log_evidence_reliable".into(), serde_json::json!(e.reliable()));
    obj.insert("log_evidence_verdict".into(), serde_json::json!(e.verdict()));
    obj.insert("log_evidence_draws".into(), serde_json::json!(e.draws));
    obj.insert("log_evidence_max_draws".into(), serde_json::json!(e.max_draws));
    obj.insert("log_evidence_target_met".into(), serde_json::json!(e.target_met));
    obj.insert("log_evidence_seconds".into(), serde_json::json!(e.seconds));
}

/// The fitted q as JSON, on the unconstrained scale: its mean, and its standard deviations
/// (mean-field) or the lower-triangular Cholesky factor of its covariance (row-major).
fn write_q(path: &Path, model: &CompiledModel, fit: &advi::AdviResult) -> std::io::Result<()> {
    let approx = &fit.approximation;
    let mut json = serde_json::json!({
        "family": match approx.scale { advi::Scale::MeanField { .. } => "meanfield", advi::Scale::FullRank { .. } => "fullrank" },
        "dimension": approx.mu.len(),
        "mean": approx.mu,
        "sd": approx.sigma(),
        "output_names": model.output_names().iter().map(|n| n.display()).collect::<Vec<_>>(),
    });
    if let advi::Scale::FullRank { l_chol } = &approx.scale {
        json["cholesky_factor"] = serde_json::json!(l_chol);
    }
    let text = serde_json::to_string_pretty(&json).map_err(std::io::Error::other)?;
    std::fs::write(path, text + "\n")
}

/// The unconstrained starting point from a JSON file of constrained parameter values (CmdStan's
/// `init=FILE`); parameters the file lacks are drawn uniformly from (−2, 2). The log density
/// must be finite there: if not, the term to blame is named.
pub fn read_inits(model: &CompiledModel, path: &Path, seed: u64) -> Result<Vec<f64>, String> {
    use rand::SeedableRng as _;
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read init file `{}`: {e}", path.display()))?;
    let file = data::parse_data_file(&text).map_err(|e| format!("in init file `{}`: {e}", path.display()))?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let init =
        model.unconstrain(&file, &mut rng).map_err(|e| format!("in init file `{}`: {}", path.display(), e.message))?;
    match model.log_density(&init, false) {
        Ok(lp) if lp.is_finite() => Ok(init),
        Ok(_) | Err(_) => {
            let why = model.explain_non_finite(&init).unwrap_or_else(|| "the log density is not finite".into());
            Err(format!("the initial values of `{}` are not usable: {why}", path.display()))
        }
    }
}

/// A point uniform in (−2, 2)ⁿ from a tiny deterministic generator (where the gradient is
/// timed, and `diagnose`'s default point): no stream of the fit's generator is spent on it.
pub fn random_point(n: usize, seed: u64) -> Vec<f64> {
    let step = |s: u64| s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut state = step(seed);
    (0..n)
        .map(|_| {
            state = step(state);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            4.0 * u - 2.0
        })
        .collect()
}

/// A seed for a run given none (CmdStan's `seed=-1`): from the clock and the process id.
pub fn clock_seed() -> u64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    u64::from(nanos ^ std::process::id().rotate_left(16))
}

/// The current time as CmdStan writes it (`2026-11-23 15:16:43 UTC`).
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC", rem / 3600, rem % 3600 / 60, rem % 60)
}
