//! Bootstrap outputs over hostile input: quotes, `$`, backticks, line
//! breaks, `%`, a leading `-`, non-ASCII and format characters, in every
//! run-time input. Whether the input comes through the loader (a prefix,
//! `{VAR}` values, the values the script is given when it runs) or is
//! written into a `Bootstrap`'s public fields, the script passes `sh -n`
//! and runs nothing but `aws`, each call naming exactly the parameter or
//! secret meant; the Terraform and CloudFormation parse to exactly the
//! resources the `Bootstrap` lists. Through the loader, a name a load would
//! refuse is refused, and nothing is created for it.
//!
//! ```sh
//! PROPTEST_CASES=512 cargo test --test suite tools::bootstrap_properties   # a longer run
//! ```

use ssm_config::SsmConfig;
use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard};

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use ssm_config::bootstrap::Bootstrap;
use ssm_config::error::Problem;
use ssm_config_rules::{
    check_filled_name, check_name, check_secret_name, check_variable_value, shown,
};

use super::bootstrap_inputs::{Exposed, filled};
use super::bootstrap_parsed::{
    check_cloudformation, check_terraform, resolved, template_variables,
};
use super::bootstrap_sandbox::{Parsers, STDIN, Sandbox, secret_values};

/// Cases per property unless `PROPTEST_CASES` says otherwise: each runs a
/// script and two parses, some milliseconds.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(32);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// The parsers, started once for every case; `None` where the emulator's
/// virtualenv cannot be installed outside CI.
fn parsers() -> MutexGuard<'static, Option<Option<Parsers>>> {
    static PARSERS: Mutex<Option<Option<Parsers>>> = Mutex::new(None);
    let mut parsers = PARSERS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if parsers.is_none() {
        *parsers = Some(Parsers::start());
    }
    parsers
}

/// Syntax of the shell, HCL and YAML, line breaks, a leading `-`,
/// non-ASCII and format characters, and `{VAR}`s.
const HOSTILE: &[&str] = &[
    "$(touch pwned)",
    "`touch pwned`",
    ";touch pwned;",
    "\ntouch pwned\n",
    "'",
    "\"",
    "\\",
    "$",
    "${x}",
    "%{x}",
    "%",
    "\n",
    "\r",
    "\t",
    "-",
    "--help",
    "#",
    ": ",
    "- ",
    "!Sub ",
    "<<EOF",
    "{",
    "}",
    "*",
    " ",
    "&",
    "|",
    "é",
    "日本",
    "\u{202e}",
    "\u{2028}",
    "\u{85}",
    "\u{feff}",
    "{HX_ENV}",
    "{HX_ZONE}",
    "aws",
];

/// A piece of hostile text: mostly name characters (lower case, so no
/// `{VAR}` it forms is one the shell itself uses, such as `PATH`), the
/// hostile pieces above, or any character but NUL (which no argument or
/// file name can hold).
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z0-9_.-]{1,5}",
        1 => Just("/".to_owned()),
        4 => prop::sample::select(HOSTILE).prop_map(str::to_owned),
        1 => any::<char>()
            .prop_filter("no NUL", |c| *c != '\0')
            .prop_map(String::from),
    ]
}

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..6).prop_map(|pieces| pieces.concat())
}

/// A segment a load takes.
fn segment() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_.-]{1,6}"
}

/// A value a variable may be given: none, one a load takes, or hostile.
fn value() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        segment().prop_map(Some),
        hostile().prop_map(Some),
    ]
}

/// A prefix as a tool passes it to `Loader::prefix`: well formed (which a
/// load may still refuse: `aws` or `ssm` first, too many levels), or
/// hostile.
fn prefix() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        3 => segment(),
        1 => Just("{HX_ENV}".to_owned()),
        1 => Just("{HX_ZONE}".to_owned()),
    ];
    prop_oneof![
        2 => prop::collection::vec(part, 1..5).prop_map(|parts| format!("/{}", parts.join("/"))),
        2 => hostile().prop_map(|text| format!("/{text}")),
        1 => hostile(),
    ]
}

/// What a loader is given, and what the script is given when it runs.
#[derive(Debug, Clone)]
struct LoaderInput {
    prefix: String,
    env: Option<String>,
    zone: Option<String>,
    /// What each variable left to the script is set to when it runs.
    when_run: String,
}

fn loader_input() -> impl Strategy<Value = LoaderInput> {
    let when_run = prop_oneof![
        3 => segment(),
        1 => hostile(),
        // What only a name's start or length refuses.
        1 => "[aAsS][wWsS][sSmM]?[a-z]{0,2}",
        1 => (490usize..1100).prop_map(|n| "a".repeat(n)),
    ];
    (prefix(), value(), value(), when_run).prop_map(|(prefix, env, zone, when_run)| LoaderInput {
        prefix,
        env,
        zone,
        when_run,
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn loader_input_is_refused_or_stays_text(input in loader_input()) {
        let mut loader = Exposed::loader().prefix(input.prefix.clone());
        if let Some(env) = &input.env {
            loader = loader.var("HX_ENV", env.clone());
        }
        if let Some(zone) = &input.zone {
            loader = loader.var("HX_ZONE", zone.clone());
        }
        let bootstrap = loader.bootstrap();
        // Every name written is one the rules take.
        for parameter in &bootstrap.parameters {
            prop_assert!(check_name(&parameter.name).is_ok(), "{:?}", parameter.name);
        }
        for secret in &bootstrap.secrets {
            prop_assert!(check_secret_name(&secret.name).is_ok(), "{:?}", secret.name);
        }
        // A prefix holding what no name may is refused, and named: whole as
        // given, or as filled, as a load names it.
        let allowed = |c: char| c.is_ascii_alphanumeric() || "_.-/{}".contains(c);
        if !input.prefix.chars().all(allowed) {
            prop_assert!(bootstrap.parameters.is_empty(), "{:?}", bootstrap.parameters);
            let names_prefix = |problem: &Problem| match problem {
                Problem::InvalidName { field, .. } => field == "prefix",
                Problem::InvalidVariable { template, .. }
                | Problem::UnsetVariable { template, .. } => template == &input.prefix,
                other => other.to_string().contains(&shown(&input.prefix)),
            };
            prop_assert!(
                bootstrap.refused.iter().any(names_prefix),
                "{:?}",
                bootstrap.refused
            );
        }
        // Nothing but the line breaks between lines: names, reasons and
        // fields are written escaped.
        for output in [bootstrap.shell(), bootstrap.terraform(), bootstrap.cloudformation()] {
            prop_assert!(!output.chars().any(line_breaking), "{}", output);
        }
        let when_run = |_: &str| input.when_run.clone();
        check_outputs(&bootstrap, &when_run)?;
    }

    #[test]
    fn public_fields_stay_text(fields in public_fields()) {
        let mut bootstrap = Exposed::loader().var("HX_ENV", "prod").bootstrap();
        fields.write_into(&mut bootstrap);
        for output in [bootstrap.terraform(), bootstrap.cloudformation()] {
            prop_assert!(!output.chars().any(line_breaking), "{}", output);
        }
        check_outputs(&bootstrap, &|_| "v1".to_owned())?;
    }
}

/// What could end a line, or hide text, where a reader or a parser sees it.
fn line_breaking(c: char) -> bool {
    c != '\n' && (c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202e}'))
}

/// Hostile text for each public field of a `Bootstrap` of [`Exposed`]:
/// its four parameters and its secret.
#[derive(Debug, Clone)]
struct PublicFields {
    names: Vec<Option<String>>,
    placeholders: Vec<String>,
    fields: Vec<Vec<String>>,
    labels: Vec<Vec<String>>,
    secret_name: String,
    secret_keys: Vec<(String, String)>,
    skipped: String,
    refused: Option<(String, String, String)>,
}

fn public_fields() -> impl Strategy<Value = PublicFields> {
    use prop::collection::vec;
    (
        vec(prop::option::weighted(0.7, hostile()), 4),
        vec(hostile(), 4),
        vec(vec(hostile(), 0..2), 4),
        vec(vec(hostile(), 0..2), 4),
        hostile(),
        vec((hostile(), hostile()), 0..3),
        hostile(),
        prop::option::weighted(0.1, (hostile(), hostile(), hostile())),
    )
        .prop_map(
            |(names, placeholders, fields, labels, secret_name, secret_keys, skipped, refused)| {
                PublicFields {
                    names,
                    placeholders,
                    fields,
                    labels,
                    secret_name,
                    secret_keys,
                    skipped,
                    refused,
                }
            },
        )
}

impl PublicFields {
    fn write_into(self, bootstrap: &mut Bootstrap) {
        assert_eq!(bootstrap.parameters.len(), 4);
        assert_eq!(bootstrap.secrets.len(), 1);
        let parameters = bootstrap.parameters.iter_mut();
        let hostile = self
            .names
            .into_iter()
            .zip(self.placeholders)
            .zip(self.fields)
            .zip(self.labels);
        for (parameter, (((name, placeholder), fields), labels)) in parameters.zip(hostile) {
            if let Some(name) = name {
                parameter.name = name;
            }
            parameter.placeholder = placeholder;
            parameter.fields = fields;
            parameter.labels = labels;
        }
        let secret = &mut bootstrap.secrets[0];
        secret.name = self.secret_name;
        (secret.keys, secret.key_fields) = self.secret_keys.into_iter().unzip();
        secret.fields = secret.key_fields.clone();
        bootstrap.skipped.push(self.skipped);
        if let Some((field, name, reason)) = self.refused {
            bootstrap.refused.push(Problem::InvalidName {
                field,
                name,
                reason,
            });
        }
    }
}

/// Runs the script in a sandbox, and parses the Terraform and the
/// CloudFormation: each does exactly what `bootstrap` lists, no more.
fn check_outputs(
    bootstrap: &Bootstrap,
    when_run: &dyn Fn(&str) -> String,
) -> Result<(), TestCaseError> {
    check_script(bootstrap, when_run)?;
    let mut parsers = parsers();
    let Some(Some(parsers)) = parsers.as_mut() else {
        return Ok(());
    };
    check_terraform(bootstrap, parsers)?;
    check_cloudformation(bootstrap, parsers)
}

/// Every name of `bootstrap`, with whether it is a secret's.
fn all_names(bootstrap: &Bootstrap) -> impl Iterator<Item = (&str, bool)> {
    let parameters = bootstrap
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), false));
    parameters.chain(bootstrap.secrets.iter().map(|s| (s.name.as_str(), true)))
}

/// Whether a load refuses `name` for what its variables hold when the
/// script runs (an `aws` start, too long), where it takes the name with
/// each variable one harmless character. Names written into public fields
/// may break the rules by their text alone; the script checks only what
/// the values decide.
fn refused_for_its_values(name: &str, secret: bool, when_run: &dyn Fn(&str) -> String) -> bool {
    let takes = |name: &str| match secret {
        true => check_secret_name(name).is_ok(),
        false => check_filled_name(name).is_ok(),
    };
    template_variables(name).is_some_and(|variables| !variables.is_empty())
        && takes(&resolved(name, &|_| "v".to_owned()))
        && !takes(&resolved(name, when_run))
}

fn check_script(
    bootstrap: &Bootstrap,
    when_run: &dyn Fn(&str) -> String,
) -> Result<(), TestCaseError> {
    let script = filled(&bootstrap.shell());
    let sandbox = Sandbox::new();
    let syntax = sandbox.parses(&script);
    prop_assert!(syntax.success, "{}\n{}", syntax.stderr, script);

    let names = bootstrap
        .parameters
        .iter()
        .map(|p| &p.name)
        .chain(bootstrap.secrets.iter().map(|s| &s.name));
    let variables: BTreeSet<&str> = names
        .flat_map(|name| template_variables(name).unwrap_or_default())
        .collect();
    let secrets = secret_values(&script);
    let mut env = secrets.clone();
    env.extend(variables.iter().map(|v| (v.to_string(), when_run(v))));
    let ran = sandbox.run(&script, &env);
    prop_assert_eq!(sandbox.strays(), Vec::<String>::new(), "{}", ran.stderr);

    let runs = bootstrap.refused.is_empty()
        && variables
            .iter()
            .all(|v| check_variable_value(&when_run(v)).is_ok())
        && !all_names(bootstrap)
            .any(|(name, secret)| refused_for_its_values(name, secret, when_run));
    if !runs {
        prop_assert!(!ran.success, "{}\n{}", ran.stdout, script);
        prop_assert_eq!(sandbox.calls(), Vec::<Vec<String>>::new());
        return Ok(());
    }
    prop_assert!(ran.success, "{}\n{}", ran.stderr, script);
    let mut secret_values = secrets.into_iter().map(|(_, value)| value);
    let mut expected = Vec::new();
    let call = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    let secure: Vec<String> = bootstrap
        .parameters
        .iter()
        .filter(|p| p.kind.to_string() == "SecureString")
        .map(|_| secret_values.next().unwrap())
        .collect();
    let mut secure = secure.into_iter();
    for parameter in &bootstrap.parameters {
        let name = format!("--name={}", resolved(&parameter.name, when_run));
        let kind = parameter.kind.to_string();
        let value = match kind.as_str() {
            "SecureString" => secure.next().unwrap(),
            _ => parameter.placeholder.replace("CHANGE_ME(", "filled("),
        };
        expected.push(call(&["ssm", "get-parameter", &name]));
        expected.push(call(&[
            "ssm",
            "put-parameter",
            &name,
            &format!("--type={kind}"),
            "--value=file:///dev/stdin",
            &format!("{STDIN}{value}"),
        ]));
        for label in &parameter.labels {
            expected.push(call(&[
                "ssm",
                "label-parameter-version",
                &name,
                "--parameter-version=1",
                &format!("--labels={label}"),
            ]));
        }
    }
    for secret in &bootstrap.secrets {
        let name = resolved(&secret.name, when_run);
        let value = secret_values.next().unwrap();
        expected.push(call(&[
            "secretsmanager",
            "describe-secret",
            &format!("--secret-id={name}"),
        ]));
        expected.push(call(&[
            "secretsmanager",
            "create-secret",
            &format!("--name={name}"),
            "--secret-string=file:///dev/stdin",
            &format!("{STDIN}{value}"),
        ]));
    }
    prop_assert_eq!(sandbox.calls(), expected, "{}", script);
    Ok(())
}
