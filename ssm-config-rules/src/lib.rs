//! SSM's naming rules, and the reading of values `FromStr` would refuse
//! (durations, booleans as SSM users spell them), in one place: `ssm-config-derive` applies them to
//! the names a struct spells out (so a name SSM would refuse fails the
//! build), and `ssm-config` applies the same functions to every name once
//! its `{VAR}`s are filled (so nothing the build let through is sent
//! unchecked, and nothing the build refused is accepted at load time).
//!
//! This crate is an implementation detail of `ssm-config`; its API is not
//! covered by semver.
//!
//! - Parameter names: `a-zA-Z0-9_.-/`, at most 15 levels and 1011
//!   characters, no empty segment, no trailing `/`, not starting with `aws`
//!   or `ssm` in any case (names under `/aws/reference/secretsmanager/`
//!   excepted); a name with `/` starts with `/`.
//! - Labels: 1 to 100 characters of `a-zA-Z0-9_.-`, not starting with a
//!   digit, `aws` or `ssm`. Versions: whole numbers from 1.
//! - Secret references (`#[ssm(secret = "...")]`): the secret's name as
//!   Secrets Manager takes it, `a-zA-Z0-9/_+=.@-!`, at most 512 characters,
//!   with no leading `/`. They are read as
//!   `/aws/reference/secretsmanager/NAME`, and only through
//!   `GetParameter(s)`, never by path.
//! - Parameter ARNs (`arn:aws:ssm:eu-west-1:111122223333:parameter/shared/x`),
//!   for parameters shared by another account: a known partition, a region
//!   of that partition, a 12-digit account, `parameter/` and a name by the
//!   rules above. A part that is one whole `{VAR}` is checked once filled.
//!   An ARN is never joined to a prefix, and cannot be walked by path.
//! - A `{VAR}` is filled from the environment at load time and fills exactly
//!   one segment: its value is 1 or more characters of `a-zA-Z0-9_.-` (no
//!   `/`, no `{`, no `}`), and it is never expanded a second time.

mod arn;
mod declared;
mod filled;
mod reads;
mod rules;
mod shells;
mod template;
mod text;

pub use arn::{ParameterArn, check_arn, parse_arn, split_selector};
pub use declared::{
    check_walk, declared_parameter, declared_prefix, declared_secret, declared_segment,
    declared_walk,
};
pub use filled::{FillError, Filler, Lookup};
pub use reads::{FNV_OFFSET, Reads, fnv_byte, fnv_bytes, same_bytes, same_option};
pub use rules::{
    MAX_LABEL_LEN, MAX_LEVELS, MAX_NAME_LEN, MAX_SECRET_NAME_LEN, RESERVED_STARTS,
    SECRETS_REFERENCE, Selected, check_env_name, check_filled_name, check_label, check_name,
    check_secret_name, check_selector, escaped, is_absolute, is_arn, join, shown, shown_char,
    stands_alone, trimmed_len,
};
pub use shells::set_by_shells;
pub use template::{
    FillFailure, Piece, check_variable_value, fill, fill_keeping_unset, pieces, substitute,
};
pub use text::{
    BOOL_FORMS, DURATION_FORMS, DurationUnit, format_duration, is_bare_number, parse_bool,
    parse_duration, parse_duration_in,
};
