//! [`Subscription`]: a live handle's queue on the topic, and the task that
//! polls it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::clients::{Clients, retried};
use super::filter::EventSources;
use super::queue::{self, Queue};
use super::state::{Counts, Shared, SubscriptionState};
use super::{FanOut, FanOutError, poll};
use crate::{Live, SsmConfig};

impl<T: SsmConfig> Live<T> {
    /// Subscribes this configuration to the SNS topic of `fan_out`: creates
    /// a queue of its own (tagged, so that leftovers can be found), lets
    /// the topic send to it, subscribes it with raw message delivery, and
    /// starts a task that long-polls it and hands each message to
    /// [`apply_event`](Live::apply_event). A message that is no event is
    /// deleted and counted as poison, never retried.
    ///
    /// The queue and the subscription are removed by
    /// [`Subscription::shutdown`], awaited; a subscription dropped without
    /// it, or the configuration's last `Live` handle dropped, removes them
    /// in a task, best effort: a runtime that ends may cancel it first.
    ///
    /// A change made between the load and the subscription, or before SNS
    /// delivers to the new queue, is not delivered: keep a max age as the
    /// safety net, as for any event delivery, which is best effort.
    pub async fn fan_out(&self, fan_out: FanOut) -> Result<Subscription, FanOutError> {
        let clients = Clients::new(&fan_out).await;
        let sources = self.event_sources();
        let queue = start(&clients, &fan_out, &sources).await?;
        let shared = Arc::new(Shared {
            queue: Mutex::new(queue),
            sources,
            state: Mutex::new(SubscriptionState::Subscribed),
            counts: Counts::default(),
            last_error: Mutex::new(None),
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(poll::run(
            self.downgrade(),
            clients.clone(),
            fan_out,
            Arc::clone(&shared),
            stopped,
        ));
        Ok(Subscription {
            shared,
            clients,
            stop,
            task: Some(task),
            removed: false,
        })
    }
}

/// Makes the queue and its subscription, trying again after a jittered
/// backoff, five times at most (SNS limits `Subscribe` per account: a fleet
/// that starts at once is throttled). A name refused before any call is not
/// tried again.
async fn start(
    clients: &Clients,
    fan_out: &FanOut,
    sources: &EventSources,
) -> Result<Queue, FanOutError> {
    retried(5, Duration::from_secs(8), "fan-out start", || {
        queue::create(clients, fan_out, sources)
    })
    .await
}

/// A live handle's subscription to a topic: its queue, and the task that
/// polls it. [`shutdown`](Subscription::shutdown) removes both; dropped, the
/// subscription removes them in a task of its own, which a runtime that
/// ends (the end of `main`) may cancel first.
#[must_use = "dropped, the subscription removes its queue at once"]
pub struct Subscription {
    shared: Arc<Shared>,
    clients: Clients,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    /// Whether `shutdown` removed the queue: if not (dropped, or its
    /// caller cancelled), `Drop` does it.
    removed: bool,
}

/// A subscription's state and what its task has seen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubscriptionStatus {
    /// Where it stands.
    pub state: SubscriptionState,
    /// The queue's URL.
    pub queue_url: String,
    /// Whether SNS filters what reaches the queue: only the events of what
    /// this configuration reads. `false` where the policy would not fit
    /// SNS's limits, SNS refused it, or none was asked for
    /// ([`FanOut::without_filter_policy`](super::FanOut::without_filter_policy)):
    /// every event of the topic arrives, and the instance ignores what it
    /// does not read.
    pub filtered: bool,
    /// `ReceiveMessage` calls made: what the subscription costs in SQS when
    /// nothing changes (one per poll wait).
    pub polls: u64,
    /// Messages received.
    pub received: u64,
    /// Events that concern this configuration: a refresh was scheduled.
    pub applied: u64,
    /// Events about nothing it reads.
    pub ignored: u64,
    /// Messages that are no usable event, deleted without retry.
    pub poison: u64,
    /// Times the queue was made again after it disappeared.
    pub recreated: u64,
    /// The last failed SQS or SNS call of the task, if any (it is also
    /// logged as a warning through `tracing`).
    pub last_error: Option<FanOutError>,
}

impl Subscription {
    /// The subscription's state and counts.
    pub fn status(&self) -> SubscriptionStatus {
        let counts = &self.shared.counts;
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let queue = self.shared.queue();
        SubscriptionStatus {
            state: *self.shared.state.lock().unwrap_or_else(|p| p.into_inner()),
            queue_url: queue.url,
            filtered: queue.filtered,
            polls: load(&counts.polls),
            received: load(&counts.received),
            applied: load(&counts.applied),
            ignored: load(&counts.ignored),
            poison: load(&counts.poison),
            recreated: load(&counts.recreated),
            last_error: self
                .shared
                .last_error
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        }
    }

    /// Stops the task, then unsubscribes the queue and deletes it. The only
    /// removal that is sure to happen: await it before the runtime ends.
    pub async fn shutdown(mut self) -> Result<(), FanOutError> {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        // The last `Live` handle dropped, and the task removed it already.
        if self.status().state == SubscriptionState::Stopped {
            self.removed = true;
            return Ok(());
        }
        let removed = queue::remove(&self.clients, &self.shared.queue()).await;
        self.shared.set_state(SubscriptionState::Stopped);
        self.removed = true;
        removed
    }
}

/// Dropped without [`Subscription::shutdown`]: the task stops, and the
/// queue and subscription are removed in a task of their own, where a
/// runtime still runs.
impl Drop for Subscription {
    fn drop(&mut self) {
        if self.removed {
            return;
        }
        let _ = self.stop.send(true);
        let task = self.task.take();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (clients, shared) = (self.clients.clone(), Arc::clone(&self.shared));
            runtime.spawn(async move {
                if let Some(task) = task {
                    let _ = task.await;
                }
                if shared.state() != SubscriptionState::Stopped {
                    let _ = queue::remove(&clients, &shared.queue()).await;
                    shared.set_state(SubscriptionState::Stopped);
                }
            });
        }
    }
}
