//! Release-ready: the three published crates package in publish order, each
//! with its README and both license texts, and what is packaged compiles on
//! its own, warning-free. The packages are unpacked and checked as a user's
//! crate takes them from the registry, with every feature of the crate's own
//! code, beside the check of the compile-fail cases and in their graph
//! otherwise ([`cargo::check_beside_trybuild`]), so only the three crates
//! themselves are checked again. (`cargo package`'s
//! own verification would build the SDK once more.)

use crate::support::cargo;

const PUBLISHED: [&str; 3] = ["ssm-config-rules", "ssm-config-derive", "ssm-config"];

/// Every feature whose code is the crate's own, so that every file the
/// package must carry is compiled; not the TLS features, which only choose
/// the SDK's HTTPS client and would bring another check of the SDK.
const FEATURES: &str =
    r#""secrecy", "metrics", "doctor", "bootstrap", "iam", "untyped", "file", "events", "fan-out""#;

#[test]
fn the_workspace_packages_with_readmes_and_licenses_and_compiles_from_its_packages() {
    let workspace = cargo::workspace();
    let run = cargo::cargo(
        workspace,
        &[
            "package",
            "--workspace",
            "--locked",
            "--allow-dirty",
            "--no-verify",
        ],
    );
    assert!(run.success, "{}", run.stderr);
    let packaged: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|line| line.trim().strip_prefix("Packaging "))
        .map(|rest| rest.split(' ').next().unwrap_or(rest))
        .filter(|name| PUBLISHED.contains(name))
        .collect();
    assert_eq!(
        packaged, PUBLISHED,
        "packaged in publish order:\n{}",
        run.stderr
    );

    let unpacked = format!("{}/package/unpacked", cargo::target_dir());
    std::fs::create_dir_all(&unpacked).unwrap();
    for name in PUBLISHED {
        let file = format!("{}/package/{name}-0.1.0.crate", cargo::target_dir());
        let listed = std::process::Command::new("tar")
            .args(["tzf", &file])
            .output()
            .unwrap();
        let listed = String::from_utf8_lossy(&listed.stdout);
        for part in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            assert!(
                listed.lines().any(|l| l == format!("{name}-0.1.0/{part}")),
                "{name} carries {part}:\n{listed}"
            );
        }
        // A package unpacked anew is given the time of unpacking (`-m`):
        // its files' own times may be older than a check of the previous
        // package (a file edited while the tests ran), which would then
        // pass for fresh. One whose bytes did not change is left as it
        // was, and its check reused.
        let kept = format!("{unpacked}/{name}-0.1.0.crate");
        let bytes = std::fs::read(&file).unwrap();
        if std::fs::read(&kept).ok().as_ref() != Some(&bytes) {
            let _ = std::fs::remove_dir_all(format!("{unpacked}/{name}-0.1.0"));
            let status = std::process::Command::new("tar")
                .args(["xzmf", &file, "-C", &unpacked])
                .status()
                .unwrap();
            assert!(status.success(), "unpacking {file}");
            std::fs::write(&kept, &bytes).unwrap();
        }
    }

    // The packaged manifests name each other by version, as the registry
    // will serve them; the patches stand in for the registry.
    let patches: String = PUBLISHED
        .iter()
        .map(|name| format!("{name} = {{ path = \"{unpacked}/{name}-0.1.0\" }}\n"))
        .collect();
    let user = cargo::scratch_dir("packaged-user");
    cargo::scratch_crate(
        &user,
        "packaged-user",
        &format!(
            "[dependencies]\n\
             ssm-config = {{ version = \"=0.1.0\", default-features = false, features = [{FEATURES}] }}\n\
             {}\n[patch.crates-io]\n{patches}",
            cargo::cases_dependencies()
        ),
        "pub use ssm_config::SsmConfig;\n",
    );
    let (success, diagnostics, stderr) = cargo::check_beside_trybuild(&user, &[]);
    assert!(
        success && diagnostics.is_empty(),
        "the packaged crates do not check cleanly:\n{diagnostics}\n{stderr}"
    );
    // What was checked is the packages' code, not the workspace's.
    let run = cargo::cargo(&user, &["metadata", "--format-version=1", "--offline"]);
    assert!(run.success, "{}", run.stderr);
    let metadata: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    for name in PUBLISHED {
        let manifest = metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["manifest_path"].as_str().unwrap().to_owned());
        assert_eq!(
            manifest,
            Some(format!("{unpacked}/{name}-0.1.0/Cargo.toml")),
            "{name} comes from its package"
        );
    }
}
