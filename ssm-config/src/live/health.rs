//! What the attempts of a live configuration have told: when the last one
//! ended, the failures since the last success and the backoff they earned.
//! The refresher's schedule, `fresh()` and `status()` all read it here.

use std::time::Duration;

use tokio::time::Instant;

use super::backoff;
use crate::error::Error;

pub(crate) struct Health {
    /// When the last attempt at the whole group ended: expiry counts from
    /// it.
    last_attempt_end: Instant,
    pub last_success: Instant,
    pub consecutive_failures: u32,
    pub last_error: Option<(Error, Instant)>,
    /// After a failure: no attempt from `fresh()` or the refresher before.
    retry_not_before: Option<Instant>,
    /// The last attempt at the whole group failed: the failures stand until
    /// one succeeds, whatever targeted refreshes do meanwhile.
    whole_failing: bool,
}

impl Health {
    /// The health of a configuration loaded `now`.
    pub fn loaded(now: Instant) -> Self {
        Health {
            last_attempt_end: now,
            last_success: now,
            consecutive_failures: 0,
            last_error: None,
            retry_not_before: None,
            whole_failing: false,
        }
    }

    /// An attempt ended: a failure counts and backs off (for longer when
    /// the store throttles, never beyond what `max_age` allows); a success
    /// clears the failures, unless it read only what change events named
    /// (not `whole`) while attempts at the whole group fail: those still
    /// fail, and are still retried after the backoff. Expiry counts from the
    /// end of the last attempt at the whole group: a targeted refresh leaves
    /// it.
    pub fn record(&mut self, outcome: Result<(), &Error>, max_age: Option<Duration>, whole: bool) {
        let now = Instant::now();
        if whole {
            self.last_attempt_end = now;
        }
        match outcome {
            Ok(()) => {
                self.last_success = now;
                if whole || !self.whole_failing {
                    self.consecutive_failures = 0;
                    self.retry_not_before = None;
                    self.whole_failing = false;
                }
            }
            Err(err) => {
                self.consecutive_failures = self.consecutive_failures.saturating_add(1);
                self.last_error = Some((err.clone(), now));
                self.whole_failing |= whole;
                let cap = backoff::cap(max_age, err.is_throttled());
                self.retry_not_before =
                    Some(now + backoff::delay(self.consecutive_failures, cap, backoff::draw()));
            }
        }
    }

    /// Time left before the refresher's next attempt: `period` after the
    /// last attempt ended, or sooner after a failure, when the backoff says.
    pub fn until_due(&self, period: Duration) -> Duration {
        let due = match self.retry_not_before {
            Some(retry) => retry,
            // A period past the clock's end (`Duration::MAX`) is never due.
            None => match self.last_attempt_end.checked_add(period) {
                Some(due) => due,
                None => return period,
            },
        };
        due.saturating_duration_since(Instant::now())
    }

    /// Time left in the backoff that follows a failure (at least 10 ms, so
    /// a retry loop cannot spin).
    #[cfg(feature = "events")]
    pub fn until_retry(&self) -> Duration {
        let retry = self.retry_not_before.unwrap_or_else(Instant::now);
        retry
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(10))
    }

    /// After a failure, while the backoff lasts: the error that caused it.
    pub fn backing_off(&self) -> Option<Error> {
        match (&self.retry_not_before, &self.last_error) {
            (Some(retry), Some((error, _))) if Instant::now() < *retry => Some(error.clone()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;

    fn failed() -> Error {
        Error::new(
            "Config",
            vec![Problem::Aborted {
                reason: "a test".into(),
            }],
        )
    }

    #[test]
    fn a_targeted_success_leaves_the_failures_of_full_refreshes() {
        let max_age = Some(Duration::from_secs(3600));
        let mut health = Health::loaded(Instant::now());
        health.record(Err(&failed()), max_age, true);
        health.record(Ok(()), max_age, false);
        assert_eq!(health.consecutive_failures, 1);
        assert!(health.last_error.is_some());
        assert!(
            health.until_due(Duration::from_secs(3600)) <= Duration::from_secs(1),
            "the full refresh is retried after the backoff, not a max age later"
        );
        health.record(Ok(()), max_age, true);
        assert_eq!(health.consecutive_failures, 0);
        assert!(
            health.last_error.is_some(),
            "the last error stays on record"
        );
        assert!(health.until_due(Duration::from_secs(3600)) > Duration::from_secs(3000));
    }

    #[test]
    fn a_period_past_the_clock_is_never_due() {
        let health = Health::loaded(Instant::now());
        assert_eq!(health.until_due(Duration::MAX), Duration::MAX);
    }

    #[test]
    fn a_targeted_success_clears_the_failures_of_targeted_refreshes() {
        let mut health = Health::loaded(Instant::now());
        health.record(Err(&failed()), None, false);
        health.record(Err(&failed()), None, false);
        assert_eq!(health.consecutive_failures, 2);
        health.record(Ok(()), None, false);
        assert_eq!(health.consecutive_failures, 0);
        assert!(health.backing_off().is_none());
    }
}
