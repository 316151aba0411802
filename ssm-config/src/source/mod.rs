//! Where parameters come from: the [`ParameterSource`] trait (reading) and
//! the [`ParameterWriter`] trait (writing), the AWS source, the in-memory
//! source, the file source and the layered source.

mod aws;
pub(crate) mod calls;
mod file;
mod layered;
mod memory;

pub use aws::AwsSource;
pub use file::FileSource;
pub use layered::Layered;
pub use memory::{CallCounts, MemorySource};

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

/// A boxed future, as returned by [`ParameterSource`] methods.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The type of a parameter as SSM reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// A plain string.
    String,
    /// Comma-separated values.
    StringList,
    /// An encrypted string (also how Secrets Manager references come back).
    SecureString,
}

impl ParameterType {
    /// The name SSM uses for this type.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParameterType::String => "String",
            ParameterType::StringList => "StringList",
            ParameterType::SecureString => "SecureString",
        }
    }
}

impl fmt::Display for ParameterType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One parameter as a source returned it.
///
/// The value is wiped from memory on drop, and `Debug` redacts it for
/// SecureStrings.
#[derive(Clone, PartialEq)]
pub struct Parameter {
    /// The name as the source reports it (see [`ParameterSource`] on matching).
    pub name: String,
    /// The value, decrypted when decryption was asked for.
    pub value: String,
    /// The parameter's type.
    pub kind: ParameterType,
    /// The version this value belongs to.
    pub version: i64,
    /// The selector (`:3`, `:label`) the value was asked with, when known.
    pub selector: Option<String>,
    /// When this version was written, when known.
    pub last_modified: Option<SystemTime>,
    /// Where the source found it beyond its name, such as the file of a
    /// [`FileSource`]; `None` from a source with one store (SSM, memory).
    /// Shown in [`Origin`](crate::origin::Origin)s.
    pub location: Option<String>,
}

impl Drop for Parameter {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.value);
    }
}

impl fmt::Debug for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value: &dyn fmt::Debug = match self.kind {
            ParameterType::SecureString => &"[REDACTED]",
            _ => &self.value,
        };
        f.debug_struct("Parameter")
            .field("name", &self.name)
            .field("value", value)
            .field("kind", &self.kind)
            .field("version", &self.version)
            .field("selector", &self.selector)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

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
    /// The most pages the whole walk may read ([`Loader::max_pages`]): a
    /// source that walks other sources itself, as [`Layered`] does, stops
    /// each of their walks there.
    ///
    /// [`Loader::max_pages`]: crate::Loader::max_pages
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
    /// returns a copy that answers for them (a [`FileSource`]'s
    /// `[relative]` table); `None`, the default, reads this source as it
    /// is. A source that wraps others passes the call on, as
    /// [`Layered`] does.
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

/// A source as one load reads it: bound to the struct's prefix where the
/// source answers for names relative to it
/// ([`ParameterSource::under_prefix`]), as it is otherwise.
pub(crate) struct ForPrefix<'s> {
    original: &'s dyn ParameterSource,
    bound: Option<Box<dyn ParameterSource>>,
}

impl<'s> ForPrefix<'s> {
    pub fn new(original: &'s dyn ParameterSource, prefix: Option<&str>) -> Self {
        ForPrefix {
            original,
            bound: prefix.and_then(|prefix| original.under_prefix(prefix)),
        }
    }

    pub fn get(&self) -> &dyn ParameterSource {
        self.bound.as_deref().unwrap_or(self.original)
    }
}

/// A source that can also write, for the untyped API's
/// [`update`](crate::untyped::Parameters::update). A read-only source
/// implements [`ParameterSource`] alone, and cannot be made writable:
///
/// ```compile_fail,E0277
/// # use ssm_config::source::*;
/// struct ReadOnly;
/// impl ParameterSource for ReadOnly {
///     fn get_parameters<'a>(&'a self, _: &'a [String], _: bool)
///         -> BoxFuture<'a, Result<ParametersOutput, SourceError>> { unreachable!() }
///     fn get_parameters_by_path<'a>(&'a self, _: &'a PathQuery)
///         -> BoxFuture<'a, Result<PathPage, SourceError>> { unreachable!() }
///     fn describe(&self) -> String { "read only".into() }
/// }
/// let parameters = ssm_config::untyped::Parameters::writable(ReadOnly);
/// ```
///
/// while reading from it works:
///
/// ```
/// # use ssm_config::source::*;
/// # struct ReadOnly;
/// # impl ParameterSource for ReadOnly {
/// #     fn get_parameters<'a>(&'a self, _: &'a [String], _: bool)
/// #         -> BoxFuture<'a, Result<ParametersOutput, SourceError>> { unreachable!() }
/// #     fn get_parameters_by_path<'a>(&'a self, _: &'a PathQuery)
/// #         -> BoxFuture<'a, Result<PathPage, SourceError>> { unreachable!() }
/// #     fn describe(&self) -> String { "read only".into() }
/// # }
/// let parameters = ssm_config::untyped::Parameters::new(ReadOnly);
/// ```
pub trait ParameterWriter: ParameterSource {
    /// `DescribeParameters` for one name: its type and KMS key, or `None`.
    fn parameter_info<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Option<ParameterInfo>, SourceError>>;

    /// `PutParameter`, overwriting: returns the new version.
    fn put_parameter<'a>(
        &'a self,
        put: &'a PutParameter,
    ) -> BoxFuture<'a, Result<i64, SourceError>>;
}

/// A parameter's type and KMS key, as `DescribeParameters` reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterInfo {
    /// The type.
    pub kind: ParameterType,
    /// The KMS key of a SecureString.
    pub key_id: Option<String>,
}

/// A `PutParameter` request that overwrites an existing parameter.
#[derive(Clone)]
pub struct PutParameter {
    /// The name.
    pub name: String,
    /// The new value.
    pub value: String,
    /// The type to keep.
    pub kind: ParameterType,
    /// The KMS key to keep.
    pub key_id: Option<String>,
}

impl fmt::Debug for PutParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PutParameter")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// What kind of failure a source met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SourceErrorKind {
    /// The request rate was over the quota, even after retries.
    Throttled,
    /// The credentials may not read these parameters (IAM or KMS).
    AccessDenied,
    /// A name or secret does not exist and the call failed as a whole.
    NotFound,
    /// No answer within the configured time.
    Timeout,
    /// The service could not be reached.
    Unreachable,
    /// The source's own data cannot be read: a local file that does not
    /// parse, or holds what SSM could not. The same for every call, until
    /// the data is fixed.
    Malformed,
    /// Any other failure.
    Other,
}

/// A failed call to a source.
///
/// Its `Display` is complete: the operation, the kind, the message and the
/// text of the underlying error's chain (each part once). So that nothing is
/// printed twice, [`source`](std::error::Error::source) returns `None`; the
/// underlying error is at [`cause`](SourceError::cause) for inspection.
/// `Debug` shows the kind, the operation and the message, never the cause:
/// an AWS SDK error's `Debug` prints the raw HTTP response, values
/// included.
pub struct SourceError {
    kind: SourceErrorKind,
    operation: &'static str,
    message: String,
    cause: Option<Box<dyn std::error::Error + Send + Sync>>,
    /// Whether the message already says all the cause would.
    cause_said: bool,
    /// Whether the message is about the source itself, the same whatever
    /// the call: shown without the operation.
    about_the_source: bool,
}

impl SourceError {
    /// A new error of this kind from `operation` (such as `"GetParameters"`).
    pub fn new(kind: SourceErrorKind, operation: &'static str, message: impl Into<String>) -> Self {
        SourceError {
            kind,
            operation,
            message: message.into(),
            cause: None,
            cause_said: false,
            about_the_source: false,
        }
    }

    /// Marks the error as one of the source's own, not of the call: a local
    /// file that does not parse fails every call the same way. `Display`
    /// shows the message alone, which should name the source (a file's
    /// path, line and column), and a load reports it once.
    pub fn about_the_source(mut self) -> Self {
        self.about_the_source = true;
        self
    }

    /// Attaches the underlying error. Its chain's text is shown after the
    /// message, except what the message already says.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.cause = Some(Box::new(source));
        self
    }

    /// Attaches the underlying error for [`cause`](SourceError::cause)
    /// alone: the message already says what it would.
    pub(crate) fn with_quiet_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.cause = Some(Box::new(source));
        self.cause_said = true;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> SourceErrorKind {
        self.kind
    }

    /// The API call that failed.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The underlying error, such as the AWS SDK's, when there is one.
    /// Beware of its `Debug`: the SDK's holds the raw HTTP response, whose
    /// body holds the decrypted values of the call.
    pub fn cause(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.cause.as_deref()
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.about_the_source {
            true => f.write_str(&self.message)?,
            false => write!(
                f,
                "{} failed ({}): {}",
                self.operation, self.kind, self.message
            )?,
        }
        let mut next: Option<&(dyn std::error::Error + 'static)> = match &self.cause {
            Some(cause) if !self.cause_said => Some(&**cause),
            _ => None,
        };
        while let Some(cause) = next {
            let text = cause.to_string();
            if !self.message.contains(&text) {
                write!(f, ": {text}")?;
            }
            next = cause.source();
        }
        Ok(())
    }
}

impl std::error::Error for SourceError {}

/// The cause is left out: see [`SourceError`].
impl fmt::Debug for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceError")
            .field("kind", &self.kind)
            .field("operation", &self.operation)
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for SourceErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceErrorKind::Throttled => "throttled",
            SourceErrorKind::AccessDenied => "access denied",
            SourceErrorKind::NotFound => "not found",
            SourceErrorKind::Timeout => "timed out",
            SourceErrorKind::Unreachable => "unreachable",
            SourceErrorKind::Malformed => "malformed",
            SourceErrorKind::Other => "error",
        })
    }
}
