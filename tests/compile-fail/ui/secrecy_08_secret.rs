// secrecy 0.8's `Secret<T>` (zero2prod's, and many services'), and its
// `SecretString` (an alias of its `Secret<String>`), are not the types a
// field binds as: one error at each field says what binds instead.
use secrecy08::Secret;
use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct Settings {
    password: Secret<String>,
    #[ssm(secret = "prod/db", key = "token")]
    token: Option<secrecy08::Secret<String>>,
    api_key: secrecy08::SecretString,
}

fn main() {}
