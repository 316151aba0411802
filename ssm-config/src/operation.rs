//! The operations that are observed, by tracing and by metrics alike.

/// What is observed: a first load, a refresh, a doctor's check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    Load,
    Refresh,
    Check,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::Load => "load",
            Operation::Refresh => "refresh",
            Operation::Check => "check",
        }
    }
}
