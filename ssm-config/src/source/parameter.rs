//! [`Parameter`]: one parameter as a source returned it.

use std::fmt;
use std::time::SystemTime;

use super::ParameterType;

/// One parameter as a source returned it.
///
/// The value is wiped from memory on drop, and `Debug` redacts it for
/// SecureStrings.
#[derive(Clone, PartialEq)]
pub struct Parameter {
    /// The name as the source reports it (see
    /// [`ParameterSource`](crate::source::ParameterSource) on matching).
    pub name: String,
    /// The value, decrypted when decryption was asked for.
    pub value: String,
    /// The parameter's type.
    pub kind: ParameterType,
    /// The version this value belongs to; 0 from a source without
    /// versions (a [`FileSource`](crate::source::FileSource)).
    pub version: i64,
    /// The selector (`:3`, `:label`) the value was asked with, when known.
    pub selector: Option<String>,
    /// When this version was written, when known.
    pub last_modified: Option<SystemTime>,
    /// Where the source found it beyond its name, such as the file of a
    /// [`FileSource`](crate::source::FileSource); `None` from a source with
    /// one store (SSM, memory). Shown in [`Origin`](crate::origin::Origin)s.
    pub location: Option<String>,
}

impl Drop for Parameter {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.value);
    }
}

impl fmt::Debug for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value: &dyn fmt::Debug = match self.kind {
            ParameterType::SecureString => &"[REDACTED]",
            _ => &self.value,
        };
        f.debug_struct("Parameter")
            .field("name", &self.name)
            .field("value", value)
            .field("kind", &self.kind)
            .field("version", &self.version)
            .field("selector", &self.selector)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}
