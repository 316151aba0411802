//! The rules themselves, on names whose `{VAR}`s are filled or stood in for.

use crate::template;

/// Longest parameter name SSM takes.
pub const MAX_NAME_LEN: usize = 1011;
/// Most levels (segments) a parameter name may have.
pub const MAX_LEVELS: usize = 15;
/// Longest label.
pub const MAX_LABEL_LEN: usize = 100;
/// Longest Secrets Manager secret name.
pub const MAX_SECRET_NAME_LEN: usize = 512;
/// The path under which SSM exposes Secrets Manager secrets.
pub const SECRETS_REFERENCE: &str = "/aws/reference/secretsmanager";

/// Whether `path` is absolute: joined to nothing.
pub const fn is_absolute(path: &str) -> bool {
    !path.is_empty() && path.as_bytes()[0] == b'/'
}

/// Whether `path` stands alone, joined to no base: an absolute name or an
/// ARN.
pub const fn stands_alone(path: &str) -> bool {
    is_absolute(path) || is_arn(path)
}

/// What every ARN starts with.
const ARN: &str = "arn:";

/// Whether `text` names a parameter by ARN (well formed or not).
pub const fn is_arn(text: &str) -> bool {
    let (text, arn) = (text.as_bytes(), ARN.as_bytes());
    if text.len() < arn.len() {
        return false;
    }
    let mut i = 0;
    while i < arn.len() {
        if text[i] != arn[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The length of `bytes` without trailing `/`s: what of a base stands
/// before the `/` that joins a path to it.
pub const fn trimmed_len(bytes: &[u8]) -> usize {
    let mut end = bytes.len();
    while end > 0 && bytes[end - 1] == b'/' {
        end -= 1;
    }
    end
}

/// Joins `path` to `base`: an absolute path, an ARN or an empty base stands
/// alone; otherwise the base, trimmed of trailing `/`s, then `/`, then the
/// path.
pub fn join(base: &str, path: &str) -> String {
    if stands_alone(path) || base.is_empty() {
        path.to_owned()
    } else {
        let base = &base[..trimmed_len(base.as_bytes())];
        format!("{base}/{path}")
    }
}

/// `name` for a message: a very long name is cut in the middle, and every
/// control, line-breaking or bidirectional character is escaped (`\n`,
/// `\u{202e}`), so a name given at run time can neither forge a line of a
/// log nor hide what it is.
pub fn shown(name: &str) -> String {
    const KEEP: usize = 30;
    let count = name.chars().count();
    if count <= 2 * KEEP + 10 {
        return escaped(name);
    }
    let head: String = name.chars().take(KEEP).map(shown_char).collect();
    let tail: String = name.chars().skip(count - KEEP).map(shown_char).collect();
    format!("{head}...{tail}")
}

/// `text` for a message, whole, with every control, line-breaking or
/// bidirectional character escaped as [`shown`] escapes it.
pub fn escaped(text: &str) -> String {
    text.chars().map(shown_char).collect()
}

/// One character for a message: itself when it prints as itself, escaped
/// otherwise (`\n`, `\u{1b}`, `\u{202e}`).
pub fn shown_char(c: char) -> String {
    if c.is_ascii_graphic() || c == ' ' {
        c.to_string()
    } else {
        c.escape_debug().to_string()
    }
}

fn forbidden_char(text: &str, extra: &str) -> Option<char> {
    text.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_.-".contains(*c) || extra.contains(*c)))
}

/// What no parameter name (its first segment) and no label may start
/// with, in any case.
pub const RESERVED_STARTS: [&str; 2] = ["aws", "ssm"];

fn starts_reserved(text: &str) -> bool {
    RESERVED_STARTS.iter().any(|reserved| {
        text.get(..reserved.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(reserved))
    })
}

/// Rules a name or a part of one breaks on its own, whatever it is joined
/// to: characters, empty segments, a trailing `/`.
pub(crate) fn check_part(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("the name is empty".into());
    }
    let template = template::stand_in(text)?;
    let filled = &template.filled;
    if let Some(c) = forbidden_char(filled, "/") {
        let hint = if c == ':' {
            ": a selector goes at the end, `name:3` or `name:label`"
        } else {
            ""
        };
        return Err(format!(
            "`{}` is not allowed in a parameter name: use only a-z A-Z 0-9 _ . - /{hint}",
            shown_char(c)
        ));
    }
    if filled.contains("//") {
        return Err(format!("`{}` has an empty segment (`//`)", shown(text)));
    }
    if filled.len() > 1 && filled.ends_with('/') {
        return Err(format!("`{}` ends with `/`; remove it", shown(text)));
    }
    Ok(())
}

/// Levels and length of `text`, which also bound any name it ends up in.
pub(crate) fn check_size(text: &str) -> Result<(), String> {
    let template = template::stand_in(text)?;
    let filled = &template.filled;
    let levels = filled.split('/').filter(|s| !s.is_empty()).count();
    if levels > MAX_LEVELS {
        return Err(format!(
            "`{}` has {levels} levels; SSM allows at most {MAX_LEVELS}",
            shown(text)
        ));
    }
    if filled.len() > MAX_NAME_LEN {
        return Err(format!(
            "`{}` is {} characters long; SSM allows at most {MAX_NAME_LEN}",
            shown(text),
            filled.len()
        ));
    }
    Ok(())
}

/// Every rule on a whole parameter name. `{VAR}`s in it stand for one
/// segment each; the rules their values decide are left to load time.
pub fn check_name(full: &str) -> Result<(), String> {
    check_part(full)?;
    check_size(full)?;
    let template = template::stand_in(full)?;
    if !is_absolute(full) && full.contains('/') {
        return Err(format!(
            "`{}` has `/` but does not start with it: write `/{}`",
            shown(full),
            shown(full)
        ));
    }
    let under_secrets = full.starts_with(&format!("{SECRETS_REFERENCE}/"));
    // A variable in the first segment leaves its start to load time, but
    // not the text before it: `/awsx{ENV}` starts with `aws` whatever ENV is.
    let start = match template.starts_with_variable {
        true => template.known_start.as_str(),
        false => template.filled.trim_start_matches('/'),
    };
    if starts_reserved(start) && !under_secrets {
        return Err(format!(
            "`{}` starts with a reserved word: names must not begin with `aws` or `ssm`",
            shown(full)
        ));
    }
    Ok(())
}

/// Every rule on a name that is already whole: one with no `{VAR}` left,
/// such as a filled name or one given at run time.
pub fn check_filled_name(full: &str) -> Result<(), String> {
    if let Some(c) = full.chars().find(|c| matches!(c, '{' | '}')) {
        return Err(format!(
            "`{c}` is not allowed in a parameter name: use only a-z A-Z 0-9 _ . - /"
        ));
    }
    check_name(full)
}

/// A version or a label, as a selector holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selected<'a> {
    /// A version, 1 or more.
    Version(u64),
    /// A label.
    Label(&'a str),
}

/// An environment variable that overrides a field (`#[ssm(env = "...")]`),
/// or the start of such names (`Loader::env_prefix`, `whole` false):
/// letters, digits and `_`, not starting with a digit, the names every
/// shell can set.
pub fn check_env_name(name: &str, whole: bool) -> Result<(), String> {
    if whole && name.is_empty() {
        return Err("the variable name is empty".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(format!(
            "`{}` is not allowed in an environment variable name: use only A-Z a-z 0-9 _",
            shown_char(c)
        ));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "`{}` starts with a digit; shells cannot set such a variable",
            shown(name)
        ));
    }
    Ok(())
}

/// A version or label selector: the part after `name:`.
pub fn check_selector(selector: &str) -> Result<Selected<'_>, String> {
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
            Ok(version) => Ok(Selected::Version(version)),
            Err(_) => Err(format!("version `{selector}` is too large")),
        };
    }
    check_label(selector).map(|()| Selected::Label(selector))
}

/// The rules SSM puts on a label.
pub fn check_label(label: &str) -> Result<(), String> {
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
            "label `{}` starts with a digit; only versions are numbers",
            shown(label)
        ));
    }
    if starts_reserved(label) {
        return Err(format!(
            "label `{}` starts with a reserved word: labels must not begin with `aws` or `ssm`",
            shown(label)
        ));
    }
    if let Some(c) = forbidden_char(label, "") {
        return Err(format!(
            "`{}` is not allowed in a label: use only a-z A-Z 0-9 _ . -",
            shown_char(c)
        ));
    }
    Ok(())
}

/// A Secrets Manager secret name, as `#[ssm(secret = "...")]` takes it.
pub fn check_secret_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the secret name is empty".into());
    }
    if name.starts_with('/') {
        return Err(format!(
            "secret names have no leading `/`: write `{}`",
            shown(name.trim_start_matches('/'))
        ));
    }
    let template = template::stand_in(name)?;
    if let Some(c) = forbidden_char(&template.filled, "/+=@!") {
        return Err(format!(
            "`{}` is not allowed in a secret name: use only a-z A-Z 0-9 / _ + = . @ - !",
            shown_char(c)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_follow_ssm_character_and_segment_rules() {
        for good in ["/a/b", "db_port", "/{ENV}/app", "x.y-z_1", "/"] {
            assert_eq!(check_part(good), Ok(()), "{good}");
        }
        for bad in [
            "", "/a b", "/a//b", "/a/", "/a:b", "/{ENV/x", "/{}/x", "/{A-B}/x",
        ] {
            assert!(check_part(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn whole_names_have_limits_and_reserved_starts() {
        let deep = "/a".repeat(16);
        let long = format!("/{}", "a".repeat(1011));
        for bad in [
            deep.as_str(),
            &long,
            "/aws/x",
            "/SSM-x",
            "/Awsome",
            "awsx",
            "a/b",
            "/a b",
            "/awsx{ENV}/app",
            "/SSM{ENV}",
            "awsx{ENV}",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        for good in [
            "/a".repeat(15).as_str(),
            "/{AWS_ENV}/x",
            "/aw{ENV}/x",
            "/x{ENV}aws/y",
            "/aws/reference/secretsmanager/db",
            "/app/aws",
            "plain",
        ] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn selectors_are_versions_from_one_or_labels() {
        assert_eq!(check_selector("42"), Ok(Selected::Version(42)));
        assert_eq!(check_selector("prod"), Ok(Selected::Label("prod")));
        let long = "l".repeat(101);
        for bad in [
            "",
            "0",
            "1:2",
            "9lives",
            "awsx",
            "SSM",
            "a b",
            "99999999999999999999999",
            long.as_str(),
        ] {
            assert!(check_selector(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secret_names_are_relative_and_take_secrets_manager_characters() {
        assert_eq!(check_secret_name("prod/db+x=y@z"), Ok(()));
        assert_eq!(check_secret_name("rds!cluster-1"), Ok(()));
        assert!(check_secret_name("/prod/db").is_err());
        assert!(check_secret_name("prod db").is_err());
        assert!(check_secret_name("").is_err());
        assert!(check_secret_name(&"s".repeat(513)).is_err());
    }

    #[test]
    fn environment_names_are_what_shells_can_set() {
        assert_eq!(check_env_name("ORDERS_DB__PORT", true), Ok(()));
        assert_eq!(check_env_name("", false), Ok(()));
        for bad in ["", "A-B", "A=B", "1A", "A B", "Ä"] {
            assert!(check_env_name(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn joins_trim_the_base_and_keep_absolute_paths() {
        assert_eq!(join("/app", "x"), "/app/x");
        assert_eq!(join("/app//", "x"), "/app/x");
        assert_eq!(join("/app", "/abs"), "/abs");
        assert_eq!(join("", "x"), "x");
        assert_eq!(join("/", "x"), "/x");
        let arn = "arn:aws:ssm:eu-west-1:111122223333:parameter/x";
        assert_eq!(join("/app", arn), arn);
    }
}
