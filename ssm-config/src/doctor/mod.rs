//! The doctor: [`Report`], one row per binding, from
//! [`Loader::diagnose`](crate::Loader::diagnose)
//! (`AppConfig::loader().source(source).diagnose()`).
//!
//! A check reads what a load reads, builds the struct the same way, and
//! then, where something failed, asks again name by name to say why: a
//! name that cannot be read is asked again without decryption, which tells
//! a KMS denial (readable, not decryptable) from an SSM one, and a missing
//! pinned version or label is told apart from a missing parameter by
//! asking for the name alone. It never stops at the first problem, and
//! prints no value that is secret.

mod binding_rows;
mod diagnose;
mod finding;
mod report;
mod row;
mod severity;

pub(crate) use diagnose::diagnose;
pub use finding::Finding;
pub use report::Report;
pub use row::Row;
pub use severity::Severity;
