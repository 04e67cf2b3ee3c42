//! Stan source text to AST.
//!
//! Invariant: this crate knows nothing about types, blocks' rules or code generation; it turns
//! text into a syntax tree with spans, or into diagnostics.
//!
//! Entry point: [`parse`]. Printing an [`ast::Program`] with `Display` gives the canonical
//! formatting (see [`ast::pretty`]).
//!
//! # Diagnostic codes
//!
//! Every code this crate reports, with its meaning, is in [`CODES`] (`vppl explain` prints them).

/// The syntax phase's diagnostic codes and what each means.
pub const CODES: &[(&str, &str)] = &[
    ("E0001", "Lexical error: unexpected character, unterminated string or block comment."),
    ("E0002", "Syntax error: unexpected token or end of file (lists what was expected)."),
    ("E0003", "Removed syntax: `#` comment (use `//`)."),
    ("E0004", "Removed syntax: `<-` assignment (use `=`)."),
    ("E0005", "Removed syntax: `increment_log_prob(e);` (use `target += e;`)."),
    ("E0006", "Removed syntax: array declaration `real x[N];` or type `real[]` (use `array`)."),
    ("E0007", "Integer literal too large for Stan's 32-bit `int`."),
    ("E0008", "Invalid `<...>` constraint: not allowed on the type, repeated, or mixed kinds."),
    ("E0009", "Wrong number of sizes for a type (`matrix[N]`, `real[3]`)."),
    ("E0010", "An expression other than a function call used as a statement."),
    ("E0011", "`#include` is not supported."),
    ("E0012", "A program block out of order or repeated."),
    ("E0013", "Assignment to something that is not a variable (possibly indexed)."),
    ("E0014", "Removed function `get_lp()` (use `target()`)."),
    ("E0015", "Initial value on a declaration in `data` or `parameters`."),
    ("E0016", "Invalid type: constrained type in a function signature, one-element tuple."),
    ("E0017", "Invalid tuple index (`x.0`, or too large)."),
    ("E0018", "Indexing a transposed expression without parentheses (`M'[1]`)."),
    ("E0019", "Syntax from another language: `and`, `**`, `++`, `elif`, `do`, `1..N`, `//`."),
    ("E0020", "A number whose exponent has no digits (`1e`, `2.5e-`)."),
    ("E0021", "A string in single quotes (Stan strings use `\"`)."),
    ("E0022", "A constraint after the size or name (`vector[N]<lower=0>`, `real x<lower=0>`)."),
    ("E0023", "An unknown type starting a declaration (`float x;`, a misspelled `simplex`)."),
];

pub mod ast;
pub mod diagnostic;
pub mod lexer;
mod parse;
pub mod span;
pub mod token;

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, unused_parens, unused_imports, dead_code)]
    parser
);

pub use diagnostic::{Diagnostic, Severity};
pub use parse::{TYPE_KEYWORDS, parse};
pub use span::Span;
