//! The operations that are observed, by tracing and by metrics alike.

/// What is observed: a first load, a refresh, the doctor's diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    Load,
    Refresh,
    Diagnose,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::Load => "load",
            Operation::Refresh => "refresh",
            Operation::Diagnose => "diagnose",
        }
    }
}
