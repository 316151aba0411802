//! `AppConfig::load()` with no source given reads AWS SSM as the environment
//! configures it: region, credentials and `AWS_ENDPOINT_URL`. A binary of its
//! own, because it sets process environment variables.

#[macro_use]
mod support;

use ssm_config::{Secret, SsmConfig};
use support::backend::Backend;
use support::emulator::Emulator;

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
    runtime.block_on(async {
        let Some(emulator) = Emulator::start().await else {
            return;
        };
        emulator.put("/envtest/svc/host", "from-env").await;
        emulator.put_secure("/envtest/svc/password", "pw").await;
        let vars = [
            ("AWS_ENDPOINT_URL", emulator.endpoint.as_str()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("SSM_CONFIG_TEST_ENV", "envtest"),
        ];
        for (name, value) in vars {
            // SAFETY: this binary's only test; no other thread reads the
            // environment while it is written.
            unsafe { std::env::set_var(name, value) };
        }
        let config = FromEnv::load().await.expect("load through the environment");
        assert_eq!(config.get().host, "from-env");
        assert_eq!(config.get().password.expose_secret(), "pw");
        assert_eq!(FromEnv::parameters()[0].name, "/envtest/svc/host");
    });
}
