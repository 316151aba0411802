//! A targeted refresh: only the names change events named are read (one
//! `GetParameters` call for up to ten), and the struct is built, validated
//! and described from what the current snapshot read with those values in
//! their place, through the same pipeline as any load.

use std::time::Duration;

use crate::SsmConfig;
use crate::error::Error;
use crate::observe::Operation;
use crate::pipeline::attempt::Reuse;
use crate::pipeline::fetch;
use crate::pipeline::fetch::fetched::NameOutcome;
use crate::pipeline::known::{self, Patched};
use crate::pipeline::resolve::resolved::{NameRequest, PathRequest, Requests};
use crate::pipeline::{Bound, Group, Loaded};
use crate::source::ForPrefix;

/// What a targeted refresh reads again.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Rereads {
    /// Name requests, as the snapshot asked for them.
    pub names: Vec<NameRequest>,
    /// Parameters of walks: the walk, and the parameter's full name.
    pub walks: Vec<(PathRequest, String)>,
}

impl Rereads {
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.walks.is_empty()
    }

    /// Adds `other`'s reads to these, each once.
    pub fn merge(&mut self, other: Rereads) {
        for name in other.names {
            if !self.names.contains(&name) {
                self.names.push(name);
            }
        }
        for walk in other.walks {
            if !self.walks.contains(&walk) {
                self.walks.push(walk);
            }
        }
    }

    /// The `GetParameters` calls reading these takes, about.
    pub fn calls(&self) -> usize {
        self.requests().names.len().div_ceil(10)
    }

    /// Every name to ask for, each once: a walk's parameter is asked for
    /// bare, decrypted as the walk decrypts.
    fn requests(&self) -> Requests {
        let mut requests = Requests::default();
        let walked = self.walks.iter().map(|(walk, name)| NameRequest {
            name: name.clone(),
            selector: None,
            decrypt: walk.decrypt,
        });
        for request in self.names.iter().cloned().chain(walked) {
            if !requests.names.contains(&request) {
                requests.names.push(request);
            }
        }
        requests
    }
}

/// Whether a parameter read by name would be one of the walk's: the walk's
/// type filter passes it. (Walks with filters a name's value cannot decide,
/// a KMS key or a label, are never patched: their changes reload all.)
fn passes(walk: &PathRequest, parameter: &crate::source::Parameter) -> bool {
    walk.filters.kind.is_none_or(|kind| parameter.kind == kind)
}

impl Group {
    /// Reads `rereads` and builds the struct from `base` with their new
    /// values in place; a failed read fails the refresh and changes nothing.
    pub async fn load_targeted<T: SsmConfig>(
        &self,
        base: &Bound,
        rereads: &Rereads,
    ) -> Result<Loaded<T>, Error> {
        let source = ForPrefix::new(&*self.source, base.prefix.as_deref());
        let wanted = rereads.requests();
        let fetched = fetch::fetch(source.get(), &wanted, self.limits, None).await;
        if !fetched.problems.is_empty() {
            return Err(Error::new(T::DESCRIPTION.type_name, fetched.problems));
        }
        let mut patched = Patched::new(&base.read);
        patched.calls = fetched.calls;
        for (request, outcome) in wanted.names.iter().zip(fetched.names) {
            let read = match outcome {
                NameOutcome::Found(parameter) => Some(parameter),
                NameOutcome::Missing | NameOutcome::Failed => None,
            };
            for (walk, _) in rereads
                .walks
                .iter()
                .filter(|(walk, name)| *name == request.name && walk.decrypt == request.decrypt)
            {
                let kept = read.as_ref().filter(|p| passes(walk, p)).cloned();
                patched.patch_walk(walk, &request.name, kept);
            }
            if rereads
                .names
                .iter()
                .any(|n| known::key(n) == known::key(request))
            {
                patched.set(request, read);
            }
        }
        self.load_with::<T>(Duration::ZERO, Reuse::Known(&patched), Operation::Refresh)
            .await
    }
}
