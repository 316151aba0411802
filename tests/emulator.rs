//! Every scenario end to end against the moto emulator over HTTP.

#[macro_use]
mod support;
mod scenarios;

use support::backend::moto;

scenario_tests!(moto);
