//! Change events: a targeted refresh, spread, merged and rate-limited,
//! when an event names what a configuration reads.

use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::time::Instant;

use super::Live;
use super::change::{EventError, IntoChange, ParameterChange};
use super::event_state::Pending;
use super::refresh::{Kind, Shared};
use super::targets::Plan;
use crate::SsmConfig;

/// Default for [`Loader::event_refresh_interval`](crate::Loader::event_refresh_interval).
pub(crate) const DEFAULT_EVENT_REFRESH_INTERVAL: Duration = Duration::from_secs(1);

/// Default for [`Loader::event_spread`](crate::Loader::event_spread).
pub(crate) const DEFAULT_EVENT_SPREAD: Duration = Duration::from_secs(1);

/// What [`Live::apply_event`] did with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// It concerns this configuration: a refresh is scheduled (or one
    /// already scheduled will read it too).
    Refreshing,
    /// It names nothing this configuration reads, changes nothing it reads
    /// (an update of a parameter read only at a pinned version or label),
    /// or is an AWS event of another kind.
    Ignored,
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
    /// the [watched](crate::Loader::watch) parameter; and events naming so
    /// many names that reading them would take more calls than a full load
    /// (more than a thousand changes waiting are not kept, and load
    /// everything).
    ///
    /// A targeted refresh does not move [`loaded_at`](Live::loaded_at): the
    /// other values are as old as the last full load, and
    /// [`max_age`](crate::Loader::max_age) still counts from it. Refreshes
    /// run one at a time, so a targeted one builds on the snapshot that is
    /// still current when it publishes, and one under way when an event
    /// comes is waited for (it may have read the old value).
    ///
    /// Scheduling:
    ///
    /// - the refresh starts after a random delay within
    ///   [`event_spread`](crate::Loader::event_spread) (1 s by default), so
    ///   that a fleet which receives one event does not call in the same
    ///   second; a full load's calls go out paced over a tenth of that
    ///   window (at most 10 s);
    /// - events that come before it starts, or while it runs, are read
    ///   together: one call for their names, after any refresh under way;
    /// - such refreshes start at most once per
    ///   [`event_refresh_interval`](crate::Loader::event_refresh_interval)
    ///   (1 s by default);
    /// - a failed one (throttling, an outage, a value that does not
    ///   convert) is tried again after the backoff until one succeeds, by
    ///   one task however many events come.
    ///
    /// Any other well-formed AWS event (another `source` or `detail-type`,
    /// a Secrets Manager call that changes nothing or failed) is ignored.
    /// Both are counted in [`status`](Live::status). An error means the
    /// event is malformed (not JSON, no `detail`, a change without a name),
    /// or that no tokio runtime is there to refresh on.
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
    /// # tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    /// # assert_eq!(config.get().host, "b");
    /// # Ok(()) }
    /// ```
    pub fn apply_event(&self, event: impl IntoChange) -> Result<Applied, EventError> {
        let config = T::PLAN.type_name;
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
        let change = match event.into_change()? {
            Some(change) if shared.plan(&change) != Plan::Nothing => change,
            _ => {
                shared.events().ignored += 1;
                span.record("result", "ignored");
                crate::metrics::event(config, false);
                return Ok(Applied::Ignored);
            }
        };
        span.record("name", change.name.as_str());
        span.record("change", tracing::field::display(&change.operation));
        span.record("result", "applied");
        crate::metrics::event(config, true);
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| EventError::new("no tokio runtime to refresh on".into()))?;
        for name in change.names() {
            shared.forget_carried(name);
        }
        {
            let mut events = shared.events();
            events.applied += 1;
            events.wanted += 1;
            events.pending.add([change]);
            if events.running {
                tracing::debug!(
                    config = T::PLAN.type_name,
                    "change event: read with the refresh already scheduled"
                );
                return Ok(Applied::Refreshing);
            }
            events.running = true;
        }
        let spread = shared.settings.event_spread.mul_f64(super::backoff::draw());
        tracing::debug!(
            config = T::PLAN.type_name,
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
/// failed one (throttling, an outage) is tried again after the backoff.
async fn refresh_for_events<T: SsmConfig>(weak: Weak<Shared<T>>, spread: Duration) {
    let mut running = NotRunningOnDrop(Some(weak.clone()));
    tokio::time::sleep(spread).await;
    loop {
        let Some(shared) = weak.upgrade() else { return };
        let due = shared
            .events()
            .last
            .map(|last| last + shared.settings.event_refresh_interval);
        if let Some(due) = due.filter(|due| *due > Instant::now()) {
            drop(shared);
            tokio::time::sleep_until(due).await;
            continue;
        }
        shared.settle().await;
        let (covers, pending) = {
            let mut events = shared.events();
            events.last = Some(Instant::now());
            (events.wanted, std::mem::take(&mut events.pending))
        };
        let pace = event_pace(shared.settings.event_spread);
        let outcome = match &pending {
            Pending::Changes(changes) => {
                let changes: Arc<[ParameterChange]> = changes.clone().into();
                shared.refresh_for_changes(changes, pace).await
            }
            Pending::Everything => shared.refresh_as(Kind::Full, pace).await,
        };
        let succeeded = outcome.is_ok();
        let wait = {
            let mut events = shared.events();
            match (succeeded, events.wanted == covers) {
                (true, true) => {
                    // Under the lock, so an event from now on starts a task.
                    events.running = false;
                    running.0 = None;
                    return;
                }
                (true, false) => Duration::ZERO,
                (false, _) => {
                    // Read again with the changes that came meanwhile.
                    let meanwhile = std::mem::replace(&mut events.pending, pending);
                    events.pending.merge(meanwhile);
                    shared.until_retry()
                }
            }
        };
        drop(shared);
        tokio::time::sleep(wait).await;
    }
}
