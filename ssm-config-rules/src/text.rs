//! Values SSM users write that `FromStr` would refuse, read the same way by
//! the derive (a `default = "..."` checked at compile time, `max_age`) and
//! by a load: durations as people write them, and booleans spelled
//! `yes`/`no`, `on`/`off` or `1`/`0`.

use std::time::Duration;

/// The forms [`parse_duration`] accepts, for error messages.
pub const DURATION_FORMS: &str =
    "a duration such as `250ms`, `30s`, `5m` or `1h30m`, or a number of seconds";

/// The spellings [`parse_bool`] accepts, for error messages.
pub const BOOL_FORMS: &str = "`true`/`false`, `yes`/`no`, `on`/`off` or `1`/`0`, in any case";

/// A duration: `humantime`'s forms (`250ms`, `30s`, `5m`, `1h30m`,
/// `2days`), or a bare number of seconds (`30`, `1.5`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return text
            .parse::<f64>()
            .ok()
            .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
            .ok_or_else(|| format!("expected {DURATION_FORMS}"));
    }
    humantime::parse_duration(text).map_err(|err| format!("expected {DURATION_FORMS} ({err})"))
}

/// A boolean as SSM users spell one: `true`/`false`, `yes`/`no`,
/// `on`/`off`, `1`/`0`, in any case.
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(format!("expected {BOOL_FORMS}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_people_write_them() {
        for (text, expected) in [
            ("250ms", Duration::from_millis(250)),
            ("30s", Duration::from_secs(30)),
            ("5m", Duration::from_secs(300)),
            ("1h30m", Duration::from_secs(5400)),
            ("30", Duration::from_secs(30)),
            ("1.5", Duration::from_millis(1500)),
            (" 2s ", Duration::from_secs(2)),
        ] {
            assert_eq!(parse_duration(text), Ok(expected), "{text}");
        }
        for bad in ["", "thirty", "5 parsecs", "-1", "1..2", "1e3"] {
            let err = parse_duration(bad).unwrap_err();
            assert!(
                err.contains("`250ms`, `30s`, `5m` or `1h30m`"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn booleans_as_ssm_users_spell_them() {
        for yes in ["true", "TRUE", "Yes", "on", "1", " on "] {
            assert_eq!(parse_bool(yes), Ok(true), "{yes}");
        }
        for no in ["false", "No", "OFF", "0"] {
            assert_eq!(parse_bool(no), Ok(false), "{no}");
        }
        for bad in ["", "y", "2", "enabled"] {
            assert!(parse_bool(bad).unwrap_err().contains("`yes`/`no`"), "{bad}");
        }
    }
}
