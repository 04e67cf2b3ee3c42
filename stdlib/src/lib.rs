//! Built-in functions and distributions.
