//! The integration tests: one binary, a module per feature, each test run
//! the way a user runs the crate. The shared pieces are `support` (the moto
//! emulator, a backend over moto or `MemorySource`, counting and scripted
//! fault sources, a fault-injecting proxy, a real-time bound for tests on a
//! paused clock) and `scenarios` (end-to-end cases run against both
//! backends).
//!
//! Tests that need moto start it on first use (`support::emulator`); with
//! `CI=true` a missing emulator fails them instead of skipping. Tests that
//! change process-wide state (environment variables, a global tracing
//! subscriber, the panic hook) run in a child process of their own
//! (`support::process`).

#[macro_use]
mod support;
mod scenarios;

mod canary;
mod compile_errors;
mod emulator;
mod events;
mod feature_sets;
mod load;
mod local_dev;
mod names;
mod observability;
mod public_api;
mod refresh;
mod release;
mod tools;
