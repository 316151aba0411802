//! Value conversion: a fetched string becomes a field's type.
//!
//! The derive picks one converter per field from the field's type as written:
//! [`Scalar`] for `FromStr`, [`List`] for `Vec<T>`, [`Json`] for
//! `#[ssm(json)]`, wrapped in [`SecretOf`] for `Secret<_>`.

use std::fmt::Display;
use std::marker::PhantomData;
use std::str::FromStr;

use crate::Secret;

/// Turns a raw value into `Output`; the error says why not (it may quote the
/// value, so callers drop it for secrets).
pub trait Convert {
    /// What the value becomes.
    type Output;
    /// Converts one raw value.
    fn convert(&self, raw: &str) -> Result<Self::Output, String>;
}

/// Any `T: FromStr`, the value taken whole.
pub struct Scalar<T>(PhantomData<fn() -> T>);

/// `Vec<T>` from a StringList (or String) split on commas, items trimmed.
pub struct List<T>(PhantomData<fn() -> T>);

/// `T: Deserialize` from a JSON value.
pub struct Json<T>(PhantomData<fn() -> T>);

/// `Secret<T>` around another converter.
pub struct SecretOf<C: Convert> {
    inner: C,
    wipe: Option<fn(&mut C::Output)>,
}

#[allow(clippy::new_without_default)] // built by generated code, never defaulted
impl<T> Scalar<T> {
    /// The converter.
    pub const fn new() -> Self {
        Scalar(PhantomData)
    }
}

#[allow(clippy::new_without_default)] // built by generated code, never defaulted
impl<T> List<T> {
    /// The converter.
    pub const fn new() -> Self {
        List(PhantomData)
    }
}

#[allow(clippy::new_without_default)] // built by generated code, never defaulted
impl<T> Json<T> {
    /// The converter.
    pub const fn new() -> Self {
        Json(PhantomData)
    }
}

impl<C: Convert> SecretOf<C> {
    /// Wraps `inner`; `wipe` clears the value on drop (see [`WipeProbe`]).
    pub const fn new(inner: C, wipe: Option<fn(&mut C::Output)>) -> Self {
        SecretOf { inner, wipe }
    }
}

impl<T: FromStr> Convert for Scalar<T>
where
    T::Err: Display,
{
    type Output = T;
    fn convert(&self, raw: &str) -> Result<T, String> {
        raw.parse().map_err(|e: T::Err| e.to_string())
    }
}

impl<T: FromStr> Convert for List<T>
where
    T::Err: Display,
{
    type Output = Vec<T>;
    fn convert(&self, raw: &str) -> Result<Vec<T>, String> {
        if raw.trim().is_empty() {
            return Ok(Vec::new());
        }
        raw.split(',')
            .enumerate()
            .map(|(i, item)| {
                item.trim()
                    .parse()
                    .map_err(|e: T::Err| format!("item {}: {e}", i + 1))
            })
            .collect()
    }
}

impl<T: serde::de::DeserializeOwned> Convert for Json<T> {
    type Output = T;
    fn convert(&self, raw: &str) -> Result<T, String> {
        serde_json::from_str(raw).map_err(|e| e.to_string())
    }
}

impl<C: Convert> Convert for SecretOf<C> {
    type Output = Secret<C::Output>;
    fn convert(&self, raw: &str) -> Result<Self::Output, String> {
        self.inner
            .convert(raw)
            .map(|v| Secret::with_wipe(v, self.wipe))
    }
}

/// Finds, for a concrete `T`, how to wipe it: `(&&WipeProbe::<T>::new()).wipe()`
/// gives `Some` when `T: Zeroize` and `None` otherwise (autoref selection,
/// which works in generated code because the type is concrete there).
pub struct WipeProbe<T>(PhantomData<fn() -> T>);

#[allow(clippy::new_without_default)] // built by generated code, never defaulted
impl<T> WipeProbe<T> {
    /// The probe.
    pub const fn new() -> Self {
        WipeProbe(PhantomData)
    }
}

/// Chosen when `T: Zeroize`.
pub trait WipeWithZeroize<T> {
    /// `Some(zeroize)`.
    fn wipe(&self) -> Option<fn(&mut T)>;
}

impl<T: zeroize::Zeroize> WipeWithZeroize<T> for &WipeProbe<T> {
    fn wipe(&self) -> Option<fn(&mut T)> {
        Some(|v: &mut T| v.zeroize())
    }
}

/// Chosen otherwise.
pub trait WipeNothing<T> {
    /// `None`.
    fn wipe(&self) -> Option<fn(&mut T)>;
}

impl<T> WipeNothing<T> for WipeProbe<T> {
    fn wipe(&self) -> Option<fn(&mut T)> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_lists_and_json() {
        assert_eq!(Scalar::<u16>::new().convert("5432"), Ok(5432));
        assert!(Scalar::<u16>::new().convert("70000").is_err());
        assert_eq!(Scalar::<bool>::new().convert("true"), Ok(true));
        assert_eq!(List::<u8>::new().convert("1, 2,3"), Ok(vec![1, 2, 3]));
        assert_eq!(List::<u8>::new().convert(""), Ok(vec![]));
        assert_eq!(
            List::<u8>::new().convert("1,x").unwrap_err(),
            "item 2: invalid digit found in string"
        );
        assert_eq!(Json::<Vec<u8>>::new().convert("[1,2]"), Ok(vec![1, 2]));
        assert!(Json::<Vec<u8>>::new().convert("{").is_err());
    }

    #[test]
    // `&&` is the autoref selection under test, not a needless borrow.
    #[allow(clippy::needless_borrow)]
    fn probe_finds_zeroize_only_where_it_exists() {
        #[allow(unused_imports)]
        use super::{WipeNothing, WipeWithZeroize};
        struct Plain;
        assert!((&&WipeProbe::<String>::new()).wipe().is_some());
        assert!((&&WipeProbe::<Plain>::new()).wipe().is_none());
        let secret = SecretOf::new(
            Scalar::<String>::new(),
            (&&WipeProbe::<String>::new()).wipe(),
        );
        assert_eq!(secret.convert("pw").unwrap().expose_secret(), "pw");
    }
}
