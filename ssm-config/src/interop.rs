//! The secrecy crate's types, behind the `secrecy` feature: fields of type
//! `secrecy::SecretString` and `secrecy::SecretBox<T>` bind as
//! [`Secret<T>`](crate::Secret) does (the SecureString and secret rules,
//! redaction, and wiping, which secrecy does on drop itself), and a
//! `Secret<T>` converts into them.
//!
//! Inside a `#[ssm(json)]` type they are not recognised as secrets: their
//! `Deserialize` (secrecy's `serde` feature) tells nothing, so a `json`
//! value whose type holds no [`Secret<T>`](crate::Secret) besides them is,
//! when it fails to parse, reported with serde's message (which may quote
//! it) and with the value itself.
//! Inside `json` types use `Secret<T>`, whose failures say only where the
//! JSON broke, and move it into secrecy's types after the load.
//!
//! The derive names [`Secrecy`] whatever the features; without `secrecy`,
//! the bound it needs is not met, and the error at the field says to enable
//! the feature.
//!
//! secrecy 0.8's `Secret<T>` does not bind. The derive takes a field type
//! whose last segment reads `Secret` for this crate's; [`own_secret`]'s
//! bound then makes any other `Secret` one error at its field, saying what
//! binds instead.

use crate::Secret;
use crate::pipeline::convert::{Convert, Rejection, SecretOf};

/// Met by this crate's [`Secret<T>`](crate::Secret) alone: the bound that
/// tells it apart from another crate's type of the same name.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not `ssm_config::Secret`, the `Secret<T>` a field binds as",
    label = "another crate's `Secret`",
    note = "secrecy 0.8's `Secret<T>` does not bind: write `ssm_config::Secret<T>`, or, with the `secrecy` feature of ssm-config, secrecy 0.10's `SecretString` or `SecretBox<T>`"
)]
pub trait OwnSecret<T> {
    /// The field's value.
    fn from_secret(secret: Secret<T>) -> Self;
}

impl<T> OwnSecret<T> for Secret<T> {
    fn from_secret(secret: Secret<T>) -> Self {
        secret
    }
}

/// The converter of a field written `Secret<T>`: gives the field's type,
/// so an unmet [`OwnSecret`] is the only error at the field.
pub struct OwnSecretField<F, C: Convert> {
    secret: SecretOf<C>,
    into: fn(Secret<C::Output>) -> F,
}

/// The converter of a field of type `F`, written `Secret<T>`.
pub fn own_secret<F: OwnSecret<C::Output>, C: Convert>(
    secret: SecretOf<C>,
) -> OwnSecretField<F, C> {
    OwnSecretField {
        secret,
        into: F::from_secret,
    }
}

impl<F, C: Convert> Convert for OwnSecretField<F, C> {
    type Output = F;
    fn convert(&self, raw: &str) -> Result<F, Rejection> {
        self.secret.convert(raw).map(self.into)
    }
}

/// The marker the generated code names for a field of a secrecy type.
pub struct Secrecy;

/// Implemented for [`Secrecy`] when the `secrecy` feature is on.
#[diagnostic::on_unimplemented(
    message = "a field of a `secrecy` type needs the `secrecy` feature of ssm-config",
    label = "a `secrecy` type",
    note = "enable it for secrecy 0.10's types: `ssm-config = {{ version = \"0.1\", features = [\"secrecy\"] }}`, or use `ssm_config::Secret<T>` (secrecy 0.8's types do not bind)"
)]
pub trait SecrecyEnabled {}

#[cfg(feature = "secrecy")]
impl SecrecyEnabled for Secrecy {}

#[cfg(feature = "secrecy")]
pub use enabled::*;

#[cfg(not(feature = "secrecy"))]
pub use disabled::*;

#[cfg(feature = "secrecy")]
mod enabled {
    use zeroize::Zeroize;

    use super::{Convert, Rejection, SecrecyEnabled, Secret};
    use crate::pipeline::convert::Scalar;

    /// Met by secrecy 0.10's `SecretBox<T>` and `SecretString` alone: the
    /// bound that tells them apart from secrecy 0.8's types of the same
    /// names (its `SecretString` is its `Secret<String>`).
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not secrecy 0.10's `SecretBox<T>` or `SecretString`",
        label = "another secrecy's type",
        note = "secrecy 0.8's `Secret<T>`, `SecretString` and `SecretBox<T>` do not bind: write `ssm_config::Secret<T>`, or use secrecy 0.10"
    )]
    pub trait SecrecyField<T> {
        /// The field's value, around `value`.
        fn from_value(value: T) -> Self;
    }

    impl<T: Zeroize> SecrecyField<T> for secrecy::SecretBox<T> {
        fn from_value(value: T) -> Self {
            secrecy::SecretBox::new(Box::new(value))
        }
    }

    impl SecrecyField<String> for secrecy::SecretString {
        fn from_value(value: String) -> Self {
            secrecy::SecretString::from(value)
        }
    }

    /// The converter of a secrecy field of type `F` whose value `C` reads:
    /// gives the field's type, so an unmet [`SecrecyField`] is the only
    /// error at the field.
    pub struct IntoSecrecy<F, C: Convert> {
        inner: C,
        into: fn(C::Output) -> F,
    }

    impl<F, C: Convert> Convert for IntoSecrecy<F, C> {
        type Output = F;
        fn convert(&self, raw: &str) -> Result<F, Rejection> {
            self.inner.convert(raw).map(self.into)
        }
    }

    /// The converter of a `SecretBox<T>` field (of type `F`) whose value
    /// `inner` reads.
    pub fn secrecy_box<M: SecrecyEnabled, F: SecrecyField<C::Output>, C: Convert>(
        inner: C,
    ) -> IntoSecrecy<F, C> {
        IntoSecrecy {
            inner,
            into: F::from_value,
        }
    }

    /// The converter of a `SecretString` field (of type `F`): the value
    /// whole.
    pub fn secrecy_string<M: SecrecyEnabled, F: SecrecyField<String>>()
    -> IntoSecrecy<F, Scalar<String>> {
        IntoSecrecy {
            inner: Scalar::new(),
            into: F::from_value,
        }
    }

    /// Moves the value into secrecy's box, without a copy; the `Secret`
    /// is left holding an empty value.
    #[cfg_attr(docsrs, doc(cfg(feature = "secrecy")))]
    impl<T: Zeroize + Default> From<Secret<T>> for secrecy::SecretBox<T> {
        fn from(mut secret: Secret<T>) -> Self {
            secrecy::SecretBox::new(Box::new(secret.take()))
        }
    }

    /// Moves the text into a `SecretString`, without a copy.
    #[cfg_attr(docsrs, doc(cfg(feature = "secrecy")))]
    impl From<Secret<String>> for secrecy::SecretString {
        fn from(mut secret: Secret<String>) -> Self {
            secrecy::SecretString::from(secret.take())
        }
    }
}

#[cfg(not(feature = "secrecy"))]
mod disabled {
    use super::SecrecyEnabled;
    use crate::pipeline::convert::Refused;

    /// Refused without the `secrecy` feature, at the field.
    pub fn secrecy_box<M: SecrecyEnabled, F, C>(_: C) -> Refused<F> {
        Refused::new()
    }

    /// Refused without the `secrecy` feature, at the field.
    pub const fn secrecy_string<M: SecrecyEnabled, F>() -> Refused<F> {
        Refused::new()
    }
}
