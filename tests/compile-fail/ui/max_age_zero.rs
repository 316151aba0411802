use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app", max_age = 0)]
struct AppConfig {
    host: String,
}

fn main() {}
