use ssm_config::{Secret, SsmConfig};

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(path = "stripe", key = "api_key")]
    stripe_key: Secret<String>,
}

fn main() {}
