//! What a tracing backend and a metrics recorder see of a load, a refresh,
//! a failed refresh, a check and a change event: the fields and names the
//! guide (`guide::when_things_go_wrong`) and the `metrics` module document,
//! and never a value.

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use ssm_config::source::SourceErrorKind;
use ssm_config::{MemorySource, Secret, SsmConfig};

use crate::support::faulty::Faulty;
use crate::support::traced::traced;

const CANARY: &str = "observed-canary-5c1";

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/observed", max_age = 3600)]
#[allow(dead_code)] // loaded for what is observed of it
struct Observed {
    host: String,
    password: Secret<String>,
    #[ssm(by_path = "workers")]
    workers: std::collections::BTreeMap<String, u8>,
}

fn source() -> Faulty {
    let memory = MemorySource::new();
    memory.put("/observed/host", "a");
    memory.put_secure("/observed/password", CANARY);
    memory.put("/observed/workers/emails", "2");
    let mut faulty = Faulty::new(memory, "/observed/host", std::time::Duration::ZERO);
    faulty.kind = Some(SourceErrorKind::Throttled);
    faulty
}

/// Load, refresh with a change, refresh without one, a throttled refresh,
/// a check, an event.
async fn exercise(source: &Faulty) {
    let config = Observed::loader()
        .source(source.clone())
        .load()
        .await
        .unwrap();
    source.inner.put("/observed/host", "b");
    config.refresh().await.unwrap();
    config.refresh().await.unwrap();
    source.fail(true);
    config.refresh().await.unwrap_err();
    source.fail(false);
    let report = Observed::loader().source(source.clone()).diagnose().await;
    assert!(report.would_load);
    let event = r#"{"detail-type": "Parameter Store Change", "source": "aws.ssm",
        "detail": {"name": "/observed/host", "operation": "Update", "type": "String"}}"#;
    config.apply_event(event).unwrap();
    config
        .apply_event(r#"{"source": "aws.ec2", "detail-type": "x", "detail": {}}"#)
        .unwrap();
    config.status();
}

#[test]
fn every_operation_is_a_span_with_what_a_backend_needs_and_no_value() {
    // In a process of its own: tracing caches, per call site and for the
    // whole process, whether anyone listens, and tests on other threads
    // without a subscriber would race that cache.
    in_own_process!(
        every_operation_is_a_span_with_what_a_backend_needs_and_no_value,
        env: &[],
        { spans_of_every_operation() }
    );
}

fn spans_of_every_operation() {
    let source = source();
    let ((), text) = traced(exercise(&source));
    for expected in [
        r#"operation="load" config="Observed" source="faulty test source""#,
        "names=2 paths=1 calls.get_parameters=1 calls.get_parameters_by_path=1",
        r#"operation="refresh""#,
        "changed=true",
        "changed=false",
        r#"outcome="ok""#,
        r#"outcome="error" error_kind="throttled""#,
        "calls.throttled=1",
        r#"operation="diagnose""#,
        "would_load=true",
        r#"operation="event" config="Observed""#,
        r#"result="applied""#,
        r#"result="ignored""#,
    ] {
        assert!(text.contains(expected), "{expected}:\n{text}");
    }
    assert!(text.contains("duration_ms="), "{text}");
    // Milliseconds to the microsecond: `30.629`, not `30.629669000000003`.
    for value in text.split("duration_ms=").skip(1) {
        let value = value.split([' ', ',', '}']).next().unwrap();
        let decimals = value.split_once('.').map_or(0, |(_, d)| d.len());
        assert!(
            decimals <= 3 && value.parse::<f64>().is_ok(),
            "duration_ms={value}"
        );
    }
    // The failed refresh's warning carries the fields itself.
    let warning = text
        .lines()
        .find(|line| line.starts_with("WARN") && line.contains("refresh failed"))
        .unwrap_or_else(|| panic!("{text}"));
    for field in [
        r#"config="Observed""#,
        r#"error_kind="throttled""#,
        "duration_ms=",
    ] {
        assert!(warning.contains(field), "{field}: {warning}");
    }
    assert!(!text.contains(CANARY), "{text}");
}

/// `AppConfig::fetch(source.clone())` is a load like any other: one span of its
/// own, with the same fields, whether called on the type or the trait.
#[test]
fn a_fetch_from_a_borrowed_source_is_a_load_span() {
    in_own_process!(a_fetch_from_a_borrowed_source_is_a_load_span, env: &[], {
        let source = source();
        let (fetched, text) = traced(async {
            Observed::fetch(source.clone()).await.unwrap();
            <Observed as SsmConfig>::fetch(source.clone()).await.unwrap();
        });
        let () = fetched;
        let load = r#"operation="load" config="Observed" source="faulty test source""#;
        assert_eq!(text.matches(load).count(), 2, "{text}");
        for expected in [
            "names=2 paths=1 calls.get_parameters=1 calls.get_parameters_by_path=1",
            r#"outcome="ok""#,
            "duration_ms=",
        ] {
            assert_eq!(text.matches(expected).count(), 2, "{expected}:\n{text}");
        }
        assert!(!text.contains(CANARY), "{text}");
    });
}

#[test]
fn metrics_count_loads_refreshes_calls_and_events() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let source = source();
    metrics::with_local_recorder(&recorder, || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(exercise(&source));
    });
    type Seen = (String, Vec<(String, String)>, DebugValue);
    let mut seen: Vec<Seen> = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let key = key.key();
            let labels = key
                .labels()
                .map(|l| (l.key().to_owned(), l.value().to_owned()))
                .collect();
            (key.name().to_owned(), labels, value)
        })
        .collect();
    seen.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let value = |name: &str, labels: &[(&str, &str)]| -> Option<&DebugValue> {
        seen.iter()
            .find(|(n, l, _)| {
                n == name
                    && labels.len() + 1 == l.len()
                    && labels
                        .iter()
                        .all(|(k, v)| l.iter().any(|(lk, lv)| lk == k && lv == v))
            })
            .map(|(_, _, value)| value)
    };
    let counter = |name: &str, labels: &[(&str, &str)]| match value(name, labels) {
        Some(DebugValue::Counter(n)) => *n,
        other => panic!("{name} {labels:?}: {other:?}\n{seen:#?}"),
    };
    assert_eq!(counter("ssm_config_loads_total", &[("outcome", "ok")]), 1);
    assert_eq!(
        counter("ssm_config_refreshes_total", &[("outcome", "ok")]),
        2
    );
    assert_eq!(
        counter("ssm_config_refreshes_total", &[("outcome", "error")]),
        1
    );
    assert_eq!(
        counter(
            "ssm_config_calls_total",
            &[("action", "GetParameters"), ("outcome", "throttled")]
        ),
        1
    );
    assert!(
        counter(
            "ssm_config_calls_total",
            &[("action", "GetParametersByPath"), ("outcome", "ok")]
        ) >= 4
    );
    assert_eq!(
        counter(
            "ssm_config_events_total",
            &[("result", "applied"), ("change", "Update")]
        ),
        1
    );
    assert_eq!(
        counter(
            "ssm_config_events_total",
            &[("result", "ignored"), ("change", "none")]
        ),
        1
    );
    match value("ssm_config_refresh_duration_seconds", &[]) {
        Some(DebugValue::Histogram(samples)) => assert_eq!(samples.len(), 3),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        value("ssm_config_load_duration_seconds", &[]),
        Some(DebugValue::Histogram(samples)) if samples.len() == 1
    ));
    assert!(matches!(
        value("ssm_config_consecutive_failures", &[]),
        Some(DebugValue::Gauge(_))
    ));
    assert!(matches!(
        value("ssm_config_snapshot_age_seconds", &[]),
        Some(DebugValue::Gauge(_))
    ));
    for (_, labels, _) in &seen {
        assert!(
            labels.iter().any(|(k, v)| k == "config" && v == "Observed"),
            "{labels:?}"
        );
    }
}

/// A watched load reads the watched parameter beside the group: one load,
/// one span. Its outcome is the whole load's, so a load that fails only on
/// the watched read is an error in the span and in the metrics, and the
/// watched read is counted among the load's calls, as is a refresh's check
/// of it.
#[test]
fn a_watched_load_is_one_load_with_every_call_counted() {
    in_own_process!(a_watched_load_is_one_load_with_every_call_counted, env: &[], {
        let memory = MemorySource::new();
        memory.put("/observed/host", "a");
        memory.put_secure("/observed/password", CANARY);
        memory.put("/observed/workers/emails", "2");
        memory.put("/observed/version", "1");
        let failing = Faulty::new(memory.clone(), "/observed/version", std::time::Duration::ZERO);
        let policy = || ssm_config::live::RefreshPolicy::new().watch("/observed/version");
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        let (failed, loaded, refused) = metrics::with_local_recorder(&recorder, || {
            failing.fail(true);
            let ((), failed) = traced(async {
                let refused = Observed::loader()
                    .source(failing.clone())
                    .refresh(policy())
                    .load()
                    .await;
                assert!(refused.is_err());
            });
            failing.fail(false);
            let ((), loaded) = traced(async {
                let config = Observed::loader()
                    .source(failing.clone())
                    .refresh(policy())
                    .load()
                    .await
                    .unwrap();
                config.refresh().await.unwrap();
            });
            let ((), refused) = traced(async {
                let refused = Observed::loader()
                    .source(failing.clone())
                    .refresh(ssm_config::live::RefreshPolicy::new().watch("/{OBSERVED_UNSET}/v"))
                    .load()
                    .await;
                assert!(refused.is_err());
            });
            (failed, loaded, refused)
        });
        let load = r#"operation="load""#;
        assert_eq!(failed.matches(load).count(), 1, "one span a load:\n{failed}");
        assert!(failed.contains(r#"outcome="error""#), "{failed}");
        assert!(!failed.contains(r#"outcome="ok""#), "{failed}");
        assert_eq!(loaded.matches(load).count(), 1, "one span a load:\n{loaded}");
        // A watched name the rulebook refuses ends the load before any call,
        // in its span.
        assert_eq!(refused.matches(load).count(), 1, "one span a load:\n{refused}");
        assert!(refused.contains(r#"outcome="error""#), "{refused}");
        // One snapshot: taking one empties the recorder's counters.
        let snapshot = snapshotter.snapshot().into_vec();
        let counted = |name: &str, labels: &[(&str, &str)]| counter_total(&snapshot, name, labels);
        assert_eq!(counted("ssm_config_loads_total", &[("outcome", "error")]), 2);
        assert_eq!(counted("ssm_config_loads_total", &[("outcome", "ok")]), 1);
        // A batch of the group's names in each load and in the refresh (3),
        // and the watched parameter read by the second load and by the
        // refresh (2); the first load's watched read failed.
        let get_parameters = |outcome| {
            counted(
                "ssm_config_calls_total",
                &[("action", "GetParameters"), ("outcome", outcome)],
            )
        };
        assert_eq!(get_parameters("error"), 1);
        assert_eq!(get_parameters("ok"), 3 + 2);
        assert!(![failed, loaded, refused].iter().any(|text| text.contains(CANARY)));
    });
}

/// The doctor asks a name alone when its call was denied: those follow-up
/// calls are counted with the diagnosis's own.
#[test]
fn the_doctors_follow_up_calls_are_counted() {
    let mut denying = source();
    denying.kind = Some(SourceErrorKind::AccessDenied);
    denying.fail(true);
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::with_local_recorder(&recorder, || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                let report = Observed::loader().source(denying.clone()).diagnose().await;
                assert!(!report.would_load);
            });
    });
    let snapshot = snapshotter.snapshot().into_vec();
    let get_parameters = |outcome: &str| {
        counter_total(
            &snapshot,
            "ssm_config_calls_total",
            &[("action", "GetParameters"), ("outcome", outcome)],
        )
    };
    // The batch of both names, denied; then each name alone: the host
    // denied again, and once more without decryption (which tells a KMS
    // denial from an SSM one); the password read.
    assert_eq!((get_parameters("error"), get_parameters("ok")), (3, 1));
}

/// The sum of the counters `name` whose labels include every one of
/// `labels`, in one snapshot of a debugging recorder.
fn counter_total(
    snapshot: &[(
        metrics_util::CompositeKey,
        Option<metrics::Unit>,
        Option<metrics::SharedString>,
        DebugValue,
    )],
    name: &str,
    labels: &[(&str, &str)],
) -> u64 {
    snapshot
        .iter()
        .filter(|(key, _, _, _)| {
            let key = key.key();
            key.name() == name
                && labels
                    .iter()
                    .all(|(k, v)| key.labels().any(|l| l.key() == *k && l.value() == *v))
        })
        .map(|(_, _, _, value)| match value {
            DebugValue::Counter(n) => *n,
            other => panic!("{name}: {other:?}"),
        })
        .sum()
}
