//! Secrets whose value did not come from the store: an environment
//! override, or a file (or another layer that names itself) above it. A
//! stand-in for a production secret is easy to leave behind and silent
//! once it loads, so the load or refresh that first serves one warns of
//! it ([`Warned`]), and `Loader::refuse_secret_overrides` makes each one a
//! problem.

use std::collections::HashSet;
use std::sync::Mutex;

use crate::description::ValueDescription;
use crate::error::Problem;
use crate::origin::Origin;
use crate::source::ParameterType;

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

/// The stand-in a value is, if it is one: a value that is secret (a
/// `Secret<_>` or `plaintext` field, a SecureString, a Secrets Manager
/// secret, or a type that may hold a `Secret`) and came from an override,
/// a default in code, or a place its source names beyond the store (a
/// file, a layer). Every value a build converts is judged here, so no kind of
/// field has a path around it.
pub(crate) fn judge(
    field: &str,
    plan: &ValueDescription,
    kind: Option<ParameterType>,
    origin: &Origin,
    may_hold_secret: impl FnOnce() -> bool,
) -> Option<StandIn> {
    let beside_the_store = match origin {
        Origin::Env { .. } | Origin::Default => true,
        Origin::Parameter { location, .. } | Origin::Secret { location, .. } => location.is_some(),
    };
    if !beside_the_store {
        return None;
    }
    let secret = plan.secret
        || plan.plaintext
        || kind == Some(ParameterType::SecureString)
        || matches!(origin, Origin::Secret { .. })
        || may_hold_secret();
    secret.then(|| StandIn {
        field: field.to_owned(),
        origin: origin.clone(),
    })
}

/// The stand-ins a group has warned of (and, under
/// `Loader::warn_of_defaults`, the defaults), so that each is said once, on
/// the load or refresh that first serves it: a file that appears after the
/// first load is warned of too, and a stand-in seen on every refresh is not
/// said again. Keyed by the field and the place (the variable, or the file
/// or layer), not the version, so a new value from the same place is not
/// news.
#[derive(Debug, Default)]
pub(crate) struct Warned {
    said: Mutex<HashSet<(String, Said)>>,
}

/// What was said of a field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Said {
    /// A secret's stand-in from this place.
    StandIn(String),
    /// Its default is used (`Loader::warn_of_defaults`).
    Defaulted,
}

/// More places than any real configuration has: past it the memory starts
/// again, so it stays bounded whatever a source reports.
const MOST_REMEMBERED: usize = 1024;

impl Warned {
    /// Warns of each stand-in in `stand_ins` not warned of before.
    pub fn warn_new(&self, config: &'static str, stand_ins: &[StandIn]) {
        for stand_in in stand_ins {
            if self.is_news(&stand_in.field, Said::StandIn(stand_in.place())) {
                warn(config, stand_in);
            }
        }
    }

    /// Whether `what` was not said of `field` before; from now on it was.
    pub fn is_news(&self, field: &str, what: Said) -> bool {
        let mut said = self.said.lock().unwrap_or_else(|p| p.into_inner());
        if said.len() >= MOST_REMEMBERED {
            said.clear();
        }
        said.insert((field.to_owned(), what))
    }
}

impl StandIn {
    /// Where the value came from, without its version.
    fn place(&self) -> String {
        match &self.origin {
            Origin::Env { variable } => format!("env {variable}"),
            Origin::Parameter { location, .. } | Origin::Secret { location, .. } => {
                location.clone().unwrap_or_default()
            }
            Origin::Default => "the default".to_owned(),
        }
    }
}

/// Warns of one stand-in, naming the field and where its value came from.
pub(crate) fn warn(config: &'static str, stand_in: &StandIn) {
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
