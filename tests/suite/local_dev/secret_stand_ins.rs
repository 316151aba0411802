//! A secret whose value comes from somewhere other than the store (an
//! environment override, a local file layered above it) is said once, on
//! the first load, naming the field and where its value came from, never
//! the value; `Loader::refuse_secret_overrides` turns that into a failed
//! load, for production.

use ssm_config::error::Problem;
use ssm_config::origin::Origin;
use ssm_config::source::{FileSource, Layered};
use ssm_config::{MemorySource, Secret, SsmConfig};

use crate::support::scratch::TempFile;

const CANARY: &str = "canary-7f3a-standin-secret";

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/prod/billing")]
struct Billing {
    db_host: String,
    #[ssm(path = "db/password")]
    db_password: Secret<String>,
    #[ssm(secret = "prod/stripe", key = "api_key")]
    stripe_key: Secret<String>,
}

/// The store holds every value.
fn store() -> MemorySource {
    let store = MemorySource::new();
    store.put("/prod/billing/db_host", "db.internal");
    store.put_secure("/prod/billing/db/password", "from-the-store");
    store.put_secret("prod/stripe", r#"{"api_key":"sk_live_store"}"#);
    store
}

/// A file above the store that stands in for both secrets and the host.
fn file_above_the_store() -> TempFile {
    TempFile::new(
        "stand-in.toml",
        &format!(
            r#"
[parameters]
"/prod/billing/db_host" = "db.local"
"/prod/billing/db/password" = {{ value = "{CANARY}", type = "SecureString" }}

[secrets]
"prod/stripe" = {{ api_key = "{CANARY}" }}
"#
        ),
    )
}

/// Each secret a load refused as a stand-in: its field and where its
/// value came from.
fn refused(error: &ssm_config::Error) -> Vec<(&str, &Origin)> {
    error
        .problems()
        .iter()
        .filter_map(|problem| match problem {
            Problem::SecretOverridden { field, origin } => Some((field.as_str(), origin)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_secret_from_an_override_or_a_file_above_the_store_is_warned_of_once() {
    in_own_process!(
        a_secret_from_an_override_or_a_file_above_the_store_is_warned_of_once,
        env: &[],
        { warned_once() }
    );
}

fn warned_once() {
    let file = file_above_the_store();
    let (_, traced) = crate::support::traced::traced(async {
        let source = Layered::new()
            .then(FileSource::new(&file.path))
            .then(store());
        let live = Billing::loader()
            .source(source)
            .env_override("BILLING_DB_HOST", "ignored: no such override")
            .load()
            .await
            .unwrap();
        assert_eq!(live.get().db_password.expose_secret(), CANARY);
        live.refresh().await.unwrap();
    });
    let warnings: Vec<&str> = traced
        .lines()
        .filter(|line| line.starts_with("WARN") && line.contains("secret"))
        .collect();
    assert_eq!(
        warnings.len(),
        2,
        "one per secret field, on the first load only:\n{traced}"
    );
    let password = warnings
        .iter()
        .find(|line| line.contains("db_password"))
        .unwrap_or_else(|| panic!("{traced}"));
    assert!(password.contains("/prod/billing/db/password"), "{password}");
    assert!(password.contains("stand-in.toml"), "{password}");
    let stripe = warnings
        .iter()
        .find(|line| line.contains("stripe_key"))
        .unwrap_or_else(|| panic!("{traced}"));
    assert!(
        stripe.contains("prod/stripe") && stripe.contains("stand-in.toml"),
        "{stripe}"
    );
    assert!(
        !traced
            .lines()
            .any(|line| line.starts_with("WARN") && line.contains("db_host")),
        "a plain field from a file is no secret replaced:\n{traced}"
    );
    assert!(!traced.contains(CANARY), "{traced}");
}

#[test]
fn a_secret_from_an_environment_override_is_warned_of_by_its_variable() {
    in_own_process!(
        a_secret_from_an_environment_override_is_warned_of_by_its_variable,
        env: &[],
        { warned_by_variable() }
    );
}

fn warned_by_variable() {
    let (_, traced) = crate::support::traced::traced(async {
        let config = Billing::loader()
            .source(store())
            .env_prefix("BILLING_")
            .env_override("BILLING_DB_PASSWORD", CANARY)
            .fetch()
            .await
            .unwrap();
        assert_eq!(config.db_password.expose_secret(), CANARY);
    });
    let warning = traced
        .lines()
        .find(|line| line.starts_with("WARN") && line.contains("db_password"))
        .unwrap_or_else(|| panic!("no warning for the overridden secret:\n{traced}"));
    assert!(warning.contains("env BILLING_DB_PASSWORD"), "{warning}");
    assert!(
        !traced
            .lines()
            .any(|line| line.starts_with("WARN") && line.contains("stripe_key")),
        "the secret read from the store is not warned of:\n{traced}"
    );
    assert!(!traced.contains(CANARY), "{traced}");
}

#[tokio::test]
async fn refusing_secret_overrides_fails_the_load_naming_each_field_and_origin() {
    let file = file_above_the_store();
    let source = Layered::new()
        .then(FileSource::new(&file.path))
        .then(store());
    let error = Billing::loader()
        .source(source)
        .env_prefix("BILLING_")
        .env_override("BILLING_DB_PASSWORD", CANARY)
        .refuse_secret_overrides()
        .fetch()
        .await
        .unwrap_err();
    let refused = refused(&error);
    assert_eq!(refused.len(), 2, "{error}");
    assert!(
        refused.contains(&(
            "db_password",
            &Origin::Env {
                variable: "BILLING_DB_PASSWORD".into()
            }
        )),
        "{error}"
    );
    assert!(
        refused.iter().any(|(field, origin)| *field == "stripe_key"
            && origin.to_string().contains("stand-in.toml")),
        "{error}"
    );
    let text = format!("{error} {error:?}");
    assert!(!text.contains(CANARY), "{text}");
    assert!(
        text.contains("db_password") && text.contains("BILLING_DB_PASSWORD"),
        "{text}"
    );
}

#[tokio::test]
async fn refusing_secret_overrides_lets_secrets_from_the_store_and_plain_overrides_through() {
    let config = Billing::loader()
        .source(store())
        .env_prefix("BILLING_")
        .env_override("BILLING_DB_HOST", "db.override")
        .refuse_secret_overrides()
        .fetch()
        .await
        .unwrap();
    assert_eq!(config.db_host, "db.override");
    assert_eq!(config.db_password.expose_secret(), "from-the-store");
    assert_eq!(config.stripe_key.expose_secret(), "sk_live_store");
}

#[tokio::test]
async fn a_refresh_that_meets_a_refused_secret_override_keeps_the_last_snapshot() {
    let file = TempFile::new("later.toml", "[parameters]\n");
    let source = Layered::new()
        .then(FileSource::new(&file.path))
        .then(store());
    let live = Billing::loader()
        .source(source)
        .refuse_secret_overrides()
        .load()
        .await
        .unwrap();
    file.write(&format!(
        "[parameters]\n\"/prod/billing/db/password\" = {{ value = \"{CANARY}\", type = \"SecureString\" }}\n"
    ));
    let error = live.refresh().await.unwrap_err();
    assert!(
        refused(&error)
            .iter()
            .any(|(field, _)| *field == "db_password"),
        "{error}"
    );
    assert_eq!(live.get().db_password.expose_secret(), "from-the-store");
}

#[derive(serde::Deserialize, Debug)]
#[allow(dead_code)] // only loaded (or refused), never read
struct Creds {
    user: String,
    password: Secret<String>,
}

/// Fields that are secret without being `Secret<_>` themselves: a `json`
/// type that holds one, and a `plaintext` field that reads a SecureString.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/prod/ledger")]
#[allow(dead_code)] // only loaded (or refused), never read
struct Ledger {
    #[ssm(json)]
    creds: Creds,
    #[ssm(plaintext)]
    signing_key: String,
    token: Secret<String>,
}

fn ledger_store() -> MemorySource {
    let store = MemorySource::new();
    store.put(
        "/prod/ledger/creds",
        r#"{"user":"ledger","password":"from-the-store"}"#,
    );
    store.put_secure("/prod/ledger/signing_key", "from-the-store");
    store.put_secure("/prod/ledger/token", "from-the-store");
    store
}

#[tokio::test]
async fn refusing_covers_json_types_that_hold_a_secret_and_plaintext_fields() {
    let error = Ledger::loader()
        .source(ledger_store())
        .env_prefix("LEDGER_")
        .env_override(
            "LEDGER_CREDS",
            format!(r#"{{"user":"ledger","password":"{CANARY}"}}"#),
        )
        .env_override("LEDGER_SIGNING_KEY", CANARY)
        .refuse_secret_overrides()
        .fetch()
        .await
        .unwrap_err();
    let mut refused: Vec<&str> = refused(&error)
        .into_iter()
        .map(|(field, _)| field)
        .collect();
    refused.sort();
    assert_eq!(refused, ["creds", "signing_key"], "{error}");
    assert!(!format!("{error} {error:?}").contains(CANARY), "{error}");
}

/// A layer above the store that names no file (a `MemorySource` of
/// overrides, as `Layered`'s docs show) stands in for the store too.
#[tokio::test]
async fn refusing_covers_any_layer_above_the_store() {
    let overrides = MemorySource::new();
    overrides.put_secure("/prod/ledger/token", CANARY);
    let error = Ledger::loader()
        .source(Layered::new().then(overrides).then(ledger_store()))
        .refuse_secret_overrides()
        .fetch()
        .await
        .unwrap_err();
    let refused: Vec<String> = refused(&error)
        .into_iter()
        .map(|(field, origin)| format!("{field}: {origin}"))
        .collect();
    assert_eq!(
        refused,
        ["token: /prod/ledger/token version 1 in memory source"],
        "{error}"
    );
    let loaded = Ledger::loader()
        .source(
            Layered::new()
                .then(MemorySource::new())
                .then(ledger_store()),
        )
        .refuse_secret_overrides()
        .fetch()
        .await
        .expect("values from the bottom layer are the store's");
    assert_eq!(loaded.token.expose_secret(), "from-the-store");
}

/// The doctor shows each stand-in: a warning where the load lets it
/// through, an error (counted, so a pipeline that counts errors stops)
/// where the loader refuses it.
#[tokio::test]
async fn the_doctor_shows_each_stand_in_as_a_warning_or_an_error() {
    use ssm_config::doctor::{Finding, Severity};
    let loader = || {
        Billing::loader()
            .source(store())
            .env_prefix("BILLING_")
            .env_override("BILLING_DB_PASSWORD", CANARY)
    };
    let report = loader().diagnose().await;
    let row = report
        .row("db_password")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(row.finding, Finding::NotFromStore, "{report}");
    assert_eq!(row.severity, Severity::Warning, "{report}");
    assert!(row.detail.contains("env BILLING_DB_PASSWORD"), "{report}");
    assert!(report.would_load, "{report}");

    let report = loader().refuse_secret_overrides().diagnose().await;
    let row = report
        .row("db_password")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(row.finding, Finding::NotFromStore, "{report}");
    assert_eq!(row.severity, Severity::Error, "{report}");
    assert!(!report.would_load, "{report}");
    assert!(report.error_count() >= 1, "{report}");
    assert!(!report.to_string().contains(CANARY), "{report}");
}

#[test]
fn a_stand_in_that_appears_after_the_first_load_is_warned_of_by_the_refresh_that_serves_it() {
    in_own_process!(
        a_stand_in_that_appears_after_the_first_load_is_warned_of_by_the_refresh_that_serves_it,
        env: &[],
        { warned_when_it_appears() }
    );
}

fn warned_when_it_appears() {
    let file = TempFile::new("appears.toml", "[parameters]\n");
    let (_, traced) = crate::support::traced::traced(async {
        let source = Layered::new()
            .then_optional(FileSource::new(&file.path))
            .then(store());
        let live = Billing::loader().source(source).load().await.unwrap();
        let entry = |value: &str| {
            format!(
                "[parameters]\n\"/prod/billing/db/password\" = {{ value = \"{value}\", type = \"SecureString\" }}\n"
            )
        };
        file.write(&entry(CANARY));
        live.refresh().await.unwrap();
        assert_eq!(live.get().db_password.expose_secret(), CANARY);
        file.write(&entry("a-second-left-behind-value"));
        live.refresh().await.unwrap();
        live.refresh().await.unwrap();
    });
    let warnings: Vec<&str> = traced
        .lines()
        .filter(|line| line.starts_with("WARN") && line.contains("db_password"))
        .collect();
    assert_eq!(warnings.len(), 1, "said once, when it appeared:\n{traced}");
    assert!(warnings[0].contains("appears.toml"), "{traced}");
    assert!(!traced.contains(CANARY), "{traced}");
}

/// A secret's default in code is a value from beside the store too: a
/// development value left behind, refused like any other stand-in.
#[tokio::test]
async fn refusing_covers_a_secrets_default_in_code() {
    #[derive(SsmConfig, Debug)]
    #[ssm(prefix = "/prod/defaults")]
    struct Defaults {
        #[ssm(default = "dev-default-pass")]
        password: Secret<String>,
        #[ssm(default = 8080)]
        port: u16,
    }
    let error = Defaults::loader()
        .source(MemorySource::new())
        .refuse_secret_overrides()
        .fetch()
        .await
        .unwrap_err();
    let refused = refused(&error);
    assert_eq!(refused, [("password", &Origin::Default)], "{error}");
    assert!(!error.to_string().contains("dev-default-pass"), "{error}");

    let store = MemorySource::new();
    store.put_secure("/prod/defaults/password", "from-the-store");
    let config = Defaults::loader()
        .source(store)
        .refuse_secret_overrides()
        .fetch()
        .await
        .expect("a default not used is no stand-in, nor a plain field's default");
    assert_eq!(config.password.expose_secret(), "from-the-store");
    assert_eq!(config.port, 8080);
}
