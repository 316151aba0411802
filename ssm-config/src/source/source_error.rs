//! [`SourceError`]: a failed call to a source, and its
//! [`SourceErrorKind`].

use std::fmt;

/// What kind of failure a source met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SourceErrorKind {
    /// The request rate was over the quota, even after retries.
    Throttled,
    /// The credentials may not read these parameters (IAM or KMS).
    AccessDenied,
    /// A name or secret does not exist and the call failed as a whole.
    NotFound,
    /// No answer within the configured time.
    Timeout,
    /// The service could not be reached.
    Unreachable,
    /// The AWS SDK found no credentials, or no region, where it looks for
    /// them (the environment, the shared files, the container or
    /// instance metadata): a machine without AWS set up; or its
    /// credentials are configured in a way it cannot follow (a profile
    /// that needs aws-config's `sso` feature). The message says which, and
    /// where to set them. It may pass (an instance's metadata answering
    /// late), so it is tried again after the backoff.
    NotConfigured,
    /// The source's own data cannot be read: a local file that does not
    /// parse, or holds what SSM could not. The same for every call, until
    /// the data is fixed.
    Malformed,
    /// Any other failure.
    Other,
}

/// A failed call to a source.
///
/// Its `Display` is complete: the operation, the kind, the message and the
/// text of the underlying error's chain (each part once). So that nothing is
/// printed twice, [`source`](std::error::Error::source) returns `None`; the
/// underlying error is at [`cause`](SourceError::cause) for inspection.
/// `Debug` shows the kind, the operation and the message, never the cause:
/// an AWS SDK error's `Debug` prints the raw HTTP response, values
/// included.
pub struct SourceError {
    kind: SourceErrorKind,
    operation: &'static str,
    message: String,
    cause: Option<Box<dyn std::error::Error + Send + Sync>>,
    /// Whether the message already says all the cause would.
    cause_said: bool,
    /// Whether the message is about the source itself, the same whatever
    /// the call: shown without the operation.
    about_the_source: bool,
}

impl SourceError {
    /// A new error of this kind from `operation` (such as `"GetParameters"`).
    pub fn new(kind: SourceErrorKind, operation: &'static str, message: impl Into<String>) -> Self {
        SourceError {
            kind,
            operation,
            message: message.into(),
            cause: None,
            cause_said: false,
            about_the_source: false,
        }
    }

    /// Marks the error as one of the source's own, not of the call: a local
    /// file that does not parse fails every call the same way. `Display`
    /// shows the message alone, which should name the source (a file's
    /// path, line and column), and a load reports it once.
    pub fn about_the_source(mut self) -> Self {
        self.about_the_source = true;
        self
    }

    /// Attaches the underlying error. Its chain's text is shown after the
    /// message, except what the message already says.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.cause = Some(Box::new(source));
        self
    }

    /// Attaches the underlying error for [`cause`](SourceError::cause)
    /// alone: the message already says what it would.
    pub(crate) fn with_quiet_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.cause = Some(Box::new(source));
        self.cause_said = true;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> SourceErrorKind {
        self.kind
    }

    /// The API call that failed.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The underlying error, such as the AWS SDK's, when there is one.
    /// Beware of its `Debug`: the SDK's holds the raw HTTP response, whose
    /// body holds the decrypted values of the call.
    pub fn cause(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.cause.as_deref()
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.about_the_source {
            true => f.write_str(&self.message)?,
            false => write!(
                f,
                "{} failed ({}): {}",
                self.operation, self.kind, self.message
            )?,
        }
        let mut next: Option<&(dyn std::error::Error + 'static)> = match &self.cause {
            Some(cause) if !self.cause_said => Some(&**cause),
            _ => None,
        };
        while let Some(cause) = next {
            let text = cause.to_string();
            if !self.message.contains(&text) {
                write!(f, ": {text}")?;
            }
            next = cause.source();
        }
        Ok(())
    }
}

impl std::error::Error for SourceError {}

/// The cause is left out: see [`SourceError`].
impl fmt::Debug for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceError")
            .field("kind", &self.kind)
            .field("operation", &self.operation)
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl SourceErrorKind {
    /// Whether a failure of this kind may pass by itself, so the same call
    /// is worth trying again: throttling, a timeout, an unreachable store,
    /// and missing credentials (an instance's metadata may answer late).
    pub(crate) fn may_pass(self) -> bool {
        matches!(
            self,
            SourceErrorKind::Throttled
                | SourceErrorKind::Timeout
                | SourceErrorKind::Unreachable
                | SourceErrorKind::NotConfigured
        )
    }
}

impl fmt::Display for SourceErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceErrorKind::Throttled => "throttled",
            SourceErrorKind::AccessDenied => "access denied",
            SourceErrorKind::NotFound => "not found",
            SourceErrorKind::NotConfigured => "not configured",
            SourceErrorKind::Timeout => "timed out",
            SourceErrorKind::Unreachable => "unreachable",
            SourceErrorKind::Malformed => "malformed",
            SourceErrorKind::Other => "error",
        })
    }
}
