//! What a fetch may take as read instead of asking the source: what an
//! attempt cut short read ([`Carried`](super::carried::Carried)), or what
//! the current snapshot read with a few names read again (a targeted
//! refresh's [`Patched`]).

#[cfg(feature = "events")]
use std::collections::HashMap;

use crate::pipeline::fetch::fetched::Calls;
#[cfg(feature = "events")]
use crate::pipeline::fetch::fetched::{Fetched, NameOutcome};
#[cfg(feature = "events")]
use crate::pipeline::resolve::resolved::Requests;
use crate::pipeline::resolve::resolved::{NameRequest, PathRequest};
use crate::source::Parameter;

/// Values a fetch takes as read: it asks the source only for the rest.
pub(crate) trait Known: Sync {
    /// What is known of `request`: `Some(None)` when it was missing.
    fn name(&self, request: &NameRequest) -> Option<Option<&Parameter>>;

    /// What is known of the walk `request`.
    fn path(&self, request: &PathRequest) -> Option<&[Parameter]>;

    /// Whether the calls left should go out one after another (the store
    /// throttled the attempt these values come from).
    fn one_call_at_a_time(&self) -> bool {
        false
    }

    /// The calls it took to learn what this adds to a snapshot, counted
    /// with the fetch's own.
    fn calls(&self) -> Calls {
        Calls::default()
    }
}

/// A name request's key: the name as sent, and whether it was decrypted.
pub(crate) type NameKey = (String, bool);

pub(crate) fn key(request: &NameRequest) -> NameKey {
    (request.wire(), request.decrypt)
}

/// Everything one successful load read, name by name and walk by walk: what
/// a targeted refresh starts from. Held by the snapshot it built.
#[cfg(feature = "events")]
#[derive(Debug, Default)]
pub(crate) struct Read {
    names: HashMap<NameKey, Option<Parameter>>,
    paths: HashMap<PathRequest, Vec<Parameter>>,
}

#[cfg(feature = "events")]
impl Read {
    /// What `fetched` read of `requests` (a call that failed read nothing).
    pub fn of(requests: &Requests, fetched: Fetched) -> Self {
        let names = requests
            .names
            .iter()
            .zip(fetched.names)
            .filter_map(|(request, outcome)| match outcome {
                NameOutcome::Found(parameter) => Some((key(request), Some(parameter))),
                NameOutcome::Missing => Some((key(request), None)),
                NameOutcome::Failed => None,
            })
            .collect();
        let paths = requests
            .paths
            .iter()
            .zip(fetched.paths)
            .filter_map(|(request, found)| Some((request.clone(), found?)))
            .collect();
        Read { names, paths }
    }
}

#[cfg(feature = "events")]
impl Known for Read {
    fn name(&self, request: &NameRequest) -> Option<Option<&Parameter>> {
        self.names.get(&key(request)).map(Option::as_ref)
    }

    fn path(&self, request: &PathRequest) -> Option<&[Parameter]> {
        self.paths.get(request).map(Vec::as_slice)
    }
}

/// A snapshot's [`Read`] with some names read again and some walks
/// patched: what a targeted refresh builds from.
#[cfg(feature = "events")]
pub(crate) struct Patched<'a> {
    base: &'a Read,
    names: HashMap<NameKey, Option<Parameter>>,
    paths: HashMap<PathRequest, Vec<Parameter>>,
    /// The calls that read the patches.
    pub calls: Calls,
}

#[cfg(feature = "events")]
impl<'a> Patched<'a> {
    pub fn new(base: &'a Read) -> Self {
        Patched {
            base,
            names: HashMap::new(),
            paths: HashMap::new(),
            calls: Calls::default(),
        }
    }

    /// `request` now reads as `read` (`None`: missing).
    pub fn set(&mut self, request: &NameRequest, read: Option<Parameter>) {
        self.names.insert(key(request), read);
    }

    /// The parameter `name` under the walk `walk` is now `read` (`None`:
    /// gone, or no longer passing the walk's filters): it is replaced,
    /// added in name order, or removed. A walk the snapshot did not read is
    /// left to the fetch.
    pub fn patch_walk(&mut self, walk: &PathRequest, name: &str, read: Option<Parameter>) {
        if !self.paths.contains_key(walk) {
            let Some(found) = self.base.path(walk) else {
                return;
            };
            self.paths.insert(walk.clone(), found.to_vec());
        }
        let found = self.paths.get_mut(walk).expect("inserted above");
        let at = found.iter().position(|p| p.name == name);
        match (at, read) {
            (Some(at), Some(parameter)) => found[at] = parameter,
            (Some(at), None) => {
                found.remove(at);
            }
            (None, Some(parameter)) => {
                let at = found.partition_point(|p| p.name.as_str() < name);
                found.insert(at, parameter);
            }
            (None, None) => {}
        }
    }
}

#[cfg(feature = "events")]
impl Known for Patched<'_> {
    fn name(&self, request: &NameRequest) -> Option<Option<&Parameter>> {
        match self.names.get(&key(request)) {
            Some(read) => Some(read.as_ref()),
            None => self.base.name(request),
        }
    }

    fn path(&self, request: &PathRequest) -> Option<&[Parameter]> {
        match self.paths.get(request) {
            Some(found) => Some(found),
            None => self.base.path(request),
        }
    }

    fn calls(&self) -> Calls {
        self.calls
    }
}
