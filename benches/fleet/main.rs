//! A fleet of N instances of a 100-name config against Parameter Store's
//! default quota of about 40 transactions per second: the library's real
//! code, not a model. Each instance is a real `Live` handle with its own
//! loader and refresher (the library's schedule code), all on tokio's paused
//! clock, reading one in-memory source that counts calls per simulated
//! second. A 10 s rolling deploy, max age 300 s, one simulated hour.
//!
//! ```sh
//! cargo bench --bench fleet                    # 100, 1,000 and 10,000 instances
//! cargo bench --bench fleet -- 1000            # one fleet size
//! cargo bench --bench fleet -- waves           # only the change-event waves under the quota
//! ```
//!
//! Modes:
//! - `at expiry`: the default without `RefreshPolicy::ahead_of_expiry` (Lambda's);
//! - `background`: `RefreshPolicy::ahead_of_expiry(AheadOfExpiry::new())`, for
//!   long-running services;
//! - `watch`: `watch("/fleet/version")`: each cycle reads that one
//!   parameter, and the group only when it moved (it does not move here).
//!
//! Per fleet and mode: the start-up peak (calls in the busiest second of the
//! first max age), the mean over the hour (start-up included), the steady
//! mean and the steady peak (after the first max age) and their ratio, and
//! the seconds over 40 calls.

use ssm_config::live::RefreshPolicy;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ssm_config::live::AheadOfExpiry;
use ssm_config::{Live, SsmConfig};
use tokio::time::Instant;

const MAX_AGE: Duration = Duration::from_secs(300);
const HOUR: Duration = Duration::from_secs(3600);
const DEPLOY_WINDOW: Duration = Duration::from_secs(10);
const QUOTA: u64 = 40;

#[path = "../support/ten.rs"]
mod ten;
use ten::Ten;

mod recorder;
mod waves;

use recorder::Recorder;
use waves::waves;

/// 100 names: ten `GetParameters` calls a load.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/fleet")]
#[allow(dead_code)]
struct Hundred {
    #[ssm(nested)]
    g0: Ten,
    #[ssm(nested)]
    g1: Ten,
    #[ssm(nested)]
    g2: Ten,
    #[ssm(nested)]
    g3: Ten,
    #[ssm(nested)]
    g4: Ten,
    #[ssm(nested)]
    g5: Ten,
    #[ssm(nested)]
    g6: Ten,
    #[ssm(nested)]
    g7: Ten,
    #[ssm(nested)]
    g8: Ten,
    #[ssm(nested)]
    g9: Ten,
}

#[derive(Clone, Copy)]
enum Mode {
    AtExpiry,
    AheadOfExpiry,
    Watch,
    /// Max age one hour; every instance gets the change event.
    Events,
}

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::AtExpiry => "at expiry",
            Mode::AheadOfExpiry => "background",
            Mode::Watch => "watch",
            Mode::Events => "events",
        }
    }
}

struct Outcome {
    startup_peak: u64,
    steady_peak: u64,
    mean: f64,
    steady_mean: f64,
    seconds_over_quota: usize,
    throttled: u64,
    /// When every instance had loaded.
    all_loaded: Option<Duration>,
    /// After the change at `CHANGE_AT`, when every instance had it.
    all_changed: Option<Duration>,
    /// Instances that had loaded by the end of the hour.
    loaded: usize,
    wall: Duration,
}

/// When a value changes (and the watched parameter moves) in the hour.
const CHANGE_AT: Duration = Duration::from_secs(1650);

/// A delay in [0, `ceiling`), from a seeded xorshift.
fn jittered(seed: &mut u64, ceiling: Duration) -> Duration {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    ceiling.mul_f64((*seed >> 11) as f64 / (1u64 << 53) as f64)
}

/// Runs `instances` real handles for one simulated hour; with `quota`, the
/// store throttles above 40 calls a second.
fn run(instances: usize, mode: Mode, quota: bool, change: bool) -> Outcome {
    let wall = std::time::Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let (per_second, throttled, all_loaded, all_changed, loaded) = runtime.block_on(async {
        let start = Instant::now();
        let recorder = Recorder::new(start, quota, HOUR);
        let fleet: Arc<Mutex<Vec<Live<Hundred>>>> = Arc::default();
        for i in 0..instances {
            let (recorder, fleet) = (recorder.clone(), Arc::clone(&fleet));
            let starts_at = start + DEPLOY_WINDOW.mul_f64(i as f64 / instances as f64);
            tokio::spawn(async move {
                tokio::time::sleep_until(starts_at).await;
                // A service retries its start-up load, backing off as the
                // refresher does: full jitter, doubling up to a max age.
                let mut seed = 0x9e37_79b9_7f4a_7c15 ^ (i as u64 + 1);
                let mut ceiling = Duration::from_secs(1);
                let live = loop {
                    let loader = Hundred::loader().source(recorder.clone());
                    let loader = match mode {
                        Mode::AtExpiry => loader.refresh(RefreshPolicy::new().max_age(MAX_AGE)),
                        Mode::AheadOfExpiry => loader.refresh(
                            RefreshPolicy::new()
                                .max_age(MAX_AGE)
                                .ahead_of_expiry(AheadOfExpiry::new()),
                        ),
                        Mode::Watch => loader.refresh(
                            RefreshPolicy::new()
                                .max_age(MAX_AGE)
                                .watch("/fleet/version"),
                        ),
                        Mode::Events => loader.refresh(RefreshPolicy::new().max_age(HOUR)),
                    };
                    match loader.load().await {
                        Ok(live) => break live,
                        Err(_) => {
                            tokio::time::sleep(jittered(&mut seed, ceiling)).await;
                            ceiling = (ceiling * 2).min(MAX_AGE);
                        }
                    }
                };
                fleet.lock().unwrap().push(live);
            });
        }
        let mut all_loaded = None;
        let mut all_changed = None;
        let mut second = Duration::ZERO;
        while second < HOUR {
            second += Duration::from_secs(1);
            tokio::time::sleep_until(start + second).await;
            let fleet = fleet.lock().unwrap().clone();
            if all_loaded.is_none() && fleet.len() == instances {
                all_loaded = Some(second);
            }
            if change && second == CHANGE_AT {
                recorder.inner.put("/fleet/g0/f0", "changed");
                recorder.inner.put("/fleet/version", "2");
                if let Mode::Events = mode {
                    let event = serde_json::json!({
                        "detail-type": "Parameter Store Change",
                        "source": "aws.ssm",
                        "detail": {"name": "/fleet/g0/f0", "operation": "Update", "type": "String"}
                    });
                    for live in &fleet {
                        live.apply_event(&event).expect("a Parameter Store change");
                    }
                }
            }
            if change
                && second > CHANGE_AT
                && all_changed.is_none()
                && fleet.len() == instances
                && fleet.iter().all(|live| live.get().g0.f0 == "changed")
            {
                all_changed = Some(second - CHANGE_AT);
            }
        }
        let loaded = fleet.lock().unwrap().len();
        fleet.lock().unwrap().clear();
        let per_second = recorder.per_second.lock().unwrap().clone();
        let throttled = *recorder.throttled.lock().unwrap();
        (per_second, throttled, all_loaded, all_changed, loaded)
    });
    let total: u64 = per_second.iter().sum();
    let first_max_age = MAX_AGE.as_secs() as usize;
    Outcome {
        startup_peak: per_second[..first_max_age]
            .iter()
            .copied()
            .max()
            .unwrap_or(0),
        steady_peak: per_second[first_max_age..]
            .iter()
            .copied()
            .max()
            .unwrap_or(0),
        mean: total as f64 / HOUR.as_secs_f64(),
        steady_mean: per_second[first_max_age..].iter().sum::<u64>() as f64
            / (per_second.len() - first_max_age) as f64,
        seconds_over_quota: per_second.iter().filter(|&&n| n > QUOTA).count(),
        throttled,
        all_loaded,
        all_changed,
        loaded,
        wall: wall.elapsed(),
    }
}

fn seconds(at: Option<Duration>) -> String {
    at.map_or_else(
        || "not within the hour".into(),
        |d| format!("{} s", d.as_secs()),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only_waves = args.iter().any(|a| a == "waves");
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![100, 1_000, 10_000]
    } else {
        sizes
    };
    if only_waves {
        waves(&sizes);
        return;
    }
    const MODES: [Mode; 4] = [
        Mode::AtExpiry,
        Mode::AheadOfExpiry,
        Mode::Watch,
        Mode::Events,
    ];
    println!(
        "fleet, real handles on a paused clock: 100 names, max age {} s, one hour, {} s rolling deploy, quota {QUOTA} calls/s\n",
        MAX_AGE.as_secs(),
        DEPLOY_WINDOW.as_secs(),
    );
    println!("steady: nothing changes in the hour\n");
    println!(
        "| instances | mode | start-up peak/s | mean/s (hour) | steady mean/s | steady peak/s | steady peak / steady mean | seconds over {QUOTA} | wall time |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    for &instances in &sizes {
        for mode in MODES {
            let o = run(instances, mode, false, false);
            let ratio = match o.steady_mean > 0.0 {
                true => format!("{:.2}x", o.steady_peak as f64 / o.steady_mean),
                false => "-".into(),
            };
            println!(
                "| {instances} | {} | {} | {:.1} | {:.1} | {} | {ratio} | {} | {:.1} s |",
                mode.label(),
                o.startup_peak,
                o.mean,
                o.steady_mean,
                o.steady_peak,
                o.seconds_over_quota,
                o.wall.as_secs_f64()
            );
        }
    }
    println!(
        "\na change: at {} s a value changes and the watched parameter moves (events: every instance gets the event)\n",
        CHANGE_AT.as_secs()
    );
    println!("| instances | mode | all have the change after | peak/s after the change |");
    println!("|---:|---|---:|---:|");
    for &instances in &sizes {
        for mode in MODES {
            let o = run(instances, mode, false, true);
            println!(
                "| {instances} | {} | {} | {} |",
                mode.label(),
                seconds(o.all_changed),
                o.steady_peak
            );
        }
    }
    println!(
        "\nunder the quota: the store throttles above {QUOTA} calls a second, each call retried as the SDK's standard mode does (3 attempts); instances retry their start-up load with backoff; the same change at {} s\n",
        CHANGE_AT.as_secs()
    );
    println!(
        "| instances | mode | calls/s (hour) | throttled calls | all loaded after | all have the change after | instances still without a snapshot at the end |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|");
    for &instances in sizes.iter().filter(|&&n| n <= 1_000) {
        for mode in MODES {
            let o = run(instances, mode, true, true);
            let missing = instances - o.loaded;
            println!(
                "| {instances} | {} | {:.1} | {} | {} | {} | {} |",
                mode.label(),
                o.mean,
                o.throttled,
                seconds(o.all_loaded),
                seconds(o.all_changed),
                missing
            );
        }
    }
    waves(&sizes);
}
