//! The doctor: [`Report`], one row per binding, from
//! `AppConfig::loader().source(source.clone()).diagnose()` or [`Loader::check`](crate::Loader::check).
//!
//! A check reads what a load reads, builds the struct the same way, and
//! then, where something failed, asks again name by name to say why: a
//! name that cannot be read is asked again without decryption, which tells
//! a KMS denial (readable, not decryptable) from an SSM one, and a missing
//! pinned version or label is told apart from a missing parameter by
//! asking for the name alone. It never stops at the first problem, and
//! prints no value that is secret.

mod check;
mod rows;

pub(crate) use check::check;

use std::fmt;

use serde::Serialize;

use crate::origin::Origin;
/// What a check found for every binding of a struct; see
/// `AppConfig::loader().source(source.clone()).diagnose()`.
///
/// `Display` prints a table and a verdict; `Serialize` gives the same as
/// data, for a deploy pipeline.
///
/// ```text
/// check of `AppConfig` against AWS SSM (eu-west-1): a load would fail (2 errors, 1 warning)
/// FIELD        PARAMETER                        STATUS           DETAIL
/// db_host      /prod/orders/db_host             present          version 3
/// db_port      /prod/orders/db/port             defaulted        missing; the default is used
/// allowed_ips  /shared/allowed-ips              wrong type       a String where a StringList is bound: it loads, split on commas
/// tls_cert     /prod/orders/tls/cert:4          pinned absent    version 4 does not exist; the latest is version 3
/// db_password  /prod/orders/db/password         not decryptable  KMS denied decryption: ...
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The struct checked.
    pub config: &'static str,
    /// The source checked against.
    pub source: String,
    /// Whether a load from this source would succeed now.
    pub would_load: bool,
    /// One row per field bound to a parameter, secret, path or variable.
    pub rows: Vec<Row>,
    /// Problems about no single field: an unset `{VAR}` of the prefix, a
    /// bad `Loader::env_prefix`.
    pub problems: Vec<String>,
}

/// One binding's state.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The field, dotted through nested structs.
    pub field: String,
    /// The parameter (selector included), secret reference, path or
    /// environment variable read.
    pub name: String,
    /// What was found.
    pub finding: Finding,
    /// Whether it stops a load.
    pub severity: Severity,
    /// Why, in a sentence; never a secret value.
    pub detail: String,
    /// Where the value came from, when one was read.
    pub origin: Option<Origin>,
    /// When the row fails for a cause shared with other rows, such as an
    /// unset `{VAR}` of the prefix: its index in [`Report::problems`],
    /// where it is said (and counted) once.
    pub cause: Option<usize>,
}

/// What a check found for one binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Finding {
    /// The value is there and converts.
    Present,
    /// An environment variable overrides it, and converts.
    Overridden,
    /// Missing, and `#[ssm(default)]` covers it.
    Defaulted,
    /// Missing, and the field is an `Option`.
    AbsentOptional,
    /// Missing, and required.
    Missing,
    /// The parameter's type is not the one bound: a SecureString in a field
    /// that is not `Secret<_>` (an error), or a String where a StringList is
    /// bound and the reverse (warnings: they load).
    WrongType,
    /// Readable but not decryptable: KMS denied `kms:Decrypt`.
    NotDecryptable,
    /// SSM (or Secrets Manager) denied reading it.
    AccessDenied,
    /// The parameter exists, but not the pinned version or label.
    PinnedAbsent,
    /// The value does not convert to the field's type, or a JSON secret
    /// lacks the key.
    DoesNotConvert,
    /// The value is still the placeholder bootstrap wrote
    /// (`CHANGE_ME(...)`): it was created and never filled in.
    Placeholder,
    /// A `Secret<_>` field reads a parameter stored unencrypted (a String
    /// or StringList): it loads, but the value sits in clear text in SSM
    /// (a warning).
    Unencrypted,
    /// An entry of a local file, or an override variable under the
    /// `env_prefix`, that no field reads: most likely a typo (a warning,
    /// with the near miss a field does read; the row's field is `-`).
    Unused,
    /// A secret (a `Secret<_>` or `plaintext` field, a SecureString, a
    /// Secrets Manager secret, a `json` type that holds a `Secret`) whose
    /// value comes from an environment override or a layer above the
    /// store: a warning, and an error when the loader
    /// [refuses](crate::Loader::refuse_secret_overrides) it.
    NotFromStore,
    /// The source failed otherwise (throttled, unreachable, a bad file).
    Unreadable,
    /// The name could not be made: an unset or invalid `{VAR}`, a name SSM
    /// would refuse.
    InvalidName,
    /// Every field is there and converts, but the struct's
    /// `#[ssm(validate = ...)]` function refuses the whole (the row of the
    /// struct, named `#[ssm(validate)]`).
    FailsValidation,
}

/// How much a row matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Loads as intended.
    Ok,
    /// Loads, but probably not as intended.
    Warning,
    /// A load fails.
    Error,
}

impl Finding {
    /// The words `Display` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Finding::Present => "present",
            Finding::Overridden => "overridden",
            Finding::Defaulted => "defaulted",
            Finding::AbsentOptional => "absent (optional)",
            Finding::Missing => "missing",
            Finding::WrongType => "wrong type",
            Finding::NotDecryptable => "not decryptable",
            Finding::AccessDenied => "access denied",
            Finding::PinnedAbsent => "pinned absent",
            Finding::DoesNotConvert => "does not convert",
            Finding::Placeholder => "placeholder",
            Finding::Unencrypted => "unencrypted",
            Finding::Unused => "unused",
            Finding::NotFromStore => "not from the store",
            Finding::Unreadable => "unreadable",
            Finding::InvalidName => "invalid name",
            Finding::FailsValidation => "fails validation",
        }
    }
}

impl Report {
    /// The errors: each row's own, and each of [`problems`](Report::problems)
    /// once, however many rows it fails.
    pub fn error_count(&self) -> usize {
        let own = self
            .rows_of(Severity::Error)
            .filter(|row| row.cause.is_none())
            .count();
        own + self.problems.len()
    }

    /// The rows that load, but probably not as intended.
    pub fn warning_count(&self) -> usize {
        self.rows_of(Severity::Warning).count()
    }

    /// The rows of this severity.
    pub fn rows_of(&self, severity: Severity) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(move |row| row.severity == severity)
    }

    /// The row of a field.
    pub fn row(&self, field: &str) -> Option<&Row> {
        self.rows.iter().find(|row| row.field == field)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (errors, warnings) = (self.error_count(), self.warning_count());
        let verdict = if self.would_load {
            "a load would succeed"
        } else {
            "a load would fail"
        };
        let plural = |n: usize, word: &str| match n {
            1 => format!("1 {word}"),
            n => format!("{n} {word}s"),
        };
        writeln!(
            f,
            "check of `{}` against {}: {verdict} ({}, {})",
            self.config,
            self.source,
            plural(errors, "error"),
            plural(warnings, "warning")
        )?;
        let header = ["FIELD", "PARAMETER", "STATUS", "DETAIL"].map(str::to_owned);
        let rows: Vec<[String; 4]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    r.field.clone(),
                    r.name.clone(),
                    r.finding.as_str().to_owned(),
                    r.detail.clone(),
                ]
            })
            .collect();
        let mut widths = header.clone().map(|h| h.len());
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        for row in std::iter::once(&header).chain(&rows) {
            let line: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(cell, width)| format!("{cell:width$}"))
                .collect();
            writeln!(f, "{}", line.join("  ").trim_end())?;
        }
        for problem in &self.problems {
            writeln!(f, "- {problem}")?;
        }
        Ok(())
    }
}
