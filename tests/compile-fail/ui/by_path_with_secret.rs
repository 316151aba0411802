use std::collections::HashMap;

use ssm_config::{Secret, SsmConfig};

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(by_path = "keys", secret = "prod/keys")]
    keys: HashMap<String, Secret<String>>,
}

fn main() {}
