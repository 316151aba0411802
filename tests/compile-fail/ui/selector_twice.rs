use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(path = "tls/cert:1:2")]
    tls_cert: String,
}

fn main() {}
