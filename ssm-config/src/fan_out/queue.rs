//! A subscription's queue: created with tags that say whose it is and
//! since when, a policy that lets only the topic send, and the topic's
//! subscription with raw delivery; removed in the reverse order.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_sqs::types::QueueAttributeName;

use super::FanOutError;
use super::clients::{Clients, retried};
use super::error::Cause;
use super::filter::{self, EventSources};
use super::settings::FanOut;

/// The tag every queue of this crate's carries, so leftovers can be found.
pub(super) const OWNER_TAG: &str = "ssm-config:fan-out";
/// The tag holding when the queue was last seen polled (made, then every
/// [`HEARTBEAT`](super::poll::HEARTBEAT)), in seconds since the epoch.
pub(super) const SEEN_TAG: &str = "ssm-config:seen";

/// A queue subscribed to the topic.
#[derive(Debug, Clone)]
pub(super) struct Queue {
    pub url: String,
    pub subscription: String,
    /// Whether SNS filters what reaches it (see [`filter`](super::filter)).
    pub filtered: bool,
}

/// Creates the queue (idempotently: SQS answers a second `CreateQueue` of
/// the same name and attributes with the same queue), lets the topic send
/// to it, and subscribes it.
pub(super) async fn create(
    clients: &Clients,
    settings: &FanOut,
    sources: &EventSources,
) -> Result<Queue, FanOutError> {
    let name = settings.queue_name();
    if name.len() > 80 {
        return Err(FanOutError::new(
            "CreateQueue",
            format!(
                "the queue name `{name}` is longer than SQS's 80 characters: shorten the prefix or the instance id"
            ),
        )
        .because(Cause::Refused));
    }
    let url = clients
        .call(
            "CreateQueue",
            Duration::ZERO,
            clients
                .sqs
                .create_queue()
                .queue_name(&name)
                .tags(OWNER_TAG, &settings.topic)
                .tags(SEEN_TAG, now().to_string())
                .send(),
        )
        .await?
        .queue_url
        .ok_or_else(|| FanOutError::new("CreateQueue", "no queue URL in the answer"))?;
    // A queue made, and then not subscribed, would wait for events that
    // never come: it is removed again, best effort.
    match subscribe_queue(clients, settings, sources, url.clone()).await {
        Ok(queue) => Ok(queue),
        Err(err) => {
            let _ = clients
                .call(
                    "DeleteQueue",
                    Duration::ZERO,
                    clients.sqs.delete_queue().queue_url(&url).send(),
                )
                .await;
            Err(err)
        }
    }
}

/// Lets the topic send to the queue `url`, and subscribes it.
async fn subscribe_queue(
    clients: &Clients,
    settings: &FanOut,
    sources: &EventSources,
    url: String,
) -> Result<Queue, FanOutError> {
    let arn = arn_of(clients, &url).await?;
    clients
        .call(
            "SetQueueAttributes",
            Duration::ZERO,
            clients
                .sqs
                .set_queue_attributes()
                .queue_url(&url)
                .attributes(QueueAttributeName::Policy, policy(&arn, &settings.topic))
                .send(),
        )
        .await?;
    let policy = filter::policy(sources).filter(|_| settings.filter);
    let filtered = match &policy {
        Some(policy) => subscribe(clients, settings, &arn, Some(policy)).await,
        None => Err(FanOutError::new("Subscribe", "no filter")),
    };
    // A policy SNS refuses (a topic past its filter policies) or none that
    // fits: every event reaches the queue, and the instance sorts them.
    // Any other failure is the start's.
    let (subscription, filtered) = match filtered {
        Ok(subscription) => (subscription, true),
        Err(err) if policy.is_none() || err.cause() == Cause::FilterRefused => {
            (subscribe(clients, settings, &arn, None).await?, false)
        }
        Err(err) => return Err(err),
    };
    Ok(Queue {
        url,
        subscription,
        filtered,
    })
}

/// The ARN of the queue `url`.
pub(super) async fn arn_of(clients: &Clients, url: &str) -> Result<String, FanOutError> {
    clients
        .call(
            "GetQueueAttributes",
            Duration::ZERO,
            clients
                .sqs
                .get_queue_attributes()
                .queue_url(url)
                .attribute_names(QueueAttributeName::QueueArn)
                .send(),
        )
        .await?
        .attributes
        .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
        .ok_or_else(|| FanOutError::new("GetQueueAttributes", "no queue ARN in the answer"))
}

/// Removes the subscription `arn`.
pub(super) async fn unsubscribe(clients: &Clients, arn: &str) -> Result<(), FanOutError> {
    clients
        .call(
            "Unsubscribe",
            Duration::ZERO,
            clients.sns.unsubscribe().subscription_arn(arn).send(),
        )
        .await
        .map(drop)
}

/// Subscribes the queue `arn` to the topic, with raw message delivery and
/// the body filter `policy`.
async fn subscribe(
    clients: &Clients,
    settings: &FanOut,
    arn: &str,
    policy: Option<&str>,
) -> Result<String, FanOutError> {
    let mut subscribe = clients
        .sns
        .subscribe()
        .topic_arn(&settings.topic)
        .protocol("sqs")
        .endpoint(arn)
        .attributes("RawMessageDelivery", "true")
        .return_subscription_arn(true);
    if let Some(policy) = policy {
        subscribe = subscribe
            .attributes("FilterPolicyScope", "MessageBody")
            .attributes("FilterPolicy", policy);
    }
    clients
        .call("Subscribe", Duration::ZERO, subscribe.send())
        .await?
        .subscription_arn
        .ok_or_else(|| FanOutError::new("Subscribe", "no subscription ARN in the answer"))
}

/// Marks the queue as polled now: the sweep of leftovers removes a queue
/// not marked for longer than it is told.
pub(super) async fn heartbeat(clients: &Clients, url: &str) -> Result<(), FanOutError> {
    clients
        .call(
            "TagQueue",
            Duration::ZERO,
            clients
                .sqs
                .tag_queue()
                .queue_url(url)
                .tags(SEEN_TAG, now().to_string())
                .send(),
        )
        .await
        .map(drop)
}

/// Seconds since the epoch.
pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

/// Unsubscribes the queue, then deletes it; both are tried, and the first
/// failure is the answer. `Unsubscribe` is tried three times with a
/// jittered backoff (SNS limits it per account, and a fleet that stops at
/// once meets the limit): a subscription left without its queue would hold
/// one of the topic's filter policies for good.
pub(super) async fn remove(clients: &Clients, queue: &Queue) -> Result<(), FanOutError> {
    let unsubscribed = retried(3, Duration::from_secs(2), "Unsubscribe", || {
        unsubscribe(clients, &queue.subscription)
    })
    .await;
    let deleted = clients
        .call(
            "DeleteQueue",
            Duration::ZERO,
            clients.sqs.delete_queue().queue_url(&queue.url).send(),
        )
        .await;
    unsubscribed.and(deleted.map(drop))
}

/// The queue's policy: only the topic may send to it.
fn policy(queue_arn: &str, topic_arn: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "TopicSends",
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
        }],
    })
    .to_string()
}
