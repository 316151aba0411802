//! [`PolicyScope`]: the account, region, partition and variables a policy
//! is written for.

use std::collections::{BTreeMap, HashMap};

use crate::name::arn_name;

use super::partition;

/// Where a policy applies: the account, region and partition its ARNs
/// name, and the KMS keys it may decrypt with. What it grants comes from
/// the [`Loader`](crate::Loader) that writes it
/// ([`Loader::iam_policy`](crate::Loader::iam_policy)): its prefix, its
/// variables ([`Loader::var`](crate::Loader::var), then the environment)
/// and its watched parameter, as a load reads them.
///
/// A variable neither given with `Loader::var` nor set in the environment
/// becomes `*` in the ARNs, so the policy covers every value of it;
/// [`IamPolicy::notes`](super::IamPolicy::notes) says so and
/// [`IamPolicy::exact`](super::IamPolicy::exact) refuses such a policy. A
/// variable or a prefix holding a value a load refuses (empty, or with a
/// character such as `/`, `*`, `?` or `$`) is checked by the same rules and
/// treated the same way: the value is never written into the policy.
///
/// ```
/// use ssm_config::iam::PolicyScope;
///
/// let scope = PolicyScope::new("eu-west-1", "123456789012").partition("aws");
/// # let _ = scope;
/// ```
#[derive(Debug, Clone)]
pub struct PolicyScope {
    pub(super) region: String,
    account: String,
    pub(super) partition: String,
    pub(super) prefix: Option<String>,
    vars: BTreeMap<String, String>,
    pub(super) kms_keys: Vec<String>,
    pub(super) watch: Option<String>,
    /// The SNS topic and queue-name prefix of `Live::fan_out`.
    pub(super) fan_out: Option<(String, String)>,
}

impl PolicyScope {
    /// A scope in `region`'s partition: `aws-cn` for `cn-*` regions,
    /// `aws-us-gov` for `us-gov-*`, the ISO partitions for `us-iso-*`,
    /// `us-isob-*`, `eu-isoe-*` and `us-isof-*`, `aws-eusc` for `eusc-*`,
    /// `aws` for the others.
    pub fn new(region: impl Into<String>, account: impl Into<String>) -> Self {
        let region = region.into();
        PolicyScope {
            partition: partition::of_region(&region).to_owned(),
            region,
            account: account.into(),
            prefix: None,
            vars: BTreeMap::new(),
            kms_keys: Vec::new(),
            watch: None,
            fan_out: None,
        }
    }

    /// Grants what [`Live::fan_out`](crate::Live::fan_out) does: the queue
    /// lifecycle (create, tag, poll, delete) on queues named
    /// `queue_prefix...`, and subscribing to and unsubscribing from the SNS
    /// topic named `topic`, in this scope's region and account. A name SNS
    /// or SQS would refuse is not written, and noted.
    #[cfg(feature = "fan-out")]
    #[cfg_attr(docsrs, doc(cfg(feature = "fan-out")))]
    pub fn fan_out(mut self, topic: impl Into<String>, queue_prefix: impl Into<String>) -> Self {
        self.fan_out = Some((topic.into(), queue_prefix.into()));
        self
    }

    /// The partition (`aws`, `aws-cn`, `aws-us-gov`, ...), instead of the
    /// region's. It names the ARNs and the endpoints `kms:ViaService`
    /// matches.
    pub fn partition(mut self, partition: impl Into<String>) -> Self {
        self.partition = partition.into();
        self
    }

    /// A KMS key that encrypts the SecureStrings and secrets read:
    /// `kms:Decrypt` is then granted on the given keys only, instead of on
    /// any key used through Parameter Store or Secrets Manager. Give a key
    /// ARN, a key id, an alias name (`alias/orders`) or an alias ARN. IAM
    /// matches a `Resource` against the key, never its alias, so an alias
    /// is granted through the `kms:ResourceAliases` condition instead, in
    /// statements of its own; [`IamPolicy::notes`](super::IamPolicy::notes)
    /// says so. A text that is none of these is not written, and noted.
    pub fn kms_key(mut self, key: impl Into<String>) -> Self {
        self.kms_keys.push(key.into());
        self
    }

    /// This scope with what the loader reads: its prefix (or `None` for
    /// the struct's), its variables and its watched parameter, which only
    /// the loader sets.
    pub(crate) fn with_loader(
        mut self,
        prefix: Option<&str>,
        vars: &HashMap<String, String>,
        watch: Option<&str>,
    ) -> Self {
        self.prefix = prefix.map(str::to_owned);
        self.vars = vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        self.watch = watch.map(str::to_owned);
        self
    }

    /// A variable's value: given, else from the environment, unchecked;
    /// the policy checks it as a load does before writing it.
    pub(super) fn value(&self, var: &str) -> Option<String> {
        self.vars
            .get(var)
            .cloned()
            .or_else(|| std::env::var(var).ok())
    }

    pub(super) fn arn(&self, service: &str, resource: &str) -> String {
        let [partition, region, account] = self.parts().map(|(part, text, bad)| match bad {
            None => text.to_owned(),
            Some(_) => super::widening::stand_in(&scope_stand_in(part)),
        });
        format!("arn:{partition}:{service}:{region}:{account}:{resource}")
    }

    /// The partition, region and account, each with why it is no such
    /// thing, when it is not: checked where they are written, so nothing
    /// from the scope reaches an ARN unchecked.
    pub(super) fn parts(&self) -> [(&'static str, &str, Option<&'static str>); 3] {
        let word = |text: &str| {
            let ok = !text.is_empty()
                && text
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            (!ok).then_some("one or more of a-z 0-9 -")
        };
        let account = |text: &str| {
            let ok = text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit());
            (!ok).then_some("twelve digits")
        };
        [
            ("partition", &self.partition, word(&self.partition)),
            ("region", &self.region, word(&self.region)),
            ("account", &self.account, account(&self.account)),
        ]
    }

    /// A name's ARN in this scope; a name that is an ARN (a parameter
    /// shared by another account) is its own.
    pub(super) fn parameter_arn(&self, name: &str) -> String {
        if arn_name(name).is_some() {
            return name.to_owned();
        }
        self.arn(
            "ssm",
            &format!("parameter/{}", name.trim_start_matches('/')),
        )
    }

    /// A secret's ARN pattern: Secrets Manager appends six random
    /// characters to the name.
    pub(super) fn secret_arn(&self, secret: &str) -> String {
        self.arn("secretsmanager", &format!("secret:{secret}-??????"))
    }

    /// The host name `kms:ViaService` holds when `service` calls KMS for
    /// the caller: the service's endpoint in this region, whose DNS suffix
    /// is the partition's (`ssm.cn-north-1.amazonaws.com.cn`); for a
    /// partition whose suffix is unknown, `amazonaws.com`, which the notes
    /// then say.
    ///
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service>
    pub(super) fn endpoint(&self, service: &str) -> String {
        let suffix =
            partition::dns_suffix(&self.partition).unwrap_or(partition::STANDARD_DNS_SUFFIX);
        let region = match self.parts()[1] {
            (_, region, None) => region.to_owned(),
            (part, _, Some(_)) => super::widening::stand_in(&scope_stand_in(part)),
        };
        format!("{service}.{region}.{suffix}")
    }
}

/// The name between a stand-in's marks for a scope part: no `{VAR}` can be
/// named so, since a variable's name has no space.
pub(super) fn scope_stand_in(part: &str) -> String {
    format!("scope {part}")
}
