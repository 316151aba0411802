//! [`Limits`]: how much a load may ask of a source, and how long it may
//! take; one value shared by the [`Loader`](crate::Loader) and the untyped
//! cache.

use std::time::Duration;

/// How many calls one load keeps in flight by default.
const DEFAULT_CONCURRENCY: usize = 10;

/// Default for [`Limits::call_timeout`]: SSM answers in tens of
/// milliseconds, and the AWS source's own attempts give up after 2 s each
/// (three attempts, 5 s in all); a call still unanswered after that is
/// stalled.
const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(6);

/// Default for [`Limits::load_timeout`]: inside Lambda's 10 s init phase,
/// with room for the function's own start-up.
const DEFAULT_LOAD_TIMEOUT: Duration = Duration::from_secs(8);

/// How much a load may ask of the source and how long it may take, given
/// to [`Loader::limits`](crate::Loader::limits). Every setting has a
/// default, so a value names only what it changes.
///
/// ```
/// # use std::time::Duration;
/// use ssm_config::source::Limits;
/// # use ssm_config::{MemorySource, SsmConfig};
/// # #[derive(SsmConfig)] #[ssm(prefix = "/app")] struct AppConfig { host: String }
/// let loader = AppConfig::loader()
///     .source(MemorySource::new())
///     .limits(Limits::new().call_timeout(Duration::from_secs(2)).max_concurrency(4));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub(crate) concurrency: usize,
    pub(crate) max_pages: usize,
    /// A window over which the calls go out evenly, instead of at once
    /// (for background refreshes, which nobody waits on); set by the
    /// refresher, never by a user.
    pub(crate) pace: Duration,
    pub(crate) call_timeout: Duration,
    pub(crate) load_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self::new()
    }
}

impl Limits {
    /// The defaults: 10 calls in flight, 1,000 pages a walk, a 6 s call
    /// timeout and an 8 s load timeout.
    pub const fn new() -> Self {
        Limits {
            concurrency: DEFAULT_CONCURRENCY,
            max_pages: super::calls::DEFAULT_MAX_PAGES,
            pace: Duration::ZERO,
            call_timeout: DEFAULT_CALL_TIMEOUT,
            load_timeout: DEFAULT_LOAD_TIMEOUT,
        }
    }

    /// How many calls a load keeps in flight at once (default 10, at least 1).
    pub fn max_concurrency(mut self, calls: usize) -> Self {
        self.concurrency = calls.max(1);
        self
    }

    /// How many pages one `#[ssm(by_path)]` walk may read before the load
    /// fails (default 1,000, that is 10,000 parameters; at least 1). A walk
    /// also ends, failing, on a page token it has seen before. A walk that
    /// long needs a longer [`load_timeout`](Limits::load_timeout) than the
    /// default 8 s.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// How long one call to the source (one `GetParameters`, one page of a
    /// walk) may go unanswered before it fails as a timeout (default 6 s,
    /// at least 1 ms). Every call has it: a load's, the read of the
    /// watched parameter ([`RefreshPolicy::watch`](crate::live::RefreshPolicy::watch)), the doctor's follow-up calls. SSM answers in tens of milliseconds; the default
    /// leaves room for the AWS source's own three attempts of at most 2 s
    /// each. A timed-out call fails the load like any failed call, with
    /// [`SourceErrorKind::Timeout`](super::SourceErrorKind::Timeout):
    /// a refresh keeps the last good snapshot, records the failure in
    /// [`Live::status`](crate::Live::status) and backs off.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How long a whole load or refresh may take (default 8 s, inside
    /// Lambda's 10 s init phase; at least 1 ms). A background refresh's
    /// pacing window ([`AheadOfExpiry::pace`](crate::live::AheadOfExpiry::pace)) comes on top. A load that runs
    /// out of time fails with a
    /// [`SourceErrorKind::Timeout`](super::SourceErrorKind::Timeout)
    /// problem naming what was not answered. Deadlines need the tokio
    /// runtime's timer, as the AWS SDK does; outside a tokio runtime a
    /// load has no timer and runs to its end.
    pub fn load_timeout(mut self, timeout: Duration) -> Self {
        self.load_timeout = timeout.max(Duration::from_millis(1));
        self
    }
}
