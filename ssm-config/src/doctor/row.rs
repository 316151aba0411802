//! [`Row`]: one binding's state in a [`Report`](super::Report).

use serde::Serialize;

use super::{Finding, Severity};
use crate::origin::Origin;

/// One binding's state.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The field, dotted through nested structs.
    pub field: String,
    /// The parameter (selector included), secret reference, path or
    /// environment variable read.
    pub name: String,
    /// What was found.
    pub finding: Finding,
    /// Whether it stops a load.
    pub severity: Severity,
    /// Why, in a sentence; never a secret value.
    pub detail: String,
    /// Where the value came from, when one was read.
    pub origin: Option<Origin>,
    /// When the row fails for a cause shared with other rows, such as an
    /// unset `{VAR}` of the prefix: its index in
    /// [`Report::problems`](crate::doctor::Report::problems), where it is
    /// said (and counted) once.
    pub cause: Option<usize>,
}
