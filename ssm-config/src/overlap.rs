//! Two fields bound to one parameter, found while the compiler evaluates a
//! struct's plan. The derive compares a struct's own fields itself; a field
//! of a nested struct is named by the nested struct's own derive, so pairs
//! that reach into nested structs are compared here, in `const` code, and a
//! duplicate fails the build at the nested field.

use crate::plan::{Binding, StructPlan};

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

    /// `name::join`: an absolute path or an empty base starts over.
    const fn join(self, path: &'static str) -> Parts {
        let absolute = !path.is_empty() && path.as_bytes()[0] == b'/';
        if absolute || self.len == 0 {
            let mut fresh = Parts::EMPTY.push(path);
            fresh.overflow = self.overflow && !absolute;
            fresh
        } else {
            self.push(path)
        }
    }
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
}

impl Leaf {
    const EMPTY: Leaf = Leaf {
        root_field: 0,
        field: Parts::EMPTY,
        kind: 0,
        name: Parts::EMPTY,
        detail: None,
        recursive: false,
    };
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

/// A build-failing message when a leaf under `plan.fields[nested]` reads what
/// another field reads. `N` is [`leaf_count`] of `plan`.
pub const fn nested_overlap<const N: usize>(plan: &StructPlan, nested: usize) -> Message {
    let mut leaves = [Leaf::EMPTY; N];
    let base = match plan.prefix {
        Some(prefix) => Parts::EMPTY.push(prefix),
        None => Parts::EMPTY,
    };
    collect(plan, base, Parts::EMPTY, None, &mut leaves, 0);
    let mut later = 0;
    while later < N {
        let b = &leaves[later];
        if b.root_field == nested {
            let mut earlier = 0;
            while earlier < N {
                let a = &leaves[earlier];
                let other = a.root_field != nested
                    && (a.root_field < nested || !is_nested(plan, a.root_field));
                if other && same_target(a, b) {
                    return Message::duplicate(b, a);
                }
                earlier += 1;
            }
        }
        later += 1;
    }
    Message::NONE
}

const fn is_nested(plan: &StructPlan, field: usize) -> bool {
    matches!(plan.fields[field].binding, Binding::Nested { .. })
}

/// Fills `leaves` from `at` on; returns the next free index.
const fn collect(
    plan: &StructPlan,
    base: Parts,
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
                leaf.name = base.join(path);
                leaf.detail = *selector;
            }
            Binding::Secret { name, key, .. } => {
                leaf.kind = 1;
                leaf.name = Parts::EMPTY.push(name);
                leaf.detail = *key;
            }
            Binding::ByPath {
                path,
                recursive,
                label,
                ..
            } => {
                leaf.kind = 2;
                leaf.name = base.join(path);
                leaf.detail = *label;
                leaf.recursive = *recursive;
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

const fn trimmed_len(bytes: &[u8]) -> usize {
    let mut end = bytes.len();
    while end > 0 && bytes[end - 1] == b'/' {
        end -= 1;
    }
    end
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
