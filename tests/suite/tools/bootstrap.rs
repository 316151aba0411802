//! Bootstrap outputs, used as a team would use them: the shell script runs
//! against moto with the AWS CLI, after which a load succeeds; the
//! Terraform parses with an HCL parser and the CloudFormation with a YAML
//! parser, both from the test virtualenv.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use ssm_config::error::Problem;
use ssm_config::source::ParameterType;
use ssm_config::{Secret, SsmConfig};

use crate::support::backend::{Backend, moto};
use crate::support::emulator::{self, Emulator};
use crate::support::scratch::TempFile;

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{BOOT_ENV}/orders")]
struct Orders {
    db_host: String,
    #[ssm(path = "db/port", default = 5432)]
    db_port: u16,
    #[ssm(path = "db/password")]
    db_password: Secret<String>,
    #[ssm(path = "/shared/boot-ips")]
    allowed_ips: Vec<std::net::IpAddr>,
    #[ssm(secret = "boot/stripe", key = "api_key")]
    stripe_key: Secret<String>,
    #[ssm(secret = "boot/stripe", key = "webhook")]
    stripe_webhook: Secret<String>,
    #[ssm(path = "tls/cert:1")]
    tls_cert: String,
    #[ssm(path = "tls/cert", label = "blue")]
    tls_blue: String,
    #[ssm(default = "it's \"quoted\" ${not} %{a} template")]
    motto: String,
    #[ssm(path = "pinned:3")]
    #[allow(dead_code)] // skipped by bootstrap, never loaded
    pinned_late: Option<String>,
    timeout_ms: Option<u64>,
    #[ssm(by_path = "workers")]
    workers: BTreeMap<String, u8>,
    #[ssm(nested = "cache")]
    cache: Cache,
}

#[derive(SsmConfig, Debug)]
struct Cache {
    ttl_secs: u32,
}

/// What a team fills in for each placeholder left in the script: plain
/// values only.
const FILLED: [(&str, &str); 4] = [
    ("CHANGE_ME(db_host)", "db.internal"),
    ("CHANGE_ME(allowed_ips)", "10.0.0.1,10.0.0.2"),
    ("CHANGE_ME(tls_cert)", "cert-v1"),
    ("CHANGE_ME(cache.ttl_secs)", "60"),
];

/// The secret values, given as a team gives them: through the environment
/// (from a vault, a CI secret store), never written into the script.
const SECRETS: [(&str, &str); 2] = [
    ("SSM_BOOTSTRAP_DB_PASSWORD", "s3cret-from-vault"),
    (
        "SSM_BOOTSTRAP_BOOT_STRIPE",
        r#"{"api_key":"sk_live_x","webhook":"whsec_x"}"#,
    ),
];

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{command:?}\n{stdout}\n{stderr}");
    stdout
}

fn script_command(script: &Path, emulator: &Emulator) -> Command {
    let path = format!(
        "{}:{}",
        emulator::venv_bin().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("sh");
    command
        .arg(script)
        .env("PATH", path)
        .env("AWS_ENDPOINT_URL", &emulator.endpoint)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("BOOT_ENV", "prod")
        .envs(SECRETS)
        // No terminal: a secret not given fails instead of prompting.
        .stdin(std::process::Stdio::null());
    command
}

/// The script with every plain placeholder replaced, as a team edits it.
fn filled_script() -> String {
    let mut script = Orders::loader().bootstrap().shell();
    for (placeholder, value) in FILLED {
        assert!(script.contains(placeholder), "{placeholder}: {script}");
        script = script.replace(placeholder, value);
    }
    script
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_script_creates_what_a_load_then_reads() {
    let Some(emulator) = moto().await else { return };
    let script = filled_script();
    // The variable stays a variable of the script (read once into its own
    // copy), outside the quotes.
    assert!(script.contains("var_boot_env=$BOOT_ENV\n"), "{script}");
    assert!(
        script.contains(r#"create_parameter '/'"${var_boot_env}"'/orders/db_host'"#),
        "{script}"
    );
    for (_, secret) in SECRETS {
        assert!(!script.contains(secret), "{script}");
    }
    let file = TempFile::new("create.sh", &script);
    let path = &file.path;

    let first = run(&mut script_command(path, &emulator));
    assert!(first.contains("created  /prod/orders/db_host"), "{first}");
    assert!(first.contains("created  secret boot/stripe"), "{first}");
    let config = Orders::loader()
        .source(emulator.source())
        .var("BOOT_ENV", "prod")
        .load()
        .await
        .unwrap();
    let c = config.get();
    assert_eq!(c.db_host, "db.internal");
    assert_eq!(c.db_port, 5432, "the default of code, not a copy in SSM");
    assert_eq!(c.db_password.expose_secret(), "s3cret-from-vault");
    assert_eq!(c.allowed_ips.len(), 2);
    assert_eq!(c.stripe_key.expose_secret(), "sk_live_x");
    assert_eq!(c.stripe_webhook.expose_secret(), "whsec_x");
    assert_eq!(
        (c.tls_cert.as_str(), c.tls_blue.as_str()),
        ("cert-v1", "cert-v1")
    );
    assert_eq!(c.motto, "it's \"quoted\" ${not} %{a} template");
    assert_eq!(c.cache.ttl_secs, 60);
    assert_eq!(c.timeout_ms, None);
    assert!(c.workers.is_empty());
    let snapshot = config.get();
    let read = snapshot.metadata();
    assert_eq!(
        read.parameter("/prod/orders/db/password").unwrap().kind,
        ParameterType::SecureString
    );
    assert_eq!(
        read.parameter("/shared/boot-ips").unwrap().kind,
        ParameterType::StringList
    );
    for defaulted in ["/prod/orders/db/port", "/prod/orders/motto"] {
        assert!(
            read.parameter(defaulted).is_none(),
            "{defaulted} is not created: its default stays the code's"
        );
    }

    // A second run keeps what exists: nothing is overwritten.
    let second = run(&mut script_command(path, &emulator));
    assert!(second.contains("kept     /prod/orders/db_host"), "{second}");
    assert!(!second.contains("created"), "{second}");
}

/// A script run as generated, its placeholders still in it, creates
/// nothing: a parameter holding `CHANGE_ME(...)` would pass for a value.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_script_refuses_to_run_while_a_placeholder_is_left() {
    let Some(emulator) = moto().await else { return };
    let one_left = filled_script().replace("'db.internal'", "'CHANGE_ME(db_host)'");
    let unedited = Orders::loader().bootstrap().shell();
    for script in [unedited, one_left] {
        let file = TempFile::new("create.sh", &script);
        let output = script_command(&file.path, &emulator).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{stderr}");
        assert!(
            stderr.contains("CHANGE_ME") && stderr.contains("nothing was created"),
            "{stderr}"
        );
        assert!(
            emulator
                .ssm
                .get_parameter()
                .name("/prod/orders/db_host")
                .send()
                .await
                .is_err(),
            "nothing was created"
        );
    }
}

/// Secret values reach the AWS CLI on its standard input, never as
/// arguments (which `ps` and shell history show), whether they come from
/// the environment or from a file; a secret not given stops the script
/// before it creates anything.
#[test]
fn secret_values_never_reach_a_command_line() {
    let dir = TempFile::new("keep", "");
    let bin = dir.path.parent().unwrap();
    let log = bin.join("calls.log");
    // A stand-in `aws` that records its arguments and its input, and
    // answers "not found" to every lookup so each value is created.
    let shim = format!(
        "#!/bin/sh\n\
         printf 'ARGS %s\\n' \"$*\" >> '{log}'\n\
         case \"$2\" in get-parameter|describe-secret) exit 1 ;; esac\n\
         printf 'INPUT ' >> '{log}'; cat >> '{log}'; printf '\\n' >> '{log}'\n",
        log = log.display()
    );
    let aws = bin.join("aws");
    std::fs::write(&aws, shim).unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&aws)
        .status()
        .unwrap();
    let password_file = bin.join("password");
    std::fs::write(&password_file, "from-a-file-9f2\n").unwrap();
    let script = dir.sibling("create.sh", &filled_script());
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let output = Command::new("sh")
        .arg(&script)
        .env("PATH", &path)
        .env("BOOT_ENV", "prod")
        .env("SSM_BOOTSTRAP_DB_PASSWORD_FILE", &password_file)
        .env(
            "SSM_BOOTSTRAP_BOOT_STRIPE",
            r#"{"api_key":"env-8c1","webhook":"w"}"#,
        )
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let calls = std::fs::read_to_string(&log).unwrap();
    let arguments: String = calls.lines().filter(|l| l.starts_with("ARGS")).collect();
    let inputs: String = calls.lines().filter(|l| l.starts_with("INPUT")).collect();
    for secret in ["from-a-file-9f2", "env-8c1"] {
        assert!(inputs.contains(secret), "{calls}");
        assert!(!arguments.contains(secret), "{calls}");
    }
    assert!(
        !inputs.contains("from-a-file-9f2\n"),
        "the file's newline is not the value's"
    );

    // Not given at all: the script says which, and creates nothing.
    std::fs::remove_file(&log).unwrap();
    let output = Command::new("sh")
        .arg(&script)
        .env("PATH", &path)
        .env("BOOT_ENV", "prod")
        .env_remove("SSM_BOOTSTRAP_DB_PASSWORD")
        .env_remove("SSM_BOOTSTRAP_DB_PASSWORD_FILE")
        .env("SSM_BOOTSTRAP_BOOT_STRIPE", "x")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("SSM_BOOTSTRAP_DB_PASSWORD"), "{stderr}");
    let created = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(!created.contains("put-parameter"), "{created}");
}

/// A field with a default in code is not created: written into SSM, the
/// default would stop following the code. Before the script and after it,
/// the struct loads the same way.
#[test]
fn defaulted_fields_are_not_created_and_the_output_says_why() {
    let bootstrap = Orders::loader().var("BOOT_ENV", "prod").bootstrap();
    let names: Vec<&str> = bootstrap
        .parameters
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    for defaulted in ["/prod/orders/db/port", "/prod/orders/motto"] {
        assert!(!names.contains(&defaulted), "{names:?}");
    }
    for field in ["db_port", "motto"] {
        assert!(
            bootstrap
                .skipped
                .iter()
                .any(|line| line.starts_with(&format!("{field}: ")) && line.contains("default")),
            "{:?}",
            bootstrap.skipped
        );
    }
    for output in [
        bootstrap.shell(),
        bootstrap.terraform(),
        bootstrap.cloudformation(),
    ] {
        assert!(output.contains("has a default in code"), "{output}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terraform_parses_as_hcl_with_one_resource_per_parameter() {
    let Some(_emulator) = moto().await else {
        return;
    };
    let terraform = Orders::loader().bootstrap().terraform();
    let file = TempFile::new("main.tf", &terraform);
    let path = &file.path;
    let json = run(Command::new(emulator::venv_bin().join("python"))
        .args([
            "-c",
            "import hcl2, json, sys; print(json.dumps(hcl2.load(open(sys.argv[1]))))",
        ])
        .arg(path));
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let resources = parsed["resource"].as_array().unwrap();
    // python-hcl2 keeps labels and strings quoted as written.
    let of_type = |kind: &str| -> Vec<&serde_json::Value> {
        let key = format!("\"{kind}\"");
        resources.iter().filter_map(|r| r.get(&key)).collect()
    };
    let parameters = of_type("aws_ssm_parameter");
    // db_host, db_password, allowed_ips, tls/cert, cache.ttl_secs
    assert_eq!(parameters.len(), 5, "{terraform}");
    assert_eq!(of_type("aws_secretsmanager_secret").len(), 1, "{terraform}");
    assert_eq!(of_type("aws_secretsmanager_secret_version").len(), 1);
    assert!(
        parsed["variable"].to_string().contains("BOOT_ENV"),
        "{terraform}"
    );
    assert!(
        terraform.contains("ignore_changes = [value]"),
        "{terraform}"
    );
    assert!(!terraform.contains("s3cret"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudformation_parses_as_yaml_without_secure_strings() {
    let Some(_emulator) = moto().await else {
        return;
    };
    let template = Orders::loader()
        .var("BOOT_ENV", "prod")
        .bootstrap()
        .cloudformation();
    let file = TempFile::new("template.yaml", &template);
    let path = &file.path;
    let script = "import json, sys, yaml\n\
        class Loader(yaml.SafeLoader): pass\n\
        Loader.add_multi_constructor('!', lambda l, tag, node: {tag: l.construct_scalar(node)})\n\
        print(json.dumps(yaml.load(open(sys.argv[1]), Loader=Loader)))";
    let json = run(Command::new(emulator::venv_bin().join("python"))
        .args(["-c", script])
        .arg(path));
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let resources = parsed["Resources"].as_object().unwrap();
    // db_host, allowed_ips, tls/cert, cache.ttl_secs
    assert_eq!(resources.len(), 4, "{template}");
    for resource in resources.values() {
        assert_eq!(resource["Type"], "AWS::SSM::Parameter");
        assert_ne!(resource["Properties"]["Type"], "SecureString");
    }
    assert_eq!(
        resources["DbHost"]["Properties"]["Name"],
        "/prod/orders/db_host"
    );
    assert!(
        template.contains("cannot create SecureString parameters")
            && template.contains("#   /prod/orders/db/password (db_password)"),
        "{template}"
    );
    assert!(template.contains("#   boot/stripe"), "{template}");

    // With the variable unset, names use a template parameter.
    let unset = Orders::loader().bootstrap().cloudformation();
    let path = file.sibling("unset.yaml", &unset);
    let json = run(Command::new(emulator::venv_bin().join("python"))
        .args(["-c", script])
        .arg(path));
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["Parameters"]["BOOTENV"]["Type"], "String", "{unset}");
    assert_eq!(
        parsed["Resources"]["DbHost"]["Properties"]["Name"]["Sub"],
        "/${BOOTENV}/orders/db_host"
    );
}

/// A value a load would refuse is refused here too, named by its
/// variable and never quoted; the script stops before it does anything.
#[test]
fn a_hostile_variable_value_never_reaches_the_outputs() {
    let bootstrap = Orders::loader()
        .var("BOOT_ENV", "$(touch /tmp/pwned)`id`")
        .bootstrap();
    assert!(
        bootstrap.refused.iter().any(
            |p| matches!(p, Problem::InvalidVariable { variable, .. } if variable == "BOOT_ENV")
        ),
        "{:?}",
        bootstrap.refused
    );
    for text in [
        bootstrap.shell(),
        bootstrap.terraform(),
        bootstrap.cloudformation(),
    ] {
        assert!(!text.contains("touch") && !text.contains("`id`"), "{text}");
        assert!(
            text.contains("environment variable `BOOT_ENV` cannot fill"),
            "{text}"
        );
    }
    let script = bootstrap.shell();
    let stop = script.find("exit 1").unwrap();
    assert!(stop < script.find("read_secret()").unwrap(), "{script}");
}

#[test]
fn a_keyed_secret_placeholder_names_the_field_that_reads_the_key() {
    #[derive(SsmConfig)]
    #[ssm(prefix = "/keyed")]
    #[allow(dead_code)]
    struct Keyed {
        #[ssm(secret = "prod/db")]
        whole: Secret<String>,
        #[ssm(secret = "prod/db", key = "password")]
        password: Secret<String>,
    }
    let bootstrap = Keyed::loader().bootstrap();
    let secret = &bootstrap.secrets[0];
    assert_eq!(secret.keys, ["password"]);
    assert_eq!(secret.key_fields, ["password"]);
    assert_eq!(secret.fields, ["whole", "password"]);
    let terraform = bootstrap.terraform();
    assert!(
        terraform.contains(r#"{\"password\":\"CHANGE_ME(password)\"}"#),
        "{terraform}"
    );
    assert!(!terraform.contains("CHANGE_ME(whole)"), "{terraform}");
    let script = bootstrap.shell();
    assert!(
        script.contains("JSON with the key password (field password)"),
        "{script}"
    );
}
