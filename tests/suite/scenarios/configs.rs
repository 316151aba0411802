//! The config structs the scenarios load, written as a user would.
#![allow(dead_code)] // fields exist to be loaded; scenarios read the ones they check

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use ssm_config::{Secret, SsmConfig};

#[derive(Debug, PartialEq, serde::Deserialize)]
pub struct Limits {
    pub max_items: u32,
    pub burst: Vec<u8>,
}

#[derive(Debug, serde::Deserialize)]
pub struct DbCreds {
    pub user: String,
    pub password: String,
}

#[derive(Debug, PartialEq)]
pub enum LogFormat {
    Json,
    Text,
}

impl FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "json" => Ok(LogFormat::Json),
            "text" => Ok(LogFormat::Text),
            other => Err(format!("unknown log format `{other}`")),
        }
    }
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{APP_ENV}/orders", max_age = 300)]
pub struct Orders {
    pub db_host: String,
    #[ssm(path = "db/port", default = 5432)]
    pub db_port: u16,
    #[ssm(path = "db/password")]
    pub db_password: Secret<String>,
    #[ssm(path = "/shared/allowed-ips")]
    pub allowed_ips: Vec<IpAddr>,
    #[ssm(secret = "prod/stripe", key = "api_key")]
    pub stripe_key: Secret<String>,
    #[ssm(secret = "prod/stripe", key = "other")]
    pub stripe_other: Secret<u32>,
    #[ssm(secret = "prod/webhook")]
    pub webhook_token: Secret<String>,
    #[ssm(json)]
    pub limits: Limits,
    pub timeout_ms: Option<u64>,
    #[ssm(path = "tls/cert:1")]
    pub tls_cert_v1: String,
    #[ssm(path = "tls/cert", version = 3)]
    pub tls_cert_v3: String,
    #[ssm(path = "tls/cert", label = "blue")]
    pub tls_cert_blue: String,
    #[ssm(path = "tls/cert:green")]
    pub tls_cert_green: String,
    #[ssm(path = "tls/cert")]
    pub tls_cert_latest: String,
    #[ssm(by_path = "workers", recursive = false)]
    pub workers: HashMap<String, u8>,
    #[ssm(nested = "cache")]
    pub cache: CacheConfig,
    #[ssm(skip)]
    pub runtime_only: Vec<String>,
    #[ssm(default = "info")]
    pub log_level: String,
    pub log_format: LogFormat,
    #[ssm(path = "feature/flags", default)]
    pub flags: Vec<String>,
    #[ssm(path = "db/replica-password", plaintext)]
    pub replica_password: String,
    #[ssm(path = "db/creds", json)]
    pub creds: Secret<DbCreds>,
}

#[derive(SsmConfig, Debug)]
#[ssm(rename_all = "kebab-case")]
pub struct CacheConfig {
    pub ttl_secs: u32,
    #[ssm(flatten)]
    pub conn: CacheConn,
}

#[derive(SsmConfig, Debug)]
#[ssm(rename_all = "kebab-case")]
pub struct CacheConn {
    pub cache_host: String,
    #[ssm(default = 6379)]
    pub cache_port: u16,
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/plain")]
pub struct Plain {
    pub name: String,
    pub ports: Vec<u16>,
    #[ssm(default = "a,b")]
    pub words: Vec<String>,
}

#[derive(SsmConfig, Debug)]
pub struct Ten {
    pub a: String,
    pub b: String,
    pub c: String,
    pub d: String,
    pub e: String,
    pub f: String,
    pub g: String,
    pub h: String,
    pub i: String,
    pub j: String,
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/many")]
pub struct Many {
    #[ssm(nested)]
    pub n0: Ten,
    #[ssm(nested)]
    pub n1: Ten,
    #[ssm(nested)]
    pub n2: Ten,
    #[ssm(nested)]
    pub n3: Ten,
    #[ssm(nested)]
    pub n4: Ten,
    #[ssm(nested)]
    pub n5: Ten,
    #[ssm(nested)]
    pub n6: Ten,
    #[ssm(nested)]
    pub n7: Ten,
    #[ssm(nested)]
    pub n8: Ten,
    pub x1: String,
    pub x2: String,
    pub x3: String,
    pub x4: String,
    pub x5: String,
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/fleet")]
pub struct Fleet {
    #[ssm(by_path = "hosts", recursive = false)]
    pub direct: BTreeMap<String, IpAddr>,
    #[ssm(by_path = "/fleet/hosts")]
    pub all: HashMap<String, String>,
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/filtered")]
pub struct Filtered {
    #[ssm(by_path = "/filtered", type = "SecureString")]
    pub secure: HashMap<String, Secret<String>>,
    #[ssm(by_path = "/filtered", type = "StringList")]
    pub lists: HashMap<String, Vec<String>>,
    #[ssm(by_path = "/filtered", key_id = "alias/custom")]
    pub custom_key: BTreeMap<String, Secret<String>>,
    #[ssm(by_path = "/filtered", label = "live")]
    pub live: BTreeMap<String, String>,
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/broken")]
pub struct Broken {
    pub host: String,
    pub user: String,
    pub port: u16,
    pub pin: Secret<u32>,
    #[ssm(secret = "missing-secret")]
    pub api_key: Secret<String>,
    pub optional: Option<String>,
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/leaky")]
pub struct Leaky {
    pub token: String,
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/nodecrypt", decrypt = false)]
pub struct Encrypted {
    pub token: Secret<String>,
    #[ssm(nested)]
    pub inner: Decrypting,
}

#[derive(SsmConfig, Debug)]
pub struct Decrypting {
    pub plain: String,
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/withsecret")]
pub struct WithSecret {
    pub host: String,
    #[ssm(secret = "absent")]
    pub token: Secret<String>,
}

#[derive(SsmConfig, Debug)]
pub struct Keyed {
    #[ssm(secret = "keyed/json", key = "password")]
    pub from_json: Secret<String>,
    #[ssm(secret = "keyed/text", key = "password")]
    pub from_text: Secret<String>,
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/pins")]
pub struct Pins {
    #[ssm(path = "value")]
    pub latest: String,
    #[ssm(path = "value:1")]
    pub first: String,
}

/// A crate that re-exports the runtime, as a company-wide wrapper would.
pub mod platform {
    pub use ssm_config as config;
}

#[derive(SsmConfig, Debug)]
#[ssm(
    crate = "platform::config",
    prefix = "/renamed",
    rename_all = "camelCase"
)]
pub struct ThroughReexport {
    pub max_connections: u32,
    #[ssm(nested)]
    pub upper: Screaming,
}

#[derive(SsmConfig, Debug)]
#[ssm(crate = "platform::config", rename_all = "SCREAMING_SNAKE_CASE")]
pub struct Screaming {
    pub api_url: String,
}

/// Names SSM would refuse fail the build when written out; a variable can
/// still fill one in at load time.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/sel/{SEGMENT}")]
pub struct FilledByVariable {
    pub value: String,
}

#[derive(SsmConfig, Debug)]
pub struct Region {
    pub endpoint: String,
}

/// A `{VAR}` in each place a name can take one: the prefix, a nested
/// segment, a path and a secret name.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/vars/{STAGE}")]
pub struct VariablesEverywhere {
    #[ssm(path = "{SERVICE}/port")]
    pub port: u16,
    #[ssm(nested = "{REGION}")]
    pub region: Region,
    #[ssm(secret = "{STAGE}/db+admin=x@y")]
    pub password: Secret<String>,
}

/// Read in watch mode, with `/watched/version` as the watched parameter.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/watched")]
pub struct Watched {
    pub value: String,
    pub other: String,
}

/// The types configs hold that `FromStr` alone would refuse: durations as
/// people write them, booleans as SSM users spell them, and the secrecy
/// crate's secret types.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/spelled")]
pub struct Spelled {
    pub timeout: std::time::Duration,
    pub retry: Option<Duration>,
    pub backoffs: Vec<Duration>,
    #[ssm(default = "30s")]
    pub idle: Duration,
    pub grace: Duration,
    pub enabled: bool,
    pub verbose: bool,
    pub flags: Vec<bool>,
    pub api_key: secrecy::SecretString,
    pub pin: secrecy::SecretBox<u32>,
    #[ssm(secret = "spelled/token")]
    pub token: secrecy::SecretString,
}

/// What a targeted refresh reads: one of each kind of binding, under a
/// prefix of its own per scenario.
#[derive(SsmConfig, Debug, PartialEq)]
#[ssm(prefix = "/targeted/{CASE}")]
pub struct Targeted {
    pub host: String,
    #[ssm(default = 8080)]
    pub port: u16,
    pub replica: Option<String>,
    #[ssm(path = "cert", version = 1)]
    pub first_cert: String,
    #[ssm(path = "key", label = "live")]
    pub live_key: String,
    #[ssm(by_path = "routes", recursive = false)]
    pub routes: BTreeMap<String, String>,
    #[ssm(by_path = "flags", type = "String")]
    pub flags: BTreeMap<String, String>,
    #[ssm(secret = "targeted-{CASE}/db")]
    pub db_password: Secret<String>,
}

/// One name read twice, under two selectors.
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/targeted/{CASE}")]
pub struct TwoSelectors {
    pub host: String,
    #[ssm(path = "host", version = 1)]
    pub first_host: String,
}
