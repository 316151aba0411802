use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/app", max_age = "5 parsecs")]
struct Unknown {
    host: String,
}

#[derive(SsmConfig)]
#[ssm(prefix = "/app", max_age = "1500ms")]
struct Fraction {
    host: String,
}

#[derive(SsmConfig)]
#[ssm(prefix = "/app", max_age = 2.5)]
struct Float {
    host: String,
}

fn main() {}
