//! The filter policy of a subscription: SNS delivers to a queue only the
//! events of what its configuration reads. SNS's limits (AWS SNS docs,
//! "Filter policy constraints"): five top-level keys, 150 value
//! combinations (a key's nesting counts towards them: `detail.name` takes
//! two per name), and by default 200 filter policies per topic and 10,000
//! per account. SNS itself judges a policy: one it refuses (too many names,
//! a topic past its 200) is dropped, and the queue subscribes without a
//! filter; the instance then filters itself, as `apply_event` ignores what
//! it does not read. Past [`MOST_VALUES`] no policy is tried.

use serde_json::{Value, json};

/// The most names and walks a policy lists: SNS's 150 combinations, at two
/// a name (`detail.name` is nested one deep); past it no policy is tried,
/// which spares a start a call SNS would refuse.
const MOST_VALUES: usize = 75;

/// What a configuration's change events name: parameters, the paths of its
/// walks, and whether it reads Secrets Manager secrets.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct EventSources {
    pub(crate) names: Vec<String>,
    pub(crate) paths: Vec<String>,
    pub(crate) secrets: bool,
}

/// The policy (on the message body) that admits the events of `sources`,
/// or `None` where it would not fit SNS's limits.
pub(super) fn policy(sources: &EventSources) -> Option<String> {
    let mut names: Vec<Value> = sources.names.iter().map(|n| json!(n)).collect();
    names.extend(
        sources
            .paths
            .iter()
            .map(|path| json!({ "prefix": format!("{}/", path.trim_end_matches('/')) })),
    );
    if names.len() > MOST_VALUES {
        return None;
    }
    let parameters = json!({ "detail": { "name": names } });
    let policy = match sources.secrets {
        // Secrets Manager events name a secret by name or ARN, in one of
        // two places: every one of them is admitted, and sorted out here.
        true => json!({ "$or": [parameters, { "source": ["aws.secretsmanager"] }] }),
        false => parameters,
    };
    Some(policy.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_names_what_is_read_and_gives_up_past_the_limit() {
        let sources = EventSources {
            names: vec!["/app/host".into()],
            paths: vec!["/app/workers".into()],
            secrets: false,
        };
        assert_eq!(
            policy(&sources).unwrap(),
            r#"{"detail":{"name":["/app/host",{"prefix":"/app/workers/"}]}}"#
        );
        let with_secrets = EventSources {
            secrets: true,
            ..sources.clone()
        };
        assert!(policy(&with_secrets).unwrap().contains(r#""$or""#));
        let many = EventSources {
            names: (0..=MOST_VALUES).map(|i| format!("/app/{i}")).collect(),
            ..EventSources::default()
        };
        assert_eq!(policy(&many), None);
    }
}
