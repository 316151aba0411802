//! When production goes wrong: a store that stalls, user code that panics,
//! a value that fails validation, a store that throttles. Every test runs on
//! tokio's paused clock (or a plain thread with a bound), so none can hang:
//! a stall is a timer that fires, and call counts bound the work.

use ssm_config::live::RefreshPolicy;
use std::convert::Infallible;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::support::bound::on_paused_clock;
use crate::support::counting::Counting;
use crate::support::faulty::{Faulty, Scripted};
use ssm_config::doctor::Finding;
use ssm_config::error::{ErrorKind, Problem};
use ssm_config::source::SourceErrorKind;
use ssm_config::{MemorySource, SsmConfig};
use tokio::time::Instant;

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/outage")]
struct Small {
    host: String,
    port: u16,
}

fn seeded() -> MemorySource {
    let memory = MemorySource::new();
    memory.put("/outage/host", "db");
    memory.put("/outage/port", "5432");
    memory
}

mod stalled_store {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_load_fails_as_a_timeout_within_the_deadline() {
        let source = Scripted::new(seeded());
        source.stall(true);
        let started = Instant::now();
        let err = Small::loader()
            .source(source.clone())
            .load()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Source(SourceErrorKind::Timeout));
        assert!(err.to_string().contains("no answer within 6s"), "{err}");
        assert_eq!(
            started.elapsed(),
            Duration::from_secs(6),
            "the call timeout"
        );

        let err = Small::loader()
            .source(source.clone())
            .limits(
                ssm_config::source::Limits::new()
                    .call_timeout(Duration::from_secs(30))
                    .load_timeout(Duration::from_secs(3)),
            )
            .load()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Source(SourceErrorKind::Timeout));
        assert!(
            err.to_string().contains("did not finish within 3s"),
            "{err}"
        );
        assert!(err.to_string().contains("/outage/host"), "{err}");
        assert_eq!(source.most_in_flight(), 1, "a timed-out call is dropped");
    }

    #[test]
    fn the_live_handle_reports_it_backs_off_and_recovers() {
        on_paused_clock(|| async move {
            let source = Scripted::new(seeded());
            let max_age = Duration::from_secs(10);
            let config = Small::loader()
                .source(source.clone())
                .refresh(RefreshPolicy::new().max_age(max_age))
                .load()
                .await
                .unwrap();
            source.stall(true);
            let calls_before = source.calls();

            let fresh = tokio::time::timeout(Duration::from_secs(30), async {
                tokio::time::sleep(max_age).await;
                config.fresh().await
            })
            .await
            .expect("fresh() returns within the deadline");
            let err = fresh.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Source(SourceErrorKind::Timeout));
            let status = config.status();
            let last = status.last_error.expect("the stall is recorded");
            assert_eq!(last.kind, ErrorKind::Source(SourceErrorKind::Timeout));

            // Ten max ages of a stalled store: each attempt is one call that
            // times out, spaced by the backoff; nothing piles up.
            tokio::time::sleep(10 * max_age).await;
            let calls = source.calls() - calls_before;
            assert!((3..=20).contains(&calls), "{calls} calls in ten max ages");
            assert_eq!(source.most_in_flight(), 1, "one stalled call at a time");
            assert_eq!(config.get().host, "db", "the last good snapshot stays");

            source.stall(false);
            source.inner.put("/outage/host", "db2");
            tokio::time::sleep(2 * max_age).await;
            assert_eq!(
                config.get().host,
                "db2",
                "the refresher recovered by itself"
            );
            assert_eq!(config.status().consecutive_failures, 0);
        });
    }
}

/// A type whose parser panics on a value holding `boom`, quoting it.
#[derive(Debug, Clone, PartialEq)]
struct Touchy(String);

impl FromStr for Touchy {
    type Err = Infallible;
    fn from_str(s: &str) -> Result<Self, Infallible> {
        assert!(!s.contains("boom"), "cannot parse {s}");
        Ok(Touchy(s.to_owned()))
    }
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/panics")]
struct Panicky {
    value: Touchy,
}

fn panicky(value: &str) -> (MemorySource, Counting) {
    let memory = MemorySource::new();
    memory.put("/panics/value", value);
    (memory.clone(), Counting::new(memory))
}

mod panics {
    use super::*;

    fn assert_contained(err: &ssm_config::Error, field: &str) {
        assert_eq!(err.kind(), ErrorKind::Panicked, "{err}");
        let text = err.to_string();
        assert!(text.contains(&format!("field `{field}`")), "{text}");
        assert!(
            !text.contains("boom"),
            "the payload is never quoted: {text}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_panicking_parser_fails_the_load_naming_field_and_parameter() {
        let err = Panicky::loader()
            .source(panicky("kaboom-hunter2").1)
            .load()
            .await
            .unwrap_err();
        assert_contained(&err, "value");
        assert!(err.to_string().contains("`/panics/value`"), "{err}");
    }

    #[test]
    fn a_refresh_that_panics_keeps_the_snapshot_and_backs_off() {
        on_paused_clock(|| async move {
            let (memory, source) = panicky("fine");
            let max_age = Duration::from_secs(5);
            let config = Panicky::loader()
                .source(source.clone())
                .refresh(RefreshPolicy::new().max_age(max_age))
                .load()
                .await
                .unwrap();
            source.reset();
            memory.put("/panics/value", "boom");
            tokio::time::sleep(10 * max_age).await;
            let calls = source.get_parameters_calls();
            assert!((2..=60).contains(&calls), "{calls} calls in ten max ages");
            assert_eq!(config.get().value, Touchy("fine".into()));
            let status = config.status();
            assert_eq!(status.last_error.unwrap().kind, ErrorKind::Panicked);
            assert!(status.consecutive_failures >= 2);

            memory.put("/panics/value", "mended");
            tokio::time::sleep(2 * max_age).await;
            assert_eq!(config.get().value, Touchy("mended".into()));
        });
    }

    #[tokio::test(start_paused = true)]
    async fn a_forced_refresh_that_panics_returns_the_error() {
        let (memory, source) = panicky("fine");
        let config = Panicky::loader().source(source).load().await.unwrap();
        memory.put("/panics/value", "boom");
        for _ in 0..3 {
            assert_contained(&config.refresh().await.unwrap_err(), "value");
        }
        assert_eq!(config.status().consecutive_failures, 3);
    }

    fn explode() -> u32 {
        panic!("no default for you")
    }

    #[derive(Debug)]
    struct Exploding;

    impl<'de> serde::Deserialize<'de> for Exploding {
        fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
            panic!("boom in deserialize")
        }
    }

    fn refuse_by_panicking(_: &Everywhere) -> Result<(), String> {
        panic!("boom in validate")
    }

    #[derive(SsmConfig, Debug)]
    #[allow(dead_code)] // built to fail
    #[ssm(prefix = "/everywhere")]
    struct Everywhere {
        #[ssm(default = explode())]
        defaulted: u32,
    }

    #[derive(SsmConfig, Debug)]
    #[allow(dead_code)] // built to fail
    #[ssm(prefix = "/everywhere")]
    struct Json {
        #[ssm(json)]
        limits: Exploding,
    }

    #[derive(SsmConfig, Debug)]
    #[allow(dead_code)] // built to fail
    #[ssm(prefix = "/everywhere", validate = refuse_by_panicking_too)]
    struct Validated {
        present: String,
    }

    fn refuse_by_panicking_too(_: &Validated) -> Result<(), String> {
        panic!("boom in validate")
    }

    #[tokio::test]
    async fn in_defaults_deserializers_and_validators_too() {
        let _ = refuse_by_panicking;
        let memory = MemorySource::new();
        memory.put("/everywhere/limits", "{}");
        memory.put("/everywhere/present", "yes");

        let err = Everywhere::fetch(memory.clone()).await.unwrap_err();
        assert_contained(&err, "defaulted");
        assert!(err.to_string().contains("default"), "{err}");

        let err = Json::fetch(memory.clone()).await.unwrap_err();
        assert_contained(&err, "limits");

        let err = Validated::fetch(memory.clone()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Panicked);
        assert!(err.to_string().contains("validating"), "{err}");
        assert!(!err.to_string().contains("boom"), "{err}");
    }

    #[test]
    fn a_panicking_source_is_a_recorded_failure_not_a_spin() {
        on_paused_clock(|| async move {
            let source = Scripted::new(seeded());
            let max_age = Duration::from_secs(5);
            let config = Small::loader()
                .source(source.clone())
                .refresh(RefreshPolicy::new().max_age(max_age))
                .load()
                .await
                .unwrap();
            source.panic(true);
            let before = source.calls();
            tokio::time::sleep(10 * max_age).await;
            let calls = source.calls() - before;
            assert!((2..=60).contains(&calls), "{calls} calls in ten max ages");
            let status = config.status();
            assert_eq!(status.last_error.unwrap().kind, ErrorKind::Panicked);
            assert_eq!(status.refresher, ssm_config::live::RefresherState::Running);
            assert_eq!(config.get().host, "db");
        });
    }

    /// Polls a future to its end on this thread, with no runtime at all.
    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        struct Unpark(std::thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Arc::new(Unpark(std::thread::current())).into();
        let mut context = std::task::Context::from_waker(&waker);
        let mut future = std::pin::pin!(future);
        loop {
            if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
                return output;
            }
            std::thread::park_timeout(Duration::from_millis(10));
        }
    }

    #[test]
    fn outside_a_tokio_runtime_too() {
        let worker = std::thread::spawn(|| {
            let (memory, source) = panicky("fine");
            let config = block_on(Panicky::loader().source(source).load()).unwrap();
            memory.put("/panics/value", "boom");
            let err = block_on(config.refresh()).unwrap_err();
            assert_contained(&err, "value");
            assert_eq!(config.get().value, Touchy("fine".into()));
            let err = block_on(Panicky::fetch(memory.clone())).unwrap_err();
            assert_contained(&err, "value");
        });
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while !worker.is_finished() {
            assert!(std::time::Instant::now() < deadline, "no progress in 60 s");
            std::thread::sleep(Duration::from_millis(10));
        }
        worker.join().expect("no panic escapes");
    }

    #[tokio::test]
    async fn a_panicking_map_builder_keeps_the_value_built_before() {
        let memory = MemorySource::new();
        memory.put("/panics/value", "fine");
        let config = Panicky::loader()
            .source(memory.clone())
            .load()
            .await
            .unwrap();
        let derived = config.map(|c| {
            assert!(c.value.0 != "bad", "no pool for {}", c.value.0);
            c.value.0.len()
        });
        assert_eq!(*derived.get(), 4);
        memory.put("/panics/value", "bad");
        config.refresh().await.unwrap();
        assert_eq!(*derived.get(), 4, "the value built before stays");
        assert_eq!(*derived.get(), 4, "and the builder is not run again");
        memory.put("/panics/value", "better");
        config.refresh().await.unwrap();
        assert_eq!(*derived.get(), 6);
    }
}

mod validation {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct PoolError(u32);

    impl std::fmt::Display for PoolError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a pool of {} connections is not a configuration", self.0)
        }
    }

    #[derive(SsmConfig, Debug, PartialEq)]
    #[ssm(prefix = "/gate", validate = Self::validate)]
    struct Pool {
        size: u32,
        #[ssm(nested = "limits")]
        limits: Limits,
    }

    impl Pool {
        fn validate(&self) -> Result<(), PoolError> {
            match self.size {
                0 => Err(PoolError(0)),
                _ => Ok(()),
            }
        }
    }

    #[derive(SsmConfig, Debug, PartialEq)]
    #[ssm(validate = limits_are_ordered)]
    struct Limits {
        low: u32,
        high: u32,
    }

    fn limits_are_ordered(limits: &Limits) -> Result<(), String> {
        match limits.low <= limits.high {
            true => Ok(()),
            false => Err(format!("low {} is above high {}", limits.low, limits.high)),
        }
    }

    fn store(size: &str, low: &str) -> MemorySource {
        let memory = MemorySource::new();
        memory.put("/gate/size", size);
        memory.put("/gate/limits/low", low);
        memory.put("/gate/limits/high", "10");
        memory
    }

    #[tokio::test]
    async fn a_load_that_fails_validation_fails_with_every_other_problem() {
        let err = Pool::fetch(store("0", "1")).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalidated);
        assert_eq!(
            err.to_string(),
            "cannot load `Pool`: validation failed: a pool of 0 connections is not a configuration"
        );

        let err = Pool::fetch(store("4", "11")).await.unwrap_err();
        assert!(
            matches!(err.problems(), [Problem::Invalidated { at, .. }] if at == "limits"),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("field `limits`: validation failed: low 11 is above high 10"),
            "{err}"
        );

        // A struct that fails to build is not validated: its problems stand.
        let bad = store("x", "1");
        let err = Pool::fetch(bad.clone()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);

        let fine = Pool::fetch(store("4", "1")).await.unwrap();
        assert_eq!(fine.size, 4);
    }

    #[test]
    fn a_refresh_that_fails_validation_is_not_published() {
        on_paused_clock(|| async move {
            let memory = store("4", "1");
            let max_age = Duration::from_secs(5);
            let config = Pool::loader()
                .source(memory.clone())
                .refresh(RefreshPolicy::new().max_age(max_age))
                .load()
                .await
                .unwrap();
            let changes = config.subscribe();
            memory.put("/gate/size", "0");
            let err = config.refresh().await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Invalidated);
            tokio::time::sleep(3 * max_age).await;
            assert_eq!(config.get().size, 4, "the last good snapshot stays");
            assert!(!changes.has_changed().unwrap(), "subscribers are not woken");
            let status = config.status();
            let last = status.last_error.expect("status says why");
            assert_eq!(last.kind, ErrorKind::Invalidated);
            assert!(last.error.to_string().contains("pool of 0"));

            memory.put("/gate/size", "8");
            tokio::time::sleep(2 * max_age).await;
            assert_eq!(config.get().size, 8);
            assert!(changes.has_changed().unwrap());
        });
    }

    #[tokio::test]
    async fn the_doctor_reports_it_as_a_row() {
        let report = Pool::loader().source(store("0", "1")).diagnose().await;
        assert!(!report.would_load);
        let row = report.row("Pool").expect("a row for the struct");
        assert_eq!(row.finding, Finding::FailsValidation);
        assert_eq!(row.name, "#[ssm(validate)]");
        assert!(row.detail.contains("pool of 0"), "{}", row.detail);
        assert_eq!(report.row("size").unwrap().finding, Finding::Present);
        assert!(report.to_string().contains("fails validation"), "{report}");

        let nested = Pool::loader().source(store("4", "11")).diagnose().await;
        assert_eq!(
            nested.row("limits").unwrap().finding,
            Finding::FailsValidation
        );
        assert!(
            Pool::loader()
                .source(store("4", "1"))
                .diagnose()
                .await
                .would_load
        );
    }
}

mod throttling {
    use super::*;

    #[derive(SsmConfig, Debug)]
    #[ssm(prefix = "/wide")]
    #[allow(dead_code)]
    pub(super) struct Wide {
        a01: String,
        a02: String,
        a03: String,
        a04: String,
        a05: String,
        a06: String,
        a07: String,
        a08: String,
        a09: String,
        a10: String,
        b01: String,
        b02: String,
        b03: String,
        b04: String,
        b05: String,
        b06: String,
        b07: String,
        b08: String,
        b09: String,
        b10: String,
        pub(super) zz: String,
    }

    pub(super) const NAMES: [&str; 21] = [
        "a01", "a02", "a03", "a04", "a05", "a06", "a07", "a08", "a09", "a10", "b01", "b02", "b03",
        "b04", "b05", "b06", "b07", "b08", "b09", "b10", "zz",
    ];

    fn wide() -> MemorySource {
        let memory = MemorySource::new();
        for name in NAMES {
            memory.put(&format!("/wide/{name}"), "v");
        }
        memory
    }

    #[tokio::test(start_paused = true)]
    async fn a_throttled_call_stops_the_calls_not_yet_sent() {
        // Three calls, one at a time; the throttled name is in the first.
        let faulty = Faulty::new(wide(), "/wide/a01", Duration::ZERO);
        let faulty = Faulty {
            kind: Some(SourceErrorKind::Throttled),
            ..faulty
        };
        faulty.fail(true);
        let source = Counting::new(faulty);
        let err = Wide::loader()
            .source(source.clone())
            .limits(ssm_config::source::Limits::new().max_concurrency(1))
            .load()
            .await
            .unwrap_err();
        assert!(err.is_throttled());
        assert_eq!(source.get_parameters_calls(), 1, "{err}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_keeps_what_the_throttled_attempt_read() {
        let faulty = Faulty {
            kind: Some(SourceErrorKind::Throttled),
            ..Faulty::new(wide(), "/wide/zz", Duration::ZERO)
        };
        let memory = faulty.inner.clone();
        let source = Counting::new(faulty.clone());
        let config = Wide::loader().source(source.clone()).load().await.unwrap();
        faulty.fail(true);
        source.reset();
        assert!(config.refresh().await.unwrap_err().is_throttled());
        assert_eq!(source.get_parameters_calls(), 3, "all three calls went out");

        faulty.fail(false);
        memory.put("/wide/zz", "new");
        source.reset();
        config.refresh().await.unwrap();
        assert_eq!(
            source.get_parameters_calls(),
            1,
            "only the throttled call again"
        );
        assert_eq!(config.get().zz, "new");

        // After a success nothing is carried: the next refresh reads all.
        source.reset();
        config.refresh().await.unwrap();
        assert_eq!(source.get_parameters_calls(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_value_that_failed_to_convert_is_read_again() {
        let memory = seeded();
        let source = Counting::new(memory.clone());
        let config = Small::loader().source(source.clone()).load().await.unwrap();
        memory.put("/outage/port", "eighty");
        assert_eq!(
            config.refresh().await.unwrap_err().kind(),
            ErrorKind::Invalid
        );
        memory.put("/outage/port", "80");
        config.refresh().await.unwrap();
        assert_eq!(config.get().port, 80);
    }

    #[test]
    fn the_backoff_under_throttling_grows_past_a_minute() {
        on_paused_clock(|| async move {
            let faulty = Faulty {
                kind: Some(SourceErrorKind::Throttled),
                ..Faulty::new(seeded(), "/outage/host", Duration::ZERO)
            };
            let source = Counting::new(faulty.clone());
            let config = Small::loader()
                .source(source.clone())
                .refresh(RefreshPolicy::new().max_age(Duration::from_secs(30)))
                .load()
                .await
                .unwrap();
            faulty.fail(true);
            source.reset();
            tokio::time::sleep(Duration::from_secs(4 * 3600)).await;
            // Capped at max age (30 s), four hours would cost some 900 calls;
            // at ten minutes, some 60.
            let calls = source.get_parameters_calls();
            assert!((10..=120).contains(&calls), "{calls} calls in four hours");
            assert!(config.status().consecutive_failures as usize >= calls - 1);
        });
    }
}

mod pacing {
    use super::throttling::{NAMES, Wide};
    use super::*;
    use ssm_config::live::AheadOfExpiry;

    #[test]
    fn a_paced_background_refresh_keeps_to_max_concurrency() {
        on_paused_clock(|| async move {
            let memory = MemorySource::new();
            for name in NAMES {
                memory.put(&format!("/wide/{name}"), "v");
            }
            let source = Scripted::new(memory.clone()).answering_after(Duration::from_secs(5));
            // Three calls paced over 10 s, each taking 5 s: they would
            // overlap but for the bound.
            let config = Wide::loader()
                .source(source.clone())
                .limits(
                    ssm_config::source::Limits::new()
                        .max_concurrency(1)
                        .load_timeout(Duration::from_secs(60)),
                )
                .refresh(
                    RefreshPolicy::new()
                        .max_age(Duration::from_secs(300))
                        .ahead_of_expiry(AheadOfExpiry::new().pace(Duration::from_secs(10))),
                )
                .load()
                .await
                .unwrap();
            assert_eq!(source.most_in_flight(), 1);
            memory.put("/wide/zz", "new");
            tokio::time::sleep(Duration::from_secs(300)).await;
            assert_eq!(config.get().zz, "new", "the background refresh ran");
            assert_eq!(source.most_in_flight(), 1);
        });
    }
}
