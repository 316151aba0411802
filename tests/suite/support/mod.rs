//! Shared test support: the emulator, a backend abstraction so every scenario
//! runs against both moto and `MemorySource`, and a call-counting source.
#![allow(dead_code)]

pub mod backend;
pub mod bound;
pub mod cargo;
pub mod counting;
pub mod emulator;
pub mod faulty;
pub mod late;
#[macro_use]
pub mod process;
pub mod proxy;
pub mod scratch;
pub mod traced;
#[macro_use]
pub mod wide;

/// Declares one `#[tokio::test]` per scenario of `tests/scenarios`, each on
/// a fresh backend made by `$setup` (which returns `None` only to skip
/// outside CI). The one list of scenarios, shared by every backend.
#[macro_export]
macro_rules! scenario_tests {
    ($setup:path) => {
        $crate::scenario_tests!($setup;
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
            invalid_names_from_variables_are_reported,
            variables_fill_exactly_one_segment,
            watch_mode_reloads_only_when_the_watched_parameter_moves,
            refresh_after_deletion_keeps_the_old_snapshot,
            untyped_access,
            durations_booleans_and_secrecy_types,
            targeted_update_reads_only_that_name,
            targeted_walk_changes_add_replace_and_remove,
            targeted_delete_follows_default_option_and_required,
            targeted_pins_stay_and_labels_move,
            targeted_secret_rotation_reads_the_secret,
            targeted_refresh_falls_back_to_a_full_load,
        );
    };
    ($setup:path; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(backend) = $setup().await else { return };
                $crate::scenarios::$name(&backend).await;
            }
        )*
    };
}
