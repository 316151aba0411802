//! What a failed fetch read, carried into the next attempt.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use crate::load::fetched::{Fetched, NameOutcome};
use crate::load::known::{Known, NameKey, key};
use crate::load::resolved::{NameRequest, PathRequest, Requests};
use crate::source::{Parameter, SourceErrorKind};

/// What the calls of a failed fetch read, for the next attempt to keep,
/// so that a fetch cut short by throttling makes progress across attempts
/// instead of asking for everything again. Each value keeps the time it was
/// read, and goes once it is too old.
#[derive(Debug, Default)]
pub(crate) struct Carried {
    names: HashMap<NameKey, (Option<Parameter>, Instant)>,
    paths: HashMap<PathRequest, (Vec<Parameter>, Instant)>,
    /// The attempt was throttled: the next sends its calls one after
    /// another, so that a throttled call stops the rest unsent.
    throttled: bool,
    /// Names forgotten since [`Carried::take_forgotten`]: while an attempt
    /// holds the values, change events are recorded here, to be forgotten
    /// from what the attempt hands back (it may have read them before the
    /// change).
    forgotten: Vec<String>,
}

impl Carried {
    /// Forgets what was read about `name` (a change event named it), and
    /// every walk that may hold it.
    pub fn forget(&mut self, name: &str) {
        self.forgotten.push(name.to_owned());
        self.names.retain(|(wire, _), _| {
            wire != name && wire.split_once(':').is_none_or(|(base, _)| base != name)
        });
        self.paths
            .retain(|path, _| !name.starts_with(path.path.trim_end_matches('/')));
    }

    /// The names forgotten since the last call.
    pub fn take_forgotten(&mut self) -> Vec<String> {
        std::mem::take(&mut self.forgotten)
    }

    /// Forgets what was read `keep` ago or earlier.
    pub fn expire(&mut self, keep: Duration) {
        self.names.retain(|_, (_, at)| at.elapsed() < keep);
        self.paths.retain(|_, (_, at)| at.elapsed() < keep);
    }

    /// Keeps what `fetched` read, when it failed for a reason that passes
    /// (throttling, a timeout, an unreachable source); otherwise nothing,
    /// so a value that failed to convert is read again. A value carried
    /// into this fetch keeps the time it was first read.
    pub fn keep(&mut self, requests: &Requests, fetched: &Fetched) {
        if !fetched.transient_failure() {
            *self = Carried::default();
            return;
        }
        let now = Instant::now();
        for (request, outcome) in requests.names.iter().zip(&fetched.names) {
            let read = match outcome {
                NameOutcome::Found(parameter) => Some(parameter),
                NameOutcome::Missing => None,
                NameOutcome::Failed => continue,
            };
            self.names
                .entry(key(request))
                .or_insert_with(|| (read.cloned(), now));
        }
        for (request, found) in requests.paths.iter().zip(&fetched.paths) {
            if let Some(found) = found {
                self.paths
                    .entry(request.clone())
                    .or_insert_with(|| (found.clone(), now));
            }
        }
        self.throttled = fetched
            .failed_calls()
            .any(|kind| kind == SourceErrorKind::Throttled);
    }
}

impl Known for Carried {
    fn name(&self, request: &NameRequest) -> Option<Option<&Parameter>> {
        self.names.get(&key(request)).map(|(read, _)| read.as_ref())
    }

    fn path(&self, request: &PathRequest) -> Option<&[Parameter]> {
        self.paths.get(request).map(|(read, _)| read.as_slice())
    }

    fn one_call_at_a_time(&self) -> bool {
        self.throttled
    }
}
