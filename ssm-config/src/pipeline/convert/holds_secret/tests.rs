use std::collections::{BTreeMap, HashMap};

use super::may_hold_secret;
use crate::Secret;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Creds {
    user: String,
    #[serde(alias = "pass")]
    password: Secret<String>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Plain {
    #[serde(alias = "n")]
    count: std::num::NonZeroU32,
    ratio: f32,
    tags: Vec<String>,
    limits: BTreeMap<String, (u8, bool)>,
    #[serde(default)]
    next: Option<Box<Plain>>,
    mode: Mode,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
enum Mode {
    Off,
    Fixed(u8),
    Range { low: u8, high: u8 },
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
enum Auth {
    Anonymous,
    Keyed(Keyed),
    Password(Creds),
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
enum Keyed {
    Public(String),
    Private(Secret<Vec<u8>>),
}

/// An enum inside an enum, holding a secret in the inner enum's last
/// variant and the outer enum's middle one.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
enum Outer {
    First,
    Inner(Keyed),
    Last(u8),
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
enum Tree {
    Leaf(u8),
    Branch(Vec<Tree>),
    Hidden(Secret<u8>),
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
#[serde(untagged)]
enum Loose {
    Number(u8),
    Text(String),
}

#[test]
fn a_secret_is_found_wherever_it_sits() {
    assert!(may_hold_secret::<Secret<String>>());
    assert!(may_hold_secret::<Creds>());
    assert!(may_hold_secret::<Vec<Creds>>());
    assert!(may_hold_secret::<HashMap<String, Secret<String>>>());
    assert!(may_hold_secret::<Option<Box<(u8, Creds)>>>());
    assert!(may_hold_secret::<Auth>());
    assert!(may_hold_secret::<Outer>());
    assert!(may_hold_secret::<Tree>());
    // Deeper than any sensible cut-off by depth.
    type Deep<T> = Option<Vec<Option<Vec<Option<Vec<Option<Vec<T>>>>>>>>;
    assert!(may_hold_secret::<Deep<Deep<Deep<Creds>>>>());
}

/// A generic enum reused with and without a `Secret`: serde names
/// `Source<String>` and `Source<Secret<String>>` alike, yet each must be
/// walked through every variant of its own.
mod reused {
    use crate::Secret;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    pub enum Source<T> {
        Inline(T),
        File(String),
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    pub enum Tls {
        Off,
        On(Source<String>),
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    pub enum Auth {
        None,
        Token(String),
        Basic(Source<Secret<String>>),
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    pub struct Db {
        tls: Tls,
        auth: Auth,
    }
}

/// The same shape with two enums of one name and the same variants,
/// in two modules: only the second holds a `Secret`.
mod same_name {
    pub mod plain {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        pub enum Source {
            Inline(String),
            File(String),
        }
    }

    pub mod secret {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        pub enum Source {
            Inline(crate::Secret<String>),
            File(String),
        }
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    pub enum Tls {
        Off,
        On(plain::Source),
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    pub enum Auth {
        None,
        Token(String),
        Basic(secret::Source),
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    pub struct Db {
        tls: Tls,
        auth: Auth,
    }
}

#[test]
fn a_generic_enum_reused_with_a_secret_is_walked_apart() {
    assert!(may_hold_secret::<reused::Db>());
    // In the other order, and alone.
    assert!(may_hold_secret::<(reused::Auth, reused::Tls)>());
    assert!(may_hold_secret::<reused::Source<Secret<String>>>());
    assert!(!may_hold_secret::<reused::Tls>());
}

#[test]
fn enums_of_one_name_in_two_modules_are_walked_apart() {
    assert!(may_hold_secret::<same_name::Db>());
    assert!(may_hold_secret::<(same_name::Auth, same_name::Tls)>());
    assert!(may_hold_secret::<same_name::secret::Source>());
    assert!(!may_hold_secret::<same_name::Tls>());
}

/// A `Node` of one module holding a list (or an option) of another
/// module's `Node`.
mod nodes {
    pub mod secret {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        pub struct Node {
            password: crate::Secret<String>,
        }
    }

    pub mod plain {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        pub struct Node {
            children: Vec<super::secret::Node>,
        }
    }

    pub mod linked {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        pub struct Node {
            next: Option<Box<super::secret::Node>>,
        }
    }
}

/// Not a recursive type, so the inner list and option are walked too.
#[test]
fn a_list_inside_a_list_of_a_same_named_type_is_walked() {
    assert!(may_hold_secret::<Vec<nodes::plain::Node>>());
    assert!(may_hold_secret::<Option<Box<nodes::linked::Node>>>());
}

#[test]
fn a_type_without_a_secret_is_cleared() {
    assert!(!may_hold_secret::<u16>());
    assert!(!may_hold_secret::<Vec<String>>());
    assert!(!may_hold_secret::<HashMap<String, Vec<u32>>>());
    assert!(!may_hold_secret::<Plain>());
    assert!(!may_hold_secret::<Mode>());
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Wide {
        left: Option<Box<Wide>>,
        right: Option<Box<Wide>>,
        items: Vec<Wide>,
    }
    assert!(!may_hold_secret::<Wide>());
}

#[test]
fn what_cannot_be_walked_counts_as_holding_one() {
    // `deserialize_any`: the type says nothing of itself.
    assert!(may_hold_secret::<serde_json::Value>());
    assert!(may_hold_secret::<Loose>());
    // A made-up value the type refuses.
    assert!(may_hold_secret::<std::net::IpAddr>());
    // A `Deserialize` that panics.
    struct Panics;
    impl<'de> serde::Deserialize<'de> for Panics {
        fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
            panic!("refuses the probe")
        }
    }
    assert!(may_hold_secret::<Panics>());
}
