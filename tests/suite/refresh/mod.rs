//! The live handle and its refreshes: single flight, all or nothing, under
//! hostile callers and stores, in an outage, and across a fleet.

mod fleet;
mod hostile;
mod huge_durations;
mod live;
mod outage;
mod rebuilt_on_read;
mod stalled_watch;
