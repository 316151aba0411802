use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(path = "tls/cert:2", version = 3)]
    tls_cert: String,
}

fn main() {}
