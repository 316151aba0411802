//! The doctor: [`Report`], one row per binding, from
//! `AppConfig::check(&source)` or [`Loader::check`](crate::Loader::check).
//!
//! A check reads what a load reads, builds the struct the same way, and
//! then, where something failed, asks again name by name to say why: a
//! name that cannot be read is asked again without decryption, which tells
//! a KMS denial (readable, not decryptable) from an SSM one, and a missing
//! pinned version or label is told apart from a missing parameter by
//! asking for the name alone. It never stops at the first problem, and
//! prints no value that is secret.

use std::fmt;

use futures_util::StreamExt;
use futures_util::stream;
use serde::Serialize;

use crate::SsmConfig;
use crate::attempt::{Attempt, Settings};
use crate::build::origin_of;
use crate::error::Problem;
use crate::fetch::{Fetched, NameOutcome};
use crate::origin::Origin;
use crate::plan::{Presence, ValuePlan};
use crate::resolve::{NameRequest, Node, Requests, Slot};
use crate::source::{ParameterSource, ParameterType, SourceError, SourceErrorKind};

/// What a check found for every binding of a struct; see
/// `AppConfig::check(&source)`.
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
            Finding::Unreadable => "unreadable",
            Finding::InvalidName => "invalid name",
            Finding::FailsValidation => "fails validation",
        }
    }
}

impl Report {
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
        let errors = self.rows_of(Severity::Error).count() + self.problems.len();
        let warnings = self.rows_of(Severity::Warning).count();
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

/// What asking for a name alone told.
enum Diagnosis {
    /// Why it cannot be read, or why a pinned name is missing.
    Finding(Finding, String),
    /// Its batch failed, but alone it was read (or found missing): a name
    /// denied in the same call fails the whole call, as on AWS.
    Alone(NameOutcome),
    /// Nothing more to say than the load's own outcome.
    None,
}

pub(crate) async fn check<T: SsmConfig>(
    source: &dyn ParameterSource,
    settings: &Settings<'_>,
) -> Report {
    let mut report = Report {
        config: T::PLAN.type_name,
        source: source.describe(),
        would_load: false,
        rows: Vec::new(),
        problems: Vec::new(),
    };
    let mut attempt = match Attempt::<T>::run(source, settings, None).await {
        Ok(attempt) => attempt,
        Err(problem) => {
            report.problems.push(problem.to_string());
            return report;
        }
    };
    report.would_load = attempt.succeeded();
    // Each row tells its own name's state: a name that failed only
    // because another in its call was denied is read alone, and the struct
    // is built again from those answers.
    let mut diagnoses = diagnose(
        source,
        &attempt.resolution.requests,
        &attempt.fetched,
        settings.limits.concurrency,
    )
    .await;
    for (outcome, diagnosis) in attempt.fetched.names.iter_mut().zip(&mut diagnoses) {
        if let Diagnosis::Alone(_) = diagnosis
            && let Diagnosis::Alone(alone) = std::mem::replace(diagnosis, Diagnosis::None)
        {
            *outcome = alone;
        }
    }
    attempt.rebuild();
    let Attempt {
        resolution,
        fetched,
        problems,
        ..
    } = attempt;
    let context = Context {
        requests: &resolution.requests,
        fetched: &fetched,
        problems: &problems,
        diagnoses: &diagnoses,
    };
    context.rows(&resolution.root, &mut report.rows);
    for problem in &problems {
        if let Problem::Invalidated { at, message } = problem {
            let field = match at.is_empty() {
                true => T::PLAN.type_name,
                false => at,
            };
            report.rows.push(row(
                field,
                "#[ssm(validate)]",
                Finding::FailsValidation,
                message.clone(),
            ));
        }
    }
    report.problems.extend(
        problems
            .iter()
            .filter(|p| {
                p.field().is_none()
                    && !matches!(p, Problem::Source { .. } | Problem::Invalidated { .. })
            })
            .map(ToString::to_string),
    );
    report
}

/// Asks again, one by one and up to `concurrency` at once, for every name
/// whose call failed or that was missing under a pinned selector.
async fn diagnose(
    source: &dyn ParameterSource,
    requests: &Requests,
    fetched: &Fetched,
    concurrency: usize,
) -> Vec<Diagnosis> {
    // Collected first: a stream holding the closure would make this
    // future `Send` only for one lifetime.
    let asks: Vec<_> = requests
        .names
        .iter()
        .zip(&fetched.names)
        .map(|(request, outcome)| diagnose_one(source, fetched, request, outcome))
        .collect();
    stream::iter(asks)
        .buffered(concurrency.max(1))
        .collect()
        .await
}

/// What asking for one name again tells.
async fn diagnose_one(
    source: &dyn ParameterSource,
    fetched: &Fetched,
    request: &NameRequest,
    outcome: &NameOutcome,
) -> Diagnosis {
    let alone = match outcome {
        // A call that was throttled, timed out or found no server says the
        // same of every name in it: asking each alone would only wait
        // longer.
        NameOutcome::Failed if !name_specific(fetched, request) => None,
        NameOutcome::Failed => match failed(source, request).await {
            Ok(alone) => Some(alone),
            Err(diagnosis) => return diagnosis,
        },
        _ => None,
    };
    let missing = matches!(alone.as_ref().unwrap_or(outcome), NameOutcome::Missing);
    if missing
        && request.selector.is_some()
        && !request.is_secret()
        && let Some(diagnosis) = pinned(source, request).await
    {
        return diagnosis;
    }
    alone.map_or(Diagnosis::None, Diagnosis::Alone)
}

/// Whether the failure of `request`'s call may be about one of its names
/// (a denial, a name refused): then each is asked alone.
fn name_specific(fetched: &Fetched, request: &NameRequest) -> bool {
    let wire = request.wire();
    fetched.problems.iter().any(|problem| match problem {
        Problem::Source { names, error, .. } if names.contains(&wire) => matches!(
            error.kind(),
            SourceErrorKind::AccessDenied | SourceErrorKind::NotFound | SourceErrorKind::Other
        ),
        _ => false,
    })
}

/// A name whose call failed, asked alone: what it holds, or why it cannot
/// be read. A denial with decryption is asked once more without, so a KMS
/// denial is told from an SSM one.
async fn failed(
    source: &dyn ParameterSource,
    request: &NameRequest,
) -> Result<NameOutcome, Diagnosis> {
    let wire = [request.wire()];
    let err = match source.get_parameters(&wire, request.decrypt).await {
        Ok(output) => {
            let found = output
                .parameters
                .into_iter()
                .find(|p| p.name == request.name || p.name == request.match_key());
            return Ok(found.map_or(NameOutcome::Missing, NameOutcome::Found));
        }
        Err(err) if err.kind() == SourceErrorKind::NotFound => return Ok(NameOutcome::Missing),
        Err(err) => err,
    };
    Err(denied(source, request, &wire, err).await)
}

async fn denied(
    source: &dyn ParameterSource,
    request: &NameRequest,
    wire: &[String],
    err: SourceError,
) -> Diagnosis {
    if err.kind() != SourceErrorKind::AccessDenied {
        return Diagnosis::Finding(Finding::Unreadable, err.to_string());
    }
    if request.decrypt && !request.is_secret() {
        return match source.get_parameters(wire, false).await {
            Ok(_) => Diagnosis::Finding(
                Finding::NotDecryptable,
                format!("KMS denied decryption (readable without it): {err}"),
            ),
            Err(plain) if plain.kind() == SourceErrorKind::AccessDenied => Diagnosis::Finding(
                Finding::AccessDenied,
                format!("SSM denied reading: {plain}"),
            ),
            Err(plain) => Diagnosis::Finding(Finding::Unreadable, plain.to_string()),
        };
    }
    // A secret cannot be read without decryption: the message tells.
    match mentions_kms(&err) {
        true => Diagnosis::Finding(
            Finding::NotDecryptable,
            format!("KMS denied decryption: {err}"),
        ),
        false => Diagnosis::Finding(Finding::AccessDenied, format!("access denied: {err}")),
    }
}

fn mentions_kms(err: &SourceError) -> bool {
    let text = err.to_string().to_ascii_lowercase();
    text.contains("kms") || text.contains("ciphertext")
}

/// A pinned name that is missing: does the parameter exist at all?
async fn pinned(source: &dyn ParameterSource, request: &NameRequest) -> Option<Diagnosis> {
    let selector = request.selector.as_ref()?;
    let latest = source
        .get_parameters(std::slice::from_ref(&request.name), false)
        .await
        .ok()?;
    let found = latest.parameters.first()?;
    let what = match selector {
        crate::plan::Selector::Version(v) => format!("version {v} does not exist"),
        crate::plan::Selector::Label(l) => format!("no version carries the label `{l}`"),
    };
    Some(Diagnosis::Finding(
        Finding::PinnedAbsent,
        format!("{what}; the latest is version {}", found.version),
    ))
}

struct Context<'a> {
    requests: &'a Requests,
    fetched: &'a Fetched,
    problems: &'a [Problem],
    diagnoses: &'a [Diagnosis],
}

impl Context<'_> {
    fn rows(&self, node: &Node, out: &mut Vec<Row>) {
        for slot in node.leaves() {
            let row = match slot {
                Slot::Nested(_) | Slot::Skip => continue,
                Slot::Env {
                    field, variable, ..
                } => {
                    let origin = Origin::Env {
                        variable: variable.clone(),
                    };
                    match self.problem_of(field) {
                        Some(problem) => {
                            row(field, variable, problem_finding(problem), detail(problem))
                        }
                        None => row(
                            field,
                            variable,
                            Finding::Overridden,
                            format!("from {origin}"),
                        ),
                    }
                    .from(Some(origin))
                }
                Slot::Name {
                    field,
                    request,
                    key,
                    value,
                } => self.name_row(field, *request, *key, value),
                Slot::Path { field, request, .. } => {
                    let path = &self.requests.paths[*request].path;
                    match (self.problem_of(field), &self.fetched.paths[*request]) {
                        (Some(problem), _) => {
                            row(field, path, problem_finding(problem), detail(problem))
                        }
                        (None, Some(found)) => {
                            let count = match found.len() {
                                1 => "1 parameter".to_owned(),
                                n => format!("{n} parameters"),
                            };
                            row(field, path, Finding::Present, count)
                        }
                        (None, None) => {
                            let why = self.source_problem(path);
                            row(field, path, Finding::Unreadable, why)
                        }
                    }
                }
                Slot::Unresolved { field } => {
                    let why = match self.problem_of(field) {
                        Some(problem) => detail(problem),
                        None => "its name could not be made; see the problems below".into(),
                    };
                    row(field, "", Finding::InvalidName, why)
                }
            };
            out.push(row);
        }
    }

    fn name_row(&self, field: &str, request: usize, key: Option<&str>, value: &ValuePlan) -> Row {
        let asked = &self.requests.names[request];
        let name = asked.wire();
        match (&self.fetched.names[request], &self.diagnoses[request]) {
            (_, Diagnosis::Finding(finding, why)) => row(field, &name, *finding, why.clone()),
            (NameOutcome::Failed, _) => row(
                field,
                &name,
                Finding::Unreadable,
                self.source_problem(&name),
            ),
            (NameOutcome::Missing, _) => match value.presence {
                Presence::Default => row(
                    field,
                    &name,
                    Finding::Defaulted,
                    "missing; the default is used".into(),
                )
                .from(Some(Origin::Default)),
                Presence::Optional => row(
                    field,
                    &name,
                    Finding::AbsentOptional,
                    "missing; the field is None".into(),
                ),
                Presence::Required => row(
                    field,
                    &name,
                    Finding::Missing,
                    "missing; required, with no default".into(),
                ),
            },
            (NameOutcome::Found(parameter), _) => {
                let origin = origin_of(asked, parameter, key);
                if let Some(problem) = self.problem_of(field) {
                    return row(field, &name, problem_finding(problem), detail(problem))
                        .from(Some(origin));
                }
                let listed = parameter.kind == ParameterType::StringList;
                let row = match (value.list, listed) {
                    (true, false) if parameter.kind == ParameterType::String => row(
                        field,
                        &name,
                        Finding::WrongType,
                        "a String where a StringList is bound: it loads, split on commas".into(),
                    )
                    .warning(),
                    (false, true) => row(
                        field,
                        &name,
                        Finding::WrongType,
                        "a StringList where one value is bound: the field gets the whole list as text"
                            .into(),
                    )
                    .warning(),
                    _ => row(field, &name, Finding::Present, format!("from {origin}")),
                };
                row.from(Some(origin))
            }
        }
    }

    fn problem_of(&self, field: &str) -> Option<&Problem> {
        self.problems.iter().find(|p| p.field() == Some(field))
    }

    /// The failed call's own words, for a name or path it was reading.
    fn source_problem(&self, name: &str) -> String {
        self.problems
            .iter()
            .find_map(|p| match p {
                Problem::Source { names, error, .. } if names.iter().any(|n| n == name) => {
                    Some(error.to_string())
                }
                _ => None,
            })
            .unwrap_or_else(|| "it could not be read".into())
    }
}

fn row(field: &str, name: &str, finding: Finding, detail: String) -> Row {
    let severity = match finding {
        Finding::Present | Finding::Overridden | Finding::Defaulted | Finding::AbsentOptional => {
            Severity::Ok
        }
        _ => Severity::Error,
    };
    Row {
        field: field.to_owned(),
        name: name.to_owned(),
        finding,
        severity,
        detail,
        origin: None,
    }
}

impl Row {
    fn from(mut self, origin: Option<Origin>) -> Row {
        self.origin = origin;
        self
    }

    fn warning(mut self) -> Row {
        self.severity = Severity::Warning;
        self
    }
}

fn problem_finding(problem: &Problem) -> Finding {
    match problem {
        Problem::SecureStringNotSecret { .. } => Finding::WrongType,
        Problem::Invalid { .. } | Problem::MissingKey { .. } | Problem::Panicked { .. } => {
            Finding::DoesNotConvert
        }
        Problem::Missing { .. } => Finding::Missing,
        Problem::InvalidName { .. } | Problem::InvalidSelector { .. } => Finding::InvalidName,
        _ => Finding::Unreadable,
    }
}

/// A problem's words without the `field ...:` its row already shows.
fn detail(problem: &Problem) -> String {
    let text = problem.to_string();
    match (problem.field(), text.split_once(": ")) {
        (Some(_), Some((head, rest))) if head.starts_with("field ") => rest.to_owned(),
        _ => text,
    }
}
