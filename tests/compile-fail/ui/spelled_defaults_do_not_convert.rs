use std::time::Duration;

use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(default = "thirty seconds")]
    timeout: Duration,
    #[ssm(default = "maybe")]
    enabled: bool,
    #[ssm(default = "1s, 2 parsecs")]
    backoffs: Vec<Duration>,
    #[ssm(default = "1h30m")]
    fine: Duration,
    #[ssm(default = "Yes")]
    also_fine: bool,
}

fn main() {}
