//! [`FanOut`]: where a live handle's queue subscribes, and how it polls.

use std::time::Duration;

use aws_config::SdkConfig;

/// The longest long poll SQS allows.
const LONGEST_WAIT: Duration = Duration::from_secs(20);

/// Where a live handle's change events come from: an SNS topic, and the
/// queue of its own it subscribes there.
#[derive(Clone, Debug)]
#[must_use = "a FanOut does nothing until given to `Live::fan_out`"]
pub struct FanOut {
    pub(super) topic: String,
    pub(super) queue_prefix: String,
    pub(super) instance: String,
    pub(super) wait: Duration,
    pub(super) call_timeout: Duration,
    pub(super) sdk_config: Option<SdkConfig>,
    pub(super) filter: bool,
}

impl FanOut {
    /// Subscribes to the topic whose ARN is `arn`
    /// (`arn:aws:sns:<region>:<account>:<name>`; bootstrap and the IAM
    /// policy take its name). The queue is named `ssm-config-` and an
    /// instance id made at random. AWS settings come from the environment,
    /// as for `load()`, not from the configuration's own source: give them
    /// with [`sdk_config`](FanOut::sdk_config) where they differ.
    pub fn topic(arn: impl Into<String>) -> Self {
        FanOut {
            topic: arn.into(),
            queue_prefix: "ssm-config-".to_owned(),
            instance: instance_id(),
            wait: LONGEST_WAIT,
            call_timeout: Duration::from_secs(10),
            sdk_config: None,
            filter: true,
        }
    }

    /// Subscribes without a filter policy: every event of the topic reaches
    /// the queue, and the instance ignores what it does not read. For a
    /// fleet of more than 200 instances on one topic, SNS's default limit
    /// of filter policies per topic: past it every subscription would first
    /// be refused its policy (see [the module](super#fleets-and-snss-limits)).
    pub fn without_filter_policy(mut self) -> Self {
        self.filter = false;
        self
    }

    /// The queue's name starts with `prefix`: the IAM policy of the queue
    /// lifecycle is scoped to it, and the leftovers sweep looks for it.
    pub fn queue_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.queue_prefix = prefix.into();
        self
    }

    /// The instance's part of the queue's name (a host name, a task id);
    /// by default one made at random. It must tell this subscription apart
    /// from every other on the prefix: two configurations of one process
    /// subscribed with one id would share a queue, and each event reach
    /// one of them. Characters SQS refuses become `-`.
    pub fn instance_id(mut self, id: impl Into<String>) -> Self {
        self.instance = id.into();
        self
    }

    /// How long one receive waits for a message (SQS's long poll), from 1 s
    /// to 20 s; shorter is more calls when nothing changes.
    pub fn poll_wait(mut self, wait: Duration) -> Self {
        self.wait = wait.clamp(Duration::from_secs(1), LONGEST_WAIT);
        self
    }

    /// How long any one SQS or SNS call may take, beyond the poll's wait.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = timeout;
        self
    }

    /// The AWS settings of the SQS and SNS clients, instead of the
    /// environment's.
    pub fn sdk_config(mut self, config: &SdkConfig) -> Self {
        self.sdk_config = Some(config.clone());
        self
    }

    /// The queue's name: the prefix and the instance id, with what SQS
    /// refuses in a name made `-`. One longer than SQS's 80 characters is
    /// refused when the queue is made, never cut (two cut names could be
    /// one queue).
    pub(super) fn queue_name(&self) -> String {
        format!("{}{}", self.queue_prefix, self.instance)
            .chars()
            .map(
                |c| match c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    true => c,
                    false => '-',
                },
            )
            .collect()
    }
}

/// An instance id: the process id and a random draw, so that two
/// processes on one host, or two hosts, never share a queue.
fn instance_id() -> String {
    use std::hash::{BuildHasher, RandomState};
    let random = RandomState::new().hash_one((std::process::id(), std::time::SystemTime::now()));
    format!("{}-{:012x}", std::process::id(), random & 0xffff_ffff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_name_is_one_sqs_accepts() {
        let fan_out = FanOut::topic("arn")
            .queue_prefix("orders.")
            .instance_id("host/1:2");
        assert_eq!(fan_out.queue_name(), "orders-host-1-2");
        let long = FanOut::topic("arn").instance_id("x".repeat(200));
        assert_eq!(long.queue_name().len(), 211, "never cut");
        assert_ne!(FanOut::topic("a").instance, FanOut::topic("a").instance);
        // A receive never waits 0 s: that would be a short poll, in a loop.
        let zero = FanOut::topic("a").poll_wait(Duration::ZERO);
        assert_eq!(zero.wait, Duration::from_secs(1));
        assert_eq!(
            FanOut::topic("a").poll_wait(Duration::MAX).wait,
            LONGEST_WAIT
        );
    }
}
