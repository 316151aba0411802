//! [`Value`]: one parameter read by name, converted on demand with the same
//! rules as a derived field.

use std::fmt::{self, Display};
use std::str::FromStr;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::Secret;
use crate::description::{Presence, ValueDescription};
use crate::error::Error;
use crate::error::Problem;
use crate::pipeline::build::convert_one;
use crate::pipeline::convert::{Convert, Json, List, Scalar, SecretOf};
use crate::source::{Parameter, ParameterType};

/// What an untyped error says it failed to load.
pub(crate) const UNTYPED: &str = "parameters";

/// One parameter read by [`Parameters`](super::Parameters). `Debug` redacts
/// SecureStrings, and [`parse`](Value::parse) refuses them: read those with
/// [`secret`](Value::secret).
#[derive(Clone)]
pub struct Value {
    name: String,
    parameter: Arc<Parameter>,
}

impl Value {
    pub(crate) fn new(name: String, parameter: Arc<Parameter>) -> Self {
        Value { name, parameter }
    }

    /// The name it was asked for.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parameter's type.
    pub fn kind(&self) -> ParameterType {
        self.parameter.kind
    }

    /// The version read.
    pub fn version(&self) -> i64 {
        self.parameter.version
    }

    /// The value through `FromStr`; a SecureString is an error.
    pub fn parse<T: FromStr>(&self) -> Result<T, Error>
    where
        T::Err: Display,
    {
        self.convert(&Scalar::<T>::new(), false)
    }

    /// A StringList (or String) split on commas, each item through `FromStr`.
    pub fn list<T: FromStr>(&self) -> Result<Vec<T>, Error>
    where
        T::Err: Display,
    {
        self.convert(&List::of(Scalar::<T>::new()), false)
    }

    /// The value as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        self.convert(&Json::<T>::new(), false)
    }

    /// The value through `FromStr`, as a redacting [`Secret`].
    pub fn secret<T: FromStr>(&self) -> Result<Secret<T>, Error>
    where
        T::Err: Display,
    {
        // `T` is generic here, so its zeroizing cannot be detected.
        self.convert(&SecretOf::new(Scalar::<T>::new(), None), true)
    }

    /// The value as JSON, as a redacting [`Secret`].
    pub fn secret_json<T: DeserializeOwned>(&self) -> Result<Secret<T>, Error> {
        self.convert(&SecretOf::new(Json::<T>::new(), None), true)
    }

    fn convert<C: Convert>(&self, converter: &C, secret: bool) -> Result<C::Output, Error> {
        let plan = ValueDescription {
            expected: std::any::type_name::<C::Output>(),
            secret,
            list: false,
            plaintext: false,
            presence: Presence::Required,
            env: None,
            default_text: None,
            duration: None,
        };
        let origin = crate::origin::Origin::of(&self.name, &self.parameter);
        convert_one(&self.name, &self.parameter, &plan, None, converter, origin).map_err(
            |mut problem| {
                if let Problem::Invalid { expected, .. } = &mut problem {
                    *expected = short_type_name(expected);
                }
                Error::new(UNTYPED, vec![problem])
            },
        )
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Value")
            .field("name", &self.name)
            .field("parameter", &*self.parameter)
            .finish()
    }
}

/// `alloc::vec::Vec<core::net::IpAddr>` as `Vec<IpAddr>`, for messages.
fn short_type_name(full: &str) -> String {
    let mut short = String::with_capacity(full.len());
    for piece in full.split_inclusive(['<', '>', ',', ' ']) {
        let (path, delimiter) = piece.split_at(piece.trim_end_matches(['<', '>', ',', ' ']).len());
        short.push_str(path.rsplit("::").next().unwrap_or(path));
        short.push_str(delimiter);
    }
    short
}

#[cfg(test)]
mod tests {
    use super::short_type_name;

    #[test]
    fn type_names_are_shortened() {
        let name = |full| short_type_name(full);
        assert_eq!(
            name(std::any::type_name::<Vec<std::net::IpAddr>>()),
            "Vec<IpAddr>"
        );
        assert_eq!(name(std::any::type_name::<u16>()), "u16");
        assert_eq!(
            name(std::any::type_name::<crate::Secret<String>>()),
            "Secret<String>"
        );
        assert_eq!(
            name("std::collections::HashMap<alloc::string::String, u8>"),
            "HashMap<String, u8>"
        );
    }
}
