//! The feature sets that matter build warning-free. The test command builds
//! `ssm-config` with every feature (this package's dev-dependency turns them
//! all on); here `cargo check` sees the other two: no features at all (the
//! crate's unit tests included), and the defaults a service gets, which a
//! crate outside the workspace then takes to see the tools absent.
//!
//! Each feature set checks the SDK once more, so each is kept to a graph
//! another check needs anyway. Without features it is the graph of the
//! derive's compile-fail cases, checked where trybuild checks them
//! ([`cargo::check_beside_trybuild`]); with the defaults, the graph the
//! user crate here and the release test's packaged crates resolve (no
//! dev-dependencies), in the workspace's [`cargo::target_dir`].

use crate::support::cargo;

#[test]
fn the_crate_checks_warning_free_with_no_features_and_with_its_defaults() {
    let no_features = [
        "-p",
        "ssm-config",
        "--lib",
        "--tests",
        "--no-default-features",
    ];
    let (success, diagnostics, stderr) = cargo::check_beside_trybuild(&no_features);
    assert!(
        success && diagnostics.is_empty(),
        "`cargo check {}`:\n{diagnostics}\n{stderr}",
        no_features.join(" ")
    );
    // The library alone: its tests would bring the dev-dependencies'
    // features into the graph, and the SDK would be checked a third time.
    check(&["-p", "ssm-config", "--lib"]);
}

/// Runs `cargo check` with `args` in the workspace, and panics with every
/// warning and error unless it succeeded with none.
fn check(args: &[&str]) {
    let (success, diagnostics, stderr) = cargo::check(cargo::workspace(), args);
    assert!(
        success && diagnostics.is_empty(),
        "`cargo check {}`:\n{diagnostics}\n{stderr}",
        args.join(" ")
    );
}

/// Without their features the tools are not there: a crate that takes
/// `ssm-config`'s defaults and names each one fails to compile, once per
/// tool.
#[test]
fn the_tools_are_absent_without_their_features() {
    let user = cargo::scratch_dir("defaults-user");
    let workspace = cargo::workspace();
    cargo::scratch_crate(
        &user,
        "defaults-user",
        &format!("[dependencies]\nssm-config = {{ path = \"{workspace}/ssm-config\" }}\n"),
        r#"
use ssm_config::{Live, Loader, SsmConfig};
pub async fn doctor<T: SsmConfig>(l: Loader<T>) { let _ = l.diagnose().await; }
pub fn bootstrap<T: SsmConfig>(l: &Loader<T>) { let _ = l.bootstrap(); }
pub fn iam<T: SsmConfig>(l: &Loader<T>) { let _ = l.iam_policy(todo_scope()); }
pub fn untyped() { let _ = ssm_config::untyped::Parameters::new(ssm_config::MemorySource::new()); }
pub fn file() { let _ = ssm_config::source::FileSource::new("x.toml"); }
pub fn events<T: SsmConfig>(l: &Live<T>) { let _ = l.apply_event(b"{}"); }
pub fn event_settings() { let _ = ssm_config::live::RefreshPolicy::new().event_spread(std::time::Duration::ZERO); }
pub fn event_counts<T: SsmConfig>(l: &Live<T>) { let _ = l.status().events_applied; }
fn todo_scope<S>() -> S { unimplemented!() }
"#,
    );
    let (success, diagnostics, stderr) = cargo::check(&user, &[]);
    assert!(
        !success,
        "a default build has the tools:\n{diagnostics}\n{stderr}"
    );
    for missing in [
        "no method named `diagnose`",
        "no method named `bootstrap`",
        "no method named `iam_policy`",
        "`untyped`",
        "`FileSource`",
        "no method named `apply_event`",
        "no method named `event_spread`",
        "no field `events_applied`",
    ] {
        assert!(
            diagnostics.contains(missing),
            "expected {missing} to be absent:\n{diagnostics}"
        );
    }
}
