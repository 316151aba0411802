//! What a change event says: EventBridge's "Parameter Store Change" and
//! Secrets Manager's CloudTrail events, read into a [`ParameterChange`]
//! (or recognised as another AWS event that changes nothing).

use serde_json::Value;

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
    /// [`Live::apply_event`](crate::Live::apply_event) ignores other well-formed AWS events instead.
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

/// Whether `change` is a Secrets Manager change (a call that changes a
/// secret, or a rotation), as [`classify`] reads them.
pub(crate) fn is_secret_change(change: &ParameterChange) -> bool {
    change.name.starts_with(SECRET_REFERENCE)
        && (SECRET_CHANGES.contains(&change.operation.as_str())
            || change.operation == "RotationSucceeded")
}

fn parse(event: &[u8]) -> Result<Value, EventError> {
    serde_json::from_slice(event).map_err(|e| EventError::new(format!("not JSON: {e}")))
}

/// The change an event describes; `None` for a well-formed AWS event of
/// another kind (or a Secrets Manager call that changes nothing, or that
/// failed).
pub(crate) fn classify(event: &Value) -> Result<Option<ParameterChange>, EventError> {
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
    pub(crate) fn new(reason: String) -> Self {
        EventError { reason }
    }
}

/// Anything [`Live::apply_event`](crate::Live::apply_event) takes: JSON bytes or text, a
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
