//! One attempt at a struct: resolve its plan with the loader's settings,
//! fetch every name and walk at once, build the struct and run its
//! validation. A load, a refresh and the doctor all run this one pipeline;
//! the doctor then only diagnoses what an attempt reports.

use std::collections::BTreeSet;

use crate::SsmConfig;
use crate::error::Problem;
use crate::observe::{self, Operation};
use crate::pipeline::NotFromStore;
use crate::pipeline::build::Build;
use crate::pipeline::carried::Carried;
use crate::pipeline::defaults::{self, Defaults};
use crate::pipeline::fetch;
use crate::pipeline::fetch::fetched::Fetched;
use crate::pipeline::known::Known;
use crate::pipeline::resolve::{self, Overrides, Resolution};
use crate::pipeline::stand_ins::{self, SecretOverrides, StandIn};
use crate::pipeline::strays;
use crate::source::Limits;
use crate::source::{ForPrefix, ParameterSource};

/// How an attempt reads: the loader's prefix, the values of `{VAR}`s, the
/// environment overrides and the limits.
pub(crate) struct Settings<'a> {
    pub prefix: Option<&'a str>,
    pub lookup: resolve::Lookup<'a>,
    pub overrides: Overrides<'a>,
    pub limits: Limits,
    /// What to do with a secret or a default that did not come from the
    /// store.
    pub not_from_store: NotFromStore,
    /// The stand-ins already warned of, for a group that refreshes; a
    /// load without one warns of all it finds.
    pub warned: Option<&'a stand_ins::Warned>,
    /// What the attempt is for: a first load warns of entries no field
    /// reads, a refresh does not (every refresh would say it again).
    pub operation: Operation,
}

/// What an attempt may take as read instead of asking the source.
pub(crate) enum Reuse<'a> {
    /// Ask for everything.
    Nothing,
    /// What an earlier attempt cut short read (see [`Carried`]); updated
    /// with what this one reads.
    Carried(&'a mut Carried),
    /// What the current snapshot read, with the names a change event named
    /// read again: a targeted refresh.
    #[cfg(feature = "events")]
    Known(&'a dyn Known),
}

/// What one attempt came to: what it asked for, what the source answered,
/// every problem, and the struct if it could be built and passed its
/// validation.
pub(crate) struct Attempt<T> {
    pub resolution: Resolution,
    pub fetched: Fetched,
    pub problems: Vec<Problem>,
    /// Entries no field reads, most likely typos: the doctor lists them.
    #[cfg(feature = "doctor")]
    pub strays: Vec<strays::Stray>,
    /// Where values were looked for: the source's description.
    pub looked_in: String,
    secret_overrides: SecretOverrides,
    /// Secrets whose values came from beside the store: warned of by a
    /// first load, refused when the loader says so.
    pub stand_ins: Vec<StandIn>,
    pub value: Option<T>,
}

impl<T: SsmConfig> Attempt<T> {
    /// Runs the pipeline once. `Err` when nothing could be asked for: a
    /// `Loader::env_prefix` no variable name can start with.
    pub async fn run(
        source: &dyn ParameterSource,
        settings: &Settings<'_>,
        reuse: Reuse<'_>,
    ) -> Result<Self, Problem> {
        if let Some(problem) = env_prefix_problem(settings.overrides) {
            return Err(problem);
        }
        // Strays are looked for where they are reported (a first load, the
        // doctor), not on every refresh: a listing re-reads a local file.
        let looks_for_strays = settings.operation != Operation::Refresh;
        // The variables the names' `{VAR}`s read (the prefix's, a field's):
        // under the override prefix they are no typos, whatever their name.
        let templates_read = std::sync::Mutex::new(BTreeSet::new());
        let recording = |variable: &str| {
            if looks_for_strays {
                templates_read
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(variable.to_owned());
            }
            (settings.lookup)(variable)
        };
        let resolution = resolve::resolve(
            T::DESCRIPTION,
            settings.prefix,
            &recording,
            settings.overrides,
        );
        let templates_read = templates_read
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        let source = ForPrefix::new(source, resolution.prefix.as_deref());
        let known: Option<&dyn Known> = match &reuse {
            Reuse::Nothing => None,
            Reuse::Carried(carried) => Some(&**carried),
            #[cfg(feature = "events")]
            Reuse::Known(known) => Some(*known),
        };
        let fetched =
            fetch::fetch(source.get(), &resolution.requests, settings.limits, known).await;
        if let Reuse::Carried(carried) = reuse {
            carried.keep(&resolution.requests, &fetched);
        }
        observe::attempt(
            T::DESCRIPTION.type_name,
            &resolution.requests,
            &fetched.calls,
        );
        let strays = match looks_for_strays {
            false => Vec::new(),
            true => strays::find(
                &resolution.root,
                &resolution.requests,
                source.get(),
                settings.overrides,
                &templates_read,
            ),
        };
        if settings.operation == Operation::Load {
            for stray in &strays {
                tracing::warn!(
                    config = T::DESCRIPTION.type_name,
                    entry = %stray.name,
                    near = stray.near.as_deref(),
                    "`{}`: {}",
                    stray.name,
                    stray.describe()
                );
            }
        }
        let mut attempt = Attempt {
            resolution,
            fetched,
            problems: Vec::new(),
            #[cfg(feature = "doctor")]
            strays,
            looked_in: source.get().describe(),
            secret_overrides: settings.not_from_store.secrets,
            stand_ins: Vec::new(),
            value: None,
        };
        attempt.rebuild();
        // The doctor shows them in its rows instead.
        if settings.operation != Operation::Diagnose
            && settings.not_from_store.defaults == Defaults::Warn
        {
            let resolution = &attempt.resolution;
            let defaulted = defaults::find(
                &resolution.root,
                &resolution.requests,
                &attempt.fetched,
                &attempt.stand_ins,
            );
            defaults::warn(T::DESCRIPTION.type_name, &defaulted, settings.warned);
        }
        // The doctor shows stand-ins in its rows instead.
        if settings.operation != Operation::Diagnose
            && settings.not_from_store.secrets == SecretOverrides::Warn
        {
            match settings.warned {
                Some(warned) => warned.warn_new(T::DESCRIPTION.type_name, &attempt.stand_ins),
                None => {
                    for stand_in in &attempt.stand_ins {
                        stand_ins::warn(T::DESCRIPTION.type_name, stand_in);
                    }
                }
            }
        }
        Ok(attempt)
    }

    /// Builds (and validates) the struct again from what `fetched` holds
    /// now: the doctor's, after it asked some names alone.
    pub fn rebuild(&mut self) {
        let mut problems = self.resolution.problems.clone();
        problems.extend(self.fetched.problems.iter().cloned());
        let mut stand_ins = Vec::new();
        self.value = build_contained::<T>(Build::new(
            &self.resolution.root,
            &self.resolution.requests,
            &self.fetched,
            &mut problems,
            &mut stand_ins,
            &self.looked_in,
        ));
        if self.secret_overrides == SecretOverrides::Refuse {
            problems.extend(stand_ins.iter().map(StandIn::problem));
        }
        self.problems = problems;
        self.stand_ins = stand_ins;
    }

    /// Whether a load from this attempt succeeds.
    #[cfg(feature = "doctor")]
    pub fn succeeded(&self) -> bool {
        self.value.is_some() && self.problems.is_empty()
    }
}

/// Builds the struct; a panic in code the build calls for the user that
/// escaped the field's own guard (a nested struct's `build`, say) becomes a
/// problem of the attempt instead of unwinding through it.
fn build_contained<T: SsmConfig>(mut build: Build<'_>) -> Option<T> {
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
fn env_prefix_problem(overrides: Overrides<'_>) -> Option<Problem> {
    let Overrides::On {
        prefix: Some(prefix),
        ..
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
