// `#[ssm(unit)]` names the unit of a bare number in a `Duration` field:
// one the crate does not know, or on a field of another type, is an error;
// so is a bare-number default where the field says no unit (zero2prod's
// `timeout_milliseconds = 10000` would be 10,000 s).
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
    #[ssm(default = "10000")]
    timeout_milliseconds: Duration,
}

fn main() {}
