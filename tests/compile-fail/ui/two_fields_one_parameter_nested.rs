use ssm_config::{Secret, SsmConfig};

#[derive(SsmConfig)]
struct Database {
    host: String,
    password: Secret<String>,
}

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    #[ssm(path = "db/password")]
    db_password: Secret<String>,
    #[ssm(nested = "db")]
    db: Database,
}

fn main() {}
