//! The binding plan: what `AppConfig::parameters()` lists (every field with
//! its full name, selector and kind) and the [`Selector`] of a pinned
//! version. The static description the derive emits lives here too, hidden:
//! it is outside semver.

use std::fmt;

pub use crate::name::Selector;
use crate::source::ParameterType;

#[doc(hidden)]
/// A config struct: its container attributes and fields.
#[derive(Debug)]
pub struct StructPlan {
    /// The struct's name.
    pub type_name: &'static str,
    /// `#[ssm(prefix = "...")]`, unexpanded.
    pub prefix: Option<&'static str>,
    /// `#[ssm(max_age = SECONDS)]`.
    pub max_age_secs: Option<u64>,
    /// `#[ssm(decrypt = false)]` makes this `false`.
    pub decrypt: bool,
    /// The fields, in declaration order.
    pub fields: &'static [FieldPlan],
}

#[doc(hidden)]
/// One field and where its value comes from.
#[derive(Debug)]
pub struct FieldPlan {
    /// The field's name in Rust.
    pub field: &'static str,
    /// Where its value comes from.
    pub binding: Binding,
}

#[doc(hidden)]
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
        value: ValuePlan,
    },
    /// A Secrets Manager secret, through SSM's reference path.
    Secret {
        /// The secret's name.
        name: &'static str,
        /// One key of a JSON secret.
        key: Option<&'static str>,
        /// How the value is used.
        value: ValuePlan,
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
        value: ValuePlan,
    },
    /// Another config struct under an extra segment (`None` for `flatten`).
    Nested {
        /// The extra path segment.
        segment: Option<&'static str>,
        /// The nested struct's plan.
        plan: &'static StructPlan,
    },
    /// `#[ssm(skip)]`.
    Skip,
}

#[doc(hidden)]
/// How a fetched value becomes the field.
#[derive(Debug, Clone, Copy)]
pub struct ValuePlan {
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
    /// boolean: what a bootstrap file writes.
    pub default_text: Option<&'static str>,
}

#[doc(hidden)]
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

/// One entry of [`SsmConfig::parameters`](crate::SsmConfig::parameters).
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
        write!(
            f,
            "{}: {}{} ({kind}, {required})",
            self.field, self.name, selector
        )
    }
}

/// The binding plan of a config struct, from
/// [`SsmConfig::parameters`](crate::SsmConfig::parameters) or
/// [`Loader::parameters`](crate::Loader::parameters): a list of
/// [`PlannedParameter`]s that prints as a table. Where a value may come
/// from, first to last: the `ENV` variable (a column shown when some field
/// has one), the parameter, and the default (`REQUIRED` is `no`).
///
/// ```text
/// FIELD        PARAMETER                  SELECTOR  KIND                REQUIRED
/// db_host      /prod/orders/db_host                 parameter           yes
/// stripe_key   prod/stripe                          secret, key api_key yes
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    parameters: Vec<PlannedParameter>,
}

impl Plan {
    pub(crate) fn new(parameters: Vec<PlannedParameter>) -> Self {
        Plan { parameters }
    }
}

impl std::ops::Deref for Plan {
    type Target = [PlannedParameter];

    fn deref(&self) -> &[PlannedParameter] {
        &self.parameters
    }
}

impl IntoIterator for Plan {
    type Item = PlannedParameter;
    type IntoIter = std::vec::IntoIter<PlannedParameter>;

    fn into_iter(self) -> Self::IntoIter {
        self.parameters.into_iter()
    }
}

impl<'a> IntoIterator for &'a Plan {
    type Item = &'a PlannedParameter;
    type IntoIter = std::slice::Iter<'a, PlannedParameter>;

    fn into_iter(self) -> Self::IntoIter {
        self.parameters.iter()
    }
}

impl PlannedKind {
    fn describe(&self) -> String {
        match self {
            PlannedKind::Parameter { decrypt: true } => "parameter".to_owned(),
            PlannedKind::Parameter { decrypt: false } => "parameter (no decryption)".to_owned(),
            PlannedKind::Secret { key: None } => "secret".to_owned(),
            PlannedKind::Secret { key: Some(k) } => format!("secret, key `{k}`"),
            PlannedKind::ByPath { recursive: true } => "by path, recursive".to_owned(),
            PlannedKind::ByPath { recursive: false } => "by path".to_owned(),
        }
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header =
            ["FIELD", "PARAMETER", "SELECTOR", "KIND", "REQUIRED", "ENV"].map(str::to_owned);
        let rows: Vec<[String; 6]> = self
            .parameters
            .iter()
            .map(|p| {
                [
                    p.field.clone(),
                    p.name.clone(),
                    p.selector.clone().unwrap_or_default(),
                    p.kind.describe(),
                    if p.required { "yes" } else { "no" }.to_owned(),
                    p.env.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let with_env = self.parameters.iter().any(|p| p.env.is_some());
        let columns = if with_env { 6 } else { 5 };
        let (header, rows): (Vec<String>, Vec<Vec<String>>) = (
            header[..columns].to_vec(),
            rows.iter().map(|row| row[..columns].to_vec()).collect(),
        );
        let mut widths: Vec<usize> = header.iter().map(String::len).collect();
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        for row in std::iter::once(&header).chain(&rows) {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, &width)| format!("{cell:width$}"))
                .collect();
            writeln!(f, "{}", line.join("  ").trim_end())?;
        }
        Ok(())
    }
}
