//! Typed application configuration from AWS Systems Manager Parameter Store
//! and Secrets Manager.
//!
//! Describe your configuration as a struct, derive [`SsmConfig`], and load it
//! in one group fetch: every name the struct needs goes out in `GetParameters`
//! calls of 10 names, issued concurrently, beside the `GetParametersByPath`
//! walks, each paged to the end. StringLists become `Vec<T>`, SecureStrings and
//! secrets become a redacting [`Secret<T>`], JSON values deserialize with serde,
//! and every problem of a load (missing parameters, bad values, unset
//! variables, AWS errors) is reported at once, naming the field and the
//! parameter.
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
//! let source = MemorySource::new();
//! source.put("/prod/orders/db_host", "db.internal");
//! source.put_secure("/prod/orders/db/password", "hunter2");
//! source.put_string_list("/shared/allowed-ips", ["10.0.0.1", "10.0.0.2"]);
//! source.put_secret("prod/stripe", r#"{"api_key":"sk_live_123"}"#);
//! source.put("/prod/orders/workers/emails", "4");
//!
//! let config = AppConfig::loader().source(source).var("APP_ENV", "prod").load().await?;
//! let snapshot = config.get();
//! assert_eq!(snapshot.db_port, 5432);
//! assert_eq!(snapshot.db_password.expose_secret(), "hunter2");
//! assert_eq!(snapshot.workers["emails"], "4");
//! assert!(!format!("{snapshot:?}").contains("hunter2"));
//! # Ok(()) }
//! ```
//!
//! Without `.source(...)`, [`load`](Loader::load) reads AWS SSM as configured
//! by the environment (region, credentials, `AWS_ENDPOINT_URL`).
//!
//! # Attributes
//!
//! On the struct:
//! - `prefix = "/{APP_ENV}/orders"`: the base of relative paths; `{VAR}` is
//!   read from the environment (or [`Loader::var`]) at load time.
//! - `max_age = 300` or `max_age = "5m"`: how long a snapshot lives, in
//!   whole seconds or as a duration (`"30s"`, `"5m"`, `"1h30m"`, read by
//!   `humantime`), as [`RefreshPolicy::max_age`](live::RefreshPolicy::max_age) takes a `Duration`; at least 1 s
//!   (`0` is a compile error).
//! - `rename_all = "kebab-case"`: how field names become path segments
//!   (`lowercase`, `UPPERCASE`, `PascalCase`, `camelCase`, `snake_case`,
//!   `SCREAMING_SNAKE_CASE`, `kebab-case`, `SCREAMING-KEBAB-CASE`).
//! - `decrypt = false`: read SecureStrings without decryption.
//! - `crate = "path::to::ssm_config"`: where the runtime crate is, for
//!   crates that re-export it.
//! - `validate = path::to::function`: a `fn(&Self) -> Result<(), E>` with
//!   `E: Display`, run on every load and refresh once the struct (nested
//!   structs too) is built. A refusal fails a load with
//!   [`Problem::Invalidated`](error::Problem::Invalidated), and keeps a
//!   refresh from being published: the last good snapshot stays and
//!   subscribers are not woken. Its error's `Display` is shown as it is, in
//!   errors, logs and the doctor: keep secret values out of it.
//!
//! ```
//! # use ssm_config::{MemorySource, SsmConfig};
//! #[derive(SsmConfig, Debug)]
//! #[ssm(prefix = "/app", validate = Self::validate)]
//! struct Pool {
//!     size: u32,
//! }
//!
//! impl Pool {
//!     fn validate(&self) -> Result<(), String> {
//!         match self.size {
//!             0 => Err("a pool of 0 connections".into()),
//!             _ => Ok(()),
//!         }
//!     }
//! }
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let source = MemorySource::new();
//! source.put("/app/size", "0");
//! let err = Pool::fetch(source.clone()).await.unwrap_err();
//! assert_eq!(err.to_string(), "cannot load `Pool`: validation failed: a pool of 0 connections");
//! # }
//! ```
//!
//! On a field:
//! - `path = "rel/or/abs"`: the parameter (default: the field name). A leading
//!   `/` makes it absolute. `path = "name:3"` pins version 3 and
//!   `path = "name:label"` a label; so do `version = 3` and `label = "..."`.
//!   A parameter another account shares is named by its ARN,
//!   `path = "arn:aws:ssm:eu-west-1:111122223333:parameter/shared/db-url"`
//!   (checked at compile time, never joined to the prefix).
//!   Pinned fields never move on refresh.
//! - `default = EXPR` or bare `default`: the value when the parameter is
//!   missing. A string literal goes through the field's conversion, so
//!   `default = "a,b"` works for a `Vec<String>`; it is converted on every
//!   load, so one that cannot convert fails every load, and for standard
//!   scalars (and `Vec`s of them) it fails the build instead.
//! - `secret = "name"`, with `key = "k"` for one key of a JSON secret: a
//!   Secrets Manager secret. The field must be `Secret<_>`.
//! - `json`: the value is JSON, deserialized into the field's type.
//! - `by_path = "dir"`, `recursive = false`, `type = "String"`,
//!   `key_id = "..."`, `label = "..."`: every parameter under a path, into a
//!   `HashMap<String, T>` or `BTreeMap<String, T>` keyed by the name below it.
//! - `nested = "segment"`, bare `nested`, or `flatten`: another `SsmConfig`
//!   struct, under the segment given, under the field's own name (after
//!   `rename_all`), or under no extra segment.
//! - `skip`: not read; `Default::default()`.
//! - `plaintext`: accept a SecureString in a field that is not `Secret<_>`.
//! - `env = "DB_HOST"`: an environment variable that, when set and not
//!   empty, overrides the parameter (which is then not read), through the
//!   field's own conversion; see [`Loader::env_prefix`] for one for every
//!   field.
//!
//! Field types: any `T: FromStr`; `std::time::Duration` from `250ms`,
//! `30s`, `5m`, `1h30m` or a bare number of seconds; `bool` from
//! `true`/`false`, `yes`/`no`, `on`/`off` or `1`/`0` in any case;
//! `Option<T>` (missing gives `None`); `Vec<T>` (a StringList, each item
//! read as above); `Secret<T>` around any of these (or, with the `secrecy`
//! feature, `secrecy::SecretString` and `secrecy::SecretBox<T>`); JSON
//! types with `json`; and maps with `by_path`.
//!
//! ```
//! # use std::time::Duration;
//! # use ssm_config::{MemorySource, SsmConfig};
//! #[derive(SsmConfig)]
//! #[ssm(prefix = "/app")]
//! struct Http {
//!     timeout: Duration,
//!     #[ssm(default = "30s")]
//!     idle: Duration,
//!     keep_alive: bool,
//! }
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let source = MemorySource::new();
//! source.put("/app/timeout", "1m30s");
//! source.put("/app/keep_alive", "yes");
//! let http = Http::fetch(source.clone()).await.unwrap();
//! assert_eq!((http.timeout, http.idle), (Duration::from_secs(90), Duration::from_secs(30)));
//! assert!(http.keep_alive);
//! # }
//! ```
//!
//! # Mistakes caught at compile time
//!
//! The derive checks every name the struct can produce the way SSM will:
//! characters outside `a-zA-Z0-9_.-/`, more than 15 levels, more than 1011
//! characters, a start with `aws` or `ssm`, empty segments, a trailing `/`,
//! malformed selectors and labels, a secret name with a leading `/` or a
//! character outside `a-zA-Z0-9/_+=.@-!` (Secrets Manager's own set), a
//! `by_path` walk under the Secrets Manager reference path. It also refuses
//! unknown, duplicate and conflicting attributes (with a "did you mean" for
//! near misses), attributes on the wrong field type, and two fields bound to
//! one parameter, nested structs included. A field whose type cannot bind
//! is an error at that field's type, saying what would make it bind (a
//! `FromStr` implementation, `#[ssm(json)]` for a `Deserialize` type, or
//! `#[ssm(nested)]` for a struct that derives `SsmConfig`). Every mistake is
//! reported in the same compile, at the token that holds it.
//!
//! The build and the load apply one rulebook (the `ssm-config-rules`
//! crate): a name the build accepts is accepted at load time, and a load
//! refuses nothing the build would accept, property-tested on generated
//! names. Where the build cannot see a name whole, the load checks the rest
//! before any call: a relative path in a struct without a prefix once it is
//! joined, a prefix given to [`Loader::prefix`], and every `{VAR}`. A
//! `{VAR}` fills exactly one segment: its value must be 1 or more characters
//! of `a-zA-Z0-9_.-` (no `/`, `{` or `}`), it is inserted once and never
//! expanded again, and any other value fails the load with an error that
//! names the variable without quoting the value.
//!
//! ```compile_fail
//! # use ssm_config::SsmConfig;
//! #[derive(SsmConfig)]
//! #[ssm(prefix = "/app")]
//! struct AppConfig {
//!     #[ssm(path = "db host")] // error: ` ` is not allowed in a parameter name
//!     db_host: String,
//! }
//! ```
//!
//! # Hot reload
//!
//! [`Live::get`] returns the current [`Snapshot`] without locking or
//! waiting, at the same cost on every thread. With `max_age`, a task on the
//! runtime that loaded the configuration refreshes it as it expires (or
//! ahead of expiry, with [`RefreshPolicy::ahead_of_expiry`](live::RefreshPolicy::ahead_of_expiry)); reads never
//! fetch. The task follows tokio's clock, so tests that pause time
//! (`#[tokio::test(start_paused = true)]`) see refreshes as time advances.
//! [`Live::subscribe`] tells when a refresh changed a value, and
//! [`Live::map`] keeps a value built from the config (a connection pool, a
//! client) rebuilt when it changes. [`Live::refresh_on_error`] refreshes and
//! retries a call that failed, say because a password was rotated.
//!
//! ```
//! # use ssm_config::{MemorySource, Secret, SsmConfig};
//! #[derive(SsmConfig)]
//! #[ssm(prefix = "/app")]
//! struct Db {
//!     password: Secret<String>,
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), ssm_config::Error> {
//! let source = MemorySource::new();
//! source.put_secure("/app/password", "old");
//! let config = Db::loader().source(source.clone()).load().await?;
//! let pool = config.map(|db| format!("pool with {}", db.password.expose_secret()));
//! let mut changes = config.subscribe();
//!
//! source.put_secure("/app/password", "rotated");
//! let answer = config
//!     .refresh_on_error(|db| {
//!         let password = db.password.expose_secret().clone();
//!         async move { if password == "rotated" { Ok(1) } else { Err("access denied") } }
//!     })
//!     .await;
//! assert_eq!(answer, Ok(1));
//! assert!(changes.has_changed().unwrap());
//! assert_eq!(*pool.get(), "pool with rotated");
//! # Ok(()) }
//! ```
//!
//! # AWS Lambda
//!
//! Load once in the function's init, outside the handler, and take one
//! snapshot per invocation. A frozen execution environment runs no task, but
//! the refresher's timer counts on the monotonic clock, which runs on while
//! frozen: the first invocation after a thaw past `max_age` starts the
//! refresh and is served the previous snapshot meanwhile; [`Live::fresh`]
//! waits for it when an invocation must not see an old value.
//!
//! ```no_run
//! # use ssm_config::SsmConfig;
//! # #[derive(SsmConfig)] #[ssm(prefix = "/app", max_age = 300)] struct AppConfig { table: String }
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
//! let config = AppConfig::load().await?; // in init: one group fetch
//! // in the handler:
//! let snapshot = config.get();
//! println!("writing to {}", snapshot.table);
//! # Ok(()) }
//! ```
//!
//! # Testing your code
//!
//! [`MemorySource`] is an in-memory Parameter Store with SSM's semantics
//! (types, versions, labels, selectors, paths and paging, secret
//! references, the 10-name limit) that counts the calls it answers. Seed it
//! and hand it to [`Loader::source`] or `AppConfig::fetch(source.clone())`; no
//! AWS account or network is involved, as in the example at the top. Any
//! other store can stand in by implementing [`ParameterSource`](source::ParameterSource).
//!
//! ```
//! # use ssm_config::{MemorySource, SsmConfig};
//! # #[derive(SsmConfig, Debug)] #[ssm(prefix = "/app")] struct AppConfig { port: u16 }
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let source = MemorySource::new();
//! source.put("/app/port", "eighty");
//! let error = AppConfig::fetch(source.clone()).await.unwrap_err();
//! assert!(error.to_string().contains("field `port`: the value from /app/port version 1 is not a valid `u16`"));
//! assert_eq!(source.calls().get_parameters, 1);
//! # }
//! ```
//!
//! # Least-privilege IAM
//!
//! `AppConfig::loader().iam_policy(&scope)` gives the IAM policy document that
//! allows exactly the reads of the struct, and `AppConfig::loader().plan()`
//! the binding plan, which prints as a table; see [`IamPolicy`](iam::IamPolicy).
//!
//! ```
//! # use ssm_config::{Secret, SsmConfig, iam::PolicyScope};
//! # #[derive(SsmConfig)] #[ssm(prefix = "/prod/orders")]
//! # struct AppConfig { db_host: String, #[ssm(secret = "prod/stripe")] stripe: Secret<String> }
//! let policy = AppConfig::loader().iam_policy(&PolicyScope::new("eu-west-1", "123456789012"));
//! let reads = policy.statement("ReadParameters").unwrap();
//! assert!(reads.resources.contains(
//!     &"arn:aws:ssm:eu-west-1:123456789012:parameter/prod/orders/db_host".to_string()
//! ));
//! assert!(policy.statement("ReadReferencedSecrets").is_some());
//! println!("{policy}"); // the JSON document
//! println!("{}", AppConfig::loader().plan());
//! ```
//!
//! # Local development, the doctor, bootstrap
//!
//! The same struct loads from a file with environment overrides on a laptop
//! (see [`Loader::env_prefix`] and [`Layered`](source::Layered)), is checked
//! against an environment before a deploy, and says what it needs created:
//!
//! ```
//! # use ssm_config::{MemorySource, SsmConfig};
//! # use ssm_config::source::Layered;
//! # #[derive(SsmConfig, Debug)] #[ssm(prefix = "/app")] struct AppConfig { host: String, #[ssm(default = 80)] port: u16 }
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
//! let laptop = MemorySource::new(); // or FileSource::new("local.toml")
//! laptop.put("/app/host", "localhost");
//! let config = AppConfig::loader()
//!     .source(Layered::new().then(laptop.clone()))
//!     .env_prefix("APP_")
//!     .load()
//!     .await?;
//! println!("{}", config.metadata().origin("host").unwrap()); // /app/host version 1
//! let report = AppConfig::loader().source(laptop.clone()).diagnose().await;
//! assert!(report.would_load);
//! println!("{}", AppConfig::loader().bootstrap().shell());
//! # Ok(()) }
//! ```
//!
//! # Where things are
//!
//! The crate root holds what a service names every day: [`SsmConfig`],
//! [`Secret`], [`Live`], [`Snapshot`], [`Loader`], [`Error`] and
//! [`MemorySource`]. The rest lives in modules:
//! - [`live`]: [`RefreshPolicy`](live::RefreshPolicy) and [`AheadOfExpiry`](live::AheadOfExpiry), [`Derived`](live::Derived)
//!   and [`AsyncDerived`](live::AsyncDerived)
//!   values, [`Status`](live::Status) for readiness probes, [`Metadata`](live::Metadata);
//! - [`error`]: each [`Problem`](error::Problem) of a load and its [`ErrorKind`](error::ErrorKind);
//! - [`source`]: the read trait [`ParameterSource`](source::ParameterSource), the
//!   write trait [`ParameterWriter`](source::ParameterWriter), [`AwsSource`](source::AwsSource),
//!   and for local development [`FileSource`](source::FileSource) and
//!   [`Layered`](source::Layered);
//! - [`origin`]: where each value came from, [`Origin`](origin::Origin);
//! - [`doctor`]: `AppConfig::loader().source(source.clone()).diagnose()`'s [`Report`](doctor::Report);
//! - [`bootstrap`]: `AppConfig::loader().bootstrap()`, the parameters a struct needs as
//!   a shell script, Terraform or CloudFormation;
//! - [`untyped`]: [`Parameters`](untyped::Parameters), for names known only at run time;
//! - [`plan`]: the binding [`Plan`](plan::Plan) and [`Selector`](plan::Selector);
//! - [`iam`]: the least-privilege [`IamPolicy`](iam::IamPolicy).
//!
//! # Feature flags
//!
//! - `default-https-client` (default): the HTTPS client `aws-config` and
//!   the SDK use by default, rustls with aws-lc, so a service that already
//!   builds the SDK builds no second TLS stack.
//! - `rustls-ring`: rustls with ring instead of aws-lc.
//! - `fips`: the SDK's FIPS option, rustls with aws-lc in FIPS mode (its
//!   build needs cmake and Go, as the SDK's does).
//! - `secrecy`: fields of type `secrecy::SecretString` and
//!   `secrecy::SecretBox<T>`, and `Secret<T>` into them.
//! - `metrics`: counters, histograms and gauges through the `metrics`
//!   facade; [`metrics`] lists every name and label.
//!
//! Without features, every load, refresh, check and change event is a
//! `tracing` span (`ssm_config`) with the config's type, the source, the
//! calls by action, the names and paths read, the duration, the outcome and
//! whether the snapshot changed; never a value.
//!
//! Without a TLS feature, give the loader a client of your own
//! ([`Loader::client`], [`Loader::sdk_config`]). The crate needs a tokio
//! runtime; `serde` and `serde_json` are re-exported for the generated
//! code, so a crate using the derive does not depend on them itself.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// A `Problem` is made once per failed field, off the fast path; its size
// buys fields a caller can match on directly, with no box to look through.
#![allow(clippy::result_large_err)]

pub mod bootstrap;
mod description;
pub mod doctor;
pub mod error;
pub mod iam;
mod interop;
pub mod live;
mod load;
mod loader;
mod metadata;
pub mod metrics;
mod name;
mod observe;
mod operation;
pub mod origin;
mod overlap;
mod placeholder;
pub mod plan;
mod secret;
pub mod source;
pub mod untyped;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use error::Error;
pub use live::{Live, Snapshot};
pub use loader::Loader;
pub use secret::Secret;
pub use source::MemorySource;
pub use ssm_config_derive::SsmConfig;

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
/// /// Diagnoses any configuration, then loads it.
/// async fn diagnose_then_fetch<T: SsmConfig>(source: MemorySource) -> Result<T, ssm_config::Error> {
///     let report = T::loader().source(source.clone()).diagnose().await;
///     assert!(report.would_load, "{report}");
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
/// let config: AppConfig = diagnose_then_fetch(source).await?;
/// assert_eq!(config.host, "db");
/// # Ok(()) }
/// ```
pub trait SsmConfig: Sized + Send + Sync + 'static {
    #[doc(hidden)]
    const PLAN: &'static __private::StructPlan;

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
