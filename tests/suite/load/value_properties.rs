//! Properties of value conversion on generated input: StringList splitting,
//! numbers, JSON and selectors. Whatever the stored value, a load gives the
//! value or an error naming the field, never a panic, and a secret's value
//! never shows in the error.
//!
//! ```sh
//! cargo test --test properties                        # 256 cases a property
//! PROPTEST_CASES=10000 cargo test --test properties   # a longer run
//! ```

use std::collections::BTreeMap;

use proptest::prelude::*;
use ssm_config::{MemorySource, Secret, SsmConfig, plan::Selector};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/prop")]
struct Values {
    list: Vec<String>,
    port: u16,
    #[ssm(path = "secret-port")]
    secret_port: Secret<u16>,
    #[ssm(json)]
    json: BTreeMap<String, Vec<i64>>,
}

fn load(source: &MemorySource) -> Result<Values, ssm_config::Error> {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(Values::fetch(source.clone()))
}

fn seeded(list: &[String], port: &str, secret_port: &str, json: &str) -> MemorySource {
    let source = MemorySource::new();
    source.put_string_list("/prop/list", list);
    source.put("/prop/port", port);
    source.put_secure("/prop/secret-port", secret_port);
    source.put("/prop/json", json);
    source
}

/// A StringList item as SSM stores it: no comma, no surrounding spaces.
fn item() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9._/-]([a-zA-Z0-9 ._/-]{0,10}[a-zA-Z0-9._/-])?"
}

proptest! {
    #[test]
    fn string_lists_split_back_into_their_items(items in prop::collection::vec(item(), 1..20)) {
        let values = load(&seeded(&items, "1", "2", "{}")).unwrap();
        prop_assert_eq!(values.list, items);
    }

    #[test]
    fn numbers_parse_exactly_or_fail_naming_the_field(port in any::<String>(), n in any::<u16>()) {
        let source = seeded(&["a".into()], &port, &n.to_string(), "{}");
        match (load(&source), port.parse::<u16>()) {
            (Ok(values), Ok(expected)) => {
                prop_assert_eq!(values.port, expected);
                prop_assert_eq!(*values.secret_port.expose_secret(), n);
            }
            (Err(error), Err(_)) => {
                let text = error.to_string();
                prop_assert!(text.contains("field `port`: the value from /prop/port version "), "{}", text);
                prop_assert_eq!(error.problems().len(), 1, "{}", text);
            }
            (loaded, parsed) => prop_assert!(false, "{:?} but {:?}", loaded.map(|v| v.port), parsed),
        }
    }

    #[test]
    fn a_secret_that_fails_to_parse_is_never_quoted(secret in "[a-zA-Z][a-zA-Z0-9 _.:/+=-]{5,40}") {
        let error = load(&seeded(&["a".into()], "1", &secret, "{}")).unwrap_err();
        let text = format!("{error} {error:?}");
        prop_assert!(text.contains("field `secret_port`"), "{}", text);
        prop_assert!(!text.contains(&secret), "{}", text);
    }

    #[test]
    fn json_values_round_trip(map in prop::collection::btree_map("[a-z]{1,8}", prop::collection::vec(any::<i64>(), 0..5), 0..8)) {
        let json = serde_json::to_string(&map).unwrap();
        let values = load(&seeded(&["a".into()], "1", "2", &json)).unwrap();
        prop_assert_eq!(values.json, map);
    }

    #[test]
    fn any_json_text_loads_or_fails_naming_the_field(json in any::<String>()) {
        match load(&seeded(&["a".into()], "1", "2", &json)) {
            Ok(values) => prop_assert_eq!(Ok(values.json), serde_json::from_str(&json).map_err(|e| e.to_string())),
            Err(error) => prop_assert!(error.to_string().contains("field `json`"), "{}", error),
        }
    }

    #[test]
    fn selectors_parse_without_panicking(text in any::<String>()) {
        if let Ok(selector) = Selector::parse(&text) {
            prop_assert_eq!(selector.to_string(), text.clone());
            prop_assert_eq!(Selector::parse(&selector.to_string()), Ok(selector));
        }
    }

    #[test]
    fn versions_from_one_are_selectors(version in 1u64..) {
        prop_assert_eq!(Selector::parse(&version.to_string()), Ok(Selector::Version(version)));
    }

    #[test]
    fn valid_labels_are_selectors(label in "[a-zA-Z_.-][a-zA-Z0-9_.-]{0,99}") {
        let lower = label.to_ascii_lowercase();
        let reserved = lower.starts_with("aws") || lower.starts_with("ssm");
        prop_assert_eq!(Selector::parse(&label).is_ok(), !reserved, "{}", label);
    }
}
