//! [`RefresherState`]: whether anything refreshes a configuration by
//! itself.

/// Whether anything refreshes a configuration by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum RefresherState {
    /// No max age: the configuration refreshes only when asked.
    NotScheduled = 0,
    /// The refresher task runs.
    Running = 1,
    /// The refresher task is gone, because the tokio runtime that loaded
    /// the configuration shut down (or no runtime was there to run it): the
    /// snapshot will not be refreshed unless something asks.
    Stopped = 2,
}

impl RefresherState {
    pub(crate) fn from_u8(state: u8) -> RefresherState {
        match state {
            1 => RefresherState::Running,
            2 => RefresherState::Stopped,
            _ => RefresherState::NotScheduled,
        }
    }
}
