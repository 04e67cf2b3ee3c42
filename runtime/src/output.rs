//! Stan's variational CSV, the ADVI diagnostic file (ELBO trace), and number formatting.
//!
//! The layout copies what CmdStan 2.37 writes for `method=variational`: the configuration as
//! `#` comment lines, the header row `lp__,log_p__,log_g__,<outputs>`, the adaptation result as
//! comments (`# Stepsize adaptation complete.` / `# eta = 1`), the mean of q as the first row
//! (with `lp__ = log_p__ = log_g__ = 0`) and then the draws. Numbers are printed like a C++
//! stream with `setprecision(sig_figs)`, so files compare line by line with CmdStan's.
//!
//! Files are written to a temporary file in the target directory and renamed into place at the
//! end, so an error never leaves a half-written file behind.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::advi::{AdviConfig, AdviResult};
use crate::model::OutputName;
use crate::vi::{Family, ViConfig};

/// The algorithm a run used, with every setting it ran with: the CSV header lists exactly these.
#[derive(Clone, Debug, PartialEq)]
pub enum RunMethod {
    /// Stan's ADVI (`--stan-compatible`), with CmdStan's argument names and defaults.
    StanAdvi(AdviConfig),
    /// vppl's default method ([`crate::vi`]).
    Vppl(ViConfig),
}

impl RunMethod {
    pub fn seed(&self) -> u64 {
        match self {
            RunMethod::StanAdvi(config) => config.seed,
            RunMethod::Vppl(config) => config.seed,
        }
    }
}

/// A method's settings as CmdStan echoes them below `# method = NAME`: the method's group, its
/// `key = value` lines and nested groups, each value marked `(Default)` when it is one.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodBlock {
    pub name: &'static str,
    /// The run's seed (`# random` / `#   seed =`).
    pub seed: u64,
    /// The lines after `# `, indented two spaces per level.
    lines: Vec<String>,
}

impl MethodBlock {
    /// The block of method `name`, opening with its group (`#   optimize`).
    pub fn new(name: &'static str, seed: u64) -> Self {
        MethodBlock { name, seed, lines: vec![format!("  {name}")] }
    }

    /// A nested group at `depth` (the method's own arguments are at depth 2).
    pub fn group(&mut self, depth: usize, name: &str) -> &mut Self {
        self.lines.push(format!("{}{name}", "  ".repeat(depth)));
        self
    }

    /// `key = value` at `depth`.
    pub fn arg(&mut self, depth: usize, key: &str, value: impl std::fmt::Display, is_default: bool) -> &mut Self {
        let mark = if is_default { " (Default)" } else { "" };
        self.lines.push(format!("{}{key} = {value}{mark}", "  ".repeat(depth)));
        self
    }
}

/// The method a CSV's header describes.
#[derive(Clone, Debug, PartialEq)]
pub enum HeaderMethod {
    /// `variational`, whose settings the CSV writer also reads.
    Variational(RunMethod),
    /// Any other method, its settings already written out.
    Other(MethodBlock),
}

impl HeaderMethod {
    pub fn seed(&self) -> u64 {
        match self {
            HeaderMethod::Variational(method) => method.seed(),
            HeaderMethod::Other(block) => block.seed,
        }
    }
}

impl From<RunMethod> for HeaderMethod {
    fn from(method: RunMethod) -> Self {
        HeaderMethod::Variational(method)
    }
}

impl From<MethodBlock> for HeaderMethod {
    fn from(block: MethodBlock) -> Self {
        HeaderMethod::Other(block)
    }
}

/// The values CmdStan echoes in the comment header besides the method's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvHeader {
    /// Printed as `stan_version_major/minor/patch`: the Stan language version we follow.
    pub stan_version: (u32, u32, u32),
    /// The model name, `<file stem>_model` in CmdStan.
    pub model: String,
    /// `YYYY-MM-DD HH:MM:SS UTC`, supplied by the caller (the runtime reads no clock for it).
    pub start_datetime: String,
    pub method: HeaderMethod,
    /// Chain id, 1 by default.
    pub id: u32,
    /// Path of the data file; empty when the model has no data.
    pub data_file: String,
    /// The `init` argument: `2` (the default radius), another radius, or a file path.
    pub init: String,
    /// Path of the output CSV as the user gave it.
    pub output_file: String,
    /// Path of the diagnostic file; empty when none is written.
    pub diagnostic_file: String,
    pub refresh: usize,
    /// Significant digits of every number in the body.
    pub sig_figs: usize,
    pub num_threads: usize,
    /// CmdStan writes the stanc version here; we write the compiler's name and version.
    pub stanc_version: String,
    pub stancflags: String,
}

impl CsvHeader {
    /// A header with CmdStan's defaults for everything but the model name and the method.
    pub fn new(model: &str, method: impl Into<HeaderMethod>) -> Self {
        CsvHeader {
            stan_version: (2, 37, 0),
            model: model.to_string(),
            start_datetime: String::new(),
            method: method.into(),
            id: 1,
            data_file: String::new(),
            init: "2".to_string(),
            output_file: "output.csv".to_string(),
            diagnostic_file: String::new(),
            refresh: 100,
            sig_figs: DEFAULT_SIG_FIGS,
            num_threads: 1,
            stanc_version: String::new(),
            stancflags: String::new(),
        }
    }
}

/// CmdStan 2.37's default `sig_figs` (its header says `sig_figs = 8 (Default)`).
pub const DEFAULT_SIG_FIGS: usize = 8;

/// Writes the variational CSV for `fit` to `path` via a temporary file in the same directory.
///
/// `constrained` holds one row of output values per row of `fit.draws` (mean row first), as
/// returned by [`crate::advi::constrained_draws`].
pub fn write_variational_csv(
    path: &Path,
    header: &CsvHeader,
    output_names: &[OutputName],
    fit: &AdviResult,
    constrained: &[Vec<f64>],
) -> io::Result<()> {
    write_atomically(path, |out| write_variational_csv_to(out, header, output_names, fit, constrained))
}

/// Writes the variational CSV to any writer (what [`write_variational_csv`] puts in the file).
pub fn write_variational_csv_to(
    out: &mut dyn Write,
    header: &CsvHeader,
    output_names: &[OutputName],
    fit: &AdviResult,
    constrained: &[Vec<f64>],
) -> io::Result<()> {
    if constrained.len() != fit.draws.len() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} constrained rows for {} draws", constrained.len(), fit.draws.len()),
        ));
    }
    write_config_comments(out, header)?;
    let mut names = vec!["lp__".to_string(), "log_p__".to_string(), "log_g__".to_string()];
    names.extend(output_names.iter().map(OutputName::csv));
    writeln!(out, "{}", names.join(","))?;
    // cmdstanpy reads eta from the line after the one starting `# Stepsize adaptation`.
    match &header.method {
        HeaderMethod::Variational(RunMethod::StanAdvi(config)) if config.adapt_engaged => {
            writeln!(out, "# Stepsize adaptation complete.")?;
            writeln!(out, "# eta = {}", format_g(fit.eta, 6))?;
        }
        HeaderMethod::Variational(RunMethod::StanAdvi(_)) | HeaderMethod::Other(_) => {}
        HeaderMethod::Variational(RunMethod::Vppl(_)) => {
            writeln!(out, "# Stepsize adaptation: vppl adapts its step size as it refines; the last one is")?;
            writeln!(out, "# eta = {}", format_g(fit.eta, 6))?;
        }
    }
    for (row_index, values) in constrained.iter().enumerate() {
        // Stan writes lp__ as 0 on every row: ADVI has no log density of the sampler's kind.
        let mut line = String::from("0");
        for value in [fit.log_p[row_index], fit.log_g[row_index]].iter().chain(values) {
            line.push(',');
            line.push_str(&format_g(*value, header.sig_figs));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Writes CmdStan's ADVI diagnostic file: the config comments, `iter,time_in_seconds,ELBO`, and
/// one line per ELBO evaluation, via a temporary file.
pub fn write_elbo_trace(path: &Path, header: &CsvHeader, fit: &AdviResult) -> io::Result<()> {
    write_atomically(path, |out| write_elbo_trace_to(out, header, fit))
}

/// Writes the diagnostic file's contents to any writer.
pub fn write_elbo_trace_to(out: &mut dyn Write, header: &CsvHeader, fit: &AdviResult) -> io::Result<()> {
    write_config_comments(out, header)?;
    writeln!(out, "iter,time_in_seconds,ELBO")?;
    for point in &fit.elbo_trace {
        writeln!(
            out,
            "{},{},{}",
            point.iter,
            format_g(point.time_in_seconds, header.sig_figs),
            format_g(point.elbo, header.sig_figs)
        )?;
    }
    Ok(())
}

/// Checks, before any fitting, that a file can be created at `path`: its directory exists and
/// is writable, and `path` is not a directory. Creates and removes a probe file next to it.
pub fn check_writable(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is a directory, not a file", path.display()),
        ));
    }
    let probe = sibling_temp_path(path, "probe");
    fs::File::create(&probe)?;
    fs::remove_file(&probe)
}

/// A Stan CSV file read back: comment lines (without `#`), column names and numeric rows.
#[derive(Clone, Debug, PartialEq)]
pub struct StanCsv {
    pub comments: Vec<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<f64>>,
}

/// Parses a Stan CSV (ours or CmdStan's): lines starting with `#` are comments, the first other
/// line is the header, every later line a row of numbers (`inf`, `-inf` and `nan` included).
pub fn parse_stan_csv(text: &str) -> Result<StanCsv, String> {
    let mut comments = Vec::new();
    let mut columns: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (line_index, line) in text.lines().enumerate() {
        if let Some(comment) = line.strip_prefix('#') {
            comments.push(comment.strip_prefix(' ').unwrap_or(comment).to_string());
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        match &columns {
            None => columns = Some(line.split(',').map(str::to_string).collect()),
            Some(names) => {
                let row: Vec<f64> = line
                    .split(',')
                    .map(|field| parse_csv_number(field.trim()))
                    .collect::<Option<_>>()
                    .ok_or_else(|| format!("line {}: not a row of numbers: {line}", line_index + 1))?;
                if row.len() != names.len() {
                    return Err(format!("line {}: {} values for {} columns", line_index + 1, row.len(), names.len()));
                }
                rows.push(row);
            }
        }
    }
    let columns = columns.ok_or_else(|| "no header row".to_string())?;
    Ok(StanCsv { comments, columns, rows })
}

/// Formats `value` as a C++ output stream does with `setprecision(precision)` and no other
/// flags (printf's `%.{precision}g` without trailing zeros): `0`, `1171.45`, `-0.082847975`,
/// `1e-05`, `1.2345679e+10`, `inf`, `-inf`, `nan`.
pub fn format_g(value: f64, precision: usize) -> String {
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let precision = precision.max(1);
    // The exponent %g decides on is the one of the value rounded to `precision` digits.
    let scientific = format!("{:.*e}", precision - 1, value);
    let (mantissa, exponent) = scientific.split_once('e').expect("`{:e}` always has an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` exponent is an integer");
    if exponent < -4 || exponent >= precision as i32 {
        let mantissa = strip_trailing_zeros(mantissa);
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    } else {
        let decimals = (precision as i32 - 1 - exponent) as usize;
        strip_trailing_zeros(&format!("{value:.decimals$}")).to_string()
    }
}

/// Removes trailing zeros after a decimal point, and the point itself if nothing follows it.
fn strip_trailing_zeros(number: &str) -> &str {
    if number.contains('.') { number.trim_end_matches('0').trim_end_matches('.') } else { number }
}

fn parse_csv_number(field: &str) -> Option<f64> {
    match field {
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        "nan" | "-nan" => Some(f64::NAN),
        _ => field.parse().ok(),
    }
}

/// The comment block CmdStan writes at the top of its output and diagnostic files, with the
/// settings of the method that ran. A value equal to the method's default is marked
/// `(Default)`, as CmdStan does.
///
/// A vppl run writes the keys cmdstanpy needs (`algorithm`, `iter`, `grad_samples`,
/// `elbo_samples`, `eta`, `tol_rel_obj`, `eval_elbo`, `output_samples`) with the values of vppl's
/// nearest settings, and says `engine = vppl`; README.md ("Output files") lists what each means.
pub fn write_config_comments(out: &mut dyn Write, header: &CsvHeader) -> io::Result<()> {
    let mark = |is_default: bool| if is_default { " (Default)" } else { "" };
    let (major, minor, patch) = header.stan_version;
    writeln!(out, "# stan_version_major = {major}")?;
    writeln!(out, "# stan_version_minor = {minor}")?;
    writeln!(out, "# stan_version_patch = {patch}")?;
    writeln!(out, "# model = {}", header.model)?;
    writeln!(out, "# start_datetime = {}", header.start_datetime)?;
    let variational;
    let block = match &header.method {
        HeaderMethod::Variational(method) => {
            variational = variational_block(method);
            &variational
        }
        HeaderMethod::Other(block) => block,
    };
    writeln!(out, "# method = {}", block.name)?;
    for line in &block.lines {
        writeln!(out, "# {line}")?;
    }
    writeln!(out, "# id = {}{}", header.id, mark(header.id == 1))?;
    writeln!(out, "# data")?;
    writeln!(out, "#   file = {}{}", header.data_file, mark(header.data_file.is_empty()))?;
    writeln!(out, "# init = {}{}", header.init, mark(header.init == "2"))?;
    writeln!(out, "# random")?;
    writeln!(out, "#   seed = {}", header.method.seed())?;
    writeln!(out, "# output")?;
    writeln!(out, "#   file = {}{}", header.output_file, mark(header.output_file == "output.csv"))?;
    writeln!(out, "#   diagnostic_file = {}{}", header.diagnostic_file, mark(header.diagnostic_file.is_empty()))?;
    writeln!(out, "#   refresh = {}{}", header.refresh, mark(header.refresh == 100))?;
    writeln!(out, "#   sig_figs = {}{}", header.sig_figs, mark(header.sig_figs == DEFAULT_SIG_FIGS))?;
    writeln!(out, "# num_threads = {}{}", header.num_threads, mark(header.num_threads == 1))?;
    writeln!(out, "# stanc_version = {}", header.stanc_version)?;
    writeln!(out, "# stancflags = {}", header.stancflags)
}

/// `variational`'s settings: Stan's ADVI's, or vppl's under the keys cmdstanpy reads.
fn variational_block(method: &RunMethod) -> MethodBlock {
    let mut block = MethodBlock::new("variational", method.seed());
    match method {
        RunMethod::StanAdvi(config) => {
            let defaults = AdviConfig::default();
            let algorithm = config.algorithm.cmdstan_name();
            block.arg(2, "algorithm", algorithm, config.algorithm == defaults.algorithm).group(3, algorithm);
            block.arg(2, "engine", "stan-advi", false);
            block
                .arg(2, "iter", config.iter, config.iter == defaults.iter)
                .arg(2, "grad_samples", config.grad_samples, config.grad_samples == defaults.grad_samples)
                .arg(2, "elbo_samples", config.elbo_samples, config.elbo_samples == defaults.elbo_samples)
                .arg(2, "eta", format_g(config.eta, 6), config.eta == defaults.eta)
                .group(2, "adapt")
                .arg(3, "engaged", config.adapt_engaged, config.adapt_engaged == defaults.adapt_engaged)
                .arg(3, "iter", config.adapt_iter, config.adapt_iter == defaults.adapt_iter)
                .arg(2, "tol_rel_obj", format_g(config.tol_rel_obj, 6), config.tol_rel_obj == defaults.tol_rel_obj)
                .arg(2, "eval_elbo", config.eval_elbo, config.eval_elbo == defaults.eval_elbo)
                .arg(2, "output_samples", config.output_samples, config.output_samples == defaults.output_samples);
        }
        RunMethod::Vppl(config) => {
            let defaults = ViConfig::default();
            // cmdstanpy knows two families; a low-rank q is written out as its full-rank factor.
            let algorithm = match config.family {
                Family::MeanField => "meanfield",
                Family::FullRank | Family::LowRank { .. } => "fullrank",
            };
            let family_is_default = config.family == defaults.family;
            block.arg(2, "algorithm", algorithm, family_is_default).group(3, algorithm);
            block.arg(2, "engine", "vppl", false).arg(2, "family", config.family.name(), family_is_default);
            if let Family::LowRank { rank } = config.family {
                block.arg(2, "rank", rank, false);
            }
            let elbo_samples = config.output_samples * config.resample_factor.max(1);
            let default_elbo_samples = defaults.output_samples * defaults.resample_factor;
            block
                .arg(2, "iter", config.max_iters, config.max_iters == defaults.max_iters)
                .arg(2, "grad_samples", config.draws_per_step, config.draws_per_step == defaults.draws_per_step)
                .arg(2, "elbo_samples", elbo_samples, elbo_samples == default_elbo_samples)
                .arg(2, "eta", format_g(config.step_size, 6), config.step_size == defaults.step_size)
                .arg(2, "tol_rel_obj", format_g(config.tolerance, 6), config.tolerance == defaults.tolerance)
                .arg(2, "eval_elbo", config.window, config.window == defaults.window)
                .arg(2, "output_samples", config.output_samples, config.output_samples == defaults.output_samples)
                .arg(2, "resample_factor", config.resample_factor, config.resample_factor == defaults.resample_factor)
                .group(2, "pathfinder")
                .arg(3, "paths", config.pathfinder_paths, config.pathfinder_paths == defaults.pathfinder_paths)
                .arg(3, "lbfgs_iter", config.max_lbfgs_iters, config.max_lbfgs_iters == defaults.max_lbfgs_iters)
                .arg(3, "draws", config.pathfinder_draws, config.pathfinder_draws == defaults.pathfinder_draws);
        }
    }
    block
}

/// Runs `write` into a temporary file next to `path`, then renames it to `path`; on any error
/// the temporary file is removed and `path` is left as it was.
pub(crate) fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let temp = sibling_temp_path(path, "tmp");
    let result = (|| {
        let mut out = BufWriter::new(fs::File::create(&temp)?);
        write(&mut out)?;
        out.into_inner().map_err(|err| err.into_error())?.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// `dir/.name.<tag>-<pid>`: hidden, in the same directory (so the rename stays on one file
/// system), and unique per process.
fn sibling_temp_path(path: &Path, tag: &str) -> PathBuf {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp_name = format!(".{file_name}.{tag}-{}", std::process::id());
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join(temp_name),
        _ => PathBuf::from(temp_name),
    }
}
