//! [`Report`]: what the doctor found for every binding of a struct.

use std::fmt;

use serde::Serialize;

use super::{Row, Severity};

/// What a check found for every binding of a struct; see
/// `AppConfig::loader().source(source.clone()).diagnose()`.
///
/// `Display` prints a table and a verdict; `Serialize` gives the same as
/// data, for a deploy pipeline.
///
/// ```text
/// diagnosis of `AppConfig` against AWS SSM (eu-west-1): a load would fail (2 errors, 1 warning)
/// FIELD        PARAMETER                        STATUS           DETAIL
/// db_host      /prod/orders/db_host             present          version 3
/// db_port      /prod/orders/db/port             defaulted        missing; the default (`5432`) is used
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
            "diagnosis of `{}` against {}: {verdict} ({}, {})",
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
