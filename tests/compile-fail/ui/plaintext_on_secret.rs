use ssm_config::{Secret, SsmConfig};

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(plaintext)]
    password: Secret<String>,
}

fn main() {}
