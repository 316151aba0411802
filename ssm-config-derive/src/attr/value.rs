//! Reads the value of one `key = value` (or a flag) inside `#[ssm(...)]`,
//! recording what is wrong with it and skipping it so parsing goes on.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Expr, Lit, LitStr};

use crate::errors::Errors;

pub(super) fn key_of(meta: &ParseNestedMeta<'_>) -> String {
    let path = &meta.path;
    quote::quote!(#path).to_string().replace(' ', "")
}

pub(super) fn skip_value(meta: &ParseNestedMeta<'_>) {
    if meta.input.peek(syn::Token![=]) {
        let _ = meta.value().and_then(|v| v.parse::<Expr>());
    } else if meta.input.peek(syn::token::Paren) {
        let _ = meta.parse_nested_meta(|inner| {
            skip_value(&inner);
            Ok(())
        });
    }
}

pub(super) fn expr(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<Expr> {
    match meta.value().and_then(|v| v.parse::<Expr>()) {
        Ok(e) => Some(ungrouped(e)),
        Err(err) => {
            errors.push(err);
            None
        }
    }
}

/// A value passed through a `macro_rules!` fragment (`$prefix:literal`)
/// arrives wrapped in an invisible group: look through it.
pub(super) fn ungrouped(expr: Expr) -> Expr {
    match expr {
        Expr::Group(group) => ungrouped(*group.expr),
        other => other,
    }
}

pub(super) fn lit(meta: &ParseNestedMeta<'_>, errors: &mut Errors, expected: &str) -> Option<Lit> {
    let key = key_of(meta);
    if !meta.input.peek(syn::Token![=]) {
        errors.push(syn::Error::new(
            meta.path.span(),
            format!("`{key}` expects a value: `#[ssm({key} = {expected})]`"),
        ));
        skip_value(meta);
        return None;
    }
    match expr(meta, errors)? {
        Expr::Lit(l) => Some(l.lit),
        other => {
            errors.spanned(other, format!("`{key}` expects {expected}"));
            None
        }
    }
}

pub(super) fn string_lit(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<LitStr> {
    match lit(meta, errors, "\"...\"")? {
        Lit::Str(s) => Some(s),
        other => {
            errors.spanned(
                other,
                format!("`{}` expects a string literal", key_of(meta)),
            );
            None
        }
    }
}

pub(super) fn string(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<(String, Span)> {
    string_lit(meta, errors).map(|s| (s.value(), s.span()))
}

pub(super) fn integer(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<(u64, Span)> {
    match lit(meta, errors, "a number")? {
        Lit::Int(i) => match i.base10_parse::<u64>() {
            Ok(n) => Some((n, i.span())),
            Err(err) => {
                errors.push(err);
                None
            }
        },
        other => {
            errors.spanned(other, format!("`{}` expects a whole number", key_of(meta)));
            None
        }
    }
}

/// A whole number of seconds, or a duration as people write one (`"30s"`,
/// `"5m"`, `"1h30m"`), read as a `Duration` field's value is, as
/// `RefreshPolicy::max_age` takes a `Duration`.
pub(super) fn seconds(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<(u64, Span)> {
    let key = key_of(meta);
    let expected = "seconds (`300`) or a duration (`\"5m\"`, `\"1h30m\"`)";
    match lit(meta, errors, expected)? {
        Lit::Int(i) => match i.base10_parse::<u64>() {
            Ok(n) => Some((n, i.span())),
            Err(err) => {
                errors.push(err);
                None
            }
        },
        Lit::Str(text) => match ssm_config_rules::parse_duration(&text.value()) {
            Ok(duration) if duration.subsec_nanos() == 0 => Some((duration.as_secs(), text.span())),
            Ok(_) => {
                errors.spanned(text, format!("`{key}` is counted in whole seconds"));
                None
            }
            Err(err) => {
                errors.spanned(text, format!("`{key}`: {err}"));
                None
            }
        },
        other => {
            errors.spanned(other, format!("`{key}` expects {expected}"));
            None
        }
    }
}

pub(super) fn boolean(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<(bool, Span)> {
    match lit(meta, errors, "true or false")? {
        Lit::Bool(b) => Some((b.value, b.span)),
        other => {
            errors.spanned(
                other,
                format!("`{}` expects `true` or `false`", key_of(meta)),
            );
            None
        }
    }
}

pub(super) fn flag(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<((), Span)> {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        let key = key_of(meta);
        errors.push(syn::Error::new(
            meta.path.span(),
            format!("`{key}` takes no value: write `#[ssm({key})]`"),
        ));
        skip_value(meta);
        return None;
    }
    Some(((), meta.path.span()))
}
