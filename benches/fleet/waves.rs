//! Change-event waves under the quota: every instance of a loaded fleet
//! receives one change event, and the store throttles above 40 calls a
//! second from then on.

use std::time::Duration;

use crate::recorder::Recorder;
use ssm_config::Live;
use tokio::time::Instant;

use crate::{Hundred, QUOTA};

/// What one change-event wave under the quota came to.
struct Wave {
    /// Calls (attempts included) from the event on, per instance.
    calls_per_instance: f64,
    /// Share of those calls that were throttled.
    throttled_share: f64,
    busiest_second: u64,
    /// From the event until every instance had the change.
    all_changed: Option<Duration>,
    /// Instances with the change when the wave was no longer followed.
    changed: usize,
    wall: Duration,
}

/// The longest a wave is followed.
const WAVE_LIMIT: Duration = Duration::from_secs(4 * 3600);

/// `instances` loaded handles (max age a day, so only the event refreshes
/// them) all receive one change event; from then on the store throttles
/// above 40 calls a second. Each event refresh waits a random delay within
/// `window` (`Loader::event_spread`).
fn wave(instances: usize, window: Duration, sdk_retries: bool) -> Wave {
    let wall = std::time::Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let (per_second, throttled, all_changed, changed) = runtime.block_on(async {
        let start = Instant::now();
        let mut recorder = Recorder::new(start, false, WAVE_LIMIT);
        recorder.attempts = if sdk_retries { 3 } else { 1 };
        let mut fleet = Vec::with_capacity(instances);
        for _ in 0..instances {
            let live = Hundred::loader()
                .source(recorder.clone())
                .max_age(Duration::from_secs(24 * 3600))
                .event_spread(window)
                .load()
                .await
                .expect("no quota while loading");
            fleet.push(live);
        }
        let at_event = Instant::now();
        recorder.restart_with_quota();
        recorder.inner.put("/fleet/g0/f0", "changed");
        let event = serde_json::json!({
            "detail-type": "Parameter Store Change",
            "source": "aws.ssm",
            "detail": {"name": "/fleet/g0/f0", "operation": "Update", "type": "String"}
        });
        for live in &fleet {
            live.apply_event(&event).expect("a Parameter Store change");
        }
        let mut all_changed = None;
        let mut second = Duration::ZERO;
        let has_it = |fleet: &[Live<Hundred>]| {
            fleet
                .iter()
                .filter(|live| live.get().g0.f0 == "changed")
                .count()
        };
        while second < WAVE_LIMIT {
            second += Duration::from_secs(1);
            tokio::time::sleep_until(at_event + second).await;
            if has_it(&fleet) == instances {
                all_changed = Some(second);
                break;
            }
        }
        let changed = has_it(&fleet);
        fleet.clear();
        let per_second = recorder.per_second.lock().unwrap().clone();
        let throttled = *recorder.throttled.lock().unwrap();
        (per_second, throttled, all_changed, changed)
    });
    let calls: u64 = per_second.iter().sum();
    Wave {
        calls_per_instance: calls as f64 / instances as f64,
        throttled_share: throttled as f64 / calls.max(1) as f64,
        busiest_second: per_second.iter().copied().max().unwrap_or(0),
        all_changed,
        changed,
        wall: wall.elapsed(),
    }
}

/// The window the README prescribes: instances x calls per reload / quota,
/// and a quarter on top for the randomness.
fn prescribed_window(instances: usize) -> Duration {
    Duration::from_secs_f64(instances as f64 * 10.0 / QUOTA as f64 * 1.25)
}

pub(crate) fn waves(sizes: &[usize]) {
    println!(
        "\nchange-event waves under the quota: every instance gets one event; the store throttles above {QUOTA} calls/s from the event on (a token bucket of {QUOTA}); floor = instances x 10 calls / {QUOTA}; prescribed window = 1.25 x floor\n"
    );
    println!(
        "| instances | SDK retries | event spread window | floor | all have the change after | / floor | calls per instance | throttled share | busiest second | wall time |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &instances in sizes.iter().filter(|&&n| n >= 1_000) {
        let floor = instances as f64 * 10.0 / QUOTA as f64;
        for sdk_retries in [true, false] {
            for window in [Duration::ZERO, prescribed_window(instances)] {
                let w = wave(instances, window, sdk_retries);
                let ratio = w.all_changed.map_or_else(
                    || "-".into(),
                    |d| format!("{:.2}x", d.as_secs_f64() / floor),
                );
                println!(
                    "| {instances} | {} | {} s | {floor:.0} s | {} | {ratio} | {:.2} | {:.1}% | {} | {:.1} s |",
                    if sdk_retries { "3 attempts" } else { "none" },
                    window.as_secs(),
                    w.all_changed.map_or_else(
                        || format!(
                            "not within {} s ({} have it)",
                            WAVE_LIMIT.as_secs(),
                            w.changed
                        ),
                        |d| format!("{} s", d.as_secs())
                    ),
                    w.calls_per_instance,
                    w.throttled_share * 100.0,
                    w.busiest_second,
                    w.wall.as_secs_f64()
                );
            }
        }
    }
}
