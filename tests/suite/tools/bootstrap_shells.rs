//! The script under the shells that run it: dash (`/bin/sh` on Debian and
//! Ubuntu), whose `echo` reads backslash escapes, and bash, which sets
//! variables of its own. Whatever a refusal, a field or a name holds, what
//! the script prints is its own lines with that text in them, escaped; and
//! a `{VAR}` is read once, from the environment, never from a variable the
//! shell changes as it runs.

use ssm_config::SsmConfig;
use ssm_config::error::Problem;

use super::bootstrap_inputs::{Exposed, filled};
use super::bootstrap_sandbox::{Ran, Sandbox, secret_values, shells};

/// What a terminal would take for a control sequence or a bell.
fn holds_escape(text: &str) -> bool {
    text.contains(['\u{1b}', '\u{7}', '\u{9b}'])
}

/// Whether a run printed `lines`, exactly, on its standard error.
fn printed(ran: &Ran, lines: &[String]) -> bool {
    ran.stderr.lines().eq(lines.iter().map(String::as_str))
}

/// Backslash sequences dash's `echo` would turn into a terminal title, a
/// cleared screen, forged lines, or a cut (`\c`).
const ECHO_ESCAPES: [&str; 2] = [
    "/prod/\\0033]0;OWNED\\007\\0033[2J\\n\\nFAKE: all created OK",
    "/prod/x\\cFAKE",
];

#[test]
fn a_refusal_is_printed_as_text() {
    for prefix in ECHO_ESCAPES {
        let bootstrap = Exposed::loader().prefix(prefix).bootstrap();
        assert!(!bootstrap.refused.is_empty(), "{prefix}");
        let mut expected: Vec<String> = bootstrap.refused.iter().map(Problem::to_string).collect();
        expected.push("a load would refuse these names; nothing was created".into());
        let script = filled(&bootstrap.shell());
        let sandbox = Sandbox::new();
        for shell in shells() {
            let ran = sandbox.run_with(shell, &script, &secret_values(&script));
            assert!(!ran.success, "{shell}");
            assert_eq!(sandbox.calls(), Vec::<Vec<String>>::new(), "{shell}");
            assert!(!holds_escape(&ran.stderr), "{shell}: {:?}", ran.stderr);
            assert!(
                printed(&ran, &expected),
                "{shell}: {:?}\nnot {expected:?}",
                ran.stderr
            );
        }
    }
}

/// A name, a field and the text around a secret, all public, holding
/// backslash sequences and a raw escape: the script prints each as text.
#[test]
fn what_the_script_prints_about_names_and_fields_is_text() {
    let mut bootstrap = Exposed::loader().var("HX_ENV", "prod").bootstrap();
    bootstrap.parameters[0].name = "/prod/x\\0033[2J\u{1b}[2J".into();
    let secure = bootstrap
        .parameters
        .iter()
        .position(|p| p.kind.to_string() == "SecureString")
        .unwrap();
    bootstrap.parameters[secure].fields = vec!["db\\0033]0;OWNED\\007\\nFAKE: created".into()];
    let script = filled(&bootstrap.shell());
    let secrets = secret_values(&script);
    let sandbox = Sandbox::new();
    for shell in shells() {
        let ran = sandbox.run_with(shell, &script, &secrets);
        assert!(ran.success, "{shell}: {}", ran.stderr);
        assert!(!holds_escape(&ran.stdout), "{shell}: {:?}", ran.stdout);
        let shown = |name: &str| ssm_config_rules::escaped(name);
        let expected: Vec<String> = bootstrap
            .parameters
            .iter()
            .map(|p| format!("created  {}", shown(&p.name)))
            .chain(
                bootstrap
                    .secrets
                    .iter()
                    .map(|s| format!("created  secret {}", shown(&s.name))),
            )
            .collect();
        assert!(
            ran.stdout.lines().eq(expected.iter().map(String::as_str)),
            "{shell}: {:?}\nnot {expected:?}",
            ran.stdout
        );

        // The SecureString's value missing: one line says so.
        let without: Vec<(String, String)> = secrets[1..].to_vec();
        assert_eq!(secrets.len(), 2, "{secrets:?}");
        let ran = sandbox.run_with(shell, &script, &without);
        assert!(!ran.success, "{shell}");
        assert_eq!(sandbox.calls(), Vec::<Vec<String>>::new(), "{shell}");
        assert!(!holds_escape(&ran.stderr), "{shell}: {:?}", ran.stderr);
        let lines: Vec<&str> = ran.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{shell}: {lines:?}");
        assert!(
            lines[0].starts_with("db\\0033]0;OWNED\\007\\nFAKE: created: ")
                && lines[0].ends_with("; nothing was created"),
            "{shell}: {lines:?}"
        );
    }
}

/// `{VAR}`s a shell sets for itself: bash gives `_` the last argument of
/// the last command, `LINENO` the line it runs, `RANDOM` a new number each
/// time. No script can pass the value the environment gave them, so they
/// are refused, naming the variable, and nothing is written for them.
#[test]
fn a_variable_the_shell_sets_itself_is_refused() {
    for variable in [
        "LINENO",
        "RANDOM",
        "SECONDS",
        "PPID",
        "OPTIND",
        "BASHPID",
        "BASH_ARGV0",
    ] {
        if std::env::var_os(variable).is_some() {
            continue; // filled from this process's environment instead
        }
        let bootstrap = Exposed::loader()
            .prefix(format!("/{{{variable}}}/app"))
            .bootstrap();
        assert!(
            bootstrap.refused.iter().any(|p| matches!(
                p,
                Problem::InvalidVariable { variable: v, reason, .. }
                    if v == variable && reason.contains("shell")
            )),
            "{variable}: {:?}",
            bootstrap.refused
        );
        assert!(bootstrap.parameters.is_empty(), "{variable}");
        for output in [
            bootstrap.shell(),
            bootstrap.terraform(),
            bootstrap.cloudformation(),
        ] {
            assert!(!output.contains(&format!("${{{variable}}}")), "{output}");
            assert!(!output.contains(&format!("var.{variable}")), "{output}");
        }
    }
}

/// Written into a public name, such a variable is text: the name is
/// created as written, whichever shell runs the script.
#[test]
fn a_shell_variable_in_a_public_name_stays_text() {
    let mut bootstrap = Exposed::loader().var("HX_ENV", "prod").bootstrap();
    bootstrap.parameters[0].name = "/{_}/{LINENO}/x".into();
    let script = filled(&bootstrap.shell());
    let sandbox = Sandbox::new();
    for shell in shells() {
        let ran = sandbox.run_with(shell, &script, &secret_values(&script));
        assert!(ran.success, "{shell}: {}", ran.stderr);
        assert_eq!(
            sandbox.calls()[0],
            ["ssm", "get-parameter", "--name=/{_}/{LINENO}/x"],
            "{shell}"
        );
    }
}

/// A `{VAR}` is read from the environment once, at the top, into the
/// script's own variable, which is checked and then used for every name:
/// nothing after the check reads the environment's variable again.
#[test]
fn a_variable_is_read_once_and_the_checked_copy_is_used() {
    let script = filled(&Exposed::loader().bootstrap().shell());
    let reads: Vec<&str> = script
        .lines()
        .filter(|line| line.contains("$HX_ENV") || line.contains("${HX_ENV"))
        .collect();
    assert_eq!(
        reads.len(),
        2,
        "the check that it is set, and the copy: {reads:?}"
    );
    let copy = script.lines().find(|l| l.ends_with("=$HX_ENV")).unwrap();
    let copy = copy.strip_suffix("=$HX_ENV").unwrap();
    assert!(
        copy.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
        "{copy}"
    );
    assert!(
        script.contains(&format!(
            r#"create_parameter '/'"${{{copy}}}"'/orders/db_host'"#
        )),
        "{script}"
    );
    let sandbox = Sandbox::new();
    for shell in shells() {
        let mut env = secret_values(&script);
        env.push(("HX_ENV".into(), "prod".into()));
        let ran = sandbox.run_with(shell, &script, &env);
        assert!(ran.success, "{shell}: {}", ran.stderr);
        let calls = sandbox.calls();
        let names: Vec<&str> = calls
            .iter()
            .filter(|c| c[1] == "put-parameter" || c[1] == "create-secret")
            .map(|c| c[2].as_str())
            .collect();
        assert_eq!(
            names,
            [
                "--name=/prod/orders/db_host",
                "--name=/prod/orders/db_password",
                "--name=/prod/orders/ips",
                "--name=/prod/orders/tls",
                "--name=prod/stripe",
            ],
            "{shell}"
        );
    }
}
