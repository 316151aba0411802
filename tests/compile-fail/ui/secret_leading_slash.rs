use ssm_config::{Secret, SsmConfig};

#[derive(SsmConfig)]
struct AppConfig {
    #[ssm(secret = "/prod/stripe")]
    stripe_key: Secret<String>,
}

fn main() {}
