//! The rules at load time: each template is filled once, each piece is
//! checked as [`crate::declared`] checks it, and the whole name is checked
//! once joined.

use std::fmt;

use crate::arn::check_arn;
use crate::declared::{check_walk, check_walk_target, declared_prefix, declared_segment};
use crate::rules::{
    SECRETS_REFERENCE, check_filled_name, check_name, check_part, check_secret_name, is_arn, join,
};
use crate::template::{FillFailure, fill, fill_keeping_unset, substitute};

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
    mode: Mode,
}

/// What a [`Filler`] checks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every value and every name, each variable set.
    Checked,
    /// Every value and every name, an unset variable kept as `{VAR}`.
    KeepingUnset,
    /// Nothing.
    Unchecked,
}

impl<'a> Filler<'a> {
    /// Fills and checks every name, as a load does.
    pub fn checked(lookup: Lookup<'a>) -> Self {
        Filler {
            lookup,
            mode: Mode::Checked,
        }
    }

    /// Fills and checks every name as a load does, except that a variable
    /// `lookup` has no value for stays in the name as `{VAR}`
    /// ([`fill_keeping_unset`](crate::fill_keeping_unset)), one segment
    /// the rules hold to as the build does; for outputs that leave it to
    /// whoever runs them.
    pub fn keeping_unset(lookup: Lookup<'a>) -> Self {
        Filler {
            lookup,
            mode: Mode::KeepingUnset,
        }
    }

    /// Fills without checking values or names.
    pub fn unchecked(lookup: Lookup<'a>) -> Self {
        Filler {
            lookup,
            mode: Mode::Unchecked,
        }
    }

    /// Fills `template` and, when checking, checks the text with `check`.
    fn text(
        &self,
        template: &str,
        check: fn(&str) -> Result<(), String>,
    ) -> Result<String, FillError> {
        let filled = match self.mode {
            Mode::Checked => fill(template, self.lookup),
            Mode::KeepingUnset => fill_keeping_unset(template, self.lookup),
            Mode::Unchecked => substitute(template, self.lookup),
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
        match self.mode {
            Mode::Checked | Mode::KeepingUnset => check(name).map_err(|reason| FillError::Name {
                name: name.to_owned(),
                reason,
            }),
            Mode::Unchecked => Ok(()),
        }
    }

    /// The rule on a whole name: a name a load makes holds no `{VAR}`; one
    /// kept for an output stands for one segment, as the build checks it.
    fn whole_name(&self) -> fn(&str) -> Result<(), String> {
        match self.mode {
            Mode::KeepingUnset => check_name,
            Mode::Checked | Mode::Unchecked => check_filled_name,
        }
    }

    /// [`Self::whole_name`] for a path listed by `GetParametersByPath`.
    fn whole_walk(&self) -> fn(&str) -> Result<(), String> {
        match self.mode {
            Mode::KeepingUnset => |full| check_name(full).and_then(|()| check_walk_target(full)),
            Mode::Checked | Mode::Unchecked => check_walk,
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
        self.check(&full, self.whole_name())?;
        Ok(full)
    }

    /// A by-path walk's full path, which may not be the Secrets Manager
    /// reference path.
    pub fn walk(&self, base: &str, path: &str) -> Result<String, FillError> {
        let full = join(base, &self.text(path, check_part)?);
        self.check(&full, self.whole_walk())?;
        Ok(full)
    }

    /// The name a secret is read under: `/aws/reference/secretsmanager/NAME`.
    pub fn secret(&self, name: &str) -> Result<String, FillError> {
        let name = self.text(name, check_secret_name)?;
        Ok(format!("{SECRETS_REFERENCE}/{name}"))
    }
}
