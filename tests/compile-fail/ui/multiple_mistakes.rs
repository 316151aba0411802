//! Every mistake is reported in one compile, and the call sites of the
//! struct do not add errors of their own.
use std::collections::HashMap;

use ssm_config::{Secret, SsmConfig};

#[derive(SsmConfig)]
#[ssm(prefix = "/app", max_age = 300, rename_all = "kebabcase")]
struct AppConfig {
    #[ssm(pth = "db/host")]
    db_host: String,
    #[ssm(path = "db port")]
    db_port: u16,
    #[ssm(secret = "/prod/stripe")]
    stripe_key: String,
    #[ssm(by_path = "workers", json)]
    workers: HashMap<String, String>,
    #[ssm(default = 30)]
    timeout_ms: Option<u64>,
    #[ssm(path = "tls/cert:0")]
    tls_cert: String,
    password: Secret<String>,
}

fn main() {
    let _ = AppConfig::loader();
    let _ = AppConfig::loader().plan();
    let _ = AppConfig::load();
}
