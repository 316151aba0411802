//! The typed model of a config struct. Attribute combinations become one
//! field kind each, so the code generator never sees a conflicting state.

use ssm_config_rules::DurationUnit;
use syn::{Data, DeriveInput, Expr, Fields, Ident, LitStr, Type};

use crate::attr::{self, At, DefaultValue, FieldAttrs};
use crate::case::{RULE_NAMES, RenameRule};
use crate::default_text;
use crate::errors::Errors;
use crate::ty::{self, SecretWrapper, Shape};

pub(crate) struct Container<'a> {
    pub ident: &'a Ident,
    pub prefix: Option<String>,
    pub max_age: Option<u64>,
    pub decrypt: bool,
    pub krate: syn::Path,
    /// `#[ssm(validate = ...)]`: run on the built struct.
    pub validate: Option<syn::Path>,
    /// `#[ssm(rename_all = "...")]`, when it names a known rule.
    pub rename: Option<RenameRule>,
    pub fields: Vec<Field<'a>>,
}

/// A field's name as written, without `r#`.
pub(crate) fn field_name(ident: &Ident) -> String {
    ident.to_string().trim_start_matches("r#").to_owned()
}

/// A field's default path segment: its name after `rename_all`.
pub(crate) fn segment(rename: Option<RenameRule>, name: &str) -> String {
    rename.map_or_else(|| name.to_owned(), |rule| rule.apply(name))
}

pub(crate) struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    /// The field name without `r#`.
    pub name: String,
    pub kind: FieldKind<'a>,
}

pub(crate) enum FieldKind<'a> {
    Value {
        source: ValueSource,
        converter: Converter<'a>,
        presence: Presence<'a>,
        plaintext: bool,
        /// `#[ssm(env = "...")]`: a variable that overrides the parameter.
        env: Option<String>,
    },
    ByPath {
        path: String,
        recursive: bool,
        filters: Filters,
        converter: Converter<'a>,
    },
    Nested {
        segment: Option<String>,
    },
    Skip,
}

pub(crate) enum ValueSource {
    Parameter {
        path: String,
        selector: Option<String>,
    },
    Secret {
        name: String,
        key: Option<String>,
    },
}

#[derive(Default)]
pub(crate) struct Filters {
    pub kind: Option<String>,
    pub key_id: Option<String>,
    pub label: Option<String>,
}

/// How a raw string becomes the value type.
pub(crate) struct Converter<'a> {
    pub shape: Shape<'a>,
    /// When the value is kept secret: `Secret<T>`, or secrecy's types.
    pub secret: Option<SecretWrapper<'a>>,
    /// The value's type: the field's, inside `Option` if any.
    pub value_ty: &'a Type,
    /// `#[ssm(unit = "ms")]`: the unit of a bare number in a `Duration`.
    pub unit: Option<DurationUnit>,
    /// The value type as written, for messages.
    pub expected: String,
}

pub(crate) enum Presence<'a> {
    Required,
    Optional,
    Default(Option<&'a Expr>),
    DefaultText(&'a LitStr),
}

/// Attributes live as long as the model borrows them.
pub(crate) struct Parsed {
    pub container: attr::ContainerAttrs,
    pub fields: Vec<FieldAttrs>,
}

pub(crate) fn parse_attrs(input: &DeriveInput, errors: &mut Errors) -> Option<Parsed> {
    let container = attr::container(&input.attrs, errors);
    let fields = match &input.data {
        Data::Struct(s) => {
            match &s.fields {
                Fields::Named(named) => named
                    .named
                    .iter()
                    .map(|f| attr::field(&f.attrs, errors))
                    .collect(),
                Fields::Unnamed(_) => {
                    errors.spanned(&s.fields, "`#[derive(SsmConfig)]` needs named fields; tuple structs are not supported");
                    return None;
                }
                Fields::Unit => {
                    errors.spanned(
                        &input.ident,
                        "`#[derive(SsmConfig)]` needs named fields; unit structs are not supported",
                    );
                    return None;
                }
            }
        }
        Data::Enum(e) => {
            errors.spanned(
                e.enum_token,
                "`#[derive(SsmConfig)]` works on structs only, not enums",
            );
            return None;
        }
        Data::Union(u) => {
            errors.spanned(
                u.union_token,
                "`#[derive(SsmConfig)]` works on structs only, not unions",
            );
            return None;
        }
    };
    for param in &input.generics.params {
        let message = match param {
            syn::GenericParam::Lifetime(_) => {
                "`#[derive(SsmConfig)]` cannot borrow: a config outlives every load, so its fields must own their data"
            }
            syn::GenericParam::Type(_) => {
                "`#[derive(SsmConfig)]` does not support type parameters: the plan of names is fixed at compile time, so name each field's type"
            }
            syn::GenericParam::Const(_) => {
                "`#[derive(SsmConfig)]` does not support const parameters"
            }
        };
        errors.spanned(param, message);
    }
    if let Some(clause) = &input.generics.where_clause {
        errors.spanned(
            clause,
            "`#[derive(SsmConfig)]` does not support `where` clauses",
        );
    }
    Some(Parsed { container, fields })
}

pub(crate) fn build<'a>(
    input: &'a DeriveInput,
    parsed: &'a Parsed,
    errors: &mut Errors,
) -> Container<'a> {
    let attrs = &parsed.container;
    let rename = attrs.rename_all.as_ref().and_then(|r| {
        let rule = RenameRule::parse(&r.value);
        if rule.is_none() {
            let names = RULE_NAMES
                .iter()
                .map(|(n, _)| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ");
            errors.push(syn::Error::new(
                r.span,
                format!(
                    "unknown `rename_all` rule \"{}\"; expected one of {names}",
                    r.value
                ),
            ));
        }
        rule
    });
    let Data::Struct(data) = &input.data else {
        unreachable!("checked by parse_attrs")
    };
    let fields = data
        .fields
        .iter()
        .zip(&parsed.fields)
        .filter_map(|(field, attrs)| {
            let ident = field.ident.as_ref()?;
            let name = field_name(ident);
            let segment = segment(rename, &name);
            let kind = field_kind(&field.ty, attrs, segment, errors)?;
            Some(Field {
                ident,
                ty: &field.ty,
                name,
                kind,
            })
        })
        .collect();
    Container {
        ident: &input.ident,
        prefix: attrs.prefix.as_ref().map(|p| p.value.clone()),
        max_age: attrs.max_age.as_ref().map(|m| m.value),
        decrypt: attrs.decrypt.as_ref().is_none_or(|d| d.value),
        krate: attrs
            .krate
            .as_ref()
            .map_or_else(|| syn::parse_quote!(::ssm_config), |k| k.value.clone()),
        validate: attrs.validate.as_ref().map(|v| v.value.clone()),
        rename,
        fields,
    }
}

/// Reports each attribute present in `others` as conflicting with `with`.
fn conflicts(errors: &mut Errors, with: &str, others: &[(&str, Option<proc_macro2::Span>)]) {
    for (name, span) in others {
        if let Some(span) = span {
            errors.push(syn::Error::new(
                *span,
                format!("`#[ssm({name})]` cannot be combined with `#[ssm({with})]`"),
            ));
        }
    }
}

fn span<T>(at: &Option<At<T>>) -> Option<proc_macro2::Span> {
    at.as_ref().map(|a| a.span)
}

fn field_kind<'a>(
    ty: &'a Type,
    a: &'a FieldAttrs,
    segment: String,
    errors: &mut Errors,
) -> Option<FieldKind<'a>> {
    if a.skip.is_some() {
        conflicts(errors, "skip", &a.present_except(&["skip"]));
        return Some(FieldKind::Skip);
    }
    if a.nested.is_some() || a.flatten.is_some() {
        let with = if a.nested.is_some() {
            "nested"
        } else {
            "flatten"
        };
        conflicts(errors, with, &a.present_except(&[with]));
        let segment = match &a.nested {
            Some(At { value: Some(s), .. }) => Some(s.clone()),
            Some(At { value: None, .. }) => Some(segment),
            None => None,
        };
        return Some(FieldKind::Nested { segment });
    }
    if let Some(by_path) = &a.by_path {
        conflicts(
            errors,
            "by_path",
            &[
                ("path", span(&a.path)),
                ("version", span(&a.version)),
                ("default", span(&a.default)),
                ("secret", span(&a.secret)),
                ("key", span(&a.key)),
                ("json", span(&a.json)),
                ("plaintext", span(&a.plaintext)),
                ("env", span(&a.env)),
            ],
        );
        let Some((key_ty, value_ty)) = ty::map_value(ty) else {
            errors.spanned(
                ty,
                "`#[ssm(by_path)]` needs a `HashMap<String, _>` or `BTreeMap<String, _>` field",
            );
            return None;
        };
        if !ty::is_string(key_ty) {
            errors.spanned(key_ty, "`#[ssm(by_path)]` maps are keyed by `String`");
        }
        if let Some(kind) = &a.kind
            && !["String", "StringList", "SecureString"].contains(&kind.value.as_str())
        {
            errors.push(syn::Error::new(
                kind.span,
                "`type` must be \"String\", \"StringList\" or \"SecureString\"",
            ));
        }
        let converter = converter(value_ty, false, a.unit.as_ref(), errors)?;
        return Some(FieldKind::ByPath {
            path: by_path.value.clone(),
            recursive: a.recursive.as_ref().is_none_or(|r| r.value),
            filters: Filters {
                kind: a.kind.as_ref().map(|k| k.value.clone()),
                key_id: a.key_id.as_ref().map(|k| k.value.clone()),
                label: a.label.as_ref().map(|l| l.value.clone()),
            },
            converter,
        });
    }
    for (name, span) in [
        ("recursive", span(&a.recursive)),
        ("type", span(&a.kind)),
        ("key_id", span(&a.key_id)),
    ] {
        if let Some(span) = span {
            errors.push(syn::Error::new(
                span,
                format!("`#[ssm({name})]` filters a `#[ssm(by_path = \"...\")]` walk; this field reads one parameter"),
            ));
        }
    }

    let (optional, value_ty) = match ty::unwrap(ty, &["Option"]) {
        Some(inner) => (true, inner),
        None => (false, ty),
    };
    let presence = match &a.default {
        Some(d) if optional => {
            errors.push(syn::Error::new(d.span, "`#[ssm(default)]` cannot be used on an `Option` field: a missing value is already `None`"));
            Presence::Optional
        }
        Some(At {
            value: DefaultValue::Trait,
            ..
        }) => Presence::Default(None),
        Some(At {
            value: DefaultValue::Expr(e),
            ..
        }) => Presence::Default(Some(e)),
        Some(At {
            value: DefaultValue::Text(t),
            ..
        }) => Presence::DefaultText(t),
        None if optional => Presence::Optional,
        None => Presence::Required,
    };
    let source = if let Some(secret) = &a.secret {
        conflicts(
            errors,
            "secret",
            &[
                ("path", span(&a.path)),
                ("version", span(&a.version)),
                ("label", span(&a.label)),
            ],
        );
        if ty::secret_wrapper(value_ty).is_none() {
            errors.spanned(
                ty,
                "`#[ssm(secret)]` needs a `Secret<_>` field (or secrecy's `SecretString` or `SecretBox<_>`), so the value cannot be printed",
            );
        }
        ValueSource::Secret {
            name: secret.value.clone(),
            key: a.key.as_ref().map(|k| k.value.clone()),
        }
    } else {
        if let Some(key) = &a.key {
            errors.push(syn::Error::new(
                key.span,
                "`#[ssm(key)]` picks a key of a `#[ssm(secret = \"...\")]`; add `secret`",
            ));
        }
        let written = a.path.as_ref().map_or(segment, |p| p.value.clone());
        let (path, selector) = ssm_config_rules::split_selector(&written);
        let (path, mut selector) = (path.to_owned(), selector.map(str::to_owned));
        if let (Some(_), Some(label)) = (&a.version, &a.label) {
            errors.push(syn::Error::new(
                label.span,
                "`#[ssm(label)]` cannot be combined with `#[ssm(version)]`",
            ));
        }
        if let Some((key, span)) = [("version", span(&a.version)), ("label", span(&a.label))]
            .into_iter()
            .find_map(|(key, span)| Some((key, span?)))
            && selector.is_some()
        {
            errors.push(syn::Error::new(
                span,
                format!("`#[ssm({key})]` pins a version the path already pins with `:`; keep one of them"),
            ));
        }
        if let Some(version) = &a.version {
            selector = Some(version.value.to_string());
        } else if let Some(label) = &a.label {
            selector = Some(label.value.clone());
        }
        ValueSource::Parameter { path, selector }
    };
    let converter = converter(value_ty, a.json.is_some(), a.unit.as_ref(), errors)?;
    if let Presence::DefaultText(text) = &presence
        && let Err(message) = default_text::check(&converter.shape, &text.value(), converter.unit)
    {
        errors.push(syn::Error::new(text.span(), message));
    }
    if let Some(plaintext) = &a.plaintext
        && converter.secret.is_some()
    {
        errors.push(syn::Error::new(
            plaintext.span,
            "`#[ssm(plaintext)]` lets a SecureString into a field that is not `Secret<_>`; this field already is, so remove it",
        ));
    }
    if let Some(env) = &a.env
        && let Err(message) = ssm_config_rules::check_env_name(&env.value, true)
    {
        errors.push(syn::Error::new(env.value_span, message));
    }
    Some(FieldKind::Value {
        source,
        converter,
        presence,
        plaintext: a.plaintext.is_some(),
        env: a.env.as_ref().map(|e| e.value.clone()),
    })
}

fn converter<'a>(
    value_ty: &'a Type,
    json: bool,
    unit: Option<&At<String>>,
    errors: &mut Errors,
) -> Option<Converter<'a>> {
    let secret = ty::secret_wrapper(value_ty);
    let inner = match secret {
        Some(SecretWrapper::Own(inner) | SecretWrapper::Boxed(inner)) => inner,
        // Read as text, whole: the wrapper's converter needs no shape.
        Some(SecretWrapper::SecretString) | None => value_ty,
    };
    if ty::unwrap(inner, &["Option"]).is_some() {
        errors.spanned(
            inner,
            "`Option` must be the outermost type: write `Option<Secret<T>>`",
        );
        return None;
    }
    let shape = if json {
        Shape::Json(inner)
    } else if let Some(item) = ty::unwrap(inner, &["Vec"]) {
        Shape::List(item)
    } else {
        Shape::Scalar(inner)
    };
    let unit = unit.and_then(|unit| duration_unit(&shape, value_ty, unit, errors));
    Some(Converter {
        shape,
        secret,
        value_ty,
        unit,
        expected: ty::display(value_ty),
    })
}

/// The unit `#[ssm(unit = "...")]` names, on a field that reads `Duration`s.
fn duration_unit(
    shape: &Shape<'_>,
    value_ty: &Type,
    unit: &At<String>,
    errors: &mut Errors,
) -> Option<DurationUnit> {
    let reads_durations = shape.reads_durations();
    if !reads_durations {
        let reads = match shape {
            Shape::Json(_) => "a `json` field is read by serde".to_owned(),
            _ => format!("this field reads `{}`", ty::display(value_ty)),
        };
        errors.push(syn::Error::new(
            unit.span,
            format!(
                "`#[ssm(unit)]` gives the unit of a bare number in a `Duration` field; {reads}"
            ),
        ));
    }
    let parsed = DurationUnit::from_name(&unit.value);
    if parsed.is_none() {
        errors.push(syn::Error::new(
            unit.value_span,
            format!(
                "unknown unit `{}`: `#[ssm(unit)]` takes {}",
                unit.value,
                DurationUnit::NAMES
            ),
        ));
    }
    parsed.filter(|_| reads_durations)
}
