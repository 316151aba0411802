//! Bootstrap: the parameters and secrets a struct needs, from its binding
//! plan, as a shell script, Terraform or CloudFormation; see [`Bootstrap`].

mod cloudformation;
#[cfg(feature = "fan-out")]
mod fan_out;
mod new_parameter;
mod new_secret;
mod quoting;
mod shell;
mod terraform;
mod value_rules;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use ssm_config_rules::{Piece, pieces, set_by_shells};

use crate::description::{Presence, StructDescription};
use crate::error::Problem;
use crate::name::{arn_name, referenced_secret};
use crate::pipeline::resolve;
use crate::pipeline::resolve::resolved::{Leaf, Node, Requests};
use crate::placeholder::placeholder;
use crate::plan::selector::Selector;
use crate::source::ParameterType;
use value_rules::NameKind;

pub use new_parameter::NewParameter;
pub use new_secret::NewSecret;

/// What a struct needs created, from `AppConfig::loader().bootstrap()` or
/// [`Loader::bootstrap`](crate::Loader::bootstrap): every parameter it
/// reads with its type, and every secret, each with a clear placeholder,
/// `CHANGE_ME(field)`, for the value only a person knows. A value still
/// holding a placeholder fails a load
/// ([`Problem::Placeholder`]) and shows
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
///
/// # What is checked, and how names are written
///
/// Names are made as a load makes them, by the same rules: the prefix (the
/// struct's, or one given to [`Loader::prefix`](crate::Loader::prefix) at
/// run time), each `{VAR}` value, each joined name and each secret name.
/// What a load would refuse is in [`refused`](Bootstrap::refused), with the
/// same [`Problem`] a load reports (it names the prefix or name, or the
/// variable without quoting its value): nothing is written for it, each
/// output lists it in a comment, and the shell script says what and stops
/// before it reads or creates anything.
///
/// A `{VAR}` with no value stays a variable of the output: the script
/// reads it once, at its top, into a copy of its own (`"${var_app_env}"`
/// for `{APP_ENV}`); Terraform declares it (as `var_count` for `{count}`,
/// a name Terraform reserves); CloudFormation takes it as a template
/// parameter. When it runs, each output holds the value to what a load
/// takes where the names use it: one segment (`a-z A-Z 0-9 _ . -`), no
/// name beginning with `aws` or `ssm` in any case, no name longer than SSM
/// allows. Terraform and CloudFormation check each variable on its own;
/// where two decide a name together (side by side in its first segment,
/// or by their lengths together), the script checks the whole name too.
/// Only a variable a shell can set, and does not set for itself, stays: one
/// a shell sets (`_`, `LINENO`, `RANDOM`, `PWD`, `BASH_*`...) is refused
/// ([`Problem::InvalidVariable`]), any other as unset; so is a name whose
/// first segment begins with `aws` or `ssm` before its `{VAR}`.
///
/// Whatever a name, a placeholder, a field, a label or a line of
/// [`skipped`](Bootstrap::skipped) holds (all public, so anything), it is
/// written as text, never as syntax: in the script, each name is one word
/// of single-quoted pieces around `"${VAR}"`, passed as `--name=...` so
/// that one starting with `-` is never an option, and each value is
/// single-quoted; in Terraform, an HCL string that interpolates only
/// `var.VAR` (`$` and `%` written as `${"$"}` and `${"%"}`); in
/// CloudFormation, a double-quoted YAML scalar, or a `!Sub` that
/// substitutes only the variables. Comment lines, and what the script
/// prints, hold no control, line separator or bidirectional character:
/// those are written as escapes (`\n`, `\u{202e}`). The script prints
/// with `printf '%s\n'`, never `echo` (dash's, `/bin/sh` on Debian and
/// Ubuntu, reads backslash sequences), so a backslash prints as itself.
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
/// assert!(script.contains("create_parameter '/prod/orders/db_host' String"));
/// assert!(script.contains("db_port: /prod/orders/db_port has a default in code"));
/// assert!(!script.contains("CHANGE_ME(db_password)"), "read when it runs");
/// assert!(bootstrap.terraform().contains(r#"resource "aws_ssm_parameter" "db_host""#));
/// assert!(bootstrap.cloudformation().contains("#   /prod/orders/db_password"));
///
/// // A prefix given at run time is checked as a load checks it.
/// let refused = Orders::loader().prefix("/prod/$(reboot)").bootstrap();
/// assert!(refused.parameters.is_empty());
/// assert!(refused.refused[0].to_string().contains("`/prod/$(reboot)`"));
/// assert!(refused.shell().contains("exit 1"));
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
    /// What a load would refuse too, as it reports it: a prefix, a name or
    /// a `{VAR}` value that breaks SSM's rules. Nothing is written for it;
    /// each output lists it in a comment, and the shell script refuses to
    /// run while one is listed.
    pub refused: Vec<Problem>,
    /// The fan-out topic, with the `fan-out` feature
    /// (`Bootstrap::with_fan_out`).
    #[cfg_attr(not(feature = "fan-out"), expect(dead_code, reason = "fan-out's"))]
    fan_out_topic: Option<String>,
}

/// The characters a `{VAR}` value may hold, as
/// [`check_variable_value`](ssm_config_rules::check_variable_value) allows
/// them: the outputs check a value given when they run against it.
const SEGMENT_CHARACTERS: &str =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";

pub(crate) fn bootstrap(
    plan: &'static StructDescription,
    prefix: Option<&str>,
    lookup: resolve::Lookup<'_>,
) -> Bootstrap {
    let resolution = resolve::resolve_keeping_unset(plan, prefix, lookup);
    let mut out = Bootstrap {
        config: plan.type_name,
        parameters: Vec::new(),
        secrets: Vec::new(),
        skipped: Vec::new(),
        refused: resolution.problems,
        fan_out_topic: None,
    };
    gather(&resolution.root, &resolution.requests, &mut out);
    refuse_unrunnable(&mut out);
    out
}

/// Moves to `refused` what no output could create as a load would read
/// it, whatever is given when it runs: a name whose `{VAR}` a shell sets
/// for itself ([`set_by_shells`]). (A name whose first segment begins with
/// a reserved word before its variable is refused by the rulebook as the
/// names are made.)
fn refuse_unrunnable(out: &mut Bootstrap) {
    let mut refused_variables = BTreeSet::new();
    let mut refuse = |name: &str, refused: &mut Vec<Problem>| {
        let shell_set = pieces(name).ok().and_then(|pieces| {
            pieces.into_iter().find_map(|piece| match piece {
                Piece::Variable(variable) if set_by_shells(variable) => Some(variable),
                _ => None,
            })
        });
        let Some(variable) = shell_set else {
            return false;
        };
        if refused_variables.insert(variable.to_owned()) {
            refused.push(Problem::InvalidVariable {
                variable: variable.to_owned(),
                template: name.to_owned(),
                reason: format!(
                    "a shell sets `{variable}` for itself, so a script would not see the value given; \
                     give it with `Loader::var`, or use another variable"
                ),
            });
        }
        true
    };
    let refused = &mut out.refused;
    out.parameters.retain(|p| !refuse(&p.name, refused));
    out.secrets.retain(|s| !refuse(&s.name, refused));
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

/// The `{VAR}`s `names` leave to whoever runs an output, in order of
/// first use.
pub(super) fn variables<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for name in names {
        for piece in quoting::name_pieces(name) {
            if let Piece::Variable(variable) = piece
                && seen.insert(variable)
            {
                out.push(variable);
            }
        }
    }
    out
}

impl Bootstrap {
    pub(super) fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.parameters
            .iter()
            .map(|p| p.name.as_str())
            .chain(self.secrets.iter().map(|s| s.name.as_str()))
    }

    /// Every name, with the rules it is made under.
    fn kinded_names(&self) -> impl Iterator<Item = (&str, NameKind)> + '_ {
        let parameters = self
            .parameters
            .iter()
            .map(|p| (p.name.as_str(), NameKind::Parameter));
        let secrets = self
            .secrets
            .iter()
            .map(|s| (s.name.as_str(), NameKind::Secret));
        parameters.chain(secrets)
    }

    /// The comment lines that say what is not written, and why: refused
    /// names first, then what is left out on purpose.
    pub(super) fn not_written_comment(&self, out: &mut String, comment: &str) {
        if !self.refused.is_empty() {
            let _ = writeln!(
                out,
                "{comment} Refused, as a load would refuse them; nothing is written for them:"
            );
            for problem in &self.refused {
                let _ = writeln!(out, "{comment}   {}", quoting::inert(&problem.to_string()));
            }
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "{comment} Not created here:");
            for line in &self.skipped {
                let _ = writeln!(out, "{comment}   {}", quoting::inert(line));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_variables_become_the_outputs_own() {
        assert_eq!(
            variables(["/{APP_ENV}/x/{REGION}", "/{APP_ENV}/y", "/{a b}/z"].into_iter()),
            ["APP_ENV", "REGION"]
        );
    }

    #[test]
    fn a_segment_is_what_a_variable_value_may_hold() {
        for c in (0u8..=127).map(char::from) {
            let allowed = SEGMENT_CHARACTERS.contains(c);
            let rule = ssm_config_rules::check_variable_value(&c.to_string()).is_ok();
            assert_eq!(allowed, rule, "{c:?}");
        }
    }
}
