//! Parameter names at run time. The rules themselves live in
//! `ssm-config-rules`, which the derive applies at compile time; this
//! module adapts them to the runtime's types.

use ssm_config_rules as rules;

use crate::plan::selector::Selector;

/// Splits `name:selector` (or `ARN:selector`) into its parts.
pub(crate) fn split_selector(full: &str) -> Result<(&str, Option<Selector>), String> {
    match rules::split_selector(full) {
        (name, None) => Ok((name, None)),
        (name, Some(sel)) => Selector::parse(sel).map(|s| (name, Some(s))),
    }
}

/// The name a parameter ARN names in its own account: `/shared/db-url` for
/// `arn:aws:ssm:eu-west-1:111122223333:parameter/shared/db-url`. Results
/// of a `GetParameters` by ARN may come back under it.
pub(crate) fn arn_name(name: &str) -> Option<&str> {
    if !rules::is_arn(name) {
        return None;
    }
    let resource = name.splitn(6, ':').nth(5)?;
    let after = resource.strip_prefix("parameter")?;
    after.starts_with('/').then_some(after)
}

/// The secret a name refers to, when it is a Secrets Manager reference.
pub(crate) fn referenced_secret(name: &str) -> Option<&str> {
    name.strip_prefix(rules::SECRETS_REFERENCE)?
        .strip_prefix('/')
}

/// Checks a whole name given at run time: a secret reference by the
/// secret-name rules, an ARN by the ARN rules, anything else by the
/// parameter-name rules.
#[cfg(any(feature = "untyped", feature = "file", feature = "events"))]
pub(crate) fn check_name(name: &str) -> Result<(), String> {
    if rules::is_arn(name) {
        return match name.contains(['{', '}']) {
            true => Err("`{` and `}` are not allowed in a parameter ARN".into()),
            false => rules::check_arn(name),
        };
    }
    match referenced_secret(name) {
        Some(secret) => {
            rules::check_secret_name(secret).and_then(|()| match secret.contains(['{', '}']) {
                true => Err("`{` and `}` are not allowed in a secret name".into()),
                false => Ok(()),
            })
        }
        None => rules::check_filled_name(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let arn = "arn:aws:ssm:eu-west-1:111122223333:parameter/shared/x";
        assert_eq!(
            split_selector(&format!("{arn}:7")).unwrap(),
            (arn, Some(Selector::Version(7)))
        );
        assert_eq!(split_selector(arn).unwrap(), (arn, None));
    }

    #[test]
    #[cfg(any(feature = "untyped", feature = "file", feature = "events"))]
    fn arns_name_a_parameter_in_their_account() {
        let arn = "arn:aws:ssm:eu-west-1:111122223333:parameter/shared/x";
        assert_eq!(arn_name(arn), Some("/shared/x"));
        assert_eq!(arn_name("/shared/x"), None);
        assert_eq!(check_name(arn), Ok(()));
        assert!(check_name("arn:aws:ssm:eu-west-1:1111:parameter/x").is_err());
        assert!(check_name("arn:aws:ssm:{R}:111122223333:parameter/x").is_err());
    }

    #[test]
    #[cfg(any(feature = "untyped", feature = "file", feature = "events"))]
    fn secret_references_take_secret_names() {
        assert_eq!(check_name("/aws/reference/secretsmanager/db+x"), Ok(()));
        assert_eq!(
            referenced_secret("/aws/reference/secretsmanager/db"),
            Some("db")
        );
        assert_eq!(referenced_secret("/aws/reference/secretsmanagerx"), None);
        assert!(check_name("/aws/reference/secretsmanager/{X}").is_err());
        assert!(check_name("/a/{X}").is_err());
        assert!(check_name("/aws/x").is_err());
    }
}
