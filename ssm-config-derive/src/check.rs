//! Checks that span several fields: two fields bound to one parameter.
//! Fields of nested structs are compared when the plan is evaluated, by the
//! runtime's `const` check, since their names are known only there; both
//! take what a field reads from [`ssm_config_rules::Reads`].

use std::collections::HashMap;

use ssm_config_rules::Reads;

use crate::errors::Errors;
use crate::model::{Container, Field, FieldKind, ValueSource};

pub(crate) fn duplicate_bindings(container: &Container<'_>, errors: &mut Errors) {
    let prefix = container.prefix.as_deref().unwrap_or("");
    // Fields by the name they read; those of one name are told apart by
    // what else they read.
    let mut seen: HashMap<String, Vec<(Reads<'_>, &Field<'_>)>> = HashMap::new();
    for field in &container.fields {
        let Some(reads) = reads(field) else {
            continue;
        };
        let name = match reads.joins_base() {
            true => ssm_config_rules::join(prefix, reads.target()),
            false => reads.target().to_owned(),
        };
        let readers = seen.entry(name.clone()).or_default();
        match readers
            .iter()
            .find(|(other, _)| other.same_apart_from_name(&reads))
        {
            Some((_, first)) => errors.spanned(
                field.ident,
                format!(
                    "field `{}` reads {}, which field `{}` already reads; bind each parameter to one field",
                    field.name,
                    shown(&reads, &name),
                    first.name
                ),
            ),
            None => readers.push((reads, field)),
        }
    }
}

/// What `field` reads; `None` for nested and skipped fields.
fn reads<'a>(field: &'a Field<'_>) -> Option<Reads<'a>> {
    match &field.kind {
        FieldKind::Value {
            source: ValueSource::Parameter { path, selector },
            ..
        } => Some(Reads::Parameter {
            path,
            selector: selector.as_deref(),
        }),
        FieldKind::Value {
            source: ValueSource::Secret { name, key },
            ..
        } => Some(Reads::Secret {
            name,
            key: key.as_deref(),
        }),
        FieldKind::ByPath {
            path,
            recursive,
            filters,
            ..
        } => Some(Reads::Walk {
            path,
            recursive: *recursive,
            kind: filters.kind.as_deref(),
            key_id: filters.key_id.as_deref(),
            label: filters.label.as_deref(),
        }),
        FieldKind::Nested { .. } | FieldKind::Skip => None,
    }
}

/// What a field reads, as the message names it.
fn shown(reads: &Reads<'_>, name: &str) -> String {
    match reads {
        Reads::Parameter {
            selector: Some(selector),
            ..
        } => format!("`{name}:{selector}`"),
        Reads::Parameter { selector: None, .. } => format!("`{name}`"),
        Reads::Secret { key: Some(key), .. } => format!("key `{key}` of secret `{name}`"),
        Reads::Secret { key: None, .. } => format!("secret `{name}`"),
        Reads::Walk { .. } => format!("every parameter under `{name}`"),
    }
}
