//! The main example: a typed configuration loaded in one group fetch.
//!
//! With no AWS endpoint or credentials in the environment it runs on an
//! in-memory source that it seeds itself, so it works anywhere:
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With `AWS_ENDPOINT_URL` (an emulator) or AWS credentials set, it reads
//! Parameter Store instead, under `/$APP_ENV/orders` (`APP_ENV` defaults to
//! `prod`).

use std::process::ExitCode;

use ssm_config::{MemorySource, SsmConfig};

// The struct, shared by the examples, is in `examples/common/app_config.rs`
// (and in the README).
#[path = "common/app_config.rs"]
mod app_config;
use app_config::AppConfig;

#[tokio::main]
async fn main() -> ExitCode {
    let mut loader = AppConfig::loader();
    if std::env::var_os("APP_ENV").is_none() {
        loader = loader.var("APP_ENV", "prod");
    }
    if aws_configured() {
        println!("Reading AWS SSM as the environment configures it.\n");
    } else {
        println!(
            "No AWS endpoint or credentials set: reading an in-memory store seeded with example values.\n"
        );
        loader = loader.source(example_store());
    }

    println!("Binding plan:\n{}", loader.plan());

    let config = match loader.load().await {
        Ok(config) => config,
        Err(err) => {
            eprintln!("\n{err}");
            return ExitCode::FAILURE;
        }
    };
    // One snapshot per unit of work: every value below comes from one load.
    let snapshot = config.get();
    println!("\nLoaded (secrets redacted):\n{snapshot:#?}");
    println!(
        "\nThe password has {} characters; it is read with expose_secret() where it is used.",
        snapshot.db_password.expose_secret().len()
    );
    ExitCode::SUCCESS
}

fn aws_configured() -> bool {
    [
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ]
    .iter()
    .any(|var| std::env::var_os(var).is_some())
}

fn example_store() -> MemorySource {
    let store = MemorySource::new();
    store.put("/prod/orders/db_host", "orders-db.internal");
    store.put_secure("/prod/orders/db/password", "correct-horse-battery-staple");
    store.put_string_list("/shared/allowed-ips", ["10.0.0.1", "10.0.0.2"]);
    store.put_secret("prod/stripe", r#"{"api_key":"sk_live_51H8example"}"#);
    store.put("/prod/orders/limits", r#"{"max_items":100,"max_burst":20}"#);
    store.put("/prod/orders/tls/cert", "-----BEGIN CERTIFICATE----- v1");
    store.put("/prod/orders/tls/cert", "-----BEGIN CERTIFICATE----- v2");
    store.put("/prod/orders/workers/emails", "4");
    store.put("/prod/orders/workers/invoices", "2");
    store.put("/prod/orders/cache/ttl-secs", "60");
    store
}
