use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefx = "/app")]
struct AppConfig {
    db_host: String,
}

fn main() {}
