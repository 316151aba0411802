//! What a failed fetch read, carried into the next attempt.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use crate::pipeline::fetch::fetched::{Fetched, NameOutcome};
use crate::pipeline::known::{Known, NameKey, key};
use crate::pipeline::resolve::resolved::{NameRequest, PathRequest, Requests};
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
    /// Set on the [stand-in](Carried::stand_in) that holds the place of
    /// the values while an attempt has them: what change events named
    /// meanwhile, to be forgotten from what the attempt hands back (it may
    /// have read them before the change). `None` otherwise, so that events
    /// between attempts leave nothing behind.
    forgotten: Option<Forgotten>,
}

/// What change events named while an attempt held the values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Forgotten {
    /// These parameters, by name.
    Names(Vec<String>),
    /// More than are worth keeping: everything.
    Everything,
}

/// The most names a stand-in keeps; beyond, everything is forgotten, so
/// that a flood of events during one long attempt holds bounded memory.
const MOST_FORGOTTEN: usize = 1_000;

impl Carried {
    /// What holds the place of the values while an attempt has them: it
    /// records what change events name meanwhile.
    pub fn stand_in() -> Self {
        Carried {
            forgotten: Some(Forgotten::Names(Vec::new())),
            ..Carried::default()
        }
    }

    /// Forgets what was read about `name` (a change event named it, by name
    /// or by ARN), and every walk that may hold it. A value read by ARN is
    /// the parameter the ARN's name part names, and a value read at a
    /// version or a label is the parameter without them: all go.
    pub fn forget(&mut self, name: &str) {
        let name = parameter_name(name);
        match &mut self.forgotten {
            Some(Forgotten::Names(names)) if names.len() < MOST_FORGOTTEN => {
                names.push(name.clone().into_owned());
            }
            Some(forgotten) => *forgotten = Forgotten::Everything,
            None => {}
        }
        self.names.retain(|(wire, _), _| {
            parameter_name(ssm_config_rules::split_selector(wire).0) != name
        });
        self.paths
            .retain(|path, _| !name.starts_with(path.path.trim_end_matches('/')));
    }

    /// On a stand-in, what change events named since it was made.
    pub fn take_forgotten(&mut self) -> Option<Forgotten> {
        self.forgotten.take()
    }

    /// Forgets what `forgotten` names.
    pub fn forget_all(&mut self, forgotten: Forgotten) {
        match forgotten {
            Forgotten::Names(names) => names.iter().for_each(|name| self.forget(name)),
            Forgotten::Everything => *self = Carried::default(),
        }
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

/// The parameter `name` names: an ARN's name part (`/shared/x` for
/// `arn:aws:ssm:eu-west-1:123456789012:parameter/shared/x`), by the rules
/// a load reads ARNs by; any other name as it is.
fn parameter_name(name: &str) -> std::borrow::Cow<'_, str> {
    if !ssm_config_rules::is_arn(name) {
        return name.into();
    }
    match ssm_config_rules::parse_arn(name) {
        Ok(arn) => arn.name().into(),
        Err(_) => name.into(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::ParameterType;

    fn parameter(name: &str) -> Parameter {
        Parameter {
            name: name.into(),
            value: "old".into(),
            kind: ParameterType::String,
            version: 1,
            selector: None,
            last_modified: None,
            location: None,
        }
    }

    #[test]
    fn forgetting_outside_a_load_keeps_no_list() {
        let mut carried = Carried::default();
        for i in 0..10_000 {
            carried.forget(&format!("/a/{i}"));
        }
        assert_eq!(carried.forgotten, None);
    }

    #[test]
    fn a_stand_in_keeps_a_thousand_names_then_forgets_everything() {
        let mut stand_in = Carried::stand_in();
        stand_in.forget("/a/1");
        stand_in.forget("arn:aws:ssm:eu-west-1:123456789012:parameter/shared/x");
        assert_eq!(
            stand_in.take_forgotten(),
            Some(Forgotten::Names(vec!["/a/1".into(), "/shared/x".into()]))
        );
        let mut stand_in = Carried::stand_in();
        for i in 0..10_000 {
            stand_in.forget(&format!("/a/{i}"));
        }
        assert_eq!(stand_in.take_forgotten(), Some(Forgotten::Everything));

        let mut carried = Carried::default();
        let now = Instant::now();
        carried
            .names
            .insert(("/a/2".into(), true), (Some(parameter("/a/2")), now));
        carried.forget_all(Forgotten::Everything);
        assert!(carried.names.is_empty());
    }

    #[test]
    fn a_value_read_by_arn_is_forgotten_by_its_name() {
        let arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/shared/x";
        let mut carried = Carried::default();
        let now = Instant::now();
        for wire in [arn.to_owned(), format!("{arn}:3"), "/shared/xy".into()] {
            carried
                .names
                .insert((wire.clone(), true), (Some(parameter(&wire)), now));
        }
        carried.forget("/shared/x");
        let left: Vec<_> = carried
            .names
            .keys()
            .map(|(wire, _)| wire.as_str())
            .collect();
        assert_eq!(left, ["/shared/xy"]);
    }
}
