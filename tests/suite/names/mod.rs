//! Names: one rulebook at build and load time, and parameters shared by ARN.

mod naming_parity;
mod shared_parameters;
