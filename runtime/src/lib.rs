//! Runs a compiled model: ADVI, ELBO, RNG, data loading, output writers.
//!
//! Invariant: this crate never depends on `compiler` or on Cranelift.

pub mod abi;
pub mod advi;
pub mod app;
pub mod compiled;
pub mod data;
pub mod evidence;
pub mod laplace;
pub mod loader;
pub mod loo;
pub mod methods;
pub mod model;
pub mod output;
pub mod plot;
pub mod progress;
pub mod psis;
pub mod quasi_newton;
pub mod standalone;
pub mod summary;
pub mod vi;

pub use model::{EvalError, EvalErrorKind, Model, OutputName};
