//! The CloudFormation template.

use std::fmt::Write as _;

use super::quoting::*;
use super::*;

impl Bootstrap {
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
                json_string(&parameter.placeholder)
            );
        }
        out
    }
}
