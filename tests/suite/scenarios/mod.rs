//! End-to-end scenarios, each run against moto and against `MemorySource`.

pub(crate) mod configs;
mod targeted;

pub use targeted::*;

use ssm_config::SsmConfig;
use ssm_config::live::RefreshPolicy;
use std::net::IpAddr;
use std::time::Duration;

use ssm_config::error::Problem;

use crate::support::backend::Backend;
use crate::support::counting::Call;
use configs::*;

const CANARY: &str = "canary-secret-9f3b";

async fn seed_orders(b: &impl Backend) {
    b.put("/prod/orders/db_host", "db.internal").await;
    b.put_secure("/prod/orders/db/password", CANARY).await;
    b.put_list("/shared/allowed-ips", &["10.0.0.1", "10.0.0.2"])
        .await;
    b.put_secret("prod/stripe", r#"{"api_key":"sk_live_1","other":7}"#)
        .await;
    b.put_secret("prod/webhook", "whsec_plain").await;
    b.put("/prod/orders/limits", r#"{"max_items":50,"burst":[1,2]}"#)
        .await;
    for version in ["cert-v1", "cert-v2", "cert-v3"] {
        b.put("/prod/orders/tls/cert", version).await;
    }
    b.label("/prod/orders/tls/cert", 2, "blue").await;
    b.label("/prod/orders/tls/cert", 3, "green").await;
    b.put("/prod/orders/workers/emails", "4").await;
    b.put("/prod/orders/workers/pdf", "2").await;
    b.put("/prod/orders/workers/deep/nested", "9").await;
    b.put("/prod/orders/cache/ttl-secs", "60").await;
    b.put("/prod/orders/cache/cache-host", "redis.internal")
        .await;
    b.put("/prod/orders/log_format", "json").await;
    b.put_secure("/prod/orders/db/replica-password", "replica-pw")
        .await;
    b.put_secure(
        "/prod/orders/db/creds",
        r#"{"user":"app","password":"pw-json"}"#,
    )
    .await;
}

/// A struct using every attribute loads exactly what was seeded.
pub async fn every_attribute_and_type(b: &impl Backend) {
    seed_orders(b).await;
    let source = b.source();
    let config = Orders::loader()
        .source(source.clone())
        .var("APP_ENV", "prod")
        .load()
        .await
        .unwrap();
    let c = config.get();
    assert_eq!(
        config.max_age(),
        Some(std::time::Duration::from_secs(300)),
        "#[ssm(max_age = 300)]"
    );
    assert_eq!(c.db_host, "db.internal");
    assert_eq!(c.db_port, 5432, "default when missing");
    assert_eq!(c.db_password.expose_secret(), CANARY);
    assert_eq!(
        c.allowed_ips,
        [
            "10.0.0.1".parse::<IpAddr>().unwrap(),
            "10.0.0.2".parse().unwrap()
        ]
    );
    assert_eq!(c.stripe_key.expose_secret(), "sk_live_1");
    assert_eq!(c.stripe_other.expose_secret(), &7);
    assert_eq!(c.webhook_token.expose_secret(), "whsec_plain");
    assert_eq!(
        c.limits,
        Limits {
            max_items: 50,
            burst: vec![1, 2]
        }
    );
    assert_eq!(c.timeout_ms, None);
    assert_eq!(c.tls_cert_v1, "cert-v1");
    assert_eq!(c.tls_cert_v3, "cert-v3");
    assert_eq!(c.tls_cert_blue, "cert-v2");
    assert_eq!(c.tls_cert_green, "cert-v3");
    assert_eq!(c.tls_cert_latest, "cert-v3");
    assert_eq!(c.workers.len(), 2, "not recursive: {:?}", c.workers);
    assert_eq!(c.workers["emails"], 4);
    assert_eq!(c.workers["pdf"], 2);
    assert_eq!(c.cache.ttl_secs, 60);
    assert_eq!(c.cache.conn.cache_host, "redis.internal");
    assert_eq!(c.cache.conn.cache_port, 6379);
    assert!(c.runtime_only.is_empty());
    assert_eq!(c.log_level, "info");
    assert_eq!(c.log_format, LogFormat::Json);
    assert!(c.flags.is_empty());
    assert_eq!(c.replica_password, "replica-pw");
    assert_eq!(c.creds.expose_secret().password, "pw-json");
    let shown = format!("{c:?} {config:?}");
    assert!(
        !shown.contains(CANARY) && !shown.contains("sk_live_1") && !shown.contains("pw-json"),
        "{shown}"
    );

    // 21 distinct names and one by-path walk. Five of them are `tls/cert`
    // under different selectors; results cannot be told apart by name, so
    // each goes in its own call: 5 calls, not 3.
    let mut asked: Vec<String> = source
        .calls()
        .into_iter()
        .flat_map(|c| match c {
            crate::support::counting::Call::GetParameters { names, .. } => names,
            _ => vec![],
        })
        .collect();
    assert_eq!(source.get_parameters_calls(), 5, "{:#?}", source.calls());
    asked.sort();
    let before = asked.len();
    asked.dedup();
    assert_eq!(
        (before, asked.len()),
        (21, 21),
        "each name asked for once: {asked:#?}"
    );
    assert_eq!(source.by_path_calls(), 1);
}

/// `fetch` is one-shot; `{VAR}` comes from the loader or the environment.
pub async fn fetch_once_from_a_source(b: &impl Backend) {
    b.put("/plain/name", "n").await;
    b.put_list("/plain/ports", &["80", "443"]).await;
    let config = Plain::fetch(b.source()).await.unwrap();
    assert_eq!(config.name, "n");
    assert_eq!(config.ports, [80, 443]);
    assert_eq!(
        config.words,
        ["a", "b"],
        "string default goes through the list conversion"
    );
}

/// More than 10 names: ceil(n / 10) calls, all issued, every value right.
pub async fn ninety_five_names_in_ten_calls(b: &impl Backend) {
    let leaves = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for n in 0..9 {
        for leaf in leaves {
            b.put(&format!("/many/n{n}/{leaf}"), &format!("{n}{leaf}"))
                .await;
        }
    }
    for extra in ["x1", "x2", "x3", "x4", "x5"] {
        b.put(&format!("/many/{extra}"), extra).await;
    }
    let source = b.source();
    let config = Many::loader().source(source.clone()).load().await.unwrap();
    let c = config.get();
    assert_eq!(c.n0.a, "0a");
    assert_eq!(c.n8.j, "8j");
    assert_eq!(c.x5, "x5");
    assert_eq!(Many::loader().plan().len(), 95);
    assert_eq!(source.get_parameters_calls(), 10, "ceil(95/10)");
    for call in source.calls() {
        if let crate::support::counting::Call::GetParameters { names, .. } = call {
            assert!(names.len() <= 10);
        }
    }
}

/// Paging: more than 10 results by path, recursive and not.
pub async fn by_path_pages_to_the_end(b: &impl Backend) {
    for i in 0..25 {
        b.put(&format!("/fleet/hosts/h{i:02}"), &format!("10.0.0.{i}"))
            .await;
    }
    b.put("/fleet/hosts/eu/h99", "10.9.9.9").await;
    b.put("/fleet/hostsx", "not under the path").await;
    let source = b.source();
    let c = Fleet::fetch(source.clone()).await.unwrap();
    assert_eq!(c.direct.len(), 25);
    assert_eq!(c.direct["h07"], "10.0.0.7".parse::<IpAddr>().unwrap());
    assert_eq!(c.all.len(), 26);
    assert_eq!(c.all["eu/h99"], "10.9.9.9");
    assert!(
        source.by_path_calls() >= 6,
        "two walks of 3 pages each: {:?}",
        source.calls()
    );
}

/// The `type`, `key_id` and `label` filters of a by-path field.
pub async fn by_path_filters(b: &impl Backend) {
    b.put("/filtered/plain", "p").await;
    b.put_list("/filtered/list", &["x", "y"]).await;
    b.put_secure("/filtered/secure-default", "s1").await;
    b.put_secure_with_key("/filtered/secure-custom", "s2", "alias/custom")
        .await;
    b.put("/filtered/labelled", "old").await;
    let v = b.put("/filtered/labelled", "new").await;
    // moto matches the label on the latest version only; AWS on any version.
    b.label("/filtered/labelled", v, "live").await;
    let c = Filtered::fetch(b.source()).await.unwrap();
    assert_eq!(c.secure.len(), 2);
    assert_eq!(c.secure["secure-default"].expose_secret(), "s1");
    assert_eq!(c.lists.len(), 1);
    assert_eq!(c.lists["list"], ["x", "y"]);
    assert_eq!(c.custom_key.keys().collect::<Vec<_>>(), ["secure-custom"]);
    assert_eq!(c.live.keys().collect::<Vec<_>>(), ["labelled"]);
    assert_eq!(c.live["labelled"], "new");
}

/// Three missing parameters and one bad value: one error naming all four.
pub async fn every_problem_reported_at_once(b: &impl Backend) {
    b.put("/broken/port", "eighty").await;
    b.put_secure("/broken/pin", CANARY).await;
    let err = Broken::fetch(b.source()).await.unwrap_err();
    let text = err.to_string();
    assert_eq!(err.problems().len(), 5, "{text}");
    for name in [
        "/broken/host",
        "/broken/user",
        "/aws/reference/secretsmanager/missing-secret",
    ] {
        assert!(
            text.contains(&format!("parameter `{name}` is missing")),
            "{text}"
        );
    }
    assert!(
        text.contains("field `port`: the value from /broken/port version 1 is not a valid `u16`"),
        "{text}"
    );
    assert!(text.contains("(value \"eighty\")"), "{text}");
    assert!(
        text.contains(
            "field `pin`: the value from /broken/pin version 1 is not a valid `Secret<u32>`"
        ),
        "{text}"
    );
    assert!(
        !text.contains(CANARY) && !format!("{err:?}").contains(CANARY),
        "{text}"
    );
}

/// A SecureString in a plain field says how to fix it; no value leaks.
pub async fn secure_string_needs_a_secret_field(b: &impl Backend) {
    b.put_secure("/leaky/token", CANARY).await;
    let err = Leaky::fetch(b.source()).await.unwrap_err();
    assert!(
        matches!(err.problems(), [Problem::SecureStringNotSecret { field, name, origin }] if field == "token" && name == "/leaky/token" && origin.to_string().starts_with("/leaky/token version "))
    );
    assert!(err.to_string().contains("declare the field as `Secret<_>`"));
    assert!(!format!("{err} {err:?}").contains(CANARY));
}

/// `decrypt = false` reads SecureStrings without decryption, in calls of
/// their own when mixed with decrypting names.
pub async fn secure_string_without_decryption(b: &impl Backend) {
    b.put_secure("/nodecrypt/token", CANARY).await;
    b.put("/nodecrypt/inner/plain", "p").await;
    let source = b.source();
    let c = Encrypted::fetch(source.clone()).await.unwrap();
    assert_ne!(c.token.expose_secret(), CANARY, "must not be the plaintext");
    assert_eq!(c.inner.plain, "p");
    let decrypt_flags: Vec<bool> = source
        .calls()
        .into_iter()
        .filter_map(|c| match c {
            crate::support::counting::Call::GetParameters { decrypt, .. } => Some(decrypt),
            _ => None,
        })
        .collect();
    assert_eq!(decrypt_flags.len(), 2);
    assert!(decrypt_flags.contains(&true) && decrypt_flags.contains(&false));
}

/// A missing secret fails the whole AWS call: the other names still load,
/// and the missing secret is named.
pub async fn missing_secret_among_others(b: &impl Backend) {
    b.put("/withsecret/host", "h").await;
    let err = WithSecret::fetch(b.source()).await.unwrap_err();
    assert!(
        matches!(err.problems(), [Problem::Missing { field, name, .. }] if field == "token" && name == "/aws/reference/secretsmanager/absent"),
        "{err}"
    );
    b.put_secret("absent", "now-here").await;
    let c = WithSecret::fetch(b.source()).await.unwrap();
    assert_eq!(c.host, "h");
    assert_eq!(c.token.expose_secret(), "now-here");
}

/// A key missing from a JSON secret, and a secret that is not JSON.
pub async fn secret_keys_are_checked(b: &impl Backend) {
    b.put_secret("keyed/json", r#"{"user":"u"}"#).await;
    b.put_secret("keyed/text", CANARY).await;
    let err = Keyed::fetch(b.source()).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("field `from_json`: secret keyed/json has no key `password`"),
        "{text}"
    );
    assert!(
        text.contains("is not a JSON object, so it has no key `password`"),
        "{text}"
    );
    assert!(!text.contains(CANARY));
}

/// An unset `{VAR}` is named; nothing else is reported twice.
pub async fn unset_variable_is_named(b: &impl Backend) {
    let err = Orders::loader()
        .source(b.source())
        .var("UNRELATED", "x")
        .prefix("/{ORDERS_ENV_NOT_SET}/orders")
        .fetch()
        .await
        .unwrap_err();
    let unset: Vec<_> = err
        .problems()
        .iter()
        .filter(|p| matches!(p, Problem::UnsetVariable { .. }))
        .collect();
    assert_eq!(unset.len(), 1, "{err}");
    assert!(
        err.to_string()
            .contains("environment variable `ORDERS_ENV_NOT_SET` is not set"),
        "{err}"
    );
}

/// A refresh picks up a new value; a pinned version stays.
pub async fn refresh_follows_latest_but_not_pins(b: &impl Backend) {
    b.put("/pins/value", "one").await;
    let config = Pins::loader().source(b.source()).load().await.unwrap();
    let before = config.get();
    assert_eq!(
        (before.latest.as_str(), before.first.as_str()),
        ("one", "one")
    );
    b.put("/pins/value", "two").await;
    let after = config.refresh().await.unwrap();
    assert_eq!(
        (after.latest.as_str(), after.first.as_str()),
        ("two", "one")
    );
    assert_eq!(before.latest, "one", "an old snapshot never changes");
    assert_eq!(config.get().latest, "two");
}

/// `crate = "..."` through a re-export, and the rename rules.
pub async fn renamed_crate_path_and_rename_rules(b: &impl Backend) {
    b.put("/renamed/maxConnections", "64").await;
    b.put("/renamed/upper/API_URL", "https://api").await;
    let c = ThroughReexport::fetch(b.source()).await.unwrap();
    assert_eq!(c.max_connections, 64);
    assert_eq!(c.upper.api_url, "https://api");
}

/// A name SSM would refuse, made by a variable, is reported before any call.
pub async fn invalid_names_from_variables_are_reported(b: &impl Backend) {
    let source = b.source();
    let err = FilledByVariable::loader()
        .source(source.clone())
        .var("SEGMENT", "bad name")
        .load()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "environment variable `SEGMENT` cannot fill `{SEGMENT}` in `/sel/{SEGMENT}`: it holds ` `"
        ),
        "{text}"
    );
    assert!(
        !text.contains("bad name"),
        "the value is not quoted: {text}"
    );
    assert_eq!(source.calls().len(), 0, "nothing is asked for");
}

/// Each `{VAR}` fills exactly one segment, wherever it stands, and is
/// filled once: a value holding `/`, braces or nothing is an error naming
/// the variable, and `{OTHER}` in a value is never expanded.
pub async fn variables_fill_exactly_one_segment(b: &impl Backend) {
    b.put("/vars/prod/orders/port", "8080").await;
    b.put("/vars/prod/eu-west-1/endpoint", "https://eu").await;
    b.put_secret("prod/db+admin=x@y", "hunter2").await;
    let load = |source, stage: &str, service: &str, region: &str| {
        VariablesEverywhere::loader()
            .source(source)
            .var("STAGE", stage)
            .var("SERVICE", service)
            .var("REGION", region)
            .var("OTHER", "prod")
            .load()
    };
    let config = load(b.source(), "prod", "orders", "eu-west-1")
        .await
        .unwrap();
    assert_eq!(config.get().port, 8080);
    assert_eq!(config.get().region.endpoint, "https://eu");
    assert_eq!(config.get().password.expose_secret(), "hunter2");

    for (stage, service, region, variable, why) in [
        (
            "prod/orders",
            "orders",
            "eu-west-1",
            "STAGE",
            "it holds `/`",
        ),
        (
            "{OTHER}",
            "orders",
            "eu-west-1",
            "STAGE",
            "it holds `{` or `}`",
        ),
        ("prod", "", "eu-west-1", "SERVICE", "it is empty"),
        ("prod", "orders", "eu/west", "REGION", "it holds `/`"),
        ("prod", "orders", "eu west", "REGION", "it holds ` `"),
    ] {
        let source = b.source();
        let err = load(source.clone(), stage, service, region)
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&format!(
                "environment variable `{variable}` cannot fill `{{{variable}}}`"
            )),
            "{variable}: {text}"
        );
        assert!(text.contains(why), "{variable}: {text}");
        if variable == "STAGE" {
            // Every name depends on it: nothing is asked for. Otherwise the
            // other names are fetched, so that every problem is reported.
            assert_eq!(source.calls().len(), 0, "{text}");
        }
    }
}

/// A parameter deleted under a running config: the refresh fails, naming
/// it, and readers keep the whole old snapshot; a refresh that finds the
/// same values does not notify subscribers.
pub async fn refresh_after_deletion_keeps_the_old_snapshot(b: &impl Backend) {
    b.put("/pins/value", "one").await;
    let config = Pins::loader().source(b.source()).load().await.unwrap();
    let changes = config.subscribe();
    config.refresh().await.unwrap();
    assert!(!changes.has_changed().unwrap(), "nothing changed");
    b.delete("/pins/value").await;
    let err = config.refresh().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("parameter `/pins/value` is missing"),
        "{err}"
    );
    let kept = config.get();
    assert_eq!((kept.latest.as_str(), kept.first.as_str()), ("one", "one"));
    assert!(!changes.has_changed().unwrap());
    b.put("/pins/value", "two").await;
    let back = config.refresh().await.unwrap();
    assert_eq!(back.latest, "two");
    assert!(changes.has_changed().unwrap());
}

/// Untyped access: names known only at run time, batched and cached, with
/// the same conversion and secret rules; `update` keeps type and KMS key.
pub async fn untyped_access(b: &impl Backend) {
    use ssm_config::{
        source::ParameterType,
        untyped::{Depth, Parameters},
    };
    for i in 0..12 {
        b.put(&format!("/untyped/n{i:02}"), &i.to_string()).await;
    }
    b.put("/untyped/sub/deep", "d").await;
    b.put_list("/untyped/list", &["1", "2"]).await;
    b.put("/untyped/json", r#"{"a":1}"#).await;
    b.put_secure_with_key("/untyped/secure", CANARY, "alias/custom")
        .await;
    b.put_secret("untyped/secret", r#"{"k":"v"}"#).await;
    let source = b.source();
    let parameters = Parameters::writable(source.clone());

    let names: Vec<String> = (0..12).map(|i| format!("/untyped/n{i:02}")).collect();
    let many = parameters.get_many(&names).await.unwrap();
    assert_eq!(many["/untyped/n11"].parse::<u8>().unwrap(), 11);
    assert_eq!(source.get_parameters_calls(), 2, "12 names, 2 calls");
    parameters.get_many(&names).await.unwrap();
    assert_eq!(source.get_parameters_calls(), 2, "served from the cache");

    assert_eq!(
        parameters
            .get("/untyped/list")
            .await
            .unwrap()
            .list::<u8>()
            .unwrap(),
        [1, 2]
    );
    let json: serde_json::Value = parameters
        .get("/untyped/json")
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(json["a"], 1);
    let secure = parameters.get("/untyped/secure").await.unwrap();
    assert_eq!(secure.kind(), ParameterType::SecureString);
    let refused = secure.parse::<String>().unwrap_err();
    assert!(
        refused.to_string().contains("is a SecureString"),
        "{refused}"
    );
    assert_eq!(secure.secret::<String>().unwrap().expose_secret(), CANARY);
    assert!(!format!("{secure:?} {refused} {refused:?}").contains(CANARY));
    let secret = parameters
        .get("/aws/reference/secretsmanager/untyped/secret")
        .await
        .unwrap();
    let secret: ssm_config::Secret<serde_json::Value> = secret.secret_json().unwrap();
    assert_eq!(secret.expose_secret()["k"], "v");

    let err = parameters
        .get_many(&["/untyped/absent", "/untyped/n00", "/untyped/bad name"])
        .await
        .unwrap_err();
    assert_eq!(err.problems().len(), 2, "{err}");

    let all = parameters
        .get_by_path("/untyped", Depth::All)
        .await
        .unwrap();
    assert!(all.contains_key("sub/deep") && all.contains_key("n00"));
    let children = parameters
        .get_by_path("/untyped", Depth::Children)
        .await
        .unwrap();
    assert!(!children.contains_key("sub/deep") && children.contains_key("n00"));
    assert!(parameters.path_exists("/untyped/sub").await.unwrap());
    assert!(parameters.path_exists("/untyped/n00").await.unwrap());
    assert!(!parameters.path_exists("/nothing/here").await.unwrap());

    let version = parameters
        .update("/untyped/secure", "rotated")
        .await
        .unwrap();
    assert_eq!(version, 2);
    let updated = parameters.get("/untyped/secure").await.unwrap();
    assert_eq!(updated.kind(), ParameterType::SecureString, "type kept");
    assert_eq!(
        updated.secret::<String>().unwrap().expose_secret(),
        "rotated",
        "cache dropped"
    );
    assert_eq!(
        b.key_id("/untyped/secure").await.as_deref(),
        Some("alias/custom"),
        "KMS key kept"
    );
    let err = parameters.update("/untyped/absent", "x").await.unwrap_err();
    assert!(
        err.to_string().contains("`/untyped/absent` is missing"),
        "{err}"
    );
}

/// Watch mode: a change to a bound parameter alone waits for the watched
/// parameter; a change to the watched parameter reloads everything in one
/// group fetch. Real time: max age 1 s, waits of a few cycles.
pub async fn watch_mode_reloads_only_when_the_watched_parameter_moves(b: &impl Backend) {
    b.put("/watched/value", "v1").await;
    b.put("/watched/other", "o1").await;
    b.put("/watched/version", "1").await;
    let source = b.source();
    let group_fetches = || {
        source
            .calls()
            .iter()
            .filter(|c| matches!(c, Call::GetParameters { names, .. } if names.iter().any(|n| n == "/watched/value")))
            .count()
    };
    let config = Watched::loader()
        .source(source.clone())
        .refresh(
            RefreshPolicy::new()
                .watch("/watched/version")
                .max_age(Duration::from_secs(1)),
        )
        .load()
        .await
        .unwrap();
    assert_eq!(group_fetches(), 1);

    b.put("/watched/value", "v2").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let checked = source.calls().len();
    assert_eq!(
        config.fresh().await.unwrap().value,
        "v1",
        "waits for the watched parameter"
    );
    assert_eq!(config.get().value, "v1");
    assert_eq!(group_fetches(), 1, "checks only: {:?}", source.calls());
    assert!(
        checked >= 3,
        "the refresher checked every cycle: {checked} calls"
    );

    b.put("/watched/other", "o2").await;
    b.put("/watched/version", "2").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let snapshot = config.get();
    assert_eq!(
        (snapshot.value.as_str(), snapshot.other.as_str()),
        ("v2", "o2")
    );
    assert_eq!(group_fetches(), 2, "one group fetch for the move");

    // A forced refresh always loads everything.
    b.put("/watched/value", "v3").await;
    assert_eq!(config.refresh().await.unwrap().value, "v3");
    assert_eq!(group_fetches(), 3);
}

pub async fn durations_booleans_and_secrecy_types(b: &impl Backend) {
    use secrecy::ExposeSecret;
    b.put("/spelled/timeout", "1h30m").await;
    b.put("/spelled/retry", "250ms").await;
    b.put_list("/spelled/backoffs", &["1s", "5s", "30"]).await;
    b.put("/spelled/grace", "90").await;
    b.put("/spelled/enabled", "yes").await;
    b.put("/spelled/verbose", "OFF").await;
    b.put_list("/spelled/flags", &["1", "0", "On"]).await;
    b.put_secure("/spelled/api_key", CANARY).await;
    b.put_secure("/spelled/pin", "1234").await;
    b.put_secret("spelled/token", "tok-secret").await;
    let c = Spelled::fetch(b.source()).await.unwrap();
    assert_eq!(c.timeout, Duration::from_secs(5400));
    assert_eq!(c.retry, Some(Duration::from_millis(250)));
    assert_eq!(
        c.backoffs,
        [1, 5, 30].map(Duration::from_secs),
        "a StringList of durations"
    );
    assert_eq!(c.idle, Duration::from_secs(30), "the default, as text");
    assert_eq!(c.grace, Duration::from_secs(90), "a bare number is seconds");
    assert!(c.enabled && !c.verbose);
    assert_eq!(c.flags, [true, false, true]);
    assert_eq!(c.api_key.expose_secret(), CANARY);
    assert_eq!(*c.pin.expose_secret(), 1234);
    assert_eq!(c.token.expose_secret(), "tok-secret");
    assert!(!format!("{c:?}").contains(CANARY));

    // A value that is no duration names the forms that are.
    b.put("/spelled/timeout", "ninety minutes").await;
    b.put("/spelled/enabled", "sure").await;
    let err = Spelled::fetch(b.source()).await.unwrap_err().to_string();
    assert!(
        err.contains("field `timeout`") && err.contains("`250ms`, `30s`, `5m` or `1h30m`"),
        "{err}"
    );
    assert!(
        err.contains("field `enabled`") && err.contains("`yes`/`no`"),
        "{err}"
    );
    // A secrecy field is a secret field: a SecureString's value is never
    // quoted, even when it does not convert.
    b.put_secure("/spelled/pin", "not-a-pin-canary").await;
    let err = Spelled::fetch(b.source()).await.unwrap_err().to_string();
    assert!(!err.contains("not-a-pin-canary"), "{err}");
}
