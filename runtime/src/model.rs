//! The interface between a compiled model and everything that runs it.
//!
//! The compiler's JIT and an AOT-built executable both implement [`Model`]; ADVI, diagnose and
//! the output writers only ever see this trait.

use rand_chacha::ChaCha8Rng;

/// What went wrong inside compiled model code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalErrorKind {
    /// A domain error (negative scale, non-finite argument) or a `reject`: during ADVI the
    /// draw's density is taken as −∞, as Stan does with `std::domain_error`.
    Domain,
    /// An index out of range: stops the run, as Stan's `std::out_of_range` does.
    Index,
    /// `fatal_error(...)`: stops the run.
    Fatal,
}

/// An error raised by compiled code, with the source location already in `message`.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub kind: EvalErrorKind,
    pub message: String,
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

/// One output column: a parameter, transformed parameter or generated quantity element.
/// `indices` are 1-based, in Stan's flattened order (column-major for matrices).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputName {
    pub name: String,
    pub indices: Vec<usize>,
    /// Of a complex element: `"real"` or `"imag"`, written after the indices as Stan does.
    pub part: Option<&'static str>,
}

impl OutputName {
    /// Stan CSV header form: `theta.1.2`.
    pub fn csv(&self) -> String {
        let mut s = self.name.clone();
        for i in &self.indices {
            s.push('.');
            s.push_str(&i.to_string());
        }
        if let Some(part) = self.part {
            s.push('.');
            s.push_str(part);
        }
        s
    }

    /// Summary / JSON form: `theta[1,2]`.
    pub fn display(&self) -> String {
        let part = self.part.map(|p| format!(".{p}")).unwrap_or_default();
        if self.indices.is_empty() {
            return format!("{}{part}", self.name);
        }
        let idx: Vec<String> = self.indices.iter().map(|i| i.to_string()).collect();
        format!("{}[{}]{part}", self.name, idx.join(","))
    }
}

/// A log density on the unconstrained space, its gradient, and the map back to the outputs.
///
/// Implementations must be callable from several threads at once (gradient draws run on all
/// cores), hence `Sync`.
pub trait Model: Sync {
    /// Dimension of the unconstrained parameter vector.
    fn n_unconstrained(&self) -> usize;

    /// Output columns: parameters, then transformed parameters, then generated quantities.
    fn output_names(&self) -> &[OutputName];

    /// Log density with the log-Jacobian of the constraining transforms included.
    /// `propto = true` drops the terms of `~` statements that do not depend on parameters (what
    /// the fit differentiates); `propto = false` keeps every constant (what the ELBO uses).
    fn log_density(&self, theta: &[f64], propto: bool) -> Result<f64, EvalError>;

    /// Why the log density is not finite at `theta`, in words: the term to blame with its
    /// place in the model, and the data elements it reads that are not finite. `None` when the
    /// model cannot tell (the default) or every term is finite there.
    fn explain_non_finite(&self, _theta: &[f64]) -> Option<String> {
        None
    }

    /// Log density (`propto = true`, Jacobian included) and its gradient, written to `grad`
    /// (`grad.len() == n_unconstrained()`).
    fn log_density_gradient(&self, theta: &[f64], grad: &mut [f64]) -> Result<f64, EvalError>;

    /// Constrained parameters, transformed parameters and generated quantities at `theta`,
    /// written to `out` (`out.len() == output_names().len()`).
    fn write_array(&self, theta: &[f64], rng: &mut ChaCha8Rng, out: &mut [f64]) -> Result<(), EvalError>;
}
