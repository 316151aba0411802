use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(plaintext)]
    password: secrecy::SecretString,
    #[ssm(secret = "prod/db")]
    shown: String,
}

fn main() {}
