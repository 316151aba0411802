//! What `#[derive(SsmConfig)]` expands to reaches only this module and the
//! public API. Everything here is outside semver.

pub use crate::description::{Binding, FieldPlan, Presence, StructPlan, ValuePlan};
pub use crate::interop::{Secrecy, secrecy_box, secrecy_string};
pub use crate::load::build::Build;
pub use crate::load::convert::{
    BoolText, Convert, DurationText, FromText, Json, List, Rejection, Scalar, SecretOf,
    WipeNothing, WipeProbe, WipeWithZeroize, boolean, duration, scalar,
};
pub use crate::overlap::{Message, Overlaps, find_overlaps, leaf_count};
pub use crate::source::ParameterType;

use crate::iam::{IamPolicy, PolicyScope};
use crate::plan::Plan;
use crate::source::ParameterSource;
use crate::{Error, Live, Loader, SsmConfig};

/// `AppConfig::load()`.
pub async fn load<T: SsmConfig>() -> Result<Live<T>, Error> {
    Loader::<T>::new().load().await
}

/// `AppConfig::fetch(&source)`.
pub async fn fetch<T: SsmConfig, S: ParameterSource>(source: &S) -> Result<T, Error> {
    crate::loader::fetch_from::<T>(source).await
}

/// `AppConfig::check(&source)`.
pub async fn check<T: SsmConfig, S: ParameterSource>(source: &S) -> crate::doctor::Report {
    crate::doctor::check::<T>(
        source,
        &crate::loader::one_shot_settings(crate::observe::Operation::Check),
    )
    .await
}

/// `AppConfig::bootstrap()`.
pub fn bootstrap<T: SsmConfig>() -> crate::bootstrap::Bootstrap {
    crate::bootstrap::bootstrap(T::PLAN, None, &crate::load::env_lookup)
}

/// `AppConfig::parameters()`.
pub fn parameters<T: SsmConfig>() -> Plan {
    Plan::new(crate::plan::planned_parameters(
        T::PLAN,
        None,
        &crate::load::env_lookup,
        None,
    ))
}

/// `AppConfig::iam_policy(&scope)`.
pub fn iam_policy<T: SsmConfig>(scope: &PolicyScope) -> IamPolicy {
    crate::iam::policy(T::PLAN, scope)
}
