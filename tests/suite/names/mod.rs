//! Names: one rulebook at build and load time, and parameters shared by ARN.

mod hostile_text;
mod naming_parity;
mod shared_parameters;
