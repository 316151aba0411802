//! `AppConfig::load()` with no source given reads AWS SSM as the environment
//! configures it: region, credentials and `AWS_ENDPOINT_URL`, set for a child
//! process of its own (the environment is the whole process's).

use crate::support::backend::Backend;
use crate::support::emulator::Emulator;
use ssm_config::{Secret, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{SSM_CONFIG_TEST_ENV}/svc")]
struct FromEnv {
    host: String,
    password: Secret<String>,
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
        assert_eq!(FromEnv::loader().plan()[0].name, "/envtest/svc/host");
        return;
    }
    runtime.block_on(async {
        let Some(emulator) = Emulator::start().await else {
            return;
        };
        emulator.put("/envtest/svc/host", "from-env").await;
        emulator.put_secure("/envtest/svc/password", "pw").await;
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
