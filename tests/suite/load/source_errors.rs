//! Source failures: told apart by kind, reported with the names they hit,
//! and a failed refresh keeps the last good snapshot.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ssm_config::{
    MemorySource, SsmConfig,
    error::Problem,
    source::{
        BoxFuture, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError,
        SourceErrorKind,
    },
};

/// Answers from a `MemorySource`, or fails every call with `kind` while
/// `failing` is set.
#[derive(Clone)]
struct Flaky {
    inner: MemorySource,
    failing: Arc<AtomicBool>,
    kind: SourceErrorKind,
}

impl Flaky {
    fn new(kind: SourceErrorKind) -> Self {
        Flaky {
            inner: MemorySource::new(),
            failing: Arc::default(),
            kind,
        }
    }

    fn fail(&self, on: bool) {
        self.failing.store(on, Ordering::SeqCst);
    }

    fn error(&self, operation: &'static str) -> SourceError {
        SourceError::new(self.kind, operation, "injected failure")
    }
}

impl ParameterSource for Flaky {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        decrypt: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        if self.failing.load(Ordering::SeqCst) {
            return Box::pin(async { Err(self.error("GetParameters")) });
        }
        self.inner.get_parameters(names, decrypt)
    }

    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        if self.failing.load(Ordering::SeqCst) {
            return Box::pin(async { Err(self.error("GetParametersByPath")) });
        }
        self.inner.get_parameters_by_path(query)
    }

    fn describe(&self) -> String {
        "flaky test source".into()
    }
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/svc")]
struct Service {
    host: String,
    #[ssm(by_path = "routes")]
    routes: std::collections::HashMap<String, String>,
}

#[tokio::test]
async fn throttling_is_reported_as_such_with_the_names_it_hit() {
    let source = Flaky::new(SourceErrorKind::Throttled);
    source.fail(true);
    let err = Service::fetch(source.clone()).await.unwrap_err();
    assert!(err.is_throttled() && !err.is_access_denied());
    assert_eq!(
        err.problems().len(),
        2,
        "one per failed call, no missing-field noise: {err}"
    );
    let text = err.to_string();
    // The walk goes out first; once it is throttled, the batch is not sent.
    assert!(text.contains("flaky test source: GetParameters failed (throttled): not sent: the source throttled another call of this load (while reading `/svc/host`)"), "{text}");
    assert!(
        text.contains("GetParametersByPath failed (throttled)"),
        "{text}"
    );
}

#[tokio::test]
async fn access_denied_is_told_apart() {
    let source = Flaky::new(SourceErrorKind::AccessDenied);
    source.fail(true);
    let err = Service::fetch(source.clone()).await.unwrap_err();
    assert!(err.is_access_denied() && !err.is_throttled());
    assert!(
        matches!(&err.problems()[0], Problem::Source { error, .. } if error.kind() == SourceErrorKind::AccessDenied)
    );
    assert!(err.source_errors().next().is_some());
}

/// A report that walks the error chain, as `anyhow` and `eyre` print one.
fn report(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut next = err.source();
    while let Some(cause) = next {
        text.push_str(&format!(": {cause}"));
        next = cause.source();
    }
    text
}

#[tokio::test]
async fn a_source_error_prints_its_cause_chain_once() {
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
    let error = SourceError::new(
        SourceErrorKind::Unreachable,
        "GetParameters",
        "dispatch failure",
    )
    .with_source(io);
    assert_eq!(
        report(&error),
        "GetParameters failed (unreachable): dispatch failure: connection refused"
    );
    assert!(error.cause().is_some(), "still there to inspect");

    // The SDK's message already holds the chain: it is not repeated.
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
    let sdk_like = SourceError::new(
        SourceErrorKind::Unreachable,
        "GetParameters",
        "dispatch failure: connection refused",
    )
    .with_source(io);
    assert_eq!(report(&sdk_like).matches("connection refused").count(), 1);

    // Nor is it when a failed load is reported the same way.
    let source = Flaky::new(SourceErrorKind::Unreachable);
    source.fail(true);
    let err = Service::fetch(source.clone()).await.unwrap_err();
    assert_eq!(report(&err).matches("injected failure").count(), 2, "{err}");
    assert_eq!(report(&err), err.to_string());
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_last_good_snapshot() {
    let source = Flaky::new(SourceErrorKind::Unreachable);
    source.inner.put("/svc/host", "a");
    source.inner.put("/svc/routes/x", "1");
    let config = Service::loader()
        .source(source.clone())
        .load()
        .await
        .unwrap();
    source.inner.put("/svc/host", "b");
    source.fail(true);
    let err = config.refresh().await.unwrap_err();
    assert!(err.to_string().contains("unreachable"), "{err}");
    assert_eq!(config.get().host, "a", "old snapshot kept whole");
    assert_eq!(config.get().routes["x"], "1");
    source.fail(false);
    assert_eq!(config.refresh().await.unwrap().host, "b");
    assert_eq!(config.get().host, "b");
}
