//! A diagnosis: one attempt of the load's own pipeline, then, where something
//! failed, each name asked again alone to say why.

use std::collections::HashSet;

use futures_util::StreamExt;
use futures_util::stream;

use super::binding_rows::{self as rows, Context, Diagnosis, row};
use super::{Finding, Report};
use tracing::Instrument;

use crate::SsmConfig;
use crate::error::Problem;
use crate::observe::{Observation, Operation};
use crate::pipeline::attempt::{Attempt, Reuse, Settings};
use crate::pipeline::deadline::Timed;
use crate::pipeline::fetch::fetched::{Fetched, NameOutcome};
use crate::pipeline::resolve::resolved::{NameRequest, Requests};
use crate::source::{ForPrefix, ParameterSource, SourceError, SourceErrorKind};

pub(crate) async fn diagnose<T: SsmConfig>(
    source: &dyn ParameterSource,
    settings: &Settings<'_>,
) -> Report {
    let observation = Observation::start(
        Operation::Diagnose,
        T::DESCRIPTION.type_name,
        &source.describe(),
    );
    let report = diagnosed::<T>(source, settings)
        .instrument(observation.span().clone())
        .await;
    observation.span().record("would_load", report.would_load);
    observation.finish(Ok(None));
    report
}

async fn diagnosed<T: SsmConfig>(source: &dyn ParameterSource, settings: &Settings<'_>) -> Report {
    let mut report = Report {
        config: T::DESCRIPTION.type_name,
        source: source.describe(),
        would_load: false,
        rows: Vec::new(),
        problems: Vec::new(),
    };
    let mut attempt = match Attempt::<T>::run(source, settings, Reuse::Nothing).await {
        Ok(attempt) => attempt,
        Err(problem) => {
            report.problems.push(problem.to_string());
            return report;
        }
    };
    report.would_load = attempt.succeeded();
    let source = ForPrefix::new(source, attempt.resolution.prefix.as_deref());
    let source =
        Timed::new(source.get(), settings.limits.call_timeout).counted(T::DESCRIPTION.type_name);
    // Each row tells its own name's state: a name that failed only
    // because another in its call was denied is read alone, and the struct
    // is built again from those answers.
    let mut diagnoses = diagnose_names(
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
        strays,
        stand_ins,
        ..
    } = attempt;
    // Said once, under the table: problems of no field, and a failure that
    // still leaves several names unread (a file that does not parse, an
    // unreachable source), which each row it fails points to.
    let unread = unread_names(&resolution.requests, &fetched, &diagnoses);
    let shared: Vec<&Problem> = problems
        .iter()
        .filter(|p| match p {
            Problem::Source { names, .. } => {
                names.iter().filter(|n| unread.contains(n.as_str())).count() > 1
            }
            Problem::Invalidated { .. } => false,
            other => other.field().is_none(),
        })
        .collect();
    let context = Context {
        requests: &resolution.requests,
        fetched: &fetched,
        problems: &problems,
        diagnoses: &diagnoses,
        shared: &shared,
        defaults: settings.not_from_store.defaults,
        stand_ins: &stand_ins,
    };
    context.rows(&resolution.root, &mut report.rows);
    rows::mark_stand_ins(&mut report.rows, &stand_ins);
    for problem in &problems {
        if let Problem::Invalidated { at, message } = problem {
            let field = match at.is_empty() {
                true => T::DESCRIPTION.type_name,
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
    report
        .problems
        .extend(shared.iter().map(ToString::to_string));
    for stray in &strays {
        let row = row("-", &stray.name, Finding::Unused, stray.describe());
        report.rows.push(row.warning());
    }
    report
}

/// The names and paths that are still unread once each failed name was
/// asked again alone.
fn unread_names(
    requests: &Requests,
    fetched: &Fetched,
    diagnoses: &[Diagnosis],
) -> HashSet<String> {
    let names = requests
        .names
        .iter()
        .zip(&fetched.names)
        .zip(diagnoses)
        .filter(|((_, outcome), diagnosis)| {
            matches!(outcome, NameOutcome::Failed) && !matches!(diagnosis, Diagnosis::Finding(..))
        })
        .map(|((request, _), _)| request.wire());
    let paths = requests
        .paths
        .iter()
        .zip(&fetched.paths)
        .filter(|(_, found)| found.is_none())
        .map(|(request, _)| request.path.clone());
    names.chain(paths).collect()
}

/// Asks again, one by one and up to `concurrency` at once, for every name
/// whose call failed or that was missing under a pinned selector; each
/// call under the call timeout, as the attempt's were.
async fn diagnose_names(
    source: Timed<'_>,
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
    source: Timed<'_>,
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
async fn failed(source: Timed<'_>, request: &NameRequest) -> Result<NameOutcome, Diagnosis> {
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
    source: Timed<'_>,
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
async fn pinned(source: Timed<'_>, request: &NameRequest) -> Option<Diagnosis> {
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
    // A file has no versions (0): only what is missing is said.
    let detail = match found.version {
        0 => what,
        latest => format!("{what}; the latest is version {latest}"),
    };
    Some(Diagnosis::Finding(Finding::PinnedAbsent, detail))
}
