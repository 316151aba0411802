//! [`FanOutError`]: a subscription that could not be made or removed.

/// A queue, its policy or its subscription could not be made or removed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fan-out {step} failed: {reason}")]
pub struct FanOutError {
    step: &'static str,
    reason: String,
    /// The queue is gone (deleted under a running subscription).
    missing_queue: bool,
}

impl FanOutError {
    pub(super) fn new(step: &'static str, reason: impl Into<String>) -> Self {
        FanOutError {
            step,
            reason: reason.into(),
            missing_queue: false,
        }
    }

    pub(super) fn missing_queue(mut self, missing: bool) -> Self {
        self.missing_queue = missing;
        self
    }

    /// Whether SNS refused a subscription's filter policy (too many
    /// combinations, a topic past its filter policies): the subscription
    /// is then made without one.
    pub(super) fn is_filter_refusal(&self) -> bool {
        self.reason.contains("FilterPolicy")
    }

    /// Whether the queue's name was refused before any call.
    pub(super) fn is_refused_name(&self) -> bool {
        self.reason.contains("longer than SQS's 80 characters")
    }

    /// Whether the queue no longer exists.
    pub(super) fn is_missing_queue(&self) -> bool {
        self.missing_queue
    }

    /// The call that failed: `CreateQueue`, `Subscribe`...
    pub fn step(&self) -> &'static str {
        self.step
    }
}
