//! How callers make a source's calls, the same way everywhere (a load's
//! fetch, `Layered`): the source contract's limits, the one paged walk of
//! `GetParametersByPath`, and the one way a `GetParameters` call failed by
//! a missing secret is asked again.

use std::collections::HashSet;
use std::future::Future;

use super::{
    BoxFuture, Parameter, ParametersOutput, PathPage, PathQuery, SourceError, SourceErrorKind,
};

/// `GetParameters` takes at most this many names.
pub(crate) const MAX_NAMES_PER_CALL: usize = 10;

/// Default for [`Limits::max_pages`](super::Limits::max_pages): 10,000
/// parameters at 10 a page, the standard tier's limit for a whole account
/// and region.
pub(crate) const DEFAULT_MAX_PAGES: usize = 1_000;

/// One page at a time: how a walk asks for its pages.
pub(crate) trait Pages: Sync {
    /// One `GetParametersByPath` page.
    fn page<'a>(&'a self, query: &'a PathQuery) -> BoxFuture<'a, Result<PathPage, SourceError>>;
    /// The source, for messages.
    fn describe(&self) -> String;
}

/// Reads every page of `query`'s walk. Ends, failing, on any token seen
/// before (a cycle would never end) and after `query.max_pages` pages;
/// yields between pages, so a timeout around it fires even on a source that
/// answers at once.
pub(crate) async fn walk(
    pages: &dyn Pages,
    query: &PathQuery,
) -> Result<Vec<Parameter>, SourceError> {
    let mut query = query.clone();
    let max_pages = query.max_pages.max(1);
    let failed =
        |message: String| SourceError::new(SourceErrorKind::Other, "GetParametersByPath", message);
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    for _ in 0..max_pages {
        let page = pages.page(&query).await?;
        found.extend(page.parameters);
        match page.next_token.filter(|token| !token.is_empty()) {
            Some(token) if !seen.insert(token.clone()) => {
                return Err(failed(format!(
                    "{} returned NextToken `{}` again under `{}`: the pages go round in a cycle",
                    pages.describe(),
                    shown_token(&token),
                    query.path
                )));
            }
            Some(token) => query.next_token = Some(token),
            None => return Ok(found),
        }
        tokio::task::yield_now().await;
    }
    Err(failed(format!(
        "{} has more than {max_pages} pages under `{}`; raise `Limits::max_pages` if that many are expected",
        pages.describe(),
        query.path
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

/// Asks for `names` again apart, after a `GetParameters` call failed as a
/// whole with NotFound: a missing secret reference fails the whole call (on
/// AWS as on moto), and so may a missing pinned version. Each secret goes
/// alone and the other names together (each alone, should they fail
/// together too), so the rest are still answered; a name that fails alone
/// with NotFound is reported in `invalid`, as missing.
pub(crate) async fn get_apart<F, Fut>(
    names: &[String],
    mut get: F,
) -> Result<ParametersOutput, SourceError>
where
    F: FnMut(Vec<String>) -> Fut,
    Fut: Future<Output = Result<ParametersOutput, SourceError>>,
{
    let (secrets, plain): (Vec<&String>, Vec<&String>) = names
        .iter()
        .partition(|name| crate::name::referenced_secret(name).is_some());
    let mut parts: Vec<Vec<String>> = secrets.into_iter().map(|s| vec![s.clone()]).collect();
    if !plain.is_empty() {
        parts.push(plain.into_iter().cloned().collect());
    }
    let mut output = ParametersOutput::default();
    while let Some(part) = parts.pop() {
        match get(part.clone()).await {
            Ok(found) => {
                output.parameters.extend(found.parameters);
                output.invalid.extend(found.invalid);
            }
            Err(err) if err.kind() == SourceErrorKind::NotFound && part.len() == 1 => {
                output.invalid.extend(part);
            }
            Err(err) if err.kind() == SourceErrorKind::NotFound => {
                parts.extend(part.into_iter().map(|name| vec![name]));
            }
            Err(err) => return Err(err),
        }
    }
    Ok(output)
}
