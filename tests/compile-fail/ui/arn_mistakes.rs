use ssm_config::SsmConfig;

// Each field names a parameter shared by another account, each by a wrong
// ARN: every one is reported at once.
#[derive(SsmConfig)]
#[ssm(prefix = "/app")]
struct Shared {
    #[ssm(path = "arn:aws:ssm:eu-west-1:11112222333:parameter/shared/db-url")]
    short_account: String,
    #[ssm(path = "arn:aws:ssm:cn-north-1:111122223333:parameter/shared/db-url")]
    region_of_another_partition: String,
    #[ssm(path = "arn:aws:ssm:eu-west:111122223333:parameter/shared/db-url")]
    not_a_region: String,
    #[ssm(path = "arn:amazon:ssm:eu-west-1:111122223333:parameter/shared/db-url")]
    not_a_partition: String,
    #[ssm(path = "arn:aws:ssm:eu-west-1:111122223333:parameter/shared/db url")]
    bad_name: String,
    #[ssm(path = "arn:aws:ssm:eu-west-1:111122223333:parameter/shared/db-url:0")]
    bad_selector: String,
    #[ssm(path = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db")]
    not_a_parameter: String,
    #[ssm(by_path = "arn:aws:ssm:eu-west-1:111122223333:parameter/shared")]
    walked: std::collections::HashMap<String, String>,
}

fn main() {}
