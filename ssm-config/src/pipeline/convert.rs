//! Value conversion: a fetched string becomes a field's type.
//!
//! The derive picks one converter per field from the field's type as written:
//! [`Scalar`] for `FromStr`, [`DurationText`] and [`BoolText`] for the
//! spellings `FromStr` would refuse, [`List`] around one of those for
//! `Vec<T>`, [`Json`] for `#[ssm(json)]`, wrapped in [`SecretOf`] for
//! `Secret<_>`.

use std::fmt::Display;
use std::marker::PhantomData;
use std::str::FromStr;

use ssm_config_rules::DurationUnit;

use crate::Secret;

mod holds_secret;
mod text_probe;

pub use text_probe::{
    Alone, CannotBeRead, InList, InMap, InOption, InSecret, NeedsNested, NoListOfStructs,
    NoMapOfStructs, NoOptionalStruct, NoSecretStruct, ReadByFromStr, ReadNested, ReadNestedInList,
    ReadNestedInMap, ReadNestedInOption, ReadNestedInSecret, ReadUnreadable, TextProbe,
};

/// Turns a raw value into `Output`; the error says why not.
pub trait Convert {
    /// What the value becomes.
    type Output;
    /// Converts one raw value.
    fn convert(&self, raw: &str) -> Result<Self::Output, Rejection>;

    /// Whether what this makes may hold a `Secret` though the field is not
    /// one (JSON whose type has a `Secret` inside): such a value standing
    /// in for the store's is a secret's stand-in.
    fn may_hold_secret(&self) -> bool {
        false
    }
}

/// Why a value did not convert. The reason may quote the value; what an
/// error may show of it is `Rejection::redacted`'s to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Why, possibly quoting the value; position only when
    /// `may_hold_secret`.
    pub reason: String,
    /// The value may hold a secret even though the field is not one: JSON
    /// whose type has a `Secret` inside. The reason then says where the
    /// value broke, never what it said.
    pub may_hold_secret: bool,
}

impl Rejection {
    /// The one redaction rule: the reason and the value an error may show
    /// for this rejection of `raw`. A `sensitive` value (a `Secret<_>`
    /// field, a SecureString, a secret) shows neither; a value that may
    /// hold a secret shows its position-only reason but not itself; any
    /// other shows both.
    pub(crate) fn redacted(self, raw: &str, sensitive: bool) -> (Option<String>, Option<String>) {
        match (sensitive, self.may_hold_secret) {
            (true, _) => (None, None),
            (false, true) => (Some(self.reason), None),
            (false, false) => (Some(self.reason), Some(raw.to_owned())),
        }
    }
}

impl From<String> for Rejection {
    fn from(reason: String) -> Self {
        Rejection {
            reason,
            may_hold_secret: false,
        }
    }
}

/// Any `T: FromStr`, the value taken whole.
pub struct Scalar<T>(PhantomData<fn() -> T>);

/// A `Vec` from a StringList (or String) split on commas, each item
/// trimmed and read by the item's converter.
pub struct List<C>(C);

/// A `Duration` from `250ms`, `30s`, `5m`, `1h30m` or a bare number in the
/// field's unit, seconds unless `#[ssm(unit)]` says otherwise
/// (`ssm_config_rules::parse_duration_in`).
pub struct DurationText(DurationUnit);

/// A `bool` from `true`/`false`, `yes`/`no`, `on`/`off` or `1`/`0`, in any
/// case (`ssm_config_rules::parse_bool`).
pub struct BoolText;

/// `T: Deserialize` from a JSON value.
pub struct Json<T>(PhantomData<fn() -> T>);

/// `Secret<T>` around another converter.
pub struct SecretOf<C: Convert> {
    inner: C,
    wipe: Option<fn(&mut C::Output)>,
}

/// A type a field's text converts to: `FromStr`, with an error that can
/// be shown.
pub trait FromText: FromStr<Err: Display> {}

impl<T: FromStr> FromText for T where T::Err: Display {}

#[allow(clippy::new_without_default)] // built by generated code, never defaulted
impl<T> Scalar<T> {
    /// The converter.
    pub const fn new() -> Self {
        Scalar(PhantomData)
    }
}

/// The converter of a field whose type the generated code refuses at the
/// field (a bound that nothing meets): it gives the field's type, so that
/// refusal is the only error there. Never built where the code compiles.
pub struct Refused<F>(PhantomData<fn() -> F>);

impl<F> Refused<F> {
    pub(crate) const fn new() -> Self {
        Refused(PhantomData)
    }
}

impl<F> Convert for Refused<F> {
    type Output = F;
    fn convert(&self, _: &str) -> Result<F, Rejection> {
        Err("the field's type was refused when it compiled"
            .to_owned()
            .into())
    }
}

impl<C> List<C> {
    /// The list of what `item` reads.
    pub const fn of(item: C) -> Self {
        List(item)
    }
}

/// The converter of a `Duration` field whose bare numbers are in `unit`.
pub const fn duration(unit: DurationUnit) -> DurationText {
    DurationText(unit)
}

/// The converter of a `bool` field.
pub const fn boolean() -> BoolText {
    BoolText
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

impl<T: FromText> Convert for Scalar<T> {
    type Output = T;
    fn convert(&self, raw: &str) -> Result<T, Rejection> {
        raw.parse().map_err(|e: T::Err| e.to_string().into())
    }
}

impl<C: Convert> Convert for List<C> {
    type Output = Vec<C::Output>;
    fn may_hold_secret(&self) -> bool {
        self.0.may_hold_secret()
    }
    fn convert(&self, raw: &str) -> Result<Vec<C::Output>, Rejection> {
        if raw.trim().is_empty() {
            return Ok(Vec::new());
        }
        raw.split(',')
            .enumerate()
            .map(|(i, item)| {
                self.0.convert(item.trim()).map_err(|rejection| Rejection {
                    reason: format!("item {}: {}", i + 1, rejection.reason),
                    ..rejection
                })
            })
            .collect()
    }
}

impl Convert for DurationText {
    type Output = std::time::Duration;
    fn convert(&self, raw: &str) -> Result<std::time::Duration, Rejection> {
        ssm_config_rules::parse_duration_in(raw, self.0).map_err(Rejection::from)
    }
}

impl Convert for BoolText {
    type Output = bool;
    fn convert(&self, raw: &str) -> Result<bool, Rejection> {
        ssm_config_rules::parse_bool(raw).map_err(Rejection::from)
    }
}

impl<T: serde::de::DeserializeOwned> Convert for Json<T> {
    type Output = T;
    fn convert(&self, raw: &str) -> Result<T, Rejection> {
        let (parsed, met_secret) = crate::secret::watch_deserializing(|| serde_json::from_str(raw));
        parsed.map_err(|e| {
            // serde's message may quote the text, and the text may be the
            // secret even when serde broke off before reaching it: for a
            // type that holds one anywhere, say where the JSON broke, not
            // what it said.
            match met_secret || holds_secret::may_hold_secret::<T>() {
                true => Rejection {
                    reason: located(&e),
                    may_hold_secret: true,
                },
                false => e.to_string().into(),
            }
        })
    }

    fn may_hold_secret(&self) -> bool {
        holds_secret::may_hold_secret::<T>()
    }
}

/// Where and how JSON failed, without any of its text.
fn located(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax => "is not valid JSON",
        Category::Eof => "ends too early",
        Category::Data => "does not fit the type",
        Category::Io => "could not be read",
    };
    format!(
        "the value {what} at line {} column {} (details withheld: the type holds a `Secret`)",
        e.line(),
        e.column()
    )
}

impl<C: Convert> Convert for SecretOf<C> {
    type Output = Secret<C::Output>;
    fn convert(&self, raw: &str) -> Result<Self::Output, Rejection> {
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
        assert_eq!(
            List::of(Scalar::<u8>::new()).convert("1, 2,3"),
            Ok(vec![1, 2, 3])
        );
        assert_eq!(List::of(Scalar::<u8>::new()).convert(""), Ok(vec![]));
        assert_eq!(
            List::of(Scalar::<u8>::new())
                .convert("1,x")
                .unwrap_err()
                .reason,
            "item 2: invalid digit found in string"
        );
        assert_eq!(Json::<Vec<u8>>::new().convert("[1,2]"), Ok(vec![1, 2]));
        assert!(Json::<Vec<u8>>::new().convert("{").is_err());
    }

    #[test]
    fn redaction_shows_what_each_kind_of_value_may_show() {
        let rejection = |may_hold_secret| Rejection {
            reason: "invalid digit in `hunter2`".into(),
            may_hold_secret,
        };
        let quoted = Some("invalid digit in `hunter2`".to_owned());
        let value = Some("hunter2".to_owned());
        // (sensitive, may hold a secret) => (reason, value)
        let table = [
            ((false, false), (quoted.clone(), value)),
            ((false, true), (quoted, None)),
            ((true, false), (None, None)),
            ((true, true), (None, None)),
        ];
        for ((sensitive, may_hold), shown) in table {
            assert_eq!(
                rejection(may_hold).redacted("hunter2", sensitive),
                shown,
                "sensitive {sensitive}, may hold a secret {may_hold}"
            );
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Creds {
        user: String,
        password: Secret<u16>,
    }

    /// Every way serde fails on a value with a secret inside, the secret
    /// reached or not: the reason says where, never what.
    #[test]
    fn json_with_a_secret_inside_fails_by_position_only() {
        let cases = [
            (
                r#"{"user":"u","password":"hunter2"}"#,
                "the value does not fit the type at line 1 column 32",
            ),
            (
                r#"{"user":7,"password":"hunter2"}"#,
                "the value does not fit the type at line 1 column 9",
            ),
            (
                r#"{"user":"u" "password":"hunter2"}"#,
                "the value is not valid JSON at line 1 column 13",
            ),
            (
                r#""hunter2""#,
                "the value does not fit the type at line 1 column 9",
            ),
            (
                r#"{"user":"u","password":"hunt"#,
                "the value ends too early at line 1 column 28",
            ),
        ];
        for (raw, reason) in cases {
            let rejection = Json::<Creds>::new().convert(raw).unwrap_err();
            assert!(rejection.may_hold_secret, "{raw}");
            assert_eq!(
                rejection.reason,
                format!("{reason} (details withheld: the type holds a `Secret`)"),
                "{raw}"
            );
        }
    }

    /// The `Secret` is found however deep it sits, before serde reaches it.
    #[test]
    fn a_secret_deep_inside_is_found_before_serde_reaches_it() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Db {
            port: u16,
            replicas: Vec<std::collections::HashMap<String, Option<Box<Creds>>>>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        enum Auth {
            Anonymous,
            Token(u8),
            Password {
                user: String,
                password: Secret<String>,
            },
        }
        let early = r#"{"port":"hunter2"}"#;
        let db = Json::<Db>::new().convert(early).unwrap_err();
        assert!(
            db.may_hold_secret && !db.reason.contains("hunter2"),
            "{db:?}"
        );
        let auth = Json::<Vec<Auth>>::new()
            .convert(r#"["hunter2"]"#)
            .unwrap_err();
        assert!(
            auth.may_hold_secret && !auth.reason.contains("hunter2"),
            "{auth:?}"
        );
        let map = Json::<std::collections::BTreeMap<String, Secret<String>>>::new()
            .convert(r#"{"a" "hunter2"}"#)
            .unwrap_err();
        assert!(map.may_hold_secret, "{map:?}");
    }

    /// A generic enum used with and without a `Secret` inside one type:
    /// serde's message would quote the secret as an unknown variant.
    #[test]
    fn a_secret_in_a_reused_generic_enum_is_found() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        enum Source<T> {
            Inline(T),
            File(String),
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        enum Tls {
            Off,
            On(Source<String>),
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        enum Auth {
            None,
            Token(String),
            Basic(Source<Secret<String>>),
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Db {
            tls: Tls,
            auth: Auth,
        }
        let rejection = Json::<Db>::new()
            .convert(r#"{"tls":"Off","auth":{"Basic":"hunter2-CANARY"}}"#)
            .unwrap_err();
        assert!(rejection.may_hold_secret, "{rejection:?}");
        assert_eq!(
            rejection.reason,
            "the value does not fit the type at line 1 column 45 \
             (details withheld: the type holds a `Secret`)"
        );
    }

    /// Without a `Secret` anywhere, serde's message (and the value) stay.
    #[test]
    fn json_without_a_secret_keeps_serde_message() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Limits {
            max_items: u32,
            burst: Option<Vec<u8>>,
        }
        let rejection = Json::<Limits>::new()
            .convert(r#"{"max_items":"ten"}"#)
            .unwrap_err();
        assert!(!rejection.may_hold_secret);
        assert!(
            rejection.reason.contains(r#"invalid type: string "ten""#),
            "{}",
            rejection.reason
        );
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
