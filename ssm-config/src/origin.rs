//! [`Origin`]: where a bound value came from, for metadata and messages.

use std::fmt;

/// Where one field's value came from, shown in
/// [`Metadata::origin`](crate::live::Metadata::origin) and in every problem
/// about a value. It names places, never values, so a secret's origin may
/// be printed.
///
/// ```
/// use ssm_config::origin::Origin;
///
/// let origin = Origin::Parameter {
///     name: "/prod/orders/db/port".into(),
///     selector: None,
///     version: 7,
///     location: None,
/// };
/// assert_eq!(origin.to_string(), "/prod/orders/db/port version 7");
/// let labelled = Origin::Parameter {
///     name: "/prod/orders/db/port".into(),
///     selector: Some("blue".into()),
///     version: 3,
///     location: None,
/// };
/// assert_eq!(labelled.to_string(), "/prod/orders/db/port:blue (version 3)");
/// // A file has no versions: 0, not shown.
/// let from_file = Origin::Parameter {
///     name: "/prod/orders/db/port".into(),
///     selector: Some("blue".into()),
///     version: 0,
///     location: Some("local.toml".into()),
/// };
/// assert_eq!(from_file.to_string(), "/prod/orders/db/port:blue in local.toml");
/// assert_eq!(
///     Origin::Env { variable: "ORDERS_DB__PORT".into() }.to_string(),
///     "env ORDERS_DB__PORT"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Origin {
    /// A parameter: its full name, the selector it was asked with, the
    /// version read, and where the source found it beyond its name (a file,
    /// a layer), when that is not the source's main store.
    Parameter {
        /// The full name or ARN.
        name: String,
        /// A pinned version or label.
        selector: Option<String>,
        /// The version read; 0 from a source without versions (a file),
        /// and then not shown.
        version: i64,
        /// A file or layer, as the source names it ([`Parameter::location`](crate::source::Parameter::location)).
        location: Option<String>,
    },
    /// A Secrets Manager secret, or one key of it.
    Secret {
        /// The secret's name.
        name: String,
        /// The key of a JSON secret.
        key: Option<String>,
        /// A file or layer, as for parameters.
        location: Option<String>,
    },
    /// An environment variable that overrides the parameter.
    Env {
        /// The variable.
        variable: String,
    },
    /// `#[ssm(default)]`: the parameter is missing.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = |f: &mut fmt::Formatter<'_>, location: &Option<String>| match location {
            Some(location) => write!(f, " in {location}"),
            None => Ok(()),
        };
        match self {
            Origin::Parameter {
                name,
                selector: None,
                version,
                location: at,
            } => {
                f.write_str(name)?;
                if *version != 0 {
                    write!(f, " version {version}")?;
                }
                location(f, at)
            }
            Origin::Parameter {
                name,
                selector: Some(selector),
                version,
                location: at,
            } => {
                write!(f, "{name}:{selector}")?;
                if *version != 0 {
                    write!(f, " (version {version})")?;
                }
                location(f, at)
            }
            Origin::Secret {
                name,
                key,
                location: at,
            } => {
                write!(f, "secret {name}")?;
                if let Some(key) = key {
                    write!(f, ", key {key}")?;
                }
                location(f, at)
            }
            Origin::Env { variable } => write!(f, "env {variable}"),
            Origin::Default => f.write_str("the default"),
        }
    }
}

impl Origin {
    /// A parameter as a source returned it, asked for as `name`.
    pub(crate) fn of(name: &str, parameter: &crate::source::Parameter) -> Origin {
        Origin::Parameter {
            name: name.to_owned(),
            selector: None,
            version: parameter.version,
            location: parameter.location.clone(),
        }
    }

    /// The same origin without a secret's key, for saying the key is not
    /// there.
    pub(crate) fn without_key(self) -> Origin {
        match self {
            Origin::Secret { name, location, .. } => Origin::Secret {
                name,
                key: None,
                location,
            },
            other => other,
        }
    }
}
