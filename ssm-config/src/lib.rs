//! Typed application configuration from AWS Systems Manager Parameter Store
//! and Secrets Manager.
//!
//! Describe the configuration as a struct, derive [`SsmConfig`](macro@SsmConfig),
//! and load it in one group fetch: every name the struct needs goes out in
//! `GetParameters` calls of 10 names, issued concurrently, beside the
//! `GetParametersByPath` walks. StringLists become `Vec<T>`, SecureStrings
//! and secrets a redacting [`Secret<T>`], JSON values deserialize with
//! serde, and every problem of a load is reported at once, naming the field
//! and the parameter. The result is a [`Live`] handle that refreshes while
//! it is read.
//!
//! ```
//! use std::collections::HashMap;
//! use ssm_config::{MemorySource, Secret, SsmConfig};
//!
//! #[derive(SsmConfig, Debug)]
//! #[ssm(prefix = "/{APP_ENV}/orders", max_age = 300)]
//! struct AppConfig {
//!     db_host: String,                        // /prod/orders/db_host
//!     #[ssm(path = "db/port", default = 5432)]
//!     db_port: u16,                           // missing: 5432
//!     #[ssm(path = "db/password")]
//!     db_password: Secret<String>,            // SecureString, redacted
//!     #[ssm(path = "/shared/allowed-ips")]
//!     allowed_ips: Vec<std::net::IpAddr>,     // StringList
//!     #[ssm(secret = "prod/stripe", key = "api_key")]
//!     stripe_key: Secret<String>,             // one key of a JSON secret
//!     timeout_ms: Option<u64>,                // missing: None
//!     #[ssm(by_path = "workers", recursive = false)]
//!     workers: HashMap<String, String>,       // all direct children
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), ssm_config::Error> {
//! let source = MemorySource::new(); // in production: no source, AWS SSM
//! source.put("/prod/orders/db_host", "db.internal");
//! source.put_secure("/prod/orders/db/password", "hunter2");
//! source.put_string_list("/shared/allowed-ips", ["10.0.0.1", "10.0.0.2"]);
//! source.put_secret("prod/stripe", r#"{"api_key":"sk_live_123"}"#);
//! source.put("/prod/orders/workers/emails", "4");
//!
//! let config = AppConfig::loader().source(source).var("APP_ENV", "prod").load().await?;
//! let snapshot = config.get(); // one snapshot per unit of work
//! assert_eq!(snapshot.db_port, 5432);
//! assert_eq!(snapshot.db_password.expose_secret(), "hunter2");
//! assert_eq!(snapshot.workers["emails"], "4");
//! assert!(!format!("{snapshot:?}").contains("hunter2"));
//! # Ok(()) }
//! ```
//!
//! Without `.source(...)`, `AppConfig::load()` reads AWS SSM as the
//! environment configures the AWS SDK (region, credentials,
//! `AWS_ENDPOINT_URL`).
//!
//! # Where things are
//!
//! - [`#[derive(SsmConfig)]`](macro@SsmConfig): the attribute reference,
//!   every struct and field attribute and the field types.
//! - The crate root holds what a service names every day: the
//!   [`SsmConfig`](trait@SsmConfig) trait (`load`, `fetch`, `loader`), the
//!   [`Loader`] (source, prefix, variables, refresh policy, and the tools),
//!   [`Live`] and its [`Snapshot`], [`Secret`], [`Error`] and
//!   [`MemorySource`].
//! - [`live`]: the [`RefreshPolicy`](live::RefreshPolicy), values derived
//!   from the configuration, [`Status`](live::Status) for readiness probes,
//!   change events.
//! - [`error`]: each [`Problem`](error::Problem) of a load and its
//!   [`ErrorKind`](error::ErrorKind); [`origin`]: where a value came from.
//! - [`source`]: the source contract ([`ParameterSource`](source::ParameterSource))
//!   and the sources: AWS, in memory, files, layers.
//! - [`plan`]: the binding plan; [`doctor`], [`bootstrap`] and [`iam`]:
//!   the tools; [`untyped`]: parameters by names known only at run time;
//!   [`metrics`]: every metric's name and labels; [`fan_out`]: change
//!   events for every instance of a fleet.
//!
//! # Guides
//!
//! - [The live handle](guide::live_handle): loading, snapshots, refresh,
//!   `subscribe`, `map`, `refresh_on_error`, Lambda.
//! - [Running a fleet](guide::fleet): the quota arithmetic, refreshing ahead
//!   of expiry, watch mode, change events.
//! - [Local development](guide::local_development): files, layers,
//!   environment overrides, where a value came from.
//! - [The tools](guide::tools): the binding plan, the doctor, bootstrap,
//!   the least-privilege IAM policy.
//! - [Testing your code](guide::testing): [`MemorySource`], failures,
//!   refreshes.
//! - [When things go wrong](guide::when_things_go_wrong): errors, what they
//!   never show, deadlines, backoff, health, spans and metrics.
//!
//! # Feature flags
//!
//! - `default-https-client` (default): the HTTPS client `aws-config` and
//!   the SDK use by default, rustls with aws-lc, so a service that already
//!   builds the SDK builds no second TLS stack. Without a TLS feature, give
//!   the loader a client of your own ([`Loader::client`],
//!   [`Loader::sdk_config`]).
//! - `rustls-ring`: rustls with ring; with `default-features = false`,
//!   instead of aws-lc.
//! - `fips`: the SDK's FIPS option, rustls with aws-lc in FIPS mode (its
//!   build needs cmake and Go, as the SDK's does).
//! - `doctor`: [`Loader::diagnose`] and the [`doctor`] module.
//! - `bootstrap`: [`Loader::bootstrap`] and the [`bootstrap`] module.
//! - `iam`: [`Loader::iam_policy`] and the [`iam`] module.
//! - `untyped`: the [`untyped`] module.
//! - `file`: [`FileSource`](source::FileSource), for local development.
//! - `events`: change events, [`Live::apply_event`].
//! - `fan-out`: change events for every instance of a fleet: a queue per
//!   live handle on an SNS topic ([`fan_out`], [`Live::fan_out`]), with the
//!   topic and rules in bootstrap's outputs and the grants in the IAM
//!   policy. It brings the SQS and SNS SDKs; implies `events`.
//! - `secrecy`: fields of type `secrecy::SecretString` and
//!   `secrecy::SecretBox<T>` of secrecy 0.10, and `Secret<T>` into them.
//!   secrecy 0.8's `Secret<T>` does not bind, with or without the feature:
//!   such a field is an error that says so; write `ssm_config::Secret<T>`.
//! - `metrics`: counters, histograms and gauges through the `metrics`
//!   facade.
//!
//! The crate needs a tokio runtime. `serde` and `serde_json` are
//! re-exported for the generated code, so a crate using the derive does
//! not depend on them itself.

#![warn(missing_docs)]
// The default level, stated: the check without features runs with
// trybuild's flags (`-A dead_code`, see `tests/suite/support/cargo.rs`),
// and code a feature leaves unused must still show there.
#![warn(dead_code)]
// The crate docs and guides link the optional tools by name; without
// their features those items do not exist and the links cannot resolve.
#![cfg_attr(
    not(all(
        feature = "doctor",
        feature = "bootstrap",
        feature = "iam",
        feature = "untyped",
        feature = "file",
        feature = "events",
        feature = "fan-out"
    )),
    allow(rustdoc::broken_intra_doc_links)
)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// A `Problem` is made once per failed field, off the fast path; its size
// buys fields a caller can match on directly, with no box to look through.
#![allow(clippy::result_large_err)]

#[cfg(feature = "bootstrap")]
#[cfg_attr(docsrs, doc(cfg(feature = "bootstrap")))]
pub mod bootstrap;
mod description;
#[cfg(feature = "doctor")]
#[cfg_attr(docsrs, doc(cfg(feature = "doctor")))]
pub mod doctor;
pub mod error;
#[cfg(feature = "fan-out")]
#[cfg_attr(docsrs, doc(cfg(feature = "fan-out")))]
pub mod fan_out;
pub mod guide;
#[cfg(feature = "iam")]
#[cfg_attr(docsrs, doc(cfg(feature = "iam")))]
pub mod iam;
mod interop;
pub mod live;
mod loader;
pub mod metrics;
mod name;
mod observe;
mod operation;
pub mod origin;
mod overlap;
mod pipeline;
mod placeholder;
pub mod plan;
mod secret;
pub mod source;
#[cfg(feature = "untyped")]
#[cfg_attr(docsrs, doc(cfg(feature = "untyped")))]
pub mod untyped;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use error::Error;
pub use live::{Live, Snapshot};
pub use loader::Loader;
pub use secret::Secret;
pub use source::MemorySource;
#[doc = include_str!("derive.md")]
pub use ssm_config_derive::SsmConfig;

// The READMEs' Rust blocks are compiled and run with the doctests; the
// packaged crate does not need the workspace README, hence the cfg. The
// workspace README's porting guide reads a `FileSource`: its blocks are
// doctests where `file` is on (the test command turns every feature on).
#[cfg(all(doctest, feature = "file"))]
#[doc = include_str!("../../README.md")]
struct WorkspaceReadme;
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct CrateReadme;

#[doc(hidden)]
pub use serde;
#[doc(hidden)]
pub use serde_json;

/// A configuration struct bound to Parameter Store; implement it with
/// `#[derive(SsmConfig)]`.
///
/// This trait is the one way in: [`load`](SsmConfig::load) for a live
/// handle from AWS, [`fetch`](SsmConfig::fetch) for one value from a source
/// of your own, and [`loader`](SsmConfig::loader) for everything else (the
/// prefix, variables, refresh policy, and the tools: the plan, the doctor,
/// bootstrap, the IAM policy). `load` and `fetch` are shorthands for a
/// default loader, so every load takes the same path, with the same span
/// and metrics. The derive adds no inherent methods: the struct's own
/// `load`, `check` or `validate` compile beside it. The trait comes into
/// scope with the derive's own import, `use ssm_config::SsmConfig`.
///
/// ```
/// use ssm_config::{MemorySource, SsmConfig};
///
/// /// Prints what any configuration reads, then loads it.
/// async fn plan_then_fetch<T: SsmConfig>(source: MemorySource) -> Result<T, ssm_config::Error> {
///     println!("{}", T::loader().plan());
///     T::fetch(source).await
/// }
///
/// #[derive(SsmConfig, Debug)]
/// #[ssm(prefix = "/app")]
/// struct AppConfig {
///     host: String,
/// }
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
/// let source = MemorySource::new();
/// source.put("/app/host", "db");
/// let config: AppConfig = plan_then_fetch(source).await?;
/// assert_eq!(config.host, "db");
/// # Ok(()) }
/// ```
pub trait SsmConfig: Sized + Send + Sync + 'static {
    #[doc(hidden)]
    const DESCRIPTION: &'static __private::StructDescription;

    #[doc(hidden)]
    fn build(build: &mut __private::Build<'_>) -> Option<Self>;

    /// Loads every parameter of this configuration in one group fetch from
    /// AWS SSM, configured from the environment, and returns a live handle:
    /// `Self::loader().load()`.
    fn load() -> impl std::future::Future<Output = Result<Live<Self>, Error>> + Send {
        Self::loader().load()
    }

    /// Loads this configuration once from `source`, without a handle:
    /// `Self::loader().source(source).fetch()`. A [`MemorySource`] is
    /// cheap to clone and its clones share one store.
    fn fetch(
        source: impl source::ParameterSource,
    ) -> impl std::future::Future<Output = Result<Self, Error>> + Send {
        Self::loader().source(source).fetch()
    }

    /// A [`Loader`] to choose the source, prefix, variables and refresh
    /// policy, and to reach the tools with those settings.
    fn loader() -> Loader<Self> {
        Loader::new()
    }
}
