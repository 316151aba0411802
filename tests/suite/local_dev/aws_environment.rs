//! `AppConfig::load()` with no source given reads AWS SSM as the environment
//! configures it: region, credentials and `AWS_ENDPOINT_URL`, set for a child
//! process of its own (the environment is the whole process's).

use crate::support::backend::Backend;
use crate::support::emulator::Emulator;
use ssm_config::error::ErrorKind;
use ssm_config::source::SourceErrorKind;
use ssm_config::{Secret, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{SSM_CONFIG_TEST_ENV}/svc")]
struct FromEnv {
    host: String,
    password: Secret<String>,
    /// A walk beside the names: two calls, which fail alike where AWS is
    /// not set up, and are said once.
    #[ssm(by_path = "flags")]
    flags: std::collections::HashMap<String, String>,
}

#[test]
fn load_reads_endpoint_region_and_credentials_from_the_environment() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let test = crate::support::process::test_name(
        module_path!(),
        "load_reads_endpoint_region_and_credentials_from_the_environment",
    );
    if crate::support::process::is_child_for(&test) {
        // The child: the environment was set before this process started.
        let config = runtime
            .block_on(FromEnv::load())
            .expect("load through the environment");
        assert_eq!(config.get().host, "from-env");
        assert_eq!(config.get().password.expose_secret(), "pw");
        assert_eq!(config.get().flags["beta"], "on");
        assert_eq!(FromEnv::loader().plan()[0].name, "/envtest/svc/host");
        return;
    }
    runtime.block_on(async {
        let Some(emulator) = Emulator::start().await else {
            return;
        };
        emulator.put("/envtest/svc/host", "from-env").await;
        emulator.put_secure("/envtest/svc/password", "pw").await;
        emulator.put("/envtest/svc/flags/beta", "on").await;
        // The emulator's turn is held while the child loads from it.
        crate::support::process::run_in_child(
            &test,
            &[
                ("AWS_ENDPOINT_URL", emulator.endpoint.as_str()),
                ("AWS_REGION", "us-east-1"),
                ("AWS_ACCESS_KEY_ID", "testing"),
                ("AWS_SECRET_ACCESS_KEY", "testing"),
                ("AWS_EC2_METADATA_DISABLED", "true"),
                ("SSM_CONFIG_TEST_ENV", "envtest"),
            ],
        );
    });
}

/// Every variable through which the SDK could find credentials, a region
/// or an endpoint: a laptop without AWS set up has none of them.
const AWS_SETTINGS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SSM",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
];

/// No config files, and no instance metadata to wait for.
const NOTHING_SET_UP: &[(&str, &str)] = &[
    ("AWS_CONFIG_FILE", "/nonexistent/ssm-config-test/config"),
    (
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/ssm-config-test/credentials",
    ),
    ("AWS_EC2_METADATA_DISABLED", "true"),
    ("SSM_CONFIG_TEST_ENV", "laptop"),
];

/// Runs a first load from the environment, in the child, and holds that
/// it fails with `kind`, in one line that `says` each of these.
fn first_load_says(kind: SourceErrorKind, says: &[&str]) {
    let err = runtime()
        .block_on(FromEnv::load())
        .expect_err("nothing is set up");
    let text = err.to_string();
    assert_eq!(err.kind(), ErrorKind::Source(kind), "{text}");
    assert_one_line(&text);
    for said in says {
        assert!(text.contains(said), "{said}: {text}");
    }
}

/// The first thing a user sees on a laptop without AWS set up: one line
/// that says what is missing and where to set it, of a kind of its own,
/// and no SDK dump.
#[test]
fn no_credentials_is_one_line_that_says_where_to_set_them() {
    in_own_process_without!(
        no_credentials_is_one_line_that_says_where_to_set_them,
        env: &[NOTHING_SET_UP, &[("AWS_REGION", "eu-west-1")]].concat(),
        unset: AWS_SETTINGS,
        {
            first_load_says(
                SourceErrorKind::NotConfigured,
                &["no AWS credentials", "AWS_PROFILE", "AWS_ENDPOINT_URL"],
            )
        }
    );
}

#[test]
fn no_region_is_one_line_that_says_where_to_set_it() {
    in_own_process_without!(
        no_region_is_one_line_that_says_where_to_set_it,
        env: &[
            NOTHING_SET_UP,
            &[("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")],
        ]
        .concat(),
        unset: AWS_SETTINGS,
        {
            first_load_says(
                SourceErrorKind::NotConfigured,
                &["no AWS region", "AWS_REGION", "AWS_PROFILE"],
            )
        }
    );
}

#[test]
fn a_refused_connection_is_one_line_that_names_the_endpoint() {
    // A port nothing listens on: bound, then closed.
    let endpoint = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    in_own_process_without!(
        a_refused_connection_is_one_line_that_names_the_endpoint,
        env: &[
            NOTHING_SET_UP,
            &[
                ("AWS_ACCESS_KEY_ID", "testing"),
                ("AWS_SECRET_ACCESS_KEY", "testing"),
                ("AWS_REGION", "eu-west-1"),
                ("AWS_ENDPOINT_URL", endpoint.as_str()),
            ],
        ]
        .concat(),
        unset: AWS_SETTINGS,
        {
            let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap();
            first_load_says(
                SourceErrorKind::Unreachable,
                &["connection refused", endpoint.as_str()],
            )
        }
    );
}

/// SSM's own endpoint wins over every service's, as the SDK picks it, and
/// the message names the one the calls went to.
#[test]
fn a_refused_connection_names_the_ssm_endpoint_where_ssm_has_its_own() {
    let endpoint = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    in_own_process_without!(
        a_refused_connection_names_the_ssm_endpoint_where_ssm_has_its_own,
        env: &[
            NOTHING_SET_UP,
            &[
                ("AWS_ACCESS_KEY_ID", "testing"),
                ("AWS_SECRET_ACCESS_KEY", "testing"),
                ("AWS_REGION", "eu-west-1"),
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
                ("AWS_ENDPOINT_URL_SSM", endpoint.as_str()),
            ],
        ]
        .concat(),
        unset: AWS_SETTINGS,
        {
            let endpoint = std::env::var("AWS_ENDPOINT_URL_SSM").unwrap();
            first_load_says(
                SourceErrorKind::Unreachable,
                &["connection refused", &format!("by {endpoint}:")],
            )
        }
    );
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// One line, short enough to read, with no `Debug` of the SDK's.
fn assert_one_line(text: &str) {
    assert!(!text.contains('\n'), "one line:\n{text}");
    assert!(text.len() < 400, "{} characters: {text}", text.len());
    for dump in ["{ ", "Some(", "source:", "ProviderError", "DispatchFailure"] {
        assert!(!text.contains(dump), "`{dump}` in: {text}");
    }
}
