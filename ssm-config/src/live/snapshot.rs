//! [`Snapshot`]: what [`Live::get`](super::Live::get) hands out.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use arc_swap::Guard;

use tokio::time::Instant;

use super::metadata::Metadata;
#[cfg(feature = "events")]
use crate::pipeline::Bound;

/// One load's result, as readers see it.
pub(crate) struct Published<T> {
    pub value: Arc<T>,
    pub metadata: Arc<Metadata>,
    pub fingerprint: u64,
    pub loaded_at: Instant,
    /// What the load read, for matching change events.
    #[cfg(feature = "events")]
    pub bound: Arc<Bound>,
}

/// One loaded configuration, as [`Live::get`](super::Live::get) returns it;
/// dereferences to `T`.
///
/// A snapshot never changes: a refresh publishes a new one and leaves this
/// one as it was. Taking one touches no reference count that other threads
/// touch (it borrows a slot of the current thread, as
/// [`arc_swap::Guard`] does), so reads stay as cheap on many threads as on
/// one.
///
/// It is `Send + Sync + 'static` and may be held across `.await` and moved
/// between threads. Each thread has a few such slots; while more snapshots
/// than that are alive on one thread, further `get()`s cost what an
/// `Arc` clone costs, and stay correct. Where an owned `Arc<T>` suits better
/// (to store it, or to hand it to code that wants one), convert it:
///
/// ```
/// # use std::sync::Arc;
/// # use ssm_config::{MemorySource, SsmConfig};
/// # #[derive(SsmConfig)] #[ssm(prefix = "/app")] struct AppConfig { host: String }
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
/// # let source = MemorySource::new();
/// # source.put("/app/host", "db");
/// let config = AppConfig::loader().source(source).load().await?;
/// let snapshot = config.get();
/// assert_eq!(snapshot.host, "db");
///
/// let owned: Arc<AppConfig> = snapshot.into_arc();
/// assert!(Arc::ptr_eq(&owned, config.get().as_arc()), "the same load");
/// # Ok(()) }
/// ```
pub struct Snapshot<T> {
    guard: Guard<Arc<Published<T>>>,
}

impl<T> Snapshot<T> {
    pub(crate) fn new(guard: Guard<Arc<Published<T>>>) -> Self {
        Snapshot { guard }
    }

    /// The snapshot a refresh published.
    pub(crate) fn published(published: Arc<Published<T>>) -> Self {
        Snapshot {
            guard: Guard::from_inner(published),
        }
    }

    /// The shared configuration, borrowed: compare loads with
    /// [`Arc::ptr_eq`], or clone it to keep it.
    pub fn as_arc(&self) -> &Arc<T> {
        &self.guard.value
    }

    /// Version, type and last change of each parameter these values were
    /// built from, and when: the provenance of exactly this snapshot. It is
    /// the one metadata accessor: `config.get().metadata()` for what is
    /// current, a snapshot already in hand for the values it holds.
    ///
    /// ```
    /// # use ssm_config::{MemorySource, SsmConfig};
    /// # #[derive(SsmConfig)] #[ssm(prefix = "/app")] struct AppConfig { host: String }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
    /// # let source = MemorySource::new();
    /// source.put("/app/host", "a");
    /// let config = AppConfig::loader().source(source.clone()).load().await?;
    /// let snapshot = config.get();
    /// source.put("/app/host", "b");
    /// config.refresh().await?;
    /// assert_eq!(snapshot.metadata().field("host").unwrap().version, 1);
    /// assert_eq!(config.get().metadata().field("host").unwrap().version, 2);
    /// # Ok(()) }
    /// ```
    pub fn metadata(&self) -> &Metadata {
        &self.guard.metadata
    }

    /// The shared configuration, owned.
    pub fn into_arc(self) -> Arc<T> {
        Arc::clone(&self.guard.value)
    }
}

impl<T> Deref for Snapshot<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.guard.value
    }
}

impl<T> AsRef<T> for Snapshot<T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T> Clone for Snapshot<T> {
    fn clone(&self) -> Self {
        Snapshot {
            guard: Guard::from_inner(Arc::clone(&self.guard)),
        }
    }
}

impl<T> From<Snapshot<T>> for Arc<T> {
    fn from(snapshot: Snapshot<T>) -> Arc<T> {
        snapshot.into_arc()
    }
}

/// The configuration's own `Debug`, which redacts its secrets.
impl<T: fmt::Debug> fmt::Debug for Snapshot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
