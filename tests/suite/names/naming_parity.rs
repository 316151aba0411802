//! One rulebook for names: on generated prefixes, paths, secret names,
//! labels and selectors, what the build refuses (`declared_*`, as
//! `#[derive(SsmConfig)]` applies them) is exactly what a load refuses (the
//! runtime's loader, untyped access and `Selector::parse`, and the filling
//! they share). Untyped access reads `name:selector`, so there the selector
//! is split off first, as the derive splits a field's `path`. Where the build cannot know a name whole (a relative path in
//! a struct without a prefix, a `{VAR}`), what it refuses is refused at load
//! time too.
//!
//! ```sh
//! PROPTEST_CASES=10000 cargo test --test naming_parity   # a longer run
//! ```

use proptest::prelude::*;
use ssm_config::{MemorySource, SsmConfig, error::Problem, plan::Selector, untyped::Parameters};
use ssm_config_rules::{
    Filler, check_label, check_selector, declared_parameter, declared_prefix, declared_secret,
    declared_walk,
};

#[derive(SsmConfig, Debug)]
struct Prefixed {
    #[allow(dead_code)]
    value: Option<String>,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// Whether an error is a refusal of a name (not a missing parameter).
fn refused(err: &ssm_config::Error) -> bool {
    err.problems().iter().any(|p| {
        matches!(
            p,
            Problem::InvalidName { .. } | Problem::InvalidSelector { .. }
        )
    })
}

fn no_variables(_: &str) -> Option<String> {
    None
}

/// What the build says of `name:selector` as a field's `path` writes it:
/// the selector is split off and checked on its own.
fn declared_with_selector(
    name: &str,
    declared: impl Fn(&str) -> Result<(), String>,
) -> Result<(), String> {
    match name.split_once(':') {
        Some((name, selector)) => declared(name).and(check_selector(selector).map(|_| ())),
        None => declared(name),
    }
}

/// A segment: mostly valid characters, sometimes a reserved start, a
/// character SSM refuses, or a long run.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-zA-Z0-9_.-]{1,8}",
        1 => "(aws|AWS|ssm|Ssm)[a-z0-9]{0,3}",
        1 => "[a-z]{0,3}[ :+@!#*]{1}[a-z]{0,3}",
        1 => "[a-z]{60,120}",
        1 => Just(String::new()),
    ]
}

/// A name of 0 to 18 segments, absolute or not, sometimes ending in `/`.
fn name() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec(segment(), 0..18),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(absolute, segments, trailing)| {
            let mut name = segments.join("/");
            if absolute {
                name.insert(0, '/');
            }
            if trailing {
                name.push('/');
            }
            name
        })
}

fn absolute_name() -> impl Strategy<Value = String> {
    name().prop_map(|n| {
        if n.starts_with('/') {
            n
        } else {
            format!("/{n}")
        }
    })
}

fn secret_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9/_+=.@!-]{1,40}",
        1 => "/[a-z]{1,10}",
        1 => "[a-z]{0,5}[ :#*%]{1}[a-z]{0,5}",
        1 => "[a-z]{500,530}",
        1 => Just(String::new()),
    ]
}

proptest! {
    #[test]
    fn a_prefix_given_at_load_time_is_judged_as_the_build_judges_it(prefix in name()) {
        prop_assume!(!prefix.contains(['{', '}']));
        let build = declared_prefix(&prefix).and(declared_parameter(Some(&prefix), "value"));
        let load = runtime().block_on(
            Prefixed::loader().source(MemorySource::new()).prefix(prefix.clone()).fetch(),
        );
        prop_assert_eq!(build.is_err(), load.as_ref().err().is_some_and(refused), "{:?} / {:?}", build, load.err());
    }

    #[test]
    fn a_path_under_a_prefix_is_judged_alike(prefix in absolute_name(), path in name()) {
        prop_assume!(!format!("{prefix}{path}").contains(['{', '}']));
        let build = declared_prefix(&prefix).and(declared_parameter(Some(&prefix), &path));
        let filler = Filler::checked(&no_variables);
        let load = filler.prefix(&prefix).and_then(|base| filler.parameter(&base, &path));
        prop_assert_eq!(build.is_ok(), load.is_ok(), "{:?} / {:?}", build, load);
        let walk_build = declared_prefix(&prefix).and(declared_walk(Some(&prefix), &path));
        let walk_load = filler.prefix(&prefix).and_then(|base| filler.walk(&base, &path));
        prop_assert_eq!(walk_build.is_ok(), walk_load.is_ok(), "{:?} / {:?}", walk_build, walk_load);
    }

    #[test]
    fn an_absolute_name_read_at_run_time_is_judged_as_declared(name in absolute_name()) {
        prop_assume!(!name.contains(['{', '}']));
        let build = declared_with_selector(&name, |name| declared_parameter(None, name));
        let load = runtime().block_on(Parameters::new(MemorySource::new()).get(&name));
        prop_assert_eq!(build.is_err(), load.as_ref().err().is_some_and(refused), "{:?} / {:?}", build, load.err());
    }

    #[test]
    fn what_a_struct_without_prefix_refuses_is_refused_under_any_base(
        path in name(),
        base in prop_oneof![Just(String::new()), absolute_name()],
    ) {
        prop_assume!(!path.contains(['{', '}']));
        let filler = Filler::checked(&no_variables);
        if declared_parameter(None, &path).is_err() {
            prop_assert!(filler.parameter(&base, &path).is_err());
        }
    }

    #[test]
    fn secret_names_are_judged_alike(secret in secret_name()) {
        let build = declared_secret(&secret);
        let load = Filler::checked(&no_variables).secret(&secret);
        prop_assert_eq!(build.is_ok(), load.is_ok(), "{:?} / {:?}", build, load);
        if !secret.contains(['{', '}']) {
            let reference = format!("/aws/reference/secretsmanager/{secret}");
            let read = runtime().block_on(Parameters::new(MemorySource::new()).get(&reference));
            let build = declared_with_selector(&secret, declared_secret);
            prop_assert_eq!(build.is_err(), read.as_ref().err().is_some_and(refused), "{:?} / {:?}", build, read.err());
        }
    }

    #[test]
    fn selectors_and_labels_are_judged_alike(text in "[a-zA-Z0-9_.:@ -]{0,12}|[a-z]{95,105}") {
        prop_assert_eq!(check_selector(&text).is_ok(), Selector::parse(&text).is_ok());
        if !text.is_empty() && !text.bytes().all(|b| b.is_ascii_digit()) && !text.contains(':') {
            prop_assert_eq!(check_label(&text).is_ok(), Selector::parse(&text).is_ok());
        }
    }

    #[test]
    fn what_the_build_refuses_with_a_variable_no_value_makes_valid(
        head in name(),
        tail in "[a-z/]{0,6}",
        value in "[a-zA-Z0-9_.-]{1,12}",
    ) {
        prop_assume!(!head.contains(['{', '}']));
        let template = format!("{head}{{VAR}}{tail}");
        let lookup = |var: &str| (var == "VAR").then(|| value.clone());
        let filler = Filler::checked(&lookup);
        if declared_prefix(&template).is_err() {
            prop_assert!(filler.prefix(&template).is_err(), "{}", template);
        }
        if declared_parameter(None, &template).is_err() {
            prop_assert!(filler.parameter("", &template).is_err(), "{}", template);
        }
        if declared_secret(&template).is_err() {
            prop_assert!(filler.secret(&template).is_err(), "{}", template);
        }
    }
}
