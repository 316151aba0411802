//! How long to wait after failed refreshes: exponential from one second,
//! with full jitter, capped at max age (a minute without one) and at ten
//! minutes, which is also the cap under throttling. Full jitter spreads a fleet that
//! failed together, so that it does not return in step.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

/// The first failure's cap.
const BASE: Duration = Duration::from_secs(1);

/// The wait after the `failures`-th failure in a row, for a draw `random`
/// in [0, 1): uniform up to `min(cap, 1 s * 2^(failures - 1))`.
pub(crate) fn delay(failures: u32, cap: Duration, random: f64) -> Duration {
    let growth = 2u32.saturating_pow(failures.saturating_sub(1).min(31));
    let ceiling = BASE.saturating_mul(growth).min(cap);
    ceiling.mul_f64(random.clamp(0.0, 1.0))
}

/// The ceiling of the backoff: max age (a minute without one), at most ten
/// minutes; under throttling ten minutes, whatever the max age, so that a
/// fleet over its quota stops coming back before the quota can serve it,
/// and a long max age never keeps a failed refresh waiting for hours.
pub(crate) fn cap(max_age: Option<Duration>, throttled: bool) -> Duration {
    match throttled {
        true => LONGEST,
        false => max_age.unwrap_or(Duration::from_secs(60)).min(LONGEST),
    }
}

/// The longest ceiling, and the one under throttling.
const LONGEST: Duration = Duration::from_secs(600);

/// A number in [0, 1) from the standard library's random hasher keys.
pub(crate) fn draw() -> f64 {
    let bits = RandomState::new().hash_one(std::time::SystemTime::now());
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_from_one_second_to_the_cap() {
        let cap = Duration::from_secs(300);
        let ceiling = |failures| delay(failures, cap, 1.0);
        assert_eq!(ceiling(1), Duration::from_secs(1));
        assert_eq!(ceiling(2), Duration::from_secs(2));
        assert_eq!(ceiling(9), Duration::from_secs(256));
        assert_eq!(ceiling(10), cap);
        assert_eq!(ceiling(u32::MAX), cap);
        assert_eq!(delay(3, cap, 0.5), Duration::from_secs(2));
        assert_eq!(delay(3, cap, 0.0), Duration::ZERO);
        assert_eq!(
            delay(5, Duration::from_millis(200), 0.5),
            Duration::from_millis(100)
        );
    }

    #[test]
    fn the_ceiling_grows_past_a_minute_under_throttling() {
        let five_minutes = Some(Duration::from_secs(300));
        assert_eq!(cap(five_minutes, false), Duration::from_secs(300));
        assert_eq!(cap(five_minutes, true), Duration::from_secs(600));
        assert_eq!(cap(None, false), Duration::from_secs(60));
        assert_eq!(cap(None, true), Duration::from_secs(600));
        let a_day = Some(Duration::from_secs(86_400));
        assert_eq!(cap(a_day, true), Duration::from_secs(600));
        assert_eq!(cap(a_day, false), Duration::from_secs(600));
        assert_eq!(
            cap(Some(Duration::from_secs(10)), true),
            Duration::from_secs(600)
        );
    }

    #[test]
    fn draws_spread_over_the_unit_interval() {
        let draws: Vec<f64> = (0..64).map(|_| draw()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        let low = draws.iter().filter(|d| **d < 0.5).count();
        assert!((8..=56).contains(&low), "{low} of 64 below one half");
    }
}
