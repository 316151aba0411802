//! A fleet's refreshes spread out: the first background refresh of each
//! instance falls anywhere in the first cycle, and a background refresh
//! paces its calls, while a caller's refresh sends them at once. On tokio's
//! paused clock; `cargo bench --bench fleet` measures whole fleets.

use ssm_config::SsmConfig;
use ssm_config::live::RefreshPolicy;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ssm_config::MemorySource;
use ssm_config::live::AheadOfExpiry;
use ssm_config::source::{
    BoxFuture, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError,
};
use tokio::time::Instant;

use crate::support::counting::Counting;
use crate::support::faulty::Faulty;
use ssm_config::source::SourceErrorKind;

// 25 names: three `GetParameters` calls a load.
wide_config!(Wide, "/fleet");

/// Records when each call arrives.
#[derive(Clone)]
struct Timed {
    inner: MemorySource,
    start: Instant,
    calls: Arc<Mutex<Vec<Duration>>>,
}

impl Timed {
    fn new() -> Self {
        let inner = MemorySource::new();
        for i in 0..25 {
            inner.put(&format!("/fleet/f{i:02}"), "v");
        }
        inner.put("/fleet/version", "1");
        Timed {
            inner,
            start: Instant::now(),
            calls: Arc::default(),
        }
    }

    fn calls(&self) -> Vec<Duration> {
        self.calls.lock().unwrap().clone()
    }
}

impl ParameterSource for Timed {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        self.calls.lock().unwrap().push(self.start.elapsed());
        self.inner.get_parameters(names, decrypt)
    }
    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        self.inner.get_parameters_by_path(query)
    }
    fn describe(&self) -> String {
        "timed test source".into()
    }
}

const MAX_AGE: Duration = Duration::from_secs(300);

#[tokio::test(start_paused = true)]
async fn a_background_refresh_paces_its_calls_and_a_callers_does_not() {
    let source = Timed::new();
    let config = Wide::loader()
        .source(source.clone())
        .refresh(
            RefreshPolicy::new()
                .max_age(MAX_AGE)
                .ahead_of_expiry(AheadOfExpiry::new()),
        )
        .load()
        .await
        .unwrap();
    assert_eq!(source.calls().len(), 3, "the load: three calls at once");
    assert!(source.calls().iter().all(|at| *at == Duration::ZERO));

    // The first background refresh comes within the first cycle. Waited
    // for call by call: the next one may start before the cycle ends (a
    // refresh starts a pacing window early), and a caller's refresh that
    // came while it ran would join it instead of sending its own calls.
    let mut waited = Duration::ZERO;
    while source.calls().len() < 6 {
        assert!(
            waited <= MAX_AGE,
            "no background refresh in the first cycle"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
        waited += Duration::from_secs(1);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let background: Vec<Duration> = source.calls()[3..6].to_vec();
    let spread = background[2] - background[0];
    assert!(
        spread >= Duration::from_secs(6),
        "three calls paced over 10 s: {background:?}"
    );

    let before = source.calls().len();
    config.refresh().await.unwrap();
    let forced = &source.calls()[before..];
    assert_eq!(forced.len(), 3);
    assert!(
        forced.iter().all(|at| *at == forced[0]),
        "at once: {forced:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn instances_started_together_spread_their_first_refresh_over_the_cycle() {
    let source = Timed::new();
    let mut fleet = Vec::new();
    for _ in 0..200 {
        let live = Wide::loader()
            .source(source.clone())
            .refresh(
                RefreshPolicy::new()
                    .max_age(MAX_AGE)
                    .ahead_of_expiry(AheadOfExpiry::new().pace(Duration::ZERO)),
            )
            .load()
            .await
            .unwrap();
        fleet.push(live);
    }
    // No instance can refresh twice before 240 s (a cycle lasts at least
    // 0.8 max age); without the spread none would refresh before it at all.
    tokio::time::sleep(Duration::from_secs(240)).await;
    let refreshes: Vec<u64> = source.calls()[600..]
        .iter()
        .step_by(3)
        .map(|at| at.as_secs())
        .collect();
    assert!(
        (120..=200).contains(&refreshes.len()),
        "about 200 * 240 / 270 first refreshes: {}",
        refreshes.len()
    );
    let mut buckets = [0usize; 24];
    for second in &refreshes {
        buckets[(*second as usize / 10).min(23)] += 1;
    }
    let busiest = *buckets.iter().max().unwrap();
    assert!(
        busiest < 30,
        "first refreshes over 24 ten-second buckets: at most {busiest} in one ({buckets:?})"
    );
    drop(fleet);
}

#[tokio::test(start_paused = true)]
async fn watch_mode_costs_one_call_a_cycle_and_reloads_when_the_version_moves() {
    let source = Timed::new();
    let config = Wide::loader()
        .source(source.clone())
        .refresh(
            RefreshPolicy::new()
                .max_age(MAX_AGE)
                .watch("/fleet/version"),
        )
        .load()
        .await
        .unwrap();
    assert_eq!(source.calls().len(), 4, "the version, then three calls");
    tokio::time::sleep(Duration::from_secs(3000)).await;
    let checks = source.calls().len() - 4;
    assert!(
        (10..=11).contains(&checks),
        "one call a cycle of about 300 s: {checks} in 3000 s"
    );
    assert_eq!(config.status().consecutive_failures, 0);

    source.inner.put("/fleet/version", "2");
    source.inner.put("/fleet/f00", "w");
    let before = source.calls().len();
    for _ in 0..300 {
        if config.get().f00 == "w" {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert_eq!(config.get().f00, "w", "reloaded within a cycle");
    assert_eq!(
        source.calls().len() - before,
        4,
        "a check, then one group fetch"
    );
}

#[tokio::test(start_paused = true)]
async fn a_throttled_fleet_keeps_every_snapshot_backs_off_and_converges() {
    let memory = MemorySource::new();
    for i in 0..25 {
        memory.put(&format!("/fleet/f{i:02}"), "v");
    }
    let mut faulty = Faulty::new(memory.clone(), "/fleet/", Duration::ZERO);
    faulty.kind = Some(SourceErrorKind::Throttled);
    let source = Counting::new(faulty.clone());
    let max_age = Duration::from_secs(10);
    let mut fleet = Vec::new();
    for _ in 0..20 {
        let live = Wide::loader()
            .source(source.clone())
            .refresh(
                RefreshPolicy::new()
                    .max_age(max_age)
                    .ahead_of_expiry(AheadOfExpiry::new()),
            )
            .load()
            .await
            .unwrap();
        fleet.push(live);
    }
    faulty.fail(true);
    source.reset();
    tokio::time::sleep(Duration::from_secs(100)).await;
    // Each refresh is 3 calls; backing off below a ceiling capped at max
    // age, an instance tries about twice a max age, never in a loop.
    let attempts = source.get_parameters_calls() / 3;
    assert!(
        attempts <= 20 * 4 * 10,
        "{attempts} refreshes in 10 max ages"
    );
    for live in &fleet {
        assert_eq!(live.get().f00, "v", "the snapshot is kept");
        assert!(live.status().consecutive_failures > 0);
        assert_eq!(
            live.status().last_error.map(|e| e.kind),
            Some(ssm_config::error::ErrorKind::Source(
                SourceErrorKind::Throttled
            ))
        );
    }

    faulty.fail(false);
    memory.put("/fleet/f00", "w");
    // Under throttling the backoff's ceiling grows past max age, up to ten
    // minutes, so a fleet over its quota stops coming back before the
    // quota can serve it: every instance is back within that ceiling.
    tokio::time::sleep(Duration::from_secs(600)).await;
    for live in &fleet {
        assert_eq!(live.get().f00, "w", "converged once the quota freed");
        assert_eq!(live.status().consecutive_failures, 0);
    }
}
