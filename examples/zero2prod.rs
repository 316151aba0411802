//! *Zero To Production in Rust*'s newsletter configuration, ported from
//! config-rs (base, local and production YAML files plus `APP_` variables)
//! to ssm-config: the worked example of the README's porting guide.
//!
//! ```sh
//! cargo run --example zero2prod                                # local: examples/zero2prod/local.toml
//! APP_APPLICATION__PORT=5001 cargo run --example zero2prod     # a variable overrides one field
//! APP_ENVIRONMENT=production cargo run --example zero2prod     # SSM, as the environment configures it
//! ```
//!
//! Locally the file is the only source: it is never layered under SSM,
//! where its development values could stand in for a production value
//! someone forgot to create. In production SSM is the only source, a
//! default used is warned of through `tracing` (a service installs a
//! subscriber; this example does not), and a secret from a variable is
//! refused.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use ssm_config::source::FileSource;
use ssm_config::{Secret, SsmConfig};

/// `Settings` of the book, field for field. Its `{APP_ENVIRONMENT}` is the
/// environment's name: `/production/zero2prod/database/host`.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{APP_ENVIRONMENT}/zero2prod")]
pub struct Settings {
    #[ssm(nested)]
    pub database: DatabaseSettings,
    #[ssm(nested)]
    pub application: ApplicationSettings,
    #[ssm(nested)]
    pub email_client: EmailClientSettings,
    pub redis_uri: Secret<String>,
}

#[derive(SsmConfig, Debug)]
pub struct ApplicationSettings {
    /// The same everywhere: a default. (No `deserialize_number_from_string`:
    /// every value is read from text.)
    #[ssm(default = 8000)]
    pub port: u16,
    /// Differs by environment (`127.0.0.1`, `0.0.0.0`): no default.
    pub host: String,
    pub base_url: String,
    pub hmac_secret: Secret<String>,
}

#[derive(SsmConfig, Debug)]
pub struct DatabaseSettings {
    pub username: String,
    pub password: Secret<String>,
    #[ssm(default = 5432)]
    pub port: u16,
    pub host: String,
    #[ssm(default = "newsletter")]
    pub database_name: String,
    /// `false` on a laptop, `true` in production: no default, so a
    /// production without the parameter fails to load instead of running
    /// without TLS to the database.
    pub require_ssl: bool,
}

#[derive(SsmConfig, Debug)]
pub struct EmailClientSettings {
    pub base_url: String,
    pub sender_email: String,
    pub authorization_token: Secret<String>,
    /// The book's `timeout_milliseconds: u64`, as a `Duration`: the
    /// parameter keeps its name, and a bare number is milliseconds.
    #[ssm(path = "timeout_milliseconds", unit = "ms", default = "10000")]
    pub timeout: Duration,
}

/// The book's `get_configuration`: the environment picks the source.
async fn get_configuration(environment: &str) -> Result<Settings, ssm_config::Error> {
    let loader = Settings::loader()
        .var("APP_ENVIRONMENT", environment)
        // `APP_APPLICATION__PORT=5001`, as config-rs's `Environment` reads it.
        .env_prefix("APP_");
    match environment {
        "local" => {
            let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/zero2prod/local.toml");
            loader.source(FileSource::new(file)).fetch().await
        }
        _ => {
            loader
                .warn_of_defaults()
                .refuse_secret_overrides()
                .fetch()
                .await
        }
    }
}

fn main() -> ExitCode {
    let environment = std::env::var("APP_ENVIRONMENT").unwrap_or_else(|_| "local".into());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(get_configuration(&environment)) {
        Ok(settings) => {
            println!("APP_ENVIRONMENT={environment}: loaded (secrets redacted)");
            println!("{settings:#?}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
