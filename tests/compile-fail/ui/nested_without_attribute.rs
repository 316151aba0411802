// A field whose struct derives `SsmConfig` but lacks `#[ssm(nested)]`: one
// error that says to add it, without a list of the types `FromStr` knows.
// In a `Vec` or an `Option` the struct cannot be nested: the error says
// what to do instead.
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
    standby: Option<Database>,
}

fn main() {}
