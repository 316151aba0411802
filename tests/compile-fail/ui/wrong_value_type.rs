use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app", max_age = true)]
struct AppConfig {
    db_host: String,
}

fn main() {}
