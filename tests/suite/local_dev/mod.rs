//! Running without AWS and configuring from the environment: local files,
//! environment overrides, and the AWS settings `load()` takes from the
//! environment.

mod aws_environment;
mod environment_defaults;
mod files;
mod secret_stand_ins;
