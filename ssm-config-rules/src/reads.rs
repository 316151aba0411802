//! What a field reads, defined once: the derive compares a struct's own
//! fields with it, and the runtime's `const` check compares fields across
//! nested structs with it, so the two can never disagree on whether two
//! fields read the same parameters.
//!
//! Two fields read the same when their [targets](Reads::target), joined to
//! their bases where [`Reads::joins_base`] says so, name the same thing and
//! [`Reads::same_apart_from_name`] holds.

/// What one field reads.
#[derive(Clone, Copy, Debug)]
pub enum Reads<'a> {
    /// One parameter, at its latest version or at the selector given.
    Parameter {
        path: &'a str,
        selector: Option<&'a str>,
    },
    /// A Secrets Manager secret, whole or one key of it.
    Secret { name: &'a str, key: Option<&'a str> },
    /// Every parameter under a path that the walk's filters let through.
    Walk {
        path: &'a str,
        recursive: bool,
        /// The `type` filter, as SSM spells the type.
        kind: Option<&'a str>,
        key_id: Option<&'a str>,
        label: Option<&'a str>,
    },
}

impl<'a> Reads<'a> {
    /// The path or secret name the field declares.
    pub const fn target(&self) -> &'a str {
        match self {
            Reads::Parameter { path, .. } | Reads::Walk { path, .. } => path,
            Reads::Secret { name, .. } => name,
        }
    }

    /// Whether the target is joined to the struct's base (its prefix and
    /// nesting segments) as paths are; a secret's name stands alone.
    pub const fn joins_base(&self) -> bool {
        !matches!(self, Reads::Secret { .. })
    }

    /// For two fields whose targets name the same thing: whether they read
    /// the same parameters. Walks of one path with other filters, or another
    /// depth, read other parameters; so do two selectors, or two keys.
    pub const fn same_apart_from_name(&self, other: &Reads<'_>) -> bool {
        match (self, other) {
            (Reads::Parameter { selector: a, .. }, Reads::Parameter { selector: b, .. }) => {
                same_option(*a, *b)
            }
            (Reads::Secret { key: a, .. }, Reads::Secret { key: b, .. }) => same_option(*a, *b),
            (
                Reads::Walk {
                    recursive: r1,
                    kind: k1,
                    key_id: i1,
                    label: l1,
                    ..
                },
                Reads::Walk {
                    recursive: r2,
                    kind: k2,
                    key_id: i2,
                    label: l2,
                    ..
                },
            ) => {
                *r1 == *r2
                    && same_option(*k1, *k2)
                    && same_option(*i1, *i2)
                    && same_option(*l1, *l2)
            }
            _ => false,
        }
    }

    /// Folds into `hash` (FNV-1a) what [`Reads::same_apart_from_name`]
    /// compares, so fields that read the same hash the same.
    pub const fn hash_apart_from_name(&self, hash: u64) -> u64 {
        match self {
            Reads::Parameter { selector, .. } => hash_option(fnv_byte(hash, 0), *selector),
            Reads::Secret { key, .. } => hash_option(fnv_byte(hash, 1), *key),
            Reads::Walk {
                recursive,
                kind,
                key_id,
                label,
                ..
            } => {
                let hash = fnv_byte(fnv_byte(hash, 2), *recursive as u8);
                hash_option(hash_option(hash_option(hash, *kind), *key_id), *label)
            }
        }
    }
}

/// FNV-1a's starting state.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// One byte into an FNV-1a hash.
pub const fn fnv_byte(hash: u64, byte: u8) -> u64 {
    (hash ^ byte as u64).wrapping_mul(FNV_PRIME)
}

/// The first `end` bytes into an FNV-1a hash.
pub const fn fnv_bytes(mut hash: u64, bytes: &[u8], end: usize) -> u64 {
    let mut i = 0;
    while i < end {
        hash = fnv_byte(hash, bytes[i]);
        i += 1;
    }
    hash
}

const fn hash_option(hash: u64, text: Option<&str>) -> u64 {
    match text {
        None => fnv_byte(hash, 0),
        Some(text) => {
            let bytes = text.as_bytes();
            fnv_byte(fnv_bytes(fnv_byte(hash, 1), bytes, bytes.len()), 0xff)
        }
    }
}

/// Byte-wise equality of two optional texts, in `const` code.
pub const fn same_option(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_bytes(a.as_bytes(), b.as_bytes()),
        _ => false,
    }
}

/// Byte-wise equality in `const` code.
pub const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
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

#[cfg(test)]
mod tests {
    use super::Reads;

    fn walk(
        recursive: bool,
        kind: Option<&'static str>,
        label: Option<&'static str>,
    ) -> Reads<'static> {
        Reads::Walk {
            path: "p",
            recursive,
            kind,
            key_id: None,
            label,
        }
    }

    #[test]
    fn the_same_reads_are_the_same_and_hash_alike() {
        let cases = [
            (
                Reads::Parameter {
                    path: "a",
                    selector: None,
                },
                Reads::Parameter {
                    path: "b",
                    selector: None,
                },
            ),
            (
                Reads::Parameter {
                    path: "a",
                    selector: Some("3"),
                },
                Reads::Parameter {
                    path: "a",
                    selector: Some("3"),
                },
            ),
            (
                Reads::Secret {
                    name: "s",
                    key: Some("k"),
                },
                Reads::Secret {
                    name: "s",
                    key: Some("k"),
                },
            ),
            (
                walk(true, Some("String"), None),
                walk(true, Some("String"), None),
            ),
        ];
        for (a, b) in cases {
            assert!(a.same_apart_from_name(&b), "{a:?} {b:?}");
            assert_eq!(a.hash_apart_from_name(7), b.hash_apart_from_name(7));
        }
    }

    #[test]
    fn other_selectors_keys_kinds_and_filters_read_other_things() {
        let cases = [
            (
                Reads::Parameter {
                    path: "a",
                    selector: None,
                },
                Reads::Parameter {
                    path: "a",
                    selector: Some("3"),
                },
            ),
            (
                Reads::Parameter {
                    path: "a",
                    selector: None,
                },
                Reads::Secret {
                    name: "a",
                    key: None,
                },
            ),
            (
                Reads::Secret {
                    name: "s",
                    key: Some("k"),
                },
                Reads::Secret {
                    name: "s",
                    key: None,
                },
            ),
            (walk(true, None, None), walk(false, None, None)),
            (walk(true, None, None), walk(true, Some("String"), None)),
            (walk(true, None, Some("ab")), walk(true, Some("ab"), None)),
            (
                walk(true, None, None),
                Reads::Parameter {
                    path: "p",
                    selector: None,
                },
            ),
        ];
        for (a, b) in cases {
            assert!(!a.same_apart_from_name(&b), "{a:?} {b:?}");
            assert_ne!(
                a.hash_apart_from_name(7),
                b.hash_apart_from_name(7),
                "{a:?} {b:?}"
            );
        }
    }
}
