//! The rules of a targeted refresh: what a change event calls for, given
//! what the current snapshot read. Whatever the rules do not cover with
//! certainty reloads the whole group.

use super::parameter_change::ParameterChange;
use crate::pipeline::Bound;
use crate::pipeline::targeted::Rereads;
use crate::plan::selector::Selector;

/// What one or more change events call for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum EventReads {
    /// Nothing the configuration reads can have moved (an update of a
    /// parameter it reads only at a pinned version, say).
    Nothing,
    /// Read these names again and rebuild from the snapshot.
    Read(Rereads),
    /// Load the whole group.
    Full,
}

/// What an event's `operation` does to a parameter or a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    /// `Create` or `Update`: a new version, which unpinned reads follow.
    Write,
    /// `Delete`: every version is gone.
    Delete,
    /// `LabelParameterVersion`: a label moved to another version.
    Label,
    /// A Secrets Manager change: any stage may have moved.
    Secret,
    /// Anything else.
    Unknown,
}

fn operation(change: &ParameterChange) -> Operation {
    use super::parameter_change::EventOperation as Sent;
    if super::parameter_change::is_secret_change(change) {
        return Operation::Secret;
    }
    match change.known_operation() {
        Sent::Create | Sent::Update => Operation::Write,
        Sent::Delete => Operation::Delete,
        Sent::LabelParameterVersion => Operation::Label,
        _ => Operation::Unknown,
    }
}

/// What `changes` call for together: their reads merged into one, or a
/// full reload when any of them needs one, or when reading them all would
/// take more calls than a full load.
pub(crate) fn reads_for_all<'a>(
    changes: impl IntoIterator<Item = &'a ParameterChange>,
    bound: &Bound,
    watched: Option<&str>,
) -> EventReads {
    let mut merged = Rereads::default();
    for change in changes {
        match reads_for(change, bound, watched) {
            EventReads::Full => return EventReads::Full,
            EventReads::Read(rereads) => merged.merge(rereads),
            EventReads::Nothing => {}
        }
    }
    match merged.is_empty() {
        true => EventReads::Nothing,
        // So many names changed that reading them costs more than a load.
        false if merged.calls() > bound.full_load_calls() => EventReads::Full,
        false => EventReads::Read(merged),
    }
}

/// What one change calls for.
pub(crate) fn reads_for(
    change: &ParameterChange,
    bound: &Bound,
    watched: Option<&str>,
) -> EventReads {
    if change.names().any(|name| Some(name) == watched) {
        return EventReads::Full;
    }
    let mut requests = Vec::new();
    let mut walks = Vec::new();
    for name in change.names() {
        for request in bound.names_reading(name) {
            if !requests.contains(&request) {
                requests.push(request);
            }
        }
        walks.extend(bound.walks_holding(name).map(|walk| (walk, name)));
    }
    if requests.is_empty() && walks.is_empty() {
        return EventReads::Nothing;
    }
    let operation = operation(change);
    match operation {
        Operation::Unknown => return EventReads::Full,
        // A secret's every stage may move: each reference to it is read
        // again, whatever its selector. Secrets cannot be walked.
        Operation::Secret if walks.is_empty() => {
            return EventReads::Read(Rereads {
                names: requests.into_iter().cloned().collect(),
                walks: Vec::new(),
            });
        }
        Operation::Secret => return EventReads::Full,
        _ => {}
    }
    match (requests.as_slice(), walks.as_slice()) {
        ([request], []) => {
            // Bound by an ARN, the name may be another account's: reload.
            if !change.names().any(|name| name == request.name) {
                return EventReads::Full;
            }
            let moves = match (operation, &request.selector) {
                (Operation::Write, selector) => selector.is_none(),
                (Operation::Label, selector) => matches!(selector, Some(Selector::Label(_))),
                (Operation::Delete, _) => true,
                (Operation::Secret | Operation::Unknown, _) => unreachable!("handled above"),
            };
            match moves {
                true => EventReads::Read(Rereads {
                    names: vec![(*request).clone()],
                    walks: Vec::new(),
                }),
                false => EventReads::Nothing,
            }
        }
        ([], [(walk, name)]) => {
            // A KMS key or a label filter cannot be told from a value read
            // by name: reload.
            if walk.filters.key_id.is_some() || walk.filters.label.is_some() {
                return EventReads::Full;
            }
            match operation {
                Operation::Write | Operation::Delete => EventReads::Read(Rereads {
                    names: Vec::new(),
                    walks: vec![((*walk).clone(), (*name).to_owned())],
                }),
                // A walk reads the latest versions, which labels do not move.
                _ => EventReads::Nothing,
            }
        }
        // A name read under several selectors, or both by name and by a
        // walk (or by two walks): reload.
        _ => EventReads::Full,
    }
}

#[cfg(all(test, feature = "events"))]
mod tests {
    use super::*;
    use crate::live::into_change::IntoChange;
    use crate::pipeline::resolve::resolved::{NameRequest, PathRequest, Requests};
    use crate::source::{ParameterType, PathFilters};

    fn name(name: &str, selector: Option<Selector>) -> NameRequest {
        NameRequest {
            name: name.into(),
            selector,
            decrypt: true,
        }
    }

    fn walk(path: &str, filters: PathFilters) -> PathRequest {
        PathRequest {
            path: path.into(),
            recursive: true,
            filters,
            decrypt: true,
        }
    }

    fn bound(names: Vec<NameRequest>, paths: Vec<PathRequest>) -> Bound {
        Bound {
            prefix: None,
            requests: Requests { names, paths },
            read: Default::default(),
        }
    }

    fn change(name: &str, operation: &str) -> ParameterChange {
        serde_json::json!({"name": name, "operation": operation})
            .into_change()
            .unwrap()
            .unwrap()
    }

    fn reads(names: &[NameRequest]) -> EventReads {
        EventReads::Read(Rereads {
            names: names.to_vec(),
            walks: Vec::new(),
        })
    }

    #[test]
    fn a_bound_name_is_read_unless_its_pin_holds() {
        let latest = name("/a/host", None);
        let pinned = name("/a/cert", Some(Selector::Version(1)));
        let labelled = name("/a/key", Some(Selector::Label("live".into())));
        let b = bound(
            vec![latest.clone(), pinned.clone(), labelled.clone()],
            vec![],
        );
        let plan = |n: &str, op: &str| reads_for(&change(n, op), &b, None);
        assert_eq!(
            plan("/a/host", "Update"),
            reads(std::slice::from_ref(&latest))
        );
        assert_eq!(
            plan("/a/host", "Create"),
            reads(std::slice::from_ref(&latest))
        );
        assert_eq!(plan("/a/host", "Delete"), reads(&[latest]));
        assert_eq!(
            plan("/a/host", "LabelParameterVersion"),
            EventReads::Nothing
        );
        assert_eq!(plan("/a/cert", "Update"), EventReads::Nothing);
        assert_eq!(plan("/a/cert", "Delete"), reads(&[pinned]));
        assert_eq!(plan("/a/key", "Update"), EventReads::Nothing);
        assert_eq!(plan("/a/key", "LabelParameterVersion"), reads(&[labelled]));
        assert_eq!(plan("/a/other", "Update"), EventReads::Nothing);
        assert_eq!(
            plan("/a/host", "Rename"),
            EventReads::Full,
            "an unknown operation"
        );
    }

    #[test]
    fn what_the_rules_cannot_decide_reloads_everything() {
        let by_arn = name(
            "arn:aws:ssm:eu-west-1:123456789012:parameter/shared/x",
            None,
        );
        let two = vec![
            name("/a/host", None),
            name("/a/host", Some(Selector::Version(1))),
        ];
        let filtered = |filters| bound(vec![], vec![walk("/a/w", filters)]);
        let key = filtered(PathFilters {
            key_id: Some("alias/k".into()),
            ..PathFilters::default()
        });
        let label = filtered(PathFilters {
            label: Some("live".into()),
            ..PathFilters::default()
        });
        let both = bound(
            vec![name("/a/w/x", None)],
            vec![walk("/a/w", PathFilters::default())],
        );
        let full =
            |b: &Bound, n: &str| reads_for(&change(n, "Update"), b, None) == EventReads::Full;
        assert!(full(&bound(vec![by_arn], vec![]), "/shared/x"), "by ARN");
        assert!(full(&bound(two, vec![]), "/a/host"), "two selectors");
        assert!(full(&key, "/a/w/x"), "a KMS key filter");
        assert!(full(&label, "/a/w/x"), "a label filter");
        assert!(full(&both, "/a/w/x"), "by name and by a walk");
        let watched = bound(vec![], vec![]);
        assert_eq!(
            reads_for(
                &change("/a/version", "Update"),
                &watched,
                Some("/a/version")
            ),
            EventReads::Full
        );
    }

    #[test]
    fn more_names_than_a_full_load_reads_reload_everything() {
        let names: Vec<_> = (0..12).map(|i| name(&format!("/a/n{i}"), None)).collect();
        let b = bound(names, vec![walk("/a/w", PathFilters::default())]);
        // A full load: two calls for the names, one page for the walk.
        assert_eq!(b.full_load_calls(), 3);
        let changes: Vec<_> = (0..40)
            .map(|i| change(&format!("/a/w/x{i}"), "Create"))
            .collect();
        assert!(matches!(
            reads_for_all(&changes[..30], &b, None),
            EventReads::Read(_)
        ));
        assert_eq!(reads_for_all(&changes, &b, None), EventReads::Full);
    }

    #[test]
    fn a_walk_reads_the_name_and_a_type_filter_is_decided_on_it() {
        let typed = walk(
            "/a/w",
            PathFilters {
                kind: Some(ParameterType::String),
                ..PathFilters::default()
            },
        );
        let b = bound(vec![], vec![typed.clone()]);
        let read = |n: &str| {
            EventReads::Read(Rereads {
                names: Vec::new(),
                walks: vec![(typed.clone(), n.to_owned())],
            })
        };
        for op in ["Create", "Update", "Delete"] {
            assert_eq!(
                reads_for(&change("/a/w/deep/x", op), &b, None),
                read("/a/w/deep/x")
            );
        }
        assert_eq!(
            reads_for(&change("/a/w/x", "LabelParameterVersion"), &b, None),
            EventReads::Nothing
        );
        assert_eq!(
            reads_for(&change("/a/wx", "Update"), &b, None),
            EventReads::Nothing
        );
    }

    #[test]
    fn a_secret_change_reads_every_reference_and_merges_with_others() {
        let current = name("/aws/reference/secretsmanager/db", None);
        let previous = name(
            "/aws/reference/secretsmanager/db",
            Some(Selector::Label("AWSPREVIOUS".into())),
        );
        let host = name("/a/host", None);
        let b = bound(
            vec![current.clone(), previous.clone(), host.clone()],
            vec![],
        );
        let rotated: ParameterChange = serde_json::json!({
            "detail-type": "AWS Service Event via CloudTrail",
            "source": "aws.secretsmanager",
            "detail": {"eventName": "RotationSucceeded", "additionalEventData": {"SecretId": "db"}}
        })
        .into_change()
        .unwrap()
        .unwrap();
        assert_eq!(
            reads_for(&rotated, &b, None),
            reads(&[current.clone(), previous.clone()])
        );
        let updated = change("/a/host", "Update");
        assert_eq!(
            reads_for_all([&rotated, &updated, &rotated], &b, None),
            reads(&[current, previous, host])
        );
        let unknown = change("/a/host", "Rename");
        assert_eq!(
            reads_for_all([&rotated, &unknown], &b, None),
            EventReads::Full
        );
    }
}
