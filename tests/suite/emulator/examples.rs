//! The examples a new user runs first, run as they would run them: the
//! binaries `cargo test` builds beside the tests.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::support::backend::{Backend, moto};
use crate::support::emulator::Emulator;

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
        if var.starts_with("ORDERS_") || var.starts_with("AWS_") || var.starts_with("APP_") {
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
    assert!(
        stdout.contains("/dev/orders/cache/ttl_sec  no field reads it")
            && stdout.contains("did you mean `/dev/orders/cache/ttl-secs`?"),
        "{stdout}"
    );
    assert!(!stdout.contains("dev-only-password"), "{stdout}");
}

#[test]
fn the_change_events_example_reads_only_the_changed_names() {
    let output = example("change_events_queue").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(r#"banner: "Winter sale", prices: {"hat": 25, "socks": 5}"#),
        "{stdout}"
    );
    assert!(
        stdout.contains("calls for both changes: 1 GetParameters, 0 GetParametersByPath"),
        "{stdout}"
    );
    assert!(stdout.contains("events applied 2, ignored 1"), "{stdout}");
}

/// The environment a user pointing the examples at an emulator sets.
fn against(command: &mut Command, emulator: &Emulator) {
    command
        .env("AWS_ENDPOINT_URL", &emulator.endpoint)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("APP_ENV", "prod");
}

/// What the examples' struct reads under `/prod/orders`, but `db_host`.
async fn seed_all_but_db_host(b: &impl Backend) {
    b.put_secure("/prod/orders/db/password", "doctor-example-canary")
        .await;
    b.put_list("/shared/allowed-ips", &["10.0.0.1", "10.0.0.2"])
        .await;
    b.put_secret("prod/stripe", r#"{"api_key":"sk_test_1"}"#)
        .await;
    b.put("/prod/orders/limits", r#"{"max_items":10,"max_burst":2}"#)
        .await;
    b.put("/prod/orders/tls/cert", "cert-v1").await;
    b.put("/prod/orders/workers/emails", "4").await;
    b.put("/prod/orders/cache/ttl-secs", "60").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doctor_exits_non_zero_until_a_load_would_succeed() {
    let Some(emulator) = moto().await else { return };
    seed_all_but_db_host(&emulator).await;
    let mut doctor = example("doctor");
    against(&mut doctor, &emulator);
    let output = doctor.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("a load would fail (1 error, 0 warnings)"),
        "{stdout}"
    );
    let missing = stdout.lines().find(|l| l.starts_with("db_host ")).unwrap();
    assert!(
        missing.contains("/prod/orders/db_host") && missing.contains("missing"),
        "{stdout}"
    );
    assert!(!stdout.contains("doctor-example-canary"), "{stdout}");

    emulator.put("/prod/orders/db_host", "db.internal").await;
    let output = doctor.arg("--json").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["would_load"], true);
    assert_eq!(report["rows"].as_array().unwrap().len(), 11);
}

/// The zero2prod port on a laptop: its file alone, no AWS settings, one
/// field overridden the book's way, and no development secret printed.
#[test]
fn the_zero2prod_port_runs_locally_from_its_file_with_an_override() {
    let output = example("zero2prod")
        .env("APP_APPLICATION__PORT", "5001")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    for shown in [
        "APP_ENVIRONMENT=local",
        "port: 5001",
        "require_ssl: false",
        "database_name: \"newsletter\"",
        "timeout: 10s",
        "password: Secret([REDACTED])",
    ] {
        assert!(stdout.contains(shown), "{shown}:\n{stdout}");
    }
    for secret in ["my-secret-token", "super-long-and-secret", "redis://"] {
        assert!(!stdout.contains(secret), "{secret}:\n{stdout}");
    }
}

/// What production's store holds of the zero2prod port, as bootstrap
/// would have it created and filled: every field without a default.
async fn seed_zero2prod_production(b: &impl Backend, require_ssl: bool) {
    let at = |name: &str| format!("/production/zero2prod/{name}");
    b.put_secure(&at("redis_uri"), "redis://cache.internal:6379")
        .await;
    b.put(&at("application/host"), "0.0.0.0").await;
    b.put(&at("application/base_url"), "https://newsletter.example")
        .await;
    b.put_secure(&at("application/hmac_secret"), "zero2prod-canary-hmac")
        .await;
    b.put(&at("database/host"), "db.internal").await;
    b.put(&at("database/username"), "newsletter").await;
    b.put_secure(&at("database/password"), "zero2prod-canary-db")
        .await;
    if require_ssl {
        b.put(&at("database/require_ssl"), "true").await;
    }
    b.put(&at("email_client/base_url"), "https://api.postmarkapp.com")
        .await;
    b.put(&at("email_client/sender_email"), "news@example.com")
        .await;
    b.put_secure(
        &at("email_client/authorization_token"),
        "zero2prod-canary-token",
    )
    .await;
}

/// The zero2prod port in production: SSM as the environment configures it
/// (the emulator), and a `require_ssl` nobody created fails the load by
/// name instead of running without TLS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_zero2prod_port_loads_production_from_the_store_and_nothing_else() {
    let Some(emulator) = moto().await else { return };
    seed_zero2prod_production(&emulator, false).await;
    let mut run = example("zero2prod");
    against(&mut run, &emulator);
    run.env("APP_ENVIRONMENT", "production");
    let output = run.output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(!output.status.success(), "{stdout}");
    assert!(
        stderr.contains("field `database.require_ssl`")
            && stderr.contains("/production/zero2prod/database/require_ssl"),
        "{stderr}"
    );

    emulator
        .put("/production/zero2prod/database/require_ssl", "true")
        .await;
    let output = run.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for shown in [
        "require_ssl: true",
        "host: \"0.0.0.0\"",
        "port: 8000",
        "timeout: 10s",
    ] {
        assert!(stdout.contains(shown), "{shown}:\n{stdout}");
    }
    assert!(!stdout.contains("zero2prod-canary"), "{stdout}");
}

/// Copies of `fan_out` as separate processes are a fleet: each prints the
/// value once loaded and again when one published change reaches it, and
/// on SIGTERM removes its queue and subscription and exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_of_fan_out_examples_all_apply_one_change_and_leave_nothing() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    use std::sync::mpsc;

    let Some(emulator) = moto().await else { return };
    emulator.put("/fan-out/greeting", "hello").await;
    let aws = crate::support::emulator::sdk_config(&emulator.endpoint);
    let sns = aws_sdk_sns::Client::new(&aws);
    let sqs = aws_sdk_sqs::Client::new(&aws);
    let topic = sns
        .create_topic()
        .name("fleet")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();

    // Each copy's lines arrive on a channel, read by a thread of its own.
    let mut fleet = Vec::new();
    for _ in 0..3 {
        let mut command = example("fan_out");
        against(&mut command, &emulator);
        let mut child = Killed(command.arg(&topic).stdout(Stdio::piped()).spawn().unwrap());
        let (lines, received) = mpsc::channel();
        let stdout = child.0.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        fleet.push((child, received));
    }
    let expect = |received: &mpsc::Receiver<String>, line: &str| {
        let got = received.recv_timeout(Duration::from_secs(60));
        assert_eq!(got.as_deref(), Ok(line));
    };
    for (_, received) in &fleet {
        expect(received, "value=hello");
    }
    // Every copy is subscribed once its queue is on the topic.
    let subscribed = || async {
        let listed = sns
            .list_subscriptions_by_topic()
            .topic_arn(&topic)
            .send()
            .await
            .unwrap();
        listed.subscriptions().len()
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while subscribed().await < fleet.len() {
        assert!(tokio::time::Instant::now() < deadline, "not all subscribed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    emulator.put("/fan-out/greeting", "hi").await;
    let event = crate::events::event("/fan-out/greeting", "Update").to_string();
    sns.publish()
        .topic_arn(&topic)
        .message(event)
        .send()
        .await
        .unwrap();
    for (_, received) in &fleet {
        expect(received, "value=hi");
    }

    for (child, _) in &fleet {
        let status = Command::new("kill")
            .args(["-TERM", &child.0.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
    for (mut child, _) in fleet {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.0.try_wait().unwrap() {
                break status;
            }
            assert!(std::time::Instant::now() < deadline, "still running");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "{status}");
    }
    let queues = sqs.list_queues().send().await.unwrap();
    assert_eq!(queues.queue_urls().len(), 0, "{:?}", queues.queue_urls());
    assert_eq!(subscribed().await, 0);
}

/// A child process killed when dropped: a failing test leaves none behind
/// to poll the shared emulator.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}
