//! The least-privilege IAM policy for exactly what a config struct reads.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::description::StructPlan;
use crate::load::resolve;
use crate::load::resolved::{Leaf, Node, Requests};
use crate::name::{arn_name, referenced_secret};
use crate::source::ParameterType;

/// Where a policy applies: the account, region and partition its ARNs name,
/// and the values of the prefix's `{VAR}`s.
///
/// A variable neither given with [`var`](PolicyScope::var) nor set in the
/// environment becomes `*` in the ARNs, so the policy covers every value of
/// it.
///
/// ```
/// use ssm_config::iam::PolicyScope;
///
/// let scope = PolicyScope::new("eu-west-1", "123456789012")
///     .partition("aws")
///     .var("APP_ENV", "prod");
/// # let _ = scope;
/// ```
#[derive(Debug, Clone)]
pub struct PolicyScope {
    region: String,
    account: String,
    partition: String,
    prefix: Option<String>,
    vars: BTreeMap<String, String>,
    kms_keys: Vec<String>,
    watch: Option<String>,
}

impl PolicyScope {
    /// A scope in the `aws` partition.
    pub fn new(region: impl Into<String>, account: impl Into<String>) -> Self {
        PolicyScope {
            region: region.into(),
            account: account.into(),
            partition: "aws".into(),
            prefix: None,
            vars: BTreeMap::new(),
            kms_keys: Vec::new(),
            watch: None,
        }
    }

    /// The partition: `aws`, `aws-cn`, `aws-us-gov`.
    pub fn partition(mut self, partition: impl Into<String>) -> Self {
        self.partition = partition.into();
        self
    }

    /// The value of a prefix variable, instead of the environment's.
    pub fn var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// The prefix the loader will use, when it overrides the struct's.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// A KMS key that encrypts the SecureStrings read: `kms:Decrypt` is then
    /// granted on the given keys only, instead of on any key used through
    /// SSM or Secrets Manager. Give a key ARN or a key id.
    pub fn kms_key(mut self, key: impl Into<String>) -> Self {
        self.kms_keys.push(key.into());
        self
    }

    /// The parameter watch mode reads ([`Loader::watch`](crate::Loader::watch)):
    /// it is granted `ssm:GetParameters` beside the struct's own names,
    /// `{VAR}`s filled as the prefix's are. [`Loader::iam_policy`](crate::Loader::iam_policy)
    /// sets it from the loader.
    pub fn watch(mut self, name: impl Into<String>) -> Self {
        self.watch = Some(name.into());
        self
    }

    /// This scope completed with a loader's settings where it has none of
    /// its own: its prefix, its variables and its watched parameter.
    pub(crate) fn completed_by(
        mut self,
        prefix: Option<&str>,
        vars: &std::collections::HashMap<String, String>,
        watch: Option<&str>,
    ) -> Self {
        if self.prefix.is_none() {
            self.prefix = prefix.map(str::to_owned);
        }
        for (name, value) in vars {
            self.vars
                .entry(name.clone())
                .or_insert_with(|| value.clone());
        }
        if self.watch.is_none() {
            self.watch = watch.map(str::to_owned);
        }
        self
    }

    fn lookup(&self, var: &str) -> String {
        self.vars
            .get(var)
            .cloned()
            .or_else(|| std::env::var(var).ok())
            .unwrap_or_else(|| "*".into())
    }

    fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{resource}",
            self.partition, self.region, self.account
        )
    }

    /// A name's ARN in this scope; a name that is an ARN (a parameter
    /// shared by another account) is its own.
    fn parameter_arn(&self, name: &str) -> String {
        if arn_name(name).is_some() {
            return name.to_owned();
        }
        self.arn(
            "ssm",
            &format!("parameter/{}", name.trim_start_matches('/')),
        )
    }

    fn key_arn(&self, key: &str) -> Option<String> {
        if key.starts_with("arn:") {
            Some(key.to_owned())
        } else if key.starts_with("alias/") {
            // IAM authorizes `kms:Decrypt` on the key, not on an alias.
            None
        } else {
            Some(self.arn("kms", &format!("key/{key}")))
        }
    }
}

/// One statement of an [`IamPolicy`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Says what the statement is for.
    pub sid: String,
    /// The actions allowed.
    pub actions: Vec<String>,
    /// The resources, sorted.
    pub resources: Vec<String>,
    /// `{"StringEquals": {"kms:ViaService": [...]}}` where KMS keys are
    /// not known.
    pub via_services: Vec<String>,
}

/// An IAM policy document allowing exactly the reads of a config struct;
/// see [`SsmConfig::iam_policy`](crate::SsmConfig::iam_policy).
///
/// `Display` prints the JSON document, ready for `aws iam put-role-policy`
/// or a template. What the document cannot grant by itself, such as the
/// KMS key of a SecureString another account shares, is in
/// [`notes`](IamPolicy::notes), to print beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamPolicy {
    /// The statements, in a fixed order: parameters, paths, secrets, KMS.
    pub statements: Vec<Statement>,
    /// What else the reads need, one sentence each.
    pub notes: Vec<String>,
}

impl IamPolicy {
    /// The policy document as JSON.
    pub fn to_json(&self) -> Json {
        serde_json::to_value(self.document()).unwrap_or(Json::Null)
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
                    condition: (!s.via_services.is_empty())
                        .then(|| json!({ "StringEquals": { "kms:ViaService": s.via_services } })),
                })
                .collect(),
        }
    }

    /// The statement with this `Sid`.
    pub fn statement(&self, sid: &str) -> Option<&Statement> {
        self.statements.iter().find(|s| s.sid == sid)
    }
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

/// What a struct reads, gathered for the policy.
#[derive(Default)]
struct Reads {
    parameters: BTreeSet<String>,
    paths: BTreeSet<String>,
    recursive_paths: BTreeSet<String>,
    secrets: BTreeSet<String>,
    decrypts_parameters: bool,
    /// Keys named by `key_id` filters.
    key_ids: BTreeSet<String>,
    /// Some decryption uses a key the struct does not name.
    unknown_key: bool,
    /// Parameters shared by other accounts that may be SecureStrings.
    shared_secure: BTreeSet<String>,
}

pub(crate) fn policy(plan: &'static StructPlan, scope: &PolicyScope) -> IamPolicy {
    let lookup = |var: &str| Some(scope.lookup(var));
    let resolution = resolve::resolve_unchecked(plan, scope.prefix.as_deref(), &lookup);
    let mut reads = Reads::default();
    gather(&resolution.root, &resolution.requests, &mut reads);
    if let Some(watched) = &scope.watch {
        let filled =
            ssm_config_rules::substitute(watched, &lookup).unwrap_or_else(|_| watched.clone());
        reads.parameters.insert(filled);
    }

    let mut statements = Vec::new();
    let mut add = |sid: &str, action: &str, resources: Vec<String>, via: Vec<String>| {
        if !resources.is_empty() {
            statements.push(Statement {
                sid: sid.into(),
                actions: vec![action.into()],
                resources,
                via_services: via,
            });
        }
    };
    let arns = |names: &BTreeSet<String>| names.iter().map(|n| scope.parameter_arn(n)).collect();
    add(
        "ReadParameters",
        "ssm:GetParameters",
        arns(&reads.parameters),
        vec![],
    );
    add(
        "ReadDirectChildrenOfPaths",
        "ssm:GetParametersByPath",
        arns(&reads.paths),
        vec![],
    );
    add(
        "ReadPathsRecursively",
        "ssm:GetParametersByPath",
        arns(&reads.recursive_paths),
        vec![],
    );
    add(
        "ReadReferencedSecrets",
        "secretsmanager:GetSecretValue",
        reads
            .secrets
            .iter()
            // Secrets Manager appends six random characters to a secret's ARN.
            .map(|s| scope.arn("secretsmanager", &format!("secret:{s}-??????")))
            .collect(),
        vec![],
    );
    let mut services = Vec::new();
    if reads.decrypts_parameters {
        services.push(format!("ssm.{}.amazonaws.com", scope.region));
    }
    if !reads.secrets.is_empty() {
        services.push(format!("secretsmanager.{}.amazonaws.com", scope.region));
    }
    if !services.is_empty() {
        let filter_keys: Option<BTreeSet<String>> =
            reads.key_ids.iter().map(|k| scope.key_arn(k)).collect();
        let given_keys = scope.kms_keys.iter().filter_map(|k| scope.key_arn(k));
        let keys: BTreeSet<String> = match filter_keys {
            // Every decryption names its key: grant exactly those keys.
            Some(keys) if !reads.unknown_key => keys,
            // The scope names the keys in use.
            Some(keys) if !scope.kms_keys.is_empty() => given_keys.chain(keys).collect(),
            _ => given_keys.collect(),
        };
        if keys.is_empty() {
            add("DecryptSecrets", "kms:Decrypt", vec!["*".into()], services);
        } else {
            add(
                "DecryptSecrets",
                "kms:Decrypt",
                keys.into_iter().collect(),
                vec![],
            );
        }
    }
    let notes = reads
        .shared_secure
        .iter()
        .map(|arn| {
            let account = arn.split(':').nth(4).unwrap_or("*");
            format!(
                "`{arn}` is shared by account {account}: if it is a SecureString, it is encrypted with a customer-managed KMS key of that account (an AWS managed key cannot be shared). Grant `kms:Decrypt` on that key's ARN (`PolicyScope::kms_key`), and have the key's policy allow this principal."
            )
        })
        .collect();
    IamPolicy { statements, notes }
}

fn gather(node: &Node, requests: &Requests, reads: &mut Reads) {
    for leaf in node.leaves(requests) {
        match leaf {
            Leaf::Name {
                request: r, value, ..
            } => {
                reads.parameters.insert(r.name.clone());
                match referenced_secret(&r.name) {
                    Some(secret) => {
                        reads.secrets.insert(secret.to_owned());
                        reads.unknown_key = true;
                    }
                    None if r.decrypt && (value.secret || value.plaintext) => {
                        reads.decrypts_parameters = true;
                        reads.unknown_key = true;
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
                    reads.decrypts_parameters = true;
                    match &r.filters.key_id {
                        Some(key) => {
                            reads.key_ids.insert(key.clone());
                        }
                        None => reads.unknown_key = true,
                    }
                }
            }
            Leaf::Env { .. } | Leaf::Unresolved { .. } => {}
        }
    }
}
