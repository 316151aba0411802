//! [`CallCounts`]: how many calls a
//! [`MemorySource`](crate::source::MemorySource) has answered.

/// How many calls a [`MemorySource`](crate::source::MemorySource) has
/// answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CallCounts {
    /// `GetParameters` calls.
    pub get_parameters: usize,
    /// `GetParametersByPath` pages.
    pub get_parameters_by_path: usize,
}

impl CallCounts {
    /// All calls.
    pub fn total(&self) -> usize {
        self.get_parameters + self.get_parameters_by_path
    }
}
