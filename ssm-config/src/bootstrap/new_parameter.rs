//! [`NewParameter`]: one parameter a [`Bootstrap`](super::Bootstrap) creates.

use crate::source::ParameterType;

/// One parameter to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParameter {
    /// The fields that read it.
    pub fields: Vec<String>,
    /// Its full name; an unset `{VAR}` stays as it is.
    pub name: String,
    /// Its type: SecureString for `Secret<_>` fields, StringList for lists.
    pub kind: ParameterType,
    /// The placeholder of its value, `CHANGE_ME(field)`.
    pub placeholder: String,
    /// Labels that fields pin, to attach to the first version.
    pub labels: Vec<String>,
}
