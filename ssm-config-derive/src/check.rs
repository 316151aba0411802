//! Checks that span several fields: two fields bound to one parameter.
//! Fields of nested structs are compared when the plan is evaluated, by the
//! runtime's `const` check, since their names are known only there.

use std::collections::HashMap;

use crate::errors::Errors;
use crate::model::{Container, Field, FieldKind, ValueSource};

pub(crate) fn duplicate_bindings(container: &Container<'_>, errors: &mut Errors) {
    let prefix = container.prefix.as_deref();
    let mut seen: HashMap<String, &Field<'_>> = HashMap::new();
    for field in &container.fields {
        let Some((key, shown)) = target(field, prefix) else {
            continue;
        };
        match seen.get(&key) {
            Some(first) => errors.spanned(
                field.ident,
                format!(
                    "field `{}` reads {shown}, which field `{}` already reads; bind each parameter to one field",
                    field.name, first.name
                ),
            ),
            None => {
                seen.insert(key, field);
            }
        }
    }
}

/// What a field reads, as a key equal for equal reads, and as shown to the user.
fn target(field: &Field<'_>, prefix: Option<&str>) -> Option<(String, String)> {
    match &field.kind {
        FieldKind::Value {
            source: ValueSource::Parameter { path, selector },
            ..
        } => {
            let full = ssm_config_rules::join(prefix.unwrap_or(""), path);
            let shown = match selector {
                Some(selector) => format!("`{full}:{selector}`"),
                None => format!("`{full}`"),
            };
            Some((format!("name {shown}"), shown))
        }
        FieldKind::Value {
            source: ValueSource::Secret { name, key },
            ..
        } => {
            let shown = match key {
                Some(key) => format!("key `{key}` of secret `{name}`"),
                None => format!("secret `{name}`"),
            };
            Some((shown.clone(), shown))
        }
        FieldKind::ByPath {
            path,
            recursive,
            filters,
            ..
        } => {
            let full = ssm_config_rules::join(prefix.unwrap_or(""), path);
            let key = format!(
                "path {full} {recursive} {:?} {:?} {:?}",
                filters.kind, filters.key_id, filters.label
            );
            Some((key, format!("every parameter under `{full}`")))
        }
        FieldKind::Nested { .. } | FieldKind::Skip => None,
    }
}
