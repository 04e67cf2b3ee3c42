//! The numerics compiled code calls: special functions, scalar functions with their
//! derivatives, dense linear algebra.

pub mod linalg;
pub mod scalar;
pub mod special;
pub mod wiener;
