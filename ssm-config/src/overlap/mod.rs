//! Two fields bound to one parameter, found while the compiler evaluates a
//! struct's plan. The derive compares a struct's own fields itself; a field
//! of a nested struct is named by the nested struct's own derive, so pairs
//! that reach into nested structs are compared here, in `const` code, and a
//! duplicate fails the build at the nested field.
//!
//! The cost is kept close to linear in the number of leaves: every leaf's
//! target is hashed once (a nested struct's base name is hashed once for all
//! its leaves), the leaves are sorted by hash, and only leaves of equal hash
//! are compared byte by byte. The search runs once per struct; each nested
//! field then looks up its own answer. Messages are built only on failure.
//!
//! What counts as reading the same thing is [`ssm_config_rules::Reads`],
//! the definition the derive's check of a struct's own fields uses too.

mod leaf;
mod message;
mod order;
#[cfg(test)]
mod tests;

use ssm_config_rules::Reads;

use crate::description::{Binding, StructDescription};

use leaf::{Base, Leaf, Parts, same_target};
pub use message::Message;
use order::sorted_by_hash;

/// The number of fields that read something, nested ones included.
pub const fn leaf_count(plan: &StructDescription) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i < plan.fields.len() {
        count += match &plan.fields[i].binding {
            Binding::Nested { plan, .. } => leaf_count(plan),
            Binding::Skip => 0,
            _ => 1,
        };
        i += 1;
    }
    count
}

const NO_LEAF: usize = usize::MAX;

/// For each of a struct's `F` fields: the first leaf under it (in field
/// order) that reads what another field reads, and the first such other
/// leaf. Only nested fields are searched: the derive compares a struct's
/// own fields, and a nested struct's derive compares the fields inside it.
pub struct Overlaps<const F: usize> {
    later: [usize; F],
    earlier: [usize; F],
}

/// Searches `plan` (of `F` fields and `N` = [`leaf_count`] leaves) for
/// leaves under nested fields that read what another field reads.
pub const fn find_overlaps<const N: usize, const F: usize>(
    plan: &StructDescription,
) -> Overlaps<F> {
    let mut found = Overlaps {
        later: [NO_LEAF; F],
        earlier: [NO_LEAF; F],
    };
    let leaves = leaves::<N>(plan);
    let order = sorted_by_hash(&leaves);
    let mut start = 0;
    while start < N {
        let mut end = start + 1;
        while end < N && leaves[order[end]].hash == leaves[order[start]].hash {
            end += 1;
        }
        // Leaves of equal hash, in field order: more than one only where
        // fields read the same thing, which is an error, or on a collision.
        let mut j = start;
        while end - start > 1 && j < end {
            let later = order[j];
            let root = leaves[later].root_field;
            if root < F && is_nested(plan, root) && later < found.later[root] {
                let mut i = start;
                while i < end {
                    let earlier = order[i];
                    let other = leaves[earlier].root_field;
                    if other != root
                        && (other < root || !is_nested(plan, other))
                        && same_target(&leaves[earlier], &leaves[later])
                    {
                        found.later[root] = later;
                        found.earlier[root] = earlier;
                        break;
                    }
                    i += 1;
                }
            }
            j += 1;
        }
        start = end;
    }
    found
}

impl<const F: usize> Overlaps<F> {
    /// A build-failing message when a leaf under `plan.fields[field]` reads
    /// what another field reads. `N` is [`leaf_count`] of `plan`.
    pub const fn message<const N: usize>(&self, plan: &StructDescription, field: usize) -> Message {
        if field >= F || self.later[field] == NO_LEAF {
            return Message::NONE;
        }
        let leaves = leaves::<N>(plan);
        Message::duplicate(&leaves[self.later[field]], &leaves[self.earlier[field]])
    }
}

/// Every leaf of `plan`, in field order. `N` is [`leaf_count`] of `plan`.
const fn leaves<const N: usize>(plan: &StructDescription) -> [Leaf; N] {
    let mut leaves = [Leaf::EMPTY; N];
    collect(
        plan,
        Base::root(plan.prefix),
        Parts::EMPTY,
        None,
        &mut leaves,
        0,
    );
    leaves
}

const fn is_nested(plan: &StructDescription, field: usize) -> bool {
    matches!(plan.fields[field].binding, Binding::Nested { .. })
}

/// Fills `leaves` from `at` on; returns the next free index.
const fn collect(
    plan: &StructDescription,
    base: Base,
    field_path: Parts,
    root_field: Option<usize>,
    leaves: &mut [Leaf],
    mut at: usize,
) -> usize {
    let mut i = 0;
    while i < plan.fields.len() {
        let field = &plan.fields[i];
        let root = match root_field {
            Some(root) => root,
            None => i,
        };
        let here = field_path.push(field.field);
        if let Some(reads) = reads_of(&field.binding) {
            if at < leaves.len() {
                leaves[at] = Leaf::new(root, here, &base, reads);
                at += 1;
            }
        } else if let Binding::Nested { segment, plan } = &field.binding {
            let child = match segment {
                Some(segment) => base.join(segment),
                None => base,
            };
            at = collect(plan, child, here, Some(root), leaves, at);
        }
        i += 1;
    }
    at
}

/// What a field of the plan reads, in the terms the derive compares too;
/// `None` for nested and skipped fields.
const fn reads_of(binding: &Binding) -> Option<Reads<'static>> {
    match binding {
        Binding::Parameter { path, selector, .. } => Some(Reads::Parameter {
            path,
            selector: *selector,
        }),
        Binding::Secret { name, key, .. } => Some(Reads::Secret { name, key: *key }),
        Binding::ByPath {
            path,
            recursive,
            kind,
            key_id,
            label,
            ..
        } => Some(Reads::Walk {
            path,
            recursive: *recursive,
            kind: match kind {
                Some(kind) => Some(kind.as_str()),
                None => None,
            },
            key_id: *key_id,
            label: *label,
        }),
        Binding::Nested { .. } | Binding::Skip => None,
    }
}
