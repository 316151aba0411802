//! What a fetch came to, name by name and walk by walk: what the build,
//! the doctor and the next attempt read.

use crate::error::Problem;
use crate::source::{Parameter, SourceError, SourceErrorKind};

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
    /// The calls sent, by action and outcome.
    pub calls: Calls,
}

/// The calls one fetch sent, by action and outcome, for tracing and
/// metrics.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Calls {
    counts: [[u32; 3]; 2],
}

/// What a call is: `GetParameters` or `GetParametersByPath`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    GetParameters,
    GetParametersByPath,
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallOutcome {
    Ok,
    Throttled,
    Failed,
}

impl Action {
    pub const ALL: [Action; 2] = [Action::GetParameters, Action::GetParametersByPath];

    pub fn name(self) -> &'static str {
        match self {
            Action::GetParameters => "GetParameters",
            Action::GetParametersByPath => "GetParametersByPath",
        }
    }
}

// Named for metrics alone.
#[cfg_attr(not(feature = "metrics"), allow(dead_code))]
impl CallOutcome {
    pub const ALL: [CallOutcome; 3] =
        [CallOutcome::Ok, CallOutcome::Throttled, CallOutcome::Failed];

    pub fn name(self) -> &'static str {
        match self {
            CallOutcome::Ok => "ok",
            CallOutcome::Throttled => "throttled",
            CallOutcome::Failed => "error",
        }
    }
}

impl CallOutcome {
    /// How a call that answered `result` ended.
    pub fn of<R>(result: &Result<R, SourceError>) -> CallOutcome {
        match result {
            Ok(_) => CallOutcome::Ok,
            Err(err) if err.kind() == SourceErrorKind::Throttled => CallOutcome::Throttled,
            Err(_) => CallOutcome::Failed,
        }
    }
}

impl Calls {
    /// `calls` of one call of `action` that answered `result`.
    pub fn one<R>(action: Action, result: &Result<R, SourceError>) -> Calls {
        let mut calls = Calls::default();
        calls.count(action, CallOutcome::of(result));
        calls
    }

    pub fn count(&mut self, action: Action, outcome: CallOutcome) {
        self.counts[action as usize][outcome as usize] += 1;
    }

    /// The calls of `action` that ended in `outcome`.
    pub fn of(&self, action: Action, outcome: CallOutcome) -> u32 {
        self.counts[action as usize][outcome as usize]
    }

    /// Every call of `action`.
    pub fn sent(&self, action: Action) -> u32 {
        self.counts[action as usize].iter().sum()
    }
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
        self.failed_calls().any(SourceErrorKind::may_pass)
    }

    /// Merges failed calls that failed alike (the same kind and words, as a
    /// local file that does not parse fails every call) into one problem
    /// naming every name they were for: one cause, one problem.
    pub fn merge_alike_failures(&mut self) {
        let mut merged: Vec<Problem> = Vec::with_capacity(self.problems.len());
        for problem in self.problems.drain(..) {
            let Problem::Source { error, names, .. } = &problem else {
                merged.push(problem);
                continue;
            };
            let alike = merged.iter_mut().find_map(|earlier| match earlier {
                Problem::Source {
                    error: first,
                    names: first_names,
                    ..
                } if first.kind() == error.kind() && first.to_string() == error.to_string() => {
                    Some(first_names)
                }
                _ => None,
            });
            match alike {
                Some(first_names) => first_names.extend(names.iter().cloned()),
                None => merged.push(problem),
            }
        }
        self.problems = merged;
    }
}
