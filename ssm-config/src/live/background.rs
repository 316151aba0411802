//! The refresher: one task per loaded configuration with a max age, which
//! refreshes it when it expires, or ahead of expiry with random jitter so a
//! fleet of instances does not refresh in the same second.

use std::sync::{Arc, Weak};
use std::time::Duration;

use super::backoff::draw;
use super::refresh::{Kind, Shared};
use super::status::Refresher;
use crate::SsmConfig;
use crate::load::deadline::fraction_of;

/// The longest period the refresher waits out, the horizon tokio's own
/// timer takes for "never" (30 years): a longer one, from a max age near
/// `Duration::MAX`, would overflow the clock's `Instant` when added to the
/// end of the last attempt.
const NEVER: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);

/// When the refresher refreshes ahead of expiry
/// ([`Loader::refresh_in_background`](crate::Loader::refresh_in_background)).
///
/// Without it, a configuration with a max age is refreshed when it expires.
/// With it, the refreshes of a fleet spread evenly over time:
/// - The first refresh after the load comes at a random point of the whole
///   first cycle (`random(0..1) * (max_age - ahead)`), so instances started
///   together (a deploy) do not refresh together ever after.
/// - Each later cycle waits `max_age - ahead - random(0..jitter)` after the
///   last attempt ended.
/// - The calls of one background refresh go out paced over a window
///   (default 10 s, at most half of `ahead`) rather than at once: nobody
///   waits on them, and SSM sees a flat load.
///
/// Reads never see an expired snapshot: a refresh starts at least `ahead`
/// before expiry and its pacing takes at most half of that. Defaults:
/// `ahead` and `jitter` are a tenth of max age each. The task runs on the
/// tokio runtime that loaded the configuration and ends when the last
/// [`Live`](super::Live) handle is dropped.
#[derive(Debug, Clone, Copy)]
pub struct Background {
    ahead: Option<Duration>,
    jitter: Option<Duration>,
    /// Without `jitter`, it is max age divided by this.
    jitter_divisor: u32,
    pace: Duration,
    /// Whether the first refresh comes at a random point of the first cycle.
    spread: bool,
}

impl Default for Background {
    fn default() -> Self {
        Background {
            ahead: None,
            jitter: None,
            jitter_divisor: 10,
            pace: Duration::from_secs(10),
            spread: true,
        }
    }
}

impl Background {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The schedule used without `refresh_in_background`: at expiry.
    pub(crate) fn at_expiry() -> Self {
        Background {
            ahead: Some(Duration::ZERO),
            jitter: Some(Duration::ZERO),
            jitter_divisor: 10,
            pace: Duration::ZERO,
            spread: false,
        }
    }

    /// The schedule of watch mode without `refresh_in_background`: one
    /// cheap check a max age (less up to 1% of it), the first anywhere in
    /// the first max age.
    pub(crate) fn watching() -> Self {
        Background {
            ahead: Some(Duration::ZERO),
            jitter: None,
            jitter_divisor: 100,
            pace: Duration::ZERO,
            spread: true,
        }
    }

    /// How long before expiry to refresh (at most max age).
    pub fn ahead(mut self, ahead: Duration) -> Self {
        self.ahead = Some(ahead);
        self
    }

    /// The largest random delay subtracted from each wait.
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = Some(jitter);
        self
    }

    /// The window over which the calls of one background refresh go out
    /// (default 10 s; zero sends them at once). It is capped at half of
    /// `ahead`, so the refresh still ends before expiry.
    pub fn pace(mut self, window: Duration) -> Self {
        self.pace = window;
        self
    }

    /// The pacing window for `max_age`: [`pace`](Background::pace), at most
    /// half of `ahead`.
    pub(crate) fn pace_window(&self, max_age: Duration) -> Duration {
        self.pace.min(self.ahead_of(max_age) / 2)
    }

    /// `ahead`, at most max age: a refresh cannot come before the load.
    fn ahead_of(&self, max_age: Duration) -> Duration {
        self.ahead.unwrap_or(max_age / 10).min(max_age)
    }

    /// The wait from the load to the first refresh, for a draw `random` in
    /// [0, 1): anywhere in the first cycle, so that a fleet started together
    /// spreads out. At expiry (without `refresh_in_background`) it is the
    /// whole max age.
    pub(crate) fn first_wait(&self, max_age: Duration, random: f64) -> Duration {
        if !self.spread {
            return self.wait_after_attempt(max_age, random);
        }
        fraction_of(max_age.saturating_sub(self.ahead_of(max_age)), random)
            .max(Duration::from_millis(10))
    }

    /// The wait after an attempt, for a draw `random` in [0, 1) taken afresh
    /// each cycle; never less than a tenth of max age, so the refresher
    /// cannot spin.
    pub(crate) fn wait_after_attempt(&self, max_age: Duration, random: f64) -> Duration {
        let ahead = self.ahead_of(max_age);
        let jitter = fraction_of(self.jitter.unwrap_or(max_age / self.jitter_divisor), random);
        max_age
            .saturating_sub(ahead)
            .saturating_sub(jitter)
            .max(max_age / 10)
            .max(Duration::from_millis(10))
    }
}

/// Starts the refresher for a configuration with a max age.
pub(crate) fn spawn<T: SsmConfig>(
    shared: &Arc<Shared<T>>,
    max_age: Duration,
    schedule: Background,
) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::warn!(
            config = T::PLAN.type_name,
            "no tokio runtime at load time; the configuration will not refresh by itself"
        );
        shared.set_refresher(Refresher::Stopped);
        return;
    };
    shared.set_refresher(Refresher::Running);
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
            let _logged_there = shared.refresh_as(Kind::Check, pace).await;
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
            shared.set_refresher(Refresher::Stopped);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_refresh_falls_anywhere_in_the_first_cycle() {
        let max_age = Duration::from_secs(300);
        let background = Background::new();
        assert_eq!(
            background.first_wait(max_age, 0.5),
            Duration::from_secs(135)
        );
        assert_eq!(
            background.first_wait(max_age, 0.0),
            Duration::from_millis(10)
        );
        for draw in [0.0, 0.25, 0.999] {
            let wait = background.first_wait(max_age, draw);
            assert!(wait < Duration::from_secs(270), "{wait:?}");
        }
        // At expiry (Lambda's schedule), the first refresh is at max age.
        assert_eq!(Background::at_expiry().first_wait(max_age, 0.7), max_age);
    }

    #[test]
    fn a_refresh_is_paced_over_at_most_half_of_ahead() {
        let background = Background::new();
        assert_eq!(
            background.pace_window(Duration::from_secs(300)),
            Duration::from_secs(10)
        );
        assert_eq!(
            background.pace_window(Duration::from_secs(20)),
            Duration::from_secs(1),
            "at most half of `ahead`, so the refresh ends before expiry"
        );
    }

    #[test]
    fn huge_durations_make_waits_without_overflow() {
        let huge = Background::new()
            .ahead(Duration::MAX)
            .jitter(Duration::MAX)
            .pace(Duration::MAX);
        let schedules = [
            Background::new(),
            Background::at_expiry(),
            Background::watching(),
            Background::new().jitter(Duration::MAX),
            huge,
        ];
        for schedule in schedules {
            for max_age in [Duration::from_secs(10), Duration::MAX] {
                for draw in [0.0, 0.5, 1.0] {
                    assert!(schedule.first_wait(max_age, draw) <= max_age);
                    assert!(schedule.wait_after_attempt(max_age, draw) >= max_age / 10);
                }
                assert!(schedule.pace_window(max_age) <= max_age);
            }
        }
        assert_eq!(
            Background::new()
                .jitter(Duration::MAX)
                .wait_after_attempt(Duration::from_secs(10), 1.0),
            Duration::from_secs(1),
            "a tenth of max age at least"
        );
    }

    #[test]
    fn period_is_ahead_of_expiry_and_jittered() {
        let max_age = Duration::from_secs(300);
        let background = Background::new();
        assert_eq!(
            background.wait_after_attempt(max_age, 0.0),
            Duration::from_secs(270)
        );
        assert_eq!(
            background.wait_after_attempt(max_age, 1.0),
            Duration::from_secs(240)
        );
        let custom = Background::new()
            .ahead(Duration::from_secs(10))
            .jitter(Duration::ZERO);
        assert_eq!(
            custom.wait_after_attempt(max_age, 0.7),
            Duration::from_secs(290)
        );
        let silly = Background::new().ahead(Duration::from_secs(400));
        assert_eq!(
            silly.wait_after_attempt(max_age, 0.5),
            Duration::from_secs(30),
            "never spins"
        );
    }
}
