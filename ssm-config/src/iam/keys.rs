//! The KMS keys `kms:Decrypt` is granted on: keys named by id or ARN, and
//! keys named by an alias, which IAM can match only through a condition.

use std::collections::BTreeSet;

use ssm_config_rules::escaped;

use super::{Condition, PolicyScope, Statement};

/// The condition key holding the aliases of the key a request uses. It is
/// multivalued (a key has several aliases), so it takes a set operator;
/// it is valid in IAM policies for every operation on a KMS key, Decrypt
/// included, and takes alias names, never alias ARNs.
/// <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases>
const RESOURCE_ALIASES: &str = "kms:ResourceAliases";

/// A KMS key as a scope or a `key_id` filter names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum KeyRef {
    /// The key's ARN.
    Key(String),
    /// An alias: its name (`alias/orders`) and the ARN pattern of every
    /// key in its account and region, one of which carries it.
    Alias { name: String, keys: String },
}

/// The keys `texts` name, and each text that names none with the reason.
pub(super) fn parse<'a>(
    scope: &PolicyScope,
    texts: impl IntoIterator<Item = &'a str>,
) -> (BTreeSet<KeyRef>, Vec<(&'a str, String)>) {
    let mut keys = BTreeSet::new();
    let mut refused = Vec::new();
    for text in texts {
        match key_ref(scope, text) {
            Ok(key) => {
                keys.insert(key);
            }
            Err(reason) => refused.push((text, reason)),
        }
    }
    (keys, refused)
}

/// A key id, key ARN, alias name or alias ARN, as KMS takes them:
/// <https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id>.
/// Nothing else is written into a policy, so no `*`, `?` or `${...}` can
/// widen a grant through a key.
fn key_ref(scope: &PolicyScope, text: &str) -> Result<KeyRef, String> {
    if text.starts_with("arn:") {
        return arn_key_ref(text);
    }
    if let Some(alias) = text.strip_prefix("alias/") {
        check_alias(alias)?;
        return Ok(KeyRef::Alias {
            name: text.to_owned(),
            keys: scope.arn("kms", "key/*"),
        });
    }
    check_key_id(text)?;
    Ok(KeyRef::Key(scope.arn("kms", &format!("key/{text}"))))
}

/// `arn:PARTITION:kms:REGION:ACCOUNT:key/ID` or `...:alias/NAME`.
fn arn_key_ref(arn: &str) -> Result<KeyRef, String> {
    let fields: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, "kms", region, account, resource] = fields[..] else {
        return Err("an ARN of a KMS key reads `arn:PARTITION:kms:REGION:ACCOUNT:key/ID` or `...:alias/NAME`".into());
    };
    let lower = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if !lower(partition) || !lower(region) {
        return Err("its partition and region hold only a-z 0-9 -".into());
    }
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        return Err("its account is not 12 digits".into());
    }
    if let Some(id) = resource.strip_prefix("key/") {
        check_key_id(id)?;
        return Ok(KeyRef::Key(arn.to_owned()));
    }
    let Some(alias) = resource.strip_prefix("alias/") else {
        return Err("its resource is neither `key/ID` nor `alias/NAME`".into());
    };
    check_alias(alias)?;
    Ok(KeyRef::Alias {
        name: resource.to_owned(),
        keys: format!("arn:{partition}:kms:{region}:{account}:key/*"),
    })
}

/// A key id: a UUID, or `mrk-` and 32 hex digits for a multi-Region key.
fn check_key_id(id: &str) -> Result<(), String> {
    match !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        true => Ok(()),
        false => Err("a key id holds only a-z A-Z 0-9 -".into()),
    }
}

/// An alias name after `alias/`: letters, digits, `/`, `_` and `-`.
/// <https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html#KMS-CreateAlias-request-AliasName>
fn check_alias(alias: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "/_-".contains(c);
    match !alias.is_empty() && alias.len() <= 250 && alias.chars().all(allowed) {
        true => Ok(()),
        false => {
            Err("an alias name is `alias/` and 1 to 250 characters of a-z A-Z 0-9 / _ -".into())
        }
    }
}

/// `kms:Decrypt` for what `service` decrypts for the caller, always only
/// with `context` (the encryption context naming what the struct reads):
/// `sid` on the keys named by id or ARN, `<sid>ByKeyAlias` on the keys
/// carrying one of the aliases named; when no key is named, `sid` on any
/// key, but only through `service` (`kms:ViaService`).
pub(super) fn decrypt(
    scope: &PolicyScope,
    sid: &str,
    service: &str,
    keys: &BTreeSet<KeyRef>,
    context: Condition,
) -> Vec<Statement> {
    const ACTION: &str = "kms:Decrypt";
    if keys.is_empty() {
        let via = Condition::new("StringEquals", "kms:ViaService", [scope.endpoint(service)]);
        return vec![Statement::allowing(
            sid,
            ACTION,
            vec!["*".into()],
            vec![via, context],
        )];
    }
    let mut statements = Vec::new();
    let arns: Vec<String> = keys
        .iter()
        .filter_map(|k| match k {
            KeyRef::Key(arn) => Some(arn.clone()),
            KeyRef::Alias { .. } => None,
        })
        .collect();
    if !arns.is_empty() {
        statements.push(Statement::allowing(
            sid,
            ACTION,
            arns,
            vec![context.clone()],
        ));
    }
    let (mut names, mut patterns) = (BTreeSet::new(), BTreeSet::new());
    for key in keys {
        if let KeyRef::Alias { name, keys } = key {
            names.insert(name.clone());
            patterns.insert(keys.clone());
        }
    }
    // IAM matches a Resource against the key, never its alias: the alias
    // is a condition on the keys of its account and region.
    // https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
    if !names.is_empty() {
        let aliases = Condition::new("ForAnyValue:StringEquals", RESOURCE_ALIASES, names);
        statements.push(Statement::allowing(
            &format!("{sid}ByKeyAlias"),
            ACTION,
            patterns.into_iter().collect(),
            vec![aliases, context],
        ));
    }
    statements
}

/// One note per alias the statements grant through, saying what that
/// grant depends on.
pub(super) fn alias_notes(statements: &[Statement]) -> Vec<String> {
    let aliases: BTreeSet<&str> = statements
        .iter()
        .filter_map(|s| s.condition(RESOURCE_ALIASES))
        .flat_map(|c| c.values.iter().map(String::as_str))
        .collect();
    aliases
        .into_iter()
        .map(|alias| {
            format!(
                "`{alias}` cannot be the resource of `kms:Decrypt`: IAM matches a resource against the key, never its alias. The keys that carry it are granted through the `{RESOURCE_ALIASES}` condition instead, which follows the aliases a key has when it is used: whoever may create, update or delete aliases (`kms:CreateAlias`, `kms:UpdateAlias`, `kms:DeleteAlias`) decides which key that is, and a change takes up to five minutes to apply. Name the key by its ARN to grant exactly one key."
            )
        })
        .collect()
}

/// The note for a key text that names no key, which is not written.
pub(super) fn refused_note(origin: &str, text: &str, reason: &str) -> String {
    format!(
        "The KMS key `{}` ({origin}) is neither a key id, a key ARN, an alias name nor an alias ARN ({reason}), so it is not written.",
        escaped(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> PolicyScope {
        PolicyScope::new("eu-west-1", "123456789012")
    }

    #[test]
    fn ids_arns_and_aliases_name_keys() {
        let key = |text: &str| key_ref(&scope(), text);
        assert_eq!(
            key("1234abcd-12ab-34cd-56ef-1234567890ab"),
            Ok(KeyRef::Key(
                "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                    .into()
            ))
        );
        assert_eq!(
            key("arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234"),
            Ok(KeyRef::Key(
                "arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234".into()
            ))
        );
        assert_eq!(
            key("alias/orders/prod"),
            Ok(KeyRef::Alias {
                name: "alias/orders/prod".into(),
                keys: "arn:aws:kms:eu-west-1:123456789012:key/*".into()
            })
        );
        assert_eq!(
            key("arn:aws:kms:us-east-1:111122223333:alias/shared"),
            Ok(KeyRef::Alias {
                name: "alias/shared".into(),
                keys: "arn:aws:kms:us-east-1:111122223333:key/*".into()
            })
        );
    }

    #[test]
    fn nothing_that_could_widen_a_grant_is_a_key() {
        for text in [
            "*",
            "",
            "key-?",
            "${aws:PrincipalTag/key}",
            "alias/",
            "alias/*",
            "alias/a b",
            "arn:aws:kms:eu-west-1:123456789012:key/*",
            "arn:aws:kms:*:123456789012:key/k1",
            "arn:aws:kms:eu-west-1:*:alias/x",
            "arn:aws:ssm:eu-west-1:123456789012:parameter/x",
            "arn:aws:kms:eu-west-1:123456789012:grant/x",
        ] {
            assert!(key_ref(&scope(), text).is_err(), "{text}");
        }
    }
}
