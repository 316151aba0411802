//! From a struct's plan to the statements of its policy.

use std::collections::{BTreeMap, BTreeSet};

use ssm_config_rules::{Filler, Piece, check_variable_value, escaped, pieces};

use crate::description::StructDescription;
use crate::error::Problem;
use crate::name::{arn_name, referenced_secret};
use crate::pipeline::resolve;
use crate::pipeline::resolve::resolved::{Leaf, Node, Requests};
use crate::source::ParameterType;

use super::keys::{self, KeyRef};
use super::widening::{self, Widenings};
use super::{Condition, IamPolicy, PolicyScope, Statement, WideningCause, partition};

/// The variable a prefix a load refuses is replaced by, so every name
/// under it is made and checked as a load would, `*` in its place. It is
/// never looked up while it stands in.
const PREFIX_STAND_IN: &str = "SSM_CONFIG_REFUSED_PREFIX";

/// What a struct reads, gathered for the policy. Names hold the stand-ins
/// of the values the policy cannot name until the policy is finished.
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
    /// What each stand-in in the names stands in for.
    causes: BTreeMap<String, WideningCause>,
    /// Why a load refuses the prefix, when it does.
    refused_prefix: Option<String>,
    /// What a load refuses too, so nothing is granted for it.
    refused: Vec<Problem>,
}

pub(super) fn policy(plan: &'static StructDescription, scope: &PolicyScope) -> IamPolicy {
    let mut reads = gather(plan, scope);
    for (part, _, bad) in scope.parts() {
        if let Some(reason) = bad {
            let cause = WideningCause::Scope {
                part: part.to_owned(),
                reason: format!("it must be {reason}"),
            };
            reads
                .causes
                .insert(super::policy_scope::scope_stand_in(part), cause);
        }
    }
    let parameter_arns =
        |names: &BTreeSet<String>| names.iter().map(|n| scope.parameter_arn(n)).collect();
    let secret_arns: Vec<String> = reads.secrets.iter().map(|s| scope.secret_arn(s)).collect();

    let mut key_notes = Vec::new();
    let (given, refused) = keys::parse(scope, scope.kms_keys.iter().map(String::as_str));
    key_notes.extend(
        refused
            .iter()
            .map(|(text, why)| keys::refused_note("`PolicyScope::kms_key`", text, why)),
    );
    let (filtered, refused) = keys::parse(scope, reads.key_ids.iter().map(String::as_str));
    key_notes.extend(
        refused
            .iter()
            .map(|(text, why)| keys::refused_note("a `key_id` filter", text, why)),
    );
    // A walk whose filter names no key decrypts with a key nothing names.
    reads.unknown_parameter_key |= !refused.is_empty();

    let mut statements = Vec::new();
    let mut add = |statement: Statement| {
        if !statement.resources.is_empty() {
            statements.push(statement);
        }
    };
    add(Statement::allowing(
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
    add(Statement::allowing(
        "ReadDirectChildrenOfPaths",
        "ssm:GetParametersByPath",
        parameter_arns(&reads.paths),
        vec![Condition::new("StringEquals", "ssm:Recursive", ["false"])],
    ));
    add(Statement::allowing(
        "ReadPathsRecursively",
        "ssm:GetParametersByPath",
        parameter_arns(&reads.recursive_paths),
        vec![],
    ));
    // A change event under a walk is read by its name alone (a targeted
    // refresh sends one `GetParameters`), so a walk's parameters are
    // granted by name too. IAM has no pattern for one segment: under a walk
    // that does not descend, deeper names may then be read one by one,
    // though never listed.
    let walked_by_name = reads
        .paths
        .iter()
        .chain(&reads.recursive_paths)
        .map(|path| under(&scope.parameter_arn(path)))
        .collect();
    add(Statement::allowing(
        "ReadWalkedParametersByName",
        "ssm:GetParameters",
        walked_by_name,
        vec![],
    ));
    add(Statement::allowing(
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
        let context = Condition::new(
            "StringLike",
            "kms:EncryptionContext:PARAMETER_ARN",
            reads.decrypted.iter().cloned(),
        );
        let keys = parameter_keys(&reads, &given, &filtered);
        for statement in keys::decrypt(scope, "DecryptParameters", "ssm", &keys, context) {
            add(statement);
        }
    }
    // Secrets Manager decrypts with `SecretARN` = the secret's full ARN
    // (and `SecretVersionId`, which no policy can know beforehand).
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
    if !secret_arns.is_empty() {
        let context = Condition::new("StringLike", "kms:EncryptionContext:SecretARN", secret_arns);
        let sid = "DecryptReferencedSecrets";
        for statement in keys::decrypt(scope, sid, "secretsmanager", &given, context) {
            add(statement);
        }
    }

    key_notes.extend(keys::alias_notes(&statements));
    if let Some((topic, prefix)) = &scope.fan_out {
        match fan_out_statements(scope, topic, prefix) {
            Ok(fan_out) => statements.extend(fan_out),
            Err(note) => key_notes.push(note),
        }
    }
    finish(statements, &reads, scope, key_notes)
}

/// What `Live::fan_out` calls: the queue lifecycle on the queues of the
/// prefix, and the subscription on the topic (`Unsubscribe` names the
/// subscription, `topic:id`). A topic or prefix SNS or SQS would refuse is
/// a note instead, never written.
fn fan_out_statements(
    scope: &PolicyScope,
    topic: &str,
    prefix: &str,
) -> Result<Vec<Statement>, String> {
    let name = |text: &str| {
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if topic.is_empty() || topic.len() > 256 || !name(topic) {
        return Err("the fan-out topic is not an SNS topic name (1 to 256 of A-Z a-z 0-9 - _): its statements are not written".into());
    }
    // An empty prefix would grant every queue of the account.
    if prefix.is_empty() || prefix.len() > 79 || !name(prefix) {
        return Err("the fan-out queue prefix is not the start of an SQS queue name (1 to 79 of A-Z a-z 0-9 - _): its statements are not written".into());
    }
    let queues = Statement {
        sid: "FanOutQueueLifecycle".into(),
        actions: [
            "sqs:CreateQueue",
            "sqs:DeleteMessage",
            "sqs:DeleteQueue",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
            "sqs:SetQueueAttributes",
            "sqs:TagQueue",
        ]
        .map(String::from)
        .to_vec(),
        resources: vec![scope.arn("sqs", &format!("{prefix}*"))],
        conditions: vec![],
    };
    let topic_arn = scope.arn("sns", topic);
    let subscription = Statement {
        sid: "FanOutSubscription".into(),
        actions: ["sns:Subscribe", "sns:Unsubscribe"]
            .map(String::from)
            .to_vec(),
        resources: vec![topic_arn.clone(), format!("{topic_arn}:*")],
        conditions: vec![],
    };
    Ok(vec![queues, subscription])
}

/// The keys the parameters read are decrypted with, empty when unknown.
fn parameter_keys(
    reads: &Reads,
    given: &BTreeSet<KeyRef>,
    filtered: &BTreeSet<KeyRef>,
) -> BTreeSet<KeyRef> {
    match (reads.unknown_parameter_key, given.is_empty()) {
        // Every decryption names its key: exactly those keys.
        (false, _) => filtered.clone(),
        // The scope names the keys of the others.
        (true, false) => given.union(filtered).cloned().collect(),
        // Nothing names the keys of some.
        (true, true) => BTreeSet::new(),
    }
}

/// The policy with every stand-in made `*` and reported, resources and
/// values sorted, and the notes.
fn finish(
    mut statements: Vec<Statement>,
    reads: &Reads,
    scope: &PolicyScope,
    key_notes: Vec<String>,
) -> IamPolicy {
    let mut widenings = Widenings::new(reads.causes.clone());
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
    if let Some(reason) = &reads.refused_prefix {
        let cause = WideningCause::Prefix {
            reason: reason.clone(),
        };
        if !widenings.has(&cause) {
            notes.push(format!(
                "The prefix is one a load refuses ({reason}); no name read is under it, so it is not in the policy."
            ));
        }
    }
    notes.extend(
        reads
            .refused
            .iter()
            .map(|problem| format!("Nothing is granted for what a load refuses too: {problem}.")),
    );
    notes.extend(key_notes);
    let via_service = statements
        .iter()
        .any(|s| s.condition("kms:ViaService").is_some());
    if via_service && partition::dns_suffix(&scope.partition).is_none() {
        notes.push(format!(
            "The partition `{}` is not one this crate knows: the `kms:ViaService` host names assume the DNS suffix `amazonaws.com`; check them against the partition's endpoints.",
            escaped(&scope.partition)
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

/// Resolves the struct's names as a load does, every value, prefix and
/// name checked by the same rules (`Filler::keeping_unset`, the filler a
/// load's differs from only in keeping unset variables). A value the rules
/// refuse is looked up as unset, and a prefix they refuse is replaced by
/// a variable: either stays `{VAR}` in the names, and becomes `*`, never
/// the text itself. A name the rules refuse otherwise is not granted.
fn gather(plan: &'static StructDescription, scope: &PolicyScope) -> Reads {
    let mut reads = Reads::default();
    let checked = |var: &str| {
        scope
            .value(var)
            .filter(|value| check_variable_value(value).is_ok())
    };
    let mut prefix = scope.prefix.as_deref().or(plan.prefix);
    let stand_in = format!("/{{{PREFIX_STAND_IN}}}");
    if let Some(Err(err)) = prefix.map(|p| Filler::keeping_unset(&checked).prefix(p)) {
        reads.refused_prefix = Some(resolve::fill_problem("prefix", err).to_string());
        prefix = Some(&stand_in);
    }
    let prefix_refused = reads.refused_prefix.is_some();
    let accepted = |var: &str| match prefix_refused && var == PREFIX_STAND_IN {
        true => None,
        false => checked(var),
    };
    let resolution = resolve::resolve_keeping_unset(plan, prefix, &accepted);
    reads.refused.extend(resolution.problems);
    gather_node(&resolution.root, &resolution.requests, scope, &mut reads);
    if let Some(watched) = &scope.watch {
        match Filler::keeping_unset(&accepted).parameter("", watched) {
            Ok(name) => {
                let name = reads.marked(scope, &name);
                reads.parameters.insert(name);
            }
            Err(err) => {
                let field = format!("watch `{}`", escaped(watched));
                reads.refused.push(resolve::fill_problem(&field, err));
            }
        }
    }
    reads
}

impl Reads {
    /// `name` with each `{VAR}` the resolution kept replaced by its
    /// stand-in, and what it stands in for recorded.
    fn marked(&mut self, scope: &PolicyScope, name: &str) -> String {
        // The names were made by the rules, so their `{VAR}`s parse.
        let Ok(pieces) = pieces(name) else {
            return name.to_owned();
        };
        let mut marked = String::with_capacity(name.len());
        for piece in pieces {
            let variable = match piece {
                Piece::Text(text) => {
                    marked.push_str(text);
                    continue;
                }
                Piece::Variable(variable) => variable,
            };
            let (key, cause) = match (&self.refused_prefix, variable) {
                (Some(reason), PREFIX_STAND_IN) => (
                    String::new(),
                    WideningCause::Prefix {
                        reason: reason.clone(),
                    },
                ),
                _ => (variable.to_owned(), cause(scope, variable)),
            };
            marked.push_str(&widening::stand_in(&key));
            self.causes.insert(key, cause);
        }
        marked
    }
}

/// Why the policy cannot name `variable`'s value.
fn cause(scope: &PolicyScope, variable: &str) -> WideningCause {
    match scope
        .value(variable)
        .map(|value| check_variable_value(&value))
    {
        Some(Err(reason)) => WideningCause::Refused {
            variable: variable.to_owned(),
            reason,
        },
        _ => WideningCause::Unset {
            variable: variable.to_owned(),
        },
    }
}

fn gather_node(node: &Node, requests: &Requests, scope: &PolicyScope, reads: &mut Reads) {
    for leaf in node.leaves(requests) {
        match leaf {
            Leaf::Name {
                request: r, value, ..
            } => {
                let name = reads.marked(scope, &r.name);
                reads.parameters.insert(name.clone());
                match referenced_secret(&name) {
                    Some(secret) => {
                        reads.secrets.insert(secret.to_owned());
                    }
                    None if r.decrypt && (value.secret || value.plaintext) => {
                        reads.decrypted.insert(scope.parameter_arn(&name));
                        reads.unknown_parameter_key = true;
                        if arn_name(&name).is_some() {
                            reads.shared_secure.insert(name);
                        }
                    }
                    None => {}
                }
            }
            Leaf::Path {
                request: r, value, ..
            } => {
                let path = reads.marked(scope, &r.path);
                match r.recursive {
                    true => reads.recursive_paths.insert(path.clone()),
                    false => reads.paths.insert(path.clone()),
                };
                let secure = r.filters.kind == Some(ParameterType::SecureString)
                    || value.secret
                    || value.plaintext;
                if r.decrypt && secure {
                    reads.decrypted.insert(under(&scope.parameter_arn(&path)));
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
