//! [`RebuiltInTask`]: a value built from a configuration by a fallible async
//! builder, rebuilt in a task of its own when the configuration changes, so
//! no request waits for it; a failed rebuild keeps the value built before.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, Weak};
use std::time::Instant;

use arc_swap::ArcSwap;
use futures_util::FutureExt;

use super::rebuild_status::RebuildStatus;
use super::rebuilt_on_read::Changed;
use crate::SsmConfig;

/// A value built from a [`Live`](super::Live) configuration by
/// [`Live::map_async`](super::Live::map_async) or
/// [`map_async_keyed`](super::Live::map_async_keyed).
///
/// [`get`](RebuiltInTask::get) never waits: it returns the value built last.
/// When a refresh changes the configuration (or the part the key picks), a
/// task of its own runs the builder; on success the new value replaces the
/// old, on failure (an error, or a panic) the old one stays and
/// [`status`](RebuiltInTask::status) says why. The task ends when every
/// clone of this value, or the configuration, is dropped.
///
/// ```
/// # use std::sync::Arc;
/// # use ssm_config::{MemorySource, Secret, SsmConfig};
/// #[derive(SsmConfig)]
/// #[ssm(prefix = "/app")]
/// struct Db { url: String, password: Secret<String> }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let source = MemorySource::new();
/// # source.put("/app/url", "db:5432"); source.put_secure("/app/password", "one");
/// let config = Db::loader().source(source).load().await?;
/// // Rebuilt when the URL or the password changes, not for other fields.
/// let pool = config
///     .map_async_keyed(
///         |db| (db.url.clone(), db.password.clone()),
///         |db: Arc<Db>| async move { connect(&db.url, db.password.expose_secret()).await },
///     )
///     .await?;
/// assert_eq!(pool.get().url, "db:5432");
/// assert_eq!(pool.status().consecutive_failures, 0);
/// # Ok(()) }
/// # struct Pool { url: String }
/// # async fn connect(url: &str, _: &str) -> Result<Pool, String> { Ok(Pool { url: url.into() }) }
/// ```
pub struct RebuiltInTask<T, U> {
    inner: Arc<Inner<T, U>>,
}

struct Inner<T, U> {
    /// The configuration the value was built from, and the value.
    current: ArcSwap<(Arc<T>, Arc<U>)>,
    status: Mutex<RebuildStatus>,
}

impl<T, U> Clone for RebuiltInTask<T, U> {
    fn clone(&self) -> Self {
        RebuiltInTask {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T, U> RebuiltInTask<T, U> {
    /// The value built last.
    pub fn get(&self) -> Arc<U> {
        Arc::clone(&self.inner.current.load().1)
    }

    /// How the rebuilds went.
    pub fn status(&self) -> RebuildStatus {
        self.inner
            .status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl<T: SsmConfig, U: Send + Sync + 'static> RebuiltInTask<T, U> {
    /// Builds the first value from `live`'s current snapshot, then starts
    /// the task that rebuilds it.
    pub(crate) async fn start<E, F, Fut>(
        live: &super::Live<T>,
        changed: Arc<Changed<T>>,
        build: F,
    ) -> Result<Self, E>
    where
        E: fmt::Display,
        F: Fn(Arc<T>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<U, E>> + Send + 'static,
    {
        // Subscribed first, so no change between the build and the task's
        // start is missed.
        let mut changes = live.subscribe();
        let config = live.get().into_arc();
        let value = build(Arc::clone(&config)).await?;
        let inner = Arc::new(Inner {
            current: ArcSwap::from_pointee((config, Arc::new(value))),
            status: Mutex::new(RebuildStatus {
                built_at: Some(Instant::now()),
                ..RebuildStatus::default()
            }),
        });
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // Outside tokio there is nothing to rebuild on: the value stays
            // as built, and its status says so rather than a panic.
            tracing::warn!(
                config = T::DESCRIPTION.type_name,
                "`map_async` outside a tokio runtime: the value is never rebuilt"
            );
            inner
                .status
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .last_error =
                Some("no tokio runtime to rebuild on: the value is never rebuilt".into());
            return Ok(RebuiltInTask { inner });
        };
        let weak = Arc::downgrade(&inner);
        runtime.spawn(async move {
            while changes.changed().await.is_ok() {
                let config = Arc::clone(&changes.borrow_and_update());
                if !rebuild(&weak, &changed, &build, config).await {
                    break;
                }
            }
        });
        Ok(RebuiltInTask { inner })
    }
}

/// Rebuilds for `config` when it calls for it; `false` once every handle
/// of the value is gone.
async fn rebuild<T: SsmConfig, U, E: fmt::Display, Fut>(
    weak: &Weak<Inner<T, U>>,
    changed: &Arc<Changed<T>>,
    build: &(impl Fn(Arc<T>) -> Fut + Send + Sync),
    config: Arc<T>,
) -> bool
where
    Fut: Future<Output = Result<U, E>>,
{
    let Some(inner) = weak.upgrade() else {
        return false;
    };
    let before = Arc::clone(&inner.current.load().0);
    let wanted =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| changed(&before, &config)));
    if let Ok(false) = wanted {
        let value = Arc::clone(&inner.current.load().1);
        inner.current.store(Arc::new((config, value)));
        return true;
    }
    // Not holding the value while the builder runs: a handle dropped
    // meanwhile ends the task after it.
    drop(inner);
    // The builder is called inside the guard, not only its future awaited:
    // one that panics before it returns a future fails this rebuild, and
    // the task lives on for the next change.
    let built = std::panic::AssertUnwindSafe(async { build(Arc::clone(&config)).await })
        .catch_unwind()
        .await;
    let Some(inner) = weak.upgrade() else {
        return false;
    };
    let mut status = inner.status.lock().unwrap_or_else(|p| p.into_inner());
    let why = match built {
        Ok(Ok(value)) => {
            inner.current.store(Arc::new((config, Arc::new(value))));
            status.built_at = Some(Instant::now());
            status.consecutive_failures = 0;
            status.last_error = None;
            return true;
        }
        Ok(Err(err)) => err.to_string(),
        Err(_panic) => "the builder panicked".to_owned(),
    };
    status.consecutive_failures = status.consecutive_failures.saturating_add(1);
    tracing::warn!(
        config = T::DESCRIPTION.type_name,
        failures = status.consecutive_failures,
        "rebuilding a value derived from the configuration failed; keeping the value built before: {why}"
    );
    status.last_error = Some(why);
    true
}

impl<T, U: fmt::Debug> fmt::Debug for RebuiltInTask<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RebuiltInTask")
            .field(&self.inner.current.load().1)
            .finish()
    }
}
