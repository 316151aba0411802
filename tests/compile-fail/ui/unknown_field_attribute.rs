use ssm_config::SsmConfig;

#[derive(SsmConfig)]
struct AppConfig {
    #[ssm(pth = "db/host")]
    db_host: String,
}

fn main() {}
