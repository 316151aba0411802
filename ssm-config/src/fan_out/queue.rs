//! A subscription's queue: created with tags that say whose it is and
//! since when, a policy that lets only the topic send, and the topic's
//! subscription with raw delivery; removed in the reverse order.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_sqs::types::QueueAttributeName;

use super::FanOutError;
use super::clients::Clients;
use super::settings::FanOut;

/// The tag every queue of this crate's carries, so leftovers can be found.
pub(super) const OWNER_TAG: &str = "ssm-config:fan-out";
/// The tag holding when the queue was created, in seconds since the epoch.
pub(super) const CREATED_TAG: &str = "ssm-config:created";

/// A queue subscribed to the topic.
#[derive(Debug, Clone)]
pub(super) struct Queue {
    pub url: String,
    pub subscription: String,
}

/// Creates the queue (idempotently: SQS answers a second `CreateQueue` of
/// the same name and attributes with the same queue), lets the topic send
/// to it, and subscribes it.
pub(super) async fn create(clients: &Clients, settings: &FanOut) -> Result<Queue, FanOutError> {
    let created = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let name = settings.queue_name();
    let url = clients
        .call(
            "CreateQueue",
            Duration::ZERO,
            clients
                .sqs
                .create_queue()
                .queue_name(&name)
                .tags(OWNER_TAG, &settings.topic)
                .tags(CREATED_TAG, created.to_string())
                .send(),
        )
        .await?
        .queue_url
        .ok_or_else(|| FanOutError::new("CreateQueue", "no queue URL in the answer"))?;
    let attributes = clients
        .call(
            "GetQueueAttributes",
            Duration::ZERO,
            clients
                .sqs
                .get_queue_attributes()
                .queue_url(&url)
                .attribute_names(QueueAttributeName::QueueArn)
                .send(),
        )
        .await?;
    let arn = attributes
        .attributes
        .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
        .ok_or_else(|| FanOutError::new("GetQueueAttributes", "no queue ARN in the answer"))?;
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
    let subscription = clients
        .call(
            "Subscribe",
            Duration::ZERO,
            clients
                .sns
                .subscribe()
                .topic_arn(&settings.topic)
                .protocol("sqs")
                .endpoint(&arn)
                .attributes("RawMessageDelivery", "true")
                .return_subscription_arn(true)
                .send(),
        )
        .await?
        .subscription_arn
        .ok_or_else(|| FanOutError::new("Subscribe", "no subscription ARN in the answer"))?;
    Ok(Queue { url, subscription })
}

/// Unsubscribes the queue, then deletes it; both are tried, and the first
/// failure is the answer.
pub(super) async fn remove(clients: &Clients, queue: &Queue) -> Result<(), FanOutError> {
    let unsubscribed = clients
        .call(
            "Unsubscribe",
            Duration::ZERO,
            clients
                .sns
                .unsubscribe()
                .subscription_arn(&queue.subscription)
                .send(),
        )
        .await;
    let deleted = clients
        .call(
            "DeleteQueue",
            Duration::ZERO,
            clients.sqs.delete_queue().queue_url(&queue.url).send(),
        )
        .await;
    unsubscribed.and(deleted).map(drop)
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
