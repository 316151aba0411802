//! The task of a subscription: long-polls its queue, hands each message to
//! the live handle, deletes it once handled, and makes the queue again when
//! it disappears. Every call has a deadline; failures back off with full
//! jitter.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::clients::Clients;
use super::error::Cause;
use super::message::event_of;
use super::queue;
use super::settings::FanOut;
use super::state::{Counts, Shared, SubscriptionState};
use crate::live::backoff;
use crate::live::{Applied, WeakLive};
use crate::{Live, SsmConfig};

/// The longest wait between failed polls.
const BACKOFF_CAP: Duration = Duration::from_secs(60);

/// How often a running subscription marks its queue as seen, for the sweep
/// of leftovers ([`sweep`](super::sweep)).
pub(super) const HEARTBEAT: Duration = Duration::from_secs(300);

pub(super) async fn run<T: SsmConfig>(
    live: WeakLive<T>,
    clients: Clients,
    settings: FanOut,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let mut failures = 0u32;
    let mut seen = Instant::now();
    loop {
        // The configuration's last handle is gone: so is its queue.
        if live.upgrade().is_none() {
            let _ = queue::remove(&clients, &shared.queue()).await;
            shared.set_state(SubscriptionState::Stopped);
            return;
        }
        if seen.elapsed() >= HEARTBEAT {
            seen = Instant::now();
            let _ = queue::heartbeat(&clients, &shared.queue().url).await;
        }
        let url = shared.queue().url;
        let wait = settings.wait;
        let receive = clients.call(
            "ReceiveMessage",
            wait,
            clients
                .sqs
                .receive_message()
                .queue_url(&url)
                .max_number_of_messages(10)
                .wait_time_seconds(wait.as_secs() as i32)
                .send(),
        );
        let asked = Instant::now();
        Counts::add(&shared.counts.polls);
        let received = tokio::select! {
            _ = stop.changed() => return,
            received = receive => received,
        };
        // An empty answer before the wait was up (a store that does not
        // long-poll): the rest of the wait is waited here, so the loop
        // never spins.
        if let Ok(output) = &received
            && output.messages().is_empty()
            && let Some(rest) = wait.checked_sub(asked.elapsed())
        {
            tokio::select! {
                _ = stop.changed() => return,
                () = tokio::time::sleep(rest) => {}
            }
        }
        let outcome = match received {
            Ok(output) => {
                let messages = output.messages.unwrap_or_default();
                // Handled first, the strong handle let go, then deleted: a
                // slow delete never keeps the configuration alive.
                let receipts: Vec<String> = match live.upgrade() {
                    // Dropped meanwhile: the next turn removes the queue.
                    None => Vec::new(),
                    Some(live) => messages
                        .into_iter()
                        .filter_map(|message| {
                            handle(&live, &shared.counts, message.body.as_deref());
                            message.receipt_handle
                        })
                        .collect(),
                };
                delete(&clients, &url, receipts).await
            }
            Err(err) if err.cause() == Cause::MissingQueue => {
                recreate(&clients, &settings, &shared).await
            }
            Err(err) => Err(err),
        };
        match outcome {
            Ok(()) => {
                failures = 0;
                shared.set_state(SubscriptionState::Subscribed);
            }
            Err(err) => {
                tracing::warn!(
                    topic = %settings.topic,
                    step = err.step(),
                    error = %err,
                    "fan-out call failed; trying again after a backoff"
                );
                shared.set_last_error(err);
                failures = failures.saturating_add(1);
                shared.set_state(SubscriptionState::Failing { failures });
                let pause = backoff::delay(failures, BACKOFF_CAP, backoff::draw());
                tokio::select! {
                    _ = stop.changed() => return,
                    () = tokio::time::sleep(pause) => {}
                }
            }
        }
    }
}

/// Deletes handled messages. One not deleted comes back after its
/// visibility timeout and is handled once more, which does no harm; the
/// failure is the turn's, and backs off.
async fn delete(
    clients: &Clients,
    url: &str,
    receipts: Vec<String>,
) -> Result<(), super::FanOutError> {
    let mut outcome = Ok(());
    for receipt in receipts {
        let deleted = clients
            .call(
                "DeleteMessage",
                Duration::ZERO,
                clients
                    .sqs
                    .delete_message()
                    .queue_url(url)
                    .receipt_handle(receipt)
                    .send(),
            )
            .await;
        if let Err(err) = deleted {
            outcome = Err(err);
        }
    }
    outcome
}

/// One message: the event it carries, applied, and counted. A panic while
/// reading it (a bug, never the user's code) counts it as poison instead of
/// ending the task.
fn handle<T: SsmConfig>(live: &Live<T>, counts: &Counts, body: Option<&str>) {
    Counts::add(&counts.received);
    let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        body.and_then(event_of).map(|event| live.apply_event(event))
    }))
    .unwrap_or(None);
    match applied {
        Some(Ok(Applied::Refreshing)) => Counts::add(&counts.applied),
        Some(Ok(Applied::Ignored)) => Counts::add(&counts.ignored),
        _ => Counts::add(&counts.poison),
    }
}

/// The queue disappeared under the running subscription: it is made
/// again, and the subscription of the old one removed, best effort.
async fn recreate(
    clients: &Clients,
    settings: &FanOut,
    shared: &Shared,
) -> Result<(), super::FanOutError> {
    shared.set_state(SubscriptionState::Recreating);
    let old = shared.queue();
    let new = queue::create(clients, settings, &shared.sources).await?;
    // A queue of the same name has the same ARN, and SNS answers a second
    // subscription of one endpoint with the first: only another is removed.
    if old.subscription != new.subscription {
        let _ = queue::unsubscribe(clients, &old.subscription).await;
    }
    *shared.queue.lock().unwrap_or_else(|p| p.into_inner()) = new;
    Counts::add(&shared.counts.recreated);
    Ok(())
}
