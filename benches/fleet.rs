//! A fleet of N instances (10 to 10,000), each reading a 100-name config
//! with a max age of 300 s, over one simulated hour: the requests per second
//! SSM sees, against its default quota of 40 transactions per second, for
//! each refresh strategy. A model, not a measurement: no network is used.
//!
//! ```sh
//! cargo bench --bench fleet
//! ```
//!
//! The fleet starts in a 10 s rolling deploy. Strategies:
//! - `ssm-config, background + jitter`: the library's own schedule
//!   ([`Background::wait_after_attempt`] with its defaults), 10
//!   `GetParameters` calls at once per refresh;
//! - `ssm-config, refresh on expiry`: the default without
//!   `refresh_in_background`; each instance refreshes as its snapshot
//!   expires, 10 calls at once;
//! - `sequential batches (ssm-cache, Powertools)`: on expiry, 10 calls one
//!   after the other, 20 ms apart;
//! - `one call per name`: on expiry, 100 `GetParameter` calls, 20 ms apart.

use std::time::Duration;

use ssm_config::live::Background;

const NAMES: usize = 100;
const MAX_AGE: f64 = 300.0;
const HOUR: f64 = 3600.0;
const DEPLOY_WINDOW: f64 = 10.0;
const ROUND_TRIP: f64 = 0.020;
const QUOTA: u64 = 40;

#[derive(Clone, Copy)]
enum Strategy {
    Jittered,
    OnExpiry,
    Sequential,
    PerName,
}

impl Strategy {
    fn label(self) -> &'static str {
        match self {
            Strategy::Jittered => "ssm-config, background + jitter",
            Strategy::OnExpiry => "ssm-config, refresh on expiry",
            Strategy::Sequential => "sequential batches (ssm-cache, Powertools)",
            Strategy::PerName => "one call per name",
        }
    }

    /// When each request of one refresh starting at `t` goes out.
    fn requests(self, t: f64, out: &mut impl FnMut(f64)) {
        match self {
            Strategy::Jittered | Strategy::OnExpiry => (0..NAMES.div_ceil(10)).for_each(|_| out(t)),
            Strategy::Sequential => {
                (0..NAMES.div_ceil(10)).for_each(|k| out(t + k as f64 * ROUND_TRIP))
            }
            Strategy::PerName => (0..NAMES).for_each(|k| out(t + k as f64 * ROUND_TRIP)),
        }
    }
}

/// xorshift64, seeded: the same fleet every run.
struct Draws(u64);

impl Draws {
    fn next(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Outcome {
    /// The peak of the start-up loads, which no refresh schedule can spread.
    startup_peak: u64,
    /// The peak after the first max age: refreshes only.
    steady_peak: u64,
    mean: f64,
    seconds_over_quota: usize,
}

fn simulate(instances: usize, strategy: Strategy) -> Outcome {
    let mut per_second = vec![0u64; HOUR as usize + 1];
    let mut draws = Draws(0x2545_f491_4f6c_dd1d);
    let background = Background::new();
    let max_age = Duration::from_secs_f64(MAX_AGE);
    let mut count = |at: f64| {
        if at < HOUR {
            per_second[at as usize] += 1;
        }
    };
    for _ in 0..instances {
        let mut t = draws.next() * DEPLOY_WINDOW;
        while t < HOUR {
            strategy.requests(t, &mut count);
            t += match strategy {
                Strategy::Jittered => background
                    .wait_after_attempt(max_age, draws.next())
                    .as_secs_f64(),
                _ => MAX_AGE,
            };
        }
    }
    let total: u64 = per_second.iter().sum();
    let first_refresh = (DEPLOY_WINDOW + 1.0) as usize;
    let steady = MAX_AGE as usize + first_refresh;
    Outcome {
        startup_peak: per_second[..first_refresh]
            .iter()
            .copied()
            .max()
            .unwrap_or(0),
        steady_peak: per_second[steady..].iter().copied().max().unwrap_or(0),
        mean: total as f64 / HOUR,
        seconds_over_quota: per_second[first_refresh..]
            .iter()
            .filter(|&&n| n > QUOTA)
            .count(),
    }
}

fn main() {
    println!(
        "fleet model: {NAMES} names, max age {MAX_AGE} s, one hour, 10 s rolling deploy, \
         default GetParameters quota {QUOTA} TPS\n"
    );
    println!(
        "| instances | strategy | start-up peak/s | refresh peak/s (after {MAX_AGE} s) | mean/s | seconds over {QUOTA}/s after start-up |"
    );
    println!("|---:|---|---:|---:|---:|---:|");
    for instances in [10, 100, 1_000, 10_000] {
        for strategy in [
            Strategy::Jittered,
            Strategy::OnExpiry,
            Strategy::Sequential,
            Strategy::PerName,
        ] {
            let o = simulate(instances, strategy);
            println!(
                "| {instances} | {} | {} | {} | {:.1} | {} |",
                strategy.label(),
                o.startup_peak,
                o.steady_peak,
                o.mean,
                o.seconds_over_quota
            );
        }
    }
}
