//! The moto emulator: installed into a project-local virtualenv on first use,
//! started once per test binary on a free loopback port, reset before each
//! test. Tests hold a guard, so they take turns on the shared server.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use aws_sdk_ssm::config::{Credentials, Region};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{Mutex, MutexGuard};

struct Server {
    port: u16,
    // Holds the server's stdin open; the server exits when it closes.
    _child: Child,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static TURN: Mutex<()> = Mutex::const_new(());

/// One test's use of the emulator, with clients that seed it independently of
/// the library under test.
pub struct Emulator {
    pub endpoint: String,
    pub ssm: aws_sdk_ssm::Client,
    pub secrets: SecretsManager,
    _turn: MutexGuard<'static, ()>,
}

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

impl Emulator {
    /// Takes this test's turn on a freshly reset emulator. `None` (with a
    /// loud message) when it cannot be started outside CI; in CI, a panic.
    pub async fn start() -> Option<Emulator> {
        let turn = TURN.lock().await;
        // Started from a plain thread: it blocks, and may build its own runtime.
        let server = SERVER.get_or_init(|| {
            std::thread::spawn(start_server)
                .join()
                .unwrap_or_else(|_| Err("the start-up thread panicked".into()))
        });
        let port = match server {
            Ok(server) => server.port,
            Err(why) if in_ci() => {
                panic!("the moto emulator is required in CI and could not start: {why}")
            }
            Err(why) => {
                // Written to the stderr handle, which the test harness does
                // not capture, so the skip shows even for a passing test.
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED: the moto emulator could not start ({why}); CI=true makes this a failure"
                );
                return None;
            }
        };
        let endpoint = format!("http://127.0.0.1:{port}");
        reset(port).await;
        Some(Emulator {
            ssm: ssm_client(&endpoint),
            secrets: SecretsManager { port },
            endpoint,
            _turn: turn,
        })
    }
}

/// The test virtualenv's `bin` directory: the emulator's python, the AWS
/// CLI, and the parsers the bootstrap tests use. Installed once an
/// [`Emulator`] has started.
pub fn venv_bin() -> PathBuf {
    workspace().join("target/moto-venv/bin")
}

fn credentials() -> Credentials {
    Credentials::new("testing", "testing", None, None, "tests")
}

/// An SSM client for `endpoint`, configured without reading the environment.
pub fn ssm_client(endpoint: &str) -> aws_sdk_ssm::Client {
    aws_sdk_ssm::Client::from_conf(ssm_config(endpoint).build())
}

/// AWS settings for `endpoint`, made without reading the environment: for
/// the clients a test makes through an `SdkConfig` (SQS and SNS).
pub fn sdk_config(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(aws_sdk_ssm::config::SharedCredentialsProvider::new(
            credentials(),
        ))
        .endpoint_url(endpoint)
        .build()
}

/// The configuration behind [`ssm_client`], for tests that set retries or
/// timeouts of their own.
pub fn ssm_config(endpoint: &str) -> aws_sdk_ssm::config::Builder {
    aws_sdk_ssm::Config::builder()
        .behavior_version_latest()
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials())
        .endpoint_url(endpoint)
}

/// Seeds Secrets Manager in the emulator with its JSON protocol over plain
/// HTTP: the tests need two of its calls, which do not justify building a
/// second AWS SDK into every test build (and the examples beside them).
/// moto picks the service from the credential scope and checks no signature.
pub struct SecretsManager {
    port: u16,
}

impl SecretsManager {
    /// `CreateSecret` with a string value.
    pub async fn create_secret(&self, name: &str, value: &str) -> Result<(), String> {
        let body = serde_json::json!({ "Name": name, "SecretString": value });
        self.call("CreateSecret", &body).await
    }

    /// `PutSecretValue`: a new current version of an existing secret.
    pub async fn put_secret_value(&self, name: &str, value: &str) -> Result<(), String> {
        let body = serde_json::json!({ "SecretId": name, "SecretString": value });
        self.call("PutSecretValue", &body).await
    }

    async fn call(&self, operation: &str, body: &serde_json::Value) -> Result<(), String> {
        let body = body.to_string();
        let headers = format!(
            "X-Amz-Target: secretsmanager.{operation}\r\n\
             Content-Type: application/x-amz-json-1.1\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0\r\n"
        );
        let (status, answer) = post(self.port, "/", &headers, &body).await;
        match status {
            200 => Ok(()),
            _ => Err(format!("{operation} answered {status}: {answer}")),
        }
    }
}

fn start_server() -> Result<Server, String> {
    let python = install()?;
    let log_path = workspace().join("target/moto-server.log");
    let log = File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let mut child = Command::new(&python)
        .arg(workspace().join("tests/suite/support/moto_server.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let mut first_line = String::new();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    BufReader::new(stdout)
        .read_line(&mut first_line)
        .map_err(|e| format!("moto did not report its port: {e}"))?;
    let port: u16 = first_line.trim().parse().map_err(|_| {
        format!(
            "moto did not start (see {}): {first_line:?}",
            log_path.display()
        )
    })?;
    wait_until_ready(port)?;
    Ok(Server {
        port,
        _child: child,
    })
}

/// The venv's python, installing moto into `target/moto-venv` when missing.
fn install() -> Result<PathBuf, String> {
    let target = workspace().join("target");
    fs::create_dir_all(&target).map_err(|e| e.to_string())?;
    let venv = target.join("moto-venv");
    let python = venv.join("bin/python");
    let marker = venv.join(".installed");
    let requirements = workspace().join("tests/suite/support/requirements.txt");
    let wanted = fs::read_to_string(&requirements).map_err(|e| e.to_string())?;
    // Test binaries may start at once; one installs, the others wait.
    let lock = File::create(target.join("moto-venv.lock")).map_err(|e| e.to_string())?;
    lock.lock()
        .map_err(|e| format!("cannot lock the venv: {e}"))?;
    if fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    eprintln!("installing the moto emulator into {} ...", venv.display());
    let python3 = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    run(Command::new(&python3).args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements))?;
    fs::write(&marker, wanted).map_err(|e| e.to_string())?;
    Ok(python)
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command.output().map_err(|e| format!("{command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The SSM backend loads lazily: ready means an SSM call answers.
fn wait_until_ready(port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let client = runtime.block_on(async { ssm_client(&format!("http://127.0.0.1:{port}")) });
    loop {
        let answered = runtime.block_on(async {
            client
                .get_parameters()
                .names("/readiness-probe")
                .send()
                .await
                .map(|_| ())
        });
        match answered {
            Ok(()) => return Ok(()),
            Err(e) if Instant::now() > deadline => return Err(format!("moto never answered: {e}")),
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

async fn reset(port: u16) {
    let (status, answer) = post(port, "/moto-api/reset", "", "").await;
    assert_eq!(status, 200, "moto reset failed: {answer}");
}

impl Emulator {
    /// One call of an AWS JSON-protocol API (`target`, as `AWSEvents.PutRule`)
    /// of `service` (its credential scope, as `events`), over plain HTTP:
    /// for the few calls of a service whose SDK the tests do not build. The
    /// answer's body, or the status and answer.
    pub async fn aws_json(
        &self,
        service: &str,
        target: &str,
        body: &serde_json::Value,
    ) -> Result<String, String> {
        let port: u16 = self
            .endpoint
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("the endpoint's port");
        let headers = format!(
            "X-Amz-Target: {target}\r\n\
             Content-Type: application/x-amz-json-1.1\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0\r\n"
        );
        let (status, answer) = post(port, "/", &headers, &body.to_string()).await;
        match status {
            200 => Ok(answer
                .split("\r\n\r\n")
                .nth(1)
                .unwrap_or_default()
                .to_owned()),
            _ => Err(format!("{target} answered {status}: {answer}")),
        }
    }
}

/// One HTTP/1.1 POST to the emulator, on a connection of its own; the status
/// code and the whole answer.
async fn post(port: u16, path: &str, headers: &str, body: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect to moto");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .await
        .expect("send to moto");
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .await
        .expect("read moto's answer");
    let answer = String::from_utf8_lossy(&response).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, answer)
}
