//! `{VAR}` templates: parsed once, filled once, each variable one segment.

/// A piece of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text taken as written.
    Text(&'a str),
    /// `{NAME}`, filled from the variable `NAME`.
    Variable(&'a str),
}

/// Splits `template` into text and `{VAR}`s, or says why it is malformed.
pub fn pieces(template: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(format!(
                "`}}` in `{}` closes nothing",
                crate::shown(template)
            ));
        }
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!(
                "`{{` in `{}` is never closed",
                crate::shown(template)
            ));
        };
        let variable = &after[..close];
        if variable.is_empty()
            || !variable
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(format!(
                "`{{{}}}` is not an environment variable name: use letters, digits and `_`",
                crate::shown(variable)
            ));
        }
        out.push(Piece::Variable(variable));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// What a variable's value may be: one segment of a parameter name.
pub fn check_variable_value(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("it is empty; a variable fills one whole segment".into());
    }
    if value.contains('/') {
        return Err("it holds `/`; a variable fills exactly one segment".into());
    }
    if value.contains(['{', '}']) {
        return Err("it holds `{` or `}`; values are never expanded again".into());
    }
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_.-".contains(*c)))
    {
        return Err(format!(
            "it holds `{}`; use only a-z A-Z 0-9 _ . -",
            crate::shown_char(c)
        ));
    }
    Ok(())
}

/// Why a template could not be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillFailure {
    /// The template itself is malformed.
    Malformed(String),
    /// No value for the variable.
    Unset(String),
    /// The variable's value breaks [`check_variable_value`].
    Invalid {
        /// The variable.
        variable: String,
        /// Why, without quoting the value.
        reason: String,
    },
}

/// Fills every `{VAR}` of `template` through `lookup`, each value checked
/// and inserted as it is: a value is never expanded a second time.
pub fn fill(
    template: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, FillFailure> {
    fill_with(template, lookup, Values::Checked)
}

/// Like [`fill`] without checking the values: for listings, where a value
/// may be a placeholder such as `*` or `{VAR}` itself.
pub fn substitute(
    template: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, FillFailure> {
    fill_with(template, lookup, Values::Unchecked)
}

/// Like [`fill`], but a variable `lookup` has no value for stays in the
/// text as `{VAR}`, for outputs that leave it to whoever runs them. Only a
/// name a shell can set ([`check_env_name`](crate::check_env_name)) stays;
/// any other is unset, as [`fill`] says.
pub fn fill_keeping_unset(
    template: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, FillFailure> {
    fill_with(template, lookup, Values::CheckedKeepingUnset)
}

/// What [`fill_with`] does with the values it looks up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Values {
    Checked,
    CheckedKeepingUnset,
    Unchecked,
}

fn fill_with(
    template: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    values: Values,
) -> Result<String, FillFailure> {
    let mut out = String::with_capacity(template.len());
    for piece in pieces(template).map_err(FillFailure::Malformed)? {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Variable(variable) => {
                let Some(value) = lookup(variable) else {
                    let kept = values == Values::CheckedKeepingUnset
                        && crate::check_env_name(variable, true).is_ok();
                    match kept {
                        true => out.push_str(&format!("{{{variable}}}")),
                        false => return Err(FillFailure::Unset(variable.to_owned())),
                    }
                    continue;
                };
                if values != Values::Unchecked {
                    check_variable_value(&value).map_err(|reason| FillFailure::Invalid {
                        variable: variable.to_owned(),
                        reason,
                    })?;
                }
                out.push_str(&value);
            }
        }
    }
    Ok(out)
}

/// A template with each `{VAR}` replaced by a one-character stand-in, so
/// character and segment rules can run on it before load time.
pub(crate) struct StandIn {
    pub filled: String,
    /// Whether the first segment holds a variable, so its start is unknown.
    pub starts_with_variable: bool,
    /// The first segment's text before its first variable, when it holds
    /// one: what the name certainly starts with (`awsx` in `/awsx{ENV}`).
    pub known_start: String,
}

pub(crate) fn stand_in(text: &str) -> Result<StandIn, String> {
    let mut filled = String::with_capacity(text.len());
    let mut starts_with_variable = false;
    let mut known_start = String::new();
    for piece in pieces(text)? {
        match piece {
            Piece::Text(text) => filled.push_str(text),
            Piece::Variable(_) => {
                let first_segment = filled.trim_start_matches('/');
                if !starts_with_variable && !first_segment.contains('/') {
                    starts_with_variable = true;
                    known_start = first_segment.to_owned();
                }
                filled.push('v');
            }
        }
    }
    Ok(StandIn {
        filled,
        starts_with_variable,
        known_start,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(var: &str) -> Option<String> {
        match var {
            "ENV" => Some("prod".into()),
            "SLASH" => Some("a/b".into()),
            "BRACES" => Some("{ENV}".into()),
            "SPACE" => Some("a b".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn fills_each_variable_once() {
        assert_eq!(fill("/{ENV}/app", &env), Ok("/prod/app".into()));
        assert_eq!(fill("/a/b", &env), Ok("/a/b".into()));
        assert_eq!(
            fill("/{NOPE}/x", &env),
            Err(FillFailure::Unset("NOPE".into()))
        );
        assert!(matches!(
            fill("/{ENV", &env),
            Err(FillFailure::Malformed(_))
        ));
        assert!(matches!(
            fill("/ENV}", &env),
            Err(FillFailure::Malformed(_))
        ));
    }

    #[test]
    fn a_value_fills_exactly_one_segment_and_is_never_expanded_again() {
        for variable in ["SLASH", "BRACES", "SPACE", "EMPTY"] {
            let template = format!("/{{{variable}}}/x");
            match fill(&template, &env) {
                Err(FillFailure::Invalid {
                    variable: named, ..
                }) => assert_eq!(named, variable),
                other => panic!("{variable}: {other:?}"),
            }
        }
    }

    #[test]
    fn kept_variables_are_shell_names_and_set_ones_are_checked() {
        assert_eq!(
            fill_keeping_unset("/{ENV}/{REGION}", &env),
            Ok("/prod/{REGION}".into())
        );
        assert!(matches!(
            fill_keeping_unset("/{SPACE}/x", &env),
            Err(FillFailure::Invalid { .. })
        ));
        assert_eq!(
            fill_keeping_unset("/{1X}/x", &env),
            Err(FillFailure::Unset("1X".into()))
        );
    }

    #[test]
    fn refusals_never_quote_the_value() {
        let lookup = |_: &str| Some("hunter2 secret".to_owned());
        let Err(FillFailure::Invalid { reason, .. }) = fill("/{X}", &lookup) else {
            panic!("a space is refused");
        };
        assert!(!reason.contains("hunter2"), "{reason}");
    }
}
