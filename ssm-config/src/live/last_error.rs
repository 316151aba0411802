//! [`LastError`]: a failed refresh, as [`Status`](super::Status) reports it.

use std::time::Instant;

use crate::error::{Error, ErrorKind};

/// A failed refresh, as [`Status`](super::Status) reports it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LastError {
    /// What kind of failure it was.
    pub kind: ErrorKind,
    /// When the attempt ended.
    pub at: Instant,
    /// The error itself (its messages never quote a secret).
    pub error: Error,
}
