use ssm_config::SsmConfig;

#[derive(SsmConfig)]
struct AppConfig<'a> {
    host: &'a str,
}

fn main() {}
