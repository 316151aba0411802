//! A canary secret run through every path a value can leak by: `Debug` of
//! the config and of errors, `Display` of errors and of their chain,
//! everything traced at TRACE level (the AWS SDK's events included), and a
//! panic on a failed load; from a `MemorySource` (so it runs wherever the
//! tests run), an environment override and a file, then from moto through
//! the AWS SDK, a response that does not parse included. One test in a
//! process of its own, as it installs a global subscriber and a panic hook.

use std::sync::{Arc, Mutex};

use crate::support::backend::Backend as _;
use crate::support::emulator::{self, Emulator};
use crate::support::proxy::{Fault, Proxy, Share};
use crate::support::scratch::TempFile;
use crate::support::traced::Capture;
use ssm_config::source::{AwsSource, FileSource};
use ssm_config::{Secret, SsmConfig};

const CANARY: &str = "canary-7f3a9c1e";

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/canary")]
struct Good {
    password: Secret<String>,
    #[ssm(secret = "canary/json", key = "token")]
    token: Secret<String>,
    #[ssm(secret = "canary/plain")]
    whole: Secret<String>,
    #[ssm(by_path = "all")]
    all: std::collections::HashMap<String, Secret<String>>,
}

/// Every way a secret value can fail to load.
#[derive(SsmConfig, Debug)]
#[allow(dead_code)] // never loads
#[ssm(prefix = "/canary")]
struct Bad {
    #[ssm(path = "password")]
    not_a_number: Secret<u16>,
    #[ssm(path = "copies/1")]
    plain_field: String,
    #[ssm(path = "copies/2", json)]
    not_json: Secret<Vec<u8>>,
    #[ssm(secret = "canary/json", key = "missing")]
    missing_key: Secret<String>,
    #[ssm(secret = "canary/plain", key = "token")]
    key_of_plain: Secret<String>,
    /// A plain String parameter whose JSON has a secret inside, in the
    /// wrong type: serde's message would quote it.
    #[ssm(path = "creds", json)]
    creds: Creds,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // never loads
struct Creds {
    user: String,
    password: Secret<u16>,
}

/// `json` values with a secret inside that break before serde reaches the
/// secret, so nothing in serde's state tells of it: the type must.
#[derive(SsmConfig, Debug)]
#[allow(dead_code)] // never loads
#[ssm(prefix = "/canary/json")]
struct BrokenJson {
    #[ssm(json)]
    wrong_type: Login,
    #[ssm(json)]
    no_comma: Login,
    #[ssm(json)]
    bare: Login,
    #[ssm(json)]
    deep: Vec<Db>,
    #[ssm(json)]
    reused_enum: Connection,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // never loads
struct Login {
    user: String,
    password: Secret<String>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // never loads
struct Db {
    host: String,
    logins: Vec<Login>,
}

/// A generic enum used with and without a `Secret`: serde names both uses
/// alike, and the secret stands where serde expects a variant's name.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // never loads
enum Source<T> {
    Inline(T),
    File(String),
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // never loads
enum Tls {
    Off,
    On(Source<String>),
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // never loads
enum Auth {
    None,
    Token(String),
    Basic(Source<Secret<String>>),
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // never loads
struct Connection {
    tls: Tls,
    auth: Auth,
}

/// Each field of `BrokenJson`, its text, and where the JSON breaks.
fn broken_json() -> [(&'static str, String, &'static str); 5] {
    [
        (
            "wrong_type",
            format!(r#"{{"user":7,"password":"{CANARY}"}}"#),
            "does not fit the type at line 1 column 9",
        ),
        (
            "no_comma",
            format!(r#"{{"user":"u" "password":"{CANARY}"}}"#),
            "is not valid JSON at line 1 column 13",
        ),
        (
            "bare",
            format!(r#""{CANARY}""#),
            "does not fit the type at line 1 column 17",
        ),
        (
            "deep",
            format!(r#"[{{"host":1,"logins":[{{"user":"u","password":"{CANARY}"}}]}}]"#),
            "does not fit the type at line 1 column 10",
        ),
        (
            "reused_enum",
            format!(r#"{{"tls":"Off","auth":{{"Basic":"{CANARY}"}}}}"#),
            "does not fit the type at line 1 column 46",
        ),
    ]
}

#[test]
fn a_canary_secret_never_shows() {
    // The subscriber and the panic hook are the process's own.
    in_own_process!(a_canary_secret_never_shows, env: &[], {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(canary_in_this_process());
    });
}

async fn canary_in_this_process() {
    let traced = Arc::new(Mutex::new(String::new()));
    tracing::subscriber::set_global_default(Capture::new(traced.clone()))
        .expect("the only subscriber of this process");
    let panics = Arc::new(Mutex::new(String::new()));
    std::panic::set_hook(Box::new({
        let panics = panics.clone();
        move |info| {
            // Shown too, so a failed assertion of this test says why.
            eprintln!("{info}");
            panics.lock().unwrap().push_str(&info.to_string());
        }
    }));

    // In memory first, so the check runs even where the emulator cannot
    // start; then end to end through the AWS SDK, against moto.
    let memory = ssm_config::MemorySource::new();
    for name in SECURE {
        memory.put_secure(name, CANARY);
    }
    memory.put_secret("canary/json", &format!(r#"{{"token":"{CANARY}"}}"#));
    memory.put_secret("canary/plain", CANARY);
    memory.put(
        "/canary/creds",
        &format!(r#"{{"user":"u","password":"{CANARY}"}}"#),
    );
    for (field, text, _) in broken_json() {
        memory.put(&format!("/canary/json/{field}"), &text);
    }
    never_shows(memory, &traced, &panics, false).await;
    broken_json_from_env_and_file_never_shows(&traced, &panics).await;

    let Some(emulator) = Emulator::start().await else {
        return;
    };
    for name in SECURE {
        emulator.put_secure(name, CANARY).await;
    }
    emulator
        .put_secret("canary/json", &format!(r#"{{"token":"{CANARY}"}}"#))
        .await;
    emulator.put_secret("canary/plain", CANARY).await;
    emulator
        .put(
            "/canary/creds",
            &format!(r#"{{"user":"u","password":"{CANARY}"}}"#),
        )
        .await;
    for (field, text, _) in broken_json() {
        emulator.put(&format!("/canary/json/{field}"), &text).await;
    }
    let proxy = Proxy::start(&emulator.endpoint).await;
    let source = AwsSource::new(emulator::ssm_client(&proxy.endpoint()));
    never_shows(source.clone(), &traced, &panics, true).await;

    // An answer that does not parse: its body holds the values asked for,
    // and the SDK's error holds the body.
    let body = format!(
        r#"{{"InvalidParameters":[],"Parameters":[{{"Name":"/canary/password","Type":"SecureString","Value":"{CANARY}","Version":"#
    );
    proxy.inject(Fault::Unparsable(body.leak()), Share::Rate(1.0));
    let unparsable = Good::fetch(source.clone()).await.unwrap_err();
    let display = unparsable.to_string();
    assert!(display.contains("could not be parsed"), "{display}");
    assert_hidden(error_texts(&unparsable), &traced, &panics);
}

/// The SecureStrings holding the canary.
const SECURE: [&str; 4] = [
    "/canary/password",
    "/canary/all/one",
    "/canary/copies/1",
    "/canary/copies/2",
];

/// Loads the canary from `source`, fails to load it every wrong way, and
/// checks that nothing shown, traced or panicked holds it. `through_sdk`:
/// the AWS SDK's own events are among the traced.
async fn never_shows<S: ssm_config::source::ParameterSource + Clone>(
    source: S,
    traced: &Mutex<String>,
    panics: &Mutex<String>,
    through_sdk: bool,
) {
    let config = Good::loader().source(source.clone()).load().await.unwrap();
    let snapshot = config.get();
    assert_eq!(
        snapshot.password.expose_secret(),
        CANARY,
        "the canary is loaded"
    );
    assert_eq!(snapshot.token.expose_secret(), CANARY);
    assert_eq!(snapshot.whole.expose_secret(), CANARY);
    assert_eq!(snapshot.all["one"].expose_secret(), CANARY);
    config.refresh().await.unwrap();

    let loaded = Bad::fetch(source.clone()).await;
    assert_eq!(loaded.as_ref().unwrap_err().problems().len(), 6);
    // What a service does with a config it cannot run without.
    let panicked = std::thread::spawn(move || loaded.expect("configuration")).join();
    assert!(panicked.is_err(), "unwrapping the error panics");

    let error = Bad::fetch(source.clone()).await.unwrap_err();
    let display = error.to_string();
    assert!(display.contains("not_a_number"), "{display}");
    assert!(
        display.contains("field `creds`: the value from /canary/creds version 1 is not a valid `Creds`: the value does not fit the type at line 1 column"),
        "{display}"
    );
    let panic = panics.lock().unwrap().clone();
    assert!(
        panic.contains("not_a_number"),
        "the panic was captured: {panic}"
    );
    if through_sdk {
        let trace = traced.lock().unwrap().clone();
        assert!(trace.contains("GetParameters"), "tracing was captured");
    }
    let broken = BrokenJson::fetch(source.clone()).await.unwrap_err();
    says_where_the_json_broke(&broken, |field| format!("/canary/json/{field} version 1"));
    let mut shown = vec![
        ("config Debug", format!("{snapshot:?}")),
        ("Live Debug", format!("{config:?}")),
    ];
    shown.extend(error_texts(&error));
    shown.extend(error_texts(&broken));
    assert_hidden(shown, traced, panics);
}

/// The same broken values from an environment override and from a file
/// entry: each goes through the field's own conversion.
async fn broken_json_from_env_and_file_never_shows(traced: &Mutex<String>, panics: &Mutex<String>) {
    let mut loader = BrokenJson::loader()
        .source(ssm_config::MemorySource::new())
        .env_prefix("CANARY_");
    for (field, text, _) in broken_json() {
        loader = loader.env_override(format!("CANARY_{}", field.to_uppercase()), text);
    }
    let from_env = loader.load().await.unwrap_err();
    says_where_the_json_broke(&from_env, |field| {
        format!("env CANARY_{}", field.to_uppercase())
    });

    let entries: String = broken_json()
        .iter()
        .map(|(field, text, _)| format!("\"/canary/json/{field}\" = '{text}'\n"))
        .collect();
    let file = TempFile::new("canary.toml", &format!("[parameters]\n{entries}"));
    let from_file = BrokenJson::fetch(FileSource::new(&file.path))
        .await
        .unwrap_err();
    says_where_the_json_broke(&from_file, |field| format!("/canary/json/{field} in "));

    let mut shown = error_texts(&from_env);
    shown.extend(error_texts(&from_file));
    assert_hidden(shown, traced, panics);
}

/// Each field of `BrokenJson` is reported, from `origin(field)`, by where
/// its JSON broke.
fn says_where_the_json_broke(error: &ssm_config::Error, origin: impl Fn(&str) -> String) {
    let display = error.to_string();
    for (field, _, broke) in broken_json() {
        let expected = origin(field);
        let line = display
            .lines()
            .find(|line| line.contains(&format!("field `{field}`")))
            .unwrap_or_else(|| panic!("no problem about `{field}`: {display}"));
        assert!(
            line.contains(&expected) && line.contains(&format!("the value {broke}")),
            "`{field}` from {expected} should break where it does ({broke}): {line}"
        );
    }
}

/// An error as it can be shown: `Display`, `Debug` (plain and alternate)
/// and the `Display` of each error of its `source` chain.
fn error_texts(error: &ssm_config::Error) -> Vec<(&'static str, String)> {
    let mut texts = vec![
        ("error Display", format!("{error}")),
        ("error Debug", format!("{error:?}")),
        ("error Debug (alternate)", format!("{error:#?}")),
    ];
    let mut next = std::error::Error::source(error);
    while let Some(cause) = next {
        texts.push(("error chain", format!("{cause} / {cause:?}")));
        next = cause.source();
    }
    texts
}

/// Nothing in `shown`, traced or panicked holds the canary.
fn assert_hidden(
    mut shown: Vec<(&'static str, String)>,
    traced: &Mutex<String>,
    panics: &Mutex<String>,
) {
    shown.push(("panic", panics.lock().unwrap().clone()));
    shown.push(("trace", traced.lock().unwrap().clone()));
    for (what, text) in shown {
        assert!(
            !text.contains(CANARY),
            "the canary shows in the {what}:\n{text}"
        );
    }
}
