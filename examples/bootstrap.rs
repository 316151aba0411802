//! Bootstrap: what the examples' struct needs created, from its binding
//! plan, as a shell script of AWS CLI calls, Terraform or CloudFormation.
//!
//! ```sh
//! cargo run --example bootstrap -- shell > create-parameters.sh
//! cargo run --example bootstrap -- terraform > parameters.tf
//! cargo run --example bootstrap -- cloudformation > parameters.yaml
//! ```
//!
//! Names use `$APP_ENV` when it is set, and stay a variable of the output
//! (read once into `${var_app_env}`, `var.APP_ENV`, a template parameter) when it is not.
//! Every value is `CHANGE_ME(field)`, to be filled in (the script refuses
//! to run while one is left); fields with a default in code are not
//! created; no secret value is ever written: the script reads each from
//! `SSM_BOOTSTRAP_<NAME>`, a file, or the terminal.

use std::process::ExitCode;

// The struct, shared by the examples, is in `examples/common/app_config.rs`.
#[path = "common/app_config.rs"]
mod app_config;
use app_config::AppConfig;
use ssm_config::SsmConfig;

fn main() -> ExitCode {
    let bootstrap = AppConfig::loader().bootstrap();
    let format = std::env::args().nth(1).unwrap_or_else(|| "shell".into());
    let text = match format.as_str() {
        "shell" => bootstrap.shell(),
        "terraform" => bootstrap.terraform(),
        "cloudformation" => bootstrap.cloudformation(),
        other => {
            eprintln!("unknown format `{other}`: use shell, terraform or cloudformation");
            return ExitCode::FAILURE;
        }
    };
    print!("{text}");
    // What a load would refuse is not written; say so where a person sees it.
    for problem in &bootstrap.refused {
        eprintln!("refused: {problem}");
    }
    if bootstrap.refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
