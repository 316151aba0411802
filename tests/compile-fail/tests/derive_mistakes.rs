//! Compile-fail tests of the derive: each file in `ui/` makes one mistake
//! (`multiple_mistakes.rs` several) and its `.stderr` holds the diagnostics
//! the user sees. The snapshots match the compiler pinned in
//! `rust-toolchain.toml`; regenerate them with `TRYBUILD=overwrite`.

#[test]
fn derive_mistakes_fail_to_compile_with_precise_messages() {
    trybuild::TestCases::new().compile_fail("ui/*.rs");
}
