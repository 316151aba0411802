//! The Terraform output.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ssm_config_rules::RESERVED_STARTS;

use super::quoting::*;
use super::value_rules::{segment_pattern, value_rules};
use super::*;

impl Bootstrap {
    /// Terraform: an `aws_ssm_parameter` per parameter, and a secret with
    /// its version per secret. SecureString values ignore later changes,
    /// so the real value can be set outside Terraform (and its state).
    ///
    /// Every name and value is an HCL string that interpolates nothing but
    /// the variable of each unset `{VAR}`: `var.VAR`, or `var.var_VAR` for
    /// a name Terraform reserves (`count`, `version`, `source`...), whose
    /// description names the `{VAR}` it fills. Each is declared with
    /// `validation` blocks that hold its value to what a load takes where
    /// the names use it: one segment, no name beginning with `aws` or
    /// `ssm`, none too long. Refused names ([`Bootstrap::refused`]) are
    /// listed in a comment, and no resource is written for them.
    pub fn terraform(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# The parameters and secrets `{}` reads, from its binding plan.\n\
             # Replace every CHANGE_ME(...): no secret value is written here. Terraform keeps\n\
             # values in its state: set real secrets outside it (their values are ignored here).",
            inert(self.config)
        );
        self.not_written_comment(&mut out, "#");
        let ids = terraform_variables(&variables(self.names()));
        let rules = value_rules(self.kinded_names());
        for (var, id) in &ids {
            let _ = writeln!(
                out,
                "\nvariable \"{id}\" {{\n  \
                   type        = string\n  \
                   description = \"Fills {{{var}}} in the names: one segment of a parameter name.\"",
            );
            validation(
                &mut out,
                &format!("can(regex(\"{}\", var.{id}))", segment_pattern()),
                &format!(
                    "The value of {id} must be one segment of a parameter name: only a-z A-Z 0-9 _ . -."
                ),
            );
            if let Some(rule) = rules.get(var) {
                if rule.refuses_reserved() {
                    validation(
                        &mut out,
                        &format!("can(regex(\"{}\", var.{id}))", rule.pattern()),
                        &format!(
                            "The value of {id} must not make a parameter name begin with {}, in any case: SSM refuses such names.",
                            RESERVED_STARTS.join(" or ")
                        ),
                    );
                }
                validation(
                    &mut out,
                    &format!("length(var.{id}) <= {}", rule.longest),
                    &format!(
                        "The value of {id} must be at most {} characters long: a name it fills would be longer than SSM allows.",
                        rule.longest
                    ),
                );
            }
            out.push_str("}\n");
        }
        let variable = |var: &str| ids.get(var).cloned().unwrap_or_else(|| var.to_owned());
        let mut taken = BTreeSet::new();
        for parameter in &self.parameters {
            let field = parameter.fields.first().map_or("", String::as_str);
            let id = unique(identifier(field, "parameter"), &mut taken);
            let _ = writeln!(out, "\nresource \"aws_ssm_parameter\" \"{id}\" {{");
            let _ = writeln!(out, "  name  = {}", hcl_name(&parameter.name, variable));
            let _ = writeln!(out, "  type  = \"{}\"", parameter.kind);
            let _ = writeln!(out, "  value = {}", hcl_string(&parameter.placeholder));
            if parameter.kind == ParameterType::SecureString {
                out.push_str("\n  lifecycle {\n    ignore_changes = [value]\n  }\n");
            }
            if !parameter.labels.is_empty() {
                let _ = writeln!(
                    out,
                    "  # Label version 1 {}: aws_ssm_parameter cannot.",
                    inert(&parameter.labels.join(", "))
                );
            }
            out.push_str("}\n");
        }
        for secret in &self.secrets {
            let id = unique(identifier(&secret.name, "secret"), &mut taken);
            let _ = writeln!(
                out,
                "\nresource \"aws_secretsmanager_secret\" \"{id}\" {{\n  name = {}\n}}",
                hcl_name(&secret.name, variable)
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
        #[cfg(feature = "fan-out")]
        self.fan_out_terraform(&mut out);
        out
    }
}

/// Names Terraform reserves, which no `variable` block may declare
/// ("Invalid variable name: The variable name "count" is reserved due to
/// its special meaning inside module blocks"): the module block's
/// arguments (<https://developer.hashicorp.com/terraform/language/values/variables>
/// lists `source`, `version`, `providers`, `count`, `for_each`,
/// `lifecycle`, `depends_on` and `locals`), and `provider` and `_`, which
/// `terraform validate` (1.11) refuses too.
const TERRAFORM_RESERVED: [&str; 10] = [
    "source",
    "version",
    "providers",
    "provider",
    "count",
    "for_each",
    "lifecycle",
    "depends_on",
    "locals",
    "_",
];

/// The Terraform variable of each `{VAR}`: its own name, or `var_NAME`
/// (numbered where that is taken) for a name Terraform reserves.
fn terraform_variables<'a>(vars: &[&'a str]) -> BTreeMap<&'a str, String> {
    let mut taken: BTreeSet<String> = vars.iter().map(|v| v.to_string()).collect();
    vars.iter()
        .map(|&var| match TERRAFORM_RESERVED.contains(&var) {
            true => (var, unique(format!("var_{var}"), &mut taken)),
            false => (var, var.to_owned()),
        })
        .collect()
}

/// A `validation` block: `condition` must hold, or Terraform stops with
/// `message`.
fn validation(out: &mut String, condition: &str, message: &str) {
    let _ = writeln!(
        out,
        "\n  validation {{\n    \
           condition     = {condition}\n    \
           error_message = \"{message}\"\n  \
         }}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reserved_name_becomes_a_distinct_variable() {
        let ids = terraform_variables(&["count", "var_count", "APP_ENV", "_", "source"]);
        assert_eq!(ids["count"], "var_count2");
        assert_eq!(ids["var_count"], "var_count");
        assert_eq!(ids["APP_ENV"], "APP_ENV");
        assert_eq!(ids["_"], "var__");
        assert_eq!(ids["source"], "var_source");
    }
}
