use std::collections::HashMap;

use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(by_path = "workers")]
    workers: HashMap<u32, String>,
}

fn main() {}
