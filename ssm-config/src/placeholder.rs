//! The placeholder bootstrap writes where only a person can know the value,
//! and its recognition in a value read back: a parameter created from
//! bootstrap output and never filled in must not load as if it were real.

/// What every placeholder starts with.
const MARK: &str = "CHANGE_ME(";

/// The placeholder of the value `field` reads.
#[cfg(feature = "bootstrap")]
pub(crate) fn placeholder(field: &str) -> String {
    format!("{MARK}{field})")
}

/// Whether `text` is, or holds (a JSON secret of placeholders, a list), a
/// bootstrap placeholder.
pub(crate) fn holds_placeholder(text: &str) -> bool {
    text.contains(MARK)
}
