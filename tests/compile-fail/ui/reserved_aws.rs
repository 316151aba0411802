use ssm_config::SsmConfig;

#[derive(SsmConfig)]
struct AppConfig {
    #[ssm(path = "/aws/orders/db_host")]
    db_host: String,
}

fn main() {}
