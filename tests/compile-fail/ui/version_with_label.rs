use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(path = "tls/cert", version = 3, label = "blue")]
    tls_cert: String,
}

fn main() {}
