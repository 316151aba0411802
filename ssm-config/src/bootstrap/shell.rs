//! The shell script of AWS CLI calls.

use std::fmt::Write as _;

use super::quoting::*;
use super::*;

impl Bootstrap {
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
}
