//! [`Status`]: what a readiness probe needs to know about a [`Live`](super::Live).

use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind};

/// The health of a live configuration, from [`Live::status`](super::Live::status).
///
/// ```
/// # use std::time::Duration;
/// # use ssm_config::{MemorySource, SsmConfig, live::Refresher};
/// # #[derive(SsmConfig)] #[ssm(prefix = "/app", max_age = 300)] struct AppConfig { host: String }
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
/// # let source = MemorySource::new();
/// # source.put("/app/host", "db");
/// let config = AppConfig::loader().source(source).load().await?;
/// let status = config.status();
/// let ready = status.refresher == Refresher::Running
///     && status.snapshot_age < Duration::from_secs(2 * 300);
/// assert!(ready);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Status {
    /// How old the current snapshot is (since it was loaded or last
    /// confirmed unchanged).
    pub snapshot_age: Duration,
    /// When the current snapshot was loaded.
    pub loaded_at: Instant,
    /// When the last load or refresh succeeded.
    pub last_success: Instant,
    /// The last failed refresh, if any has failed.
    pub last_error: Option<LastError>,
    /// Failed refreshes since the last success.
    pub consecutive_failures: u32,
    /// Whether a refresher keeps the configuration fresh.
    pub refresher: Refresher,
    /// Change events that concerned this configuration
    /// ([`Live::apply_event`](super::Live::apply_event)).
    pub events_applied: u64,
    /// Change events that named nothing it reads.
    pub events_ignored: u64,
}

/// A failed refresh, as [`Status`] reports it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LastError {
    /// What kind of failure it was.
    pub kind: ErrorKind,
    /// When the attempt ended.
    pub at: Instant,
    /// The error itself (its messages never quote a secret).
    pub error: Error,
}

/// Whether anything refreshes a configuration by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Refresher {
    /// No max age: the configuration refreshes only when asked.
    NotScheduled = 0,
    /// The refresher task runs.
    Running = 1,
    /// The refresher task is gone, because the tokio runtime that loaded
    /// the configuration shut down (or no runtime was there to run it): the
    /// snapshot will not be refreshed unless something asks.
    Stopped = 2,
}

impl Refresher {
    pub(crate) fn from_u8(state: u8) -> Refresher {
        match state {
            1 => Refresher::Running,
            2 => Refresher::Stopped,
            _ => Refresher::NotScheduled,
        }
    }
}
