//! Cargo, run by a test: bounded ([`run_bounded`]), and `cargo check`'s
//! warnings and errors picked out of its JSON messages.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::process::{Run, run_bounded};

/// How long one cargo command may take: on a fresh clone a check covers
/// the whole SDK.
const BOUND: Duration = Duration::from_secs(900);

/// The workspace root.
pub fn workspace() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

/// The workspace's `cargo metadata` (its own packages only), read once.
pub fn metadata() -> &'static serde_json::Value {
    static METADATA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    METADATA.get_or_init(|| {
        let run = cargo(
            workspace(),
            &["metadata", "--format-version=1", "--no-deps"],
        );
        assert!(run.success, "{}", run.stderr);
        serde_json::from_str(&run.stdout).unwrap()
    })
}

/// The workspace's target directory as cargo sees it (`CARGO_TARGET_DIR`
/// or a configured one included), where `cargo package` writes and
/// trybuild checks.
pub fn target_dir() -> &'static str {
    metadata()["target_directory"].as_str().unwrap()
}

/// The workspace package `name`, from [`metadata`].
pub fn package(name: &str) -> &'static serde_json::Value {
    metadata()["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no package {name} in the workspace"))
}

/// Where the checks' crates outside the workspace are written.
pub fn scratch_dir(name: &str) -> String {
    format!("{}/cargo-checks/{name}", target_dir())
}

/// Runs `cargo <args>` in `dir`, bounded by [`BOUND`].
pub fn cargo(dir: impl AsRef<Path>, args: &[&str]) -> Run {
    let program = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run_bounded(Command::new(program).args(args).current_dir(dir), BOUND)
}

/// Runs `cargo check <args>` in `dir` the way trybuild checks the
/// compile-fail cases (`tests/compile-fail`): in its target directory, for
/// the host named as the target, with its rustflags and without
/// incremental compilation (trybuild 1.0.114, pinned). A check of the
/// graph those cases resolve (`ssm-config` without default features, with
/// `secrecy`, and [`cases_dependencies`]) then reuses every
/// crate trybuild checked, the SDK among them, whichever of the two runs
/// first. `--locked` in the workspace; elsewhere `--offline`, so a crate
/// that starts from a copy of the workspace's lock file may only prune it. trybuild's `-A dead_code` does not hide dead code in
/// `ssm-config`: its `#![warn(dead_code)]` takes precedence.
pub fn check_beside_trybuild(dir: &str, args: &[&str]) -> (bool, String, String) {
    let target_dir = format!("{}/tests/trybuild", target_dir());
    let host = host_triple();
    let flags = r#"["--cfg", "trybuild", "--verbose", "-A", "dead_code"]"#;
    let program = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(program);
    command
        .arg("check")
        .args(args)
        .arg(if dir == workspace() {
            "--locked"
        } else {
            "--offline"
        })
        .args(["--message-format=json", "--target", &host])
        .arg(format!("--config=build.rustflags={flags}"))
        .arg(format!("--config=target.{host}.rustflags={flags}"))
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("CARGO_INCREMENTAL", "0")
        // As trybuild does: flags from the environment would take the
        // place of the configured ones.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .current_dir(dir);
    diagnosed(run_bounded(&mut command, BOUND))
}

/// The dependencies of the compile-fail cases (`tests/compile-fail`) but
/// `ssm-config`, as a crate outside the workspace writes them to resolve
/// their graph: read from that package's manifest, so the two cannot drift
/// apart (which would cost a second check of the SDK, silently).
pub fn cases_dependencies() -> String {
    let package = package("ssm-config-compile-fail");
    let mut lines = String::new();
    for dependency in package["dependencies"].as_array().unwrap() {
        let name = dependency["name"].as_str().unwrap();
        if name == "ssm-config" {
            continue;
        }
        let features: Vec<String> = dependency["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{f}"))
            .collect();
        // A renamed dependency (`secrecy08`) keeps its name and package.
        let (name, package) = match dependency["rename"].as_str() {
            Some(rename) => (rename, format!("package = \"{name}\", ")),
            None => (name, String::new()),
        };
        lines.push_str(&format!(
            "{name} = {{ {package}version = {}, default-features = {}, features = [{}] }}\n",
            dependency["req"],
            dependency["uses_default_features"],
            features.join(", ")
        ));
    }
    lines
}

/// The host's target triple, as rustc names it.
fn host_triple() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let output = Command::new(rustc).arg("-vV").output().expect("rustc runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_owned()
}

/// Whether a `cargo check --message-format=json` run succeeded, its
/// warnings and errors, and what it printed on stderr.
fn diagnosed(run: Run) -> (bool, String, String) {
    let diagnostics: Vec<String> = run
        .stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-message")
        .filter(|message| {
            matches!(
                message["message"]["level"].as_str(),
                Some("warning" | "error")
            )
        })
        .map(|message| {
            message["message"]["rendered"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    (run.success, diagnostics.join("\n"), run.stderr)
}

/// A crate of its own under `target/`, outside the workspace, starting from
/// the workspace's lock file so that it resolves the versions checked
/// already: `manifest` is everything after its `[package]` section.
pub fn scratch_crate(dir: &str, name: &str, manifest: &str, lib: &str) {
    std::fs::create_dir_all(format!("{dir}/src")).unwrap();
    std::fs::write(
        format!("{dir}/Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [workspace]\n\n{manifest}"
        ),
    )
    .unwrap();
    std::fs::copy(
        format!("{}/Cargo.lock", workspace()),
        format!("{dir}/Cargo.lock"),
    )
    .unwrap();
    std::fs::write(format!("{dir}/src/lib.rs"), lib).unwrap();
}
