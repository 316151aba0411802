//! A deadline around one call or one whole load, on tokio's timer (so a
//! paused clock in tests moves it too).

use std::time::Duration;

/// `work`, given up after `limit`, on the tokio runtime's timer. Outside a
/// runtime, or on one built without `enable_time`, there is no timer, and
/// it runs to its end.
pub(crate) async fn deadline<F: std::future::Future>(
    limit: Duration,
    work: F,
) -> Option<F::Output> {
    let Some(timer) = timer(limit) else {
        return Some(work.await);
    };
    match futures_util::future::select(std::pin::pin!(work), std::pin::pin!(timer)).await {
        futures_util::future::Either::Left((output, _)) => Some(output),
        futures_util::future::Either::Right(_) => None,
    }
}

/// Runtimes found without a timer, so that each is tried once: tokio's
/// timer panics when the runtime has none, and its hook prints the message.
static WITHOUT_TIMER: std::sync::Mutex<Vec<tokio::runtime::Id>> = std::sync::Mutex::new(Vec::new());

/// A sleep of `limit` on the current runtime's timer, if it has one.
fn timer(limit: Duration) -> Option<tokio::time::Sleep> {
    let runtime = tokio::runtime::Handle::try_current().ok()?.id();
    let without = || WITHOUT_TIMER.lock().unwrap_or_else(|p| p.into_inner());
    if without().contains(&runtime) {
        return None;
    }
    match std::panic::catch_unwind(|| tokio::time::sleep(limit)) {
        Ok(sleep) => Some(sleep),
        Err(_no_timer) => {
            tracing::warn!(
                "the tokio runtime has no timer (built without `enable_time`): loads run without deadlines"
            );
            let mut without = without();
            if without.len() >= 64 {
                without.clear();
            }
            without.push(runtime);
            None
        }
    }
}
