//! What a change event says: EventBridge's "Parameter Store Change" and
//! Secrets Manager's CloudTrail events, read into a [`ParameterChange`]
//! (or recognised as another AWS event that changes nothing).

use serde_json::Value;

use super::event_error::EventError;

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

/// The longest name or secret id an event may hold: what `GetParameter`
/// takes for a name, ARN included
/// (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html>),
/// and what Secrets Manager takes for a secret id
/// (<https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html>).
const MOST_NAME_CHARS: usize = 2048;

/// The longest operation or type a Parameter Store change may hold: the
/// longest AWS sends (`LabelParameterVersion`) with room to spare.
const MOST_WORD_CHARS: usize = 64;

impl ParameterChange {
    /// Reads an EventBridge event that changes what a configuration may
    /// read: a "Parameter Store Change" (`source` "aws.ssm"), or a Secrets
    /// Manager change (`source` "aws.secretsmanager"); or the bare `detail`
    /// object of a Parameter Store change. Any other event is an error here;
    /// [`Live::apply_event`](crate::Live::apply_event) ignores other well-formed AWS events instead.
    ///
    /// So is text longer than AWS sends, which is never kept: a name or a
    /// secret id over 2048 characters, an operation or a type over 64.
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

/// An event's operation as traces and metrics may record it: one of the
/// operations AWS sends, or `Unknown`, never the event's own text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventOperation {
    Create,
    Update,
    Delete,
    LabelParameterVersion,
    PutSecretValue,
    UpdateSecret,
    UpdateSecretVersionStage,
    RotateSecret,
    DeleteSecret,
    RotationSucceeded,
    Unknown,
}

impl EventOperation {
    const KNOWN: [EventOperation; 10] = [
        EventOperation::Create,
        EventOperation::Update,
        EventOperation::Delete,
        EventOperation::LabelParameterVersion,
        EventOperation::PutSecretValue,
        EventOperation::UpdateSecret,
        EventOperation::UpdateSecretVersionStage,
        EventOperation::RotateSecret,
        EventOperation::DeleteSecret,
        EventOperation::RotationSucceeded,
    ];

    /// The operation `text` spells, if AWS sends it.
    pub fn of(text: &str) -> EventOperation {
        Self::KNOWN
            .into_iter()
            .find(|known| known.name() == text)
            .unwrap_or(EventOperation::Unknown)
    }

    /// As AWS spells it; `unknown` for anything else.
    pub fn name(self) -> &'static str {
        match self {
            EventOperation::Create => "Create",
            EventOperation::Update => "Update",
            EventOperation::Delete => "Delete",
            EventOperation::LabelParameterVersion => "LabelParameterVersion",
            EventOperation::PutSecretValue => "PutSecretValue",
            EventOperation::UpdateSecret => "UpdateSecret",
            EventOperation::UpdateSecretVersionStage => "UpdateSecretVersionStage",
            EventOperation::RotateSecret => "RotateSecret",
            EventOperation::DeleteSecret => "DeleteSecret",
            EventOperation::RotationSucceeded => "RotationSucceeded",
            EventOperation::Unknown => "unknown",
        }
    }

    /// The Secrets Manager API calls that change what a secret reads as.
    fn is_secret_call(self) -> bool {
        matches!(
            self,
            EventOperation::PutSecretValue
                | EventOperation::UpdateSecret
                | EventOperation::UpdateSecretVersionStage
                | EventOperation::RotateSecret
                | EventOperation::DeleteSecret
        )
    }
}

impl ParameterChange {
    /// Its operation, as traces and metrics may record it.
    pub(crate) fn known_operation(&self) -> EventOperation {
        EventOperation::of(&self.operation)
    }

    /// The first of its names that breaks SSM's naming rules, and why, by
    /// the rules a load checks a name given at run time by: no event from
    /// AWS names such a parameter, and reading one could only fail.
    pub(crate) fn refused_name(&self) -> Option<(&str, String)> {
        self.names().find_map(|name| {
            crate::name::check_name(name)
                .err()
                .map(|reason| (name, reason))
        })
    }
}

/// Whether `change` is a Secrets Manager change (a call that changes a
/// secret, or a rotation), as [`classify`] reads them.
pub(crate) fn is_secret_change(change: &ParameterChange) -> bool {
    let operation = change.known_operation();
    change.name.starts_with(SECRET_REFERENCE)
        && (operation.is_secret_call() || operation == EventOperation::RotationSucceeded)
}

/// `text` for a log line or an error message: at most `most` characters
/// (cut in the middle), and anything but printable ASCII escaped, so that a
/// forged event cannot write control sequences or fake lines into a log.
pub(crate) fn escaped(text: &str, most: usize) -> String {
    let count = text.chars().count();
    let keep = most / 2;
    let mut shown = String::new();
    for (at, c) in text.chars().enumerate() {
        if count > most && at == keep {
            shown.push_str("...");
        }
        if count > most && (keep..count - keep).contains(&at) {
            continue;
        }
        match c {
            ' '..='~' => shown.push(c),
            _ => shown.extend(c.escape_unicode()),
        }
    }
    shown
}

pub(super) fn parse(event: &[u8]) -> Result<Value, EventError> {
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

/// The text at `pointer` (`/name`) in `detail`, if it is text, refused when
/// longer than `most` characters: no such event comes from AWS, and none is
/// kept or quoted.
fn text(detail: &Value, pointer: &str, most: usize) -> Result<Option<String>, EventError> {
    let Some(text) = detail.pointer(pointer).and_then(Value::as_str) else {
        return Ok(None);
    };
    let count = text.chars().count();
    if count > most {
        let field = pointer.trim_start_matches('/').replace('/', ".");
        return Err(EventError::new(format!(
            "`detail.{field}` is {count} characters long; AWS sends at most {most}"
        )));
    }
    Ok(Some(text.to_owned()))
}

fn parameter_change(detail: &Value) -> Result<ParameterChange, EventError> {
    Ok(ParameterChange {
        name: text(detail, "/name", MOST_NAME_CHARS)?
            .ok_or_else(|| EventError::new("`detail.name` is missing".into()))?,
        operation: text(detail, "/operation", MOST_WORD_CHARS)?
            .ok_or_else(|| EventError::new("`detail.operation` is missing".into()))?,
        kind: text(detail, "/type", MOST_WORD_CHARS)?,
        aliases: Vec::new(),
    })
}

/// A Secrets Manager event, as EventBridge delivers CloudTrail's record:
/// an API call (`detail.requestParameters.secretId`) or the service event
/// `RotationSucceeded` (`detail.additionalEventData.SecretId`).
fn secret_change(kind: &str, detail: &Value) -> Result<Option<ParameterChange>, EventError> {
    let Some(event_name) = detail.get("eventName").and_then(Value::as_str) else {
        return Err(EventError::new("`detail.eventName` is missing".into()));
    };
    // Only the calls and the event below change a secret, and each is known
    // by its name: the event's own text is never kept.
    let known = EventOperation::of(event_name);
    let secret_id = match (kind, known) {
        ("AWS API Call via CloudTrail", call) if call.is_secret_call() => {
            if detail.get("errorCode").is_some_and(|code| !code.is_null()) {
                // The call failed: nothing changed.
                return Ok(None);
            }
            text(detail, "/requestParameters/secretId", MOST_NAME_CHARS)?
        }
        ("AWS Service Event via CloudTrail", EventOperation::RotationSucceeded) => {
            match text(detail, "/additionalEventData/SecretId", MOST_NAME_CHARS)? {
                Some(id) => Some(id),
                None => text(detail, "/additionalEventData/secretId", MOST_NAME_CHARS)?,
            }
        }
        _ => return Ok(None),
    };
    let Some(secret_id) = secret_id.filter(|s| !s.is_empty()) else {
        return Err(EventError::new(format!(
            "a `{}` event names no secret",
            known.name()
        )));
    };
    let (name, aliases) = secret_names(&secret_id);
    Ok(Some(ParameterChange {
        name: format!("{SECRET_REFERENCE}{name}"),
        operation: known.name().to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn named(name: &str, operation: &str) -> Value {
        json!({"detail-type": "Parameter Store Change", "source": "aws.ssm",
            "detail": {"name": name, "operation": operation, "type": "String"}})
    }

    fn rotated(secret_id: &str) -> Value {
        json!({"detail-type": "AWS Service Event via CloudTrail", "source": "aws.secretsmanager",
            "detail": {"eventName": "RotationSucceeded", "additionalEventData": {"SecretId": secret_id}}})
    }

    #[test]
    fn fields_longer_than_aws_allows_are_refused_without_being_quoted() {
        let longest = format!("/{}", "a".repeat(2047));
        assert!(ParameterChange::from_value(&named(&longest, "Update")).is_ok());
        let too_long = format!("/{}", "a".repeat(2048));
        let err = ParameterChange::from_value(&named(&too_long, "Update"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`detail.name`") && err.contains("2048"),
            "{err}"
        );
        assert!(!err.contains("aaaaaaaaaa"), "{err}");
        let operation = "U".repeat(200);
        let err = ParameterChange::from_value(&named("/a", &operation))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`detail.operation`"), "{err}");
        assert!(!err.contains("UUUUUUUUUU"), "{err}");
        let err = ParameterChange::from_value(&rotated(&"s".repeat(2049)))
            .unwrap_err()
            .to_string();
        assert!(err.contains("SecretId") && err.contains("2048"), "{err}");
        assert!(ParameterChange::from_value(&rotated(&"s".repeat(2048))).is_ok());
    }

    #[test]
    fn escaped_text_is_printable_ascii_and_short() {
        assert_eq!(escaped("/a/b c", 100), "/a/b c");
        assert_eq!(
            escaped("/a\n\u{1b}[2J\u{202e}", 100),
            "/a\\u{a}\\u{1b}[2J\\u{202e}"
        );
        let long = format!("/{}z", "a".repeat(5_000));
        let shown = escaped(&long, 20);
        assert_eq!(shown, "/aaaaaaaaa...aaaaaaaaaz");
    }

    #[test]
    fn operations_are_known_values_or_unknown() {
        assert_eq!(EventOperation::of("Update"), EventOperation::Update);
        assert_eq!(
            EventOperation::of("RotationSucceeded").name(),
            "RotationSucceeded"
        );
        for forged in ["update", "Update ", "Update\n\u{1b}[31m", "", "Rename"] {
            assert_eq!(EventOperation::of(forged).name(), "unknown", "{forged:?}");
        }
    }
}
