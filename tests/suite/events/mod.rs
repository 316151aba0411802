//! Parameter Store change events: an event naming a bound parameter, a name
//! under a bound walk or the watched parameter schedules one refresh,
//! coalesced and rate-limited; others are ignored and counted. Events in
//! the documented EventBridge shape; tokio's paused clock. `targeted` holds
//! the races of a targeted refresh, `model` its property test, `hostile`
//! forged events and changes whose read fails; its rules, against moto and
//! `MemorySource`, are in `scenarios/targeted.rs`.

mod fan_out;
mod fan_out_infrastructure;
mod hostile;
mod model;
mod targeted;

use ssm_config::live::RefreshPolicy;
use std::collections::BTreeMap;
use std::time::Duration;

use crate::support::counting::Counting;
use crate::support::faulty::Faulty;
use serde_json::json;
use ssm_config::live::{Applied, ParameterChange};
use ssm_config::{MemorySource, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/events")]
struct Evented {
    host: String,
    #[ssm(by_path = "routes", recursive = false)]
    routes: BTreeMap<String, String>,
}

/// An event as EventBridge delivers it.
pub(crate) fn event(name: &str, operation: &str) -> serde_json::Value {
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
        .refresh(RefreshPolicy::new().event_spread(Duration::ZERO))
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
    assert_eq!(
        (source.get_parameters_calls(), source.by_path_calls()),
        (1, 0),
        "one read of the name for the burst"
    );

    // Events during a refresh are not lost: another one follows, at most
    // one a second.
    memory.put("/events/host", "late");
    config.apply_event(event("/events/host", "Update")).unwrap();
    config.apply_event(event("/events/host", "Update")).unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(config.get().host, "late");
    assert_eq!(
        (source.get_parameters_calls(), source.by_path_calls()),
        (2, 0)
    );
}

#[tokio::test(start_paused = true)]
async fn the_watched_parameter_counts_as_read() {
    let (memory, source) = seeded();
    memory.put("/events/version", "1");
    let config = Evented::loader()
        .source(source.clone())
        .refresh(
            RefreshPolicy::new()
                .event_spread(Duration::ZERO)
                .max_age(Duration::from_secs(300))
                .watch("/events/version"),
        )
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
async fn other_aws_events_are_ignored_and_malformed_ones_refused() {
    let (_memory, source) = seeded();
    let config = Evented::loader().source(source).load().await.unwrap();
    let ec2 = json!({"detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2", "detail": {"state": "running"}});
    assert_eq!(config.apply_event(ec2).unwrap(), Applied::Ignored);
    let policy = json!({"detail-type": "Parameter Store Policy Action", "source": "aws.ssm",
        "detail": {"parameter-name": "/events/host", "policy-type": "Expiration"}});
    assert_eq!(config.apply_event(policy).unwrap(), Applied::Ignored);
    assert_eq!(config.status().events_ignored, 2);

    for (event, reason) in [
        (json!("not json"), "not a JSON object"),
        (
            json!({"detail-type": "Parameter Store Change", "detail": {"operation": "Update"}}),
            "`detail.name` is missing",
        ),
        (
            json!({"detail-type": "Parameter Store Change", "source": "aws.ssm"}),
            "`detail` is missing",
        ),
        (
            json!({"source": "aws.ec2", "detail": {}}),
            "both `source` and `detail-type`",
        ),
        (
            json!({"detail-type": 7, "source": "aws.ssm", "detail": {}}),
            "`detail-type` is not a string",
        ),
    ] {
        let err = config.apply_event(&event).unwrap_err().to_string();
        assert!(err.contains(reason), "{event}: {err}");
    }
    let err = config.apply_event("not json").unwrap_err().to_string();
    assert!(err.contains("not JSON"), "{err}");
}

/// A loaded configuration over a source that fails on demand (an outage
/// or throttling), with events refreshing at once.
async fn failing_later(
    max_age: Option<Duration>,
) -> (MemorySource, Faulty, Counting, ssm_config::Live<Evented>) {
    let memory = MemorySource::new();
    memory.put("/events/host", "a");
    let faulty = Faulty::new(memory.clone(), "/events/", Duration::ZERO);
    let source = Counting::new(faulty.clone());
    let mut loader = Evented::loader()
        .source(source.clone())
        .refresh(RefreshPolicy::new().event_spread(Duration::ZERO));
    if let Some(max_age) = max_age {
        loader = loader.refresh(RefreshPolicy::new().max_age(max_age));
    }
    let config = loader.load().await.unwrap();
    (memory, faulty, source, config)
}

#[tokio::test(start_paused = true)]
async fn a_refresh_for_an_event_that_fails_is_tried_again_until_it_succeeds() {
    let (memory, faulty, _source, config) = failing_later(Some(Duration::from_secs(3600))).await;
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

#[tokio::test(start_paused = true)]
async fn during_an_outage_bursts_of_events_share_one_retrying_refresh() {
    let (memory, faulty, source, config) = failing_later(None).await;
    faulty.fail(true);
    source.reset();
    // A burst every 5 s for 10 minutes, against one that retries alone.
    for _ in 0..120 {
        config.apply_event(event("/events/host", "Update")).unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    let burst_calls = source.get_parameters_calls();
    // One task's backoff (doubling from 1 s to a minute) makes some 15
    // attempts in 10 minutes; a task per burst made hundreds.
    assert!((5..=40).contains(&burst_calls), "{burst_calls} calls");

    faulty.fail(false);
    memory.put("/events/host", "b");
    tokio::time::sleep(Duration::from_secs(120)).await;
    assert_eq!(config.get().host, "b");
}

#[tokio::test(start_paused = true)]
async fn a_fleet_spreads_its_reloads_over_the_window() {
    let (memory, source) = seeded();
    let window = Duration::from_secs(100);
    let mut fleet = Vec::new();
    for _ in 0..50 {
        let config = Evented::loader()
            .source(source.clone())
            .refresh(RefreshPolicy::new().event_spread(window))
            .load()
            .await
            .unwrap();
        fleet.push(config);
    }
    memory.put("/events/host", "b");
    for config in &fleet {
        assert_eq!(
            config.apply_event(event("/events/host", "Update")).unwrap(),
            Applied::Refreshing
        );
    }
    // Each reload starts within the window and paces its calls over a
    // tenth of it (here 10 s).
    let mut changed_per_second = Vec::new();
    for _ in 0..window.as_secs() + 10 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        changed_per_second.push(fleet.iter().filter(|c| c.get().host == "b").count());
    }
    assert_eq!(
        changed_per_second.last(),
        Some(&50),
        "all within the window and its pacing"
    );
    let busiest = changed_per_second
        .windows(2)
        .map(|w| w[1] - w[0])
        .chain(std::iter::once(changed_per_second[0]))
        .max()
        .unwrap();
    assert!(busiest <= 8, "{busiest} reloads in one second: not spread");
    assert!(
        changed_per_second[9] < 25,
        "not all at the start: {changed_per_second:?}"
    );
}

/// A configuration that reads two secrets, by name.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/rotation")]
struct Rotated {
    #[ssm(secret = "prod/db")]
    db: ssm_config::Secret<String>,
    #[ssm(secret = "prod/api-keyset")]
    api: ssm_config::Secret<String>,
}

/// A Secrets Manager API call as EventBridge delivers CloudTrail's record.
fn api_call(event_name: &str, secret_id: &str) -> serde_json::Value {
    json!({
        "version": "0",
        "id": "2f7cde44-5f8a-4bd5-9a6c-5d4e7a2c4c1e",
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.secretsmanager",
        "account": "123456789012",
        "time": "2026-11-29T10:00:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": {
            "eventVersion": "1.08",
            "eventSource": "secretsmanager.amazonaws.com",
            "eventName": event_name,
            "awsRegion": "eu-west-1",
            "requestParameters": {"secretId": secret_id},
            "responseElements": null,
            "eventType": "AwsApiCall"
        }
    })
}

/// The service event Secrets Manager sends when a rotation succeeded.
fn rotation_succeeded(secret_id: &str) -> serde_json::Value {
    json!({
        "version": "0",
        "id": "9a3e4b8f-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
        "detail-type": "AWS Service Event via CloudTrail",
        "source": "aws.secretsmanager",
        "account": "123456789012",
        "time": "2026-11-29T10:00:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": {
            "eventVersion": "1.08",
            "eventSource": "secretsmanager.amazonaws.com",
            "eventName": "RotationSucceeded",
            "awsRegion": "eu-west-1",
            "requestParameters": null,
            "responseElements": null,
            "additionalEventData": {"SecretId": secret_id},
            "eventType": "AwsServiceEvent"
        }
    })
}

const ARN: &str = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:";

#[tokio::test(start_paused = true)]
async fn secret_rotation_events_refresh_the_secrets_the_config_reads() {
    let memory = MemorySource::new();
    memory.put_secret("prod/db", "one");
    memory.put_secret("prod/api-keyset", "k1");
    let source = Counting::new(memory.clone());
    let config = Rotated::loader()
        .source(source.clone())
        .refresh(RefreshPolicy::new().event_spread(Duration::ZERO))
        .load()
        .await
        .unwrap();
    let events = [
        api_call("PutSecretValue", "prod/db"),
        api_call("UpdateSecret", &format!("{ARN}prod/db-AbC123")),
        api_call("UpdateSecretVersionStage", &format!("{ARN}prod/db-xyZ789")),
        api_call("RotateSecret", "prod/db"),
        api_call("DeleteSecret", &format!("{ARN}prod/db")), // a partial ARN
        rotation_succeeded(&format!("{ARN}prod/db-Q1w2E3")),
        // A name that itself ends like a suffix (`-keyset`), by partial ARN.
        rotation_succeeded(&format!("{ARN}prod/api-keyset")),
    ];
    for (round, event) in events.iter().enumerate() {
        let value = format!("v{round}");
        memory.put_secret("prod/db", &value);
        memory.put_secret("prod/api-keyset", &value);
        assert_eq!(
            config.apply_event(event).unwrap(),
            Applied::Refreshing,
            "{event}"
        );
        tokio::time::sleep(Duration::from_secs(2)).await;
        let now = config.get();
        let read = match round {
            6 => now.api.expose_secret(),
            _ => now.db.expose_secret(),
        };
        assert_eq!(read, &value, "{event}");
    }
    let change = ssm_config::live::ParameterChange::from_value(&events[1]).unwrap();
    assert_eq!(change.name, "/aws/reference/secretsmanager/prod/db");
    assert_eq!(change.operation, "UpdateSecret");
    assert_eq!(
        change.aliases,
        ["/aws/reference/secretsmanager/prod/db-AbC123"]
    );

    source.reset();
    let mut failed = api_call("PutSecretValue", "prod/db");
    failed["detail"]["errorCode"] = json!("AccessDenied");
    for ignored in [
        api_call("PutSecretValue", "prod/other"),
        api_call("GetSecretValue", "prod/db"),
        api_call("TagResource", "prod/db"),
        failed,
        rotation_succeeded(&format!("{ARN}prod/other-AbC123")),
        json!({"detail-type": "AWS Service Event via CloudTrail", "source": "aws.secretsmanager",
            "detail": {"eventName": "RotationFailed", "additionalEventData": {"SecretId": "prod/db"}}}),
    ] {
        assert_eq!(
            config.apply_event(&ignored).unwrap(),
            Applied::Ignored,
            "{ignored}"
        );
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(source.calls().is_empty(), "ignored events cost nothing");

    let mut nameless = api_call("PutSecretValue", "");
    nameless["detail"]["requestParameters"] = json!({});
    let err = config.apply_event(&nameless).unwrap_err().to_string();
    assert!(err.contains("names no secret"), "{err}");
}

/// A flood of events for names under a walk costs one full load, not a
/// call per ten names: reading them would cost more than the load.
#[tokio::test(start_paused = true)]
async fn a_flood_of_changes_costs_one_full_load() {
    let (memory, source) = seeded();
    let config = loaded(&source).await;
    for i in 0..2_000 {
        let name = format!("/events/routes/r{i}");
        memory.put(&name, "new");
        config.apply_event(event(&name, "Create")).unwrap();
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(config.get().routes.len(), 2_001);
    assert_eq!(
        (source.get_parameters_calls(), source.by_path_calls()),
        (1, 201),
        "one load: `host`, and the walk's 201 pages of ten"
    );
}
