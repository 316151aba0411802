//! Structs that must compile cleanly: every attribute at once with warnings
//! denied, and the derive under `#![no_implicit_prelude]`. This crate names
//! the runtime `config_lib` and has no serde dependency of its own.

#![deny(warnings, missing_docs)]

pub mod every_attribute;
pub mod no_prelude;
