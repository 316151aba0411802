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

/// The marker the generated code names for a field of a secrecy type.
pub struct Secrecy;

/// Implemented for [`Secrecy`] when the `secrecy` feature is on.
#[diagnostic::on_unimplemented(
    message = "a field of a `secrecy` type needs the `secrecy` feature of ssm-config",
    label = "a `secrecy` type",
    note = "enable it: `ssm-config = {{ version = \"0.1\", features = [\"secrecy\"] }}`, or use `ssm_config::Secret<T>`"
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

    use super::SecrecyEnabled;
    use crate::Secret;
    use crate::pipeline::convert::{Convert, Rejection};

    /// A `secrecy::SecretBox<T>` around another converter.
    pub struct SecrecyBox<C>(C);

    /// A `secrecy::SecretString`: the value whole.
    pub struct SecrecyString;

    /// The converter of a `SecretBox<T>` field whose value `inner` reads.
    pub const fn secrecy_box<F: SecrecyEnabled, C>(inner: C) -> SecrecyBox<C> {
        SecrecyBox(inner)
    }

    /// The converter of a `SecretString` field.
    pub const fn secrecy_string<F: SecrecyEnabled>() -> SecrecyString {
        SecrecyString
    }

    impl<C: Convert> Convert for SecrecyBox<C>
    where
        C::Output: Zeroize,
    {
        type Output = secrecy::SecretBox<C::Output>;
        fn convert(&self, raw: &str) -> Result<Self::Output, Rejection> {
            let value = self.0.convert(raw)?;
            Ok(secrecy::SecretBox::new(Box::new(value)))
        }
    }

    impl Convert for SecrecyString {
        type Output = secrecy::SecretString;
        fn convert(&self, raw: &str) -> Result<Self::Output, Rejection> {
            Ok(secrecy::SecretString::from(raw.to_owned()))
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
    use crate::pipeline::convert::Scalar;

    /// Refused without the `secrecy` feature, at the field.
    pub const fn secrecy_box<F: SecrecyEnabled, C>(inner: C) -> C {
        inner
    }

    /// Refused without the `secrecy` feature, at the field.
    pub const fn secrecy_string<F: SecrecyEnabled>() -> Scalar<String> {
        Scalar::new()
    }
}
