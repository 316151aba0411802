//! Applies SSM's naming rules to the names a struct writes: the prefix, each
//! field's path, selector, label, secret and by-path walk. Each error points
//! at the literal that holds the mistake, or at the field when the name
//! comes from the field itself.

use proc_macro2::Span;

use ssm_config_rules as names;

use crate::attr::{At, FieldAttrs};
use crate::errors::Errors;

/// What relative names are joined to.
#[derive(Clone, Copy)]
pub(crate) enum Base<'a> {
    /// No prefix: relative names stay relative (the struct may be nested).
    None,
    Prefix(&'a str),
    /// The prefix is wrong and already reported: relative names are not
    /// checked against it, so one mistake gives one error.
    Invalid,
}

/// Checks `#[ssm(prefix = "...")]`.
pub(crate) fn prefix<'a>(prefix: Option<&'a At<String>>, errors: &mut Errors) -> Base<'a> {
    let Some(prefix) = prefix else {
        return Base::None;
    };
    let checked = names::declared_prefix(&prefix.value);
    match checked {
        Ok(()) => Base::Prefix(&prefix.value),
        Err(message) => {
            errors.push(syn::Error::new(
                prefix.value_span,
                format!("invalid prefix: {message}"),
            ));
            Base::Invalid
        }
    }
}

/// Checks the names one field reads. `segment` is the field's default path
/// and `field_span` where the field is named.
pub(crate) fn field(
    a: &FieldAttrs,
    base: Base<'_>,
    segment: &str,
    field_span: Span,
    errors: &mut Errors,
) {
    if a.skip.is_some() {
        return;
    }
    if let Some(nested) = &a.nested
        && let Some(segment) = &nested.value
    {
        report(errors, nested.value_span, names::declared_segment(segment));
    }
    if a.nested.is_some() || a.flatten.is_some() {
        return;
    }
    if let Some(label) = &a.label {
        report(errors, label.value_span, names::check_label(&label.value));
    }
    if let Some(by_path) = &a.by_path {
        return walk(by_path, base, errors);
    }
    if let Some(secret) = &a.secret {
        report(
            errors,
            secret.value_span,
            names::declared_secret(&secret.value),
        );
        if let Some(key) = a.key.as_ref().filter(|k| k.value.is_empty()) {
            errors.push(syn::Error::new(
                key.value_span,
                "`key` names a key of the JSON secret and cannot be empty",
            ));
        }
        return;
    }
    if let Some(version) = a.version.as_ref().filter(|v| v.value == 0) {
        errors.push(syn::Error::new(
            version.value_span,
            "versions start at 1: `version = 0` selects nothing",
        ));
    }
    let (written, span) = match &a.path {
        Some(path) => (path.value.as_str(), path.value_span),
        None => (segment, field_span),
    };
    let (path, selector) = names::split_selector(written);
    if let Some(selector) = selector {
        report(errors, span, names::check_selector(selector).map(|_| ()));
    }
    name(path, base, span, errors);
}

/// `#[ssm(by_path = "...")]`: a path, never a selector or a secret.
fn walk(by_path: &At<String>, base: Base<'_>, errors: &mut Errors) {
    let checked = names::declared_walk(base.prefix(), &by_path.value);
    report(errors, by_path.value_span, checked);
}

/// Checks a parameter name or path against its base.
fn name(path: &str, base: Base<'_>, span: Span, errors: &mut Errors) {
    report(errors, span, names::declared_parameter(base.prefix(), path));
}

impl<'a> Base<'a> {
    /// The prefix names are joined to; a wrong one, already reported,
    /// counts as none, so relative names get only the rules that hold
    /// whatever they are joined to.
    fn prefix(self) -> Option<&'a str> {
        match self {
            Base::Prefix(prefix) => Some(prefix),
            Base::None | Base::Invalid => None,
        }
    }
}

fn report(errors: &mut Errors, span: Span, checked: Result<(), String>) {
    if let Err(message) = checked {
        errors.push(syn::Error::new(span, message));
    }
}
