//! AST → typed IR → gradient IR → machine code; the `vppl` command-line program.
//!
//! Invariant: stages are functions; only `driver` runs them in order.

pub mod ad;
pub mod catalog;
pub mod cli;
pub mod codegen;
pub mod driver;
pub mod ir;
pub mod opt;
pub mod sema;
