//! The rules at load time: each template is filled once, each piece is
//! checked as [`crate::declared`] checks it, and the whole name is checked
//! once joined.

use std::fmt;

use crate::arn::check_arn;
use crate::declared::{check_walk, declared_prefix, declared_segment};
use crate::rules::{
    SECRETS_REFERENCE, check_filled_name, check_part, check_secret_name, is_arn, join,
};
use crate::template::{FillFailure, fill, substitute};

/// The variables available to `{VAR}` templates.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Why a name could not be made at load time. Never quotes a variable's
/// value, at most the one character it may not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillError {
    /// No value for `{variable}`.
    Unset {
        /// The variable.
        variable: String,
        /// The template that uses it.
        template: String,
    },
    /// `{variable}` holds a value that cannot fill one segment.
    Variable {
        /// The variable.
        variable: String,
        /// The template that uses it.
        template: String,
        /// Why.
        reason: String,
    },
    /// The name (or the template) breaks SSM's rules.
    Name {
        /// The name as far as it was made.
        name: String,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for FillError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FillError::Unset { variable, template } => {
                write!(f, "`{{{variable}}}` in `{template}` is not set")
            }
            FillError::Variable {
                variable,
                template,
                reason,
            } => write!(
                f,
                "`{{{variable}}}` in `{template}` cannot be used: {reason}"
            ),
            FillError::Name { name, reason } => write!(f, "`{name}`: {reason}"),
        }
    }
}

/// Makes whole names from templates: checked, as a load does, or not, for
/// listings where a variable may stand as a placeholder.
#[derive(Clone, Copy)]
pub struct Filler<'a> {
    lookup: Lookup<'a>,
    checked: bool,
}

impl<'a> Filler<'a> {
    /// Fills and checks every name, as a load does.
    pub fn checked(lookup: Lookup<'a>) -> Self {
        Filler {
            lookup,
            checked: true,
        }
    }

    /// Fills without checking values or names.
    pub fn unchecked(lookup: Lookup<'a>) -> Self {
        Filler {
            lookup,
            checked: false,
        }
    }

    /// Fills `template` and, when checking, checks the text with `check`.
    fn text(
        &self,
        template: &str,
        check: fn(&str) -> Result<(), String>,
    ) -> Result<String, FillError> {
        let filled = if self.checked {
            fill(template, self.lookup)
        } else {
            substitute(template, self.lookup)
        };
        let text = filled.map_err(|failure| match failure {
            FillFailure::Malformed(reason) => FillError::Name {
                name: template.to_owned(),
                reason,
            },
            FillFailure::Unset(variable) => FillError::Unset {
                variable,
                template: template.to_owned(),
            },
            FillFailure::Invalid { variable, reason } => FillError::Variable {
                variable,
                template: template.to_owned(),
                reason,
            },
        })?;
        self.check(&text, check)?;
        Ok(text)
    }

    fn check(&self, name: &str, check: fn(&str) -> Result<(), String>) -> Result<(), FillError> {
        match self.checked {
            true => check(name).map_err(|reason| FillError::Name {
                name: name.to_owned(),
                reason,
            }),
            false => Ok(()),
        }
    }

    /// The base a struct's names are joined to, from its prefix.
    pub fn prefix(&self, template: &str) -> Result<String, FillError> {
        self.text(template, declared_prefix)
    }

    /// The base of a nested struct: `segment` filled and joined to `base`.
    pub fn segment(&self, base: &str, segment: &str) -> Result<String, FillError> {
        Ok(join(base, &self.text(segment, declared_segment)?))
    }

    /// A parameter's full name: `path` filled, joined to `base`, checked
    /// whole. An ARN is filled and checked as an ARN, never joined.
    pub fn parameter(&self, base: &str, path: &str) -> Result<String, FillError> {
        if is_arn(path) {
            return self.text(path, check_arn);
        }
        let full = join(base, &self.text(path, check_part)?);
        self.check(&full, check_filled_name)?;
        Ok(full)
    }

    /// A by-path walk's full path, which may not be the Secrets Manager
    /// reference path.
    pub fn walk(&self, base: &str, path: &str) -> Result<String, FillError> {
        let full = join(base, &self.text(path, check_part)?);
        self.check(&full, check_walk)?;
        Ok(full)
    }

    /// The name a secret is read under: `/aws/reference/secretsmanager/NAME`.
    pub fn secret(&self, name: &str) -> Result<String, FillError> {
        let name = self.text(name, check_secret_name)?;
        Ok(format!("{SECRETS_REFERENCE}/{name}"))
    }
}
