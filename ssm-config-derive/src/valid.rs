//! The validation pass, run once the model is built, as thiserror's
//! `valid.rs`: every rule on what a struct declares as a whole, beyond the
//! shape of each attribute (which `attr` and `model` check as they read
//! it): the names SSM would refuse, `max_age`, and two fields bound to one
//! parameter.

use syn::{Data, DeriveInput};

use crate::check;
use crate::errors::Errors;
use crate::model::{self, Container, Parsed};
use crate::rules;

pub(crate) fn validate(
    input: &DeriveInput,
    parsed: &Parsed,
    container: &Container<'_>,
    errors: &mut Errors,
) {
    let attrs = &parsed.container;
    let base = rules::prefix(attrs.prefix.as_ref(), errors);
    // Every field, also those whose attributes did not make a model field,
    // so each mistake is reported in the same build.
    if let Data::Struct(data) = &input.data {
        for (field, field_attrs) in data.fields.iter().zip(&parsed.fields) {
            let Some(ident) = &field.ident else {
                continue;
            };
            let segment = model::segment(container.rename, &model::field_name(ident));
            rules::field(field_attrs, base, &segment, ident.span(), errors);
        }
    }
    if let Some(max_age) = attrs.max_age.as_ref().filter(|m| m.value == 0) {
        errors.push(syn::Error::new(
            max_age.value_span,
            "`max_age = 0` would refresh without pause; give at least 1 (seconds), or leave it out for values that never expire",
        ));
    }
    check::duplicate_bindings(container, errors);
}
