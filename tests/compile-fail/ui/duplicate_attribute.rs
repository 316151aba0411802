use ssm_config::SsmConfig;

#[derive(SsmConfig)]
struct AppConfig {
    #[ssm(path = "/db/host", path = "/db/hostname")]
    db_host: String,
}

fn main() {}
