//! The configuration struct the examples share: an orders service's
//! database, secrets, limits and cache, under `/{APP_ENV}/orders`.

use std::collections::HashMap;
use std::net::IpAddr;

use serde::Deserialize;
use ssm_config::{Secret, SsmConfig};

// The examples print the whole struct rather than reading single fields.
#[allow(dead_code)]
#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/{APP_ENV}/orders", max_age = 300)]
pub struct AppConfig {
    pub db_host: String,
    #[ssm(path = "db/port", default = 5432)]
    pub db_port: u16,
    #[ssm(path = "db/password")]
    pub db_password: Secret<String>,
    #[ssm(path = "/shared/allowed-ips")]
    pub allowed_ips: Vec<IpAddr>,
    #[ssm(secret = "prod/stripe", key = "api_key")]
    pub stripe_key: Secret<String>,
    #[ssm(json)]
    pub limits: Limits,
    pub timeout_ms: Option<u64>,
    #[ssm(path = "tls/cert:1")]
    pub tls_cert: String,
    #[ssm(by_path = "workers", recursive = false)]
    pub workers: HashMap<String, u32>,
    #[ssm(nested = "cache")]
    pub cache: CacheConfig,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
pub struct Limits {
    pub max_items: u32,
    pub max_burst: u32,
}

#[allow(dead_code)]
#[derive(SsmConfig, Debug)]
#[ssm(rename_all = "kebab-case")]
pub struct CacheConfig {
    pub ttl_secs: u64,
    #[ssm(default = "redis://localhost:6379")]
    pub redis_url: String,
}
