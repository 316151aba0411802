//! Targeted refresh against a model: whatever the interleaving of store
//! changes, their events (late, out of order, repeated), full refreshes and
//! the passing of time over a source that answers at random delays (with
//! what it read when asked), once
//! every event has been delivered and everything has settled the live
//! snapshot equals a full load of the store, and no snapshot along the way
//! shows a value older than one an earlier snapshot showed.
//!
//! ```sh
//! PROPTEST_CASES=1000 cargo test --test suite events::model
//! ```

use ssm_config::live::RefreshPolicy;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use proptest::prelude::*;
use ssm_config::{MemorySource, SsmConfig};

use super::event;
use crate::support::bound::on_paused_clock;
use crate::support::late::Late;

#[derive(SsmConfig, Debug, PartialEq)]
#[ssm(prefix = "/model")]
struct Modelled {
    host: String,
    #[ssm(default = 0)]
    port: u64,
    replica: Option<String>,
    #[ssm(by_path = "routes", recursive = false)]
    routes: BTreeMap<String, String>,
    #[ssm(by_path = "flags")]
    flags: BTreeMap<String, String>,
}

/// The names the store changes: the first (`host`, required) is never
/// deleted; the last two are read by no field.
const NAMES: [&str; 10] = [
    "host",
    "port",
    "replica",
    "routes/a",
    "routes/b",
    "flags/a",
    "flags/x/y",
    "flags/x/z",
    "routes/deep/x",
    "elsewhere",
];

#[derive(Debug, Clone)]
enum Step {
    /// The store writes the next number to `NAMES[i]`; its event is posted.
    Write(usize),
    /// The store deletes `NAMES[i]` (never `host`); its event is posted.
    Delete(usize),
    /// One posted event, chosen by the number, is delivered.
    Deliver(usize),
    /// A caller asks for a full refresh and does not wait for it.
    Refresh,
    /// Time passes, in milliseconds.
    Sleep(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..NAMES.len()).prop_map(Step::Write),
        1 => (1..NAMES.len()).prop_map(Step::Delete),
        3 => any::<usize>().prop_map(Step::Deliver),
        1 => Just(Step::Refresh),
        2 => (0..1_500u64).prop_map(Step::Sleep),
    ]
}

/// The highest number each value has shown so far: a snapshot showing a
/// lower one went back in time.
#[derive(Default)]
struct Newest(HashMap<String, u64>);

impl Newest {
    fn check(&mut self, config: &Modelled) {
        let mut values: Vec<(String, &str)> = vec![("host".into(), &config.host)];
        let port = config.port.to_string();
        if config.port != 0 {
            values.push(("port".into(), &port));
        }
        values.extend(config.replica.as_deref().map(|r| ("replica".into(), r)));
        for (key, value) in &config.routes {
            values.push((format!("routes/{key}"), value));
        }
        for (key, value) in &config.flags {
            values.push((format!("flags/{key}"), value));
        }
        for (name, value) in values {
            let number: u64 = value.parse().expect("values are numbers");
            let newest = self.0.entry(name.clone()).or_default();
            assert!(
                number >= *newest,
                "`{name}` went back from {newest} to {number}"
            );
            *newest = number;
        }
    }
}

fn run(steps: Vec<Step>, seed: u64, spread_ms: u64) {
    on_paused_clock(move || async move {
        let memory = MemorySource::new();
        memory.put("/model/host", "0");
        let source = Late::jittered(memory.clone(), Duration::from_millis(300), seed);
        let config = Modelled::loader()
            .source(source)
            .refresh(RefreshPolicy::new().event_spread(Duration::from_millis(spread_ms)))
            .load()
            .await
            .unwrap();
        let mut written = 0u64;
        let mut posted = Vec::new();
        let mut newest = Newest::default();
        for step in steps {
            match step {
                Step::Write(i) => {
                    written += 1;
                    let name = format!("/model/{}", NAMES[i]);
                    memory.put(&name, &written.to_string());
                    posted.push(event(&name, "Update"));
                }
                Step::Delete(i) => {
                    let name = format!("/model/{}", NAMES[i]);
                    if memory.delete(&name) {
                        posted.push(event(&name, "Delete"));
                    }
                }
                Step::Deliver(k) if !posted.is_empty() => {
                    let event = posted.swap_remove(k % posted.len());
                    config.apply_event(&event).unwrap();
                }
                Step::Deliver(_) => {}
                Step::Refresh => {
                    let config = config.clone();
                    tokio::spawn(async move { config.refresh().await.map(drop) });
                }
                Step::Sleep(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
            }
            newest.check(&config.get());
        }
        for event in posted.drain(..) {
            config.apply_event(&event).unwrap();
        }
        tokio::time::sleep(Duration::from_secs(60)).await;
        newest.check(&config.get());
        let full = Modelled::loader().source(memory).load().await.unwrap();
        assert_eq!(
            *config.get(),
            *full.get(),
            "settled on what a full load reads"
        );
        assert_eq!(config.status().consecutive_failures, 0);
    });
}

proptest! {
    // 64 cases in the test command; `PROPTEST_CASES` asks for more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn after_every_event_the_snapshot_equals_a_full_load(
        steps in proptest::collection::vec(step(), 1..40),
        seed in any::<u64>(),
        spread_ms in prop_oneof![Just(0u64), 0..2_000u64],
    ) {
        run(steps, seed, spread_ms);
    }
}
