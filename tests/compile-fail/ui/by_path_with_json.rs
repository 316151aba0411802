use std::collections::HashMap;

use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(by_path = "limits", json)]
    limits: HashMap<String, Vec<u32>>,
}

fn main() {}
