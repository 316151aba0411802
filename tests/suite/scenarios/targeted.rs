//! Targeted refresh, rule by rule: a change event that names what the
//! config reads is applied by reading that one name (one `GetParameters`
//! call) and rebuilding from the current snapshot; what the rules cannot
//! decide reloads the whole group. Each scenario has a prefix of its own.

use ssm_config::SsmConfig;
use ssm_config::live::RefreshPolicy;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::json;
use ssm_config::Live;
use ssm_config::live::Applied;

use super::configs::{Targeted, TwoSelectors};
use crate::support::backend::Backend;
use crate::support::counting::{Call, Counting};

fn at(case: &str, name: &str) -> String {
    format!("/targeted/{case}/{name}")
}

/// Seeds one of everything `Targeted` reads; `port` is left to its default.
async fn seed(b: &impl Backend, case: &str) {
    b.put(&at(case, "host"), "db-1").await;
    b.put(&at(case, "replica"), "replica-1").await;
    b.put(&at(case, "cert"), "cert-v1").await;
    b.put(&at(case, "cert"), "cert-v2").await;
    b.put(&at(case, "key"), "key-v1").await;
    b.put(&at(case, "key"), "key-v2").await;
    b.label(&at(case, "key"), 1, "live").await;
    b.put(&at(case, "routes/a"), "route-a").await;
    b.put(&at(case, "routes/b"), "route-b").await;
    b.put(&at(case, "routes/deep/x"), "too deep").await;
    b.put(&at(case, "flags/one"), "on").await;
    b.put(&at(case, "flags/sub/two"), "off").await;
    b.put_list(&at(case, "flags/list"), &["not", "a", "string"])
        .await;
    b.put_secret(&format!("targeted-{case}/db"), "pw-1").await;
}

async fn loaded(b: &impl Backend, case: &str) -> (Live<Targeted>, Counting) {
    let source = b.source();
    let config = Targeted::loader()
        .source(source.clone())
        .var("CASE", case)
        .refresh(
            RefreshPolicy::new()
                .event_spread(Duration::ZERO)
                .event_refresh_interval(Duration::from_millis(10)),
        )
        .load()
        .await
        .unwrap();
    source.reset();
    (config, source)
}

/// A "Parameter Store Change" as EventBridge delivers it.
fn change(name: &str, operation: &str) -> serde_json::Value {
    json!({
        "detail-type": "Parameter Store Change",
        "source": "aws.ssm",
        "detail": {"name": name, "operation": operation, "type": "String"}
    })
}

/// Waits (at most 10 s) until `done` holds of the live config.
async fn until<T: ssm_config::SsmConfig>(
    config: &Live<T>,
    what: &str,
    done: impl Fn(&Live<T>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(config) {
        assert!(Instant::now() < deadline, "not within 10 s: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Applies `event`, which must concern the config, and waits until the
/// refresh it scheduled has ended (well or not).
async fn apply<T: ssm_config::SsmConfig>(config: &Live<T>, event: serde_json::Value) {
    let attempts = |config: &Live<T>| {
        let status = config.status();
        (status.last_success, status.consecutive_failures)
    };
    let before = attempts(config);
    assert_eq!(config.apply_event(&event).unwrap(), Applied::Refreshing);
    until(config, "the event's refresh ends", |c| {
        attempts(c) != before
    })
    .await;
}

fn calls(source: &Counting) -> (usize, usize) {
    (source.get_parameters_calls(), source.by_path_calls())
}

/// An update of a bound, unpinned name: that one name is read, the rest
/// comes from the snapshot, and the provenance follows.
pub async fn targeted_update_reads_only_that_name(b: &impl Backend) {
    seed(b, "update").await;
    let (config, source) = loaded(b, "update").await;
    let before = config.get();
    let loaded_at = (config.loaded_at(), config.get().metadata().loaded_at());
    let version = b.put(&at("update", "host"), "db-2").await;
    apply(&config, change(&at("update", "host"), "Update")).await;
    let after = config.get();
    assert_eq!(after.host, "db-2");
    assert_eq!(calls(&source), (1, 0), "one GetParameters call, no walk");
    assert_eq!(
        Targeted {
            host: "db-1".into(),
            ..clone_of(&after)
        },
        clone_of(&before),
        "everything else as it was"
    );
    let snapshot = config.get();
    let metadata = snapshot.metadata();
    let host = metadata
        .parameter(&at("update", "host"))
        .expect("the provenance of host");
    assert_eq!(host.version, version, "provenance updated");
    assert_eq!(
        (config.loaded_at(), metadata.loaded_at()),
        loaded_at,
        "the other values are as old as the load"
    );
    assert_eq!(before.host, "db-1", "an old snapshot never changes");

    // The same value written again wakes no subscriber.
    let mut changes = config.subscribe();
    changes.mark_unchanged();
    b.put(&at("update", "host"), "db-2").await;
    apply(&config, change(&at("update", "host"), "Update")).await;
    assert!(!changes.has_changed().unwrap(), "no value changed");
    assert_eq!(calls(&source), (2, 0));
}

/// Create, update and delete under a `by_path` walk: the one name is read
/// and added, replaced or removed; a name below a walk that does not
/// descend, or one the walk's type filter leaves out, stays out.
pub async fn targeted_walk_changes_add_replace_and_remove(b: &impl Backend) {
    seed(b, "walk").await;
    let (config, source) = loaded(b, "walk").await;
    let routes = |config: &Live<Targeted>| config.get().routes.clone();

    b.put(&at("walk", "routes/c"), "route-c").await;
    apply(&config, change(&at("walk", "routes/c"), "Create")).await;
    b.put(&at("walk", "routes/a"), "route-a2").await;
    apply(&config, change(&at("walk", "routes/a"), "Update")).await;
    b.delete(&at("walk", "routes/b")).await;
    apply(&config, change(&at("walk", "routes/b"), "Delete")).await;
    assert_eq!(
        routes(&config),
        BTreeMap::from([
            ("a".to_owned(), "route-a2".to_owned()),
            ("c".to_owned(), "route-c".to_owned()),
        ])
    );
    assert_eq!(calls(&source), (3, 0), "one GetParameters call a change");

    // Below a walk that does not descend: not read by the config at all.
    b.put(&at("walk", "routes/deep/y"), "deeper").await;
    assert_eq!(
        config
            .apply_event(change(&at("walk", "routes/deep/y"), "Create"))
            .unwrap(),
        Applied::Ignored
    );

    // A recursive walk with a type filter: a String is added, a StringList
    // is not, and a String that becomes a StringList goes.
    b.put(&at("walk", "flags/sub/three"), "maybe").await;
    apply(&config, change(&at("walk", "flags/sub/three"), "Create")).await;
    b.put_list(&at("walk", "flags/other-list"), &["x", "y"])
        .await;
    apply(&config, change(&at("walk", "flags/other-list"), "Create")).await;
    assert_eq!(
        config.get().flags,
        BTreeMap::from([
            ("one".to_owned(), "on".to_owned()),
            ("sub/three".to_owned(), "maybe".to_owned()),
            ("sub/two".to_owned(), "off".to_owned()),
        ])
    );
    assert_eq!(calls(&source), (5, 0));

    // After all that, a full load reads exactly what the snapshot holds.
    let full = Targeted::loader()
        .source(b.source())
        .var("CASE", "walk")
        .load()
        .await
        .unwrap();
    assert_eq!(clone_of(&config.get()), clone_of(&full.get()));
}

/// A delete of a bound name: the field goes missing, with its default,
/// `None`, or (required) a failed refresh that keeps the last snapshot.
pub async fn targeted_delete_follows_default_option_and_required(b: &impl Backend) {
    seed(b, "delete").await;
    b.put(&at("delete", "port"), "9090").await;
    let (config, source) = loaded(b, "delete").await;
    assert_eq!(config.get().port, 9090);

    b.delete(&at("delete", "port")).await;
    apply(&config, change(&at("delete", "port"), "Delete")).await;
    assert_eq!(config.get().port, 8080, "the default");

    b.delete(&at("delete", "replica")).await;
    apply(&config, change(&at("delete", "replica"), "Delete")).await;
    assert_eq!(config.get().replica, None);
    assert_eq!(calls(&source), (2, 0));

    b.delete(&at("delete", "host")).await;
    apply(&config, change(&at("delete", "host"), "Delete")).await;
    let status = config.status();
    let error = status.last_error.expect("a required field gone fails");
    let text = error.error.to_string();
    assert!(
        text.contains("host") && text.contains(&at("delete", "host")),
        "names the field and the parameter: {text}"
    );
    assert_eq!(config.get().host, "db-1", "the last good snapshot stays");

    // Put back, its event reads it (a change that failed is not read again
    // and again); a full load the failure escalated to stands as failed
    // until one succeeds.
    b.put(&at("delete", "host"), "db-back").await;
    apply(&config, change(&at("delete", "host"), "Create")).await;
    until(&config, "the read after the put", |c| {
        c.get().host == "db-back"
    })
    .await;
    config.refresh().await.unwrap();
    assert_eq!(config.status().consecutive_failures, 0);
}

/// Fields pinned to a version never move; a label event reads the fields
/// pinned to a label again.
pub async fn targeted_pins_stay_and_labels_move(b: &impl Backend) {
    seed(b, "pins").await;
    let (config, source) = loaded(b, "pins").await;
    assert_eq!(config.get().first_cert, "cert-v1");
    assert_eq!(config.get().live_key, "key-v1");

    b.put(&at("pins", "cert"), "cert-v3").await;
    assert_eq!(
        config
            .apply_event(change(&at("pins", "cert"), "Update"))
            .unwrap(),
        Applied::Ignored,
        "a pinned version does not move"
    );

    b.label(&at("pins", "key"), 2, "live").await;
    apply(&config, change(&at("pins", "key"), "LabelParameterVersion")).await;
    assert_eq!(config.get().live_key, "key-v2");
    assert_eq!(config.get().first_cert, "cert-v1");
    assert_eq!(calls(&source), (1, 0));
}

/// A Secrets Manager rotation reads that secret's reference.
pub async fn targeted_secret_rotation_reads_the_secret(b: &impl Backend) {
    seed(b, "rotation").await;
    let (config, source) = loaded(b, "rotation").await;
    b.put_secret_value("targeted-rotation/db", "pw-2").await;
    let rotated = json!({
        "detail-type": "AWS Service Event via CloudTrail",
        "source": "aws.secretsmanager",
        "detail": {
            "eventName": "RotationSucceeded",
            "additionalEventData": {"SecretId": "targeted-rotation/db"}
        }
    });
    apply(&config, rotated).await;
    assert_eq!(config.get().db_password.expose_secret(), "pw-2");
    assert_eq!(calls(&source), (1, 0));
}

/// What the rules cannot decide reloads the whole group: an operation they
/// do not know, and a name read under two selectors.
pub async fn targeted_refresh_falls_back_to_a_full_load(b: &impl Backend) {
    seed(b, "fallback").await;
    let (config, source) = loaded(b, "fallback").await;
    b.put(&at("fallback", "host"), "db-2").await;
    apply(
        &config,
        change(&at("fallback", "host"), "SomeFutureOperation"),
    )
    .await;
    assert_eq!(config.get().host, "db-2");
    let (_, walks) = calls(&source);
    assert_eq!(walks, 2, "a full load walks both paths");

    let source = b.source();
    let two = TwoSelectors::loader()
        .source(source.clone())
        .var("CASE", "fallback")
        .refresh(RefreshPolicy::new().event_spread(Duration::ZERO))
        .load()
        .await
        .unwrap();
    source.reset();
    b.put(&at("fallback", "host"), "db-3").await;
    apply(&two, change(&at("fallback", "host"), "Update")).await;
    assert_eq!(
        (two.get().host.as_str(), two.get().first_host.as_str()),
        ("db-3", "db-1")
    );
    // The whole group: a name under two selectors takes two calls.
    let asked: Vec<_> = source
        .calls()
        .into_iter()
        .map(|call| match call {
            Call::GetParameters { names, .. } => names,
            other => panic!("a GetParameters call, not {other:?}"),
        })
        .collect();
    assert_eq!(asked.len(), 2, "{asked:?}");
}

/// The fields of a snapshot, as an owned value to compare.
fn clone_of(config: &Targeted) -> Targeted {
    Targeted {
        host: config.host.clone(),
        port: config.port,
        replica: config.replica.clone(),
        first_cert: config.first_cert.clone(),
        live_key: config.live_key.clone(),
        routes: config.routes.clone(),
        flags: config.flags.clone(),
        db_password: config.db_password.clone(),
    }
}
