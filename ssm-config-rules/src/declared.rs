//! The rules as the derive applies them to what a struct declares, before
//! any `{VAR}` is filled. The load-time side ([`crate::filled`]) runs the
//! same checks on the filled text, so the build refuses only what a load
//! would refuse too.

use crate::arn::check_arn;
use crate::rules::{
    SECRETS_REFERENCE, check_name, check_part, check_size, is_absolute, is_arn, join,
};

/// `#[ssm(prefix = "...")]`, or a prefix given at load time: an absolute
/// name of its own.
pub fn declared_prefix(prefix: &str) -> Result<(), String> {
    check_part(prefix)?;
    if !is_absolute(prefix) {
        return Err(format!("a prefix starts with `/`: write \"/{prefix}\""));
    }
    check_name(prefix)
}

/// `#[ssm(nested = "...")]`: a segment (or several) added to the base.
pub fn declared_segment(segment: &str) -> Result<(), String> {
    check_part(segment)?;
    check_size(segment)
}

/// A parameter path as a field declares it, joined to the struct's prefix
/// when it has one. Without a prefix a relative path may still be joined to
/// a parent's base (the struct may be nested), so only the rules that hold
/// whatever it is joined to apply. An ARN stands alone and is checked
/// whole.
pub fn declared_parameter(prefix: Option<&str>, path: &str) -> Result<(), String> {
    if is_arn(path) {
        return check_arn(path);
    }
    check_part(path)?;
    match prefix {
        Some(prefix) => check_name(&join(prefix, path)),
        None if is_absolute(path) => check_name(path),
        None => check_size(path),
    }
}

/// `#[ssm(by_path = "...")]`: a parameter path that is listed, never a
/// selector or the Secrets Manager reference path.
pub fn declared_walk(prefix: Option<&str>, path: &str) -> Result<(), String> {
    if is_arn(path) {
        return Err("`GetParametersByPath` takes a path in this account, never an ARN: name each shared parameter with `path = \"arn:...\"`".into());
    }
    if path.contains(':') {
        return Err("`#[ssm(by_path)]` reads the latest version of each parameter and takes no `:` selector; filter by label with `label = \"...\"`".into());
    }
    declared_parameter(prefix, path)?;
    let full = match prefix {
        Some(prefix) => join(prefix, path),
        None => path.to_owned(),
    };
    if is_absolute(&full) {
        check_walk_target(&full)?;
    }
    Ok(())
}

/// Every rule on a whole, filled path listed by `GetParametersByPath`.
pub fn check_walk(full: &str) -> Result<(), String> {
    crate::rules::check_filled_name(full)?;
    check_walk_target(full)
}

/// A whole by-path name may not list the Secrets Manager reference path.
pub(crate) fn check_walk_target(full: &str) -> Result<(), String> {
    if full == SECRETS_REFERENCE || full.starts_with(&format!("{SECRETS_REFERENCE}/")) {
        return Err(format!(
            "`{SECRETS_REFERENCE}` cannot be listed by path; read each secret with `#[ssm(secret = \"...\")]`"
        ));
    }
    Ok(())
}

/// `#[ssm(secret = "...")]`.
pub fn declared_secret(name: &str) -> Result<(), String> {
    crate::rules::check_secret_name(name)
}
