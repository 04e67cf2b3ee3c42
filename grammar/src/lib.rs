//! Stan source text to AST.
//!
//! Invariant: this crate knows nothing about types, blocks' rules or code generation; it turns
//! text into a syntax tree with spans, or into diagnostics.

pub mod ast;
pub mod diagnostic;
pub mod lexer;
pub mod span;
pub mod token;

pub use diagnostic::{Diagnostic, Severity};
pub use span::Span;
