//! The feature sets that matter build warning-free. The test command builds
//! `ssm-config` with every feature (this package's dev-dependency turns them
//! all on); the other two are:
//! - no features at all: `cargo check` of the crate and its unit tests,
//!   where and as trybuild checks the compile-fail cases
//!   ([`cargo::check_beside_trybuild`]), so the two share one check of the
//!   SDK;
//! - the defaults, which add only the HTTPS client (features of `aws-config`
//!   and the SDK, which the test build compiles), and which the crate's
//!   code never asks for: the defaults' code is the code checked without
//!   features. [`the_defaults_add_only_the_https_client`] holds that to be
//!   so; should it fail, the defaults need a check of their own (one more
//!   check of the whole SDK).
//!
//! That the tools are absent without their features is a compile-fail case
//! (`tests/compile-fail/ui/tools_need_their_features.rs`).

use crate::support::cargo;

#[test]
fn the_crate_checks_warning_free_without_features() {
    let args = [
        "-p",
        "ssm-config",
        "--lib",
        "--tests",
        "--no-default-features",
    ];
    let (success, diagnostics, stderr) = cargo::check_beside_trybuild(cargo::workspace(), &args);
    assert!(
        success && diagnostics.is_empty(),
        "`cargo check {}`:\n{diagnostics}\n{stderr}",
        args.join(" ")
    );
}

/// The defaults are `default-https-client` alone, it turns on features of
/// `aws-config` and `aws-sdk-ssm` only (and of the fan-out SDKs where the
/// `fan-out` feature brings them), and no code of the crate is compiled for
/// it alone.
#[test]
fn the_defaults_add_only_the_https_client() {
    let features = &cargo::package("ssm-config")["features"];
    assert_eq!(
        features["default"],
        serde_json::json!(["default-https-client"])
    );
    let client = features["default-https-client"].as_array().unwrap();
    assert!(!client.is_empty());
    for enabled in client {
        let enabled = enabled.as_str().unwrap();
        // The fan-out SDKs' client only where `fan-out` brings them (`?/`).
        assert!(
            [
                "aws-config/",
                "aws-sdk-ssm/",
                "aws-sdk-sqs?/",
                "aws-sdk-sns?/"
            ]
            .iter()
            .any(|dependency| enabled.starts_with(dependency)),
            "default-https-client turns on {enabled}"
        );
    }
    let mut sources = vec![format!("{}/ssm-config/src", cargo::workspace())];
    while let Some(dir) = sources.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources.push(path.display().to_string());
            } else if path.extension().is_some_and(|e| e == "rs" || e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    !text.contains(r#"feature = "default-https-client""#),
                    "{} compiles code for the defaults alone",
                    path.display()
                );
            }
        }
    }
}
