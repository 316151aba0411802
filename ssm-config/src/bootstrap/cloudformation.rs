//! The CloudFormation template.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ssm_config_rules::RESERVED_STARTS;

use super::quoting::*;
use super::value_rules::{NameKind, value_rules};
use super::*;

impl Bootstrap {
    /// A CloudFormation template (YAML) of the String and StringList
    /// parameters. CloudFormation cannot create SecureStrings: a comment
    /// lists them, and the secrets, for the script or another tool.
    ///
    /// Every name and value is a double-quoted YAML scalar; a name with an
    /// unset `{VAR}` is a `!Sub` that substitutes nothing but the template
    /// parameter of each variable, whose `AllowedPattern` and `MaxLength`
    /// hold its value to what a load takes where the names use it: one
    /// segment, no name beginning with `aws` or `ssm`, none too long.
    /// Refused names ([`Bootstrap::refused`]) are listed in a comment, and
    /// no resource is written for them.
    pub fn cloudformation(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# The String and StringList parameters `{}` reads, from its binding plan.\n\
             # Replace every CHANGE_ME(...) before deploying.",
            inert(self.config)
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
                    inert(&parameter.name),
                    inert(&parameter.fields.join(", "))
                );
            }
        }
        if !self.secrets.is_empty() {
            out.push_str("# Secrets Manager secrets, not created here:\n");
            for secret in &self.secrets {
                let _ = writeln!(
                    out,
                    "#   {} ({})",
                    inert(&secret.name),
                    inert(&secret.fields.join(", "))
                );
            }
        }
        self.not_written_comment(&mut out, "#");
        out.push_str("AWSTemplateFormatVersion: \"2010-09-09\"\n");
        let plain: Vec<&NewParameter> = self
            .parameters
            .iter()
            .filter(|p| p.kind != ParameterType::SecureString)
            .collect();
        // Parameters and resources share one namespace of logical IDs.
        let mut taken = BTreeSet::new();
        let ids: BTreeMap<&str, String> = variables(plain.iter().map(|p| p.name.as_str()))
            .into_iter()
            .map(|var| (var, unique(logical_id(var, "Variable"), &mut taken)))
            .collect();
        let rules = value_rules(plain.iter().map(|p| (p.name.as_str(), NameKind::Parameter)));
        if !ids.is_empty() {
            out.push_str("Parameters:\n");
        }
        // `AllowedPattern` and `MaxLength` constrain a String parameter's
        // value: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
        for (var, id) in &ids {
            let Some(rule) = rules.get(var) else {
                continue;
            };
            let reserved = match rule.refuses_reserved() {
                true => format!(
                    " that does not make it begin with {} in any case",
                    RESERVED_STARTS.join(" or ")
                ),
                false => String::new(),
            };
            let _ = writeln!(
                out,
                "  {id}:\n    Type: String\n    \
                   Description: {}\n    \
                   AllowedPattern: \"{}\"\n    \
                   MaxLength: {}\n    \
                   ConstraintDescription: \"one segment of a parameter name (only a-z A-Z 0-9 _ . -){reserved}, at most {} characters\"",
                yaml_string(&format!("Fills {{{var}}} in the names.")),
                rule.pattern(),
                rule.longest,
                rule.longest
            );
        }
        #[cfg(feature = "fan-out")]
        let fan_out = self.fan_out_cloudformation();
        #[cfg(not(feature = "fan-out"))]
        let fan_out: Option<Result<String, String>> = None;
        if let Some(Err(why)) = &fan_out {
            out.push_str(why);
        }
        out.push_str("Resources:");
        if plain.is_empty() && !matches!(fan_out, Some(Ok(_))) {
            out.push_str(" {}\n");
            return out;
        }
        out.push('\n');
        if let Some(Ok(resources)) = &fan_out {
            out.push_str(resources);
        }
        for parameter in plain {
            let field = parameter.fields.first().map_or("", String::as_str);
            let id = unique(logical_id(field, "Parameter"), &mut taken);
            let name = cloudformation_name(&parameter.name, |var| {
                ids.get(var)
                    .cloned()
                    .unwrap_or_else(|| logical_id(var, "Variable"))
            });
            let _ = writeln!(
                out,
                "  {id}:\n    Type: AWS::SSM::Parameter\n    Properties:\n      \
                   Name: {name}\n      Type: {}\n      Value: {}",
                parameter.kind,
                yaml_string(&parameter.placeholder)
            );
        }
        out
    }
}
