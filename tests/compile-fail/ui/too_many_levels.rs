use ssm_config::SsmConfig;

#[derive(SsmConfig)]
#[ssm(prefix = "/a/b/c/d/e/f/g/h/i/j/k/l/m/n")]
struct AppConfig {
    #[ssm(path = "o/p")]
    deep: String,
}

fn main() {}
