//! A source that fails on demand and answers late, for refresh tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ssm_config::MemorySource;
use ssm_config::source::{
    BoxFuture, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError, SourceErrorKind,
};

/// Fails `GetParameters` calls that ask for `marker` while switched on, and
/// delays every call so concurrent callers overlap.
#[derive(Clone)]
pub struct Faulty {
    pub inner: MemorySource,
    pub marker: &'static str,
    pub failing: Arc<AtomicBool>,
    pub delay: Duration,
    /// How the calls fail (unreachable unless set).
    pub kind: Option<SourceErrorKind>,
}

impl ParameterSource for Faulty {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(async move {
            if !self.delay.is_zero() {
                tokio::time::sleep(self.delay).await;
            }
            if self.failing.load(Ordering::SeqCst) && names.iter().any(|n| n.contains(self.marker))
            {
                return Err(SourceError::new(
                    self.kind.unwrap_or(SourceErrorKind::Unreachable),
                    "GetParameters",
                    "injected",
                ));
            }
            self.inner.get_parameters(names, decrypt).await
        })
    }
    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        self.inner.get_parameters_by_path(query)
    }
    fn describe(&self) -> String {
        "faulty test source".into()
    }
}

impl Faulty {
    /// Fails calls that ask for `marker` while [`fail`](Faulty::fail) is on.
    pub fn new(inner: MemorySource, marker: &'static str, delay: Duration) -> Self {
        Faulty {
            inner,
            marker,
            failing: Arc::default(),
            delay,
            kind: None,
        }
    }

    pub fn fail(&self, on: bool) {
        self.failing.store(on, Ordering::SeqCst);
    }
}
