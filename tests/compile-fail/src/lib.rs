//! Nothing here: the package holds the dependencies of the derive's
//! compile-fail cases in `ui/`, which `tests/suite/compile_errors.rs`
//! checks with trybuild as this package's.
