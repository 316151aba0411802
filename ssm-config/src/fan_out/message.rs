//! A queue's message as the event it carries: the body itself (raw
//! delivery), or the `Message` of SNS's envelope (raw delivery off).

use serde_json::Value;

/// The event a message body carries, or `None` for a body that is no JSON.
pub(super) fn event_of(body: &str) -> Option<Value> {
    let value: Value = serde_json::from_str(body).ok()?;
    match (
        value.get("Type").and_then(Value::as_str),
        value.get("Message"),
    ) {
        (Some("Notification"), Some(Value::String(inner))) => serde_json::from_str(inner).ok(),
        _ => Some(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_bodies_and_envelopes_give_the_event() {
        let event = r#"{"source":"aws.ssm","detail":{"name":"/a"}}"#;
        assert_eq!(event_of(event).unwrap()["detail"]["name"], "/a");
        let envelope = serde_json::json!({"Type": "Notification", "Message": event}).to_string();
        assert_eq!(event_of(&envelope).unwrap()["detail"]["name"], "/a");
        assert!(event_of("not json").is_none());
    }
}
