//! A leaf of the search: what one field reads, with its name kept as the
//! parts it is joined from, and the hash that sorts equal reads together.

use ssm_config_rules::{FNV_OFFSET, Reads, fnv_byte, fnv_bytes, stands_alone, trimmed_len};

/// More parts than SSM's 15 levels allow; a deeper leaf is not compared.
const MAX_PARTS: usize = 16;

/// The parts of a name, joined with `/` the way the runtime joins paths.
#[derive(Clone, Copy)]
pub(super) struct Parts {
    pub parts: [&'static str; MAX_PARTS],
    pub len: usize,
    /// More parts than fit: the leaf is not compared.
    pub overflow: bool,
}

impl Parts {
    pub const EMPTY: Parts = Parts {
        parts: [""; MAX_PARTS],
        len: 0,
        overflow: false,
    };

    pub const fn push(mut self, part: &'static str) -> Parts {
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
    pub const fn join(self, path: &'static str) -> Parts {
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
pub(super) struct Base {
    pub parts: Parts,
    hash: u64,
}

impl Base {
    pub const EMPTY: Base = Base {
        parts: Parts::EMPTY,
        hash: FNV_OFFSET,
    };

    pub const fn root(prefix: Option<&'static str>) -> Base {
        match prefix {
            Some(prefix) => Base::EMPTY.join(prefix),
            None => Base::EMPTY,
        }
    }

    /// The base a nested struct's names are joined to.
    pub const fn join(self, segment: &'static str) -> Base {
        let bytes = segment.as_bytes();
        Base {
            parts: self.parts.join(segment),
            hash: fnv_bytes(self.start(segment), bytes, trimmed_len(bytes)),
        }
    }

    /// The hash of `path` joined to this base, as [`same_name`] compares it.
    pub const fn name_hash(&self, path: &'static str) -> u64 {
        let bytes = path.as_bytes();
        fnv_bytes(self.start(path), bytes, bytes.len())
    }

    /// The hash state `path`'s own bytes continue from.
    const fn start(&self, path: &'static str) -> u64 {
        if stands_alone(path) || self.parts.len == 0 {
            FNV_OFFSET
        } else {
            fnv_byte(self.hash, b'/')
        }
    }
}

/// One field that reads something: equal leaves read the same thing.
#[derive(Clone, Copy)]
pub(super) struct Leaf {
    /// Index of the root struct's field the leaf sits under.
    pub root_field: usize,
    pub field: Parts,
    /// The name read, joined to the field's base unless it stands alone.
    pub name: Parts,
    pub reads: Reads<'static>,
    /// Equal for equal reads; compared before any byte is.
    pub hash: u64,
}

impl Leaf {
    /// The leaf of a field at `field` under `base` that reads `reads`.
    pub const fn new(root_field: usize, field: Parts, base: &Base, reads: Reads<'static>) -> Leaf {
        let target = reads.target();
        let (name, name_hash) = if reads.joins_base() {
            (base.parts.join(target), base.name_hash(target))
        } else {
            (Parts::EMPTY.push(target), Base::EMPTY.name_hash(target))
        };
        Leaf {
            root_field,
            field,
            name,
            reads,
            hash: reads.hash_apart_from_name(name_hash),
        }
    }

    pub const EMPTY: Leaf = Leaf {
        root_field: 0,
        field: Parts::EMPTY,
        name: Parts::EMPTY,
        reads: Reads::Parameter {
            path: "",
            selector: None,
        },
        hash: 0,
    };
}

/// Whether two leaves read the same thing (names too long to compare never do).
pub(super) const fn same_target(a: &Leaf, b: &Leaf) -> bool {
    !a.name.overflow
        && !b.name.overflow
        && a.reads.same_apart_from_name(&b.reads)
        && same_name(&a.name, &b.name)
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
pub(super) struct Cursor<'a> {
    parts: &'a Parts,
    separator: u8,
    part: usize,
    byte: usize,
}

impl<'a> Cursor<'a> {
    pub const fn new(parts: &'a Parts, separator: u8) -> Cursor<'a> {
        Cursor {
            parts,
            separator,
            part: 0,
            byte: 0,
        }
    }

    pub const fn next(mut self) -> (Cursor<'a>, Option<u8>) {
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
