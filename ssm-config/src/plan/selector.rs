//! [`Selector`]: the version or label a name pins.

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
