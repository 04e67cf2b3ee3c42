//! `vppl functions`: every signature of Stan's built-in functions, from the catalog, with
//! whether vppl compiles it.

use crate::catalog::{self, Signature, Status};

use super::Failure;

#[derive(clap::Args)]
pub struct FunctionsArgs {
    /// A function (`normal_lpdf`) or a distribution (`normal`: all its functions); none lists
    /// every signature.
    name: Option<String>,
    /// Print a JSON list of objects with `name`, `signature` and `status`.
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
            .map(|s| serde_json::json!({ "name": s.name, "signature": s.to_string(), "status": status_word(s.status) }))
            .collect();
        outln!("{}", serde_json::to_string_pretty(&items).map_err(|e| e.to_string())?);
        return Ok(());
    }
    for name in &names {
        outln!("{name}");
        for s in catalog::lookup(name) {
            outln!("  {:<12} {s}", status_word(s.status));
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
