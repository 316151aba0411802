//! The public API as the crate docs name it, item by item, and the entry
//! points with their signatures: an accidental rename, removal or change of
//! signature fails this build. A deliberate one changes this file, and is
//! recorded in CHANGELOG.md.

#![allow(dead_code, unused_imports)]

use std::sync::Arc;

// The crate root: what a service names every day.
use ssm_config::{Error, Live, Loader, MemorySource, Secret, Snapshot, SsmConfig};
// One `use` per public module, each item the docs list.
use ssm_config::bootstrap::{Bootstrap, NewParameter, NewSecret};
use ssm_config::doctor::{Finding, Report, Row, Severity};
use ssm_config::error::{ErrorKind, Problem};
use ssm_config::iam::{Condition, IamPolicy, PolicyScope, Statement, Widened, Widening};
use ssm_config::live::{
    AheadOfExpiry, Applied, EventError, IntoChange, LastError, Metadata, ParameterChange,
    ParameterMetadata, RebuildStatus, RebuiltInTask, RebuiltOnRead, RefreshPolicy, RefresherState,
    Status,
};
use ssm_config::origin::Origin;
use ssm_config::plan::{Plan, PlannedKind, PlannedParameter, Selector};
use ssm_config::source::{
    AwsSource, BoxFuture, CallCounts, FileSource, Layered, Limits, Parameter, ParameterInfo,
    ParameterSource, ParameterType, ParameterWriter, ParametersOutput, PathFilters, PathPage,
    PathQuery, PutParameter, SourceError, SourceErrorKind,
};
use ssm_config::untyped::{Depth, Parameters, Value};

#[derive(SsmConfig)]
#[ssm(prefix = "/api")]
struct Api {
    value: String,
}

/// The trait's entry points, as generic code over `T: SsmConfig` calls
/// them.
fn generic_entry_points<T: SsmConfig>() {
    let _: fn() -> Loader<T> = T::loader;
    let _ = T::load;
    let _ = |source: MemorySource| T::fetch(source);
}

/// The derive adds no inherent methods: a struct's own `load`, `fetch`,
/// `check`, `loader` and `validate` compile beside it, and the trait's
/// entry points stay reachable through the trait.
#[derive(SsmConfig)]
#[ssm(prefix = "/own", validate = Self::check)]
struct OwnMethods {
    value: String,
}

impl OwnMethods {
    fn load() -> &'static str {
        "own load"
    }
    fn fetch(&self) -> &str {
        &self.value
    }
    fn check(&self) -> Result<(), String> {
        Ok(())
    }
    fn validate(&self) -> bool {
        true
    }
    fn loader() -> u8 {
        7
    }
}

#[tokio::test]
async fn a_structs_own_methods_compile_beside_the_derive() {
    assert_eq!(OwnMethods::load(), "own load");
    assert_eq!(OwnMethods::loader(), 7);
    let source = MemorySource::new();
    source.put("/own/value", "v");
    let config = <OwnMethods as SsmConfig>::fetch(source.clone())
        .await
        .unwrap();
    assert_eq!(config.fetch(), "v");
    assert!(config.validate() && config.check().is_ok());
    let live = <OwnMethods as SsmConfig>::loader()
        .source(source)
        .load()
        .await
        .unwrap();
    assert_eq!(live.get().value, "v");
}

#[test]
fn the_public_api_is_what_the_docs_say() {
    generic_entry_points::<Api>();
    // The loader's settings, each one job.
    let _: fn(Loader<Api>, &str, &str) -> Loader<Api> = |l, k, v| l.var(k, v);
    let _: fn(Loader<Api>, &str, &str) -> Loader<Api> = |l, k, v| l.env_override(k, v);
    let _: fn(Loader<Api>, &str) -> Loader<Api> = |l, p| l.env_prefix(p);
    let _: fn(Loader<Api>, &str) -> Loader<Api> = |l, p| l.prefix(p);
    // The limits: one value, shared with the untyped cache.
    let _: fn(Loader<Api>, Limits) -> Loader<Api> = Loader::limits;
    let _: fn(Limits, std::time::Duration) -> Limits = Limits::call_timeout;
    let _: fn(Limits, std::time::Duration) -> Limits = Limits::load_timeout;
    let _: fn(Limits, usize) -> Limits = Limits::max_concurrency;
    let _: fn(Limits, usize) -> Limits = Limits::max_pages;
    let _: fn(Parameters, Limits) -> Parameters = Parameters::limits;
    // The refresh policy: one value, handed over whole.
    let _: fn(Loader<Api>, RefreshPolicy) -> Loader<Api> = Loader::refresh;
    let _: fn(RefreshPolicy, std::time::Duration) -> RefreshPolicy = RefreshPolicy::max_age;
    let _: fn(RefreshPolicy, AheadOfExpiry) -> RefreshPolicy = RefreshPolicy::ahead_of_expiry;
    let _: fn(RefreshPolicy, &str) -> RefreshPolicy = |p, n| p.watch(n);
    let _: fn(RefreshPolicy, std::time::Duration) -> RefreshPolicy =
        RefreshPolicy::full_reload_every;
    let _: fn(RefreshPolicy, std::time::Duration) -> RefreshPolicy =
        RefreshPolicy::event_refresh_interval;
    let _: fn(RefreshPolicy, std::time::Duration) -> RefreshPolicy = RefreshPolicy::event_spread;
    let _: fn(RefreshPolicy, std::time::Duration) -> RefreshPolicy =
        RefreshPolicy::on_error_interval;
    let _: fn(&Loader<Api>) -> Plan = Loader::plan;
    let _: fn(&Loader<Api>) -> Bootstrap = Loader::bootstrap;
    let _: fn(&Loader<Api>, &PolicyScope) -> IamPolicy = Loader::iam_policy;
    // The live handle's reads, one return type.
    let _: fn(&Live<Api>) -> Snapshot<Api> = Live::get;
    let _: fn(&Live<Api>) -> Status = Live::status;
    let _: fn(&Snapshot<Api>) -> &Arc<Api> = Snapshot::as_arc;
    let _: fn(&Snapshot<Api>) -> &Metadata = Snapshot::metadata;
    // Errors and their kinds.
    let _: fn(&Error) -> &[Problem] = Error::problems;
    let _: fn(&Error) -> ErrorKind = Error::kind;
    let _: fn(&Report) -> usize = Report::error_count;
    let _: fn(&SourceError) -> SourceErrorKind = SourceError::kind;
    let _: fn(Secret<String>) -> secrecy::SecretString = Into::into;
}
