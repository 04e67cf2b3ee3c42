//! Cranelift code generation: `translate` (IR → Cranelift IR) shared by the JIT (`jit`) and,
//! later, ahead-of-time object files.

pub mod jit;
pub mod translate;
