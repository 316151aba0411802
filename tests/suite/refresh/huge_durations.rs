//! Every duration setting at `Duration::MAX`: it means "never", and nothing
//! panics, neither the caller nor a task of the library (whose panic tokio
//! would swallow). Each test runs in a process of its own, under a panic
//! hook that records every panic of the process, on a paused clock under a
//! real-time bound.

use ssm_config::live::RefreshPolicy;
use ssm_config::source::Limits;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::bound::on_paused_clock;
use ssm_config::error::ErrorKind;
use ssm_config::live::{AheadOfExpiry, RefresherState};
use ssm_config::source::SourceErrorKind;
use ssm_config::{Live, Loader, MemorySource, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/huge")]
struct Small {
    host: String,
}

/// The largest max age the attribute takes.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/huge", max_age = 18446744073709551615)]
struct Forever {
    host: String,
}

/// A year of simulated time: long past every default interval.
const YEAR: Duration = Duration::from_secs(365 * 24 * 60 * 60);

fn seeded() -> MemorySource {
    let source = MemorySource::new();
    source.put("/huge/host", "a");
    source.put("/huge/version", "1");
    source
}

/// Runs `scenario` on a paused clock, and fails on any panic of the process
/// meanwhile, a spawned task's included.
fn without_panics<F, Fut>(scenario: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let panics = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&panics);
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        seen.lock().unwrap().push(info.to_string());
        report(info);
    }));
    on_paused_clock(scenario);
    let _ = std::panic::take_hook();
    let panics = panics.lock().unwrap();
    assert!(panics.is_empty(), "panicked: {panics:#?}");
}

/// A year on, with `store` changed: the snapshot never expired, the
/// refresher still runs, and a forced refresh reads the store.
async fn never_expires<T: SsmConfig>(config: &Live<T>, store: &MemorySource, host: fn(&T) -> &str) {
    store.put("/huge/host", "b");
    tokio::time::sleep(YEAR).await;
    assert_eq!(host(&config.get()), "a", "never expired");
    assert_eq!(host(&config.fresh().await.unwrap()), "a");
    assert_eq!(config.status().refresher, RefresherState::Running);
    assert_eq!(host(&config.refresh().await.unwrap()), "b");
}

async fn loaded<T: SsmConfig>(loader: Loader<T>, store: &MemorySource) -> Live<T> {
    loader.source(store.clone()).load().await.unwrap()
}

fn event(name: &str) -> String {
    format!(
        r#"{{"detail-type": "Parameter Store Change", "source": "aws.ssm",
            "detail": {{"name": "{name}", "operation": "Update", "type": "String"}}}}"#
    )
}

#[test]
fn max_age() {
    in_own_process!(max_age, env: &[], {
        without_panics(|| async {
            let store = seeded();
            let config = loaded(Small::loader().refresh(RefreshPolicy::new().max_age(Duration::MAX)), &store).await;
            never_expires(&config, &store, |c: &Small| &c.host).await;
        })
    });
}

#[test]
fn max_age_attribute() {
    in_own_process!(max_age_attribute, env: &[], {
        without_panics(|| async {
            let store = seeded();
            let config = loaded(Forever::loader(), &store).await;
            never_expires(&config, &store, |c: &Forever| &c.host).await;
        })
    });
}

#[test]
fn max_age_ahead_of_expiry() {
    in_own_process!(max_age_ahead_of_expiry, env: &[], {
        without_panics(|| async {
            // Each handle draws its first wait at random in the whole max
            // age: several of them, so that some draw a late one.
            let store = seeded();
            let mut configs = Vec::new();
            for _ in 0..8 {
                let loader = Small::loader()
                    .refresh(RefreshPolicy::new().max_age(Duration::MAX).ahead_of_expiry(AheadOfExpiry::new()));
                configs.push(loaded(loader, &store).await);
            }
            tokio::time::sleep(YEAR).await;
            for config in &configs {
                assert_eq!(config.status().refresher, RefresherState::Running);
                assert_eq!(config.status().consecutive_failures, 0);
            }
        })
    });
}

#[test]
fn background_ahead_jitter_and_pace() {
    in_own_process!(background_ahead_jitter_and_pace, env: &[], {
        without_panics(|| async {
            let store = seeded();
            for background in [
                AheadOfExpiry::new().ahead(Duration::MAX),
                AheadOfExpiry::new().jitter(Duration::MAX),
                AheadOfExpiry::new().pace(Duration::MAX),
                AheadOfExpiry::new()
                    .ahead(Duration::MAX)
                    .jitter(Duration::MAX)
                    .pace(Duration::MAX),
            ] {
                let loader = Small::loader()
                    .refresh(RefreshPolicy::new().max_age(Duration::from_secs(10)).ahead_of_expiry(background));
                let config = loaded(loader, &store).await;
                store.put("/huge/host", "b");
                tokio::time::sleep(Duration::from_secs(60)).await;
                assert_eq!(config.status().refresher, RefresherState::Running);
                assert_eq!(config.refresh().await.unwrap().host, "b");
                store.put("/huge/host", "a");
            }
        })
    });
}

#[test]
fn full_reload_every() {
    in_own_process!(full_reload_every, env: &[], {
        without_panics(|| async {
            let store = seeded();
            // A check an hour: a year of them stays quick in real time.
            let loader = Small::loader()
                .refresh(RefreshPolicy::new().max_age(Duration::from_secs(3600)).watch("/huge/version").full_reload_every(Duration::MAX));
            let config = loaded(loader, &store).await;
            store.put("/huge/host", "b");
            tokio::time::sleep(YEAR).await;
            assert_eq!(config.get().host, "a", "the watched version never moved");
            store.put("/huge/version", "2");
            tokio::time::sleep(Duration::from_secs(3600)).await;
            assert_eq!(config.get().host, "b");
            assert_eq!(config.status().refresher, RefresherState::Running);
        })
    });
}

#[test]
fn event_refresh_interval() {
    in_own_process!(event_refresh_interval, env: &[], {
        without_panics(|| async {
            let store = seeded();
            let loader = Small::loader().refresh(RefreshPolicy::new().event_refresh_interval(Duration::MAX));
            let config = loaded(loader, &store).await;
            store.put("/huge/host", "b");
            config.apply_event(event("/huge/host").as_str()).unwrap();
            tokio::time::sleep(Duration::from_secs(60)).await;
            assert_eq!(config.get().host, "b", "the first event refresh runs");
            // The next one never comes, and nothing panics waiting for it.
            store.put("/huge/host", "c");
            config.apply_event(event("/huge/host").as_str()).unwrap();
            tokio::time::sleep(YEAR).await;
            assert_eq!(config.get().host, "b");
            assert_eq!(config.refresh().await.unwrap().host, "c");
        })
    });
}

#[test]
fn event_spread() {
    in_own_process!(event_spread, env: &[], {
        without_panics(|| async {
            let store = seeded();
            let loader = Small::loader().refresh(RefreshPolicy::new().event_spread(Duration::MAX));
            let config = loaded(loader, &store).await;
            store.put("/huge/host", "b");
            config.apply_event(event("/huge/host").as_str()).unwrap();
            tokio::time::sleep(YEAR).await;
            assert_eq!(config.refresh().await.unwrap().host, "b");
        })
    });
}

#[test]
fn refresh_on_error_interval() {
    in_own_process!(refresh_on_error_interval, env: &[], {
        without_panics(|| async {
            let store = seeded();
            let loader = Small::loader().refresh(RefreshPolicy::new().on_error_interval(Duration::MAX));
            let config = loaded(loader, &store).await;
            for _ in 0..2 {
                let called = config
                    .refresh_on_error(|_| async { Err::<(), _>("auth failed") })
                    .await;
                assert_eq!(called, Err("auth failed"));
            }
        })
    });
}

#[test]
fn call_and_load_timeouts() {
    in_own_process!(call_and_load_timeouts, env: &[], {
        without_panics(|| async {
            let store = seeded();
            let loader = Small::loader()
                .limits(Limits::new().call_timeout(Duration::MAX).load_timeout(Duration::MAX))
                .refresh(RefreshPolicy::new().max_age(Duration::from_secs(10)));
            let config = loaded(loader, &store).await;
            store.put("/huge/host", "b");
            tokio::time::sleep(Duration::from_secs(60)).await;
            assert_eq!(config.get().host, "b");

            // One deadline left at `MAX`, the other still ends a stall.
            let stalled = crate::support::faulty::Scripted::new(store.clone());
            stalled.stall(true);
            for (loader, after) in [
                (Small::loader().limits(Limits::new().call_timeout(Duration::MAX)), 8),
                (Small::loader().limits(Limits::new().load_timeout(Duration::MAX)), 6),
            ] {
                let started = tokio::time::Instant::now();
                let err = loader.source(stalled.clone()).load().await.unwrap_err();
                assert_eq!(err.kind(), ErrorKind::Source(SourceErrorKind::Timeout));
                assert_eq!(started.elapsed(), Duration::from_secs(after));
            }
        })
    });
}
