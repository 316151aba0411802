//! The sweep of leftovers: queues (and their subscriptions) of instances
//! that ended without shutting down, found by their name's prefix and this
//! crate's tags, and removed once not polled for longer than asked.

use std::time::Duration;

use aws_config::SdkConfig;

use super::FanOut;
use super::FanOutError;
use super::clients::Clients;
use super::poll::HEARTBEAT;
use super::queue::{self, OWNER_TAG, SEEN_TAG, now};

/// What a sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Swept {
    /// The URLs of the queues removed, with their subscriptions.
    pub removed: Vec<String>,
    /// Queues of the prefix and of this crate still polled, kept.
    pub kept: usize,
    /// Queues whose removal failed (one deleted meanwhile, a topic gone),
    /// left for the next sweep.
    pub failed: usize,
}

/// Removes the queues named `prefix...` that this crate made and that no
/// subscription has polled for `idle` or longer, with their subscriptions.
/// A running subscription marks its queue every 5 minutes, so `idle` is
/// best an hour or more. Queues of the prefix without this crate's tags are
/// never touched. Run it from a scheduled job (an EventBridge schedule and
/// a Lambda function, a cron job) allowed `sqs:ListQueues` (on `*`),
/// `sqs:ListQueueTags`, `sqs:GetQueueAttributes` and `sqs:DeleteQueue` on
/// the prefix's queues, and `sns:ListSubscriptionsByTopic` and
/// `sns:Unsubscribe` on the topic.
///
/// `config`: the AWS settings, or `None` for the environment's.
pub async fn sweep(
    prefix: &str,
    idle: Duration,
    config: Option<&SdkConfig>,
) -> Result<Swept, FanOutError> {
    let mut settings = FanOut::topic("");
    if let Some(config) = config {
        settings = settings.sdk_config(config);
    }
    let clients = Clients::new(&settings).await;
    // A running queue is marked every HEARTBEAT, give or take a receive's
    // wait and a backoff: never judged idle under three of them.
    let idle = idle.max(HEARTBEAT * 3).as_secs();
    let mut swept = Swept::default();
    let mut next: Option<String> = None;
    loop {
        let page = clients
            .call(
                "ListQueues",
                Duration::ZERO,
                clients
                    .sqs
                    .list_queues()
                    .queue_name_prefix(prefix)
                    // Without it, SQS lists 1,000 queues and no next page.
                    .max_results(1000)
                    .set_next_token(next.take())
                    .send(),
            )
            .await?;
        for url in page.queue_urls() {
            // A queue gone meanwhile, or a topic gone: the next one.
            match sweep_one(&clients, url, idle).await {
                Ok(Some(true)) => swept.removed.push(url.clone()),
                Ok(Some(false)) => swept.kept += 1,
                Ok(None) => {}
                Err(_) => swept.failed += 1,
            }
        }
        match page.next_token {
            Some(token) => next = Some(token),
            None => return Ok(swept),
        }
    }
}

/// One queue of the prefix: removed (`Some(true)`) when this crate made it
/// and it is idle, kept (`Some(false)`) when still polled, `None` when it is
/// not this crate's.
async fn sweep_one(clients: &Clients, url: &str, idle: u64) -> Result<Option<bool>, FanOutError> {
    let tags = clients
        .call(
            "ListQueueTags",
            Duration::ZERO,
            clients.sqs.list_queue_tags().queue_url(url).send(),
        )
        .await?
        .tags
        .unwrap_or_default();
    let (Some(topic), Some(seen)) = (tags.get(OWNER_TAG), tags.get(SEEN_TAG)) else {
        return Ok(None);
    };
    let seen: u64 = seen.parse().unwrap_or(0);
    if now().saturating_sub(seen) < idle {
        return Ok(Some(false));
    }
    unsubscribe_queue(clients, topic, url).await?;
    clients
        .call(
            "DeleteQueue",
            Duration::ZERO,
            clients.sqs.delete_queue().queue_url(url).send(),
        )
        .await?;
    Ok(Some(true))
}

/// Removes the subscriptions of `topic` that deliver to the queue `url`.
async fn unsubscribe_queue(clients: &Clients, topic: &str, url: &str) -> Result<(), FanOutError> {
    let arn = queue::arn_of(clients, url).await?;
    let mut next: Option<String> = None;
    loop {
        let page = clients
            .call(
                "ListSubscriptionsByTopic",
                Duration::ZERO,
                clients
                    .sns
                    .list_subscriptions_by_topic()
                    .topic_arn(topic)
                    .set_next_token(next.take())
                    .send(),
            )
            .await?;
        for subscription in page.subscriptions() {
            if subscription.endpoint() == Some(arn.as_str())
                && let Some(subscription) = subscription.subscription_arn()
            {
                queue::unsubscribe(clients, subscription).await?;
            }
        }
        match page.next_token {
            Some(token) => next = Some(token),
            None => return Ok(()),
        }
    }
}
