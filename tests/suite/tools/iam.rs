//! The IAM policy and the plan table of a struct with plain, secure,
//! secret-reference and by-path fields, checked statement by statement.

// The structs exist for their plans; their fields are never read.
#![allow(dead_code)]

use ssm_config::live::RefreshPolicy;
use std::collections::{BTreeMap, HashMap};

use ssm_config::iam::PolicyScope;
use ssm_config::plan::PlannedKind;
use ssm_config::{Secret, SsmConfig};

mod refused;

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{IAM_TEST_ENV}/orders")]
struct Orders {
    db_host: String,
    #[ssm(path = "db/password")]
    db_password: Secret<String>,
    #[ssm(path = "/shared/allowed-ips")]
    allowed_ips: Vec<String>,
    #[ssm(path = "tls/cert:3")]
    tls_cert: String,
    #[ssm(path = "tls/cert:blue")]
    tls_cert_blue: String,
    #[ssm(secret = "prod/stripe", key = "api_key")]
    stripe_key: Secret<String>,
    #[ssm(secret = "prod/stripe", key = "webhook")]
    stripe_webhook: Secret<String>,
    #[ssm(by_path = "workers", recursive = false)]
    workers: HashMap<String, u8>,
    #[ssm(by_path = "/shared/flags")]
    flags: BTreeMap<String, bool>,
    #[ssm(nested = "cache")]
    cache: Cache,
}

#[derive(SsmConfig, Debug)]
struct Cache {
    ttl_secs: u32,
}

fn scope() -> PolicyScope {
    PolicyScope::new("eu-west-1", "123456789012")
}

const SSM: &str = "arn:aws:ssm:eu-west-1:123456789012:parameter";

#[test]
fn policy_grants_exactly_what_the_struct_reads() {
    let policy = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope());
    let sids: Vec<&str> = policy.statements.iter().map(|s| s.sid.as_str()).collect();
    assert_eq!(
        sids,
        [
            "ReadParameters",
            "ReadDirectChildrenOfPaths",
            "ReadPathsRecursively",
            "ReadWalkedParametersByName",
            "ReadReferencedSecrets",
            "DecryptParameters",
            "DecryptReferencedSecrets"
        ]
    );

    let names = policy.statement("ReadParameters").unwrap();
    assert_eq!(names.actions, ["ssm:GetParameters"]);
    assert_eq!(
        names.resources,
        [
            // One ARN per name: selectors are not part of an ARN.
            format!("{SSM}/aws/reference/secretsmanager/prod/stripe"),
            format!("{SSM}/prod/orders/cache/ttl_secs"),
            format!("{SSM}/prod/orders/db/password"),
            format!("{SSM}/prod/orders/db_host"),
            format!("{SSM}/prod/orders/tls/cert"),
            format!("{SSM}/shared/allowed-ips"),
        ]
    );

    let children = policy.statement("ReadDirectChildrenOfPaths").unwrap();
    assert_eq!(children.actions, ["ssm:GetParametersByPath"]);
    assert_eq!(children.resources, [format!("{SSM}/prod/orders/workers")]);
    let recursive = policy.statement("ReadPathsRecursively").unwrap();
    assert_eq!(recursive.actions, ["ssm:GetParametersByPath"]);
    assert_eq!(recursive.resources, [format!("{SSM}/shared/flags")]);

    let secrets = policy.statement("ReadReferencedSecrets").unwrap();
    assert_eq!(secrets.actions, ["secretsmanager:GetSecretValue"]);
    assert_eq!(
        secrets.resources,
        ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/stripe-??????"]
    );

    for (sid, service) in [
        ("DecryptParameters", "ssm"),
        ("DecryptReferencedSecrets", "secretsmanager"),
    ] {
        let decrypt = policy.statement(sid).unwrap();
        assert_eq!(decrypt.actions, ["kms:Decrypt"]);
        assert_eq!(decrypt.resources, ["*"]);
        assert_eq!(
            decrypt.condition("kms:ViaService").unwrap().values,
            [format!("{service}.eu-west-1.amazonaws.com")]
        );
    }
}

#[test]
fn policy_is_an_iam_json_document() {
    let document = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope())
        .to_json();
    assert_eq!(document["Version"], "2012-10-17");
    let decrypt = statement(&document, "DecryptParameters");
    assert_eq!(decrypt["Effect"], "Allow");
    assert_eq!(
        decrypt["Condition"]["StringEquals"]["kms:ViaService"][0],
        "ssm.eu-west-1.amazonaws.com"
    );
    assert!(document["Statement"][0].get("Condition").is_none());
    let printed = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope())
        .to_string();
    let reparsed: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(reparsed, document);
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/plain")]
struct Plain {
    host: String,
    #[ssm(
        by_path = "keys",
        type = "SecureString",
        key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
    )]
    keys: HashMap<String, Secret<String>>,
}

#[test]
fn decryption_is_granted_only_where_secure_values_are_read() {
    #[derive(SsmConfig, Debug)]
    #[ssm(prefix = "/plain")]
    struct NothingSecret {
        host: String,
        ports: Vec<u16>,
    }
    let policy = NothingSecret::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope());
    assert_eq!(policy.statements.len(), 1, "{policy}");
    assert_eq!(policy.statements[0].sid, "ReadParameters");
}

#[test]
fn known_keys_replace_the_via_service_condition() {
    let scope = PolicyScope::new("us-gov-west-1", "123456789012").partition("aws-us-gov");
    let policy = Plain::loader().iam_policy(&scope);
    let decrypt = policy.statement("DecryptParameters").unwrap();
    assert_eq!(
        decrypt.resources,
        ["arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    );
    assert!(decrypt.condition("kms:ViaService").is_none(), "{decrypt:?}");

    let given = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&self::scope().kms_key("arn:aws:kms:eu-west-1:123456789012:key/k1"));
    for sid in ["DecryptParameters", "DecryptReferencedSecrets"] {
        let decrypt = given.statement(sid).unwrap();
        assert_eq!(
            decrypt.resources,
            ["arn:aws:kms:eu-west-1:123456789012:key/k1"]
        );
        assert!(decrypt.condition("kms:ViaService").is_none(), "{decrypt:?}");
    }
}

#[test]
fn unset_variables_widen_to_a_wildcard() {
    let policy = Orders::loader().iam_policy(&PolicyScope::new("eu-west-1", "123456789012"));
    let names = &policy.statement("ReadParameters").unwrap().resources;
    assert!(
        names.contains(&format!("{SSM}/*/orders/db_host")),
        "{names:?}"
    );
}

#[test]
fn the_plan_prints_as_a_table() {
    let table = Plain::loader().plan().to_string();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines,
        [
            "FIELD  PARAMETER    SELECTOR  KIND                REQUIRED",
            "host   /plain/host            parameter           yes",
            "keys   /plain/keys            by path, recursive  no",
        ]
    );
}

#[derive(SsmConfig)]
#[ssm(prefix = "/kinds")]
#[allow(dead_code)] // planned, never loaded
struct Kinds {
    host: String,
    password: Secret<String>,
    #[ssm(secret = "prod/db", key = "token")]
    token: Secret<String>,
}

/// The KIND column shows which parameters are SecureStrings: the fields
/// that keep their value secret, which bootstrap creates as such.
#[test]
fn the_plan_shows_which_parameters_are_secure_strings() {
    let plan = Kinds::loader().plan();
    let table = plan.to_string();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines,
        [
            "FIELD     PARAMETER                              SELECTOR  KIND                 REQUIRED",
            "host      /kinds/host                                      parameter            yes",
            "password  /kinds/password                                  SecureString         yes",
            "token     /aws/reference/secretsmanager/prod/db            secret, key `token`  yes",
        ]
    );
    assert_eq!(
        plan[1].kind,
        PlannedKind::Parameter {
            decrypt: true,
            secure_string: true
        }
    );
    assert_eq!(
        plan[1].to_string(),
        "password: /kinds/password (SecureString, required)"
    );
}

#[test]
fn the_watched_parameter_is_granted_so_a_load_in_watch_mode_is_allowed() {
    let loader = Orders::loader()
        .var("IAM_TEST_ENV", "staging")
        .refresh(RefreshPolicy::new().watch("/{IAM_TEST_ENV}/orders/version"));
    let policy = loader.iam_policy(&PolicyScope::new("eu-west-1", "123456789012"));
    let read = &policy.statement("ReadParameters").unwrap().resources;
    assert!(
        read.contains(&format!("{SSM}/staging/orders/version")),
        "{read:?}"
    );
    assert!(
        read.contains(&format!("{SSM}/staging/orders/db_host")),
        "{read:?}"
    );
}

/// The statement with this `Sid` in a policy document.
fn statement<'a>(document: &'a serde_json::Value, sid: &str) -> &'a serde_json::Value {
    let statements = document["Statement"]
        .as_array()
        .expect("a list of statements");
    statements
        .iter()
        .find(|s| s["Sid"] == sid)
        .unwrap_or_else(|| panic!("no statement `{sid}` in {document:#}"))
}

#[test]
fn a_non_recursive_walk_is_granted_only_without_recursion() {
    let document = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope())
        .to_json();
    assert_eq!(
        *statement(&document, "ReadDirectChildrenOfPaths"),
        serde_json::json!({
            "Sid": "ReadDirectChildrenOfPaths",
            "Effect": "Allow",
            "Action": ["ssm:GetParametersByPath"],
            "Resource": [format!("{SSM}/prod/orders/workers")],
            "Condition": { "StringEquals": { "ssm:Recursive": ["false"] } }
        })
    );
    assert_eq!(
        *statement(&document, "ReadPathsRecursively"),
        serde_json::json!({
            "Sid": "ReadPathsRecursively",
            "Effect": "Allow",
            "Action": ["ssm:GetParametersByPath"],
            "Resource": [format!("{SSM}/shared/flags")]
        })
    );
}

/// A change event under a walk is read by its name alone (a targeted
/// refresh's one `GetParameters` call), so the policy lets a walk's
/// parameters be read by name too; without it every such event would be
/// denied and fall back to a full load.
#[test]
fn a_walks_parameters_can_be_read_by_name_for_change_events() {
    let document = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope())
        .to_json();
    assert_eq!(
        *statement(&document, "ReadWalkedParametersByName"),
        serde_json::json!({
            "Sid": "ReadWalkedParametersByName",
            "Effect": "Allow",
            "Action": ["ssm:GetParameters"],
            "Resource": [
                format!("{SSM}/prod/orders/workers/*"),
                format!("{SSM}/shared/flags/*")
            ]
        })
    );
}

#[test]
fn each_unset_variable_is_named_in_the_notes_with_what_it_widens() {
    let policy = Orders::loader().iam_policy(&PolicyScope::new("eu-west-1", "123456789012"));
    let [note] = &policy.notes[..] else {
        panic!("one note, for IAM_TEST_ENV: {:?}", policy.notes);
    };
    assert!(note.contains("`IAM_TEST_ENV`"), "{note}");
    for widened in [
        format!("{SSM}/*/orders/db_host"),
        format!("{SSM}/*/orders/db/password"),
        format!("{SSM}/*/orders/cache/ttl_secs"),
        format!("{SSM}/*/orders/workers"),
    ] {
        assert!(note.contains(&format!("`{widened}`")), "{note}");
    }
    assert!(!note.contains("/shared/"), "{note}");

    let exact = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope());
    assert!(exact.notes.is_empty(), "{:?}", exact.notes);
}

#[test]
fn decryption_is_bound_to_the_encryption_context_of_each_read() {
    let document = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope())
        .to_json();
    assert_eq!(
        *statement(&document, "DecryptParameters"),
        serde_json::json!({
            "Sid": "DecryptParameters",
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": ["*"],
            "Condition": {
                "StringEquals": { "kms:ViaService": ["ssm.eu-west-1.amazonaws.com"] },
                "StringLike": {
                    "kms:EncryptionContext:PARAMETER_ARN": [format!("{SSM}/prod/orders/db/password")]
                }
            }
        })
    );
    assert_eq!(
        *statement(&document, "DecryptReferencedSecrets"),
        serde_json::json!({
            "Sid": "DecryptReferencedSecrets",
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": ["*"],
            "Condition": {
                "StringEquals": { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com"] },
                "StringLike": {
                    "kms:EncryptionContext:SecretARN": [
                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/stripe-??????"
                    ]
                }
            }
        })
    );

    // A walk's values are its children: any name under the path.
    let document = Plain::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope())
        .to_json();
    assert_eq!(
        statement(&document, "DecryptParameters")["Condition"],
        serde_json::json!({
            "StringLike": {
                "kms:EncryptionContext:PARAMETER_ARN": [
                    "arn:aws:ssm:eu-west-1:123456789012:parameter/plain/keys/*"
                ]
            }
        })
    );
}

#[test]
fn the_via_service_host_and_the_arns_follow_the_partition() {
    for (region, partition, host) in [
        ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
        ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
        ("us-iso-east-1", "aws-iso", "c2s.ic.gov"),
        ("us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"),
        ("eu-west-1", "aws", "amazonaws.com"),
    ] {
        let policy = Orders::loader()
            .var("IAM_TEST_ENV", "prod")
            .iam_policy(&PolicyScope::new(region, "123456789012"));
        let document = policy.to_json();
        assert_eq!(
            statement(&document, "ReadPathsRecursively")["Resource"],
            serde_json::json!([format!(
                "arn:{partition}:ssm:{region}:123456789012:parameter/shared/flags"
            )]),
            "{region}"
        );
        assert_eq!(
            statement(&document, "DecryptParameters")["Condition"]["StringEquals"]["kms:ViaService"],
            serde_json::json!([format!("ssm.{region}.{host}")]),
            "{region}"
        );
        assert_eq!(
            statement(&document, "DecryptReferencedSecrets")["Condition"]["StringEquals"]["kms:ViaService"],
            serde_json::json!([format!("secretsmanager.{region}.{host}")]),
            "{region}"
        );
    }
    // A partition given explicitly wins over the region's.
    let policy = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&PolicyScope::new("cn-north-1", "123456789012").partition("aws"));
    let document = policy.to_json();
    assert_eq!(
        statement(&document, "DecryptParameters")["Condition"]["StringEquals"]["kms:ViaService"],
        serde_json::json!(["ssm.cn-north-1.amazonaws.com"])
    );
}

#[test]
fn a_caller_can_refuse_a_policy_an_unset_variable_widened() {
    let widened = Orders::loader().iam_policy(&PolicyScope::new("eu-west-1", "123456789012"));
    let names: Vec<&str> = widened
        .widened
        .iter()
        .filter(|w| w.variable() == Some("IAM_TEST_ENV"))
        .map(|w| w.resource.as_str())
        .collect();
    assert!(
        names.contains(&format!("{SSM}/*/orders/db_host").as_str()),
        "{names:?}"
    );
    assert_eq!(names.len(), widened.widened.len(), "{:?}", widened.widened);

    let refused = widened.clone().exact().unwrap_err();
    assert_eq!(refused.variables(), ["IAM_TEST_ENV"]);
    let message = refused.to_string();
    assert!(message.contains("`IAM_TEST_ENV`"), "{message}");
    assert!(message.contains(&format!("{SSM}/*/orders/")), "{message}");

    let exact = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope());
    assert!(exact.widened.is_empty(), "{:?}", exact.widened);
    assert_eq!(exact.clone().exact().unwrap(), exact);
}

const KEYS: &str = "arn:aws:kms:eu-west-1:123456789012:key";

#[test]
fn an_alias_scopes_decryption_to_the_keys_that_carry_it() {
    let policy = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope().kms_key("alias/orders"));
    // Nothing grants any key through the service: the alias names the key.
    assert!(policy.statement("DecryptParameters").is_none(), "{policy}");
    assert!(
        policy.statement("DecryptReferencedSecrets").is_none(),
        "{policy}"
    );
    let document = policy.to_json();
    for (sid, context, value) in [
        (
            "DecryptParametersByKeyAlias",
            "kms:EncryptionContext:PARAMETER_ARN",
            format!("{SSM}/prod/orders/db/password"),
        ),
        (
            "DecryptReferencedSecretsByKeyAlias",
            "kms:EncryptionContext:SecretARN",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/stripe-??????".to_owned(),
        ),
    ] {
        assert_eq!(
            *statement(&document, sid),
            serde_json::json!({
                "Sid": sid,
                "Effect": "Allow",
                "Action": ["kms:Decrypt"],
                "Resource": [format!("{KEYS}/*")],
                "Condition": {
                    "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/orders"] },
                    "StringLike": { context: [value] }
                }
            })
        );
    }
    let note = policy
        .notes
        .iter()
        .find(|n| n.contains("`alias/orders`"))
        .unwrap_or_else(|| panic!("a note on the alias: {:?}", policy.notes));
    assert!(note.contains("kms:ResourceAliases"), "{note}");
    assert!(policy.exact().is_ok());
}

#[test]
fn an_alias_beside_a_key_id_is_granted_too() {
    let policy = Orders::loader().var("IAM_TEST_ENV", "prod").iam_policy(
        &scope()
            .kms_key("1234abcd-12ab-34cd-56ef-1234567890ab")
            .kms_key("arn:aws:kms:eu-west-1:111122223333:alias/shared"),
    );
    let by_id = policy.statement("DecryptParameters").unwrap();
    assert_eq!(
        by_id.resources,
        [format!("{KEYS}/1234abcd-12ab-34cd-56ef-1234567890ab")]
    );
    assert!(by_id.condition("kms:ViaService").is_none(), "{by_id:?}");
    let by_alias = policy.statement("DecryptParametersByKeyAlias").unwrap();
    // An alias ARN names the account and region of its key.
    assert_eq!(
        by_alias.resources,
        ["arn:aws:kms:eu-west-1:111122223333:key/*"]
    );
    assert_eq!(
        by_alias.condition("kms:ResourceAliases").unwrap().values,
        ["alias/shared"]
    );
    assert!(policy.notes.iter().any(|n| n.contains("`alias/shared`")));
}

#[test]
fn a_key_id_filter_that_names_an_alias_scopes_decryption_by_it() {
    #[derive(SsmConfig, Debug)]
    #[ssm(prefix = "/plain")]
    struct AliasFiltered {
        #[ssm(by_path = "keys", type = "SecureString", key_id = "alias/app")]
        keys: HashMap<String, Secret<String>>,
    }
    let policy = AliasFiltered::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope());
    assert!(policy.statement("DecryptParameters").is_none(), "{policy}");
    let by_alias = policy.statement("DecryptParametersByKeyAlias").unwrap();
    assert_eq!(by_alias.resources, [format!("{KEYS}/*")]);
    assert_eq!(
        by_alias.condition("kms:ResourceAliases").unwrap().values,
        ["alias/app"]
    );
}

#[test]
fn a_key_that_is_no_key_is_never_written() {
    let policy = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .iam_policy(&scope().kms_key("*").kms_key("alias/${aws:username}"));
    for sid in ["DecryptParameters", "DecryptReferencedSecrets"] {
        let decrypt = policy.statement(sid).unwrap();
        assert_eq!(decrypt.resources, ["*"]);
        assert!(decrypt.condition("kms:ViaService").is_some(), "{decrypt:?}");
    }
    assert!(!policy.to_string().contains('$'), "{policy}");
    let refused: Vec<&String> = policy
        .notes
        .iter()
        .filter(|n| n.contains("is not written"))
        .collect();
    assert_eq!(refused.len(), 2, "{:?}", policy.notes);
}
