//! Parameter Store change events (EventBridge's "Parameter Store Change"):
//! a refresh, coalesced and rate-limited, when an event names what a
//! configuration reads.

use std::sync::{Arc, Weak};
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::Live;
use super::refresh::{Kind, Shared};
use crate::SsmConfig;

/// Default for [`Loader::event_refresh_interval`](crate::Loader::event_refresh_interval).
pub(crate) const DEFAULT_EVENT_REFRESH_INTERVAL: Duration = Duration::from_secs(1);

/// Default for [`Loader::event_spread`](crate::Loader::event_spread).
pub(crate) const DEFAULT_EVENT_SPREAD: Duration = Duration::from_secs(1);

/// One change, from an event's `detail`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParameterChange {
    /// The parameter's name (`detail.name`); for a Secrets Manager secret,
    /// the name a configuration reads it by:
    /// `/aws/reference/secretsmanager/<secret name>`.
    pub name: String,
    /// `detail.operation` (`Create`, `Update`, `Delete`,
    /// `LabelParameterVersion`...); for a secret, the CloudTrail event's
    /// name (`PutSecretValue`, `RotationSucceeded`...).
    pub operation: String,
    /// `detail.type`: `String`, `StringList` or `SecureString`, when given.
    pub kind: Option<String>,
    /// Other names the change may be about: a secret named by a full ARN
    /// ends with the six characters Secrets Manager adds (`-AbCdEf`), so
    /// `name` is the secret's name without them, and this holds the name
    /// with them, in case they belong to the name itself.
    pub aliases: Vec<String>,
}

/// The prefix under which SSM serves Secrets Manager secrets.
const SECRET_REFERENCE: &str = "/aws/reference/secretsmanager/";

/// The Secrets Manager API calls that change what a secret reads as.
const SECRET_CHANGES: &[&str] = &[
    "PutSecretValue",
    "UpdateSecret",
    "UpdateSecretVersionStage",
    "RotateSecret",
    "DeleteSecret",
];

impl ParameterChange {
    /// Reads an EventBridge event that changes what a configuration may
    /// read: a "Parameter Store Change" (`source` "aws.ssm"), or a Secrets
    /// Manager change (`source` "aws.secretsmanager"); or the bare `detail`
    /// object of a Parameter Store change. Any other event is an error here;
    /// [`Live::apply_event`] ignores other well-formed AWS events instead.
    pub fn from_value(event: &Value) -> Result<Self, EventError> {
        classify(event)?.ok_or_else(|| {
            EventError::new("it is an AWS event of another kind, which changes nothing".into())
        })
    }

    /// Reads an event from JSON bytes.
    pub fn from_json(event: &[u8]) -> Result<Self, EventError> {
        Self::from_value(&parse(event)?)
    }

    /// Every name the change may be about.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

fn parse(event: &[u8]) -> Result<Value, EventError> {
    serde_json::from_slice(event).map_err(|e| EventError::new(format!("not JSON: {e}")))
}

/// The change an event describes; `None` for a well-formed AWS event of
/// another kind (or a Secrets Manager call that changes nothing, or that
/// failed).
fn classify(event: &Value) -> Result<Option<ParameterChange>, EventError> {
    let field = |key: &str| match event.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.as_str())),
        Some(_) => Err(EventError::new(format!("`{key}` is not a string"))),
    };
    let (kind, source) = (field("detail-type")?, field("source")?);
    if kind.is_none() && source.is_none() {
        if !event.is_object() {
            return Err(EventError::new("not a JSON object".into()));
        }
        // A bare `detail` object of a Parameter Store change.
        return parameter_change(event).map(Some);
    }
    let detail = match event.get("detail") {
        Some(detail @ Value::Object(_)) => detail,
        _ => {
            return Err(EventError::new(
                "`detail` is missing or not an object".into(),
            ));
        }
    };
    match (source, kind) {
        (Some("aws.ssm") | None, Some("Parameter Store Change")) => {
            parameter_change(detail).map(Some)
        }
        (Some("aws.secretsmanager"), Some(kind)) => secret_change(kind, detail),
        (Some(_), Some(_)) => Ok(None),
        (None, _) | (_, None) => Err(EventError::new(
            "an event needs both `source` and `detail-type`".into(),
        )),
    }
}

fn text(detail: &Value, key: &str) -> Option<String> {
    detail.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn parameter_change(detail: &Value) -> Result<ParameterChange, EventError> {
    Ok(ParameterChange {
        name: text(detail, "name")
            .ok_or_else(|| EventError::new("`detail.name` is missing".into()))?,
        operation: text(detail, "operation")
            .ok_or_else(|| EventError::new("`detail.operation` is missing".into()))?,
        kind: text(detail, "type"),
        aliases: Vec::new(),
    })
}

/// A Secrets Manager event, as EventBridge delivers CloudTrail's record:
/// an API call (`detail.requestParameters.secretId`) or the service event
/// `RotationSucceeded` (`detail.additionalEventData.SecretId`).
fn secret_change(kind: &str, detail: &Value) -> Result<Option<ParameterChange>, EventError> {
    let Some(operation) = text(detail, "eventName") else {
        return Err(EventError::new("`detail.eventName` is missing".into()));
    };
    let secret_id = match (kind, operation.as_str()) {
        ("AWS API Call via CloudTrail", name) if SECRET_CHANGES.contains(&name) => {
            if detail.get("errorCode").is_some_and(|code| !code.is_null()) {
                // The call failed: nothing changed.
                return Ok(None);
            }
            detail.pointer("/requestParameters/secretId")
        }
        ("AWS Service Event via CloudTrail", "RotationSucceeded") => detail
            .pointer("/additionalEventData/SecretId")
            .or_else(|| detail.pointer("/additionalEventData/secretId")),
        _ => return Ok(None),
    };
    let Some(secret_id) = secret_id.and_then(Value::as_str).filter(|s| !s.is_empty()) else {
        return Err(EventError::new(format!(
            "a `{operation}` event names no secret"
        )));
    };
    let (name, aliases) = secret_names(secret_id);
    Ok(Some(ParameterChange {
        name: format!("{SECRET_REFERENCE}{name}"),
        operation,
        kind: None,
        aliases: aliases
            .into_iter()
            .map(|alias| format!("{SECRET_REFERENCE}{alias}"))
            .collect(),
    }))
}

/// A secret's name from a secret id: a name as it is; an ARN's resource
/// without the six-character suffix Secrets Manager adds (and with it, as
/// an alias, in case the name itself ends that way).
fn secret_names(secret_id: &str) -> (String, Vec<String>) {
    let Some(resource) = secret_id
        .strip_prefix("arn:")
        .and_then(|rest| rest.split_once(":secret:"))
        .map(|(_, resource)| resource)
    else {
        return (secret_id.to_owned(), Vec::new());
    };
    match resource.rsplit_once('-') {
        Some((name, suffix))
            if !name.is_empty()
                && suffix.len() == 6
                && suffix.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (name.to_owned(), vec![resource.to_owned()])
        }
        _ => (resource.to_owned(), Vec::new()),
    }
}

/// An event that is not a Parameter Store change, or cannot be acted on.
#[derive(Debug, Clone, thiserror::Error)]
#[error("not a usable change event: {reason}")]
pub struct EventError {
    reason: String,
}

impl EventError {
    fn new(reason: String) -> Self {
        EventError { reason }
    }
}

/// What [`Live::apply_event`] did with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// It concerns this configuration: a refresh is scheduled (or one
    /// already scheduled will cover it).
    Refreshing,
    /// It names nothing this configuration reads, or is an AWS event of
    /// another kind.
    Ignored,
}

/// What events have done so far, and the refresh they may have scheduled.
#[derive(Debug, Default)]
pub(crate) struct Events {
    pub applied: u64,
    pub ignored: u64,
    /// Events applied so far that need a refresh started after them.
    wanted: u64,
    /// A task is scheduled or retrying, and covers every event up to
    /// `wanted`: no other is started.
    running: bool,
    /// When the last event-driven refresh started.
    last: Option<Instant>,
}

/// Anything [`Live::apply_event`] takes: JSON bytes or text, a
/// `serde_json::Value`, or a parsed [`ParameterChange`].
pub trait IntoChange {
    /// The change the event describes, or `None` for a well-formed AWS event
    /// that changes nothing a configuration reads.
    fn into_change(self) -> Result<Option<ParameterChange>, EventError>;
}

impl IntoChange for &[u8] {
    fn into_change(self) -> Result<Option<ParameterChange>, EventError> {
        classify(&parse(self)?)
    }
}

impl IntoChange for &str {
    fn into_change(self) -> Result<Option<ParameterChange>, EventError> {
        self.as_bytes().into_change()
    }
}

impl IntoChange for &Value {
    fn into_change(self) -> Result<Option<ParameterChange>, EventError> {
        classify(self)
    }
}

impl IntoChange for Value {
    fn into_change(self) -> Result<Option<ParameterChange>, EventError> {
        classify(&self)
    }
}

impl IntoChange for ParameterChange {
    fn into_change(self) -> Result<Option<ParameterChange>, EventError> {
        Ok(Some(self))
    }
}

impl<T: SsmConfig> Live<T> {
    /// Acts on a change event from EventBridge: a Parameter Store change
    /// ("Parameter Store Change") or a Secrets Manager change (the
    /// CloudTrail API calls `PutSecretValue`, `UpdateSecret`,
    /// `UpdateSecretVersionStage`, `RotateSecret` and `DeleteSecret`, and
    /// the service event `RotationSucceeded`, naming the secret by name or
    /// by ARN). When it names a bound parameter, a name under a bound
    /// `by_path` walk, a secret the configuration reads or the watched
    /// parameter, a full refresh is scheduled on the current tokio runtime:
    ///
    /// - it starts after a random delay within
    ///   [`event_spread`](crate::Loader::event_spread) (1 s by default), so
    ///   that a fleet which receives one event does not reload in the same
    ///   second, and its calls go out paced over a tenth of that window (at
    ///   most 10 s);
    /// - events that come before it succeeds share it, and it starts after
    ///   any refresh under way (which may have read the old value);
    /// - such refreshes start at most once per
    ///   [`event_refresh_interval`](crate::Loader::event_refresh_interval)
    ///   (1 s by default);
    /// - a failed one (throttling, an outage) is tried again after the
    ///   backoff until one succeeds, by one task however many events come.
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
        let shared = &self.shared;
        let change = match event.into_change()? {
            Some(change) if change.names().any(|name| shared.concerns(name)) => change,
            _ => {
                shared.events().ignored += 1;
                return Ok(Applied::Ignored);
            }
        };
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| EventError::new("no tokio runtime to refresh on".into()))?;
        for name in change.names() {
            shared.forget_carried(name);
        }
        {
            let mut events = shared.events();
            events.applied += 1;
            events.wanted += 1;
            if events.running {
                return Ok(Applied::Refreshing);
            }
            events.running = true;
        }
        let spread = shared.settings.event_spread.mul_f64(super::backoff::draw());
        tracing::debug!(
            config = T::PLAN.type_name,
            name = %change.name,
            operation = %change.operation,
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
        let covers = {
            let mut events = shared.events();
            events.last = Some(Instant::now());
            events.wanted
        };
        let pace = event_pace(shared.settings.event_spread);
        let succeeded = shared.refresh_as(Kind::Full, pace).await.is_ok();
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
                (false, _) => shared.until_retry(),
            }
        };
        drop(shared);
        tokio::time::sleep(wait).await;
    }
}
