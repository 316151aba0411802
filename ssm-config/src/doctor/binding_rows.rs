//! The report's rows: one per binding, from what the attempt and the
//! diagnosis told.

use ssm_config_rules::{format_duration, is_bare_number, parse_duration_in};

use super::{Finding, Row, Severity};
use crate::description::{Presence, ValueDescription};
use crate::error::Problem;
use crate::origin::Origin;
use crate::pipeline::build::{origin_of, sensitive};
use crate::pipeline::defaults::{Defaulted, Defaults};
use crate::pipeline::fetch::fetched::{Fetched, NameOutcome};
use crate::pipeline::resolve::resolved::{Leaf, Node, Requests};
use crate::pipeline::stand_ins::StandIn;
use crate::source::{Parameter, ParameterType};

/// What asking for a name alone told.
pub(super) enum Diagnosis {
    /// Why it cannot be read, or why a pinned name is missing.
    Finding(Finding, String),
    /// Its batch failed, but alone it was read (or found missing): a name
    /// denied in the same call fails the whole call, as on AWS.
    Alone(NameOutcome),
    /// Nothing more to say than the load's own outcome.
    None,
}

pub(super) struct Context<'a> {
    pub requests: &'a Requests,
    pub fetched: &'a Fetched,
    pub problems: &'a [Problem],
    pub diagnoses: &'a [Diagnosis],
    /// The problems of no field, as the report lists them.
    pub shared: &'a [&'a Problem],
    /// Whether a value read from its default is worth a warning here.
    pub defaults: Defaults,
    /// The secrets the build found served from beside the store, defaults
    /// among them: their defaults are never shown.
    pub stand_ins: &'a [StandIn],
}

impl Context<'_> {
    pub fn rows(&self, node: &Node, out: &mut Vec<Row>) {
        for leaf in node.leaves(self.requests) {
            let row = match leaf {
                Leaf::Env {
                    field, variable, ..
                } => {
                    let origin = Origin::Env {
                        variable: variable.to_owned(),
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
                Leaf::Name {
                    field,
                    index,
                    key,
                    value,
                    env,
                    ..
                } => self.name_row(field, index, key, value, env),
                Leaf::Path {
                    field,
                    request,
                    index,
                    value,
                } => {
                    let path = &request.path;
                    match (self.problem_of(field), &self.fetched.paths[index]) {
                        (Some(problem), _) => {
                            row(field, path, problem_finding(problem), detail(problem))
                        }
                        (None, Some(found)) => {
                            let unitless = found.iter().find_map(|parameter| {
                                let why = unitless_duration(value, parameter)?;
                                Some(format!("{}: {why}", parameter.name))
                            });
                            let count = match found.len() {
                                1 => "1 parameter".to_owned(),
                                n => format!("{n} parameters"),
                            };
                            match unitless {
                                Some(why) => {
                                    row(field, path, Finding::UnitlessDuration, why).warning()
                                }
                                None => row(field, path, Finding::Present, count),
                            }
                        }
                        (None, None) => self.unreadable(field, path),
                    }
                }
                Leaf::Unresolved { field, template } => match self.problem_of(field) {
                    Some(problem) => row(field, template, Finding::InvalidName, detail(problem)),
                    None => {
                        let cause = self.shared_cause(template);
                        // The cause is said once, under the table.
                        let why = match cause.map(|at| self.shared[at]) {
                            Some(
                                Problem::UnsetVariable { variable, .. }
                                | Problem::InvalidVariable { variable, .. },
                            ) => format!("needs `{variable}` (see below)"),
                            _ => "its name could not be made (see below)".into(),
                        };
                        let mut row = row(field, template, Finding::InvalidName, why);
                        row.cause = cause;
                        row
                    }
                },
            };
            out.push(row);
        }
    }

    fn name_row(
        &self,
        field: &str,
        request: usize,
        key: Option<&str>,
        value: &ValueDescription,
        env: Option<&str>,
    ) -> Row {
        let asked = &self.requests.names[request];
        let name = asked.wire();
        match (&self.fetched.names[request], &self.diagnoses[request]) {
            (_, Diagnosis::Finding(finding, why)) => row(field, &name, *finding, why.clone()),
            (NameOutcome::Failed, _) => self.unreadable(field, &name),
            // A default that does not convert, or whose code panicked.
            (NameOutcome::Missing, _) if let Some(problem) = self.problem_of(field) => {
                row(field, &name, problem_finding(problem), detail(problem))
            }
            (NameOutcome::Missing, _) => match value.presence {
                Presence::Default => self.defaulted(field, name, value),
                Presence::Optional => row(
                    field,
                    &name,
                    Finding::AbsentOptional,
                    "missing; the field is None".into(),
                ),
                Presence::Required => {
                    let mut why = String::from("missing; required, with no default");
                    if let Some(variable) = env {
                        why.push_str(&format!("; `{variable}` would override it"));
                    }
                    row(field, &name, Finding::Missing, why)
                }
            },
            (NameOutcome::Found(parameter), _) => {
                let origin = origin_of(asked, parameter, key);
                if let Some(problem) = self.problem_of(field) {
                    return row(field, &name, problem_finding(problem), detail(problem))
                        .from(Some(origin));
                }
                let listed = parameter.kind == ParameterType::StringList;
                let in_clear = value.secret
                    && !asked.is_secret()
                    && parameter.kind != ParameterType::SecureString;
                let row = match (value.list, listed) {
                    _ if in_clear => row(
                        field,
                        &name,
                        Finding::Unencrypted,
                        format!(
                            "a `Secret<_>` field reads a {} parameter, stored unencrypted: make it a SecureString (`aws ssm put-parameter --type SecureString --overwrite`)",
                            parameter.kind
                        ),
                    )
                    .warning(),
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
                    _ => match unitless_duration(value, parameter) {
                        Some(why) => row(field, &name, Finding::UnitlessDuration, why).warning(),
                        None => row(field, &name, Finding::Present, format!("from {origin}")),
                    },
                };
                row.from(Some(origin))
            }
        }
    }

    /// The row of a value read from its default: a warning where every
    /// value should come from the store (`Loader::warn_of_defaults`).
    fn defaulted(&self, field: &str, name: String, value: &ValueDescription) -> Row {
        let defaulted = Defaulted::of(field, name, value, self.stand_ins);
        let row = match self.defaults {
            Defaults::Quiet => row(
                field,
                &defaulted.name,
                Finding::Defaulted,
                format!("missing; {}", defaulted.what_is_used()),
            ),
            Defaults::Warn => row(
                field,
                &defaulted.name,
                Finding::Defaulted,
                format!(
                    "missing; {}, where every value should come from the store (`Loader::warn_of_defaults`): create the parameter",
                    defaulted.what_is_used()
                ),
            )
            .warning(),
        };
        row.from(Some(Origin::Default))
    }

    /// Which of the problems of no field fails the name `template`: the
    /// variable it uses, or else the only such problem.
    fn shared_cause(&self, template: &str) -> Option<usize> {
        let uses = |variable: &str| template.contains(&format!("{{{variable}}}"));
        self.shared
            .iter()
            .position(|problem| match problem {
                Problem::UnsetVariable { variable, .. }
                | Problem::InvalidVariable { variable, .. } => uses(variable),
                _ => false,
            })
            .or((self.shared.len() == 1).then_some(0))
    }

    fn problem_of(&self, field: &str) -> Option<&Problem> {
        self.problems.iter().find(|p| p.field() == Some(field))
    }

    /// The row of a name or path whose call failed: in the failure's own
    /// words, or pointing to them under the table when other rows share
    /// the failure.
    fn unreadable(&self, field: &str, name: &str) -> Row {
        let reads = |p: &&Problem| matches!(p, Problem::Source { names, .. } if names.iter().any(|n| n == name));
        if let Some(at) = self.shared.iter().position(&reads) {
            let mut row = row(field, name, Finding::Unreadable, "see below".into());
            row.cause = Some(at);
            return row;
        }
        let why = match self.problems.iter().find(reads) {
            Some(Problem::Source { error, .. }) => error.to_string(),
            _ => "it could not be read".into(),
        };
        row(field, name, Finding::Unreadable, why)
    }
}

pub(super) fn row(field: &str, name: &str, finding: Finding, detail: String) -> Row {
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
        cause: None,
    }
}

impl Row {
    fn from(mut self, origin: Option<Origin>) -> Row {
        self.origin = origin;
        self
    }

    pub(super) fn warning(mut self) -> Row {
        self.severity = Severity::Warning;
        self
    }
}

fn problem_finding(problem: &Problem) -> Finding {
    match problem {
        Problem::SecureStringNotSecret { .. } => Finding::WrongType,
        Problem::SecretOverridden { .. } => Finding::NotFromStore,
        Problem::Invalid { .. } | Problem::MissingKey { .. } | Problem::Panicked { .. } => {
            Finding::DoesNotConvert
        }
        Problem::Missing { .. } => Finding::Missing,
        Problem::Placeholder { .. } => Finding::Placeholder,
        Problem::InvalidName { .. } | Problem::InvalidSelector { .. } => Finding::InvalidName,
        _ => Finding::Unreadable,
    }
}

/// Marks the row of each secret that loads from beside the store (in a
/// load that lets it) as a warning: it loads, but not the store's value.
pub(super) fn mark_stand_ins(rows: &mut [Row], stand_ins: &[StandIn]) {
    for row in rows.iter_mut().filter(|row| row.severity == Severity::Ok) {
        if let Some(stand_in) = stand_ins.iter().find(|s| s.field == row.field) {
            row.finding = Finding::NotFromStore;
            row.severity = Severity::Warning;
            row.detail = format!(
                "a secret from {}, not from the store; `Loader::refuse_secret_overrides` refuses it",
                stand_in.origin
            );
        }
    }
}

/// Why a `Duration` field that does not say its unit deserves a look: it
/// read a bare number (an item of a list, for a list) as seconds. The
/// number is quoted only where the field is not secret.
fn unitless_duration(value: &ValueDescription, parameter: &Parameter) -> Option<String> {
    let duration = value.duration.filter(|d| !d.declared)?;
    let text = parameter.value.as_str();
    let items: Vec<&str> = match value.list {
        true => text.split(',').collect(),
        false => vec![text],
    };
    let bare = items.into_iter().find(|item| is_bare_number(item))?.trim();
    let unit = duration.unit.words();
    let fix = "`#[ssm(unit = \"ms\")]` (or `\"s\"` to keep seconds)";
    Some(match sensitive(value, parameter.kind) {
        true => format!(
            "a bare number, read as {unit}: write its unit (`ms`, `s`, `m`, `h`), or give the field {fix}"
        ),
        false => {
            let read_as = parse_duration_in(bare, duration.unit)
                .map(format_duration)
                .unwrap_or_default();
            format!(
                "`{bare}` is read as {unit}, {read_as}: write its unit (`{bare}ms`), or give the field {fix}"
            )
        }
    })
}

/// A problem's words without the `field ...:` its row already shows.
fn detail(problem: &Problem) -> String {
    let text = problem.to_string();
    match (problem.field(), text.split_once(": ")) {
        (Some(_), Some((head, rest))) if head.starts_with("field ") => rest.to_owned(),
        _ => text,
    }
}
