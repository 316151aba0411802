use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(path = "workers", recursive = false)]
    workers: Vec<String>,
}

fn main() {}
