//! End-to-end harness lives in tests/*.rs.
