//! What `#[derive(SsmConfig)]` expands to reaches only this module and the
//! public API. Everything here is outside semver.

pub use crate::description::{
    BareDuration, Binding, FieldDescription, Presence, StructDescription, ValueDescription,
};
#[cfg(feature = "secrecy")]
pub use crate::interop::SecrecyField;
pub use crate::interop::{OwnSecret, Secrecy, own_secret, secrecy_box, secrecy_string};
pub use crate::overlap::{Message, Overlaps, find_overlaps, leaf_count};
pub use crate::pipeline::build::Build;
pub use crate::pipeline::convert::{
    Alone, BoolText, CannotBeRead, Convert, DurationText, InList, InMap, InOption, InSecret, Json,
    List, NeedsNested, NoListOfStructs, NoMapOfStructs, NoOptionalStruct, NoSecretStruct,
    ReadByFromStr, ReadNested, ReadNestedInList, ReadNestedInMap, ReadNestedInOption,
    ReadNestedInSecret, ReadUnreadable, Rejection, Scalar, SecretOf, TextProbe, WipeNothing,
    WipeProbe, WipeWithZeroize, boolean, duration,
};
pub use crate::source::ParameterType;
pub use ssm_config_rules::DurationUnit;
