//! [`ParameterType`]: the type of a parameter as SSM reports it.

use std::fmt;

/// The type of a parameter as SSM reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// A plain string.
    String,
    /// Comma-separated values.
    StringList,
    /// An encrypted string (also how Secrets Manager references come back).
    SecureString,
}

impl ParameterType {
    /// The name SSM uses for this type.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParameterType::String => "String",
            ParameterType::StringList => "StringList",
            ParameterType::SecureString => "SecureString",
        }
    }
}

impl fmt::Display for ParameterType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
