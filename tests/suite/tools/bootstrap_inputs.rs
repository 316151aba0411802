//! Bootstrap outputs built from run-time input: a prefix given to
//! `Loader::prefix` and `{VAR}` values. A name a load would refuse is
//! refused here too, naming what breaks the rules; whatever the input, the
//! script runs nothing but `aws`, and the Terraform and CloudFormation
//! hold nothing but the parameters and secrets.

use ssm_config::error::Problem;
use ssm_config::{MemorySource, Secret, SsmConfig};

use super::bootstrap_sandbox::{Parsers, Sandbox, secret_values};

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
    let script = filled(&Exposed::bootstrap().shell());
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
