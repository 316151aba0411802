//! [`ForPrefix`]: a source as one load reads it.

use super::ParameterSource;

/// A source as one load reads it: bound to the struct's prefix where the
/// source answers for names relative to it
/// ([`ParameterSource::under_prefix`]), as it is otherwise.
pub(crate) struct ForPrefix<'s> {
    original: &'s dyn ParameterSource,
    bound: Option<Box<dyn ParameterSource>>,
}

impl<'s> ForPrefix<'s> {
    pub fn new(original: &'s dyn ParameterSource, prefix: Option<&str>) -> Self {
        ForPrefix {
            original,
            bound: prefix.and_then(|prefix| original.under_prefix(prefix)),
        }
    }

    pub fn get(&self) -> &dyn ParameterSource {
        self.bound.as_deref().unwrap_or(self.original)
    }
}
