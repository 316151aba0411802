//! The SQS and SNS clients of a subscription, and the deadline every call
//! of theirs runs under.

use std::future::Future;
use std::time::Duration;

use aws_sdk_ssm::error::{ProvideErrorMetadata, SdkError};

use super::FanOutError;
use super::error::Cause;
use super::settings::FanOut;

/// The clients a subscription calls.
#[derive(Clone)]
pub(super) struct Clients {
    pub sqs: aws_sdk_sqs::Client,
    pub sns: aws_sdk_sns::Client,
    /// The deadline of one call (a receive's wait comes on top).
    pub call_timeout: Duration,
}

impl Clients {
    /// Clients from `settings`' AWS settings, or the environment's.
    pub async fn new(settings: &FanOut) -> Self {
        let config = match &settings.sdk_config {
            Some(config) => config.clone(),
            None => crate::source::sdk_config_from_env().await,
        };
        Clients {
            sqs: aws_sdk_sqs::Client::new(&config),
            sns: aws_sdk_sns::Client::new(&config),
            call_timeout: settings.call_timeout,
        }
    }

    /// Runs the call `step` under the deadline, longer by `wait` for a long
    /// poll; its error in words, never the SDK's `Debug`.
    pub async fn call<T, E, R>(
        &self,
        step: &'static str,
        wait: Duration,
        call: impl Future<Output = Result<T, SdkError<E, R>>>,
    ) -> Result<T, FanOutError>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug + 'static,
    {
        match tokio::time::timeout(self.call_timeout + wait, call).await {
            Ok(Ok(output)) => Ok(output),
            Ok(Err(err)) => {
                let cause = match err.code() {
                    Some("AWS.SimpleQueueService.NonExistentQueue" | "QueueDoesNotExist") => {
                        Cause::MissingQueue
                    }
                    Some("FilterPolicyLimitExceeded") => Cause::FilterRefused,
                    // SNS words a policy it cannot take as an invalid
                    // `FilterPolicy` parameter.
                    _ if err.message().is_some_and(|m| m.contains("FilterPolicy")) => {
                        Cause::FilterRefused
                    }
                    _ => Cause::Call,
                };
                Err(FanOutError::new(step, described(&err)).because(cause))
            }
            Err(_) => Err(FanOutError::new(
                step,
                format!("no answer within {:?}", self.call_timeout + wait),
            )),
        }
    }
}

/// Runs `attempt` up to `attempts` times, with a jittered backoff (capped
/// at `cap`) between failures; a failure that never passes
/// ([`Cause::Refused`]) is not tried again. Each failure tried again is
/// logged, as `what` failing.
pub(super) async fn retried<T, F>(
    attempts: u32,
    cap: Duration,
    what: &str,
    mut attempt: impl FnMut() -> F,
) -> Result<T, FanOutError>
where
    F: Future<Output = Result<T, FanOutError>>,
{
    let mut tried = 0;
    loop {
        tried += 1;
        match attempt().await {
            Ok(done) => return Ok(done),
            Err(err) if tried >= attempts || err.cause() == Cause::Refused => return Err(err),
            Err(err) => {
                tracing::warn!(
                    step = err.step(),
                    error = %err,
                    "{what} failed; trying again after a backoff"
                );
                let pause = crate::live::backoff::delay(tried, cap, crate::live::backoff::draw());
                tokio::time::sleep(pause).await;
            }
        }
    }
}

/// A failed call in words: the service's code and message, or the chain of
/// the failure's `Display`s, each to its first line (as the SSM source says
/// its own).
fn described<E, R>(err: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    match err.code() {
        Some(_) => crate::source::answer(err),
        None => crate::source::display_chain(err),
    }
}
