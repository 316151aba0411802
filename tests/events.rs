//! Parameter Store change events: an event naming a bound parameter, a name
//! under a bound walk or the watched parameter schedules one refresh,
//! coalesced and rate-limited; others are ignored and counted. Events in
//! the documented EventBridge shape; tokio's paused clock.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;
use ssm_config::live::{Applied, ParameterChange};
use ssm_config::{MemorySource, SsmConfig};
use support::counting::Counting;

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/events")]
struct Evented {
    host: String,
    #[ssm(by_path = "routes", recursive = false)]
    routes: BTreeMap<String, String>,
}

/// An event as EventBridge delivers it.
fn event(name: &str, operation: &str) -> serde_json::Value {
    json!({
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "Parameter Store Change",
        "source": "aws.ssm",
        "account": "123456789012",
        "time": "2026-11-22T18:43:48Z",
        "region": "eu-west-1",
        "resources": [format!("arn:aws:ssm:eu-west-1:123456789012:parameter{name}")],
        "detail": { "name": name, "type": "String", "operation": operation }
    })
}

async fn loaded(source: &Counting) -> ssm_config::Live<Evented> {
    let config = Evented::loader()
        .source(source.clone())
        .load()
        .await
        .unwrap();
    source.reset();
    config
}

fn seeded() -> (MemorySource, Counting) {
    let memory = MemorySource::new();
    memory.put("/events/host", "a");
    memory.put("/events/routes/x", "1");
    memory.put("/events/routes/deep/y", "2");
    (memory.clone(), Counting::new(memory))
}

#[tokio::test(start_paused = true)]
async fn events_for_what_the_config_reads_refresh_it_and_others_are_ignored() {
    let (memory, source) = seeded();
    let config = loaded(&source).await;

    memory.put("/events/host", "b");
    assert_eq!(
        config.apply_event(event("/events/host", "Update")).unwrap(),
        Applied::Refreshing
    );
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(config.get().host, "b");

    memory.put("/events/routes/z", "3");
    let create = event("/events/routes/z", "Create").to_string();
    assert_eq!(
        config.apply_event(create.as_bytes()).unwrap(),
        Applied::Refreshing
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(config.get().routes.get("z").map(String::as_str), Some("3"));

    let calls = source.calls().len();
    for (name, operation) in [
        ("/events/routes/deep/y", "Update"), // below a walk that does not descend
        ("/elsewhere/host", "Update"),
        ("/events/hostname", "Delete"),
        ("/events", "LabelParameterVersion"),
    ] {
        assert_eq!(
            config.apply_event(event(name, operation)).unwrap(),
            Applied::Ignored,
            "{name}"
        );
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(source.calls().len(), calls, "ignored events cost nothing");
    let status = config.status();
    assert_eq!((status.events_applied, status.events_ignored), (2, 4));
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_events_costs_one_refresh_and_the_last_change_is_kept() {
    let (memory, source) = seeded();
    let config = loaded(&source).await;
    for i in 0..100 {
        memory.put("/events/host", &format!("v{i}"));
        config.apply_event(event("/events/host", "Update")).unwrap();
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(config.get().host, "v99");
    assert_eq!(source.by_path_calls(), 1, "one refresh for the burst");

    // Events during a refresh are not lost: another one follows, at most
    // one a second.
    memory.put("/events/host", "late");
    config.apply_event(event("/events/host", "Update")).unwrap();
    config.apply_event(event("/events/host", "Update")).unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(config.get().host, "late");
    assert_eq!(source.by_path_calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_watched_parameter_counts_as_read() {
    let (memory, source) = seeded();
    memory.put("/events/version", "1");
    let config = Evented::loader()
        .source(source.clone())
        .max_age(Duration::from_secs(300))
        .watch("/events/version")
        .load()
        .await
        .unwrap();
    memory.put("/events/host", "b");
    memory.put("/events/version", "2");
    let applied = config
        .apply_event(ParameterChange::from_value(&event("/events/version", "Update")).unwrap());
    assert_eq!(applied.unwrap(), Applied::Refreshing);
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(config.get().host, "b");
}

#[tokio::test]
async fn other_events_are_refused_with_a_reason() {
    let (_memory, source) = seeded();
    let config = Evented::loader().source(source).load().await.unwrap();
    let not_ssm = json!({"detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2", "detail": {}});
    let err = config.apply_event(not_ssm).unwrap_err().to_string();
    assert!(
        err.contains("`detail-type` is `EC2 Instance State-change Notification`"),
        "{err}"
    );
    assert!(
        config
            .apply_event("not json")
            .unwrap_err()
            .to_string()
            .contains("not JSON")
    );
    let no_name =
        json!({"detail-type": "Parameter Store Change", "detail": {"operation": "Update"}});
    assert!(
        config
            .apply_event(no_name)
            .unwrap_err()
            .to_string()
            .contains("`detail.name` is missing")
    );
}

#[tokio::test(start_paused = true)]
async fn a_refresh_for_an_event_that_fails_is_tried_again_until_it_succeeds() {
    let memory = MemorySource::new();
    memory.put("/events/host", "a");
    let faulty = support::faulty::Faulty::new(memory.clone(), "/events/", Duration::ZERO);
    let source = Counting::new(faulty.clone());
    let config = Evented::loader()
        .source(source.clone())
        .max_age(Duration::from_secs(3600))
        .load()
        .await
        .unwrap();
    faulty.fail(true); // throttled, say
    memory.put("/events/host", "b");
    config.apply_event(event("/events/host", "Update")).unwrap();
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(config.get().host, "a", "still failing");
    assert!(config.status().consecutive_failures >= 2, "tried again");

    faulty.fail(false);
    // Within the backoff's ceiling after a few failures (well under 600 s).
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(config.get().host, "b", "no second event needed");
}
