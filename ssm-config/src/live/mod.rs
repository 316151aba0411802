//! [`Live<T>`]: the handle to a loaded configuration.

mod background;
mod derived;
mod on_error;
mod refresh;

pub use background::Background;
pub use derived::Derived;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::SsmConfig;
use crate::engine::{Group, Loaded};
use crate::error::Error;
use crate::metadata::Metadata;
use refresh::{Settings, Shared};

/// A loaded configuration that can be refreshed while it is in use.
///
/// # Consistency: one snapshot per unit of work
///
/// [`get`](Live::get) returns the current snapshot, an `Arc<T>`, without
/// locking or waiting. A snapshot never changes: a refresh builds a whole new
/// `T` from one group fetch and swaps it in, or keeps the old one if anything
/// failed, so a reader sees the old snapshot or the new one, never a mix.
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
/// - With `max_age` (`#[ssm(max_age = SECONDS)]` or [`Loader::max_age`](crate::Loader::max_age)),
///   the first `get()` after it has passed starts one refresh in the
///   background and returns the current snapshot at once; the next reads see
///   the new one. [`fresh`](Live::fresh) waits for that refresh instead.
/// - [`refresh`](Live::refresh) forces one.
/// - Refreshes are single-flight: any number of expired reads and `refresh()`
///   calls at once cause one group fetch, whose outcome they share.
/// - A failed refresh keeps serving the last good snapshot; the error is
///   returned (or logged, for background refreshes) and the next attempt
///   waits for the next expiry.
/// - Pinned fields (`name:3`, `label = "..."`) keep their version; the other
///   fields follow the latest.
/// - [`subscribe`](Live::subscribe) and [`map`](Live::map) react only to
///   refreshes that changed a value.
///
/// # Lambda: freeze and thaw
///
/// Lambda freezes a function between invocations, and timers do not fire
/// while it is frozen. Load in the init phase (outside the handler) and call
/// `get()` in each invocation: expiry is checked on access against the
/// monotonic clock, so the first invocation after a long freeze starts the
/// refresh and serves the previous snapshot meanwhile (the refresh completes
/// during that invocation or early in the next). Use `fresh().await` where an
/// invocation must never see a value older than `max_age`. The optional
/// [`Background`] refresher suits long-running services, not Lambda.
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

/// How a [`Live`] behaves; set through the [`Loader`](crate::Loader).
pub(crate) struct LiveOptions {
    pub max_age: Option<Duration>,
    pub error_refresh_interval: Duration,
    pub background: Option<Background>,
}

impl<T: SsmConfig> Live<T> {
    pub(crate) fn new(loaded: Loaded<T>, group: Group, options: LiveOptions) -> Self {
        let settings = Settings {
            max_age: options.max_age,
            error_refresh_interval: options.error_refresh_interval,
        };
        let live = Live {
            shared: Arc::new(Shared::new(loaded, group, settings)),
        };
        if let Some(background) = options.background {
            background::spawn(&live.shared, background);
        }
        live
    }

    /// The current snapshot. Never waits on the network; when max age has
    /// passed, starts one refresh in the background (on the current tokio
    /// runtime) and returns the current snapshot meanwhile.
    pub fn get(&self) -> Arc<T> {
        let value = Arc::clone(&self.shared.current.load().value);
        self.refresh_if_expired();
        value
    }

    /// The current snapshot, borrowed: cheaper than [`get`](Live::get) under
    /// contention (no reference count is touched), for a short read in a hot
    /// loop. Do not hold it across an `.await` or for long: it pins the
    /// snapshot it borrows. Expiry is handled as in `get`.
    pub fn read(&self) -> Ref<T> {
        let guard = self.shared.current.load();
        self.refresh_if_expired();
        Ref { guard }
    }

    /// Starts one background refresh if max age has passed and no other
    /// reader has started it.
    fn refresh_if_expired(&self) {
        if !self.shared.claim_expired() {
            return;
        }
        let seen = self.shared.attempts();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let shared = Arc::clone(&self.shared);
                runtime.spawn(async move {
                    let _logged_there = shared.refresh(seen).await;
                });
            }
            Err(_) => tracing::warn!(
                config = T::PLAN.type_name,
                "configuration expired outside a tokio runtime; call `fresh()` or `refresh()` to reload it"
            ),
        }
    }

    /// The current snapshot if it is younger than max age; otherwise waits
    /// for a refresh and returns its result (the error if it failed).
    pub async fn fresh(&self) -> Result<Arc<T>, Error> {
        let current = self.shared.current.load_full();
        match self.shared.settings.max_age {
            Some(max_age) if current.loaded_at.elapsed() >= max_age => {
                self.shared.refresh(self.shared.attempts()).await
            }
            _ => Ok(Arc::clone(&current.value)),
        }
    }

    /// Fetches the whole group again and swaps in the new snapshot. On
    /// failure the current snapshot stays, and the error is returned and
    /// logged. A call made while a refresh is under way shares its outcome.
    pub async fn refresh(&self) -> Result<Arc<T>, Error> {
        self.shared.refresh(self.shared.attempts()).await
    }

    /// A receiver that is notified when a refresh changed some value (not
    /// when it fetched the same values again). It starts marked as seen.
    pub fn subscribe(&self) -> watch::Receiver<Arc<T>> {
        self.shared.changes.subscribe()
    }

    /// A value built from the configuration and rebuilt, on the next read,
    /// whenever a refresh changed the configuration: a database pool rebuilt
    /// when its password rotates.
    pub fn map<U, F>(&self, build: F) -> Derived<T, U>
    where
        F: Fn(&T) -> U + Send + Sync + 'static,
        U: Send + Sync + 'static,
    {
        Derived::new(self.clone(), build)
    }

    /// Version, type and last change of each parameter of the current
    /// snapshot, and when it was loaded.
    pub fn metadata(&self) -> Arc<Metadata> {
        Arc::clone(&self.shared.current.load().metadata)
    }

    /// When the current snapshot was loaded (or last confirmed unchanged).
    pub fn loaded_at(&self) -> std::time::Instant {
        self.shared.current.load().loaded_at.into_std()
    }

    /// How long a snapshot is meant to live, if it expires at all.
    pub fn max_age(&self) -> Option<Duration> {
        self.shared.settings.max_age
    }
}

/// A borrowed snapshot from [`Live::read`]; dereferences to `T`.
pub struct Ref<T> {
    guard: arc_swap::Guard<Arc<refresh::Snapshot<T>>>,
}

impl<T> std::ops::Deref for Ref<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Ref<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: fmt::Debug> fmt::Debug for Live<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Live")
            .field(&self.shared.current.load().value)
            .finish()
    }
}
