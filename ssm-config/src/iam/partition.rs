//! AWS partitions: which one a region belongs to, and the DNS suffix of
//! its service endpoints. The crate keeps this mapping here only.
//!
//! Both come from the SDKs' partition table, each partition's
//! `regionRegex` and `outputs.dnsSuffix`:
//! <https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json>
//! (the Rust SDK's endpoint resolver is generated from the same table).

/// One partition other than `aws`, recognised by its regions' prefix.
struct Partition {
    id: &'static str,
    region_prefix: &'static str,
    dns_suffix: &'static str,
}

/// Tried in order. `us-iso-`, `us-isob-` and `us-isof-` are disjoint
/// prefixes (`us-isob-east-1` does not start with `us-iso-`), and every
/// region none of them matches is in `aws`.
const PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws-cn",
        region_prefix: "cn-",
        dns_suffix: "amazonaws.com.cn",
    },
    Partition {
        id: "aws-us-gov",
        region_prefix: "us-gov-",
        dns_suffix: "amazonaws.com",
    },
    Partition {
        id: "aws-iso",
        region_prefix: "us-iso-",
        dns_suffix: "c2s.ic.gov",
    },
    Partition {
        id: "aws-iso-b",
        region_prefix: "us-isob-",
        dns_suffix: "sc2s.sgov.gov",
    },
    Partition {
        id: "aws-iso-e",
        region_prefix: "eu-isoe-",
        dns_suffix: "cloud.adc-e.uk",
    },
    Partition {
        id: "aws-iso-f",
        region_prefix: "us-isof-",
        dns_suffix: "csp.hci.ic.gov",
    },
    Partition {
        id: "aws-eusc",
        region_prefix: "eusc-",
        dns_suffix: "amazonaws.eu",
    },
];

const STANDARD: &str = "aws";
pub(super) const STANDARD_DNS_SUFFIX: &str = "amazonaws.com";

/// The partition `region` is in: `cn-north-1` is in `aws-cn`,
/// `us-gov-west-1` in `aws-us-gov`, `eu-west-1` in `aws`.
pub(super) fn of_region(region: &str) -> &'static str {
    PARTITIONS
        .iter()
        .find(|p| region.starts_with(p.region_prefix))
        .map_or(STANDARD, |p| p.id)
}

/// The DNS suffix of `partition`'s service endpoints, `None` for a
/// partition this table does not know.
pub(super) fn dns_suffix(partition: &str) -> Option<&'static str> {
    if partition == STANDARD {
        return Some(STANDARD_DNS_SUFFIX);
    }
    PARTITIONS
        .iter()
        .find(|p| p.id == partition)
        .map(|p| p.dns_suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_prefix_names_its_partition() {
        for (region, partition) in [
            ("eu-west-1", "aws"),
            ("us-east-1", "aws"),
            ("il-central-1", "aws"),
            ("cn-northwest-1", "aws-cn"),
            ("us-gov-east-1", "aws-us-gov"),
            ("us-iso-west-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
        ] {
            assert_eq!(of_region(region), partition, "{region}");
            assert!(dns_suffix(partition).is_some(), "{partition}");
        }
    }

    #[test]
    fn gov_cloud_shares_the_standard_suffix_and_china_has_its_own() {
        assert_eq!(dns_suffix("aws-us-gov"), Some("amazonaws.com"));
        assert_eq!(dns_suffix("aws-cn"), Some("amazonaws.com.cn"));
        assert_eq!(dns_suffix("aws-iso"), Some("c2s.ic.gov"));
        assert_eq!(dns_suffix("aws-iso-b"), Some("sc2s.sgov.gov"));
        assert_eq!(dns_suffix("aws-unknown"), None);
    }
}
