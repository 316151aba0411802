use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/SSM-orders")]
struct AppConfig {
    db_host: String,
}

fn main() {}
