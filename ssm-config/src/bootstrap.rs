//! Bootstrap: the parameters and secrets a struct needs, from its binding
//! plan, as a shell script, Terraform or CloudFormation; see [`Bootstrap`].

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::name::{arn_name, referenced_secret};
use crate::plan::{Presence, Selector, StructPlan};
use crate::resolve::{self, Node, Requests, Slot};
use crate::source::ParameterType;

/// What a struct needs created, from `AppConfig::bootstrap()` or
/// [`Loader::bootstrap`](crate::Loader::bootstrap): every parameter it
/// reads with its type, and every secret, with a value from the field's
/// default where that is a literal, and a clear placeholder,
/// `CHANGE_ME(field)`, everywhere else. A secret value is never written,
/// not even a default: SecureStrings, `Secret<_>` fields and Secrets
/// Manager secrets always get placeholders.
///
/// Not created, and said so in each output: `Option` fields (a missing one
/// is `None`), `by_path` maps (their names are not known in advance),
/// parameters another account shares by ARN, and versions pinned above 1.
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
/// assert!(script.contains(r#"create_parameter "/prod/orders/db_port" String '5432'"#));
/// assert!(script.contains("SecureString 'CHANGE_ME(db_password)'"));
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
    /// The value to write.
    pub value: NewValue,
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

/// A value a bootstrap writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewValue {
    /// The field's default.
    Default(String),
    /// `CHANGE_ME(field)`: to be replaced before use.
    Placeholder(String),
}

impl NewValue {
    /// The text written.
    pub fn text(&self) -> &str {
        match self {
            NewValue::Default(text) | NewValue::Placeholder(text) => text,
        }
    }
}

fn placeholder(field: &str) -> String {
    format!("CHANGE_ME({field})")
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
    for slot in node.leaves() {
        match slot {
            Slot::Path { field, request, .. } => out.skipped.push(format!(
                "{field}: every parameter under {} (by path); create them as needed",
                requests.paths[*request].path
            )),
            Slot::Name {
                field,
                request,
                key,
                value,
            } => {
                let asked = &requests.names[*request];
                if let Some(secret) = referenced_secret(&asked.name) {
                    add_secret(out, secret, *key, field);
                    continue;
                }
                if arn_name(&asked.name).is_some() {
                    out.skipped.push(format!(
                        "{field}: {} is shared by another account, which creates it",
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
                let new_value = match value.default_text {
                    Some(text) if !value.secret => NewValue::Default(text.to_owned()),
                    _ => NewValue::Placeholder(placeholder(field)),
                };
                add_parameter(out, &asked.name, kind, new_value, label, field);
            }
            Slot::Env { .. } | Slot::Nested(_) | Slot::Unresolved { .. } | Slot::Skip => {}
        }
    }
}

fn add_parameter(
    out: &mut Bootstrap,
    name: &str,
    kind: ParameterType,
    value: NewValue,
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
                value,
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
    fn placeholder(&self) -> String {
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
fn variables(texts: impl Iterator<Item = String>) -> Vec<String> {
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
fn substitute(text: &str, write: impl Fn(&str) -> String) -> String {
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

/// `text` in single quotes for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `text` in an HCL string, with interpolation escaped.
fn hcl_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out.replace("${", "$${").replace("%{", "%%{")
}

/// A name in HCL, with each unset `{VAR}` read from `var.VAR`.
fn hcl_name(name: &str) -> String {
    let escaped = hcl_string(name);
    substitute(&escaped, |var| format!("${{var.{var}}}"))
}

/// An identifier made of a field's path: `cache.ttl_secs` is `cache_ttl_secs`.
fn identifier(field: &str) -> String {
    let mut id: String = field
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert(0, '_');
    }
    id
}

/// A CloudFormation logical ID: letters and digits, `cache.ttl_secs` is
/// `CacheTtlSecs`.
fn logical_id(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

/// Makes `id` unique among `taken`, by a number after it.
fn unique(id: String, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = id.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{id}{n}");
        n += 1;
    }
    candidate
}

impl Bootstrap {
    fn names(&self) -> impl Iterator<Item = String> + '_ {
        self.parameters
            .iter()
            .map(|p| p.name.clone())
            .chain(self.secrets.iter().map(|s| s.name.clone()))
    }

    fn skipped_comment(&self, out: &mut String, comment: &str) {
        if self.skipped.is_empty() {
            return;
        }
        let _ = writeln!(out, "{comment} Not created here:");
        for line in &self.skipped {
            let _ = writeln!(out, "{comment}   {line}");
        }
    }

    /// A POSIX shell script of AWS CLI calls that creates each parameter
    /// and secret that does not exist yet, and leaves existing ones as they
    /// are. Run it after replacing every `CHANGE_ME(...)`.
    pub fn shell(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "#!/bin/sh\n\
             # Creates what `{}` reads that does not exist yet; an existing\n\
             # parameter or secret is left as it is. Generated from its binding plan.\n\
             # Replace every CHANGE_ME(...) first: no secret value is written here.\n\
             # SecureStrings use the account's default key; add --key-id to choose one.\n\
             # (AWS CLI v1 reads a value starting with http:// or https:// from that URL.)",
            self.config
        );
        self.skipped_comment(&mut out, "#");
        out.push_str("set -eu\n");
        for var in variables(self.names()) {
            let _ = writeln!(out, ": \"${{{var}:?set {var}, which the names use}}\"");
        }
        out.push_str(
            "\ncreate_parameter() {\n  \
               if aws ssm get-parameter --name \"$1\" >/dev/null 2>&1; then\n    \
                 echo \"kept     $1\"\n  \
               else\n    \
                 aws ssm put-parameter --name \"$1\" --type \"$2\" --value \"$3\" >/dev/null\n    \
                 echo \"created  $1\"\n  \
               fi\n\
             }\n\n\
             create_secret() {\n  \
               if aws secretsmanager describe-secret --secret-id \"$1\" >/dev/null 2>&1; then\n    \
                 echo \"kept     secret $1\"\n  \
               else\n    \
                 aws secretsmanager create-secret --name \"$1\" --secret-string \"$2\" >/dev/null\n    \
                 echo \"created  secret $1\"\n  \
               fi\n\
             }\n",
        );
        for parameter in &self.parameters {
            let name = substitute(&parameter.name, |var| format!("${{{var}}}"));
            let _ = writeln!(
                out,
                "\n# {} ({})",
                parameter.fields.join(", "),
                parameter.kind
            );
            let _ = writeln!(
                out,
                "create_parameter \"{name}\" {} {}",
                parameter.kind,
                shell_quote(parameter.value.text())
            );
            for label in &parameter.labels {
                let _ = writeln!(
                    out,
                    "aws ssm label-parameter-version --name \"{name}\" --parameter-version 1 --labels {} >/dev/null",
                    shell_quote(label)
                );
            }
        }
        for secret in &self.secrets {
            let name = substitute(&secret.name, |var| format!("${{{var}}}"));
            let _ = writeln!(out, "\n# {} (Secrets Manager)", secret.fields.join(", "));
            let _ = writeln!(
                out,
                "create_secret \"{name}\" {}",
                shell_quote(&secret.placeholder())
            );
        }
        out
    }

    /// Terraform: an `aws_ssm_parameter` per parameter, and a secret with
    /// its version per secret. SecureString values ignore later changes,
    /// so the real value can be set outside Terraform (and its state).
    pub fn terraform(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# The parameters and secrets `{}` reads, from its binding plan.\n\
             # Replace every CHANGE_ME(...): no secret value is written here. Terraform keeps\n\
             # values in its state: set real secrets outside it (their values are ignored here).",
            self.config
        );
        self.skipped_comment(&mut out, "#");
        for var in variables(self.names()) {
            let _ = writeln!(out, "\nvariable \"{var}\" {{\n  type = string\n}}");
        }
        let mut taken = BTreeSet::new();
        for parameter in &self.parameters {
            let id = unique(identifier(&parameter.fields[0]), &mut taken);
            let _ = writeln!(out, "\nresource \"aws_ssm_parameter\" \"{id}\" {{");
            let _ = writeln!(out, "  name  = {}", hcl_name(&parameter.name));
            let _ = writeln!(out, "  type  = \"{}\"", parameter.kind);
            let _ = writeln!(out, "  value = {}", hcl_string(parameter.value.text()));
            if parameter.kind == ParameterType::SecureString {
                out.push_str("\n  lifecycle {\n    ignore_changes = [value]\n  }\n");
            }
            if !parameter.labels.is_empty() {
                let _ = writeln!(
                    out,
                    "  # Label version 1 {}: aws_ssm_parameter cannot.",
                    parameter.labels.join(", ")
                );
            }
            out.push_str("}\n");
        }
        for secret in &self.secrets {
            let id = unique(identifier(&secret.name), &mut taken);
            let _ = writeln!(
                out,
                "\nresource \"aws_secretsmanager_secret\" \"{id}\" {{\n  name = {}\n}}",
                hcl_name(&secret.name)
            );
            let _ = writeln!(
                out,
                "\nresource \"aws_secretsmanager_secret_version\" \"{id}\" {{\n  \
                   secret_id     = aws_secretsmanager_secret.{id}.id\n  \
                   secret_string = {}\n\n  \
                   lifecycle {{\n    ignore_changes = [secret_string]\n  }}\n}}",
                hcl_string(&secret.placeholder())
            );
        }
        out
    }

    /// A CloudFormation template (YAML) of the String and StringList
    /// parameters. CloudFormation cannot create SecureStrings: a comment
    /// lists them, and the secrets, for the script or another tool.
    pub fn cloudformation(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# The String and StringList parameters `{}` reads, from its binding plan.\n\
             # Replace every CHANGE_ME(...) before deploying.",
            self.config
        );
        let secure: Vec<&NewParameter> = self
            .parameters
            .iter()
            .filter(|p| p.kind == ParameterType::SecureString)
            .collect();
        if !secure.is_empty() {
            out.push_str("# CloudFormation cannot create SecureString parameters; create these another way:\n");
            for parameter in &secure {
                let _ = writeln!(
                    out,
                    "#   {} ({})",
                    parameter.name,
                    parameter.fields.join(", ")
                );
            }
        }
        if !self.secrets.is_empty() {
            out.push_str("# Secrets Manager secrets, not created here:\n");
            for secret in &self.secrets {
                let _ = writeln!(out, "#   {} ({})", secret.name, secret.fields.join(", "));
            }
        }
        self.skipped_comment(&mut out, "#");
        out.push_str("AWSTemplateFormatVersion: \"2010-09-09\"\n");
        let plain: Vec<&NewParameter> = self
            .parameters
            .iter()
            .filter(|p| p.kind != ParameterType::SecureString)
            .collect();
        let vars = variables(plain.iter().map(|p| p.name.clone()));
        if !vars.is_empty() {
            out.push_str("Parameters:\n");
            for var in &vars {
                let _ = writeln!(out, "  {}:\n    Type: String", logical_id(var));
            }
        }
        out.push_str("Resources:");
        if plain.is_empty() {
            out.push_str(" {}\n");
            return out;
        }
        out.push('\n');
        let mut taken = BTreeSet::new();
        for parameter in plain {
            let id = unique(logical_id(&parameter.fields[0]), &mut taken);
            let name = json_string(&parameter.name);
            let name = match parameter.name.contains('{') {
                true => format!(
                    "!Sub {}",
                    substitute(&name, |var| format!("${{{}}}", logical_id(var)))
                ),
                false => name,
            };
            let _ = writeln!(
                out,
                "  {id}:\n    Type: AWS::SSM::Parameter\n    Properties:\n      \
                   Name: {name}\n      Type: {}\n      Value: {}",
                parameter.kind,
                json_string(parameter.value.text())
            );
        }
        out
    }
}

/// A double-quoted YAML scalar (YAML's double quotes take JSON's escapes).
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_hostile_text() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(hcl_string("a\"${x}%{y}\\"), r#""a\"$${x}%%{y}\\""#);
        assert_eq!(json_string("a\"\n"), r#""a\"\n""#);
        assert_eq!(identifier("cache.ttl_secs"), "cache_ttl_secs");
        assert_eq!(identifier("9lives"), "_9lives");
        assert_eq!(logical_id("cache.ttl-secs"), "CacheTtlSecs");
        assert_eq!(logical_id("APP_ENV"), "APPENV");
        let mut taken = BTreeSet::new();
        assert_eq!(unique("A".into(), &mut taken), "A");
        assert_eq!(unique("A".into(), &mut taken), "A2");
    }

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
        assert_eq!(hcl_name("/{APP_ENV}/x"), r#""/${var.APP_ENV}/x""#);
    }
}
