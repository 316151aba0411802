use ssm_config::SsmConfig;

#[derive(SsmConfig)]
struct AppConfig;

fn main() {}
