//! What `#[derive(SsmConfig)]` expands to reaches only this module and the
//! public API. Everything here is outside semver.

pub use crate::description::{
    BareDuration, Binding, FieldDescription, Presence, StructDescription, ValueDescription,
};
pub use crate::interop::{OwnSecret, Secrecy, own_secret, secrecy_box, secrecy_string};
pub use crate::overlap::{Message, Overlaps, find_overlaps, leaf_count};
pub use crate::pipeline::build::Build;
pub use crate::pipeline::convert::{
    Alone, BoolText, CannotBeRead, Convert, DurationText, InList, InOption, Json, List,
    NeedsNested, NoListOfStructs, NoOptionalStruct, ReadByFromStr, ReadNested, ReadNestedInList,
    ReadNestedInOption, ReadUnreadable, Rejection, Scalar, SecretOf, TextProbe, WipeNothing,
    WipeProbe, WipeWithZeroize, boolean, duration,
};
pub use crate::source::ParameterType;
pub use ssm_config_rules::DurationUnit;
