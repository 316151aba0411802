//! Parameters named by ARN: `arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME`,
//! the only way to read a parameter another account shares.
//!
//! The ARN's resource is `parameter` followed by the name, with the `/`
//! that joins them standing for the name's leading `/`: the parameter
//! `/shared/db-url` is `...:parameter/shared/db-url`. A selector follows the
//! ARN as it follows a name: `...:parameter/shared/db-url:3`.

use crate::rules::{check_name, is_arn, shown};
use crate::template::pieces;

/// What the resource of a parameter ARN starts with.
const RESOURCE: &str = "parameter/";
/// The partitions SSM runs in.
const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// The parts of a parameter ARN, as written (a part may still be a `{VAR}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParameterArn<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: &'a str,
    /// The region the parameter lives in.
    pub region: &'a str,
    /// The 12-digit account that owns the parameter.
    pub account: &'a str,
    /// What follows `parameter/`: the name without its leading `/`.
    pub name_after_slash: &'a str,
}

impl ParameterArn<'_> {
    /// The parameter's name in its own account, as results may name it:
    /// `/shared/db-url` for `...:parameter/shared/db-url`.
    pub fn name(&self) -> String {
        format!("/{}", self.name_after_slash)
    }
}

/// Splits a name as a field writes it into the name and its selector:
/// `/a:3` into `/a` and `3`, and an ARN after its resource, so
/// `arn:aws:ssm:r:1:parameter/a:3` into the ARN and `3`.
pub fn split_selector(written: &str) -> (&str, Option<&str>) {
    // An ARN has five `:`s before its resource; a selector is the sixth.
    let skip = if is_arn(written) { 5 } else { 0 };
    let mut colons = written.match_indices(':').skip(skip);
    match colons.next() {
        Some((at, _)) => (&written[..at], Some(&written[at + 1..])),
        None => (written, None),
    }
}

/// Parses a parameter ARN (without a selector) into its parts, checking
/// each part that is written out. A part that is a whole `{VAR}` is left
/// for load time, when [`check_arn`] runs on the filled ARN.
pub fn parse_arn(arn: &str) -> Result<ParameterArn<'_>, String> {
    let fields: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, service, region, account, resource] = fields[..] else {
        return Err(format!(
            "`{}` is not a parameter ARN: write `arn:aws:ssm:REGION:ACCOUNT:parameter/NAME`",
            shown(arn)
        ));
    };
    if service != "ssm" {
        return Err(format!(
            "an ARN of `{service}` names no parameter: write `arn:{partition}:ssm:REGION:ACCOUNT:parameter/NAME`{}",
            match service {
                "secretsmanager" => ", or read a secret with `secret = \"NAME\"`",
                _ => "",
            }
        ));
    }
    let Some(name_after_slash) = resource.strip_prefix(RESOURCE) else {
        return Err(format!(
            "the resource of `{}` must be `parameter/NAME`",
            shown(arn)
        ));
    };
    let parsed = ParameterArn {
        partition,
        region,
        account,
        name_after_slash,
    };
    check_partition(partition)?;
    check_region(region, partition)?;
    check_account(account)?;
    if name_after_slash.starts_with('/') || name_after_slash.is_empty() {
        return Err(format!(
            "`{}` has no name after `parameter/`: the ARN of `/shared/db-url` is `...:parameter/shared/db-url`",
            shown(arn)
        ));
    }
    check_name(&parsed.name())?;
    Ok(parsed)
}

/// Every rule on a parameter ARN without a selector.
pub fn check_arn(arn: &str) -> Result<(), String> {
    parse_arn(arn).map(|_| ())
}

/// Whether `part` is exactly one `{VAR}`, filled at load time.
fn is_variable(part: &str) -> bool {
    matches!(pieces(part).as_deref(), Ok([crate::Piece::Variable(_)]))
}

fn check_partition(partition: &str) -> Result<(), String> {
    if is_variable(partition) || PARTITIONS.contains(&partition) {
        return Ok(());
    }
    Err(format!(
        "`{}` is not an AWS partition: use one of {}",
        shown(partition),
        PARTITIONS.join(", ")
    ))
}

/// A region: `eu-west-1`, `us-gov-west-1`, `cn-north-1`: lowercase words
/// joined by `-`, ending in a number, in the partition's own regions.
fn check_region(region: &str, partition: &str) -> Result<(), String> {
    if is_variable(region) {
        return Ok(());
    }
    let words: Vec<&str> = region.split('-').collect();
    let well_formed = words.len() >= 3
        && words[..words.len() - 1]
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && words[words.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !words[words.len() - 1].is_empty();
    if !well_formed {
        return Err(format!(
            "`{}` is not an AWS region: write one such as `eu-west-1`",
            shown(region)
        ));
    }
    let expected = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("eu-isoe-") {
        "aws-iso-e"
    } else if region.starts_with("us-isof-") {
        "aws-iso-f"
    } else if region.starts_with("eusc-") {
        "aws-eusc"
    } else {
        "aws"
    };
    if is_variable(partition) || partition == expected {
        return Ok(());
    }
    Err(format!(
        "region `{region}` is in the `{expected}` partition, not `{partition}`"
    ))
}

fn check_account(account: &str) -> Result<(), String> {
    if is_variable(account) || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
    {
        return Ok(());
    }
    Err(format!(
        "`{}` is not an AWS account: an account is 12 digits",
        shown(account)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHARED: &str = "arn:aws:ssm:eu-west-1:111122223333:parameter/shared/db-url";

    #[test]
    fn parses_the_parts_and_the_name_in_its_account() {
        let arn = parse_arn(SHARED).unwrap();
        assert_eq!(arn.partition, "aws");
        assert_eq!(arn.region, "eu-west-1");
        assert_eq!(arn.account, "111122223333");
        assert_eq!(arn.name(), "/shared/db-url");
        for good in [
            "arn:aws-cn:ssm:cn-north-1:111122223333:parameter/x",
            "arn:aws-us-gov:ssm:us-gov-west-1:111122223333:parameter/a/b.c-d_e",
            "arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/{ENV}/db",
            "arn:{PARTITION}:ssm:cn-north-1:111122223333:parameter/x",
        ] {
            assert_eq!(check_arn(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn each_part_is_checked() {
        for (bad, says) in [
            ("arn:aws:ssm:eu-west-1:111122223333", "not a parameter ARN"),
            (
                "arn:aws:secretsmanager:eu-west-1:111122223333:secret:x",
                "names no parameter",
            ),
            (
                "arn:awz:ssm:eu-west-1:111122223333:parameter/x",
                "partition",
            ),
            ("arn:aws:ssm:eu-west:111122223333:parameter/x", "region"),
            ("arn:aws:ssm:EU-west-1:111122223333:parameter/x", "region"),
            ("arn:aws:ssm::111122223333:parameter/x", "region"),
            ("arn:aws:ssm:cn-north-1:111122223333:parameter/x", "aws-cn"),
            ("arn:aws:ssm:eu-west-1:11112222333:parameter/x", "12 digits"),
            (
                "arn:aws:ssm:eu-west-1:11112222333a:parameter/x",
                "12 digits",
            ),
            ("arn:aws:ssm:eu-west-1:{A}x:parameter/x", "12 digits"),
            (
                "arn:aws:ssm:eu-west-1:111122223333:document/x",
                "parameter/NAME",
            ),
            ("arn:aws:ssm:eu-west-1:111122223333:parameter/", "no name"),
            ("arn:aws:ssm:eu-west-1:111122223333:parameter//x", "no name"),
            (
                "arn:aws:ssm:eu-west-1:111122223333:parameter/a b",
                "not allowed",
            ),
            (
                "arn:aws:ssm:eu-west-1:111122223333:parameter/a/",
                "ends with",
            ),
            (
                "arn:aws:ssm:eu-west-1:111122223333:parameter/aws/x",
                "reserved",
            ),
        ] {
            let err = check_arn(bad).expect_err(bad);
            assert!(err.contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn selectors_follow_the_resource() {
        assert_eq!(split_selector(&format!("{SHARED}:3")), (SHARED, Some("3")));
        assert_eq!(
            split_selector(&format!("{SHARED}:prod")),
            (SHARED, Some("prod"))
        );
        assert_eq!(split_selector(SHARED), (SHARED, None));
        assert_eq!(split_selector("/a:3"), ("/a", Some("3")));
        assert_eq!(split_selector("/a:1:2"), ("/a", Some("1:2")));
        assert_eq!(split_selector("/a"), ("/a", None));
    }
}
