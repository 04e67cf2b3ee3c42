//! Runs a compiled model: ADVI, ELBO, RNG, data loading, output writers.
//!
//! Invariant: this crate never depends on `compiler` or on Cranelift.

pub mod model;

pub use model::{EvalError, EvalErrorKind, Model, OutputName};
