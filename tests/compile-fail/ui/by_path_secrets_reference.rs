use std::collections::HashMap;

use ssm_config::SsmConfig;

#[derive(SsmConfig)]
struct AppConfig {
    #[ssm(by_path = "/aws/reference/secretsmanager/prod")]
    secrets: HashMap<String, String>,
}

fn main() {}
