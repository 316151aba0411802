//! What change events have done so far, and the refresh they may have
//! scheduled: the state a live handle keeps for them.

use tokio::time::Instant;

use super::parameter_change::ParameterChange;

/// The most changes kept for the next refresh to read; beyond, it loads
/// everything (reading that many names would cost more than a load of most
/// configurations anyway), and memory stays bounded whatever the events.
const MOST_PENDING: usize = 1_000;

/// What events have done so far, and the refresh they may have scheduled.
#[derive(Debug, Default)]
pub(crate) struct Events {
    pub applied: u64,
    pub ignored: u64,
    pub refused: u64,
    /// Events applied so far that need a refresh started after them.
    pub wanted: u64,
    /// A task is scheduled or retrying, and covers every event up to
    /// `wanted`: no other is started.
    pub running: bool,
    /// When the last event-driven refresh started.
    pub last: Option<Instant>,
    /// What the next refresh reads for the events applied since.
    pub pending: Pending,
}

/// What the next event-driven refresh reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pending {
    /// The names these changes name, each change once.
    Changes(Vec<ParameterChange>),
    /// Everything: more changes came than are worth keeping.
    Everything,
}

impl Default for Pending {
    fn default() -> Self {
        Pending::Changes(Vec::new())
    }
}

impl Pending {
    /// Adds `changes`, each once.
    pub fn add(&mut self, changes: impl IntoIterator<Item = ParameterChange>) {
        let Pending::Changes(pending) = self else {
            return;
        };
        for change in changes {
            if !pending.contains(&change) {
                pending.push(change);
            }
        }
        if pending.len() > MOST_PENDING {
            *self = Pending::Everything;
        }
    }

    /// What both read.
    pub fn merge(&mut self, other: Pending) {
        match other {
            Pending::Changes(changes) => self.add(changes),
            Pending::Everything => *self = Pending::Everything,
        }
    }
}

#[cfg(all(test, feature = "events"))]
mod tests {
    use super::*;
    use crate::live::into_change::IntoChange;

    fn change(i: usize) -> ParameterChange {
        serde_json::json!({"name": format!("/a/{i}"), "operation": "Update"})
            .into_change()
            .unwrap()
            .unwrap()
    }

    #[test]
    fn changes_are_kept_once_and_at_most_a_thousand() {
        let mut pending = Pending::default();
        pending.add([change(1), change(2), change(1)]);
        assert_eq!(pending, Pending::Changes(vec![change(1), change(2)]));
        pending.add((0..MOST_PENDING).map(change));
        assert!(matches!(&pending, Pending::Changes(kept) if kept.len() == MOST_PENDING));
        pending.add([change(MOST_PENDING)]);
        assert_eq!(pending, Pending::Everything);
        pending.add([change(3)]);
        assert_eq!(pending, Pending::Everything);
        let mut other = Pending::default();
        other.merge(Pending::Everything);
        assert_eq!(other, Pending::Everything);
    }
}
