//! What a [`Loader`] does once configured: load a live handle, fetch once,
//! or diagnose.

use std::sync::Arc;

use super::{Loader, SourceChoice};
use crate::SsmConfig;
use crate::error::Error;
use crate::live::{Live, Watch};
use crate::pipeline::Group;
use crate::source::AwsSource;

impl<T: SsmConfig> Loader<T> {
    /// Loads the whole group once and returns a live handle.
    pub async fn load(self) -> Result<Live<T>, Error> {
        let policy = self
            .refresh
            .clone()
            .with_default_max_age(T::DESCRIPTION.max_age_secs);
        let group = self.into_group().await;
        let config = T::DESCRIPTION.type_name;
        // A watched name the rulebook refuses ends the load before any call;
        // a good one is read beside the group load, not before it: watch
        // mode adds no round trip to start-up. Either way it is part of the
        // load: one span, one outcome.
        let watched = match &policy.watch {
            Some(template) => Watch::name(&group, template, config).map(Some),
            None => Ok(None),
        };
        let (group_ref, full_every) = (&group, policy.full_reload_every);
        let watch = watched.map(|name| async move {
            match name {
                Some(name) => Watch::start(group_ref, name, full_every, config)
                    .await
                    .map(Some),
                None => Ok(None),
            }
        });
        let (loaded, watch) = group.load_beside::<T, _>(watch).await?;
        Ok(Live::new(loaded, group, policy, watch))
    }

    #[cfg(feature = "doctor")]
    #[cfg_attr(docsrs, doc(cfg(feature = "doctor")))]
    /// The doctor: diagnoses every binding against the source, with this
    /// loader's prefix, variables and overrides, without stopping at the
    /// first problem: see
    /// [`doctor::Report`](crate::doctor::Report).
    ///
    /// ```
    /// # use ssm_config::{MemorySource, SsmConfig};
    /// # use ssm_config::doctor::Finding;
    /// #[derive(SsmConfig, Debug)]
    /// #[ssm(prefix = "/{APP_ENV}/orders")]
    /// struct Orders {
    ///     db_host: String,
    ///     #[ssm(default = 5432)]
    ///     db_port: u16,
    ///     timeout_ms: u64,
    /// }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let source = MemorySource::new();
    /// source.put("/qa/orders/db_host", "db.qa");
    /// source.put("/qa/orders/timeout_ms", "soon");
    /// let report = Orders::loader().source(source).var("APP_ENV", "qa").diagnose().await;
    /// assert!(!report.would_load);
    /// assert_eq!(report.row("db_host").unwrap().finding, Finding::Present);
    /// assert_eq!(report.row("db_port").unwrap().finding, Finding::Defaulted);
    /// assert_eq!(report.row("timeout_ms").unwrap().finding, Finding::DoesNotConvert);
    /// println!("{report}");
    /// # }
    /// ```
    pub async fn diagnose(self) -> crate::doctor::Report {
        let group = self.into_group().await;
        let vars = crate::pipeline::given_then_env(&group.vars);
        let env = crate::pipeline::GivenThenProcess::given(&group.env);
        let settings = group.settings(&vars, &env, group.limits);
        crate::doctor::diagnose::<T>(&*group.source, &settings).await
    }

    /// Loads the whole group once, without a handle.
    pub async fn fetch(self) -> Result<T, Error> {
        Ok(self.into_group().await.load::<T>().await?.value)
    }

    async fn into_group(self) -> Group {
        let source = match self.source {
            SourceChoice::Ready(source) => source,
            SourceChoice::Environment => Arc::new(AwsSource::from_env().await),
        };
        Group {
            source,
            prefix: self.prefix,
            vars: self.vars,
            env: self.env,
            env_prefix: self.env_prefix,
            limits: self.limits,
            not_from_store: self.not_from_store,
            warned: Arc::default(),
        }
    }
}
