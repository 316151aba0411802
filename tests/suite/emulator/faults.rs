//! Faults injected between the library and the emulator by the loopback
//! proxy: throttling, an emulator gone mid-life, a failing batch, responses
//! slower than the timeout, a response that does not parse. Every test is
//! bounded in time.

use ssm_config::live::RefreshPolicy;
use std::sync::Arc;
use std::time::Duration;

use crate::support::backend::Backend as _;
use crate::support::emulator::{self, Emulator};
use crate::support::proxy::{Fault, Proxy, Share};
use aws_sdk_ssm::config::retry::RetryConfig;
use aws_sdk_ssm::config::timeout::TimeoutConfig;
use ssm_config::{SsmConfig, source::AwsSource};

/// Where a test that goes wrong still ends.
const BOUND: Duration = Duration::from_secs(60);

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/faults")]
struct Small {
    host: String,
    port: u16,
}

/// 25 names: three `GetParameters` batches.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/batches")]
struct Batches {
    #[ssm(by_path = "values")]
    values: std::collections::HashMap<String, String>,
    #[ssm(nested = "names")]
    names: TwentyFive,
}

macro_rules! twenty_five {
    ($($field:ident),*) => {
        #[derive(SsmConfig, Debug)]
        #[allow(dead_code)] // read through `Debug` and two fields
        struct TwentyFive { $($field: String),* }
        const NAMES: &[&str] = &[$(stringify!($field)),*];
    };
}
twenty_five!(
    n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12, n13, n14, n15, n16, n17, n18, n19,
    n20, n21, n22, n23, n24, n25
);

/// An SSM source through `proxy`, with `attempts` tries per call, fast
/// backoff, and an optional per-attempt timeout.
fn source(proxy: &Proxy, attempts: u32, attempt_timeout: Option<Duration>) -> AwsSource {
    let mut config = emulator::ssm_config(&proxy.endpoint()).retry_config(
        RetryConfig::standard()
            .with_max_attempts(attempts)
            .with_initial_backoff(Duration::from_millis(5))
            .with_max_backoff(Duration::from_millis(50)),
    );
    if let Some(timeout) = attempt_timeout {
        config = config.timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(timeout)
                .build(),
        );
    }
    AwsSource::new(aws_sdk_ssm::Client::from_conf(config.build()))
}

async fn seed_batches(emulator: &Emulator, value: &str) {
    for name in NAMES {
        emulator.put(&format!("/batches/names/{name}"), value).await;
    }
    emulator.put("/batches/values/a", value).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_succeeds_with_thirty_percent_of_requests_throttled() {
    let Some(emulator) = Emulator::start().await else {
        return;
    };
    seed_batches(&emulator, "v").await;
    let proxy = Proxy::start(&emulator.endpoint).await;
    proxy.inject(Fault::Throttle, Share::Rate(0.3));
    let attempts = 6;
    let loaded = tokio::time::timeout(
        BOUND,
        Batches::loader()
            .source(source(&proxy, attempts, None))
            .load(),
    )
    .await
    .expect("bounded");
    let config = loaded.expect("throttling is retried until the load succeeds");
    assert_eq!(config.get().names.n25, "v");

    let throttled = proxy.faults().get("Throttle").copied().unwrap_or(0);
    let requests: u64 = proxy.requests().values().sum();
    // 3 GetParameters calls and 1 by-path page made it through; every other
    // request was a throttled attempt, and no call tried more than allowed.
    assert_eq!(requests - throttled, 4, "{:?}", proxy.requests());
    assert!(
        throttled >= 1,
        "the proxy throttled nothing: {:?}",
        proxy.faults()
    );
    assert!(
        requests <= 4 * u64::from(attempts),
        "{requests} requests for 4 calls of at most {attempts} attempts"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_emulator_keeps_the_last_snapshot_and_recovers() {
    let Some(emulator) = Emulator::start().await else {
        return;
    };
    emulator.put("/faults/host", "db-1").await;
    emulator.put("/faults/port", "5432").await;
    let proxy = Proxy::start(&emulator.endpoint).await;
    let max_age = Duration::from_millis(200);
    let config = Small::loader()
        .source(source(&proxy, 1, None))
        .refresh(RefreshPolicy::new().max_age(max_age))
        .load()
        .await
        .unwrap();
    let before = config.get();
    assert_eq!((before.host.as_str(), before.port), ("db-1", 5432));

    proxy.set_down(true);
    emulator.put("/faults/host", "db-2").await;
    let forced = config.refresh().await.unwrap_err().to_string();
    assert!(forced.contains("unreachable"), "{forced}");

    // Readers keep going for five max-ages; the refresher tries once per expiry.
    proxy.reset_counts();
    let started = std::time::Instant::now();
    let reads = tokio::spawn({
        let config = config.clone();
        async move {
            for _ in 0..100 {
                let snapshot = config.get();
                assert_eq!(snapshot.host, "db-1", "the last good snapshot is served");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    });
    tokio::time::timeout(BOUND, reads)
        .await
        .expect("bounded")
        .unwrap();
    // One attempt per call (no retries). After a failure the refresher
    // backs off with full jitter below a ceiling capped at max age: about
    // two attempts per max age, never a loop. Four per max age is a bound
    // the jitter breaks with a chance under one in a million.
    let expiries = (started.elapsed().as_millis() / max_age.as_millis()) as u64 + 1;
    let refused = proxy.refused_connections();
    assert!(
        (1..=4 * expiries).contains(&refused),
        "{refused} refresh attempts in {:?} with a max age of {max_age:?}",
        started.elapsed()
    );
    assert!(Arc::ptr_eq(before.as_arc(), config.get().as_arc()));

    // Once it is back, strict reads get the last error until the backoff
    // (at most a max age) has passed, then the next attempt succeeds. The
    // first attempt may still fail on a connection the proxy reset.
    proxy.set_down(false);
    let after = tokio::time::timeout(BOUND, async {
        loop {
            match config.fresh().await {
                Ok(after) => break after,
                Err(_) => tokio::time::sleep(max_age / 4).await,
            }
        }
    })
    .await
    .expect("fresh again within the bound");
    assert_eq!(after.host, "db-2");
    assert_eq!(config.status().consecutive_failures, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_with_one_failed_batch_publishes_nothing() {
    let Some(emulator) = Emulator::start().await else {
        return;
    };
    seed_batches(&emulator, "old").await;
    let proxy = Proxy::start(&emulator.endpoint).await;
    let config = Batches::loader()
        .source(source(&proxy, 1, None))
        .load()
        .await
        .unwrap();
    let before = config.get();

    seed_batches(&emulator, "new").await;
    proxy.inject(Fault::ServerError, Share::Next(1));
    let error = config.refresh().await.unwrap_err().to_string();
    assert!(
        error.contains("500") || error.contains("InternalServerError"),
        "{error}"
    );
    assert_eq!(proxy.faults().get("ServerError"), Some(&1));
    let current = config.get();
    assert!(
        Arc::ptr_eq(before.as_arc(), current.as_arc()),
        "nothing of that refresh is published"
    );
    assert_eq!(
        (current.names.n01.as_str(), current.names.n25.as_str()),
        ("old", "old")
    );
    assert_eq!(current.values["a"], "old");

    let after = config.refresh().await.unwrap();
    assert_eq!(
        (after.names.n01.as_str(), after.names.n25.as_str()),
        ("new", "new")
    );
    assert_eq!(after.values["a"], "new");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_slower_than_the_timeout_fail_instead_of_hanging() {
    let Some(emulator) = Emulator::start().await else {
        return;
    };
    emulator.put("/faults/host", "db-1").await;
    emulator.put("/faults/port", "5432").await;
    let proxy = Proxy::start(&emulator.endpoint).await;
    proxy.inject(Fault::Slow(Duration::from_secs(5)), Share::Rate(1.0));
    let loaded = tokio::time::timeout(
        BOUND,
        Small::loader()
            .source(source(&proxy, 2, Some(Duration::from_millis(300))))
            .load(),
    )
    .await
    .expect("a slow server must not hang the load");
    let error = loaded.unwrap_err().to_string();
    assert!(error.contains("timed out"), "{error}");
    assert_eq!(
        proxy.requests_for("GetParameters"),
        2,
        "one call, two attempts"
    );
}

/// Stands for the decrypted values a response body holds.
const CANARY: &str = "canary-90c4d2";

/// Answers of 200 whose body holds the canary and does not parse: cut off
/// in the middle, and the canary where a number belongs.
const UNPARSABLE: [&str; 2] = [
    r#"{"InvalidParameters":[],"Parameters":[{"Name":"/faults/host","Type":"SecureString","Value":"canary-90c4d2","Version":"#,
    r#"{"InvalidParameters":[],"Parameters":[{"Name":"/faults/host","Type":"SecureString","Value":"x","Version":"canary-90c4d2"}]}"#,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_that_does_not_parse_never_shows_its_body() {
    let Some(emulator) = Emulator::start().await else {
        return;
    };
    let proxy = Proxy::start(&emulator.endpoint).await;
    for body in UNPARSABLE {
        assert!(body.contains(CANARY));
        proxy.inject(Fault::Unparsable(body), Share::Rate(1.0));
        let loaded = tokio::time::timeout(
            BOUND,
            Small::loader().source(source(&proxy, 1, None)).load(),
        )
        .await
        .expect("bounded");
        let error = loaded.unwrap_err();
        let display = error.to_string();
        assert!(
            display.contains(
                "GetParameters failed (error): the response (HTTP 200) could not be parsed"
            ) && display.contains("/faults/host"),
            "says the call, what went wrong and the names: {display}"
        );
        let source_errors: Vec<_> = error.source_errors().collect();
        for (what, text) in [
            ("Display", display),
            ("Debug", format!("{error:?}")),
            ("Debug (alternate)", format!("{error:#?}")),
            ("source error Debug", format!("{source_errors:?}")),
        ] {
            assert!(
                !text.contains(CANARY),
                "the body shows in the {what}:\n{text}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_accepts_and_never_answers_fails_in_seconds_with_default_settings() {
    let Some(emulator) = Emulator::start().await else {
        return;
    };
    emulator.put("/faults/host", "db-1").await;
    emulator.put("/faults/port", "5432").await;
    let proxy = Proxy::start(&emulator.endpoint).await;
    // The client sets no timeout of its own, as `aws_config` leaves them.
    let default_source = || AwsSource::new(emulator::ssm_client(&proxy.endpoint()));
    let config = Small::loader()
        .source(default_source())
        .refresh(RefreshPolicy::new().max_age(Duration::from_secs(1)))
        .load()
        .await
        .unwrap();

    proxy.inject(Fault::Stall, Share::Rate(1.0));
    let started = std::time::Instant::now();
    let err = tokio::time::timeout(BOUND, config.refresh())
        .await
        .expect("a stalled refresh ends")
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ssm_config::error::ErrorKind::Source(ssm_config::source::SourceErrorKind::Timeout),
        "{err}"
    );
    let took = started.elapsed();
    assert!(took < Duration::from_secs(15), "{took:?}");
    // Said in words, without the SDK's `Debug` of its timeout error.
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(
            !text.contains("TimeoutError(") && !text.contains("MaybeTimeoutError"),
            "{text}"
        );
    }
    let said = err.to_string();
    assert!(
        said.contains("GetParameters failed (timed out): request has timed out: operation timeout (all attempts including retries) occurred after 5s"),
        "{said}"
    );
    let status = config.status();
    assert_eq!(status.last_error.unwrap().kind, err.kind());
    assert!(
        proxy.requests_for("GetParameters") >= 2,
        "the stalled attempt was abandoned and tried again: {:?}",
        proxy.requests()
    );

    let load = tokio::time::timeout(BOUND, Small::loader().source(default_source()).load())
        .await
        .expect("a stalled load ends");
    assert_eq!(load.unwrap_err().kind(), err.kind());

    proxy.heal();
    emulator.put("/faults/host", "db-2").await;
    tokio::time::timeout(BOUND, async {
        while config.get().host != "db-2" {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the refresher recovers by itself once the store answers");
    assert_eq!(config.status().consecutive_failures, 0);
}
