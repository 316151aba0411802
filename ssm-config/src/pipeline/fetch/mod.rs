//! Runs one group fetch: every planned `GetParameters` batch and every
//! `GetParametersByPath` walk, concurrently up to a bound, each call under
//! a deadline. A throttled call stops the calls not yet sent, and what a
//! failed fetch did read can be carried into the next attempt.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use futures_util::StreamExt;
use futures_util::stream;

use crate::error::Problem;
use crate::pipeline::batch::{self, Batch};
use crate::pipeline::deadline::{Timed, deadline, fraction_of};
use crate::pipeline::fetch::fetched::{Action, CallOutcome, Calls, Fetched, NameOutcome};
use crate::pipeline::known::Known;
use crate::pipeline::resolve::resolved::{PathRequest, Requests};
use crate::source::Limits;
use crate::source::calls::{self, Pages};
use crate::source::{
    BoxFuture, Parameter, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError,
    SourceErrorKind,
};

enum Done {
    Names(Vec<(usize, NameOutcome)>, Option<Problem>),
    Path(usize, Result<Vec<Parameter>, Problem>),
}

pub(crate) async fn fetch(
    source: &dyn ParameterSource,
    requests: &Requests,
    limits: Limits,
    known: Option<&dyn Known>,
) -> Fetched {
    let started = Instant::now();
    let mut fetched = Fetched {
        names: requests
            .names
            .iter()
            .map(|_| NameOutcome::Missing)
            .collect(),
        paths: vec![None; requests.paths.len()],
        problems: Vec::new(),
        calls: Calls::default(),
    };
    let mut to_read = Vec::new();
    for (index, request) in requests.names.iter().enumerate() {
        match known.and_then(|k| k.name(request)) {
            Some(Some(parameter)) => fetched.names[index] = NameOutcome::Found(parameter.clone()),
            Some(None) => {}
            None => {
                fetched.names[index] = NameOutcome::Failed;
                to_read.push(index);
            }
        }
    }
    let items: Vec<_> = to_read
        .iter()
        .map(|&index| batch::Item {
            match_key: requests.names[index].match_key(),
            decrypt: requests.names[index].decrypt,
        })
        .collect();
    let batches: Vec<Batch> = batch::batches(&items)
        .into_iter()
        .map(|b| Batch {
            decrypt: b.decrypt,
            members: b.members.into_iter().map(|m| to_read[m]).collect(),
        })
        .collect();
    tracing::debug!(
        names = requests.names.len(),
        calls = batches.len(),
        paths = requests.paths.len(),
        source = %source.describe(),
        "fetching parameter group"
    );
    let call_state = Call {
        source: Timed::new(source, limits.call_timeout),
        throttled: AtomicBool::new(false),
        calls: std::sync::Mutex::new(known.map(|k| k.calls()).unwrap_or_default()),
    };
    let call = &call_state;
    // Walks first: their pages follow one another, so they are the longest
    // chains of round trips; batches fill the slots beside them.
    let mut tasks: Vec<BoxFuture<'_, Done>> = Vec::new();
    for (index, path) in requests.paths.iter().enumerate() {
        if let Some(found) = known.and_then(|k| k.path(path)) {
            fetched.paths[index] = Some(found.to_vec());
            continue;
        }
        tasks.push(Box::pin(async move {
            Done::Path(index, walk_path(call, path, limits.max_pages).await)
        }));
    }
    for b in batches {
        tasks.push(Box::pin(fetch_batch(call, requests, b)));
    }
    if !limits.pace.is_zero() {
        // Each call starts at its own moment of the window, however long
        // the calls before it take; the concurrency bound still holds.
        let count = tasks.len().max(1);
        let start = Instant::now();
        tasks = tasks
            .into_iter()
            .enumerate()
            .map(|(k, task)| {
                let offset = fraction_of(limits.pace, k as f64 / count as f64);
                Box::pin(async move {
                    // A sleep, not `sleep_until(start + offset)`: tokio's
                    // sleep takes a moment past the clock's end as never.
                    tokio::time::sleep(offset.saturating_sub(start.elapsed())).await;
                    task.await
                }) as BoxFuture<'_, Done>
            })
            .collect();
    }
    let concurrency = match known.is_some_and(|k| k.one_call_at_a_time()) {
        true => 1,
        false => limits.concurrency.max(1),
    };
    let mut finished = stream::iter(tasks).buffer_unordered(concurrency);
    let whole = limits.load_timeout.saturating_add(limits.pace);
    loop {
        let Some(next) = deadline(whole.saturating_sub(started.elapsed()), finished.next()).await
        else {
            fetched
                .problems
                .push(unfinished(source, requests, &fetched, whole));
            break;
        };
        let Some(done) = next else { break };
        match done {
            Done::Names(outcomes, problem) => {
                for (index, outcome) in outcomes {
                    fetched.names[index] = outcome;
                }
                fetched.problems.extend(problem);
            }
            Done::Path(index, Ok(found)) => fetched.paths[index] = Some(found),
            Done::Path(_, Err(problem)) => fetched.problems.push(problem),
        }
    }
    drop(finished);
    fetched.calls = *call_state.calls.lock().unwrap_or_else(|p| p.into_inner());
    fetched.merge_alike_failures();
    fetched
}

/// The problem of a fetch that ran out of time: every name and walk it
/// had no answer for.
fn unfinished(
    source: &dyn ParameterSource,
    requests: &Requests,
    fetched: &Fetched,
    whole: Duration,
) -> Problem {
    let names = requests
        .names
        .iter()
        .zip(&fetched.names)
        .filter(|(_, outcome)| matches!(outcome, NameOutcome::Failed))
        .map(|(request, _)| request.wire())
        .chain(
            requests
                .paths
                .iter()
                .zip(&fetched.paths)
                .filter(|(_, found)| found.is_none())
                .map(|(path, _)| path.path.clone()),
        )
        .collect();
    Problem::Source {
        source_name: source.describe(),
        names,
        error: Arc::new(SourceError::new(
            SourceErrorKind::Timeout,
            "load",
            format!("the load did not finish within {whole:?}"),
        )),
    }
}

/// How every call of one fetch goes out: [`Timed`], and not at all once
/// the source has throttled one of them.
struct Call<'a> {
    source: Timed<'a>,
    throttled: AtomicBool,
    calls: std::sync::Mutex<Calls>,
}

impl Call<'_> {
    /// Sends `call` (a call of [`Call::source`], not yet polled) unless the
    /// source throttled another, and counts how it ended.
    async fn send<R>(
        &self,
        action: Action,
        call: impl Future<Output = Result<R, SourceError>>,
    ) -> Result<R, SourceError> {
        if self.throttled.load(Ordering::Relaxed) {
            return Err(SourceError::new(
                SourceErrorKind::Throttled,
                action.name(),
                "not sent: the source throttled another call of this load",
            ));
        }
        let outcome = call.await;
        let ended = CallOutcome::of(&outcome);
        if ended == CallOutcome::Throttled {
            self.throttled.store(true, Ordering::Relaxed);
        }
        self.calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .count(action, ended);
        outcome
    }
}

async fn fetch_batch(source: &Call<'_>, requests: &Requests, batch: Batch) -> Done {
    let wire: Vec<String> = batch
        .members
        .iter()
        .map(|&m| requests.names[m].wire())
        .collect();
    let ask = |names: Vec<String>| async move {
        let call = source.source.get_parameters(&names, batch.decrypt);
        source.send(Action::GetParameters, call).await
    };
    let answered = match ask(wire.clone()).await {
        // A missing secret fails the whole call: ask again apart, so the
        // other names still load and the missing secret is told apart.
        Err(err) if err.kind() == SourceErrorKind::NotFound => calls::get_apart(&wire, ask).await,
        answered => answered,
    };
    match answered {
        Ok(output) => Done::Names(match_results(requests, &batch.members, output), None),
        Err(err) => failed(source, requests, &batch, err),
    }
}

fn failed(source: &Call<'_>, requests: &Requests, batch: &Batch, err: SourceError) -> Done {
    let names = batch
        .members
        .iter()
        .map(|&m| requests.names[m].wire())
        .collect();
    let problem = Problem::Source {
        source_name: source.describe(),
        names,
        error: Arc::new(err),
    };
    Done::Names(
        batch
            .members
            .iter()
            .map(|&m| (m, NameOutcome::Failed))
            .collect(),
        Some(problem),
    )
}

/// Pairs results with requests. The batch planner guarantees that no two
/// members share a match key, so a result's name (full or bare) is enough.
fn match_results(
    requests: &Requests,
    members: &[usize],
    output: ParametersOutput,
) -> Vec<(usize, NameOutcome)> {
    let mut outcomes: Vec<(usize, NameOutcome)> =
        members.iter().map(|&m| (m, NameOutcome::Missing)).collect();
    for parameter in output.parameters {
        let slot = outcomes.iter_mut().find(|(m, outcome)| {
            let request = &requests.names[*m];
            matches!(outcome, NameOutcome::Missing)
                && (parameter.name == request.name || parameter.name == request.match_key())
        });
        match slot {
            Some((_, outcome)) => *outcome = NameOutcome::Found(parameter),
            None => {
                tracing::warn!(name = %parameter.name, "source returned a parameter that was not asked for")
            }
        }
    }
    outcomes
}

/// Reads every page under a path, through this fetch's calls.
async fn walk_path(
    source: &Call<'_>,
    request: &PathRequest,
    max_pages: usize,
) -> Result<Vec<Parameter>, Problem> {
    let query = PathQuery {
        path: request.path.clone(),
        recursive: request.recursive,
        filters: request.filters.clone(),
        with_decryption: request.decrypt,
        next_token: None,
        max_pages,
    };
    calls::walk(source, &query)
        .await
        .map_err(|err| Problem::Source {
            source_name: source.describe(),
            names: vec![request.path.clone()],
            error: Arc::new(err),
        })
}

impl Pages for Call<'_> {
    fn page<'a>(&'a self, query: &'a PathQuery) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        Box::pin(self.send(
            Action::GetParametersByPath,
            self.source.get_parameters_by_path(query),
        ))
    }

    fn describe(&self) -> String {
        self.source.describe()
    }
}

pub(crate) mod fetched;
