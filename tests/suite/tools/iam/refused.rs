//! Values and prefixes a load refuses never reach a policy: each is `*`,
//! named in the notes, and refused by `IamPolicy::exact`; a name a load
//! refuses is not granted.

use ssm_config::iam::{IamPolicy, PolicyScope, WideningCause};
use ssm_config::live::RefreshPolicy;
use ssm_config::{Secret, SsmConfig};

use super::{Orders, Plain, SSM};

/// A struct whose every name holds `{IAM_REFUSED_ENV}`: its prefix, a
/// SecureString under it, and a secret. No test sets the variable in the
/// environment.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{IAM_REFUSED_ENV}/orders")]
struct Refusing {
    db_host: String,
    #[ssm(path = "db/password")]
    db_password: Secret<String>,
    #[ssm(secret = "{IAM_REFUSED_ENV}/stripe")]
    stripe: Secret<String>,
}

fn account() -> PolicyScope {
    PolicyScope::new("eu-west-1", "123456789012")
}

/// A value a load refuses is never written: the policy is the one the
/// unset variable gives, its `*` named in the notes with the reason and
/// refused by `exact()`; neither the document nor the notes quote it.
fn assert_refused_like_unset(policy: IamPolicy, value: &str) {
    let unset = Refusing::loader().iam_policy(&account());
    assert_eq!(policy.statements, unset.statements, "{policy}");
    let read = &policy.statement("ReadParameters").unwrap().resources;
    assert!(
        read.contains(&format!("{SSM}/*/orders/db_host")),
        "{read:?}"
    );
    let secrets = &policy.statement("ReadReferencedSecrets").unwrap().resources;
    assert_eq!(
        secrets,
        &["arn:aws:secretsmanager:eu-west-1:123456789012:secret:*/stripe-??????"]
    );
    let document = policy.to_string();
    let notes = policy.notes.join("\n");
    if value.len() > 1 {
        assert!(!document.contains(value), "{document}");
        assert!(!notes.contains(value), "{notes}");
    }
    assert!(!document.contains('$'), "{document}");
    let [note] = &policy.notes[..] else {
        panic!("one note, for IAM_REFUSED_ENV: {notes}");
    };
    assert!(note.contains("`IAM_REFUSED_ENV`"), "{note}");
    assert!(note.contains("refuse"), "{note}");
    assert!(note.contains(&format!("{SSM}/*/orders/db_host")), "{note}");
    for widening in &policy.widened {
        let WideningCause::Refused { variable, reason } = &widening.cause else {
            panic!("{widening:?}");
        };
        assert_eq!(variable, "IAM_REFUSED_ENV");
        assert!(note.contains(reason.as_str()), "{note}");
    }
    let refused = policy
        .exact()
        .expect_err("a refused value widens the policy");
    assert_eq!(refused.variables(), ["IAM_REFUSED_ENV"]);
    let message = refused.to_string();
    assert!(
        message.contains("`IAM_REFUSED_ENV` holds a value a load refuses"),
        "{message}"
    );
}

#[test]
fn a_wildcard_value_is_refused_as_a_load_refuses_it() {
    let policy = Refusing::loader()
        .var("IAM_REFUSED_ENV", "*")
        .iam_policy(&account());
    assert_refused_like_unset(policy, "*");
}

#[test]
fn a_value_with_a_single_character_wildcard_is_refused() {
    let policy = Refusing::loader()
        .var("IAM_REFUSED_ENV", "pro?")
        .iam_policy(&account());
    assert_refused_like_unset(policy, "pro?");
}

#[test]
fn a_value_holding_an_iam_policy_variable_is_refused() {
    let value = "${aws:PrincipalTag/env}";
    let policy = Refusing::loader()
        .var("IAM_REFUSED_ENV", value)
        .iam_policy(&account());
    assert_refused_like_unset(policy, value);
}

#[test]
fn a_value_that_climbs_segments_is_refused() {
    let policy = Refusing::loader()
        .var("IAM_REFUSED_ENV", "x/../y")
        .iam_policy(&account());
    assert_refused_like_unset(policy, "x/../y");
}

#[test]
fn an_empty_value_is_refused() {
    let policy = Refusing::loader()
        .var("IAM_REFUSED_ENV", "")
        .iam_policy(&account());
    assert_refused_like_unset(policy, "");
}

#[test]
fn a_loaders_refused_value_is_refused_in_its_policy_too() {
    let policy = Refusing::loader()
        .var("IAM_REFUSED_ENV", "*")
        .iam_policy(&account());
    assert_refused_like_unset(policy, "*");
}

#[test]
fn a_prefix_a_load_refuses_is_never_written() {
    let policy = Plain::loader().prefix("/a?b/*").iam_policy(&account());
    let read = &policy.statement("ReadParameters").unwrap().resources;
    assert_eq!(read, &[format!("{SSM}/*/host")]);
    let document = policy.to_string();
    assert!(!document.contains("a?b"), "{document}");
    let [note] = &policy.notes[..] else {
        panic!("one note, for the prefix: {:?}", policy.notes);
    };
    assert!(note.contains("prefix"), "{note}");
    assert!(note.contains("refuse"), "{note}");
    assert!(note.contains(&format!("`{SSM}/*/host`")), "{note}");
    assert!(
        policy
            .widened
            .iter()
            .all(|w| matches!(w.cause, WideningCause::Prefix { .. }) && w.variable().is_none()),
        "{:?}",
        policy.widened
    );
    assert!(policy.exact().unwrap_err().variables().is_empty());

    let policy = Plain::loader().prefix("/*").iam_policy(&account());
    assert!(
        policy.notes.iter().any(|n| n.contains("prefix")),
        "{:?}",
        policy.notes
    );
    assert!(policy.exact().is_err());
}

#[test]
fn a_watched_name_with_a_refused_value_is_widened_and_refusable() {
    let policy = Orders::loader()
        .var("IAM_TEST_ENV", "prod")
        .var("IAM_REFUSED_ENV", "a*b")
        .refresh(RefreshPolicy::new().watch("/{IAM_REFUSED_ENV}/orders/version"))
        .iam_policy(&account());
    let read = &policy.statement("ReadParameters").unwrap().resources;
    assert!(
        read.contains(&format!("{SSM}/*/orders/version")),
        "{read:?}"
    );
    assert!(!policy.to_string().contains("a*b"), "{policy}");
    assert_eq!(policy.exact().unwrap_err().variables(), ["IAM_REFUSED_ENV"]);
}

#[test]
fn a_name_a_load_refuses_is_not_granted_and_is_noted() {
    // Fills the prefix, but makes `db/password` longer than SSM allows.
    let long = "a".repeat(995);
    let policy = Refusing::loader()
        .var("IAM_REFUSED_ENV", long.as_str())
        .iam_policy(&account());
    let read = &policy.statement("ReadParameters").unwrap().resources;
    assert!(
        read.contains(&format!("{SSM}/{long}/orders/db_host")),
        "{read:?}"
    );
    assert!(!read.iter().any(|r| r.contains("password")), "{read:?}");
    assert!(policy.statement("DecryptParameters").is_none(), "{policy}");
    assert!(
        policy
            .notes
            .iter()
            .any(|n| n.contains("Nothing is granted") && n.contains("db_password")),
        "{:?}",
        policy.notes
    );
    assert!(policy.widened.is_empty(), "{:?}", policy.widened);
}

/// The scope's partition, region and account are written into every ARN:
/// one that is no such thing (`*`, a policy variable) is never written,
/// but is a `*` the policy names and `exact()` refuses.
#[test]
fn a_scope_part_that_is_no_such_thing_is_never_written() {
    let scopes = [
        ("partition", account().partition("*")),
        (
            "region",
            PolicyScope::new("${aws:RequestedRegion}", "123456789012"),
        ),
        ("account", PolicyScope::new("eu-west-1", "*")),
    ];
    for (part, scope) in scopes {
        let policy = Refusing::loader()
            .var("IAM_REFUSED_ENV", "prod")
            .iam_policy(&scope);
        let document = policy.to_string();
        assert!(!document.contains("${"), "{part}: {document}");
        assert!(
            policy
                .widened
                .iter()
                .any(|w| matches!(&w.cause, WideningCause::Scope { part: p, .. } if p == part)),
            "{part}: {:?}",
            policy.widened
        );
        assert!(
            policy.notes.iter().any(|n| n.contains(part)),
            "{part}: {:?}",
            policy.notes
        );
        let refusal = policy.exact().unwrap_err();
        assert!(refusal.to_string().contains(part), "{refusal}");
    }
    assert!(
        Refusing::loader()
            .var("IAM_REFUSED_ENV", "prod")
            .iam_policy(&account())
            .exact()
            .is_ok()
    );
}
