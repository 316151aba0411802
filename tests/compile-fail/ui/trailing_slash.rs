use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app/")]
struct AppConfig {
    db_host: String,
}

fn main() {}
