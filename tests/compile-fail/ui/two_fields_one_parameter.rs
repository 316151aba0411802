use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    db_host: String,
    #[ssm(path = "/app/db_host")]
    database_host: String,
}

fn main() {}
