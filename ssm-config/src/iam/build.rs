//! From a struct's plan to the statements of its policy.

use std::collections::BTreeSet;

use crate::description::StructPlan;
use crate::load::resolve;
use crate::load::resolved::{Leaf, Node, Requests};
use crate::name::{arn_name, referenced_secret};
use crate::source::ParameterType;

use super::widening::Widenings;
use super::{Condition, IamPolicy, PolicyScope, Statement, partition};

/// What a struct reads, gathered for the policy. Names may hold the
/// stand-ins of unset variables until the policy is finished.
#[derive(Default)]
struct Reads {
    parameters: BTreeSet<String>,
    paths: BTreeSet<String>,
    recursive_paths: BTreeSet<String>,
    secrets: BTreeSet<String>,
    /// The `PARAMETER_ARN` values of the decryptions: each SecureString's
    /// ARN, `<path ARN>/*` for a walk's.
    decrypted: BTreeSet<String>,
    /// Keys named by `key_id` filters.
    key_ids: BTreeSet<String>,
    /// Some parameter is decrypted with a key the struct does not name.
    unknown_parameter_key: bool,
    /// Parameters shared by other accounts that may be SecureStrings.
    shared_secure: BTreeSet<String>,
}

pub(super) fn policy(plan: &'static StructPlan, scope: &PolicyScope) -> IamPolicy {
    let reads = gather(plan, scope);
    let parameter_arns =
        |names: &BTreeSet<String>| names.iter().map(|n| scope.parameter_arn(n)).collect();
    let secret_arns: Vec<String> = reads.secrets.iter().map(|s| scope.secret_arn(s)).collect();

    let mut statements = Vec::new();
    let mut add = |statement: Statement| {
        if !statement.resources.is_empty() {
            statements.push(statement);
        }
    };
    add(statement(
        "ReadParameters",
        "ssm:GetParameters",
        parameter_arns(&reads.parameters),
        vec![],
    ));
    // Parameter Store authorizes `GetParametersByPath` against the path, so
    // a grant on it also allows recursive walks of the whole subtree;
    // `ssm:Recursive` ("true" or "false", compared as a string) keeps it to
    // the direct children. The key is in every call: the AWS source always
    // sends `Recursive`.
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-policy-conditions.html
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
    add(statement(
        "ReadDirectChildrenOfPaths",
        "ssm:GetParametersByPath",
        parameter_arns(&reads.paths),
        vec![Condition::new("StringEquals", "ssm:Recursive", ["false"])],
    ));
    add(statement(
        "ReadPathsRecursively",
        "ssm:GetParametersByPath",
        parameter_arns(&reads.recursive_paths),
        vec![],
    ));
    add(statement(
        "ReadReferencedSecrets",
        "secretsmanager:GetSecretValue",
        secret_arns.clone(),
        vec![],
    ));
    // Parameter Store decrypts with the encryption context
    // `PARAMETER_ARN` = the parameter's ARN, standard and advanced tiers
    // alike; the name is in it, so the same patterns as the resources fit
    // with `StringLike`.
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html
    if !reads.decrypted.is_empty() {
        add(decrypt(
            scope,
            "DecryptParameters",
            "ssm",
            parameter_keys(&reads, scope),
            "kms:EncryptionContext:PARAMETER_ARN",
            reads.decrypted.iter().cloned().collect(),
        ));
    }
    // Secrets Manager decrypts with `SecretARN` = the secret's full ARN
    // (and `SecretVersionId`, which no policy can know beforehand).
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
    if !secret_arns.is_empty() {
        add(decrypt(
            scope,
            "DecryptReferencedSecrets",
            "secretsmanager",
            given_keys(scope).into_iter().collect(),
            "kms:EncryptionContext:SecretARN",
            secret_arns,
        ));
    }

    finish(statements, &reads, scope)
}

fn statement(
    sid: &str,
    action: &str,
    resources: Vec<String>,
    conditions: Vec<Condition>,
) -> Statement {
    Statement {
        sid: sid.into(),
        actions: vec![action.into()],
        resources,
        conditions,
    }
}

/// `kms:Decrypt` for what `service` decrypts for the caller: on `keys`, or
/// on any key when none is known, then only through `service`; either way
/// only with an encryption context naming what the struct reads.
fn decrypt(
    scope: &PolicyScope,
    sid: &str,
    service: &str,
    keys: Vec<String>,
    context_key: &str,
    contexts: Vec<String>,
) -> Statement {
    let mut conditions = Vec::new();
    let resources = match keys.is_empty() {
        true => {
            conditions.push(Condition::new(
                "StringEquals",
                "kms:ViaService",
                [scope.endpoint(service)],
            ));
            vec!["*".to_owned()]
        }
        false => keys,
    };
    conditions.push(Condition::new("StringLike", context_key, contexts));
    statement(sid, "kms:Decrypt", resources, conditions)
}

fn given_keys(scope: &PolicyScope) -> BTreeSet<String> {
    scope
        .kms_keys
        .iter()
        .filter_map(|k| scope.key_arn(k))
        .collect()
}

/// The keys the parameters read are decrypted with, empty when unknown.
fn parameter_keys(reads: &Reads, scope: &PolicyScope) -> Vec<String> {
    let given = given_keys(scope);
    let filtered: Option<BTreeSet<String>> =
        reads.key_ids.iter().map(|k| scope.key_arn(k)).collect();
    let keys = match filtered {
        // Every decryption names its key: exactly those keys.
        Some(keys) if !reads.unknown_parameter_key => keys,
        // The scope names the keys of the others.
        Some(keys) if !given.is_empty() => given.into_iter().chain(keys).collect(),
        // A filter names an alias, which IAM cannot authorize, or nothing
        // names the keys.
        _ => given,
    };
    keys.into_iter().collect()
}

/// The policy with every unset variable's stand-in made `*` and reported,
/// resources and values sorted, and the notes.
fn finish(mut statements: Vec<Statement>, reads: &Reads, scope: &PolicyScope) -> IamPolicy {
    let mut widenings = Widenings::default();
    let mut finished = |texts: &mut Vec<String>| {
        let mut done: Vec<String> = texts.iter().map(|t| widenings.finish(t)).collect();
        done.sort();
        done.dedup();
        *texts = done;
    };
    for statement in &mut statements {
        finished(&mut statement.resources);
        for condition in &mut statement.conditions {
            finished(&mut condition.values);
        }
    }
    let mut notes: Vec<String> = reads
        .shared_secure
        .iter()
        .map(|name| {
            let arn = widenings.finish(name);
            let account = arn.split(':').nth(4).unwrap_or("*").to_owned();
            format!(
                "`{arn}` is shared by account {account}: if it is a SecureString, it is encrypted with a customer-managed KMS key of that account (an AWS managed key cannot be shared). Grant `kms:Decrypt` on that key's ARN (`PolicyScope::kms_key`), and have the key's policy allow this principal."
            )
        })
        .collect();
    notes.extend(widenings.notes());
    let via_service = statements
        .iter()
        .any(|s| s.condition("kms:ViaService").is_some());
    if via_service && partition::dns_suffix(&scope.partition).is_none() {
        notes.push(format!(
            "The partition `{}` is not one this crate knows: the `kms:ViaService` host names assume the DNS suffix `amazonaws.com`; check them against the partition's endpoints.",
            scope.partition
        ));
    }
    IamPolicy {
        statements,
        notes,
        widened: widenings.into_list(),
    }
}

/// The ARNs of every parameter under a path, given the path's ARN.
fn under(path_arn: &str) -> String {
    format!("{}/*", path_arn.trim_end_matches('/'))
}

fn gather(plan: &'static StructPlan, scope: &PolicyScope) -> Reads {
    let lookup = |var: &str| Some(scope.lookup(var));
    let resolution = resolve::resolve_unchecked(plan, scope.prefix.as_deref(), &lookup);
    let mut reads = Reads::default();
    gather_node(&resolution.root, &resolution.requests, scope, &mut reads);
    if let Some(watched) = &scope.watch {
        let filled =
            ssm_config_rules::substitute(watched, &lookup).unwrap_or_else(|_| watched.clone());
        reads.parameters.insert(filled);
    }
    reads
}

fn gather_node(node: &Node, requests: &Requests, scope: &PolicyScope, reads: &mut Reads) {
    for leaf in node.leaves(requests) {
        match leaf {
            Leaf::Name {
                request: r, value, ..
            } => {
                reads.parameters.insert(r.name.clone());
                match referenced_secret(&r.name) {
                    Some(secret) => {
                        reads.secrets.insert(secret.to_owned());
                    }
                    None if r.decrypt && (value.secret || value.plaintext) => {
                        reads.decrypted.insert(scope.parameter_arn(&r.name));
                        reads.unknown_parameter_key = true;
                        if arn_name(&r.name).is_some() {
                            reads.shared_secure.insert(r.name.clone());
                        }
                    }
                    None => {}
                }
            }
            Leaf::Path {
                request: r, value, ..
            } => {
                if r.recursive {
                    reads.recursive_paths.insert(r.path.clone());
                } else {
                    reads.paths.insert(r.path.clone());
                }
                let secure = r.filters.kind == Some(ParameterType::SecureString)
                    || value.secret
                    || value.plaintext;
                if r.decrypt && secure {
                    reads.decrypted.insert(under(&scope.parameter_arn(&r.path)));
                    match &r.filters.key_id {
                        Some(key) => {
                            reads.key_ids.insert(key.clone());
                        }
                        None => reads.unknown_parameter_key = true,
                    }
                }
            }
            Leaf::Env { .. } | Leaf::Unresolved { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_under_a_path_hold_one_slash_before_the_wildcard() {
        let scope = PolicyScope::new("eu-west-1", "123456789012");
        let arn = |path: &str| under(&scope.parameter_arn(path));
        assert_eq!(
            arn("/app/keys"),
            "arn:aws:ssm:eu-west-1:123456789012:parameter/app/keys/*"
        );
        assert_eq!(
            arn("/app/keys/"),
            "arn:aws:ssm:eu-west-1:123456789012:parameter/app/keys/*"
        );
        assert_eq!(arn("/"), "arn:aws:ssm:eu-west-1:123456789012:parameter/*");
    }
}
