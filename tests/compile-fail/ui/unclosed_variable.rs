use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/{APP_ENV/orders")]
struct AppConfig {
    db_host: String,
}

fn main() {}
