// secrecy 0.8's `Secret<T>` (zero2prod's, and many services') is not this
// crate's `Secret<T>`: one error at each field says what binds instead.
use secrecy08::Secret;
use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct Settings {
    password: Secret<String>,
    #[ssm(secret = "prod/db", key = "token")]
    token: Option<secrecy08::Secret<String>>,
}

fn main() {}
