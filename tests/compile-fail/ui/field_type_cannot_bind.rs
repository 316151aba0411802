use ssm_config::SsmConfig;

struct Inner {
    host: String,
}

struct NoFromStr;

#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct AppConfig {
    name: String,
    inner: Inner,
    raw: Option<NoFromStr>,
    many: Vec<NoFromStr>,
    #[ssm(json)]
    shaped: NoFromStr,
}

fn main() {}
