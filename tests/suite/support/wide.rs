//! A config of 25 fields, three `GetParameters` calls a load, declared
//! under the prefix a test chooses.

/// Declares `$name` with fields `f00` to `f24` under `$prefix`.
#[macro_export]
macro_rules! wide_config {
    ($name:ident, $prefix:literal) => {
        #[derive(ssm_config::SsmConfig, Debug)]
        #[ssm(prefix = $prefix)]
        #[allow(dead_code)]
        struct $name {
            f00: String,
            f01: String,
            f02: String,
            f03: String,
            f04: String,
            f05: String,
            f06: String,
            f07: String,
            f08: String,
            f09: String,
            f10: String,
            f11: String,
            f12: String,
            f13: String,
            f14: String,
            f15: String,
            f16: String,
            f17: String,
            f18: String,
            f19: String,
            f20: String,
            f21: String,
            f22: String,
            f23: String,
            f24: String,
        }
    };
}
