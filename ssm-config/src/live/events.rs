//! Parameter Store change events (EventBridge's "Parameter Store Change"):
//! a refresh, coalesced and rate-limited, when an event names what a
//! configuration reads.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::Live;
use super::refresh::Shared;
use crate::SsmConfig;

/// Default for [`Loader::event_refresh_interval`](crate::Loader::event_refresh_interval).
pub(crate) const DEFAULT_EVENT_REFRESH_INTERVAL: Duration = Duration::from_secs(1);

/// One change, from an event's `detail`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParameterChange {
    /// `detail.name`: the parameter's name.
    pub name: String,
    /// `detail.operation`: `Create`, `Update`, `Delete`,
    /// `LabelParameterVersion`...
    pub operation: String,
    /// `detail.type`: `String`, `StringList` or `SecureString`, when given.
    pub kind: Option<String>,
}

impl ParameterChange {
    /// Reads an EventBridge event (`detail-type` "Parameter Store Change",
    /// `source` "aws.ssm", when present) or its bare `detail` object.
    pub fn from_value(event: &Value) -> Result<Self, EventError> {
        if let Some(kind) = event.get("detail-type").and_then(Value::as_str)
            && kind != "Parameter Store Change"
        {
            return Err(EventError::new(format!("`detail-type` is `{kind}`")));
        }
        if let Some(source) = event.get("source").and_then(Value::as_str)
            && source != "aws.ssm"
        {
            return Err(EventError::new(format!("`source` is `{source}`")));
        }
        let detail = event.get("detail").unwrap_or(event);
        let text = |key: &str| detail.get(key).and_then(Value::as_str).map(str::to_owned);
        Ok(ParameterChange {
            name: text("name").ok_or_else(|| EventError::new("`detail.name` is missing".into()))?,
            operation: text("operation")
                .ok_or_else(|| EventError::new("`detail.operation` is missing".into()))?,
            kind: text("type"),
        })
    }

    /// Reads an event from JSON bytes.
    pub fn from_json(event: &[u8]) -> Result<Self, EventError> {
        let value: Value =
            serde_json::from_slice(event).map_err(|e| EventError::new(format!("not JSON: {e}")))?;
        Self::from_value(&value)
    }
}

/// An event that is not a Parameter Store change, or cannot be acted on.
#[derive(Debug, Clone, thiserror::Error)]
#[error("not a usable Parameter Store change event: {reason}")]
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
    /// It names nothing this configuration reads.
    Ignored,
}

/// What events have done so far, and the refresh they may have scheduled.
#[derive(Debug, Default)]
pub(crate) struct Events {
    pub applied: u64,
    pub ignored: u64,
    /// A refresh is scheduled and has not started yet.
    pending: bool,
    /// When the last event-driven refresh started.
    last: Option<Instant>,
}

/// Anything [`Live::apply_event`] takes: JSON bytes or text, a
/// `serde_json::Value`, or a parsed [`ParameterChange`].
pub trait IntoChange {
    /// The change the event describes.
    fn into_change(self) -> Result<ParameterChange, EventError>;
}

impl IntoChange for &[u8] {
    fn into_change(self) -> Result<ParameterChange, EventError> {
        ParameterChange::from_json(self)
    }
}

impl IntoChange for &str {
    fn into_change(self) -> Result<ParameterChange, EventError> {
        ParameterChange::from_json(self.as_bytes())
    }
}

impl IntoChange for &Value {
    fn into_change(self) -> Result<ParameterChange, EventError> {
        ParameterChange::from_value(self)
    }
}

impl IntoChange for Value {
    fn into_change(self) -> Result<ParameterChange, EventError> {
        ParameterChange::from_value(&self)
    }
}

impl IntoChange for ParameterChange {
    fn into_change(self) -> Result<ParameterChange, EventError> {
        Ok(self)
    }
}

impl<T: SsmConfig> Live<T> {
    /// Acts on a Parameter Store change event from EventBridge. When it
    /// names a bound parameter, a name under a bound `by_path` walk, or the
    /// watched parameter, a full refresh is scheduled on the current tokio
    /// runtime: events that come before it starts share it, it starts after
    /// any refresh under way (which may have read the old value), and such
    /// refreshes start at most once per
    /// [`event_refresh_interval`](crate::Loader::event_refresh_interval)
    /// (1 s by default). Other events are ignored. Both are counted in
    /// [`status`](Live::status).
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
    /// # tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    /// # assert_eq!(config.get().host, "b");
    /// # Ok(()) }
    /// ```
    pub fn apply_event(&self, event: impl IntoChange) -> Result<Applied, EventError> {
        let change = event.into_change()?;
        let shared = &self.shared;
        if !shared.concerns(&change.name) {
            shared.events().ignored += 1;
            return Ok(Applied::Ignored);
        }
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| EventError::new("no tokio runtime to refresh on".into()))?;
        let due = {
            let mut events = shared.events();
            events.applied += 1;
            if events.pending {
                return Ok(Applied::Refreshing);
            }
            events.pending = true;
            let now = Instant::now();
            events
                .last
                .map_or(now, |last| last + shared.settings.event_refresh_interval)
                .max(now)
        };
        tracing::debug!(
            config = T::PLAN.type_name,
            name = %change.name,
            operation = %change.operation,
            "change event: refresh scheduled"
        );
        runtime.spawn(refresh_for_event(Arc::clone(shared), due));
        Ok(Applied::Refreshing)
    }
}

/// Refreshes once `due`, after any refresh under way; a failed refresh
/// (throttling, an outage) is tried again after the backoff, until one
/// succeeds or the configuration is dropped, so the change is not lost.
async fn refresh_for_event<T: SsmConfig>(shared: Arc<Shared<T>>, due: Instant) {
    tokio::time::sleep_until(due).await;
    // A refresh under way may have read the value before the change.
    shared.settle().await;
    {
        let mut events = shared.events();
        events.pending = false;
        events.last = Some(Instant::now());
    }
    let weak = Arc::downgrade(&shared);
    drop(shared);
    loop {
        let Some(shared) = weak.upgrade() else { return };
        if shared.refresh().await.is_ok() {
            return;
        }
        let wait = shared.until_retry();
        drop(shared);
        tokio::time::sleep(wait).await;
    }
}
