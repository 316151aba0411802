//! [`Live<T>`]: the handle to a loaded configuration.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;

use crate::SsmConfig;
use crate::engine::Group;
use crate::error::Error;

/// A loaded configuration that can be refreshed while it is in use.
///
/// [`get`](Live::get) returns the current snapshot without locking or waiting:
/// an `Arc<T>` that stays the same however often the configuration is
/// refreshed meanwhile. Take one snapshot per unit of work (a request, an
/// invocation) and read every field from it, so that the values used together
/// come from the same load. A refresh builds a whole new `T` from one group
/// fetch, or nothing: readers see the old snapshot or the new one, never a mix.
///
/// `Live<T>` is `Clone + Send + Sync`; clones share the same state.
pub struct Live<T> {
    shared: Arc<Shared<T>>,
}

struct Shared<T> {
    current: ArcSwap<Loaded<T>>,
    group: Group,
    max_age: Option<Duration>,
    refreshing: tokio::sync::Mutex<()>,
}

struct Loaded<T> {
    value: Arc<T>,
    at: Instant,
}

impl<T> Clone for Live<T> {
    fn clone(&self) -> Self {
        Live {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T: SsmConfig> Live<T> {
    pub(crate) fn new(value: T, group: Group, max_age: Option<Duration>) -> Self {
        let loaded = Loaded {
            value: Arc::new(value),
            at: Instant::now(),
        };
        Live {
            shared: Arc::new(Shared {
                current: ArcSwap::from_pointee(loaded),
                group,
                max_age,
                refreshing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The current snapshot. Never waits on the network.
    pub fn get(&self) -> Arc<T> {
        Arc::clone(&self.shared.current.load().value)
    }

    /// Fetches the whole group again and swaps in the new snapshot. On
    /// failure the current snapshot stays, and the error is returned and
    /// logged. Refreshes do not overlap: a call waits for one under way.
    pub async fn refresh(&self) -> Result<Arc<T>, Error> {
        let _one_at_a_time = self.shared.refreshing.lock().await;
        match self.shared.group.load::<T>().await {
            Ok(value) => {
                let value = Arc::new(value);
                self.shared.current.store(Arc::new(Loaded {
                    value: Arc::clone(&value),
                    at: Instant::now(),
                }));
                Ok(value)
            }
            Err(err) => {
                tracing::warn!(config = T::PLAN.type_name, error = %err, "refresh failed; keeping the last good configuration");
                Err(err)
            }
        }
    }

    /// When the current snapshot was loaded.
    pub fn loaded_at(&self) -> Instant {
        self.shared.current.load().at
    }

    /// How long a snapshot is meant to live (`max_age`), if it expires at all.
    pub fn max_age(&self) -> Option<Duration> {
        self.shared.max_age
    }
}

impl<T: fmt::Debug> fmt::Debug for Live<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Live")
            .field(&self.shared.current.load().value)
            .finish()
    }
}
