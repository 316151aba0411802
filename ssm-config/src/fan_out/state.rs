//! What a subscription and its task share: the queue, where it stands
//! ([`SubscriptionState`]) and what the task has seen.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::FanOutError;
use super::filter::EventSources;
use super::queue::Queue;

/// What the subscription and its task share.
pub(super) struct Shared {
    pub queue: Mutex<Queue>,
    /// What the filter policy admits, for a queue made again.
    pub sources: EventSources,
    pub state: Mutex<SubscriptionState>,
    pub counts: Counts,
    pub last_error: Mutex<Option<FanOutError>>,
}

impl Shared {
    pub fn queue(&self) -> Queue {
        self.queue.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn state(&self) -> SubscriptionState {
        *self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_state(&self, state: SubscriptionState) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
    }

    pub fn set_last_error(&self, error: FanOutError) {
        *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(error);
    }
}

/// What the task has seen.
#[derive(Default)]
pub(super) struct Counts {
    pub polls: AtomicU64,
    pub received: AtomicU64,
    pub applied: AtomicU64,
    pub ignored: AtomicU64,
    pub poison: AtomicU64,
    pub recreated: AtomicU64,
}

impl Counts {
    pub fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SubscriptionState {
    /// Polling its queue.
    Subscribed,
    /// Its queue disappeared; making it again.
    Recreating,
    /// Its last calls failed; trying again after a backoff.
    Failing {
        /// Failures in a row.
        failures: u32,
    },
    /// Shut down, or its configuration's last `Live` handle dropped: the
    /// task ended, the queue and subscription removed (best effort on a
    /// drop).
    Stopped,
}
