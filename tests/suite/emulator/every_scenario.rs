//! Every scenario end to end against the moto emulator over HTTP.

use crate::support::backend::moto;

scenario_tests!(moto);
