//! The doctor: checks every binding of the examples' struct against the
//! environment's SSM, before a deploy, and exits non-zero when a load would
//! fail.
//!
//! ```sh
//! AWS_ENDPOINT_URL=http://127.0.0.1:5000 cargo run --example doctor   # an emulator
//! APP_ENV=staging cargo run --example doctor                          # AWS, as the environment configures it
//! cargo run --example doctor -- --json                                # the report as JSON
//! ```
//!
//! It reads `/$APP_ENV/orders/...` (`APP_ENV` defaults to `prod`) with the
//! SDK's defaults: region, credentials chain and `AWS_ENDPOINT_URL`.

use std::process::ExitCode;

// The struct, shared by the examples, is in `examples/common/app_config.rs`.
#[path = "common/app_config.rs"]
mod app_config;
use app_config::AppConfig;
use ssm_config::SsmConfig;

#[tokio::main]
async fn main() -> ExitCode {
    let json = std::env::args().any(|arg| arg == "--json");
    let mut loader = AppConfig::loader().env_prefix("ORDERS_");
    if std::env::var_os("APP_ENV").is_none() {
        loader = loader.var("APP_ENV", "prod");
    }
    let report = loader.diagnose().await;
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(err) => {
                eprintln!("cannot print the report: {err}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{report}");
    }
    if report.would_load {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
