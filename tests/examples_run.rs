//! The examples a new user runs first, run as they would run them: the
//! binaries `cargo test` builds beside the tests.

use std::path::PathBuf;
use std::process::Command;

/// `target/<profile>/examples/<name>`, next to this test's own binary.
fn example(name: &str) -> Command {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let path: PathBuf = profile_dir.join("examples").join(name);
    assert!(path.exists(), "{} is built by `cargo test`", path.display());
    let mut command = Command::new(path);
    for (var, _) in std::env::vars_os() {
        let var = var.to_string_lossy().into_owned();
        if var.starts_with("ORDERS_") || var.starts_with("AWS_") {
            command.env_remove(var);
        }
    }
    command
}

#[test]
fn local_dev_runs_with_no_aws_settings_and_shows_an_override_and_an_edit() {
    let output = example("local_dev").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("cache.ttl_secs   env ORDERS_CACHE__TTL_SECS"),
        "{stdout}"
    );
    assert!(stdout.contains("cache.ttl_secs = 5"), "{stdout}");
    assert!(
        stdout.contains("subscriber saw db_host = db.local.test after the edit"),
        "{stdout}"
    );
    assert!(!stdout.contains("dev-only-password"), "{stdout}");
}
