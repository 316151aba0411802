//! Change-event waves: every instance of a loaded fleet receives one change
//! event, with the store throttling above 40 calls a second from then on,
//! or without a quota. An event naming one parameter is a targeted refresh
//! (one call an instance); for a baseline in the same run, the same wave
//! with an operation the rules leave to a full reload (ten calls an
//! instance).

use ssm_config::SsmConfig;
use ssm_config::live::RefreshPolicy;
use std::time::Duration;

use crate::recorder::Recorder;
use ssm_config::Live;
use tokio::time::Instant;

use crate::{Hundred, QUOTA};

/// What one change-event wave came to.
struct Wave {
    /// Calls (attempts included) from the event on, per instance.
    calls_per_instance: f64,
    throttled: u64,
    busiest_second: u64,
    /// From the event until every instance had the change.
    all_changed: Option<Duration>,
    /// Instances with the change when the wave was no longer followed.
    changed: usize,
    wall: Duration,
}

/// The longest a wave is followed.
const WAVE_LIMIT: Duration = Duration::from_secs(4 * 3600);

/// What the event asks of each instance.
#[derive(Clone, Copy, PartialEq)]
enum Refresh {
    /// `Update` of one bound parameter: that name is read, one call.
    Targeted,
    /// An operation the rules do not know: the whole group, ten calls.
    Full,
}

impl Refresh {
    fn calls(self) -> f64 {
        match self {
            Refresh::Targeted => 1.0,
            Refresh::Full => 10.0,
        }
    }

    fn operation(self) -> &'static str {
        match self {
            Refresh::Targeted => "Update",
            Refresh::Full => "SomeFutureOperation",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Refresh::Targeted => "targeted",
            Refresh::Full => "full reload",
        }
    }
}

/// One wave's conditions.
#[derive(Clone, Copy)]
struct Case {
    instances: usize,
    refresh: Refresh,
    quota: bool,
    window: Duration,
}

/// `instances` loaded handles (max age a day, so only the event refreshes
/// them) all receive one change event; with `quota`, from then on the store
/// throttles above 40 calls a second, each call retried as the SDK's
/// standard mode does. Each event refresh waits a random delay within
/// `window` (`RefreshPolicy::event_spread`).
fn wave(case: Case) -> Wave {
    let wall = std::time::Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let (per_second, throttled, all_changed, changed) = runtime.block_on(async {
        let start = Instant::now();
        let recorder = Recorder::new(start, false, WAVE_LIMIT);
        let mut fleet = Vec::with_capacity(case.instances);
        for _ in 0..case.instances {
            let live = Hundred::loader()
                .source(recorder.clone())
                .refresh(RefreshPolicy::new().max_age(Duration::from_secs(24 * 3600)).event_spread(case.window))
                .load()
                .await
                .expect("no quota while loading");
            fleet.push(live);
        }
        let at_event = Instant::now();
        match case.quota {
            true => recorder.restart_with_quota(),
            false => recorder.restart(),
        }
        recorder.inner.put("/fleet/g0/f0", "changed");
        let event = serde_json::json!({
            "detail-type": "Parameter Store Change",
            "source": "aws.ssm",
            "detail": {"name": "/fleet/g0/f0", "operation": case.refresh.operation(), "type": "String"}
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
            if has_it(&fleet) == case.instances {
                all_changed = Some(second);
                break;
            }
        }
        // Retries still under way are counted too.
        tokio::time::sleep(Duration::from_secs(60)).await;
        let changed = has_it(&fleet);
        fleet.clear();
        let per_second = recorder.per_second.lock().unwrap().clone();
        let throttled = *recorder.throttled.lock().unwrap();
        (per_second, throttled, all_changed, changed)
    });
    let calls: u64 = per_second.iter().sum();
    Wave {
        calls_per_instance: calls as f64 / case.instances as f64,
        throttled,
        busiest_second: per_second.iter().copied().max().unwrap_or(0),
        all_changed,
        changed,
        wall: wall.elapsed(),
    }
}

/// The least time the quota allows: instances x calls a refresh / 40.
fn floor(instances: usize, refresh: Refresh) -> Duration {
    Duration::from_secs_f64(instances as f64 * refresh.calls() / QUOTA as f64)
}

/// A spread window of `margin` x the floor.
fn window(instances: usize, refresh: Refresh, margin: f64) -> Duration {
    floor(instances, refresh).mul_f64(margin)
}

/// The margins the fleet guide prescribes: 1.2 x the floor for a targeted
/// refresh's single call, 1.25 x for a full reload's ten (paced over a
/// tenth of the window, they bunch more).
const TARGETED_MARGIN: f64 = 1.2;
const FULL_MARGIN: f64 = 1.25;

pub(crate) fn waves(sizes: &[usize]) {
    println!(
        "\nchange-event waves: every instance of a loaded fleet (100 names, ten calls a full load) gets one event for /fleet/g0/f0; with the quota the store throttles above {QUOTA} calls/s from the event on (a token bucket of {QUOTA}), each call retried as the SDK's standard mode does (3 attempts); floor = instances x calls a refresh / {QUOTA}\n"
    );
    println!(
        "| instances | refresh | quota | event spread window | floor | all have the change after | calls per instance | throttled calls | busiest second | wall time |"
    );
    println!("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut cases = Vec::new();
    for &instances in sizes.iter().filter(|&&n| n >= 1_000) {
        let targeted = |quota, margin| Case {
            instances,
            refresh: Refresh::Targeted,
            quota,
            window: window(instances, Refresh::Targeted, margin),
        };
        cases.extend([
            targeted(false, 0.0),
            targeted(false, TARGETED_MARGIN),
            targeted(true, 0.0),
            targeted(true, 1.1),
            targeted(true, TARGETED_MARGIN),
            Case {
                instances,
                refresh: Refresh::Full,
                quota: true,
                window: window(instances, Refresh::Full, FULL_MARGIN),
            },
        ]);
    }
    for case in cases {
        let w = wave(case);
        let floor = floor(case.instances, case.refresh);
        let all_changed = w.all_changed.map_or_else(
            || {
                format!(
                    "not within {} s ({} have it)",
                    WAVE_LIMIT.as_secs(),
                    w.changed
                )
            },
            |d| format!("{} s", d.as_secs()),
        );
        println!(
            "| {} | {} | {} | {} s | {} s | {all_changed} | {:.2} | {} | {} | {:.1} s |",
            case.instances,
            case.refresh.label(),
            if case.quota { "40/s" } else { "none" },
            case.window.as_secs(),
            floor.as_secs(),
            w.calls_per_instance,
            w.throttled,
            w.busiest_second,
            w.wall.as_secs_f64()
        );
    }
}
