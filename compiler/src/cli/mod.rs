//! The `vppl` command-line program.

pub mod report;

/// `print!` that never panics: a closed pipe (`vppl ir … | head`) just ends the output.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `println!` that never panics.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod compare;
mod functions;
// After the macros, which they use.
mod plot;
mod repl;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::driver::{self, Source, Stages};
use runtime::Model;
use runtime::advi::{AdviConfig, Algorithm};
use runtime::app::{self, FitSettings, Init};
use runtime::compiled::CompiledModel;
use runtime::data::DataFile;
use runtime::output::RunMethod;
use runtime::vi::{Family, ViConfig};

#[derive(Parser)]
#[command(
    name = "vppl",
    version,
    about = "Stan models compiled to native code in milliseconds, fitted by variational inference"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a model, fit it by variational inference (vppl's method, or Stan's ADVI with
    /// --stan-compatible), print a summary and write Stan's variational CSV.
    Run(RunArgs),
    /// Fit several models to data and compare them: ELBO, log evidence and log Bayes factors with
    /// their errors, and PSIS-LOO for models that write `log_lik`.
    Compare(compare::CompareArgs),
    /// Compile a model into a standalone executable that speaks CmdStan's command line
    /// (`./model variational data file=data.json`).
    Build(BuildArgs),
    /// Log density and gradient at one point, with finite differences beside it (CmdStan's
    /// diagnose method).
    Diagnose(DiagnoseArgs),
    /// Compile time per stage and the time of one log density and one gradient evaluation.
    Bench(BenchArgs),
    /// Print one stage of the compiler: ast, ir, ad, opt or clif.
    Ir(IrArgs),
    /// Run the front end only and report problems.
    Check(CheckArgs),
    /// Print the program in canonical style (comments kept).
    Format(FormatArgs),
    /// Explain a diagnostic code (`vppl explain E1043`), or list them all.
    Explain(ExplainArgs),
    /// List Stan's built-in functions and which signatures vppl compiles (`vppl functions
    /// normal_lpdf`), or all of them.
    Functions(functions::FunctionsArgs),
    /// Draw the density of each quantity of a fit (the CSV `vppl run` writes) as PNG or SVG.
    Plot(plot::PlotArgs),
    /// Write, evaluate, fit and inspect a model at a prompt (also `vppl` alone on a terminal);
    /// with standard input not a terminal, reads the session's lines from it.
    Repl(repl::ReplArgs),
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// A code such as `E1043` (case and the leading `E` optional); none lists every code.
    code: Option<String>,
}

#[derive(clap::Args)]
struct FormatArgs {
    model: PathBuf,
    /// Print nothing; exit with status 1 if the file is not formatted.
    #[arg(long)]
    check: bool,
}

#[derive(clap::Args)]
struct ModelArgs {
    /// The model (`.vppl` or `.stan`).
    model: PathBuf,
    /// Data in CmdStan's JSON format. Default: `data.json` or `STEM.data.json` beside the model.
    #[arg(long)]
    data: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum AlgorithmArg {
    Meanfield,
    Fullrank,
    Lowrank,
}

#[derive(clap::Args)]
struct RunArgs {
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    fit: FitArgs,
    /// Stan variational CSV to write.
    #[arg(long, default_value = "output.csv")]
    output: PathBuf,
    /// Also write the summary as JSON here.
    #[arg(long)]
    summary_json: Option<PathBuf>,
    /// Also write the ELBO trace here (CmdStan's diagnostic_file: iter,time_in_seconds,ELBO).
    #[arg(long)]
    diagnostic_file: Option<PathBuf>,
    /// Weight the summary by Pareto-smoothed importance weights (PSIS), correcting the
    /// approximation toward the posterior when k̂ is below 0.7.
    #[arg(long)]
    psis: bool,
}

/// How a model is fitted: the options `vppl run` and `vppl compare` share.
#[derive(clap::Args)]
struct FitArgs {
    /// The Gaussian family on the unconstrained space. Default: fullrank (meanfield with
    /// --stan-compatible, as CmdStan).
    #[arg(long, value_enum)]
    algorithm: Option<AlgorithmArg>,
    /// Rank of the low-rank part of `--algorithm lowrank` (covariance D² + BBᵀ).
    #[arg(long, default_value_t = 2)]
    rank: usize,
    /// Use Stan's ADVI exactly as CmdStan runs it, instead of vppl's accurate method.
    #[arg(long)]
    stan_compatible: bool,
    /// Maximum number of iterations (default 2000; 10000 with --stan-compatible).
    #[arg(long)]
    iter: Option<usize>,
    /// Monte Carlo draws per gradient step (default 16; 1 with --stan-compatible).
    #[arg(long)]
    grad_samples: Option<usize>,
    /// Stan's ADVI only: Monte Carlo draws per ELBO estimate (100).
    #[arg(long)]
    elbo_samples: Option<usize>,
    /// Stan's ADVI only: step-size scale, used as is when adaptation is off (1).
    #[arg(long)]
    eta: Option<f64>,
    /// Stan's ADVI only: choose eta by trying 100, 10, 1, 0.1, 0.01 (true).
    #[arg(long, action = clap::ArgAction::Set)]
    adapt_engaged: Option<bool>,
    /// Stan's ADVI only: iterations per eta candidate during adaptation (50).
    #[arg(long)]
    adapt_iter: Option<usize>,
    /// Stan's ADVI only: relative ELBO change below which the fit has converged (0.01).
    #[arg(long)]
    tol_rel_obj: Option<f64>,
    /// Stan's ADVI only: evaluate the ELBO every this many iterations (100).
    #[arg(long)]
    eval_elbo: Option<usize>,
    /// Draws from the approximation written to the output.
    #[arg(long, default_value_t = 1000)]
    output_samples: usize,
    /// Seed of every random draw, as CmdStan's: 0 to 4294967295, or -1 for one from the clock
    /// (printed, and written to the CSV). The same seed gives the same fit, bit for bit.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = parse_seed)]
    seed: i64,
    /// Initial values, as CmdStan's `init`: 0 (start at zero on the unconstrained scale), a
    /// radius R (uniform on (−R, R)), or a JSON file of parameter values.
    #[arg(long, default_value = "2", allow_hyphen_values = true)]
    init: String,
    /// Importance resampling of the output: draw this many times --output-samples proposals
    /// from q and keep --output-samples of them by their Pareto-smoothed importance weights when
    /// k̂ < 0.7 (1 turns it off).
    #[arg(long, default_value_t = 8)]
    resample_factor: usize,
    /// Threads for gradient draws (0: all cores when it pays). Any count gives the same result.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Budget of draws from q for the log evidence (importance sampling): draws are added until
    /// its Monte Carlo standard error is below 0.05 or this many were made. 0 skips it.
    #[arg(long, default_value_t = runtime::evidence::DEFAULT_MAX_DRAWS)]
    evidence_draws: usize,
    /// The Monte Carlo standard error the log evidence aims for.
    #[arg(long, default_value_t = runtime::evidence::DEFAULT_TARGET_MCSE, value_parser = parse_positive)]
    evidence_mcse: f64,
}

#[derive(clap::Args)]
struct BuildArgs {
    /// The model (`.vppl` or `.stan`).
    model: PathBuf,
    /// The executable to write. Default: the model's name beside it, as CmdStan's `make` does.
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
}

#[derive(clap::Args)]
struct DiagnoseArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// The unconstrained point, a JSON array; default: uniform(−2, 2) with --seed.
    #[arg(long)]
    unconstrained: Option<String>,
    /// Seed of the random point: 0 to 4294967295, or -1 for one from the clock.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = parse_seed)]
    seed: i64,
    /// Finite-difference step.
    #[arg(long, default_value_t = 1e-6)]
    epsilon: f64,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also the Hessian (exact, by symbolic differentiation), beside finite differences of the
    /// gradient.
    #[arg(long)]
    hessian: bool,
}

#[derive(clap::Args)]
struct BenchArgs {
    #[command(flatten)]
    model: ModelArgs,
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Stage {
    Ast,
    Ir,
    Ad,
    Opt,
    Clif,
    /// Machine code (Cranelift's disassembly).
    Asm,
    /// The Hessian's functions: the tangent of the log density (`ad::tangent`), and its
    /// gradient after simplification, which `vppl build` compiles.
    Hessian,
}

#[derive(clap::Args)]
struct IrArgs {
    model: PathBuf,
    #[arg(long, value_enum, default_value = "ir")]
    stage: Stage,
}

#[derive(clap::Args)]
struct CheckArgs {
    model: PathBuf,
    /// Print diagnostics as JSON (for editors).
    #[arg(long)]
    json: bool,
}

/// Runs the program; returns the exit status.
pub fn main() -> i32 {
    // `vppl` alone at a terminal is the REPL; elsewhere it is the usage error it always was.
    let cli = if std::env::args_os().len() == 1 && std::io::stdin().is_terminal() {
        Ok(Cli { command: Command::Repl(repl::ReplArgs::default()) })
    } else {
        Cli::try_parse()
    };
    let cli = match cli {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match cli.command {
        Command::Run(a) => run(a),
        Command::Compare(a) => compare::compare(a),
        Command::Build(a) => build_executable(a),
        Command::Diagnose(a) => diagnose(a),
        Command::Bench(a) => bench(a),
        Command::Ir(a) => ir(a),
        Command::Check(a) => check(a),
        Command::Format(a) => format(a),
        Command::Explain(a) => explain(a),
        Command::Functions(a) => functions::functions(a),
        Command::Plot(a) => plot::plot(a),
        Command::Repl(a) => repl::repl(a),
    };
    match result {
        Ok(()) => 0,
        Err(Failure::Reported) => 1,
        Err(Failure::Message(m)) => {
            {
                use std::io::Write as _;
                let _ = writeln!(std::io::stderr().lock(), "error: {m}");
            }
            1
        }
    }
}

/// Why a command failed: diagnostics already printed, or one message still to print.
enum Failure {
    Reported,
    Message(String),
}

impl From<String> for Failure {
    fn from(m: String) -> Failure {
        Failure::Message(m)
    }
}

fn read_source(path: &Path) -> Result<Source, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read model `{}`: {e}", path.display()))?;
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "model".into());
    Ok(Source { name, path: path.display().to_string(), text })
}

fn print_diagnostics(path: &Path, source: &Source, diags: &[grammar::Diagnostic]) {
    let color = std::io::stderr().is_terminal();
    let file = path.display().to_string();
    for d in diags {
        {
            use std::io::Write as _;
            let _ = write!(std::io::stderr().lock(), "{}", report::render(d, &file, &source.text, color));
        }
    }
}

fn front_end(path: &Path) -> Result<(Source, Stages), Failure> {
    front_end_with(path, driver::Extras::default())
}

fn front_end_with(path: &Path, extras: driver::Extras) -> Result<(Source, Stages), Failure> {
    let source = read_source(path)?;
    match driver::compile_ir_with(&source, extras) {
        Ok(stages) => {
            print_diagnostics(path, &source, &stages.warnings);
            Ok((source, stages))
        }
        Err(diags) => {
            print_diagnostics(path, &source, &diags);
            Err(Failure::Reported)
        }
    }
}

/// The data file given, or the conventional one beside the model, or none.
fn data_path(args: &ModelArgs) -> Option<PathBuf> {
    if let Some(d) = &args.data {
        return Some(d.clone());
    }
    let dir = args.model.parent().unwrap_or(Path::new("."));
    let stem = args.model.file_stem()?.to_string_lossy().into_owned();
    [dir.join(format!("{stem}.data.json")), dir.join("data.json")].into_iter().find(|p| p.is_file())
}

fn load_data(args: &ModelArgs, meta: &runtime::compiled::ModelMeta) -> Result<DataFile, Failure> {
    let Some(path) = data_path(args) else {
        if meta.data.is_empty() {
            return Ok(DataFile::empty());
        }
        // Say what was looked for rather than calling the first variable missing.
        let names: Vec<String> = meta.data.iter().take(4).map(|d| format!("`{}`", d.name)).collect();
        let more = if meta.data.len() > 4 { ", …" } else { "" };
        let dir = args.model.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let stem = args.model.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        return Err(Failure::Message(format!(
            "the model declares data ({}{more}) but no data file was given, and none was found beside it \
             (`{}` or `{}`); give one with --data FILE.json",
            names.join(", "),
            dir.join(format!("{stem}.data.json")).display(),
            dir.join("data.json").display()
        )));
    };
    Ok(app::read_data_file(&path)?)
}

/// Compiles the model to native code and loads its data.
fn build(args: &ModelArgs) -> Result<(CompiledModel, Stages, f64), Failure> {
    build_with(args, false)
}

/// `build`, with the Hessian's entry point when `hessian` (`driver::hessian`).
fn build_with(args: &ModelArgs, hessian: bool) -> Result<(CompiledModel, Stages, f64), Failure> {
    let start = Instant::now();
    let (source, mut stages) = front_end(&args.model)?;
    if hessian {
        driver::hessian(&mut stages);
    }
    let native = driver::compile_native(&source, &mut stages)?;
    let compile_ms = start.elapsed().as_secs_f64() * 1e3;
    let data = load_data(args, &native.meta)?;
    let data_name = data_path(args).map(|p| p.display().to_string()).unwrap_or_default();
    let model = app::with_data(native.entries, native.meta, &data, &data_name)?;
    // The JIT module owns the code the model calls; it lives as long as the process.
    std::mem::forget(native.jit);
    Ok((model, stages, compile_ms))
}

/// A model's name: its file stem, or its folder's name when the file is just `model.vppl`.
fn model_name(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if stem == "model"
        && let Some(dir) = path.parent().and_then(|d| d.file_name())
    {
        return dir.to_string_lossy().into_owned();
    }
    stem
}

fn timings_line(stages: &Stages) -> String {
    stages.timings.iter().map(|(name, d)| format!("{name} {:.2}", d.as_secs_f64() * 1e3)).collect::<Vec<_>>().join(", ")
}

/// The settings of a fit from the options `vppl run` and `vppl compare` share, writing no file
/// but the default output.
fn base_settings(f: &FitArgs, model_name: String, data_file: String) -> Result<FitSettings, Failure> {
    check_run_options(f)?;
    Ok(FitSettings {
        method: run_method(f),
        init: parse_init(&f.init)?,
        init_text: f.init.clone(),
        psis: false,
        output: PathBuf::from("output.csv"),
        summary_json: None,
        diagnostic_file: None,
        model_name,
        data_file,
        compile_ms: 0.0,
        iter_option: "--iter",
        sig_figs: runtime::output::DEFAULT_SIG_FIGS,
        refresh: 100,
        evidence_draws: f.evidence_draws,
        evidence_mcse: f.evidence_mcse,
    })
}

/// The settings of a fit from `vppl run`'s options (the REPL's `:fit` takes them too), its
/// files checked writable before any time goes into the fit.
fn fit_settings(a: &RunArgs, model_name: String) -> Result<FitSettings, Failure> {
    let data_file = data_path(&a.model).map(|p| p.display().to_string()).unwrap_or_default();
    let settings = FitSettings {
        psis: a.psis,
        output: a.output.clone(),
        summary_json: a.summary_json.clone(),
        diagnostic_file: a.diagnostic_file.clone(),
        ..base_settings(&a.fit, model_name, data_file)?
    };
    settings.check_writable()?;
    Ok(settings)
}

fn run(a: RunArgs) -> Result<(), Failure> {
    let mut settings = fit_settings(&a, model_name(&a.model.model))?;
    let (model, stages, compile_ms) = build(&a.model)?;
    settings.compile_ms = compile_ms;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(out, "Compiled {} in {compile_ms:.1} ms ({})", a.model.model.display(), timings_line(&stages));
    app::fit(&model, &settings, &mut out)?;
    Ok(())
}

/// The algorithm and its settings from `vppl run`'s options (the seed resolved).
fn run_method(a: &FitArgs) -> RunMethod {
    let seed = resolve_seed(a.seed);
    // Progress bars only on a terminal: piped output stays plain lines.
    let progress = std::io::stderr().is_terminal();
    let algorithm =
        a.algorithm.unwrap_or(if a.stan_compatible { AlgorithmArg::Meanfield } else { AlgorithmArg::Fullrank });
    if a.stan_compatible {
        let stan_defaults = AdviConfig::default();
        return RunMethod::StanAdvi(AdviConfig {
            algorithm: match algorithm {
                AlgorithmArg::Meanfield => Algorithm::MeanField,
                AlgorithmArg::Fullrank | AlgorithmArg::Lowrank => Algorithm::FullRank,
            },
            iter: a.iter.unwrap_or(stan_defaults.iter),
            grad_samples: a.grad_samples.unwrap_or(stan_defaults.grad_samples),
            elbo_samples: a.elbo_samples.unwrap_or(stan_defaults.elbo_samples),
            eta: a.eta.unwrap_or(stan_defaults.eta),
            adapt_engaged: a.adapt_engaged.unwrap_or(stan_defaults.adapt_engaged),
            adapt_iter: a.adapt_iter.unwrap_or(stan_defaults.adapt_iter),
            tol_rel_obj: a.tol_rel_obj.unwrap_or(stan_defaults.tol_rel_obj),
            eval_elbo: a.eval_elbo.unwrap_or(stan_defaults.eval_elbo),
            output_samples: a.output_samples,
            seed,
            progress,
        });
    }
    let defaults = ViConfig::default();
    RunMethod::Vppl(ViConfig {
        family: match algorithm {
            AlgorithmArg::Meanfield => Family::MeanField,
            AlgorithmArg::Fullrank => Family::FullRank,
            AlgorithmArg::Lowrank => Family::LowRank { rank: a.rank },
        },
        seed,
        max_iters: a.iter.unwrap_or(defaults.max_iters),
        draws_per_step: a.grad_samples.unwrap_or(defaults.draws_per_step),
        output_samples: a.output_samples,
        threads: a.threads,
        resample_factor: a.resample_factor,
        progress,
        ..defaults
    })
}

/// The runner a built executable starts from: `vppl-runner` beside this program.
fn runner_path() -> Result<PathBuf, Failure> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find vppl's own executable: {e}"))?;
    let runner = exe.with_file_name(format!("vppl-runner{}", std::env::consts::EXE_SUFFIX));
    if !runner.is_file() {
        return Err(Failure::Message(format!(
            "cannot find vppl's model runner at `{}`; it is installed beside `vppl` (cargo build --release builds both)",
            runner.display()
        )));
    }
    Ok(runner)
}

fn build_executable(a: BuildArgs) -> Result<(), Failure> {
    let start = Instant::now();
    let runner = runner_path()?;
    let output = a.output.clone().unwrap_or_else(|| a.model.with_extension(""));
    if output == a.model {
        return Err(Failure::Message(format!(
            "the executable would overwrite the model `{}`; name it with -o",
            a.model.display()
        )));
    }
    let (source, mut stages) = front_end_with(&a.model, driver::BUILD_EXTRAS)?;
    // A built executable offers `laplace`, which needs the Hessian.
    driver::hessian(&mut stages);
    let (object, meta) = driver::compile_object(&source, &mut stages)?;
    let runner_bytes =
        std::fs::read(&runner).map_err(|e| format!("cannot read the model runner `{}`: {e}", runner.display()))?;
    let bytes = runtime::loader::bundle(&runner_bytes, &object, &meta)?;
    // Written beside the target and renamed over it, so a failure leaves no half executable.
    let partial = output.with_extension("partial");
    std::fs::write(&partial, &bytes).map_err(|e| format!("cannot write `{}`: {e}", output.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("cannot make `{}` executable: {e}", partial.display()))?;
    }
    std::fs::rename(&partial, &output).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        format!("cannot write `{}`: {e}", output.display())
    })?;
    outln!(
        "Built {} in {:.1} ms ({} KiB; model code {} KiB)",
        output.display(),
        start.elapsed().as_secs_f64() * 1e3,
        bytes.len() / 1024,
        object.len().div_ceil(1024)
    );
    Ok(())
}

/// Options of Stan's algorithm are refused without `--stan-compatible`, rather than ignored.
fn check_run_options(a: &FitArgs) -> Result<(), Failure> {
    let stan_only = [
        ("--elbo-samples", a.elbo_samples.is_some()),
        ("--eta", a.eta.is_some()),
        ("--adapt-engaged", a.adapt_engaged.is_some()),
        ("--adapt-iter", a.adapt_iter.is_some()),
        ("--tol-rel-obj", a.tol_rel_obj.is_some()),
        ("--eval-elbo", a.eval_elbo.is_some()),
    ];
    if !a.stan_compatible
        && let Some((name, _)) = stan_only.iter().find(|(_, given)| *given)
    {
        return Err(Failure::Message(format!(
            "{name} is an option of Stan's ADVI; add --stan-compatible to run Stan's algorithm"
        )));
    }
    if a.stan_compatible && a.algorithm == Some(AlgorithmArg::Lowrank) {
        return Err(Failure::Message(
            "Stan's ADVI has no low-rank family; use meanfield or fullrank with --stan-compatible".into(),
        ));
    }
    Ok(())
}

/// A positive finite number.
fn parse_positive(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x.is_finite() => Ok(x),
        _ => Err(format!("`{text}` is not a positive number")),
    }
}

/// CmdStan's range of seeds: 0 to 4294967295, or -1 for a seed from the clock.
fn parse_seed(text: &str) -> Result<i64, String> {
    match text.trim().parse::<i64>() {
        Ok(seed) if seed == -1 || (0..=i64::from(u32::MAX)).contains(&seed) => Ok(seed),
        _ => Err("a seed is an integer from 0 to 4294967295, or -1 for a seed from the clock".to_string()),
    }
}

/// The seed to use: the one given, or for -1 one from the clock, said on stderr so the run can
/// be repeated.
fn resolve_seed(seed: i64) -> u64 {
    if let Ok(seed) = u64::try_from(seed) {
        return seed;
    }
    let seed = app::clock_seed();
    eprintln!("Seed {seed} (from the clock; pass --seed {seed} to repeat this run).");
    seed
}

fn parse_init(text: &str) -> Result<Init, Failure> {
    if let Ok(radius) = text.trim().parse::<f64>() {
        return if radius.is_finite() && radius >= 0.0 {
            Ok(Init::Radius(radius))
        } else {
            Err(Failure::Message(format!(
                "--init {text}: a radius must be a non-negative number (0 starts at zero on the unconstrained scale)"
            )))
        };
    }
    let path = PathBuf::from(text);
    if !path.is_file() {
        return Err(Failure::Message(format!(
            "--init `{text}` is neither a number (a radius) nor a file of initial values that exists"
        )));
    }
    Ok(Init::File(path))
}

fn parse_point(text: &str, n: usize) -> Result<Vec<f64>, Failure> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("--unconstrained is not a JSON array: {e}"))?;
    let arr = v.as_array().ok_or_else(|| "--unconstrained must be a JSON array of numbers".to_string())?;
    let point: Option<Vec<f64>> = arr.iter().map(|x| x.as_f64()).collect();
    let point = point.ok_or_else(|| "--unconstrained must contain only numbers".to_string())?;
    if point.len() != n {
        return Err(Failure::Message(format!(
            "--unconstrained has {} numbers, but the model has {n} unconstrained parameters",
            point.len()
        )));
    }
    Ok(point)
}

fn diagnose(a: DiagnoseArgs) -> Result<(), Failure> {
    let (model, _, _) = build_with(&a.model, a.hessian)?;
    let n = model.n_unconstrained();
    let point = match &a.unconstrained {
        Some(text) => parse_point(text, n)?,
        None => app::random_point(n, resolve_seed(a.seed)),
    };
    let check = runtime::methods::gradient_check(&model, &point, a.epsilon).map_err(|e| e.to_string())?;
    let (lp, grad, fd) = (check.log_density, check.gradient, check.finite_differences);
    // Rows of the Hessian and of the finite differences of the gradient (column j from a step
    // in parameter j).
    let hessian = if a.hessian {
        let h = model.hessian(&point).map_err(|e| e.to_string())?.hessian;
        let mut fd = vec![vec![0.0; n]; n];
        let (mut up, mut down) = (vec![0.0; n], vec![0.0; n]);
        for j in 0..n {
            let mut p = point.clone();
            p[j] = point[j] + a.epsilon;
            model.log_density_gradient(&p, &mut up).map_err(|e| e.to_string())?;
            p[j] = point[j] - a.epsilon;
            model.log_density_gradient(&p, &mut down).map_err(|e| e.to_string())?;
            for (i, row) in fd.iter_mut().enumerate() {
                row[j] = (up[i] - down[i]) / (2.0 * a.epsilon);
            }
        }
        let rows: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| h[j * n + i]).collect()).collect();
        Some((rows, fd))
    } else {
        None
    };
    if a.json {
        let mut json =
            serde_json::json!({ "point": point, "log_density": lp, "gradient": grad, "finite_differences": fd });
        if let Some((h, fd)) = &hessian {
            json["hessian"] = serde_json::json!(h);
            json["hessian_finite_differences"] = serde_json::json!(fd);
        }
        outln!("{}", serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?);
        return Ok(());
    }
    outln!("Log density (constants of ~ statements dropped, Jacobian included): {lp}");
    outln!();
    outln!("{:>6} {:>16} {:>16} {:>16} {:>16}", "param", "value", "model", "finite diff", "error");
    for i in 0..n {
        outln!("{:>6} {:>16.8e} {:>16.8e} {:>16.8e} {:>16.8e}", i, point[i], grad[i], fd[i], grad[i] - fd[i]);
    }
    if let Some((h, fd)) = &hessian {
        outln!();
        outln!("Hessian:");
        for row in h {
            outln!("{}", row.iter().map(|x| format!("{x:>16.8e}")).collect::<Vec<_>>().join(" "));
        }
        let error = h.iter().flatten().zip(fd.iter().flatten()).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
        outln!("largest difference from finite differences of the gradient: {error:.3e}");
    }
    Ok(())
}

fn median_ns(mut f: impl FnMut()) -> f64 {
    // Batches sized to about 10 ms; the median over batches is robust to interruptions.
    let t = Instant::now();
    f();
    let once = t.elapsed().as_secs_f64().max(1e-8);
    let batch = ((0.01 / once) as usize).clamp(1, 1_000_000);
    let mut per_call = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        for _ in 0..batch {
            f();
        }
        per_call.push(t.elapsed().as_secs_f64() * 1e9 / batch as f64);
    }
    per_call.sort_by(f64::total_cmp);
    per_call[per_call.len() / 2]
}

fn bench(a: BenchArgs) -> Result<(), Failure> {
    let (model, stages, compile_ms) = build(&a.model)?;
    let n = model.n_unconstrained();
    let point = app::random_point(n, 0);
    let mut grad = vec![0.0; n];
    model.log_density_gradient(&point, &mut grad).map_err(|e| e.to_string())?;
    let lp_ns = median_ns(|| {
        let _ = std::hint::black_box(model.log_density(std::hint::black_box(&point), false));
    });
    let grad_ns = median_ns(|| {
        let _ = std::hint::black_box(model.log_density_gradient(std::hint::black_box(&point), &mut grad));
    });
    if a.json {
        let stages_json: serde_json::Map<String, serde_json::Value> =
            stages.timings.iter().map(|(k, d)| (k.to_string(), serde_json::json!(d.as_secs_f64() * 1e3))).collect();
        let json = serde_json::json!({ "compile_ms": compile_ms, "stages_ms": stages_json, "log_density_ns": lp_ns, "gradient_ns": grad_ns });
        outln!("{}", serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?);
        return Ok(());
    }
    outln!("compile: {compile_ms:.2} ms ({})", timings_line(&stages));
    outln!("log density: {:.1} ns", lp_ns);
    outln!("gradient:    {:.1} ns", grad_ns);
    Ok(())
}

fn ir(a: IrArgs) -> Result<(), Failure> {
    let (_, mut stages) = front_end(&a.model)?;
    print_stage(&mut stages, a.stage)
}

/// Prints one stage of a compiled model (`vppl ir`, the REPL's `:ir`).
fn print_stage(stages: &mut Stages, stage: Stage) -> Result<(), Failure> {
    match stage {
        Stage::Ast => out!("{}", stages.ast),
        Stage::Ir => out!("{}", stages.ir),
        Stage::Ad => out!("{}", stages.ad),
        Stage::Opt => {
            out!("{}", stages.opt);
            out!("{}", stages.opt_gradient);
            out!("{}", stages.opt_validate);
            out!("{}", stages.opt_precompute);
        }
        Stage::Asm => {
            for f in [&stages.opt.log_density, &stages.opt_gradient] {
                out!("{}", crate::codegen::jit::asm_text(f)?);
            }
        }
        Stage::Clif => {
            for f in [&stages.opt.log_density, &stages.opt_gradient] {
                out!("{}", crate::codegen::jit::clif_text(f)?);
            }
        }
        Stage::Hessian => {
            out!("{}", crate::ad::tangent::tangent(&stages.hoisted_log_density).map_err(Failure::Message)?);
            crate::driver::hessian(stages);
            match &stages.opt_hessian {
                Some(Ok(f)) => out!("{f}"),
                Some(Err(why)) => return Err(Failure::Message(why.clone())),
                None => {}
            }
        }
    }
    Ok(())
}

fn format(a: FormatArgs) -> Result<(), Failure> {
    let source = read_source(&a.model)?;
    let program = match grammar::parse(&source.text) {
        Ok(p) => p,
        Err(diags) => {
            print_diagnostics(&a.model, &source, &diags);
            return Err(Failure::Reported);
        }
    };
    let formatted = program.to_string();
    if a.check {
        return if formatted == source.text {
            Ok(())
        } else {
            Err(Failure::Message(format!(
                "{} is not formatted; run `vppl format` to see how it should read",
                a.model.display()
            )))
        };
    }
    out!("{formatted}");
    Ok(())
}

/// Every diagnostic code with its meaning: the syntax phase's, then sema's.
fn all_codes() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    grammar::CODES.iter().chain(crate::sema::errors::CODES)
}

fn explain(a: ExplainArgs) -> Result<(), Failure> {
    let Some(code) = a.code else {
        for (code, meaning) in all_codes() {
            outln!("{code}  {meaning}");
        }
        return Ok(());
    };
    // `e1043`, `1043` and `E1043` all name the same code, as do `19` and `E0019`.
    let wanted = code.trim().to_ascii_uppercase();
    let wanted = if wanted.starts_with(|c: char| c.is_ascii_digit()) { format!("E{wanted:0>4}") } else { wanted };
    match all_codes().find(|(c, _)| *c == wanted) {
        Some((c, meaning)) => {
            let phase = if c.starts_with("E0") { "syntax" } else { "type checking and lowering" };
            let kind = if c.starts_with('W') { "warning" } else { "error" };
            outln!("{c} ({kind}, {phase}): {meaning}");
            Ok(())
        }
        None => Err(Failure::Message(format!(
            "no diagnostic code `{code}`; codes look like `E1043` (run `vppl explain` for the list)"
        ))),
    }
}

fn check(a: CheckArgs) -> Result<(), Failure> {
    let source = read_source(&a.model)?;
    let diags = driver::check(&source);
    let failed = diags.iter().any(grammar::Diagnostic::is_error);
    if a.json {
        let items: Vec<serde_json::Value> = diags
            .iter()
            .map(|d| {
                let (line, column) = grammar::span::line_col(&source.text, d.span.start);
                serde_json::json!({
                    "code": d.code,
                    "severity": if d.is_error() { "error" } else { "warning" },
                    "message": d.message,
                    "file": a.model.display().to_string(),
                    "line": line,
                    "column": column,
                    "span": [d.span.start, d.span.end],
                    "hint": d.hint,
                })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&items).map_err(|e| e.to_string())?);
    } else {
        print_diagnostics(&a.model, &source, &diags);
        if !failed {
            let warnings = diags.len();
            let s = if warnings == 1 { "" } else { "s" };
            if warnings == 0 {
                outln!("{}: no errors", a.model.display());
            } else {
                outln!("{}: no errors, {warnings} warning{s}", a.model.display());
            }
        }
    }
    if failed { Err(Failure::Reported) } else { Ok(()) }
}
