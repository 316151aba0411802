use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app", rename_all = "kebabcase")]
struct AppConfig {
    db_host: String,
}

fn main() {}
