//! Built-in functions and distributions.

pub mod catalog;
pub mod linalg;
pub mod scalar;
pub mod special;
