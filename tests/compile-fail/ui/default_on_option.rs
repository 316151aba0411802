use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(default = 30)]
    timeout_ms: Option<u64>,
}

fn main() {}
