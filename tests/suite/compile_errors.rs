//! Compile-fail tests of the derive: each file in `tests/compile-fail/ui`
//! makes one mistake (`multiple_mistakes.rs` several) and its `.stderr`
//! holds the diagnostics the user sees. The snapshots match the compiler
//! pinned in `rust-toolchain.toml`; regenerate them with
//! `TRYBUILD=overwrite cargo test --test suite compile_errors`.
//!
//! trybuild checks the cases in a project that takes the dependencies of
//! the package `CARGO_MANIFEST_DIR` names, which is read when the test
//! runs: the test runs in a process of its own that names the package
//! `tests/compile-fail`, so the project takes only what the cases need
//! (`ssm-config` without its HTTPS client), not this package's test
//! tooling. Run from this binary, trybuild's check of the SDK goes on while
//! the other tests run, instead of after them.

#[test]
fn derive_mistakes_fail_to_compile_with_precise_messages() {
    let cases = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/compile-fail");
    in_own_process!(
        derive_mistakes_fail_to_compile_with_precise_messages,
        env: &[("CARGO_MANIFEST_DIR", cases)],
        {
            // The process runs this test alone: its working directory is its
            // own to set, and trybuild shows the cases' paths relative to it.
            std::env::set_current_dir(cases).unwrap();
            trybuild::TestCases::new().compile_fail("ui/*.rs");
        }
    );
}
