//! Fan-out against moto's SNS and SQS: a queue of its own per live handle,
//! subscribed to a topic; one change published to the topic reaches every
//! handle. moto's EventBridge does not deliver to SNS targets, so the test
//! publishes to the topic what the rule would send: the event as the
//! message body.

use std::time::Duration;

use ssm_config::SsmConfig;
use ssm_config::fan_out::{FanOut, SubscriptionState};

use crate::support::backend::{Backend, moto};
use crate::support::emulator;

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/fan-out")]
struct Greeting {
    greeting: String,
}

/// How many live handles a fleet of this test has.
const HANDLES: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_change_reaches_every_handle_and_shutdown_leaves_nothing() {
    let Some(emulator) = moto().await else { return };
    emulator.put("/fan-out/greeting", "hello").await;
    let aws = emulator::sdk_config(&emulator.endpoint);
    let sns = aws_sdk_sns::Client::new(&aws);
    let sqs = aws_sdk_sqs::Client::new(&aws);
    let topic = sns
        .create_topic()
        .name("config-changes")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();

    let mut fleet = Vec::new();
    for instance in 0..HANDLES {
        let config = Greeting::loader()
            .source(emulator.source())
            .load()
            .await
            .unwrap();
        let subscription = config
            .fan_out(
                FanOut::topic(&topic)
                    .queue_prefix("fan-out-test-")
                    .instance_id(instance.to_string())
                    .sdk_config(&aws)
                    .poll_wait(Duration::from_secs(1)),
            )
            .await
            .unwrap();
        fleet.push((config, subscription));
    }
    let queues = sqs
        .list_queues()
        .queue_name_prefix("fan-out-test-")
        .send()
        .await
        .unwrap();
    assert_eq!(queues.queue_urls().len(), HANDLES, "a queue each");

    emulator.put("/fan-out/greeting", "hi").await;
    let event = crate::events::event("/fan-out/greeting", "Update").to_string();
    sns.publish()
        .topic_arn(&topic)
        .message(event)
        .send()
        .await
        .unwrap();
    // Bounded: each handle applies the change within the deadline.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    for (config, subscription) in &fleet {
        while config.get().greeting != "hi" {
            assert!(
                tokio::time::Instant::now() < deadline,
                "not applied: {:?}",
                subscription.status()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let status = subscription.status();
        assert_eq!(
            (status.received, status.applied, status.poison),
            (1, 1, 0),
            "{status:?}"
        );
        assert_eq!(status.state, SubscriptionState::Subscribed);
    }

    for (_, subscription) in fleet {
        subscription.shutdown().await.unwrap();
    }
    let queues = sqs
        .list_queues()
        .queue_name_prefix("fan-out-test-")
        .send()
        .await
        .unwrap();
    assert!(queues.queue_urls().is_empty(), "{:?}", queues.queue_urls());
    let subscriptions = sns
        .list_subscriptions_by_topic()
        .topic_arn(&topic)
        .send()
        .await
        .unwrap();
    assert!(
        subscriptions.subscriptions().is_empty(),
        "{subscriptions:?}"
    );
}
