//! Refresh under hostile conditions: callers that give up, a store that
//! stalls or stays down, zero or tiny max ages, readiness status, and values
//! derived from a configuration that changes while they are rebuilt. Time
//! is tokio's paused clock where a test depends on it; no assertion is
//! timed on the machine's clock.

use ssm_config::live::RefreshPolicy;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use crate::support::counting::Counting;
use crate::support::faulty::Faulty;
use ssm_config::live::RefresherState;
use ssm_config::source::SourceErrorKind;
use ssm_config::{MemorySource, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/r")]
struct Cfg {
    value: String,
}

/// The config's parameter behind a source that answers after `delay` and
/// fails while switched on; every attempt is counted, failed ones too.
struct Rig {
    memory: MemorySource,
    faulty: Faulty,
    counted: Counting,
}

impl Rig {
    fn new(delay: Duration) -> Self {
        let memory = MemorySource::new();
        memory.put("/r/value", "v1");
        let faulty = Faulty::new(memory.clone(), "/r/", delay);
        let counted = Counting::new(faulty.clone());
        Rig {
            memory,
            faulty,
            counted,
        }
    }

    fn attempts(&self) -> usize {
        self.counted.get_parameters_calls()
    }
}

#[tokio::test(start_paused = true)]
async fn a_zero_max_age_is_raised_to_one_second_and_never_spins() {
    let source = Rig::new(Duration::ZERO);
    let config = Cfg::loader()
        .source(source.counted.clone())
        .refresh(RefreshPolicy::new().max_age(Duration::ZERO))
        .load()
        .await
        .unwrap();
    assert_eq!(config.max_age(), Some(Duration::from_secs(1)));
    tokio::time::sleep(Duration::from_millis(10_500)).await;
    assert_eq!(source.attempts(), 11, "the load and one refresh a second");
}

#[tokio::test(start_paused = true)]
async fn a_caller_that_gives_up_does_not_abort_the_refresh_and_later_callers_join_it() {
    let source = Rig::new(Duration::from_millis(100));
    let config = Cfg::loader()
        .source(source.counted.clone())
        .load()
        .await
        .unwrap();
    source.memory.put("/r/value", "v2");

    let gave_up = tokio::time::timeout(Duration::from_millis(10), config.refresh()).await;
    assert!(gave_up.is_err(), "the caller timed out");
    tokio::time::sleep(Duration::from_millis(40)).await;
    let joined = config.refresh().await.unwrap();
    assert_eq!(joined.value, "v2");
    assert_eq!(source.attempts(), 2, "the load and one refresh, shared");
    assert_eq!(config.get().value, "v2");

    // A refresh whose every caller went away still publishes.
    source.memory.put("/r/value", "v3");
    let dropped = config.refresh();
    drop(tokio::time::timeout(Duration::from_millis(1), dropped).await);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(config.get().value, "v3");
    assert_eq!(source.attempts(), 3);
}

#[tokio::test(start_paused = true)]
async fn expiry_counts_from_the_end_of_the_last_attempt() {
    // Each load takes 5 s: the refresher's attempt at expiry ends 5 s after
    // it starts, and the next expiry counts from there.
    let source = Rig::new(Duration::from_secs(5));
    let config = Cfg::loader()
        .source(source.counted.clone())
        .refresh(RefreshPolicy::new().max_age(Duration::from_secs(10)))
        .load()
        .await
        .unwrap();
    assert_eq!(source.attempts(), 1);
    tokio::time::sleep(Duration::from_secs(11)).await; // attempt from 10 s to 15 s
    assert_eq!(source.attempts(), 2);
    tokio::time::sleep(Duration::from_secs(12)).await; // now 23 s: next due at 25 s
    assert_eq!(source.attempts(), 2, "counted from the attempt's end");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(source.attempts(), 3);
    drop(config);
}

#[tokio::test(start_paused = true)]
async fn an_outage_is_not_hammered_by_strict_reads_or_the_refresher() {
    let source = Rig::new(Duration::ZERO);
    let config = Cfg::loader()
        .source(source.counted.clone())
        .refresh(RefreshPolicy::new().max_age(Duration::from_secs(1)))
        .load()
        .await
        .unwrap();
    source.faulty.fail(true);
    let mut errors = 0;
    // 1000 strict reads over 10 s of an outage.
    for _ in 0..1000 {
        let before = source.attempts();
        match config.fresh().await {
            Ok(snapshot) => assert_eq!(snapshot.value, "v1"),
            Err(err) => {
                errors += 1;
                assert!(err.to_string().contains("injected"), "{err}");
            }
        }
        assert!(source.attempts() - before <= 1);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let attempts = source.attempts() - 1;
    assert!(errors >= 850, "{errors} reads saw the outage");
    assert!(
        (5..=40).contains(&attempts),
        "{attempts} attempts in 10 s: backed off, at most a max age apart, jittered"
    );
    let status = config.status();
    assert_eq!(status.consecutive_failures as usize, attempts);
    assert_eq!(
        status.last_error.map(|e| e.kind),
        Some(ssm_config::error::ErrorKind::Source(
            SourceErrorKind::Unreachable
        ))
    );

    // Back up: within a max age (the backoff's cap) the value is fresh again.
    source.faulty.fail(false);
    source.memory.put("/r/value", "v2");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(config.fresh().await.unwrap().value, "v2");
    assert_eq!(config.status().consecutive_failures, 0);
}

#[test]
fn status_says_when_the_refresher_is_gone_with_its_runtime() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let source = Rig::new(Duration::ZERO);
    let config = runtime
        .block_on(
            Cfg::loader()
                .source(source.counted.clone())
                .refresh(RefreshPolicy::new().max_age(Duration::from_secs(60)))
                .load(),
        )
        .unwrap();
    let status = config.status();
    assert_eq!(status.refresher, RefresherState::Running);
    assert_eq!(status.consecutive_failures, 0);
    assert!(status.last_error.is_none());
    assert!(status.snapshot_age < Duration::from_secs(60));
    drop(runtime);
    assert_eq!(config.status().refresher, RefresherState::Stopped);

    let never = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(Cfg::loader().source(source.counted).load())
        .unwrap();
    assert_eq!(never.status().refresher, RefresherState::NotScheduled);
}

#[test]
fn a_rebuild_that_waited_uses_the_newest_snapshot_and_each_is_built_once() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let source = Rig::new(Duration::ZERO);
    let config = runtime
        .block_on(Cfg::loader().source(source.counted.clone()).load())
        .unwrap();
    let builds: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let (started, wait_started) = mpsc::channel::<()>();
    let (release, released) = mpsc::channel::<()>();
    let released = Arc::new(Mutex::new(released));
    let gate = Arc::new(AtomicBool::new(true));
    let derived = {
        let builds = Arc::clone(&builds);
        let gate = Arc::clone(&gate);
        config.map(move |c: &Cfg| {
            if c.value == "v2" && gate.swap(false, Ordering::SeqCst) {
                started.send(()).unwrap();
                released.lock().unwrap().recv().unwrap();
            }
            *builds.lock().unwrap().entry(c.value.clone()).or_default() += 1;
            c.value.clone()
        })
    };

    source.memory.put("/r/value", "v2");
    runtime.block_on(config.refresh()).unwrap();
    let builder = std::thread::spawn({
        let derived = derived.clone();
        move || derived.get()
    });
    wait_started.recv().unwrap(); // the v2 rebuild holds the rebuild lock
    let waiter = std::thread::spawn({
        let derived = derived.clone();
        move || derived.get() // reads v2, then waits for the lock
    });
    std::thread::sleep(Duration::from_millis(100));
    source.memory.put("/r/value", "v3");
    runtime.block_on(config.refresh()).unwrap();
    release.send(()).unwrap();

    assert_eq!(*builder.join().unwrap(), "v2");
    assert_eq!(
        *waiter.join().unwrap(),
        "v3",
        "rebuilt from the newest snapshot"
    );
    assert_eq!(*derived.get(), "v3", "the cache never went back to v2");
    let builds = builds.lock().unwrap();
    assert!(
        builds.values().all(|n| *n == 1),
        "each built once: {builds:?}"
    );
}
