use std::collections::HashMap;

use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(env = "DB-HOST")]
    db_host: String,
    #[ssm(env = "")]
    db_port: u16,
    #[ssm(by_path = "workers", env = "WORKERS")]
    workers: HashMap<String, u8>,
    #[ssm(skip, env = "SKIPPED")]
    skipped: String,
}

fn main() {}
