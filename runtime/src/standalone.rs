//! The program `vppl build` makes: the runner with one model appended, speaking CmdStan's
//! command line (`./model variational data file=d.json output file=o.csv random seed=4`, or
//! cmdstanpy's `method=variational`), and fitting with the same application as `vppl run`
//! ([`crate::app`]).
//!
//! CmdStan's arguments form a tree: a word opens a group (`data`, `random`, `output`, a method,
//! `adapt` in `variational`), `key=value` sets an argument of the innermost open group that has
//! it, or else of the nearest enclosing one (so `data file=d.json init=0.5` sets the top-level
//! `init`). Anything else is a usage error naming what is offered, with CmdStan's exit code 64.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use crate::app::{self, FitSettings, Init};
use crate::compiled::{CompiledModel, ModelMeta};
use crate::methods;
use crate::output::RunMethod;
use crate::vi::{Family, ViConfig};

/// CmdStan's exit code for a command line it cannot use (EX_USAGE).
pub const USAGE: i32 = 64;
/// CmdStan's exit code for data it cannot use (EX_DATAERR).
pub const DATA_ERROR: i32 = 65;

/// The methods this program runs, and CmdStan's it does not (yet).
const METHODS: &[&str] =
    &["variational", "optimize", "pathfinder", "laplace", "log_prob", "generate_quantities", "diagnose"];
const OTHER_METHODS: &[&str] = &["sample"];

/// The arguments of L-BFGS, which `optimize` and `pathfinder` both take.
const LBFGS_ARGS: &[&str] =
    &["init_alpha", "tol_obj", "tol_rel_obj", "tol_grad", "tol_rel_grad", "tol_param", "history_size"];

/// Whether group `g` takes the argument `key`.
fn takes(g: &str, key: &str) -> bool {
    group(g).is_some_and(|(keys, _)| keys.contains(&key))
        || (matches!(g, "optimize" | "pathfinder") && LBFGS_ARGS.contains(&key))
}

/// Each group: its arguments and the groups it contains.
fn group(name: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match name {
        // The top level opens the groups and every method (METHODS).
        "" => (
            &["id", "init", "num_threads", "method"],
            &[
                "data",
                "random",
                "output",
                "variational",
                "optimize",
                "pathfinder",
                "laplace",
                "log_prob",
                "generate_quantities",
                "diagnose",
            ],
        ),
        "log_prob" => (&["unconstrained_params", "constrained_params", "jacobian"], &[]),
        // And the L-BFGS arguments both take (LBFGS_ARGS).
        "optimize" => (&["algorithm", "jacobian", "iter", "save_iterations"], &[]),
        "pathfinder" => (
            &[
                "num_psis_draws",
                "num_paths",
                "save_single_paths",
                "psis_resample",
                "calculate_lp",
                "max_lbfgs_iters",
                "num_draws",
                "num_elbo_draws",
            ],
            &[],
        ),
        "laplace" => (&["mode", "jacobian", "draws", "calculate_lp"], &[]),
        "generate_quantities" => (&["fitted_params"], &[]),
        "diagnose" => (&["test", "epsilon", "error"], &[]),
        "data" => (&["file"], &[]),
        "random" => (&["seed"], &[]),
        "output" => (&["file", "diagnostic_file", "refresh", "sig_figs", "profile_file", "save_cmdstan_config"], &[]),
        "variational" => (
            &[
                "algorithm",
                "iter",
                "grad_samples",
                "elbo_samples",
                "eta",
                "tol_rel_obj",
                "eval_elbo",
                "output_samples",
                "engine",
                "rank",
            ],
            &["adapt"],
        ),
        "adapt" => (&["engaged", "iter"], &[]),
        _ => return None,
    })
}

/// A parsed command line: `group.key` (the group path joined by dots) to value.
#[derive(Debug, Default)]
struct Args {
    method: Option<String>,
    values: HashMap<String, String>,
}

impl Args {
    fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    fn parse<T: std::str::FromStr>(&self, key: &str, what: &str) -> Result<Option<T>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                let name = key.rsplit('.').next().unwrap_or(key);
                format!("{name}={v}: {name} must be {what}")
            }),
        }
    }
}

fn usage_error(message: &str) -> String {
    format!(
        "{message}\n\nUsage: MODEL METHOD [ARGUMENTS]. This program offers the method{} {}; `MODEL help` lists the \
         arguments",
        if METHODS.len() > 1 { "s" } else { "" },
        METHODS.join(", ")
    )
}

fn parse_args(words: &[String]) -> Result<Args, String> {
    let mut args = Args::default();
    // The open groups, innermost last.
    let mut open: Vec<String> = vec![String::new()];
    for word in words {
        let (key, value) = match word.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (word.as_str(), None),
        };
        let opens = |g: &str| group(g).is_some_and(|(_, subgroups)| subgroups.contains(&key));
        let Some(depth) =
            (0..open.len()).rev().find(|&d| if value.is_some() { takes(&open[d], key) } else { opens(&open[d]) })
        else {
            if value.is_none() && OTHER_METHODS.contains(&key) {
                return Err(usage_error(&format!("this program does not offer the method `{key}` yet")));
            }
            return Err(usage_error(&format!("{word} is either mistyped or misplaced.")));
        };
        open.truncate(depth + 1);
        match value {
            None => {
                if METHODS.contains(&key) {
                    args.method = Some(key.to_string());
                }
                open.push(key.to_string());
            }
            Some(value) if key == "method" => {
                if OTHER_METHODS.contains(&value) {
                    return Err(usage_error(&format!("this program does not offer the method `{value}` yet")));
                }
                if !METHODS.contains(&value) {
                    return Err(usage_error(&format!("method={value} is not a method")));
                }
                args.method = Some(value.to_string());
                open.push(value.to_string());
            }
            Some(value) => {
                let path: Vec<&str> = open[1..].iter().map(String::as_str).chain(std::iter::once(key)).collect();
                args.values.insert(path.join("."), value.to_string());
            }
        }
    }
    Ok(args)
}

/// Each method's arguments, as `MODEL METHOD help` and `help-all` print them.
const METHOD_HELP: &[(&str, &str)] = &[
    (
        "variational",
        "  variational                fit by variational inference (vppl's method), and write Stan's CSV
    algorithm=fullrank       the Gaussian family: meanfield, fullrank or lowrank (rank=2)
    iter=2000 grad_samples=16 output_samples=1000
    engine=stan              Stan's own ADVI instead, with its arguments: elbo_samples=100 eta=1
                             adapt engaged=1 iter=50  tol_rel_obj=0.01 eval_elbo=100
",
    ),
    (
        "optimize",
        "  optimize                   the mode by L-BFGS, and CmdStan's CSV of lp__ and the outputs there
    algorithm=lbfgs          lbfgs, bfgs or newton (the exact Hessian)
    jacobian=0               1: the mode on the unconstrained scale (with the Jacobian)
    iter=2000 save_iterations=0
    init_alpha=0.001 tol_obj=1e-12 tol_rel_obj=10000 tol_grad=1e-08 tol_rel_grad=1e+07
    tol_param=1e-08 history_size=5
",
    ),
    (
        "pathfinder",
        "  pathfinder                 Pathfinder's Gaussians along L-BFGS paths, draws resampled by PSIS
    num_paths=4 num_draws=1000 num_psis_draws=1000 num_elbo_draws=25 max_lbfgs_iters=1000
    psis_resample=1 calculate_lp=1 save_single_paths=0
    init_alpha=0.001 tol_obj=1e-12 tol_rel_obj=10000 tol_grad=1e-08 tol_rel_grad=1e+07
    tol_param=1e-08 history_size=5
",
    ),
    (
        "log_prob",
        "  log_prob                   lp__ (constants dropped) and its gradient, as CSV
    jacobian=1               0 leaves out the Jacobian of the constraining transforms
    constrained_params=FILE  a JSON file of parameter values, or
    unconstrained_params=FILE  CmdStan's params_r: one unconstrained vector or a list of them
",
    ),
    (
        "laplace",
        "  laplace                    draws from the normal approximation at a mode (the exact Hessian)
    mode=FILE                the mode: CmdStan's optimize CSV, or a JSON file of parameter values
    draws=1000 jacobian=1    jacobian=0: about the mode of the constrained parameters' density
",
    ),
    (
        "generate_quantities",
        "  generate_quantities        the outputs, generated quantities new, at each draw of a Stan CSV
    fitted_params=FILE       the draws (CmdStan's or vppl's CSV of any method)
",
    ),
    (
        "diagnose",
        "  diagnose                   the gradient at the initial point beside finite differences
    test=gradient epsilon=1e-06 error=1e-06
",
    ),
];

/// What `MODEL help` prints (`all`: with every method's arguments, `help-all`).
fn help(meta: &ModelMeta, all: bool) -> String {
    let mut text = format!(
        "{name}: a Stan model compiled by vppl {version}, fitted by variational inference.

Usage: {name} METHOD [ARGUMENTS], as CmdStan's:
  info                       versions and build settings, as CmdStan prints them
",
        name = meta.name,
        version = env!("CARGO_PKG_VERSION")
    );
    for (_, lines) in METHOD_HELP {
        if all {
            text.push_str(lines);
        } else {
            text.push_str(lines.lines().next().unwrap_or(""));
            text.push('\n');
        }
    }
    text.push_str(
        "  data file=FILE             data in CmdStan's JSON format
  init=2                     a radius R (uniform on (−R, R)), 0, or a JSON file of values
  random seed=N              0 to 4294967295
  output file=output.csv diagnostic_file=FILE sig_figs=8 refresh=100
  help, help-all             this text; help-all and METHOD help with the methods' arguments
",
    );
    text
}

/// Runs the program: `exe` is this executable's path, `words` its arguments. Returns the exit
/// code.
pub fn main(exe: &std::path::Path, words: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (object, meta) = match crate::loader::unbundle(exe) {
        Ok(Some(model)) => model,
        Ok(None) => {
            let _ = writeln!(err, "This is vppl's model runner; `vppl build MODEL` makes a model program from it.");
            return USAGE;
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 70;
        }
    };
    if words.is_empty() {
        let _ = write!(err, "{}", help(&meta, false));
        return USAGE;
    }
    if matches!(words[0].as_str(), "help" | "help-all" | "--help" | "-h") {
        let _ = write!(out, "{}", help(&meta, words[0] == "help-all"));
        return 0;
    }
    // `MODEL optimize help` (or `method=optimize help`): that method's arguments.
    if words.iter().any(|w| w == "help" || w == "help-all") {
        let named = |w: &String| METHOD_HELP.iter().find(|(m, _)| w == m || w.strip_prefix("method=") == Some(m));
        if let Some((_, lines)) = words.iter().find_map(named) {
            let _ = write!(out, "{lines}");
            return 0;
        }
    }
    if words[0] == "info" {
        let (major, minor, patch) =
            crate::output::CsvHeader::new("", RunMethod::Vppl(ViConfig::default())).stan_version;
        let _ = writeln!(out, "stan_version_major = {major}");
        let _ = writeln!(out, "stan_version_minor = {minor}");
        let _ = writeln!(out, "stan_version_patch = {patch}");
        for flag in ["STAN_THREADS", "STAN_MPI", "STAN_OPENCL", "STAN_NO_RANGE_CHECKS", "STAN_CPP_OPTIMS"] {
            let _ = writeln!(out, "{flag}=false");
        }
        let _ = writeln!(out, "vppl_version = {}", env!("CARGO_PKG_VERSION"));
        return 0;
    }
    let args = match parse_args(words) {
        Ok(args) => args,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return USAGE;
        }
    };
    match run(object, meta, &args, out) {
        Ok(code) => code,
        Err((code, e)) => {
            let _ = writeln!(err, "error: {e}");
            code
        }
    }
}

/// Loads the model's code and its data (from `data file=`).
fn load_model(object: &[u8], meta: ModelMeta, args: &Args) -> Result<CompiledModel, (i32, String)> {
    let code = crate::loader::load(object).map_err(|e| (70, e))?;
    let data_file = args.get("data.file").unwrap_or("");
    let data = if data_file.is_empty() {
        crate::data::DataFile::empty()
    } else {
        app::read_data_file(std::path::Path::new(data_file)).map_err(|e| (DATA_ERROR, e))?
    };
    let model = app::with_data(code.entries, meta, &data, data_file).map_err(|e| (DATA_ERROR, e))?;
    // The code must outlive the model, which lives until the process ends.
    std::mem::forget(code);
    Ok(model)
}

/// What a method was asked to do, read from its arguments before the model is loaded.
enum Task {
    Variational(RunMethod),
    Optimize(methods::OptimizeConfig),
    Pathfinder(methods::PathfinderConfig),
    GenerateQuantities(PathBuf),
    Diagnose { epsilon: f64, error: f64 },
}

fn run(object: Vec<u8>, meta: ModelMeta, args: &Args, out: &mut dyn Write) -> Result<i32, (i32, String)> {
    let usage = |e: String| (USAGE, usage_error(&e));
    let method = args.method.clone().ok_or_else(|| usage("no method given".into()))?;
    match method.as_str() {
        "log_prob" => return log_prob(object, meta, args).map(|()| 0),
        "laplace" => return laplace(object, meta, args).map(|()| 0),
        _ => {}
    }
    let seed = seed(args).map_err(usage)?;
    let init_text = args.get("init").unwrap_or("2").to_string();
    let init = match init_text.parse::<f64>() {
        Ok(r) if r.is_finite() && r >= 0.0 => Init::Radius(r),
        Ok(_) => return Err(usage(format!("init={init_text}: a radius must be a non-negative number"))),
        Err(_) => Init::File(PathBuf::from(&init_text)),
    };
    let sig_figs = sig_figs(args).map_err(usage)?;
    let refresh = args.parse("output.refresh", "a non-negative integer").map_err(usage)?.unwrap_or(100);
    let task = match method.as_str() {
        "variational" => {
            let mut method = variational_method(args, seed).map_err(usage)?;
            // Threads for the gradient draws (any count gives the same result); 0 lets the fit
            // choose.
            if let (RunMethod::Vppl(config), Some(n)) =
                (&mut method, args.parse("num_threads", "an integer").map_err(usage)?)
            {
                let n: i64 = n;
                config.threads = usize::try_from(n).unwrap_or(0);
            }
            Task::Variational(method)
        }
        "optimize" => Task::Optimize(optimize_config(args).map_err(usage)?),
        "pathfinder" => Task::Pathfinder(pathfinder_config(args).map_err(usage)?),
        "generate_quantities" => match args.get("generate_quantities.fitted_params") {
            Some(path) => Task::GenerateQuantities(PathBuf::from(path)),
            None => return Err(usage("generate_quantities needs fitted_params=FILE (a Stan CSV of draws)".into())),
        },
        "diagnose" => {
            let d = |k: &str| format!("diagnose.{k}");
            if let Some(test) = args.get(&d("test")).filter(|t| *t != "gradient") {
                return Err(usage(format!("test={test}: the only test is gradient")));
            }
            let epsilon = args.parse(&d("epsilon"), "a positive number").map_err(usage)?.unwrap_or(1e-6);
            let error = args.parse(&d("error"), "a positive number").map_err(usage)?.unwrap_or(1e-6);
            for (name, value) in [("epsilon", epsilon), ("error", error)] {
                if !(value > 0.0 && f64::is_finite(value)) {
                    return Err(usage(format!("{name}={value}: {name} must be a positive number")));
                }
            }
            Task::Diagnose { epsilon, error }
        }
        other => return Err(usage(format!("method={other} is not a method"))),
    };
    let data_file = args.get("data.file").unwrap_or("").to_string();
    let model_name = meta.name.clone();
    let output = PathBuf::from(args.get("output.file").unwrap_or("output.csv"));
    crate::output::check_writable(&output).map_err(|e| (73, format!("cannot write `{}`: {e}", output.display())))?;
    let model = load_model(&object, meta, args)?;
    let method = match task {
        Task::Variational(method) => method,
        task => {
            let mut header = crate::output::CsvHeader::new(&model_name, crate::output::MethodBlock::new("", seed));
            header.data_file = data_file;
            header.output_file = output.display().to_string();
            header.sig_figs = sig_figs;
            header.refresh = refresh;
            header.init = init_text;
            header.stanc_version = format!("vppl {}", env!("CARGO_PKG_VERSION"));
            header.start_datetime = app::utc_now();
            let c = methods::Common { model: &model, header, output, init, seed, sig_figs, refresh };
            return match task {
                Task::Optimize(config) => methods::optimize(&c, &config, out),
                Task::Pathfinder(config) => methods::pathfinder(&c, &config, out),
                Task::GenerateQuantities(path) => methods::generate_quantities(&c, &path, out),
                Task::Diagnose { epsilon, error } => methods::diagnose(&c, epsilon, error, out),
                Task::Variational(_) => unreachable!("handled above"),
            };
        }
    };
    let settings = FitSettings {
        method,
        init,
        init_text,
        psis: false,
        output,
        summary_json: None,
        diagnostic_file: args.get("output.diagnostic_file").map(PathBuf::from),
        model_name,
        data_file,
        compile_ms: 0.0,
        iter_option: "iter=",
        sig_figs,
        refresh,
        evidence_draws: crate::evidence::DEFAULT_MAX_DRAWS,
        evidence_mcse: crate::evidence::DEFAULT_TARGET_MCSE,
    };
    settings.check_writable().map_err(|e| (73, e))?;
    app::fit(&model, &settings, out).map(|_| 0).map_err(|e| (70, e))
}

/// The L-BFGS tolerances and first step, as `optimize` and `pathfinder` both take them.
fn tolerances(args: &Args, group: &str) -> Result<(f64, crate::quasi_newton::Tolerances, usize), String> {
    let k = |name: &str| format!("{group}.{name}");
    let positive = |name: &str, default: f64| -> Result<f64, String> {
        match args.parse::<f64>(&k(name), "a non-negative number")? {
            None => Ok(default),
            Some(v) if v >= 0.0 && v.is_finite() => Ok(v),
            Some(v) => Err(format!("{name}={v}: {name} must be a non-negative number")),
        }
    };
    let d = crate::quasi_newton::Tolerances::CMDSTAN;
    let tol = crate::quasi_newton::Tolerances {
        obj: positive("tol_obj", d.obj)?,
        rel_obj: positive("tol_rel_obj", d.rel_obj)?,
        grad: positive("tol_grad", d.grad)?,
        rel_grad: positive("tol_rel_grad", d.rel_grad)?,
        param: positive("tol_param", d.param)?,
    };
    let init_alpha = positive("init_alpha", 0.001)?;
    if init_alpha == 0.0 {
        return Err("init_alpha=0: init_alpha must be positive".into());
    }
    let history_size = count(args, &k("history_size"), 5)?;
    Ok((init_alpha, tol, history_size))
}

/// A positive integer argument, or `default`.
fn count(args: &Args, key: &str, default: usize) -> Result<usize, String> {
    match args.parse::<usize>(key, "a positive integer")? {
        Some(0) => {
            let name = key.rsplit('.').next().unwrap_or(key);
            Err(format!("{name}=0: {name} must be a positive integer"))
        }
        n => Ok(n.unwrap_or(default)),
    }
}

/// `optimize`'s arguments.
fn optimize_config(args: &Args) -> Result<methods::OptimizeConfig, String> {
    let d = methods::OptimizeConfig::default();
    let algorithm = match args.get("optimize.algorithm").unwrap_or("lbfgs") {
        "lbfgs" => methods::OptimizeAlgorithm::Lbfgs,
        "bfgs" => methods::OptimizeAlgorithm::Bfgs,
        "newton" => methods::OptimizeAlgorithm::Newton,
        other => return Err(format!("algorithm={other}: the algorithms are lbfgs (the default), bfgs and newton")),
    };
    let (init_alpha, tol, history_size) = tolerances(args, "optimize")?;
    Ok(methods::OptimizeConfig {
        algorithm,
        jacobian: flag(args, "optimize.jacobian", d.jacobian)?,
        iter: count(args, "optimize.iter", d.iter)?,
        init_alpha,
        tol,
        history_size,
        save_iterations: flag(args, "optimize.save_iterations", d.save_iterations)?,
    })
}

/// `pathfinder`'s arguments.
fn pathfinder_config(args: &Args) -> Result<methods::PathfinderConfig, String> {
    let d = methods::PathfinderConfig::default();
    let k = |name: &str| format!("pathfinder.{name}");
    let (init_alpha, tol, history_size) = tolerances(args, "pathfinder")?;
    Ok(methods::PathfinderConfig {
        init_alpha,
        tol,
        history_size,
        num_psis_draws: count(args, &k("num_psis_draws"), d.num_psis_draws)?,
        num_paths: count(args, &k("num_paths"), d.num_paths)?,
        save_single_paths: flag(args, &k("save_single_paths"), d.save_single_paths)?,
        psis_resample: flag(args, &k("psis_resample"), d.psis_resample)?,
        calculate_lp: flag(args, &k("calculate_lp"), d.calculate_lp)?,
        max_lbfgs_iters: count(args, &k("max_lbfgs_iters"), d.max_lbfgs_iters)?,
        num_draws: count(args, &k("num_draws"), d.num_draws)?,
        num_elbo_draws: count(args, &k("num_elbo_draws"), d.num_elbo_draws)?,
    })
}

/// `log_prob`: the log density (Stan's `lp__`: without constants, with the Jacobian unless
/// `jacobian=0`) and its
/// gradient on the unconstrained scale at each given point, as CmdStan writes them: a CSV of
/// `lp__` and one `g_` column per unconstrained parameter. The points come from a JSON file of
/// constrained parameter values (`constrained_params=`) or of unconstrained vectors
/// (`unconstrained_params=`, CmdStan's `params_r`, one vector or a list of them).
fn log_prob(object: Vec<u8>, meta: ModelMeta, args: &Args) -> Result<(), (i32, String)> {
    use crate::Model as _;
    let usage = |e: String| (USAGE, usage_error(&e));
    let jacobian = flag(args, "log_prob.jacobian", true).map_err(usage)?;
    let (constrained, unconstrained) =
        (args.get("log_prob.constrained_params"), args.get("log_prob.unconstrained_params"));
    let (path, is_constrained) = match (constrained, unconstrained) {
        (Some(_), Some(_)) => return Err(usage("give constrained_params= or unconstrained_params=, not both".into())),
        (None, None) => {
            return Err(usage("log_prob needs constrained_params=FILE or unconstrained_params=FILE".into()));
        }
        (Some(p), None) => (p, true),
        (None, Some(p)) => (p, false),
    };
    let output = PathBuf::from(args.get("output.file").unwrap_or("output.csv"));
    crate::output::check_writable(&output).map_err(|e| (73, format!("cannot write `{}`: {e}", output.display())))?;
    let sig_figs = sig_figs(args).map_err(usage)?;
    let model = load_model(&object, meta, args)?;
    let n = model.n_unconstrained();
    let text = std::fs::read_to_string(path).map_err(|e| (DATA_ERROR, format!("cannot read `{path}`: {e}")))?;
    let points: Vec<Vec<f64>> = if is_constrained {
        let file = crate::data::parse_data_file(&text).map_err(|e| (DATA_ERROR, format!("in `{path}`: {e}")))?;
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0);
        require_parameters(&model, &file, path)?;
        vec![model.unconstrain(&file, &mut rng).map_err(|e| (DATA_ERROR, format!("in `{path}`: {}", e.message)))?]
    } else {
        unconstrained_points(&text, n).map_err(|e| (DATA_ERROR, format!("in `{path}`: {e}")))?
    };
    let mut csv = String::new();
    csv.push_str(&format!(
        "# model = {}\n# method = log_prob\n#   jacobian = {}\n",
        model.meta().name,
        u8::from(jacobian)
    ));
    csv.push_str("lp__");
    for k in 1..=n {
        csv.push_str(&format!(",g_{k}"));
    }
    csv.push('\n');
    let mut grad = vec![0.0; n];
    for point in &points {
        let lp = model.gradient_with_jacobian(point, jacobian, &mut grad).map_err(|e| (70, e.to_string()))?;
        csv.push_str(&crate::output::format_g(lp, sig_figs));
        for g in &grad {
            csv.push(',');
            csv.push_str(&crate::output::format_g(*g, sig_figs));
        }
        csv.push('\n');
    }
    std::fs::write(&output, csv).map_err(|e| (73, format!("cannot write `{}`: {e}", output.display())))
}

/// A CmdStan boolean argument (`0` or `1`), or `default` when not given.
fn flag(args: &Args, key: &str, default: bool) -> Result<bool, String> {
    match args.get(key) {
        None => Ok(default),
        Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some(v) => {
            let name = key.rsplit('.').next().unwrap_or(key);
            Err(format!("{name}={v}: {name} must be 0 or 1"))
        }
    }
}

/// An error naming the parameters the file of constrained values at `path` lacks, if any.
fn require_parameters(model: &CompiledModel, file: &crate::data::DataFile, path: &str) -> Result<(), (i32, String)> {
    let missing: Vec<&str> =
        model.meta().parameters.iter().map(|p| p.name.as_str()).filter(|name| !file.contains(name)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let s = if missing.len() > 1 { "s" } else { "" };
    Err((DATA_ERROR, format!("`{path}` lacks the parameter{s} {}", missing.join(", "))))
}

/// `random seed=`: 0 to 4294967295, or the clock's when not given (or -1).
fn seed(args: &Args) -> Result<u64, String> {
    match args.parse::<i64>("random.seed", "an integer from 0 to 4294967295")? {
        Some(s) if (0..=i64::from(u32::MAX)).contains(&s) => Ok(s as u64),
        Some(s) if s != -1 => Err(format!("seed={s}: a seed is from 0 to 4294967295")),
        _ => Ok(app::clock_seed()),
    }
}

/// `laplace`: draws from the normal approximation at the mode `mode=` gives (CmdStan's
/// optimize CSV or a JSON file of constrained parameter values), with the exact Hessian
/// ([`crate::laplace`]), written as CmdStan's laplace CSV.
fn laplace(object: Vec<u8>, meta: ModelMeta, args: &Args) -> Result<(), (i32, String)> {
    let usage = |e: String| (USAGE, usage_error(&e));
    let jacobian = flag(args, "laplace.jacobian", true).map_err(usage)?;
    if args.parse::<u8>("laplace.calculate_lp", "0 or 1").map_err(usage)?.is_some_and(|c| c != 1) {
        return Err(usage("calculate_lp=0: log_p__ is always calculated".into()));
    }
    let mode_file = args.get("laplace.mode").ok_or_else(|| usage("laplace needs mode=FILE".into()))?.to_string();
    let draws = match args.parse::<i64>("laplace.draws", "a positive integer").map_err(usage)? {
        None => 1000,
        Some(d) if d > 0 => d as usize,
        Some(d) => return Err(usage(format!("draws={d}: draws must be a positive integer"))),
    };
    let seed = seed(args).map_err(usage)?;
    let sig_figs = sig_figs(args).map_err(usage)?;
    let output = PathBuf::from(args.get("output.file").unwrap_or("output.csv"));
    crate::output::check_writable(&output).map_err(|e| (73, format!("cannot write `{}`: {e}", output.display())))?;
    let model = load_model(&object, meta, args)?;
    let mode = crate::laplace::read_mode(&model, std::path::Path::new(&mode_file)).map_err(|e| (DATA_ERROR, e))?;
    require_parameters(&model, &mode, &mode_file)?;
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(seed);
    let mode =
        model.unconstrain(&mode, &mut rng).map_err(|e| (DATA_ERROR, format!("in `{mode_file}`: {}", e.message)))?;
    let result = crate::laplace::draws(&model, &mode, draws, seed, jacobian).map_err(|e| (DATA_ERROR, e))?;
    let settings = crate::laplace::LaplaceSettings {
        mode_file,
        draws,
        seed,
        data_file: args.get("data.file").unwrap_or("").to_string(),
        output_file: output.display().to_string(),
        jacobian,
        sig_figs,
    };
    let mut csv = Vec::new();
    crate::laplace::write_csv(&mut csv, &model, &settings, &result).map_err(|e| (70, e.to_string()))?;
    std::fs::write(&output, csv).map_err(|e| (73, format!("cannot write `{}`: {e}", output.display())))
}

/// `output sig_figs=`: CmdStan's 1 to 18 significant digits (its default otherwise).
fn sig_figs(args: &Args) -> Result<usize, String> {
    match args.parse::<usize>("output.sig_figs", "an integer from 1 to 18")? {
        None => Ok(crate::output::DEFAULT_SIG_FIGS),
        Some(n) if (1..=18).contains(&n) => Ok(n),
        Some(n) => Err(format!("sig_figs={n}: sig_figs must be an integer from 1 to 18")),
    }
}

/// CmdStan's unconstrained parameter file: `{"params_r": [...]}` with one vector of `n` values
/// or a list of them.
fn unconstrained_points(text: &str, n: usize) -> Result<Vec<Vec<f64>>, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let params = json.get("params_r").ok_or("no `params_r` (the unconstrained values)")?;
    let vector = |v: &serde_json::Value| -> Result<Vec<f64>, String> {
        let values: Option<Vec<f64>> = v.as_array().map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect());
        match values {
            Some(values) if values.len() == n && v.as_array().is_some_and(|a| a.len() == n) => Ok(values),
            _ => Err(format!("`params_r` must hold vectors of {n} numbers (the model's unconstrained parameters)")),
        }
    };
    match params.as_array() {
        Some(items) if items.first().is_some_and(serde_json::Value::is_array) => items.iter().map(vector).collect(),
        _ => Ok(vec![vector(params)?]),
    }
}

/// The fit `variational`'s arguments ask for: vppl's method, or with `engine=stan` Stan's ADVI.
fn variational_method(args: &Args, seed: u64) -> Result<RunMethod, String> {
    let v = |k: &str| format!("variational.{k}");
    let engine = args.get(&v("engine")).unwrap_or("vppl");
    let algorithm = args.get(&v("algorithm"));
    let iter: Option<usize> = args.parse(&v("iter"), "a positive integer")?;
    let grad_samples: Option<usize> = args.parse(&v("grad_samples"), "a positive integer")?;
    let output_samples: Option<usize> = args.parse(&v("output_samples"), "a positive integer")?;
    let progress = false;
    match engine {
        "vppl" => {
            // Stan's ADVI's arguments mean nothing to vppl's method: at CmdStan's defaults (as
            // cmdstanpy always writes `adapt engaged=1`) they are let through, otherwise refused.
            let stan_only = [
                ("elbo_samples", 100.0),
                ("eta", 1.0),
                ("tol_rel_obj", 0.01),
                ("eval_elbo", 100.0),
                ("adapt.engaged", 1.0),
                ("adapt.iter", 50.0),
            ];
            for (k, default) in stan_only {
                if args.parse::<f64>(&v(k), "a number")?.is_some_and(|x| x != default) {
                    let name = k.rsplit('.').next().unwrap_or(k);
                    return Err(format!(
                        "{name} is an argument of Stan's ADVI; add engine=stan to run Stan's algorithm"
                    ));
                }
            }
            let rank: usize = args.parse(&v("rank"), "a positive integer")?.unwrap_or(2);
            let family = match algorithm.unwrap_or("fullrank") {
                "meanfield" => Family::MeanField,
                "fullrank" => Family::FullRank,
                "lowrank" => Family::LowRank { rank },
                other => return Err(format!("algorithm={other}: the families are meanfield, fullrank and lowrank")),
            };
            let defaults = ViConfig::default();
            Ok(RunMethod::Vppl(ViConfig {
                family,
                seed,
                max_iters: iter.unwrap_or(defaults.max_iters),
                draws_per_step: grad_samples.unwrap_or(defaults.draws_per_step),
                output_samples: output_samples.unwrap_or(defaults.output_samples),
                progress,
                ..defaults
            }))
        }
        "stan" => {
            let d = crate::advi::AdviConfig::default();
            let algorithm = match algorithm.unwrap_or("meanfield") {
                "meanfield" => crate::advi::Algorithm::MeanField,
                "fullrank" => crate::advi::Algorithm::FullRank,
                other => return Err(format!("algorithm={other}: Stan's ADVI has meanfield and fullrank")),
            };
            let engaged: Option<u8> = args.parse(&v("adapt.engaged"), "0 or 1")?;
            Ok(RunMethod::StanAdvi(crate::advi::AdviConfig {
                algorithm,
                iter: iter.unwrap_or(d.iter),
                grad_samples: grad_samples.unwrap_or(d.grad_samples),
                elbo_samples: args.parse(&v("elbo_samples"), "a positive integer")?.unwrap_or(d.elbo_samples),
                eta: args.parse(&v("eta"), "a positive number")?.unwrap_or(d.eta),
                adapt_engaged: engaged.map_or(d.adapt_engaged, |e| e != 0),
                adapt_iter: args.parse(&v("adapt.iter"), "a positive integer")?.unwrap_or(d.adapt_iter),
                tol_rel_obj: args.parse(&v("tol_rel_obj"), "a positive number")?.unwrap_or(d.tol_rel_obj),
                eval_elbo: args.parse(&v("eval_elbo"), "a positive integer")?.unwrap_or(d.eval_elbo),
                output_samples: output_samples.unwrap_or(d.output_samples),
                seed,
                progress,
            }))
        }
        other => Err(format!("engine={other}: the engines are vppl (the default) and stan")),
    }
}
