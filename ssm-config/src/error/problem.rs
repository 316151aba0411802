//! [`Problem`]: one reason a load failed.

use std::sync::Arc;

use ssm_config_rules::shown;

use super::ErrorKind;
use crate::origin::Origin;
use crate::source::SourceError;

/// One reason a load failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A required parameter does not exist.
    #[error(
        "field `{field}`: parameter `{name}` is missing (looked in {looked_in}{})",
        env.as_ref().map(|v| format!("; the variable `{v}` would override it")).unwrap_or_default()
    )]
    Missing {
        /// The field, dotted through nested structs (`cache.ttl`).
        field: String,
        /// The full parameter name, selector included.
        name: String,
        /// Where it was looked for: the source's description (a
        /// [`Layered`](crate::source::Layered) source's lists its layers in
        /// order, a file by its path).
        looked_in: String,
        /// The environment variable that would override it
        /// (`#[ssm(env)]`, or `Loader::env_prefix`'s), unset.
        env: Option<String>,
    },
    /// A value could not be converted to the field's type.
    #[error(
        "field `{field}`: the value from {origin} is not a valid `{expected}`{}{}",
        reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default(),
        value.as_ref().map(|v| format!(" (value {:?})", cut(v))).unwrap_or_default()
    )]
    Invalid {
        /// The field.
        field: String,
        /// The full parameter name (or the environment variable).
        name: String,
        /// Where the value came from.
        origin: Origin,
        /// The type the field expects.
        expected: String,
        /// Why the conversion failed; withheld for secrets.
        reason: Option<String>,
        /// The value; withheld for secrets.
        value: Option<String>,
    },
    /// The value is still the placeholder bootstrap wrote
    /// (`CHANGE_ME(field)`), or holds one: it was never filled in.
    #[error(
        "field `{field}`: {origin} still holds a bootstrap placeholder \
         (`CHANGE_ME(...)`); put the real value there"
    )]
    Placeholder {
        /// The field.
        field: String,
        /// The full parameter name (or the environment variable).
        name: String,
        /// Where the value came from.
        origin: Origin,
    },
    /// A SecureString would end up in a field that could print it.
    #[error(
        "field `{field}`: {origin} is a SecureString; declare the field as \
         `Secret<_>`, or add `#[ssm(plaintext)]` to accept it as plain text"
    )]
    SecureStringNotSecret {
        /// The field.
        field: String,
        /// The full parameter name.
        name: String,
        /// Where the value came from.
        origin: Origin,
    },
    /// A secret's value came from somewhere other than the store (an
    /// environment override, a default in code, a file or layer above it)
    /// while the loader refuses that:
    /// [`Loader::refuse_secret_overrides`](crate::Loader::refuse_secret_overrides).
    #[error(
        "field `{field}`: a secret may come only from the store, but its value came from {origin} \
         (the loader refuses overrides of secrets)"
    )]
    SecretOverridden {
        /// The field.
        field: String,
        /// Where the value came from: an environment variable, or a
        /// parameter or secret with the file or layer that served it.
        origin: Origin,
    },
    /// `#[ssm(key = "...")]` named a key the JSON secret does not have.
    #[error("field `{field}`: {origin} {reason} key `{key}`")]
    MissingKey {
        /// The field.
        field: String,
        /// The full parameter name.
        name: String,
        /// Where the secret came from.
        origin: Origin,
        /// The key asked for.
        key: String,
        /// "has no" or "is not a JSON object, so it has no".
        reason: &'static str,
    },
    /// A `{VAR}` in a prefix or path names an unset environment variable.
    #[error(
        "environment variable `{}` is not set (used in `{}`)",
        shown(variable),
        shown(template)
    )]
    UnsetVariable {
        /// The variable.
        variable: String,
        /// The template it appears in.
        template: String,
    },
    /// A `{VAR}` holds a value that cannot fill one segment of a name. The
    /// value itself is never quoted, at most the one character it may not
    /// hold.
    #[error(
        "environment variable `{0}` cannot fill `{{{0}}}` in `{1}`: {reason}",
        shown(variable),
        shown(template)
    )]
    InvalidVariable {
        /// The variable.
        variable: String,
        /// The template it appears in.
        template: String,
        /// Why: it is empty, or holds `/`, `{`, `}` or a character SSM refuses.
        reason: String,
    },
    /// A name that SSM would refuse.
    #[error(
        "field `{field}`: `{}` is not a valid parameter name: {reason}",
        shown(name)
    )]
    InvalidName {
        /// The field.
        field: String,
        /// The name, as far as it could be built.
        name: String,
        /// What rule it breaks.
        reason: String,
    },
    /// `Loader::env_prefix` holds a character no variable name may hold.
    #[error("`Loader::env_prefix(\"{}\")`: {reason}", shown(prefix))]
    InvalidEnvPrefix {
        /// The prefix.
        prefix: String,
        /// What is wrong.
        reason: String,
    },
    /// A malformed version or label selector.
    #[error("field `{field}`: `{}` has an invalid selector: {reason}", shown(name))]
    InvalidSelector {
        /// The field.
        field: String,
        /// The name with its selector.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// Code run for the user (a `FromStr` or `Deserialize` conversion, a
    /// `default = expr`, a validation function, a source) panicked. The
    /// panic's message is never shown, since it may quote a value.
    #[error(
        "{}code run for the load panicked while {during}{} (its message is \
         not shown: it may quote a value)",
        field.as_ref().map(|f| format!("field `{f}`: ")).unwrap_or_default(),
        name.as_ref().map(|n| format!(" `{n}`")).unwrap_or_default()
    )]
    Panicked {
        /// The field, when the panic is known to be about one.
        field: Option<String>,
        /// The parameter (or environment variable) whose value was being
        /// converted, when known.
        name: Option<String>,
        /// What was running: "converting", "making the default of", ...
        during: &'static str,
    },
    /// The struct's `#[ssm(validate = ...)]` function refused it.
    #[error(
        "{}validation failed: {message}",
        if at.is_empty() { String::new() } else { format!("field `{at}`: ") }
    )]
    Invalidated {
        /// The struct refused, dotted from the top (`cache`); empty for the
        /// top struct.
        at: String,
        /// What the validation function said (its error's `Display`).
        message: String,
    },
    /// The refresh was stopped before it finished.
    #[error("the refresh was aborted: {reason}")]
    Aborted {
        /// Why.
        reason: String,
    },
    /// A call to the source failed, so these names could not be read.
    #[error("{source_name}: {error} (while reading {})", list_names(names))]
    Source {
        /// Which source (for example `AWS SSM (eu-west-1)`).
        source_name: String,
        /// The names the failed call was for.
        names: Vec<String>,
        /// The failure.
        error: Arc<SourceError>,
    },
}

impl Problem {
    #[cfg(feature = "doctor")]
    /// The field this problem is about, when it is about one.
    pub(crate) fn field(&self) -> Option<&str> {
        match self {
            Problem::Missing { field, .. }
            | Problem::Invalid { field, .. }
            | Problem::SecureStringNotSecret { field, .. }
            | Problem::SecretOverridden { field, .. }
            | Problem::MissingKey { field, .. }
            | Problem::Placeholder { field, .. }
            | Problem::InvalidName { field, .. }
            | Problem::InvalidSelector { field, .. } => Some(field),
            Problem::Panicked { field, .. } => field.as_deref(),
            Problem::Invalidated { at, .. } => (!at.is_empty()).then_some(at.as_str()),
            Problem::UnsetVariable { .. }
            | Problem::InvalidVariable { .. }
            | Problem::InvalidEnvPrefix { .. }
            | Problem::Aborted { .. }
            | Problem::Source { .. } => None,
        }
    }
}

/// A value for a message: a long one keeps its head and tail, so one
/// value cannot make a message of any size.
fn cut(value: &str) -> std::borrow::Cow<'_, str> {
    const KEEP: usize = 40;
    let count = value.chars().count();
    if count <= 2 * KEEP + 20 {
        return value.into();
    }
    let head: String = value.chars().take(KEEP).collect();
    let tail: String = value.chars().skip(count - KEEP).collect();
    format!("{head}...{tail} ({count} characters)").into()
}

fn list_names(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut out = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}

impl Problem {
    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Problem::Missing { .. } | Problem::MissingKey { .. } | Problem::Placeholder { .. } => {
                ErrorKind::Missing
            }
            Problem::Invalid { .. }
            | Problem::SecureStringNotSecret { .. }
            | Problem::SecretOverridden { .. } => ErrorKind::Invalid,
            Problem::UnsetVariable { .. }
            | Problem::InvalidVariable { .. }
            | Problem::InvalidName { .. }
            | Problem::InvalidEnvPrefix { .. }
            | Problem::InvalidSelector { .. } => ErrorKind::Name,
            Problem::Aborted { .. } => ErrorKind::Aborted,
            Problem::Panicked { .. } => ErrorKind::Panicked,
            Problem::Invalidated { .. } => ErrorKind::Invalidated,
            Problem::Source { error, .. } => ErrorKind::Source(error.kind()),
        }
    }
}
