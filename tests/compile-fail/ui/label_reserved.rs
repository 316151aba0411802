use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(path = "tls/cert:awsCurrent")]
    tls_cert: String,
}

fn main() {}
