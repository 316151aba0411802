//! Parses `#[ssm(...)]` attributes into plain values, one branch per key.
//! Every mistake is recorded and parsing goes on, so all are reported.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, Lit, LitStr};

use crate::errors::Errors;

mod value;

use value::{boolean, expr, flag, integer, key_of, seconds, skip_value, string, string_lit};

/// A value and where it was written: `span` is the key, `value_span` the
/// value (the key itself for flags).
#[derive(Clone)]
pub(crate) struct At<T> {
    pub value: T,
    pub span: Span,
    pub value_span: Span,
}

#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub prefix: Option<At<String>>,
    pub max_age: Option<At<u64>>,
    pub rename_all: Option<At<String>>,
    pub decrypt: Option<At<bool>>,
    pub krate: Option<At<syn::Path>>,
    pub validate: Option<At<syn::Path>>,
}

pub(crate) enum DefaultValue {
    Trait,
    Expr(Expr),
    Text(LitStr),
}

#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub path: Option<At<String>>,
    pub version: Option<At<u64>>,
    pub label: Option<At<String>>,
    pub default: Option<At<DefaultValue>>,
    pub secret: Option<At<String>>,
    pub key: Option<At<String>>,
    pub json: Option<At<()>>,
    pub by_path: Option<At<String>>,
    pub recursive: Option<At<bool>>,
    pub kind: Option<At<String>>,
    pub key_id: Option<At<String>>,
    pub nested: Option<At<Option<String>>>,
    pub flatten: Option<At<()>>,
    pub skip: Option<At<()>>,
    pub plaintext: Option<At<()>>,
    pub env: Option<At<String>>,
    pub unit: Option<At<String>>,
}

impl FieldAttrs {
    /// Every attribute present but those in `except`, with where it was written.
    pub fn present_except(&self, except: &[&str]) -> Vec<(&'static str, Option<Span>)> {
        fn at<T>(name: &'static str, value: &Option<At<T>>) -> (&'static str, Option<Span>) {
            (name, value.as_ref().map(|a| a.span))
        }
        [
            at("path", &self.path),
            at("version", &self.version),
            at("label", &self.label),
            at("default", &self.default),
            at("secret", &self.secret),
            at("key", &self.key),
            at("json", &self.json),
            at("by_path", &self.by_path),
            at("recursive", &self.recursive),
            at("type", &self.kind),
            at("key_id", &self.key_id),
            at("nested", &self.nested),
            at("flatten", &self.flatten),
            at("skip", &self.skip),
            at("plaintext", &self.plaintext),
            at("env", &self.env),
            at("unit", &self.unit),
        ]
        .into_iter()
        .filter(|(name, span)| span.is_some() && !except.contains(name))
        .collect()
    }
}

const CONTAINER_KEYS: &[&str] = &[
    "prefix",
    "max_age",
    "rename_all",
    "decrypt",
    "crate",
    "validate",
];
const FIELD_KEYS: &[&str] = &[
    "path",
    "version",
    "label",
    "default",
    "secret",
    "key",
    "json",
    "by_path",
    "recursive",
    "type",
    "key_id",
    "nested",
    "flatten",
    "skip",
    "plaintext",
    "env",
    "unit",
];

pub(crate) fn container(attrs: &[Attribute], errors: &mut Errors) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for_each_meta(attrs, errors, |meta, errors| {
        let key = key_of(&meta);
        let span = meta.path.span();
        match key.as_str() {
            // #[ssm(prefix = "/{ENV}/app")]
            "prefix" => set(&mut out.prefix, string(&meta, errors), span, &key, errors),
            // #[ssm(max_age = 300)] or #[ssm(max_age = "5m")]
            "max_age" => set(&mut out.max_age, seconds(&meta, errors), span, &key, errors),
            // #[ssm(rename_all = "kebab-case")]
            "rename_all" => set(
                &mut out.rename_all,
                string(&meta, errors),
                span,
                &key,
                errors,
            ),
            // #[ssm(decrypt = false)]
            "decrypt" => set(&mut out.decrypt, boolean(&meta, errors), span, &key, errors),
            // #[ssm(crate = "path::to::ssm_config")]
            "crate" => {
                let path = string_lit(&meta, errors).and_then(|lit| match lit.parse::<syn::Path>() {
                    Ok(path) => Some((path, lit.span())),
                    Err(_) => {
                        errors.spanned(&lit, "`#[ssm(crate = \"...\")]` expects a path like \"my_crate::ssm_config\"");
                        None
                    }
                });
                set(&mut out.krate, path, span, &key, errors)
            }
            // #[ssm(validate = path::to::function)]
            "validate" => {
                let path = expr(&meta, errors).and_then(|e| match e {
                    Expr::Path(p) if p.qself.is_none() => {
                        let value_span = p.span();
                        Some((p.path, value_span))
                    }
                    other => {
                        errors.spanned(
                            &other,
                            "`validate` expects the path of a function `fn(&Self) -> Result<(), E>`, such as `#[ssm(validate = Self::validate)]`",
                        );
                        None
                    }
                });
                set(&mut out.validate, path, span, &key, errors)
            }
            _ => unknown(&meta, &key, CONTAINER_KEYS, FIELD_KEYS, "struct", errors),
        }
    });
    out
}

pub(crate) fn field(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for_each_meta(attrs, errors, |meta, errors| {
        let key = key_of(&meta);
        let span = meta.path.span();
        match key.as_str() {
            // #[ssm(path = "db/port")], #[ssm(path = "/abs/name:3")]
            "path" => set(&mut out.path, string(&meta, errors), span, &key, errors),
            // #[ssm(version = 3)]
            "version" => set(&mut out.version, integer(&meta, errors), span, &key, errors),
            // #[ssm(label = "prod")]
            "label" => set(&mut out.label, string(&meta, errors), span, &key, errors),
            // #[ssm(default)], #[ssm(default = EXPR)], #[ssm(default = "text")]
            "default" => {
                let value = if meta.input.peek(syn::Token![=]) {
                    expr(&meta, errors).map(|e| {
                        let value_span = e.span();
                        let value = match e {
                            Expr::Lit(syn::ExprLit {
                                lit: Lit::Str(s), ..
                            }) => DefaultValue::Text(s),
                            other => DefaultValue::Expr(other),
                        };
                        (value, value_span)
                    })
                } else {
                    Some((DefaultValue::Trait, span))
                };
                set(&mut out.default, value, span, &key, errors)
            }
            // #[ssm(env = "DB_HOST")]
            "env" => set(&mut out.env, string(&meta, errors), span, &key, errors),
            // #[ssm(secret = "prod/db")]
            "secret" => set(&mut out.secret, string(&meta, errors), span, &key, errors),
            // #[ssm(key = "password")]
            "key" => set(&mut out.key, string(&meta, errors), span, &key, errors),
            // #[ssm(json)]
            "json" => set(&mut out.json, flag(&meta, errors), span, &key, errors),
            // #[ssm(by_path = "workers")]
            "by_path" => set(&mut out.by_path, string(&meta, errors), span, &key, errors),
            // #[ssm(recursive = false)]
            "recursive" => set(
                &mut out.recursive,
                boolean(&meta, errors),
                span,
                &key,
                errors,
            ),
            // #[ssm(type = "SecureString")]
            "type" => set(&mut out.kind, string(&meta, errors), span, &key, errors),
            // #[ssm(key_id = "alias/app")]
            "key_id" => set(&mut out.key_id, string(&meta, errors), span, &key, errors),
            // #[ssm(nested)], #[ssm(nested = "cache")]
            "nested" => {
                let value = if meta.input.peek(syn::Token![=]) {
                    string(&meta, errors).map(|(s, at)| (Some(s), at))
                } else {
                    Some((None, span))
                };
                set(&mut out.nested, value, span, &key, errors)
            }
            // #[ssm(flatten)]
            "flatten" => set(&mut out.flatten, flag(&meta, errors), span, &key, errors),
            // #[ssm(skip)]
            "skip" => set(&mut out.skip, flag(&meta, errors), span, &key, errors),
            // #[ssm(plaintext)]
            "plaintext" => set(&mut out.plaintext, flag(&meta, errors), span, &key, errors),
            // #[ssm(unit = "ms")]
            "unit" => set(&mut out.unit, string(&meta, errors), span, &key, errors),
            _ => unknown(&meta, &key, FIELD_KEYS, CONTAINER_KEYS, "field", errors),
        }
    });
    out
}

fn for_each_meta(
    attrs: &[Attribute],
    errors: &mut Errors,
    mut each: impl FnMut(ParseNestedMeta<'_>, &mut Errors),
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("ssm")) {
        if let Err(err) = attr.parse_nested_meta(|meta| {
            each(meta, errors);
            Ok(())
        }) {
            errors.push(err);
        }
    }
}

fn set<T>(
    slot: &mut Option<At<T>>,
    value: Option<(T, Span)>,
    span: Span,
    key: &str,
    errors: &mut Errors,
) {
    let Some((value, value_span)) = value else {
        return;
    };
    if slot.is_some() {
        errors.push(syn::Error::new(span, format!("duplicate `#[ssm({key})]`")));
    } else {
        *slot = Some(At {
            value,
            span,
            value_span,
        });
    }
}

fn unknown(
    meta: &ParseNestedMeta<'_>,
    key: &str,
    known: &[&str],
    other_level: &[&str],
    level: &str,
    errors: &mut Errors,
) {
    skip_value(meta);
    let mut message = format!("unknown {level} attribute `{key}`");
    if let Some(near) = known
        .iter()
        .filter(|k| strsim::levenshtein(k, key) <= 2)
        .min_by_key(|k| strsim::levenshtein(k, key))
    {
        message.push_str(&format!(", did you mean `{near}`?"));
    } else if other_level.contains(&key) {
        let place = if level == "field" {
            "the struct"
        } else {
            "a field"
        };
        message.push_str(&format!(": `{key}` goes on {place}"));
    } else {
        message.push_str(&format!(
            "; expected one of {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    errors.push(syn::Error::new(meta.path.span(), message));
}
