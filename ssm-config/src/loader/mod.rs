//! [`Loader`]: how and from where a configuration is loaded.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use aws_config::SdkConfig;

use crate::SsmConfig;
use crate::live::RefreshPolicy;
use crate::pipeline;
use crate::source::Limits;
use crate::source::{AwsSource, ParameterSource};

/// Configures a load; made by `AppConfig::loader()`.
///
/// ```
/// # use ssm_config::{MemorySource, SsmConfig};
/// #[derive(SsmConfig, Debug)]
/// #[ssm(prefix = "/{APP_ENV}/orders")]
/// struct AppConfig {
///     db_host: String,
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
/// let source = MemorySource::new();
/// source.put("/staging/orders/db_host", "db.staging");
/// let config = AppConfig::loader()
///     .source(source)
///     .var("APP_ENV", "staging")
///     .load()
///     .await?;
/// assert_eq!(config.get().db_host, "db.staging");
/// # Ok(()) }
/// ```
///
/// Every duration setting takes any value up to `Duration::MAX`: a max
/// age, interval or timeout too long for the clock never passes.
#[must_use = "a loader does nothing until `.load()` or `.fetch()` is awaited"]
pub struct Loader<T> {
    source: SourceChoice,
    prefix: Option<String>,
    vars: HashMap<String, String>,
    env: HashMap<String, String>,
    env_prefix: Option<String>,
    limits: Limits,
    refresh: RefreshPolicy,
    not_from_store: pipeline::NotFromStore,
    config: PhantomData<fn() -> T>,
}

enum SourceChoice {
    Environment,
    Ready(Arc<dyn ParameterSource>),
}

impl<T: SsmConfig> Default for Loader<T> {
    fn default() -> Self {
        Loader {
            source: SourceChoice::Environment,
            prefix: None,
            vars: HashMap::new(),
            env: HashMap::new(),
            env_prefix: None,
            limits: Limits::new(),
            refresh: RefreshPolicy::new(),
            not_from_store: pipeline::NotFromStore::default(),
            config: PhantomData,
        }
    }
}

impl<T: SsmConfig> Loader<T> {
    /// A loader reading AWS SSM as configured by the environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads through this SSM client.
    pub fn client(self, client: aws_sdk_ssm::Client) -> Self {
        self.source(AwsSource::new(client))
    }

    /// Reads through a client built from this SDK configuration.
    pub fn sdk_config(self, config: &SdkConfig) -> Self {
        self.source(AwsSource::from_sdk_config(config))
    }

    /// Reads from any source, such as a [`MemorySource`](crate::MemorySource).
    pub fn source(mut self, source: impl ParameterSource) -> Self {
        self.source = SourceChoice::Ready(Arc::new(source));
        self
    }

    /// Replaces `#[ssm(prefix = "...")]`; `{VAR}`s are filled as usual.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Gives a `{VAR}` of a name or prefix a value, ahead of the process
    /// environment. It fills names only: an environment override
    /// (`#[ssm(env)]`, [`env_prefix`](Self::env_prefix)) reads
    /// [`env_override`](Self::env_override) and the process environment.
    pub fn var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// Sets an environment override variable as this loader sees it, ahead
    /// of the process environment: what `#[ssm(env = "...")]` and
    /// [`env_prefix`](Self::env_prefix) read, for tests and tools that must
    /// not change the process's environment. An empty value counts as
    /// unset, as in the environment.
    ///
    /// ```
    /// # use ssm_config::{MemorySource, SsmConfig};
    /// #[derive(SsmConfig)]
    /// #[ssm(prefix = "/app")]
    /// struct AppConfig {
    ///     #[ssm(env = "APP_PORT")]
    ///     port: u16,
    /// }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
    /// let config = AppConfig::loader()
    ///     .source(MemorySource::new())
    ///     .env_override("APP_PORT", "8080")
    ///     .fetch()
    ///     .await?;
    /// assert_eq!(config.port, 8080);
    /// # Ok(()) }
    /// ```
    pub fn env_override(mut self, variable: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.insert(variable.into(), value.into());
        self
    }

    /// Lets an environment variable override every field, for local
    /// development: the variable is `prefix` followed by the field's place
    /// in the struct, upper-cased, with `__` between nested levels, so
    /// `cache.ttl_secs` is `ORDERS_CACHE__TTL_SECS` for the prefix
    /// `"ORDERS_"`. A field's own `#[ssm(env = "...")]` wins over the
    /// prefix; `by_path` maps are not overridden.
    ///
    /// A set, non-empty variable wins over every source, and its parameter
    /// is then not read at all. Its text goes through the field's
    /// conversion as a parameter's would: a `Secret<_>` field stays secret
    /// (its text is never quoted), a `Vec<_>` splits on commas, a `json`
    /// field parses JSON. An empty variable counts as unset, since SSM holds
    /// no empty values. Variables come from
    /// [`env_override`](Loader::env_override) first, then the process
    /// environment ([`var`](Loader::var) fills `{VAR}`s of names only), and
    /// are read again on every refresh.
    ///
    /// A prefix with a character other than `A-Z a-z 0-9 _` fails the load.
    ///
    /// ```
    /// # use ssm_config::{MemorySource, SsmConfig};
    /// #[derive(SsmConfig, Debug)]
    /// #[ssm(prefix = "/prod/orders")]
    /// struct Orders {
    ///     #[ssm(nested = "cache")]
    ///     cache: Cache,
    /// }
    /// #[derive(SsmConfig, Debug)]
    /// struct Cache {
    ///     ttl_secs: u32,
    /// }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), ssm_config::Error> {
    /// let source = MemorySource::new();
    /// source.put("/prod/orders/cache/ttl_secs", "60");
    /// let config = Orders::loader()
    ///     .source(source.clone())
    ///     .env_prefix("ORDERS_")
    ///     .env_override("ORDERS_CACHE__TTL_SECS", "5") // or set in the environment
    ///     .load()
    ///     .await?;
    /// assert_eq!(config.get().cache.ttl_secs, 5);
    ///
    /// // `var` gives names' `{VAR}`s a value; it overrides no field.
    /// let config = Orders::loader()
    ///     .source(source)
    ///     .env_prefix("ORDERS_")
    ///     .var("ORDERS_CACHE__TTL_SECS", "5")
    ///     .load()
    ///     .await?;
    /// assert_eq!(config.get().cache.ttl_secs, 60);
    /// # Ok(()) }
    /// ```
    pub fn env_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.env_prefix = Some(prefix.into());
        self
    }

    /// Refuses a secret whose value did not come from the store: an
    /// environment override, a default in code, or a file (or another
    /// layer) above it. Meant for production, where such a stand-in is a
    /// development value left behind.
    ///
    /// A secret here is a `Secret<_>` or `#[ssm(plaintext)]` field, a
    /// `json` type that holds a `Secret`, a Secrets Manager reference, or a
    /// SecureString; a layer above the store is any layer of a
    /// [`Layered`](crate::source::Layered) source but its last. Each
    /// stand-in is a
    /// [`Problem::SecretOverridden`](crate::error::Problem::SecretOverridden)
    /// naming the field and where the value came from (never the value): it
    /// fails a load, and keeps a refresh from being published. Without this
    /// setting the load goes ahead, the load or refresh that first serves a
    /// stand-in warns of it through `tracing` (once per field and place),
    /// and the doctor shows it as a warning row.
    ///
    /// ```
    /// # use ssm_config::{MemorySource, Secret, SsmConfig};
    /// #[derive(SsmConfig, Debug)]
    /// #[ssm(prefix = "/prod/orders")]
    /// struct Orders {
    ///     db_password: Secret<String>,
    /// }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let store = MemorySource::new();
    /// store.put_secure("/prod/orders/db_password", "from-the-store");
    /// let error = Orders::loader()
    ///     .source(store)
    ///     .env_prefix("ORDERS_")
    ///     .env_override("ORDERS_DB_PASSWORD", "left-behind")
    ///     .refuse_secret_overrides()
    ///     .fetch()
    ///     .await
    ///     .unwrap_err();
    /// assert!(error.to_string().contains("env ORDERS_DB_PASSWORD"));
    /// assert!(!error.to_string().contains("left-behind"));
    /// # }
    /// ```
    pub fn refuse_secret_overrides(mut self) -> Self {
        self.not_from_store.secrets = pipeline::stand_ins::SecretOverrides::Refuse;
        self
    }

    /// Warns of every value read from its default in code: for production,
    /// where every value should come from the store. A value that differs
    /// by environment (zero2prod's `require_ssl`) must have no default;
    /// where one has, and its parameter was never created, the default
    /// stands in silently. With this setting the load or refresh that
    /// first uses a default warns of it through `tracing`, once (the field,
    /// the parameter, and the default where it is a literal and not
    /// secret): a parameter deleted under a running service is said too.
    /// The doctor shows each `defaulted` row as a warning. Loads and
    /// refreshes still succeed.
    ///
    /// ```
    /// # use ssm_config::{MemorySource, SsmConfig};
    /// #[derive(SsmConfig, Debug)]
    /// #[ssm(prefix = "/{APP_ENVIRONMENT}/zero2prod/database")]
    /// struct Database {
    ///     host: String,
    ///     #[ssm(default = false)]
    ///     require_ssl: bool,
    /// }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let environment = "production";
    /// let store = MemorySource::new();
    /// store.put("/production/zero2prod/database/host", "db.internal");
    /// let mut loader = Database::loader()
    ///     .source(store)
    ///     .var("APP_ENVIRONMENT", environment);
    /// if environment == "production" {
    ///     // warns: `require_ssl`: /production/zero2prod/database/require_ssl
    ///     // is missing; the default (`false`) is used
    ///     loader = loader.warn_of_defaults();
    /// }
    /// let database = loader.fetch().await.unwrap();
    /// assert!(!database.require_ssl);
    /// # }
    /// ```
    pub fn warn_of_defaults(mut self) -> Self {
        self.not_from_store.defaults = pipeline::defaults::Defaults::Warn;
        self
    }

    /// The binding plan as this loader would read it: its prefix, its
    /// variables, and the variables [`env_prefix`](Loader::env_prefix)
    /// lets override each field, in the plan's `ENV` column.
    pub fn plan(&self) -> crate::plan::Plan {
        let lookup = pipeline::given_then_env(&self.vars);
        crate::plan::Plan::new(crate::plan::planned_parameters(
            T::DESCRIPTION,
            self.prefix.as_deref(),
            &lookup,
            self.env_prefix.as_deref(),
        ))
    }

    #[cfg(feature = "iam")]
    #[cfg_attr(docsrs, doc(cfg(feature = "iam")))]
    /// The least-privilege IAM policy for what this loader reads: the
    /// struct's names with this loader's prefix and variables, and the
    /// parameter [`RefreshPolicy::watch`] mode reads, in `scope`'s account,
    /// region and partition.
    ///
    /// ```
    /// # use ssm_config::{SsmConfig, iam::PolicyScope, live::RefreshPolicy};
    /// #[derive(SsmConfig)]
    /// #[ssm(prefix = "/{APP_ENV}/orders")]
    /// struct Orders {
    ///     db_host: String,
    /// }
    /// let policy = Orders::loader()
    ///     .var("APP_ENV", "prod")
    ///     .refresh(RefreshPolicy::new().watch("/{APP_ENV}/orders/version"))
    ///     .iam_policy(&PolicyScope::new("eu-west-1", "123456789012"));
    /// let read = policy.statement("ReadParameters").unwrap();
    /// assert_eq!(read.resources, [
    ///     "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/orders/db_host",
    ///     "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/orders/version",
    /// ]);
    /// ```
    pub fn iam_policy(&self, scope: &crate::iam::PolicyScope) -> crate::iam::IamPolicy {
        let scope = scope.clone().with_loader(
            self.prefix.as_deref(),
            &self.vars,
            self.refresh.watch.as_deref(),
        );
        crate::iam::policy(T::DESCRIPTION, &scope)
    }

    #[cfg(feature = "bootstrap")]
    #[cfg_attr(docsrs, doc(cfg(feature = "bootstrap")))]
    /// What the struct needs created, with this loader's prefix and
    /// variables: see [`Bootstrap`](crate::bootstrap::Bootstrap).
    pub fn bootstrap(&self) -> crate::bootstrap::Bootstrap {
        let lookup = pipeline::given_then_env(&self.vars);
        crate::bootstrap::bootstrap(T::DESCRIPTION, self.prefix.as_deref(), &lookup)
    }

    /// How the live handle refreshes: at expiry, ahead of expiry, by
    /// watching one parameter, and how change events are paced; see
    /// [`RefreshPolicy`]. Replaces the policy given before; a policy that
    /// sets no max age takes the struct's `#[ssm(max_age)]`.
    pub fn refresh(mut self, policy: RefreshPolicy) -> Self {
        self.refresh = policy;
        self
    }

    /// How much a load may ask of the source, and how long it may take:
    /// calls in flight, pages a walk may read, the call and load timeouts;
    /// see [`Limits`].
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

mod run;
