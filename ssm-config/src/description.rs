//! The description of a config struct that `#[derive(SsmConfig)]` emits as a
//! `const`: its attributes and, field by field, what the field reads and how
//! its value is made. Everything the runtime does with a struct starts from
//! it. Hidden, and outside semver: the derive and this crate change it
//! together.

use ssm_config_rules::DurationUnit;

use crate::source::ParameterType;

/// A config struct: its container attributes and fields.
#[derive(Debug)]
pub struct StructDescription {
    /// The struct's name.
    pub type_name: &'static str,
    /// `#[ssm(prefix = "...")]`, unexpanded.
    pub prefix: Option<&'static str>,
    /// `#[ssm(max_age = SECONDS)]`.
    pub max_age_secs: Option<u64>,
    /// `#[ssm(decrypt = false)]` makes this `false`.
    pub decrypt: bool,
    /// The fields, in declaration order.
    pub fields: &'static [FieldDescription],
}

/// One field and where its value comes from.
#[derive(Debug)]
pub struct FieldDescription {
    /// The field's name in Rust.
    pub field: &'static str,
    /// Where its value comes from.
    pub binding: Binding,
}

/// Where a field's value comes from.
#[derive(Debug)]
pub enum Binding {
    /// One parameter.
    Parameter {
        /// Relative or absolute path, `{VAR}` allowed.
        path: &'static str,
        /// The text after `:`, when a version or label is pinned.
        selector: Option<&'static str>,
        /// How the value is used.
        value: ValueDescription,
    },
    /// A Secrets Manager secret, through SSM's reference path.
    Secret {
        /// The secret's name.
        name: &'static str,
        /// One key of a JSON secret.
        key: Option<&'static str>,
        /// How the value is used.
        value: ValueDescription,
    },
    /// Every parameter under a path.
    ByPath {
        /// Relative or absolute path.
        path: &'static str,
        /// Whether to descend below direct children.
        recursive: bool,
        /// `type = "..."` filter.
        kind: Option<ParameterType>,
        /// `key_id = "..."` filter.
        key_id: Option<&'static str>,
        /// `label = "..."` filter.
        label: Option<&'static str>,
        /// How each value is used.
        value: ValueDescription,
    },
    /// Another config struct under an extra segment (`None` for `flatten`).
    Nested {
        /// The extra path segment.
        segment: Option<&'static str>,
        /// The nested struct's plan.
        plan: &'static StructDescription,
    },
    /// `#[ssm(skip)]`.
    Skip,
}

/// How a fetched value becomes the field.
#[derive(Debug, Clone, Copy)]
pub struct ValueDescription {
    /// The field's type as written, for messages.
    pub expected: &'static str,
    /// Whether the field is `Secret<_>` (so values are never quoted).
    pub secret: bool,
    /// Whether the field is a list (`Vec<_>`), read from a StringList.
    pub list: bool,
    /// `#[ssm(plaintext)]`: a SecureString may go to a non-`Secret` field.
    pub plaintext: bool,
    /// What happens when the parameter is missing.
    pub presence: Presence,
    /// `#[ssm(env = "...")]`: a variable that overrides the parameter.
    pub env: Option<&'static str>,
    /// The default as text, when it is a string or a literal number or
    /// boolean and the field is not `json`: what the doctor and
    /// `Loader::warn_of_defaults` show of it (never for a secret).
    pub default_text: Option<&'static str>,
    /// For a `Duration` field (or a list of them): the unit of a bare
    /// number, and whether `#[ssm(unit)]` said it.
    pub duration: Option<BareDuration>,
}

/// The unit a `Duration` field reads a bare number in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BareDuration {
    /// Seconds unless `#[ssm(unit)]` says otherwise.
    pub unit: DurationUnit,
    /// Whether `#[ssm(unit)]` said it: where it did not, the doctor warns
    /// of a bare number read as seconds.
    pub declared: bool,
}

/// What happens when a parameter is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// A load error.
    Required,
    /// `Option<T>`: `None`.
    Optional,
    /// `#[ssm(default)]`: the default value.
    Default,
}
