//! [`Secret<T>`]: a value that never shows itself by accident.

use std::fmt;

/// A secret value: a SecureString or a Secrets Manager secret.
///
/// `Debug` prints a redaction, and there is no `Display` and no `Serialize`, so
/// a secret cannot reach a log line or a response by accident. Read it with
/// [`expose_secret`](Secret::expose_secret), at the place where it is used.
///
/// # What is wiped from memory, and what is not
///
/// Wiped (overwritten with zeros before the memory is freed):
/// - a `Secret<T>` field loaded by `#[derive(SsmConfig)]`, when `T`
///   implements [`zeroize::Zeroize`] (`String`, `Vec<u8>`, numbers...), and
///   each clone of it; a [`Secret::new_zeroizing`];
/// - the raw text of every fetched value, once the struct is built or the
///   load fails, and the values the untyped cache drops. A
///   [`Live`](crate::Live) snapshot keeps the raw text it was built from
///   (a change event's targeted refresh rebuilds the struct from it) and
///   wipes it when the snapshot is dropped;
/// - for `#[ssm(secret = "...", key = "...")]`, the whole parsed JSON
///   secret (every key and string; numbers cannot be reached) once the key
///   is picked, and the picked text.
///
/// Not wiped:
/// - `Secret<T>` where `T` does not implement `Zeroize`, a [`Secret::new`],
///   and the `Secret`s the untyped API returns (their `T` is generic there);
/// - a `Secret` inside a `#[ssm(json)]` value, and serde's own buffers;
/// - what the AWS SDK and its HTTP stack hold (the response body, the
///   SDK's copies of each value), and what a [`MemorySource`](crate::MemorySource)
///   stores;
/// - copies your code makes from [`expose_secret`](Secret::expose_secret).
///
/// ```
/// use ssm_config::Secret;
///
/// let password = Secret::new(String::from("hunter2"));
/// assert_eq!(format!("{password:?}"), "Secret([REDACTED])");
/// assert_eq!(password.expose_secret(), "hunter2");
/// ```
///
/// A secret cannot be formatted with `{}`:
///
/// ```compile_fail,E0277
/// let password = ssm_config::Secret::new(String::from("hunter2"));
/// println!("{password}");
/// ```
///
/// while the value it holds can, once exposed on purpose:
///
/// ```
/// let password = ssm_config::Secret::new(String::from("hunter2"));
/// println!("{}", password.expose_secret().len());
/// ```
///
/// A struct holding a secret cannot be serialized, so it cannot end up in a
/// response or a cache dump:
///
/// ```compile_fail,E0277
/// #[derive(serde::Serialize)]
/// struct Login {
///     user: String,
///     password: ssm_config::Secret<String>,
/// }
/// ```
///
/// The same struct serializes once the secret is left out:
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Login {
///     user: String,
///     #[serde(skip)]
///     password: ssm_config::Secret<String>,
/// }
/// # let _ = serde_json::to_string(&Login { user: "a".into(), password: ssm_config::Secret::new("b".into()) });
/// ```
pub struct Secret<T> {
    value: T,
    wipe: Option<fn(&mut T)>,
}

impl<T> Secret<T> {
    /// Wraps a value. It is not wiped on drop: see [`Secret::new_zeroizing`].
    pub fn new(value: T) -> Self {
        Secret { value, wipe: None }
    }

    /// Wraps a value that is wiped from memory when the secret is dropped.
    pub fn new_zeroizing(value: T) -> Self
    where
        T: zeroize::Zeroize,
    {
        Secret {
            value,
            wipe: Some(|v: &mut T| v.zeroize()),
        }
    }

    pub(crate) fn with_wipe(value: T, wipe: Option<fn(&mut T)>) -> Self {
        Secret { value, wipe }
    }

    /// The secret value. Call it where the value is used, not earlier.
    pub fn expose_secret(&self) -> &T {
        &self.value
    }

    /// Moves the value out, leaving the default behind.
    #[cfg(feature = "secrecy")]
    pub(crate) fn take(&mut self) -> T
    where
        T: Default,
    {
        std::mem::take(&mut self.value)
    }
}

impl<T> Drop for Secret<T> {
    fn drop(&mut self) {
        if let Some(wipe) = self.wipe {
            wipe(&mut self.value);
        }
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

/// Compares the values, so a secret can be part of a key
/// ([`Live::map_keyed`](crate::Live::map_keyed)). Not in constant time.
impl<T: PartialEq> PartialEq for Secret<T> {
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl<T: Eq> Eq for Secret<T> {}

impl<T: Clone> Clone for Secret<T> {
    fn clone(&self) -> Self {
        Secret {
            value: self.value.clone(),
            wipe: self.wipe,
        }
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret::new(value)
    }
}

/// Lets a `Secret<T>` sit inside a JSON value deserialized with `#[ssm(json)]`.
///
/// A JSON value whose type holds a `Secret` anywhere reports a failure by
/// position only, whether or not serde reached the secret, since serde's
/// messages quote the offending text.
///
/// Only this `Secret` is recognised. A `secrecy::SecretString` or
/// `secrecy::SecretBox<T>` inside a `json` type (secrecy's `serde` feature)
/// deserializes as the plain value it holds and tells nothing, so a type
/// with no `Secret` besides fails as plain JSON does: serde's message, and
/// the value, may be shown. Inside `json` types use `Secret<T>`, and move
/// it into secrecy's types after the load if need be (`From<Secret<T>>`,
/// `secrecy` feature).
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Secret<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        MET_SECRET.with(|met| met.set(true));
        T::deserialize(deserializer).map(Secret::new)
    }
}

thread_local! {
    /// Set when a `Secret` starts deserializing on this thread.
    static MET_SECRET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, telling whether it started deserializing a `Secret`.
pub(crate) fn watch_deserializing<R>(f: impl FnOnce() -> R) -> (R, bool) {
    let outer = MET_SECRET.with(|met| met.replace(false));
    let result = f();
    let met = MET_SECRET.with(|cell| cell.replace(outer || cell.get()));
    (result, met)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new_zeroizing(String::from("canary-7731"));
        let nested = Some(vec![s.clone()]);
        assert!(!format!("{s:?}{nested:?}{s:#?}").contains("canary"));
    }

    #[test]
    fn deserializes_inside_json() {
        #[derive(serde::Deserialize)]
        struct Db {
            password: Secret<String>,
        }
        let db: Db = serde_json::from_str(r#"{"password":"pw"}"#).unwrap();
        assert_eq!(db.password.expose_secret(), "pw");
    }
}
