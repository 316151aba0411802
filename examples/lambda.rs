//! A Lambda function on `lambda_runtime`, reading its configuration from
//! Parameter Store.
//!
//! - The configuration is loaded once, in the init phase (before the runtime
//!   loop), so cold starts pay for one group fetch and invocations for none.
//! - Each invocation takes one snapshot with `get()`. Lambda freezes the
//!   process between invocations, and timers wait with it; the refresher's
//!   timer counts on the monotonic clock, which runs on meanwhile, so the
//!   first invocation after max age has passed starts the refresh.
//! - A call that fails because the API token was rotated is retried once
//!   with a refreshed configuration (`refresh_on_error`).
//!
//! Build it with `cargo build --example lambda`; deploy it with cargo-lambda.
//! It expects `/$APP_ENV/greeter/greeting` and the SecureString
//! `/$APP_ENV/greeter/api/token`.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde::{Deserialize, Serialize};
use ssm_config::{Live, Secret, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{APP_ENV}/greeter", max_age = 300)]
struct Config {
    greeting: String,
    #[ssm(path = "api/token")]
    api_token: Secret<String>,
    #[ssm(default = 3)]
    max_names: usize,
}

#[derive(Deserialize)]
struct Request {
    names: Vec<String>,
}

#[derive(Serialize)]
struct Response {
    message: String,
    audited: bool,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Init phase: once per execution environment.
    let config = Config::load().await?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Request>| {
        let config = config.clone();
        async move { handle(&config, event.payload).await }
    }))
    .await
}

async fn handle(config: &Live<Config>, request: Request) -> Result<Response, Error> {
    // One snapshot for the whole invocation: every value from one load.
    let snapshot = config.get();
    let names: Vec<&str> = request
        .names
        .iter()
        .take(snapshot.max_names)
        .map(String::as_str)
        .collect();
    let message = format!("{}, {}!", snapshot.greeting, names.join(" and "));

    // A rotated token fails the first call; refresh_on_error refreshes and
    // calls once more with the new snapshot.
    let audited = config
        .refresh_on_error(|config| {
            let message = message.clone();
            async move { send_audit_record(config.api_token.expose_secret(), &message).await }
        })
        .await?;
    Ok(Response { message, audited })
}

/// Stands in for a call to another service that authenticates with the token.
async fn send_audit_record(token: &str, record: &str) -> Result<bool, Error> {
    if token.is_empty() {
        return Err("audit service rejected the token".into());
    }
    Ok(!record.is_empty())
}
