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
const HANDLES: usize = 20;

/// The emulator's topic and clients.
struct Topic {
    arn: String,
    sns: aws_sdk_sns::Client,
    sqs: aws_sdk_sqs::Client,
    aws: aws_config::SdkConfig,
}

impl Topic {
    async fn new(emulator: &crate::support::emulator::Emulator) -> Topic {
        emulator.put("/fan-out/greeting", "hello").await;
        let aws = emulator::sdk_config(&emulator.endpoint);
        let sns = aws_sdk_sns::Client::new(&aws);
        let arn = sns
            .create_topic()
            .name("config-changes")
            .send()
            .await
            .unwrap()
            .topic_arn
            .unwrap();
        Topic {
            arn,
            sns,
            sqs: aws_sdk_sqs::Client::new(&aws),
            aws,
        }
    }

    /// What the EventBridge rule would publish for a change of `name`.
    async fn publish(&self, name: &str) {
        let event = crate::events::event(name, "Update").to_string();
        self.sns
            .publish()
            .topic_arn(&self.arn)
            .message(event)
            .send()
            .await
            .unwrap();
    }

    /// The queues of the tests' prefix.
    async fn queues(&self) -> Vec<String> {
        let listed = self
            .sqs
            .list_queues()
            .queue_name_prefix(PREFIX)
            .send()
            .await
            .unwrap();
        listed.queue_urls().to_vec()
    }

    /// The tests' subscription to the topic: their prefix, the emulator's
    /// settings, a 1 s poll.
    fn fan_out(&self) -> FanOut {
        FanOut::topic(&self.arn)
            .queue_prefix(PREFIX)
            .sdk_config(&self.aws)
            .poll_wait(Duration::from_secs(1))
    }

    /// A handle loaded from the emulator, subscribed as instance `id`.
    async fn handle(
        &self,
        emulator: &crate::support::emulator::Emulator,
        id: usize,
    ) -> (
        ssm_config::Live<Greeting>,
        ssm_config::fan_out::Subscription,
    ) {
        let config = Greeting::loader()
            .source(emulator.source())
            .load()
            .await
            .unwrap();
        let subscription = config
            .fan_out(self.fan_out().instance_id(id.to_string()))
            .await
            .unwrap();
        (config, subscription)
    }
}

/// The tests' queue-name prefix.
const PREFIX: &str = "fan-out-test-";

/// Waits, bounded, until `done` holds; panics with `what` otherwise.
async fn until(what: impl Fn() -> String, done: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(tokio::time::Instant::now() < deadline, "{}", what());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_change_reaches_every_handle_and_shutdown_leaves_nothing() {
    let Some(emulator) = moto().await else { return };
    let topic = Topic::new(&emulator).await;
    let mut fleet = Vec::new();
    for instance in 0..HANDLES {
        fleet.push(topic.handle(&emulator, instance).await);
    }
    assert_eq!(topic.queues().await.len(), HANDLES, "a queue each");

    emulator.put("/fan-out/greeting", "hi").await;
    topic.publish("/fan-out/greeting").await;
    for (config, subscription) in &fleet {
        until(
            || format!("not applied: {:?}", subscription.status()),
            || config.get().greeting == "hi",
        )
        .await;
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
    assert_eq!(topic.queues().await, Vec::<String>::new());
    let subscriptions = topic
        .sns
        .list_subscriptions_by_topic()
        .topic_arn(&topic.arn)
        .send()
        .await
        .unwrap();
    assert!(
        subscriptions.subscriptions().is_empty(),
        "{subscriptions:?}"
    );
}

/// A change to a parameter the configuration does not read is filtered by
/// SNS before it reaches the queue; a message that is no event, sent to
/// the queue, is deleted and counted, and the next change gets through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_not_read_never_arrives_and_poison_does_not_block() {
    let Some(emulator) = moto().await else { return };
    let topic = Topic::new(&emulator).await;
    let (config, subscription) = topic.handle(&emulator, 0).await;
    assert!(subscription.status().filtered);

    topic.publish("/elsewhere/greeting").await;
    topic
        .sqs
        .send_message()
        .queue_url(subscription.status().queue_url)
        .message_body("not an event")
        .send()
        .await
        .unwrap();
    emulator.put("/fan-out/greeting", "hi").await;
    topic.publish("/fan-out/greeting").await;
    until(
        || format!("not applied: {:?}", subscription.status()),
        || config.get().greeting == "hi",
    )
    .await;
    let status = subscription.status();
    assert_eq!(
        (
            status.received,
            status.applied,
            status.ignored,
            status.poison
        ),
        (2, 1, 0, 1),
        "the other change was filtered before the queue: {status:?}"
    );
    subscription.shutdown().await.unwrap();
}

/// A queue deleted under a running handle is made again, and the next
/// change reaches it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_deleted_under_a_running_handle_comes_back() {
    let Some(emulator) = moto().await else { return };
    let topic = Topic::new(&emulator).await;
    let (config, subscription) = topic.handle(&emulator, 0).await;
    let url = subscription.status().queue_url;
    topic
        .sqs
        .delete_queue()
        .queue_url(&url)
        .send()
        .await
        .unwrap();
    until(
        || format!("not recreated: {:?}", subscription.status()),
        || subscription.status().recreated == 1,
    )
    .await;
    emulator.put("/fan-out/greeting", "hi").await;
    topic.publish("/fan-out/greeting").await;
    until(
        || format!("not applied: {:?}", subscription.status()),
        || config.get().greeting == "hi",
    )
    .await;
    assert_eq!(subscription.status().state, SubscriptionState::Subscribed);
    subscription.shutdown().await.unwrap();
    assert_eq!(topic.queues().await, Vec::<String>::new());
}

/// When the configuration's last handle drops, its subscription's task
/// removes the queue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_handle_dropped_takes_the_queue_with_it() {
    let Some(emulator) = moto().await else { return };
    let topic = Topic::new(&emulator).await;
    let (config, subscription) = topic.handle(&emulator, 0).await;
    drop(config);
    until(
        || format!("still running: {:?}", subscription.status()),
        || subscription.status().state == SubscriptionState::Stopped,
    )
    .await;
    assert_eq!(topic.queues().await, Vec::<String>::new());
    subscription
        .shutdown()
        .await
        .expect("nothing left to remove is no error");
}

/// The sweep removes the queues of its prefix that this crate made and no
/// one polled for longer than asked, with their subscriptions; it leaves a
/// running subscription's queue, and queues it did not make.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_removes_only_idle_queues_of_its_own() {
    let Some(emulator) = moto().await else { return };
    let topic = Topic::new(&emulator).await;
    let (_config, running) = topic.handle(&emulator, 0).await;
    let two_hours_ago = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 7200;
    let crashed = topic
        .sqs
        .create_queue()
        .queue_name(format!("{PREFIX}crashed"))
        .tags("ssm-config:fan-out", &topic.arn)
        .tags("ssm-config:seen", two_hours_ago.to_string())
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let foreign = topic
        .sqs
        .create_queue()
        .queue_name(format!("{PREFIX}not-ours"))
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let swept = ssm_config::fan_out::sweep(PREFIX, Duration::from_secs(3600), Some(&topic.aws))
        .await
        .unwrap();
    assert_eq!(swept.removed, [crashed]);
    assert_eq!(swept.kept, 1, "the running one");
    let mut left = topic.queues().await;
    left.sort();
    let mut expected = vec![running.status().queue_url, foreign];
    expected.sort();
    assert_eq!(left, expected);
    running.shutdown().await.unwrap();
}

/// A configuration whose names do not fit a filter policy (95 names: 190
/// combinations, where SNS allows 150, so past the 75 names a policy
/// holds) subscribes without one, and filters in the instance: another
/// parameter's change reaches its queue and is ignored; its own is applied.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_names_for_a_filter_are_filtered_in_the_instance() {
    use crate::scenarios::configs::Many;
    let Some(emulator) = moto().await else { return };
    let topic = Topic::new(&emulator).await;
    for n in 0..9 {
        for leaf in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            emulator.put(&format!("/many/n{n}/{leaf}"), leaf).await;
        }
    }
    for extra in ["x1", "x2", "x3", "x4", "x5"] {
        emulator.put(&format!("/many/{extra}"), extra).await;
    }
    let config = Many::loader()
        .source(emulator.source())
        .load()
        .await
        .unwrap();
    let subscription = config.fan_out(topic.fan_out()).await.unwrap();
    assert!(!subscription.status().filtered, "no policy fits");
    topic.publish("/elsewhere/greeting").await;
    emulator.put("/many/x1", "changed").await;
    topic.publish("/many/x1").await;
    until(
        || format!("not applied: {:?}", subscription.status()),
        || config.get().x1 == "changed",
    )
    .await;
    until(
        || format!("not received: {:?}", subscription.status()),
        || subscription.status().received == 2,
    )
    .await;
    let status = subscription.status();
    assert_eq!((status.applied, status.ignored), (1, 1), "{status:?}");
    subscription.shutdown().await.unwrap();
}

/// A fleet past SNS's filter policies per topic subscribes without one:
/// every event arrives, and the instance ignores what it does not read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_filter_policy_every_event_arrives_and_the_instance_sorts() {
    let Some(emulator) = moto().await else { return };
    let topic = Topic::new(&emulator).await;
    let config = Greeting::loader()
        .source(emulator.source())
        .load()
        .await
        .unwrap();
    let subscription = config
        .fan_out(topic.fan_out().without_filter_policy())
        .await
        .unwrap();
    assert!(!subscription.status().filtered);
    topic.publish("/elsewhere/greeting").await;
    until(
        || format!("not received: {:?}", subscription.status()),
        || subscription.status().ignored == 1,
    )
    .await;
    assert_eq!(config.get().greeting, "hello");
    subscription.shutdown().await.unwrap();
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/fan-out")]
struct Shared {
    #[ssm(path = "arn:aws:ssm:us-east-1:123456789012:parameter/shared/greeting")]
    greeting: String,
}

/// A parameter bound by ARN is named by its path in change events: the
/// filter policy admits them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parameter_bound_by_arn_gets_its_events() {
    let Some(emulator) = moto().await else { return };
    let topic = Topic::new(&emulator).await;
    emulator.put("/shared/greeting", "hello").await;
    let config = Shared::loader()
        .source(emulator.source())
        .load()
        .await
        .unwrap();
    let subscription = config.fan_out(topic.fan_out()).await.unwrap();
    assert!(subscription.status().filtered);
    emulator.put("/shared/greeting", "hi").await;
    topic.publish("/shared/greeting").await;
    until(
        || format!("not applied: {:?}", subscription.status()),
        || config.get().greeting == "hi",
    )
    .await;
    subscription.shutdown().await.unwrap();
}

/// A queue name longer than SQS takes is refused before any call, never
/// cut (two cut names could be one queue).
#[tokio::test]
async fn a_queue_name_too_long_is_refused_before_any_call() {
    let store = ssm_config::MemorySource::new();
    store.put("/fan-out/greeting", "hello");
    let config = Greeting::loader().source(store).load().await.unwrap();
    let refused = config
        .fan_out(FanOut::topic("arn:aws:sns:us-east-1:123456789012:t").instance_id("x".repeat(90)))
        .await
        .err()
        .expect("refused");
    assert_eq!(refused.step(), "CreateQueue");
    assert!(
        refused
            .to_string()
            .contains("longer than SQS's 80 characters"),
        "{refused}"
    );
}

/// A shutdown its caller cancels still removes the queue: the dropped
/// subscription finishes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_shutdown_still_removes_the_queue() {
    let Some(emulator) = moto().await else { return };
    let topic = Topic::new(&emulator).await;
    let (_config, subscription) = topic.handle(&emulator, 0).await;
    let cancelled = tokio::time::timeout(Duration::from_millis(1), subscription.shutdown()).await;
    assert!(cancelled.is_err(), "cancelled before it finished");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !topic.queues().await.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "the queue is left");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
