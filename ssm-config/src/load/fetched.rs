//! What a fetch came to, name by name and walk by walk: what the build,
//! the doctor and the next attempt read.

use crate::error::Problem;
use crate::source::{Parameter, SourceErrorKind};

/// What a name request came to.
#[derive(Debug)]
pub(crate) enum NameOutcome {
    Found(Parameter),
    Missing,
    /// The call failed; its problem is recorded once in [`Fetched::problems`].
    Failed,
}

/// What a whole fetch came to, indexed like [`Requests`].
#[derive(Debug)]
pub(crate) struct Fetched {
    pub names: Vec<NameOutcome>,
    pub paths: Vec<Option<Vec<Parameter>>>,
    pub problems: Vec<Problem>,
}

impl Fetched {
    /// The kind of each call that failed.
    pub fn failed_calls(&self) -> impl Iterator<Item = SourceErrorKind> + '_ {
        self.problems.iter().filter_map(|problem| match problem {
            Problem::Source { error, .. } => Some(error.kind()),
            _ => None,
        })
    }

    /// Whether a call failed for a reason that passes by itself.
    pub fn transient_failure(&self) -> bool {
        self.failed_calls().any(|kind| {
            matches!(
                kind,
                SourceErrorKind::Throttled
                    | SourceErrorKind::Timeout
                    | SourceErrorKind::Unreachable
            )
        })
    }
}
