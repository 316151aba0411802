//! [`RefreshPolicy`]: how a live handle stays fresh, as one value that the
//! [`Loader`](crate::Loader) hands to the handle unchanged.

use std::time::Duration;

use super::AheadOfExpiry;

/// The shortest max age: a shorter one, zero included, is raised to it, so
/// that no refresh loop spins.
const MIN_MAX_AGE: Duration = Duration::from_secs(1);

/// How a [`Live`](crate::Live) handle refreshes: when (at expiry, ahead of
/// expiry, or by watching one parameter), and how change events and
/// [`refresh_on_error`](crate::Live::refresh_on_error) are paced. Given to
/// [`Loader::refresh`](crate::Loader::refresh); every setting has a
/// default, so a policy names only what it changes.
///
/// ```
/// # use std::time::Duration;
/// # use ssm_config::{MemorySource, SsmConfig};
/// use ssm_config::live::{AheadOfExpiry, RefreshPolicy};
///
/// #[derive(SsmConfig)]
/// #[ssm(prefix = "/app", max_age = "5m")]
/// struct AppConfig {
///     host: String,
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), ssm_config::Error> {
/// # let source = MemorySource::new();
/// # source.put("/app/host", "db");
/// # source.put("/app/version", "1");
/// let config = AppConfig::loader()
///     .source(source)
///     .refresh(
///         RefreshPolicy::new() // the struct's max age, 5 minutes
///             .ahead_of_expiry(AheadOfExpiry::new())
///             .watch("/app/version"),
///     )
///     .load()
///     .await?;
/// assert_eq!(config.max_age(), Some(Duration::from_secs(300)));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct RefreshPolicy {
    pub(crate) max_age: Option<Duration>,
    pub(crate) ahead_of_expiry: Option<AheadOfExpiry>,
    pub(crate) watch: Option<String>,
    pub(crate) full_reload_every: Duration,
    #[cfg(feature = "events")]
    pub(crate) event_refresh_interval: Duration,
    #[cfg(feature = "events")]
    pub(crate) event_spread: Duration,
    pub(crate) on_error_interval: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        RefreshPolicy {
            max_age: None,
            ahead_of_expiry: None,
            watch: None,
            full_reload_every: Duration::from_secs(24 * 60 * 60),
            #[cfg(feature = "events")]
            event_refresh_interval: Duration::from_secs(1),
            #[cfg(feature = "events")]
            event_spread: Duration::from_secs(1),
            on_error_interval: Duration::from_secs(5),
        }
    }
}

impl RefreshPolicy {
    /// The defaults: the struct's `#[ssm(max_age)]` (without one, the
    /// handle never refreshes by itself), a refresh at expiry, no watched
    /// parameter.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long a snapshot lives; replaces `#[ssm(max_age = ...)]`. A max
    /// age under one second (zero included) is raised to one second, so
    /// that no refresh loop spins.
    pub fn max_age(mut self, max_age: Duration) -> Self {
        if max_age < MIN_MAX_AGE {
            tracing::warn!(?max_age, "max age raised to the one-second floor");
        }
        self.max_age = Some(max_age.max(MIN_MAX_AGE));
        self
    }

    /// Refreshes ahead of expiry, with jitter, instead of at expiry; see
    /// [`AheadOfExpiry`]. For long-running services; on Lambda, keep the
    /// refresh at expiry ([`Live`](crate::Live) explains why).
    pub fn ahead_of_expiry(mut self, schedule: AheadOfExpiry) -> Self {
        self.ahead_of_expiry = Some(schedule);
        self
    }

    /// Watch mode: each refresh cycle reads only the parameter `name` (a
    /// full name; `{VAR}`s are filled as usual), and the whole group is
    /// loaded again only when its version changed, or after
    /// [`full_reload_every`](RefreshPolicy::full_reload_every). A 100-name
    /// config then costs one call per instance per cycle, where it cost ten.
    ///
    /// A change to a bound parameter alone is not seen until the watched
    /// parameter moves (or the safety reload comes): a deploy step bumps it
    /// after writing the others (`aws ssm put-parameter --overwrite` on it,
    /// or moving a label). Needs a max age, which becomes the cycle: one
    /// check a max age (less up to 1% of it, the first anywhere in the first
    /// cycle), unless [`ahead_of_expiry`](RefreshPolicy::ahead_of_expiry)
    /// sets another schedule. A watched parameter that does not exist yet
    /// counts as a version of its own: creating it reloads everything.
    /// [`Live::refresh`](crate::Live::refresh) always loads everything.
    /// The read has the loader's
    /// [`call_timeout`](crate::source::Limits::call_timeout): one that times out
    /// fails the load, or the refresh, which keeps the snapshot. The
    /// loader's [`iam_policy`](crate::Loader::iam_policy) allows the read.
    pub fn watch(mut self, name: impl Into<String>) -> Self {
        self.watch = Some(name.into());
        self
    }

    /// In watch mode, the longest time between two full loads, whatever
    /// the watched parameter says (default 24 hours, at least 1 s; each
    /// instance draws 90% to 100% of it afresh, so a fleet's safety reloads
    /// spread out).
    pub fn full_reload_every(mut self, every: Duration) -> Self {
        self.full_reload_every = every.max(MIN_MAX_AGE);
        self
    }

    /// The least time between two refreshes that change events start
    /// ([`Live::apply_event`](crate::Live::apply_event), default 1 s): a
    /// burst of events costs one refresh, and the last change is never
    /// lost.
    #[cfg(feature = "events")]
    #[cfg_attr(docsrs, doc(cfg(feature = "events")))]
    pub fn event_refresh_interval(mut self, interval: Duration) -> Self {
        self.event_refresh_interval = interval;
        self
    }

    /// The window within which a refresh that a change event schedules
    /// ([`Live::apply_event`](crate::Live::apply_event)) starts, at a
    /// random point (default 1 s; zero starts it at once). A fleet that
    /// receives one event spreads its refreshes over the window; the fleet
    /// guide says [how wide](crate::guide::fleet#sizing-the-event-window)
    /// keeps the wave under SSM's quota.
    #[cfg(feature = "events")]
    #[cfg_attr(docsrs, doc(cfg(feature = "events")))]
    pub fn event_spread(mut self, window: Duration) -> Self {
        self.event_spread = window;
        self
    }

    /// The least time between two refreshes forced by
    /// [`Live::refresh_on_error`](crate::Live::refresh_on_error) (default
    /// 5 s).
    pub fn on_error_interval(mut self, interval: Duration) -> Self {
        self.on_error_interval = interval;
        self
    }

    /// This policy with the struct's max age where it sets none: what the
    /// live handle runs by.
    pub(crate) fn with_default_max_age(mut self, max_age_secs: Option<u64>) -> Self {
        self.max_age = self.max_age.or(max_age_secs.map(Duration::from_secs));
        self
    }
}
