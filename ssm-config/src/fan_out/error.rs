//! [`FanOutError`]: a subscription that could not be made or removed.

/// A queue, its policy or its subscription could not be made or removed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fan-out {step} failed: {reason}")]
pub struct FanOutError {
    step: &'static str,
    reason: String,
    cause: Cause,
}

/// What the code does about a failure, decided where it is made: from the
/// service's error code, or by the check that refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cause {
    /// A call failed, or got no answer: may pass.
    Call,
    /// The queue is gone (deleted under a running subscription).
    MissingQueue,
    /// SNS refused a subscription's filter policy (too many combinations,
    /// a topic past its filter policies).
    FilterRefused,
    /// Refused before any call (a queue name too long): never passes.
    Refused,
}

impl FanOutError {
    pub(super) fn new(step: &'static str, reason: impl Into<String>) -> Self {
        FanOutError {
            step,
            reason: reason.into(),
            cause: Cause::Call,
        }
    }

    pub(super) fn because(mut self, cause: Cause) -> Self {
        self.cause = cause;
        self
    }

    pub(super) fn cause(&self) -> Cause {
        self.cause
    }

    /// The call that failed: `CreateQueue`, `Subscribe`...
    pub fn step(&self) -> &'static str {
        self.step
    }
}
