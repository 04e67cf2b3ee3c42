//! AST printer (formatter).
