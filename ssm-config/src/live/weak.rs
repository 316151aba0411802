//! [`WeakLive`]: a handle that does not keep a configuration alive, for a
//! task that should end when the last [`Live`] handle is dropped.

use std::sync::{Arc, Weak};

use super::Live;
use super::refresh::Shared;

/// A [`Live`] that does not keep the configuration alive.
pub(crate) struct WeakLive<T>(Weak<Shared<T>>);

impl<T> Live<T> {
    /// A handle that lets the configuration go with its last `Live`.
    pub(crate) fn downgrade(&self) -> WeakLive<T> {
        WeakLive(Arc::downgrade(&self.shared))
    }
}

impl<T> WeakLive<T> {
    /// The configuration, while a `Live` handle of it remains.
    pub(crate) fn upgrade(&self) -> Option<Live<T>> {
        self.0.upgrade().map(|shared| Live { shared })
    }
}
