//! Runs one group fetch: every planned `GetParameters` batch and every
//! `GetParametersByPath` walk, concurrently up to a bound.

use std::collections::HashSet;
use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream;

use crate::batch::{self, Batch};
use crate::error::Problem;
use crate::resolve::{PathRequest, Requests};
use crate::source::{
    BoxFuture, Parameter, ParameterSource, ParametersOutput, PathQuery, SourceError,
    SourceErrorKind,
};

/// What a name request came to.
#[derive(Debug)]
pub(crate) enum NameOutcome {
    Found(Parameter),
    Missing,
    /// The call failed; its problem is recorded once in [`Fetched::problems`].
    Failed,
}

/// What a whole fetch came to, indexed like [`Requests`].
#[derive(Debug)]
pub(crate) struct Fetched {
    pub names: Vec<NameOutcome>,
    pub paths: Vec<Option<Vec<Parameter>>>,
    pub problems: Vec<Problem>,
}

enum Done {
    Names(Vec<(usize, NameOutcome)>, Option<Problem>),
    Path(usize, Result<Vec<Parameter>, Problem>),
}

/// How much one fetch may do.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Calls in flight at once.
    pub concurrency: usize,
    /// Pages one `GetParametersByPath` walk may read.
    pub max_pages: usize,
    /// A window over which the calls go out evenly, instead of at once
    /// (for background refreshes, which nobody waits on).
    pub pace: std::time::Duration,
}

/// Default for [`Limits::max_pages`]: 10,000 parameters at 10 a page, the
/// standard tier's limit for a whole account and region.
pub(crate) const DEFAULT_MAX_PAGES: usize = 1_000;

pub(crate) async fn fetch(
    source: &dyn ParameterSource,
    requests: &Requests,
    limits: Limits,
) -> Fetched {
    let items: Vec<_> = requests
        .names
        .iter()
        .map(|r| batch::Item {
            match_key: r.match_key(),
            decrypt: r.decrypt,
        })
        .collect();
    let batches = batch::plan(&items);
    tracing::debug!(
        names = requests.names.len(),
        calls = batches.len(),
        paths = requests.paths.len(),
        source = %source.describe(),
        "fetching parameter group"
    );
    // Walks first: their pages follow one another, so they are the longest
    // chains of round trips; batches fill the slots beside them.
    let mut tasks: Vec<BoxFuture<'_, Done>> = Vec::new();
    for (index, path) in requests.paths.iter().enumerate() {
        tasks.push(Box::pin(async move {
            Done::Path(index, walk_path(source, path, limits.max_pages).await)
        }));
    }
    for b in batches {
        tasks.push(Box::pin(fetch_batch(source, requests, b)));
    }

    let mut fetched = Fetched {
        names: requests
            .names
            .iter()
            .map(|_| NameOutcome::Missing)
            .collect(),
        paths: vec![None; requests.paths.len()],
        problems: Vec::new(),
    };
    let concurrency = if limits.pace.is_zero() {
        limits.concurrency.max(1)
    } else {
        // The pacing spaces the calls; each starts when its turn comes.
        let count = tasks.len().max(1);
        tasks = tasks
            .into_iter()
            .enumerate()
            .map(|(k, task)| {
                let delay = limits.pace.mul_f64(k as f64 / count as f64);
                Box::pin(async move {
                    tokio::time::sleep(delay).await;
                    task.await
                }) as BoxFuture<'_, Done>
            })
            .collect();
        count
    };
    let mut finished = stream::iter(tasks).buffer_unordered(concurrency);
    while let Some(done) = finished.next().await {
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
    fetched
}

async fn fetch_batch(source: &dyn ParameterSource, requests: &Requests, batch: Batch) -> Done {
    match call(source, requests, &batch).await {
        Ok(outcomes) => Done::Names(outcomes, None),
        // A missing secret fails the whole call; ask again apart, so the
        // other names still load and the missing secret is told apart.
        Err(err) if err.kind() == SourceErrorKind::NotFound => {
            let (secrets, plain): (Vec<usize>, Vec<usize>) = batch
                .members
                .iter()
                .partition(|&&m| requests.names[m].is_secret());
            let mut outcomes = Vec::new();
            let mut parts: Vec<Vec<usize>> = secrets.into_iter().map(|s| vec![s]).collect();
            if !plain.is_empty() {
                parts.push(plain);
            }
            for members in parts {
                let part = Batch {
                    decrypt: batch.decrypt,
                    members,
                };
                match call(source, requests, &part).await {
                    Ok(found) => outcomes.extend(found),
                    Err(err)
                        if err.kind() == SourceErrorKind::NotFound && part.members.len() == 1 =>
                    {
                        outcomes.push((part.members[0], NameOutcome::Missing));
                    }
                    Err(err) => return failed(source, requests, &batch, err),
                }
            }
            Done::Names(outcomes, None)
        }
        Err(err) => failed(source, requests, &batch, err),
    }
}

fn failed(
    source: &dyn ParameterSource,
    requests: &Requests,
    batch: &Batch,
    err: SourceError,
) -> Done {
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

async fn call(
    source: &dyn ParameterSource,
    requests: &Requests,
    batch: &Batch,
) -> Result<Vec<(usize, NameOutcome)>, SourceError> {
    let wire: Vec<String> = batch
        .members
        .iter()
        .map(|&m| requests.names[m].wire())
        .collect();
    let output = source.get_parameters(&wire, batch.decrypt).await?;
    Ok(match_results(requests, &batch.members, output))
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

/// Reads every page under a path. Ends on any token seen before (a cycle
/// would never end), and after `max_pages`; yields between pages, so a
/// timeout around a load fires even on a source that answers at once.
async fn walk_path(
    source: &dyn ParameterSource,
    request: &PathRequest,
    max_pages: usize,
) -> Result<Vec<Parameter>, Problem> {
    let mut query = PathQuery {
        path: request.path.clone(),
        recursive: request.recursive,
        filters: request.filters.clone(),
        with_decryption: request.decrypt,
        next_token: None,
    };
    let failed = |message: String| Problem::Source {
        source_name: source.describe(),
        names: vec![request.path.clone()],
        error: Arc::new(SourceError::new(
            SourceErrorKind::Other,
            "GetParametersByPath",
            message,
        )),
    };
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    for _ in 0..max_pages {
        let page = source
            .get_parameters_by_path(&query)
            .await
            .map_err(|err| Problem::Source {
                source_name: source.describe(),
                names: vec![request.path.clone()],
                error: Arc::new(err),
            })?;
        found.extend(page.parameters);
        match page.next_token {
            Some(token) if !token.is_empty() => {
                if !seen.insert(token.clone()) {
                    return Err(failed(format!(
                        "the source returned NextToken `{}` again: the pages go round in a cycle",
                        shown_token(&token)
                    )));
                }
                query.next_token = Some(token);
            }
            _ => return Ok(found),
        }
        tokio::task::yield_now().await;
    }
    Err(failed(format!(
        "the walk has more than {max_pages} pages; raise `Loader::max_pages` if that many are expected"
    )))
}

/// A token for a message: tokens are opaque and may be long.
fn shown_token(token: &str) -> String {
    const KEEP: usize = 40;
    match token.char_indices().nth(KEEP) {
        Some((cut, _)) => format!("{}...", &token[..cut]),
        None => token.to_owned(),
    }
}
