use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app", json)]
struct AppConfig {
    db_host: String,
}

fn main() {}
