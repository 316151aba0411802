//! [`Depth`]: how deep
//! [`Parameters::get_by_path`](super::Parameters::get_by_path) reads.

/// How deep
/// [`Parameters::get_by_path`](crate::untyped::Parameters::get_by_path)
/// reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Depth {
    /// Only the parameters directly under the path.
    Children,
    /// Everything below the path.
    All,
}
