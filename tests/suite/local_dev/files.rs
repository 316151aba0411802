//! Local development: environment overrides (`#[ssm(env)]`,
//! `Loader::env_prefix`), `FileSource`, `Layered`, one precedence, and
//! where each value came from.

use std::collections::BTreeMap;
use std::time::Duration;

use ssm_config::error::Problem;
use ssm_config::origin::Origin;
use ssm_config::source::{FileSource, Layered, ParameterSource, SourceErrorKind};
use ssm_config::{MemorySource, Secret, SsmConfig};

use crate::support::backend::{Backend, moto};
use crate::support::counting::{Call, Counting};
use crate::support::scratch::TempFile;

/// Every name a counting source was asked for with `GetParameters`.
fn asked_names(source: &Counting) -> Vec<String> {
    let calls = source.calls();
    let names = calls.iter().filter_map(|call| match call {
        Call::GetParameters { names, .. } => Some(names.clone()),
        _ => None,
    });
    names.flatten().collect()
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/dev/orders")]
struct Orders {
    db_host: String,
    #[ssm(path = "db/port")]
    db_port: u16,
    #[ssm(path = "db/password")]
    db_password: Secret<String>,
    allowed_ips: Vec<String>,
    #[ssm(json)]
    limits: Limits,
    #[ssm(secret = "dev/stripe", key = "api_key")]
    stripe_key: Secret<String>,
    #[ssm(default = 30)]
    timeout_secs: u32,
    #[ssm(env = "ORDERS_LOG")]
    log_level: String,
    #[ssm(nested = "cache")]
    cache: Cache,
    #[ssm(by_path = "workers")]
    workers: BTreeMap<String, u8>,
}

#[derive(SsmConfig, Debug)]
struct Cache {
    ttl_secs: u32,
}

#[derive(serde::Deserialize, Debug, PartialEq)]
struct Limits {
    max_items: u32,
}

const TOML: &str = r#"
[parameters]
"/dev/orders/db_host" = "localhost"
"/dev/orders/db/port" = 5432
"/dev/orders/db/password" = { value = "file-canary-51ab", type = "SecureString" }
"/dev/orders/allowed_ips" = ["127.0.0.1", "::1"]
"/dev/orders/limits" = '{"max_items": 5}'
"/dev/orders/log_level" = "info"
"/dev/orders/cache/ttl_secs" = 60
"/dev/orders/workers/emails" = 2

[secrets]
"dev/stripe" = { api_key = "sk_test_file" }
"#;

#[tokio::test]
async fn a_toml_file_loads_every_kind_of_field() {
    let file = TempFile::new("local.toml", TOML);
    let config = Orders::loader()
        .source(FileSource::new(&file.path))
        .load()
        .await
        .unwrap();
    let c = config.get();
    assert_eq!(c.db_host, "localhost");
    assert_eq!(c.db_port, 5432);
    assert_eq!(c.db_password.expose_secret(), "file-canary-51ab");
    assert_eq!(c.allowed_ips, ["127.0.0.1", "::1"]);
    assert_eq!(c.limits, Limits { max_items: 5 });
    assert_eq!(c.stripe_key.expose_secret(), "sk_test_file");
    assert_eq!(c.timeout_secs, 30);
    assert_eq!(c.cache.ttl_secs, 60);
    assert_eq!(c.workers, BTreeMap::from([("emails".to_owned(), 2)]));
    let shown = file.path.display().to_string();
    let snapshot = config.get();
    let metadata = snapshot.metadata();
    assert_eq!(
        metadata.origin("db_port").unwrap().to_string(),
        format!("/dev/orders/db/port in {shown}"),
        "a file has no versions to show"
    );
    assert_eq!(metadata.field("db_port").unwrap().version, 0);
    assert_eq!(
        metadata.origin("stripe_key").unwrap().to_string(),
        format!("secret dev/stripe, key api_key in {shown}")
    );
    assert_eq!(metadata.origin("timeout_secs"), Some(&Origin::Default));
    assert_eq!(
        metadata
            .parameter("/dev/orders/workers/emails")
            .unwrap()
            .location,
        Some(shown)
    );
}

#[tokio::test]
async fn a_json_file_has_the_same_shape() {
    let json = r#"{
        "parameters": {
            "/dev/orders/db_host": "json-host",
            "/dev/orders/db/port": 5433,
            "/dev/orders/db/password": {"value": "pw", "type": "SecureString"},
            "/dev/orders/allowed_ips": ["10.0.0.1"],
            "/dev/orders/limits": "{\"max_items\": 7}",
            "/dev/orders/log_level": "warn",
            "/dev/orders/cache/ttl_secs": 1
        },
        "secrets": {"dev/stripe": "{\"api_key\": \"sk_json\"}"}
    }"#;
    let file = TempFile::new("local.json", json);
    let c = Orders::fetch(FileSource::new(&file.path)).await.unwrap();
    assert_eq!((c.db_host.as_str(), c.db_port), ("json-host", 5433));
    assert_eq!(c.limits.max_items, 7);
    assert_eq!(c.stripe_key.expose_secret(), "sk_json");
    assert!(c.workers.is_empty());
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/dev/orders")]
struct Pinned {
    #[ssm(path = "tls/cert:blue")]
    blue: String,
    #[ssm(path = "tls/cert:3")]
    third: String,
    #[ssm(path = "tls/cert")]
    latest: String,
    #[ssm(path = "db/password")]
    #[allow(dead_code)] // fails to load while a SecureString
    leaky: String,
}

#[tokio::test]
async fn labels_types_and_secure_strings_follow_the_file() {
    let file = TempFile::new(
        "local.toml",
        r#"
        [parameters]
        "/dev/orders/tls/cert:blue" = "cert-blue"
        "/dev/orders/tls/cert:3" = "cert-3"
        "/dev/orders/tls/cert" = "cert-latest"
        "/dev/orders/db/password" = { value = "file-canary-51ab", type = "SecureString" }
        "#,
    );
    let err = Pinned::fetch(FileSource::new(&file.path))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err.problems(), [Problem::SecureStringNotSecret { field, .. }] if field == "leaky"),
        "{text}"
    );
    assert!(!text.contains("file-canary"), "{text}");
    assert!(text.contains("in "), "the file is named: {text}");

    file.write(
        r#"
        [parameters]
        "/dev/orders/tls/cert:blue" = "cert-blue"
        "/dev/orders/tls/cert:3" = "cert-3"
        "/dev/orders/tls/cert" = "cert-latest"
        "/dev/orders/db/password" = "plain"
        "#,
    );
    let config = Pinned::loader()
        .source(FileSource::new(&file.path))
        .load()
        .await
        .unwrap();
    let c = config.get();
    assert_eq!(
        [&c.blue, &c.third, &c.latest].map(String::as_str),
        ["cert-blue", "cert-3", "cert-latest"]
    );
    let third = config.get().metadata().origin("third").unwrap().to_string();
    assert!(third.starts_with("/dev/orders/tls/cert:3 in "), "{third}");
}

/// A file has no versions: a pinned version it lacks is said missing, with
/// no "latest is version 0".
#[tokio::test]
async fn a_pinned_version_a_file_lacks_is_said_without_a_version_of_the_file() {
    let file = TempFile::new(
        "local.toml",
        "[parameters]\n\"/dev/orders/tls/cert\" = \"cert-latest\"\n",
    );
    let report = Pinned::loader()
        .source(FileSource::new(&file.path))
        .diagnose()
        .await;
    let row = report.row("third").unwrap();
    assert_eq!(
        row.finding,
        ssm_config::doctor::Finding::PinnedAbsent,
        "{report}"
    );
    assert_eq!(row.detail, "version 3 does not exist", "{report}");
}

#[tokio::test]
async fn a_malformed_file_names_the_file_and_the_line_but_no_value() {
    for (text, says) in [
        (
            "[parameters]\n\"/dev/orders/db_host\" = \"file-canary-51ab\n",
            "line 2",
        ),
        (
            "[parameters]\n\"/dev/orders/db_host\" = { value = \"file-canary-51ab\", type = \"Number\" }\n",
            "parameter `/dev/orders/db_host`",
        ),
        (
            "[parameters]\n\"/dev/orders/tls/cert:0\" = \"file-canary-51ab\"\n",
            "versions start at 1",
        ),
        (
            "[parameters]\n\"/dev orders\" = \"file-canary-51ab\"\n",
            "is not allowed",
        ),
        ("[params]\n", "unknown table `params`"),
    ] {
        let file = TempFile::new("bad.toml", text);
        let err = Orders::fetch(FileSource::new(&file.path))
            .await
            .unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains(says), "{says}: {shown}");
        assert!(shown.contains("bad.toml"), "{shown}");
        assert!(!shown.contains("file-canary"), "{shown}");
    }
}

/// One bad line is one problem, about the file: where it is (path, line,
/// column), said once however many calls read the file, and not phrased
/// as a failed AWS call; the doctor says it once too.
#[tokio::test]
async fn a_malformed_file_is_one_problem_about_the_file() {
    let file = TempFile::new("bad.toml", "[parameters]\n\"/dev/orders/db_host\" = = 1\n");
    let source = FileSource::new(&file.path);
    let err = Orders::fetch(source.clone()).await.unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    let shown = err.to_string();
    assert!(
        shown.contains("bad.toml") && shown.contains("line 2 column"),
        "{shown}"
    );
    assert!(!shown.contains("GetParameters"), "{shown}");
    assert_eq!(
        err.kind(),
        ssm_config::error::ErrorKind::Source(SourceErrorKind::Malformed)
    );

    let report = Orders::loader().source(source.clone()).diagnose().await;
    let text = report.to_string();
    assert_eq!(text.matches("line 2 column").count(), 1, "{text}");
    assert_eq!(report.error_count(), 1, "{text}");
    let row = report.row("db_host").unwrap();
    assert_eq!(row.finding, ssm_config::doctor::Finding::Unreadable);
    assert_eq!(row.cause, Some(0), "{text}");
}

#[tokio::test]
async fn editing_the_file_reaches_subscribers_on_refresh() {
    let file = TempFile::new("local.toml", TOML);
    let config = Orders::loader()
        .source(FileSource::new(&file.path))
        .load()
        .await
        .unwrap();
    let mut changes = config.subscribe();
    let port = config.map(|c| c.db_port);
    file.write(&TOML.replace("= 5432", "= 6543"));
    config.refresh().await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), changes.changed())
        .await
        .expect("a change within 5 s")
        .unwrap();
    assert_eq!(changes.borrow().db_port, 6543);
    assert_eq!(*port.get(), 6543);
}

#[tokio::test]
async fn env_overrides_win_and_go_through_the_same_conversion() {
    let file = TempFile::new("local.toml", TOML);
    let source = Counting::new(FileSource::new(&file.path));
    let config = Orders::loader()
        .source(source.clone())
        .env_prefix("ORDERS_")
        .env_override("ORDERS_DB__PORT", "7000") // no nested level: one `_`
        .env_override("ORDERS_DB_PORT", "7001")
        .env_override("ORDERS_DB_PASSWORD", "env-canary-77")
        .env_override("ORDERS_ALLOWED_IPS", "10.9.0.1,10.9.0.2")
        .env_override("ORDERS_LIMITS", r#"{"max_items": 99}"#)
        .env_override("ORDERS_CACHE__TTL_SECS", "5")
        .env_override("ORDERS_LOG", "trace") // the field's own `env` wins over the prefix
        .env_override("ORDERS_LOG_LEVEL", "ignored")
        .env_override("ORDERS_DB_HOST", "") // empty counts as unset
        .load()
        .await
        .unwrap();
    let c = config.get();
    assert_eq!(c.db_port, 7001);
    assert_eq!(c.db_password.expose_secret(), "env-canary-77");
    assert_eq!(c.allowed_ips, ["10.9.0.1", "10.9.0.2"]);
    assert_eq!(c.limits.max_items, 99);
    assert_eq!(c.cache.ttl_secs, 5);
    assert_eq!(c.log_level, "trace");
    assert_eq!(c.db_host, "localhost");
    let snapshot = config.get();
    let metadata = snapshot.metadata();
    assert_eq!(
        metadata.origin("cache.ttl_secs").unwrap().to_string(),
        "env ORDERS_CACHE__TTL_SECS"
    );
    assert_eq!(
        metadata.origin("log_level").unwrap().to_string(),
        "env ORDERS_LOG"
    );
    // Overridden names are not read at all.
    let asked = asked_names(&source);
    assert!(
        asked.iter().any(|n| n == "/dev/orders/db_host"),
        "{asked:?}"
    );
    assert!(
        !asked.iter().any(|n| n == "/dev/orders/db/port"),
        "{asked:?}"
    );
}

#[tokio::test]
async fn a_bad_override_says_where_it_came_from_and_never_quotes_a_secret() {
    let file = TempFile::new("local.toml", TOML);
    #[derive(SsmConfig, Debug)]
    #[ssm(prefix = "/dev/orders")]
    #[allow(dead_code)] // never loads
    struct SecretPin {
        #[ssm(path = "db/port", env = "PIN")]
        pin: Secret<u32>,
        #[ssm(path = "db/other-port")]
        port: u16,
    }
    let err = SecretPin::loader()
        .source(FileSource::new(&file.path))
        .env_prefix("ORDERS_")
        .env_override("PIN", "env-canary-77")
        .env_override("ORDERS_PORT", "eighty")
        .load()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("field `pin`: the value from env PIN is not a valid `Secret<u32>`"),
        "{text}"
    );
    assert!(
        text.contains("field `port`: the value from env ORDERS_PORT is not a valid `u16`"),
        "{text}"
    );
    assert!(text.contains("(value \"eighty\")"), "{text}");
    assert!(!text.contains("env-canary"), "{text}");
    assert!(!format!("{err:?}").contains("env-canary"));

    let err = SecretPin::loader()
        .source(FileSource::new(&file.path))
        .env_prefix("ORDERS-")
        .load()
        .await
        .unwrap_err();
    assert!(
        matches!(err.problems(), [Problem::InvalidEnvPrefix { prefix, .. }] if prefix == "ORDERS-"),
        "{err}"
    );
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/p")]
struct Precedence {
    from_env: String,
    from_first: String,
    from_second: String,
    #[ssm(default = "fallback")]
    from_default: String,
    #[ssm(by_path = "map")]
    map: BTreeMap<String, String>,
}

/// env override > earlier layer > later layer > default, and by-path walks
/// merge name by name with the same rule.
#[tokio::test]
async fn one_precedence_env_then_layers_in_order_then_default() {
    let first = MemorySource::new();
    let second = MemorySource::new();
    for (source, label) in [(&first, "first"), (&second, "second")] {
        source.put("/p/from_env", label);
        source.put("/p/map/shared", label);
        source.put(&format!("/p/map/only-{label}"), label);
    }
    first.put("/p/from_first", "first");
    second.put("/p/from_first", "second");
    second.put("/p/from_second", "second");
    let layered = Layered::new().then(first).then(second);
    assert_eq!(layered.describe(), "layers: memory source > memory source");
    let config = Precedence::loader()
        .source(layered)
        .env_prefix("P_")
        .env_override("P_FROM_ENV", "env")
        .load()
        .await
        .unwrap();
    let c = config.get();
    assert_eq!(
        [&c.from_env, &c.from_first, &c.from_second, &c.from_default].map(String::as_str),
        ["env", "first", "second", "fallback"]
    );
    let expected = [
        ("shared", "first"),
        ("only-first", "first"),
        ("only-second", "second"),
    ];
    let expected: BTreeMap<String, String> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(c.map, expected);
}

#[tokio::test]
async fn an_optional_layer_is_skipped_only_when_it_cannot_be_reached() {
    let missing = std::env::temp_dir().join("ssm-config-no-such-dir/local.toml");
    let base = MemorySource::new();
    base.put("/p/from_env", "a");
    base.put("/p/from_first", "b");
    base.put("/p/from_second", "c");
    let optional = Layered::new()
        .then_optional(FileSource::new(&missing))
        .then(base.clone());
    let c = Precedence::fetch(optional.clone()).await.unwrap();
    assert_eq!(c.from_first, "b");

    let required = Layered::new()
        .then(FileSource::new(&missing))
        .then(base.clone());
    let err = Precedence::fetch(required.clone()).await.unwrap_err();
    assert!(
        err.source_errors()
            .any(|e| e.kind() == SourceErrorKind::Unreachable),
        "{err}"
    );
    assert!(err.to_string().contains("no-such-dir"), "{err}");

    let broken = TempFile::new("broken.toml", "[parameters\n");
    let optional_but_broken = Layered::new()
        .then_optional(FileSource::new(&broken.path))
        .then(base);
    let err = Precedence::fetch(optional_but_broken.clone())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not valid TOML"), "{err}");
}

/// A file over the emulator: the file's names never reach SSM, the rest
/// come from it, and each value says which.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_layered_over_ssm_asks_ssm_only_for_what_the_file_lacks() {
    let Some(emulator) = moto().await else { return };
    emulator.put("/p/from_env", "ssm").await;
    emulator.put("/p/from_first", "ssm").await;
    emulator.put("/p/from_second", "ssm").await;
    emulator.put("/p/map/remote", "ssm").await;
    let file = TempFile::new(
        "local.toml",
        "[parameters]\n\"/p/from_first\" = \"file\"\n\"/p/map/local\" = \"file\"\n",
    );
    let ssm = emulator.source();
    let layered = Layered::new()
        .then(FileSource::new(&file.path))
        .then(ssm.clone());
    let config = Precedence::loader().source(layered).load().await.unwrap();
    let c = config.get();
    assert_eq!(c.from_first, "file");
    assert_eq!(c.from_second, "ssm");
    assert_eq!(c.map.len(), 2);
    let asked = asked_names(&ssm);
    assert!(!asked.iter().any(|n| n == "/p/from_first"), "{asked:?}");
    assert!(asked.iter().any(|n| n == "/p/from_second"), "{asked:?}");
    let snapshot = config.get();
    let metadata = snapshot.metadata();
    assert!(
        metadata
            .origin("from_first")
            .unwrap()
            .to_string()
            .ends_with("local.toml")
    );
    assert_eq!(
        metadata.origin("from_second").unwrap().to_string(),
        "/p/from_second version 1"
    );
}

#[test]
fn the_plan_names_the_variable_that_overrides_each_field() {
    let env_of = |plan: &ssm_config::plan::Plan, field: &str| {
        let row = plan.iter().find(|p| p.field == field).unwrap();
        row.env.clone()
    };
    let own = Orders::loader().plan();
    assert_eq!(env_of(&own, "log_level").as_deref(), Some("ORDERS_LOG"));
    assert_eq!(env_of(&own, "db_port"), None);
    assert!(own.to_string().lines().next().unwrap().ends_with("ENV"));

    let loader = Orders::loader().env_prefix("ORDERS_").prefix("/qa/orders");
    let plan = loader.plan();
    assert_eq!(env_of(&plan, "db_port").as_deref(), Some("ORDERS_DB_PORT"));
    assert_eq!(
        env_of(&plan, "cache.ttl_secs").as_deref(),
        Some("ORDERS_CACHE__TTL_SECS")
    );
    assert_eq!(env_of(&plan, "log_level").as_deref(), Some("ORDERS_LOG"));
    assert_eq!(env_of(&plan, "workers"), None);
    let port = plan.iter().find(|p| p.field == "db_port").unwrap();
    assert_eq!(port.name, "/qa/orders/db/port");
}

#[tokio::test]
async fn a_layered_walk_keeps_to_the_loaders_page_cap() {
    let base = MemorySource::new();
    base.put("/p/from_env", "a");
    base.put("/p/from_first", "b");
    base.put("/p/from_second", "c");
    for i in 0..5 {
        base.put(&format!("/p/map/k{i}"), "v");
    }
    base.set_page_size(1);
    let err = Precedence::loader()
        .source(Layered::new().then(base.clone()))
        .limits(ssm_config::source::Limits::new().max_pages(2))
        .fetch()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("more than 2 pages"), "{err}");
    let whole = Precedence::loader()
        .source(Layered::new().then(base))
        .limits(ssm_config::source::Limits::new().max_pages(10))
        .fetch()
        .await
        .unwrap();
    assert_eq!(whole.map.len(), 5);
}

#[tokio::test]
async fn a_name_the_file_gives_only_by_label_is_missing_to_unpinned_fields() {
    #[derive(SsmConfig, Debug)]
    #[ssm(prefix = "/lab")]
    struct Labelled {
        latest: Option<String>,
        #[ssm(path = "latest:blue")]
        blue: String,
        #[ssm(by_path = "/lab")]
        all: BTreeMap<String, String>,
    }
    let file = TempFile::new(
        "labelled.toml",
        "[parameters]\n\"/lab/latest:blue\" = \"b\"\n",
    );
    let c = Labelled::fetch(FileSource::new(&file.path)).await.unwrap();
    assert_eq!(c.blue, "b");
    assert_eq!(c.latest, None, "no plain entry: no latest version");
    assert!(c.all.is_empty(), "{:?}", c.all);

    file.write("[parameters]\n\"/lab/latest\" = \"plain\"\n\"/lab/latest:blue\" = \"b\"\n");
    let c = Labelled::fetch(FileSource::new(&file.path)).await.unwrap();
    assert_eq!((c.latest.as_deref(), c.blue.as_str()), (Some("plain"), "b"));
    assert_eq!(c.all["latest"], "plain");
}

/// `Loader::var` fills `{VAR}`s and nothing else; `Loader::env_override`
/// stands for an override variable and nothing else: a name shared by both
/// jobs does each only through its own setting.
#[tokio::test]
async fn var_fills_names_and_env_override_overrides_fields_each_alone() {
    #[derive(SsmConfig, Debug)]
    #[ssm(prefix = "/{SSM_CONFIG_TEST_ONE_JOB}/svc")]
    struct OneJob {
        #[ssm(env = "SSM_CONFIG_TEST_ONE_JOB")]
        port: u16,
    }
    let source = MemorySource::new();
    source.put("/80/svc/port", "81");

    let filled = OneJob::loader()
        .source(source.clone())
        .var("SSM_CONFIG_TEST_ONE_JOB", "80")
        .fetch()
        .await
        .expect("a `{VAR}` given with `var` fills the prefix");
    assert_eq!(filled.port, 81, "`var` does not override the field");

    let err = OneJob::loader()
        .source(source.clone())
        .env_override("SSM_CONFIG_TEST_ONE_JOB", "90")
        .fetch()
        .await
        .expect_err("`env_override` fills no `{VAR}`");
    assert!(
        err.to_string().contains("SSM_CONFIG_TEST_ONE_JOB"),
        "the unset variable is named: {err}"
    );

    let both = OneJob::loader()
        .source(source)
        .var("SSM_CONFIG_TEST_ONE_JOB", "80")
        .env_override("SSM_CONFIG_TEST_ONE_JOB", "90")
        .fetch()
        .await
        .unwrap();
    assert_eq!(both.port, 90, "the override wins over the parameter");
}

/// A local file reads like a config file: a table's path is the name's
/// segments, beside full names as keys; a quoted key with dots stays one
/// segment (SSM allows dots in names).
#[tokio::test]
async fn nested_tables_are_the_segments_of_names() {
    const NESTED: &str = r#"
[parameters]
"a.b.c" = "a flat name, whole"

[parameters.dev.orders]
db_host = "localhost"
allowed_ips = ["127.0.0.1", "::1"]
limits = '{"max_items": 5}'
log_level = "info"
"cache/ttl_secs" = 60
workers.emails = 2

[parameters.dev.orders.db]
port = 5432
password = { value = "file-canary-51ab", type = "SecureString" }

[secrets]
"dev/stripe" = { api_key = "sk_test_file" }
"#;
    let file = TempFile::new("nested.toml", NESTED);
    let source = FileSource::new(&file.path);
    let c = Orders::fetch(source.clone()).await.unwrap();
    assert_eq!(c.db_host, "localhost");
    assert_eq!(c.db_port, 5432);
    assert_eq!(c.db_password.expose_secret(), "file-canary-51ab");
    assert_eq!(c.allowed_ips, ["127.0.0.1", "::1"]);
    assert_eq!(c.cache.ttl_secs, 60);
    assert_eq!(c.workers["emails"], 2);
    let flat = source
        .get_parameters(&["a.b.c".to_owned()], true)
        .await
        .unwrap();
    assert_eq!(flat.parameters[0].value, "a flat name, whole");

    // One name given twice, as a full name and through tables, is an error
    // about the file, not a silent second version.
    let twice = format!("{NESTED}\n[parameters.\"/dev/orders\"]\nlog_level = \"debug\"\n");
    let file = TempFile::new("twice.toml", &twice);
    let err = Orders::fetch(FileSource::new(&file.path))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`/dev/orders/log_level` is given twice"),
        "{err}"
    );
}

/// Names relative to the loader's prefix, in a `[relative]` table: one file
/// serves every `APP_ENV`, and full names still win where a file gives both.
#[tokio::test]
async fn a_relative_table_serves_every_prefix() {
    #[derive(SsmConfig, Debug)]
    #[ssm(prefix = "/{SSM_CONFIG_TEST_REL_ENV}/billing")]
    struct Billing {
        #[ssm(path = "db/host")]
        host: String,
        #[ssm(path = "db/port")]
        port: u16,
        #[ssm(path = "/shared/region")]
        region: String,
        #[ssm(by_path = "features")]
        features: BTreeMap<String, bool>,
    }
    let file = TempFile::new(
        "relative.toml",
        r#"
[parameters]
"/shared/region" = "eu-west-1"
"/staging/billing/db/port" = 6543

[relative.db]
host = "localhost"
port = 5432

[relative]
"features/dark-mode" = true
"#,
    );
    for (env, port) in [("dev", 5432), ("staging", 6543)] {
        let c = Billing::loader()
            .source(FileSource::new(&file.path))
            .var("SSM_CONFIG_TEST_REL_ENV", env)
            .fetch()
            .await
            .unwrap_or_else(|err| panic!("{env}: {err}"));
        assert_eq!((c.host.as_str(), c.port), ("localhost", port), "{env}");
        assert_eq!(c.region, "eu-west-1");
        assert!(c.features["dark-mode"], "{env}");
    }
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/dev/app")]
struct Flags {
    #[ssm(default)]
    dark_mode: bool,
    #[ssm(default)]
    enabled: bool,
    #[ssm(by_path = "limits", recursive = false)]
    limits: BTreeMap<String, u32>,
}

/// An entry no field reads is a typo until shown otherwise: the load warns
/// (through tracing), the doctor gives it a row, both with the near miss.
/// Entries a walk reads are read; a walk that is not recursive reads
/// direct children only.
#[test]
fn a_file_entry_no_field_reads_is_reported_with_a_near_miss() {
    // Its warning is read from tracing: in a process of its own, as
    // `observability` explains.
    in_own_process!(
        a_file_entry_no_field_reads_is_reported_with_a_near_miss,
        env: &[],
        { file_entry_typo() }
    );
}

fn file_entry_typo() {
    let file = TempFile::new(
        "typo.toml",
        r#"
[relative]
dark-mode = true
limits.daily = 5
limits.deep.hourly = 1
"#,
    );
    let (report, traced) = crate::support::traced::traced(async {
        let config = Flags::loader()
            .source(FileSource::new(&file.path))
            .fetch()
            .await
            .unwrap();
        assert!(!config.dark_mode, "the typo left the default");
        assert_eq!(config.limits["daily"], 5);
        Flags::loader()
            .source(FileSource::new(&file.path))
            .diagnose()
            .await
    });
    assert!(
        traced.contains("/dev/app/dark-mode") && traced.contains("/dev/app/dark_mode"),
        "{traced}"
    );
    let row = report
        .rows
        .iter()
        .find(|row| row.name == "/dev/app/dark-mode")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(row.finding, ssm_config::doctor::Finding::Unused);
    assert_eq!(row.severity, ssm_config::doctor::Severity::Warning);
    assert!(
        row.detail.contains("did you mean `/dev/app/dark_mode`"),
        "{report}"
    );
    assert!(
        report
            .rows
            .iter()
            .any(|row| row.name == "/dev/app/limits/deep/hourly"),
        "below a walk that is not recursive: {report}"
    );
    assert!(
        !report
            .rows
            .iter()
            .any(|row| row.name == "/dev/app/limits/daily"),
        "{report}"
    );
    assert!(report.would_load, "{report}");
}

/// An override variable under the `env_prefix` that matches no field is a
/// typo too, with the variable it was probably meant to be.
#[test]
fn an_override_variable_no_field_reads_is_reported_with_a_near_miss() {
    in_own_process!(
        an_override_variable_no_field_reads_is_reported_with_a_near_miss,
        env: &[],
        { override_variable_typo() }
    );
}

fn override_variable_typo() {
    let (report, traced) = crate::support::traced::traced(async {
        let source = MemorySource::new();
        let loader = || {
            Flags::loader()
                .source(source.clone())
                .env_prefix("SSM_CONFIG_TEST_FLAGS_")
                .env_override("SSM_CONFIG_TEST_FLAGS_ENABLD", "true")
                .env_override("SSM_CONFIG_TEST_FLAGS_DARK_MODE", "true")
        };
        let config = loader().fetch().await.unwrap();
        assert!(!config.enabled && config.dark_mode);
        loader().diagnose().await
    });
    assert!(traced.contains("SSM_CONFIG_TEST_FLAGS_ENABLD"), "{traced}");
    let row = report
        .rows
        .iter()
        .find(|row| row.name == "SSM_CONFIG_TEST_FLAGS_ENABLD")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(row.finding, ssm_config::doctor::Finding::Unused);
    assert!(
        row.detail
            .contains("did you mean `SSM_CONFIG_TEST_FLAGS_ENABLED`"),
        "{report}"
    );
    assert_eq!(
        report
            .rows
            .iter()
            .filter(|row| row.finding == ssm_config::doctor::Finding::Unused)
            .count(),
        1,
        "{report}"
    );
}

/// A variable the prefix reads (zero2prod's `APP_ENVIRONMENT` under the
/// override prefix `APP_`) is no typo: neither a load's warning nor a
/// doctor's `unused` row names it, whether it comes from `var` or from the
/// environment.
#[test]
fn a_variable_the_prefix_reads_is_not_reported_unused() {
    in_own_process!(
        a_variable_the_prefix_reads_is_not_reported_unused,
        env: &[("APP_ENVIRONMENT", "local")],
        {
            #[derive(SsmConfig, Debug)]
            #[ssm(prefix = "/{APP_ENVIRONMENT}/zero2prod")]
            #[allow(dead_code)] // loaded for what is reported of it
            struct Settings {
                host: String,
            }
            let (reports, traced) = crate::support::traced::traced(async {
                let source = MemorySource::new();
                source.put("/local/zero2prod/host", "127.0.0.1");
                // The process's environment holds `APP_ENVIRONMENT` too.
                let given = || {
                    Settings::loader()
                        .source(source.clone())
                        .env_prefix("APP_")
                        .var("APP_ENVIRONMENT", "local")
                };
                let from_env = || {
                    Settings::loader()
                        .source(source.clone())
                        .env_prefix("APP_")
                        .env_override("APP_HSOT", "typo")
                };
                given().fetch().await.unwrap();
                from_env().fetch().await.unwrap();
                (given().diagnose().await, from_env().diagnose().await)
            });
            assert!(!traced.contains("`APP_ENVIRONMENT`"), "{traced}");
            for report in [&reports.0, &reports.1] {
                assert!(report.would_load, "{report}");
                assert!(
                    !report.rows.iter().any(|row| row.name == "APP_ENVIRONMENT"),
                    "{report}"
                );
            }
            // A typo beside it is still one.
            assert!(traced.contains("`APP_HSOT`"), "{traced}");
            assert!(
                reports.1.rows.iter().any(|row| row.name == "APP_HSOT"
                    && row.finding == ssm_config::doctor::Finding::Unused),
                "{}",
                reports.1
            );
        }
    );
}

/// A missing required value says where it was looked for: the source (the
/// layers in order, each file by its path) and the variable that would
/// override it.
#[tokio::test]
async fn a_missing_value_says_where_it_was_looked_for() {
    #[derive(SsmConfig, Debug)]
    #[ssm(prefix = "/dev/where")]
    #[allow(dead_code)] // never loads
    struct Where {
        host: String,
        #[ssm(env = "WHERE_PORT")]
        port: u16,
    }
    let personal = TempFile::new("personal.toml", "[parameters]\n");
    let team = personal.sibling("team.toml", "[parameters]\n");
    let source = Layered::new()
        .then_optional(FileSource::new(&personal.path))
        .then(FileSource::new(&team))
        .then(MemorySource::new());
    let err = Where::loader()
        .source(source)
        .env_prefix("SSM_CONFIG_TEST_WHERE_")
        .fetch()
        .await
        .unwrap_err();
    let [host, port] = err.problems() else {
        panic!("{err}")
    };
    let (host, port) = (host.to_string(), port.to_string());
    let layers = format!(
        "layers: file `{}` (optional) > file `{}` > memory source",
        personal.path.display(),
        team.display()
    );
    assert!(host.contains(&layers), "{host}");
    assert!(host.contains("`SSM_CONFIG_TEST_WHERE_HOST`"), "{host}");
    assert!(port.contains("`WHERE_PORT`"), "{port}");
    assert!(
        matches!(
            &err.problems()[0],
            Problem::Missing { looked_in, env: Some(variable), .. }
                if looked_in == &layers && variable == "SSM_CONFIG_TEST_WHERE_HOST"
        ),
        "{err:?}"
    );
}

/// Entries no field reads are looked for on a first load and by the
/// doctor, where they are reported, and not again on every refresh: a
/// listing re-reads a local file.
#[tokio::test]
async fn a_refresh_does_not_list_the_source_again() {
    use ssm_config::source::{BoxFuture, ParametersOutput, PathPage, PathQuery, SourceError};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Clone)]
    struct Listing {
        inner: MemorySource,
        listed: Arc<AtomicUsize>,
    }
    impl ParameterSource for Listing {
        fn get_parameters<'a>(
            &'a self,
            names: &'a [String],
            decrypt: bool,
        ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
            self.inner.get_parameters(names, decrypt)
        }
        fn get_parameters_by_path<'a>(
            &'a self,
            query: &'a PathQuery,
        ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
            self.inner.get_parameters_by_path(query)
        }
        fn describe(&self) -> String {
            "listing source".into()
        }
        fn listed_names(&self) -> Option<Vec<String>> {
            self.listed.fetch_add(1, Ordering::SeqCst);
            Some(vec!["/dev/app/dark_mode".into()])
        }
    }
    let source = Listing {
        inner: MemorySource::new(),
        listed: Arc::default(),
    };
    let config = Flags::loader().source(source.clone()).load().await.unwrap();
    assert_eq!(source.listed.load(Ordering::SeqCst), 1);
    for _ in 0..3 {
        config.refresh().await.unwrap();
    }
    assert_eq!(source.listed.load(Ordering::SeqCst), 1, "not on refreshes");
    Flags::loader().source(source.clone()).diagnose().await;
    assert_eq!(source.listed.load(Ordering::SeqCst), 2, "the doctor lists");
}

/// A file that never gives its text (a FIFO no one writes to, as a hung
/// NFS or FUSE mount would act) fails the load as a timeout at the call
/// timeout, listing for typos included, and the runtime runs its other
/// tasks meanwhile: the read waits on tokio's blocking pool, where the
/// deadline abandons it, not on the runtime's one thread.
#[test]
fn a_file_that_never_answers_fails_as_a_timeout() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let dir = TempFile::new("unused.toml", "");
    let fifo = dir.path.with_file_name("stalled.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", fifo.display());
    let (done, answer) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime");
        let outcome = runtime.block_on(async move {
            let ticks = Arc::new(AtomicUsize::new(0));
            let ticker = tokio::spawn({
                let ticks = Arc::clone(&ticks);
                async move {
                    loop {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        ticks.fetch_add(1, Ordering::SeqCst);
                    }
                }
            });
            let started = std::time::Instant::now();
            let loaded = Flags::loader()
                .source(FileSource::new(&path))
                .limits(
                    ssm_config::source::Limits::new()
                        .call_timeout(Duration::from_secs(1))
                        .load_timeout(Duration::from_secs(2)),
                )
                .fetch()
                .await;
            ticker.abort();
            (
                loaded.map(drop),
                started.elapsed(),
                ticks.load(Ordering::SeqCst),
            )
        });
        let _ = done.send(outcome);
        runtime.shutdown_background();
    });
    let answer = answer.recv_timeout(Duration::from_secs(20));
    // A FIFO opened for reading and writing (which does not wait on Linux)
    // lets any read still waiting on it end, at the end of the file.
    drop(
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&fifo),
    );
    let (loaded, took, ticks) = answer.expect("the load over a FIFO returned within 20 s");
    let err = loaded.expect_err("a file that never answers");
    assert_eq!(
        err.kind(),
        ssm_config::error::ErrorKind::Source(SourceErrorKind::Timeout),
        "{err}"
    );
    assert!(err.to_string().contains("no answer within 1s"), "{err}");
    assert!(
        took < Duration::from_secs(2),
        "at the call timeout: {took:?}"
    );
    assert!(
        ticks >= 10,
        "the runtime ran its other tasks: {ticks} ticks"
    );
}
