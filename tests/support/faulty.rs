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

/// A source that, while stalled, accepts every call and never answers; it
/// counts calls and how many are waiting at once.
#[derive(Clone)]
pub struct Stalling {
    pub inner: MemorySource,
    stalled: Arc<AtomicBool>,
    calls: Arc<std::sync::atomic::AtomicUsize>,
    waiting: Arc<std::sync::atomic::AtomicUsize>,
    most_waiting: Arc<std::sync::atomic::AtomicUsize>,
}

/// Counts a stalled call as waiting until its future is dropped.
struct Waiting(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Stalling {
    pub fn new(inner: MemorySource) -> Self {
        Stalling {
            inner,
            stalled: Arc::default(),
            calls: Arc::default(),
            waiting: Arc::default(),
            most_waiting: Arc::default(),
        }
    }

    pub fn stall(&self, on: bool) {
        self.stalled.store(on, Ordering::SeqCst);
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// The most calls that were ever waiting at once.
    pub fn most_waiting(&self) -> usize {
        self.most_waiting.load(Ordering::SeqCst)
    }

    async fn hold(&self) {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.stalled.load(Ordering::SeqCst) {
            let now = self.waiting.fetch_add(1, Ordering::SeqCst) + 1;
            self.most_waiting.fetch_max(now, Ordering::SeqCst);
            let _waiting = Waiting(Arc::clone(&self.waiting));
            std::future::pending::<()>().await;
        }
    }
}

impl ParameterSource for Stalling {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(async move {
            self.hold().await;
            self.inner.get_parameters(names, decrypt).await
        })
    }
    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        Box::pin(async move {
            self.hold().await;
            self.inner.get_parameters_by_path(query).await
        })
    }
    fn describe(&self) -> String {
        "stalling test source".into()
    }
}
