//! Change events: a targeted refresh, spread, merged and rate-limited,
//! when an event names what a configuration reads.

use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::time::Instant;

use super::Live;
use super::applied::Applied;
use super::event_error::EventError;
use super::event_state::Pending;
use super::into_change::IntoChange;
use super::parameter_change::{self, EventOperation, ParameterChange};
use super::refresh::{Kind, Shared};
use super::targets::EventReads;
use crate::SsmConfig;
use crate::error::Error;

#[cfg(feature = "fan-out")]
impl<T: SsmConfig> Live<T> {
    /// What this configuration's change events name, for a filter policy.
    pub(crate) fn event_sources(&self) -> crate::fan_out::EventSources {
        self.shared.event_sources()
    }
}

impl<T: SsmConfig> Live<T> {
    /// Acts on a change event from EventBridge: a Parameter Store change
    /// ("Parameter Store Change") or a Secrets Manager change (the
    /// CloudTrail API calls `PutSecretValue`, `UpdateSecret`,
    /// `UpdateSecretVersionStage`, `RotateSecret` and `DeleteSecret`, and
    /// the service event `RotationSucceeded`, naming the secret by name or
    /// by ARN). When it names what the configuration reads, a refresh is
    /// scheduled on the current tokio runtime.
    ///
    /// The refresh is **targeted**: it reads only the names the event
    /// named (one `GetParameters` call for up to ten), builds the struct
    /// from the current snapshot's values with the new ones in their place,
    /// validates it and publishes it as any refresh does (subscribers are
    /// woken only if a value changed; the metadata follows). The rules:
    ///
    /// | event | what is read |
    /// |---|---|
    /// | `Create`/`Update` of a bound name | that name; fields pinned to a version or a label never move, so an update of a name read only pinned is [`Ignored`](Applied::Ignored) |
    /// | `Create`/`Update`/`Delete` of a name under a `by_path` walk | that name, added to, replaced in or removed from the walk's map (as the walk's `recursive` and `type` filter say) |
    /// | `Delete` of a bound name | that name: the field goes missing, so its default, `None`, or (when required) a failed refresh that keeps the last snapshot |
    /// | `LabelParameterVersion` | the fields pinned to a label on that name |
    /// | a Secrets Manager change | every reference to that secret |
    ///
    /// Anything the rules do not decide with certainty loads the whole
    /// group, as [`refresh`](Live::refresh) does: an operation they do not
    /// know, a name read under several selectors (or by name and by a
    /// walk), a name bound by ARN, a walk filtered by KMS key or label, and
    /// the [watched](crate::live::RefreshPolicy::watch) parameter; and events naming so
    /// many names that reading them would take more calls than a full load
    /// (more than a thousand changes waiting are not kept, and load
    /// everything).
    ///
    /// A targeted refresh does not move [`loaded_at`](Live::loaded_at): the
    /// other values are as old as the last full load, and
    /// [`max_age`](crate::live::RefreshPolicy::max_age) still counts from it. Refreshes
    /// run one at a time, so a targeted one builds on the snapshot that is
    /// still current when it publishes, and one under way when an event
    /// comes is waited for (it may have read the old value).
    ///
    /// Scheduling:
    ///
    /// - the refresh starts after a random delay within
    ///   [`event_spread`](crate::live::RefreshPolicy::event_spread) (1 s by default), so
    ///   that a fleet which receives one event does not call in the same
    ///   second; a full load's calls go out paced over a tenth of that
    ///   window (at most 10 s);
    /// - events that come before it starts, or while it runs, are read
    ///   together: one call for their names, after any refresh under way;
    /// - such refreshes start at most once per
    ///   [`event_refresh_interval`](crate::live::RefreshPolicy::event_refresh_interval)
    ///   (1 s by default);
    /// - one that failed because the store throttled, timed out, could not
    ///   be reached or panicked is tried again after the backoff until one
    ///   succeeds, by one task however many events come;
    /// - one that failed otherwise (a value that does not convert, a request
    ///   the store refuses) is not tried again as it was: its changes are
    ///   read once by a full load, as [`refresh`](Live::refresh) does, and
    ///   if that fails too they are dropped (the failure is in
    ///   [`status`](Live::status), the refresher tries again at its next
    ///   turn), so the changes that come after are read on their own.
    ///
    /// Any other well-formed AWS event (another `source` or `detail-type`,
    /// a Secrets Manager call that changes nothing or failed) is ignored.
    /// A change that names a parameter by a name SSM's naming rules refuse
    /// is [`Refused`](Applied::Refused): the same rules a load checks names
    /// by, before anything is planned or read. All three are counted in
    /// [`status`](Live::status). An error means the event is malformed (not
    /// JSON, no `detail`, a change without a name, a name longer than the
    /// 2048 characters AWS allows, an operation or type longer than 64), or
    /// that no tokio runtime is there to refresh on.
    ///
    /// What an event says reaches the `ssm_config` span (field `change`)
    /// and the `ssm_config_events_total` metric (label `change`) only as an
    /// operation AWS sends (`Update`, `PutSecretValue`...) or `unknown`,
    /// and its name only once the naming rules have passed it.
    ///
    /// ```
    /// # use ssm_config::{MemorySource, SsmConfig, live::Applied};
    /// # #[derive(SsmConfig)] #[ssm(prefix = "/app")] struct AppConfig { host: String }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let source = MemorySource::new();
    /// # source.put("/app/host", "a");
    /// let config = AppConfig::loader().source(source.clone()).load().await?;
    /// source.put("/app/host", "b");
    /// let event = r#"{"detail-type": "Parameter Store Change", "source": "aws.ssm",
    ///     "detail": {"name": "/app/host", "operation": "Update", "type": "String"}}"#;
    /// assert_eq!(config.apply_event(event)?, Applied::Refreshing);
    /// let other = r#"{"detail-type": "EC2 Instance State-change Notification",
    ///     "source": "aws.ec2", "detail": {"state": "running"}}"#;
    /// assert_eq!(config.apply_event(other)?, Applied::Ignored);
    /// let forged = r#"{"detail-type": "Parameter Store Change", "source": "aws.ssm",
    ///     "detail": {"name": "/app/host:0", "operation": "Update", "type": "String"}}"#;
    /// assert_eq!(config.apply_event(forged)?, Applied::Refused);
    /// # tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    /// # assert_eq!(config.get().host, "b");
    /// # Ok(()) }
    /// ```
    pub fn apply_event(&self, event: impl IntoChange) -> Result<Applied, EventError> {
        let config = T::DESCRIPTION.type_name;
        let span = tracing::info_span!(
            "ssm_config",
            operation = "event",
            config,
            name = tracing::field::Empty,
            change = tracing::field::Empty,
            result = tracing::field::Empty,
        );
        let _in = span.enter();
        let shared = &self.shared;
        let counted = |applied: Applied, operation: Option<EventOperation>| {
            let mut events = shared.events();
            match applied {
                Applied::Refreshing => events.applied += 1,
                Applied::Ignored => events.ignored += 1,
                Applied::Refused => events.refused += 1,
            }
            span.record("result", applied.name());
            crate::metrics::event(config, applied.name(), operation.map(EventOperation::name));
            applied
        };
        let Some(change) = event.into_change()? else {
            return Ok(counted(Applied::Ignored, None));
        };
        let operation = change.known_operation();
        span.record("change", operation.name());
        if let Some((name, reason)) = change.refused_name() {
            tracing::warn!(
                config,
                name = %parameter_change::escaped(name, 120),
                reason = %parameter_change::escaped(&reason, 240),
                "change event refused: it names a parameter by a name SSM's naming rules refuse"
            );
            return Ok(counted(Applied::Refused, Some(operation)));
        }
        span.record("name", change.name.as_str());
        if shared.reads_for(&change) == EventReads::Nothing {
            return Ok(counted(Applied::Ignored, Some(operation)));
        }
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| EventError::new("no tokio runtime to refresh on".into()))?;
        counted(Applied::Refreshing, Some(operation));
        for name in change.names() {
            shared.forget_carried(name);
        }
        {
            let mut events = shared.events();
            events.wanted += 1;
            events.pending.add([change]);
            if events.running {
                tracing::debug!(
                    config = T::DESCRIPTION.type_name,
                    "change event: read with the refresh already scheduled"
                );
                return Ok(Applied::Refreshing);
            }
            events.running = true;
        }
        let spread = shared.policy.event_spread.mul_f64(super::backoff::draw());
        tracing::debug!(
            config = T::DESCRIPTION.type_name,
            ?spread,
            "change event: refresh scheduled"
        );
        runtime.spawn(refresh_for_events(Arc::downgrade(shared), spread));
        Ok(Applied::Refreshing)
    }
}

/// The window over which an event refresh's calls go out: a tenth of the
/// spread window, at most 10 s (as a background refresh's). A fleet whose
/// reloads are spread over minutes then sends its calls one by one, not ten
/// at once, and stays under a quota it would otherwise touch in bursts.
fn event_pace(spread: Duration) -> Duration {
    (spread / 10).min(Duration::from_secs(10))
}

/// Whether `error` may pass by itself, as an outage does: the store
/// throttled, timed out, could not be reached or found no credentials
/// ([`SourceErrorKind::may_pass`]), or the refresh was cut
/// off (a source panicked, the runtime shut down). Anything else (a value
/// that does not convert or is refused, a request the store refuses, a
/// denial) fails the same way when tried again.
fn passes(error: &Error) -> bool {
    super::flight::cut_off(error) || error.source_errors().any(|error| error.kind().may_pass())
}

/// Marks the event task gone when it ends or is dropped with its runtime,
/// so the next event starts another.
struct NotRunningOnDrop<T: SsmConfig>(Option<Weak<Shared<T>>>);

impl<T: SsmConfig> Drop for NotRunningOnDrop<T> {
    fn drop(&mut self) {
        if let Some(shared) = self.0.take().and_then(|weak| weak.upgrade()) {
            shared.events().running = false;
        }
    }
}

/// After a random `spread`, refreshes until a refresh that started after
/// the latest event has succeeded: one task, whatever the number of events
/// meanwhile. Refreshes start at most once per event refresh interval,
/// after any refresh under way (which may have read the old value); a
/// failed one (throttling, an outage) is tried again after the backoff. One
/// that failed for another reason is tried once more as a full load, then
/// dropped, so that it never holds up the changes that come after it.
async fn refresh_for_events<T: SsmConfig>(weak: Weak<Shared<T>>, spread: Duration) {
    let mut running = NotRunningOnDrop(Some(weak.clone()));
    tokio::time::sleep(spread).await;
    loop {
        let Some(shared) = weak.upgrade() else { return };
        // What is left of the interval, not `last + interval`: that
        // overflows the clock for an interval of `Duration::MAX` (never).
        let wait = shared.events().last.map(|last| {
            shared
                .policy
                .event_refresh_interval
                .saturating_sub(last.elapsed())
        });
        if let Some(wait) = wait.filter(|wait| !wait.is_zero()) {
            drop(shared);
            tokio::time::sleep(wait).await;
            continue;
        }
        shared.settle().await;
        let (covers, pending) = {
            let mut events = shared.events();
            events.last = Some(Instant::now());
            (events.wanted, std::mem::take(&mut events.pending))
        };
        let pace = event_pace(shared.policy.event_spread);
        let outcome = match &pending {
            Pending::Changes(changes) => {
                let changes: Arc<[ParameterChange]> = changes.clone().into();
                shared.refresh_for_changes(changes, pace).await
            }
            Pending::Everything => shared.refresh_as(Kind::Full, pace).await,
        };
        let wait = {
            let mut events = shared.events();
            match outcome {
                Ok(_) if events.wanted == covers => {
                    // Under the lock, so an event from now on starts a task.
                    events.running = false;
                    running.0 = None;
                    return;
                }
                Ok(_) => Duration::ZERO,
                Err(error) if passes(&error) => {
                    // Read again with the changes that came meanwhile.
                    let meanwhile = std::mem::replace(&mut events.pending, pending);
                    events.pending.merge(meanwhile);
                    shared.until_retry()
                }
                Err(_) => match pending {
                    // Read as they were they would fail again, and hold up
                    // every change after them: a full load reads them once.
                    Pending::Changes(_) => {
                        tracing::debug!(
                            config = T::DESCRIPTION.type_name,
                            "change event: the targeted refresh failed; loading everything once"
                        );
                        events.pending.merge(Pending::Everything);
                        Duration::ZERO
                    }
                    // A full load failed on what it read: the changes are
                    // dropped, and those that came meanwhile go on alone.
                    Pending::Everything if events.wanted == covers => {
                        tracing::debug!(
                            config = T::DESCRIPTION.type_name,
                            "change event: the full load failed too; the changes are dropped"
                        );
                        events.running = false;
                        running.0 = None;
                        return;
                    }
                    Pending::Everything => Duration::ZERO,
                },
            }
        };
        drop(shared);
        tokio::time::sleep(wait).await;
    }
}
