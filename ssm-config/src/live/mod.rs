//! [`Live<T>`]: the handle to a loaded configuration, and what goes with
//! it: [`Snapshot`], [`RebuiltOnRead`] values, the [`RefreshPolicy`] and the
//! [`Status`] a readiness probe reads.

mod ahead_of_expiry;
#[cfg(feature = "events")]
mod applied;
pub(crate) mod backoff;
#[cfg(feature = "events")]
mod event_error;
#[cfg(feature = "events")]
mod event_state;
#[cfg(feature = "events")]
mod events;
mod flight;
mod health;
#[cfg(feature = "events")]
mod into_change;
mod last_error;
pub(crate) mod metadata;
mod on_error;
#[cfg(feature = "events")]
mod parameter_change;
#[cfg(feature = "fan-out")]
mod weak;
/// Without the `events` feature no change event reaches a handle: the
/// changes a refresh is for are always none.
#[cfg(not(feature = "events"))]
mod parameter_change {
    pub(crate) enum ParameterChange {}
}
mod parameter_metadata;
mod rebuild_status;
mod rebuilt_in_task;
mod rebuilt_on_read;
mod refresh;
mod refresh_policy;
mod refresher;
mod refresher_state;
mod snapshot;
mod status;
#[cfg(feature = "events")]
mod targets;
mod watched;

pub use ahead_of_expiry::AheadOfExpiry;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use applied::Applied;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use event_error::EventError;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use into_change::IntoChange;
pub use last_error::LastError;
pub use metadata::Metadata;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use parameter_change::ParameterChange;
pub use parameter_metadata::ParameterMetadata;
pub use rebuild_status::RebuildStatus;
pub use rebuilt_in_task::RebuiltInTask;
pub use rebuilt_on_read::RebuiltOnRead;
pub use refresh_policy::RefreshPolicy;
pub use refresher_state::RefresherState;
pub use snapshot::Snapshot;
pub use status::Status;
#[cfg(feature = "fan-out")]
pub(crate) use weak::WeakLive;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::SsmConfig;
use crate::error::Error;
use crate::pipeline::{Group, Loaded};
use refresh::{Kind, Shared};
pub(crate) use watched::Watch;

/// A loaded configuration that can be refreshed while it is in use.
///
/// # Consistency: one snapshot per unit of work
///
/// [`get`](Live::get) returns the current [`Snapshot`], which dereferences
/// to `T`, without locking or waiting. A snapshot never changes: a refresh
/// builds a whole new `T` from one group fetch and swaps it in, or keeps the
/// old one if anything failed, so a reader sees the old snapshot or the new
/// one, never a mix.
/// Take one snapshot at the start of a unit of work (a request, an
/// invocation) and read every field from it, so that values used together
/// come from the same load: calling `get()` twice may return two different
/// loads.
///
/// ```
/// # use ssm_config::{MemorySource, SsmConfig};
/// # #[derive(SsmConfig)] #[ssm(prefix = "/app")] struct AppConfig { host: String, port: u16 }
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
/// # let source = MemorySource::new();
/// # source.put("/app/host", "db"); source.put("/app/port", "5432");
/// let config = AppConfig::loader().source(source).load().await?;
/// let snapshot = config.get(); // once per request
/// let address = format!("{}:{}", snapshot.host, snapshot.port);
/// # assert_eq!(address, "db:5432");
/// # Ok(()) }
/// ```
///
/// # Sharing across threads and tasks
///
/// `Live<T>` is `Clone + Send + Sync`: clones share one state, so hand a
/// clone to each task or keep one in an `Arc`'d application state.
///
/// ```
/// # use ssm_config::{Live, SsmConfig};
/// # #[derive(SsmConfig)] #[ssm(prefix = "/app")] struct AppConfig { host: String }
/// fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
/// assert_shareable::<Live<AppConfig>>();
/// ```
///
/// That holds for every config because a config struct must itself be
/// `Send + Sync`: a field that is not, such as an `Rc`, is refused at
/// compile time.
///
/// ```compile_fail,E0277
/// # use ssm_config::SsmConfig;
/// #[derive(SsmConfig)]
/// #[ssm(prefix = "/app")]
/// struct AppConfig {
///     host: String,
///     #[ssm(skip)]
///     local_cache: std::rc::Rc<String>,
/// }
/// ```
///
/// # Refresh
///
/// - With `max_age` (`#[ssm(max_age = SECONDS)]` or [`RefreshPolicy::max_age`]),
///   a task on the tokio runtime that loaded the configuration refreshes it
///   when it expires; reads meanwhile get the current snapshot at once, and
///   the reads after it is published get the new one.
///   [`fresh`](Live::fresh) waits for that refresh instead.
///   [`RefreshPolicy::ahead_of_expiry`](crate::live::RefreshPolicy::ahead_of_expiry)
///   moves it ahead of expiry, with jitter.
/// - [`refresh`](Live::refresh) forces one.
/// - Refreshes are single-flight: the refresher, any number of `fresh()`
///   calls on an expired snapshot and `refresh()` calls at once cause one
///   group fetch, whose outcome they share. The fetch runs in a task of its
///   own, so a caller that stops waiting does not abort it, and the callers
///   after it join it.
/// - A failed refresh keeps serving the last good snapshot; the error is
///   returned (or logged, for the refresher's own). Further attempts from
///   the refresher and `fresh()` wait out the
///   [backoff](crate::guide::when_things_go_wrong#backoff); meanwhile
///   `fresh()` returns the last error at once.
///   Expiry counts from the end of the last attempt.
/// - Every load and refresh has deadlines
///   ([`Limits::call_timeout`](crate::source::Limits::call_timeout),
///   [`Limits::load_timeout`](crate::source::Limits::load_timeout)): a stalled
///   store fails the attempt as a timeout, so `fresh()` returns within
///   them. A panic in code run for the load (a conversion, a default, a
///   validation function, a source) fails the attempt too, as
///   [`ErrorKind::Panicked`](crate::error::ErrorKind::Panicked).
/// - A max age under one second is raised to one second.
/// - [`status`](Live::status) tells a readiness probe how things stand,
///   including whether the refresher is still running.
/// - Pinned fields (`name:3`, `label = "..."`) keep their version; the other
///   fields follow the latest.
/// - [`subscribe`](Live::subscribe) and [`map`](Live::map) react only to
///   refreshes that changed a value.
///
/// # Lambda: freeze and thaw
///
/// Lambda freezes a function between invocations, and timers do not fire
/// while it is frozen. Load in the init phase (outside the handler) and call
/// `get()` in each invocation: the refresher's timer is due on the monotonic
/// clock, which runs on while the function is frozen, so it fires as soon as
/// the next invocation thaws the function, and that invocation is served the
/// previous snapshot meanwhile (the refresh completes during it or early in
/// the next). Use `fresh().await` where an invocation must never see a value
/// older than `max_age`. Refreshing ahead of expiry with [`AheadOfExpiry`]
/// suits long-running services, not Lambda.
///
/// `Live<T>` is `Clone + Send + Sync`; clones share the same state.
pub struct Live<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Clone for Live<T> {
    fn clone(&self) -> Self {
        Live {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T: SsmConfig> Live<T> {
    /// A handle on `loaded` that refreshes by `policy`, whose max age is
    /// already the struct's where it set none.
    pub(crate) fn new(
        loaded: Loaded<T>,
        group: Group,
        policy: RefreshPolicy,
        watch: Option<Watch>,
    ) -> Self {
        let schedule = match (policy.ahead_of_expiry, watch.is_some()) {
            (Some(schedule), _) => Some(schedule),
            (None, true) => Some(AheadOfExpiry::watching()),
            (None, false) => None,
        };
        let max_age = policy.max_age;
        let live = Live {
            shared: Arc::new(Shared::new(loaded, group, policy, watch)),
        };
        match (max_age, schedule) {
            (Some(max_age), schedule) => refresher::spawn(
                &live.shared,
                max_age,
                schedule.unwrap_or_else(AheadOfExpiry::at_expiry),
            ),
            (None, Some(_)) => tracing::warn!(
                config = T::DESCRIPTION.type_name,
                "refreshing ahead of expiry and watch mode need a max age; not started"
            ),
            (None, None) => {}
        }
        live
    }

    /// The current snapshot. Never waits, never locks, and touches no
    /// memory that other readers write, so it costs the same on every
    /// thread; expiry is the refresher's job, not the reader's.
    pub fn get(&self) -> Snapshot<T> {
        Snapshot::new(self.shared.current.load())
    }

    /// The current snapshot if it is younger than max age; otherwise waits
    /// for a refresh and returns the snapshot it published (the error if it
    /// failed).
    ///
    /// After a failed refresh, further attempts wait out the
    /// [backoff](crate::guide::when_things_go_wrong#backoff).
    /// Until it has passed, `fresh()` on an expired snapshot returns the
    /// last refresh's error at once, without a request.
    pub async fn fresh(&self) -> Result<Snapshot<T>, Error> {
        let current = self.shared.current.load();
        match self.shared.policy.max_age {
            Some(max_age) if current.loaded_at.elapsed() >= max_age => {
                if let Some(error) = self.shared.backing_off() {
                    return Err(error);
                }
                let published = self
                    .shared
                    .refresh_as(Kind::Scheduled, Duration::ZERO)
                    .await?;
                Ok(Snapshot::published(published))
            }
            _ => Ok(Snapshot::new(current)),
        }
    }

    /// Fetches the whole group again, swaps in the new snapshot and returns
    /// it. On failure the current snapshot stays, and the error is returned
    /// and logged. A call made while a refresh is under way shares its
    /// outcome.
    ///
    /// The refresh runs in a task of its own on the current tokio runtime:
    /// a caller that stops waiting (a timeout, a dropped request) does not
    /// abort it, and callers that come while it runs join it. A forced
    /// refresh does not wait for the backoff that follows a failure.
    pub async fn refresh(&self) -> Result<Snapshot<T>, Error> {
        Ok(Snapshot::published(self.shared.refresh().await?))
    }

    /// Health for readiness probes: the snapshot's age, the last success,
    /// the last failure and its kind, failures in a row, and whether the
    /// refresher still runs; see [`Status`].
    pub fn status(&self) -> Status {
        self.shared.status()
    }

    /// A receiver that is notified when a refresh changed some value (not
    /// when it fetched the same values again). It starts marked as seen.
    pub fn subscribe(&self) -> watch::Receiver<Arc<T>> {
        self.shared.changes.subscribe()
    }

    /// A value built from the configuration and rebuilt, on the next read,
    /// whenever a refresh changed the configuration: a database pool rebuilt
    /// when its password rotates.
    pub fn map<U, F>(&self, build: F) -> RebuiltOnRead<T, U>
    where
        F: Fn(&T) -> U + Send + Sync + 'static,
        U: Send + Sync + 'static,
    {
        RebuiltOnRead::new(self.clone(), build, Arc::new(|_: &T, _: &T| true))
    }

    /// As [`map`](Live::map), rebuilt only when `key` gives another value
    /// for the new configuration: a pool keyed by its URL and password is
    /// not rebuilt when a log level changes. (`Secret<T>` compares by its
    /// value, so it can be part of a key.)
    pub fn map_keyed<K, U, F>(
        &self,
        key: impl Fn(&T) -> K + Send + Sync + 'static,
        build: F,
    ) -> RebuiltOnRead<T, U>
    where
        K: PartialEq,
        F: Fn(&T) -> U + Send + Sync + 'static,
        U: Send + Sync + 'static,
    {
        RebuiltOnRead::new(self.clone(), build, rebuilt_on_read::by_key(key))
    }

    /// A value built by a fallible async builder, and rebuilt off the
    /// request path whenever a refresh changes the configuration: a task of
    /// its own runs the builder, and a failed rebuild keeps the value built
    /// before (see [`RebuiltInTask::status`]). Fails with the builder's error
    /// when the first build fails. Rebuilds run on the tokio runtime of the
    /// caller; outside one, the value is built once and its status says it
    /// is never rebuilt.
    pub async fn map_async<U, E, F, Fut>(&self, build: F) -> Result<RebuiltInTask<T, U>, E>
    where
        U: Send + Sync + 'static,
        E: std::fmt::Display,
        F: Fn(Arc<T>) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<U, E>> + Send + 'static,
    {
        RebuiltInTask::start(self, Arc::new(|_: &T, _: &T| true), build).await
    }

    /// As [`map_async`](Live::map_async), rebuilt only when `key` gives
    /// another value for the new configuration.
    pub async fn map_async_keyed<K, U, E, F, Fut>(
        &self,
        key: impl Fn(&T) -> K + Send + Sync + 'static,
        build: F,
    ) -> Result<RebuiltInTask<T, U>, E>
    where
        K: PartialEq,
        U: Send + Sync + 'static,
        E: std::fmt::Display,
        F: Fn(Arc<T>) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<U, E>> + Send + 'static,
    {
        RebuiltInTask::start(self, rebuilt_on_read::by_key(key), build).await
    }

    /// When the current snapshot's values were all read: its full load (or
    /// the last check that confirmed it unchanged). A targeted refresh for
    /// a change event reads a few names and leaves this as it was, so
    /// [`max_age`](Live::max_age) still counts from the full load.
    pub fn loaded_at(&self) -> std::time::Instant {
        self.shared.current.load().loaded_at.into_std()
    }

    /// How long a snapshot is meant to live, if it expires at all.
    pub fn max_age(&self) -> Option<Duration> {
        self.shared.policy.max_age
    }
}

impl<T: fmt::Debug> fmt::Debug for Live<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Live")
            .field(&self.shared.current.load().value)
            .finish()
    }
}
