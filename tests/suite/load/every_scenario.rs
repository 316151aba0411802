//! Every scenario against the in-memory source.

use crate::support::backend::memory;

scenario_tests!(memory);
