//! Whether a `#[ssm(json)]` type holds a `Secret` anywhere, asked of the
//! type itself, not of the value that failed to parse.
//!
//! A value that breaks before serde reaches its `Secret` (a wrong type
//! ahead of it, a missing comma, a bare string) says nothing about the
//! secret, yet its text may be the secret. The derive sees only the type as
//! written (`Db`), not what `Db` holds, so the type is asked at run time:
//! its `Deserialize` is driven by a [`Probe`] that answers every request
//! with a made-up value, as serde-reflection traces formats, and
//! `Secret`'s `Deserialize` marks the walk when it is reached. Each
//! option, sequence and map yields one item (none inside itself, so a
//! recursive type ends), and an enum is walked once per variant. What the
//! walk remembers of a type (the variant to walk next, being inside itself)
//! is keyed by the Rust type, never by serde's name: serde names
//! `Source<String>` and `Source<Secret<String>>` alike. Whatever
//! the probe cannot walk to the end (`deserialize_any`, as untagged enums
//! and `serde_json::Value` use; a made-up value a type refuses, such as an
//! empty string for an address; a panic; a walk too long or too deep)
//! counts as holding a secret: only complete walks that met none clear a
//! type.
//!
//! What no walk can see: a `Deserialize` written by hand that takes another
//! path for other input; a secret kept in another type than `Secret`
//! (`secrecy`'s, whose `Deserialize` tells nothing, or a `String` made
//! secret after deserializing); two types `std::any::type_name` names
//! alike, as one path in two versions of a crate: their enums share a
//! variant to walk when serde names them and their variants alike too, and
//! a list of one inside a list of the other is taken for recursion.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

/// Where anything deeper fails the walk: a type that cannot end.
const MAX_DEPTH: usize = 64;
/// Requests one walk may answer, so a very wide type stays cheap.
const MAX_STEPS: usize = 20_000;
/// Walks, one per enum variant still to see.
const MAX_WALKS: usize = 256;

/// Whether a `T` may hold a `Secret`: `false` only when every variant of
/// every enum of `T` was walked to the end and no `Secret` was reached.
pub(super) fn may_hold_secret<T: DeserializeOwned>() -> bool {
    let variants = Variants::default();
    for _ in 0..MAX_WALKS {
        let walk = Walk {
            variants: &variants,
            steps: Cell::new(0),
            open_enums: RefCell::new(Vec::new()),
            open_repeats: RefCell::new(Vec::new()),
        };
        let (walked, met) = crate::secret::watch_deserializing(|| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                T::deserialize(Probe::new(&walk)).map(drop)
            }))
        });
        // A secret met, a walk that broke off, a panic.
        if met || !matches!(walked, Ok(Ok(()))) {
            return true;
        }
        match variants.advance() {
            Advanced::Yes => continue,
            Advanced::AllSeen => return false,
            Advanced::Stuck => return true,
        }
    }
    true
}

/// An enum as the walk tells it apart. Serde's name and variants alone
/// would give `Source<String>` and `Source<Secret<String>>`, or two `Source`
/// enums of two modules, one variant to walk, so the second's secret could
/// be passed by; the Rust type its visitor makes tells them apart.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct EnumKey {
    /// `std::any::type_name` of the type the enum's visitor makes: the
    /// enum's full path with its type arguments, for a derived one.
    rust_type: &'static str,
    /// Serde's name and variants besides: two types `type_name` names
    /// alike (one crate in two versions) seldom have these alike too.
    name: &'static str,
    variants: &'static [&'static str],
}

/// Which variant of each enum the next walk takes, and what the last walk
/// met of them.
#[derive(Default)]
struct Variants {
    /// The variant each enum is walked with.
    next: RefCell<HashMap<EnumKey, usize>>,
    /// Enums met in the last walk.
    met: RefCell<HashSet<EnumKey>>,
    /// (outer, inner): `inner` was met inside a variant of `outer`.
    nested: RefCell<HashSet<(EnumKey, EnumKey)>>,
}

enum Advanced {
    Yes,
    AllSeen,
    Stuck,
}

impl Variants {
    fn choose(&self, key: EnumKey) -> usize {
        self.met.borrow_mut().insert(key);
        *self.next.borrow_mut().entry(key).or_insert(0)
    }

    fn is_last(&self, key: &EnumKey) -> bool {
        self.next.borrow().get(key).copied().unwrap_or(0) + 1 >= key.variants.len()
    }

    /// Moves on each enum met whose inner enums have all been seen in
    /// full; an enum with inner ones left stays where it is, so they are
    /// met again and walked on.
    fn advance(&self) -> Advanced {
        let met = std::mem::take(&mut *self.met.borrow_mut());
        let nested = std::mem::take(&mut *self.nested.borrow_mut());
        let left = |key: &EnumKey| !self.is_last(key);
        let ready: Vec<EnumKey> = met
            .iter()
            .filter(|key| left(key))
            .filter(|key| {
                !nested
                    .iter()
                    .any(|(outer, inner)| outer == *key && inner != *key && left(inner))
            })
            .copied()
            .collect();
        if !ready.is_empty() {
            let mut next = self.next.borrow_mut();
            for key in ready {
                *next.entry(key).or_insert(0) += 1;
            }
            Advanced::Yes
        } else if met.iter().any(left) {
            // Enums inside one another, each waiting for the other.
            Advanced::Stuck
        } else {
            Advanced::AllSeen
        }
    }
}

/// One walk of the type.
struct Walk<'v> {
    variants: &'v Variants,
    steps: Cell<usize>,
    /// The enums whose variant is being walked, outermost first.
    open_enums: RefCell<Vec<EnumKey>>,
    /// The options, sequences and maps being walked, by the Rust type
    /// their visitors make (`Vec<Node>`), never by a name serde gives.
    open_repeats: RefCell<Vec<&'static str>>,
}

/// Why a walk broke off. Never shown: any error makes the type count as
/// holding a secret.
#[derive(Debug)]
struct Inconclusive;

impl fmt::Display for Inconclusive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the type could not be walked")
    }
}

impl std::error::Error for Inconclusive {}

impl de::Error for Inconclusive {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Inconclusive
    }
}

/// Answers each request of a `Deserialize` with a made-up value.
#[derive(Clone, Copy)]
struct Probe<'w, 'v> {
    walk: &'w Walk<'v>,
    depth: usize,
}

impl<'w, 'v> Probe<'w, 'v> {
    fn new(walk: &'w Walk<'v>) -> Self {
        Probe { walk, depth: 0 }
    }

    /// The probe of what this value holds, or why the walk stops here.
    fn inner(self) -> Result<Self, Inconclusive> {
        let steps = self.walk.steps.get() + 1;
        self.walk.steps.set(steps);
        match steps > MAX_STEPS || self.depth >= MAX_DEPTH {
            true => Err(Inconclusive),
            false => Ok(Probe {
                depth: self.depth + 1,
                ..self
            }),
        }
    }

    /// Walks an option, a sequence or a map of type `T` with one item, or
    /// none inside another `T` (a recursive type, `Vec<Node>` in `Node`):
    /// that item's type is being walked already, so the walk ends.
    fn repeat<T, R>(self, walk: impl FnOnce(Self, usize) -> R) -> R {
        let name = std::any::type_name::<T>();
        if self.walk.open_repeats.borrow().contains(&name) {
            return walk(self, 0);
        }
        self.walk.open_repeats.borrow_mut().push(name);
        let walked = walk(self, 1);
        self.walk.open_repeats.borrow_mut().pop();
        walked
    }
}

/// Scalars: a value most types accept (1 rather than 0, for `NonZero`).
macro_rules! answer {
    ($($method:ident => $visit:ident($($value:expr)?),)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Inconclusive> {
            visitor.$visit($($value)?)
        })*
    };
}

impl<'de> de::Deserializer<'de> for Probe<'_, '_> {
    type Error = Inconclusive;

    answer! {
        deserialize_bool => visit_bool(false),
        deserialize_i8 => visit_i8(1),
        deserialize_i16 => visit_i16(1),
        deserialize_i32 => visit_i32(1),
        deserialize_i64 => visit_i64(1),
        deserialize_i128 => visit_i128(1),
        deserialize_u8 => visit_u8(1),
        deserialize_u16 => visit_u16(1),
        deserialize_u32 => visit_u32(1),
        deserialize_u64 => visit_u64(1),
        deserialize_u128 => visit_u128(1),
        deserialize_f32 => visit_f32(1.0),
        deserialize_f64 => visit_f64(1.0),
        deserialize_char => visit_char('a'),
        deserialize_str => visit_str(""),
        deserialize_string => visit_str(""),
        deserialize_identifier => visit_str(""),
        deserialize_bytes => visit_bytes(&[]),
        deserialize_byte_buf => visit_bytes(&[]),
        deserialize_unit => visit_unit(),
        deserialize_ignored_any => visit_unit(),
    }

    /// A self-describing request: nothing tells what to answer.
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Inconclusive> {
        Err(Inconclusive)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Inconclusive> {
        self.repeat::<V::Value, _>(|probe, items| match items {
            0 => visitor.visit_none(),
            _ => visitor.visit_some(probe.inner()?),
        })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Inconclusive> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Inconclusive> {
        visitor.visit_newtype_struct(self.inner()?)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Inconclusive> {
        self.repeat::<V::Value, _>(|probe, items| visitor.visit_seq(Items::new(probe, items)))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Inconclusive> {
        visitor.visit_seq(Items::new(self, len))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Inconclusive> {
        visitor.visit_seq(Items::new(self, len))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Inconclusive> {
        self.repeat::<V::Value, _>(|probe, items| visitor.visit_map(Items::new(probe, items)))
    }

    /// The fields in order, as a sequence: `fields` also lists aliases,
    /// which as map keys would be duplicates.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Inconclusive> {
        visitor.visit_seq(Items::new(self, fields.len()))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Inconclusive> {
        let key = EnumKey {
            rust_type: std::any::type_name::<V::Value>(),
            name,
            variants,
        };
        let walk = self.walk;
        let chosen = walk.variants.choose(key);
        let variant = *variants.get(chosen).ok_or(Inconclusive)?;
        let probe = self.inner()?;
        {
            let mut nested = walk.variants.nested.borrow_mut();
            for outer in walk.open_enums.borrow().iter() {
                nested.insert((*outer, key));
            }
        }
        walk.open_enums.borrow_mut().push(key);
        let walked = visitor.visit_enum(Variant {
            probe,
            name: variant,
        });
        walk.open_enums.borrow_mut().pop();
        walked
    }

    fn is_human_readable(&self) -> bool {
        true
    }
}

/// The items of a sequence, a tuple, a struct or a map, each a probe.
struct Items<'w, 'v> {
    probe: Probe<'w, 'v>,
    left: usize,
}

impl<'w, 'v> Items<'w, 'v> {
    fn new(probe: Probe<'w, 'v>, len: usize) -> Self {
        Items { probe, left: len }
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_, '_> {
    type Error = Inconclusive;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Inconclusive> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(self.probe.inner()?).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::MapAccess<'de> for Items<'_, '_> {
    type Error = Inconclusive;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Inconclusive> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(self.probe.inner()?).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Inconclusive> {
        seed.deserialize(self.probe.inner()?)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// The variant this walk takes, by name.
struct Variant<'w, 'v> {
    probe: Probe<'w, 'v>,
    name: &'static str,
}

impl<'de, 'w, 'v> de::EnumAccess<'de> for Variant<'w, 'v> {
    type Error = Inconclusive;
    type Variant = Probe<'w, 'v>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Probe<'w, 'v>), Inconclusive> {
        let name: de::value::StrDeserializer<'_, Inconclusive> = self.name.into_deserializer();
        Ok((seed.deserialize(name)?, self.probe))
    }
}

impl<'de> de::VariantAccess<'de> for Probe<'_, '_> {
    type Error = Inconclusive;

    fn unit_variant(self) -> Result<(), Inconclusive> {
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<S::Value, Inconclusive> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Inconclusive> {
        visitor.visit_seq(Items::new(self, len))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Inconclusive> {
        visitor.visit_seq(Items::new(self, fields.len()))
    }
}

#[cfg(test)]
mod tests;
