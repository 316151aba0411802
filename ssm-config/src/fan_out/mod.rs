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
//!
//! # What it makes, and what it needs
//!
//! A queue named by [`FanOut::queue_prefix`] and an instance id, tagged
//! (`ssm-config:fan-out` = the topic, `ssm-config:seen` = when it was last
//! polled, refreshed every 5 minutes), with a policy that lets only the
//! topic send; a subscription with raw message delivery. The topic and the
//! EventBridge rules that feed it are infrastructure:
//! [`Bootstrap::with_fan_out`](crate::bootstrap::Bootstrap::with_fan_out)
//! writes them (patterns [`PARAMETER_CHANGES`] and [`SECRET_CHANGES`]), and
//! [`PolicyScope::fan_out`](crate::iam::PolicyScope::fan_out) grants an
//! instance the calls it makes.
//!
//! # Fleets and SNS's limits
//!
//! Each subscription carries a filter policy on the message body that
//! admits only the events of what its configuration reads: its names, the
//! paths of its walks, and Secrets Manager's events if it reads a secret.
//! SNS limits filter policies (AWS SNS docs, "Filter policy constraints"):
//! five top-level keys, 150 value combinations, and by default **200 filter
//! policies per topic** and 10,000 per account. A policy SNS refuses (too
//! many names, a topic past its 200) is dropped, and the queue subscribes
//! without one: every event of the topic then reaches it, and the instance
//! ignores what it does not read ([`SubscriptionStatus::filtered`] says
//! which). For a fleet:
//! - give each service a topic of its own (and its rules, filtered to its
//!   prefix if need be): its instances share what they read;
//! - past 200 instances on one topic, subscribe them all with
//!   [`FanOut::without_filter_policy`], which spares each start a refused
//!   call; an event the instance does not read costs a receive and nothing
//!   else.
//!
//! # Leftovers
//!
//! An instance that crashes leaves its queue and subscription behind. Run
//! [`sweep`] from a scheduled job (an EventBridge schedule with a Lambda
//! function, a cron job) with an idle time of an hour or more: it removes
//! the queues of a prefix, made by this crate, not polled for that long.

mod clients;
mod error;
mod filter;
mod message;
mod patterns;
mod poll;
mod queue;
mod settings;
mod state;
mod subscription;
mod sweep;

pub use error::FanOutError;
pub(crate) use filter::EventSources;
pub use patterns::{PARAMETER_CHANGES, SECRET_CHANGES};
pub use settings::FanOut;
pub use state::SubscriptionState;
pub use subscription::{Subscription, SubscriptionStatus};
pub use sweep::{Swept, sweep};
