//! Values derived from a configuration: rebuilt only when the part of it
//! they use changes (a key), and rebuilt off the request path by a fallible
//! async builder whose failure keeps the value built before.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ssm_config::{MemorySource, Secret, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/derive")]
struct Db {
    url: String,
    password: Secret<String>,
    log: String,
}

fn seeded() -> MemorySource {
    let source = MemorySource::new();
    source.put("/derive/url", "db:5432");
    source.put_secure("/derive/password", "one");
    source.put("/derive/log", "info");
    source
}

/// Waits, on the real clock and at most a few seconds, until `done` holds.
async fn until(mut done: impl FnMut() -> bool) {
    let waited = tokio::time::timeout(Duration::from_secs(10), async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "the condition never held");
}

#[tokio::test]
async fn a_keyed_value_is_rebuilt_only_when_its_key_changes() {
    let source = seeded();
    let config = Db::loader().source(source.clone()).load().await.unwrap();
    let builds = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&builds);
    let pool = config.map_keyed(
        |db| (db.url.clone(), db.password.clone()),
        move |db| {
            counted.fetch_add(1, Ordering::SeqCst);
            format!("{}?pw={}", db.url, db.password.expose_secret())
        },
    );
    assert_eq!(*pool.get(), "db:5432?pw=one");

    source.put("/derive/log", "debug");
    config.refresh().await.unwrap();
    assert_eq!(config.get().log, "debug");
    assert_eq!(*pool.get(), "db:5432?pw=one");
    assert_eq!(builds.load(Ordering::SeqCst), 1, "the key did not change");

    source.put_secure("/derive/password", "two");
    config.refresh().await.unwrap();
    assert_eq!(*pool.get(), "db:5432?pw=two");
    assert_eq!(builds.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_async_value_is_rebuilt_off_the_request_path_and_keeps_the_old_on_failure() {
    let source = seeded();
    let config = Db::loader().source(source.clone()).load().await.unwrap();
    let pool = config
        .map_async(|db: Arc<Db>| async move {
            tokio::task::yield_now().await;
            match db.url.as_str() {
                "unreachable:1" => Err(format!("cannot connect to {}", db.url)),
                url => Ok(format!("{url}?pw={}", db.password.expose_secret())),
            }
        })
        .await
        .unwrap();
    assert_eq!(*pool.get(), "db:5432?pw=one");
    assert_eq!(pool.status().consecutive_failures, 0);

    source.put("/derive/url", "unreachable:1");
    config.refresh().await.unwrap();
    until(|| pool.status().consecutive_failures == 1).await;
    assert_eq!(*pool.get(), "db:5432?pw=one", "the old value stays");
    let status = pool.status();
    assert!(
        status
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("cannot connect to unreachable:1")),
        "{status:?}"
    );

    source.put("/derive/url", "db:6543");
    config.refresh().await.unwrap();
    until(|| pool.get().starts_with("db:6543")).await;
    assert_eq!(pool.status().consecutive_failures, 0);
}

#[tokio::test]
async fn an_async_value_that_cannot_be_built_first_is_an_error() {
    let config = Db::loader().source(seeded()).load().await.unwrap();
    let built = config
        .map_async_keyed(
            |db| db.url.clone(),
            |_db: Arc<Db>| async { Err::<String, _>("no connection") },
        )
        .await;
    assert_eq!(built.unwrap_err(), "no connection");
}

#[tokio::test]
async fn an_async_keyed_value_is_not_rebuilt_for_another_part() {
    let source = seeded();
    let config = Db::loader().source(source.clone()).load().await.unwrap();
    let builds = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&builds);
    let pool = config
        .map_async_keyed(
            |db| db.url.clone(),
            move |db: Arc<Db>| {
                counted.fetch_add(1, Ordering::SeqCst);
                async move { Ok::<_, String>(db.url.clone()) }
            },
        )
        .await
        .unwrap();
    source.put("/derive/log", "debug");
    config.refresh().await.unwrap();
    source.put("/derive/url", "db:7");
    config.refresh().await.unwrap();
    until(|| *pool.get() == "db:7").await;
    assert_eq!(
        builds.load(Ordering::SeqCst),
        2,
        "built first, then for the url alone"
    );
}

/// A panicking builder is a failed rebuild, like an error.
#[tokio::test]
async fn a_panicking_async_builder_keeps_the_old_value() {
    let source = seeded();
    let config = Db::loader().source(source.clone()).load().await.unwrap();
    let pool = config
        .map_async(|db: Arc<Db>| async move {
            if db.url == "panic" {
                panic!("builder bug");
            }
            Ok::<_, String>(db.url.clone())
        })
        .await
        .unwrap();
    source.put("/derive/url", "panic");
    config.refresh().await.unwrap();
    until(|| pool.status().consecutive_failures == 1).await;
    assert_eq!(*pool.get(), "db:5432");
    let status = pool.status();
    assert!(
        !status
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("builder bug"),
        "a panic's message is never shown: {status:?}"
    );
}

/// A builder that panics before it returns its future fails that rebuild
/// only: the task lives on, the old value stays, the status says so, and the
/// next change is built.
#[tokio::test]
async fn an_async_builder_that_panics_before_its_future_keeps_the_old_value() {
    let source = seeded();
    let config = Db::loader().source(source.clone()).load().await.unwrap();
    let pool = config
        .map_async(|db: Arc<Db>| {
            if db.url == "panic" {
                panic!("builder bug before its future");
            }
            async move { Ok::<_, String>(db.url.clone()) }
        })
        .await
        .unwrap();
    source.put("/derive/url", "panic");
    config.refresh().await.unwrap();
    until(|| pool.status().consecutive_failures == 1).await;
    assert_eq!(*pool.get(), "db:5432", "the old value stays");
    let status = pool.status();
    assert!(
        status
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("panicked") && !e.contains("builder bug")),
        "{status:?}"
    );

    source.put("/derive/url", "db:6543");
    config.refresh().await.unwrap();
    until(|| *pool.get() == "db:6543").await;
    assert_eq!(pool.status().consecutive_failures, 0);
}

/// Outside a tokio runtime there is nothing to rebuild on: the first value
/// is built, and the status says it will never be rebuilt, without a
/// panic.
#[test]
fn an_async_value_outside_tokio_says_it_is_never_rebuilt() {
    let config = futures_lite_block_on(Db::loader().source(seeded()).load()).unwrap();
    let pool = futures_lite_block_on(
        config.map_async(|db: Arc<Db>| async move { Ok::<_, String>(db.url.clone()) }),
    )
    .unwrap();
    assert_eq!(*pool.get(), "db:5432");
    let status = pool.status();
    assert!(
        status
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("never rebuilt")),
        "{status:?}"
    );
}

/// A minimal executor with no tokio runtime around it.
fn futures_lite_block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};
    struct Thread(std::thread::Thread);
    impl Wake for Thread {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Thread(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}
