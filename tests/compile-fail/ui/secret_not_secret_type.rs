use ssm_config::SsmConfig;

#[derive(SsmConfig)]
struct AppConfig {
    #[ssm(secret = "prod/stripe")]
    stripe_key: String,
}

fn main() {}
