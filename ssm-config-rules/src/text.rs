//! Values SSM users write that `FromStr` would refuse, read the same way by
//! the derive (a `default = "..."` checked at compile time, `max_age`) and
//! by a load: durations as people write them, and booleans spelled
//! `yes`/`no`, `on`/`off` or `1`/`0`.

use std::time::Duration;

/// The forms [`parse_duration`] accepts, for error messages.
pub const DURATION_FORMS: &str =
    "a duration such as `250ms`, `30s`, `5m` or `1h30m`, or a number of seconds";

/// The unit of a bare number (`10000`) in a `Duration` field: seconds,
/// unless the field says otherwise with `#[ssm(unit = "ms")]`. A number
/// with its unit (`10s`) reads the same whatever the field says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    /// `ms`.
    Milliseconds,
    /// `s`, the default.
    Seconds,
    /// `m`.
    Minutes,
    /// `h`.
    Hours,
}

impl DurationUnit {
    /// The names `#[ssm(unit)]` takes, for error messages.
    pub const NAMES: &'static str = "`ms`, `s`, `m` or `h`";

    /// The unit `#[ssm(unit = "...")]` names.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "ms" => Some(DurationUnit::Milliseconds),
            "s" => Some(DurationUnit::Seconds),
            "m" => Some(DurationUnit::Minutes),
            "h" => Some(DurationUnit::Hours),
            _ => None,
        }
    }

    /// The unit's short name, as a number with its unit is written.
    pub fn name(self) -> &'static str {
        match self {
            DurationUnit::Milliseconds => "ms",
            DurationUnit::Seconds => "s",
            DurationUnit::Minutes => "m",
            DurationUnit::Hours => "h",
        }
    }

    /// The unit's name in words.
    pub fn words(self) -> &'static str {
        match self {
            DurationUnit::Milliseconds => "milliseconds",
            DurationUnit::Seconds => "seconds",
            DurationUnit::Minutes => "minutes",
            DurationUnit::Hours => "hours",
        }
    }

    fn seconds(self) -> f64 {
        match self {
            DurationUnit::Milliseconds => 0.001,
            DurationUnit::Seconds => 1.0,
            DurationUnit::Minutes => 60.0,
            DurationUnit::Hours => 3600.0,
        }
    }
}

/// Whether `text` is a number without a unit (`10000`, `1.5`): what a
/// `Duration` field reads in its bare unit.
pub fn is_bare_number(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// `duration` as people write one: `2h 46m 40s`, `250ms`.
pub fn format_duration(duration: Duration) -> String {
    humantime::format_duration(duration).to_string()
}

/// The spellings [`parse_bool`] accepts, for error messages.
pub const BOOL_FORMS: &str = "`true`/`false`, `yes`/`no`, `on`/`off` or `1`/`0`, in any case";

/// A duration: `humantime`'s forms (`250ms`, `30s`, `5m`, `1h30m`,
/// `2days`), or a bare number of seconds (`30`, `1.5`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    parse_duration_in(text, DurationUnit::Seconds)
}

/// A duration as [`parse_duration`] reads one, but a bare number in `bare`
/// units (`10000` in milliseconds is 10 s).
pub fn parse_duration_in(text: &str, bare: DurationUnit) -> Result<Duration, String> {
    let forms = || {
        format!(
            "a duration such as `250ms`, `30s`, `5m` or `1h30m`, or a number of {}",
            bare.words()
        )
    };
    let text = text.trim();
    if is_bare_number(text) {
        return text
            .parse::<f64>()
            .ok()
            .and_then(|number| Duration::try_from_secs_f64(number * bare.seconds()).ok())
            .ok_or_else(|| format!("expected {}", forms()));
    }
    humantime::parse_duration(text).map_err(|err| format!("expected {} ({err})", forms()))
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
    fn a_bare_number_is_in_the_fields_unit_and_a_number_with_a_unit_in_its_own() {
        for (text, unit, expected) in [
            ("10000", DurationUnit::Milliseconds, Duration::from_secs(10)),
            (
                "1.5",
                DurationUnit::Milliseconds,
                Duration::from_micros(1500),
            ),
            ("10000", DurationUnit::Seconds, Duration::from_secs(10_000)),
            ("5", DurationUnit::Minutes, Duration::from_secs(300)),
            ("2", DurationUnit::Hours, Duration::from_secs(7200)),
            ("10s", DurationUnit::Milliseconds, Duration::from_secs(10)),
            ("250ms", DurationUnit::Hours, Duration::from_millis(250)),
        ] {
            assert_eq!(
                parse_duration_in(text, unit),
                Ok(expected),
                "{text} {unit:?}"
            );
        }
        let err = parse_duration_in("ten", DurationUnit::Milliseconds).unwrap_err();
        assert!(err.contains("or a number of milliseconds"), "{err}");
        assert!(is_bare_number(" 10000 ") && !is_bare_number("10s") && !is_bare_number(""));
        for name in ["ms", "s", "m", "h"] {
            assert_eq!(
                DurationUnit::from_name(name).map(DurationUnit::name),
                Some(name)
            );
        }
        assert_eq!(DurationUnit::from_name("sec"), None);
        assert_eq!(format_duration(Duration::from_secs(10_000)), "2h 46m 40s");
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
