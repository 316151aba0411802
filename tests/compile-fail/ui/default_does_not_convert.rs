use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(default = "eighty")]
    port: u16,
    #[ssm(default = "1, 2, x")]
    retries: Vec<u8>,
    #[ssm(default = "maybe")]
    verbose: bool,
}

fn main() {}
