//! Watch mode against a store that stalls on the watched parameter alone:
//! the watched read has the same call deadline as every other call, so
//! `load()`, the refresher's check, `fresh()`, `refresh()`,
//! `refresh_on_error` and the change-event task all come to an end, and a
//! timed-out read is a failed check that keeps the snapshot.

use ssm_config::live::RefreshPolicy;
use ssm_config::source::Limits;
use std::time::Duration;

use crate::support::bound::on_paused_clock;
use crate::support::faulty::Scripted;
use ssm_config::error::ErrorKind;
use ssm_config::source::SourceErrorKind;
use ssm_config::{MemorySource, SsmConfig};
use tokio::time::Instant;

const WATCHED: &str = "/stalled/version";

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/stalled")]
struct Small {
    host: String,
}

/// A store that answers at once, except a call asking for `WATCHED`
/// while stalled: that one is accepted and never answered.
fn stalls_on_watched() -> Scripted {
    let inner = MemorySource::new();
    inner.put("/stalled/host", "db");
    inner.put(WATCHED, "1");
    Scripted::new(inner).stalling_only_on(WATCHED)
}

/// Simulated time a call may take before the test calls it a hang.
const HANG: Duration = Duration::from_secs(600);

fn is_timeout(err: &ssm_config::Error) -> bool {
    err.kind() == ErrorKind::Source(SourceErrorKind::Timeout)
}

#[test]
fn a_load_whose_watched_read_stalls_fails_within_the_call_timeout() {
    on_paused_clock(|| async move {
        let source = stalls_on_watched();
        source.stall(true);
        for (timeout, loader) in [
            (Duration::from_secs(6), Small::loader()),
            (
                Duration::from_secs(2),
                Small::loader().limits(Limits::new().call_timeout(Duration::from_secs(2))),
            ),
            // The read is the whole of its load: the load timeout holds too.
            (
                Duration::from_secs(1),
                Small::loader().limits(Limits::new().load_timeout(Duration::from_secs(1))),
            ),
        ] {
            let started = Instant::now();
            let loading = loader
                .source(source.clone())
                .refresh(
                    RefreshPolicy::new()
                        .max_age(Duration::from_secs(10))
                        .watch(WATCHED),
                )
                .load();
            let err = tokio::time::timeout(HANG, loading)
                .await
                .expect("load() ends")
                .unwrap_err();
            assert!(is_timeout(&err), "{err}");
            assert!(err.to_string().contains(WATCHED), "{err}");
            assert_eq!(started.elapsed(), timeout, "the call timeout");
        }
    });
}

#[test]
fn a_stalled_watched_read_is_a_failed_check_that_ends() {
    on_paused_clock(|| async move {
        let source = stalls_on_watched();
        let max_age = Duration::from_secs(10);
        let call_timeout = Duration::from_secs(2);
        let config = Small::loader()
            .source(source.clone())
            .refresh(RefreshPolicy::new().max_age(max_age).watch(WATCHED))
            .limits(Limits::new().call_timeout(call_timeout))
            .load()
            .await
            .unwrap();
        source.stall(true);
        source.inner.put("/stalled/host", "db2");
        source.inner.put(WATCHED, "2");

        // The refresher's check meets the stall first; `fresh()` on the
        // expired snapshot joins it or backs off after it.
        let fresh = tokio::time::timeout(HANG, async {
            tokio::time::sleep(max_age).await;
            config.fresh().await
        })
        .await
        .expect("fresh() ends");
        assert!(is_timeout(&fresh.unwrap_err()));

        let started = Instant::now();
        let refreshed = tokio::time::timeout(HANG, config.refresh())
            .await
            .expect("refresh() ends");
        assert!(is_timeout(&refreshed.unwrap_err()));
        assert!(
            started.elapsed() <= 2 * call_timeout,
            "{:?}",
            started.elapsed()
        );
        assert_eq!(config.get().host, "db", "the snapshot stays");
        let status = config.status();
        let last = status
            .last_error
            .as_ref()
            .expect("the failed check is recorded");
        assert_eq!(last.kind, ErrorKind::Source(SourceErrorKind::Timeout));
        assert!(status.consecutive_failures >= 1, "{status:?}");

        let called = tokio::time::timeout(
            HANG,
            config.refresh_on_error(|_| async { Err::<(), _>("auth failed") }),
        )
        .await
        .expect("refresh_on_error ends");
        assert_eq!(called, Err("auth failed"));

        // An event while a check is stalled: its task waits for that check
        // to end, then reads the name it was told of.
        let stalled_check = tokio::spawn({
            let config = config.clone();
            async move { config.refresh().await.map(|_| ()) }
        });
        tokio::task::yield_now().await;
        let event = r#"{"detail-type": "Parameter Store Change", "source": "aws.ssm",
            "detail": {"name": "/stalled/host", "operation": "Update", "type": "String"}}"#;
        config.apply_event(event).unwrap();
        let read = tokio::time::timeout(HANG, async {
            while config.get().host != "db2" {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
        assert!(read.is_ok(), "the event task ends its wait");
        let stalled_check = stalled_check.await.unwrap();
        assert!(is_timeout(&stalled_check.unwrap_err()));

        source.stall(false);
        let recovered = config.refresh().await.unwrap();
        assert_eq!(recovered.host, "db2");
        assert_eq!(config.status().consecutive_failures, 0);
    });
}
