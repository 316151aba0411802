//! [`Severity`]: how much a doctor's row matters.

use serde::Serialize;

/// How much a row matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Loads as intended.
    Ok,
    /// Loads, but probably not as intended.
    Warning,
    /// A load fails.
    Error,
}
