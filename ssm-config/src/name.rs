//! Parameter names at run time. The rules themselves live in
//! `ssm-config-rules`, which the derive applies at compile time; this
//! module adapts them to the runtime's types.

use std::fmt;

use ssm_config_rules::{self as rules, Selected};

/// A version selector: `name:3` pins version 3, `name:prod` the label `prod`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selector {
    /// A version number, 1 or more.
    Version(u64),
    /// A label attached to one version.
    Label(String),
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Version(v) => write!(f, "{v}"),
            Selector::Label(l) => f.write_str(l),
        }
    }
}

impl Selector {
    /// Parses the part after the `:` of `name:selector`, by the same rules
    /// `#[derive(SsmConfig)]` applies at compile time.
    pub fn parse(text: &str) -> Result<Selector, String> {
        Ok(match rules::check_selector(text)? {
            Selected::Version(version) => Selector::Version(version),
            Selected::Label(label) => Selector::Label(label.to_owned()),
        })
    }
}

/// Splits `name:selector` into its parts.
pub(crate) fn split_selector(full: &str) -> Result<(&str, Option<Selector>), String> {
    match full.split_once(':') {
        None => Ok((full, None)),
        Some((name, sel)) => Selector::parse(sel).map(|s| (name, Some(s))),
    }
}

/// The secret a name refers to, when it is a Secrets Manager reference.
pub(crate) fn referenced_secret(name: &str) -> Option<&str> {
    name.strip_prefix(rules::SECRETS_REFERENCE)?
        .strip_prefix('/')
}

/// Checks a whole name given at run time: a secret reference by the
/// secret-name rules, anything else by the parameter-name rules.
pub(crate) fn check_name(name: &str) -> Result<(), String> {
    match referenced_secret(name) {
        Some(secret) => {
            rules::check_secret_name(secret).and_then(|()| match secret.contains(['{', '}']) {
                true => Err("`{` and `}` are not allowed in a secret name".into()),
                false => Ok(()),
            })
        }
        None => rules::check_filled_name(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_selectors() {
        assert_eq!(
            split_selector("/a:3").unwrap(),
            ("/a", Some(Selector::Version(3)))
        );
        assert_eq!(
            split_selector("/a:prod").unwrap(),
            ("/a", Some(Selector::Label("prod".into())))
        );
        assert_eq!(split_selector("/a").unwrap(), ("/a", None));
        for bad in ["/a:0", "/a:1:2", "/a:", "/a:9lives", "/a:awsx", "/a:b c"] {
            assert!(split_selector(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secret_references_take_secret_names() {
        assert_eq!(check_name("/aws/reference/secretsmanager/db+x"), Ok(()));
        assert_eq!(
            referenced_secret("/aws/reference/secretsmanager/db"),
            Some("db")
        );
        assert_eq!(referenced_secret("/aws/reference/secretsmanagerx"), None);
        assert!(check_name("/aws/reference/secretsmanager/{X}").is_err());
        assert!(check_name("/a/{X}").is_err());
        assert!(check_name("/aws/x").is_err());
    }
}
