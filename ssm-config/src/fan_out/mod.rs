//! Change events for every instance of a fleet, behind the `fan-out`
//! feature: each live handle gets an SQS queue of its own, subscribed to an
//! SNS topic that an EventBridge rule feeds, and a task that long-polls it
//! and hands each message to [`Live::apply_event`](crate::Live::apply_event).
//!
//! An EventBridge rule that delivers to one SQS queue gives each event to
//! one consumer, and one that invokes a Lambda function reaches one
//! execution environment: neither reaches a fleet. A topic with a queue per
//! instance does.
//!
//! ```no_run
//! # use ssm_config::{SsmConfig, fan_out::FanOut};
//! # #[derive(SsmConfig)] #[ssm(prefix = "/app")] struct AppConfig { greeting: String }
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = AppConfig::load().await?;
//! let subscription = config
//!     .fan_out(FanOut::topic("arn:aws:sns:eu-west-1:111122223333:config-changes"))
//!     .await?;
//! // ... serve ...
//! subscription.shutdown().await?; // removes the queue and the subscription
//! # Ok(()) }
//! ```

mod clients;
mod error;
mod filter;
mod message;
mod patterns;
mod poll;
mod queue;
mod settings;
mod subscription;
mod sweep;

pub use error::FanOutError;
pub(crate) use filter::EventSources;
pub use patterns::{PARAMETER_CHANGES, SECRET_CHANGES};
pub use settings::FanOut;
pub use subscription::{Subscription, SubscriptionState, SubscriptionStatus};
pub use sweep::{Swept, sweep};
