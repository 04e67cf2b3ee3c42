//! `vppl plot`: pictures of a fit from the CSV `vppl run` wrote. The drawing is in
//! `runtime::plot`; this module reads the files, words the errors and prints what it wrote.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use runtime::plot::{self, Column, ImageFormat, PlotError};

use super::Failure;

/// The most panels drawn when `--params` is not given.
const DEFAULT_PANELS: usize = 12;

#[derive(clap::Args)]
pub struct PlotArgs {
    /// Stan's variational CSV, as `vppl run --output` writes it (CmdStan's works too).
    fit: PathBuf,
    /// The picture to write, PNG or SVG by its extension. Default: FIT with the extension
    /// `.png`, beside the CSV.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The quantities to draw, comma-separated, named as in Stan (`mu,theta[1]`; `theta` for all
    /// its elements) or as in the CSV (`theta.1`). Default: the first 12 outputs.
    #[arg(long, value_name = "NAMES")]
    params: Option<String>,
    /// The ELBO trace, as `vppl run --diagnostic-file` writes it: adds a panel of the ELBO by
    /// iteration.
    #[arg(long, value_name = "ELBO_CSV")]
    diagnostic_file: Option<PathBuf>,
}

/// Reads the fit (and the ELBO trace), chooses the quantities and writes the picture.
pub fn plot(a: PlotArgs) -> Result<(), Failure> {
    let output = a.output.clone().unwrap_or_else(|| a.fit.with_extension("png"));
    let format = ImageFormat::from_path(&output).ok_or_else(|| {
        format!("cannot tell the picture format of `{}`: name it FILE.png or FILE.svg", output.display())
    })?;
    let fit = plot::read_fit(&read(&a.fit, "fit")?).map_err(|e| message(e, &a.fit))?;
    let elbo = match &a.diagnostic_file {
        Some(path) => Some(plot::read_elbo_trace(&read(path, "diagnostic file")?).map_err(|e| message(e, path))?),
        None => None,
    };
    let columns: Vec<&Column> = match &a.params {
        Some(list) => plot::select(&fit, &plot::split_names(list)).map_err(|e| message(e, &a.fit))?,
        None => {
            if fit.columns.len() > DEFAULT_PANELS {
                let example = example_params(&fit);
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "note: drawing the first {DEFAULT_PANELS} of {} quantities; choose others with --params (e.g. --params {example})",
                    fit.columns.len()
                );
            }
            fit.columns.iter().take(DEFAULT_PANELS).collect()
        }
    };
    plot::write_picture(&output, format, &columns, elbo.as_deref()).map_err(|e| message(e, &output))?;
    let elbo_note = if elbo.is_some() { " and the ELBO trace" } else { "" };
    let s = if columns.len() == 1 { "y" } else { "ies" };
    outln!("Wrote {} ({} densit{s}{elbo_note})", output.display(), columns.len());
    Ok(())
}

fn read(path: &Path, what: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::Message(format!("cannot read {what} `{}`: {e}", path.display())))
}

/// Words a plotting error; `path` is the file it is about.
fn message(error: PlotError, path: &Path) -> Failure {
    let path = path.display();
    Failure::Message(match error {
        PlotError::NotStanCsv(why) => format!("`{path}` is not a Stan CSV: {why}"),
        PlotError::NothingToPlot(why) => format!("nothing to draw in `{path}`: {why}"),
        PlotError::NotElboTrace(why) => format!("`{path}` is not an ELBO trace (`vppl run --diagnostic-file`): {why}"),
        PlotError::NoNames => "--params names no quantity".to_string(),
        PlotError::TooMany { chosen } => {
            format!("--params chooses {chosen} quantities; one picture holds {} at most", plot::MAX_PANELS)
        }
        PlotError::UnknownName { name, known } => {
            let base = plot::base_name(&name);
            let elements: Vec<&String> =
                known.iter().filter(|k| k.as_str() != base && plot::base_name(k) == base).collect();
            let hint = match (
                elements.first(),
                elements.last(),
                crate::sema::errors::suggest(&name, known.iter().map(String::as_str)),
            ) {
                (Some(first), Some(last), _) => format!("`{base}` has the elements {first} to {last}"),
                (_, _, Some(best)) => format!("did you mean `{best}`?"),
                _ => {
                    let bases: Vec<&str> = known.iter().map(String::as_str).filter(|k| !k.contains('[')).collect();
                    format!("its quantities are {}", bases.join(", "))
                }
            };
            format!("`{name}` is not in `{path}`; {hint}")
        }
        PlotError::Draw(why) => format!("cannot draw the picture (a bug in vppl): {why}"),
        PlotError::Write(e) => format!("cannot write `{path}`: {e}"),
    })
}

/// A `--params` value to suggest: the fit's first two base names.
fn example_params(fit: &plot::Fit) -> String {
    let mut bases: Vec<&str> = fit.columns.iter().map(|c| plot::base_name(&c.name)).collect();
    bases.dedup();
    bases.into_iter().take(2).collect::<Vec<_>>().join(",")
}
