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

use ssm_config_rules::{stands_alone, trimmed_len};

use crate::plan::{Binding, StructPlan};
use crate::source::ParameterType;

/// More parts than SSM's 15 levels allow; a deeper leaf is not compared.
const MAX_PARTS: usize = 16;
const MESSAGE_CAPACITY: usize = 512;

/// The parts of a name, joined with `/` the way the runtime joins paths.
#[derive(Clone, Copy)]
struct Parts {
    parts: [&'static str; MAX_PARTS],
    len: usize,
    /// More parts than fit: the leaf is not compared.
    overflow: bool,
}

impl Parts {
    const EMPTY: Parts = Parts {
        parts: [""; MAX_PARTS],
        len: 0,
        overflow: false,
    };

    const fn push(mut self, part: &'static str) -> Parts {
        if self.len == MAX_PARTS {
            self.overflow = true;
        } else {
            self.parts[self.len] = part;
            self.len += 1;
        }
        self
    }

    /// `ssm_config_rules::join`: an absolute path, an ARN or an empty base
    /// starts over.
    const fn join(self, path: &'static str) -> Parts {
        let absolute = stands_alone(path);
        if absolute || self.len == 0 {
            let mut fresh = Parts::EMPTY.push(path);
            fresh.overflow = self.overflow && !absolute;
            fresh
        } else {
            self.push(path)
        }
    }
}

/// A base name that relative paths are joined to, with the hash of its
/// bytes as they stand before a joined path (every part trimmed of `/`).
#[derive(Clone, Copy)]
struct Base {
    parts: Parts,
    hash: u64,
}

impl Base {
    const EMPTY: Base = Base {
        parts: Parts::EMPTY,
        hash: FNV_OFFSET,
    };

    const fn root(prefix: Option<&'static str>) -> Base {
        match prefix {
            Some(prefix) => Base::EMPTY.join(prefix),
            None => Base::EMPTY,
        }
    }

    /// The base a nested struct's names are joined to.
    const fn join(self, segment: &'static str) -> Base {
        let bytes = segment.as_bytes();
        Base {
            parts: self.parts.join(segment),
            hash: hash_bytes(self.start(segment), bytes, trimmed_len(bytes)),
        }
    }

    /// The hash of `path` joined to this base, as [`same_name`] compares it.
    const fn name_hash(&self, path: &'static str) -> u64 {
        let bytes = path.as_bytes();
        hash_bytes(self.start(path), bytes, bytes.len())
    }

    /// The hash state `path`'s own bytes continue from.
    const fn start(&self, path: &'static str) -> u64 {
        if stands_alone(path) || self.parts.len == 0 {
            FNV_OFFSET
        } else {
            hash_byte(self.hash, b'/')
        }
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

const fn hash_byte(hash: u64, byte: u8) -> u64 {
    (hash ^ byte as u64).wrapping_mul(FNV_PRIME)
}

const fn hash_bytes(mut hash: u64, bytes: &[u8], end: usize) -> u64 {
    let mut i = 0;
    while i < end {
        hash = hash_byte(hash, bytes[i]);
        i += 1;
    }
    hash
}

/// What a field reads: equal leaves read the same thing.
#[derive(Clone, Copy)]
struct Leaf {
    /// Index of the root struct's field the leaf sits under.
    root_field: usize,
    field: Parts,
    kind: u8,
    name: Parts,
    detail: Option<&'static str>,
    recursive: bool,
    /// A walk's `type` filter (0 for none) and `key_id` filter: walks of
    /// one path with different filters read different parameters.
    filter_kind: u8,
    key_id: Option<&'static str>,
    /// Equal for equal targets; compared before any byte is.
    hash: u64,
}

impl Leaf {
    const EMPTY: Leaf = Leaf {
        root_field: 0,
        field: Parts::EMPTY,
        kind: 0,
        name: Parts::EMPTY,
        detail: None,
        recursive: false,
        filter_kind: 0,
        key_id: None,
        hash: 0,
    };

    const fn hashed(mut self, name_hash: u64) -> Leaf {
        let mut hash = hash_byte(name_hash, self.kind);
        hash = hash_byte(hash, self.recursive as u8);
        hash = hash_byte(hash, self.filter_kind);
        if let Some(detail) = self.detail {
            let bytes = detail.as_bytes();
            hash = hash_bytes(hash_byte(hash, 1), bytes, bytes.len());
        }
        self.hash = hash;
        self
    }
}

/// The number of fields that read something, nested ones included.
pub const fn leaf_count(plan: &StructPlan) -> usize {
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
pub const fn find_overlaps<const N: usize, const F: usize>(plan: &StructPlan) -> Overlaps<F> {
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
    pub const fn message<const N: usize>(&self, plan: &StructPlan, field: usize) -> Message {
        if field >= F || self.later[field] == NO_LEAF {
            return Message::NONE;
        }
        let leaves = leaves::<N>(plan);
        Message::duplicate(&leaves[self.later[field]], &leaves[self.earlier[field]])
    }
}

/// Every leaf of `plan`, in field order. `N` is [`leaf_count`] of `plan`.
const fn leaves<const N: usize>(plan: &StructPlan) -> [Leaf; N] {
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

const fn is_nested(plan: &StructPlan, field: usize) -> bool {
    matches!(plan.fields[field].binding, Binding::Nested { .. })
}

/// Leaf indexes ordered by hash, then by index: a heapsort, `N log N` steps.
const fn sorted_by_hash<const N: usize>(leaves: &[Leaf; N]) -> [usize; N] {
    let mut order = [0; N];
    let mut i = 0;
    while i < N {
        order[i] = i;
        i += 1;
    }
    let mut start = N / 2;
    while start > 0 {
        start -= 1;
        sift_down(leaves, &mut order, start, N);
    }
    let mut end = N;
    while end > 1 {
        end -= 1;
        let top = order[0];
        order[0] = order[end];
        order[end] = top;
        sift_down(leaves, &mut order, 0, end);
    }
    order
}

const fn before(leaves: &[Leaf], a: usize, b: usize) -> bool {
    let (x, y) = (leaves[a].hash, leaves[b].hash);
    x < y || (x == y && a < b)
}

const fn sift_down(leaves: &[Leaf], order: &mut [usize], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && before(leaves, order[child], order[child + 1]) {
            child += 1;
        }
        if !before(leaves, order[root], order[child]) {
            return;
        }
        let parent = order[root];
        order[root] = order[child];
        order[child] = parent;
        root = child;
    }
}

/// Fills `leaves` from `at` on; returns the next free index.
const fn collect(
    plan: &StructPlan,
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
        let mut leaf = Leaf {
            root_field: root,
            field: here,
            ..Leaf::EMPTY
        };
        let mut found = true;
        match &field.binding {
            Binding::Parameter { path, selector, .. } => {
                leaf.kind = 0;
                leaf.name = base.parts.join(path);
                leaf.detail = *selector;
                leaf = leaf.hashed(base.name_hash(path));
            }
            Binding::Secret { name, key, .. } => {
                leaf.kind = 1;
                leaf.name = Parts::EMPTY.push(name);
                leaf.detail = *key;
                leaf = leaf.hashed(Base::EMPTY.name_hash(name));
            }
            Binding::ByPath {
                path,
                recursive,
                label,
                kind,
                key_id,
                ..
            } => {
                leaf.kind = 2;
                leaf.name = base.parts.join(path);
                leaf.detail = *label;
                leaf.recursive = *recursive;
                leaf.filter_kind = match kind {
                    None => 0,
                    Some(ParameterType::String) => 1,
                    Some(ParameterType::StringList) => 2,
                    Some(ParameterType::SecureString) => 3,
                };
                leaf.key_id = *key_id;
                leaf = leaf.hashed(base.name_hash(path));
            }
            Binding::Nested { segment, plan } => {
                let child = match segment {
                    Some(segment) => base.join(segment),
                    None => base,
                };
                at = collect(plan, child, here, Some(root), leaves, at);
                found = false;
            }
            Binding::Skip => found = false,
        }
        if found && at < leaves.len() {
            leaves[at] = leaf;
            at += 1;
        }
        i += 1;
    }
    at
}

const fn same_target(a: &Leaf, b: &Leaf) -> bool {
    a.kind == b.kind
        && a.recursive == b.recursive
        && a.filter_kind == b.filter_kind
        && same_option(a.key_id, b.key_id)
        && !a.name.overflow
        && !b.name.overflow
        && same_option(a.detail, b.detail)
        && same_name(&a.name, &b.name)
}

const fn same_option(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_bytes(a.as_bytes(), b.as_bytes()),
        _ => false,
    }
}

const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Compares two joined names byte by byte without joining them.
const fn same_name(a: &Parts, b: &Parts) -> bool {
    let mut x = Cursor::new(a, b'/');
    let mut y = Cursor::new(b, b'/');
    loop {
        let (next_x, byte_x) = x.next();
        let (next_y, byte_y) = y.next();
        match (byte_x, byte_y) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q => {}
            _ => return false,
        }
        x = next_x;
        y = next_y;
    }
}

/// Walks the bytes of joined parts: between two parts, the earlier part's
/// trailing `/`s are dropped and one separator is written.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    parts: &'a Parts,
    separator: u8,
    part: usize,
    byte: usize,
}

impl<'a> Cursor<'a> {
    const fn new(parts: &'a Parts, separator: u8) -> Cursor<'a> {
        Cursor {
            parts,
            separator,
            part: 0,
            byte: 0,
        }
    }

    const fn next(mut self) -> (Cursor<'a>, Option<u8>) {
        while self.part < self.parts.len {
            let bytes = self.parts.parts[self.part].as_bytes();
            let last = self.part + 1 == self.parts.len;
            let end = if last || self.separator != b'/' {
                bytes.len()
            } else {
                trimmed_len(bytes)
            };
            if self.byte < end {
                let byte = bytes[self.byte];
                self.byte += 1;
                return (self, Some(byte));
            }
            self.part += 1;
            self.byte = 0;
            if !last {
                return (self, Some(self.separator));
            }
        }
        (self, None)
    }
}

/// A message built in `const` code; empty when there is nothing to report.
pub struct Message {
    bytes: [u8; MESSAGE_CAPACITY],
    len: usize,
}

impl Message {
    const NONE: Message = Message {
        bytes: [0; MESSAGE_CAPACITY],
        len: 0,
    };

    const fn duplicate(later: &Leaf, earlier: &Leaf) -> Message {
        let mut m = Message::NONE;
        m = m.text("field `").parts(&later.field, b'.').text("` reads ");
        m = match later.kind {
            1 => m.text("secret `").parts(&later.name, b'/').text("`"),
            2 => m
                .text("every parameter under `")
                .parts(&later.name, b'/')
                .text("`"),
            _ => m.text("`").parts(&later.name, b'/').text("`"),
        };
        if let Some(detail) = later.detail {
            m = match later.kind {
                1 => m.text(", key `").text(detail).text("`"),
                2 => m.text(", label `").text(detail).text("`"),
                _ => m.text(" at `:").text(detail).text("`"),
            };
        }
        m.text(", which field `")
            .parts(&earlier.field, b'.')
            .text("` already reads; bind each parameter to one field")
    }

    const fn text(mut self, text: &str) -> Message {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < MESSAGE_CAPACITY {
            self.bytes[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    const fn parts(mut self, parts: &Parts, separator: u8) -> Message {
        let mut cursor = Cursor::new(parts, separator);
        loop {
            let (next, byte) = cursor.next();
            match byte {
                Some(byte) if self.len < MESSAGE_CAPACITY => {
                    self.bytes[self.len] = byte;
                    self.len += 1;
                }
                _ => return self,
            }
            cursor = next;
        }
    }

    /// The message, when there is one.
    pub const fn get(&self) -> Option<&str> {
        if self.len == 0 {
            return None;
        }
        let (head, _) = self.bytes.split_at(self.len);
        match core::str::from_utf8(head) {
            Ok(text) => Some(text),
            // Truncation split a character: the message still names the problem.
            Err(err) => match core::str::from_utf8(head.split_at(err.valid_up_to()).0) {
                Ok(text) => Some(text),
                Err(_) => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{FieldPlan, Presence, ValuePlan};

    const VALUE: ValuePlan = ValuePlan {
        expected: "String",
        secret: false,
        list: false,
        plaintext: false,
        presence: Presence::Required,
        env: None,
        default_text: None,
    };

    const fn parameter(field: &'static str, path: &'static str) -> FieldPlan {
        FieldPlan {
            field,
            binding: Binding::Parameter {
                path,
                selector: None,
                value: VALUE,
            },
        }
    }

    const fn nested(
        field: &'static str,
        segment: Option<&'static str>,
        plan: &'static StructPlan,
    ) -> FieldPlan {
        FieldPlan {
            field,
            binding: Binding::Nested { segment, plan },
        }
    }

    const fn plan(prefix: Option<&'static str>, fields: &'static [FieldPlan]) -> StructPlan {
        StructPlan {
            type_name: "T",
            prefix,
            max_age_secs: None,
            decrypt: true,
            fields,
        }
    }

    /// The message for each field, as the generated checks ask for them.
    fn messages<const N: usize, const F: usize>(plan: &StructPlan) -> Vec<Option<String>> {
        assert_eq!(leaf_count(plan), N);
        let found = find_overlaps::<N, F>(plan);
        (0..F)
            .map(|field| found.message::<N>(plan, field).get().map(str::to_owned))
            .collect()
    }

    static DB: StructPlan = plan(
        None,
        &[parameter("host", "host"), parameter("port", "port")],
    );
    static CACHE: StructPlan = plan(None, &[parameter("host", "host")]);

    #[test]
    fn a_nested_leaf_that_reads_an_earlier_field_fails_at_the_nested_field() {
        static APP: StructPlan = plan(
            Some("/app/"),
            &[
                parameter("db_port", "db/port"),
                nested("db", Some("db"), &DB),
            ],
        );
        assert_eq!(
            messages::<3, 2>(&APP),
            [
                None,
                Some(
                    "field `db.port` reads `/app/db/port`, which field `db_port` already reads; bind each parameter to one field"
                        .to_owned()
                )
            ]
        );
    }

    #[test]
    fn a_later_plain_field_is_found_and_reported_at_the_nested_field() {
        static APP: StructPlan = plan(
            Some("/app"),
            &[
                nested("db", Some("db/"), &DB),
                parameter("host", "/app/db/host"),
            ],
        );
        assert_eq!(
            messages::<3, 2>(&APP)[0].as_deref(),
            Some(
                "field `db.host` reads `/app/db/host`, which field `host` already reads; bind each parameter to one field"
            )
        );
    }

    #[test]
    fn between_two_nested_fields_only_the_later_one_fails() {
        static APP: StructPlan = plan(
            Some("/app"),
            &[
                nested("primary", Some("db"), &DB),
                nested("cache", None, &CACHE),
                nested("replica", Some("/app/db"), &DB),
            ],
        );
        let found = messages::<5, 3>(&APP);
        assert_eq!(found[0], None);
        assert_eq!(found[1], None, "`/app/host` is read once");
        assert_eq!(
            found[2].as_deref(),
            Some(
                "field `replica.host` reads `/app/db/host`, which field `primary.host` already reads; bind each parameter to one field"
            )
        );
    }

    #[test]
    fn distinct_names_selectors_and_kinds_do_not_overlap() {
        static PINNED: StructPlan = plan(
            None,
            &[FieldPlan {
                field: "host",
                binding: Binding::Parameter {
                    path: "host",
                    selector: Some("3"),
                    value: VALUE,
                },
            }],
        );
        static WALK: StructPlan = plan(
            None,
            &[FieldPlan {
                field: "all",
                binding: Binding::ByPath {
                    path: "host",
                    recursive: true,
                    kind: None,
                    key_id: None,
                    label: None,
                    value: VALUE,
                },
            }],
        );
        static LISTS: StructPlan = plan(
            None,
            &[FieldPlan {
                field: "lists",
                binding: Binding::ByPath {
                    path: "host",
                    recursive: true,
                    kind: Some(ParameterType::StringList),
                    key_id: None,
                    label: None,
                    value: VALUE,
                },
            }],
        );
        static KEYED: StructPlan = plan(
            None,
            &[FieldPlan {
                field: "keyed",
                binding: Binding::ByPath {
                    path: "host",
                    recursive: true,
                    kind: None,
                    key_id: Some("alias/app"),
                    label: None,
                    value: VALUE,
                },
            }],
        );
        static APP: StructPlan = plan(
            Some("/app"),
            &[
                parameter("host", "db/host"),
                nested("pinned", Some("db"), &PINNED),
                nested("walk", Some("db"), &WALK),
                nested("other", Some("dbx"), &DB),
                nested("lists", Some("db"), &LISTS),
                nested("keyed", Some("db"), &KEYED),
            ],
        );
        assert_eq!(messages::<7, 6>(&APP), [None, None, None, None, None, None]);
    }

    #[test]
    fn a_repeated_group_among_many_is_found_at_the_repeat() {
        // 40 groups of the same struct under distinct segments: 80 leaves,
        // none shared; the last group repeats the first one's segment.
        static SEGMENTS: [&str; 41] = {
            let mut s = [""; 41];
            let names = [
                "g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9", "g10", "g11", "g12",
                "g13", "g14", "g15", "g16", "g17", "g18", "g19", "g20", "g21", "g22", "g23", "g24",
                "g25", "g26", "g27", "g28", "g29", "g30", "g31", "g32", "g33", "g34", "g35", "g36",
                "g37", "g38", "g39", "g0",
            ];
            let mut i = 0;
            while i < 41 {
                s[i] = names[i];
                i += 1;
            }
            s
        };
        static FIELDS: [FieldPlan; 41] = {
            let mut fields = [const { nested("g", None, &DB) }; 41];
            let mut i = 0;
            while i < 41 {
                fields[i] = nested("g", Some(SEGMENTS[i]), &DB);
                i += 1;
            }
            fields
        };
        static APP: StructPlan = plan(Some("/app"), &FIELDS);
        let found = messages::<82, 41>(&APP);
        assert!(found[..40].iter().all(Option::is_none));
        assert_eq!(
            found[40].as_deref(),
            Some(
                "field `g.host` reads `/app/g0/host`, which field `g.host` already reads; bind each parameter to one field"
            )
        );
    }
}
