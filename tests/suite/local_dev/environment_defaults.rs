//! A value that differs by environment (zero2prod's `require_ssl`: `false`
//! on a laptop, `true` in production) given a default in code: where its
//! parameter was never created, the default stands in, silently. Under
//! `Loader::warn_of_defaults` (production) a first load warns of each
//! default it uses, and the doctor shows the row as a warning.

use ssm_config::doctor::{Finding, Severity};
use ssm_config::{MemorySource, Secret, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{APP_ENVIRONMENT}/zero2prod/database")]
#[allow(dead_code)] // loaded for its warnings
struct Database {
    host: String,
    #[ssm(default = false)]
    require_ssl: bool,
    #[ssm(default = "dev-canary-7f1")]
    password: Secret<String>,
    #[ssm(default = 5432)]
    port: u16,
    /// A default that holds a secret, though the field is not a `Secret`.
    #[ssm(json, default = r#"{"user":"app","password":"json-canary-91"}"#)]
    credentials: Credentials,
}

#[derive(serde::Deserialize, Debug)]
#[allow(dead_code)]
struct Credentials {
    user: String,
    password: Secret<String>,
}

/// Production's store, where `require_ssl` and `password` were never
/// created and `port` is.
fn production_store() -> MemorySource {
    let store = MemorySource::new();
    store.put("/production/zero2prod/database/host", "db.internal");
    store.put("/production/zero2prod/database/port", "6432");
    store
}

#[test]
fn each_default_used_is_warned_of_once_where_told_to() {
    in_own_process!(
        each_default_used_is_warned_of_once_where_told_to,
        env: &[],
        {
            let (_, traced) = crate::support::traced::traced(async {
                let quiet = Database::loader()
                    .source(production_store())
                    .var("APP_ENVIRONMENT", "production");
                quiet.fetch().await.unwrap();
            });
            assert!(!traced.contains("is missing"), "quiet by default:\n{traced}");

            let (_, traced) = crate::support::traced::traced(async {
                let store = production_store();
                let config = Database::loader()
                    .source(store.clone())
                    .var("APP_ENVIRONMENT", "production")
                    .warn_of_defaults()
                    .load()
                    .await
                    .unwrap();
                config.refresh().await.unwrap();
                // Deleted under the running service: its default stands in.
                store.delete("/production/zero2prod/database/port");
                config.refresh().await.unwrap();
                config.refresh().await.unwrap();
            });
            let warnings: Vec<&str> = traced
                .lines()
                .filter(|line| line.starts_with("WARN") && line.contains("is missing"))
                .collect();
            assert_eq!(
                warnings.len(),
                4,
                "one per default, when it is first used:\n{traced}"
            );
            assert!(
                warnings[0].contains(
                    "`require_ssl`: /production/zero2prod/database/require_ssl is missing; the default (`false`) is used"
                ),
                "{traced}"
            );
            assert!(warnings[1].contains("`password`"), "{traced}");
            assert!(warnings[2].contains("`credentials`"), "{traced}");
            assert!(warnings[3].contains("`port`") && warnings[3].contains("(`5432`)"), "{traced}");
            for canary in ["dev-canary", "json-canary"] {
                assert!(!traced.contains(canary), "a secret's default is never shown:\n{traced}");
            }
        }
    );
}

#[tokio::test]
async fn the_doctor_shows_a_default_used_in_production_as_a_warning() {
    let loader = || {
        Database::loader()
            .source(production_store())
            .var("APP_ENVIRONMENT", "production")
    };
    let quiet = loader().diagnose().await;
    let row = quiet.row("require_ssl").unwrap();
    assert_eq!(
        (row.finding, row.severity),
        (Finding::Defaulted, Severity::Ok),
        "{quiet}"
    );
    assert_eq!(row.detail, "missing; the default (`false`) is used");

    let report = loader().warn_of_defaults().diagnose().await;
    assert!(report.would_load, "{report}");
    let row = report.row("require_ssl").unwrap();
    assert_eq!(
        (row.finding, row.severity),
        (Finding::Defaulted, Severity::Warning),
        "{report}"
    );
    assert!(
        row.detail.contains("the default (`false`) is used")
            && row.detail.contains("create the parameter"),
        "{}",
        row.detail
    );
    assert_eq!(
        report.row("port").unwrap().finding,
        Finding::Present,
        "{report}"
    );
    assert_eq!(report.warning_count(), 3, "{report}");
    for canary in ["dev-canary", "json-canary"] {
        assert!(!report.to_string().contains(canary), "{report}");
        assert!(!quiet.to_string().contains(canary), "{quiet}");
    }
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/production/zero2prod")]
#[allow(dead_code)] // never loads
struct BrokenDefault {
    /// A `json` default that holds a secret and does not fit its type.
    #[ssm(json, default = r#"{"user":"app","pasword":"broken-canary-52"}"#)]
    credentials: Credentials,
}

/// A `json` default that does not convert is never shown either, in the
/// warning or the doctor, and the doctor's row says why the load fails.
#[test]
fn a_json_default_that_does_not_convert_is_never_shown() {
    in_own_process!(a_json_default_that_does_not_convert_is_never_shown, env: &[], {
        let (report, traced) = crate::support::traced::traced(async {
            let loader = || BrokenDefault::loader().source(MemorySource::new()).warn_of_defaults();
            loader().fetch().await.unwrap_err();
            loader().diagnose().await
        });
        assert!(!report.would_load, "{report}");
        let row = report.row("credentials").unwrap();
        assert_eq!(row.finding, Finding::DoesNotConvert, "{report}");
        for shown in [report.to_string(), traced] {
            assert!(!shown.contains("broken-canary"), "{shown}");
        }
    });
}
