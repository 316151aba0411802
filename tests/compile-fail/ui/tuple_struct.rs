use ssm_config::SsmConfig;

#[derive(SsmConfig)]
struct AppConfig(String, u16);

fn main() {}
