//! Guides, one job each; every example in them is compiled and run by the
//! test command.
//!
//! - [`live_handle`]: loading, snapshots, refreshes, values derived from
//!   the configuration, `refresh_on_error`, Lambda.
//! - [`fleet`]: many instances under one Parameter Store quota: the
//!   arithmetic, refreshing ahead of expiry, watch mode, change events.
//! - [`local_development`]: the same struct from files and environment
//!   variables on a laptop, and where each value came from.
//! - [`tools`]: the binding plan, the doctor, bootstrap, the least-privilege
//!   IAM policy.
//! - [`testing`]: your code's tests, on an in-memory store.
//! - [`when_things_go_wrong`]: errors, what they never show, deadlines,
//!   backoff, health for readiness probes, spans and metrics.
//!
//! The attributes of `#[derive(SsmConfig)]` are documented on the
//! [derive](macro@crate::SsmConfig) itself.
//!
//! A guide whose examples need an optional feature is compiled as a test
//! only when that feature is on (`cargo test --workspace` turns every one
//! on); it is documented either way.

#[doc = include_str!("live_handle.md")]
pub mod live_handle {}

#[cfg(any(not(doctest), feature = "events"))]
#[doc = include_str!("fleet.md")]
pub mod fleet {}

#[cfg(any(not(doctest), feature = "file"))]
#[doc = include_str!("local_development.md")]
pub mod local_development {}

#[cfg(any(
    not(doctest),
    all(feature = "doctor", feature = "bootstrap", feature = "iam")
))]
#[doc = include_str!("tools.md")]
pub mod tools {}

#[doc = include_str!("testing.md")]
pub mod testing {}

#[doc = include_str!("when_things_go_wrong.md")]
pub mod when_things_go_wrong {}
