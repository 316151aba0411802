//! Which converter a field's type as written gets, when it is read through
//! `FromStr`, and what the error says when it cannot be: chosen by autoref
//! (`(&&&TextProbe::<T, Place>::new()).converter()`), which works in
//! generated code because the type is concrete there. In order:
//! - `T: FromStr`: [`Scalar<T>`];
//! - `T` derives `SsmConfig`: the field lacks `#[ssm(nested)]`, and the
//!   error says what to do, which depends on where `T` stands: alone, in a
//!   list, an `Option`, a `by_path` map or a secret (`Place`);
//! - neither: the error says what the field's type could do.
//!
//! The errors are bounds on traits of this crate's that nothing implements,
//! so they come without a list of the types `FromStr` knows.

use std::marker::PhantomData;

use super::{FromText, Refused, Scalar};
use crate::SsmConfig;

/// The probe of a value of type `T`, read where `Place` says.
pub struct TextProbe<T, Place>(PhantomData<fn() -> (T, Place)>);

/// `T` is the field's type.
pub struct Alone;
/// `T` is the item of a `Vec<T>` field.
pub struct InList;
/// `T` is inside an `Option<T>` field.
pub struct InOption;
/// `T` is a value of a `by_path` map.
pub struct InMap;
/// `T` is inside a secret wrapper (`Secret<T>`, secrecy's).
pub struct InSecret;

#[allow(clippy::new_without_default)] // built by generated code, never defaulted
impl<T, Place> TextProbe<T, Place> {
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

impl<T: FromText, Place> ReadByFromStr<T> for &&TextProbe<T, Place> {
    fn converter(&self) -> Scalar<T> {
        Scalar::new()
    }
}

/// Chosen when `T` derives `SsmConfig`, has no `FromStr` and is the field's
/// type.
pub trait ReadNested<T> {
    /// Refused: the field needs `#[ssm(nested)]`.
    fn converter(&self) -> Refused<T>
    where
        T: NeedsNested;
}

impl<T: SsmConfig> ReadNested<T> for &TextProbe<T, Alone> {
    fn converter(&self) -> Refused<T>
    where
        T: NeedsNested,
    {
        Refused::new()
    }
}

/// Chosen when `T` derives `SsmConfig`, has no `FromStr` and is a list's
/// item.
pub trait ReadNestedInList<T> {
    /// Refused: a list of structs cannot be read.
    fn converter(&self) -> Refused<T>
    where
        T: NoListOfStructs;
}

impl<T: SsmConfig> ReadNestedInList<T> for &TextProbe<T, InList> {
    fn converter(&self) -> Refused<T>
    where
        T: NoListOfStructs,
    {
        Refused::new()
    }
}

/// Chosen when `T` derives `SsmConfig`, has no `FromStr` and is inside an
/// `Option`.
pub trait ReadNestedInOption<T> {
    /// Refused: an optional struct cannot be nested.
    fn converter(&self) -> Refused<T>
    where
        T: NoOptionalStruct;
}

impl<T: SsmConfig> ReadNestedInOption<T> for &TextProbe<T, InOption> {
    fn converter(&self) -> Refused<T>
    where
        T: NoOptionalStruct,
    {
        Refused::new()
    }
}

/// Chosen when `T` derives `SsmConfig`, has no `FromStr` and is a
/// `by_path` map's value.
pub trait ReadNestedInMap<T> {
    /// Refused: a map of structs cannot be read.
    fn converter(&self) -> Refused<T>
    where
        T: NoMapOfStructs;
}

impl<T: SsmConfig> ReadNestedInMap<T> for &TextProbe<T, InMap> {
    fn converter(&self) -> Refused<T>
    where
        T: NoMapOfStructs,
    {
        Refused::new()
    }
}

/// Chosen when `T` derives `SsmConfig`, has no `FromStr` and is inside a
/// secret wrapper.
pub trait ReadNestedInSecret<T> {
    /// Refused: a struct is not one secret value.
    fn converter(&self) -> Refused<T>
    where
        T: NoSecretStruct;
}

impl<T: SsmConfig> ReadNestedInSecret<T> for &TextProbe<T, InSecret> {
    fn converter(&self) -> Refused<T>
    where
        T: NoSecretStruct,
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

impl<T, Place> ReadUnreadable<T> for TextProbe<T, Place> {
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

/// Implemented by nothing: the error of a `Vec` of a struct that derives
/// `SsmConfig`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` derives `SsmConfig`, but a `Vec` of it cannot be read: a StringList holds text",
    label = "a list of structs",
    note = "give each struct a field of its own with `#[ssm(nested = \"...\")]`, or read the list as JSON with `#[ssm(json)]` (`{Self}` must then implement `serde::Deserialize`)"
)]
pub trait NoListOfStructs {}

/// Implemented by nothing: the error of an `Option` of a struct that
/// derives `SsmConfig`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` derives `SsmConfig`, but an `Option` of it cannot be nested: a nested struct is always read",
    label = "an optional struct",
    note = "make the field `{Self}` with `#[ssm(nested)]`, and the fields of `{Self}` that may be missing `Option`s or defaulted"
)]
pub trait NoOptionalStruct {}

/// Implemented by nothing: the error of a `by_path` map of a struct that
/// derives `SsmConfig`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` derives `SsmConfig`, but a `by_path` map of it cannot be read: each parameter under the path holds text",
    label = "a map of structs",
    note = "give each struct a field of its own with `#[ssm(nested = \"...\")]`, or make the map's values a type that implements `FromStr`"
)]
pub trait NoMapOfStructs {}

/// Implemented by nothing: the error of a secret wrapper around a struct
/// that derives `SsmConfig`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` derives `SsmConfig`, but a secret holds one value, not a struct of parameters",
    label = "a struct as a secret",
    note = "nest it with `#[ssm(nested)]` and make its secret fields `Secret<_>`; or, for one secret holding JSON, read it with `#[ssm(json)]` into a `Deserialize` type"
)]
pub trait NoSecretStruct {}

/// Implemented by nothing: the error of a field whose type cannot be read
/// from a parameter's text.
#[diagnostic::on_unimplemented(
    message = "a field of type `{Self}` cannot be read from a parameter's text",
    label = "`{Self}` does not implement `FromStr`",
    note = "implement `FromStr` for `{Self}`; or read it as JSON with `#[ssm(json)]` (it must implement `serde::Deserialize`); or, for a struct of parameters, derive `SsmConfig` for it and add `#[ssm(nested)]` to the field. Types are read as written: an alias of `Secret<T>` or `Duration` is not seen through"
)]
pub trait CannotBeRead {}
