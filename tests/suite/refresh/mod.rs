//! The live handle and its refreshes: single flight, all or nothing, under
//! hostile callers and stores, in an outage, and across a fleet.

mod derived;
mod fleet;
mod hostile;
mod huge_durations;
mod live;
mod outage;
mod stalled_watch;
