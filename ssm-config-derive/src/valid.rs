//! The validation pass: checks that need the whole struct, run once the
//! model is built. A field's own attributes are checked where they are
//! parsed (`attr`, `model`) and its names where they are joined (`rules`);
//! what spans several fields or the struct as a whole is checked here.

use crate::check;
use crate::errors::Errors;
use crate::model::Container;

pub(crate) fn validate(container: &Container<'_>, errors: &mut Errors) {
    check::duplicate_bindings(container, errors);
}
