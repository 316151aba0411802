//! What change events have done so far, and the refresh they may have
//! scheduled: the state a live handle keeps for them.

use tokio::time::Instant;

use super::change::ParameterChange;

/// What events have done so far, and the refresh they may have scheduled.
#[derive(Debug, Default)]
pub(crate) struct Events {
    pub applied: u64,
    pub ignored: u64,
    /// Events applied so far that need a refresh started after them.
    pub wanted: u64,
    /// A task is scheduled or retrying, and covers every event up to
    /// `wanted`: no other is started.
    pub running: bool,
    /// When the last event-driven refresh started.
    pub last: Option<Instant>,
    /// The changes of the events applied since, for the next refresh to
    /// read, each once.
    pub pending: Vec<ParameterChange>,
}

impl Events {
    /// Adds `changes` to those the next refresh reads, each once.
    pub fn add_pending(&mut self, changes: impl IntoIterator<Item = ParameterChange>) {
        for change in changes {
            if !self.pending.contains(&change) {
                self.pending.push(change);
            }
        }
    }
}
