//! Where parameters come from: the [`ParameterSource`] trait (reading) and
//! the [`ParameterWriter`] trait (writing), the AWS source, the in-memory
//! source, the file source and the layered source.

mod aws_error;
mod aws_source;
mod call_counts;
pub(crate) mod calls;
#[cfg(feature = "file")]
mod file_source;
mod for_prefix;
mod layered;
mod limits;
mod memory_source;
mod parameter;
mod parameter_source;
mod parameter_type;
mod parameter_writer;
mod source_error;

#[cfg(feature = "fan-out")]
pub(crate) use aws_error::{answer, display_chain};
pub use aws_source::AwsSource;
#[cfg(feature = "fan-out")]
pub(crate) use aws_source::sdk_config_from_env;
pub use call_counts::CallCounts;
#[cfg(feature = "file")]
pub use file_source::FileSource;
pub(crate) use for_prefix::ForPrefix;
pub use layered::Layered;
pub use limits::Limits;
pub use memory_source::MemorySource;
pub use parameter::Parameter;
pub use parameter_source::{
    BoxFuture, ParameterSource, ParametersOutput, PathFilters, PathPage, PathQuery,
};
pub use parameter_type::ParameterType;
pub use parameter_writer::{ParameterInfo, ParameterWriter, PutParameter};
pub use source_error::{SourceError, SourceErrorKind};
