//! [`Applied`]: what [`Live::apply_event`](super::Live::apply_event) did
//! with an event.

/// What [`Live::apply_event`](super::Live::apply_event) did with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// It concerns this configuration: a refresh is scheduled (or one
    /// already scheduled will read it too).
    Refreshing,
    /// It names nothing this configuration reads, changes nothing it reads
    /// (an update of a parameter read only at a pinned version or label),
    /// or is an AWS event of another kind.
    Ignored,
    /// It names a parameter or a secret by a name that breaks SSM's naming
    /// rules (a selector such as `:0`, a space, a name too long): AWS sends
    /// no such event, so it is forged or garbled. Nothing is read for it; it
    /// is counted in [`Status::events_refused`](super::Status::events_refused)
    /// and logged as a warning, the name escaped and shortened.
    Refused,
}

impl Applied {
    /// As the `result` of the event's span and metric.
    pub(super) fn name(self) -> &'static str {
        match self {
            Applied::Refreshing => "applied",
            Applied::Ignored => "ignored",
            Applied::Refused => "refused",
        }
    }
}
