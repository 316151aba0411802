//! A source that fails on demand and answers late, for refresh tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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

/// A source the test scripts: while stalled it accepts every call and never
/// answers; while panicking its calls panic; each answer may come after a
/// delay. It counts calls, and the most in flight at once (a call stops
/// being in flight when answered or dropped, as a timed-out one is).
#[derive(Clone)]
pub struct Scripted {
    pub inner: MemorySource,
    delay: Duration,
    stalled: Arc<AtomicBool>,
    /// While stalled, only calls asking for this name stall.
    stall_only: Option<&'static str>,
    panicking: Arc<AtomicBool>,
    calls: Arc<AtomicUsize>,
    in_flight: Arc<AtomicUsize>,
    most_in_flight: Arc<AtomicUsize>,
}

/// Counts a call in flight until its future is dropped.
struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Scripted {
    pub fn new(inner: MemorySource) -> Self {
        Scripted {
            inner,
            delay: Duration::ZERO,
            stalled: Arc::default(),
            stall_only: None,
            panicking: Arc::default(),
            calls: Arc::default(),
            in_flight: Arc::default(),
            most_in_flight: Arc::default(),
        }
    }

    /// Every answer comes `delay` after its call.
    pub fn answering_after(self, delay: Duration) -> Self {
        Scripted { delay, ..self }
    }

    /// While stalled, only `GetParameters` calls that ask for `name`
    /// stall; the others answer.
    pub fn stalling_only_on(self, name: &'static str) -> Self {
        Scripted {
            stall_only: Some(name),
            ..self
        }
    }

    pub fn stall(&self, on: bool) {
        self.stalled.store(on, Ordering::SeqCst);
    }

    pub fn panic(&self, on: bool) {
        self.panicking.store(on, Ordering::SeqCst);
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// The most calls that were ever in flight at once.
    pub fn most_in_flight(&self) -> usize {
        self.most_in_flight.load(Ordering::SeqCst)
    }

    /// Plays the script for one call asking for `names` (none for a walk);
    /// returns a guard that holds it in flight until the caller's future
    /// ends.
    async fn play(&self, names: &[String]) -> InFlight {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_in_flight.fetch_max(now, Ordering::SeqCst);
        let guard = InFlight(Arc::clone(&self.in_flight));
        assert!(!self.panicking.load(Ordering::SeqCst), "a scripted panic");
        let stalls_here = match self.stall_only {
            Some(only) => names.iter().any(|name| name == only),
            None => true,
        };
        if stalls_here && self.stalled.load(Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        guard
    }
}

impl ParameterSource for Scripted {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        Box::pin(async move {
            let _in_flight = self.play(names).await;
            self.inner.get_parameters(names, decrypt).await
        })
    }
    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        Box::pin(async move {
            let _in_flight = self.play(&[]).await;
            self.inner.get_parameters_by_path(query).await
        })
    }
    fn describe(&self) -> String {
        "scripted test source".into()
    }
}
