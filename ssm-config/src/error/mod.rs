//! [`Error`]: every problem of one load, reported together.

mod error_kind;
mod problem;

pub use error_kind::ErrorKind;
pub use problem::Problem;

use std::fmt;

use crate::source::{SourceError, SourceErrorKind};

/// A load failed; [`problems`](Error::problems) lists every reason at once.
///
/// Messages name the field and the full parameter name, and never a
/// secret: [what a message never
/// shows](crate::guide::when_things_go_wrong#what-a-message-never-shows).
#[derive(Debug, Clone)]
pub struct Error {
    config: &'static str,
    problems: Vec<Problem>,
}

impl Error {
    /// The kind of the error: a source failure if any call failed (it is
    /// usually the cause of the rest), otherwise the first problem's kind.
    pub fn kind(&self) -> ErrorKind {
        self.source_errors()
            .next()
            .map(|e| ErrorKind::Source(e.kind()))
            .or_else(|| self.problems.first().map(Problem::kind))
            .unwrap_or(ErrorKind::Aborted)
    }

    pub(crate) fn new(config: &'static str, problems: Vec<Problem>) -> Self {
        Error { config, problems }
    }

    /// Every problem found, in field order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The source errors among the problems.
    pub fn source_errors(&self) -> impl Iterator<Item = &SourceError> {
        self.problems.iter().filter_map(|p| match p {
            Problem::Source { error, .. } => Some(&**error),
            _ => None,
        })
    }

    /// Whether the source throttled a request (after the SDK's retries).
    pub fn is_throttled(&self) -> bool {
        self.source_errors()
            .any(|e| e.kind() == SourceErrorKind::Throttled)
    }

    /// Whether the credentials were refused a parameter or key.
    pub fn is_access_denied(&self) -> bool {
        self.source_errors()
            .any(|e| e.kind() == SourceErrorKind::AccessDenied)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "cannot load `{}`: {one}", self.config),
            many => {
                write!(f, "cannot load `{}`: {} problems", self.config, many.len())?;
                for problem in many {
                    write!(f, "\n  - {problem}")?;
                }
                Ok(())
            }
        }
    }
}

/// The `Display` of an `Error` already holds every problem, source failures
/// included, so [`source`](std::error::Error::source) returns `None` and
/// nothing is printed twice by a reporter that walks the chain; the source
/// failures are at [`Error::source_errors`].
impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::Origin;

    #[test]
    fn lists_every_problem() {
        let err = Error::new(
            "AppConfig",
            vec![
                Problem::Missing {
                    field: "a".into(),
                    name: "/x/a".into(),
                    looked_in: "AWS SSM (eu-west-1)".into(),
                    env: Some("APP_A".into()),
                },
                Problem::Invalid {
                    field: "port".into(),
                    name: "/x/port".into(),
                    origin: Origin::Parameter {
                        name: "/x/port".into(),
                        selector: None,
                        version: 7,
                        location: None,
                    },
                    expected: "u16".into(),
                    reason: Some("invalid digit found in string".into()),
                    value: Some("eighty".into()),
                },
            ],
        );
        assert_eq!(
            err.to_string(),
            "cannot load `AppConfig`: 2 problems\n  \
             - field `a`: parameter `/x/a` is missing (looked in AWS SSM (eu-west-1); \
             the variable `APP_A` would override it)\n  \
             - field `port`: the value from /x/port version 7 is not a valid `u16`: \
             invalid digit found in string (value \"eighty\")"
        );
    }

    #[test]
    fn error_is_send_sync_static() {
        fn assert<T: Send + Sync + 'static + std::error::Error>() {}
        assert::<Error>();
    }
}
