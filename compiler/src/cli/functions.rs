//! `vppl functions`: every signature of Stan's built-in functions, from the catalog, with
//! whether vppl compiles it.

use crate::catalog::{self, Signature, Status};

use super::Failure;

#[derive(clap::Args)]
pub struct FunctionsArgs {
    /// A function (`normal_lpdf`) or a distribution (`normal`: all its functions); none lists
    /// every signature.
    name: Option<String>,
    /// Print a JSON list of objects with `name`, `signature`, `status` and, for a signature not
    /// compiled yet, `reason`.
    #[arg(long)]
    json: bool,
}

/// The suffixes of the functions derived from a distribution, in the order they are listed.
const DISTRIBUTION_SUFFIXES: [&str; 8] = ["_lpdf", "_lupdf", "_lpmf", "_lupmf", "_cdf", "_lcdf", "_lccdf", "_rng"];

pub fn functions(a: FunctionsArgs) -> Result<(), Failure> {
    let names: Vec<String> = match &a.name {
        None => catalog::all_names().iter().map(ToString::to_string).collect(),
        Some(name) if catalog::is_builtin(name) => vec![name.clone()],
        Some(name) if catalog::distribution(name).is_some() => DISTRIBUTION_SUFFIXES
            .iter()
            .map(|suffix| format!("{name}{suffix}"))
            .filter(|f| catalog::is_builtin(f))
            .collect(),
        Some(name) => {
            let hint = match crate::sema::errors::suggest(name, catalog::all_names().iter().copied()) {
                Some(best) => format!("; did you mean `{best}`?"),
                None => String::new(),
            };
            return Err(Failure::Message(format!(
                "`{name}` is not a built-in function of Stan{hint} (run `vppl functions` for the list)"
            )));
        }
    };
    let signatures: Vec<&Signature> = names.iter().flat_map(|n| catalog::lookup(n)).collect();
    if a.json {
        let items: Vec<serde_json::Value> = signatures
            .iter()
            .map(|s| {
                let mut item =
                    serde_json::json!({ "name": s.name, "signature": s.to_string(), "status": status_word(s.status) });
                if s.status != Status::Implemented {
                    item["reason"] = serde_json::Value::from(not_yet_reason(s));
                }
                item
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&items).map_err(|e| e.to_string())?);
        return Ok(());
    }
    for name in &names {
        outln!("{name}");
        for s in catalog::lookup(name) {
            match s.status {
                Status::Implemented => outln!("  {:<12} {s}", status_word(s.status)),
                Status::SignatureOnly => outln!("  {:<12} {s}  ({})", status_word(s.status), not_yet_reason(s)),
            }
        }
    }
    let implemented = signatures.iter().filter(|s| s.status == Status::Implemented).count();
    outln!("{implemented} of {} signatures implemented", signatures.len());
    Ok(())
}

/// How a status reads in the listing and in the JSON.
fn status_word(status: Status) -> &'static str {
    match status {
        Status::Implemented => "implemented",
        Status::SignatureOnly => "not yet",
    }
}

/// Why vppl does not compile a signature yet, in a few words.
fn not_yet_reason(s: &Signature) -> &'static str {
    let name = s.name;
    let complex = s.to_string().contains("complex");
    if name.starts_with("laplace_") || name == "generate_laplace_options" {
        "the embedded Laplace approximation (a function that takes functions) comes after the ODE solvers"
    } else if crate::sema::builtins::is_higher_order(name) {
        "a function that takes a function: map_rect, integrate_1d and the algebraic and DAE solvers come after the ODE solvers"
    } else if name.starts_with("hmm_") {
        "the hidden Markov model functions come with the higher-order ones"
    } else if matches!(name, "eigenvalues" | "eigenvectors" | "eigendecompose") || name.starts_with("complex_schur") {
        "it needs the eigendecomposition of a general (non-symmetric) matrix, not compiled yet"
    } else if complex {
        "this decomposition or solve of a complex matrix is not compiled yet"
    } else if name.starts_with("svd") {
        "the SVD's factors are not compiled yet; the singular values are"
    } else if name == "target" {
        "reading target() is not compiled yet"
    } else {
        "not compiled yet"
    }
}
