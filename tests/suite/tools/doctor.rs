//! The doctor against moto: every kind of row, told apart, in one report
//! that never stops at the first problem. Denials come from a proxy in
//! front of moto that answers as IAM and KMS do (moto enforces neither).

use ssm_config::source::Limits;
use std::collections::BTreeMap;

use ssm_config::doctor::{Finding, Report, Severity};
use ssm_config::source::AwsSource;
use ssm_config::{Secret, SsmConfig};

use crate::support::backend::{Backend, moto};
use crate::support::emulator;
use crate::support::proxy::Proxy;

const CANARY: &str = "doctor-canary-3e9";

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/doc")]
#[allow(dead_code)] // checked, never used
struct Checked {
    present: String,
    #[ssm(env = "DOC_OVERRIDE")]
    overridden: u16,
    #[ssm(default = 8)]
    defaulted: u8,
    absent_optional: Option<String>,
    missing: String,
    /// A SecureString in a field that could print it.
    leaky: String,
    /// A String where a StringList is bound: loads, with a warning.
    ips: Vec<String>,
    /// Readable, but KMS denies decryption.
    kms_denied: Secret<String>,
    /// SSM denies reading it at all.
    ssm_denied: String,
    #[ssm(path = "cert:5")]
    pinned_version: String,
    #[ssm(path = "cert", label = "green")]
    pinned_label: String,
    #[ssm(path = "cert:1")]
    pinned_present: String,
    port: u16,
    pin: Secret<u32>,
    #[ssm(secret = "doc/creds", key = "password")]
    missing_key: Secret<String>,
    #[ssm(by_path = "workers")]
    workers: BTreeMap<String, u8>,
}

async fn seed(b: &impl Backend) {
    b.put("/doc/present", "here").await;
    b.put("/doc/overridden", "1").await;
    b.put_secure("/doc/leaky", CANARY).await;
    b.put("/doc/ips", "10.0.0.1,10.0.0.2").await;
    b.put_secure("/doc/kms_denied", CANARY).await;
    b.put("/doc/ssm_denied", "x").await;
    b.put("/doc/cert", "v1").await;
    b.put("/doc/cert", "v2").await;
    b.put("/doc/port", "eighty").await;
    b.put_secure("/doc/pin", CANARY).await;
    b.put_secret("doc/creds", r#"{"user":"app"}"#).await;
    b.put("/doc/workers/emails", "2").await;
}

async fn report() -> Option<(Report, Proxy)> {
    let emulator = moto().await?;
    seed(&emulator).await;
    let proxy = Proxy::start(&emulator.endpoint).await;
    proxy.deny_decrypting("/doc/kms_denied");
    proxy.deny_reading("/doc/ssm_denied");
    let source = AwsSource::new(emulator::ssm_client(&proxy.endpoint()));
    let report = Checked::loader()
        .source(source)
        .env_override("DOC_OVERRIDE", "7")
        .diagnose()
        .await;
    // The emulator's turn ends here; the report and the proxy outlive it.
    drop(emulator);
    Some((report, proxy))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_row_kind_against_moto() {
    let Some((report, _proxy)) = report().await else {
        return;
    };
    let shown = report.to_string();
    let status = |field: &str| {
        let row = report
            .row(field)
            .unwrap_or_else(|| panic!("no row {field}: {shown}"));
        (row.finding, row.severity)
    };
    use Finding::*;
    use Severity::*;
    for (field, expected) in [
        ("present", (Present, Ok)),
        ("overridden", (Overridden, Ok)),
        ("defaulted", (Defaulted, Ok)),
        ("absent_optional", (AbsentOptional, Ok)),
        ("missing", (Missing, Error)),
        ("leaky", (WrongType, Error)),
        ("ips", (WrongType, Warning)),
        ("kms_denied", (NotDecryptable, Error)),
        ("ssm_denied", (AccessDenied, Error)),
        ("pinned_version", (PinnedAbsent, Error)),
        ("pinned_label", (PinnedAbsent, Error)),
        ("pinned_present", (Present, Ok)),
        ("port", (DoesNotConvert, Error)),
        ("pin", (DoesNotConvert, Error)),
        ("missing_key", (DoesNotConvert, Error)),
        ("workers", (Present, Ok)),
    ] {
        assert_eq!(status(field), expected, "{field}:\n{shown}");
    }
    assert_eq!(report.rows.len(), 16, "{shown}");
    assert!(!report.would_load, "{shown}");
    assert!(
        shown.starts_with("diagnosis of `Checked` against AWS SSM"),
        "{shown}"
    );
    assert!(
        shown.contains("a load would fail (9 errors, 1 warning)"),
        "{shown}"
    );

    let detail = |field: &str| report.row(field).unwrap().detail.clone();
    assert!(detail("kms_denied").contains("KMS denied"), "{shown}");
    assert!(detail("ssm_denied").contains("SSM denied"), "{shown}");
    assert!(
        detail("pinned_version").contains("version 5 does not exist; the latest is version 2"),
        "{shown}"
    );
    assert!(
        detail("pinned_label").contains("no version carries the label `green`"),
        "{shown}"
    );
    assert!(detail("port").contains("(value \"eighty\")"), "{shown}");
    assert!(
        detail("missing_key").contains("has no key `password`"),
        "{shown}"
    );
    assert!(detail("overridden").contains("env DOC_OVERRIDE"), "{shown}");
    assert!(detail("workers") == "1 parameter", "{shown}");

    // Nothing secret in the table, the JSON or the Debug output.
    let json = serde_json::to_string(&report).unwrap();
    for text in [&shown, &json, &format!("{report:?}")] {
        assert!(!text.contains(CANARY), "{text}");
    }
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["would_load"], false);
    let kms = parsed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["field"] == "kms_denied")
        .unwrap();
    assert_eq!(kms["finding"], "not_decryptable");
    assert_eq!(kms["severity"], "error");
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/doc")]
#[allow(dead_code)]
struct Healthy {
    present: String,
    #[ssm(default = 8)]
    defaulted: u8,
    ips: Option<Vec<String>>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_struct_reports_that_a_load_would_succeed() {
    let Some(emulator) = moto().await else { return };
    emulator.put("/doc/present", "here").await;
    let report = Healthy::loader().source(emulator.source()).diagnose().await;
    assert!(report.would_load, "{report}");
    assert!(
        report
            .to_string()
            .contains("a load would succeed (0 errors, 0 warnings)")
    );
    assert_eq!(report.rows_of(Severity::Ok).count(), 3, "{report}");
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{DOC_UNSET_ENV}/doc")]
#[allow(dead_code)]
struct NoPrefix {
    present: String,
}

#[tokio::test]
async fn problems_about_no_field_are_listed_under_the_table() {
    let report = NoPrefix::loader()
        .source(ssm_config::MemorySource::new())
        .diagnose()
        .await;
    assert!(!report.would_load);
    assert_eq!(report.rows[0].finding, Finding::InvalidName, "{report}");
    assert!(
        report.problems[0].contains("`DOC_UNSET_ENV` is not set"),
        "{report}"
    );
}

/// A source that cannot be reached is one cause: said once, under the
/// table, with every row pointing to it, and no name asked for again
/// (that would only wait longer).
#[tokio::test]
async fn an_unreachable_source_is_not_asked_name_by_name() {
    let missing = std::env::temp_dir().join("ssm-config-doctor-no-such-dir/local.toml");
    let source =
        crate::support::counting::Counting::new(ssm_config::source::FileSource::new(missing));
    let report = Checked::loader()
        .source(source.clone())
        .env_override("DOC_OVERRIDE", "7")
        .diagnose()
        .await;
    assert!(!report.would_load);
    let unreadable = report.rows_of(Severity::Error).count();
    assert_eq!(unreadable, 15, "{report}");
    assert!(
        report
            .rows_of(Severity::Error)
            .all(|row| row.finding == Finding::Unreadable && row.cause == Some(0)),
        "{report}"
    );
    assert_eq!(report.problems.len(), 1, "{report}");
    assert!(report.problems[0].contains("cannot read"), "{report}");
    assert_eq!(
        report.to_string().matches("cannot read").count(),
        1,
        "{report}"
    );
    assert_eq!(report.error_count(), 1, "{report}");
    // Three batches (fifteen names, three of them `/doc/cert` under
    // different selectors, which never share a call) and one walk.
    assert_eq!(source.calls().len(), 4, "{report}");
}

#[derive(SsmConfig, Debug)]
#[allow(dead_code)]
struct TwoPorts {
    #[ssm(nested = "db")]
    db: DbPort,
    #[ssm(path = "/{DOC_TOP}/port")]
    port: u16,
}

#[derive(SsmConfig, Debug)]
#[allow(dead_code)]
struct DbPort {
    #[ssm(path = "/{DOC_DB}/port")]
    port: u16,
}

/// A name that cannot be made is reported on its own field's row, even
/// where a nested field of the same name failed too.
#[tokio::test]
async fn each_unmade_name_is_reported_on_its_own_row() {
    let report = TwoPorts::loader()
        .source(ssm_config::MemorySource::new())
        .var("DOC_DB", "awsdb")
        .var("DOC_TOP", "ssmtop")
        .diagnose()
        .await;
    let detail = |field: &str| report.row(field).unwrap().detail.clone();
    assert!(detail("db.port").contains("/awsdb/port"), "{report}");
    assert!(detail("port").contains("/ssmtop/port"), "{report}");
    assert_eq!(report.row("port").unwrap().finding, Finding::InvalidName);
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/first")]
#[allow(dead_code)]
struct FirstDay {
    host: String,
    password: Secret<String>,
    #[ssm(secret = "first/api", key = "token")]
    token: Secret<String>,
    hosts: Vec<String>,
}

/// Parameters created from bootstrap output with their placeholders still
/// in place are not values: a load fails on each, naming it, and the
/// doctor gives each a row of its own.
#[tokio::test]
async fn a_bootstrap_placeholder_is_no_value() {
    let source = ssm_config::MemorySource::new();
    source.put("/first/host", "CHANGE_ME(host)");
    source.put_secure("/first/password", "CHANGE_ME(password)");
    source.put_secret("first/api", r#"{"token":"CHANGE_ME(token)"}"#);
    source.put_string_list("/first/hosts", ["a", "CHANGE_ME(hosts)"]);
    let err = FirstDay::fetch(source.clone()).await.unwrap_err();
    let placeholders: Vec<&str> = err
        .problems()
        .iter()
        .filter_map(|p| match p {
            ssm_config::error::Problem::Placeholder { field, .. } => Some(field.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        placeholders,
        ["host", "password", "token", "hosts"],
        "{err}"
    );
    assert_eq!(err.kind(), ssm_config::error::ErrorKind::Missing);
    assert!(
        err.to_string()
            .contains("field `host`: /first/host version 1 still holds a bootstrap placeholder"),
        "{err}"
    );

    let report = FirstDay::loader().source(source.clone()).diagnose().await;
    for field in ["host", "password", "token", "hosts"] {
        let row = report.row(field).unwrap();
        assert_eq!(row.finding, Finding::Placeholder, "{report}");
        assert_eq!(row.severity, Severity::Error);
    }
    assert!(!report.would_load);
    assert!(report.to_string().contains("placeholder"), "{report}");
}

/// A `Secret<_>` field reading a plain `String` parameter loads, but the
/// value sits unencrypted in SSM: the doctor warns, and says what to do.
#[tokio::test]
async fn a_secret_field_over_an_unencrypted_parameter_is_a_warning() {
    let source = ssm_config::MemorySource::new();
    source.put("/first/host", "db");
    source.put("/first/password", "stored-in-clear");
    source.put_secret("first/api", r#"{"token":"t"}"#);
    source.put_string_list("/first/hosts", ["a"]);
    let report = FirstDay::loader().source(source.clone()).diagnose().await;
    assert!(report.would_load, "{report}");
    let row = report.row("password").unwrap();
    assert_eq!(row.finding, Finding::Unencrypted, "{report}");
    assert_eq!(row.severity, Severity::Warning);
    assert!(row.detail.contains("SecureString"), "{}", row.detail);
    assert!(!report.to_string().contains("stored-in-clear"), "{report}");
    assert_eq!(
        report.row("token").unwrap().finding,
        Finding::Present,
        "Secrets Manager encrypts every secret"
    );
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{SSM_CONFIG_TEST_ROOT_ENV}/billing")]
#[allow(dead_code)]
struct Billing {
    host: String,
    #[ssm(default = 5432)]
    port: u16,
    #[ssm(nested)]
    db: BillingDb,
}

#[derive(SsmConfig, Debug)]
#[allow(dead_code)]
struct BillingDb {
    user: String,
    password: Secret<String>,
}

/// One unset variable is one cause: every row shows the name it would have
/// read, as a template, and the report counts the cause once.
#[tokio::test]
async fn one_unset_variable_is_one_error_shown_on_templates() {
    let source = ssm_config::MemorySource::new();
    let err = Billing::fetch(source.clone()).await.unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    let report = Billing::loader().source(source.clone()).diagnose().await;
    let shown = report.to_string();
    assert!(shown.contains("(1 error, 0 warnings)"), "{shown}");
    for (field, name) in [
        ("host", "/{SSM_CONFIG_TEST_ROOT_ENV}/billing/host"),
        ("port", "/{SSM_CONFIG_TEST_ROOT_ENV}/billing/port"),
        ("db.user", "/{SSM_CONFIG_TEST_ROOT_ENV}/billing/db/user"),
        (
            "db.password",
            "/{SSM_CONFIG_TEST_ROOT_ENV}/billing/db/password",
        ),
    ] {
        let row = report.row(field).unwrap();
        assert_eq!(row.name, name, "{shown}");
        assert_eq!(row.finding, Finding::InvalidName);
    }
    assert_eq!(
        shown
            .matches("SSM_CONFIG_TEST_ROOT_ENV` is not set")
            .count(),
        1,
        "the cause is said once: {shown}"
    );
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/doc-stall")]
#[allow(dead_code)] // checked, never used
struct Pair {
    host: String,
    #[ssm(path = "port:2")]
    port: u16,
}

/// Denies a call of several names, as a policy denying one of them does;
/// a call of one name is accepted and never answered, so the doctor's
/// follow-up calls (each name alone; the latest of a missing pin) stall.
#[derive(Clone)]
struct StallsAlone(ssm_config::MemorySource);

impl ssm_config::source::ParameterSource for StallsAlone {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        decrypt: bool,
    ) -> ssm_config::source::BoxFuture<
        'a,
        Result<ssm_config::source::ParametersOutput, ssm_config::source::SourceError>,
    > {
        use ssm_config::source::{SourceError, SourceErrorKind};
        Box::pin(async move {
            match names {
                [_] if names[0].ends_with(":2") => self.0.get_parameters(names, decrypt).await,
                [_] => std::future::pending().await,
                _ => Err(SourceError::new(
                    SourceErrorKind::AccessDenied,
                    "GetParameters",
                    "not authorized to perform ssm:GetParameters",
                )),
            }
        })
    }
    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a ssm_config::source::PathQuery,
    ) -> ssm_config::source::BoxFuture<
        'a,
        Result<ssm_config::source::PathPage, ssm_config::source::SourceError>,
    > {
        self.0.get_parameters_by_path(query)
    }
    fn describe(&self) -> String {
        "a store that stalls on names asked alone".into()
    }
}

/// Every call the doctor makes after the attempt has the call deadline:
/// a store that stalls on them still gets a report, which says so.
#[test]
fn follow_up_calls_that_stall_are_reported_as_timeouts() {
    crate::support::bound::on_paused_clock(|| async {
        let store = ssm_config::MemorySource::new();
        store.put("/doc-stall/host", "db");
        store.put("/doc-stall/port", "5432");
        let started = tokio::time::Instant::now();
        let checking = Pair::loader()
            .source(StallsAlone(store))
            .limits(Limits::new().call_timeout(std::time::Duration::from_secs(2)))
            .diagnose();
        let report = tokio::time::timeout(std::time::Duration::from_secs(600), checking)
            .await
            .expect("the check ends");
        assert!(!report.would_load, "{report}");
        let host = report.row("host").expect("a row for host");
        assert_eq!(host.finding, Finding::Unreadable, "{report}");
        assert!(host.detail.contains("no answer within 2s"), "{report}");
        // `port:2` is missing alone; asking for the latest version stalls,
        // so it stays a plain missing pin.
        let port = report.row("port").expect("a row for port");
        assert_eq!(port.finding, Finding::Missing, "{report}");
        assert!(
            started.elapsed() <= std::time::Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
    });
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/zero2prod")]
#[allow(dead_code)] // diagnosed, never used
struct EmailClient {
    timeout_milliseconds: std::time::Duration,
    #[ssm(unit = "ms")]
    declared: std::time::Duration,
    written_with_unit: std::time::Duration,
    retry_after: Secret<std::time::Duration>,
    #[ssm(plaintext)]
    pin_ttl: std::time::Duration,
    #[ssm(by_path = "backoff")]
    backoff: BTreeMap<String, std::time::Duration>,
}

/// A bare number read as seconds where the field does not say its unit
/// (zero2prod's `timeout_milliseconds = 10000`, 2h 46m 40s) is a warning
/// that says what it was read as and how to say the unit; a declared
/// unit or a number with its unit is no warning.
#[tokio::test]
async fn a_bare_number_read_as_seconds_is_a_warning() {
    let source = ssm_config::MemorySource::new();
    source.put("/zero2prod/timeout_milliseconds", "10000");
    source.put("/zero2prod/declared", "10000");
    source.put("/zero2prod/written_with_unit", "10s");
    source.put_secure("/zero2prod/retry_after", "4242");
    source.put_secure("/zero2prod/pin_ttl", "4343");
    source.put("/zero2prod/backoff/first", "250ms");
    source.put("/zero2prod/backoff/second", "500");
    let report = EmailClient::loader().source(source).diagnose().await;
    assert!(report.would_load, "{report}");
    let row = report.row("timeout_milliseconds").unwrap();
    assert_eq!(row.finding, Finding::UnitlessDuration, "{report}");
    assert_eq!(row.severity, Severity::Warning);
    for says in [
        "`10000`",
        "seconds",
        "2h 46m 40s",
        "`10000ms`",
        r#"#[ssm(unit = "ms")]"#,
    ] {
        assert!(row.detail.contains(says), "{says}: {}", row.detail);
    }
    for field in ["declared", "written_with_unit"] {
        assert_eq!(
            report.row(field).unwrap().finding,
            Finding::Present,
            "{report}"
        );
    }
    let secret = report.row("retry_after").unwrap();
    assert_eq!(secret.finding, Finding::UnitlessDuration, "{report}");
    let walk = report.row("backoff").unwrap();
    assert_eq!(walk.finding, Finding::UnitlessDuration, "{report}");
    assert!(
        walk.detail
            .starts_with("/zero2prod/backoff/second: `500` is read as seconds"),
        "{}",
        walk.detail
    );
    let plaintext = report.row("pin_ttl").unwrap();
    assert_eq!(plaintext.finding, Finding::UnitlessDuration, "{report}");
    for secret in ["4242", "4343"] {
        assert!(
            !report.to_string().contains(secret),
            "a secret is never quoted: {report}"
        );
    }
}
