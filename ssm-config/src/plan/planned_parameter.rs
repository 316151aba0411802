//! [`PlannedParameter`]: one entry of the binding plan, and its
//! [`PlannedKind`].

use std::fmt;

use ssm_config_rules::escaped;

/// One entry of a [`Plan`](super::Plan), from [`Loader::plan`](crate::Loader::plan).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedParameter {
    /// The field, dotted through nested structs.
    pub field: String,
    /// The full name or path; `{VAR}` stays where the variable is unset.
    pub name: String,
    /// A pinned version or label.
    pub selector: Option<String>,
    /// What is read.
    pub kind: PlannedKind,
    /// Whether a missing value is an error.
    pub required: bool,
    /// The environment variable that overrides it
    /// (`#[ssm(env = "...")]`, or from [`Loader::env_prefix`](crate::Loader::env_prefix)).
    pub env: Option<String>,
}

/// What a [`PlannedParameter`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlannedKind {
    /// A parameter, decrypted or not.
    Parameter {
        /// `WithDecryption`.
        decrypt: bool,
        /// The field keeps its value secret (a `Secret<_>`): the parameter
        /// is meant to be a SecureString, and bootstrap creates one.
        secure_string: bool,
    },
    /// A Secrets Manager secret, maybe one key of it.
    Secret {
        /// The JSON key.
        key: Option<String>,
    },
    /// Every parameter under a path.
    ByPath {
        /// Whether the walk descends.
        recursive: bool,
    },
}

impl fmt::Display for PlannedParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let selector = self
            .selector
            .as_ref()
            .map(|s| format!(":{s}"))
            .unwrap_or_default();
        let kind = self.kind.describe();
        let required = if self.required {
            "required"
        } else {
            "optional"
        };
        // The prefix may come from run time: hidden characters are shown
        // escaped, so a listing line is never split or hidden.
        write!(
            f,
            "{}: {}{} ({kind}, {required})",
            self.field,
            escaped(&self.name),
            escaped(&selector)
        )
    }
}

impl PlannedKind {
    pub(super) fn describe(&self) -> String {
        match self {
            PlannedKind::Parameter {
                decrypt,
                secure_string,
            } => {
                let kind = if *secure_string {
                    "SecureString"
                } else {
                    "parameter"
                };
                match decrypt {
                    true => kind.to_owned(),
                    false => format!("{kind} (no decryption)"),
                }
            }
            PlannedKind::Secret { key: None } => "secret".to_owned(),
            PlannedKind::Secret { key: Some(k) } => format!("secret, key `{k}`"),
            PlannedKind::ByPath { recursive: true } => "by path, recursive".to_owned(),
            PlannedKind::ByPath { recursive: false } => "by path".to_owned(),
        }
    }
}
