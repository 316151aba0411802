//! The state behind every clone of a [`Live`](super::Live): the current
//! snapshot, and refreshes that run one at a time and are shared by everyone
//! who asked while one was under way.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use arc_swap::ArcSwap;
use tokio::sync::{Mutex, watch};
use tokio::time::Instant;

use crate::SsmConfig;
use crate::engine::{Group, Loaded};
use crate::error::Error;
use crate::metadata::Metadata;

/// One load's result, as readers see it.
pub(crate) struct Published<T> {
    pub value: Arc<T>,
    pub metadata: Arc<Metadata>,
    pub fingerprint: u64,
    pub loaded_at: Instant,
}

pub(crate) struct Settings {
    pub max_age: Option<Duration>,
    pub error_refresh_interval: Duration,
}

pub(crate) struct Shared<T> {
    pub current: ArcSwap<Published<T>>,
    pub group: Group,
    pub settings: Settings,
    pub changes: watch::Sender<Arc<T>>,
    /// Time origin for the atomics below.
    epoch: Instant,
    /// When the last refresh attempt started, in nanoseconds after `epoch`;
    /// the refresher counts expiry from it, so a forced refresh postpones
    /// the next one and a failing source is retried once per max age.
    last_attempt: AtomicU64,
    /// Completed refresh attempts, to tell a caller that one finished while
    /// it waited.
    attempts: AtomicU64,
    /// Held while a refresh runs; keeps the last outcome for the callers
    /// that waited on it.
    flight: Mutex<Option<Result<Arc<T>, Error>>>,
    /// Last forced refresh from `refresh_on_error`, in nanoseconds after
    /// `epoch` plus one (0: never).
    pub(crate) last_error_refresh: AtomicU64,
}

impl<T: SsmConfig> Shared<T> {
    pub fn new(loaded: Loaded<T>, group: Group, settings: Settings) -> Self {
        let now = Instant::now();
        let value = Arc::new(loaded.value);
        let (changes, _) = watch::channel(Arc::clone(&value));
        Shared {
            current: ArcSwap::from_pointee(Published {
                value,
                metadata: Arc::new(loaded.metadata),
                fingerprint: loaded.fingerprint,
                loaded_at: now,
            }),
            group,
            settings,
            changes,
            epoch: now,
            last_attempt: AtomicU64::new(0),
            attempts: AtomicU64::new(0),
            flight: Mutex::new(None),
            last_error_refresh: AtomicU64::new(0),
        }
    }

    pub fn now_nanos(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// Time left before the next attempt is due.
    pub fn until_due(&self, period: Duration) -> Duration {
        let since = Duration::from_nanos(
            self.now_nanos()
                .saturating_sub(self.last_attempt.load(Ordering::Acquire)),
        );
        period.saturating_sub(since)
    }

    pub fn attempts(&self) -> u64 {
        self.attempts.load(Ordering::Acquire)
    }

    /// Refreshes, unless an attempt completed after `seen` attempts: then
    /// its outcome is shared instead of fetching again.
    pub async fn refresh(&self, seen: u64) -> Result<Arc<T>, Error> {
        let mut last = self.flight.lock().await;
        if self.attempts() != seen
            && let Some(outcome) = last.as_ref()
        {
            return outcome.clone();
        }
        self.last_attempt.store(self.now_nanos(), Ordering::Release);
        let outcome = match self.group.load::<T>().await {
            Ok(loaded) => Ok(self.publish(loaded)),
            Err(err) => {
                tracing::warn!(
                    config = T::PLAN.type_name,
                    error = %err,
                    "refresh failed; keeping the last good configuration"
                );
                Err(err)
            }
        };
        *last = Some(outcome.clone());
        self.attempts.fetch_add(1, Ordering::AcqRel);
        outcome
    }

    /// Swaps in a new snapshot. When no value changed, readers keep the
    /// same `Arc` and subscribers are not woken.
    fn publish(&self, loaded: Loaded<T>) -> Arc<T> {
        let current = self.current.load();
        let changed = loaded.fingerprint != current.fingerprint;
        let value = if changed {
            Arc::new(loaded.value)
        } else {
            Arc::clone(&current.value)
        };
        self.current.store(Arc::new(Published {
            value: Arc::clone(&value),
            metadata: Arc::new(loaded.metadata),
            fingerprint: loaded.fingerprint,
            loaded_at: Instant::now(),
        }));
        if changed {
            tracing::info!(config = T::PLAN.type_name, "configuration changed");
            self.changes.send_replace(Arc::clone(&value));
        }
        value
    }
}
