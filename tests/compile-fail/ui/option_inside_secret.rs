use ssm_config::{Secret, SsmConfig};

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    password: Secret<Option<String>>,
}

fn main() {}
