use ssm_config::SsmConfig;

#[derive(SsmConfig)]
enum AppConfig {
    Dev { host: String },
    Prod { host: String },
}

fn main() {}
