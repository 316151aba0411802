//! The EventBridge patterns of the changes `apply_event` understands, for
//! the rules that feed a fan-out topic.

/// Parameter Store changes: every `Parameter Store Change` event.
pub const PARAMETER_CHANGES: &str =
    r#"{"source":["aws.ssm"],"detail-type":["Parameter Store Change"]}"#;

/// The Secrets Manager calls that change what a secret reads as, and a
/// rotation's end, as CloudTrail reports them to EventBridge. Reads
/// (`GetSecretValue`) are left out: every instance makes them.
pub const SECRET_CHANGES: &str = r#"{"source":["aws.secretsmanager"],"detail-type":["AWS API Call via CloudTrail","AWS Service Event via CloudTrail"],"detail":{"eventName":["PutSecretValue","UpdateSecret","UpdateSecretVersionStage","RotateSecret","DeleteSecret","RotationSucceeded"]}}"#;
