//! Parameters named by ARN, as another account shares them: batched with
//! the other names, matched to results that name them by path, pinned by
//! version or label, filled from variables, and listed in the IAM policy.
//!
//! moto answers `GetParameters` by ARN only for its own account
//! (123456789012) and region, and names the result by path; AWS's sharing
//! itself (AWS RAM, the advanced tier, the owner's KMS key) only AWS can
//! show, so the derive's docs say what to check there.

use ssm_config::error::Problem;
use ssm_config::iam::PolicyScope;
use ssm_config::{MemorySource, Secret, SsmConfig};

use crate::support::backend::{Backend, moto};

/// The emulator's own account and region.
const SHARED: &str = "arn:aws:ssm:us-east-1:123456789012:parameter/shared/db-url";

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/app")]
struct UsesShared {
    #[ssm(path = "arn:aws:ssm:us-east-1:123456789012:parameter/shared/db-url")]
    db_url: String,
    #[ssm(path = "arn:aws:ssm:us-east-1:123456789012:parameter/shared/api-key")]
    api_key: Secret<String>,
    #[ssm(path = "arn:aws:ssm:us-east-1:123456789012:parameter/shared/ips")]
    ips: Vec<String>,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
    f: String,
}

#[derive(SsmConfig, Debug)]
struct PinsShared {
    #[ssm(path = "arn:aws:ssm:us-east-1:123456789012:parameter/shared/db-url:1")]
    first: String,
    #[ssm(
        path = "arn:aws:ssm:us-east-1:123456789012:parameter/shared/db-url",
        label = "blue"
    )]
    blue: String,
    #[ssm(path = "arn:aws:ssm:us-east-1:123456789012:parameter/shared/db-url")]
    latest: String,
    /// The same parameter by its own name: a request of its own.
    #[ssm(path = "/shared/db-url")]
    by_name: String,
}

#[derive(SsmConfig, Debug)]
struct FromVariables {
    #[ssm(path = "arn:aws:ssm:{SHARED_REGION}:{SHARED_ACCOUNT}:parameter/shared/db-url")]
    db_url: String,
}

#[derive(SsmConfig, Debug)]
#[allow(dead_code)] // never loads
struct MissingShared {
    #[ssm(path = "arn:aws:ssm:us-east-1:123456789012:parameter/shared/nothing-here")]
    nothing: String,
}

async fn seed(b: &impl Backend) {
    for version in ["postgres://v1", "postgres://v2", "postgres://v3"] {
        b.put("/shared/db-url", version).await;
    }
    b.label("/shared/db-url", 2, "blue").await;
    b.put_secure("/shared/api-key", "shared-canary-7c1d").await;
    b.put_list("/shared/ips", &["10.1.0.1", "10.1.0.2"]).await;
    for name in ["a", "b", "c", "d", "e", "f"] {
        b.put(&format!("/app/{name}"), name).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arns_are_batched_with_other_names_and_matched_by_path() {
    let Some(emulator) = moto().await else { return };
    seed(&emulator).await;
    let source = emulator.source();
    let config = UsesShared::loader()
        .source(source.clone())
        .load()
        .await
        .unwrap();
    let c = config.get();
    assert_eq!(c.db_url, "postgres://v3");
    assert_eq!(c.api_key.expose_secret(), "shared-canary-7c1d");
    assert_eq!(c.ips, ["10.1.0.1", "10.1.0.2"]);
    let plain = [&c.a, &c.b, &c.c, &c.d, &c.e, &c.f].map(String::as_str);
    assert_eq!(plain, ["a", "b", "c", "d", "e", "f"]);
    // Nine names, three of them ARNs: one call.
    assert_eq!(source.get_parameters_calls(), 1);
    let snapshot = config.get();
    let metadata = snapshot.metadata();
    let shared = metadata.parameter(SHARED).expect("metadata under the ARN");
    assert_eq!(shared.version, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arns_take_versions_and_labels() {
    let Some(emulator) = moto().await else { return };
    seed(&emulator).await;
    let config = PinsShared::loader()
        .source(emulator.source())
        .load()
        .await
        .unwrap();
    let c = config.get();
    assert_eq!(c.first, "postgres://v1");
    assert_eq!(c.blue, "postgres://v2");
    assert_eq!(c.latest, "postgres://v3");
    assert_eq!(c.by_name, "postgres://v3");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_shared_parameter_is_named_by_its_arn() {
    let Some(emulator) = moto().await else { return };
    let err = MissingShared::loader()
        .source(emulator.source())
        .load()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.problems(),
            [Problem::Missing { field, name, .. }]
                if field == "nothing" && name == "arn:aws:ssm:us-east-1:123456789012:parameter/shared/nothing-here"
        ),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arn_parts_from_variables_are_checked_once_filled() {
    let Some(emulator) = moto().await else { return };
    seed(&emulator).await;
    let config = FromVariables::loader()
        .source(emulator.source())
        .var("SHARED_REGION", "us-east-1")
        .var("SHARED_ACCOUNT", "123456789012")
        .load()
        .await
        .unwrap();
    assert_eq!(config.get().db_url, "postgres://v3");

    let err = FromVariables::loader()
        .source(emulator.source())
        .var("SHARED_REGION", "us-east-1")
        .var("SHARED_ACCOUNT", "12345")
        .load()
        .await
        .unwrap_err();
    assert!(
        matches!(err.problems(), [Problem::InvalidName { field, reason, .. }]
            if field == "db_url" && reason.contains("12 digits")),
        "{err}"
    );
}

/// A source that names results by ARN, as it was asked, works as well as
/// one that names them by path (moto): a `MemorySource` keeps a shared
/// parameter under its ARN.
#[tokio::test]
async fn results_named_by_arn_match_too() {
    let source = MemorySource::new();
    source.put(SHARED, "postgres://memory");
    source.put_secure(
        "arn:aws:ssm:us-east-1:123456789012:parameter/shared/api-key",
        "k",
    );
    source.put_string_list(
        "arn:aws:ssm:us-east-1:123456789012:parameter/shared/ips",
        ["1"],
    );
    for name in ["a", "b", "c", "d", "e", "f"] {
        source.put(&format!("/app/{name}"), name);
    }
    let config = UsesShared::loader()
        .source(source.clone())
        .load()
        .await
        .unwrap();
    assert_eq!(config.get().db_url, "postgres://memory");
    assert_eq!(source.calls().get_parameters, 1);
}

#[test]
fn the_policy_names_the_arn_and_the_owners_key() {
    let policy = UsesShared::loader().iam_policy(&PolicyScope::new("eu-west-1", "999999999999"));
    let reads = policy.statement("ReadParameters").unwrap();
    assert!(reads.resources.contains(&SHARED.to_owned()), "{policy}");
    assert!(
        reads
            .resources
            .contains(&"arn:aws:ssm:eu-west-1:999999999999:parameter/app/a".to_owned()),
        "{policy}"
    );
    let [note] = &policy.notes[..] else {
        panic!("one note, for the shared SecureString: {:?}", policy.notes);
    };
    assert!(note.contains("parameter/shared/api-key"), "{note}");
    assert!(note.contains("customer-managed KMS key"), "{note}");
    assert!(note.contains("123456789012"), "{note}");
}

#[test]
fn the_plan_lists_the_arn() {
    let plan = PinsShared::loader().plan().to_string();
    let row = |field: &str| {
        let line = plan.lines().find(|l| l.starts_with(&format!("{field} ")));
        line.map(|l| l.split_whitespace().take(3).collect::<Vec<_>>())
    };
    assert_eq!(row("first"), Some(vec!["first", SHARED, "1"]), "{plan}");
    assert_eq!(row("blue"), Some(vec!["blue", SHARED, "blue"]), "{plan}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_untyped_api_reads_by_arn() {
    let Some(emulator) = moto().await else { return };
    seed(&emulator).await;
    let parameters = ssm_config::untyped::Parameters::new(emulator.source());
    let pinned = parameters.get(&format!("{SHARED}:2")).await.unwrap();
    assert_eq!(pinned.parse::<String>().unwrap(), "postgres://v2");
    assert_eq!(pinned.version(), 2);
    let err = parameters
        .get("arn:aws:ssm:us-east-1:1234:parameter/shared/db-url")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("12 digits"), "{err}");
}
