//! Prints the binding plan and the least-privilege IAM policy of the
//! README's `AppConfig`.
//!
//! ```sh
//! cargo run --example iam_policy                        # eu-west-1, account 123456789012, APP_ENV=prod
//! cargo run --example iam_policy -- us-east-1 210987654321 staging
//! ```

// The structs are here for their plan and policy; nothing reads the fields.
#![allow(dead_code)]

use std::collections::HashMap;

use serde::Deserialize;
use ssm_config::{Secret, SsmConfig, iam::PolicyScope};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{APP_ENV}/orders", max_age = 300)]
struct AppConfig {
    db_host: String,
    #[ssm(path = "db/port", default = 5432)]
    db_port: u16,
    #[ssm(path = "db/password")]
    db_password: Secret<String>,
    #[ssm(path = "/shared/allowed-ips")]
    allowed_ips: Vec<std::net::IpAddr>,
    #[ssm(secret = "prod/stripe", key = "api_key")]
    stripe_key: Secret<String>,
    #[ssm(json)]
    limits: Limits,
    timeout_ms: Option<u64>,
    #[ssm(path = "tls/cert:3")]
    tls_cert: String,
    #[ssm(by_path = "workers", recursive = false)]
    workers: HashMap<String, String>,
    #[ssm(nested = "cache")]
    cache: CacheConfig,
}

#[derive(Debug, Deserialize)]
struct Limits {
    max_items: u32,
}

#[derive(SsmConfig, Debug)]
struct CacheConfig {
    ttl_secs: u64,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let region = args.next().unwrap_or_else(|| "eu-west-1".into());
    let account = args.next().unwrap_or_else(|| "123456789012".into());
    let app_env = args.next().unwrap_or_else(|| "prod".into());

    println!("Binding plan of AppConfig (APP_ENV as set in the environment):\n");
    println!("{}", AppConfig::loader().plan());

    let scope = PolicyScope::new(region, account).var("APP_ENV", app_env);
    println!("IAM policy:\n");
    println!("{}", AppConfig::loader().iam_policy(&scope));
}
