//! A deadline around one call or one whole load, on tokio's timer (so a
//! paused clock in tests moves it too); [`Timed`] and [`TimedWriter`], the
//! one way the crate calls a source and a writer; and time arithmetic that
//! holds at `Duration::MAX`, which a user may give any duration setting to
//! mean "never".

use std::time::Duration;

use crate::pipeline::fetch::fetched::{Action, Calls};
use crate::source::{
    BoxFuture, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError, SourceErrorKind,
};
#[cfg(feature = "untyped")]
use crate::source::{ParameterInfo, ParameterWriter, PutParameter};

/// A source as the crate calls it: every call under the call timeout
/// ([`Limits::call_timeout`](crate::source::Limits::call_timeout)). A group load's
/// calls, watch mode's read of the watched parameter, the doctor's
/// follow-up calls and the untyped reads all go through here (the untyped
/// writes through [`TimedWriter`]), so none waits on a stalled store for
/// ever. A direct call to the [`ParameterSource`] methods is refused by
/// clippy (`disallowed-methods` in this crate's `clippy.toml`); only a
/// source that wraps others, inside the deadline of its own call, makes
/// one.
#[derive(Clone, Copy)]
pub(crate) struct Timed<'s> {
    source: &'s dyn ParameterSource,
    timeout: Duration,
    /// The configuration whose `ssm_config_calls_total` counts each call
    /// here as it ends; `None` where the caller counts them itself (a
    /// load's fetch counts its calls per attempt).
    counted_for: Option<&'static str>,
}

impl<'s> Timed<'s> {
    pub fn new(source: &'s dyn ParameterSource, timeout: Duration) -> Self {
        Timed {
            source,
            timeout,
            counted_for: None,
        }
    }

    /// Counts every call in `config`'s call metrics as it ends: for the
    /// calls made beside a load's attempts (the watched read, the doctor's
    /// follow-ups), so that every call a configuration makes is counted.
    pub fn counted(self, config: &'static str) -> Self {
        Timed {
            counted_for: Some(config),
            ..self
        }
    }

    fn count<R>(&self, action: Action, result: &Result<R, SourceError>) {
        if let Some(config) = self.counted_for {
            crate::metrics::calls(config, &Calls::one(action, result));
        }
    }

    /// `GetParameters`; a timeout when no answer came in time.
    pub async fn get_parameters(
        &self,
        names: &[String],
        with_decryption: bool,
    ) -> Result<ParametersOutput, SourceError> {
        #[expect(clippy::disallowed_methods, reason = "the one guarded call")]
        let call = self.source.get_parameters(names, with_decryption);
        let result = answer(self.timeout, Action::GetParameters.name(), call).await;
        self.count(Action::GetParameters, &result);
        result
    }

    /// One `GetParametersByPath` page; a timeout when no answer came in
    /// time.
    pub async fn get_parameters_by_path(&self, query: &PathQuery) -> Result<PathPage, SourceError> {
        #[expect(clippy::disallowed_methods, reason = "the one guarded call")]
        let call = self.source.get_parameters_by_path(query);
        let result = answer(self.timeout, Action::GetParametersByPath.name(), call).await;
        self.count(Action::GetParametersByPath, &result);
        result
    }

    /// The source's description, for messages.
    pub fn describe(&self) -> String {
        self.source.describe()
    }
}

/// A writer as the crate calls it: each call under the call timeout, as
/// [`Timed`] puts each read. The untyped [`info`] and [`update`] go through
/// here; a direct call to the [`ParameterWriter`] methods is refused by
/// clippy as the reads are.
///
/// [`info`]: crate::untyped::Parameters::info
/// [`update`]: crate::untyped::Parameters::update
#[cfg(feature = "untyped")]
#[derive(Clone, Copy)]
pub(crate) struct TimedWriter<'w> {
    writer: &'w dyn ParameterWriter,
    timeout: Duration,
}

#[cfg(feature = "untyped")]
impl<'w> TimedWriter<'w> {
    pub fn new(writer: &'w dyn ParameterWriter, timeout: Duration) -> Self {
        TimedWriter { writer, timeout }
    }

    /// `DescribeParameters` for one name; a timeout when no answer came in
    /// time.
    pub async fn parameter_info(&self, name: &str) -> Result<Option<ParameterInfo>, SourceError> {
        #[expect(clippy::disallowed_methods, reason = "the one guarded call")]
        let call = self.writer.parameter_info(name);
        answer(self.timeout, "DescribeParameters", call).await
    }

    /// `PutParameter`; a timeout when no answer came in time. The write
    /// may still land after it: the caller cannot tell.
    pub async fn put_parameter(&self, put: &PutParameter) -> Result<i64, SourceError> {
        #[expect(clippy::disallowed_methods, reason = "the one guarded call")]
        let call = self.writer.put_parameter(put);
        answer(self.timeout, "PutParameter", call).await
    }
}

/// `call`'s answer, or a timeout error of `operation` once `timeout` has
/// passed without one.
async fn answer<R>(
    timeout: Duration,
    operation: &'static str,
    call: BoxFuture<'_, Result<R, SourceError>>,
) -> Result<R, SourceError> {
    match deadline(timeout, call).await {
        Some(answer) => answer,
        None => Err(SourceError::new(
            SourceErrorKind::Timeout,
            operation,
            format!("no answer within {timeout:?}"),
        )),
    }
}

/// `work`, given up after `limit`, on the tokio runtime's timer. Outside a
/// runtime, or on one built without `enable_time`, there is no timer, and
/// it runs to its end.
pub(crate) async fn deadline<F: std::future::Future>(
    limit: Duration,
    work: F,
) -> Option<F::Output> {
    let Some(timer) = timer(limit) else {
        return Some(work.await);
    };
    match futures_util::future::select(std::pin::pin!(work), std::pin::pin!(timer)).await {
        futures_util::future::Either::Left((output, _)) => Some(output),
        futures_util::future::Either::Right(_) => None,
    }
}

/// Runtimes found without a timer, so that each is tried once: tokio's
/// timer panics when the runtime has none, and its hook prints the message.
static WITHOUT_TIMER: std::sync::Mutex<Vec<tokio::runtime::Id>> = std::sync::Mutex::new(Vec::new());

/// A sleep of `limit` on the current runtime's timer, if it has one.
fn timer(limit: Duration) -> Option<tokio::time::Sleep> {
    let runtime = tokio::runtime::Handle::try_current().ok()?.id();
    let without = || WITHOUT_TIMER.lock().unwrap_or_else(|p| p.into_inner());
    if without().contains(&runtime) {
        return None;
    }
    match std::panic::catch_unwind(|| tokio::time::sleep(limit)) {
        Ok(sleep) => Some(sleep),
        Err(_no_timer) => {
            tracing::warn!(
                "the tokio runtime has no timer (built without `enable_time`): loads run without deadlines"
            );
            let mut without = without();
            if without.len() >= 64 {
                without.clear();
            }
            without.push(runtime);
            None
        }
    }
}

/// `whole` times `fraction` (clamped to [0, 1]). `Duration::mul_f64`
/// panics when the product rounds past `Duration::MAX`, as it does for
/// `Duration::MAX` times one; this saturates there.
pub(crate) fn fraction_of(whole: Duration, fraction: f64) -> Duration {
    let fraction = match fraction.is_nan() {
        true => 0.0,
        false => fraction.clamp(0.0, 1.0),
    };
    Duration::try_from_secs_f64(whole.as_secs_f64() * fraction)
        .map_or(whole, |part| part.min(whole))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fraction_of_any_duration_is_within_it() {
        let ten = Duration::from_secs(10);
        assert_eq!(fraction_of(ten, 0.5), Duration::from_secs(5));
        assert_eq!(fraction_of(ten, 0.0), Duration::ZERO);
        assert_eq!(fraction_of(ten, 1.0), ten);
        assert_eq!(fraction_of(ten, 2.0), ten);
        assert_eq!(fraction_of(ten, -1.0), Duration::ZERO);
        assert_eq!(fraction_of(ten, f64::NAN), Duration::ZERO);
        assert_eq!(fraction_of(Duration::MAX, 1.0), Duration::MAX);
        assert_eq!(fraction_of(Duration::MAX, 0.0), Duration::ZERO);
        let most = fraction_of(Duration::MAX, 1.0 - f64::EPSILON);
        assert!(most <= Duration::MAX && most > Duration::MAX / 2);
    }
}
