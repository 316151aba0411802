//! The tools around a load: the doctor, bootstrap outputs and IAM policies.

mod bootstrap;
mod doctor;
mod iam;
