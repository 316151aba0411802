//! Forged or garbled change events, and changes whose read fails: none of
//! them stops the event-driven refreshes of the changes that follow, and
//! none reaches a log, a span or a counter as raw text. On tokio's paused
//! clock, under a real-time bound.

use ssm_config::live::RefreshPolicy;
use std::collections::BTreeMap;
use std::time::Duration;

use super::event;
use crate::support::bound::on_paused_clock;
use crate::support::counting::Counting;
use crate::support::faulty::Faulty;
use ssm_config::live::Applied;
use ssm_config::source::SourceErrorKind;
use ssm_config::{MemorySource, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/hostile")]
struct Walked {
    host: String,
    #[ssm(by_path = "routes", recursive = false)]
    routes: BTreeMap<String, String>,
}

async fn walked(source: impl ssm_config::source::ParameterSource) -> ssm_config::Live<Walked> {
    Walked::loader()
        .source(source)
        .refresh(RefreshPolicy::new().event_spread(Duration::ZERO))
        .load()
        .await
        .unwrap()
}

fn seeded() -> MemorySource {
    let memory = MemorySource::new();
    memory.put("/hostile/host", "a");
    memory.put("/hostile/routes/x", "1");
    memory
}

#[test]
fn a_name_that_breaks_the_rules_is_refused_and_blocks_no_later_change() {
    on_paused_clock(|| async {
        let memory = seeded();
        let source = Counting::new(memory.clone());
        let config = walked(source.clone()).await;
        source.reset();
        let deep = format!("/hostile/routes/{}", "a".repeat(1_000));
        for bad in [
            "/hostile/routes/x:0",
            "/hostile/routes/a b",
            "/hostile/routes/x\u{1b}[2J",
            &deep,
            "/elsewhere/not a name",
        ] {
            assert_eq!(
                config.apply_event(event(bad, "Create")).unwrap(),
                Applied::Refused,
                "{bad}"
            );
        }
        let too_long = format!("/hostile/routes/{}", "a".repeat(2_048));
        let err = config
            .apply_event(event(&too_long, "Create"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("2048"), "{err}");
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(source.calls().is_empty(), "nothing is read for them");

        memory.put("/hostile/host", "b");
        assert_eq!(
            config
                .apply_event(event("/hostile/host", "Update"))
                .unwrap(),
            Applied::Refreshing
        );
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert_eq!(config.get().host, "b", "the good change was applied");
        let status = config.status();
        assert_eq!(
            (
                status.events_applied,
                status.events_ignored,
                status.events_refused
            ),
            (1, 0, 5)
        );
    });
}

#[test]
fn a_change_whose_read_fails_is_read_by_a_full_load_and_blocks_nothing() {
    on_paused_clock(|| async {
        let memory = seeded();
        // The store refuses any `GetParameters` that asks for this name, as
        // it refuses a request it finds invalid; a walk still lists it.
        let mut faulty = Faulty::new(memory.clone(), "/hostile/routes/bad", Duration::ZERO);
        faulty.kind = Some(SourceErrorKind::Other);
        faulty.fail(true);
        let config = walked(faulty).await;
        memory.put("/hostile/routes/bad", "2");
        config
            .apply_event(event("/hostile/routes/bad", "Create"))
            .unwrap();
        memory.put("/hostile/host", "b");
        config
            .apply_event(event("/hostile/host", "Update"))
            .unwrap();
        tokio::time::sleep(Duration::from_secs(60)).await;
        let now = config.get();
        assert_eq!(now.host, "b");
        assert_eq!(now.routes.get("bad").map(String::as_str), Some("2"));
        assert_eq!(config.status().consecutive_failures, 0);
    });
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/typed")]
struct Typed {
    host: String,
    #[ssm(by_path = "ports")]
    ports: BTreeMap<String, u16>,
}

#[test]
fn a_change_that_fails_a_full_load_too_is_dropped_and_blocks_nothing() {
    on_paused_clock(|| async {
        let memory = MemorySource::new();
        memory.put("/typed/host", "a");
        memory.put("/typed/ports/http", "80");
        let source = Counting::new(memory.clone());
        let config = Typed::loader()
            .source(source.clone())
            .refresh(RefreshPolicy::new().event_spread(Duration::ZERO))
            .load()
            .await
            .unwrap();
        memory.put("/typed/ports/bad", "not a port");
        config
            .apply_event(event("/typed/ports/bad", "Create"))
            .unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
        memory.put("/typed/host", "b");
        config.apply_event(event("/typed/host", "Update")).unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert_eq!(config.get().host, "b", "the later change was applied");
        assert!(!config.get().ports.contains_key("bad"));
        let status = config.status();
        let failed = status.last_error.expect("the full load's failure stands");
        assert_eq!(failed.kind, ssm_config::error::ErrorKind::Invalid);
        assert!(status.consecutive_failures > 0);
        source.reset();
        tokio::time::sleep(Duration::from_secs(3600)).await;
        assert_eq!(
            source.calls().len(),
            0,
            "the failing change is not read again and again"
        );
    });
}

#[test]
fn what_an_event_says_reaches_spans_and_logs_only_as_known_or_escaped_text() {
    let ((), text) = crate::support::traced::traced(async {
        let config = walked(seeded()).await;
        let forged = "Update\n\u{1b}[31mforged";
        config.apply_event(event("/hostile/host", forged)).unwrap();
        let _ = config.apply_event(event("/hostile/routes/x\u{1b}[2Jy", "Create"));
    });
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(!text.contains("forged"), "{text}");
    assert!(text.contains("change=\"unknown\""), "{text}");
}

/// A config refreshed by a refresher, whose every full load fails while
/// `b` alone can still be read.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/health")]
struct Two {
    a: String,
    b: String,
}

#[test]
fn a_targeted_success_does_not_hide_failing_full_refreshes() {
    on_paused_clock(|| async {
        let memory = MemorySource::new();
        memory.put("/health/a", "1");
        memory.put("/health/b", "1");
        let faulty = Faulty::new(memory.clone(), "/health/a", Duration::ZERO);
        let config = Two::loader()
            .source(faulty.clone())
            .refresh(
                RefreshPolicy::new()
                    .max_age(Duration::from_secs(300))
                    .event_spread(Duration::ZERO),
            )
            .load()
            .await
            .unwrap();
        faulty.fail(true);
        // The refresher's attempt at expiry fails, and is retried.
        tokio::time::sleep(Duration::from_millis(300_500)).await;
        assert!(config.status().consecutive_failures >= 1);
        memory.put("/health/b", "2");
        config.apply_event(event("/health/b", "Update")).unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(
            (&*config.get().a, &*config.get().b),
            ("1", "2"),
            "the targeted refresh succeeded"
        );
        let status = config.status();
        assert!(status.consecutive_failures >= 1, "{status:?}");
        assert!(status.last_error.is_some(), "{status:?}");

        // The refresher still retries on the backoff, not a max age later.
        faulty.fail(false);
        tokio::time::sleep(Duration::from_secs(60)).await;
        let status = config.status();
        assert_eq!(status.consecutive_failures, 0, "{status:?}");
        assert!(status.snapshot_age < Duration::from_secs(60), "{status:?}");
    });
}

/// A parameter bound by ARN, and one read in a call of its own (without
/// decryption), which the store can fail alone.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/carry")]
struct Shared {
    #[ssm(path = "arn:aws:ssm:eu-west-1:123456789012:parameter/shared/x")]
    shared: String,
    #[ssm(nested)]
    plain: Plain,
}

#[derive(SsmConfig, Debug)]
#[ssm(decrypt = false)]
struct Plain {
    local: String,
}

const SHARED_ARN: &str = "arn:aws:ssm:eu-west-1:123456789012:parameter/shared/x";

#[test]
fn an_event_for_a_name_forgets_what_a_cut_short_refresh_read_by_arn() {
    on_paused_clock(|| async {
        let memory = MemorySource::new();
        memory.put(SHARED_ARN, "old");
        memory.put("/carry/plain/local", "1");
        let faulty = Faulty::new(memory.clone(), "/carry/plain/local", Duration::ZERO);
        let config = Shared::loader()
            .source(faulty.clone())
            .refresh(RefreshPolicy::new().event_spread(Duration::ZERO))
            .load()
            .await
            .unwrap();
        // A refresh cut short: the ARN was read, `local` was not.
        faulty.fail(true);
        config.refresh().await.unwrap_err();
        faulty.fail(false);
        memory.put(SHARED_ARN, "new");
        config.apply_event(event("/shared/x", "Update")).unwrap();
        tokio::time::sleep(Duration::from_secs(10)).await;
        let now = config.get();
        assert_eq!((&*now.shared, &*now.plain.local), ("new", "1"));
    });
}
