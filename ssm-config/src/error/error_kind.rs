//! [`ErrorKind`]: what kind of failure an [`Error`](crate::Error) is.

use crate::source::SourceErrorKind;

/// What kind of failure an [`Error`](crate::Error) is, for metrics and
/// readiness probes; see [`Error::kind`](crate::Error::kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A call to the source failed.
    Source(SourceErrorKind),
    /// A required parameter or a secret's key is missing, or holds the
    /// placeholder bootstrap wrote.
    Missing,
    /// A value could not be converted, a SecureString would be exposed, or
    /// a secret came from an override the loader refuses.
    Invalid,
    /// A name, selector or `{VAR}` is invalid or unset.
    Name,
    /// The refresh was stopped before it finished.
    Aborted,
    /// Code run for the load (a conversion, a default, a validation
    /// function, a source) panicked.
    Panicked,
    /// The `#[ssm(validate = ...)]` function refused the configuration.
    Invalidated,
}
