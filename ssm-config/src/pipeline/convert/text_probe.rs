//! Which converter a field's type as written gets, when it is read through
//! `FromStr`, and what the error says when it cannot be: chosen by autoref
//! (`(&&&TextProbe::<T>::new()).converter()`), which works in generated
//! code because the type is concrete there. In order:
//! - `T: FromStr`: [`Scalar<T>`];
//! - `T` derives `SsmConfig`: the field lacks `#[ssm(nested)]`, and the
//!   error says to add it;
//! - neither: the error says what the field's type could do.
//!
//! The errors are bounds on traits of this crate's that nothing implements,
//! so they come without a list of the types `FromStr` knows.

use std::marker::PhantomData;

use super::{FromText, Refused, Scalar};
use crate::SsmConfig;

/// The probe of a field of type `T`.
pub struct TextProbe<T>(PhantomData<fn() -> T>);

#[allow(clippy::new_without_default)] // built by generated code, never defaulted
impl<T> TextProbe<T> {
    /// The probe.
    pub const fn new() -> Self {
        TextProbe(PhantomData)
    }
}

/// Chosen when `T: FromStr`.
pub trait ReadByFromStr<T> {
    /// The converter.
    fn converter(&self) -> Scalar<T>;
}

impl<T: FromText> ReadByFromStr<T> for &&TextProbe<T> {
    fn converter(&self) -> Scalar<T> {
        Scalar::new()
    }
}

/// Chosen when `T` derives `SsmConfig` and has no `FromStr`.
pub trait ReadNested<T> {
    /// Refused: the field needs `#[ssm(nested)]`.
    fn converter(&self) -> Refused<T>
    where
        T: NeedsNested;
}

impl<T: SsmConfig> ReadNested<T> for &TextProbe<T> {
    fn converter(&self) -> Refused<T>
    where
        T: NeedsNested,
    {
        Refused::new()
    }
}

/// Chosen when `T` is neither.
pub trait ReadUnreadable<T> {
    /// Refused: the type cannot be read from text.
    fn converter(&self) -> Refused<T>
    where
        T: CannotBeRead;
}

impl<T> ReadUnreadable<T> for TextProbe<T> {
    fn converter(&self) -> Refused<T>
    where
        T: CannotBeRead,
    {
        Refused::new()
    }
}

/// Implemented by nothing: the error of a field whose struct derives
/// `SsmConfig` but which lacks `#[ssm(nested)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` derives `SsmConfig`: its field needs `#[ssm(nested)]` (or `#[ssm(flatten)]`)",
    label = "add `#[ssm(nested)]` to this field",
    note = "`#[ssm(nested)]` reads `{Self}`'s fields under this field's name; `#[ssm(flatten)]` reads them beside this struct's"
)]
pub trait NeedsNested {}

/// Implemented by nothing: the error of a field whose type cannot be read
/// from a parameter's text.
#[diagnostic::on_unimplemented(
    message = "a field of type `{Self}` cannot be read from a parameter's text",
    label = "`{Self}` does not implement `FromStr`",
    note = "implement `FromStr` for `{Self}`; or read it as JSON with `#[ssm(json)]` (it must implement `serde::Deserialize`); or, for a struct of parameters, derive `SsmConfig` for it and add `#[ssm(nested)]` to the field"
)]
pub trait CannotBeRead {}
