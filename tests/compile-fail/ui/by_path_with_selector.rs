use std::collections::HashMap;

use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(by_path = "workers:2")]
    workers: HashMap<String, String>,
}

fn main() {}
