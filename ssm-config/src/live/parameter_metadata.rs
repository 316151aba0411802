//! [`ParameterMetadata`]: what SSM said about one parameter.

use std::time::SystemTime;

use crate::source::ParameterType;

/// What SSM said about one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterMetadata {
    /// The name as asked for (selector included).
    pub name: String,
    /// The version read.
    pub version: i64,
    /// The parameter's type.
    pub kind: ParameterType,
    /// When that version was written, when the source says.
    pub last_modified: Option<SystemTime>,
    /// Where the source found it beyond its name, such as a file.
    pub location: Option<String>,
}
