//! `vppl compare`: fits several models to data and compares them by their evidence (log Bayes
//! factors, with errors) and, for models that write `log_lik`, by PSIS-LOO as R's
//! `loo_compare` and ArviZ's `compare` do.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use runtime::Model as _;
use runtime::app;
use runtime::evidence::Evidence;
use runtime::loo::{self, Loo};
use runtime::output::format_g;
use serde_json::{Map, Value, json};

use super::{Failure, FitArgs, ModelArgs};

#[derive(clap::Args)]
pub struct CompareArgs {
    /// The models (`.vppl` or `.stan`). Each may name its own data as `MODEL:DATA.json`; without
    /// it and without --data, a model's data is found beside it as `vppl run` finds it.
    #[arg(required = true, value_name = "MODEL")]
    models: Vec<String>,
    /// Data for every model, in CmdStan's JSON format.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Print a JSON list with one object per model, in the order given, instead of the tables.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    fit: FitArgs,
}

/// What one model's fit gave.
struct Row {
    name: String,
    model: PathBuf,
    data: String,
    /// ELBO and its MCSE, from the output draws.
    elbo: (f64, f64),
    /// k̂ of q against the posterior.
    khat: f64,
    evidence: Evidence,
    loo: Option<Loo>,
    seconds: f64,
}

/// A model and its data from one argument: `MODEL` or `MODEL:DATA.json`.
fn model_args(spec: &str, data: &Option<PathBuf>) -> Result<ModelArgs, Failure> {
    let (model, own) = match spec.rsplit_once(':') {
        Some((model, d)) if d.ends_with(".json") && !model.is_empty() => (model, Some(PathBuf::from(d))),
        _ => (spec, None),
    };
    if own.is_some() && data.is_some() {
        return Err(Failure::Message(format!(
            "`{spec}` names its own data and --data gives data for every model; use one or the other"
        )));
    }
    Ok(ModelArgs { model: PathBuf::from(model), data: own.or_else(|| data.clone()) })
}

/// Distinct names for the rows: the models' names, or their paths where two names coincide.
fn names(models: &[ModelArgs]) -> Vec<String> {
    let short: Vec<String> = models.iter().map(|m| super::model_name(&m.model)).collect();
    models
        .iter()
        .zip(&short)
        .map(
            |(m, s)| {
                if short.iter().filter(|o| *o == s).count() > 1 { m.model.display().to_string() } else { s.clone() }
            },
        )
        .collect()
}

pub fn compare(a: CompareArgs) -> Result<(), Failure> {
    if a.fit.evidence_draws == 0 {
        return Err(Failure::Message(
            "vppl compare compares log evidences; --evidence-draws 0 would skip them (give a budget above 0)".into(),
        ));
    }
    let models = a.models.iter().map(|m| model_args(m, &a.data)).collect::<Result<Vec<_>, _>>()?;
    let names = names(&models);
    // Compile every model and load its data first: a mistake in the last one shows before any
    // time goes into fitting the first.
    let mut compiled = Vec::with_capacity(models.len());
    for m in &models {
        let (model, _, _) = super::build(m)?;
        compiled.push(model);
    }
    let progress = std::io::stderr().is_terminal();
    let mut rows = Vec::with_capacity(models.len());
    for (i, ((m, model), name)) in models.iter().zip(&compiled).zip(&names).enumerate() {
        if progress {
            let _ = writeln!(std::io::stderr(), "Fitting {name} ({} of {})", i + 1, models.len());
        }
        let data = super::data_path(m).map(|p| p.display().to_string()).unwrap_or_default();
        let settings = super::base_settings(&a.fit, name.clone(), data.clone())?;
        let start = Instant::now();
        let estimate = app::estimate(model, &settings, &mut std::io::sink())
            .map_err(|e| Failure::Message(format!("fitting `{}`: {e}", m.model.display())))?;
        let evidence = estimate.evidence.expect("compare runs with an evidence budget");
        let columns = loo::log_lik_columns(model.output_names());
        let draws = estimate.constrained.get(1..).unwrap_or(&[]);
        let loo = loo::psis_loo(draws, &estimate.verdict.psis.log_weights, &columns);
        rows.push(Row {
            name: name.clone(),
            model: m.model.clone(),
            data,
            elbo: estimate.verdict.draws_elbo,
            khat: estimate.verdict.khat,
            evidence,
            loo,
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    let comparison = Comparison::new(rows);
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&comparison.json()).map_err(|e| e.to_string())?);
    } else {
        let mut text = Vec::new();
        let _ = comparison.print(&mut text);
        out!("{}", String::from_utf8_lossy(&text));
    }
    Ok(())
}

/// The rows with what is measured against the best of them.
struct Comparison {
    rows: Vec<Row>,
    /// The row with the highest log evidence among the reliable ones (or among all, if none is).
    best: usize,
    /// The row with the highest elpd_loo, if any model writes `log_lik`.
    best_loo: Option<usize>,
}

impl Comparison {
    fn new(rows: Vec<Row>) -> Comparison {
        let highest = |reliable_only: bool| {
            (0..rows.len())
                .filter(|&i| !reliable_only || rows[i].evidence.reliable())
                .max_by(|&i, &j| rows[i].evidence.log_evidence.total_cmp(&rows[j].evidence.log_evidence))
        };
        let best = highest(true).or_else(|| highest(false)).unwrap_or(0);
        let best_loo = (0..rows.len())
            .filter(|&i| rows[i].loo.is_some())
            .max_by(|&i, &j| loo_elpd(&rows[i]).total_cmp(&loo_elpd(&rows[j])));
        Comparison { rows, best, best_loo }
    }

    /// log Bayes factor of row `i` against the best, and its standard error (the two estimates
    /// are independent).
    fn log_bf(&self, i: usize) -> (f64, f64) {
        let (e, b) = (&self.rows[i].evidence, &self.rows[self.best].evidence);
        if i == self.best {
            return (0.0, 0.0);
        }
        (e.log_evidence - b.log_evidence, e.mcse.hypot(b.mcse))
    }

    /// elpd_loo difference of row `i` from the best, and its standard error from the paired
    /// pointwise differences (NaN when the models have different numbers of observations).
    fn elpd_diff(&self, i: usize) -> Option<(f64, f64)> {
        let (loo, best) = (self.rows[i].loo.as_ref()?, self.rows[self.best_loo?].loo.as_ref()?);
        let se = if loo.pointwise.len() == best.pointwise.len() {
            let diff: Vec<f64> = loo.pointwise.iter().zip(&best.pointwise).map(|(a, b)| a - b).collect();
            loo::paired_se(&diff)
        } else {
            f64::NAN
        };
        Some((loo.elpd - best.elpd, if Some(i) == self.best_loo { 0.0 } else { se }))
    }

    fn print(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let width = self.rows.iter().map(|r| r.name.chars().count()).max().unwrap_or(5).max(5);
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        order.sort_by(|&i, &j| self.rows[j].evidence.log_evidence.total_cmp(&self.rows[i].evidence.log_evidence));
        writeln!(out, "Model comparison by evidence")?;
        writeln!(out)?;
        writeln!(
            out,
            "{:width$}  {:>20}  {:>20}  {:>6}  {:>17}",
            "model", "ELBO", "log evidence", "k̂", "log BF vs best"
        )?;
        for &i in &order {
            let r = &self.rows[i];
            let (bf, bf_se) = self.log_bf(i);
            let bf = if i == self.best { "0 (best)".to_string() } else { plus_minus(bf, bf_se) };
            let flag = if r.evidence.reliable() { "" } else { "  !" };
            writeln!(
                out,
                "{:width$}  {:>20}  {:>20}  {:>5}  {:>17}{flag}",
                r.name,
                plus_minus(r.elbo.0, r.elbo.1),
                plus_minus(r.evidence.log_evidence, r.evidence.mcse),
                khat(r.evidence.khat),
                bf
            )?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "log evidence: log p(y) by importance sampling from each fit, ± its Monte Carlo standard error; \
             k̂ is its Pareto k̂."
        )?;
        writeln!(
            out,
            "log BF: log p(y | model) − log p(y | best). Against the best, below −1 is positive evidence for \
             the best, below −3 strong, below −5 very strong (Kass and Raftery 1995)."
        )?;
        for &i in &order {
            let r = &self.rows[i];
            if !r.evidence.reliable() {
                writeln!(out, "! {}: the log evidence is {}.", r.name, r.evidence.verdict())?;
            }
        }
        let with_loo: Vec<usize> = order.iter().copied().filter(|&i| self.rows[i].loo.is_some()).collect();
        if with_loo.is_empty() {
            return Ok(());
        }
        let mut by_elpd = with_loo.clone();
        by_elpd.sort_by(|&i, &j| loo_elpd(&self.rows[j]).total_cmp(&loo_elpd(&self.rows[i])));
        writeln!(out)?;
        writeln!(out, "PSIS-LOO (models that write log_lik)")?;
        writeln!(out)?;
        writeln!(
            out,
            "{:width$}  {:>10}  {:>7}  {:>7}  {:>10}  {:>7}  {:>9}",
            "model", "elpd_loo", "se", "p_loo", "elpd_diff", "se_diff", "k̂ > 0.7"
        )?;
        for &i in &by_elpd {
            let r = &self.rows[i];
            let loo = r.loo.as_ref().expect("rows with LOO");
            let (diff, se_diff) = self.elpd_diff(i).unwrap_or((f64::NAN, f64::NAN));
            writeln!(
                out,
                "{:width$}  {:>10.1}  {:>7.1}  {:>7.1}  {:>10}  {:>7}  {:>8}",
                r.name,
                loo.elpd,
                loo.se,
                loo.p_loo,
                one_decimal(diff),
                if se_diff.is_nan() { "—".to_string() } else { format!("{se_diff:.1}") },
                format!("{}/{}", loo.bad_khats(), loo.khats.len())
            )?;
        }
        let without: Vec<&str> =
            order.iter().filter(|&&i| self.rows[i].loo.is_none()).map(|&i| self.rows[i].name.as_str()).collect();
        writeln!(out)?;
        writeln!(
            out,
            "elpd_diff: elpd_loo − the best's, with the standard error of the paired differences; a difference \
             within about 2 se_diff is not one to act on."
        )?;
        if with_loo.iter().any(|&i| self.rows[i].loo.as_ref().is_some_and(|l| l.bad_khats() > 0)) {
            writeln!(
                out,
                "Some observations have k̂ > 0.7: their leave-one-out terms are not reliable, and the elpd_loo \
                 of those models may be too high."
            )?;
        }
        if !without.is_empty() {
            writeln!(out, "Not in the LOO table (no log_lik in generated quantities): {}.", without.join(", "))?;
        }
        Ok(())
    }

    fn json(&self) -> Value {
        let mut rank: Vec<usize> = (0..self.rows.len()).collect();
        rank.sort_by(|&i, &j| self.rows[j].evidence.log_evidence.total_cmp(&self.rows[i].evidence.log_evidence));
        let rows = self.rows.iter().enumerate().map(|(i, r)| {
            let mut obj = Map::new();
            obj.insert("model".into(), json!(r.name));
            obj.insert("path".into(), json!(r.model.display().to_string()));
            obj.insert("data".into(), json!(r.data));
            obj.insert("elbo".into(), json!(r.elbo.0));
            obj.insert("elbo_mcse".into(), json!(r.elbo.1));
            app::evidence_json(&mut obj, &r.evidence);
            obj.insert("khat".into(), json!(r.khat));
            obj.insert("rank".into(), json!(rank.iter().position(|&j| j == i).map(|p| p + 1)));
            let (bf, bf_se) = self.log_bf(i);
            obj.insert("log_bayes_factor".into(), json!(bf));
            obj.insert("log_bayes_factor_se".into(), json!(bf_se));
            obj.insert("best".into(), json!(i == self.best));
            if let Some(loo) = &r.loo {
                let (diff, se) = self.elpd_diff(i).unwrap_or((f64::NAN, f64::NAN));
                obj.insert("elpd_loo".into(), json!(loo.elpd));
                obj.insert("elpd_loo_se".into(), json!(loo.se));
                obj.insert("p_loo".into(), json!(loo.p_loo));
                obj.insert("elpd_diff".into(), json!(diff));
                obj.insert("elpd_diff_se".into(), json!(se));
                obj.insert("loo_khat_above_0_7".into(), json!(loo.bad_khats()));
                obj.insert("loo_pareto_k".into(), json!(loo.khats.iter().map(|&k| json!(k)).collect::<Vec<_>>()));
                obj.insert("loo_observations".into(), json!(loo.khats.len()));
            }
            obj.insert("seconds".into(), json!(r.seconds));
            Value::Object(obj)
        });
        Value::Array(rows.collect())
    }
}

/// k̂ to two decimals, `-inf` when the ratios were all equal (q is the posterior).
fn khat(k: f64) -> String {
    if k == f64::NEG_INFINITY { "-inf".into() } else { format!("{k:.2}") }
}

/// One decimal, never `-0.0`.
fn one_decimal(x: f64) -> String {
    let text = format!("{x:.1}");
    if text == "-0.0" { "0.0".into() } else { text }
}

fn loo_elpd(r: &Row) -> f64 {
    r.loo.as_ref().map_or(f64::NEG_INFINITY, |l| l.elpd)
}

/// `−123.45 ± 0.012`: the value to two decimals (the errors that matter here are above 0.01),
/// the error to two significant digits.
fn plus_minus(value: f64, error: f64) -> String {
    if !value.is_finite() {
        return "—".into();
    }
    format!("{value:.2} ± {}", format_g(error, 2))
}
