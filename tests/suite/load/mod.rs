//! Loading a struct: batching, bounds, defaults, conversion, scale, source
//! failures and untyped access, all from `MemorySource`.

mod bounded;
mod concurrency;
mod defaults;
mod durations;
mod every_scenario;
mod nested_scale;
mod secrecy_interop;
mod source_errors;
mod untyped;
mod value_properties;
