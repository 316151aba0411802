//! A fleet's instance: change events reach every copy of it, through a
//! queue of its own subscribed to an SNS topic that an EventBridge rule
//! feeds (`Loader::bootstrap().with_fan_out(topic)` writes the rules, the
//! topic and its policy).
//!
//! ```sh
//! cargo run --example fan_out -- arn:aws:sns:eu-west-1:111122223333:config-changes
//! ```
//!
//! It loads the String parameter `/fan-out/greeting` through the default
//! AWS settings (`AWS_ENDPOINT_URL` for an emulator), with no max age:
//! only change events refresh it. It prints `value=<value>` once loaded and
//! again each time the value changes. On SIGTERM or Ctrl-C it removes its
//! queue and its subscription, and exits 0. Run several copies: they are a
//! fleet, each with its own queue.

use std::process::ExitCode;

use ssm_config::SsmConfig;
use ssm_config::fan_out::FanOut;

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/fan-out")]
struct Greeting {
    greeting: String,
}

fn main() -> ExitCode {
    let Some(topic) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run --example fan_out -- <SNS topic ARN>");
        return ExitCode::from(2);
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(topic))
}

async fn run(topic: String) -> ExitCode {
    let config = match Greeting::load().await {
        Ok(config) => config,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    };
    let mut changes = config.subscribe();
    println!("value={}", config.get().greeting);
    let subscription = match config.fan_out(FanOut::topic(topic)).await {
        Ok(subscription) => subscription,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    };
    let mut terminate =
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(err) => {
                eprintln!("cannot listen for SIGTERM: {err}");
                return ExitCode::FAILURE;
            }
        };
    loop {
        tokio::select! {
            changed = changes.changed() => match changed {
                Ok(()) => println!("value={}", changes.borrow_and_update().greeting),
                Err(_) => break,
            },
            _ = terminate.recv() => break,
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    match subscription.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
