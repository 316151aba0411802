//! Release-ready: the workspace packages and verifies, the three published
//! crates in publish order, each with its README and both license texts.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_workspace_packages_with_readmes_and_licenses() {
    let workspace = env!("CARGO_MANIFEST_DIR");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut child = Command::new(cargo)
        .args(["package", "--workspace", "--locked", "--allow-dirty"])
        .current_dir(workspace)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    // Bounded: packaging reuses what the test build compiled.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(900) {
            let _ = child.kill();
            panic!("`cargo package` did not finish in 15 minutes");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut log = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut log).unwrap();
    assert!(status.success(), "{log}");
    let verified: Vec<&str> = log
        .lines()
        .filter_map(|line| line.trim().strip_prefix("Verifying "))
        .map(|rest| rest.split(' ').next().unwrap_or(rest))
        .collect();
    let published = ["ssm-config-rules", "ssm-config-derive", "ssm-config"];
    let order: Vec<&str> = verified
        .iter()
        .copied()
        .filter(|name| published.contains(name))
        .collect();
    assert_eq!(order, published, "verified in publish order:\n{log}");
    for name in published {
        let file = format!("{workspace}/target/package/{name}-0.1.0.crate");
        let listed = Command::new("tar").args(["tzf", &file]).output().unwrap();
        let listed = String::from_utf8_lossy(&listed.stdout);
        for part in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            assert!(
                listed.lines().any(|l| l == format!("{name}-0.1.0/{part}")),
                "{name} carries {part}:\n{listed}"
            );
        }
    }
}
