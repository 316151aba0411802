//! Secrets whose value did not come from the store: an environment
//! override, or a file (or another layer that names itself) above it. A
//! stand-in for a production secret is easy to leave behind and silent
//! once it loads, so a first load warns of each one, and
//! `Loader::refuse_secret_overrides` makes each one a problem.

use crate::error::Problem;
use crate::load::build::origin_of;
use crate::load::fetched::{Fetched, NameOutcome};
use crate::load::resolved::{Leaf, Node, Requests};
use crate::origin::Origin;
use crate::source::{Parameter, ParameterType};

/// What an attempt does with a secret that did not come from the store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum SecretOverrides {
    /// Load it; a first load warns of it.
    #[default]
    Warn,
    /// Fail the attempt with a problem naming the field and the origin.
    Refuse,
}

/// One secret served by something other than the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StandIn {
    /// The field, dotted through nested structs.
    pub field: String,
    /// Where its value came from: never the value.
    pub origin: Origin,
}

impl StandIn {
    pub fn problem(&self) -> Problem {
        Problem::SecretOverridden {
            field: self.field.clone(),
            origin: self.origin.clone(),
        }
    }
}

/// Every secret of `root` whose value came from an override, or from a
/// source that says where beyond the store (a file, a layer).
pub(crate) fn find(root: &Node, requests: &Requests, fetched: &Fetched) -> Vec<StandIn> {
    let mut found = Vec::new();
    for leaf in root.leaves(requests) {
        match leaf {
            Leaf::Env {
                field,
                variable,
                value,
                shadows,
                ..
            } => {
                let reads_a_secret =
                    shadows.is_some_and(|name| crate::name::referenced_secret(name).is_some());
                if value.secret || reads_a_secret {
                    found.push(StandIn {
                        field: field.to_owned(),
                        origin: Origin::Env {
                            variable: variable.to_owned(),
                        },
                    });
                }
            }
            Leaf::Name {
                field,
                request,
                index,
                key,
                value,
                ..
            } => {
                if let NameOutcome::Found(parameter) = &fetched.names[index] {
                    let secret = value.secret || request.is_secret();
                    if served_beside_the_store(parameter, secret) {
                        found.push(StandIn {
                            field: field.to_owned(),
                            origin: origin_of(request, parameter, key),
                        });
                    }
                }
            }
            Leaf::Path {
                field,
                index,
                value,
                ..
            } => {
                let entries = fetched.paths[index].iter().flatten();
                for parameter in entries.filter(|p| served_beside_the_store(p, value.secret)) {
                    found.push(StandIn {
                        field: field.to_owned(),
                        origin: Origin::of(&parameter.name, parameter),
                    });
                }
            }
            Leaf::Unresolved { .. } => {}
        }
    }
    found
}

/// Whether `parameter` is secret (by its field, or by being a SecureString)
/// and came from a place its source names beyond the store itself.
fn served_beside_the_store(parameter: &Parameter, secret_field: bool) -> bool {
    let secret = secret_field || parameter.kind == ParameterType::SecureString;
    secret && parameter.location.is_some()
}

/// Warns of each stand-in, naming the field and where its value came from.
pub(crate) fn warn(config: &'static str, stand_ins: &[StandIn]) {
    for stand_in in stand_ins {
        tracing::warn!(
            config,
            field = %stand_in.field,
            origin = %stand_in.origin,
            "secret `{}` takes its value from {}, not from the store \
             (`Loader::refuse_secret_overrides` refuses this)",
            stand_in.field,
            stand_in.origin
        );
    }
}
