//! Posterior summaries of the approximate draws: a stansummary-like table and a JSON object.
//!
//! Quantiles use linear interpolation between order statistics (Hyndman and Fan's type 7, R's
//! default): for probability p and n sorted draws, the value at 0-based position `(n - 1) p`.
//! This is how Stan's `stan::mcmc::chains::quantile`, which CmdStan's stansummary used, computes
//! them.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::advi::AdviResult;
use crate::model::OutputName;
use crate::output::format_g;

/// The summary of one output column.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSummary {
    /// Display form: `theta[1,2]`.
    pub name: String,
    pub mean: f64,
    /// Standard deviation with the n − 1 denominator.
    pub sd: f64,
    pub q5: f64,
    pub q50: f64,
    pub q95: f64,
}

/// Summarises every output column over the draws, leaving out row 0 (the mean of q).
///
/// `constrained` is what [`crate::advi::constrained_draws`] returns: the mean row, then one row
/// per draw. NaN entries (rows whose generated quantities failed) make that column's summary NaN,
/// so a failure is visible rather than silently averaged away.
pub fn summarize(output_names: &[OutputName], constrained: &[Vec<f64>]) -> Vec<ParamSummary> {
    let draws = constrained.get(1..).unwrap_or(&[]);
    output_names
        .iter()
        .enumerate()
        .map(|(column, name)| {
            let mut values: Vec<f64> = draws.iter().map(|row| row[column]).collect();
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            let has_nan = values.iter().any(|v| v.is_nan());
            values.sort_by(f64::total_cmp);
            let quantile = |p: f64| {
                if has_nan { f64::NAN } else { quantile_sorted(&values, p) }
            };
            ParamSummary { name: name.display(), mean, sd, q5: quantile(0.05), q50: quantile(0.5), q95: quantile(0.95) }
        })
        .collect()
}

/// Like [`summarize`], with the draws (row 0 left out) weighted by `weights` (normalised
/// importance weights, one per draw, such as PSIS's): weighted mean and sd, and quantiles of the
/// weighted empirical distribution.
pub fn summarize_weighted(output_names: &[OutputName], constrained: &[Vec<f64>], weights: &[f64]) -> Vec<ParamSummary> {
    let draws = constrained.get(1..).unwrap_or(&[]);
    let total: f64 = weights.iter().filter(|w| w.is_finite()).sum();
    output_names
        .iter()
        .enumerate()
        .map(|(column, name)| {
            let mut pairs: Vec<(f64, f64)> = draws
                .iter()
                .zip(weights)
                .filter(|(_, w)| w.is_finite() && **w > 0.0)
                .map(|(row, w)| (row[column], w / total))
                .collect();
            let mean: f64 = pairs.iter().map(|(v, w)| v * w).sum();
            let var: f64 = pairs.iter().map(|(v, w)| w * (v - mean).powi(2)).sum();
            pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let quantile = |p: f64| {
                let mut acc = 0.0;
                for (v, w) in &pairs {
                    acc += w;
                    if acc >= p {
                        return *v;
                    }
                }
                pairs.last().map_or(f64::NAN, |(v, _)| *v)
            };
            ParamSummary {
                name: name.display(),
                mean,
                sd: var.sqrt(),
                q5: quantile(0.05),
                q50: quantile(0.5),
                q95: quantile(0.95),
            }
        })
        .collect()
}

/// Prints the table: a header row `Mean SD 5% 50% 95%`, then one row per column with
/// `sig_figs` significant digits, right-aligned, names left-aligned (stansummary's layout,
/// restricted to these columns).
pub fn print_summary(out: &mut dyn Write, summaries: &[ParamSummary], sig_figs: usize) -> io::Result<()> {
    let headers = ["Mean", "SD", "5%", "50%", "95%"];
    let cells: Vec<[String; 5]> =
        summaries.iter().map(|s| [s.mean, s.sd, s.q5, s.q50, s.q95].map(|v| format_g(v, sig_figs))).collect();
    let name_width = summaries.iter().map(|s| s.name.chars().count()).max().unwrap_or(0).max(4);
    let mut widths = headers.map(str::len);
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let mut line = format!("{:name_width$}", "");
    for (header, width) in headers.iter().zip(widths) {
        line.push_str(&format!("  {header:>width$}"));
    }
    writeln!(out, "{}", line.trim_end())?;
    writeln!(out)?;
    for (summary, row) in summaries.iter().zip(&cells) {
        let mut line = format!("{:name_width$}", summary.name);
        for (cell, width) in row.iter().zip(widths) {
            line.push_str(&format!("  {cell:>width$}"));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// `{"elbo", "converged", "iterations", "compile_ms", "parameters": {"theta[1]": {"mean", "sd",
/// "q5", "q50", "q95"}, …}}`. Non-finite numbers become `null`, as JSON has no NaN.
pub fn summary_json(fit: &AdviResult, summaries: &[ParamSummary], compile_ms: f64) -> Value {
    let mut parameters = Map::new();
    for s in summaries {
        parameters.insert(s.name.clone(), json!({"mean": s.mean, "sd": s.sd, "q5": s.q5, "q50": s.q50, "q95": s.q95}));
    }
    json!({
        "elbo": fit.elbo,
        "converged": fit.converged,
        "iterations": fit.iterations,
        "compile_ms": compile_ms,
        "parameters": Value::Object(parameters),
    })
}

/// Type-7 quantile of sorted values; NaN for no values.
pub(crate) fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = (sorted.len() - 1) as f64 * p;
    let lo = index.floor() as usize;
    let hi = index.ceil() as usize;
    let h = index - lo as f64;
    (1.0 - h) * sorted[lo] + h * sorted[hi]
}
