//! Bootstrap outputs built from run-time input: a prefix given to
//! `Loader::prefix` and `{VAR}` values. A name a load would refuse is
//! refused here too, naming what breaks the rules; whatever the input, the
//! script runs nothing but `aws`, and the Terraform and CloudFormation
//! hold nothing but the parameters and secrets.

use ssm_config::bootstrap::Bootstrap;
use ssm_config::error::Problem;
use ssm_config::{MemorySource, Secret, SsmConfig};

use std::process::Command;

use super::bootstrap_sandbox::{Parsers, Sandbox, installed, run_bounded, secret_values};
use crate::support::scratch::TempFile;

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{HX_ENV}/orders")]
#[allow(dead_code)]
pub(super) struct Exposed {
    db_host: String,
    db_password: Secret<String>,
    #[ssm(path = "ips")]
    allowed_ips: Vec<String>,
    #[ssm(secret = "{HX_ENV}/stripe", key = "api_key")]
    stripe_key: Secret<String>,
    #[ssm(path = "tls", label = "blue")]
    tls: String,
    #[ssm(default = 5)]
    port: u16,
    timeout_ms: Option<u64>,
}

/// The script with every placeholder filled, as a team edits it.
pub(super) fn filled(script: &str) -> String {
    script.replace("='CHANGE_ME(", "='filled(")
}

/// What the script of [`Exposed`] reads from its environment: `HX_ENV`
/// and a value for each secret.
fn environment(script: &str) -> Vec<(String, String)> {
    let mut env = secret_values(script);
    env.push(("HX_ENV".into(), "prod".into()));
    env
}

/// Whether `refused` holds a problem whose message quotes `text` whole.
/// Whether a problem names `text`, shown as every message shows it (hidden
/// characters escaped).
fn names(refused: &[Problem], text: &str) -> bool {
    let shown = ssm_config_rules::escaped(text);
    refused.iter().any(|p| p.to_string().contains(&shown))
}

#[test]
fn a_prefix_with_a_command_substitution_runs_nothing() {
    let prefix = "/prod/$(touch pwned)`touch pwned2`";
    let bootstrap = Exposed::loader()
        .prefix(prefix)
        .var("HX_ENV", "prod")
        .bootstrap();
    assert!(names(&bootstrap.refused, prefix), "{:?}", bootstrap.refused);
    assert!(
        bootstrap.parameters.is_empty(),
        "{:?}",
        bootstrap.parameters
    );
    let sandbox = Sandbox::new();
    let script = filled(&bootstrap.shell());
    let ran = sandbox.run(&script, &environment(&script));
    assert_eq!(sandbox.strays(), Vec::<String>::new(), "{}", ran.stderr);
    assert!(!ran.success, "the script refuses to run");
    assert!(ran.stderr.contains(prefix), "{}", ran.stderr);
    assert_eq!(sandbox.calls(), Vec::<Vec<String>>::new());
}

#[test]
fn a_prefix_with_a_newline_adds_no_command() {
    let sandbox = Sandbox::new();
    let bootstrap = Exposed::loader().prefix("/x\ntouch pwned\n:").bootstrap();
    assert!(names(&bootstrap.refused, "/x\ntouch pwned\n:"));
    let script = bootstrap.shell();
    let ran = sandbox.run(&filled(&script), &environment(&script));
    assert_eq!(sandbox.strays(), Vec::<String>::new(), "{}", ran.stderr);
    // Said once in a comment, once to the person running it; neither
    // holds the newline.
    assert!(script.contains(r"`/x\ntouch pwned\n:`"), "{script}");
    assert!(!script.contains("\ntouch pwned"), "{script}");
}

/// HCL blocks need braces, which no template may hold; an attribute
/// needs none.
#[test]
fn a_prefix_with_a_newline_adds_nothing_to_the_terraform() {
    let Some(mut parsers) = Parsers::start() else {
        return;
    };
    let terraform = Exposed::loader()
        .prefix("/x\npwned = \"yes\"\n#")
        .bootstrap()
        .terraform();
    let parsed = parsers.terraform(&terraform).unwrap();
    let keys: Vec<&String> = parsed.as_object().unwrap().keys().collect();
    assert!(
        keys.iter()
            .all(|k| ["resource", "variable"].contains(&k.as_str())),
        "{keys:?}\n{terraform}"
    );
}

#[test]
fn a_prefix_with_a_newline_adds_no_cloudformation_key() {
    let Some(mut parsers) = Parsers::start() else {
        return;
    };
    let template = Exposed::loader()
        .prefix("/x\nPwned: yes\n#")
        .bootstrap()
        .cloudformation();
    let parsed = parsers.cloudformation(&template).unwrap();
    assert!(parsed.get("Pwned").is_none(), "{template}");
}

#[tokio::test]
async fn a_load_with_such_a_prefix_fails_naming_it() {
    for prefix in ["/prod/$(touch pwned)", "/x\ntouch pwned"] {
        let error = Exposed::loader()
            .source(MemorySource::new())
            .prefix(prefix)
            .var("HX_ENV", "prod")
            .fetch()
            .await
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains(&ssm_config_rules::escaped(prefix)),
            "{error}"
        );
    }
}

/// A secret's name may start with `-`; passed as `--name=...`, the AWS CLI
/// never takes it for an option.
#[test]
fn a_name_starting_with_a_dash_is_never_an_option() {
    let bootstrap = Exposed::loader()
        .prefix("/orders")
        .var("HX_ENV", "-x")
        .bootstrap();
    assert!(bootstrap.refused.is_empty(), "{:?}", bootstrap.refused);
    assert_eq!(bootstrap.secrets[0].name, "-x/stripe");
    let sandbox = Sandbox::new();
    let script = filled(&bootstrap.shell());
    let ran = sandbox.run(&script, &environment(&script));
    assert!(ran.success, "{}", ran.stderr);
    let calls = sandbox.calls();
    let secret_calls: Vec<&Vec<String>> =
        calls.iter().filter(|c| c[0] == "secretsmanager").collect();
    assert_eq!(secret_calls.len(), 2, "{calls:?}");
    assert_eq!(secret_calls[0][2], "--secret-id=-x/stripe", "{calls:?}");
    assert_eq!(secret_calls[1][2], "--name=-x/stripe", "{calls:?}");
}

/// A variable left to the script is read when it runs, and held to one
/// segment as a load holds it: a hostile value stops the script before it
/// calls anything.
#[test]
fn a_variable_given_when_the_script_runs_is_checked() {
    let script = filled(&Exposed::loader().bootstrap().shell());
    let sandbox = Sandbox::new();
    for value in ["$(touch pwned)", "a/b", "x y", ""] {
        let mut env = environment(&script);
        env.retain(|(k, _)| k != "HX_ENV");
        env.push(("HX_ENV".into(), value.into()));
        let ran = sandbox.run(&script, &env);
        assert!(!ran.success, "{value:?}");
        assert!(ran.stderr.contains("HX_ENV"), "{value:?}: {}", ran.stderr);
        assert_eq!(sandbox.calls(), Vec::<Vec<String>>::new(), "{value:?}");
        assert_eq!(sandbox.strays(), Vec::<String>::new(), "{value:?}");
    }
    let ran = sandbox.run(&script, &environment(&script));
    assert!(ran.success, "{}", ran.stderr);
    assert!(
        sandbox
            .calls()
            .iter()
            .any(|c| c.get(2).map(String::as_str) == Some("--name=/prod/orders/db_host")),
        "{:?}",
        sandbox.calls()
    );
}

/// Where `{HX_ENV}` stands decides what a load refuses beyond one segment:
/// first in a name, it may not start it with `aws` or `ssm` (nor, after
/// `a`, with `ws`; nor, before `m`, be `ss`); anywhere, the name it fills
/// may not pass SSM's length limit (512 for the secret's name).
const POSITIONS: [&str; 4] = [
    "/{HX_ENV}/orders",
    "/a{HX_ENV}/orders",
    "/{HX_ENV}m/orders",
    "/orders/{HX_ENV}",
];

/// Values around each of those rules.
fn values_around_the_rules() -> Vec<String> {
    let mut values: Vec<String> = [
        "aws", "AWS", "Ssm-1", "awsx", "aw", "a", "ws", "Ws.x", "s", "ss", "sS", "sm", "x", "prod",
        "a/b",
    ]
    .map(str::to_owned)
    .into();
    values.extend([504, 505, 506, 507, 994, 995, 996, 1100].map(|n| "a".repeat(n)));
    values
}

/// Whether a load takes every name of `names` with `{HX_ENV}` as `value`:
/// the rulebook's checks on a filled parameter name and on a secret name.
fn a_load_takes(names: &[(&str, bool)], value: &str) -> bool {
    use ssm_config_rules::{check_filled_name, check_secret_name, check_variable_value};
    check_variable_value(value).is_ok()
        && names.iter().all(|(name, secret)| {
            let filled = name.replace("{HX_ENV}", value);
            match secret {
                true => check_secret_name(&filled).is_ok(),
                false => check_filled_name(&filled).is_ok(),
            }
        })
}

/// The names of `bootstrap`, each with whether it is a secret's.
fn all_names(bootstrap: &Bootstrap) -> Vec<(&str, bool)> {
    let parameters = bootstrap
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), false));
    let secrets = bootstrap.secrets.iter().map(|s| (s.name.as_str(), true));
    parameters.chain(secrets).collect()
}

/// The script refuses a value, before it calls anything, exactly when a
/// load would refuse a name the value fills.
#[test]
fn the_script_refuses_what_a_load_refuses_where_the_variable_stands() {
    assert!(std::env::var_os("HX_ENV").is_none(), "left to the outputs");
    let sandbox = Sandbox::new();
    for position in POSITIONS {
        let bootstrap = Exposed::loader().prefix(position).bootstrap();
        assert!(bootstrap.refused.is_empty(), "{:?}", bootstrap.refused);
        let names = all_names(&bootstrap);
        let script = filled(&bootstrap.shell());
        for value in values_around_the_rules() {
            let mut env = secret_values(&script);
            env.push(("HX_ENV".into(), value.clone()));
            let ran = sandbox.run(&script, &env);
            let takes = a_load_takes(&names, &value);
            assert_eq!(ran.success, takes, "{position} {value:?}: {}", ran.stderr);
            if !takes {
                assert_eq!(sandbox.calls(), Vec::<Vec<String>>::new(), "{value:?}");
                assert!(ran.stderr.contains("HX_ENV"), "{value:?}: {}", ran.stderr);
            }
            let given = Exposed::loader()
                .prefix(position)
                .var("HX_ENV", value.clone());
            assert_eq!(
                given.bootstrap().refused.is_empty(),
                takes,
                "{position} {value:?}"
            );
        }
    }
}

/// Where two variables decide a name together (its first segment, its
/// length), the script checks the whole name, as a load does.
#[test]
fn a_name_two_variables_decide_is_checked_whole() {
    let (long, longer) = ("a".repeat(400), "a".repeat(500));
    let cases = [
        ("/{HX_ENV}{HX_ZONE}", "s", "sm", false),
        ("/{HX_ENV}{HX_ZONE}", "a", "WSx", false),
        ("/{HX_ENV}{HX_ZONE}", "a", "w", true),
        ("/{HX_ENV}/{HX_ZONE}", &longer, &longer, false),
        ("/{HX_ENV}/{HX_ZONE}", &long, &longer, true),
    ];
    let sandbox = Sandbox::new();
    for (prefix, env, zone, takes) in cases {
        let given = Exposed::loader()
            .prefix(prefix)
            .var("HX_ENV", env)
            .var("HX_ZONE", zone);
        assert_eq!(given.bootstrap().refused.is_empty(), takes, "{prefix}");
        let script = filled(&Exposed::loader().prefix(prefix).bootstrap().shell());
        let mut env_run = secret_values(&script);
        env_run.extend([
            ("HX_ENV".into(), env.into()),
            ("HX_ZONE".into(), zone.into()),
        ]);
        let ran = sandbox.run(&script, &env_run);
        assert_eq!(
            ran.success, takes,
            "{prefix} {env:.9} {zone:.9}: {}",
            ran.stderr
        );
        if !takes {
            assert_eq!(sandbox.calls(), Vec::<Vec<String>>::new());
            assert!(ran.stderr.contains(prefix), "{}", ran.stderr);
        }
    }
    // Each value a load would take on its own: only the whole name says.
    assert!(
        Exposed::loader()
            .prefix("/{HX_ENV}/x")
            .var("HX_ENV", &longer)
            .bootstrap()
            .refused
            .is_empty()
    );
}

/// Terraform's `validation` blocks and CloudFormation's `AllowedPattern`
/// and `MaxLength` take a value exactly when a load takes every name they
/// create with it.
#[test]
fn terraform_and_cloudformation_refuse_what_a_load_refuses() {
    let Some(mut parsers) = Parsers::start() else {
        return;
    };
    let values = values_around_the_rules();
    for position in POSITIONS {
        let bootstrap = Exposed::loader().prefix(position).bootstrap();
        let names = all_names(&bootstrap);
        let terraform = bootstrap.terraform();
        let parsed = parsers.terraform(&terraform).unwrap();
        let variable = &parsed["variable"][0]["\"HX_ENV\""];
        let mut takes = vec![true; values.len()];
        for validation in variable["validation"].as_array().unwrap() {
            let condition = validation["condition"].as_str().unwrap();
            let condition = condition
                .strip_prefix("${")
                .unwrap()
                .strip_suffix('}')
                .unwrap();
            let held: Vec<bool> = if let Some(rest) = condition.strip_prefix("can(regex(\"") {
                let pattern = rest.strip_suffix("\", var.HX_ENV))").unwrap();
                parsers.matches(pattern, &values)
            } else if let Some(limit) = condition.strip_prefix("length(var.HX_ENV) <= ") {
                let limit: usize = limit.parse().unwrap();
                values.iter().map(|v| v.len() <= limit).collect()
            } else {
                panic!("a condition this test cannot read: {condition}");
            };
            takes.iter_mut().zip(held).for_each(|(t, h)| *t &= h);
        }
        for (value, takes) in values.iter().zip(takes) {
            assert_eq!(
                takes,
                a_load_takes(&names, value),
                "{position} {value:?}\n{terraform}"
            );
        }

        let template = bootstrap.cloudformation();
        let parsed = parsers.cloudformation(&template).unwrap();
        let parameter = &parsed["Parameters"]["HXENV"];
        let pattern = parameter["AllowedPattern"].as_str().unwrap();
        let longest = parameter["MaxLength"].as_u64().unwrap() as usize;
        let plain: Vec<(&str, bool)> = bootstrap
            .parameters
            .iter()
            .filter(|p| p.kind.to_string() != "SecureString")
            .map(|p| (p.name.as_str(), false))
            .collect();
        let matched = parsers.matches(pattern, &values);
        for (value, matched) in values.iter().zip(matched) {
            let takes = matched && value.len() <= longest;
            assert_eq!(
                takes,
                a_load_takes(&plain, value),
                "{position} {value:?}\n{template}"
            );
        }
    }
}

/// Names Terraform reserves for a module's arguments, which no `variable`
/// block may declare (`terraform validate`: "Invalid variable name").
const TERRAFORM_RESERVED: [&str; 10] = [
    "count",
    "version",
    "providers",
    "provider",
    "locals",
    "for_each",
    "depends_on",
    "source",
    "lifecycle",
    "_",
];

/// A `{VAR}` named as Terraform reserves becomes a variable of another
/// name, distinct from every other, and its description says which
/// `{VAR}` it fills; each name interpolates it.
#[test]
fn terraform_never_declares_a_reserved_variable() {
    let Some(mut parsers) = Parsers::start() else {
        return;
    };
    let reserved = TERRAFORM_RESERVED.iter().filter(|r| **r != "_");
    let prefixes = reserved
        .map(|r| format!("/{{{r}}}/app"))
        .chain(["/{count}/{var_count}".to_owned()]);
    for prefix in prefixes {
        let bootstrap = Exposed::loader().prefix(prefix.clone()).bootstrap();
        if !bootstrap.refused.is_empty() {
            continue; // set in this process's environment
        }
        let terraform = bootstrap.terraform();
        let parsed = parsers.terraform(&terraform).unwrap();
        let declared: Vec<String> = parsed["variable"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|v| v.as_object().unwrap().keys())
            .map(|k| k.trim_matches('"').to_owned())
            .collect();
        assert!(!declared.is_empty(), "{terraform}");
        for name in &declared {
            assert!(
                !TERRAFORM_RESERVED.contains(&name.as_str()),
                "{name}\n{terraform}"
            );
        }
        super::bootstrap_parsed::check_terraform(&bootstrap, &mut parsers)
            .unwrap_or_else(|e| panic!("{prefix}: {e}"));
        if installed("terraform") {
            terraform_validates_the_variables(&terraform);
        }
    }
}

/// Where Terraform is installed, it takes the `variable` blocks (the
/// resources need the AWS provider, which `terraform init` would download).
fn terraform_validates_the_variables(terraform: &str) {
    let variables = terraform.split("\nresource ").next().unwrap();
    let file = TempFile::new("main.tf", variables);
    let dir = file.path.parent().unwrap();
    for args in [
        &["init", "-backend=false", "-no-color"][..],
        &["validate", "-no-color"],
    ] {
        let ran = run_bounded(Command::new("terraform").args(args).current_dir(dir), dir);
        assert!(
            ran.success,
            "terraform {args:?}: {}{}\n{variables}",
            ran.stdout, ran.stderr
        );
    }
}
