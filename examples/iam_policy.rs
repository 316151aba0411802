//! Prints the binding plan and the least-privilege IAM policy of the
//! examples' (and the README's) `AppConfig`.
//!
//! ```sh
//! cargo run --example iam_policy                        # eu-west-1, account 123456789012, APP_ENV=prod
//! cargo run --example iam_policy -- us-east-1 210987654321 staging
//! ```

use ssm_config::{SsmConfig, iam::PolicyScope};

// The struct, shared by the examples, is in `examples/common/app_config.rs`.
#[path = "common/app_config.rs"]
mod app_config;
use app_config::AppConfig;

fn main() {
    let mut args = std::env::args().skip(1);
    let region = args.next().unwrap_or_else(|| "eu-west-1".into());
    let account = args.next().unwrap_or_else(|| "123456789012".into());
    let app_env = args.next().unwrap_or_else(|| "prod".into());

    println!("Binding plan of AppConfig (APP_ENV as set in the environment):\n");
    println!("{}", AppConfig::loader().plan());

    let scope = PolicyScope::new(region, account);
    println!("IAM policy:\n");
    let loader = AppConfig::loader().var("APP_ENV", app_env);
    println!("{}", loader.iam_policy(&scope));
}
