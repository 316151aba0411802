use ssm_config::SsmConfig;

#[derive(SsmConfig)]
union AppConfig {
    port: u16,
    timeout: u32,
}

fn main() {}
