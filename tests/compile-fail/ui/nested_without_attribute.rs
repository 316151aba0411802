// A field whose struct derives `SsmConfig` but lacks `#[ssm(nested)]`: one
// error that says to add it, without a list of the types `FromStr` knows.
// In a `Vec`, an `Option`, a `by_path` map or a `Secret` the struct cannot
// be nested: the error says what to do instead.
use std::collections::HashMap;

use ssm_config::{Secret, SsmConfig};

#[derive(SsmConfig)]
struct Database {
    host: String,
}

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct Settings {
    database: Database,
    replicas: Vec<Database>,
    standby: Option<Database>,
    #[ssm(by_path = "pools")]
    pools: HashMap<String, Database>,
    #[ssm(secret = "prod/db")]
    credentials: Secret<Database>,
}

fn main() {}
