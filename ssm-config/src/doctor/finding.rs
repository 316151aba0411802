//! [`Finding`]: what the doctor found for one binding.

use serde::Serialize;

/// What a check found for one binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Finding {
    /// The value is there and converts.
    Present,
    /// An environment variable overrides it, and converts.
    Overridden,
    /// Missing, and `#[ssm(default)]` covers it.
    Defaulted,
    /// Missing, and the field is an `Option`.
    AbsentOptional,
    /// Missing, and required.
    Missing,
    /// The parameter's type is not the one bound: a SecureString in a field
    /// that is not `Secret<_>` (an error), or a String where a StringList is
    /// bound and the reverse (warnings: they load).
    WrongType,
    /// Readable but not decryptable: KMS denied `kms:Decrypt`.
    NotDecryptable,
    /// SSM (or Secrets Manager) denied reading it.
    AccessDenied,
    /// The parameter exists, but not the pinned version or label.
    PinnedAbsent,
    /// The value does not convert to the field's type, or a JSON secret
    /// lacks the key.
    DoesNotConvert,
    /// The value is still the placeholder bootstrap wrote
    /// (`CHANGE_ME(...)`): it was created and never filled in.
    Placeholder,
    /// A `Secret<_>` field reads a parameter stored unencrypted (a String
    /// or StringList): it loads, but the value sits in clear text in SSM
    /// (a warning).
    Unencrypted,
    /// An entry of a local file, or an override variable under the
    /// `env_prefix`, that no field reads: most likely a typo (a warning,
    /// with the near miss a field does read; the row's field is `-`).
    Unused,
    /// A secret (a `Secret<_>` or `plaintext` field, a SecureString, a
    /// Secrets Manager secret, a `json` type that holds a `Secret`) whose
    /// value comes from an environment override or a layer above the
    /// store: a warning, and an error when the loader
    /// [refuses](crate::Loader::refuse_secret_overrides) it.
    NotFromStore,
    /// A `Duration` field without `#[ssm(unit)]` reads a bare number
    /// (`10000`) as seconds: it loads, but a number meant in milliseconds
    /// would be a thousand times too long (a warning).
    UnitlessDuration,
    /// The source failed otherwise (throttled, unreachable, a bad file).
    Unreadable,
    /// The name could not be made: an unset or invalid `{VAR}`, a name SSM
    /// would refuse.
    InvalidName,
    /// Every field is there and converts, but the struct's
    /// `#[ssm(validate = ...)]` function refuses the whole (the row of the
    /// struct, named `#[ssm(validate)]`).
    FailsValidation,
}

impl Finding {
    /// The words `Display` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Finding::Present => "present",
            Finding::Overridden => "overridden",
            Finding::Defaulted => "defaulted",
            Finding::AbsentOptional => "absent (optional)",
            Finding::Missing => "missing",
            Finding::WrongType => "wrong type",
            Finding::NotDecryptable => "not decryptable",
            Finding::AccessDenied => "access denied",
            Finding::PinnedAbsent => "pinned absent",
            Finding::DoesNotConvert => "does not convert",
            Finding::Placeholder => "placeholder",
            Finding::Unencrypted => "unencrypted",
            Finding::Unused => "unused",
            Finding::NotFromStore => "not from the store",
            Finding::UnitlessDuration => "unitless duration",
            Finding::Unreadable => "unreadable",
            Finding::InvalidName => "invalid name",
            Finding::FailsValidation => "fails validation",
        }
    }
}
