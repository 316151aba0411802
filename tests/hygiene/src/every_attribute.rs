//! One struct using every attribute the derive knows.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use config_lib::{Secret, SsmConfig};

/// Every container and field attribute.
#[derive(SsmConfig, Debug)]
#[ssm(
    crate = "config_lib",
    prefix = "/{APP_ENV}/orders",
    max_age = 300,
    rename_all = "kebab-case",
    decrypt = true
)]
pub struct Everything {
    /// `/{APP_ENV}/orders/db-host`, renamed.
    pub db_host: String,
    /// A default expression.
    #[ssm(path = "db/port", default = 5432)]
    pub db_port: u16,
    /// A SecureString.
    #[ssm(path = "db/password")]
    pub db_password: Secret<String>,
    /// An absolute StringList.
    #[ssm(path = "/shared/allowed-ips")]
    pub allowed_ips: Vec<IpAddr>,
    /// One key of a JSON secret.
    #[ssm(secret = "prod/stripe", key = "api_key")]
    pub stripe_key: Secret<String>,
    /// A whole secret.
    #[ssm(secret = "prod/webhook")]
    pub webhook: Secret<String>,
    /// JSON without a serde dependency of this crate's own.
    #[ssm(json)]
    pub limits: HashMap<String, u32>,
    /// JSON inside a secret.
    #[ssm(path = "db/replicas", json)]
    pub replicas: Secret<Vec<String>>,
    /// Missing gives `None`.
    pub timeout_ms: Option<u64>,
    /// A version pinned in the path.
    #[ssm(path = "tls/cert:3")]
    pub tls_cert: String,
    /// A version pinned by attribute.
    #[ssm(path = "tls/cert", version = 1)]
    pub tls_cert_first: String,
    /// A label pinned by attribute.
    #[ssm(path = "tls/cert", label = "blue")]
    pub tls_cert_blue: String,
    /// Every direct child of a path.
    #[ssm(by_path = "workers", recursive = false)]
    pub workers: HashMap<String, u8>,
    /// A filtered walk.
    #[ssm(
        by_path = "/shared/keys",
        type = "SecureString",
        key_id = "alias/orders",
        label = "live"
    )]
    pub keys: BTreeMap<String, Secret<String>>,
    /// A nested struct under its own segment.
    #[ssm(nested = "cache")]
    pub cache: Cache,
    /// A nested struct under the field's name.
    #[ssm(nested)]
    pub queue: Cache,
    /// A nested struct with no segment of its own.
    #[ssm(flatten)]
    pub logging: Logging,
    /// Not read.
    #[ssm(skip)]
    pub runtime_only: Vec<String>,
    /// A default as text, through the field's conversion.
    #[ssm(path = "feature/flags", default = "a,b")]
    pub flags: Vec<String>,
    /// The `Default` of the type.
    #[ssm(default)]
    pub retries: u8,
    /// A SecureString let into a plain field.
    #[ssm(path = "db/replica-password", plaintext)]
    pub replica_password: String,
}

/// A nested struct.
#[derive(SsmConfig, Debug)]
#[ssm(crate = "config_lib")]
pub struct Cache {
    /// `.../cache/ttl_secs` or `.../queue/ttl_secs`: each struct has its own rename rule.
    pub ttl_secs: u32,
}

/// A flattened struct.
#[derive(SsmConfig, Debug)]
#[ssm(crate = "config_lib", rename_all = "SCREAMING_SNAKE_CASE")]
pub struct Logging {
    /// `.../LOG_LEVEL`.
    pub log_level: String,
}

#[cfg(test)]
mod tests {
    use config_lib::MemorySource;

    use super::*;

    #[tokio::test]
    async fn every_attribute_loads() {
        let source = MemorySource::new();
        let p = "/test/orders";
        source.put(&format!("{p}/db-host"), "db");
        source.put_secure(&format!("{p}/db/password"), "pw");
        source.put_string_list("/shared/allowed-ips", ["10.0.0.1"]);
        source.put_secret("prod/stripe", r#"{"api_key":"sk"}"#);
        source.put_secret("prod/webhook", "wh");
        source.put(&format!("{p}/limits"), r#"{"items":5}"#);
        source.put_secure(&format!("{p}/db/replicas"), r#"["r1","r2"]"#);
        for cert in ["c1", "c2", "c3"] {
            source.put(&format!("{p}/tls/cert"), cert);
        }
        source.label(&format!("{p}/tls/cert"), 2, "blue");
        source.put(&format!("{p}/workers/pdf"), "2");
        source.put(&format!("{p}/cache/ttl_secs"), "60");
        source.put(&format!("{p}/queue/ttl_secs"), "5");
        source.put(&format!("{p}/LOG_LEVEL"), "debug");
        source.put_secure(&format!("{p}/db/replica-password"), "rpw");

        let c = Everything::loader()
            .source(source)
            .var("APP_ENV", "test")
            .load()
            .await
            .unwrap()
            .get();
        assert_eq!(c.db_host, "db");
        assert_eq!(c.db_port, 5432);
        assert_eq!(c.db_password.expose_secret(), "pw");
        assert_eq!(c.limits["items"], 5);
        assert_eq!(c.replicas.expose_secret(), &["r1", "r2"]);
        assert_eq!(
            (c.tls_cert.as_str(), c.tls_cert_first.as_str()),
            ("c3", "c1")
        );
        assert_eq!(c.tls_cert_blue, "c2");
        assert_eq!(c.workers["pdf"], 2);
        assert!(c.keys.is_empty());
        assert_eq!((c.cache.ttl_secs, c.queue.ttl_secs), (60, 5));
        assert_eq!(c.logging.log_level, "debug");
        assert_eq!(c.flags, ["a", "b"]);
        assert_eq!(c.replica_password, "rpw");
    }
}
