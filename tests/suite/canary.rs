//! A canary secret run through every path a value can leak by: `Debug` of
//! the config and of errors, `Display` of errors, everything traced at TRACE
//! level (the AWS SDK's events included), and a panic on a failed load; from
//! a `MemorySource` (so it runs wherever the tests run), then from moto
//! through the AWS SDK. One test in a process of its own, as it installs a
//! global subscriber and a panic hook.

use std::sync::{Arc, Mutex};

use crate::support::backend::Backend as _;
use crate::support::emulator::{self, Emulator};
use crate::support::proxy::Proxy;
use crate::support::traced::Capture;
use ssm_config::{Secret, SsmConfig, source::AwsSource};

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
        move |info| panics.lock().unwrap().push_str(&info.to_string())
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
    never_shows(memory, &traced, &panics, false).await;

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
    let proxy = Proxy::start(&emulator.endpoint).await;
    let source = AwsSource::new(emulator::ssm_client(&proxy.endpoint()));
    never_shows(source, &traced, &panics, true).await;
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

    let loaded = Bad::fetch(&source).await;
    assert_eq!(loaded.as_ref().unwrap_err().problems().len(), 6);
    // What a service does with a config it cannot run without.
    let panicked = std::thread::spawn(move || loaded.expect("configuration")).join();
    assert!(panicked.is_err(), "unwrapping the error panics");

    let error = Bad::fetch(&source).await.unwrap_err();
    let shown = [
        format!("{snapshot:?}"),
        format!("{config:?}"),
        format!("{error}"),
        format!("{error:?}"),
        format!("{error:#?}"),
        panics.lock().unwrap().clone(),
        traced.lock().unwrap().clone(),
    ];
    let [_, _, display, _, _, panic, trace] = &shown;
    assert!(display.contains("not_a_number"), "{display}");
    assert!(
        display.contains("field `creds`: the value from /canary/creds version 1 is not a valid `Creds`: the value does not fit the type at line 1 column"),
        "{display}"
    );
    assert!(
        panic.contains("not_a_number"),
        "the panic was captured: {panic}"
    );
    if through_sdk {
        assert!(trace.contains("GetParameters"), "tracing was captured");
    }
    for (what, text) in [
        "config Debug",
        "Live Debug",
        "error Display",
        "error Debug",
        "error Debug (alternate)",
        "panic",
        "trace",
    ]
    .iter()
    .zip(&shown)
    {
        assert!(
            !text.contains(CANARY),
            "the canary shows in the {what}:\n{text}"
        );
    }
}
