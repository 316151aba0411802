//! [`RebuildStatus`]: how the rebuilds of a
//! [`RebuiltInTask`](super::RebuiltInTask) went.

use std::time::Instant;

/// How the rebuilds of a [`RebuiltInTask`](super::RebuiltInTask) went.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RebuildStatus {
    /// When the value was last built.
    pub built_at: Option<Instant>,
    /// Failed rebuilds since the last success.
    pub consecutive_failures: u32,
    /// Why the last rebuild failed: the builder's error (its `Display`, so
    /// keep secret values out of it), or that it panicked (never its
    /// message).
    pub last_error: Option<String>,
}
