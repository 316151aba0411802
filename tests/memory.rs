//! Every scenario against the in-memory source.

#[macro_use]
mod support;
mod scenarios;

use support::backend::memory;

scenario_tests!(memory);
