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

use crate::support::cargo;

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

/// A field of secrecy's types without the `secrecy` feature is one error
/// per field, at the field, naming the feature, and nothing more. trybuild's
/// project has the feature on, so this case is a crate of its own, checked
/// beside trybuild's (sharing its check of the SDK).
#[test]
fn a_secrecy_field_without_the_feature_is_one_error_naming_it() {
    let dir = cargo::scratch_dir("secrecy-without-feature");
    cargo::scratch_crate(
        &dir,
        "secrecy-without-feature",
        &format!(
            "[dependencies]\n\
             ssm-config = {{ path = \"{}/ssm-config\", default-features = false }}\n{}",
            cargo::workspace(),
            cargo::cases_dependencies()
        ),
        r#"use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
pub struct Settings {
    pub password: secrecy::SecretString,
    pub pin: Option<secrecy::SecretBox<u64>>,
}
"#,
    );
    let (success, diagnostics, stderr) = cargo::check_beside_trybuild(&dir, &[]);
    assert!(!success, "checked without the feature:\n{stderr}");
    let errors: Vec<&str> = diagnostics
        .lines()
        .filter(|line| line.starts_with("error") && !line.starts_with("error: aborting"))
        .collect();
    let feature =
        "error[E0277]: a field of a `secrecy` type needs the `secrecy` feature of ssm-config";
    assert_eq!(errors, [feature; 2], "one error per field:\n{diagnostics}");
    for field in [
        "pub password: secrecy::SecretString",
        "pub pin: Option<secrecy::SecretBox<u64>>",
    ] {
        assert!(
            diagnostics.contains(field),
            "no error at `{field}`:\n{diagnostics}"
        );
    }
}
