//! The load pipeline, one step a file, run by a load, a refresh and the
//! doctor alike ([`attempt`]):
//!
//! 1. [`resolve`]: the struct's description becomes a [`resolved`](resolve::resolved) tree of
//!    leaves and the requests they need (`{VAR}`s filled, names checked,
//!    duplicates merged, environment overrides taken);
//! 2. [`batch`] and [`fetch`]: the requests go out as few calls as may be,
//!    concurrently, each under its [`deadline`], with values [`carried`]
//!    over from the last snapshot where the store throttles;
//! 3. [`build`]: the struct is built from the answers, each value through
//!    its [`convert`]er, and validated.
//!
//! This file holds what a load keeps between attempts: the group's
//! settings, and the loaded value with its provenance.

use std::collections::HashMap;
use std::sync::Arc;

pub(crate) mod attempt;
pub(crate) mod batch;
pub(crate) mod build;
pub(crate) mod carried;
pub(crate) mod convert;
pub(crate) mod deadline;
pub(crate) mod defaults;
pub(crate) mod fetch;
pub(crate) mod known;
pub(crate) mod resolve;
pub(crate) mod stand_ins;
pub(crate) mod strays;
#[cfg(feature = "events")]
pub(crate) mod targeted;

use tracing::Instrument;

use crate::SsmConfig;
use crate::error::{Error, Problem};
use crate::live::metadata::{self, Metadata};
use crate::observe::{Observation, Operation};
use crate::source::Limits;
use attempt::{Attempt, Reuse, Settings};
use carried::Carried;

use crate::source::ParameterSource;

/// Everything needed to load a struct again: the source and the settings.
#[derive(Clone)]
pub(crate) struct Group {
    pub source: Arc<dyn ParameterSource>,
    pub prefix: Option<String>,
    /// `Loader::var`: `{VAR}`s, ahead of the environment.
    pub vars: HashMap<String, String>,
    /// `Loader::env_override`: override variables, ahead of the environment.
    pub env: HashMap<String, String>,
    /// `Loader::env_prefix`.
    pub env_prefix: Option<String>,
    pub limits: Limits,
    pub not_from_store: NotFromStore,
    /// The stand-ins this group's loads have warned of: shared by the
    /// live handle's refreshes.
    pub warned: Arc<stand_ins::Warned>,
}

/// What a load does with a value that did not come from the store, as one
/// value: a secret's stand-in (`Loader::refuse_secret_overrides`) and a
/// default (`Loader::warn_of_defaults`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct NotFromStore {
    pub secrets: stand_ins::SecretOverrides,
    pub defaults: defaults::Defaults,
}

/// A built struct with what its load knew.
pub(crate) struct Loaded<T> {
    pub value: T,
    pub metadata: Metadata,
    pub fingerprint: u64,
    /// The names and paths this load read, for matching change events.
    #[cfg(feature = "events")]
    pub bound: Bound,
}

/// What one load asked for and what it read: for matching change events,
/// and for a targeted refresh to start from.
#[cfg(feature = "events")]
#[derive(Debug, Default)]
pub(crate) struct Bound {
    /// The prefix the load read under, `{VAR}`s filled.
    pub prefix: Option<String>,
    pub requests: resolve::resolved::Requests,
    pub read: known::Read,
}

#[cfg(feature = "events")]
impl Bound {
    /// The calls a full load of the same takes, about: one per ten names,
    /// and one per page of ten (at least one) per walk.
    pub fn full_load_calls(&self) -> usize {
        use known::Known;
        let pages: usize = self
            .requests
            .paths
            .iter()
            .map(|walk| {
                self.read
                    .path(walk)
                    .map_or(1, |found| found.len().div_ceil(10).max(1))
            })
            .sum();
        self.requests.names.len().div_ceil(10) + pages
    }

    /// The name requests that read `name` (under any selector, or by ARN).
    pub fn names_reading<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a resolve::resolved::NameRequest> + 'a {
        self.requests
            .names
            .iter()
            .filter(move |request| request.name == name || request.match_key() == name)
    }

    /// The walks `name` is one of the parameters of.
    pub fn walks_holding<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a resolve::resolved::PathRequest> + 'a {
        self.requests
            .paths
            .iter()
            .filter(move |walk| walk.holds(name))
    }
}

impl Group {
    /// Makes the watched parameter's name with this group's variables
    /// (`Loader::var`, then the environment).
    pub fn fill_watched(
        &self,
        make: impl FnOnce(ssm_config_rules::Lookup<'_>) -> Result<String, ssm_config_rules::FillError>,
    ) -> Result<String, Problem> {
        let lookup = given_then_env(&self.vars);
        make(&lookup).map_err(|err| resolve::fill_problem("watch", err))
    }

    /// The first load of a group: see [`first_load`].
    pub async fn load<T: SsmConfig>(&self) -> Result<Loaded<T>, Error> {
        let (loaded, ()) = self.load_beside::<T, ()>(Ok(async { Ok(()) })).await?;
        Ok(loaded)
    }

    /// The first load of a group with `beside` (the watched parameter's
    /// read) run alongside it, in the same span and counted as the same
    /// load: `beside`'s error first, should both fail. `beside` may be the
    /// error that refuses the load before any call (a watched name the
    /// rulebook refuses): the load then ends at once, in its span.
    pub async fn load_beside<T: SsmConfig, B>(
        &self,
        beside: Result<impl Future<Output = Result<B, Error>>, Error>,
    ) -> Result<(Loaded<T>, B), Error> {
        let (vars, env) = (
            given_then_env(&self.vars),
            GivenThenProcess::given(&self.env),
        );
        let settings = Settings {
            operation: Operation::Load,
            ..self.settings(&vars, &env, self.limits)
        };
        first_load::<T, B>(&*self.source, &settings, beside).await
    }

    /// A load whose calls go out spread over `pace`, keeping what an
    /// earlier attempt cut short carried over (and what this one reads,
    /// should it be cut short too): a refresh's.
    pub async fn load_paced<T: SsmConfig>(
        &self,
        pace: std::time::Duration,
        carried: Option<&mut Carried>,
    ) -> Result<Loaded<T>, Error> {
        let reuse = match carried {
            Some(carried) => Reuse::Carried(carried),
            None => Reuse::Nothing,
        };
        self.load_with::<T>(pace, reuse, Operation::Refresh).await
    }

    /// A load with this group's settings, its calls spread over `pace`,
    /// taking `reuse` as read.
    pub(crate) async fn load_with<T: SsmConfig>(
        &self,
        pace: std::time::Duration,
        reuse: Reuse<'_>,
        operation: Operation,
    ) -> Result<Loaded<T>, Error> {
        let (vars, env) = (
            given_then_env(&self.vars),
            GivenThenProcess::given(&self.env),
        );
        let limits = Limits {
            pace,
            ..self.limits
        };
        let settings = Settings {
            operation,
            ..self.settings(&vars, &env, limits)
        };
        load_from::<T>(&*self.source, &settings, reuse).await
    }

    /// The settings an attempt of this group reads with: `{VAR}`s from
    /// `vars`, override variables from `env` (each [`given_then_env`] of
    /// this group's own).
    pub fn settings<'a>(
        &'a self,
        vars: resolve::Lookup<'a>,
        env: &'a dyn resolve::Variables,
        limits: Limits,
    ) -> Settings<'a> {
        Settings {
            prefix: self.prefix.as_deref(),
            lookup: vars,
            overrides: resolve::Overrides::On {
                prefix: self.env_prefix.as_deref(),
                variables: env,
            },
            limits,
            not_from_store: self.not_from_store,
            warned: Some(&self.warned),
            operation: Operation::Diagnose,
        }
    }
}

/// A first load, as `Loader::load`, `Loader::fetch` and `SsmConfig::fetch`
/// make it, with `beside` run alongside: in a span of its own, warning of
/// entries no field reads, and recorded as one load whose outcome is both
/// of theirs; a refused `beside` ends it before any call. (A refresh runs
/// in its refresh's span, a diagnosis in its own.)
pub(crate) async fn first_load<T: SsmConfig, B>(
    source: &dyn ParameterSource,
    settings: &Settings<'_>,
    beside: Result<impl Future<Output = Result<B, Error>>, Error>,
) -> Result<(Loaded<T>, B), Error> {
    let observation = Observation::start(
        Operation::Load,
        T::DESCRIPTION.type_name,
        &source.describe(),
    );
    let both = async {
        let beside = beside?;
        let (beside, loaded) =
            futures_util::future::join(beside, load_from::<T>(source, settings, Reuse::Nothing))
                .await;
        let beside = beside?;
        Ok((loaded?, beside))
    };
    let loaded = both.instrument(observation.span().clone()).await;
    observation.finish(loaded.as_ref().map(|_| None));
    loaded
}

pub(crate) async fn load_from<T: SsmConfig>(
    source: &dyn ParameterSource,
    settings: &Settings<'_>,
    reuse: Reuse<'_>,
) -> Result<Loaded<T>, Error> {
    let attempt = Attempt::<T>::run(source, settings, reuse)
        .await
        .map_err(|problem| Error::new(T::DESCRIPTION.type_name, vec![problem]))?;
    let Attempt {
        resolution,
        fetched,
        mut problems,
        value,
        ..
    } = attempt;
    match value {
        Some(value) if problems.is_empty() => {
            let (metadata, fingerprint) =
                metadata::describe(&resolution.root, &resolution.requests, &fetched);
            #[cfg(feature = "events")]
            let read = known::Read::of(&resolution.requests, fetched);
            Ok(Loaded {
                value,
                metadata,
                fingerprint,
                #[cfg(feature = "events")]
                bound: Bound {
                    prefix: resolution.prefix,
                    requests: resolution.requests,
                    read,
                },
            })
        }
        _ => {
            if problems.is_empty() {
                // Unreachable by construction: a field that fails records why.
                problems.push(Problem::InvalidName {
                    field: String::new(),
                    name: T::DESCRIPTION.type_name.to_owned(),
                    reason: "the struct could not be built".into(),
                });
            }
            Err(Error::new(T::DESCRIPTION.type_name, problems))
        }
    }
}

/// Variables given to the loader first, then the process environment: the
/// one rule by which `{VAR}`s (`Loader::var`) and environment overrides
/// (`Loader::env_override`) are read.
#[derive(Clone, Copy)]
pub(crate) struct GivenThenProcess<'a> {
    given: &'a HashMap<String, String>,
}

impl<'a> GivenThenProcess<'a> {
    pub fn given(given: &'a HashMap<String, String>) -> Self {
        GivenThenProcess { given }
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.given
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
    }
}

impl resolve::Variables for GivenThenProcess<'_> {
    fn get(&self, name: &str) -> Option<String> {
        GivenThenProcess::get(self, name)
    }

    fn names(&self) -> Vec<String> {
        let given = self.given.keys().cloned();
        let process = std::env::vars_os().filter_map(|(name, _)| name.into_string().ok());
        given.chain(process).collect()
    }
}

/// `{VAR}`s from `given`, then the process environment, as a lookup.
pub(crate) fn given_then_env(
    given: &HashMap<String, String>,
) -> impl Fn(&str) -> Option<String> + Sync + '_ {
    move |var: &str| GivenThenProcess::given(given).get(var)
}
