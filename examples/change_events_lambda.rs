//! A Lambda function subscribed to Parameter Store change events (an
//! EventBridge rule on `source: aws.ssm`, `detail-type: Parameter Store
//! Change`). It loads the configuration in the init phase and hands each
//! event to `apply_event`: a change to a parameter it reads refreshes it;
//! any other is ignored. The same `Live` serves the function's other work.
//!
//! An EventBridge rule invokes **one** execution environment per event: the
//! function's other warm environments do not see it, and keep the old value
//! until their max age runs out. Events only speed up the environment they
//! reach; rely on max age (here an hour: set it as short as staleness
//! allows), or call `config.fresh()` in the handler where a value must be
//! current. A fleet of long-running instances gets every event through
//! `Live::fan_out` (the `fan-out` feature) instead.
//!
//! Build it with `cargo build --example change_events_lambda`; deploy it
//! with cargo-lambda. It expects `/$APP_ENV/greeter/greeting`.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use ssm_config::live::Applied;
use ssm_config::{Live, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{APP_ENV}/greeter", max_age = 3600)]
struct Config {
    greeting: String,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Init phase: once per execution environment.
    let config = Config::load().await?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<serde_json::Value>| {
        let config = config.clone();
        async move { handle(&config, event.payload).await }
    }))
    .await
}

async fn handle(config: &Live<Config>, event: serde_json::Value) -> Result<String, Error> {
    match config.apply_event(&event)? {
        Applied::Refreshing => {
            // Lambda freezes the process after the handler returns: wait for
            // the refresh here so the next invocation starts fresh.
            let fresh = config.refresh().await?;
            Ok(format!(
                "refreshed: the greeting is now {:?}",
                fresh.greeting
            ))
        }
        Applied::Ignored => Ok("ignored: not a parameter this function reads".into()),
        Applied::Refused => Ok("refused: the event names no valid parameter".into()),
    }
}
