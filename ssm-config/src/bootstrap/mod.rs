//! Bootstrap: the parameters and secrets a struct needs, from its binding
//! plan, as a shell script, Terraform or CloudFormation; see [`Bootstrap`].

mod cloudformation;
mod quoting;
mod shell;
mod terraform;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::description::{Presence, StructPlan};
use crate::load::resolve;
use crate::load::resolved::{Leaf, Node, Requests};
use crate::name::{arn_name, referenced_secret};
use crate::placeholder::placeholder;
use crate::plan::Selector;
use crate::source::ParameterType;

/// What a struct needs created, from `AppConfig::bootstrap()` or
/// [`Loader::bootstrap`](crate::Loader::bootstrap): every parameter it
/// reads with its type, and every secret, each with a clear placeholder,
/// `CHANGE_ME(field)`, for the value only a person knows. A value still
/// holding a placeholder fails a load
/// ([`Problem::Placeholder`](crate::error::Problem::Placeholder)) and shows
/// as a doctor row of its own, and the shell script refuses to run while
/// one is left in it. A secret value is never written in an output: the
/// script reads each from the environment, a file or the terminal.
///
/// Not created, and said so in each output: fields with a default in code
/// (written into SSM, the default would stop following the code: change
/// it there and the parameter would still hold the old one; create such a
/// parameter by hand only to override the default), `Option` fields (a
/// missing one is `None`), `by_path` maps (their names are not known in
/// advance), parameters another account shares by ARN, and versions
/// pinned above 1.
/// A `{VAR}` with no value stays a variable of the output: `${VAR}` in the
/// script, `var.VAR` in Terraform, a template parameter in CloudFormation.
///
/// ```
/// # use ssm_config::SsmConfig;
/// #[derive(SsmConfig)]
/// #[ssm(prefix = "/{APP_ENV}/orders")]
/// struct Orders {
///     db_host: String,
///     #[ssm(default = 5432)]
///     db_port: u16,
///     db_password: ssm_config::Secret<String>,
/// }
///
/// let bootstrap = Orders::loader().var("APP_ENV", "prod").bootstrap();
/// let script = bootstrap.shell();
/// assert!(script.contains("db_host='CHANGE_ME(db_host)'"));
/// assert!(script.contains("db_port: /prod/orders/db_port has a default in code"));
/// assert!(!script.contains("CHANGE_ME(db_password)"), "read when it runs");
/// assert!(bootstrap.terraform().contains(r#"resource "aws_ssm_parameter" "db_host""#));
/// assert!(bootstrap.cloudformation().contains("#   /prod/orders/db_password"));
/// ```
#[derive(Debug, Clone)]
pub struct Bootstrap {
    config: &'static str,
    /// The parameters to create, in plan order.
    pub parameters: Vec<NewParameter>,
    /// The Secrets Manager secrets to create.
    pub secrets: Vec<NewSecret>,
    /// What is not created, and why, one line each.
    pub skipped: Vec<String>,
}

/// One parameter to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParameter {
    /// The fields that read it.
    pub fields: Vec<String>,
    /// Its full name; an unset `{VAR}` stays as it is.
    pub name: String,
    /// Its type: SecureString for `Secret<_>` fields, StringList for lists.
    pub kind: ParameterType,
    /// The placeholder of its value, `CHANGE_ME(field)`.
    pub placeholder: String,
    /// Labels that fields pin, to attach to the first version.
    pub labels: Vec<String>,
}

/// One secret to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSecret {
    /// The secret's name.
    pub name: String,
    /// The JSON keys fields read from it; none when a field reads it whole.
    pub keys: Vec<String>,
    /// The field that reads each of `keys`, in the same order.
    pub key_fields: Vec<String>,
    /// The fields that read it.
    pub fields: Vec<String>,
}

pub(crate) fn bootstrap(
    plan: &'static StructPlan,
    prefix: Option<&str>,
    lookup: resolve::Lookup<'_>,
) -> Bootstrap {
    // A value that could not fill a name at load time is no value here
    // either: the variable stays one of the output's, and nothing but a
    // checked segment reaches a script.
    let keep_unset = |var: &str| {
        let value = lookup(var).filter(|v| ssm_config_rules::check_variable_value(v).is_ok());
        value.or_else(|| Some(format!("{{{var}}}")))
    };
    let resolution = resolve::resolve_unchecked(plan, prefix, &keep_unset);
    let mut out = Bootstrap {
        config: plan.type_name,
        parameters: Vec::new(),
        secrets: Vec::new(),
        skipped: Vec::new(),
    };
    gather(&resolution.root, &resolution.requests, &mut out);
    out
}

fn gather(node: &Node, requests: &Requests, out: &mut Bootstrap) {
    for leaf in node.leaves(requests) {
        match leaf {
            Leaf::Path { field, request, .. } => out.skipped.push(format!(
                "{field}: every parameter under {} (by path); create them as needed",
                request.path
            )),
            Leaf::Name {
                field,
                request: asked,
                key,
                value,
                ..
            } => {
                if let Some(secret) = referenced_secret(&asked.name) {
                    add_secret(out, secret, key, field);
                    continue;
                }
                if arn_name(&asked.name).is_some() {
                    out.skipped.push(format!(
                        "{field}: {} is shared by another account, which creates it",
                        asked.name
                    ));
                    continue;
                }
                if value.presence == Presence::Default {
                    out.skipped.push(format!(
                        "{field}: {} has a default in code; create it only to override the default",
                        asked.name
                    ));
                    continue;
                }
                if value.presence == Presence::Optional {
                    out.skipped.push(format!(
                        "{field}: {} is optional (a missing one is None)",
                        asked.name
                    ));
                    continue;
                }
                let label = match &asked.selector {
                    Some(Selector::Version(version)) if *version > 1 => {
                        out.skipped.push(format!(
                            "{field}: {} is pinned to version {version}; a new parameter starts at version 1",
                            asked.name
                        ));
                        continue;
                    }
                    Some(Selector::Label(label)) => Some(label.clone()),
                    _ => None,
                };
                let kind = match (value.secret, value.list) {
                    (true, _) => ParameterType::SecureString,
                    (false, true) => ParameterType::StringList,
                    (false, false) => ParameterType::String,
                };
                add_parameter(out, &asked.name, kind, label, field);
            }
            Leaf::Env { .. } | Leaf::Unresolved { .. } => {}
        }
    }
}

fn add_parameter(
    out: &mut Bootstrap,
    name: &str,
    kind: ParameterType,
    label: Option<String>,
    field: &str,
) {
    let existing = out.parameters.iter_mut().find(|p| p.name == name);
    let parameter = match existing {
        Some(parameter) => parameter,
        None => {
            out.parameters.push(NewParameter {
                fields: Vec::new(),
                name: name.to_owned(),
                kind,
                placeholder: placeholder(field),
                labels: Vec::new(),
            });
            out.parameters.last_mut().expect("just pushed")
        }
    };
    parameter.fields.push(field.to_owned());
    parameter.labels.extend(label);
}

fn add_secret(out: &mut Bootstrap, name: &str, key: Option<&str>, field: &str) {
    let secret = match out.secrets.iter_mut().position(|s| s.name == name) {
        Some(at) => &mut out.secrets[at],
        None => {
            out.secrets.push(NewSecret {
                name: name.to_owned(),
                keys: Vec::new(),
                key_fields: Vec::new(),
                fields: Vec::new(),
            });
            out.secrets.last_mut().expect("just pushed")
        }
    };
    secret.fields.push(field.to_owned());
    if let Some(key) = key {
        secret.keys.push(key.to_owned());
        secret.key_fields.push(field.to_owned());
    }
}

impl NewSecret {
    /// The placeholder secret: a JSON object of its keys, or one text.
    pub fn placeholder(&self) -> String {
        match self.keys.is_empty() {
            true => placeholder(&self.fields.join(",")),
            false => {
                let object: serde_json::Map<String, serde_json::Value> = self
                    .keys
                    .iter()
                    .zip(&self.key_fields)
                    .map(|(key, field)| (key.clone(), placeholder(field).into()))
                    .collect();
                serde_json::Value::Object(object).to_string()
            }
        }
    }
}

/// The `{VAR}`s left in `text`, in order of first use.
pub(super) fn variables(texts: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for text in texts {
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let var = &after[..close];
            if seen.insert(var.to_owned()) {
                out.push(var.to_owned());
            }
            rest = &after[close + 1..];
        }
    }
    out
}

/// `text` with each `{VAR}` written by `write`.
pub(super) fn substitute(text: &str, write: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push_str(&rest[..open]);
        out.push_str(&write(&after[..close]));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

impl Bootstrap {
    pub(super) fn names(&self) -> impl Iterator<Item = String> + '_ {
        self.parameters
            .iter()
            .map(|p| p.name.clone())
            .chain(self.secrets.iter().map(|s| s.name.clone()))
    }

    pub(super) fn skipped_comment(&self, out: &mut String, comment: &str) {
        if self.skipped.is_empty() {
            return;
        }
        let _ = writeln!(out, "{comment} Not created here:");
        for line in &self.skipped {
            let _ = writeln!(out, "{comment}   {line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_variables_become_the_outputs_own() {
        assert_eq!(
            variables(
                [
                    "/{APP_ENV}/x/{REGION}".to_owned(),
                    "/{APP_ENV}/y".to_owned()
                ]
                .into_iter()
            ),
            ["APP_ENV", "REGION"]
        );
        assert_eq!(
            substitute("/{APP_ENV}/x", |v| format!("${{{v}}}")),
            "/${APP_ENV}/x"
        );
        assert_eq!(quoting::hcl_name("/{APP_ENV}/x"), r#""/${var.APP_ENV}/x""#);
    }
}
