//! Built-in functions and distributions.

pub mod linalg;
pub mod special;
