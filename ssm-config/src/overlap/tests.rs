//! The search on hand-written plans.

use super::*;
use crate::description::{FieldDescription, Presence, ValueDescription};
use crate::source::ParameterType;

const VALUE: ValueDescription = ValueDescription {
    expected: "String",
    secret: false,
    list: false,
    plaintext: false,
    presence: Presence::Required,
    env: None,
    default_text: None,
    duration: None,
};

const fn parameter(field: &'static str, path: &'static str) -> FieldDescription {
    FieldDescription {
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
    plan: &'static StructDescription,
) -> FieldDescription {
    FieldDescription {
        field,
        binding: Binding::Nested { segment, plan },
    }
}

const fn plan(
    prefix: Option<&'static str>,
    fields: &'static [FieldDescription],
) -> StructDescription {
    StructDescription {
        type_name: "T",
        prefix,
        max_age_secs: None,
        decrypt: true,
        fields,
    }
}

/// The message for each field, as the generated checks ask for them.
fn messages<const N: usize, const F: usize>(plan: &StructDescription) -> Vec<Option<String>> {
    assert_eq!(leaf_count(plan), N);
    let found = find_overlaps::<N, F>(plan);
    (0..F)
        .map(|field| found.message::<N>(plan, field).get().map(str::to_owned))
        .collect()
}

static DB: StructDescription = plan(
    None,
    &[parameter("host", "host"), parameter("port", "port")],
);
static CACHE: StructDescription = plan(None, &[parameter("host", "host")]);

#[test]
fn a_nested_leaf_that_reads_an_earlier_field_fails_at_the_nested_field() {
    static APP: StructDescription = plan(
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
    static APP: StructDescription = plan(
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
    static APP: StructDescription = plan(
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
    static PINNED: StructDescription = plan(
        None,
        &[FieldDescription {
            field: "host",
            binding: Binding::Parameter {
                path: "host",
                selector: Some("3"),
                value: VALUE,
            },
        }],
    );
    static WALK: StructDescription = plan(
        None,
        &[FieldDescription {
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
    static LISTS: StructDescription = plan(
        None,
        &[FieldDescription {
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
    static KEYED: StructDescription = plan(
        None,
        &[FieldDescription {
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
    static APP: StructDescription = plan(
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
            "g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9", "g10", "g11", "g12", "g13",
            "g14", "g15", "g16", "g17", "g18", "g19", "g20", "g21", "g22", "g23", "g24", "g25",
            "g26", "g27", "g28", "g29", "g30", "g31", "g32", "g33", "g34", "g35", "g36", "g37",
            "g38", "g39", "g0",
        ];
        let mut i = 0;
        while i < 41 {
            s[i] = names[i];
            i += 1;
        }
        s
    };
    static FIELDS: [FieldDescription; 41] = {
        let mut fields = [const { nested("g", None, &DB) }; 41];
        let mut i = 0;
        while i < 41 {
            fields[i] = nested("g", Some(SEGMENTS[i]), &DB);
            i += 1;
        }
        fields
    };
    static APP: StructDescription = plan(Some("/app"), &FIELDS);
    let found = messages::<82, 41>(&APP);
    assert!(found[..40].iter().all(Option::is_none));
    assert_eq!(
        found[40].as_deref(),
        Some(
            "field `g.host` reads `/app/g0/host`, which field `g.host` already reads; bind each parameter to one field"
        )
    );
}
