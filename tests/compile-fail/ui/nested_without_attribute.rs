// A field whose struct derives `SsmConfig` but lacks `#[ssm(nested)]`: one
// error that says to add it, without a list of the types `FromStr` knows.
use ssm_config::SsmConfig;

#[derive(SsmConfig)]
struct Database {
    host: String,
}

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct Settings {
    database: Database,
    replicas: Vec<Database>,
}

fn main() {}
