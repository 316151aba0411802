//! One refresh at a time: the refresh under way is a shared future that
//! every caller it serves joins, run in a task of its own so that a caller
//! who stops waiting leaves it running. A targeted refresh builds on the
//! snapshot current when it starts, which no other refresh replaces before
//! it publishes.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use futures_util::FutureExt;

use super::parameter_change::ParameterChange;
use super::refresh::{Flight, Kind, Outcome, Shared};
use crate::SsmConfig;
use crate::error::{Error, Problem};

impl<T: SsmConfig> Shared<T> {
    /// Joins the refresh under way when it serves `kind`, or starts one
    /// once none is under way.
    pub(super) async fn fly(
        self: &Arc<Self>,
        kind: Kind,
        pace: Duration,
        changes: Arc<[ParameterChange]>,
    ) -> Outcome<T> {
        loop {
            let (serves, flight) = {
                let mut slot = self.flight.lock().unwrap_or_else(|p| p.into_inner());
                match slot.as_ref() {
                    Some((_, running, flight)) => {
                        // Another caller's targeted refresh read other names.
                        let serves =
                            *running == Kind::Full || (*running == kind && kind != Kind::Targeted);
                        (serves, flight.clone())
                    }
                    None => {
                        let id = self.flights.fetch_add(1, Ordering::Relaxed);
                        let flight = self.start(id, kind, pace, changes.clone());
                        *slot = Some((id, kind, flight.clone()));
                        (true, flight)
                    }
                }
            };
            if serves {
                return flight.await;
            }
            let _other = flight.await;
        }
    }
    fn start(
        self: &Arc<Self>,
        id: u64,
        kind: Kind,
        pace: Duration,
        changes: Arc<[ParameterChange]>,
    ) -> Flight<T> {
        let attempt = {
            let shared = Arc::clone(self);
            async move { shared.attempt(id, kind, pace, &changes).await }
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // Outside tokio the load runs in the callers' futures; a panic
            // that escapes the load's own guards (a source's) is caught
            // here all the same.
            let weak = Arc::downgrade(self);
            return async move {
                match std::panic::AssertUnwindSafe(attempt).catch_unwind().await {
                    Ok(outcome) => outcome,
                    Err(_payload) => Err(panicked(&weak, id)),
                }
            }
            .boxed()
            .shared();
        };
        let task = runtime.spawn(attempt);
        let weak = Arc::downgrade(self);
        async move {
            match task.await {
                Ok(outcome) => outcome,
                Err(join) if join.is_panic() => Err(panicked(&weak, id)),
                Err(_) => Err(aborted(&weak, id)),
            }
        }
        .boxed()
        .shared()
    }
    pub(super) fn end_flight(&self, id: u64) {
        let mut slot = self.flight.lock().unwrap_or_else(|p| p.into_inner());
        if slot.as_ref().is_some_and(|(current, _, _)| *current == id) {
            *slot = None;
        }
    }
}

/// What a refresh that panicked outside the load's own guards was doing.
const OUTSIDE_THE_LOAD: &str = "refreshing";

/// Whether `error` is that of a refresh that did not end by itself: its
/// load panicked outside the load's own guards (in a source, say), or its
/// runtime shut down. Neither says anything of the values it was reading.
#[cfg(feature = "events")]
pub(super) fn cut_off(error: &Error) -> bool {
    error.problems().iter().any(|problem| match problem {
        Problem::Panicked {
            field: None,
            name: None,
            during,
        } => *during == OUTSIDE_THE_LOAD,
        Problem::Aborted { .. } => true,
        _ => false,
    })
}

/// The error of a refresh whose load panicked outside the load's own guards
/// (in a source, say): recorded like any failure, so the backoff applies.
fn panicked<T: SsmConfig>(shared: &Weak<Shared<T>>, id: u64) -> Error {
    let error = Error::new(
        T::DESCRIPTION.type_name,
        vec![Problem::Panicked {
            field: None,
            name: None,
            during: OUTSIDE_THE_LOAD,
        }],
    );
    tracing::warn!(
        config = T::DESCRIPTION.type_name,
        error = %error,
        "refresh failed; keeping the last good configuration"
    );
    if let Some(shared) = shared.upgrade() {
        shared.record(&Err(error.clone()), true);
        shared.end_flight(id);
    }
    error
}
/// The error of a refresh whose task was dropped with its runtime; the
/// next caller starts a new one.
fn aborted<T: SsmConfig>(shared: &Weak<Shared<T>>, id: u64) -> Error {
    if let Some(shared) = shared.upgrade() {
        shared.end_flight(id);
    }
    Error::new(
        T::DESCRIPTION.type_name,
        vec![Problem::Aborted {
            reason: "the runtime running the refresh shut down".into(),
        }],
    )
}
