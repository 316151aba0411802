//! [`IntoChange`]: anything [`Live::apply_event`](crate::Live::apply_event)
//! takes.

use serde_json::Value;

use super::EventError;
use super::parameter_change::{ParameterChange, classify, parse};

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
