// `#[ssm(unit)]` names the unit of a bare number in a `Duration` field:
// one the crate does not know, or on a field of another type, is an error.
use std::time::Duration;

use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(unit = "sec")]
    timeout: Duration,
    #[ssm(unit = "ms")]
    retries: u32,
    #[ssm(unit = "ms", json)]
    windows: Vec<Duration>,
}

fn main() {}
