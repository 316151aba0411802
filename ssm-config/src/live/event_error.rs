//! [`EventError`]: an event that is not a Parameter Store change, or
//! cannot be acted on.

/// An event that is not a Parameter Store change, or cannot be acted on.
#[derive(Debug, Clone, thiserror::Error)]
#[error("not a usable change event: {reason}")]
pub struct EventError {
    reason: String,
}

impl EventError {
    pub(crate) fn new(reason: String) -> Self {
        EventError { reason }
    }
}
