use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app", max_age = "300")]
struct AppConfig {
    db_host: String,
}

fn main() {}
