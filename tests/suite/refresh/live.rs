//! The live handle: single-flight, all-or-nothing refreshes, stale on error,
//! change notification, derived values, refresh on error, background refresh.
//! Time is tokio's paused clock where a test depends on it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::counting::Counting;
use crate::support::faulty::Faulty;
use ssm_config::live::{AheadOfExpiry, RefreshPolicy};
use ssm_config::{Live, MemorySource, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/live", max_age = 60)]
struct Small {
    host: String,
    #[ssm(path = "pinned:1")]
    pinned: String,
}

// 25 fields: three `GetParameters` batches per load.
wide_config!(Wide, "/wide");

impl Wide {
    fn values(&self) -> [&str; 25] {
        [
            &self.f00, &self.f01, &self.f02, &self.f03, &self.f04, &self.f05, &self.f06, &self.f07,
            &self.f08, &self.f09, &self.f10, &self.f11, &self.f12, &self.f13, &self.f14, &self.f15,
            &self.f16, &self.f17, &self.f18, &self.f19, &self.f20, &self.f21, &self.f22, &self.f23,
            &self.f24,
        ]
        .map(String::as_str)
    }
}

fn small_source() -> (MemorySource, Counting) {
    let memory = MemorySource::new();
    memory.put("/live/host", "a");
    memory.put("/live/pinned", "p1");
    (memory.clone(), Counting::new(memory))
}

/// The small config's parameters behind a source that answers every call
/// after `delay`, so that concurrent callers overlap.
fn slow_small_source(delay: Duration) -> (MemorySource, Faulty) {
    let inner = MemorySource::new();
    inner.put("/live/host", "a");
    inner.put("/live/pinned", "p");
    let slow = Faulty {
        inner: inner.clone(),
        marker: "none",
        failing: Arc::default(),
        delay,
        kind: None,
    };
    (inner, slow)
}

#[test]
fn live_is_clone_send_sync() {
    fn assert<T: Clone + Send + Sync + 'static>() {}
    assert::<Live<Small>>();
    assert::<ssm_config::live::RebuiltOnRead<Small, String>>();
    assert::<ssm_config::Snapshot<Small>>();
}

#[tokio::test(start_paused = true)]
async fn reads_never_fetch_and_each_expiry_refreshes_once() {
    let (memory, source) = small_source();
    let config = Small::loader().source(source.clone()).load().await.unwrap();
    memory.put("/live/host", "b");
    tokio::time::sleep(Duration::from_secs(59)).await;
    for _ in 0..1000 {
        assert_eq!(config.get().host, "a");
    }
    assert_eq!(source.get_parameters_calls(), 1, "reads never fetch");

    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        config.get().host,
        "b",
        "refreshed at expiry, without a read"
    );
    assert_eq!(source.get_parameters_calls(), 2);
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(
        source.get_parameters_calls(),
        3,
        "and again a max age later"
    );
}

/// `max_age = "1m30s"` is the `Duration` `RefreshPolicy::max_age` would take:
/// 90 s, not 1 or 130.
#[tokio::test(start_paused = true)]
async fn max_age_written_as_a_duration_is_that_many_seconds() {
    #[derive(SsmConfig, Debug)]
    #[ssm(prefix = "/live", max_age = "1m30s")]
    struct Spelled {
        host: String,
    }
    let (_memory, source) = small_source();
    let config = Spelled::loader()
        .source(source.clone())
        .load()
        .await
        .unwrap();
    assert_eq!(config.get().host, "a");
    tokio::time::sleep(Duration::from_secs(89)).await;
    assert_eq!(source.get_parameters_calls(), 1, "nothing before 90 s");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(source.get_parameters_calls(), 2, "one at 90 s");
}

#[tokio::test(start_paused = true)]
async fn a_forced_refresh_postpones_the_next_expiry() {
    let (_memory, source) = small_source();
    let config = Small::loader().source(source.clone()).load().await.unwrap();
    tokio::time::sleep(Duration::from_secs(30)).await;
    config.refresh().await.unwrap();
    tokio::time::sleep(Duration::from_secs(31)).await;
    assert_eq!(source.get_parameters_calls(), 2, "none at 60 s");
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(source.get_parameters_calls(), 3, "one at 90 s");
}

#[tokio::test(start_paused = true)]
async fn a_thousand_strict_reads_after_expiry_share_the_one_refresh() {
    let (inner, slow) = slow_small_source(Duration::from_millis(50));
    let config = Small::loader().source(slow).load().await.unwrap();
    inner.reset_calls();
    inner.put("/live/host", "b");
    tokio::time::sleep(Duration::from_secs(60)).await;

    let readers: Vec<_> = (0..1000)
        .map(|_| {
            let config = config.clone();
            tokio::spawn(async move { config.fresh().await.map(|c| c.host.clone()) })
        })
        .collect();
    for reader in readers {
        assert_eq!(reader.await.unwrap().unwrap(), "b");
    }
    assert_eq!(
        inner.calls().get_parameters,
        1,
        "the refresher and every strict read shared one fetch"
    );
}

#[tokio::test(start_paused = true)]
async fn reads_during_the_refresh_at_expiry_get_the_old_snapshot_at_once() {
    let (inner, slow) = slow_small_source(Duration::from_secs(1));
    let config = Small::loader().source(slow).load().await.unwrap();
    inner.put("/live/host", "b");
    tokio::time::sleep(Duration::from_millis(60_500)).await;
    let during = tokio::time::Instant::now();
    assert_eq!(config.get().host, "a", "the refresh is under way");
    assert_eq!(
        during.elapsed(),
        Duration::ZERO,
        "and the read did not wait"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(config.get().host, "b");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_refresh_calls_share_one_fetch() {
    let (inner, faulty) = slow_small_source(Duration::from_millis(50));
    let config = Small::loader().source(faulty).load().await.unwrap();
    inner.reset_calls();
    let refreshes: Vec<_> = (0..100)
        .map(|_| {
            let config = config.clone();
            tokio::spawn(async move { config.refresh().await.map(|c| c.host.clone()) })
        })
        .collect();
    for refresh in refreshes {
        assert_eq!(refresh.await.unwrap().unwrap(), "a");
    }
    assert_eq!(inner.calls().get_parameters, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_failing_midway_leaves_every_reader_on_the_whole_old_snapshot() {
    let inner = MemorySource::new();
    for i in 0..25 {
        inner.put(&format!("/wide/f{i:02}"), "v1");
    }
    let failing = Arc::new(AtomicBool::new(false));
    let faulty = Faulty {
        inner: inner.clone(),
        marker: "/wide/f1",
        failing: Arc::clone(&failing),
        delay: Duration::from_millis(5),
        kind: None,
    };
    let config = Wide::loader().source(faulty).load().await.unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let mixed = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (config, stop, mixed) = (config.clone(), Arc::clone(&stop), Arc::clone(&mixed));
            tokio::spawn(async move {
                let mut reads = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let snapshot = config.get();
                    let values = snapshot.values();
                    if values.iter().any(|v| *v != values[0]) {
                        mixed.fetch_add(1, Ordering::SeqCst);
                    }
                    reads += 1;
                    tokio::task::yield_now().await;
                }
                reads
            })
        })
        .collect();

    for i in 0..25 {
        inner.put(&format!("/wide/f{i:02}"), "v2");
    }
    failing.store(true, Ordering::SeqCst);
    let err = config.refresh().await.unwrap_err();
    assert!(err.to_string().contains("unreachable"), "{err}");
    assert!(
        config.get().values().iter().all(|v| *v == "v1"),
        "old snapshot kept whole"
    );

    failing.store(false, Ordering::SeqCst);
    let new = config.refresh().await.unwrap();
    assert!(new.values().iter().all(|v| *v == "v2"));
    stop.store(true, Ordering::Relaxed);
    let mut reads = 0;
    for reader in readers {
        reads += reader.await.unwrap();
    }
    assert!(reads > 0);
    assert_eq!(
        mixed.load(Ordering::SeqCst),
        0,
        "no reader saw half an update in {reads} reads"
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_refresh_is_retried_with_backoff_not_in_a_loop() {
    let inner = MemorySource::new();
    inner.put("/live/host", "a");
    inner.put("/live/pinned", "p");
    let failing = Arc::new(AtomicBool::new(false));
    let faulty = Faulty {
        inner: inner.clone(),
        marker: "/live/",
        failing: Arc::clone(&failing),
        delay: Duration::ZERO,
        kind: None,
    };
    // Counted outside the fault, so failed attempts count too.
    let attempts = Counting::new(faulty);
    let config = Small::loader()
        .source(attempts.clone())
        .load()
        .await
        .unwrap();
    attempts.reset();
    failing.store(true, Ordering::SeqCst);

    tokio::time::sleep(Duration::from_millis(60_001)).await;
    for _ in 0..100 {
        assert_eq!(config.get().host, "a");
        tokio::task::yield_now().await;
    }
    assert_eq!(
        attempts.get_parameters_calls(),
        1,
        "one attempt at expiry; reads never fetch"
    );

    // Retries wait below a ceiling of 1, 2, 4, 8, 16, 32 s: a handful in
    // half a minute, and never a loop.
    tokio::time::sleep(Duration::from_secs(31)).await;
    let retried = attempts.get_parameters_calls();
    assert!((2..=20).contains(&retried), "{retried} attempts");

    failing.store(false, Ordering::SeqCst);
    inner.put("/live/host", "b");
    tokio::time::sleep(Duration::from_secs(61)).await;
    assert_eq!(
        config.get().host,
        "b",
        "back within a max age, the backoff's cap"
    );
    let recovered = attempts.get_parameters_calls();
    tokio::time::sleep(Duration::from_secs(59)).await;
    assert!(
        attempts.get_parameters_calls() <= recovered + 1,
        "after a success, once per max age again"
    );
}

#[tokio::test(start_paused = true)]
async fn fresh_waits_for_a_refresh_only_when_expired() {
    let (memory, source) = small_source();
    let config = Small::loader().source(source.clone()).load().await.unwrap();
    memory.put("/live/host", "b");
    assert_eq!(config.fresh().await.unwrap().host, "a", "not expired yet");
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(config.fresh().await.unwrap().host, "b", "expired: waited");
    assert_eq!(source.get_parameters_calls(), 2);
}

#[tokio::test]
async fn subscribers_hear_only_real_changes() {
    let (memory, source) = small_source();
    let config = Small::loader().source(source).load().await.unwrap();
    let mut changes = config.subscribe();
    let before = config.get();
    let again = config.refresh().await.unwrap();
    assert!(
        !changes.has_changed().unwrap(),
        "same values: no notification"
    );
    assert!(
        Arc::ptr_eq(before.as_arc(), again.as_arc()),
        "same values: same snapshot"
    );
    memory.put("/live/host", "a"); // a new version with the same value
    config.refresh().await.unwrap();
    assert!(!changes.has_changed().unwrap());
    memory.put("/live/host", "b");
    config.refresh().await.unwrap();
    assert!(changes.has_changed().unwrap());
    assert_eq!(changes.borrow_and_update().host, "b");
}

#[tokio::test]
async fn pinned_versions_stay_while_the_latest_moves() {
    let (memory, source) = small_source();
    let config = Small::loader().source(source).load().await.unwrap();
    memory.put("/live/pinned", "p2");
    memory.put("/live/host", "b");
    let c = config.refresh().await.unwrap();
    assert_eq!((c.host.as_str(), c.pinned.as_str()), ("b", "p1"));
    let snapshot = config.get();
    let metadata = snapshot.metadata();
    assert_eq!(metadata.field("host").unwrap().version, 2);
    assert_eq!(metadata.field("pinned").unwrap().version, 1);
    assert_eq!(
        metadata.parameter("/live/pinned:1").unwrap().kind,
        ssm_config::source::ParameterType::String
    );
}

#[tokio::test]
async fn derived_values_are_rebuilt_once_per_change() {
    let (memory, source) = small_source();
    let config = Small::loader().source(source).load().await.unwrap();
    let builds = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&builds);
    let client = config.map(move |c| {
        counter.fetch_add(1, Ordering::SeqCst);
        format!("client for {}", c.host)
    });
    assert_eq!(*client.get(), "client for a");
    config.refresh().await.unwrap();
    assert_eq!(*client.get(), "client for a");
    assert_eq!(builds.load(Ordering::SeqCst), 1, "no change, no rebuild");
    memory.put("/live/host", "b");
    config.refresh().await.unwrap();
    for _ in 0..10 {
        assert_eq!(*client.get(), "client for b");
    }
    assert_eq!(builds.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn refresh_on_error_recovers_a_rotated_password_in_one_retry() {
    let (memory, source) = small_source();
    let config = Small::loader().source(source.clone()).load().await.unwrap();
    memory.put("/live/host", "rotated");
    let attempts = AtomicUsize::new(0);
    let result = config
        .refresh_on_error(|c| {
            attempts.fetch_add(1, Ordering::SeqCst);
            async move {
                if c.host == "rotated" {
                    Ok("connected")
                } else {
                    Err("auth failed")
                }
            }
        })
        .await;
    assert_eq!(result, Ok("connected"));
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    assert_eq!(source.get_parameters_calls(), 2, "one load, one refresh");
}

#[tokio::test(start_paused = true)]
async fn refresh_on_error_is_rate_limited() {
    let (_memory, source) = small_source();
    let config = Small::loader()
        .source(source.clone())
        .refresh(RefreshPolicy::new().on_error_interval(Duration::from_secs(10)))
        .load()
        .await
        .unwrap();
    let always_failing = |_: Arc<Small>| async { Err::<(), _>("still failing") };
    for _ in 0..20 {
        assert_eq!(
            config.refresh_on_error(always_failing).await,
            Err("still failing")
        );
    }
    assert_eq!(
        source.get_parameters_calls(),
        2,
        "one forced refresh in the interval"
    );
    tokio::time::sleep(Duration::from_secs(10)).await;
    for _ in 0..20 {
        let _ = config.refresh_on_error(always_failing).await;
    }
    assert_eq!(
        source.get_parameters_calls(),
        3,
        "one more after the interval"
    );

    let not_auth = config
        .refresh_on_error_if(|e: &&str| *e == "auth", always_failing)
        .await;
    assert_eq!(not_auth, Err("still failing"));
    assert_eq!(
        source.get_parameters_calls(),
        3,
        "the predicate refused a refresh"
    );
}

#[tokio::test(start_paused = true)]
async fn background_refresh_runs_ahead_of_expiry_and_stops_with_the_last_handle() {
    let (memory, source) = small_source();
    let config = Small::loader()
        .source(source.clone())
        .refresh(
            RefreshPolicy::new()
                .max_age(Duration::from_secs(100))
                .ahead_of_expiry(
                    AheadOfExpiry::new()
                        .ahead(Duration::from_secs(10))
                        .jitter(Duration::ZERO)
                        .pace(Duration::ZERO),
                ),
        )
        .load()
        .await
        .unwrap();
    memory.put("/live/host", "b");
    // The first refresh comes somewhere in the first cycle (0 to 90 s, so a
    // fleet started together spreads out), each later one a cycle after the
    // last: by 90.005 s exactly one, by 180.005 s exactly two.
    tokio::time::sleep(Duration::from_millis(90_005)).await;
    assert_eq!(
        source.get_parameters_calls(),
        2,
        "refreshed in the first cycle"
    );
    assert_eq!(
        config.get().host,
        "b",
        "before expiry, without a read triggering it"
    );
    tokio::time::sleep(Duration::from_secs(90)).await;
    assert_eq!(source.get_parameters_calls(), 3, "and one cycle later");
    drop(config);
    tokio::time::sleep(Duration::from_secs(1000)).await;
    assert_eq!(
        source.get_parameters_calls(),
        3,
        "the task ended with the last handle"
    );
}

#[tokio::test]
async fn a_snapshot_outlives_refreshes_and_converts_to_the_shared_arc() {
    let (memory, source) = small_source();
    let config = Small::loader().source(source).load().await.unwrap();
    let held = config.get();
    let copy = held.clone();
    memory.put("/live/host", "b");
    config.refresh().await.unwrap();
    assert_eq!((held.host.as_str(), copy.host.as_str()), ("a", "a"));
    assert_eq!(config.get().host, "b");
    let owned: Arc<Small> = held.into();
    assert_eq!(owned.host, "a");
    assert!(!Arc::ptr_eq(&owned, config.get().as_arc()));
    assert!(Arc::ptr_eq(&config.get().into_arc(), config.get().as_arc()));
}

#[derive(SsmConfig)]
#[ssm(prefix = "/policy", max_age = 300)]
struct WithMaxAge {
    host: String,
}

/// The refresh policy reaches the handle as it was given: a policy without
/// a max age keeps the struct's, one with a max age replaces it, and a
/// second `refresh(..)` replaces the first whole (its watch included).
#[tokio::test(start_paused = true)]
async fn the_refresh_policy_reaches_the_handle_whole() {
    let source = MemorySource::new();
    source.put("/policy/host", "a");
    source.put("/policy/version", "1");
    let loader = || WithMaxAge::loader().source(source.clone());

    let by_struct = loader().refresh(RefreshPolicy::new()).load().await.unwrap();
    assert_eq!(by_struct.max_age(), Some(Duration::from_secs(300)));
    assert_eq!(by_struct.get().host, "a");

    let by_policy = loader()
        .refresh(RefreshPolicy::new().max_age(Duration::from_secs(20)))
        .load()
        .await
        .unwrap();
    assert_eq!(by_policy.max_age(), Some(Duration::from_secs(20)));

    let replaced = loader()
        .refresh(RefreshPolicy::new().watch("/policy/version"))
        .refresh(RefreshPolicy::new().max_age(Duration::from_secs(20)));
    let calls_before = source.calls().get_parameters;
    let replaced = replaced.load().await.unwrap();
    assert_eq!(
        source.calls().get_parameters - calls_before,
        1,
        "one call for the one name: the replaced policy's watch is not read"
    );
    assert_eq!(replaced.max_age(), Some(Duration::from_secs(20)));
}

/// A watched name the load's rulebook refuses fails the load before any
/// call: the group is not read for a load that cannot succeed.
#[tokio::test(start_paused = true)]
async fn a_watched_name_the_load_refuses_costs_no_call() {
    let source = MemorySource::new();
    source.put("/policy/host", "a");
    for name in [
        "/{SSM_CONFIG_TEST_NEVER_SET}/version",
        "",
        "/policy/version:3",
        "/policy/version/",
    ] {
        let error = WithMaxAge::loader()
            .source(source.clone())
            .refresh(RefreshPolicy::new().watch(name))
            .load()
            .await
            .err()
            .unwrap_or_else(|| panic!("watch {name:?} loaded"));
        assert_eq!(source.calls().get_parameters, 0, "watch {name:?}: {error}");
    }
    let error = WithMaxAge::loader()
        .source(source.clone())
        .refresh(RefreshPolicy::new().watch("/policy/version:3"))
        .load()
        .await
        .err()
        .unwrap();
    assert!(error.to_string().contains("field `watch`:"), "{error}");
}
