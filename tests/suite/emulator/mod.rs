//! End to end over HTTP against moto: every scenario, injected network
//! faults, and the examples as a user runs them.

mod every_scenario;
mod examples;
mod faults;
