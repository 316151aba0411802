//! Cargo, run by a test: bounded, its output read as it comes (a full pipe
//! would stall it), and `cargo check`'s warnings and errors picked out of
//! its JSON messages.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one cargo command may take: on a fresh clone a check covers
/// the whole SDK.
const BOUND: Duration = Duration::from_secs(900);

/// The workspace root.
pub fn workspace() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

/// The target directory the feature-set checks share: every check that
/// resolves the defaults' graph reuses the SDK checked there once.
pub fn checks_target_dir() -> String {
    format!("{}/target/feature-sets", workspace())
}

/// What one cargo command did.
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cargo <args>` in `dir`, bounded by [`BOUND`].
pub fn cargo(dir: impl AsRef<Path>, args: &[&str]) -> Run {
    let program = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > BOUND {
            let _ = child.kill();
            panic!("`cargo {}` did not finish in {BOUND:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    Run {
        success: status.success(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// Runs `cargo check <args>` in `dir` into [`checks_target_dir`]; whether
/// it succeeded, its warnings and errors, and what it printed besides.
/// `--locked` in the workspace; elsewhere `--offline`, so a crate that
/// starts from a copy of the workspace's lock file may only prune it.
pub fn check(dir: &str, args: &[&str]) -> (bool, String, String) {
    let target_dir = checks_target_dir();
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.push(if dir == workspace() {
        "--locked"
    } else {
        "--offline"
    });
    all.extend(["--message-format=json", "--target-dir", &target_dir]);
    let run = cargo(dir, &all);
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

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}
