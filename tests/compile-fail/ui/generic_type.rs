use ssm_config::SsmConfig;

#[derive(SsmConfig)]
struct AppConfig<T> {
    value: T,
}

fn main() {}
