use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(json = true)]
    limits: Vec<u32>,
}

fn main() {}
