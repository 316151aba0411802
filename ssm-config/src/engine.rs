//! One group load: resolve the plan, fetch everything at once, build the
//! struct, and report every problem together.

use std::collections::HashMap;
use std::sync::Arc;

use crate::SsmConfig;
use crate::build::Build;
use crate::error::{Error, Problem};
use crate::fetch::{self, Carried, Limits};
use crate::metadata::{self, Metadata};
use crate::resolve;
use crate::source::ParameterSource;

/// How many calls one load keeps in flight by default.
pub(crate) const DEFAULT_CONCURRENCY: usize = 10;

/// What a load may do unless told otherwise.
pub(crate) const DEFAULT_LIMITS: Limits = Limits {
    concurrency: DEFAULT_CONCURRENCY,
    max_pages: crate::source::paging::DEFAULT_MAX_PAGES,
    pace: std::time::Duration::ZERO,
    call_timeout: fetch::DEFAULT_CALL_TIMEOUT,
    load_timeout: fetch::DEFAULT_LOAD_TIMEOUT,
};

/// Everything needed to load a struct again: the source and the settings.
#[derive(Clone)]
pub(crate) struct Group {
    pub source: Arc<dyn ParameterSource>,
    pub prefix: Option<String>,
    pub vars: HashMap<String, String>,
    /// `Loader::env_prefix`.
    pub env_prefix: Option<String>,
    pub limits: Limits,
}

/// A built struct with what its load knew.
pub(crate) struct Loaded<T> {
    pub value: T,
    pub metadata: Metadata,
    pub fingerprint: u64,
    /// The names and paths this load read, for matching change events.
    pub bound: Bound,
}

/// The full names and by-path walks one load read.
#[derive(Debug, Default)]
pub(crate) struct Bound {
    pub names: std::collections::HashSet<String>,
    /// Each walk's path and whether it descends.
    pub paths: Vec<(String, bool)>,
}

impl Bound {
    fn of(requests: &resolve::Requests) -> Self {
        Bound {
            names: requests.names.iter().map(|r| r.name.clone()).collect(),
            paths: requests
                .paths
                .iter()
                .map(|p| (p.path.clone(), p.recursive))
                .collect(),
        }
    }

    /// Whether a change to `name` may change what this load read.
    pub fn covers(&self, name: &str) -> bool {
        self.names.contains(name)
            || self.paths.iter().any(|(path, recursive)| {
                let base = path.trim_end_matches('/');
                match name
                    .strip_prefix(base)
                    .and_then(|rest| rest.strip_prefix('/'))
                {
                    Some(rest) => !rest.is_empty() && (*recursive || !rest.contains('/')),
                    None => false,
                }
            })
    }
}

impl Group {
    /// Makes a name with this group's variables (`Loader::var`, then the
    /// environment).
    pub fn fill(
        &self,
        template: &str,
        make: impl FnOnce(ssm_config_rules::Lookup<'_>) -> Result<String, ssm_config_rules::FillError>,
    ) -> Result<String, Problem> {
        let lookup = vars_then_env(&self.vars);
        make(&lookup).map_err(|err| resolve::fill_problem(&format!("watch `{template}`"), err))
    }

    /// Checks every binding as a load from this group would read it.
    pub async fn check<T: SsmConfig>(&self) -> crate::doctor::Report {
        let lookup = vars_then_env(&self.vars);
        let settings = crate::doctor::Settings {
            prefix: self.prefix.as_deref(),
            lookup: &lookup,
            overrides: resolve::Overrides::On {
                prefix: self.env_prefix.as_deref(),
            },
            limits: self.limits,
        };
        crate::doctor::check::<T>(&*self.source, settings).await
    }

    pub async fn load<T: SsmConfig>(&self) -> Result<Loaded<T>, Error> {
        self.load_paced::<T>(std::time::Duration::ZERO, None).await
    }

    /// A load whose calls go out spread over `pace`, keeping what an
    /// earlier attempt cut short carried over (and what this one reads,
    /// should it be cut short too).
    pub async fn load_paced<T: SsmConfig>(
        &self,
        pace: std::time::Duration,
        carried: Option<&mut Carried>,
    ) -> Result<Loaded<T>, Error> {
        let lookup = vars_then_env(&self.vars);
        let limits = Limits {
            pace,
            ..self.limits
        };
        let overrides = resolve::Overrides::On {
            prefix: self.env_prefix.as_deref(),
        };
        load_from::<T>(
            &*self.source,
            self.prefix.as_deref(),
            &lookup,
            overrides,
            limits,
            carried,
        )
        .await
    }
}

pub(crate) async fn load_from<T: SsmConfig>(
    source: &dyn ParameterSource,
    prefix: Option<&str>,
    lookup: resolve::Lookup<'_>,
    overrides: resolve::Overrides<'_>,
    limits: Limits,
    carried: Option<&mut Carried>,
) -> Result<Loaded<T>, Error> {
    if let Some(problem) = env_prefix_problem(overrides) {
        return Err(Error::new(T::PLAN.type_name, vec![problem]));
    }
    let resolution = resolve::resolve(T::PLAN, prefix, lookup, overrides);
    let fetched = fetch::fetch(source, &resolution.requests, limits, carried.as_deref()).await;
    if let Some(carried) = carried {
        carried.keep(&resolution.requests, &fetched);
    }
    let mut problems = resolution.problems;
    problems.extend(fetched.problems.iter().cloned());
    let built = build_contained::<T>(Build::new(
        &resolution.root,
        &resolution.requests,
        &fetched,
        &mut problems,
    ));
    match built {
        Some(value) if problems.is_empty() => {
            let (metadata, fingerprint) =
                metadata::describe(&resolution.root, &resolution.requests, &fetched);
            Ok(Loaded {
                value,
                metadata,
                fingerprint,
                bound: Bound::of(&resolution.requests),
            })
        }
        _ => {
            if problems.is_empty() {
                // Unreachable by construction: a field that fails records why.
                problems.push(Problem::InvalidName {
                    field: String::new(),
                    name: T::PLAN.type_name.to_owned(),
                    reason: "the struct could not be built".into(),
                });
            }
            Err(Error::new(T::PLAN.type_name, problems))
        }
    }
}

/// Builds the struct; a panic in code the build calls for the user that
/// escaped the field's own guard (a nested struct's `build`, say) becomes a
/// problem of the load instead of unwinding through it.
pub(crate) fn build_contained<T: SsmConfig>(mut build: Build<'_>) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| T::build(&mut build))) {
        Ok(built) => built,
        Err(_payload) => {
            build.record(Problem::Panicked {
                field: None,
                name: None,
                during: "building the struct",
            });
            None
        }
    }
}

/// The problem of a `Loader::env_prefix` no variable name can start with.
pub(crate) fn env_prefix_problem(overrides: resolve::Overrides<'_>) -> Option<Problem> {
    let resolve::Overrides::On {
        prefix: Some(prefix),
    } = overrides
    else {
        return None;
    };
    let reason = ssm_config_rules::check_env_name(prefix, false).err()?;
    Some(Problem::InvalidEnvPrefix {
        prefix: prefix.to_owned(),
        reason,
    })
}

/// Variables from `Loader::var` first, then the process environment: what
/// fills `{VAR}`s and overrides fields.
pub(crate) fn vars_then_env(
    vars: &HashMap<String, String>,
) -> impl Fn(&str) -> Option<String> + Sync + '_ {
    |var: &str| vars.get(var).cloned().or_else(|| std::env::var(var).ok())
}

/// `{VAR}`s from the process environment.
pub(crate) fn env_lookup(var: &str) -> Option<String> {
    std::env::var(var).ok()
}
