//! What a tracing backend and a metrics dashboard see: one span per load,
//! refresh, diagnosis and change event, and (with the `metrics` feature) the
//! counters, histograms and gauges of [`crate::metrics`]. Names, counts,
//! kinds and durations; never a value.

use std::time::Instant;

use tracing::Span;
use tracing::field::Empty;

use crate::error::{Error, ErrorKind};
use crate::pipeline::fetch::fetched::{Action, CallOutcome, Calls};
use crate::pipeline::resolve::resolved::Requests;
use crate::source::SourceErrorKind;

pub(crate) use crate::operation::Operation;

/// One operation under way: its span, and when it started.
pub(crate) struct Observation {
    span: Span,
    started: Instant,
    operation: Operation,
    config: &'static str,
}

impl Observation {
    /// Opens the span `ssm_config.<operation>` of `config`, read from
    /// `source`.
    pub fn start(operation: Operation, config: &'static str, source: &str) -> Self {
        let span = tracing::info_span!(
            "ssm_config",
            operation = operation.name(),
            config,
            source,
            names = Empty,
            paths = Empty,
            calls.get_parameters = Empty,
            calls.get_parameters_by_path = Empty,
            calls.throttled = Empty,
            calls.failed = Empty,
            duration_ms = Empty,
            outcome = Empty,
            error_kind = Empty,
            changed = Empty,
            targeted = Empty,
            would_load = Empty,
        );
        Observation {
            span,
            started: Instant::now(),
            operation,
            config,
        }
    }

    /// The span, to instrument the operation's future with.
    pub fn span(&self) -> &Span {
        &self.span
    }

    /// Records how the operation ended: `changed` is whether a refresh
    /// published new values (`None` where it does not apply). Fails
    /// of a refresh warn, with the span's fields on the warning too.
    pub fn finish(&self, outcome: Result<Option<bool>, &Error>) {
        let elapsed = self.started.elapsed();
        // Milliseconds to the microsecond: a whole number of microseconds
        // over 1000 prints as `30.629`, where the nanoseconds' product
        // printed `30.629669000000003`.
        let millis = elapsed.as_micros() as f64 / 1000.0;
        self.span.record("duration_ms", millis);
        match outcome {
            Ok(changed) => {
                self.span.record("outcome", "ok");
                if let Some(changed) = changed {
                    self.span.record("changed", changed);
                }
            }
            Err(err) => {
                let kind = kind_name(err.kind());
                self.span.record("outcome", "error");
                self.span.record("error_kind", kind);
                if self.operation == Operation::Refresh {
                    self.span.in_scope(|| {
                        tracing::warn!(
                            config = self.config,
                            operation = self.operation.name(),
                            outcome = "error",
                            error_kind = kind,
                            duration_ms = millis,
                            error = %err,
                            "refresh failed; keeping the last good configuration"
                        )
                    });
                }
            }
        }
        crate::metrics::operation(self.config, self.operation, outcome.is_ok(), elapsed);
    }
}

/// Records, on the current span (the operation's), what one attempt asked
/// for and the calls it sent.
pub(crate) fn attempt(config: &'static str, requests: &Requests, calls: &Calls) {
    let span = Span::current();
    span.record("names", requests.names.len());
    span.record("paths", requests.paths.len());
    span.record("calls.get_parameters", calls.sent(Action::GetParameters));
    span.record(
        "calls.get_parameters_by_path",
        calls.sent(Action::GetParametersByPath),
    );
    let total = |outcome| {
        Action::ALL
            .iter()
            .map(|&action| calls.of(action, outcome))
            .sum::<u32>()
    };
    span.record("calls.throttled", total(CallOutcome::Throttled));
    span.record("calls.failed", total(CallOutcome::Failed));
    crate::metrics::calls(config, calls);
}

/// An error kind as a label: `missing`, `throttled`, `timeout`...
pub(crate) fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Source(source) => match source {
            SourceErrorKind::Throttled => "throttled",
            SourceErrorKind::AccessDenied => "access_denied",
            SourceErrorKind::NotFound => "not_found",
            SourceErrorKind::Timeout => "timeout",
            SourceErrorKind::Unreachable => "unreachable",
            SourceErrorKind::NotConfigured => "not_configured",
            SourceErrorKind::Malformed => "malformed",
            _ => "source_error",
        },
        ErrorKind::Missing => "missing",
        ErrorKind::Invalid => "invalid",
        ErrorKind::Name => "name",
        ErrorKind::Aborted => "aborted",
        ErrorKind::Panicked => "panicked",
        ErrorKind::Invalidated => "invalidated",
    }
}
