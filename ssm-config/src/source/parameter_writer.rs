//! [`ParameterWriter`]: the writing side of a store, with the answer and
//! request of its calls ([`ParameterInfo`], [`PutParameter`]).

use std::fmt;

use super::{BoxFuture, ParameterSource, ParameterType, SourceError};

/// A source that can also write, for the untyped API's
/// [`update`](crate::untyped::Parameters::update). A read-only source
/// implements [`ParameterSource`] alone, and cannot be made writable:
///
// The examples need the `untyped` feature: without it they would fail, or
// fail to compile, for want of the module, not for what they show.
#[cfg_attr(feature = "untyped", doc = "```compile_fail,E0277")]
#[cfg_attr(not(feature = "untyped"), doc = "```ignore")]
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
#[cfg_attr(feature = "untyped", doc = "```")]
#[cfg_attr(not(feature = "untyped"), doc = "```ignore")]
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
