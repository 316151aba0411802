//! Nothing here: the package exists for its test, `tests/derive_mistakes.rs`,
//! which compiles each file in `ui/` and compares what rustc says with the
//! `.stderr` beside it.
