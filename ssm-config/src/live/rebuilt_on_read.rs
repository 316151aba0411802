//! [`RebuiltOnRead`]: a value built from a configuration, rebuilt when it changes.

use std::fmt;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;

use super::Live;
use crate::SsmConfig;

/// A value built from a [`Live`] configuration by [`Live::map`] (or
/// [`Live::map_keyed`]), rebuilt on the first read after a refresh changed
/// the configuration (or the part of it the key picks), and shared
/// otherwise. To rebuild off the request path, with a fallible async
/// builder, see [`Live::map_async`].
///
/// ```
/// # use ssm_config::{MemorySource, Secret, SsmConfig};
/// #[derive(SsmConfig)]
/// #[ssm(prefix = "/app")]
/// struct Db { url: String, password: Secret<String> }
///
/// struct Pool { dsn: String }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
/// # let source = MemorySource::new();
/// # source.put("/app/url", "db:5432"); source.put_secure("/app/password", "one");
/// let config = Db::loader().source(source.clone()).load().await?;
/// let pool = config.map(|db| Pool { dsn: format!("{}?pw={}", db.url, db.password.expose_secret()) });
/// assert!(pool.get().dsn.ends_with("one"));
///
/// source.put_secure("/app/password", "two"); // rotated
/// config.refresh().await?;
/// assert!(pool.get().dsn.ends_with("two"));  // rebuilt once, on this read
/// # Ok(()) }
/// ```
pub struct RebuiltOnRead<T, U> {
    live: Live<T>,
    build: Arc<dyn Fn(&T) -> U + Send + Sync>,
    /// Whether a new snapshot calls for a rebuild: always, or when the key
    /// ([`Live::map_keyed`]) differs.
    changed: Arc<Changed<T>>,
    cache: Arc<ArcSwap<(Arc<T>, Arc<U>)>>,
    rebuilding: Arc<Mutex<()>>,
}

/// Whether the value built from the first snapshot needs building again
/// for the second.
pub(crate) type Changed<T> = dyn Fn(&T, &T) -> bool + Send + Sync;

/// `changed` for a key function: the keys differ.
pub(crate) fn by_key<T, K: PartialEq>(
    key: impl Fn(&T) -> K + Send + Sync + 'static,
) -> Arc<Changed<T>> {
    Arc::new(move |before: &T, now: &T| key(before) != key(now))
}

impl<T, U> Clone for RebuiltOnRead<T, U> {
    fn clone(&self) -> Self {
        RebuiltOnRead {
            live: self.live.clone(),
            build: Arc::clone(&self.build),
            changed: Arc::clone(&self.changed),
            cache: Arc::clone(&self.cache),
            rebuilding: Arc::clone(&self.rebuilding),
        }
    }
}

impl<T: SsmConfig, U: Send + Sync + 'static> RebuiltOnRead<T, U> {
    pub(crate) fn new(
        live: Live<T>,
        build: impl Fn(&T) -> U + Send + Sync + 'static,
        changed: Arc<Changed<T>>,
    ) -> Self {
        let config = live.get().into_arc();
        let value = Arc::new(build(&config));
        RebuiltOnRead {
            live,
            build: Arc::new(build),
            changed,
            cache: Arc::new(ArcSwap::from_pointee((config, value))),
            rebuilding: Arc::default(),
        }
    }

    /// The value for the current configuration snapshot. Should the builder
    /// panic on a new snapshot, the value built before stays (and a warning
    /// is logged, without the panic's message); the builder runs again on
    /// the next change.
    pub fn get(&self) -> Arc<U> {
        let config = self.live.get();
        let cached = self.cache.load();
        if Arc::ptr_eq(&cached.0, config.as_arc()) {
            return Arc::clone(&cached.1);
        }
        // One caller rebuilds; the others wait and take its result. The
        // snapshot is read again under the lock, so a rebuild is never from
        // an older snapshot than the one the cache holds.
        let _one = self.rebuilding.lock().unwrap_or_else(|p| p.into_inner());
        let config = self.live.get();
        let cached = self.cache.load();
        if Arc::ptr_eq(&cached.0, config.as_arc()) {
            return Arc::clone(&cached.1);
        }
        // Another snapshot, but nothing the value uses changed: keep it.
        let changed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            (self.changed)(&cached.0, &config)
        }));
        if let Ok(false) = changed {
            let value = Arc::clone(&cached.1);
            self.cache
                .store(Arc::new((config.into_arc(), Arc::clone(&value))));
            return value;
        }
        let built =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (self.build)(&config)));
        let value = match built {
            Ok(value) => Arc::new(value),
            Err(_payload) => {
                // The last value built stays, and this snapshot is not
                // tried again: the next change is.
                tracing::warn!(
                    config = T::DESCRIPTION.type_name,
                    "the `map` builder panicked on a new configuration; keeping the value built before"
                );
                Arc::clone(&cached.1)
            }
        };
        self.cache
            .store(Arc::new((config.into_arc(), Arc::clone(&value))));
        value
    }

    /// The configuration this value is derived from.
    pub fn config(&self) -> &Live<T> {
        &self.live
    }
}

impl<T, U: fmt::Debug> fmt::Debug for RebuiltOnRead<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RebuiltOnRead")
            .field(&self.cache.load().1)
            .finish()
    }
}
