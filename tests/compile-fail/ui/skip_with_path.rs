use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(skip, path = "runtime")]
    runtime_only: Vec<String>,
}

fn main() {}
