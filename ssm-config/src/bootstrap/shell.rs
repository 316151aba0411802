//! The shell script of AWS CLI calls. Plain values stand at its top, to be
//! filled in; it refuses to run while a placeholder is left. Secret values
//! are never in it: each is read when it runs, from an environment
//! variable, a file or the terminal. Every value reaches the AWS CLI on its
//! standard input (`file:///dev/stdin`), never as an argument, which `ps`
//! and shell history would show (and which AWS CLI v1 would fetch, were it
//! a URL).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use ssm_config_rules::RESERVED_STARTS;

use super::quoting::*;
use super::value_rules::{reserved_name_patterns, value_rules, whole_names};
use super::*;

/// The script's own variables: never one a name reads (a `{VAR}` left to
/// the script), nor one the shell gives a meaning (a lower-case name is
/// never [`set_by_shells`](ssm_config_rules::set_by_shells)).
struct Names {
    /// A shell variable per parameter, in `parameters` order: a plain
    /// value's at the top of the script, a SecureString's from the
    /// environment.
    parameters: Vec<String>,
    /// The environment variable of each secret, in `secrets` order.
    secrets: Vec<String>,
    /// The loop variable of the placeholder check.
    value: String,
    /// What `read_secret` reads into, from the environment or the terminal.
    given: String,
    /// What `read_secret` reads the file name into.
    from_file: String,
    /// The script's own copy of each `{VAR}`: read from the environment
    /// once, at the top, checked, and the only one used after.
    copies: BTreeMap<String, String>,
    /// A whole name the values of several variables decide, to check.
    whole: String,
}

/// The prefix of the environment variables secret values are read from.
const SECRET_VARIABLE_PREFIX: &str = "SSM_BOOTSTRAP_";

impl Bootstrap {
    /// A POSIX shell script of AWS CLI calls that creates each parameter
    /// and secret that does not exist yet, and leaves existing ones as they
    /// are. Fill in the plain values at its top first: it refuses to run,
    /// and creates nothing, while a `CHANGE_ME(...)` is left. It reads
    /// each secret value when it runs, from `SSM_BOOTSTRAP_<NAME>`, from
    /// the file `SSM_BOOTSTRAP_<NAME>_FILE` names, or from the terminal
    /// without echo.
    ///
    /// Each name is one shell word: its text in single quotes and each
    /// unset `{VAR}` as `"${var_...}"`, the script's own copy, passed as
    /// `--name=...` so that nothing in it is expanded and it can never be
    /// taken for an option. A `{VAR}` must be set when the script runs; it
    /// is read once, at the top, into that copy, which is checked as a
    /// load checks the names it fills (one segment, `a-z A-Z 0-9 _ . -`; no
    /// name beginning with `aws` or `ssm`; none too long), or the script
    /// stops before it creates anything. Comment lines and printed lines
    /// hold no control character: names, fields and reasons are written
    /// there with such characters escaped, and printed with `printf '%s\n'`,
    /// never `echo`. While [`Bootstrap::refused`] lists anything, the
    /// script says what and stops at once.
    pub fn shell(&self) -> String {
        let names = self.shell_names();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "#!/bin/sh\n\
             # Creates what `{}` reads that does not exist yet; an existing\n\
             # parameter or secret is left as it is. Generated from its binding plan.\n\
             # 1. Replace every CHANGE_ME(...) among the values below: the script\n\
             #    refuses to run, and creates nothing, while one is left.\n\
             # 2. Secret values are never written here. Each is read when the script\n\
             #    runs: from its environment variable ({SECRET_VARIABLE_PREFIX}...), from the\n\
             #    file its _FILE variable names, or from the terminal without echo.\n\
             # Every value reaches the AWS CLI on its standard input, never as an\n\
             # argument. SecureStrings use the account's default key; add --key-id\n\
             # to choose one.",
            inert(self.config)
        );
        #[cfg(feature = "fan-out")]
        if self.fan_out_topic.is_some() {
            out.push_str(
                "# The fan-out topic, its EventBridge rules and its policy are not created\n\
                 # here: they are in the Terraform and CloudFormation outputs.\n",
            );
        }
        self.not_written_comment(&mut out, "#");
        out.push_str("set -eu\n");
        self.refusal(&mut out);
        self.variable_checks(&mut out, &names);
        self.whole_name_checks(&mut out, &names);
        self.plain_values(&mut out, &names);
        self.secret_values(&mut out, &names);
        out.push_str(
            "\n# Each creates the name $1 unless it exists; $4 (or $3 for a secret), when\n\
             # given, is the name as printed, its hidden characters escaped.\n\
             create_parameter() {\n  \
               if aws ssm get-parameter --name=\"$1\" >/dev/null 2>&1; then\n    \
                 printf 'kept     %s\\n' \"${4:-$1}\"\n  \
               else\n    \
                 printf '%s' \"$3\" | aws ssm put-parameter --name=\"$1\" --type=\"$2\" --value=file:///dev/stdin >/dev/null\n    \
                 printf 'created  %s\\n' \"${4:-$1}\"\n  \
               fi\n\
             }\n\n\
             create_secret() {\n  \
               if aws secretsmanager describe-secret --secret-id=\"$1\" >/dev/null 2>&1; then\n    \
                 printf 'kept     secret %s\\n' \"${3:-$1}\"\n  \
               else\n    \
                 printf '%s' \"$2\" | aws secretsmanager create-secret --name=\"$1\" --secret-string=file:///dev/stdin >/dev/null\n    \
                 printf 'created  secret %s\\n' \"${3:-$1}\"\n  \
               fi\n\
             }\n",
        );
        let copy = |var: &str| names.copies.get(var).cloned().unwrap_or_default();
        for (parameter, variable) in self.parameters.iter().zip(&names.parameters) {
            let name = shell_name(&parameter.name, copy);
            let _ = writeln!(
                out,
                "\n# {} ({})",
                inert(&parameter.fields.join(", ")),
                parameter.kind
            );
            let _ = writeln!(
                out,
                "create_parameter {name} {} \"${variable}\"{}",
                parameter.kind,
                shown_argument(&parameter.name, copy)
            );
            for label in &parameter.labels {
                let _ = writeln!(
                    out,
                    "aws ssm label-parameter-version --name={name} --parameter-version=1 --labels={} >/dev/null",
                    shell_quote(label)
                );
            }
        }
        for (secret, variable) in self.secrets.iter().zip(&names.secrets) {
            let _ = writeln!(
                out,
                "\n# {} (Secrets Manager)",
                inert(&secret.fields.join(", "))
            );
            let _ = writeln!(
                out,
                "create_secret {} \"${variable}\"{}",
                shell_name(&secret.name, copy),
                shown_argument(&secret.name, copy)
            );
        }
        out
    }

    /// Stops the script, before it reads or creates anything, while a name
    /// is refused.
    fn refusal(&self, out: &mut String) {
        if self.refused.is_empty() {
            return;
        }
        for problem in &self.refused {
            print_error(out, &problem.to_string());
        }
        print_error(out, "a load would refuse these names; nothing was created");
        out.push_str("exit 1\n");
    }

    /// Reads each `{VAR}` the names leave to the script once, into the
    /// script's own copy, and holds the copy to what a load takes where
    /// the names use it: one segment, no reserved start, not too long.
    fn variable_checks(&self, out: &mut String, names: &Names) {
        let rules = value_rules(self.kinded_names());
        for var in variables(self.names()) {
            let copy = &names.copies[var];
            let _ = writeln!(
                out,
                ": \"${{{var}:?set {var}, which the names use}}\"\n\
                 {copy}=${var}\n\
                 case \"${copy}\" in\n  \
                   *[!{SEGMENT_CHARACTERS}]*)"
            );
            error_and_exit(
                out,
                &format!("{var} fills one segment of a parameter name: use only a-z A-Z 0-9 _ . -"),
                Within::CaseBranch,
            );
            let Some(rule) = rules.get(var) else {
                out.push_str("esac\n");
                continue;
            };
            if rule.refuses_reserved() {
                let _ = writeln!(out, "  {})", rule.shell_patterns());
                error_and_exit(
                    out,
                    &format!(
                        "{var} would make a parameter name begin with {}, in any case, which SSM refuses",
                        RESERVED_STARTS.join(" or ")
                    ),
                    Within::CaseBranch,
                );
            }
            out.push_str("esac\n");
            let longest = rule.longest;
            let _ = writeln!(out, "if [ \"${{#{copy}}}\" -gt {longest} ]; then");
            error_and_exit(
                out,
                &format!(
                    "{var} is longer than {longest} characters: a name it fills would be longer than SSM allows"
                ),
                Within::IfBlock,
            );
            out.push_str("fi\n");
        }
    }

    /// Checks whole each name that several variables' values decide
    /// together: its length, and whether its first segment begins with a
    /// reserved word.
    fn whole_name_checks(&self, out: &mut String, names: &Names) {
        let copy = |var: &str| names.copies.get(var).cloned().unwrap_or_default();
        let whole = &names.whole;
        for check in whole_names(self.kinded_names()) {
            let shown = format!("`{}`", check.name);
            let _ = writeln!(out, "{whole}={}", shell_name(check.name, copy));
            if check.shared_length {
                let longest = check.kind.longest();
                let _ = writeln!(out, "if [ \"${{#{whole}}}\" -gt {longest} ]; then");
                error_and_exit(
                    out,
                    &format!(
                        "{shown} would be longer than the {longest} characters SSM allows, with the values given"
                    ),
                    Within::IfBlock,
                );
                out.push_str("fi\n");
            }
            if check.shared_start {
                let _ = writeln!(out, "case \"${whole}\" in\n  {})", reserved_name_patterns());
                error_and_exit(
                    out,
                    &format!(
                        "{shown} would begin with {}, in any case, with the values given, which SSM refuses",
                        RESERVED_STARTS.join(" or ")
                    ),
                    Within::CaseBranch,
                );
                out.push_str("esac\n");
            }
        }
    }

    /// The values to fill in, and the check that none is left a
    /// placeholder.
    fn plain_values(&self, out: &mut String, names: &Names) {
        let plain: Vec<(&NewParameter, &String)> = self
            .parameters
            .iter()
            .zip(&names.parameters)
            .filter(|(parameter, _)| parameter.kind != ParameterType::SecureString)
            .collect();
        if plain.is_empty() {
            return;
        }
        out.push_str("\n# The values to write: replace each CHANGE_ME(...).\n");
        for (parameter, variable) in &plain {
            let _ = writeln!(out, "{variable}={}", shell_quote(&parameter.placeholder));
        }
        let all: Vec<String> = plain.iter().map(|(_, v)| format!("\"${v}\"")).collect();
        let value = &names.value;
        let _ = writeln!(
            out,
            "for {value} in {}; do\n  \
               case \"${value}\" in\n    \
                 *'CHANGE_ME('*)\n      \
                   printf '%s\\n' 'replace every CHANGE_ME(...) among the values at the top of this script first; nothing was created' >&2\n      \
                   exit 1 ;;\n  \
               esac\n\
             done",
            all.join(" ")
        );
    }

    /// Reads every secret value before anything is created.
    fn secret_values(&self, out: &mut String, names: &Names) {
        let secure: Vec<(String, String)> = self
            .parameters
            .iter()
            .zip(&names.parameters)
            .filter(|(parameter, _)| parameter.kind == ParameterType::SecureString)
            .map(|(parameter, variable)| {
                let what = format!(
                    "{}: {} (SecureString)",
                    parameter.fields.join(", "),
                    parameter.name
                );
                (variable.clone(), what)
            })
            .collect();
        let secrets = self
            .secrets
            .iter()
            .zip(&names.secrets)
            .map(|(secret, variable)| {
                let what = match secret.keys.as_slice() {
                    [] => format!("secret {} ({})", secret.name, secret.fields.join(", ")),
                    keys => {
                        let keys: Vec<String> = keys
                            .iter()
                            .zip(&secret.key_fields)
                            .map(|(key, field)| format!("{key} (field {field})"))
                            .collect();
                        let noun = if keys.len() == 1 { "key" } else { "keys" };
                        format!(
                            "secret {}, JSON with the {noun} {}",
                            secret.name,
                            keys.join(", ")
                        )
                    }
                };
                (variable.clone(), what)
            });
        let all: Vec<(String, String)> = secure.into_iter().chain(secrets).collect();
        if all.is_empty() {
            return;
        }
        let (given, from_file) = (&names.given, &names.from_file);
        let _ = write!(
            out,
            "\n# Reads the secret value of the variable named $1 (what it is: $2): from the\n\
             # environment, from the file named by ${{1}}_FILE, or from the terminal\n\
             # without echo. An empty value or a placeholder stops the script.\n\
             read_secret() {{\n  \
               eval \"{given}=\\${{$1:-}}\"\n  \
               eval \"{from_file}=\\${{$1_FILE:-}}\"\n  \
               if [ -z \"${given}\" ] && [ -n \"${from_file}\" ]; then\n    \
                 {given}=$(cat \"${from_file}\")\n  \
               elif [ -z \"${given}\" ] && [ -t 0 ]; then\n    \
                 printf '%s: ' \"$2\" >&2\n    \
                 trap 'stty echo; exit 1' INT TERM\n    \
                 stty -echo\n    \
                 IFS= read -r {given} || true\n    \
                 stty echo\n    \
                 trap - INT TERM\n    \
                 printf '\\n' >&2\n  \
               fi\n  \
               case \"${given}\" in\n    \
                 ''|*'CHANGE_ME('*)\n      \
                   printf '%s: set %s, or %s_FILE to a file holding it; nothing was created\\n' \"$2\" \"$1\" \"$1\" >&2\n      \
                   exit 1 ;;\n  \
               esac\n  \
               eval \"$1=\\${given}\"\n\
             }}\n",
        );
        for (variable, what) in all {
            let _ = writeln!(out, "read_secret {variable} {}", shell_quote(&inert(&what)));
        }
    }

    fn shell_names(&self) -> Names {
        let mut taken: BTreeSet<String> = variables(self.names())
            .into_iter()
            .map(str::to_owned)
            .collect();
        let value = unused_name(&mut taken, "value");
        let given = unused_name(&mut taken, "given");
        let from_file = unused_name(&mut taken, "from_file");
        let whole = unused_name(&mut taken, "whole");
        let copies = variables(self.names())
            .into_iter()
            .map(|var| {
                let copy = unused_name(&mut taken, &format!("var_{}", shell_variable(var)));
                (var.to_owned(), copy)
            })
            .collect();
        let parameters = self
            .parameters
            .iter()
            .map(|parameter| {
                let field = parameter.fields.first().map_or("value", String::as_str);
                match parameter.kind {
                    ParameterType::SecureString => unused_name(&mut taken, &secret_variable(field)),
                    _ => unused_name(&mut taken, &shell_variable(field)),
                }
            })
            .collect();
        let secrets = self
            .secrets
            .iter()
            .map(|secret| unused_name(&mut taken, &secret_variable(&secret.name)))
            .collect();
        Names {
            parameters,
            secrets,
            value,
            given,
            from_file,
            copies,
            whole,
        }
    }
}

/// Writes a line that prints `text`, [`inert`], on standard error:
/// `printf '%s\n'`, which prints its argument as it is, where `echo` (dash's,
/// `/bin/sh` on Debian and Ubuntu) reads backslash sequences in it.
fn print_error(out: &mut String, text: &str) {
    let _ = writeln!(out, "printf '%s\\n' {} >&2", shell_quote(&inert(text)));
}

/// Where [`error_and_exit`] stops the script.
#[derive(Clone, Copy)]
enum Within {
    /// A `case` branch, which `;;` ends.
    CaseBranch,
    /// An `if` block.
    IfBlock,
}

/// [`print_error`] with that nothing was created, then `exit 1`.
fn error_and_exit(out: &mut String, text: &str, within: Within) {
    let (indent, end) = match within {
        Within::CaseBranch => ("    ", " ;;"),
        Within::IfBlock => ("  ", ""),
    };
    out.push_str(indent);
    print_error(out, &format!("{text}; nothing was created"));
    let _ = writeln!(out, "{indent}exit 1{end}");
}

/// The name as printed, as one more argument, where it holds a character
/// [`inert`] escapes; nothing where it prints as it is.
fn shown_argument(name: &str, copy: impl Fn(&str) -> String + Copy) -> String {
    match inert(name) == name {
        true => String::new(),
        false => format!(" {}", shell_shown_name(name, copy)),
    }
}

/// `text` as a shell variable: `cache.ttl_secs` is `cache_ttl_secs`; the
/// outputs' identifier in lower case, without the `-` a shell name may not
/// hold.
fn shell_variable(text: &str) -> String {
    identifier(text, "value")
        .replace('-', "_")
        .to_ascii_lowercase()
}

/// The environment variable a secret value is read from:
/// `SSM_BOOTSTRAP_DB_PASSWORD` for `db_password`, `SSM_BOOTSTRAP_PROD_STRIPE`
/// for the secret `prod/stripe`.
fn secret_variable(text: &str) -> String {
    format!(
        "{SECRET_VARIABLE_PREFIX}{}",
        shell_variable(text).to_ascii_uppercase()
    )
}

/// `wanted`, or `wanted_2`, `wanted_3`... when it is taken.
fn unused_name(taken: &mut BTreeSet<String>, wanted: &str) -> String {
    let mut candidate = wanted.to_owned();
    let mut n = 1;
    while !taken.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{wanted}_{n}");
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_shell_names_and_never_repeat() {
        assert_eq!(shell_variable("cache.ttl_secs"), "cache_ttl_secs");
        assert_eq!(shell_variable("9lives"), "_9lives");
        assert_eq!(
            secret_variable("prod/stripe-keys"),
            "SSM_BOOTSTRAP_PROD_STRIPE_KEYS"
        );
        let mut taken = BTreeSet::from(["value".to_owned()]);
        assert_eq!(unused_name(&mut taken, "value"), "value_2");
        assert_eq!(unused_name(&mut taken, "value"), "value_3");
        assert_eq!(unused_name(&mut taken, "db"), "db");
        assert_eq!(shell_variable("名前"), "value");
        assert_eq!(shell_variable("PATH"), "path");
    }
}
