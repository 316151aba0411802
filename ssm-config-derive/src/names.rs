//! SSM's naming rules, applied to the names a struct spells out, so a name
//! SSM would refuse fails the build instead of the first load in production.
//! A `{VAR}` is filled at load time: it counts as part of one segment, and
//! the rules that depend on its value are left to the runtime.

const MAX_NAME_LEN: usize = 1011;
const MAX_LEVELS: usize = 15;
const MAX_LABEL_LEN: usize = 100;
const MAX_SECRET_NAME_LEN: usize = 512;
pub(crate) const SECRETS_REFERENCE: &str = "/aws/reference/secretsmanager";

/// `name` for a message: a very long name is cut in the middle.
pub(crate) fn shown(name: &str) -> String {
    const KEEP: usize = 30;
    if name.chars().count() <= 2 * KEEP + 10 {
        return name.to_owned();
    }
    let head: String = name.chars().take(KEEP).collect();
    let tail: String = name.chars().skip(name.chars().count() - KEEP).collect();
    format!("{head}...{tail}")
}

/// A name with each `{VAR}` replaced by a stand-in, so character and
/// segment rules can run on it.
struct Template {
    filled: String,
    /// Whether the first segment holds a variable, so its prefix is unknown.
    starts_with_variable: bool,
}

fn fill_variables(text: &str) -> Result<Template, String> {
    let mut filled = String::with_capacity(text.len());
    let mut rest = text;
    let mut starts_with_variable = false;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("`{{` in `{text}` is never closed"));
        };
        let variable = &after[..close];
        if variable.is_empty()
            || !variable
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(format!(
                "`{{{variable}}}` is not an environment variable name: use letters, digits and `_`"
            ));
        }
        if !filled.trim_start_matches('/').contains('/') {
            starts_with_variable = true;
        }
        filled.push('v');
        rest = &after[close + 1..];
    }
    filled.push_str(rest);
    Ok(Template {
        filled,
        starts_with_variable,
    })
}

fn forbidden_char(text: &str, extra: &str) -> Option<char> {
    text.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_.-".contains(*c) || extra.contains(*c)))
}

fn starts_reserved(text: &str) -> bool {
    let head = text.get(..3).map(str::to_ascii_lowercase);
    matches!(head.as_deref(), Some("aws" | "ssm"))
}

/// Problems `text` (a prefix, a path or a name) has on its own, whatever it
/// is joined to.
pub(crate) fn check_path(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("the name is empty".into());
    }
    let template = fill_variables(text)?;
    let filled = &template.filled;
    if let Some(c) = forbidden_char(filled, "/") {
        let hint = if c == ':' {
            ": a selector goes at the end, `name:3` or `name:label`"
        } else {
            ""
        };
        return Err(format!(
            "`{c}` is not allowed in a parameter name: use only a-z A-Z 0-9 _ . - /{hint}"
        ));
    }
    if filled.contains("//") {
        return Err(format!("`{text}` has an empty segment (`//`)"));
    }
    if filled.len() > 1 && filled.ends_with('/') {
        return Err(format!("`{text}` ends with `/`; remove it"));
    }
    Ok(())
}

/// Rules on a whole name: levels, length, and the reserved `aws`/`ssm`
/// start. `full` is the prefix and the path joined, already free of the
/// problems [`check_path`] finds.
pub(crate) fn check_full_name(full: &str) -> Result<(), String> {
    let template = fill_variables(full)?;
    let filled = &template.filled;
    let levels = filled.split('/').filter(|s| !s.is_empty()).count();
    if levels > MAX_LEVELS {
        return Err(format!(
            "`{full}` has {levels} levels; SSM allows at most {MAX_LEVELS}"
        ));
    }
    if filled.len() > MAX_NAME_LEN {
        return Err(format!(
            "`{}` is {} characters long; SSM allows at most {MAX_NAME_LEN}",
            shown(full),
            filled.len()
        ));
    }
    let under_secrets = full.starts_with(&format!("{SECRETS_REFERENCE}/"));
    if full.starts_with('/')
        && !template.starts_with_variable
        && starts_reserved(&filled[1..])
        && !under_secrets
    {
        return Err(format!(
            "`{full}` starts with a reserved word: names must not begin with `aws` or `ssm`"
        ));
    }
    Ok(())
}

/// A version or label selector: the part after `name:`, or `label = "..."`.
pub(crate) fn check_selector(selector: &str) -> Result<(), String> {
    if selector.is_empty() {
        return Err("the selector after `:` is empty: write `name:3` or `name:label`".into());
    }
    if selector.contains(':') {
        return Err(format!(
            "`:{selector}` holds more than one selector: pin one version or one label"
        ));
    }
    if selector.bytes().all(|b| b.is_ascii_digit()) {
        return match selector.parse::<u64>() {
            Ok(0) => Err("versions start at 1: `:0` selects nothing".into()),
            Ok(_) => Ok(()),
            Err(_) => Err(format!("version `{selector}` is too large")),
        };
    }
    check_label(selector)
}

/// The rules SSM puts on a label.
pub(crate) fn check_label(label: &str) -> Result<(), String> {
    if label.is_empty() {
        return Err("the label is empty".into());
    }
    if label.len() > MAX_LABEL_LEN {
        return Err(format!(
            "the label is {} characters long; SSM allows at most {MAX_LABEL_LEN}",
            label.len()
        ));
    }
    if label.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "label `{label}` starts with a digit; only versions are numbers"
        ));
    }
    if starts_reserved(label) {
        return Err(format!(
            "label `{label}` starts with a reserved word: labels must not begin with `aws` or `ssm`"
        ));
    }
    if let Some(c) = forbidden_char(label, "") {
        return Err(format!(
            "`{c}` is not allowed in a label: use only a-z A-Z 0-9 _ . -"
        ));
    }
    Ok(())
}

/// A Secrets Manager secret name, as `#[ssm(secret = "...")]` takes it.
pub(crate) fn check_secret_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the secret name is empty".into());
    }
    if name.starts_with('/') {
        return Err(format!(
            "secret names have no leading `/`: write `{}`",
            name.trim_start_matches('/')
        ));
    }
    let template = fill_variables(name)?;
    if let Some(c) = forbidden_char(&template.filled, "/+=@") {
        return Err(format!(
            "`{c}` is not allowed in a secret name: use only a-z A-Z 0-9 / _ + = . @ -"
        ));
    }
    if template.filled.len() > MAX_SECRET_NAME_LEN {
        return Err(format!(
            "the secret name is {} characters long; Secrets Manager allows at most {MAX_SECRET_NAME_LEN}",
            template.filled.len()
        ));
    }
    Ok(())
}

/// `path` joined to `prefix` the way the runtime joins them.
pub(crate) fn join(prefix: Option<&str>, path: &str) -> String {
    match prefix {
        Some(base) if !path.starts_with('/') && !base.is_empty() => {
            format!("{}/{path}", base.trim_end_matches('/'))
        }
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_ssm_character_and_segment_rules() {
        for good in ["/a/b", "db_port", "/{ENV}/app", "x.y-z_1", "/"] {
            assert_eq!(check_path(good), Ok(()), "{good}");
        }
        for bad in [
            "", "/a b", "/a//b", "/a/", "/a:b", "/{ENV/x", "/{}/x", "/{A-B}/x",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn full_names_have_limits_and_reserved_starts() {
        let deep = "/a".repeat(16);
        let long = format!("/{}", "a".repeat(1011));
        for bad in [deep.as_str(), &long, "/aws/x", "/SSM-x", "/Awsome"] {
            assert!(check_full_name(bad).is_err(), "{bad}");
        }
        for good in [
            "/a".repeat(15).as_str(),
            "/{AWS_ENV}/x",
            "/aws/reference/secretsmanager/db",
            "/app/aws",
        ] {
            assert_eq!(check_full_name(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn selectors_are_versions_from_one_or_labels() {
        for good in ["1", "42", "prod", "blue-green_2"] {
            assert_eq!(check_selector(good), Ok(()), "{good}");
        }
        let long = "l".repeat(101);
        for bad in [
            "",
            "0",
            "1:2",
            "9lives",
            "awsx",
            "SSM",
            "a b",
            long.as_str(),
        ] {
            assert!(check_selector(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secret_names_are_relative() {
        assert_eq!(check_secret_name("prod/db+x=y@z"), Ok(()));
        assert!(check_secret_name("/prod/db").is_err());
        assert!(check_secret_name("prod db").is_err());
        assert!(check_secret_name("").is_err());
    }

    #[test]
    fn joins_like_the_runtime() {
        assert_eq!(join(Some("/app"), "x"), "/app/x");
        assert_eq!(join(Some("/app"), "/abs"), "/abs");
        assert_eq!(join(None, "x"), "x");
    }
}
