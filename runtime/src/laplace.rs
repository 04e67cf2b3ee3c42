//! CmdStan's `laplace` method: draws from the normal approximation of the posterior at a mode,
//! on the unconstrained scale, whose covariance is the inverse of the negative Hessian of the
//! log density there (`CompiledModel::hessian`, or `hessian_no_jacobian` with `jacobian=0`:
//! exact, no finite differences).
//!
//! With `−H = L Lᵀ` (Cholesky), a draw is `θ̂ + L⁻ᵀ z` for z standard normal: its covariance
//! is `L⁻ᵀ L⁻¹ = (−H)⁻¹`. Each draw is constrained by `write_array`, and written with
//! `log_p__`, the model's log density there (constants of `~` dropped, the Jacobian included
//! unless `jacobian=0`, as CmdStan's `log_prob<true, jacobian>`), and `log_q__`, the approximation's unnormalised log density
//! `½ (θ − θ̂)ᵀ H (θ − θ̂) = −½ zᵀz`.

use std::io::Write;
use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::compiled::CompiledModel;
use crate::data::DataFile;
use crate::model::Model;
use crate::output::{format_g, parse_stan_csv};

/// What `laplace` was asked for, as its CSV header repeats it.
pub struct LaplaceSettings {
    pub mode_file: String,
    pub draws: usize,
    pub seed: u64,
    pub data_file: String,
    pub output_file: String,
    pub sig_figs: usize,
    /// With the Jacobian of the constraining transforms (CmdStan's default), or without it
    /// (about a mode that `optimize`'s default, `jacobian=0`, found).
    pub jacobian: bool,
}

/// The draws of the approximation: per draw, `log_p__`, `log_q__` and the constrained values.
pub struct LaplaceDraws {
    pub rows: Vec<(f64, f64, Vec<f64>)>,
}

/// The mode as constrained parameter values: a JSON file of them (as an init file), or the
/// last row of a CmdStan `optimize` CSV, whose columns name each element (`theta.2`).
pub fn read_mode(model: &CompiledModel, path: &Path) -> Result<DataFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let in_file = |e: String| format!("in `{}`: {e}", path.display());
    if path.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")) {
        mode_from_csv(model, &text).map_err(in_file)
    } else {
        crate::data::parse_data_file(&text).map_err(|e| in_file(e.to_string()))
    }
}

/// The parameters of the last row of a Stan CSV, as the JSON of constrained values that
/// `unconstrain` reads: each parameter's elements, found by their column names, nested in
/// arrays by their indices (first index outermost).
fn mode_from_csv(model: &CompiledModel, text: &str) -> Result<DataFile, String> {
    let csv = parse_stan_csv(text)?;
    let row = csv.rows.last().ok_or("no row of values (an optimize CSV has one)")?;
    let json = crate::methods::parameters_json(model, &csv.columns, row)?;
    crate::data::parse_data_file(&json).map_err(|e| e.to_string())
}

/// `draws` draws of the approximation at the unconstrained mode `mode`, with the stream `seed`
/// (the normal draws and `write_array`'s `_rng`s share it, as in CmdStan). An error when the
/// model has no Hessian, when the negative Hessian at the mode is not positive definite (the
/// point is no maximum), or when the model cannot be evaluated.
pub fn draws(
    model: &CompiledModel,
    mode: &[f64],
    draws: usize,
    seed: u64,
    jacobian: bool,
) -> Result<LaplaceDraws, String> {
    let n = mode.len();
    let h = if jacobian { model.hessian(mode) } else { model.hessian_no_jacobian(mode) }.map_err(|e| e.message)?;
    // −H, symmetrised (the two triangles agree to rounding).
    let mut negative = vec![0.0; n * n];
    for j in 0..n {
        for i in 0..n {
            negative[j * n + i] = -0.5 * (h.hessian[j * n + i] + h.hessian[i * n + j]);
        }
    }
    let mut l = vec![0.0; n * n];
    stdlib::linalg::cholesky(&negative, n, &mut l).map_err(|e| {
        format!(
            "the negative Hessian of the log density at the mode is not positive definite ({e}): the mode is not a \
             maximum of the log density ({} the Jacobian), so it has no normal approximation",
            if jacobian { "with" } else { "without" }
        )
    })?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut outputs = vec![0.0; model.output_names().len()];
    let mut gradient = vec![0.0; n];
    let mut rows = Vec::with_capacity(draws);
    for m in 0..draws {
        let z: Vec<f64> = (0..n).map(|_| rng.sample(StandardNormal)).collect();
        let mut theta = z.clone();
        stdlib::linalg::solve_lower_t(&l, n, &mut theta);
        for (t, m) in theta.iter_mut().zip(mode) {
            *t += m;
        }
        let log_p = if jacobian {
            model.log_density(&theta, true)
        } else {
            model.gradient_with_jacobian(&theta, false, &mut gradient)
        }
        .unwrap_or(f64::NEG_INFINITY);
        let log_q = -0.5 * z.iter().map(|x| x * x).sum::<f64>();
        model.write_array(&theta, &mut rng, &mut outputs).map_err(|e| format!("draw {}: {e}", m + 1))?;
        rows.push((log_p, log_q, outputs.clone()));
    }
    Ok(LaplaceDraws { rows })
}

/// CmdStan's laplace CSV: the configuration as comments, `log_p__,log_q__,<outputs>`, a row
/// per draw.
pub fn write_csv(
    out: &mut dyn Write,
    model: &CompiledModel,
    settings: &LaplaceSettings,
    result: &LaplaceDraws,
) -> std::io::Result<()> {
    let mark = |is_default: bool| if is_default { " (Default)" } else { "" };
    writeln!(out, "# stan_version_major = 2")?;
    writeln!(out, "# stan_version_minor = 37")?;
    writeln!(out, "# stan_version_patch = 0")?;
    writeln!(out, "# model = {}_model", model.meta().name)?;
    writeln!(out, "# method = laplace")?;
    writeln!(out, "#   laplace")?;
    writeln!(out, "#     mode = {}", settings.mode_file)?;
    writeln!(out, "#     jacobian = {}{}", settings.jacobian, mark(settings.jacobian))?;
    writeln!(out, "#     draws = {}{}", settings.draws, mark(settings.draws == 1000))?;
    writeln!(out, "#     calculate_lp = true (Default)")?;
    writeln!(out, "# id = 1 (Default)")?;
    writeln!(out, "# data")?;
    writeln!(out, "#   file = {}", settings.data_file)?;
    writeln!(out, "# random")?;
    writeln!(out, "#   seed = {}", settings.seed)?;
    writeln!(out, "# output")?;
    writeln!(out, "#   file = {}", settings.output_file)?;
    writeln!(out, "#   sig_figs = {}", settings.sig_figs)?;
    let mut names = vec!["log_p__".to_string(), "log_q__".to_string()];
    names.extend(model.output_names().iter().map(|o| o.csv()));
    writeln!(out, "{}", names.join(","))?;
    for (log_p, log_q, values) in &result.rows {
        let row: Vec<String> = [*log_p, *log_q].iter().chain(values).map(|v| format_g(*v, settings.sig_figs)).collect();
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}
