//! The least-privilege IAM policy for exactly what a config struct reads.

mod build;
mod keys;
mod partition;
mod policy_scope;
mod statement;
mod widened;
mod widening;
mod widening_cause;

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::description::StructDescription;

pub use policy_scope::PolicyScope;
pub use statement::{Condition, Statement};
pub use widened::Widened;
pub use widening::Widening;
pub use widening_cause::WideningCause;

/// An IAM policy document allowing exactly the reads of a config struct;
/// see [`Loader::iam_policy`](crate::Loader::iam_policy).
///
/// Its statements, in this order, each present only when the struct needs
/// it:
///
/// - `ReadParameters`: `ssm:GetParameters` on each name's ARN (a name
///   read with a `:3` or `:label` selector has one ARN, without it).
/// - `ReadDirectChildrenOfPaths`: `ssm:GetParametersByPath` on the path of
///   each `by_path` walk with `recursive = false`, only with `Recursive`
///   false (the `ssm:Recursive` condition): a grant on a path would
///   otherwise allow walking its whole subtree.
/// - `ReadPathsRecursively`: `ssm:GetParametersByPath` on the path of each
///   recursive walk, which reads every parameter under it at any depth.
/// - `ReadWalkedParametersByName`: `ssm:GetParameters` on `<path>/*` of
///   each walk, for the targeted refresh of a change event under it
///   ([`Live::apply_event`](crate::Live::apply_event) reads that one name).
///   IAM has no pattern for one segment, so under a walk that does not
///   descend, deeper names may be read one by one too, though never listed.
/// - `ReadReferencedSecrets`: `secretsmanager:GetSecretValue` on each
///   secret read through `/aws/reference/secretsmanager/...`, any version
///   (the ARN ends in `-??????`, the six characters Secrets Manager adds).
/// - `DecryptParameters`: `kms:Decrypt` of the SecureStrings read, only
///   when Parameter Store's encryption context `PARAMETER_ARN` is one of
///   their ARNs, or is under a walk's path (`<path>/*`, any depth). On the
///   keys when every decryption's key is known (`key_id` filters,
///   [`PolicyScope::kms_key`]), otherwise on any key, but only through
///   Parameter Store in the scope's region (`kms:ViaService`).
/// - `DecryptParametersByKeyAlias`: the same on the keys named by an alias
///   (`alias/orders`, or its ARN). IAM matches a resource against the key,
///   never its alias, so this grants the keys of the alias's account and
///   region only while one of their aliases is named
///   (`kms:ResourceAliases`).
/// - `DecryptReferencedSecrets`, `DecryptReferencedSecretsByKeyAlias`: the
///   same for the secrets, with Secrets Manager's encryption context
///   `SecretARN`, on the [`kms_key`](PolicyScope::kms_key)s given or
///   through Secrets Manager.
///
/// `Display` prints the JSON document, ready for `aws iam put-role-policy`
/// or a template. What the document cannot grant by itself, such as the
/// KMS key of a SecureString another account shares, what an alias grant
/// depends on, and each `*` in the place of a value the policy cannot
/// name, is in [`notes`](IamPolicy::notes), to print beside it.
///
/// Every `{VAR}` value and the prefix are checked by the rules a load
/// applies: a variable that is unset, or whose value a load refuses (`*`,
/// `pro?`, `${aws:username}`, `a/b`, an empty one), and a prefix a load
/// refuses, are never written; `*` stands in their place, listed in
/// [`widened`](IamPolicy::widened) with its [`WideningCause`].
/// [`exact`](IamPolicy::exact) refuses such a policy. A name a load refuses
/// for another reason (too long, say) is not granted, and noted.
///
/// ```
/// # use ssm_config::{SsmConfig, iam::PolicyScope};
/// #[derive(SsmConfig)]
/// #[ssm(prefix = "/{ORDERS_STAGE}/orders")]
/// struct Orders {
///     db_host: String,
/// }
/// // ORDERS_STAGE is not set in this example's environment.
/// let scope = PolicyScope::new("eu-west-1", "123456789012");
/// let widened = Orders::loader().iam_policy(&scope);
/// assert!(widened.notes[0].contains("`ORDERS_STAGE`"));
/// assert_eq!(widened.exact().unwrap_err().variables(), ["ORDERS_STAGE"]);
///
/// // A value a load refuses is never written either: `*` stands in its place.
/// let refused = Orders::loader().var("ORDERS_STAGE", "*").iam_policy(&scope);
/// assert_eq!(refused.exact().unwrap_err().variables(), ["ORDERS_STAGE"]);
///
/// let policy = Orders::loader().var("ORDERS_STAGE", "prod").iam_policy(&scope).exact()?;
/// assert_eq!(
///     policy.statement("ReadParameters").unwrap().resources,
///     ["arn:aws:ssm:eu-west-1:123456789012:parameter/prod/orders/db_host"]
/// );
/// # Ok::<(), ssm_config::iam::Widened>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamPolicy {
    /// The statements, in the order above.
    pub statements: Vec<Statement>,
    /// What else the reads need, what the policy grants wider than they
    /// need, and what it leaves out, a few sentences each.
    pub notes: Vec<String>,
    /// Each `*` in a resource or condition value in the place of a value
    /// the policy cannot name: an unset `{VAR}`, or a variable or prefix
    /// whose value a load refuses.
    pub widened: Vec<Widening>,
}

impl IamPolicy {
    /// The policy document as JSON.
    pub fn to_json(&self) -> Json {
        serde_json::to_value(self.document()).unwrap_or(Json::Null)
    }

    /// The statement with this `Sid`.
    pub fn statement(&self, sid: &str) -> Option<&Statement> {
        self.statements.iter().find(|s| s.sid == sid)
    }

    /// This policy, or [`Widened`] naming each unset variable, each
    /// variable whose value a load refuses, and a prefix a load refuses,
    /// that made it grant `*` in its place: for a pipeline that must never
    /// deploy a policy wider than one environment.
    pub fn exact(self) -> Result<IamPolicy, Widened> {
        match self.widened.is_empty() {
            true => Ok(self),
            false => Err(Widened::new(self.widened)),
        }
    }

    /// The document with its keys in the order IAM's own documents use.
    fn document(&self) -> Document<'_> {
        Document {
            version: "2012-10-17",
            statement: self
                .statements
                .iter()
                .map(|s| OrderedStatement {
                    sid: &s.sid,
                    effect: "Allow",
                    action: &s.actions,
                    resource: &s.resources,
                    condition: (!s.conditions.is_empty()).then(|| condition_block(&s.conditions)),
                })
                .collect(),
        }
    }
}

/// `{"StringEquals": {"kms:ViaService": [...]}, "StringLike": {...}}`.
fn condition_block(conditions: &[Condition]) -> Json {
    let mut block = Map::new();
    for c in conditions {
        let by_operator = block
            .entry(c.operator.clone())
            .or_insert_with(|| Json::Object(Map::new()));
        if let Json::Object(keys) = by_operator {
            keys.insert(c.key.clone(), Json::from(c.values.clone()));
        }
    }
    Json::Object(block)
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Document<'a> {
    version: &'static str,
    statement: Vec<OrderedStatement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct OrderedStatement<'a> {
    sid: &'a str,
    effect: &'static str,
    action: &'a [String],
    resource: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<Json>,
}

impl fmt::Display for IamPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string_pretty(&self.document()).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

pub(crate) fn policy(plan: &'static StructDescription, scope: &PolicyScope) -> IamPolicy {
    build::policy(plan, scope)
}
