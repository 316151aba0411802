//! Parameter names: `{VAR}` templates, joining relative paths, selectors and
//! the naming rules SSM enforces (checked here because emulators do not).

use std::fmt;

/// The path under which SSM exposes Secrets Manager secrets.
pub(crate) const SECRETS_REFERENCE: &str = "/aws/reference/secretsmanager/";

const MAX_NAME_LEN: usize = 1011;
const MAX_LEVELS: usize = 15;
const MAX_LABEL_LEN: usize = 100;

/// Why a `{VAR}` template could not be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TemplateError {
    Unset(String),
    Unclosed,
}

/// Fills every `{VAR}` in `template` through `lookup`.
pub(crate) fn expand(
    template: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or(TemplateError::Unclosed)?;
        let var = &after[..close];
        let value = lookup(var).ok_or_else(|| TemplateError::Unset(var.to_owned()))?;
        out.push_str(&value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Joins a field path to its base: a leading `/` makes `path` absolute.
pub(crate) fn join(base: &str, path: &str) -> String {
    if path.starts_with('/') || base.is_empty() {
        path.to_owned()
    } else {
        format!("{}/{}", base.trim_end_matches('/'), path)
    }
}

/// A version selector: `name:3` pins version 3, `name:prod` the label `prod`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selector {
    /// A version number, 1 or more.
    Version(u64),
    /// A label attached to one version.
    Label(String),
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Version(v) => write!(f, "{v}"),
            Selector::Label(l) => f.write_str(l),
        }
    }
}

impl Selector {
    /// Parses the part after the `:` of `name:selector`.
    pub fn parse(text: &str) -> Result<Selector, String> {
        if text.is_empty() {
            return Err("the selector after `:` is empty".into());
        }
        if text.contains(':') {
            return Err(format!("`{text}` holds more than one selector"));
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return match text.parse::<u64>() {
                Ok(0) | Err(_) => Err(format!("version `{text}` must be a number from 1")),
                Ok(v) => Ok(Selector::Version(v)),
            };
        }
        check_label(text).map(|()| Selector::Label(text.to_owned()))
    }
}

/// Splits `name:selector` into its parts.
pub(crate) fn split_selector(full: &str) -> Result<(&str, Option<Selector>), String> {
    match full.split_once(':') {
        None => Ok((full, None)),
        Some((name, sel)) => Selector::parse(sel).map(|s| (name, Some(s))),
    }
}

fn starts_reserved(segment: &str) -> bool {
    let lower = segment.get(..3).map(str::to_ascii_lowercase);
    matches!(lower.as_deref(), Some("aws") | Some("ssm"))
}

fn check_label(label: &str) -> Result<(), String> {
    if label.len() > MAX_LABEL_LEN {
        return Err(format!("label is longer than {MAX_LABEL_LEN} characters"));
    }
    if label.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("label `{label}` must not start with a digit"));
    }
    if starts_reserved(label) {
        return Err(format!(
            "label `{label}` must not start with `aws` or `ssm`"
        ));
    }
    if let Some(c) = label
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_.-".contains(*c)))
    {
        return Err(format!(
            "label `{label}` holds `{c}`: use only a-z A-Z 0-9 _ . -"
        ));
    }
    Ok(())
}

/// Checks a full parameter name (without selector) against SSM's rules.
pub(crate) fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if name.len() > MAX_NAME_LEN {
        return Err(format!("the name is longer than {MAX_NAME_LEN} characters"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_.-/".contains(*c)))
    {
        return Err(format!(
            "`{c}` is not allowed: use only a-z A-Z 0-9 _ . - /"
        ));
    }
    if name.contains('/') && !name.starts_with('/') {
        return Err("a name with `/` must start with `/`".into());
    }
    if name.len() > 1 && name.ends_with('/') {
        return Err("the name ends with `/`".into());
    }
    if name.contains("//") {
        return Err("the name has an empty segment (`//`)".into());
    }
    let levels = name.split('/').filter(|s| !s.is_empty()).count();
    if levels > MAX_LEVELS {
        return Err(format!(
            "the name has {levels} levels; SSM allows {MAX_LEVELS}"
        ));
    }
    let first = name.trim_start_matches('/');
    if starts_reserved(first) && !name.starts_with(SECRETS_REFERENCE) {
        return Err("names must not start with `aws` or `ssm`".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(var: &str) -> Option<String> {
        (var == "ENV").then(|| "prod".to_owned())
    }

    #[test]
    fn expands_variables_and_reports_unset_ones() {
        assert_eq!(expand("/{ENV}/app", &env).unwrap(), "/prod/app");
        assert_eq!(expand("/a/b", &env).unwrap(), "/a/b");
        assert_eq!(
            expand("/{NOPE}/x", &env),
            Err(TemplateError::Unset("NOPE".into()))
        );
        assert_eq!(expand("/{ENV", &env), Err(TemplateError::Unclosed));
    }

    #[test]
    fn joins_relative_and_absolute_paths() {
        assert_eq!(join("/prod/app", "db/port"), "/prod/app/db/port");
        assert_eq!(join("/prod/app/", "x"), "/prod/app/x");
        assert_eq!(join("/prod/app", "/shared/x"), "/shared/x");
        assert_eq!(join("", "plain"), "plain");
    }

    #[test]
    fn parses_selectors() {
        assert_eq!(
            split_selector("/a:3").unwrap(),
            ("/a", Some(Selector::Version(3)))
        );
        assert_eq!(
            split_selector("/a:prod").unwrap(),
            ("/a", Some(Selector::Label("prod".into())))
        );
        assert_eq!(split_selector("/a").unwrap(), ("/a", None));
        for bad in ["/a:0", "/a:1:2", "/a:", "/a:9lives", "/a:awsx", "/a:b c"] {
            assert!(split_selector(bad).is_err(), "{bad}");
        }
        assert!(split_selector(&format!("/a:{}", "l".repeat(101))).is_err());
    }

    #[test]
    fn checks_names_like_ssm() {
        for good in [
            "/a/b",
            "plain",
            "/x_y.z-1",
            "/aws/reference/secretsmanager/db",
        ] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
        let deep = "/a".repeat(16);
        let long = format!("/{}", "a".repeat(1011));
        for bad in [
            "", "/a b", "a/b", "/a/", "/a//b", "/aws/x", "/SSM-x", &deep, &long,
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
