//! [`Status`]: what a readiness probe needs to know about a [`Live`](super::Live).

use std::time::{Duration, Instant};

use super::{LastError, RefresherState};

/// The health of a live configuration, from [`Live::status`](super::Live::status).
///
/// ```
/// # use std::time::Duration;
/// # use ssm_config::{MemorySource, SsmConfig, live::RefresherState};
/// # #[derive(SsmConfig)] #[ssm(prefix = "/app", max_age = 300)] struct AppConfig { host: String }
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
/// # let source = MemorySource::new();
/// # source.put("/app/host", "db");
/// let config = AppConfig::loader().source(source).load().await?;
/// let status = config.status();
/// let ready = status.refresher == RefresherState::Running
///     && status.snapshot_age < Duration::from_secs(2 * 300);
/// assert!(ready);
/// # Ok(()) }
/// ```
///
/// # Targeted refreshes
///
/// A refresh for a change event that reads only the names the event named
/// ([`Live::apply_event`](super::Live::apply_event)) says nothing of the
/// rest of the group. So while the last refresh of the whole group (at
/// expiry, in the background, forced, or for events the rules could not
/// target) has failed, a targeted one that succeeds leaves
/// `consecutive_failures` and `last_error` as they are, and the refresher
/// keeps retrying the whole group after the backoff: the status reads
/// failing until a refresh of the whole group succeeds. It moves
/// `last_success`, never `loaded_at` or `snapshot_age`. A targeted one that
/// fails counts in `consecutive_failures` like any; after failures of
/// targeted refreshes alone, the next targeted success clears them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Status {
    /// How old the current snapshot is (since it was loaded or last
    /// confirmed unchanged).
    pub snapshot_age: Duration,
    /// When the current snapshot was loaded.
    pub loaded_at: Instant,
    /// When the last load or refresh succeeded, a targeted one included
    /// (see [Targeted refreshes](#targeted-refreshes)).
    pub last_success: Instant,
    /// The last failed refresh, if any has failed. It stays after a
    /// success; `consecutive_failures` says whether it still stands.
    pub last_error: Option<LastError>,
    /// Failed refreshes since the last success that clears them: one of the
    /// whole group, or a targeted one when only targeted ones failed (see
    /// [Targeted refreshes](#targeted-refreshes)).
    pub consecutive_failures: u32,
    /// Whether a refresher keeps the configuration fresh.
    pub refresher: RefresherState,
    /// Change events that concerned this configuration
    /// ([`Live::apply_event`](super::Live::apply_event)).
    #[cfg(feature = "events")]
    #[cfg_attr(docsrs, doc(cfg(feature = "events")))]
    pub events_applied: u64,
    /// Change events that named nothing it reads.
    #[cfg(feature = "events")]
    #[cfg_attr(docsrs, doc(cfg(feature = "events")))]
    pub events_ignored: u64,
    /// Change events refused because they name a parameter by a name SSM's
    /// naming rules refuse: forged or garbled
    /// ([`Applied::Refused`](super::Applied::Refused)).
    #[cfg(feature = "events")]
    #[cfg_attr(docsrs, doc(cfg(feature = "events")))]
    pub events_refused: u64,
}
