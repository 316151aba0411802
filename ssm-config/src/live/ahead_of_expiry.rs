//! [`AheadOfExpiry`]: the schedule that refreshes ahead of expiry, with
//! random jitter, so a fleet of instances does not refresh in the same
//! second.

use std::time::Duration;

use crate::pipeline::deadline::fraction_of;

/// When the refresher refreshes ahead of expiry: the schedule
/// [`RefreshPolicy::ahead_of_expiry`](super::RefreshPolicy::ahead_of_expiry)
/// takes.
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
pub struct AheadOfExpiry {
    ahead: Option<Duration>,
    jitter: Option<Duration>,
    /// Without `jitter`, it is max age divided by this.
    jitter_divisor: u32,
    pace: Duration,
    /// Whether the first refresh comes at a random point of the first cycle.
    spread: bool,
}

impl Default for AheadOfExpiry {
    fn default() -> Self {
        AheadOfExpiry {
            ahead: None,
            jitter: None,
            jitter_divisor: 10,
            pace: Duration::from_secs(10),
            spread: true,
        }
    }
}

impl AheadOfExpiry {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The schedule used without `ahead_of_expiry`: at expiry.
    pub(crate) fn at_expiry() -> Self {
        AheadOfExpiry {
            ahead: Some(Duration::ZERO),
            jitter: Some(Duration::ZERO),
            jitter_divisor: 10,
            pace: Duration::ZERO,
            spread: false,
        }
    }

    /// The schedule of watch mode without `ahead_of_expiry`: one
    /// cheap check a max age (less up to 1% of it), the first anywhere in
    /// the first max age.
    pub(crate) fn watching() -> Self {
        AheadOfExpiry {
            ahead: Some(Duration::ZERO),
            jitter: None,
            jitter_divisor: 100,
            pace: Duration::ZERO,
            spread: true,
        }
    }

    /// How long before expiry to refresh. Taken as at most max age, and
    /// the wait between refreshes is never below a tenth of max age: an
    /// `ahead` close to max age refreshes about ten times a max age, not
    /// continuously.
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

    /// The pacing window for `max_age`: [`pace`](AheadOfExpiry::pace), at most
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
    /// spreads out. At expiry (without `ahead_of_expiry`) it is the
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_refresh_falls_anywhere_in_the_first_cycle() {
        let max_age = Duration::from_secs(300);
        let background = AheadOfExpiry::new();
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
        assert_eq!(AheadOfExpiry::at_expiry().first_wait(max_age, 0.7), max_age);
    }

    #[test]
    fn a_refresh_is_paced_over_at_most_half_of_ahead() {
        let background = AheadOfExpiry::new();
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
        let huge = AheadOfExpiry::new()
            .ahead(Duration::MAX)
            .jitter(Duration::MAX)
            .pace(Duration::MAX);
        let schedules = [
            AheadOfExpiry::new(),
            AheadOfExpiry::at_expiry(),
            AheadOfExpiry::watching(),
            AheadOfExpiry::new().jitter(Duration::MAX),
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
            AheadOfExpiry::new()
                .jitter(Duration::MAX)
                .wait_after_attempt(Duration::from_secs(10), 1.0),
            Duration::from_secs(1),
            "a tenth of max age at least"
        );
    }

    #[test]
    fn period_is_ahead_of_expiry_and_jittered() {
        let max_age = Duration::from_secs(300);
        let background = AheadOfExpiry::new();
        assert_eq!(
            background.wait_after_attempt(max_age, 0.0),
            Duration::from_secs(270)
        );
        assert_eq!(
            background.wait_after_attempt(max_age, 1.0),
            Duration::from_secs(240)
        );
        let custom = AheadOfExpiry::new()
            .ahead(Duration::from_secs(10))
            .jitter(Duration::ZERO);
        assert_eq!(
            custom.wait_after_attempt(max_age, 0.7),
            Duration::from_secs(290)
        );
        let silly = AheadOfExpiry::new().ahead(Duration::from_secs(400));
        assert_eq!(
            silly.wait_after_attempt(max_age, 0.5),
            Duration::from_secs(30),
            "never spins"
        );
    }
}
