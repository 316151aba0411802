//! The feature sets that matter build warning-free. The test command builds
//! `ssm-config` with every feature (this package's dev-dependency turns them
//! all on); here `cargo check` sees the other two, in a target directory of
//! their own: no features at all (the crate's unit tests included), and the
//! defaults a service gets, which a crate outside the workspace then takes
//! to see the tools absent.
//!
//! Each feature set checks the SDK once more, so the checks are kept to one
//! dependency graph per set: the default check and the user crate resolve
//! the same graph (no dev-dependencies), and share its checked crates.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one `cargo check` may take: a fresh clone checks the SDK.
const BOUND: Duration = Duration::from_secs(900);

#[test]
fn the_crate_checks_warning_free_with_no_features_and_with_its_defaults() {
    check(&[
        "-p",
        "ssm-config",
        "--lib",
        "--tests",
        "--no-default-features",
    ]);
    // The library alone: its tests would bring the dev-dependencies'
    // features into the graph, and the SDK would be checked a third time.
    check(&["-p", "ssm-config", "--lib"]);
}

/// Runs `cargo check` with `args`, and panics with every warning and error
/// unless it succeeded with none.
fn check(args: &[&str]) {
    let (success, diagnostics, stderr) = cargo_check(env!("CARGO_MANIFEST_DIR"), args);
    assert!(
        success && diagnostics.is_empty(),
        "`cargo check {}`:\n{diagnostics}\n{stderr}",
        args.join(" ")
    );
}

/// Runs `cargo check` with `args` in `dir`, bounded, into this test's own
/// target directory; whether it succeeded, its warnings and errors, and
/// what it printed besides.
fn cargo_check(dir: &str, args: &[&str]) -> (bool, String, String) {
    let workspace = env!("CARGO_MANIFEST_DIR");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut child = Command::new(cargo)
        .arg("check")
        .args(args)
        // The workspace checks its own lock file; the user crate starts
        // from a copy and may only prune it, from what is already here.
        .arg(if dir == workspace {
            "--locked"
        } else {
            "--offline"
        })
        .arg("--message-format=json")
        .args(["--target-dir", &format!("{workspace}/target/feature-sets")])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    // Read as it comes: a full pipe would stall cargo.
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > BOUND {
            let _ = child.kill();
            panic!(
                "`cargo check {}` did not finish in {BOUND:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let (stdout, stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    let diagnostics: Vec<String> = stdout
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
    (status.success(), diagnostics.join("\n"), stderr)
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

/// Without their features the tools are not there: a crate that takes
/// `ssm-config`'s defaults and names each one fails to compile, once per
/// tool.
#[test]
fn the_tools_are_absent_without_their_features() {
    let workspace = env!("CARGO_MANIFEST_DIR");
    let user = format!("{workspace}/target/feature-sets/defaults-user");
    std::fs::create_dir_all(format!("{user}/src")).unwrap();
    std::fs::write(
        format!("{user}/Cargo.toml"),
        format!(
            "[package]\nname = \"defaults-user\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nssm-config = {{ path = \"{workspace}/ssm-config\" }}\n\n[workspace]\n"
        ),
    )
    .unwrap();
    // The workspace's lock file, so the dependencies checked above are reused.
    std::fs::copy(
        format!("{workspace}/Cargo.lock"),
        format!("{user}/Cargo.lock"),
    )
    .unwrap();
    std::fs::write(
        format!("{user}/src/lib.rs"),
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
    )
    .unwrap();
    let (success, diagnostics, stderr) = cargo_check(&user, &[]);
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
