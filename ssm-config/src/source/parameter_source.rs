//! [`ParameterSource`]: the reading side of a store, with the requests and
//! answers of its calls ([`ParametersOutput`], [`PathQuery`],
//! [`PathFilters`], [`PathPage`]) and the [`BoxFuture`] they come in.

use std::future::Future;
use std::pin::Pin;

use super::{Parameter, ParameterType, SourceError};

/// A boxed future, as returned by [`ParameterSource`] methods.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The answer to one `GetParameters` call.
#[derive(Debug, Default)]
pub struct ParametersOutput {
    /// The parameters found, in any order.
    pub parameters: Vec<Parameter>,
    /// The names (as asked, selector included) that do not exist.
    pub invalid: Vec<String>,
}

/// Filters of a `GetParametersByPath` call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PathFilters {
    /// Only parameters of this type.
    pub kind: Option<ParameterType>,
    /// Only SecureStrings encrypted with this KMS key.
    pub key_id: Option<String>,
    /// Only versions carrying this label.
    pub label: Option<String>,
}

/// One `GetParametersByPath` page request.
#[derive(Debug, Clone)]
pub struct PathQuery {
    /// The path, starting with `/`.
    pub path: String,
    /// Whether to descend below direct children.
    pub recursive: bool,
    /// Filters.
    pub filters: PathFilters,
    /// Whether to decrypt SecureStrings.
    pub with_decryption: bool,
    /// The token of the page to read; `None` for the first.
    pub next_token: Option<String>,
    /// The most pages the whole walk may read ([`Limits::max_pages`]): a
    /// source that walks other sources itself, as
    /// [`Layered`](crate::source::Layered) does, stops each of their walks
    /// there.
    ///
    /// [`Limits::max_pages`]: crate::source::Limits::max_pages
    pub max_pages: usize,
}

/// One page of a `GetParametersByPath` walk.
#[derive(Debug, Default)]
pub struct PathPage {
    /// The parameters of this page (possibly none).
    pub parameters: Vec<Parameter>,
    /// The token of the next page; `None` when this page is the last.
    pub next_token: Option<String>,
}

/// A store of parameters: AWS SSM, memory, or your own.
///
/// Each method is one API call: batching, paging, concurrency and matching are
/// done by the caller, the same way for every source. Names are passed as SSM
/// takes them, `name:selector` included; a Secrets Manager secret is asked for
/// as `/aws/reference/secretsmanager/<name>`. A result may be named by the
/// base name without its selector, and a secret by the bare secret name: the
/// caller matches both.
pub trait ParameterSource: Send + Sync + 'static {
    /// `GetParameters`: up to 10 names.
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        with_decryption: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>>;

    /// `GetParametersByPath`: one page.
    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>>;

    /// Says where values come from, for error messages.
    fn describe(&self) -> String;

    /// This source, for a load whose struct's prefix (its `{VAR}`s filled)
    /// is `prefix`: a source that holds names relative to the prefix
    /// returns a copy that answers for them (a
    /// [`FileSource`](crate::source::FileSource)'s `[relative]` table);
    /// `None`, the default, reads this source as it is. A source that wraps
    /// others passes the call on, as [`Layered`](crate::source::Layered)
    /// does.
    fn under_prefix(&self, prefix: &str) -> Option<Box<dyn ParameterSource>> {
        let _ = prefix;
        None
    }

    /// Every name this source holds, when it can list them at little cost
    /// (a local file; a secret as `/aws/reference/secretsmanager/NAME`,
    /// a pinned version or label as `name:selector`), so that a load can
    /// point out entries no field reads, most likely typos. `None`, the
    /// default, for a store too large to list, such as SSM itself.
    fn listed_names(&self) -> Option<Vec<String>> {
        None
    }
}
