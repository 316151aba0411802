//! Metrics, behind the `metrics` feature, through the [`metrics`](https://docs.rs/metrics) facade
//! crate: install any recorder (Prometheus, StatsD, OpenTelemetry) and
//! these appear. Every one is labelled `config`, the struct's type name.
//!
//! | name | kind | labels | what |
//! |---|---|---|---|
//! | `ssm_config_loads_total` | counter | `config`, `outcome` (`ok`, `error`) | first loads (`load()`, `fetch()`) |
//! | `ssm_config_refreshes_total` | counter | `config`, `outcome` (`ok`, `error`) | refreshes: at expiry, background, forced, event-driven |
//! | `ssm_config_calls_total` | counter | `config`, `action` (`GetParameters`, `GetParametersByPath`), `outcome` (`ok`, `throttled`, `error`) | every call a configuration sends to the source: its loads' and refreshes', the watched parameter's reads, the doctor's; retries of the SDK not counted apart |
//! | `ssm_config_events_total` | counter | `config`, `result` (`applied`, `ignored`, `refused`), `change` (the operation as AWS spells it: `Create`, `Update`, `Delete`, `LabelParameterVersion`, `PutSecretValue`, `UpdateSecret`, `UpdateSecretVersionStage`, `RotateSecret`, `DeleteSecret`, `RotationSucceeded`; `unknown` for any other; `none` for an event that is no change) | change events given to `Live::apply_event` |
//! | `ssm_config_load_duration_seconds` | histogram | `config` | how long each first load took |
//! | `ssm_config_refresh_duration_seconds` | histogram | `config` | how long each refresh took |
//! | `ssm_config_snapshot_age_seconds` | gauge | `config` | the current snapshot's age, set after every refresh attempt and on every `Live::status()` |
//! | `ssm_config_consecutive_failures` | gauge | `config` | failed refreshes since the last success, set after every refresh attempt |
//!
//! Without the feature this module holds only these docs, and nothing is
//! recorded.
//!
//! ```
//! # #[cfg(feature = "metrics")] {
//! // metrics_exporter_prometheus::PrometheusBuilder::new().install()?;
//! // then every load and refresh reports as above.
//! # }
//! ```

#[cfg(feature = "metrics")]
pub(crate) use recorded::*;

#[cfg(not(feature = "metrics"))]
pub(crate) use unrecorded::*;

#[cfg(feature = "metrics")]
mod recorded {
    use std::time::Duration;

    use crate::operation::Operation;
    use crate::pipeline::fetch::fetched::{Action, CallOutcome, Calls};

    pub(crate) fn operation(config: &'static str, operation: Operation, ok: bool, took: Duration) {
        let outcome = if ok { "ok" } else { "error" };
        let (count, duration) = match operation {
            Operation::Load => ("ssm_config_loads_total", "ssm_config_load_duration_seconds"),
            Operation::Refresh => (
                "ssm_config_refreshes_total",
                "ssm_config_refresh_duration_seconds",
            ),
            Operation::Diagnose => return,
        };
        metrics::counter!(count, "config" => config, "outcome" => outcome).increment(1);
        metrics::histogram!(duration, "config" => config).record(took.as_secs_f64());
    }

    pub(crate) fn calls(config: &'static str, calls: &Calls) {
        for action in Action::ALL {
            for outcome in CallOutcome::ALL {
                let sent = calls.of(action, outcome);
                if sent > 0 {
                    metrics::counter!(
                        "ssm_config_calls_total",
                        "config" => config,
                        "action" => action.name(),
                        "outcome" => outcome.name()
                    )
                    .increment(u64::from(sent));
                }
            }
        }
    }

    /// `change` is an operation AWS sends, or `unknown`: never an
    /// event's own text, which would let events mint labels.
    #[cfg(feature = "events")]
    pub(crate) fn event(config: &'static str, result: &'static str, change: Option<&'static str>) {
        let change = change.unwrap_or("none");
        metrics::counter!(
            "ssm_config_events_total",
            "config" => config,
            "result" => result,
            "change" => change
        )
        .increment(1);
    }

    pub(crate) fn health(config: &'static str, snapshot_age: Duration, failures: u32) {
        self::snapshot_age(config, snapshot_age);
        metrics::gauge!("ssm_config_consecutive_failures", "config" => config)
            .set(f64::from(failures));
    }

    pub(crate) fn snapshot_age(config: &'static str, snapshot_age: Duration) {
        metrics::gauge!("ssm_config_snapshot_age_seconds", "config" => config)
            .set(snapshot_age.as_secs_f64());
    }
}

#[cfg(not(feature = "metrics"))]
mod unrecorded {
    use std::time::Duration;

    use crate::operation::Operation;
    use crate::pipeline::fetch::fetched::Calls;

    pub(crate) fn operation(_: &'static str, _: Operation, _: bool, _: Duration) {}
    pub(crate) fn calls(_: &'static str, _: &Calls) {}
    #[cfg(feature = "events")]
    pub(crate) fn event(_: &'static str, _: &'static str, _: Option<&'static str>) {}
    pub(crate) fn health(_: &'static str, _: Duration, _: u32) {}
    pub(crate) fn snapshot_age(_: &'static str, _: Duration) {}
}
