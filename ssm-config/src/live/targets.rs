//! The rules of a targeted refresh: what a change event calls for, given
//! what the current snapshot read. Whatever the rules do not cover with
//! certainty reloads the whole group.

use super::change::ParameterChange;
use crate::load::Bound;
use crate::load::targeted::Rereads;
use crate::name::Selector;

/// What one or more change events call for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Plan {
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
    if super::change::is_secret_change(change) {
        return Operation::Secret;
    }
    match change.operation.as_str() {
        "Create" | "Update" => Operation::Write,
        "Delete" => Operation::Delete,
        "LabelParameterVersion" => Operation::Label,
        _ => Operation::Unknown,
    }
}

/// What `changes` call for together: their reads merged into one, or a
/// full reload when any of them needs one.
pub(crate) fn plan_all<'a>(
    changes: impl IntoIterator<Item = &'a ParameterChange>,
    bound: &Bound,
    watched: Option<&str>,
) -> Plan {
    let mut merged = Rereads::default();
    for change in changes {
        match plan(change, bound, watched) {
            Plan::Full => return Plan::Full,
            Plan::Read(rereads) => merged.merge(rereads),
            Plan::Nothing => {}
        }
    }
    match merged.is_empty() {
        true => Plan::Nothing,
        false => Plan::Read(merged),
    }
}

/// What one change calls for.
pub(crate) fn plan(change: &ParameterChange, bound: &Bound, watched: Option<&str>) -> Plan {
    if change.names().any(|name| Some(name) == watched) {
        return Plan::Full;
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
        return Plan::Nothing;
    }
    let operation = operation(change);
    match operation {
        Operation::Unknown => return Plan::Full,
        // A secret's every stage may move: each reference to it is read
        // again, whatever its selector. Secrets cannot be walked.
        Operation::Secret if walks.is_empty() => {
            return Plan::Read(Rereads {
                names: requests.into_iter().cloned().collect(),
                walks: Vec::new(),
            });
        }
        Operation::Secret => return Plan::Full,
        _ => {}
    }
    match (requests.as_slice(), walks.as_slice()) {
        ([request], []) => {
            // Bound by an ARN, the name may be another account's: reload.
            if !change.names().any(|name| name == request.name) {
                return Plan::Full;
            }
            let moves = match (operation, &request.selector) {
                (Operation::Write, selector) => selector.is_none(),
                (Operation::Label, selector) => matches!(selector, Some(Selector::Label(_))),
                (Operation::Delete, _) => true,
                (Operation::Secret | Operation::Unknown, _) => unreachable!("handled above"),
            };
            match moves {
                true => Plan::Read(Rereads {
                    names: vec![(*request).clone()],
                    walks: Vec::new(),
                }),
                false => Plan::Nothing,
            }
        }
        ([], [(walk, name)]) => {
            // A KMS key or a label filter cannot be told from a value read
            // by name: reload.
            if walk.filters.key_id.is_some() || walk.filters.label.is_some() {
                return Plan::Full;
            }
            match operation {
                Operation::Write | Operation::Delete => Plan::Read(Rereads {
                    names: Vec::new(),
                    walks: vec![((*walk).clone(), (*name).to_owned())],
                }),
                // A walk reads the latest versions, which labels do not move.
                _ => Plan::Nothing,
            }
        }
        // A name read under several selectors, or both by name and by a
        // walk (or by two walks): reload.
        _ => Plan::Full,
    }
}
