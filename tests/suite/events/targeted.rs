//! Targeted refresh under concurrency, on tokio's paused clock: events
//! that come while one is applied are merged into one read, and a targeted
//! refresh never publishes values older than those it replaces.

use ssm_config::live::RefreshPolicy;
use std::time::Duration;

use super::event;
use crate::support::counting::{Call, Counting};
use crate::support::late::Late;
use ssm_config::{Live, MemorySource, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/merged")]
struct Three {
    a: String,
    b: String,
    c: String,
}

/// A `Three` over a source that answers each call 100 ms after reading.
async fn slow_three() -> (MemorySource, Counting, Live<Three>) {
    let memory = MemorySource::new();
    for name in ["a", "b", "c"] {
        memory.put(&format!("/merged/{name}"), "0");
    }
    let source = Counting::new(Late::by(memory.clone(), Duration::from_millis(100)));
    let config = Three::loader()
        .source(source.clone())
        .refresh(RefreshPolicy::new().event_spread(Duration::ZERO))
        .load()
        .await
        .unwrap();
    source.reset();
    (memory, source, config)
}

fn asked(source: &Counting) -> Vec<Vec<String>> {
    source
        .calls()
        .into_iter()
        .map(|call| match call {
            Call::GetParameters { mut names, .. } => {
                names.sort();
                names
            }
            Call::ByPath { path } => panic!("a walk of {path}"),
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn events_that_come_while_one_is_applied_are_read_together() {
    let (memory, source, config) = slow_three().await;
    memory.put("/merged/a", "1");
    config.apply_event(event("/merged/a", "Update")).unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    // The read of `a` is under way: these wait for it, then go together.
    memory.put("/merged/b", "1");
    memory.put("/merged/c", "1");
    config.apply_event(event("/merged/b", "Update")).unwrap();
    config.apply_event(event("/merged/c", "Update")).unwrap();
    config.apply_event(event("/merged/b", "Update")).unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let now = config.get();
    assert_eq!((&*now.a, &*now.b, &*now.c), ("1", "1", "1"));
    assert_eq!(
        asked(&source),
        [
            vec!["/merged/a".to_owned()],
            vec!["/merged/b".to_owned(), "/merged/c".to_owned()]
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_full_refresh_under_way_is_waited_for_and_serves_no_stale_value() {
    let (memory, source, config) = slow_three().await;
    let mut published = config.subscribe();
    // A full refresh reads `a` before it changes...
    let full = tokio::spawn({
        let config = config.clone();
        async move { config.refresh().await.map(|s| s.a.clone()) }
    });
    tokio::time::sleep(Duration::from_millis(10)).await;
    memory.put("/merged/a", "new");
    config.apply_event(event("/merged/a", "Update")).unwrap();
    assert_eq!(full.await.unwrap().unwrap(), "0", "read before the change");
    // ...and the event's read starts after it ended, so it has the change.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(config.get().a, "new");
    assert_eq!(asked(&source).len(), 2, "the full load, then the one name");
    assert!(published.has_changed().unwrap());
    assert_eq!(published.borrow_and_update().a, "new");
}

#[tokio::test(start_paused = true)]
async fn a_refresh_asked_for_during_a_targeted_one_starts_after_it() {
    let (memory, source, config) = slow_three().await;
    memory.put("/merged/a", "1");
    config.apply_event(event("/merged/a", "Update")).unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    // The targeted read of `a` is under way; `b` changes, and a caller
    // asks for a full refresh, which must not return the targeted one.
    memory.put("/merged/b", "1");
    let refreshed = config.refresh().await.unwrap();
    assert_eq!((&*refreshed.a, &*refreshed.b), ("1", "1"));
    assert_eq!(
        asked(&source),
        [
            vec!["/merged/a".to_owned()],
            vec![
                "/merged/a".to_owned(),
                "/merged/b".to_owned(),
                "/merged/c".to_owned()
            ]
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_targeted_refresh_keeps_the_age_that_max_age_counts() {
    let memory = MemorySource::new();
    for name in ["a", "b", "c"] {
        memory.put(&format!("/merged/{name}"), "0");
    }
    let source = Counting::new(memory.clone());
    let config = Three::loader()
        .source(source.clone())
        .refresh(
            RefreshPolicy::new()
                .event_spread(Duration::ZERO)
                .max_age(Duration::from_secs(60)),
        )
        .load()
        .await
        .unwrap();
    let loaded_at = config.loaded_at();
    tokio::time::sleep(Duration::from_secs(50)).await;
    memory.put("/merged/a", "1");
    memory.put("/merged/b", "1");
    config.apply_event(event("/merged/a", "Update")).unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(config.get().a, "1");
    assert_eq!(
        config.loaded_at(),
        loaded_at,
        "`b` and `c` are as old as the first load"
    );
    // So the max age still brings the change no event announced.
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(config.fresh().await.unwrap().b, "1");
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/carried")]
#[allow(dead_code)] // loaded for their calls; the test reads `a`
struct Eleven {
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
    f: String,
    g: String,
    h: String,
    i: String,
    j: String,
    /// The eleventh name: two calls a load.
    k: String,
}

/// A refresh cut short by throttling keeps what it read for the next one;
/// what it read of a name an event named while it ran predates the change
/// and is not kept, or a later refresh would bring the old value back.
#[tokio::test(start_paused = true)]
async fn what_a_throttled_refresh_read_before_an_event_is_not_carried_over() {
    let memory = MemorySource::new();
    for name in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"] {
        memory.put(&format!("/carried/{name}"), "old");
    }
    // Every call but the one asking for `a` is throttled while on.
    let source = Late::by(memory.clone(), Duration::from_millis(100))
        .throttling(|asked| !asked.iter().any(|name| name.ends_with("/a")));
    let config = Eleven::loader()
        .source(source.clone())
        .refresh(RefreshPolicy::new().event_spread(Duration::ZERO))
        .load()
        .await
        .unwrap();
    source.throttle(true);
    let cut_short = tokio::spawn({
        let config = config.clone();
        async move { config.refresh().await.map(drop) }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    // The refresh has read `a`; now it changes, and its event comes.
    memory.put("/carried/a", "new");
    config.apply_event(event("/carried/a", "Update")).unwrap();
    assert!(cut_short.await.unwrap().is_err(), "throttled");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(config.get().a, "new", "the event's targeted read");

    source.throttle(false);
    let refreshed = config.refresh().await.unwrap();
    assert_eq!(refreshed.a, "new", "the old `a` is not carried back in");
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/gated", validate = Self::ordered)]
struct Gated {
    low: u16,
    high: u16,
}

impl Gated {
    fn ordered(&self) -> Result<(), String> {
        match self.low <= self.high {
            true => Ok(()),
            false => Err(format!("low {} is above high {}", self.low, self.high)),
        }
    }
}

/// A targeted refresh passes the same gate as any refresh: a value that
/// does not convert, or a struct its validation refuses, is not published.
#[tokio::test(start_paused = true)]
async fn a_targeted_refresh_is_converted_and_validated_like_any() {
    let memory = MemorySource::new();
    memory.put("/gated/low", "1");
    memory.put("/gated/high", "5");
    let config = Gated::loader()
        .source(memory.clone())
        .refresh(RefreshPolicy::new().event_spread(Duration::ZERO))
        .load()
        .await
        .unwrap();
    let error_after = |config: &Live<Gated>| {
        let status = config.status();
        status.last_error.map(|e| e.error.to_string())
    };

    memory.put("/gated/low", "not a number");
    config.apply_event(event("/gated/low", "Update")).unwrap();
    tokio::time::sleep(Duration::from_millis(10)).await;
    let text = error_after(&config).expect("a failed refresh");
    assert!(
        text.contains("low") && text.contains("/gated/low"),
        "{text}"
    );
    assert_eq!(config.get().low, 1, "the last good snapshot stays");

    memory.put("/gated/low", "9");
    config.apply_event(event("/gated/low", "Update")).unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let text = error_after(&config).expect("a refused refresh");
    assert!(text.contains("low 9 is above high 5"), "{text}");
    assert_eq!(config.get().low, 1);

    // A change that fails (and fails a full load too) is not read again
    // with every change after it: the next one is read on its own, and the
    // next full refresh reads them all.
    memory.put("/gated/high", "10");
    config.apply_event(event("/gated/high", "Update")).unwrap();
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!((config.get().low, config.get().high), (1, 10));
    let refreshed = config.refresh().await.unwrap();
    assert_eq!((refreshed.low, refreshed.high), (9, 10));
}

/// A store that stalls, or panics, while an event's targeted read is out:
/// the read fails within the call timeout, the live handle keeps serving
/// its snapshot (and a caller's refresh is not held forever behind it),
/// and the change arrives once the store answers again.
#[tokio::test(start_paused = true)]
async fn a_stalled_or_panicking_store_during_a_targeted_read_delays_the_change_only() {
    let memory = MemorySource::new();
    for name in ["a", "b", "c"] {
        memory.put(&format!("/merged/{name}"), "0");
    }
    let source = crate::support::faulty::Scripted::new(memory.clone());
    let config = Three::loader()
        .source(source.clone())
        .refresh(RefreshPolicy::new().event_spread(Duration::ZERO))
        .load()
        .await
        .unwrap();

    source.stall(true);
    memory.put("/merged/a", "1");
    config.apply_event(event("/merged/a", "Update")).unwrap();
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(config.get().a, "0", "reads never wait for the store");
    let waited = tokio::time::timeout(Duration::from_secs(30), config.refresh()).await;
    assert!(
        matches!(waited, Ok(Err(_))),
        "a caller's refresh ends, failed, within the deadlines"
    );
    let status = config.status();
    let error = status.last_error.expect("the stall is recorded");
    assert_eq!(
        error.kind,
        ssm_config::error::ErrorKind::Source(ssm_config::source::SourceErrorKind::Timeout)
    );

    source.stall(false);
    source.panic(true);
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(config.get().a, "0");
    assert!(config.status().consecutive_failures > 0);

    source.panic(false);
    tokio::time::sleep(Duration::from_secs(120)).await;
    assert_eq!(config.get().a, "1", "the retry after the store recovers");
    // The caller's full refresh failed: the targeted success does not hide
    // it; the next full one clears it.
    assert!(config.status().consecutive_failures > 0);
    config.refresh().await.unwrap();
    assert_eq!(config.status().consecutive_failures, 0);
}
