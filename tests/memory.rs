//! Every scenario against the in-memory source.

#[macro_use]
mod support;
mod scenarios;

use support::backend::memory;

scenario_tests!(memory;
    every_attribute_and_type,
    fetch_once_from_a_source,
    ninety_five_names_in_ten_calls,
    by_path_pages_to_the_end,
    by_path_filters,
    every_problem_reported_at_once,
    secure_string_needs_a_secret_field,
    secure_string_without_decryption,
    missing_secret_among_others,
    secret_keys_are_checked,
    unset_variable_is_named,
    refresh_follows_latest_but_not_pins,
    renamed_crate_path_and_rename_rules,
    invalid_selectors_and_names_are_reported,
);
