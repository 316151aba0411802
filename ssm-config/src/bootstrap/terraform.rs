//! The Terraform output.

use std::fmt::Write as _;

use super::quoting::*;
use super::*;

impl Bootstrap {
    /// Terraform: an `aws_ssm_parameter` per parameter, and a secret with
    /// its version per secret. SecureString values ignore later changes,
    /// so the real value can be set outside Terraform (and its state).
    ///
    /// Every name and value is an HCL string that interpolates nothing but
    /// the `var.VAR` of each unset `{VAR}`; each such variable is declared
    /// with a validation that its value is one segment, as a load checks
    /// it. Refused names ([`Bootstrap::refused`]) are listed in a comment,
    /// and no resource is written for them.
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
        for var in variables(self.names()) {
            let _ = writeln!(
                out,
                "\nvariable \"{var}\" {{\n  \
                   type = string\n\n  \
                   validation {{\n    \
                     condition     = can(regex(\"^[{SEGMENT_CHARACTERS}]+$\", var.{var}))\n    \
                     error_message = \"The value of {var} must be one segment of a parameter name: only a-z A-Z 0-9 _ . -.\"\n  \
                   }}\n\
                 }}"
            );
        }
        let mut taken = BTreeSet::new();
        for parameter in &self.parameters {
            let field = parameter.fields.first().map_or("", String::as_str);
            let id = unique(identifier(field, "parameter"), &mut taken);
            let _ = writeln!(out, "\nresource \"aws_ssm_parameter\" \"{id}\" {{");
            let _ = writeln!(out, "  name  = {}", hcl_name(&parameter.name));
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
}
