//! The refresher: one task per loaded configuration with a max age, which
//! refreshes it when it expires, or on the [`AheadOfExpiry`] schedule.

use std::sync::{Arc, Weak};
use std::time::Duration;

use super::ahead_of_expiry::AheadOfExpiry;
use super::backoff::draw;
use super::refresh::{Kind, Shared};
use super::refresher_state::RefresherState;
use crate::SsmConfig;

/// The longest period the refresher waits out, the horizon tokio's own
/// timer takes for "never" (30 years): a longer one, from a max age near
/// `Duration::MAX`, would overflow the clock's `Instant` when added to the
/// end of the last attempt.
const NEVER: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);

/// Starts the refresher for a configuration with a max age.
pub(crate) fn spawn<T: SsmConfig>(
    shared: &Arc<Shared<T>>,
    max_age: Duration,
    schedule: AheadOfExpiry,
) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::warn!(
            config = T::DESCRIPTION.type_name,
            "no tokio runtime at load time; the configuration will not refresh by itself"
        );
        shared.set_refresher(RefresherState::Stopped);
        return;
    };
    shared.set_refresher(RefresherState::Running);
    let weak: Weak<Shared<T>> = Arc::downgrade(shared);
    let stopped = StoppedOnDrop(weak.clone());
    runtime.spawn(async move {
        let _stopped = stopped;
        let pace = schedule.pace_window(max_age);
        let mut period = schedule.first_wait(max_age, draw());
        loop {
            // Any attempt meanwhile (a forced `refresh()`, a `fresh()` that
            // found the snapshot expired) restarts the period; after a
            // failure the backoff decides instead.
            loop {
                let wait = match weak.upgrade() {
                    Some(shared) => shared.until_due(period.min(NEVER)),
                    None => return,
                };
                if wait.is_zero() {
                    break;
                }
                tokio::time::sleep(wait).await;
            }
            // Holds the state only while refreshing, so dropping the last
            // handle ends the task at its next wake-up.
            let Some(shared) = weak.upgrade() else { return };
            let _logged_there = shared.refresh_as(Kind::Scheduled, pace).await;
            period = schedule.wait_after_attempt(max_age, draw());
        }
    });
}

/// Marks the refresher stopped when its task ends or is dropped, as it is
/// when its runtime shuts down.
struct StoppedOnDrop<T: SsmConfig>(Weak<Shared<T>>);

impl<T: SsmConfig> Drop for StoppedOnDrop<T> {
    fn drop(&mut self) {
        if let Some(shared) = self.0.upgrade() {
            shared.set_refresher(RefresherState::Stopped);
        }
    }
}
