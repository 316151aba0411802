//! The tools around a load: the doctor, bootstrap outputs and IAM policies.

mod bootstrap;
mod bootstrap_inputs;
mod bootstrap_parsed;
mod bootstrap_properties;
mod bootstrap_sandbox;
mod bootstrap_shells;
mod doctor;
mod iam;
