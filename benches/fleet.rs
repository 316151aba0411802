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
//! ```
//!
//! Modes:
//! - `at expiry`: the default without `refresh_in_background` (Lambda's);
//! - `background`: `refresh_in_background(Background::new())`, for
//!   long-running services;
//! - `watch`: `watch("/fleet/version")`: each cycle reads that one
//!   parameter, and the group only when it moved (it does not move here).
//!
//! Per fleet and mode: the start-up peak (calls in the busiest second of the
//! first max age), the mean over the hour (start-up included), the steady
//! mean and the steady peak (after the first max age) and their ratio, and
//! the seconds over 40 calls.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ssm_config::live::Background;
use ssm_config::source::{
    BoxFuture, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError,
};
use ssm_config::{MemorySource, SsmConfig};
use tokio::time::Instant;

const MAX_AGE: Duration = Duration::from_secs(300);
const HOUR: Duration = Duration::from_secs(3600);
const DEPLOY_WINDOW: Duration = Duration::from_secs(10);
const QUOTA: u64 = 40;

macro_rules! group_of_ten {
    ($($field:ident),*) => {
        #[derive(SsmConfig, Debug)]
        #[allow(dead_code)]
        struct Ten { $($field: String),* }
    };
}
group_of_ten!(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9);

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

/// The store every instance reads: counts calls per simulated second.
#[derive(Clone)]
struct Recorder {
    inner: MemorySource,
    start: Instant,
    per_second: Arc<Mutex<Vec<u64>>>,
}

impl Recorder {
    fn new(start: Instant) -> Self {
        let inner = MemorySource::new();
        for g in 0..10 {
            for f in 0..10 {
                inner.put(&format!("/fleet/g{g}/f{f}"), "value");
            }
        }
        inner.put("/fleet/version", "1");
        Recorder {
            inner,
            start,
            per_second: Arc::new(Mutex::new(vec![0; HOUR.as_secs() as usize])),
        }
    }

    fn record(&self) {
        let second = self.start.elapsed().as_secs() as usize;
        if let Some(count) = self.per_second.lock().unwrap().get_mut(second) {
            *count += 1;
        }
    }
}

impl ParameterSource for Recorder {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        self.record();
        self.inner.get_parameters(names, decrypt)
    }
    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        self.record();
        self.inner.get_parameters_by_path(query)
    }
    fn describe(&self) -> String {
        "fleet recorder".into()
    }
}

#[derive(Clone, Copy)]
enum Mode {
    AtExpiry,
    Background,
    Watch,
}

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::AtExpiry => "at expiry",
            Mode::Background => "background",
            Mode::Watch => "watch",
        }
    }
}

struct Outcome {
    startup_peak: u64,
    steady_peak: u64,
    mean: f64,
    steady_mean: f64,
    seconds_over_quota: usize,
    wall: Duration,
}

/// Runs `instances` real handles for one simulated hour.
fn run(instances: usize, mode: Mode) -> Outcome {
    let wall = std::time::Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let per_second = runtime.block_on(async {
        let start = Instant::now();
        let recorder = Recorder::new(start);
        for i in 0..instances {
            let recorder = recorder.clone();
            let starts_at = start + DEPLOY_WINDOW.mul_f64(i as f64 / instances as f64);
            tokio::spawn(async move {
                tokio::time::sleep_until(starts_at).await;
                let loader = Hundred::loader().source(recorder).max_age(MAX_AGE);
                let loader = match mode {
                    Mode::AtExpiry => loader,
                    Mode::Background => loader.refresh_in_background(Background::new()),
                    Mode::Watch => loader.watch("/fleet/version"),
                };
                let live = loader.load().await.expect("the fleet's store answers");
                tokio::time::sleep_until(start + HOUR).await;
                drop(live);
            });
        }
        tokio::time::sleep_until(start + HOUR + Duration::from_secs(1)).await;
        recorder.per_second.lock().unwrap().clone()
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
        wall: wall.elapsed(),
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100, 1_000, 10_000]
    } else {
        sizes
    };
    println!(
        "fleet, real handles on a paused clock: 100 names, max age {} s, one hour, {} s rolling deploy, quota {QUOTA} calls/s\n",
        MAX_AGE.as_secs(),
        DEPLOY_WINDOW.as_secs()
    );
    println!(
        "| instances | mode | start-up peak/s | mean/s (hour) | steady mean/s | steady peak/s | steady peak / steady mean | seconds over {QUOTA} | wall time |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    for &instances in &sizes {
        for mode in [Mode::AtExpiry, Mode::Background, Mode::Watch] {
            let o = run(instances, mode);
            println!(
                "| {instances} | {} | {} | {:.1} | {:.1} | {} | {:.2}x | {} | {:.1} s |",
                mode.label(),
                o.startup_peak,
                o.mean,
                o.steady_mean,
                o.steady_peak,
                o.steady_peak as f64 / o.steady_mean,
                o.seconds_over_quota,
                o.wall.as_secs_f64()
            );
        }
    }
}
