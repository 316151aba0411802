use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(by_path = "workers")]
    workers: Vec<String>,
}

fn main() {}
