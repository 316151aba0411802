use ssm_config::SsmConfig;

// Returns a bool, not a `Result<(), E>`.
fn positive(config: &Pool) -> bool {
    config.size > 0
}

#[derive(SsmConfig)]
#[ssm(prefix = "/app", validate = positive)]
struct Pool {
    size: u32,
}

// Takes the struct by value.
fn by_value(_: Limits) -> Result<(), String> {
    Ok(())
}

#[derive(SsmConfig)]
#[ssm(prefix = "/app", validate = by_value)]
struct Limits {
    high: u32,
}

// An error that cannot be shown.
struct Opaque;

fn opaque(_: &Quiet) -> Result<(), Opaque> {
    Ok(())
}

#[derive(SsmConfig)]
#[ssm(prefix = "/app", validate = opaque)]
struct Quiet {
    level: u32,
}

#[derive(SsmConfig)]
#[ssm(prefix = "/app", validate = "not_a_path")]
struct Quoted {
    level: u32,
}

fn main() {}
