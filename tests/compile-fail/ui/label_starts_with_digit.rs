use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(path = "tls/cert", label = "9lives")]
    tls_cert: String,
}

fn main() {}
